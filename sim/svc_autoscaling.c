/* svc_autoscaling.c — Auto Scaling (query 2011-01-01): groups, activities, policies,
 * the predictive scaling forecast, SetDesiredCapacity and UpdateAutoScalingGroup. */
#include "sim/service.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAMES_MAX 100

/* The region index of the request (-1: a region without a stack). */
static int req_region(struct sim_ctx *ctx, const struct sim_req *req)
{
	return sim_world_region(ctx->world, req->region);
}

/* The group named by AutoScalingGroupName, or NULL after writing ValidationError. */
static struct sim_asg *find_group(struct sim_ctx *ctx, const struct sim_req *req,
				  struct sim_resp *resp)
{
	const char *name = sim_require(ctx, req, resp, "AutoScalingGroupName", "ValidationError");
	struct sim_asg *g;

	if (!name)
		return NULL;
	g = req_region(ctx, req) < 0 ? NULL : sim_world_asg(ctx->world, req_region(ctx, req), name);
	if (!g)
		sim_error(ctx, resp, 400, "ValidationError", "AutoScalingGroup name not found - "
			  "AutoScalingGroup '%.64s' not found", name);
	return g;
}

/* The launch template element of a group or instance. */
static void launch_template(struct strbuf *b, const struct sim_asg *g)
{
	strbuf_adds(b, "<LaunchTemplate>");
	sim_xml_elemf(b, "LaunchTemplateId", "lt-0%.16s", g->arn + strlen(g->arn) - 16);
	sim_xml_elem(b, "LaunchTemplateName", g->launch_template);
	sim_xml_elem(b, "Version", "$Latest");
	strbuf_adds(b, "</LaunchTemplate>");
}

/* One <member> of DescribeAutoScalingGroups. */
static void group_xml(struct sim_ctx *ctx, struct strbuf *b, const struct sim_asg *g)
{
	const struct sim_region *r = &ctx->world->regions[g->region];
	struct sim_target_group *tg = g->tg[0] ? sim_world_tg(ctx->world, g->region, g->tg) : NULL;
	size_t i;

	strbuf_adds(b, "\n      <member>");
	sim_xml_elem(b, "AutoScalingGroupName", g->name);
	sim_xml_elem(b, "AutoScalingGroupARN", g->arn);
	launch_template(b, g);
	sim_xml_elemf(b, "MinSize", "%d", g->min_size);
	sim_xml_elemf(b, "MaxSize", "%d", g->max_size);
	sim_xml_elemf(b, "DesiredCapacity", "%d", g->desired);
	sim_xml_elemf(b, "DefaultCooldown", "%d", g->default_cooldown_s);
	strbuf_adds(b, "<AvailabilityZones>");
	sim_xml_elemf(b, "member", "%sa", r->name);
	sim_xml_elemf(b, "member", "%sc", r->name);
	strbuf_adds(b, "</AvailabilityZones><LoadBalancerNames/><TargetGroupARNs>");
	if (tg)
		sim_xml_elem(b, "member", tg->arn);
	strbuf_adds(b, "</TargetGroupARNs>");
	sim_xml_elem(b, "HealthCheckType", tg ? "ELB" : "EC2");
	sim_xml_elemf(b, "HealthCheckGracePeriod", "%d", g->grace_s);
	strbuf_adds(b, "<Instances>");
	for (i = 0; i < g->n_instances; i++) {
		const struct sim_instance *in = &g->instances[i];
		strbuf_adds(b, "<member>");
		sim_xml_elem(b, "InstanceId", in->id);
		sim_xml_elem(b, "InstanceType", in->instance_type);
		sim_xml_elem(b, "AvailabilityZone", in->az);
		sim_xml_elem(b, "LifecycleState", sim_lifecycle_name(in->lifecycle));
		sim_xml_elem(b, "HealthStatus", in->healthy ? "Healthy" : "Unhealthy");
		launch_template(b, g);
		sim_xml_elem(b, "ProtectedFromScaleIn", "false");
		strbuf_adds(b, "</member>");
	}
	strbuf_adds(b, "</Instances>");
	sim_xml_time(b, "CreatedTime", g->created_s);
	strbuf_adds(b, "<SuspendedProcesses/>");
	sim_xml_elemf(b, "VPCZoneIdentifier", "subnet-0a%.15s,subnet-0c%.15s", g->arn + strlen(g->arn) - 15,
		      g->arn + strlen(g->arn) - 15);
	strbuf_adds(b, "<EnabledMetrics/><Tags>");
	for (i = 0; i < g->n_tags; i++) {
		strbuf_adds(b, "<member>");
		sim_xml_elem(b, "ResourceId", g->name);
		sim_xml_elem(b, "ResourceType", "auto-scaling-group");
		sim_xml_elem(b, "Key", g->tags[i].key);
		sim_xml_elem(b, "Value", g->tags[i].value);
		sim_xml_elem(b, "PropagateAtLaunch", g->tags[i].propagate ? "true" : "false");
		strbuf_adds(b, "</member>");
	}
	strbuf_adds(b, "</Tags><TerminationPolicies><member>Default</member></TerminationPolicies>");
	sim_xml_elem(b, "NewInstancesProtectedFromScaleIn", "false");
	sim_xml_elemf(b, "ServiceLinkedRoleARN", "arn:aws:iam::%s:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
		      ctx->world->account);
	sim_xml_elem(b, "CapacityRebalance", "false");
	strbuf_adds(b, "</member>");
}

