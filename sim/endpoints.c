/* endpoints.c — the simulator's unsigned endpoints: IMDSv2, ECS container
 * credentials and /_sim (state, requests, fault, clear, app); the SSO portal is
 * sim/svc_sso.c. */
#include "sim/server.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "sim/asg_lt.h"
#include "sim/elbv2_match.h"
#include "sim/route53.h"
#include "sim/svcstate.h"

#define IMDS_ROLE "flightdeck-sim-instance-role"

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
void endpoints_imds(struct sim *s, const struct sim_req *req, struct sim_resp *resp)
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
void endpoints_ecs(struct sim *s, const struct sim_req *req, struct sim_resp *resp)
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
	int r = route53_answer_region(s->world);
	size_t i;

	if (r >= 0)
		return r;
	for (i = 0; i < s->world->n_regions; i++)
		if (s->world->regions[i].primary)
			return (int)i;
	return 0;
}

/* Append s to b with the redirect keywords #{protocol} #{host} #{port} #{path}
 * #{query} replaced by the request's (path without its leading slash). */
static void expand(struct strbuf *b, const char *s, const char *host, const char *path, const char *query)
{
	static const struct { const char *key; int which; } keys[] = {
		{ "#{protocol}", 0 }, { "#{host}", 1 }, { "#{port}", 2 }, { "#{path}", 3 }, { "#{query}", 4 },
	};

	while (*s) {
		size_t k;
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (strncmp(s, keys[k].key, strlen(keys[k].key)) == 0)
				break;
		if (k == sizeof(keys) / sizeof(keys[0])) {
			strbuf_add(b, s++, 1);
			continue;
		}
		strbuf_adds(b, keys[k].which == 0 ? "http" : keys[k].which == 1 ? host : keys[k].which == 2 ? "80" :
			    keys[k].which == 3 ? path : query);
		s += strlen(keys[k].key);
	}
}

/* The Location of a redirect action for the request: the protocol lower-cased, the
 * port left out when it is the protocol's own, the query only when there is one. */
static void redirect_location(const struct sim_req *req, const char *path, const struct sim_rule *def,
			      struct sim_resp *resp)
{
	const char *hdr = sim_header(req, "Host"), *q = strchr(req->target, '?');
	char host[256];
	struct strbuf loc, proto, port, query;

	snprintf(host, sizeof(host), "%.*s", hdr ? (int)strcspn(hdr, ":") : 0, hdr ? hdr : "");
	strbuf_init(&loc);
	strbuf_init(&proto);
	strbuf_init(&port);
	strbuf_init(&query);
	expand(&proto, def->redirect.protocol, host, path, "");
	for (size_t i = 0; i < proto.len; i++)
		proto.data[i] = (char)tolower((unsigned char)proto.data[i]);
	expand(&port, def->redirect.port, host, path, "");
	expand(&query, def->redirect.query, host, path, q ? q + 1 : "");
	strbuf_addf(&loc, "%s://", proto.data);
	expand(&loc, def->redirect.host, host, path, "");
	if (!((strcmp(proto.data, "https") == 0 && strcmp(port.data, "443") == 0) ||
	      (strcmp(proto.data, "http") == 0 && strcmp(port.data, "80") == 0)))
		strbuf_addf(&loc, ":%s", port.data);
	expand(&loc, def->redirect.path, host, path, "");
	if (query.len)
		strbuf_addf(&loc, "?%s", query.data);
	sim_resp_header(resp, "Location", loc.data);
	strbuf_clean_up(&loc);
	strbuf_clean_up(&proto);
	strbuf_clean_up(&port);
	strbuf_clean_up(&query);
}

/* The 5xx rate of a request to tg: that of one of its healthy targets, picked
 * as the load balancer would (a bad launch template version on some of them). */
