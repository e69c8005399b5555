/* server.c — the simulator: request processing, the request log, libmicrohttpd (see sim.h). */
#include "sim/sim.h"
#include "sim/svcstate.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "sim/auth.h"
#include "sim/fault.h"
#include "sim/route53.h"
#include "sim/service.h"
#include "sim/world.h"

#define BODY_MAX (1024 * 1024)
#define IMDS_ROLE "flightdeck-sim-instance-role"

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
	struct MHD_Daemon *daemon;
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
static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Advance the world to now and bring the services' derived state (metrics,
 * alarms, health checks, DNS) along with it. */
static void tick(struct sim *s)
{
	sim_world_tick(s->world, wall_now());
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

/* A plain JSON error for the unsigned endpoints. */
static void plain_error(struct sim_resp *resp, int status, const char *code, const char *msg)
{
	sim_error_proto(SIM_PROTO_PLAIN, NULL, NULL, resp, status, code, msg);
}

/* Issue temporary credentials for a credential endpoint. */
static const struct sim_cred *issue_for(struct sim *s, const char *role, double duration_s)
{
	char arn[SIM_ARN_MAX], uid[128];

	snprintf(arn, sizeof(arn), "arn:aws:sts::%s:assumed-role/%s/flightdeck-sim", s->world->account, role);
	snprintf(uid, sizeof(uid), "AROAFLIGHTDECKSIMROLE:flightdeck-sim");
	return sim_auth_issue(&s->auth, s->world, arn, uid, duration_s);
}

/* Is an IMDSv2 token valid now? */
static bool imds_token_ok(struct sim *s, const char *token)
{
	size_t i;

	if (!token)
		return false;
	for (i = 0; i < s->n_imds; i++)
		if (strcmp(s->imds[i].token, token) == 0)
			return s->imds[i].expires_s > s->world->now_s;
	return false;
}

/* Expiration as the credential endpoints spell it: 2026-11-24T12:00:00Z. */
static void expiration(double t_s, char out[32])
{
	time_t t = (time_t)t_s;
	struct tm tm;

	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
}

/* IMDSv2: token, role list, role credentials, placement. */
static void serve_imds(struct sim *s, const struct sim_req *req, struct sim_resp *resp)
{
	const char *prefix = "/latest/meta-data/iam/security-credentials/";
	const char *token = sim_header(req, "X-aws-ec2-metadata-token");

	snprintf(resp->content_type, sizeof(resp->content_type), "text/plain");
	snprintf(resp->operation, sizeof(resp->operation), "imds");
	if (strcmp(req->path, "/latest/api/token") == 0) {
		const char *ttl = sim_header(req, "X-aws-ec2-metadata-token-ttl-seconds");
		struct imds_token *t;
		char *end;
		long v = ttl ? strtol(ttl, &end, 10) : -1;
		snprintf(resp->operation, sizeof(resp->operation), "GetToken");
		if (strcmp(req->method, "PUT") != 0) {
			resp->status = 405;
			return;
		}
		if (!ttl || *end || v < 1 || v > 21600) {
			resp->status = 400;
			return;
		}
		t = &s->imds[s->n_imds < 64 ? s->n_imds++ : (s->req_serial % 64)];
		sim_world_new_id(s->world, "AQAEA", t->token, sizeof(t->token));
		t->expires_s = s->world->now_s + (double)v;
		strbuf_adds(&resp->body, t->token);
		sim_resp_header(resp, "X-aws-ec2-metadata-token-ttl-seconds", ttl);
		return;
	}
	if (strcmp(req->method, "GET") != 0) {
		resp->status = 405;
		return;
	}
	if (!imds_token_ok(s, token)) {
		resp->status = 401;
		return;
	}
	if (strcmp(req->path, "/latest/meta-data/placement/region") == 0 ||
	    strcmp(req->path, "/latest/meta-data/placement/region/") == 0) {
		strbuf_adds(&resp->body, s->world->regions[0].name);
	} else if (strcmp(req->path, "/latest/meta-data/placement/availability-zone") == 0 ||
		   strcmp(req->path, "/latest/meta-data/placement/availability-zone/") == 0) {
		strbuf_addf(&resp->body, "%sa", s->world->regions[0].name);
	} else if (strcmp(req->path, prefix) == 0 || strcmp(req->path, "/latest/meta-data/iam/security-credentials") == 0) {
		snprintf(resp->operation, sizeof(resp->operation), "ListRoles");
		strbuf_adds(&resp->body, IMDS_ROLE);
	} else if (strncmp(req->path, prefix, strlen(prefix)) == 0 &&
		   strcmp(req->path + strlen(prefix), IMDS_ROLE) == 0) {
		const struct sim_cred *c = issue_for(s, IMDS_ROLE, 6 * 3600);
		char upd[32], exp[32];
		json_t *o;
		snprintf(resp->operation, sizeof(resp->operation), "GetRoleCredentials");
		expiration(s->world->now_s, upd);
		expiration(c->expires_s, exp);
		o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "Code", "Success", "LastUpdated", upd,
			      "Type", "AWS-HMAC", "AccessKeyId", c->access_key, "SecretAccessKey",
			      c->secret_key, "Token", c->session_token, "Expiration", exp);
		sim_resp_json(resp, 200, "text/plain", o);
	} else {
		resp->status = 404;
	}
}

