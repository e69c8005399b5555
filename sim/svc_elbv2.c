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
static int req_region(struct sim_ctx *ctx, const struct sim_req *req)
{
	return sim_world_region(ctx->world, req->region);
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

static int describe_lbs(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	const char *arns[ARNS_MAX], *names[ARNS_MAX];
	size_t n_arns = sim_param_list(req, "LoadBalancerArns", arns, ARNS_MAX);
	size_t n_names = sim_param_list(req, "Names", names, ARNS_MAX);
	int ri = req_region(ctx, req);
	struct strbuf *b = &resp->body;
	struct sim_pager p;
	size_t i, k, found = 0;

	if (sim_pager_begin(ctx, req, resp, "Marker", "ValidationError", "PageSize", &p) < 0)
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
		found++;
	}
	sim_query_begin(ctx, resp, "DescribeLoadBalancers");
	strbuf_adds(b, "    <LoadBalancers>");
	for (i = 0; ri >= 0 && i < ctx->world->regions[ri].n_lbs; i++) {
		const struct sim_load_balancer *lb = &ctx->world->regions[ri].lbs[i];
		const char *rn = ctx->world->regions[ri].name;
		if (!wanted(arns, n_arns, lb->arn, NULL) || !wanted(names, n_names, lb->name, NULL) ||
		    !sim_pager_take(&p))
			continue;
		strbuf_adds(b, "\n      <member>");
		sim_xml_elem(b, "LoadBalancerArn", lb->arn);
		sim_xml_elem(b, "DNSName", lb->dns_name);
		sim_xml_elem(b, "CanonicalHostedZoneId", lb->zone_id);
		sim_xml_time(b, "CreatedTime", lb->created_s);
		sim_xml_elem(b, "LoadBalancerName", lb->name);
		sim_xml_elem(b, "Scheme", lb->scheme);
		sim_xml_elem(b, "VpcId", lb->vpc_id);
		strbuf_adds(b, "<State><Code>active</Code></State>");
		sim_xml_elem(b, "Type", "application");
		strbuf_adds(b, "<AvailabilityZones>");
		for (k = 0; k < 2; k++) {
			strbuf_adds(b, "<member>");
			sim_xml_elemf(b, "ZoneName", "%s%c", rn, k ? 'c' : 'a');
			sim_xml_elemf(b, "SubnetId", "subnet-0%c%.15s", k ? 'c' : 'a', lb->vpc_id + 5);
			strbuf_adds(b, "<LoadBalancerAddresses/></member>");
		}
		strbuf_adds(b, "</AvailabilityZones><SecurityGroups>");
		sim_xml_elemf(b, "member", "sg-0%.16s", lb->vpc_id + 5);
		strbuf_adds(b, "</SecurityGroups>");
		sim_xml_elem(b, "IpAddressType", "ipv4");
		strbuf_adds(b, "</member>");
	}
	(void)found;
	sim_pager_end(b, &p, "LoadBalancers", "NextMarker");
	sim_query_end(ctx, resp, "DescribeLoadBalancers");
	return 0;
}

/* One target group <member>. */
static void tg_xml(struct sim_ctx *ctx, struct strbuf *b, const struct sim_target_group *tg)
{
	const struct sim_region *r = &ctx->world->regions[tg->region];
	const struct sim_timing *t = &ctx->world->timing;
	int interval = (int)ceil(t->health_interval_s);
	size_t i;

	strbuf_adds(b, "\n      <member>");
	sim_xml_elem(b, "TargetGroupArn", tg->arn);
	sim_xml_elem(b, "TargetGroupName", tg->name);
	sim_xml_elem(b, "Protocol", tg->protocol);
	sim_xml_elemf(b, "Port", "%d", tg->port);
	sim_xml_elem(b, "VpcId", tg->vpc_id);
	sim_xml_elem(b, "HealthCheckProtocol", tg->protocol);
	sim_xml_elem(b, "HealthCheckPort", "traffic-port");
	sim_xml_elem(b, "HealthCheckEnabled", "true");
	sim_xml_elemf(b, "HealthCheckIntervalSeconds", "%d", interval < 1 ? 1 : interval);
	sim_xml_elemf(b, "HealthCheckTimeoutSeconds", "%d", interval > 5 ? 5 : interval > 2 ? interval - 1 : 1);
	sim_xml_elemf(b, "HealthyThresholdCount", "%d", t->healthy_threshold);
	sim_xml_elemf(b, "UnhealthyThresholdCount", "%d", t->unhealthy_threshold);
	sim_xml_elem(b, "HealthCheckPath", tg->health_path);
	strbuf_adds(b, "<Matcher><HttpCode>200</HttpCode></Matcher><LoadBalancerArns>");
	for (i = 0; i < r->n_lbs; i++)
		if (lb_uses_tg(&r->lbs[i], tg))
			sim_xml_elem(b, "member", r->lbs[i].arn);
	strbuf_adds(b, "</LoadBalancerArns>");
	sim_xml_elem(b, "TargetType", "instance");
	sim_xml_elem(b, "ProtocolVersion", "HTTP1");
	sim_xml_elem(b, "IpAddressType", "ipv4");
	strbuf_adds(b, "</member>");
}

