/* server.c — the simulator: request processing, the request log, struct sim (see sim.h). */
#include "sim/server.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "sim/svcstate.h"

/* The wall clock in seconds. */
double server_wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Advance the world to now and bring the services' derived state (metrics,
 * alarms, health checks, DNS) along with it. */
void server_tick(struct sim *s)
{
	sim_world_tick(s->world, server_wall_now());
	sim_services_tick(s->world);
}

/* A request id (uuid form) from a counter, so ids never repeat. */
static void request_id(struct sim *s, char out[40])
{
	uint64_t z = (s->req_serial++ + 1) * 0x9e3779b97f4a7c15ULL ^ s->world->seed;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	snprintf(out, 40, "%08x-%04x-4%03x-a%03x-%012llx", (unsigned)(z >> 32), (unsigned)(z >> 16) & 0xffff,
		 (unsigned)(s->req_serial & 0xfff), (unsigned)(z & 0xfff),
		 (unsigned long long)(s->req_serial * 0x2545f4914f6cdd1dULL) & 0xffffffffffffULL);
}

/* Decode %XX (and '+' as space when form is set) of n bytes into a new string. */
static char *url_decode(const char *s, size_t n, bool form)
{
	char *out = xmalloc(n + 1), *o = out;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = { s[i + 1], s[i + 2], 0 };
			*o++ = (char)strtol(hex, NULL, 16);
			i += 2;
		} else if (form && s[i] == '+') {
			*o++ = ' ';
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

#define PARAMS_MAX 5000

/* Append the pairs of an application/x-www-form-urlencoded string to params (at
 * most PARAMS_MAX in all: AWS bounds a request's parameters too). */
static void parse_form(const char *s, size_t n, struct sim_kv **params, size_t *n_params)
{
	size_t i = 0, cap = *n_params;

	while (i < n && *n_params < PARAMS_MAX) {
		size_t j = i, eq;
		while (j < n && s[j] != '&')
			j++;
		if (j > i) {
			eq = i;
			while (eq < j && s[eq] != '=')
				eq++;
			if (*n_params == cap) {
				cap = cap ? cap * 2 : 16;
				*params = xrealloc(*params, cap * sizeof(**params));
			}
			(*params)[*n_params].name = url_decode(s + i, eq - i, true);
			(*params)[*n_params].value = eq < j ? url_decode(s + eq + 1, j - eq - 1, true)
							    : xstrdup("");
			(*n_params)++;
		}
		i = j + 1;
	}
}

/* Free a params array. */
static void free_kv(struct sim_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(kv[i].name);
		free(kv[i].value);
	}
	free(kv);
}

/* The index of an interned copy of str (at most 63 bytes kept); index 1 ("?")
 * once the table is full. */
static uint16_t intern(struct sim *s, const char *str)
{
	char buf[64];
	size_t i;

	snprintf(buf, sizeof(buf), "%s", str ? str : "");
	if (s->n_strings == 0) {
		s->strings[s->n_strings++] = xstrdup("");
		s->strings[s->n_strings++] = xstrdup("?");
	}
	for (i = 0; i < s->n_strings; i++)
		if (strcmp(s->strings[i], buf) == 0)
			return (uint16_t)i;
	if (s->n_strings == INTERN_MAX)
		return 1;
	s->strings[s->n_strings] = xstrdup(buf);
	return (uint16_t)s->n_strings++;
}

/* Append an entry to the request log (dropping the old ones past log_max). */
static void log_request(struct sim *s, const struct sim_req *req, const struct sim_resp *resp,
			const char *service, const char *operation)
{
	struct log_entry *e;

	if (s->log_max && s->n_log == s->log_max)
		s->n_log = 0;
	if (s->n_log == s->cap_log) {
		s->cap_log = s->cap_log ? s->cap_log * 2 : 256;
		s->log = xrealloc(s->log, s->cap_log * sizeof(*s->log));
	}
	e = &s->log[s->n_log++];
	e->t_s = s->world->now_s;
	e->method = intern(s, req->method);
	e->path = intern(s, req->path);
	e->service = intern(s, service);
	e->operation = intern(s, operation);
	e->region = intern(s, req->region);
	e->error = intern(s, resp->error_code);
	e->mutating = resp->mutating;
	e->status = (int16_t)(resp->drop ? 0 : resp->status);
}

