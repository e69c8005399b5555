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

#include "base/error.h"

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

/* A clock (seconds since the epoch), injectable for tests; NULL means time(). */
typedef time_t (*creds_clock_fn)(void *ctx);

/* ---- MFA and other prompts ----
 * A prompt function asks the person for one line (an MFA code) and writes it,
 * NUL-terminated and without the newline, into buf: 0, or -1 with err (e.g.
 * cancelled). The TUI installs its own with creds_set_prompt(); the default
 * (creds_prompt_terminal) turns echo off on a terminal, otherwise reads one
 * line from stdin. The answer is a secret: callers wipe buf. */
typedef int (*creds_prompt_fn)(void *ctx, const char *prompt, char *buf, size_t size,
			       struct fd_error *err);
/* Install fn (NULL: the default) for the whole process. */
void creds_set_prompt(creds_prompt_fn fn, void *ctx);
/* Ask through the installed prompt function. Fails with code "PromptUnavailable"
 * inside a background refresh (see creds_cache_new). */
int creds_prompt(const char *prompt, char *buf, size_t size, struct fd_error *err);
/* The default prompt: stderr + terminal without echo, or one line of stdin. */
int creds_prompt_terminal(void *ctx, const char *prompt, char *buf, size_t size,
			  struct fd_error *err);

/* ---- the caching provider ----
 * creds_cache_new(inner, clock, ctx) wraps inner (owned) and keeps its last
 * credentials. What it does on creds_provider_get(), by the time left before
 * they expire (botocore's windows):
 *   more than 15 min (or no expiration): the cached credentials, no I/O;
 *   15 to 10 min (advisory): the cached credentials at once, and a refresh is
 *     started on a background thread if none runs; its result is taken by a
 *     later get. A failed background refresh is forgotten (tried again on the
 *     next get after 30 s);
 *   under 10 min (mandatory) or none yet: waits for a running refresh, or
 *     refreshes in the caller, and fails when that fails. A poll loop uses
 *     creds_provider_get_async() instead: the mandatory refresh then runs on
 *     the worker thread too and the loop is woken when it ends.
 * So a poll loop never blocks on a refresh. An advisory (background) refresh
 * cannot prompt (an MFA code): creds_prompt fails there and the prompt happens
 * at the mandatory refresh, on the worker thread of creds_provider_get_async
 * (the dashboard's prompt function hands the question to its loop) or in the
 * caller's thread of creds_provider_get. */
struct creds_provider *creds_cache_new(struct creds_provider *inner, creds_clock_fn clock,
				       void *clock_ctx);
enum creds_refresh {
	CREDS_REFRESH_NONE = 0,     /* fresh, or not a caching provider */
	CREDS_REFRESH_ADVISORY = 1, /* within 15 min of expiry */
	CREDS_REFRESH_MANDATORY = 2 /* within 10 min, expired, or nothing cached */
};
/* Where a caching provider's credentials stand (no I/O). */
enum creds_refresh creds_provider_needs_refresh(struct creds_provider *p);
/* For a poll loop: like creds_provider_get, but a caching provider that must
 * refresh (mandatory window, or nothing cached) starts the refresh on its worker
 * thread (which may prompt: see creds_set_prompt) and returns 1 at once; when it
 * finishes, creds_provider_wake_fd() becomes readable and the next call answers
 * (0 with the credentials, or -1 with why the refresh failed — the same failure
 * for every call in the second that follows, then a new try). Other providers
 * answer as creds_provider_get does (static and environment keys never wait). */
int creds_provider_get_async(struct creds_provider *p, struct creds *out, struct fd_error *err);
/* The fd to poll for a finished refresh (-1: not a caching provider); drain it
 * with creds_provider_wake_drain() before asking again. */
int creds_provider_wake_fd(struct creds_provider *p);
void creds_provider_wake_drain(struct creds_provider *p);
/* AWS refused credentials as expired (ExpiredToken) before their local expiry:
 * drop a caching provider's credentials if they are still those with
 * access_key, so the next get fetches new ones (mandatory refresh). 1 when
 * dropped; 0 when p caches nothing or holds other credentials already. */
int creds_provider_invalidate(struct creds_provider *p, const char *access_key);
/* Wait for a background refresh of a caching provider to finish (tests, exit). */
void creds_provider_refresh_wait(struct creds_provider *p);

/* Parse an ISO 8601 / RFC 3339 time ("2026-01-02T03:04:05Z", fractions and
 * offsets allowed) into *out; 0 or -1. */
int creds_parse_time(const char *s, time_t *out);
/* Format t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). */
void creds_format_time(time_t t, char *buf, size_t size);

#endif