static int describe_tgs(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	const char *arns[ARNS_MAX], *names[ARNS_MAX];
	size_t n_arns = sim_param_list(req, "TargetGroupArns", arns, ARNS_MAX);
	size_t n_names = sim_param_list(req, "Names", names, ARNS_MAX);
	const char *lb_arn = sim_param(req, "LoadBalancerArn");
	int ri = req_region(ctx, req);
	const struct sim_load_balancer *lb = NULL;
	struct strbuf *b = &resp->body;
	struct sim_pager p;
	size_t i, k;

	if (sim_pager_begin(ctx, req, resp, "Marker", "ValidationError", "PageSize", &p) < 0)
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
	sim_query_begin(ctx, resp, "DescribeTargetGroups");
	strbuf_adds(b, "    <TargetGroups>");
	for (i = 0; ri >= 0 && i < ctx->world->regions[ri].n_tgs; i++) {
		const struct sim_target_group *tg = &ctx->world->regions[ri].tgs[i];
		if (!wanted(arns, n_arns, tg->arn, NULL) || !wanted(names, n_names, tg->name, NULL) ||
		    (lb && !lb_uses_tg(lb, tg)) || !sim_pager_take(&p))
			continue;
		tg_xml(ctx, b, tg);
	}
	sim_pager_end(b, &p, "TargetGroups", "NextMarker");
	sim_query_end(ctx, resp, "DescribeTargetGroups");
	return 0;
}

/* One TargetHealthDescription. */
static void health_xml(struct strbuf *b, const char *id, int port, const char *az,
		       const char *state, const char *reason, const char *desc)
{
	strbuf_adds(b, "\n      <member>");
	sim_xml_elemf(b, "HealthCheckPort", "%d", port);
	strbuf_adds(b, "<Target>");
	sim_xml_elem(b, "Id", id);
	sim_xml_elemf(b, "Port", "%d", port);
	if (az && az[0])
		sim_xml_elem(b, "AvailabilityZone", az);
	strbuf_adds(b, "</Target><TargetHealth>");
	sim_xml_elem(b, "State", state);
	if (reason && reason[0]) {
		sim_xml_elem(b, "Reason", reason);
		sim_xml_elem(b, "Description", desc);
	}
	strbuf_adds(b, "</TargetHealth></member>");
}

static int describe_health(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	const char *arn = sim_require(ctx, req, resp, "TargetGroupArn", "ValidationError");
	int ri = req_region(ctx, req);
	struct sim_target_group *tg;
	struct strbuf *b = &resp->body;
	char name[96];
	size_t i, k;

	if (!arn)
		return 0;
	tg = ri >= 0 ? sim_world_tg(ctx->world, ri, arn) : NULL;
	if (!tg || tg->region != ri || strcmp(tg->arn, arn) != 0)
		return sim_error(ctx, resp, 400, "TargetGroupNotFound",
				 "Target groups '%.200s' not found", arn);
	sim_query_begin(ctx, resp, "DescribeTargetHealth");
	strbuf_adds(b, "    <TargetHealthDescriptions>");
	snprintf(name, sizeof(name), "Targets.member.1.Id");
	if (!sim_param(req, name)) {
		for (i = 0; i < tg->n_targets; i++) {
			const struct sim_target *t = &tg->targets[i];
			health_xml(b, t->id, t->port, NULL, sim_target_state_name(t->state), t->reason,
				   t->description);
		}
	} else {
		for (k = 1; k <= 1000; k++) {
			const char *id, *port_s;
			int port;
			snprintf(name, sizeof(name), "Targets.member.%zu.Id", k);
			if (!(id = sim_param(req, name)))
				break;
			snprintf(name, sizeof(name), "Targets.member.%zu.Port", k);
			port_s = sim_param(req, name);
			port = port_s ? atoi(port_s) : tg->port;
			for (i = 0; i < tg->n_targets; i++)
				if (strcmp(tg->targets[i].id, id) == 0 && tg->targets[i].port == port)
					break;
			if (i < tg->n_targets)
				health_xml(b, id, port, NULL, sim_target_state_name(tg->targets[i].state),
					   tg->targets[i].reason, tg->targets[i].description);
			else
				health_xml(b, id, port, NULL, "unused", "Target.NotRegistered",
					   "Target is not registered to the target group");
		}
	}
	strbuf_adds(b, "\n    </TargetHealthDescriptions>");
	sim_query_end(ctx, resp, "DescribeTargetHealth");
	return 0;
}