/* One random number for drop faults (the fault stream, not the world's). */
static double drop_rand(struct sim *s)
{
	uint64_t z = s->req_serial * 0xd1342543de82ef95ULL + s->world->seed + 1;

	z = (z ^ (z >> 31)) * 0xbf58476d1ce4e5b9ULL;
	z ^= z >> 29;
	return (double)(z >> 11) / 9007199254740992.0;
}

/* Process one request into resp, with the lock held. Returns the latency to add (ms). */
static int process_locked(struct sim *s, const struct http_in *in, struct sim_resp *resp)
{
	struct sim_kv *params = NULL;
	size_t n_params = 0;
	const char *q = strchr(in->target, '?');
	char *path = url_decode(in->target, q ? (size_t)(q - in->target) : strlen(in->target), false);
	struct sim_req req;
	struct sim_ctx ctx;
	struct sim_auth_result ar;
	const struct sim_service *svc;
	const char *service = NULL;
	int latency_ms = s->faults.latency_ms;   /* as set before this request */
	char access_key[32];

	server_tick(s);
	memset(&req, 0, sizeof(req));
	req.method = in->method;
	req.target = in->target;
	req.path = path;
	req.headers = in->headers;
	req.n_headers = in->n_headers;
	req.body = in->body;
	req.body_len = in->body_len;
	if (q)
		parse_form(q + 1, strlen(q + 1), &params, &n_params);
	req.params = params;
	req.n_params = n_params;
	memset(&ctx, 0, sizeof(ctx));
	ctx.world = s->world;
	ctx.faults = &s->faults;
	ctx.auth = &s->auth;
	ctx.now_s = s->world->now_s;
	request_id(s, ctx.request_id);

	if (strncmp(path, "/_sim/", 6) == 0) {
		endpoints_control(s, &req, resp);
		goto done_nolog;
	}
	if (s->faults.drop_rate > 0 && drop_rand(s) < s->faults.drop_rate) {
		resp->drop = true;
		service = "";
		goto done;
	}
	if (strncmp(path, "/latest/", 8) == 0) {
		service = "imds";
		endpoints_imds(s, &req, resp);
		goto done;
	}
	if (strncmp(path, "/v2/credentials/", 16) == 0) {
		service = "ecs";
		endpoints_ecs(s, &req, resp);
		goto done;
	}
	if (strcmp(path, "/federation/credentials") == 0) {
		/* the SSO portal: unsigned, its bearer token is the proof (sim/svc_sso.c) */
		service = "sso";
		req.service = "sso";
		req.region = s->world->regions[0].name;
		ctx.svc = sim_service_find("awsssoportal");
		snprintf(ctx.caller_arn, sizeof(ctx.caller_arn), "anonymous");
		ctx.svc->handle(&ctx, &req, resp);
		goto done;
	}
	if (in->body_len && in->body_len <= BODY_MAX)
		parse_form((const char *)in->body, in->body_len, &params, &n_params);
	req.params = params;
	req.n_params = n_params;
	if (!sim_header(&req, "Authorization") && sim_param(&req, "Action") &&
	    strcmp(sim_param(&req, "Action"), "AssumeRoleWithWebIdentity") == 0) {
		/* STS takes this one unsigned: the web identity token is the proof */
		service = "sts";
		req.service = "sts";
		req.region = s->world->regions[0].name;
		ctx.svc = sim_service_find("sts");
		snprintf(ctx.caller_arn, sizeof(ctx.caller_arn), "anonymous");
		ctx.svc->handle(&ctx, &req, resp);
		goto done;
	}
	sim_auth_verify(&s->auth, &req, s->world->now_s, s->faults.expired_before_s, &ar);
	service = ar.service;
	if (sim_param(&req, "Action"))
		snprintf(resp->operation, sizeof(resp->operation), "%.63s", sim_param(&req, "Action"));
	req.service = ar.service;
	req.region = ar.region;
	svc = sim_service_find(ar.service);
	if (in->body_too_large) {
		sim_error_svc(svc, ctx.request_id, resp, 413, "RequestEntityTooLarge",
			      "Request body must be less than 1 MB.");
		goto done;
	}
	if (ar.status) {
		sim_error_svc(svc, ctx.request_id, resp, ar.status, ar.code, ar.message);
		goto done;
	}
	if (!svc) {
		sim_error_svc(NULL, ctx.request_id, resp, 400, "UnknownService",
			      "The service in the credential scope is not simulated here.");
		goto done;
	}
	snprintf(access_key, sizeof(access_key), "%s", ar.cred->access_key);
	req.access_key = access_key;   /* a copy: issuing credentials may move the store */
	ctx.svc = svc;
	snprintf(ctx.caller_arn, sizeof(ctx.caller_arn), "%s", ar.cred->arn);
	snprintf(ctx.caller_user_id, sizeof(ctx.caller_user_id), "%s", ar.cred->user_id);
	if (sim_world_region(s->world, ar.region) < 0 && strcmp(ar.region, "us-east-1") != 0 &&
	    strcmp(ar.region, "us-west-2") != 0) {
		sim_error(&ctx, resp, 400, svc->protocol == SIM_PROTO_QUERY ? "InvalidClientTokenId" :
			  svc->protocol == SIM_PROTO_EC2 ? "AuthFailure" :
			  "UnrecognizedClientException",
			  "The security token included in the request is invalid.");
		goto done;
	}
	if (svc->protocol != SIM_PROTO_QUERY && svc->protocol != SIM_PROTO_EC2) {
		/* only the URL query: the body is the service's JSON / XML */
		free_kv(params, n_params);
		params = NULL;
		n_params = 0;
		if (q)
			parse_form(q + 1, strlen(q + 1), &params, &n_params);
		req.params = params;
		req.n_params = n_params;
	}
	resp->operation[0] = '\0';
	svc->handle(&ctx, &req, resp);
	if (!resp->operation[0] && (svc->protocol == SIM_PROTO_QUERY || svc->protocol == SIM_PROTO_EC2) &&
	    sim_param(&req, "Action"))
		snprintf(resp->operation, sizeof(resp->operation), "%.63s", sim_param(&req, "Action"));
done:
	if (resp->status >= 200 && !resp->drop)
		sim_resp_header(resp, "x-amzn-RequestId", ctx.request_id);
	log_request(s, &req, resp, service, resp->operation);
done_nolog:
	free_kv(params, n_params);
	free(path);
	return latency_ms;
}

