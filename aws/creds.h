/* creds.h — AWS credentials and the providers that find them.
 *
 * A provider is a small object with a two-function vtable; the default chain
 * (creds_chain_new) is an ordered array of providers wrapped by a caching
 * provider that refreshes before expiry (advisory 15 min, mandatory 10 min).
 * Credentials are secrets: creds_clean_up() wipes them; they are never printed.
 */
#ifndef FD_CREDS_H
#define FD_CREDS_H

#include <stddef.h>
#include <time.h>

#include "aws/error.h"

struct creds {
	char *access_key;
	char *secret_key;
	char *session_token;    /* NULL when none */
	time_t expiration;      /* 0 when they do not expire */
	const char *source;     /* static: "env", "shared-credentials", "config-file",
	                           "assume-role", "web-identity", "sso", "process",
	                           "container", "imds", "static" */
};

/* Wipe and free the strings of c (caller storage stays). */
void creds_clean_up(struct creds *c);
/* Deep copy src into dst (dst is overwritten, not cleaned). */
void creds_copy(struct creds *dst, const struct creds *src);

struct creds_provider;
struct creds_provider_vtable {
	const char *name;
	/* Fill out with current credentials; 0 or -1 with err. A provider that
	 * does not apply (no env vars, no such profile key) fails with code
	 * "CredentialsNotFound" so the chain moves on. */
	int (*get)(struct creds_provider *p, struct creds *out, struct fd_error *err);
	void (*destroy)(struct creds_provider *p);
};
struct creds_provider {
	const struct creds_provider_vtable *vt;
};

int creds_provider_get(struct creds_provider *p, struct creds *out, struct fd_error *err);
void creds_provider_destroy(struct creds_provider *p);

/* Fixed keys (tests, `flightdeck sigv4 --access-key`, the simulator's demo keys). */
struct creds_provider *creds_static_new(const char *access_key, const char *secret_key,
					const char *session_token);

/* The environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
 * (or AWS_SECURITY_TOKEN), AWS_CREDENTIAL_EXPIRATION. Empty counts as unset;
 * one of the pair without the other is an error ("PartialCredentials"). */
struct creds_provider *creds_env_new(void);

/* Parse an ISO 8601 / RFC 3339 time ("2026-01-02T03:04:05Z", fractions and
 * offsets allowed) into *out; 0 or -1. */
int creds_parse_time(const char *s, time_t *out);
/* Format t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). */
void creds_format_time(time_t t, char *buf, size_t size);

#endif