static double app_error_rate(struct sim *s, const struct sim_target_group *tg)
{
	const struct sim_world *w = s->world;
	size_t k, n = 0, pick;
	bool mixed = false;

	for (k = 0; k < tg->n_targets; k++)
		if (tg->targets[k].state == SIM_TH_HEALTHY) {
			n++;
			mixed |= asg_lt_target_error_rate(w, tg, tg->targets[k].id) != tg->error_rate;
		}
	if (!mixed)   /* no bad version: the group's rate (no draw, the app's sequence unchanged) */
		return tg->error_rate;
	pick = n ? (size_t)(app_rand(s) * (double)n) : 0;
	for (k = 0; k < tg->n_targets; k++)
		if (tg->targets[k].state == SIM_TH_HEALTHY && pick-- == 0)
			return asg_lt_target_error_rate(w, tg, tg->targets[k].id);
	return tg->error_rate;
}

/* One request to the application through region r's ALB (path: what follows the
 * region, for redirects) — a target group by the default rule's weights (or the one
 * named tg_name: a test listener's), 503 when
 * the region is down or that group has no healthy target, 500 at its error rate,
 * else 200. */
static void app_answer(struct sim *s, int r, const struct sim_req *req, const char *path, const char *tg_name,
		       struct sim_resp *resp)
{
	struct sim_world *w = s->world;
	const struct sim_region *reg = &w->regions[r];
	const struct sim_rule *def;
	struct sim_target_group *tg = NULL;
	int total = 0, pick, healthy = 0, unhealthy = 0;
	double rate;
	size_t k;

	snprintf(resp->content_type, sizeof(resp->content_type), "text/plain");
	if (!reg->up || reg->n_lbs == 0 || reg->lbs[0].n_listeners == 0) {
		resp->status = 503;
		strbuf_addf(&resp->body, "503 Service Temporarily Unavailable region=%s\n", reg->name);
		return;
	}
	def = &reg->lbs[0].listeners[0].rules[0];
	if (!tg_name) {   /* the listener's rules; a test listener has its group only */
		char *full = xmalloc(strlen(path) + 2);
		sprintf(full, "/%s", path);
		def = elbv2_match_rule(&reg->lbs[0].listeners[0], req, full);
		free(full);
	}
	if (def->action == SIM_ACTION_FIXED_RESPONSE) {   /* the load balancer answers itself */
		resp->status = atoi(def->fixed.status);
		if (def->fixed.content_type[0])
			snprintf(resp->content_type, sizeof(resp->content_type), "%s", def->fixed.content_type);
		strbuf_adds(&resp->body, def->fixed.body);
		return;
	}
	if (def->action == SIM_ACTION_REDIRECT) {
		resp->status = strcmp(def->redirect.status, "HTTP_302") == 0 ? 302 : 301;
		redirect_location(req, path, def, resp);
		return;
	}
	if (tg_name && !(tg = sim_world_tg(w, r, tg_name)))
		return plain_error(resp, 404, "NotFound", "no such target group");
	for (k = 0; k < def->n_fwd && !tg; k++)
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
	if ((rate = app_error_rate(s, tg)) > 0 && app_rand(s) < rate) {
		resp->status = 500;
		strbuf_addf(&resp->body, "petclinic error region=%s tg=%s\n", reg->name, tg->name);
		return;
	}
	resp->status = 200;
	strbuf_addf(&resp->body, "petclinic ok region=%s tg=%s\n", reg->name, tg->name);
}

/* GET /_sim/app/[REGION/][tg/TARGETGROUP/]: one request through the region's ALB
 * (the one DNS answers with when none is named), or its test listener on one target group. */
static void serve_app(struct sim *s, const struct sim_req *req, struct sim_resp *resp)
{
	struct sim_world *w = s->world;
	const char *name = req->path + strlen("/_sim/app"), *end;
	char region[32];
	int r;

	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0)
		return plain_error(resp, 405, "MethodNotAllowed", "use GET");
	name += strspn(name, "/");
	end = strchr(name, '/');
	snprintf(region, sizeof(region), "%.*s", (int)(end ? (size_t)(end - name) : strlen(name)), name);
	r = region[0] ? sim_world_region(w, region) : app_dns_region(s);
	if (r < 0 || (size_t)r >= w->n_regions)
		return plain_error(resp, 404, "NotFound", "no such region");
	if (end && strncmp(end, "/tg/", 4) == 0) {   /* a test listener: straight to one target group */
		char tg[SIM_NAME_MAX];
		snprintf(tg, sizeof(tg), "%.*s", (int)strcspn(end + 4, "/"), end + 4);
		end = strchr(end + 4, '/');
		return app_answer(s, r, req, end ? end + 1 : "", tg, resp);
	}
	app_answer(s, r, req, end ? end + 1 : "", NULL, resp);
}

