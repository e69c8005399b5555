/* http.h — HTTP over libcurl's multi interface, and the SDKs' standard retry rules.
 *
 * One struct http holds one multi handle: many transfers in flight, driven by
 * the caller's poll() loop (http_poll_fds, http_timeout_ms, http_perform);
 * connections are kept alive and reused. TLS is verified; AWS_CA_BUNDLE comes
 * in as ca_bundle; proxies come from the environment as libcurl reads it.
 *
 * The retry rules are pure functions so tests can check every case:
 * http_retry_decide() (standard mode: 3 attempts, quota 500, cost 5 or 10
 * after a timeout, never a mutating call after a timeout), http_backoff_ms()
 * (full jitter, base 2, cap 20 s) and http_clock_skew() (Date header).
 */
#ifndef FD_HTTP_H
#define FD_HTTP_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "aws/codec.h"
#include "base/error.h"
#include "base/strbuf.h"

struct http_options {
	long connect_timeout_ms;   /* 0: 3000 */
	long timeout_ms;           /* 0: 30000 */
	const char *ca_bundle;     /* NULL: the system's */
	const char *user_agent;    /* NULL: "flightdeck/VERSION" */
	size_t max_held_bytes;     /* 0: HTTP_MAX_HELD_BYTES: response bytes all transfers in
	                              flight may buffer together ("ResponseTooLarge" beyond) */
};

#define HTTP_MAX_HELD_BYTES ((size_t)256 * 1024 * 1024)

struct http_request {
	const char *method;
	const char *url;
	const struct codec_header *headers;   /* sent as given */
	size_t n_headers;
	const char *body;
	size_t body_len;
};

/* What came back: status 0 when no response arrived (err says why). */
struct http_response {
	long status;
	struct codec_header *headers;
	size_t n_headers;
	struct strbuf body;            /* NUL-terminated */
	struct fd_error err;           /* code "ConnectionError" or "Timeout" when status is 0 */
	bool sent;                     /* the request may have reached the server */
};

struct http;

/* Called once per finished transfer; resp is borrowed for the call's duration. */
typedef void (*http_done_fn)(void *ctx, const struct http_response *resp);

struct http *http_new(const struct http_options *opts);
void http_destroy(struct http *h);

/* Start one transfer (request data is copied). Returns 0, or -1 with err. */
int http_start(struct http *h, const struct http_request *req, http_done_fn done, void *ctx,
	       struct fd_error *err);
int http_poll_fds(struct http *h, struct pollfd *fds, int max);
/* Milliseconds until http_perform() is due; -1 when nothing is in flight. */
long http_timeout_ms(struct http *h);
/* Drive transfers and run done callbacks; returns how many are still in flight. */
int http_perform(struct http *h);
/* Transfers in flight. */
int http_in_flight(const struct http *h);

/* ---- retry rules (pure) ---- */

#define HTTP_RETRY_QUOTA 500
#define HTTP_RETRY_COST 5
#define HTTP_RETRY_TIMEOUT_COST 10
#define HTTP_MAX_BACKOFF_MS 20000

struct http_retry {
	bool retry;
	int cost;              /* quota taken by this retry */
	const char *reason;    /* "throttling", "transient", "timeout", "clock skew", or why not */
};

/* botocore's throttling error codes. */
bool http_is_throttling(const char *code);
/* Transient: HTTP 500/502/503/504, connection errors, timeouts, botocore's transient codes. */
bool http_is_transient(const struct fd_error *err);
/* Whether to retry after attempt (1-based) failed with err, with quota tokens left.
 * skew_corrected: the clock was just corrected for this error (retried without cost). */
struct http_retry http_retry_decide(const struct fd_error *err, bool mutating, int attempt,
				    int max_attempts, int quota, bool skew_corrected);
/* Full-jitter backoff after attempt (1-based): random01 * 2^(attempt-1) s, at most 20 s. */
long http_backoff_ms(int attempt, double random01);
/* Quota after a successful attempt: the last retry's cost back, or +1; at most 500. */
int http_quota_release(int quota, int last_retry_cost);
/* Clock skew from a response: when code is a signature/expiry error and date (an
 * HTTP Date header) is more than 4 minutes from now, set *skew_s (server - local)
 * and return true. */
bool http_clock_skew(const char *code, const char *date, time_t now, long *skew_s);

#endif
