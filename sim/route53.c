/* route53.c — the simulated Route 53 (rest-xml 2013-04-01) through the shape-driven
 * codec: health checks, what their checkers report, and the table of every Route 53
 * operation (zones, record sets and DNS answers: route53_zones.c, r53dns.c; see
 * route53.h). */
#include "sim/route53.h"

#include "base/xalloc.h"
#include "sim/svcstate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers -------------------------------------------------------------- */

struct sim_zone *route53_find_zone(struct sim_world *w, const char *id)
{
	if (!id)
		return NULL;
	if (strncmp(id, "/hostedzone/", 12) == 0)
		id += 12;
	return sim_world_zone(w, id);
}

int route53_max_items(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in, long *out)
{
	const char *v = sim_in_str(in, "MaxItems");
	const struct sim_page_rule *rule = sim_page_rule_find(resp->operation);
	long max = rule ? rule->max : 100;
	char *end;

	*out = sim_page_default(ctx->world, resp->operation);
	if (!v)
		return 0;
	*out = strtol(v, &end, 10);
	if (!*v || *end || *out < 1) {
		sim_error(ctx, resp, 400, "InvalidInput", "1 validation error detected: Value '%.64s' at 'maxItems' "
			  "failed to satisfy constraint: Member must be a positive integer", v);
		return -1;
	}
	if (*out > max)
		*out = max;
	return 0;
}

int route53_page(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in, size_t n,
		 const char *(*id)(const struct sim_world *w, size_t i), size_t *start, long *max)
{
	const char *marker = sim_in_str(in, "Marker");

	*start = 0;
	if (route53_max_items(ctx, resp, in, max) < 0)
		return -1;
	if (!marker)
		return 0;
	while (*start < n && strcmp(id(ctx->world, *start), marker) != 0)
		(*start)++;
	if (*start == n) {
		sim_error(ctx, resp, 400, "InvalidInput", "The marker %.128s is not valid.", marker);
		return -1;
	}
	return 0;
}

json_t *route53_page_out(json_t *out, const char *list, json_t *items, long max)
{
	char m[24];

	snprintf(m, sizeof(m), "%ld", max);
	json_object_set_new(out, list, items);
	json_object_set_new(out, "MaxItems", json_string(m));
	return out;
}

/* ---- health checks -------------------------------------------------------- */

/* The health check the input names, NULL after NoSuchHealthCheck. */
static struct sim_health_check *input_check(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in)
{
	const char *id = sim_in_str(in, "HealthCheckId");
	struct sim_health_check *c = id ? sim_world_check(ctx->world, id) : NULL;

	if (!c)
		sim_error(ctx, resp, 404, "NoSuchHealthCheck", "A health check with id %.64s does not exist.",
			  id ? id : "");
	return c;
}

/* A HealthCheck: its configuration as its kind has it. */
static json_t *check_json(const struct sim_world *w, const struct sim_health_check *c)
{
	json_t *cfg = json_pack("{s:s, s:b, s:b}", "Type", c->type, "Inverted", c->inverted, "Disabled", c->disabled);

	if (c->kind == SIM_HC_ENDPOINT) {
		json_object_set_new(cfg, "Port", json_integer(c->port));
		if (strcmp(c->type, "TCP") != 0)
			json_object_set_new(cfg, "ResourcePath", json_string(c->path));
		json_object_set_new(cfg, "FullyQualifiedDomainName", json_string(c->fqdn));
		json_object_set_new(cfg, "RequestInterval", json_integer(c->interval_s));
		json_object_set_new(cfg, "FailureThreshold", json_integer(c->failure_threshold));
		json_object_set_new(cfg, "MeasureLatency", json_false());
		json_object_set_new(cfg, "EnableSNI", json_boolean(strcmp(c->type, "HTTPS") == 0));
	} else if (c->kind == SIM_HC_CALCULATED) {
		json_t *kids = json_array();
		for (size_t i = 0; i < c->n_children; i++)
			json_array_append_new(kids, json_string(c->children[i]));
		json_object_set_new(cfg, "HealthThreshold", json_integer(c->health_threshold));
		json_object_set_new(cfg, "ChildHealthChecks", kids);
	} else if (c->control >= 0 && (size_t)c->control < w->n_controls) {
		json_object_set_new(cfg, "RoutingControlArn", json_string(w->controls[c->control].arn));
	}
	return json_pack("{s:s, s:s, s:o, s:I}", "Id", c->id, "CallerReference", c->caller_ref,
			 "HealthCheckConfig", cfg, "HealthCheckVersion", (json_int_t)c->version);
}

