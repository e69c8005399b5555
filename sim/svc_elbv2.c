/* svc_elbv2.c — Elastic Load Balancing v2 (query 2015-12-01): load balancers, target
 * groups, target health, listeners and rules, ModifyListener / ModifyRule (actions and
 * conditions: svc_elbv2_rules.c). Listings page with Marker / NextMarker. */
#include "sim/svc_elbv2.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARNS_MAX 100

/* The region index of the request (-1: a region without a stack). */
static int req_region(struct sim_ctx *ctx)
{
	return sim_world_region(ctx->world, ctx->region);
}

/* Is key among the n values (or are there none)? */
static bool wanted(const char *const *vals, size_t n, const char *a, const char *b)
{
	size_t i;

	if (n == 0)
		return true;
	for (i = 0; i < n; i++)
		if (strcmp(vals[i], a) == 0 || (b && strcmp(vals[i], b) == 0))
			return true;
	return false;
}

/* Does any listener rule of lb forward to tg? */
static bool lb_uses_tg(const struct sim_load_balancer *lb, const struct sim_target_group *tg)
{
	size_t l, r, f;

	for (l = 0; l < lb->n_listeners; l++)
		for (r = 0; r < lb->listeners[l].n_rules; r++)
			for (f = 0; f < lb->listeners[l].rules[r].n_fwd; f++)
				if (strcmp(lb->listeners[l].rules[r].fwd[f].tg_arn, tg->arn) == 0)
					return true;
	return false;
}

/* One LoadBalancer of DescribeLoadBalancers. */
static json_t *lb_json(const struct sim_load_balancer *lb, const char *rn)
{
	json_t *azs = json_array();
	char sg[40];

	for (int k = 0; k < 2; k++) {
		char zone[48], subnet[40];
		snprintf(zone, sizeof(zone), "%s%c", rn, k ? 'c' : 'a');
		snprintf(subnet, sizeof(subnet), "subnet-0%c%.15s", k ? 'c' : 'a', lb->vpc_id + 5);
		json_array_append_new(azs, json_pack("{s:s, s:s, s:[]}", "ZoneName", zone, "SubnetId", subnet,
						     "LoadBalancerAddresses"));
	}
	snprintf(sg, sizeof(sg), "sg-0%.16s", lb->vpc_id + 5);
	return json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:{s:s}, s:s, s:o, s:[s], s:s}",
			 "LoadBalancerArn", lb->arn, "DNSName", lb->dns_name, "CanonicalHostedZoneId", lb->zone_id,
			 "CreatedTime", sim_out_time(lb->created_s), "LoadBalancerName", lb->name,
			 "Scheme", lb->scheme, "VpcId", lb->vpc_id, "State", "Code", "active",
			 "Type", "application", "AvailabilityZones", azs, "SecurityGroups", sg,
			 "IpAddressType", "ipv4");
}

static int describe_lbs(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *arns[ARNS_MAX], *names[ARNS_MAX];
	size_t n_arns = sim_in_strs(in, "LoadBalancerArns", arns, ARNS_MAX);
	size_t n_names = sim_in_strs(in, "Names", names, ARNS_MAX);
	int ri = req_region(ctx);
	struct sim_pager p;
	size_t i, k;
	json_t *list;

	if (sim_in_pager(ctx, resp, in, "Marker", "ValidationError", "PageSize", &p) < 0)
		return 0;
	if (n_arns && n_names)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "Load balancer names and load balancer ARNs cannot be specified at the same time");
	for (k = 0; k < n_arns + n_names; k++) {
		const char *want = k < n_arns ? arns[k] : names[k - n_arns];
		for (i = 0; ri >= 0 && i < ctx->world->regions[ri].n_lbs; i++)
			if (strcmp(ctx->world->regions[ri].lbs[i].arn, want) == 0 ||
			    strcmp(ctx->world->regions[ri].lbs[i].name, want) == 0)
				break;
		if (ri < 0 || i == ctx->world->regions[ri].n_lbs)
			return sim_error(ctx, resp, 400, "LoadBalancerNotFound",
					 "Load balancers '[%.200s]' not found", want);
	}
	list = json_array();
	for (i = 0; ri >= 0 && i < ctx->world->regions[ri].n_lbs; i++) {
		const struct sim_load_balancer *lb = &ctx->world->regions[ri].lbs[i];
		if (wanted(arns, n_arns, lb->arn, NULL) && wanted(names, n_names, lb->name, NULL) &&
		    sim_pager_take(&p))
			json_array_append_new(list, lb_json(lb, ctx->world->regions[ri].name));
	}
	*out = json_pack("{s:o}", "LoadBalancers", list);
	sim_out_token(*out, &p, "NextMarker");
	return 0;
}