/* One listener <member>. */
static void listener_xml(struct strbuf *b, const struct sim_listener *l)
{
	strbuf_adds(b, "\n      <member>");
	sim_xml_elem(b, "ListenerArn", l->arn);
	sim_xml_elem(b, "LoadBalancerArn", l->lb_arn);
	sim_xml_elemf(b, "Port", "%d", l->port);
	sim_xml_elem(b, "Protocol", l->protocol);
	elbv2_actions_xml(b, "DefaultActions", &l->rules[0]);
	strbuf_adds(b, "</member>");
}

/* The listener of an ARN in the request's region; NULL after ListenerNotFound. */
static struct sim_listener *find_listener(struct sim_ctx *ctx, const struct sim_req *req,
					  struct sim_resp *resp, const char *arn)
{
	struct sim_listener *l = sim_world_listener(ctx->world, arn);
	struct sim_load_balancer *lb = l ? sim_world_lb(ctx->world, -1, l->lb_arn) : NULL;

	if (!l || !lb || lb->region != req_region(ctx, req)) {
		sim_error(ctx, resp, 400, "ListenerNotFound", "One or more listeners not found");
		return NULL;
	}
	return l;
}

static int describe_listeners(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	const char *arns[ARNS_MAX];
	size_t n_arns = sim_param_list(req, "ListenerArns", arns, ARNS_MAX);
	const char *lb_arn = sim_param(req, "LoadBalancerArn");
	int ri = req_region(ctx, req);
	struct sim_load_balancer *lb = NULL;
	struct strbuf *b = &resp->body;
	struct sim_pager p;
	size_t i, l;

	if (sim_pager_begin(ctx, req, resp, "Marker", "ValidationError", "PageSize", &p) < 0)
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
		if (!find_listener(ctx, req, resp, arns[i]))
			return 0;
	sim_query_begin(ctx, resp, "DescribeListeners");
	strbuf_adds(b, "    <Listeners>");
	for (i = 0; ri >= 0 && i < ctx->world->regions[ri].n_lbs; i++) {
		const struct sim_load_balancer *x = &ctx->world->regions[ri].lbs[i];
		if (lb && x != lb)
			continue;
		for (l = 0; l < x->n_listeners; l++)
			if (wanted(arns, n_arns, x->listeners[l].arn, NULL) && sim_pager_take(&p))
				listener_xml(b, &x->listeners[l]);
	}
	sim_pager_end(b, &p, "Listeners", "NextMarker");
	sim_query_end(ctx, resp, "DescribeListeners");
	return 0;
}

/* One rule <member>. */
static void rule_xml(struct strbuf *b, const struct sim_rule *r)
{
	strbuf_adds(b, "\n      <member>");
	sim_xml_elem(b, "RuleArn", r->arn);
	sim_xml_elem(b, "Priority", r->priority);
	elbv2_conditions_xml(b, r);
	elbv2_actions_xml(b, "Actions", r);
	sim_xml_elem(b, "IsDefault", r->is_default ? "true" : "false");
	strbuf_adds(b, "</member>");
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
static struct sim_rule *find_rule(struct sim_ctx *ctx, const struct sim_req *req,
				  struct sim_resp *resp, const char *arn)
{
	struct sim_rule *r = sim_world_rule(ctx->world, arn);
	struct sim_listener *l = r ? rule_listener(ctx->world, r) : NULL;
	struct sim_load_balancer *lb = l ? sim_world_lb(ctx->world, -1, l->lb_arn) : NULL;

	if (!lb || lb->region != req_region(ctx, req)) {
		sim_error(ctx, resp, 400, "RuleNotFound", "One or more rules not found");
		return NULL;
	}
	return r;
}

static int describe_rules(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	const char *arns[ARNS_MAX];
	size_t n_arns = sim_param_list(req, "RuleArns", arns, ARNS_MAX);
	const char *l_arn = sim_param(req, "ListenerArn");
	struct sim_listener *l = NULL;
	struct strbuf *b = &resp->body;
	struct sim_pager p;
	size_t i;

	if (sim_pager_begin(ctx, req, resp, "Marker", "ValidationError", "PageSize", &p) < 0)
		return 0;
	if (!l_arn && !n_arns)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "You must specify either listener or rule ARNs");
	if (l_arn && !(l = find_listener(ctx, req, resp, l_arn)))
		return 0;
	for (i = 0; i < n_arns; i++) {
		struct sim_rule *r = find_rule(ctx, req, resp, arns[i]);
		if (!r)
			return 0;
		if (!l)
			l = rule_listener(ctx->world, r);
	}
	sim_query_begin(ctx, resp, "DescribeRules");
	strbuf_adds(b, "    <Rules>");
	/* non-default rules by priority (they are kept sorted), the default rule last */
	for (i = 1; i <= l->n_rules; i++) {
		const struct sim_rule *r = &l->rules[i % l->n_rules];
		if (wanted(arns, n_arns, r->arn, NULL) && sim_pager_take(&p))
			rule_xml(b, r);
	}
	sim_pager_end(b, &p, "Rules", "NextMarker");
	sim_query_end(ctx, resp, "DescribeRules");
	return 0;
}