static const char *check_id(const struct sim_world *w, size_t i)
{
	return w->checks[i].id;
}

/* ListHealthChecks, paged by marker (a health check id). */
static int list_health_checks(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct sim_world *w = ctx->world;
	const char *marker = sim_in_str(in, "Marker");
	json_t *items = json_array();
	size_t start, i;
	long max;

	if (route53_page(ctx, resp, in, w->n_checks, check_id, &start, &max) < 0) {
		json_decref(items);
		return 0;
	}
	for (i = start; i < w->n_checks && i < start + (size_t)max; i++)
		json_array_append_new(items, check_json(w, &w->checks[i]));
	*out = route53_page_out(json_pack("{s:s, s:b}", "Marker", marker ? marker : "", "IsTruncated", i < w->n_checks),
				"HealthChecks", items, max);
	if (i < w->n_checks)
		json_object_set_new(*out, "NextMarker", json_string(w->checks[i].id));
	return 0;
}

/* GetHealthCheck. */
static int get_health_check(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct sim_health_check *c = input_check(ctx, resp, in);

	if (c)
		*out = json_pack("{s:o}", "HealthCheck", check_json(ctx->world, c));
	return 0;
}

/* What checker i of a routing-control check reports, and when it changed. */
static void control_report(const struct sim_world *w, const struct sim_health_check *c, char *status,
			   size_t size, double *at)
{
	const struct sim_routing_control *rc = c->control >= 0 && (size_t)c->control < w->n_controls ?
					       &w->controls[c->control] : NULL;
	bool on = rc && rc->on;

	snprintf(status, size, "%s: %sRouting control %s is %s", on != c->inverted ? "Success" : "Failure",
		 c->inverted ? "Inverted health check. " : "", rc ? rc->name : "(none)", on ? "On" : "Off");
	*at = rc ? rc->changed_s : w->start_s;
}

/* GetHealthCheckStatus: what each health checker last saw (Inverted included).
 * "You can't use GetHealthCheckStatus to get the status of a calculated health
 * check." (API reference). A routing-control check reports its control. */
static int get_health_check_status(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct sim_world *w = ctx->world;
	struct sim_health_check *c = input_check(ctx, resp, in);
	json_t *obs;
	char status[400];
	double at;

	if (!c)
		return 0;
	if (c->kind == SIM_HC_CALCULATED)
		return sim_error(ctx, resp, 400, "InvalidInput",
				 "The health check %s is a calculated health check: GetHealthCheckStatus does not "
				 "report the status of calculated health checks.", c->id);
	obs = json_array();
	for (size_t i = 0; i < SIM_CHECKERS; i++) {
		if (c->kind == SIM_HC_ENDPOINT)
			r53health_report(w, c, i, status, sizeof(status), &at);
		else
			control_report(w, c, status, sizeof(status), &at);
		json_array_append_new(obs, json_pack("{s:s, s:s, s:{s:s, s:o}}", "Region", r53health_checker_regions[i],
						     "IPAddress", r53health_checker_ips[i], "StatusReport",
						     "Status", status, "CheckedTime", sim_out_time(at)));
	}
	*out = json_pack("{s:o}", "HealthCheckObservations", obs);
	return 0;
}

/* The ChildHealthChecks of an update into upd; a message when one is not valid. */
static const char *read_children(struct sim_world *w, json_t *list, struct sim_health_check *upd)
{
	upd->n_children = 0;
	for (size_t i = 0; i < json_array_size(list); i++) {
		const char *id = json_string_value(json_array_get(list, i));
		const struct sim_health_check *child;
		if (upd->n_children == SIM_CHILDREN_MAX)
			return "Invalid parameter: too many child health checks.";
		child = sim_world_check(w, id ? id : "");
		snprintf(upd->children[upd->n_children++], sizeof(upd->children[0]), "%s", id ? id : "");
		if (!child)
			return "Invalid parameter: a child health check does not exist.";
		if (child->kind == SIM_HC_CALCULATED)
			return "Invalid parameter: a calculated health check cannot monitor other calculated health checks.";
	}
	return NULL;
}

