/* creds_sso.c — IAM Identity Center: the aws-cli token cache and the portal's GetRoleCredentials. */
#include "aws/creds_providers.h"
#include "aws/region.h"
#include "aws/creds_http.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/evp.h>

#include "base/strbuf.h"
#include "base/xalloc.h"

struct sso_provider {
	struct creds_provider base;
	struct awsconf *conf;
	char *profile;
	struct creds_chain_options o;
};

/* Hex SHA-1 of s (the token cache's file name). */
static void sha1_hex(const char *s, char hex[41])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	EVP_Digest(s, strlen(s), md, &n, EVP_sha1(), NULL);
	for (i = 0; i < n && i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[40] = '\0';
}

/* Read ~/.aws/sso/cache/<sha1(key)>.json into a JSON object; NULL with err. */
static json_t *read_token(const char *key, const char *profile, struct fd_error *err)
{
	char hex[41], *path;
	struct strbuf sb;
	json_error_t je;
	json_t *doc;

	sha1_hex(key, hex);
	strbuf_init(&sb);
	strbuf_addf(&sb, "~/.aws/sso/cache/%s.json", hex);
	path = awsconf_expand_path(sb.data);
	strbuf_clean_up(&sb);
	doc = json_load_file(path, 0, &je);
	if (!doc) {
		if (access(path, F_OK) != 0)
			fd_error_set(err, "SSOTokenMissing",
				     "no SSO token for %s (%s): run `aws sso login --profile %s`", key, path,
				     profile);
		else
			fd_error_set(err, "SSOTokenInvalid",
				     "%s:%d: the SSO token cache is not valid JSON: run `aws sso login --profile %s`",
				     path, je.line, profile);
	}
	free(path);
	return doc;
}

/* Wipe the string values of a JSON object and release it. */
static void wipe_json(json_t *o)
{
	const char *k;
	json_t *v;

	if (!o)
		return;
	json_object_foreach(o, k, v) {
		if (json_is_string(v))
			fd_wipe((char *)json_string_value(v), json_string_length(v));
		else if (json_is_object(v))
			wipe_json(v);
	}
}

