/* client.c — the signed AWS client: ops table + codec + SigV4 + HTTP + retry (see client.h). */
#include "aws/client.h"
#include "aws/awsconf.h"
#include "aws/codec.h"
#include "aws/creds_providers.h"
#include "aws/debuglog.h"
#include "aws/http.h"
#include "aws/ops.h"
#include "aws/region.h"
#include "aws/sigv4.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_PAGES 1000

enum call_state {
	CALL_SENDING,   /* a transfer is in flight */
	CALL_WAITING,   /* backing off until wake_ms */
	CALL_DONE,      /* result or err set; callback due */
	CALL_CREDS,     /* waiting for the credential provider's refresh (creds_provider_wake_fd) */
};

struct call {
	struct client *c;
	long id;
	const struct ops_operation *op;
	char *region;         /* endpoint region */
	char *sign_region;    /* credential scope region */
	char *endpoint;       /* scheme://host[:port][/path], no trailing slash; or a
	                         comma-separated list tried in turn (ARC cluster endpoints) */
	int n_endpoints;
	int max_attempts;     /* the client's, or more to try every endpoint of a list */
	json_t *input;        /* owned copy; page tokens are set here */
	unsigned flags;
	client_done_fn done;
	void *ctx;
	int attempt;          /* attempts made for the current page */
	int last_retry_cost;
	int pages;
	long long bytes;      /* response bytes received for all pages so far */
	long long wake_ms;
	enum call_state state;
	json_t *merged;       /* all pages: the result so far */
	json_t *result;
	struct fd_error err;
	char invocation_id[40];
	char *signed_key;     /* the access key id of the last signed attempt (wiped) */
	bool creds_renewed;   /* new credentials were fetched once after AWS called ours expired */
	struct call *next;
};

struct client {
	struct awsconf *conf;
	struct creds_provider *creds;
	bool own_creds;
	char *region;
	char *endpoint_url;
	bool read_only;
	long long max_call_bytes;
	int max_attempts;
	struct debuglog *debug;   /* --debug: JSON lines (aws/debuglog.h), or NULL */
	struct http *http;
	int quota;
	long skew_s;
	struct client_hooks hooks;
	unsigned long long rng;       /* default_random's state */
	struct call *calls;
	long next_id;
};

/* Default wall clock. */
static time_t default_wall(void *ctx)
{
	(void)ctx;
	return time(NULL);
}

