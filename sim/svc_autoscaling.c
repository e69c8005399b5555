/* svc_autoscaling.c — Auto Scaling (query 2011-01-01): groups, activities, policies,
 * the predictive scaling forecast, SetDesiredCapacity and UpdateAutoScalingGroup. */
#include "sim/asg_lt.h"
#include "sim/asg_refresh.h"
#include "sim/service.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAMES_MAX 100

/* The region index of the request (-1: a region without a stack). */
static int req_region(struct sim_ctx *ctx)
{
	return sim_world_region(ctx->world, ctx->region);
}

/* The group named by AutoScalingGroupName, or NULL after writing ValidationError. */
static struct sim_asg *find_group(struct sim_ctx *ctx, json_t *in, struct sim_resp *resp)
{
	const char *name = sim_in_require(ctx, resp, in, "AutoScalingGroupName", "ValidationError");
	struct sim_asg *g;

	if (!name)
		return NULL;
	g = req_region(ctx) < 0 ? NULL : sim_world_asg(ctx->world, req_region(ctx), name);
	if (!g)
		sim_error(ctx, resp, 400, "ValidationError", "AutoScalingGroup name not found - "
			  "AutoScalingGroup '%.64s' not found", name);
	return g;
}

/* The launch template of a group (the version it is set to) or of an instance
 * (version > 0: the number it was launched from, as AWS reports it).
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_Instance.html */
static json_t *launch_template(struct sim_ctx *ctx, const struct sim_asg *g, int version)
{
	const struct sim_asg *owner = asg_lt_owner(ctx->world, g->region, g->launch_template, NULL);
	char id[40], v[16];

	asg_lt_id(owner ? owner : g, id);
	snprintf(v, sizeof(v), "%d", version);
	return json_pack("{s:s, s:s, s:s}", "LaunchTemplateId", id, "LaunchTemplateName", g->launch_template,
			 "Version", version > 0 ? v : asg_lt_spec(g));
}

/* A subnet id of the group ('a' or 'c' zone). */
static void subnet(const struct sim_asg *g, char zone, char out[40])
{
	snprintf(out, 40, "subnet-0%c%.15s", zone, g->arn + strlen(g->arn) - 15);
}

/* One AutoScalingGroup of DescribeAutoScalingGroups. */
static json_t *group_json(struct sim_ctx *ctx, const struct sim_asg *g)
{
	const struct sim_region *r = &ctx->world->regions[g->region];
	struct sim_target_group *tg = g->tg[0] ? sim_world_tg(ctx->world, g->region, g->tg) : NULL;
	json_t *o, *instances = json_array(), *tags = json_array(), *tgs = json_array();
	char az_a[48], az_c[48], sa[40], sc[40], vpc[96], role[SIM_ARN_MAX];
	size_t i;

	for (i = 0; i < g->n_instances; i++) {
		const struct sim_instance *in = &g->instances[i];
		json_array_append_new(instances, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:b}",
			"InstanceId", in->id, "InstanceType", in->instance_type, "AvailabilityZone", in->az,
			"LifecycleState", sim_lifecycle_name(in->lifecycle),
			"HealthStatus", in->healthy ? "Healthy" : "Unhealthy",
			"LaunchTemplate", launch_template(ctx, g, asg_lt_instance_version(in)), "ProtectedFromScaleIn", 0));
	}
	for (i = 0; i < g->n_tags; i++)
		json_array_append_new(tags, json_pack("{s:s, s:s, s:s, s:s, s:b}", "ResourceId", g->name,
			"ResourceType", "auto-scaling-group", "Key", g->tags[i].key, "Value", g->tags[i].value,
			"PropagateAtLaunch", g->tags[i].propagate));
	if (tg)
		json_array_append_new(tgs, json_string(tg->arn));
	snprintf(az_a, sizeof(az_a), "%sa", r->name);
	snprintf(az_c, sizeof(az_c), "%sc", r->name);
	subnet(g, 'a', sa);
	subnet(g, 'c', sc);
	snprintf(vpc, sizeof(vpc), "%s,%s", sa, sc);
	snprintf(role, sizeof(role), "arn:aws:iam::%s:role/aws-service-role/autoscaling.amazonaws.com/"
		 "AWSServiceRoleForAutoScaling", ctx->world->account);
	o = json_pack("{s:s, s:s, s:o, s:i, s:i, s:i, s:i, s:[s,s], s:[], s:o, s:s, s:i, s:o, s:o, s:[],"
		      " s:s, s:[], s:o, s:[s], s:b, s:s, s:b}",
		      "AutoScalingGroupName", g->name, "AutoScalingGroupARN", g->arn,
		      "LaunchTemplate", launch_template(ctx, g, 0), "MinSize", g->min_size, "MaxSize", g->max_size,
		      "DesiredCapacity", g->desired, "DefaultCooldown", g->default_cooldown_s,
		      "AvailabilityZones", az_a, az_c, "LoadBalancerNames", "TargetGroupARNs", tgs,
		      "HealthCheckType", tg ? "ELB" : "EC2", "HealthCheckGracePeriod", g->grace_s,
		      "Instances", instances, "CreatedTime", sim_out_time(g->created_s),
		      "SuspendedProcesses", "VPCZoneIdentifier", vpc, "EnabledMetrics", "Tags", tags,
		      "TerminationPolicies", "Default", "NewInstancesProtectedFromScaleIn", 0,
		      "ServiceLinkedRoleARN", role, "CapacityRebalance", 0);
	return o;
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
static int describe_groups(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *names[NAMES_MAX];
	size_t n_names = sim_in_strs(in, "AutoScalingGroupNames", names, NAMES_MAX);
	int ri = req_region(ctx);
	struct sim_pager pg;
	struct sim_filter filters[SIM_FILTERS_MAX];
	size_t n_filters = sim_in_filters(in, "Filters", filters, SIM_FILTERS_MAX), i;
	json_t *groups;

	if (sim_in_pager(ctx, resp, in, "NextToken", "InvalidNextToken", "MaxRecords", &pg) < 0)
		return 0;
	for (i = 0; i < n_filters; i++)
		if (strcmp(filters[i].name, "tag-key") != 0 && strcmp(filters[i].name, "tag-value") != 0 &&
		    (strncmp(filters[i].name, "tag:", 4) != 0 || !filters[i].name[4]))
			return sim_error(ctx, resp, 400, "ValidationError",
					 "Filter name '%.64s' is not valid: use tag-key, tag-value or tag:<key>",
					 filters[i].name);
	groups = json_array();
	for (i = 0; ri >= 0 && i < ctx->world->regions[ri].n_asgs; i++) {
		const struct sim_asg *g = &ctx->world->regions[ri].asgs[i];
		if (wanted(names, n_names, g->name) && group_matches(g, filters, n_filters) && sim_pager_take(&pg))
			json_array_append_new(groups, group_json(ctx, g));
	}
	*out = json_pack("{s:o}", "AutoScalingGroups", groups);
	sim_out_token(*out, &pg, "NextToken");
	return 0;
}