/* ECS container credentials: GET /v2/credentials/ID (an Authorization header, when
 * sent, must be the token the sim hands out: SIM_ECS_TOKEN). */
static void serve_ecs(struct sim *s, const struct sim_req *req, struct sim_resp *resp)
{
	const char *auth = sim_header(req, "Authorization");
	const struct sim_cred *c;
	char exp[32];
	json_t *o;

	snprintf(resp->operation, sizeof(resp->operation), "GetContainerCredentials");
	if (strcmp(req->method, "GET") != 0)
		return plain_error(resp, 405, "MethodNotAllowed", "use GET");
	if (auth && strcmp(auth, SIM_ECS_TOKEN) != 0)
		return plain_error(resp, 403, "AccessDenied", "the Authorization token is not valid");
	if (strlen(req->path) <= strlen("/v2/credentials/"))
		return plain_error(resp, 404, "NotFound", "no credentials id");
	c = issue_for(s, "flightdeck-sim-task-role", 6 * 3600);
	expiration(c->expires_s, exp);
	o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "RoleArn",
		      "arn:aws:iam::123456789012:role/flightdeck-sim-task-role", "AccessKeyId",
		      c->access_key, "SecretAccessKey", c->secret_key, "Token", c->session_token,
		      "Expiration", exp);
	sim_resp_json(resp, 200, "application/json", o);
}

/* SSO portal GetRoleCredentials: GET /federation/credentials?role_name=&account_id=. */
static void serve_sso(struct sim *s, const struct sim_req *req, struct sim_resp *resp)
{
	const char *token = sim_header(req, "x-amz-sso_bearer_token");
	const char *role = sim_param(req, "role_name"), *account = sim_param(req, "account_id");
	const struct sim_cred *c;
	char arn[SIM_ARN_MAX];
	json_t *o;

	snprintf(resp->operation, sizeof(resp->operation), "GetRoleCredentials");
	if (!token || !token[0])
		return plain_error(resp, 401, "UnauthorizedException", "Session token not found or invalid");
	if (!role || !account || !role[0] || !account[0])
		return plain_error(resp, 400, "InvalidRequestException", "role_name and account_id are required");
	snprintf(arn, sizeof(arn), "AWSReservedSSO_%s", role);
	c = issue_for(s, arn, 3600);
	o = json_pack("{s:{s:s,s:s,s:s,s:I}}", "roleCredentials", "accessKeyId", c->access_key,
		      "secretAccessKey", c->secret_key, "sessionToken", c->session_token,
		      "expiration", (json_int_t)(c->expires_s * 1000));
	sim_resp_json(resp, 200, "application/json", o);
}

/* A deterministic number in [0, 1) for the application endpoint, from the seed
 * and its own counter (so AWS calls do not shift its sequence). */