/* Is name among the n names (or are there none)? */
static bool wanted(const char *const *names, size_t n, const char *name)
{
	size_t i;

	if (n == 0)
		return true;
	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* Does g pass every filter? "tag-key", "tag-value", "tag:KEY" (a filter's values ORed). */
static bool group_matches(const struct sim_asg *g, const struct sim_filter *f, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		bool hit = false;
		for (size_t t = 0; t < g->n_tags && !hit; t++) {
			if (strcmp(f[k].name, "tag-key") == 0)
				hit = sim_filter_has(&f[k], g->tags[t].key);
			else if (strcmp(f[k].name, "tag-value") == 0)
				hit = sim_filter_has(&f[k], g->tags[t].value);
			else
				hit = strcmp(f[k].name + 4, g->tags[t].key) == 0 && sim_filter_has(&f[k], g->tags[t].value);
		}
		if (!hit)
			return false;
	}
	return true;
}

/* DescribeAutoScalingGroups: by name and by Filters on tags.
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_Filter.html */
static int describe_groups(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	const char *names[NAMES_MAX];
	size_t n_names = sim_param_list(req, "AutoScalingGroupNames", names, NAMES_MAX);
	int ri = req_region(ctx, req);
	struct sim_pager pg;
	size_t i;
	struct strbuf *b = &resp->body;

	struct sim_filter filters[SIM_FILTERS_MAX];
	size_t n_filters = sim_filters(req, "Filters.member", "member", filters, SIM_FILTERS_MAX);

	if (sim_pager_begin(ctx, req, resp, "NextToken", "InvalidNextToken", "MaxRecords", &pg) < 0)
		return 0;
	for (i = 0; i < n_filters; i++)
		if (strcmp(filters[i].name, "tag-key") != 0 && strcmp(filters[i].name, "tag-value") != 0 &&
		    (strncmp(filters[i].name, "tag:", 4) != 0 || !filters[i].name[4]))
			return sim_error(ctx, resp, 400, "ValidationError",
					 "Filter name '%.64s' is not valid: use tag-key, tag-value or tag:<key>",
					 filters[i].name);
	sim_query_begin(ctx, resp, "DescribeAutoScalingGroups");
	strbuf_adds(b, "    <AutoScalingGroups>");
	if (ri >= 0)
		for (i = 0; i < ctx->world->regions[ri].n_asgs; i++) {
			const struct sim_asg *g = &ctx->world->regions[ri].asgs[i];
			if (!wanted(names, n_names, g->name) || !group_matches(g, filters, n_filters))
				continue;
			if (!sim_pager_take(&pg))
				continue;
			group_xml(ctx, b, g);
		}
	sim_pager_end(b, &pg, "AutoScalingGroups", "NextToken");
	sim_query_end(ctx, resp, "DescribeAutoScalingGroups");
	return 0;
}

/* One <member> of DescribeScalingActivities. */
static void activity_xml(struct sim_ctx *ctx, struct strbuf *b, const struct sim_asg *g,
			 const struct sim_activity *a)
{
	strbuf_adds(b, "\n      <member>");
	sim_xml_elem(b, "ActivityId", a->id);
	sim_xml_elem(b, "AutoScalingGroupName", g->name);
	sim_xml_elem(b, "Description", a->description);
	sim_xml_elem(b, "Cause", a->cause);
	sim_xml_time(b, "StartTime", a->start_s);
	if (a->end_s > 0)
		sim_xml_time(b, "EndTime", a->end_s);
	sim_xml_elem(b, "StatusCode", a->status);
	sim_xml_elemf(b, "Progress", "%d", a->progress);
	sim_xml_elemf(b, "Details", "{\"Subnet ID\":\"subnet-0a%.15s\",\"Availability Zone\":\"%sa\"}",
		      g->arn + strlen(g->arn) - 15, ctx->world->regions[g->region].name);
	sim_xml_elem(b, "AutoScalingGroupARN", g->arn);
	strbuf_adds(b, "</member>");
}

static int describe_activities(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	const char *name = sim_param(req, "AutoScalingGroupName");
	const char *ids[NAMES_MAX];
	size_t n_ids = sim_param_list(req, "ActivityIds", ids, NAMES_MAX);
	int ri = req_region(ctx, req);
	struct sim_pager pg;
	size_t gi, ai;
	struct strbuf *b = &resp->body;

	if (sim_pager_begin(ctx, req, resp, "NextToken", "InvalidNextToken", "MaxRecords", &pg) < 0)
		return 0;
	if (name && ri >= 0 && !sim_world_asg(ctx->world, ri, name)) {
		/* AWS answers an unknown group with an empty list */
		ri = -1;
	}
	sim_query_begin(ctx, resp, "DescribeScalingActivities");
	strbuf_adds(b, "    <Activities>");
	if (ri >= 0)
		for (gi = 0; gi < ctx->world->regions[ri].n_asgs && !pg.more; gi++) {
			const struct sim_asg *g = &ctx->world->regions[ri].asgs[gi];
			if (name && strcmp(name, g->name) != 0)
				continue;
			for (ai = g->n_activities; ai-- > 0;) {   /* newest first */
				const struct sim_activity *a = &g->activities[ai];
				if (!wanted(ids, n_ids, a->id))
					continue;
				if (!sim_pager_take(&pg))
					continue;
				activity_xml(ctx, b, g, a);
			}
		}
	sim_pager_end(b, &pg, "Activities", "NextToken");
	sim_query_end(ctx, resp, "DescribeScalingActivities");
	return 0;
}

/* The MetricSpecifications of a predictive policy. */
static void metric_spec_xml(struct strbuf *b, const struct sim_policy *p)
{
	strbuf_adds(b, "<member>");
	sim_xml_elemf(b, "TargetValue", "%.1f", p->target_value);
	strbuf_adds(b, "<PredefinedMetricPairSpecification>");
	sim_xml_elem(b, "PredefinedMetricType", p->metric_type);
	strbuf_adds(b, "</PredefinedMetricPairSpecification></member>");
}

static int describe_policies(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	const char *name = sim_param(req, "AutoScalingGroupName");
	const char *names[NAMES_MAX], *types[8];
	size_t n_names = sim_param_list(req, "PolicyNames", names, NAMES_MAX);
	size_t n_types = sim_param_list(req, "PolicyTypes", types, 8);
	int ri = req_region(ctx, req);
	struct sim_pager pg;
	size_t gi, pi;
	struct strbuf *b = &resp->body;

	if (sim_pager_begin(ctx, req, resp, "NextToken", "InvalidNextToken", "MaxRecords", &pg) < 0)
		return 0;
	if (name && (ri < 0 || !sim_world_asg(ctx->world, ri, name)))
		return sim_error(ctx, resp, 400, "ValidationError", "Group %.64s not found", name);
	sim_query_begin(ctx, resp, "DescribePolicies");
	strbuf_adds(b, "    <ScalingPolicies>");
	if (ri >= 0)
		for (gi = 0; gi < ctx->world->regions[ri].n_asgs && !pg.more; gi++) {
			const struct sim_asg *g = &ctx->world->regions[ri].asgs[gi];
			if (name && strcmp(name, g->name) != 0)
				continue;
			for (pi = 0; pi < g->n_policies; pi++) {
				const struct sim_policy *p = &g->policies[pi];
				if (!wanted(names, n_names, p->name) || !wanted(types, n_types, p->type))
					continue;
				if (!sim_pager_take(&pg))
					continue;
				strbuf_adds(b, "\n      <member>");
				sim_xml_elem(b, "AutoScalingGroupName", g->name);
				sim_xml_elem(b, "PolicyName", p->name);
				sim_xml_elem(b, "PolicyARN", p->arn);
				sim_xml_elem(b, "PolicyType", p->type);
				strbuf_adds(b, "<StepAdjustments/><Alarms/>");
				sim_xml_elem(b, "Enabled", "true");
				strbuf_adds(b, "<PredictiveScalingConfiguration><MetricSpecifications>");
				metric_spec_xml(b, p);
				strbuf_adds(b, "</MetricSpecifications>");
				sim_xml_elem(b, "Mode", p->mode);
				sim_xml_elemf(b, "SchedulingBufferTime", "%d", p->buffer_s);
				sim_xml_elem(b, "MaxCapacityBreachBehavior", "HonorMaxCapacity");
				strbuf_adds(b, "</PredictiveScalingConfiguration></member>");
			}
		}
	sim_pager_end(b, &pg, "ScalingPolicies", "NextToken");
	sim_query_end(ctx, resp, "DescribePolicies");
	return 0;
}

/* The forecast load of a group at time t: a daily shape around its baseline,
 * with deterministic noise from the seed and the hour. */
static double forecast_load(const struct sim_world *w, const struct sim_asg *g, double t_s)
{
	double hour = fmod(t_s / 3600.0 + 9.0, 24.0);   /* local time in Seoul / Tokyo */
	/* the hour through a signed integer: a negative double (before 1970) converted
	 * straight to uint64_t is undefined (C11 6.3.1.4), and UBSan stops there */
	uint64_t z = (uint64_t)(int64_t)floor(t_s / 3600.0) * 0x9e3779b97f4a7c15ULL ^ w->seed;
	double noise;

	z = (z ^ (z >> 31)) * 0xbf58476d1ce4e5b9ULL;
	noise = (double)((z >> 11) % 1000) / 1000.0 - 0.5;
	return g->baseline_load *
	       (1.0 + 0.45 * sin((hour - 8.0) / 24.0 * 2.0 * M_PI)) * (1.0 + 0.06 * noise);
}

static int get_forecast(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct sim_asg *g = find_group(ctx, req, resp);
	const char *pname, *st, *et;
	const struct sim_policy *p = NULL;
	struct strbuf *b = &resp->body;
	double start_s, end_s, t;
	size_t i;
	char ts[32];

	if (!g || !(pname = sim_require(ctx, req, resp, "PolicyName", "ValidationError")) ||
	    !(st = sim_require(ctx, req, resp, "StartTime", "ValidationError")) ||
	    !(et = sim_require(ctx, req, resp, "EndTime", "ValidationError")))
		return 0;
	for (i = 0; i < g->n_policies; i++)
		if (strcmp(g->policies[i].name, pname) == 0)
			p = &g->policies[i];
	if (!p)
		return sim_error(ctx, resp, 400, "ValidationError", "Policy %.64s not found for group %s",
				 pname, g->name);
	if (sim_parse_time(st, &start_s) < 0 || sim_parse_time(et, &end_s) < 0)
		return sim_error(ctx, resp, 400, "ValidationError", "Timestamp must be in ISO 8601 format");
	if (end_s <= start_s)
		return sim_error(ctx, resp, 400, "ValidationError", "EndTime must be after StartTime");
	if (end_s - start_s > 30 * 86400.0)
		return sim_error(ctx, resp, 400, "ValidationError", "The time range cannot exceed 30 days");
	start_s = ceil(start_s / 3600.0) * 3600.0;
	sim_query_begin(ctx, resp, "GetPredictiveScalingForecast");
	strbuf_adds(b, "    <LoadForecast><member><Timestamps>");
	for (t = start_s; t < end_s; t += 3600) {
		sim_time_iso(t, ts);
		sim_xml_elem(b, "member", ts);
	}
	strbuf_adds(b, "</Timestamps><Values>");
	for (t = start_s; t < end_s; t += 3600)
		sim_xml_elemf(b, "member", "%.2f", forecast_load(ctx->world, g, t));
	strbuf_adds(b, "</Values><MetricSpecification>");
	sim_xml_elemf(b, "TargetValue", "%.1f", p->target_value);
	strbuf_adds(b, "<PredefinedMetricPairSpecification>");
	sim_xml_elem(b, "PredefinedMetricType", p->metric_type);
	strbuf_adds(b, "</PredefinedMetricPairSpecification></MetricSpecification></member></LoadForecast>\n");
	strbuf_adds(b, "    <CapacityForecast><Timestamps>");
	for (t = start_s; t < end_s; t += 3600) {
		sim_time_iso(t, ts);
		sim_xml_elem(b, "member", ts);
	}
	strbuf_adds(b, "</Timestamps><Values>");
	for (t = start_s; t < end_s; t += 3600) {
		double cap = ceil(forecast_load(ctx->world, g, t) / (p->target_value > 0 ? p->target_value : 50));
		if (cap < g->min_size)
			cap = g->min_size;
		if (cap > g->max_size)
			cap = g->max_size;
		sim_xml_elemf(b, "member", "%.1f", cap);
	}
	strbuf_adds(b, "</Values></CapacityForecast>\n    ");
	sim_xml_time(b, "UpdateTime", floor(ctx->now_s / 21600.0) * 21600.0);
	sim_query_end(ctx, resp, "GetPredictiveScalingForecast");
	return 0;
}

static int set_desired(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct sim_asg *g = find_group(ctx, req, resp);
	struct fd_error err;
	const char *honor;
	long desired;

	if (!g || !sim_require(ctx, req, resp, "DesiredCapacity", "ValidationError") ||
	    sim_param_int(ctx, req, resp, "DesiredCapacity", 0, 100000, 0, &desired) < 0)
		return 0;
	if (desired > g->max_size)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "New SetDesiredCapacity value %ld is above max value %d for the AutoScalingGroup.",
				 desired, g->max_size);
	if (desired < g->min_size)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "New SetDesiredCapacity value %ld is below min value %d for the AutoScalingGroup.",
				 desired, g->min_size);
	honor = sim_param(req, "HonorCooldown");
	/* "HonorCooldown: whether Amazon EC2 Auto Scaling waits for the cooldown period to
	 * complete": refused while an activity runs or one ended less than DefaultCooldown ago */
	for (size_t i = 0; honor && strcmp(honor, "true") == 0 && i < g->n_activities; i++) {
		const struct sim_activity *a = &g->activities[i];
		if (a->end_s <= 0 || ctx->now_s < a->end_s + sim_world_dur(ctx->world, g->default_cooldown_s))
			return sim_error(ctx, resp, 400, "ScalingActivityInProgress",
					 "Scaling activity %s is in progress and blocks this action", a->id);
	}
	fd_error_clear(&err);
	if (sim_world_set_desired(ctx->world, g, (int)desired,
				  "a user request explicitly set group desired capacity", &err) < 0)
		return sim_error(ctx, resp, 400, err.code, "%s", err.message);
	sim_query_empty(ctx, resp, "SetDesiredCapacity");
	return 0;
}

