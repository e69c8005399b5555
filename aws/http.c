/* http.c — libcurl multi transfers and the standard retry rules (see http.h). */
#include "aws/http.h"
#include "base/isotime.h"
#include "base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/select.h>

#include <curl/curl.h>

#define MAX_BODY_BYTES (64u * 1024 * 1024)

struct xfer {
	struct http *h;
	CURL *easy;
	struct curl_slist *headers;
	char *body;
	size_t body_len;
	struct http_response resp;
	size_t held;              /* body bytes counted in h->held */
	bool too_large;           /* over MAX_BODY_BYTES */
	bool too_much_held;       /* over the budget of all transfers in flight */
	http_done_fn done;
	void *ctx;
	struct xfer *next;
};

struct http {
	CURLM *multi;
	struct http_options opts;
	char user_agent[64];
	struct xfer *xfers;
	int running;
	size_t held;              /* response bytes buffered by transfers in flight */
};

struct http *http_new(const struct http_options *opts)
{
	struct http *h = xcalloc(1, sizeof(*h));

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (opts)
		h->opts = *opts;
	if (!h->opts.connect_timeout_ms)
		h->opts.connect_timeout_ms = 3000;
	if (!h->opts.timeout_ms)
		h->opts.timeout_ms = 30000;
	if (!h->opts.max_held_bytes)
		h->opts.max_held_bytes = HTTP_MAX_HELD_BYTES;
	snprintf(h->user_agent, sizeof(h->user_agent), "%s",
		 h->opts.user_agent ? h->opts.user_agent : "flightdeck/" PACKAGE_VERSION);
	h->opts.user_agent = h->user_agent;
	h->opts.ca_bundle = h->opts.ca_bundle ? xstrdup(h->opts.ca_bundle) : NULL;
	h->multi = curl_multi_init();
	curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 32L);
	return h;
}

/* Free one transfer (after it left the multi handle). */
static void xfer_free(struct xfer *x)
{
	size_t i;

	if (x->easy)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->headers);
	if (x->body) {
		fd_wipe(x->body, x->body_len);
		free(x->body);
	}
	for (i = 0; i < x->resp.n_headers; i++) {
		free(x->resp.headers[i].name);
		free(x->resp.headers[i].value);
	}
	free(x->resp.headers);
	if (x->h)
		x->h->held -= x->held;
	strbuf_clean_up(&x->resp.body);
	free(x);
}

void http_destroy(struct http *h)
{
	struct xfer *x, *next;

	if (!h)
		return;
	for (x = h->xfers; x; x = next) {
		next = x->next;
		curl_multi_remove_handle(h->multi, x->easy);
		xfer_free(x);
	}
	curl_multi_cleanup(h->multi);
	free((char *)h->opts.ca_bundle);
	free(h);
}

/* libcurl write callback: collect the body, refusing absurd sizes. */
static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
	struct xfer *x = ud;

	if (x->resp.body.len + size * n > MAX_BODY_BYTES) {
		x->too_large = true;
		return 0;
	}
	/* all transfers together: concurrent big answers cannot add up without bound */
	if (x->h->held + size * n > x->h->opts.max_held_bytes) {
		x->too_much_held = true;
		return 0;
	}
	strbuf_add(&x->resp.body, data, size * n);
	x->held += size * n;
	x->h->held += size * n;
	return size * n;
}

/* libcurl header callback: collect "Name: value" lines of the final response. */
static size_t on_header(char *data, size_t size, size_t n, void *ud)
{
	struct xfer *x = ud;
	size_t len = size * n, i;
	char *colon;

	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		for (i = 0; i < x->resp.n_headers; i++) {   /* a new response (after 100, redirect) */
			free(x->resp.headers[i].name);
			free(x->resp.headers[i].value);
		}
		x->resp.n_headers = 0;
		return len;
	}
	colon = memchr(data, ':', len);
	if (!colon)
		return len;
	x->resp.headers = xrealloc(x->resp.headers, (x->resp.n_headers + 1) * sizeof(*x->resp.headers));
	x->resp.headers[x->resp.n_headers].name = xstrndup(data, (size_t)(colon - data));
	{
		const char *v = colon + 1, *end = data + len;
		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
			end--;
		x->resp.headers[x->resp.n_headers].value = xstrndup(v, (size_t)(end - v));
	}
	x->resp.n_headers++;
	return len;
}

int http_start(struct http *h, const struct http_request *req, http_done_fn done, void *ctx,
	       struct fd_error *err)
{
	struct xfer *x = xcalloc(1, sizeof(*x));
	size_t i;

