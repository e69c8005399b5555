/* auth.c — accepted credentials and SigV4 verification of requests (see auth.h). */
#include "sim/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/sigv4.h"
#include "base/xalloc.h"

void sim_auth_init(struct sim_auth *a, const char *account, const char *access_key,
		   const char *secret_key)
{
	struct sim_cred *c;

	memset(a, 0, sizeof(*a));
	a->creds = xcalloc(1, sizeof(*a->creds));
	c = &a->creds[a->n_creds++];
	snprintf(c->access_key, sizeof(c->access_key), "%s", access_key);
	c->secret_key = xstrdup(secret_key);
	snprintf(c->arn, sizeof(c->arn), "arn:aws:iam::%s:user/flightdeck-sim", account);
	snprintf(c->user_id, sizeof(c->user_id), "AIDAFLIGHTDECKSIM0001");
}

void sim_auth_clean_up(struct sim_auth *a)
{
	size_t i;

	for (i = 0; i < a->n_creds; i++) {
		fd_free_secret(a->creds[i].secret_key);
		fd_free_secret(a->creds[i].session_token);
	}
	free(a->creds);
	memset(a, 0, sizeof(*a));
}

/* n random characters from an alphabet, from the world's stream. */
static void random_chars(struct sim_world *w, const char *alphabet, char *out, size_t n)
{
	size_t k = strlen(alphabet), i;

	for (i = 0; i < n; i++)
		out[i] = alphabet[(size_t)(sim_world_rand(w) * (double)k) % k];
	out[n] = '\0';
}

const struct sim_cred *sim_auth_issue(struct sim_auth *a, struct sim_world *w, const char *arn,
				      const char *user_id, double duration_s)
{
	static const char upper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct sim_cred *c;
	char buf[400];
	size_t i = 1;

	/* forget temporary keys that expired more than an hour ago (entry 0 stays) */
	while (i < a->n_creds) {
		if (a->creds[i].expires_s > 0 && a->creds[i].expires_s < w->now_s - 3600) {
			fd_free_secret(a->creds[i].secret_key);
			fd_free_secret(a->creds[i].session_token);
			a->creds[i] = a->creds[--a->n_creds];
		} else {
			i++;
		}
	}
	if (a->n_creds >= SIM_AUTH_MAX) {   /* the oldest temporary key goes */
		fd_free_secret(a->creds[1].secret_key);
		fd_free_secret(a->creds[1].session_token);
		memmove(&a->creds[1], &a->creds[2], (a->n_creds - 2) * sizeof(*a->creds));
		a->n_creds--;
	}
	a->creds = xrealloc(a->creds, (a->n_creds + 1) * sizeof(*a->creds));
	c = &a->creds[a->n_creds++];
	memset(c, 0, sizeof(*c));
	memcpy(c->access_key, "ASIA", 4);
	random_chars(w, upper, c->access_key + 4, 16);
	random_chars(w, b64, buf, 40);
	c->secret_key = xstrdup(buf);
	memcpy(buf, "FwoGZXIvYXdzEFLIGHTDECK", 23);
	random_chars(w, b64, buf + 23, 300);
	c->session_token = xstrdup(buf);
	fd_wipe(buf, sizeof(buf));
	c->issued_s = w->now_s;
	c->expires_s = w->now_s + duration_s;
	snprintf(c->arn, sizeof(c->arn), "%s", arn);
	snprintf(c->user_id, sizeof(c->user_id), "%s", user_id);
	return c;
}

const struct sim_cred *sim_auth_find(const struct sim_auth *a, const char *access_key)
{
	size_t i;

	for (i = 0; i < a->n_creds; i++)
		if (strcmp(a->creds[i].access_key, access_key) == 0)
			return &a->creds[i];
	return NULL;
}

/* Is the scope's service spoken in a JSON protocol? */
static bool json_service(const char *service)
{
	const struct sim_service *s = sim_service_find(service);

	return s && (s->protocol == SIM_PROTO_REST_JSON || s->protocol == SIM_PROTO_JSON10);
}