/* One TargetGroup. */
static json_t *tg_json(struct sim_ctx *ctx, const struct sim_target_group *tg)
{
	const struct sim_region *r = &ctx->world->regions[tg->region];
	const struct sim_timing *t = &ctx->world->timing;
	int interval = (int)ceil(t->health_interval_s);
	json_t *lbs = json_array();
	size_t i;

	for (i = 0; i < r->n_lbs; i++)
		if (lb_uses_tg(&r->lbs[i], tg))
			json_array_append_new(lbs, json_string(r->lbs[i].arn));
	return json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:b, s:i, s:i, s:i, s:i, s:s, s:{s:s}, s:o,"
			 " s:s, s:s, s:s}",
			 "TargetGroupArn", tg->arn, "TargetGroupName", tg->name, "Protocol", tg->protocol,
			 "Port", tg->port, "VpcId", tg->vpc_id, "HealthCheckProtocol", tg->protocol,
			 "HealthCheckPort", "traffic-port", "HealthCheckEnabled", 1,
			 "HealthCheckIntervalSeconds", interval < 1 ? 1 : interval,
			 "HealthCheckTimeoutSeconds", interval > 5 ? 5 : interval > 2 ? interval - 1 : 1,
			 "HealthyThresholdCount", t->healthy_threshold,
			 "UnhealthyThresholdCount", t->unhealthy_threshold, "HealthCheckPath", tg->health_path,
			 "Matcher", "HttpCode", "200", "LoadBalancerArns", lbs, "TargetType", "instance",
			 "ProtocolVersion", "HTTP1", "IpAddressType", "ipv4");
}

static int describe_tgs(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *arns[ARNS_MAX], *names[ARNS_MAX];
	size_t n_arns = sim_in_strs(in, "TargetGroupArns", arns, ARNS_MAX);
	size_t n_names = sim_in_strs(in, "Names", names, ARNS_MAX);
	const char *lb_arn = sim_in_str(in, "LoadBalancerArn");
	int ri = req_region(ctx);
	const struct sim_load_balancer *lb = NULL;
	struct sim_pager p;
	size_t i, k;
	json_t *list;

	if (sim_in_pager(ctx, resp, in, "Marker", "ValidationError", "PageSize", &p) < 0)
		return 0;
	if ((n_arns > 0) + (n_names > 0) + (lb_arn != NULL) > 1)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "Target group names, target group ARNs, and a load balancer ARN cannot be specified at the same time");
	if (lb_arn) {
		lb = ri >= 0 ? sim_world_lb(ctx->world, ri, lb_arn) : NULL;
		if (!lb || lb->region != ri)
			return sim_error(ctx, resp, 400, "LoadBalancerNotFound",
					 "Load balancers '[%.200s]' not found", lb_arn);
	}
	for (k = 0; k < n_arns + n_names; k++) {
		const char *want = k < n_arns ? arns[k] : names[k - n_arns];
		struct sim_target_group *tg = ri >= 0 ? sim_world_tg(ctx->world, ri, want) : NULL;
		if (!tg || tg->region != ri)
			return sim_error(ctx, resp, 400, "TargetGroupNotFound",
					 "One or more target groups not found");
	}
	list = json_array();
	for (i = 0; ri >= 0 && i < ctx->world->regions[ri].n_tgs; i++) {
		const struct sim_target_group *tg = &ctx->world->regions[ri].tgs[i];
		if (wanted(arns, n_arns, tg->arn, NULL) && wanted(names, n_names, tg->name, NULL) &&
		    (!lb || lb_uses_tg(lb, tg)) && sim_pager_take(&p))
			json_array_append_new(list, tg_json(ctx, tg));
	}
	*out = json_pack("{s:o}", "TargetGroups", list);
	sim_out_token(*out, &p, "NextMarker");
	return 0;
}