static int update_group(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct sim_asg *g = find_group(ctx, req, resp);
	long min, max, desired, cooldown, grace;
	struct fd_error err;
	char cause[160];

	if (!g ||
	    sim_param_int(ctx, req, resp, "MinSize", 0, SIM_GROUP_MAX, g->min_size, &min) < 0 ||
	    sim_param_int(ctx, req, resp, "MaxSize", 0, SIM_GROUP_MAX, g->max_size, &max) < 0 ||
	    sim_param_int(ctx, req, resp, "DesiredCapacity", 0, SIM_GROUP_MAX, -1, &desired) < 0 ||
	    sim_param_int(ctx, req, resp, "DefaultCooldown", 0, 86400, g->default_cooldown_s, &cooldown) < 0 ||
	    sim_param_int(ctx, req, resp, "HealthCheckGracePeriod", 0, 86400, g->grace_s, &grace) < 0)
		return 0;
	if (min > max)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "Max bound, %ld, must be greater than or equal to min bound, %ld", max, min);
	if (desired >= 0 && (desired < min || desired > max))
		return sim_error(ctx, resp, 400, "ValidationError",
				 "Desired capacity:%ld must be between the specified min size:%ld and max size:%ld",
				 desired, min, max);
	if (desired < 0)
		desired = g->desired < min ? min : g->desired > max ? max : g->desired;
	g->min_size = (int)min;
	g->max_size = (int)max;
	g->default_cooldown_s = (int)cooldown;
	g->grace_s = (int)grace;
	if (desired != g->desired) {
		snprintf(cause, sizeof(cause), "a user request update of AutoScalingGroup constraints to "
			 "min: %ld, max: %ld, desired: %ld", min, max, desired);
		fd_error_clear(&err);
		if (sim_world_set_desired(ctx->world, g, (int)desired, cause, &err) < 0)
			return sim_error(ctx, resp, 400, err.code, "%s", err.message);
	}
	sim_query_empty(ctx, resp, "UpdateAutoScalingGroup");
	return 0;
}

static const struct sim_op autoscaling_ops[] = {
	{ .name = "DescribeAutoScalingGroups", .mutating = false, .fn = describe_groups },
	{ .name = "DescribeScalingActivities", .mutating = false, .fn = describe_activities },
	{ .name = "DescribePolicies", .mutating = false, .fn = describe_policies },
	{ .name = "GetPredictiveScalingForecast", .mutating = false, .fn = get_forecast },
	{ .name = "SetDesiredCapacity", .mutating = true, .fn = set_desired },
	{ .name = "UpdateAutoScalingGroup", .mutating = true, .fn = update_group },
	{ .name = NULL },
};

int sim_autoscaling_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	return sim_dispatch_query(ctx, req, resp, autoscaling_ops);
}
