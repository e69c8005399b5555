/* creds_imds.c — EC2 instance metadata credentials (IMDSv2: token, role name, credentials). */
#include "aws/creds_providers.h"
#include "aws/creds_http.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/strbuf.h"
#include "base/xalloc.h"

struct imds_provider {
	struct creds_provider base;
	struct awsconf *conf;
	long timeout_ms;
	int attempts;
};

/* The metadata endpoint without a trailing '/'. Caller frees. */
static char *imds_endpoint(struct awsconf *conf)
{
	const char *v = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	const char *mode = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
	const char *prof = conf ? awsconf_profile(conf) : NULL;
	char *url;
	size_t n;

	if ((!v || !v[0]) && prof)
		v = awsconf_get(conf, prof, "ec2_metadata_service_endpoint");
	if ((!mode || !mode[0]) && prof)
		mode = awsconf_get(conf, prof, "ec2_metadata_service_endpoint_mode");
	if (!v || !v[0])
		v = mode && strcasecmp(mode, "IPv6") == 0 ? "http://[fd00:ec2::254]" : "http://169.254.169.254";
	url = xstrdup(v);
	n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		url[--n] = '\0';
	return url;
}

/* A setting from the environment, else the profile; NULL when unset. */
static const char *setting(struct awsconf *conf, const char *var, const char *key)
{
	const char *v = getenv(var);

	if ((!v || !v[0]) && conf && awsconf_profile(conf))
		v = awsconf_get(conf, awsconf_profile(conf), key);
	return v && v[0] ? v : NULL;
}

/* One metadata request, tried up to ip->attempts times on a transport error or
 * a 5xx; 0 with the body on HTTP 200, -1 otherwise. */
static int imds_request(struct imds_provider *ip, const char *method, const char *url,
			const char *header, struct strbuf *body, long *status, struct fd_error *err)
{
	struct creds_http_request rq;
	const char *hdrs[2] = { header, NULL };
	int attempt, r = -1;

	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.url = url;
	rq.headers = hdrs;
	rq.timeout_ms = ip->timeout_ms;
	rq.connect_timeout_ms = ip->timeout_ms;
	for (attempt = 0; attempt < ip->attempts; attempt++) {
		strbuf_reset(body);
		r = creds_http_do(&rq, status, body, err);
		if (r == 0 && *status < 500)
			break;
	}
	if (r < 0)
		return -1;
	if (*status != 200)
		return fd_error_set(err, "CredentialsNotFound", "%s %s: HTTP %ld", method, url, *status);
	return 0;
}

/* Token, role name, then the role's credentials. */
static int imds_get(struct creds_provider *p, struct creds *out, struct fd_error *err)
{
	struct imds_provider *ip = (struct imds_provider *)p;
	const char *disabled = getenv("AWS_EC2_METADATA_DISABLED");
	struct strbuf body, url, hdr;
	struct fd_error e;
	char *base, *token = NULL, *role = NULL;
	long status;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (disabled && strcasecmp(disabled, "true") == 0)
		return fd_error_set(err, "CredentialsNotFound", "instance metadata is disabled");
	base = imds_endpoint(ip->conf);
	strbuf_init(&body);
	strbuf_init(&url);
	strbuf_init(&hdr);
	fd_error_clear(&e);
	strbuf_addf(&url, "%s/latest/api/token", base);
	if (imds_request(ip, "PUT", url.data, "X-aws-ec2-metadata-token-ttl-seconds: 21600",
			 &body, &status, &e) < 0) {
		fd_error_set(err, "CredentialsNotFound", "no instance metadata service at %s (%s)", base,
			     e.message);
		goto out;
	}
	token = strbuf_detach(&body, NULL);
	strbuf_init(&body);
	strbuf_addf(&hdr, "X-aws-ec2-metadata-token: %s", token);
	strbuf_reset(&url);
	strbuf_addf(&url, "%s/latest/meta-data/iam/security-credentials/", base);
	if (imds_request(ip, "GET", url.data, hdr.data, &body, &status, &e) < 0) {
		fd_error_set(err, "CredentialsNotFound", "no IAM role in the instance metadata (%s)", e.message);
		goto out;
	}
	body.data[strcspn(body.data, "\r\n")] = '\0';
	if (!body.data[0] || strchr(body.data, '/')) {
		fd_error_set(err, "CredentialsNotFound", "no IAM role in the instance metadata");
		goto out;
	}
	role = xstrdup(body.data);
	strbuf_reset(&url);
	strbuf_addf(&url, "%s/latest/meta-data/iam/security-credentials/%s", base, role);
	if (imds_request(ip, "GET", url.data, hdr.data, &body, &status, &e) < 0) {
		fd_error_set(err, "ImdsError", "instance metadata credentials of role %s: %s", role, e.message);
		goto out;
	}
	if (strstr(body.data, "\"Code\"") && !strstr(body.data, "\"Success\"")) {
		fd_error_set(err, "ImdsError", "instance metadata credentials of role %s: Code is not Success", role);
		goto out;
	}
	rc = creds_from_json(body.data, body.len, "Token", "imds", out, err);
out:
	strbuf_wipe_clean_up(&body);
	strbuf_wipe_clean_up(&hdr);
	strbuf_clean_up(&url);
	fd_free_secret(token);
	free(role);
	free(base);
	return rc;
}

/* Free the provider (conf is borrowed). */
static void imds_destroy(struct creds_provider *p)
{
	free(p);
}

static const struct creds_provider_vtable imds_vt = {
	.name = "imds", .get = imds_get, .destroy = imds_destroy,
};

struct creds_provider *creds_imds_new(struct awsconf *conf, const struct creds_chain_options *o)
{
	struct imds_provider *ip = xcalloc(1, sizeof(*ip));

	ip->base.vt = &imds_vt;
	ip->conf = conf;
	const char *t = setting(conf, "AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout");
	const char *n = setting(conf, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts");
	double v;

	ip->timeout_ms = o && o->metadata_timeout_ms > 0 ? o->metadata_timeout_ms : 1000;
	if (t && (v = strtod(t, NULL)) > 0 && v <= 60)
		ip->timeout_ms = (long)(v * 1000);
	ip->attempts = n && atoi(n) >= 1 && atoi(n) <= 10 ? atoi(n) : 1;
	return &ip->base;
}