/* One TargetHealthDescription. */
static json_t *health_json(const char *id, int port, const char *state, const char *reason, const char *desc)
{
	char hport[16];
	json_t *th = json_pack("{s:s}", "State", state);

	if (reason && reason[0]) {
		json_object_set_new(th, "Reason", json_string(reason));
		json_object_set_new(th, "Description", json_string(desc ? desc : ""));
	}
	snprintf(hport, sizeof(hport), "%d", port);
	return json_pack("{s:s, s:{s:s, s:i}, s:o}", "HealthCheckPort", hport, "Target", "Id", id, "Port", port,
			 "TargetHealth", th);
}

static int describe_health(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *arn = sim_in_require(ctx, resp, in, "TargetGroupArn", "ValidationError");
	json_t *targets = json_object_get(in, "Targets"), *list;
	int ri = req_region(ctx);
	struct sim_target_group *tg;
	size_t i, k;

	if (!arn)
		return 0;
	tg = ri >= 0 ? sim_world_tg(ctx->world, ri, arn) : NULL;
	if (!tg || tg->region != ri || strcmp(tg->arn, arn) != 0)
		return sim_error(ctx, resp, 400, "TargetGroupNotFound",
				 "Target groups '%.200s' not found", arn);
	list = json_array();
	for (i = 0; !json_array_size(targets) && i < tg->n_targets; i++) {
		const struct sim_target *t = &tg->targets[i];
		json_array_append_new(list, health_json(t->id, t->port, sim_target_state_name(t->state),
							t->reason, t->description));
	}
	for (k = 0; k < json_array_size(targets) && k < 1000; k++) {
		json_t *tj = json_array_get(targets, k), *pj = json_object_get(tj, "Port");
		const char *id = sim_in_str(tj, "Id");
		int port = json_is_integer(pj) ? (int)json_integer_value(pj) : tg->port;
		if (!id)
			break;
		for (i = 0; i < tg->n_targets; i++)
			if (strcmp(tg->targets[i].id, id) == 0 && tg->targets[i].port == port)
				break;
		if (i < tg->n_targets)
			json_array_append_new(list, health_json(id, port, sim_target_state_name(tg->targets[i].state),
								tg->targets[i].reason, tg->targets[i].description));
		else
			json_array_append_new(list, health_json(id, port, "unused", "Target.NotRegistered",
								"Target is not registered to the target group"));
	}
	*out = json_pack("{s:o}", "TargetHealthDescriptions", list);
	return 0;
}

/* One Listener. */
static json_t *listener_json(const struct sim_listener *l)
{
	return json_pack("{s:s, s:s, s:i, s:s, s:o}", "ListenerArn", l->arn, "LoadBalancerArn", l->lb_arn,
			 "Port", l->port, "Protocol", l->protocol, "DefaultActions", elbv2_actions_json(&l->rules[0]));
}

/* The listener of an ARN in the request's region; NULL after ListenerNotFound. */
static struct sim_listener *find_listener(struct sim_ctx *ctx, struct sim_resp *resp, const char *arn)
{
	struct sim_listener *l = sim_world_listener(ctx->world, arn);
	struct sim_load_balancer *lb = l ? sim_world_lb(ctx->world, -1, l->lb_arn) : NULL;

