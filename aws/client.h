/* client.h — the signed AWS client: (service, operation, JSON input) -> JSON output.
 *
 * Every operation is a row of the operation table (aws/ops.h); the client signs
 * with SigV4, sends through libcurl's multi interface, retries as the SDKs'
 * standard mode does, and turns every response into a jansson object in
 * botocore's shape (lists are always arrays) and every error into an fd_error
 * (code, message, request id, HTTP status).
 *
 * The client never blocks its caller's loop: client_call_async() queues a call,
 * client_poll_fds()/client_timeout_ms() tell the caller what to poll(), and
 * client_perform() drives transfers and runs completion callbacks. client_call()
 * is the blocking convenience for command-line tools.
 */
#ifndef FD_CLIENT_H
#define FD_CLIENT_H

#include <poll.h>
#include <stdbool.h>
#include <time.h>

#include <jansson.h>

#include "aws/creds.h"
#include "base/error.h"

struct client;

struct client_options {
	const char *profile;        /* NULL: AWS_PROFILE, then "default" */
	const char *region;         /* NULL: AWS_REGION, AWS_DEFAULT_REGION, the profile's */
	const char *endpoint_url;   /* NULL: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, config */
	const char *debug_file;     /* NULL: no debug log; secrets are redacted in it */
	bool read_only;             /* refuse every mutating operation (code "ReadOnly") */
	long long max_call_bytes;   /* 0: CLIENT_MAX_CALL_BYTES: the response bytes all pages of
	                               one call may bring ("ResponseTooLarge" beyond) */
	struct creds_provider *creds; /* NULL: the default chain; borrowed otherwise */
	int max_attempts;           /* 0: AWS_MAX_ATTEMPTS, max_attempts, then 3 */
	long connect_timeout_ms;    /* 0: 3000 */
	long timeout_ms;            /* 0: 30000 */
};

#define CLIENT_MAX_CALL_BYTES (256LL * 1024 * 1024)

enum {
	CLIENT_ALL_PAGES = 1 << 0,  /* follow the paginator and merge result lists */
	CLIENT_RESPONSE_METADATA = 1 << 1, /* add botocore's ResponseMetadata {RequestId, HTTPStatusCode} */
};

/* Completion: result is owned by the callback (json_decref it) and NULL on
 * error; err is NULL on success. */
typedef void (*client_done_fn)(void *ctx, json_t *result, const struct fd_error *err);

struct client *client_new(const struct client_options *opts, struct fd_error *err);
void client_destroy(struct client *c);

/* Queue one call. service is the aws-cli name (cloudwatch, elbv2, ...);
 * operation the API name or its kebab-case; region NULL for the client's.
 * input is borrowed. Returns a call id > 0, or -1 with err (unknown
 * operation, read-only refusal, bad input) and the callback is not run. */
long client_call_async(struct client *c, const char *service, const char *operation,
		       const char *region, json_t *input, unsigned flags,
		       client_done_fn done, void *ctx, struct fd_error *err);

/* Blocking: run one call to completion; NULL with err on failure. */
json_t *client_call(struct client *c, const char *service, const char *operation,
		    const char *region, json_t *input, unsigned flags, struct fd_error *err);

/* Poll integration: fill up to max pollfds; returns how many. */
int client_poll_fds(struct client *c, struct pollfd *fds, int max);
/* How long the caller may sleep before client_perform() is due (-1: no work). */
long client_timeout_ms(struct client *c);
/* Drive transfers after poll() and run completion callbacks. Returns the number
 * of calls still in flight. */
int client_perform(struct client *c, const struct pollfd *fds, int nfds);

/* The region calls go to when none is given. Borrowed. */
const char *client_region(const struct client *c);
/* A value never to log (a secret runbook parameter): the --debug log redacts it. */
void client_debug_secret(struct client *c, const char *value);

/* ---- additions (tests, the debug log, the call command) ---- */

/* Clock and random source, injectable so retry and backoff tests are exact. */
struct client_hooks {
	time_t (*wall_s)(void *ctx);      /* signing time before skew correction */
	long long (*mono_ms)(void *ctx);  /* timers (backoff) */
	double (*random01)(void *ctx);    /* backoff jitter in [0, 1] */
	void *ctx;
};
/* Replace the clock and random source (NULL members keep the defaults). */
void client_set_hooks(struct client *c, const struct client_hooks *hooks);
/* The clock offset learnt from servers' Date headers (server - local), seconds. */
long client_clock_skew_s(const struct client *c);
/* Retry tokens left (standard mode: starts at 500). */
int client_retry_quota(const struct client *c);
/* The base URL a call to service in region goes to (caller frees); NULL with err. */
char *client_endpoint(struct client *c, const char *service, const char *region,
		      struct fd_error *err);

#endif