/* One Activity of DescribeScalingActivities. */
static json_t *activity_json(struct sim_ctx *ctx, const struct sim_asg *g, const struct sim_activity *a)
{
	char details[160], sa[40];
	json_t *o;

	subnet(g, 'a', sa);
	snprintf(details, sizeof(details), "{\"Subnet ID\":\"%s\",\"Availability Zone\":\"%sa\"}",
		 sa, ctx->world->regions[g->region].name);
	o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:i, s:s, s:s}", "ActivityId", a->id,
		      "AutoScalingGroupName", g->name, "Description", a->description, "Cause", a->cause,
		      "StartTime", sim_out_time(a->start_s), "StatusCode", a->status, "Progress", a->progress,
		      "Details", details, "AutoScalingGroupARN", g->arn);
	if (a->end_s > 0)
		json_object_set_new(o, "EndTime", sim_out_time(a->end_s));
	return o;
}

static int describe_activities(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *name = sim_in_str(in, "AutoScalingGroupName");
	const char *ids[NAMES_MAX];
	size_t n_ids = sim_in_strs(in, "ActivityIds", ids, NAMES_MAX);
	int ri = req_region(ctx);
	struct sim_pager pg;
	size_t gi, ai;
	json_t *list;

	if (sim_in_pager(ctx, resp, in, "NextToken", "InvalidNextToken", "MaxRecords", &pg) < 0)
		return 0;
	if (name && ri >= 0 && !sim_world_asg(ctx->world, ri, name))
		ri = -1;   /* AWS answers an unknown group with an empty list */
	list = json_array();
	for (gi = 0; ri >= 0 && gi < ctx->world->regions[ri].n_asgs && !pg.more; gi++) {
		const struct sim_asg *g = &ctx->world->regions[ri].asgs[gi];
		if (name && strcmp(name, g->name) != 0)
			continue;
		for (ai = g->n_activities; ai-- > 0;) {   /* newest first */
			const struct sim_activity *a = &g->activities[ai];
			if (wanted(ids, n_ids, a->id) && sim_pager_take(&pg))
				json_array_append_new(list, activity_json(ctx, g, a));
		}
	}
	*out = json_pack("{s:o}", "Activities", list);
	sim_out_token(*out, &pg, "NextToken");
	return 0;
}

/* The MetricSpecification of a predictive policy. */
static json_t *metric_spec(const struct sim_policy *p)
{
	return json_pack("{s:f, s:{s:s}}", "TargetValue", p->target_value,
			 "PredefinedMetricPairSpecification", "PredefinedMetricType", p->metric_type);
}