	x->h = h;
	x->done = done;
	x->ctx = ctx;
	strbuf_init(&x->resp.body);
	x->easy = curl_easy_init();
	if (!x->easy) {
		xfer_free(x);
		return fd_error_set(err, "Internal", "curl_easy_init failed");
	}
	for (i = 0; i < req->n_headers; i++) {
		struct strbuf line;
		strbuf_init(&line);
		strbuf_addf(&line, "%s: %s", req->headers[i].name, req->headers[i].value);
		x->headers = curl_slist_append(x->headers, line.data);
		strbuf_wipe_clean_up(&line);
	}
	x->headers = curl_slist_append(x->headers, "Expect:");
	x->body = xmalloc(req->body_len + 1);
	if (req->body_len)
		memcpy(x->body, req->body, req->body_len);
	x->body[req->body_len] = '\0';
	x->body_len = req->body_len;

	curl_easy_setopt(x->easy, CURLOPT_URL, req->url);
	curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->headers);
	curl_easy_setopt(x->easy, CURLOPT_USERAGENT, h->opts.user_agent);
	curl_easy_setopt(x->easy, CURLOPT_CONNECTTIMEOUT_MS, h->opts.connect_timeout_ms);
	curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS, h->opts.timeout_ms);
	curl_easy_setopt(x->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(x->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	if (h->opts.ca_bundle)
		curl_easy_setopt(x->easy, CURLOPT_CAINFO, h->opts.ca_bundle);
	curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(x->easy, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	if (strcmp(req->method, "GET") == 0) {
		curl_easy_setopt(x->easy, CURLOPT_HTTPGET, 1L);
	} else {
		curl_easy_setopt(x->easy, CURLOPT_POSTFIELDS, x->body);
		curl_easy_setopt(x->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->body_len);
		if (strcmp(req->method, "POST") != 0)
			curl_easy_setopt(x->easy, CURLOPT_CUSTOMREQUEST, req->method);
	}
	if (curl_multi_add_handle(h->multi, x->easy) != CURLM_OK) {
		xfer_free(x);
		return fd_error_set(err, "Internal", "curl_multi_add_handle failed");
	}
	x->next = h->xfers;
	h->xfers = x;
	h->running++;
	return 0;
}

int http_poll_fds(struct http *h, struct pollfd *fds, int max)
{
	fd_set r, w, e;
	int maxfd = -1, fd, n = 0;

	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&e);
	if (curl_multi_fdset(h->multi, &r, &w, &e, &maxfd) != CURLM_OK)
		return 0;
	for (fd = 0; fd <= maxfd && n < max; fd++) {
		short ev = 0;
		if (FD_ISSET(fd, &r))
			ev |= POLLIN;
		if (FD_ISSET(fd, &w))
			ev |= POLLOUT;
		if (FD_ISSET(fd, &e))
			ev |= POLLPRI;
		if (!ev)
			continue;
		fds[n].fd = fd;
		fds[n].events = ev;
		fds[n].revents = 0;
		n++;
	}
	return n;
}

long http_timeout_ms(struct http *h)
{
	long t = -1;

	if (!h->xfers)
		return -1;
	curl_multi_timeout(h->multi, &t);
	if (t < 0 || t > 100)
		t = 100;   /* resolver threads have no fd to poll: look again soon */
	return t;
}

int http_in_flight(const struct http *h)
{
	const struct xfer *x;
	int n = 0;

	for (x = h->xfers; x; x = x->next)
		n++;
	return n;
}

/* Fill x->resp after the transfer finished with result rc. */
static void finish(struct xfer *x, CURLcode rc)
{
	curl_off_t pre = 0;

	curl_easy_getinfo(x->easy, CURLINFO_PRETRANSFER_TIME_T, &pre);
	x->resp.sent = pre > 0;
	if (rc == CURLE_OK) {
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &x->resp.status);
		return;
	}
	x->resp.status = 0;
	if (x->too_large) {
		fd_error_set(&x->resp.err, "ResponseTooLarge", "response body over %u bytes",
			     MAX_BODY_BYTES);
		return;
	}
	if (x->too_much_held) {
		fd_error_set(&x->resp.err, "ResponseTooLarge", "the responses in flight passed %zu MiB together "
			     "(--max-call-mib)", x->h->opts.max_held_bytes / (1024 * 1024));
		return;
	}
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		fd_error_set(&x->resp.err, "Timeout", "%s: %s", x->resp.sent ?
			     "no complete response in time" : "could not connect in time",
			     curl_easy_strerror(rc));
		x->resp.err.timed_out = x->resp.sent;
		x->resp.err.transient = 1;
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		fd_error_set(&x->resp.err, "ConnectionError", "%s", curl_easy_strerror(rc));
		x->resp.err.transient = 1;
		break;
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		fd_error_set(&x->resp.err, "ConnectionError", "connection lost: %s",
			     curl_easy_strerror(rc));
		x->resp.err.transient = 1;
		x->resp.err.timed_out = x->resp.sent;   /* it may have reached the server */
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		fd_error_set(&x->resp.err, "TLSError", "%s", curl_easy_strerror(rc));
		break;
	default:
		fd_error_set(&x->resp.err, "ConnectionError", "%s", curl_easy_strerror(rc));
		break;
	}
}