/* Default monotonic clock in milliseconds. */
static long long default_mono(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Default jitter source: xorshift64* on the client's own state (ctx), so the
 * process-wide random() sequence other modules may seed is left alone. */
static double default_random(void *ctx)
{
	unsigned long long *s = ctx;

	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (double)((*s * 0x2545F4914F6CDD1DULL) >> 11) / 9007199254740992.0;
}

struct client *client_new(const struct client_options *opts, struct fd_error *err)
{
	struct client_options none = { 0 };
	struct client *c;
	struct fd_error e;

	if (!opts)
		opts = &none;
	c = xcalloc(1, sizeof(*c));
	c->conf = awsconf_load(opts->profile, err);
	if (!c->conf) {
		free(c);
		return NULL;
	}
	fd_error_clear(&e);
	c->region = awsconf_region(c->conf, opts->region, &e);   /* NULL: only global services */
	if (!c->region && strcmp(e.code, "InvalidRegion") == 0) {   /* never a host built from it */
		if (err)
			*err = e;
		awsconf_destroy(c->conf);
		free(c);
		return NULL;
	}
	c->endpoint_url = opts->endpoint_url ? xstrdup(opts->endpoint_url) : NULL;
	c->read_only = opts->read_only;
	c->max_call_bytes = opts->max_call_bytes > 0 ? opts->max_call_bytes : CLIENT_MAX_CALL_BYTES;
	c->max_attempts = opts->max_attempts;
	if (c->max_attempts <= 0)
		c->max_attempts = awsconf_max_attempts(c->conf);
	if (c->max_attempts <= 0)
		c->max_attempts = 3;
	if (opts->creds) {
		c->creds = opts->creds;
	} else {
		/* The chain's own STS/SSO calls go where this client's calls go
		 * (--region, --endpoint-url); the strings outlive the chain. */
		struct creds_chain_options co = { .region = c->region,
						  .sts_endpoint = c->endpoint_url };
		c->creds = creds_chain_new_opts(c->conf, &co, err);
		c->own_creds = true;
		if (!c->creds) {
			client_destroy(c);
			return NULL;
		}
	}
	if (opts->debug_file && !(c->debug = debuglog_open(opts->debug_file, err))) {
		client_destroy(c);
		return NULL;
	}
	c->http = http_new(&(struct http_options){
		.connect_timeout_ms = opts->connect_timeout_ms,
		.timeout_ms = opts->timeout_ms,
		.ca_bundle = awsconf_ca_bundle(c->conf),
		.max_held_bytes = (size_t)c->max_call_bytes,
	});
	c->quota = HTTP_RETRY_QUOTA;
	c->rng = ((unsigned long long)time(NULL) << 20) ^ (unsigned long long)getpid() ^
		 (unsigned long long)(uintptr_t)c;
	if (!c->rng)
		c->rng = 1;
	c->hooks = (struct client_hooks){ default_wall, default_mono, NULL, NULL };
	return c;
}

/* Free a call's memory (it is already off the list). */
static void call_free(struct call *k)
{
	fd_free_secret(k->signed_key);
	free(k->region);
	free(k->sign_region);
	free(k->endpoint);
	json_decref(k->input);
	json_decref(k->merged);
	json_decref(k->result);
	free(k);
}

void client_destroy(struct client *c)
{
	struct call *k, *next;

	if (!c)
		return;
	http_destroy(c->http);   /* no callbacks run */
	for (k = c->calls; k; k = next) {
		next = k->next;
		call_free(k);
	}
	if (c->own_creds)
		creds_provider_destroy(c->creds);
	debuglog_close(c->debug);
	awsconf_destroy(c->conf);
	free(c->region);
	free(c->endpoint_url);
	free(c);
}

void client_set_hooks(struct client *c, const struct client_hooks *hooks)
{
	if (hooks->wall_s)
		c->hooks.wall_s = hooks->wall_s;
	if (hooks->mono_ms)
		c->hooks.mono_ms = hooks->mono_ms;
	c->hooks.random01 = hooks->random01;   /* NULL: the client's own generator */
	c->hooks.ctx = hooks->ctx;
}

/* A jitter sample in [0, 1]: the injected source, or the client's own. */
static double jitter(struct client *c)
{
	return c->hooks.random01 ? c->hooks.random01(c->hooks.ctx) : default_random(&c->rng);
}

long client_clock_skew_s(const struct client *c)
{
	return c->skew_s;
}

int client_retry_quota(const struct client *c)
{
	return c->quota;
}

void client_debug_secret(struct client *c, const char *value)
{
	debuglog_add_secret(c->debug, value);
}

const char *client_region(const struct client *c)
{
	return c->region;
}

/* The endpoint of service in region (see client_endpoint); *global set when it is
 * STS's global endpoint, which signs for us-east-1. */
static char *endpoint_for(struct client *c, const char *service, const char *region, bool *global,
			  struct fd_error *err)
{
	const struct ops_service *s = ops_service_find(service);
	char *url;

	*global = false;
	if (!s) {
		fd_error_set(err, "UnknownService", "unknown service '%s'", service);
		return NULL;
	}
	url = awsconf_endpoint_url(c->conf, s->service_id, c->endpoint_url);
	if (url) {
		size_t n = strlen(url);
		while (n > 0 && url[n - 1] == '/')
			url[--n] = '\0';
		return url;
	}
	if (s->global_host) {
		struct strbuf sb;
		strbuf_init(&sb);
		strbuf_addf(&sb, "https://%s", s->global_host);
		return strbuf_detach(&sb, NULL);
	}
	if (strcmp(s->cli_name, "sts") == 0)   /* the one STS rule, shared with the credential chain */
		return region_sts_endpoint(region, awsconf_sts_legacy(c->conf), global, err);
	if (!region) {
		fd_error_set(err, "NoRegion", "no region for %s: use --region, AWS_REGION or a profile's region",
			     s->cli_name);
		return NULL;
	}
	return region_endpoint(s->endpoint_prefix, region, "the call's region", err);
}

char *client_endpoint(struct client *c, const char *service, const char *region,
		      struct fd_error *err)
{
	bool global;

	return endpoint_for(c, service, region, &global, err);
}

/* ---- one attempt ---- */

static void on_response(void *ctx, const struct http_response *resp);

/* Split an endpoint URL into host[:port] and base path. */
static int split_endpoint(const char *url, char *host, size_t host_size, const char **path,
			  struct fd_error *err)
{
	const char *p = strstr(url, "://"), *slash;

	if (region_url_check(url, err) < 0)   /* never a host someone smuggled in */
		return -1;
	p += 3;
	slash = strchr(p, '/');
	snprintf(host, host_size, "%.*s", (int)(slash ? (size_t)(slash - p) : strlen(p)), p);
	if (!host[0])
		return fd_error_set(err, "InvalidEndpoint", "endpoint '%s' has no host", url);
	*path = slash ? slash : "";
	return 0;
}

/* The i-th (mod n) entry of a comma-separated endpoint list, trailing '/' removed. */
static void pick_endpoint(const char *list, int i, int n, char *out, size_t size)
{
	const char *p = list;
	size_t len;

	for (i %= n; i > 0 && strchr(p, ','); i--)
		p = strchr(p, ',') + 1;
	while (*p == ' ')
		p++;
	len = strcspn(p, ",");
	while (len > 0 && (p[len - 1] == '/' || p[len - 1] == ' '))
		len--;
	snprintf(out, size, "%.*s", (int)len, p);
}

/* Encode, sign and start the next attempt of k. Returns 0 or -1 with k->err. */
static int send_attempt(struct call *k)
{
	struct client *c = k->c;
	const struct ops_operation *op = k->op;
	struct codec_request creq;
	struct sigv4_request sreq = { 0 };
	struct strbuf url, header;
	const char *base_path = "";
	char host[256], endpoint[1024];
	struct creds cr = { 0 };
	int r = -1;
	size_t i;

	fd_error_clear(&k->err);
	if (!op->unsigned_call) {
		/* never wait here: a refresh runs on the provider's thread and wakes the loop */
		r = creds_provider_get_async(c->creds, &cr, &k->err);
		if (r == 1) {
			k->state = CALL_CREDS;
			return 0;
		}
		if (r < 0) {
			creds_clean_up(&cr);
			k->state = CALL_DONE;
			return -1;
		}
		r = -1;
	}
	codec_request_init(&creq);
	strbuf_init(&url);
	strbuf_init(&header);
	if (codec_encode(op, k->input, &creq, &k->err) < 0)
		goto out;
	pick_endpoint(k->endpoint, k->attempt, k->n_endpoints, endpoint, sizeof(endpoint));
	if (split_endpoint(endpoint, host, sizeof(host), &base_path, &k->err) < 0)
		goto out;
	k->attempt++;
	strbuf_addf(&url, "%s%s", base_path, creq.target.data);
	sreq.method = xstrdup(creq.method);
	sreq.target = xstrdup(url.data);
	sreq.body = (unsigned char *)xmalloc(creq.body.len + 1);
	memcpy(sreq.body, creq.body.data, creq.body.len + 1);
	sreq.body_len = creq.body.len;
	sigv4_request_add_header(&sreq, "Host", host);
	if (creq.content_type)
		sigv4_request_add_header(&sreq, "Content-Type", creq.content_type);
	for (i = 0; i < creq.n_headers; i++)
		sigv4_request_add_header(&sreq, creq.headers[i].name, creq.headers[i].value);
	if (!op->unsigned_call) {
		struct tm tm;
		time_t now = c->hooks.wall_s(c->hooks.ctx) + c->skew_s;
		char amz_date[32];
		struct sigv4_params p;
		gmtime_r(&now, &tm);
		strftime(amz_date, sizeof(amz_date), "%Y%m%dT%H%M%SZ", &tm);
		p = (struct sigv4_params){
			.access_key = cr.access_key, .secret_key = cr.secret_key,
			.session_token = cr.session_token, .region = k->sign_region,
			.service = op->service->signing_name, .amz_date = amz_date,
			.normalize_path = true,
		};
		r = sigv4_sign(&sreq, &p, &k->err);
		fd_free_secret(k->signed_key);
		k->signed_key = cr.access_key ? xstrdup(cr.access_key) : NULL;
		if (r < 0)
			goto out;
		r = -1;
	}
	strbuf_addf(&header, "attempt=%d; max=%d", k->attempt, k->max_attempts);
	sigv4_request_add_header(&sreq, "amz-sdk-invocation-id", k->invocation_id);
	sigv4_request_add_header(&sreq, "amz-sdk-request", header.data);
	strbuf_reset(&url);
	strbuf_addf(&url, "%s%s", endpoint, creq.target.data);
	debuglog_request(c->debug, op->service->cli_name, op->name, k->attempt, k->max_attempts, sreq.method,
			 url.data, (const struct codec_header *)sreq.headers, sreq.n_headers,
			 (const char *)sreq.body, sreq.body_len);
	{
		struct http_request hreq = {
			.method = sreq.method, .url = url.data,
			.headers = (const struct codec_header *)sreq.headers,
			.n_headers = sreq.n_headers,
			.body = (const char *)sreq.body, .body_len = sreq.body_len,
		};
		r = http_start(c->http, &hreq, on_response, k, &k->err);
	}
	if (r == 0)
		k->state = CALL_SENDING;
out:
	creds_clean_up(&cr);
	sigv4_request_clean_up(&sreq);
	codec_request_clean_up(&creq);
	strbuf_wipe_clean_up(&url);
	strbuf_clean_up(&header);
	if (r < 0)
		k->state = CALL_DONE;
	return r;
}

/* Merge one page into k->merged as botocore's paginator does (ops_page_merge):
 * 1 when another page should be fetched, 0 when done, -1 with k->err. */
static int next_page(struct call *k, json_t *page)
{
	int more = ops_page_merge(k->op, &k->merged, page, k->input, &k->err);

	if (more > 0 && ++k->pages >= MAX_PAGES)
		more = 0;   /* stop rather than loop */
	return more;
}

/* Add botocore's ResponseMetadata (request id from the response headers, HTTP
 * status) to a result, for callers that record it (the runbook audit log). */
static void add_response_metadata(json_t *result, const struct codec_response *resp)
{
	const char *rid = codec_header_get(resp, "x-amzn-RequestId");
	json_t *md = json_object();

	if (!rid)
		rid = codec_header_get(resp, "x-amz-request-id");
	if (rid)
		json_object_set_new(md, "RequestId", json_string(rid));
	json_object_set_new(md, "HTTPStatusCode", json_integer(resp->status));
	json_object_set_new(result, "ResponseMetadata", md);
}

/* AWS refused the call's credentials as expired (ExpiredToken,
 * ExpiredTokenException, or RequestExpired without clock skew) although they
 * are not expired locally: drop the cached ones (if still those the call was
 * signed with, so concurrent calls share one refetch) and send again with new
 * ones, once per call; a second refusal fails the call. True when resent. */
static bool renew_expired(struct call *k)
{
	static const char *const codes[] = { "ExpiredToken", "ExpiredTokenException", "RequestExpired" };
	struct client *c = k->c;
	size_t i;

	if (k->creds_renewed || k->op->unsigned_call || !k->signed_key)
		return false;
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(k->err.code, codes[i]) == 0)
			break;
	if (i == sizeof(codes) / sizeof(codes[0]))
		return false;
	k->creds_renewed = true;
	creds_provider_invalidate(c->creds, k->signed_key);
	debuglog_retry(c->debug, k->op->service->cli_name, k->op->name, k->attempt, k->err.code, true,
		       "credentials refused as expired: fetching new ones, once");
	k->attempt--;   /* the same attempt again, with new credentials */
	k->wake_ms = c->hooks.mono_ms(c->hooks.ctx);
	k->state = CALL_WAITING;
	return true;
}