/* Resolve the session settings, check the cached token, call GetRoleCredentials. */
static int sso_get(struct creds_provider *p, struct creds *out, struct fd_error *err)
{
	struct sso_provider *sp = (struct sso_provider *)p;
	const char *session = awsconf_get(sp->conf, sp->profile, "sso_session");
	const char *start_url, *region, *account, *role, *token, *expires;
	struct creds_http_request rq;
	struct strbuf url, hdr, body;
	const char *hdrs[2];
	char *portal = NULL, *ea = NULL, *er = NULL, when[32];
	json_t *tok = NULL, *resp = NULL, *rc_obj;
	json_error_t je;
	time_t exp, now;
	long status;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (session) {
		if (!awsconf_section_exists(sp->conf, "sso-session", session))
			return fd_error_set(err, "InvalidConfig",
					    "profile %s: sso_session %s has no [sso-session %s] section",
					    sp->profile, session, session);
		start_url = awsconf_section_get(sp->conf, "sso-session", session, "sso_start_url");
		region = awsconf_section_get(sp->conf, "sso-session", session, "sso_region");
	} else {
		start_url = awsconf_get(sp->conf, sp->profile, "sso_start_url");
		region = awsconf_get(sp->conf, sp->profile, "sso_region");
	}
	account = awsconf_get(sp->conf, sp->profile, "sso_account_id");
	role = awsconf_get(sp->conf, sp->profile, "sso_role_name");
	if (!start_url && !session)
		return fd_error_set(err, "CredentialsNotFound", "profile %s is not an SSO profile", sp->profile);
	{
		static const char *const names[] = { "sso_start_url", "sso_region", "sso_account_id", "sso_role_name" };
		const char *vals[] = { start_url, region, account, role };
		size_t i;
		for (i = 0; i < 4; i++)
			if (!vals[i] || !vals[i][0])
				return fd_error_set(err, "InvalidConfig", "profile %s: SSO needs %s%s%s",
						    sp->profile, names[i], session && i < 2 ? " in [sso-session " : "",
						    session && i < 2 ? session : "");
	}
	tok = read_token(session ? session : start_url, sp->profile, err);
	if (!tok)
		return -1;
	token = json_string_value(json_object_get(tok, "accessToken"));
	expires = json_string_value(json_object_get(tok, "expiresAt"));
	now = sp->o.clock ? sp->o.clock(sp->o.clock_ctx) : time(NULL);
	if (!token || !token[0] || !expires || creds_parse_time(expires, &exp) < 0) {
		fd_error_set(err, "SSOTokenInvalid",
			     "the cached SSO token lacks accessToken or expiresAt: run `aws sso login --profile %s`",
			     sp->profile);
		goto out;
	}
	if (exp <= now) {
		creds_format_time(exp, when, sizeof(when));
		fd_error_set(err, "SSOTokenExpired",
			     "the SSO session %s expired at %s: run `aws sso login --profile %s`",
			     session ? session : start_url, when, sp->profile);
		goto out;
	}
	portal = awsconf_endpoint_url(sp->conf, "SSO", NULL);
	if (!portal && !(portal = region_endpoint("portal.sso", region, "sso_region", err)))
		goto out;
	while (portal[0] && portal[strlen(portal) - 1] == '/')
		portal[strlen(portal) - 1] = '\0';
	ea = curl_easy_escape(NULL, account, 0);
	er = curl_easy_escape(NULL, role, 0);
	strbuf_init(&url);
	strbuf_addf(&url, "%s/federation/credentials?account_id=%s&role_name=%s", portal, ea, er);
	strbuf_init(&hdr);
	strbuf_addf(&hdr, "x-amz-sso_bearer_token: %s", token);
	hdrs[0] = hdr.data;
	hdrs[1] = NULL;
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.url = url.data;
	rq.headers = hdrs;
	rq.timeout_ms = 10000;
	rq.connect_timeout_ms = 3000;
	rq.ca_bundle = awsconf_ca_bundle(sp->conf);
	strbuf_init(&body);
	if (creds_http_do(&rq, &status, &body, err) == 0) {
		resp = json_loadb(body.data, body.len, 0, &je);
		if (status == 401 || status == 403)
			fd_error_set(err, "UnauthorizedException",
				     "the SSO portal refused the cached token (HTTP %ld): run `aws sso login --profile %s`",
				     status, sp->profile);
		else if (status != 200) {
			const char *m = json_string_value(json_object_get(resp, "message"));
			if (!m)
				m = json_string_value(json_object_get(resp, "Message"));
			fd_error_set(err, "SSOError", "GetRoleCredentials: HTTP %ld%s%s", status,
				     m ? ": " : "", m ? m : "");
			if (err)
				err->http_status = (int)status;
		} else if (!(rc_obj = json_object_get(resp, "roleCredentials")) ||
			   !json_string_value(json_object_get(rc_obj, "accessKeyId")) ||
			   !json_string_value(json_object_get(rc_obj, "secretAccessKey")))
			fd_error_set(err, "ParseError", "GetRoleCredentials answered without roleCredentials");
		else {
			const char *st = json_string_value(json_object_get(rc_obj, "sessionToken"));
			json_t *e = json_object_get(rc_obj, "expiration");
			out->access_key = xstrdup(json_string_value(json_object_get(rc_obj, "accessKeyId")));
			out->secret_key = xstrdup(json_string_value(json_object_get(rc_obj, "secretAccessKey")));
			out->session_token = st && st[0] ? xstrdup(st) : NULL;
			out->expiration = json_is_integer(e) ? (time_t)(json_integer_value(e) / 1000) :
					  json_is_real(e) ? (time_t)(json_real_value(e) / 1000) : 0;
			out->source = "sso";
			rc = 0;
		}
	}
	strbuf_wipe_clean_up(&body);
	strbuf_wipe_clean_up(&hdr);
	strbuf_clean_up(&url);
out:
	curl_free(ea);
	curl_free(er);
	free(portal);
	wipe_json(tok);
	json_decref(tok);
	wipe_json(resp);
	json_decref(resp);
	return rc;
}

/* Free the provider (conf is borrowed). */
static void sso_destroy(struct creds_provider *p)
{
	struct sso_provider *sp = (struct sso_provider *)p;

	free(sp->profile);
	free(sp);
}

static const struct creds_provider_vtable sso_vt = {
	.name = "sso", .get = sso_get, .destroy = sso_destroy,
};

struct creds_provider *creds_sso_new(struct awsconf *conf, const char *profile,
				     const struct creds_chain_options *o)
{
	struct sso_provider *sp = xcalloc(1, sizeof(*sp));

	sp->base.vt = &sso_vt;
	sp->conf = conf;
	sp->profile = xstrdup(profile);
	if (o)
		sp->o = *o;
	return &sp->base;
}