int http_perform(struct http *h)
{
	struct CURLMsg *msg;
	int running = 0, left;

	curl_multi_perform(h->multi, &running);
	while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
		struct xfer *x = NULL, **pp;
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		finish(x, msg->data.result);
		curl_multi_remove_handle(h->multi, x->easy);
		for (pp = &h->xfers; *pp; pp = &(*pp)->next)
			if (*pp == x) {
				*pp = x->next;
				break;
			}
		h->running--;
		x->done(x->ctx, &x->resp);
		xfer_free(x);
	}
	return http_in_flight(h);
}

/* ---- retry rules ---- */

bool http_is_throttling(const char *code)
{
	static const char *const codes[] = {
		"Throttling", "ThrottlingException", "ThrottledException",
		"RequestThrottledException", "TooManyRequestsException",
		"ProvisionedThroughputExceededException", "TransactionInProgressException",
		"RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException",
		"RequestThrottled", "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
	};
	size_t i;

	for (i = 0; code && i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(code, codes[i]) == 0)
			return true;
	return false;
}

bool http_is_transient(const struct fd_error *err)
{
	static const char *const codes[] = {
		"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
		"ConnectionError", "Timeout",
	};
	size_t i;

	if (err->http_status == 500 || err->http_status == 502 || err->http_status == 503 ||
	    err->http_status == 504)
		return true;
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(err->code, codes[i]) == 0)
			return true;
	return false;
}

struct http_retry http_retry_decide(const struct fd_error *err, bool mutating, int attempt,
				    int max_attempts, int quota, bool skew_corrected)
{
	struct http_retry r = { .retry = false, .cost = 0, .reason = "not retryable" };

	if (attempt >= max_attempts) {
		r.reason = "attempts exhausted";
		return r;
	}
	if (mutating && err->timed_out) {
		r.reason = "a mutating call timed out: re-read state before trying again";
		return r;
	}
	if (skew_corrected) {
		r.retry = true;
		r.reason = "clock skew";
		return r;
	}
	if (http_is_throttling(err->code)) {
		r.cost = HTTP_RETRY_COST;
		r.reason = "throttling";
	} else if (http_is_transient(err)) {
		bool timeout = strcmp(err->code, "Timeout") == 0 || err->timed_out;
		r.cost = timeout ? HTTP_RETRY_TIMEOUT_COST : HTTP_RETRY_COST;
		r.reason = timeout ? "timeout" : "transient";
	} else {
		return r;
	}
	if (quota < r.cost) {
		r.cost = 0;
		r.reason = "retry quota exhausted";
		return r;
	}
	r.retry = true;
	return r;
}

long http_backoff_ms(int attempt, double random01)
{
	double cap_s = HTTP_MAX_BACKOFF_MS / 1000.0, base = 1;
	int i;

	if (random01 < 0)
		random01 = 0;
	if (random01 > 1)
		random01 = 1;
	for (i = 1; i < attempt && base < cap_s; i++)
		base *= 2;
	base *= random01;
	if (base > cap_s)
		base = cap_s;
	return (long)(base * 1000.0);
}

int http_quota_release(int quota, int last_retry_cost)
{
	quota += last_retry_cost > 0 ? last_retry_cost : 1;
	return quota > HTTP_RETRY_QUOTA ? HTTP_RETRY_QUOTA : quota;
}

bool http_clock_skew(const char *code, const char *date, time_t now, long *skew_s)
{
	static const char *const codes[] = {
		"RequestTimeTooSkewed", "RequestExpired", "InvalidSignatureException",
		"SignatureDoesNotMatch", "AuthFailure", "RequestInTheFuture",
	};
	bool skew_code = false;
	double server_s;
	time_t server;
	long diff;
	size_t i;

	for (i = 0; code && i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(code, codes[i]) == 0)
			skew_code = true;
	if (!skew_code)
		return false;
	if (!date || isotime_parse_http(date, &server_s) < 0)
		return false;
	server = (time_t)server_s;
	diff = (long)(server - now);
	if (diff <= 240 && diff >= -240)
		return false;
	*skew_s = diff;
	return true;
}