/* A transfer finished: decode, then finish, retry, or fetch the next page. */
static void on_response(void *ctx, const struct http_response *resp)
{
	struct call *k = ctx;
	struct client *c = k->c;
	struct codec_response cresp = {
		.status = resp->status, .headers = resp->headers, .n_headers = resp->n_headers,
		.body = resp->body.data, .body_len = resp->body.len,
	};
	json_t *result = NULL;
	bool skewed = false;
	long skew = 0;
	struct http_retry d;

	fd_error_clear(&k->err);
	debuglog_response(c->debug, k->op->service->cli_name, k->op->name, resp->status, &resp->err,
			  resp->headers, resp->n_headers, resp->body.data, resp->body.len);
	k->bytes += (long long)resp->body.len;
	if (resp->status == 0)
		k->err = resp->err;
	else if (k->bytes > c->max_call_bytes) {
		/* all pages of one call: bounded, whatever the server sends */
		fd_error_set(&k->err, "ResponseTooLarge", "%s %s: the responses passed %lld MiB (--max-call-mib)",
			     k->op->service->cli_name, k->op->name, c->max_call_bytes / (1024 * 1024));
		json_decref(k->merged);
		k->merged = NULL;
		k->state = CALL_DONE;
		return;
	} else
		result = codec_decode(k->op, &cresp, &k->err);
	if (result) {
		c->quota = http_quota_release(c->quota, k->last_retry_cost);
		k->last_retry_cost = 0;
		k->attempt = 0;
		if ((k->flags & CLIENT_ALL_PAGES) && ops_paginated(k->op)) {
			int more = next_page(k, result);
			if (more > 0) {
				if (send_attempt(k) < 0) {
					json_decref(k->merged);
					k->merged = NULL;
				}
				return;
			}
			result = k->merged;
			k->merged = NULL;
			if (more < 0) {
				json_decref(result);
				k->state = CALL_DONE;
				return;
			}
		}
		if (k->flags & CLIENT_RESPONSE_METADATA)
			add_response_metadata(result, &cresp);
		k->result = result;
		k->state = CALL_DONE;
		return;
	}
	if (resp->status)
		skewed = http_clock_skew(k->err.code, codec_header_get(&cresp, "Date"),
					 c->hooks.wall_s(c->hooks.ctx) + c->skew_s, &skew);
	if (skewed)
		c->skew_s += skew;
	if (!skewed && renew_expired(k))
		return;
	k->err.transient = http_is_transient(&k->err) || http_is_throttling(k->err.code);
	d = http_retry_decide(&k->err, k->op->mutating, k->attempt, k->max_attempts, c->quota, skewed);
	debuglog_retry(c->debug, k->op->service->cli_name, k->op->name, k->attempt, k->err.code, d.retry,
		       d.reason);
	if (!d.retry) {
		k->state = CALL_DONE;
		return;
	}
	c->quota -= d.cost;
	k->last_retry_cost = d.cost;
	k->wake_ms = c->hooks.mono_ms(c->hooks.ctx) +
		     (skewed ? 0 : http_backoff_ms(k->attempt, jitter(c)));
	k->state = CALL_WAITING;
}