static double app_rand(struct sim *s)
{
	uint64_t z = ++s->app_serial * 0x9e3779b97f4a7c15ULL + s->world->seed;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

/* The region GET /_sim/app/ goes to: the one DNS answers with, else the primary. */
static int app_dns_region(struct sim *s)
{
	int r = route53_answer_region(s->world, svcstate_get(s->world));
	size_t i;

	if (r >= 0)
		return r;
	for (i = 0; i < s->world->n_regions; i++)
		if (s->world->regions[i].primary)
			return (int)i;
	return 0;
}

/* GET /_sim/app/[REGION/]: one request to the application through the region's
 * ALB — a target group by the default rule's weights, 503 when the region is down
 * or that group has no healthy target, 500 at its error rate, else 200. */
static void serve_app(struct sim *s, const struct sim_req *req, struct sim_resp *resp)
{
	struct sim_world *w = s->world;
	const char *name = req->path + strlen("/_sim/app"), *end;
	const struct sim_region *reg;
	const struct sim_rule *def;
	struct sim_target_group *tg = NULL;
	char region[32];
	int r, total = 0, pick, healthy = 0, unhealthy = 0;
	size_t k;

	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0)
		return plain_error(resp, 405, "MethodNotAllowed", "use GET");
	name += strspn(name, "/");
	end = strchr(name, '/');
	snprintf(region, sizeof(region), "%.*s", (int)(end ? (size_t)(end - name) : strlen(name)), name);
	r = region[0] ? sim_world_region(w, region) : app_dns_region(s);
	if (r < 0 || (size_t)r >= w->n_regions)
		return plain_error(resp, 404, "NotFound", "no such region");
	reg = &w->regions[r];
	snprintf(resp->content_type, sizeof(resp->content_type), "text/plain");
	if (!reg->up || reg->n_lbs == 0 || reg->lbs[0].n_listeners == 0) {
		resp->status = 503;
		strbuf_addf(&resp->body, "503 Service Temporarily Unavailable region=%s\n", reg->name);
		return;
	}
	def = &reg->lbs[0].listeners[0].rules[0];
	for (k = 0; k < def->n_fwd; k++)
		total += def->fwd[k].weight > 0 ? def->fwd[k].weight : 0;
	pick = (int)(app_rand(s) * total);
	for (k = 0; k < def->n_fwd && total > 0; k++) {
		if (def->fwd[k].weight <= 0)
			continue;
		if (pick < def->fwd[k].weight) {
			tg = sim_world_tg(w, r, def->fwd[k].tg_arn);
			break;
		}
		pick -= def->fwd[k].weight;
	}
	if (tg)
		sim_world_tg_counts(tg, &healthy, &unhealthy);
	if (!tg || healthy == 0) {
		resp->status = 503;
		strbuf_addf(&resp->body, "503 Service Temporarily Unavailable region=%s tg=%s\n", reg->name,
			    tg ? tg->name : "");
		return;
	}
	if (tg->error_rate > 0 && app_rand(s) < tg->error_rate) {
		resp->status = 500;
		strbuf_addf(&resp->body, "petclinic error region=%s tg=%s\n", reg->name, tg->name);
		return;
	}
	resp->status = 200;
	strbuf_addf(&resp->body, "petclinic ok region=%s tg=%s\n", reg->name, tg->name);
}