	if (!l || !lb || lb->region != req_region(ctx)) {
		sim_error(ctx, resp, 400, "ListenerNotFound", "One or more listeners not found");
		return NULL;
	}
	return l;
}

static int describe_listeners(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *arns[ARNS_MAX];
	size_t n_arns = sim_in_strs(in, "ListenerArns", arns, ARNS_MAX);
	const char *lb_arn = sim_in_str(in, "LoadBalancerArn");
	int ri = req_region(ctx);
	struct sim_load_balancer *lb = NULL;
	struct sim_pager p;
	size_t i, l;
	json_t *list;

	if (sim_in_pager(ctx, resp, in, "Marker", "ValidationError", "PageSize", &p) < 0)
		return 0;
	if (!lb_arn && !n_arns)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "You must specify either listener ARNs or a load balancer ARN");
	if (lb_arn && n_arns)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "Listener ARNs and a load balancer ARN cannot be specified at the same time");
	if (lb_arn) {
		lb = ri >= 0 ? sim_world_lb(ctx->world, ri, lb_arn) : NULL;
		if (!lb || lb->region != ri || strcmp(lb->arn, lb_arn) != 0)
			return sim_error(ctx, resp, 400, "LoadBalancerNotFound",
					 "Load balancers '[%.200s]' not found", lb_arn);
	}
	for (i = 0; i < n_arns; i++)
		if (!find_listener(ctx, resp, arns[i]))
			return 0;
	list = json_array();
	for (i = 0; ri >= 0 && i < ctx->world->regions[ri].n_lbs; i++) {
		const struct sim_load_balancer *x = &ctx->world->regions[ri].lbs[i];
		if (lb && x != lb)
			continue;
		for (l = 0; l < x->n_listeners; l++)
			if (wanted(arns, n_arns, x->listeners[l].arn, NULL) && sim_pager_take(&p))
				json_array_append_new(list, listener_json(&x->listeners[l]));
	}
	*out = json_pack("{s:o}", "Listeners", list);
	sim_out_token(*out, &p, "NextMarker");
	return 0;
}

/* One Rule. */
static json_t *rule_json(const struct sim_rule *r)
{
	return json_pack("{s:s, s:s, s:o, s:o, s:b}", "RuleArn", r->arn, "Priority", r->priority,
			 "Conditions", elbv2_conditions_json(r), "Actions", elbv2_actions_json(r),
			 "IsDefault", r->is_default);
}

/* The listener that holds a rule. */
static struct sim_listener *rule_listener(struct sim_world *w, const struct sim_rule *rule)
{
	size_t r, i, l;

	for (r = 0; r < w->n_regions; r++)
		for (i = 0; i < w->regions[r].n_lbs; i++)
			for (l = 0; l < w->regions[r].lbs[i].n_listeners; l++) {
				struct sim_listener *li = &w->regions[r].lbs[i].listeners[l];
				if (rule >= li->rules && rule < li->rules + li->n_rules)
					return li;
			}
	return NULL;
}

/* The rule of an ARN in the request's region; NULL after RuleNotFound. */
static struct sim_rule *find_rule(struct sim_ctx *ctx, struct sim_resp *resp, const char *arn)
{
	struct sim_rule *r = sim_world_rule(ctx->world, arn);
	struct sim_listener *l = r ? rule_listener(ctx->world, r) : NULL;
	struct sim_load_balancer *lb = l ? sim_world_lb(ctx->world, -1, l->lb_arn) : NULL;

	if (!lb || lb->region != req_region(ctx)) {
		sim_error(ctx, resp, 400, "RuleNotFound", "One or more rules not found");
		return NULL;
	}
	return r;
}

