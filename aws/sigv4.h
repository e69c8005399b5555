/* sigv4.h — AWS Signature Version 4, in stages a test can call one by one.
 *
 * canonical request -> string to sign -> signing key -> signature -> Authorization.
 * Non-S3 rules throughout: the path is normalised (unless params.normalize_path is
 * false) and URI-encoded twice. All strings returned are owned by the caller.
 * The secret key is only read, never copied outside the signing key derivation,
 * whose buffers are wiped.
 */
#ifndef FD_SIGV4_H
#define FD_SIGV4_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

/* The algorithm name in the string to sign and the Authorization header. */
#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"

struct sigv4_header {
	char *name;   /* as sent; canonicalisation lower-cases it */
	char *value;  /* raw; obs-fold continuation lines joined with "\n " allowed */
};

/* A request to sign. target is the request-target as on the request line:
 * the path (raw, as sent on the wire) and an optional "?query". */
struct sigv4_request {
	char *method;
	char *target;
	struct sigv4_header *headers;
	size_t n_headers;
	unsigned char *body;
	size_t body_len;
};

struct sigv4_params {
	const char *access_key;
	const char *secret_key;
	const char *session_token;   /* NULL or "" when none */
	const char *region;
	const char *service;
	const char *amz_date;        /* "YYYYMMDDTHHMMSSZ" */
	bool normalize_path;         /* true for every service flightdeck speaks */
	bool omit_session_token;     /* sign without the token, add it afterwards */
	bool sign_body;              /* add and sign x-amz-content-sha256 */
};

/* Parse a raw request in the AWS test-suite format (request line, headers with
 * continuation lines starting with a space, empty line, body). On error the
 * message names the line: "line 3: header without ':'". */
int sigv4_request_parse(const char *raw, size_t len, struct sigv4_request *out,
			struct fd_error *err);
void sigv4_request_clean_up(struct sigv4_request *req);
/* Append a header (copies name and value). */
void sigv4_request_add_header(struct sigv4_request *req, const char *name, const char *value);
/* The value of the first header of this name (any case), or NULL. Borrowed. */
const char *sigv4_request_header(const struct sigv4_request *req, const char *name);
/* Replace the value of the first header of this name (any case), or append it. */
void sigv4_request_set_header(struct sigv4_request *req, const char *name, const char *value);
/* Remove every header of this name (any case). */
void sigv4_request_remove_header(struct sigv4_request *req, const char *name);

/* Stage 1: the canonical request; *signed_headers gets "host;x-amz-date;...".
 * The request must already carry the headers to sign (X-Amz-Date, Host, and
 * X-Amz-Security-Token unless omitted): see sigv4_prepare(). */
int sigv4_canonical_request(const struct sigv4_request *req, const struct sigv4_params *p,
			    char **creq, char **signed_headers, struct fd_error *err);
/* Stage 2: the string to sign for a canonical request. */
char *sigv4_string_to_sign(const char *creq, const struct sigv4_params *p);
/* Stage 3: the signing key HMAC chain for the date part of p->amz_date. */
void sigv4_signing_key(const struct sigv4_params *p, unsigned char key[32]);
/* Stage 4: hex signature of a string to sign. */
void sigv4_signature(const unsigned char key[32], const char *sts, char hex[65]);
/* Stage 5: the Authorization header value. */
char *sigv4_authorization(const struct sigv4_params *p, const char *signed_headers,
			  const char *signature_hex);

/* Add X-Amz-Date (when missing; an existing one gets p->amz_date so the
 * signature stays consistent), X-Amz-Security-Token (when there is a token and
 * it is not omitted; an existing one gets the token) and x-amz-content-sha256
 * (sign_body, when missing) to req. Headers never signed (as botocore):
 * Authorization, Expect, User-Agent, X-Amzn-Trace-Id. When the request carries
 * x-amz-content-sha256, its value is the payload hash (as botocore does). */
void sigv4_prepare(struct sigv4_request *req, const struct sigv4_params *p);

/* Everything at once: drop an old Authorization header (re-signing a retry is
 * fine), prepare, sign, and add the Authorization header (and the token
 * afterwards when omit_session_token). Returns 0 or -1. */
int sigv4_sign(struct sigv4_request *req, const struct sigv4_params *p, struct fd_error *err);

/* The request in the test-suite format (as the .sreq files): request line
 * "METHOD TARGET HTTP/1.1", "Name:value" lines (values raw, obs-folds kept;
 * Authorization written "Authorization: value"), and when there is a body an
 * empty line and the body. No trailing newline. *len gets the length. */
char *sigv4_request_format(const struct sigv4_request *req, size_t *len);

/* Wipe the calling thread's cached signing key (sigv4_sign reuses the last
 * one while secret, date, region and service are unchanged) and free its
 * OpenSSL contexts. Call when credentials are dropped. */
void sigv4_forget_keys(void);

/* Hex SHA-256 of data (65 bytes with NUL). */
void sigv4_sha256_hex(const void *data, size_t len, char hex[65]);

/* Parsed Authorization header of an incoming request (for the simulator). */
struct sigv4_authz {
	char access_key[128];
	char date[9];         /* YYYYMMDD */
	char region[64];
	char service[64];
	char signed_headers[1024];
	char signature[65];
};
/* Parse "AWS4-HMAC-SHA256 Credential=AK/DATE/REGION/SERVICE/aws4_request,
 * SignedHeaders=a;b, Signature=hex"; errors have code "IncompleteSignature". */
int sigv4_authz_parse(const char *value, struct sigv4_authz *out, struct fd_error *err);

/* Stage 1 for verification: the canonical request signing exactly the headers
 * of the ';'-separated list (as an incoming Authorization names them). Fails
 * with "SignatureDoesNotMatch" when a listed header is missing. */
int sigv4_canonical_request_signed(const struct sigv4_request *req,
				   const struct sigv4_params *p, const char *signed_headers,
				   char **creq, struct fd_error *err);

/* Verify an incoming request (target as on the wire, not decoded) against its
 * parsed Authorization and the secret key of authz->access_key: X-Amz-Date must
 * be present and match the scope date; the path is normalised (non-S3). Returns
 * 0, or -1 with code "SignatureDoesNotMatch" / "IncompleteSignature". It does
 * not check the clock skew nor the access key: the caller does. */
int sigv4_verify(const struct sigv4_request *req, const struct sigv4_authz *authz,
		 const char *secret_key, struct fd_error *err);

#endif