/* /_sim: state, requests, fault, clear, app. */
static void serve_control(struct sim *s, const struct sim_req *req, struct sim_resp *resp)
{
	json_t *o;

	if (strcmp(req->path, "/_sim/app") == 0 || strncmp(req->path, "/_sim/app/", 10) == 0) {
		serve_app(s, req, resp);
	} else if (strcmp(req->path, "/_sim/state") == 0 && strcmp(req->method, "GET") == 0) {
		o = sim_world_to_json(s->world);
		json_object_set_new(o, "faults", json_string(s->faults.specs));
		sim_resp_json(resp, 200, "application/json", o);
	} else if (strcmp(req->path, "/_sim/requests") == 0 && strcmp(req->method, "GET") == 0) {
		json_t *a = json_array();
		size_t i;
		for (i = 0; i < s->n_log; i++) {
			const struct log_entry *e = &s->log[i];
			char t[32];
			sim_time_iso(e->t_s, t);
			json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:i,s:s}",
				"time", t, "method", s->strings[e->method], "path", s->strings[e->path],
				"service", s->strings[e->service], "operation", s->strings[e->operation],
				"region", s->strings[e->region], "mutating", e->mutating,
				"status", e->status, "error", s->strings[e->error]));
		}
		sim_resp_json(resp, 200, "application/json", a);
	} else if (strcmp(req->path, "/_sim/fault") == 0 && strcmp(req->method, "POST") == 0) {
		struct fd_error err;
		char *spec = xstrndup((const char *)req->body, req->body_len);
		char *e = spec + strlen(spec);
		while (e > spec && isspace((unsigned char)e[-1]))
			*--e = '\0';
		fd_error_clear(&err);
		tick(s);
		if (sim_fault_add(&s->faults, s->world, spec, &err) < 0)
			plain_error(resp, 400, err.code, err.message);
		else {
			sim_services_tick(s->world);
			sim_resp_json(resp, 200, "application/json",
				      json_pack("{s:s}", "faults", s->faults.specs));
		}
		free(spec);
	} else if (strcmp(req->path, "/_sim/clear") == 0 && strcmp(req->method, "POST") == 0) {
		tick(s);
		sim_fault_clear(&s->faults, s->world);
		sim_services_tick(s->world);
		sim_resp_json(resp, 200, "application/json", json_pack("{s:s}", "faults", ""));
	} else {
		plain_error(resp, 404, "NotFound", "no such /_sim endpoint (state, requests, fault, clear, app)");
	}
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

	tick(s);
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
		serve_control(s, &req, resp);
		goto done_nolog;
	}
	if (s->faults.drop_rate > 0 && drop_rand(s) < s->faults.drop_rate) {
		resp->drop = true;
		service = "";
		goto done;
	}
	if (strncmp(path, "/latest/", 8) == 0) {
		service = "imds";
		serve_imds(s, &req, resp);
		goto done;
	}
	if (strncmp(path, "/v2/credentials/", 16) == 0) {
		service = "ecs";
		serve_ecs(s, &req, resp);
		goto done;
	}
	if (strcmp(path, "/federation/credentials") == 0) {
		service = "sso";
		serve_sso(s, &req, resp);
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
		sim_error_proto(svc ? svc->protocol : SIM_PROTO_QUERY, svc ? svc->xmlns : NULL,
				ctx.request_id, resp, 413, "RequestEntityTooLarge",
				"Request body must be less than 1 MB.");
		goto done;
	}
	if (ar.status) {
		sim_error_proto(svc ? svc->protocol : SIM_PROTO_QUERY, svc ? svc->xmlns : NULL,
				ctx.request_id, resp, ar.status, ar.code, ar.message);
		goto done;
	}
	if (!svc) {
		sim_error_proto(SIM_PROTO_QUERY, NULL, ctx.request_id, resp, 400, "UnknownService",
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
			  "UnrecognizedClientException",
			  "The security token included in the request is invalid.");
		goto done;
	}
	if (svc->protocol != SIM_PROTO_QUERY) {
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
	if (!resp->operation[0] && svc->protocol == SIM_PROTO_QUERY && sim_param(&req, "Action"))
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

/* Process one request: lock, handle, unlock, then the latency fault. */
static void process(struct sim *s, const struct http_in *in, struct sim_resp *resp)
{
	int latency_ms;

	pthread_mutex_lock(&s->lock);
	latency_ms = process_locked(s, in, resp);
	pthread_mutex_unlock(&s->lock);
	if (latency_ms > 0 && !resp->drop) {
		struct timespec ts = { latency_ms / 1000, (long)(latency_ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
	}
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
	s->world = sim_world_new(opt->scenario, opt->seed, wall_now(), err);
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
	return s;
}

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

/* Collects the headers of a request. */
struct header_list {
	struct sim_kv *kv;
	size_t n;
};

/* Append one header of a request to a header_list (libmicrohttpd's iterator). */
static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
				      const char *value)
{
	struct header_list *h = cls;

	(void)kind;
	if (h->n >= 200)
		return MHD_NO;
	h->kv = xrealloc(h->kv, (h->n + 1) * sizeof(*h->kv));
	h->kv[h->n].name = (char *)key;
	h->kv[h->n].value = (char *)(value ? value : "");
	h->n++;
	return MHD_YES;
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
	process(s, &in, &resp);
	free(h.kv);
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

int sim_start(struct sim *s, struct fd_error *err)
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
	if (s->daemon)
		MHD_stop_daemon(s->daemon);
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
	tick(s);
	rc = sim_fault_add(&s->faults, s->world, spec, err);
	sim_services_tick(s->world);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

void sim_clear_faults(struct sim *s)
{
	pthread_mutex_lock(&s->lock);
	tick(s);
	sim_fault_clear(&s->faults, s->world);
	sim_services_tick(s->world);
	pthread_mutex_unlock(&s->lock);
}

json_t *sim_state_json(struct sim *s)
{
	json_t *o;

	pthread_mutex_lock(&s->lock);
	tick(s);
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
	process(s, &in, &resp);
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
		collect_header(&h, MHD_HEADER_KIND, p, colon);
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
	process(s, &in, &resp);
	status = resp.drop ? 0 : resp.status;
	if (body_out)
		*body_out = strbuf_detach(&resp.body, NULL);
	sim_resp_clean_up(&resp);
	free(h.kv);
	free(copy);
	return status;
}