/* GET /_sim/cdn/[PATH]: one viewer request through the CloudFront distribution
 * (sim/svc_cloudfront.c): CloudFront itself answers 503 at the cloudfront-5xx
 * rate; else its origin group asks the regions' ALBs in order (the primary
 * region's first) and fails over to the next on 500, 502, 503 and 504.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/high_availability_origin_failover.html */
static void serve_cdn(struct sim *s, const struct sim_req *req, struct sim_resp *resp)
{
	struct sim_world *w = s->world;
	const char *path = req->path + strlen("/_sim/cdn");
	bool asked = false;

	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0)
		return plain_error(resp, 405, "MethodNotAllowed", "use GET");
	path += strspn(path, "/");
	if (w->cdn_error_rate > 0 && app_rand(s) < w->cdn_error_rate) {
		resp->status = 503;
		snprintf(resp->content_type, sizeof(resp->content_type), "text/plain");
		sim_resp_header(resp, "X-Cache", "Error from cloudfront");
		strbuf_adds(&resp->body, "503 ERROR: the request could not be satisfied (cloudfront)\n");
		return;
	}
	for (size_t r = 0; r < w->n_regions; r++) {
		if (!w->regions[r].n_lbs)
			continue;
		if (asked) {   /* the next origin of the group answers instead */
			strbuf_reset(&resp->body);
			resp->status = 0;
		}
		app_answer(s, (int)r, req, path, NULL, resp);
		asked = true;
		if (resp->status != 500 && resp->status != 502 && resp->status != 503 && resp->status != 504)
			break;
	}
	if (!asked)
		return plain_error(resp, 502, "BadGateway", "the distribution has no origin");
	sim_resp_header(resp, "X-Cache", "Miss from cloudfront");
}

/* /_sim: state, requests, fault, clear, app, cdn. */
void endpoints_control(struct sim *s, const struct sim_req *req, struct sim_resp *resp)
{
	json_t *o;

	if (strcmp(req->path, "/_sim/app") == 0 || strncmp(req->path, "/_sim/app/", 10) == 0) {
		serve_app(s, req, resp);
	} else if (strcmp(req->path, "/_sim/cdn") == 0 || strncmp(req->path, "/_sim/cdn/", 10) == 0) {
		serve_cdn(s, req, resp);
	} else if (strcmp(req->path, "/_sim/state") == 0 && strcmp(req->method, "GET") == 0) {
		o = sim_world_to_json(s->world);
		json_object_set_new(o, "faults", json_string(s->faults.specs));
		json_object_set_new(o, "delayed_peak", json_integer((json_int_t)httpd_delayed_peak(s->httpd)));
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
		server_tick(s);
		if (sim_fault_add(&s->faults, s->world, spec, &err) < 0)
			plain_error(resp, 400, err.code, err.message);
		else {
			sim_services_tick(s->world);
			sim_resp_json(resp, 200, "application/json",
				      json_pack("{s:s}", "faults", s->faults.specs));
		}
		free(spec);
	} else if (strcmp(req->path, "/_sim/clear") == 0 && strcmp(req->method, "POST") == 0) {
		server_tick(s);
		sim_fault_clear(&s->faults, s->world);
		sim_services_tick(s->world);
		sim_resp_json(resp, 200, "application/json", json_pack("{s:s}", "faults", ""));
	} else {
		plain_error(resp, 404, "NotFound", "no such /_sim endpoint (state, requests, fault, clear, app)");
	}
}

