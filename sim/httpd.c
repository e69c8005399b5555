/* httpd.c — the simulator on libmicrohttpd: gather a request, answer it. */
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
};

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
	struct MHD_Response *mr;
	enum MHD_Result ret;
	int latency_ms;
	size_t i;

	(void)url; (void)version;
	if (!r)
		return MHD_NO;
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
	if (latency_ms > 0 && !resp.drop) {
		struct timespec ts = { latency_ms / 1000, (long)(latency_ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
	}
	if (resp.drop) {
		sim_resp_clean_up(&resp);
		return MHD_NO;
	}
	mr = MHD_create_response_from_buffer(resp.body.len, resp.body.data, MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(mr, "Content-Type", resp.content_type);
	for (i = 0; i < resp.n_headers; i++)
		MHD_add_response_header(mr, resp.headers[i].name, resp.headers[i].value);
	ret = MHD_queue_response(conn, (unsigned)resp.status, mr);
	MHD_destroy_response(mr);
	sim_resp_clean_up(&resp);
	return ret;
}

int httpd_start(struct sim *s, struct fd_error *err)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	const struct sockaddr *sa;
	const union MHD_DaemonInfo *info;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
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
	s->daemon = MHD_start_daemon(flags, (uint16_t)s->port, NULL, NULL, on_request, s,
				     MHD_OPTION_SOCK_ADDR, sa,
				     MHD_OPTION_URI_LOG_CALLBACK, uri_logger, s,
				     MHD_OPTION_NOTIFY_COMPLETED, completed, s,
				     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->threads,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
				     MHD_OPTION_END);
	if (!s->daemon)
		return fd_error_set(err, "ListenError", "cannot listen on %s:%d: %s", s->addr, s->port,
				    strerror(errno ? errno : EADDRINUSE));
	info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	if (info && info->port)
		s->port = info->port;
	return 0;
}

void httpd_stop(struct sim *s)
{
	if (s->daemon)
		MHD_stop_daemon(s->daemon);
	s->daemon = NULL;
}