static int describe_policies(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *name = sim_in_str(in, "AutoScalingGroupName");
	const char *names[NAMES_MAX], *types[8];
	size_t n_names = sim_in_strs(in, "PolicyNames", names, NAMES_MAX);
	size_t n_types = sim_in_strs(in, "PolicyTypes", types, 8);
	int ri = req_region(ctx);
	struct sim_pager pg;
	size_t gi, pi;
	json_t *list;

	if (sim_in_pager(ctx, resp, in, "NextToken", "InvalidNextToken", "MaxRecords", &pg) < 0)
		return 0;
	if (name && (ri < 0 || !sim_world_asg(ctx->world, ri, name)))
		return sim_error(ctx, resp, 400, "ValidationError", "Group %.64s not found", name);
	list = json_array();
	for (gi = 0; ri >= 0 && gi < ctx->world->regions[ri].n_asgs && !pg.more; gi++) {
		const struct sim_asg *g = &ctx->world->regions[ri].asgs[gi];
		if (name && strcmp(name, g->name) != 0)
			continue;
		for (pi = 0; pi < g->n_policies; pi++) {
			const struct sim_policy *p = &g->policies[pi];
			if (!wanted(names, n_names, p->name) || !wanted(types, n_types, p->type) ||
			    !sim_pager_take(&pg))
				continue;
			json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:[], s:[], s:b,"
				" s:{s:[o], s:s, s:i, s:s}}",
				"AutoScalingGroupName", g->name, "PolicyName", p->name, "PolicyARN", p->arn,
				"PolicyType", p->type, "StepAdjustments", "Alarms", "Enabled", 1,
				"PredictiveScalingConfiguration", "MetricSpecifications", metric_spec(p),
				"Mode", p->mode, "SchedulingBufferTime", p->buffer_s,
				"MaxCapacityBreachBehavior", "HonorMaxCapacity"));
		}
	}
	*out = json_pack("{s:o}", "ScalingPolicies", list);
	sim_out_token(*out, &pg, "NextToken");
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

static int get_forecast(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct sim_asg *g = find_group(ctx, in, resp);
	const char *pname;
	const struct sim_policy *p = NULL;
	double start_s, end_s, t;
	json_t *ts, *load, *cap;
	size_t i;

	if (!g || !(pname = sim_in_require(ctx, resp, in, "PolicyName", "ValidationError")) ||
	    !sim_in_require(ctx, resp, in, "StartTime", "ValidationError") ||
	    !sim_in_require(ctx, resp, in, "EndTime", "ValidationError"))
		return 0;
	for (i = 0; i < g->n_policies; i++)
		if (strcmp(g->policies[i].name, pname) == 0)
			p = &g->policies[i];
	if (!p)
		return sim_error(ctx, resp, 400, "ValidationError", "Policy %.64s not found for group %s",
				 pname, g->name);
	if (sim_in_time(in, "StartTime", &start_s) != 0 || sim_in_time(in, "EndTime", &end_s) != 0)
		return sim_error(ctx, resp, 400, "ValidationError", "Timestamp must be in ISO 8601 format");
	if (end_s <= start_s)
		return sim_error(ctx, resp, 400, "ValidationError", "EndTime must be after StartTime");
	if (end_s - start_s > 30 * 86400.0)
		return sim_error(ctx, resp, 400, "ValidationError", "The time range cannot exceed 30 days");
	start_s = ceil(start_s / 3600.0) * 3600.0;
	ts = json_array();
	load = json_array();
	cap = json_array();
	for (t = start_s; t < end_s; t += 3600) {
		double l = forecast_load(ctx->world, g, t);
		double c = ceil(l / (p->target_value > 0 ? p->target_value : 50));
		json_array_append_new(ts, sim_out_time(t));
		json_array_append_new(load, json_real(round(l * 100.0) / 100.0));
		json_array_append_new(cap, json_real(c < g->min_size ? g->min_size : c > g->max_size ? g->max_size : c));
	}
	*out = json_pack("{s:[{s:O, s:o, s:o}], s:{s:o, s:o}, s:o}",
			 "LoadForecast", "Timestamps", ts, "Values", load, "MetricSpecification", metric_spec(p),
			 "CapacityForecast", "Timestamps", ts, "Values", cap,
			 "UpdateTime", sim_out_time(floor(ctx->now_s / 21600.0) * 21600.0));
	return 0;
}