void server_process(struct sim *s, const struct http_in *in, struct sim_resp *resp, int *latency_ms)
{
	pthread_mutex_lock(&s->lock);
	*latency_ms = process_locked(s, in, resp);
	pthread_mutex_unlock(&s->lock);
}

/* Process one request without the network: the latency fault sleeps here. */
static void process_now(struct sim *s, const struct http_in *in, struct sim_resp *resp)
{
	int latency_ms;

	server_process(s, in, resp, &latency_ms);
	if (latency_ms > 0 && !resp->drop) {
		struct timespec ts = { latency_ms / 1000, (long)(latency_ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
	}
}

int server_collect_header(struct header_list *h, const char *key, const char *value)
{
	if (h->n >= 200)
		return -1;
	h->kv = xrealloc(h->kv, (h->n + 1) * sizeof(*h->kv));
	h->kv[h->n].name = (char *)key;
	h->kv[h->n].value = (char *)(value ? value : "");
	h->n++;
	return 0;
}

int sim_start(struct sim *s, struct fd_error *err)
{
	return httpd_start(s, err);
}

struct sim *sim_new(const struct sim_options *opt, struct fd_error *err)
{
	struct sim *s = xcalloc(1, sizeof(*s));
	const char *listen = opt->listen ? opt->listen : SIM_DEFAULT_LISTEN;
	const char *colon = strrchr(listen, ':');
	char *end;
	long port;
	size_t i;

	if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof(s->addr)) {
		free(s);
		fd_error_set(err, "UsageError", "--listen '%s': want ADDR:PORT", listen);
		return NULL;
	}
	port = strtol(colon + 1, &end, 10);
	if (!colon[1] || *end || port < 0 || port > 65535) {
		free(s);
		fd_error_set(err, "UsageError", "--listen '%s': bad port", listen);
		return NULL;
	}
	memcpy(s->addr, listen, (size_t)(colon - listen));
	s->port = (int)port;
	s->threads = opt->threads > 0 ? opt->threads : 2;
	s->log_max = opt->log_max;
	s->world = sim_world_new(opt->scenario, opt->seed, server_wall_now(), opt->time_scale, err);
	if (!s->world) {
		free(s);
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	sim_fault_init(&s->faults);
	sim_auth_init(&s->auth, s->world->account, SIM_ACCESS_KEY, SIM_SECRET_KEY);
	for (i = 0; i < opt->n_faults; i++)
		if (sim_fault_add(&s->faults, s->world, opt->faults[i], err) < 0) {
			sim_destroy(s);
			return NULL;
		}
	/* faults given at start were there before it: the health checkers have seen them */
	for (i = 0; opt->n_faults && i < s->world->n_checks; i++)
		r53health_init(s->world, &s->world->checks[i]);
	return s;
}

int sim_port(const struct sim *s)
{
	return s->port;
}

const char *sim_addr(const struct sim *s)
{
	return s->addr;
}

void sim_destroy(struct sim *s)
{
	if (!s)
		return;
	httpd_stop(s);
	sim_auth_clean_up(&s->auth);
	sim_services_forget(s->world);
	sim_world_destroy(s->world);
	pthread_mutex_destroy(&s->lock);
	free(s->log);
	while (s->n_strings > 0)
		free(s->strings[--s->n_strings]);
	free(s);
}

int sim_add_fault(struct sim *s, const char *spec, struct fd_error *err)
{
	int rc;

	pthread_mutex_lock(&s->lock);
	server_tick(s);
	rc = sim_fault_add(&s->faults, s->world, spec, err);
	sim_services_tick(s->world);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

void sim_clear_faults(struct sim *s)
{
	pthread_mutex_lock(&s->lock);
	server_tick(s);
	sim_fault_clear(&s->faults, s->world);
	sim_services_tick(s->world);
	pthread_mutex_unlock(&s->lock);
}

json_t *sim_state_json(struct sim *s)
{
	json_t *o;

	pthread_mutex_lock(&s->lock);
	server_tick(s);
	o = sim_world_to_json(s->world);
	pthread_mutex_unlock(&s->lock);
	return o;
}

json_t *sim_requests_json(struct sim *s)
{
	struct http_in in = { .method = "GET", .target = "/_sim/requests" };
	struct sim_resp resp;
	json_t *a;

	sim_resp_init(&resp);
	process_now(s, &in, &resp);
	a = json_loads(resp.body.data, 0, NULL);
	sim_resp_clean_up(&resp);
	return a;
}

int sim_handle_raw(struct sim *s, const char *raw, size_t len, char **body_out)
{
	struct http_in in;
	struct header_list h = { 0 };
	struct sim_resp resp;
	char *copy = xmalloc(len + 1), *line, *p, *end, *sp, *sp2;
	int status;

	memcpy(copy, raw, len);
	copy[len] = '\0';
	if (body_out)
		*body_out = NULL;
	memset(&in, 0, sizeof(in));
	/* request line */
	end = copy + len;
	line = copy;
	p = memchr(line, '\n', len);
	if (!p) {
		free(copy);
		return 400;
	}
	*p = '\0';
	if (p > line && p[-1] == '\r')
		p[-1] = '\0';
	sp = strchr(line, ' ');
	sp2 = sp ? strchr(sp + 1, ' ') : NULL;
	if (!sp || !sp2 || sp == line || sp2 == sp + 1 ) {
		free(copy);
		return 400;
	}
	*sp = '\0';
	*sp2 = '\0';
	in.method = line;
	in.target = sp + 1;
	if (in.target[0] != '/') {
		free(copy);
		return 400;
	}
	/* headers */
	p++;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *colon;
		if (!nl)
			nl = end;
		*nl = '\0';
		if (nl > p && nl[-1] == '\r')
			nl[-1] = '\0';
		if (!*p) {
			p = nl + 1;
			break;
		}
		colon = strchr(p, ':');
		if (!colon || colon == p) {
			free(h.kv);
			free(copy);
			return 400;
		}
		*colon = '\0';
		colon++;
		while (*colon == ' ' || *colon == '\t')
			colon++;
		server_collect_header(&h, p, colon);
		p = nl + 1;
	}
	if (p > end)
		p = end;
	in.headers = h.kv;
	in.n_headers = h.n;
	in.body = (const unsigned char *)p;
	in.body_len = (size_t)(end - p);
	in.body_too_large = in.body_len > BODY_MAX;
	sim_resp_init(&resp);
	process_now(s, &in, &resp);
	status = resp.drop ? 0 : resp.status;
	if (body_out)
		*body_out = strbuf_detach(&resp.body, NULL);
	sim_resp_clean_up(&resp);
	free(h.kv);
	free(copy);
	return status;
}
