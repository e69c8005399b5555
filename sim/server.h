/* server.h — the simulator's insides, shared by server.c (requests, the log, the
 * struct sim lifecycle), endpoints.c (the unsigned endpoints and /_sim) and httpd.c
 * (libmicrohttpd). Not for other parts: they use sim/sim.h.
 */
#ifndef FD_SIM_SERVER_H
#define FD_SIM_SERVER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/auth.h"
#include "sim/fault.h"
#include "sim/service.h"
#include "sim/sim.h"
#include "sim/world.h"

#define BODY_MAX (1024 * 1024)

/* One entry of the request log: strings are interned (see intern()). */
struct log_entry {
	double t_s;
	uint16_t method, path, service, operation, region, error;
	bool mutating;
	int16_t status;
};

#define INTERN_MAX 4096

/* An IMDSv2 session token. */
struct imds_token {
	char token[48];
	double expires_s;
};

struct sim {
	pthread_mutex_t lock;
	struct sim_world *world;
	struct sim_faults faults;
	struct sim_auth auth;
	struct log_entry *log;
	size_t n_log, cap_log, log_max;
	char *strings[INTERN_MAX];   /* interned log strings; [0] is "" */
	size_t n_strings;
	struct imds_token imds[64];
	size_t n_imds;
	uint64_t req_serial;
	uint64_t app_serial;         /* draws of GET /_sim/app (target group, error) */
	char addr[64];
	int port;
	int threads;
	struct httpd *httpd;         /* httpd.c: the server and its delayed answers (NULL until started) */
};

/* A request as read off the wire, before routing. */
struct http_in {
	const char *method;
	const char *target;          /* raw */
	struct sim_kv *headers;
	size_t n_headers;
	const unsigned char *body;
	size_t body_len;
	bool body_too_large;
};

/* The wall clock in seconds. */
double server_wall_now(void);
/* Advance the world to now and bring the services' state along (lock held). */
void server_tick(struct sim *s);
/* Process one request into resp (takes the lock); *latency_ms gets the latency
 * fault's delay in force when it arrived. */
void server_process(struct sim *s, const struct http_in *in, struct sim_resp *resp, int *latency_ms);
/* Append one header to a header list (libmicrohttpd's iterator signature). */
struct header_list {
	struct sim_kv *kv;
	size_t n;
};
int server_collect_header(struct header_list *h, const char *key, const char *value);

/* endpoints.c: IMDSv2, ECS container credentials, the SSO portal, /_sim (lock held). */
void endpoints_imds(struct sim *s, const struct sim_req *req, struct sim_resp *resp);
void endpoints_ecs(struct sim *s, const struct sim_req *req, struct sim_resp *resp);
void endpoints_control(struct sim *s, const struct sim_req *req, struct sim_resp *resp);

/* httpd.c: serve s on libmicrohttpd (s->addr, s->port; the bound port goes to
 * s->port); stop serving (answers still delayed go out first). A request under
 * the latency fault is suspended and resumed by a timer, so the delay holds no
 * worker thread: other requests are answered meanwhile. */
int httpd_start(struct sim *s, struct fd_error *err);
void httpd_stop(struct sim *s);
/* The most delayed answers (latency fault) that ever waited at once: a server
 * that slept in its worker threads could never hold more than it has threads. */
size_t httpd_delayed_peak(struct httpd *h);

#endif
