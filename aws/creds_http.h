/* creds_http.h — HTTP for the credential providers: plain requests (IMDS, ECS,
 * the SSO portal) and STS query calls signed with SigV4 (or unsigned for
 * AssumeRoleWithWebIdentity). Blocking, with short timeouts. */
#ifndef FD_CREDS_HTTP_H
#define FD_CREDS_HTTP_H

#include <stddef.h>

#include "aws/awsconf.h"
#include "aws/creds.h"
#include "base/error.h"
#include "base/strbuf.h"

struct creds_http_request {
	const char *method;            /* "GET", "PUT", "POST" */
	const char *url;
	const char *const *headers;    /* "Name: value", NULL-terminated; may be NULL */
	const char *body;
	size_t body_len;
	long timeout_ms;               /* whole transfer; 0: 10000 */
	long connect_timeout_ms;       /* 0: timeout_ms, or 3000 */
	const char *ca_bundle;         /* NULL: the system's */
};

/* Run one request; *status gets the HTTP status; body receives the response
 * (the caller wipes it when it holds secrets). 0, or -1 when no response came
 * (code "Timeout" or "HttpError"). */
int creds_http_do(const struct creds_http_request *rq, long *status, struct strbuf *body,
		  struct fd_error *err);

/* Where STS calls go. */
struct creds_sts_target {
	char *endpoint;                /* "https://sts.REGION.amazonaws.com" or configured */
	char *region;                  /* signing region */
	const char *ca_bundle;         /* borrowed */
};
/* region NULL: conf's region, else us-east-1 (global endpoint); endpoint NULL:
 * AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL / config, else the regional endpoint. */
int creds_sts_target_init(struct creds_sts_target *t, struct awsconf *conf, const char *region,
			  const char *endpoint);
void creds_sts_target_clean_up(struct creds_sts_target *t);
/* The STS endpoint for a region, honouring configured endpoint URLs. Caller frees. */
char *creds_sts_endpoint(struct awsconf *conf, const char *region);

/* Append name=value (URL-encoded) to a form body. */
void creds_form_add(struct strbuf *form, const char *name, const char *value);

/* POST form (with Action and Version) to STS, signed with signer (NULL: unsigned);
 * on HTTP 200 values[i] gets the text of the first element called want[i]
 * (NULL when absent; caller frees with fd_free_secret). An error response
 * fills err with STS's code, message and request id. */
int creds_sts_query(const struct creds_sts_target *t, const struct creds *signer,
		    const char *form, size_t nfields, const char *const *want, char **values,
		    struct fd_error *err);

/* Credentials from a JSON object with AccessKeyId, SecretAccessKey, token_key
 * ("Token" or "SessionToken") and an optional Expiration (IMDS, ECS, credential_process).
 * source is static ("imds", ...). The parsed copy is wiped. */
int creds_from_json(const char *text, size_t len, const char *token_key, const char *source,
		    struct creds *out, struct fd_error *err);

#endif