static int describe_rules(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *arns[ARNS_MAX];
	size_t n_arns = sim_in_strs(in, "RuleArns", arns, ARNS_MAX);
	const char *l_arn = sim_in_str(in, "ListenerArn");
	struct sim_listener *l = NULL;
	struct sim_pager p;
	size_t i;
	json_t *list;

	if (sim_in_pager(ctx, resp, in, "Marker", "ValidationError", "PageSize", &p) < 0)
		return 0;
	if (!l_arn && !n_arns)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "You must specify either listener or rule ARNs");
	if (l_arn && !(l = find_listener(ctx, resp, l_arn)))
		return 0;
	for (i = 0; i < n_arns; i++) {
		struct sim_rule *r = find_rule(ctx, resp, arns[i]);
		if (!r)
			return 0;
		if (!l)
			l = rule_listener(ctx->world, r);
	}
	list = json_array();
	/* non-default rules by priority (they are kept sorted), the default rule last */
	for (i = 1; i <= l->n_rules; i++) {
		const struct sim_rule *r = &l->rules[i % l->n_rules];
		if (wanted(arns, n_arns, r->arn, NULL) && sim_pager_take(&p))
			json_array_append_new(list, rule_json(r));
	}
	*out = json_pack("{s:o}", "Rules", list);
	sim_out_token(*out, &p, "NextMarker");
	return 0;
}

static int modify_listener(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *arn = sim_in_require(ctx, resp, in, "ListenerArn", "ValidationError");
	const char *proto = sim_in_str(in, "Protocol");
	struct sim_listener *l;
	struct sim_rule nr;
	long port;
	int has;

	if (!arn || !(l = find_listener(ctx, resp, arn)))
		return 0;
	if (sim_in_int(ctx, resp, in, "Port", 1, 65535, l->port, &port) < 0)
		return 0;
	nr = l->rules[0];
	has = elbv2_parse_actions(ctx, resp, in, "DefaultActions", req_region(ctx), &nr);
	if (has < 0)
		return 0;
	if (proto && strcmp(proto, "HTTP") != 0 && strcmp(proto, "HTTPS") != 0)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "Protocol '%.16s' is not valid for an application load balancer", proto);
	if (proto)
		snprintf(l->protocol, sizeof(l->protocol), "%s", proto);
	l->port = (int)port;
	if (has)
		l->rules[0] = nr;
	*out = json_pack("{s:[o]}", "Listeners", listener_json(l));
	return 0;
}

static int modify_rule(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *arn = sim_in_require(ctx, resp, in, "RuleArn", "ValidationError");
	struct sim_rule *r, nr;
	int has;

	if (!arn || !(r = find_rule(ctx, resp, arn)))
		return 0;
	nr = *r;
	if (json_array_size(json_object_get(in, "Conditions")) && r->is_default)
		return sim_error(ctx, resp, 400, "OperationNotPermitted",
				 "Conditions cannot be specified for the default rule");
	if (elbv2_parse_conditions(ctx, resp, in, &nr) < 0)
		return 0;
	has = elbv2_parse_actions(ctx, resp, in, "Actions", req_region(ctx), &nr);
	if (has < 0)
		return 0;
	*r = nr;
	*out = json_pack("{s:[o]}", "Rules", rule_json(r));
	return 0;
}

static const struct sim_shaped_op elbv2_ops[] = {
	{ .name = "DescribeLoadBalancers", .fn = describe_lbs },
	{ .name = "DescribeTargetGroups", .fn = describe_tgs },
	{ .name = "DescribeTargetHealth", .fn = describe_health },
	{ .name = "DescribeListeners", .fn = describe_listeners },
	{ .name = "DescribeRules", .fn = describe_rules },
	{ .name = "ModifyListener", .fn = modify_listener },
	{ .name = "ModifyRule", .fn = modify_rule },
	{ .name = NULL },
};

int sim_elbv2_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	return sim_dispatch_shaped(ctx, req, resp, elbv2_ops);
}
