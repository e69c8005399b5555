/* httpd.c — the simulator on libmicrohttpd: gather a request, answer it; a
 * delayed answer (the latency fault) waits in a suspended connection that a
 * timer thread resumes when it is due, so no worker thread sleeps. */
#include "sim/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "base/strbuf.h"
#include "base/xalloc.h"

/* Per-request state of a connection (libmicrohttpd's con_cls). */
struct conn_req {
	char *raw_uri;
	struct strbuf body;
	bool too_large;
	bool started;
	bool ready;                  /* resp is processed and waits for its delay */
	struct sim_resp resp;
};

/* A suspended connection and when to resume it (monotonic seconds). */
struct delayed {
	struct MHD_Connection *conn;
	double due_s;
};

struct httpd {
	struct MHD_Daemon *daemon;
	pthread_mutex_t lock;        /* guards the queue and stopping */
	pthread_cond_t cond;
	struct delayed *q;
	size_t n, cap;
	size_t peak;                 /* the most answers ever waiting at once (/_sim/state) */
	bool stopping;
	bool timer_started;
	pthread_t timer;
};

/* The monotonic clock in seconds. */
static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The timer thread: resume each suspended connection when it is due (all of
 * them at once when stopping), then wait for the next. */
static void *timer_main(void *arg)
{
	struct httpd *h = arg;

	pthread_mutex_lock(&h->lock);
	for (;;) {
		double now = mono_now(), next = -1;
		size_t i = 0;
		while (i < h->n) {
			if (h->stopping || h->q[i].due_s <= now) {
				struct MHD_Connection *c = h->q[i].conn;
				h->q[i] = h->q[--h->n];
				pthread_mutex_unlock(&h->lock);
				MHD_resume_connection(c);
				pthread_mutex_lock(&h->lock);
				now = mono_now();
				i = 0;
				continue;
			}
			if (next < 0 || h->q[i].due_s < next)
				next = h->q[i].due_s;
			i++;
		}
		if (h->stopping)
			break;
		if (next < 0) {
			pthread_cond_wait(&h->cond, &h->lock);
		} else {
			struct timespec ts;
			ts.tv_sec = (time_t)next;
			ts.tv_nsec = (long)((next - (double)ts.tv_sec) * 1e9);
			pthread_cond_timedwait(&h->cond, &h->lock, &ts);
		}
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

/* Suspend conn until delay_ms from now; false when the server is stopping (the
 * caller answers at once). */
static bool delay(struct httpd *h, struct MHD_Connection *conn, int delay_ms)
{
	bool queued = false;

	pthread_mutex_lock(&h->lock);
	if (!h->stopping) {
		if (h->n == h->cap) {
			h->cap = h->cap ? h->cap * 2 : 64;
			h->q = xrealloc(h->q, h->cap * sizeof(*h->q));
		}
		MHD_suspend_connection(conn);
		h->q[h->n].conn = conn;
		h->q[h->n].due_s = mono_now() + delay_ms / 1000.0;
		h->n++;
		if (h->n > h->peak)
			h->peak = h->n;
		pthread_cond_signal(&h->cond);
		queued = true;
	}
	pthread_mutex_unlock(&h->lock);
	return queued;
}

/* Queue resp on conn (or close the connection for a dropped request); frees resp. */
static enum MHD_Result answer(struct MHD_Connection *conn, struct sim_resp *resp)
{
	struct MHD_Response *mr;
	enum MHD_Result ret;
	size_t i;

	if (resp->drop) {
		sim_resp_clean_up(resp);
		return MHD_NO;
	}
	mr = MHD_create_response_from_buffer(resp->body.len, resp->body.data, MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(mr, "Content-Type", resp->content_type);
	for (i = 0; i < resp->n_headers; i++)
		MHD_add_response_header(mr, resp->headers[i].name, resp->headers[i].value);
	ret = MHD_queue_response(conn, (unsigned)resp->status, mr);
	MHD_destroy_response(mr);
	sim_resp_clean_up(resp);
	return ret;
}

/* MHD_OPTION_URI_LOG_CALLBACK: keep the URI exactly as received. */
static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct conn_req *r = xcalloc(1, sizeof(*r));

	(void)cls; (void)c;
	r->raw_uri = xstrdup(uri ? uri : "/");
	strbuf_init(&r->body);
	return r;
}

/* MHD_OPTION_NOTIFY_COMPLETED: free the per-request state. */
static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct conn_req *r = *con_cls;

	(void)cls; (void)c; (void)toe;
	if (!r)
		return;
	if (r->ready)
		sim_resp_clean_up(&r->resp);
	free(r->raw_uri);
	strbuf_clean_up(&r->body);
	free(r);
	*con_cls = NULL;
}

/* Append one header of a request to a header_list (libmicrohttpd's iterator). */
static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
				      const char *value)
{
	(void)kind;
	return server_collect_header(cls, key, value) < 0 ? MHD_NO : MHD_YES;
}