/* An integer member of the update in [lo, hi] into *out; -1 after InvalidInput. */
static int update_int(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in, const char *name,
		      const char *wire, long lo, long hi, int *out)
{
	json_t *v = json_object_get(in, name);
	json_int_t n;

	if (!v)
		return 0;
	n = json_integer_value(v);
	if (n < lo || n > hi) {
		sim_error(ctx, resp, 400, "InvalidInput", "1 validation error detected: Value '%lld' at '%s' failed to "
			  "satisfy constraint: Member must have value %s %ld", (long long)n, wire,
			  n < lo ? "greater than or equal to" : "less than or equal to", n < lo ? lo : hi);
		return -1;
	}
	*out = (int)n;
	return 0;
}

/* UpdateHealthCheck: Inverted, Disabled, FailureThreshold, ResourcePath, Port,
 * FullyQualifiedDomainName, HealthThreshold, ChildHealthChecks. The status follows
 * at once (Inverted, Disabled) or at the checkers' next observations. */
static int update_health_check(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct sim_health_check *c = input_check(ctx, resp, in), upd;
	json_t *version = json_object_get(in, "HealthCheckVersion"), *list;
	const char *bad;

	if (!c)
		return 0;
	if (version && json_integer_value(version) != c->version)
		return sim_error(ctx, resp, 409, "HealthCheckVersionMismatch",
				 "The value of HealthCheckVersion in the request doesn't match the value of "
				 "HealthCheckVersion in the health check.");
	upd = *c;
	upd.inverted = sim_in_bool(in, "Inverted", upd.inverted);
	upd.disabled = sim_in_bool(in, "Disabled", upd.disabled);
	if (update_int(ctx, resp, in, "FailureThreshold", "failureThreshold", 1, 10, &upd.failure_threshold) < 0 ||
	    update_int(ctx, resp, in, "HealthThreshold", "healthThreshold", 0, 256, &upd.health_threshold) < 0 ||
	    update_int(ctx, resp, in, "Port", "port", 1, 65535, &upd.port) < 0)
		return 0;
	if ((list = json_object_get(in, "ChildHealthChecks")) && (bad = read_children(ctx->world, list, &upd)))
		return sim_error(ctx, resp, 400, "InvalidInput", "%s", bad);
	if (sim_in_str(in, "ResourcePath"))
		snprintf(upd.path, sizeof(upd.path), "%s", sim_in_str(in, "ResourcePath"));
	if (sim_in_str(in, "FullyQualifiedDomainName"))
		snprintf(upd.fqdn, sizeof(upd.fqdn), "%s", sim_in_str(in, "FullyQualifiedDomainName"));
	upd.version++;
	*c = upd;
	r53health_tick(ctx->world, ctx->world->now_s);   /* Inverted and Disabled apply at once */
	*out = json_pack("{s:o}", "HealthCheck", check_json(ctx->world, c));
	sim_services_tick(ctx->world);   /* DNS follows the new status */
	return 0;
}

static const struct sim_shaped_op route53_ops[] = {
	{ .name = "ListHealthChecks", .fn = list_health_checks },
	{ .name = "GetHealthCheck", .fn = get_health_check },
	{ .name = "GetHealthCheckStatus", .fn = get_health_check_status },
	{ .name = "UpdateHealthCheck", .fn = update_health_check },
	{ .name = "ListHostedZones", .fn = route53_list_hosted_zones },
	{ .name = "ListResourceRecordSets", .fn = route53_list_rrsets },
	{ .name = "ChangeResourceRecordSets", .fn = route53_change_rrsets },
	{ .name = "GetChange", .fn = route53_get_change },
	{ .name = "TestDNSAnswer", .fn = route53_test_dns_answer },
	{ .name = NULL },
};

int sim_route53_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	sim_services_tick(ctx->world);
	return sim_dispatch_shaped(ctx, req, resp, route53_ops);
}
