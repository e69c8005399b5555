/* creds_sts.c — STS AssumeRole (with MFA, external id, duration) and AssumeRoleWithWebIdentity. */
#include "aws/creds_providers.h"
#include "aws/creds_http.h"

#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/strbuf.h"
#include "base/xalloc.h"

char *creds_default_session_name(void)
{
	const char *user = getenv("USER");
	struct passwd *pw;
	char host[256], *s;
	struct strbuf sb;
	size_t i;

	if (!user || !user[0]) {
		pw = getpwuid(getuid());
		user = pw && pw->pw_name ? pw->pw_name : "flightdeck";
	}
	if (gethostname(host, sizeof(host)) < 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	strbuf_init(&sb);
	strbuf_addf(&sb, "%s@%s", user, host);
	s = strbuf_detach(&sb, NULL);
	for (i = 0; s[i]; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_+=,.@-", s[i]))
			s[i] = '-';
	if (i > 64)
		s[64] = '\0';
	if (i < 2) {
		free(s);
		s = xstrdup("flightdeck");
	}
	return s;
}

/* Parse the Credentials of an STS answer into out. */
static int sts_creds(char **v, const char *source, struct creds *out, struct fd_error *err)
{
	if (!v[0] || !v[1] || !v[2])
		return fd_error_set(err, "ParseError", "STS answered without complete Credentials");
	if (!v[3] || creds_parse_time(v[3], &out->expiration) < 0)
		return fd_error_set(err, "ParseError", "STS answered without a valid Expiration");
	out->access_key = v[0];
	out->secret_key = v[1];
	out->session_token = v[2];
	v[0] = v[1] = v[2] = NULL;
	out->source = source;
	return 0;
}

static const char *const creds_fields[] = { "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration" };

/* ---- AssumeRole ---- */

struct assume_provider {
	struct creds_provider base;
	struct creds_provider *source;
	struct awsconf *conf;
	char *role_arn, *session_name, *external_id, *mfa_serial;
	int duration_s;
	struct creds_chain_options o;
};

/* Source credentials, then AssumeRole signed with them. */
static int assume_get(struct creds_provider *p, struct creds *out, struct fd_error *err)
{
	struct assume_provider *ap = (struct assume_provider *)p;
	struct creds src;
	struct creds_sts_target t;
	struct strbuf form;
	char *v[4] = { NULL, NULL, NULL, NULL }, code[64], num[16];
	int rc = -1;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (creds_provider_get(ap->source, &src, err) < 0) {
		if (err && strcmp(err->code, "CredentialsNotFound") == 0)
			snprintf(err->code, sizeof(err->code), "NoSourceCredentials");
		return -1;
	}
	strbuf_init(&form);
	creds_form_add(&form, "Action", "AssumeRole");
	creds_form_add(&form, "Version", "2011-06-15");
	creds_form_add(&form, "RoleArn", ap->role_arn);
	creds_form_add(&form, "RoleSessionName", ap->session_name);
	if (ap->external_id)
		creds_form_add(&form, "ExternalId", ap->external_id);
	if (ap->duration_s > 0) {
		snprintf(num, sizeof(num), "%d", ap->duration_s);
		creds_form_add(&form, "DurationSeconds", num);
	}
	if (ap->mfa_serial) {
		struct strbuf prompt;
		strbuf_init(&prompt);
		strbuf_addf(&prompt, "Enter MFA code for %s: ", ap->mfa_serial);
		if (creds_prompt(prompt.data, code, sizeof(code), err) < 0) {
			strbuf_clean_up(&prompt);
			goto out;
		}
		strbuf_clean_up(&prompt);
		creds_form_add(&form, "SerialNumber", ap->mfa_serial);
		creds_form_add(&form, "TokenCode", code);
		fd_wipe(code, sizeof(code));
	}
	creds_sts_target_init(&t, ap->conf, ap->o.region, ap->o.sts_endpoint);
	rc = creds_sts_query(&t, &src, form.data, 4, creds_fields, v, err);
	creds_sts_target_clean_up(&t);
	if (rc == 0)
		rc = sts_creds(v, "assume-role", out, err);
	else
		fd_error_prefix(err, "AssumeRole %s", ap->role_arn);
out:
	for (i = 0; i < 4; i++)
		fd_free_secret(v[i]);
	strbuf_wipe_clean_up(&form);
	creds_clean_up(&src);
	return rc;
}

/* Destroy the source provider and free. */
static void assume_destroy(struct creds_provider *p)
{
	struct assume_provider *ap = (struct assume_provider *)p;

	creds_provider_destroy(ap->source);
	free(ap->role_arn);
	free(ap->session_name);
	free(ap->external_id);
	free(ap->mfa_serial);
	free(ap);
}

static const struct creds_provider_vtable assume_vt = {
	.name = "assume-role", .get = assume_get, .destroy = assume_destroy,
};

struct creds_provider *creds_assume_role_new(struct creds_provider *source, struct awsconf *conf,
					     const char *role_arn, const char *session_name,
					     const char *external_id, int duration_s,
					     const char *mfa_serial,
					     const struct creds_chain_options *o)
{
	struct assume_provider *ap = xcalloc(1, sizeof(*ap));

	ap->base.vt = &assume_vt;
	ap->source = source;
	ap->conf = conf;
	ap->role_arn = xstrdup(role_arn);
	ap->session_name = session_name && session_name[0] ? xstrdup(session_name) :
			   creds_default_session_name();
	ap->external_id = external_id && external_id[0] ? xstrdup(external_id) : NULL;
	ap->mfa_serial = mfa_serial && mfa_serial[0] ? xstrdup(mfa_serial) : NULL;
	ap->duration_s = duration_s;
	if (o)
		ap->o = *o;
	return &ap->base;
}

/* ---- AssumeRoleWithWebIdentity ---- */

struct webid_provider {
	struct creds_provider base;
	struct awsconf *conf;
	char *profile;
	char *token_file, *role_arn, *session_name;   /* NULL: env, then profile */
	struct creds_chain_options o;
};

/* A variable's value, or NULL when unset or empty. */
static const char *env_nonempty(const char *name)
{
	const char *v = getenv(name);

	return v && v[0] ? v : NULL;
}

/* Read the token file, call STS unsigned. */
static int webid_get(struct creds_provider *p, struct creds *out, struct fd_error *err)
{
	struct webid_provider *wp = (struct webid_provider *)p;
	const char *file = wp->token_file, *arn = wp->role_arn, *name = wp->session_name;
	struct creds_sts_target t;
	struct strbuf form, tok;
	char *v[4] = { NULL, NULL, NULL, NULL }, *defname = NULL, buf[1024];
	size_t i, n;
	FILE *f;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!file && !arn) {
		file = env_nonempty("AWS_WEB_IDENTITY_TOKEN_FILE");
		arn = env_nonempty("AWS_ROLE_ARN");
		name = env_nonempty("AWS_ROLE_SESSION_NAME");
		if (wp->profile && wp->conf) {
			if (!file)
				file = awsconf_get(wp->conf, wp->profile, "web_identity_token_file");
			if (!arn)
				arn = awsconf_get(wp->conf, wp->profile, "role_arn");
			if (!name)
				name = awsconf_get(wp->conf, wp->profile, "role_session_name");
		}
	}
	if (!file || !file[0])
		return fd_error_set(err, "CredentialsNotFound", "no web identity token file");
	if (!arn || !arn[0])
		return fd_error_set(err, "WebIdentityError",
				    "a web identity token file (%s) without a role ARN (AWS_ROLE_ARN or role_arn)", file);
	f = fopen(file, "re");
	if (!f)
		return fd_error_set(err, "WebIdentityError", "cannot read the web identity token file %s: %s",
				    file, strerror(errno));
	strbuf_init(&tok);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&tok, buf, n);
	fclose(f);
	fd_wipe(buf, sizeof(buf));
	while (tok.len && isspace((unsigned char)tok.data[tok.len - 1]))
		tok.data[--tok.len] = '\0';
	if (!name || !name[0])
		name = defname = creds_default_session_name();
	strbuf_init(&form);
	creds_form_add(&form, "Action", "AssumeRoleWithWebIdentity");
	creds_form_add(&form, "Version", "2011-06-15");
	creds_form_add(&form, "RoleArn", arn);
	creds_form_add(&form, "RoleSessionName", name);
	creds_form_add(&form, "WebIdentityToken", tok.data);
	creds_sts_target_init(&t, wp->conf, wp->o.region, wp->o.sts_endpoint);
	rc = creds_sts_query(&t, NULL, form.data, 4, creds_fields, v, err);
	creds_sts_target_clean_up(&t);
	if (rc == 0)
		rc = sts_creds(v, "web-identity", out, err);
	else
		fd_error_prefix(err, "AssumeRoleWithWebIdentity %s", arn);
	for (i = 0; i < 4; i++)
		fd_free_secret(v[i]);
	strbuf_wipe_clean_up(&form);
	strbuf_wipe_clean_up(&tok);
	free(defname);
	return rc;
}

/* Free the provider. */
static void webid_destroy(struct creds_provider *p)
{
	struct webid_provider *wp = (struct webid_provider *)p;

	free(wp->profile);
	free(wp->token_file);
	free(wp->role_arn);
	free(wp->session_name);
	free(wp);
}

static const struct creds_provider_vtable webid_vt = {
	.name = "web-identity", .get = webid_get, .destroy = webid_destroy,
};

struct creds_provider *creds_web_identity_new(struct awsconf *conf, const char *profile,
					      const char *token_file, const char *role_arn,
					      const char *session_name,
					      const struct creds_chain_options *o)
{
	struct webid_provider *wp = xcalloc(1, sizeof(*wp));

	wp->base.vt = &webid_vt;
	wp->conf = conf;
	wp->profile = profile ? xstrdup(profile) : NULL;
	wp->token_file = token_file ? xstrdup(token_file) : NULL;
	wp->role_arn = role_arn ? xstrdup(role_arn) : NULL;
	wp->session_name = session_name ? xstrdup(session_name) : NULL;
	if (o)
		wp->o = *o;
	return &wp->base;
}