/* The access handler: gather the body, then process and answer. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct sim *s = cls;
	struct conn_req *r = *con_cls;
	struct header_list h = { 0 };
	struct http_in in;
	struct sim_resp resp;
	int latency_ms;

	(void)url; (void)version;
	if (!r)
		return MHD_NO;
	if (r->ready) {   /* resumed after its delay */
		r->ready = false;
		return answer(conn, &r->resp);
	}
	if (!r->started) {
		r->started = true;
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (r->body.len + *upload_data_size > BODY_MAX)
			r->too_large = true;
		else
			strbuf_add(&r->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, &h);
	memset(&in, 0, sizeof(in));
	in.method = method;
	in.target = r->raw_uri;
	in.headers = h.kv;
	in.n_headers = h.n;
	in.body = (const unsigned char *)r->body.data;
	in.body_len = r->body.len;
	in.body_too_large = r->too_large;
	sim_resp_init(&resp);
	server_process(s, &in, &resp, &latency_ms);
	free(h.kv);
	if (latency_ms > 0) {   /* answer (or drop) later, holding no thread */
		r->resp = resp;
		r->ready = true;
		if (delay(s->httpd, conn, latency_ms))
			return MHD_YES;
		r->ready = false;
	}
	return answer(conn, &resp);
}

size_t httpd_delayed_peak(struct httpd *h)
{
	size_t peak;

	if (!h)
		return 0;
	pthread_mutex_lock(&h->lock);
	peak = h->peak;
	pthread_mutex_unlock(&h->lock);
	return peak;
}

int httpd_start(struct sim *s, struct fd_error *err)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	const struct sockaddr *sa;
	const union MHD_DaemonInfo *info;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_ALLOW_SUSPEND_RESUME;
	struct httpd *h;
	pthread_condattr_t ca;
	char host[64];

	snprintf(host, sizeof(host), "%s", s->addr);
	if (host[0] == '[') {
		memmove(host, host + 1, strlen(host));
		host[strcspn(host, "]")] = '\0';
	}
	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, host, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)s->port);
		sa = (const struct sockaddr *)&sin;
	} else if (inet_pton(AF_INET6, host, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons((uint16_t)s->port);
		sa = (const struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else {
		return fd_error_set(err, "UsageError", "--listen: '%s' is not an IP address", s->addr);
	}
	h = xcalloc(1, sizeof(*h));
	pthread_mutex_init(&h->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->cond, &ca);
	pthread_condattr_destroy(&ca);
	s->httpd = h;
	if (pthread_create(&h->timer, NULL, timer_main, h) != 0) {
		httpd_stop(s);
		return fd_error_set(err, "ListenError", "cannot start the delay timer thread");
	}
	h->timer_started = true;
	h->daemon = MHD_start_daemon(flags, (uint16_t)s->port, NULL, NULL, on_request, s,
				     MHD_OPTION_SOCK_ADDR, sa,
				     MHD_OPTION_URI_LOG_CALLBACK, uri_logger, s,
				     MHD_OPTION_NOTIFY_COMPLETED, completed, s,
				     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->threads,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
				     MHD_OPTION_END);
	if (!h->daemon) {
		int e = errno ? errno : EADDRINUSE;
		httpd_stop(s);
		return fd_error_set(err, "ListenError", "cannot listen on %s:%d: %s", s->addr, s->port,
				    strerror(e));
	}
	info = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
	if (info && info->port)
		s->port = info->port;
	return 0;
}

void httpd_stop(struct sim *s)
{
	struct httpd *h = s->httpd;

	if (!h)
		return;
	if (h->timer_started) {   /* resume every delayed answer: MHD must not stop with them suspended */
		pthread_mutex_lock(&h->lock);
		h->stopping = true;
		pthread_cond_signal(&h->cond);
		pthread_mutex_unlock(&h->lock);
		pthread_join(h->timer, NULL);
	}
	if (h->daemon)
		MHD_stop_daemon(h->daemon);
	pthread_cond_destroy(&h->cond);
	pthread_mutex_destroy(&h->lock);
	free(h->q);
	free(h);
	s->httpd = NULL;
}