/* ---- the public calls ---- */

long client_call_async(struct client *c, const char *service, const char *operation,
		       const char *region, json_t *input, unsigned flags,
		       client_done_fn done, void *ctx, struct fd_error *err)
{
	const struct ops_operation *op = ops_find(service, operation);
	struct codec_request probe;
	struct call *k;
	char *endpoint;
	bool global;
	int r;

	fd_error_clear(err);
	if (!op) {
		if (!ops_service_find(service))
			fd_error_set(err, "UnknownService", "unknown service '%s'", service);
		else
			fd_error_set(err, "UnknownOperation", "%s has no operation '%s'", service,
				     operation);
		return -1;
	}
	if (c->read_only && op->mutating) {
		fd_error_set(err, "ReadOnly", "refusing %s %s: read-only mode (it changes AWS state)",
			     op->service->cli_name, op->name);
		return -1;
	}
	if (input && !json_is_object(input)) {
		fd_error_set(err, "InvalidInput", "%s input must be a JSON object", op->name);
		return -1;
	}
	codec_request_init(&probe);
	r = codec_encode(op, input, &probe, err);
	codec_request_clean_up(&probe);
	if (r < 0)
		return -1;
	if (region && region_check(region, "the call's region", err) < 0)
		return -1;
	if (!region)
		region = c->region;
	endpoint = endpoint_for(c, service, region, &global, err);
	if (!endpoint)
		return -1;
	if (!op->service->global_region && !region && !op->unsigned_call) {
		free(endpoint);
		fd_error_set(err, "NoRegion", "no region for %s: use --region, AWS_REGION or a profile's region",
			     op->service->cli_name);
		return -1;
	}
	k = xcalloc(1, sizeof(*k));
	k->c = c;
	k->id = ++c->next_id;
	k->op = op;
	k->endpoint = endpoint;
	k->n_endpoints = 1;
	for (r = 0; endpoint[r]; r++)
		if (endpoint[r] == ',')
			k->n_endpoints++;
	k->max_attempts = c->max_attempts > k->n_endpoints ? c->max_attempts : k->n_endpoints;
	k->region = region ? xstrdup(region) : NULL;
	k->sign_region = xstrdup(op->service->global_region ? op->service->global_region :
				 global || !region ? "us-east-1" : region);
	k->input = input ? json_deep_copy(input) : json_object();
	k->flags = flags;
	k->done = done;
	k->ctx = ctx;
	{
		unsigned char b[16];
		int i;
		for (i = 0; i < 16; i++)
			b[i] = (unsigned char)(default_random(&c->rng) * 255.0);
		b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
		b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
		snprintf(k->invocation_id, sizeof(k->invocation_id),
			 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
			 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
			 b[12], b[13], b[14], b[15]);
	}
	if (send_attempt(k) < 0) {
		if (err)
			*err = k->err;
		call_free(k);
		return -1;
	}
	k->next = c->calls;
	c->calls = k;
	return k->id;
}