static int modify_listener(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	const char *arn = sim_require(ctx, req, resp, "ListenerArn", "ValidationError");
	struct sim_listener *l;
	struct sim_rule nr;
	struct strbuf *b = &resp->body;
	long port;
	int has;

	if (!arn || !(l = find_listener(ctx, req, resp, arn)))
		return 0;
	if (sim_param_int(ctx, req, resp, "Port", 1, 65535, l->port, &port) < 0)
		return 0;
	nr = l->rules[0];
	has = elbv2_parse_actions(ctx, req, resp, "DefaultActions", req_region(ctx, req), &nr);
	if (has < 0)
		return 0;
	if (sim_param(req, "Protocol") && strcmp(sim_param(req, "Protocol"), "HTTP") != 0 &&
	    strcmp(sim_param(req, "Protocol"), "HTTPS") != 0)
		return sim_error(ctx, resp, 400, "ValidationError", "Protocol '%.16s' is not valid for an application load balancer",
				 sim_param(req, "Protocol"));
	if (sim_param(req, "Protocol"))
		snprintf(l->protocol, sizeof(l->protocol), "%s", sim_param(req, "Protocol"));
	l->port = (int)port;
	if (has)
		l->rules[0] = nr;
	sim_query_begin(ctx, resp, "ModifyListener");
	strbuf_adds(b, "    <Listeners>");
	listener_xml(b, l);
	strbuf_adds(b, "\n    </Listeners>");
	sim_query_end(ctx, resp, "ModifyListener");
	return 0;
}

static int modify_rule(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	const char *arn = sim_require(ctx, req, resp, "RuleArn", "ValidationError");
	struct sim_rule *r, nr;
	struct strbuf *b = &resp->body;
	int has;

	if (!arn || !(r = find_rule(ctx, req, resp, arn)))
		return 0;
	nr = *r;
	if (sim_param(req, "Conditions.member.1.Field") && r->is_default)
		return sim_error(ctx, resp, 400, "OperationNotPermitted",
				 "Conditions cannot be specified for the default rule");
	if (elbv2_parse_conditions(ctx, req, resp, &nr) < 0)
		return 0;
	has = elbv2_parse_actions(ctx, req, resp, "Actions", req_region(ctx, req), &nr);
	if (has < 0)
		return 0;
	*r = nr;
	sim_query_begin(ctx, resp, "ModifyRule");
	strbuf_adds(b, "    <Rules>");
	rule_xml(b, r);
	strbuf_adds(b, "\n    </Rules>");
	sim_query_end(ctx, resp, "ModifyRule");
	return 0;
}

static const struct sim_op elbv2_ops[] = {
	{ .name = "DescribeLoadBalancers", .mutating = false, .fn = describe_lbs },
	{ .name = "DescribeTargetGroups", .mutating = false, .fn = describe_tgs },
	{ .name = "DescribeTargetHealth", .mutating = false, .fn = describe_health },
	{ .name = "DescribeListeners", .mutating = false, .fn = describe_listeners },
	{ .name = "DescribeRules", .mutating = false, .fn = describe_rules },
	{ .name = "ModifyListener", .mutating = true, .fn = modify_listener },
	{ .name = "ModifyRule", .mutating = true, .fn = modify_rule },
	{ .name = NULL },
};

int sim_elbv2_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	return sim_dispatch_query(ctx, req, resp, elbv2_ops);
}