/* Fill an error outcome; JSON protocols spell codes differently. */
static void refuse(struct sim_auth_result *out, int status, const char *query_code,
		   const char *json_code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void refuse(struct sim_auth_result *out, int status, const char *query_code,
		   const char *json_code, const char *fmt, ...)
{
	va_list ap;

	out->status = status;
	snprintf(out->code, sizeof(out->code), "%s", json_service(out->service) ? json_code : query_code);
	va_start(ap, fmt);
	vsnprintf(out->message, sizeof(out->message), fmt, ap);
	va_end(ap);
}

/* Parse "YYYYMMDDTHHMMSSZ" into seconds since the epoch; -1 when malformed. */
static double parse_amz_date(const char *s)
{
	struct tm tm;
	int n = 0;

	memset(&tm, 0, sizeof(tm));
	while (*s == ' ')
		s++;
	if (sscanf(s, "%4d%2d%2dT%2d%2d%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &tm.tm_sec, &n) != 6 || n != 16)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (double)timegm(&tm);
}

void sim_auth_verify(const struct sim_auth *a, const struct sim_req *req, double now_s,
		     double expired_before_s, struct sim_auth_result *out)
{
	const char *authz_h = sim_header(req, "Authorization");
	const char *date_h = sim_header(req, "X-Amz-Date");
	const char *token = sim_header(req, "X-Amz-Security-Token");
	struct sigv4_authz az;
	struct sigv4_request sreq;
	struct fd_error err;
	const struct sim_cred *c;
	double t;
	size_t i;

	memset(out, 0, sizeof(*out));
	fd_error_clear(&err);
	if (!authz_h) {
		refuse(out, 403, "MissingAuthenticationToken", "MissingAuthenticationTokenException",
		       "Request is missing Authentication Token");
		return;
	}
	if (sigv4_authz_parse(authz_h, &az, &err) < 0) {
		refuse(out, 400, "IncompleteSignature", "IncompleteSignatureException", "%s", err.message);
		return;
	}
	snprintf(out->service, sizeof(out->service), "%s", az.service);
	snprintf(out->region, sizeof(out->region), "%s", az.region);
	if (!date_h) {
		refuse(out, 400, "IncompleteSignature", "IncompleteSignatureException",
		       "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
		return;
	}
	t = parse_amz_date(date_h);
	if (t < 0) {
		refuse(out, 400, "IncompleteSignature", "IncompleteSignatureException",
		       "Date must be in ISO-8601 'basic format'. Got '%.32s'.", date_h);
		return;
	}
	if (t < now_s - 300 || t > now_s + 300) {
		char got[32], lim[32];
		time_t tt = (time_t)t, lt = (time_t)(t < now_s ? now_s - 300 : now_s + 300);
		struct tm tm;
		strftime(got, sizeof(got), "%Y%m%dT%H%M%SZ", gmtime_r(&tt, &tm));
		strftime(lim, sizeof(lim), "%Y%m%dT%H%M%SZ", gmtime_r(&lt, &tm));
		if (t < now_s)
			refuse(out, 403, "SignatureDoesNotMatch", "InvalidSignatureException",
			       "Signature expired: %s is now earlier than %s (%s - 5 min.)", got, lim, got);
		else
			refuse(out, 403, "SignatureDoesNotMatch", "InvalidSignatureException",
			       "Signature not yet current: %s is still later than %s (%s + 5 min.)", got, lim, got);
		return;
	}
	c = sim_auth_find(a, az.access_key);
	if (!c) {
		refuse(out, 403, "InvalidClientTokenId", "UnrecognizedClientException",
		       "The security token included in the request is invalid.");
		return;
	}
	if (c->session_token && (!token || strcmp(token, c->session_token) != 0)) {
		refuse(out, 403, "InvalidClientTokenId", "UnrecognizedClientException",
		       "The security token included in the request is invalid.");
		return;
	}
	if (c->session_token && (now_s >= c->expires_s ||
				 (expired_before_s > 0 && c->issued_s < expired_before_s))) {
		refuse(out, json_service(out->service) ? 403 : 400, "ExpiredToken", "ExpiredTokenException",
		       "The security token included in the request is expired");
		return;
	}
	memset(&sreq, 0, sizeof(sreq));
	sreq.method = (char *)req->method;
	sreq.target = (char *)req->target;
	sreq.headers = xcalloc(req->n_headers + 1, sizeof(*sreq.headers));
	for (i = 0; i < req->n_headers; i++) {
		sreq.headers[i].name = req->headers[i].name;
		sreq.headers[i].value = req->headers[i].value;
	}
	sreq.n_headers = req->n_headers;
	sreq.body = (unsigned char *)req->body;
	sreq.body_len = req->body_len;
	if (sigv4_verify(&sreq, &az, c->secret_key, &err) < 0) {
		if (strcmp(err.code, "SignatureDoesNotMatch") == 0)
			refuse(out, 403, "SignatureDoesNotMatch", "InvalidSignatureException",
			       "The request signature we calculated does not match the signature you "
			       "provided. Check your AWS Secret Access Key and signing method. Consult "
			       "the service documentation for details.");
		else
			refuse(out, 400, "IncompleteSignature", "IncompleteSignatureException", "%s", err.message);
	} else {
		out->cred = c;
	}
	free(sreq.headers);
}
