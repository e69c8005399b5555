/* fixture.c — a tiny HTTP server for client tests (see fixture.h). */
#include "tests/client/fixture.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

struct canned {
	int status;
	char *headers;
	char *body;
	int delay_ms;
	struct canned *next;
};

struct fixture {
	struct MHD_Daemon *d;
	char url[64];
	pthread_mutex_t lock;
	struct canned *queue, *tail;
	struct canned def;
	char **requests;
	int n_requests;
	int active, max_active, connections;
};

struct pending {
	struct strbuf text;   /* request line and headers */
	struct strbuf body;
};

/* Append one request header to the record. */
static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *value)
{
	struct strbuf *sb = cls;

	(void)kind;
	strbuf_addf(sb, "%s: %s\n", key, value ? value : "");
	return MHD_YES;
}

/* Append one query argument to the request line ("?k=v&k2=v2", decoded). */
static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	struct strbuf *sb = cls;

	(void)kind;
	strbuf_addf(sb, "%c%s=%s", strchr(sb->data, '?') ? '&' : '?', key, value ? value : "");
	return MHD_YES;
}

/* Track connections opened and closed. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct fixture *f = cls;

	(void)conn;
	(void)socket_context;
	pthread_mutex_lock(&f->lock);
	if (toe == MHD_CONNECTION_NOTIFY_STARTED)
		f->connections++;
	pthread_mutex_unlock(&f->lock);
}

/* Answer a request with the next canned response. */
static enum MHD_Result handler(void *cls, struct MHD_Connection *conn, const char *url,
			       const char *method, const char *version, const char *upload_data,
			       size_t *upload_size, void **con_cls)
{
	struct fixture *f = cls;
	struct pending *p = *con_cls;
	struct canned c, *q;
	struct MHD_Response *resp;
	enum MHD_Result r;
	const char *h;

	(void)version;
	if (!p) {
		p = xcalloc(1, sizeof(*p));
		strbuf_init(&p->text);
		strbuf_init(&p->body);
		strbuf_addf(&p->text, "%s %s", method, url);
		MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_arg, &p->text);
		strbuf_addc(&p->text, '\n');
		MHD_get_connection_values(conn, MHD_HEADER_KIND, add_header, &p->text);
		*con_cls = p;
		return MHD_YES;
	}
	if (*upload_size) {
		strbuf_add(&p->body, upload_data, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&f->lock);
	strbuf_addf(&p->text, "\n%s", p->body.data);
	f->requests = xrealloc(f->requests, (size_t)(f->n_requests + 1) * sizeof(char *));
	f->requests[f->n_requests++] = xstrdup(p->text.data);
	q = f->queue;
	if (q) {
		f->queue = q->next;
		if (!f->queue)
			f->tail = NULL;
		c = *q;
		free(q);
	} else {
		c = f->def;
		c.headers = c.headers ? xstrdup(c.headers) : NULL;
		c.body = xstrdup(c.body ? c.body : "");
	}
	f->active++;
	if (f->active > f->max_active)
		f->max_active = f->active;
	pthread_mutex_unlock(&f->lock);
	if (c.delay_ms)
		usleep((useconds_t)c.delay_ms * 1000);
	resp = MHD_create_response_from_buffer(strlen(c.body), c.body, MHD_RESPMEM_MUST_COPY);
	for (h = c.headers; h && *h;) {
		const char *end = h + strcspn(h, "\n"), *colon = memchr(h, ':', (size_t)(end - h));
		if (colon) {
			char *name = xstrndup(h, (size_t)(colon - h));
			const char *v = colon + 1;
			char *val;
			while (*v == ' ')
				v++;
			val = xstrndup(v, (size_t)(end - v));
			MHD_add_response_header(resp, name, val);
			free(name);
			free(val);
		}
		h = *end ? end + 1 : end;
	}
	r = MHD_queue_response(conn, (unsigned)c.status, resp);
	MHD_destroy_response(resp);
	free(c.headers);
	free(c.body);
	pthread_mutex_lock(&f->lock);
	f->active--;
	pthread_mutex_unlock(&f->lock);
	return r;
}

/* Free the per-request record. */
static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct pending *p = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (!p)
		return;
	strbuf_clean_up(&p->text);
	strbuf_clean_up(&p->body);
	free(p);
	*con_cls = NULL;
}

struct fixture *fixture_start(void)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct sockaddr_in sin;
	const union MHD_DaemonInfo *info;

	pthread_mutex_init(&f->lock, NULL);
	f->def.status = 200;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = 0;
	f->d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
				MHD_USE_ERROR_LOG,
				0, NULL, NULL, handler, f, MHD_OPTION_SOCK_ADDR, &sin,
				MHD_OPTION_NOTIFY_COMPLETED, completed, f,
				MHD_OPTION_NOTIFY_CONNECTION, on_connection, f,
				MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
	if (!f->d) {
		free(f);
		return NULL;
	}
	info = MHD_get_daemon_info(f->d, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(f->url, sizeof(f->url), "http://127.0.0.1:%u", (unsigned)info->port);
	return f;
}

void fixture_stop(struct fixture *f)
{
	struct canned *q, *next;
	int i;

	if (!f)
		return;
	MHD_stop_daemon(f->d);
	for (q = f->queue; q; q = next) {
		next = q->next;
		free(q->headers);
		free(q->body);
		free(q);
	}
	for (i = 0; i < f->n_requests; i++)
		free(f->requests[i]);
	free(f->requests);
	free(f->def.headers);
	free(f->def.body);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

const char *fixture_url(struct fixture *f)
{
	return f->url;
}

void fixture_push(struct fixture *f, int status, const char *headers, const char *body,
		  int delay_ms)
{
	struct canned *c = xcalloc(1, sizeof(*c));

	c->status = status;
	c->headers = headers ? xstrdup(headers) : NULL;
	c->body = xstrdup(body ? body : "");
	c->delay_ms = delay_ms;
	pthread_mutex_lock(&f->lock);
	if (f->tail)
		f->tail->next = c;
	else
		f->queue = c;
	f->tail = c;
	pthread_mutex_unlock(&f->lock);
}

void fixture_set_default(struct fixture *f, int status, const char *headers, const char *body,
			 int delay_ms)
{
	pthread_mutex_lock(&f->lock);
	free(f->def.headers);
	free(f->def.body);
	f->def.status = status;
	f->def.headers = headers ? xstrdup(headers) : NULL;
	f->def.body = body ? xstrdup(body) : NULL;
	f->def.delay_ms = delay_ms;
	pthread_mutex_unlock(&f->lock);
}

int fixture_count(struct fixture *f)
{
	int n;

	pthread_mutex_lock(&f->lock);
	n = f->n_requests;
	pthread_mutex_unlock(&f->lock);
	return n;
}

char *fixture_request(struct fixture *f, int n)
{
	char *s = NULL;

	pthread_mutex_lock(&f->lock);
	if (n >= 0 && n < f->n_requests)
		s = xstrdup(f->requests[n]);
	pthread_mutex_unlock(&f->lock);
	return s;
}

int fixture_max_concurrent(struct fixture *f)
{
	int n;

	pthread_mutex_lock(&f->lock);
	n = f->max_active;
	pthread_mutex_unlock(&f->lock);
	return n;
}

int fixture_connections(struct fixture *f)
{
	int n;

	pthread_mutex_lock(&f->lock);
	n = f->connections;
	pthread_mutex_unlock(&f->lock);
	return n;
}