static int set_desired(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct sim_asg *g = find_group(ctx, in, resp);
	struct fd_error err;
	long desired;

	(void)out;
	if (!g || sim_in_int(ctx, resp, in, "DesiredCapacity", 0, 100000, -1, &desired) < 0)
		return 0;
	if (desired < 0)
		return sim_in_require(ctx, resp, in, "DesiredCapacity", "ValidationError"), 0;
	if (desired > g->max_size)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "New SetDesiredCapacity value %ld is above max value %d for the AutoScalingGroup.",
				 desired, g->max_size);
	if (desired < g->min_size)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "New SetDesiredCapacity value %ld is below min value %d for the AutoScalingGroup.",
				 desired, g->min_size);
	/* "HonorCooldown: whether Amazon EC2 Auto Scaling waits for the cooldown period to
	 * complete": refused while an activity runs or one ended less than DefaultCooldown ago */
	for (size_t i = 0; sim_in_bool(in, "HonorCooldown", false) && i < g->n_activities; i++) {
		const struct sim_activity *a = &g->activities[i];
		if (a->end_s <= 0 || ctx->now_s < a->end_s + sim_world_dur(ctx->world, g->default_cooldown_s))
			return sim_error(ctx, resp, 400, "ScalingActivityInProgress",
					 "Scaling activity %s is in progress and blocks this action", a->id);
	}
	fd_error_clear(&err);
	if (sim_world_set_desired(ctx->world, g, (int)desired,
				  "a user request explicitly set group desired capacity", &err) < 0)
		return sim_error(ctx, resp, 400, err.code, "%s", err.message);
	return 0;
}

/* UpdateAutoScalingGroup's LaunchTemplate: a template of the region (by id or name,
 * not both) and a version ($Latest, $Default or a number that exists); instances
 * launched from now on run it, those running keep theirs.
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_UpdateAutoScalingGroup.html */
static int set_template(struct sim_ctx *ctx, struct sim_asg *g, json_t *lt, struct sim_resp *resp)
{
	const char *id = sim_in_str(lt, "LaunchTemplateId"), *name = sim_in_str(lt, "LaunchTemplateName");
	const char *version = sim_in_str(lt, "Version");
	struct sim_asg *owner;

	if (!lt)
		return 0;
	if (!id == !name)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "Valid requests must contain either launchTemplateId or launchTemplateName"), -1;
	owner = asg_lt_owner(ctx->world, g->region, name, id);
	if (!owner)
		return sim_error(ctx, resp, 400, "ValidationError", "The specified launch template, with template %s %.128s, "
				 "does not exist.", id ? "ID" : "name", id ? id : name), -1;
	if (!version)
		version = "$Default";
	if (strlen(version) >= sizeof(g->lt_spec) || asg_lt_version_of(owner, version) == 0)
		return sim_error(ctx, resp, 400, "ValidationError", "The specified launch template version %.32s "
				 "for launch template %s does not exist.", version, owner->launch_template), -1;
	if (owner != g)   /* another group's template (the same buffer otherwise) */
		memcpy(g->launch_template, owner->launch_template, sizeof(g->launch_template));
	snprintf(g->lt_spec, sizeof(g->lt_spec), "%s", version);
	return 0;
}

static int update_group(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct sim_asg *g = find_group(ctx, in, resp);
	long min, max, desired, cooldown, grace;
	struct fd_error err;
	char cause[160];

	(void)out;
	if (!g ||
	    sim_in_int(ctx, resp, in, "MinSize", 0, SIM_GROUP_MAX, g->min_size, &min) < 0 ||
	    sim_in_int(ctx, resp, in, "MaxSize", 0, SIM_GROUP_MAX, g->max_size, &max) < 0 ||
	    sim_in_int(ctx, resp, in, "DesiredCapacity", 0, SIM_GROUP_MAX, -1, &desired) < 0 ||
	    sim_in_int(ctx, resp, in, "DefaultCooldown", 0, 86400, g->default_cooldown_s, &cooldown) < 0 ||
	    sim_in_int(ctx, resp, in, "HealthCheckGracePeriod", 0, 86400, g->grace_s, &grace) < 0)
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
	if (set_template(ctx, g, json_object_get(in, "LaunchTemplate"), resp) < 0)
		return 0;
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
	return 0;
}

static const struct sim_shaped_op autoscaling_ops[] = {
	{ .name = "DescribeAutoScalingGroups", .fn = describe_groups },
	{ .name = "DescribeScalingActivities", .fn = describe_activities },
	{ .name = "DescribePolicies", .fn = describe_policies },
	{ .name = "GetPredictiveScalingForecast", .fn = get_forecast },
	{ .name = "SetDesiredCapacity", .fn = set_desired },
	{ .name = "UpdateAutoScalingGroup", .fn = update_group },
	{ .name = "StartInstanceRefresh", .fn = sim_asg_refresh_start },
	{ .name = "CancelInstanceRefresh", .fn = sim_asg_refresh_cancel },
	{ .name = "DescribeInstanceRefreshes", .fn = sim_asg_refresh_describe },
	{ .name = NULL },
};

int sim_autoscaling_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	return sim_dispatch_shaped(ctx, req, resp, autoscaling_ops);
}