int client_poll_fds(struct client *c, struct pollfd *fds, int max)
{
	int n = http_poll_fds(c->http, fds, max > 0 ? max - 1 : 0);
	int wake = creds_provider_wake_fd(c->creds);

	if (wake >= 0 && n < max)
		fds[n++] = (struct pollfd){ .fd = wake, .events = POLLIN };
	return n;
}

long client_timeout_ms(struct client *c)
{
	long t = http_timeout_ms(c->http);
	long long now = c->hooks.mono_ms(c->hooks.ctx);
	struct call *k;

	for (k = c->calls; k; k = k->next) {
		long d;
		if (k->state == CALL_DONE)
			return 0;
		if (k->state == CALL_CREDS) {
			/* the provider's pipe wakes the loop; a second's bound in case a wake is
			 * missed, so a waiting call is looked at again rather than never */
			if (t < 0 || t > 1000)
				t = 1000;
			continue;
		}
		if (k->state != CALL_WAITING)
			continue;
		d = k->wake_ms > now ? (long)(k->wake_ms - now) : 0;
		if (t < 0 || d < t)
			t = d;
	}
	return t;
}

int client_perform(struct client *c, const struct pollfd *fds, int nfds)
{
	struct call *k, **pp, *finished = NULL;
	long long now;
	int left = 0;

	(void)fds;
	(void)nfds;
	http_perform(c->http);
	creds_provider_wake_drain(c->creds);
	now = c->hooks.mono_ms(c->hooks.ctx);
	for (k = c->calls; k; k = k->next)
		if ((k->state == CALL_WAITING && k->wake_ms <= now) || k->state == CALL_CREDS)
			send_attempt(k);
	for (pp = &c->calls; *pp;) {
		k = *pp;
		if (k->state == CALL_DONE) {
			*pp = k->next;
			k->next = finished;
			finished = k;
		} else {
			pp = &k->next;
			left++;
		}
	}
	while (finished) {
		k = finished;
		finished = k->next;
		if (k->result) {
			json_t *r = k->result;
			k->result = NULL;
			k->done(k->ctx, r, NULL);
		} else {
			k->done(k->ctx, NULL, &k->err);
		}
		call_free(k);
	}
	return left;
}

struct blocking {
	bool finished;
	json_t *result;
	struct fd_error err;
};

/* Completion of a blocking call. */
static void blocking_done(void *ctx, json_t *result, const struct fd_error *err)
{
	struct blocking *b = ctx;

	b->finished = true;
	b->result = result;
	if (err)
		b->err = *err;
}

json_t *client_call(struct client *c, const char *service, const char *operation,
		    const char *region, json_t *input, unsigned flags, struct fd_error *err)
{
	struct blocking b = { 0 };

	if (client_call_async(c, service, operation, region, input, flags, blocking_done, &b,
			      err) < 0)
		return NULL;
	while (!b.finished) {
		struct pollfd fds[64];
		int n = client_poll_fds(c, fds, 64);
		long t = client_timeout_ms(c);
		if (t < 0 || t > 1000)
			t = 1000;
		if (t > 0)
			poll(fds, (nfds_t)n, (int)t);
		client_perform(c, fds, n);
	}
	if (!b.result && err)
		*err = b.err;
	return b.result;
}
