/* panel_asg.c — the Auto Scaling panel: groups -> activities, policies -> predictive forecasts. */
#include "model/panel_asg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/isotime.h"
#include "base/strbuf.h"
#include "base/strlist.h"
#include "base/xalloc.h"
#include "model/collector.h"
#include "model/panel.h"

/* --- autoscaling ---------------------------------------------------------------------- */

/* Parse DescribeAutoScalingGroups. */
int panel_asg_parse_groups(const json_t *res, time_t now, struct model_asg **out, size_t *n,
	       struct fd_error *err)
{
	const json_t *arr, *e, *x;
	struct model_asg *v;
	bool bad = false;
	size_t i, k;

	if (panel_need_object(res, "DescribeAutoScalingGroups", err))
		return -1;
	arr = panel_list(res, "AutoScalingGroups", &bad);
	if (bad)
		return panel_shape_error(err, "DescribeAutoScalingGroups", "AutoScalingGroups is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		const json_t *ins = json_object_get(e, "Instances"), *tgs = json_object_get(e, "TargetGroupARNs");
		v[i].name = panel_str(e, "AutoScalingGroupName");
		v[i].arn = panel_str(e, "AutoScalingGroupARN");
		v[i].min = panel_int(e, "MinSize", 0);
		v[i].desired = panel_int(e, "DesiredCapacity", 0);
		v[i].max = panel_int(e, "MaxSize", 0);
		v[i].fetched_at = now;
		if (json_is_array(tgs) && json_array_size(tgs)) {
			v[i].tg_arns = xcalloc(json_array_size(tgs), sizeof(char *));
			json_array_foreach(tgs, k, x)
				if (json_is_string(x))
					v[i].tg_arns[v[i].n_tg_arns++] = xstrdup(json_string_value(x));
		}
		if (!json_is_array(ins))
			continue;
		v[i].instances = xcalloc(json_array_size(ins) + 1, sizeof(*v[i].instances));
		v[i].n_instances = json_array_size(ins);
		json_array_foreach(ins, k, x) {
			struct model_instance *in = &v[i].instances[k];
			const json_t *lt = json_object_get(x, "LaunchTemplate");
			in->id = panel_str(x, "InstanceId");
			in->az = panel_str(x, "AvailabilityZone");
			in->lifecycle_state = panel_str(x, "LifecycleState");
			in->health_status = panel_str(x, "HealthStatus");
			in->instance_type = panel_str(x, "InstanceType");
			in->protected_from_scale_in = panel_bool(x, "ProtectedFromScaleIn");
			if (lt) {
				struct strbuf sb;
				strbuf_init(&sb);
				strbuf_addf(&sb, "%s:%s", panel_cstr(lt, "LaunchTemplateName") ? panel_cstr(lt, "LaunchTemplateName") :
					    (panel_cstr(lt, "LaunchTemplateId") ? panel_cstr(lt, "LaunchTemplateId") : "?"),
					    panel_cstr(lt, "Version") ? panel_cstr(lt, "Version") : "?");
				in->launch_template = strbuf_detach(&sb, NULL);
			} else {
				in->launch_template = panel_str(x, "LaunchConfigurationName");
			}
			if (in->lifecycle_state && strcmp(in->lifecycle_state, "InService") == 0)
				v[i].in_service++;
			else if (in->lifecycle_state && strncmp(in->lifecycle_state, "Pending", 7) == 0)
				v[i].pending++;
			else
				v[i].other++;
		}
	}
	*out = v;
	*n = json_array_size(arr);
	return 0;
}

/* Index of the group named name in v, -1 when absent. */
static long asg_index(const struct model_asg *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; name && i < n; i++)
		if (v[i].name && strcmp(v[i].name, name) == 0)
			return (long)i;
	return -1;
}

/* Order activities newest first. */
static int activity_cmp(const void *a, const void *b)
{
	const struct model_activity *x = a, *y = b;

	return (x->start < y->start) - (x->start > y->start);
}

/* Parse DescribeScalingActivities into the groups. */
int panel_asg_parse_activities(const json_t *res, time_t now, struct model_asg *v, size_t n,
		     struct fd_error *err)
{
	const json_t *arr, *e;
	bool bad = false, *seen;
	size_t i;

	if (panel_need_object(res, "DescribeScalingActivities", err))
		return -1;
	arr = panel_list(res, "Activities", &bad);
	if (bad)
		return panel_shape_error(err, "DescribeScalingActivities", "Activities is not a list");
	seen = xcalloc(n + 1, sizeof(*seen));
	json_array_foreach(arr, i, e) {
		long g = asg_index(v, n, panel_cstr(e, "AutoScalingGroupName"));
		struct model_activity *a;
		const char *desc;
		if (g < 0)
			continue;
		if (!seen[g]) {
			panel_asg_activities_free(v[g].activities, v[g].n_activities);
			v[g].activities = NULL;
			v[g].n_activities = 0;
			seen[g] = true;
		}
		v[g].activities = xrealloc(v[g].activities, (v[g].n_activities + 1) * sizeof(*a));
		a = &v[g].activities[v[g].n_activities++];
		memset(a, 0, sizeof(*a));
		a->id = panel_str(e, "ActivityId");
		a->status_code = panel_str(e, "StatusCode");
		a->description = panel_str(e, "Description");
		a->cause = panel_str(e, "Cause");
		a->start = panel_time(e, "StartTime");
		a->end = panel_time(e, "EndTime");
		a->progress = panel_int(e, "Progress", 0);
		desc = a->description ? a->description : "";
		a->scale_out = strncasecmp(desc, "Launching", 9) == 0;
		a->scale_in = strncasecmp(desc, "Terminating", 11) == 0;
	}
	for (i = 0; i < n; i++) {
		if (seen[i])
			qsort(v[i].activities, v[i].n_activities, sizeof(*v[i].activities), activity_cmp);
		v[i].activities_at = now;
	}
	/* groups absent from the result have no recent activity */
	for (i = 0; i < n; i++)
		if (!seen[i]) {
			panel_asg_activities_free(v[i].activities, v[i].n_activities);
			v[i].activities = NULL;
			v[i].n_activities = 0;
		}
	free(seen);
	return 0;
}

/* Parse DescribePolicies into the groups. */
int panel_asg_parse_policies(const json_t *res, struct model_asg *v, size_t n, struct fd_error *err)
{
	const json_t *arr, *e;
	bool bad = false;
	size_t i;

	if (panel_need_object(res, "DescribePolicies", err))
		return -1;
	arr = panel_list(res, "ScalingPolicies", &bad);
	if (bad)
		return panel_shape_error(err, "DescribePolicies", "ScalingPolicies is not a list");
	for (i = 0; i < n; i++) {
		panel_asg_policies_free(v[i].policies, v[i].n_policies);
		v[i].policies = NULL;
		v[i].n_policies = 0;
	}
	json_array_foreach(arr, i, e) {
		long g = asg_index(v, n, panel_cstr(e, "AutoScalingGroupName"));
		const json_t *tt = json_object_get(e, "TargetTrackingConfiguration");
		const json_t *ps = json_object_get(e, "PredictiveScalingConfiguration");
		struct model_policy *p;
		if (g < 0)
			continue;
		v[g].policies = xrealloc(v[g].policies, (v[g].n_policies + 1) * sizeof(*p));
		p = &v[g].policies[v[g].n_policies++];
		memset(p, 0, sizeof(*p));
		p->name = panel_str(e, "PolicyName");
		p->type = panel_str(e, "PolicyType");
		if (tt) {
			const char *metric = panel_cstr(json_object_get(tt, "PredefinedMetricSpecification"),
						   "PredefinedMetricType");
			struct strbuf sb;
			strbuf_init(&sb);
			strbuf_addf(&sb, "%s %g", metric ? metric : "custom metric", panel_num(tt, "TargetValue", 0));
			p->summary = strbuf_detach(&sb, NULL);
		} else if (ps) {
			const json_t *spec = json_array_get(json_object_get(ps, "MetricSpecifications"), 0);
			const char *metric = panel_cstr(json_object_get(spec, "PredefinedMetricPairSpecification"),
						   "PredefinedMetricType");
			struct strbuf sb;
			strbuf_init(&sb);
			strbuf_addf(&sb, "%s %g %s", metric ? metric : "custom metric", panel_num(spec, "TargetValue", 0),
				    panel_cstr(ps, "Mode") ? panel_cstr(ps, "Mode") : "ForecastOnly");
			p->summary = strbuf_detach(&sb, NULL);
		}
	}
	return 0;
}

/* Parse GetPredictiveScalingForecast. */
int panel_asg_parse_forecast(const json_t *res, time_t now, struct model_forecast *f, struct fd_error *err)
{
	const json_t *lf, *cf, *spec;
	struct model_series load, cap;

	if (panel_need_object(res, "GetPredictiveScalingForecast", err))
		return -1;
	lf = json_array_get(json_object_get(res, "LoadForecast"), 0);
	cf = json_object_get(res, "CapacityForecast");
	if (json_object_get(res, "LoadForecast") && !json_is_array(json_object_get(res, "LoadForecast")))
		return panel_shape_error(err, "GetPredictiveScalingForecast", "LoadForecast is not a list");
	memset(&load, 0, sizeof(load));
	memset(&cap, 0, sizeof(cap));
	if (lf)
		series_from_json(json_object_get(lf, "Timestamps"), json_object_get(lf, "Values"), &load);
	if (cf)
		series_from_json(json_object_get(cf, "Timestamps"), json_object_get(cf, "Values"), &cap);
	series_clean_up(&f->load);
	series_clean_up(&f->capacity);
	f->load = load;
	f->capacity = cap;
	spec = json_object_get(lf, "MetricSpecification");
	if (spec) {
		const json_t *pair = json_object_get(spec, "PredefinedMetricPairSpecification");
		const json_t *ld = json_object_get(spec, "PredefinedLoadMetricSpecification");
		const char *m = panel_cstr(pair ? pair : ld, "PredefinedMetricType");
		if (m) {
			free(f->metric);
			f->metric = xstrdup(m);
		}
	}
	f->fetched_at = now;
	return 0;
}

/* --- freeing ------------------------------------------------------------------------- */

/* Free scaling activities. */
void panel_asg_activities_free(struct model_activity *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].status_code);
		free(v[i].description);
		free(v[i].cause);
	}
	free(v);
}

/* Free scaling policies. */
void panel_asg_policies_free(struct model_policy *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].type);
		free(v[i].summary);
	}
	free(v);
}

/* Free forecasts. */
void panel_asg_forecasts_free(struct model_forecast *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].policy);
		free(v[i].metric);
		series_clean_up(&v[i].load);
		series_clean_up(&v[i].capacity);
		series_clean_up(&v[i].actual);
	}
	free(v);
}

/* Free auto scaling groups. */
void panel_asg_groups_free(struct model_asg *v, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].arn);
		strlist_free(v[i].tg_arns, v[i].n_tg_arns);
		for (k = 0; k < v[i].n_instances; k++) {
			struct model_instance *in = &v[i].instances[k];
			free(in->id);
			free(in->az);
			free(in->lifecycle_state);
			free(in->health_status);
			free(in->instance_type);
			free(in->launch_template);
		}
		free(v[i].instances);
		panel_asg_activities_free(v[i].activities, v[i].n_activities);
		panel_asg_policies_free(v[i].policies, v[i].n_policies);
		panel_asg_forecasts_free(v[i].forecasts, v[i].n_forecasts);
	}
	free(v);
}

/* --- refreshing ---------------------------------------------------------------------- */

/* The calls of a refresh (rows of asg_calls[]). */
enum { K_ASGS, K_ACTIVITIES, K_POLICIES, K_FORECAST, K_COUNT };

/* Per-group failures of sub-calls (asg_stage.asg_fail bits); KEEP_FORECAST: the
 * group's forecasts were read less than FORECAST_REFRESH_S ago and are kept as well. */
enum { FAIL_ACTIVITIES = 1, FAIL_POLICIES = 2, FAIL_FORECAST = 4, KEEP_FORECAST = 8 };

/* A forecast is hourly values (GetPredictiveScalingForecast: "predictions of the
 * hourly load values"): read once a minute, not at every refresh (it was a twelfth
 * of the calls at rest with a 5 s refresh). Its section shows its age. */
#define FORECAST_REFRESH_S 60

/* Has the model a forecast of every predictive policy of a, read less than
 * FORECAST_REFRESH_S ago? */
static bool forecasts_recent(const struct panel_job *j, const struct model_asg *a)
{
	const struct model_region *r = panel_region(j);
	const struct model_asg *old = NULL;
	size_t i, o, f, n = 0;

	for (o = 0; o < r->n_asgs && !old; o++)
		if (panel_same(r->asgs[o].name, a->name))
			old = &r->asgs[o];
	if (!old)
		return false;
	for (i = 0; i < a->n_policies; i++) {
		if (!panel_same(a->policies[i].type, "PredictiveScaling"))
			continue;
		n++;
		for (f = 0; f < old->n_forecasts; f++)
			if (panel_same(old->forecasts[f].policy, a->policies[i].name))
				break;
		if (f == old->n_forecasts || !old->forecasts[f].fetched_at ||
		    j->now - old->forecasts[f].fetched_at >= FORECAST_REFRESH_S)
			return false;
	}
	return n == old->n_forecasts;     /* the same policies, none removed */
}

/* What a refresh stages before the swap. */
struct asg_stage {
	struct model_asg *asgs;
	size_t n_asgs;
	bool have_asgs;
	unsigned char *asg_fail;        /* per group: FAIL_* bits */
};

/* Does an ASG entry carry every configured tag? */
static bool tags_match(const struct fd_config *cfg, const json_t *asg)
{
	const json_t *tags = json_object_get(asg, "Tags"), *t;
	size_t i, k;

	for (i = 0; i < cfg->n_tags; i++) {
		bool found = false;
		json_array_foreach(tags, k, t) {
			const char *key = json_string_value(json_object_get(t, "Key"));
			const char *val = json_string_value(json_object_get(t, "Value"));
			if (key && val && strcmp(key, cfg->tags[i].name) == 0 && strcmp(val, cfg->tags[i].value) == 0)
				found = true;
		}
		if (!found)
			return false;
	}
	return true;
}

static void start_asg(struct panel_job *j)
{
	collector_call(j, K_ASGS, json_object(), 0, 0);
}

static void done_asgs(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct asg_stage *s = j->stage;
	const struct fd_config *cfg = j->cfg;
	json_t *arr = json_object_get(res, "AutoScalingGroups");
	struct fd_error e;
	size_t i;

	(void)idx;
	(void)sub;
	panel_filter(res, "AutoScalingGroups", "AutoScalingGroupName", cfg->asgs, cfg->n_asgs);
	for (i = json_array_size(arr); cfg->n_tags && i-- > 0;)
		if (!tags_match(cfg, json_array_get(arr, i)))
			json_array_remove(arr, i);
	if (panel_asg_parse_groups(res, j->now, &s->asgs, &s->n_asgs, &e)) {
		collector_job_error(j, &e, true);
		return;
	}
	s->have_asgs = true;
	s->asg_fail = xcalloc(s->n_asgs + 1, 1);
	for (i = 0; i < s->n_asgs; i++) {
		collector_call(j, K_ACTIVITIES, json_pack("{s:s, s:i}", "AutoScalingGroupName", s->asgs[i].name,
							  "MaxRecords", 20), i, 0);
		collector_call(j, K_POLICIES, json_pack("{s:s}", "AutoScalingGroupName", s->asgs[i].name), i, 0);
	}
}

static void done_activities(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct asg_stage *s = j->stage;
	struct fd_error e;

	if (panel_asg_parse_activities(res, j->now, &s->asgs[idx], 1, &e)) {
		s->asg_fail[idx] |= FAIL_ACTIVITIES;
		collector_job_error(j, &e, false);
	}
}

static void done_policies(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct asg_stage *s = j->stage;
	struct model_asg *a = &s->asgs[idx];
	time_t now = j->now;
	char start[ISOTIME_MAX], end[ISOTIME_MAX];
	struct fd_error e;
	size_t i, n = 0;

	if (panel_asg_parse_policies(res, a, 1, &e)) {
		s->asg_fail[idx] |= FAIL_POLICIES;
		collector_job_error(j, &e, false);
		return;
	}
	for (i = 0; i < a->n_policies; i++)
		if (panel_same(a->policies[i].type, "PredictiveScaling"))
			n++;
	if (!n)
		return;
	if (forecasts_recent(j, a)) {
		s->asg_fail[idx] |= KEEP_FORECAST;
		return;
	}
	a->forecasts = xcalloc(n, sizeof(*a->forecasts));
	isotime_format((double)(now - 6 * 3600), 0, start);
	isotime_format((double)(now + 24 * 3600), 0, end);
	for (i = 0; i < a->n_policies; i++) {
		if (!panel_same(a->policies[i].type, "PredictiveScaling"))
			continue;
		a->forecasts[a->n_forecasts].policy = xstrdup(a->policies[i].name);
		collector_call(j, K_FORECAST, json_pack("{s:s, s:s, s:s, s:s}", "AutoScalingGroupName", a->name, "PolicyName", a->policies[i].name, "StartTime", start, "EndTime", end), idx, a->n_forecasts);
		a->n_forecasts++;
	}
}

static void done_forecast(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct asg_stage *s = j->stage;
	struct fd_error e;

	if (panel_asg_parse_forecast(res, j->now, &s->asgs[idx].forecasts[sub], &e)) {
		s->asg_fail[idx] |= FAIL_FORECAST;
		collector_job_error(j, &e, false);
	}
}

/* Swap staged groups in, carrying over failed sub-data and the actual load. */
static void finish_asg(struct panel_job *j)
{
	struct asg_stage *s = j->stage;
	struct model_region *r = panel_region(j);
	size_t i, o, f, of;

	if (!s->have_asgs)
		return;
	for (i = 0; i < s->n_asgs; i++) {
		struct model_asg *n = &s->asgs[i];
		for (o = 0; o < r->n_asgs; o++) {
			struct model_asg *old = &r->asgs[o];
			if (!panel_same(old->name, n->name))
				continue;
			if (s->asg_fail[i] & FAIL_ACTIVITIES) {
				panel_asg_activities_free(n->activities, n->n_activities);
				n->activities = old->activities;
				n->n_activities = old->n_activities;
				n->activities_at = old->activities_at;
				old->activities = NULL;
				old->n_activities = 0;
			}
			if (s->asg_fail[i] & FAIL_POLICIES) {
				panel_asg_policies_free(n->policies, n->n_policies);
				n->policies = old->policies;
				n->n_policies = old->n_policies;
				old->policies = NULL;
				old->n_policies = 0;
			}
			if (s->asg_fail[i] & (FAIL_POLICIES | FAIL_FORECAST | KEEP_FORECAST)) {
				panel_asg_forecasts_free(n->forecasts, n->n_forecasts);
				n->forecasts = old->forecasts;
				n->n_forecasts = old->n_forecasts;
				old->forecasts = NULL;
				old->n_forecasts = 0;
				continue;
			}
			for (f = 0; f < n->n_forecasts; f++)
				for (of = 0; of < old->n_forecasts; of++)
					if (panel_same(n->forecasts[f].policy, old->forecasts[of].policy)) {
						n->forecasts[f].actual = old->forecasts[of].actual;
						memset(&old->forecasts[of].actual, 0, sizeof(old->forecasts[of].actual));
					}
		}
	}
	panel_asg_groups_free(r->asgs, r->n_asgs);
	r->asgs = s->asgs;
	r->n_asgs = s->n_asgs;
	s->asgs = NULL;
	s->n_asgs = 0;
}

/* Sub-call failures: keep the group's old data of that kind. */
static void failed_activities(struct panel_job *j, size_t idx, size_t sub)
{
	struct asg_stage *s = j->stage;

	(void)sub;
	s->asg_fail[idx] |= FAIL_ACTIVITIES;
}

static void failed_policies(struct panel_job *j, size_t idx, size_t sub)
{
	struct asg_stage *s = j->stage;

	(void)sub;
	s->asg_fail[idx] |= FAIL_POLICIES;
}

static void failed_forecast(struct panel_job *j, size_t idx, size_t sub)
{
	struct asg_stage *s = j->stage;

	(void)sub;
	s->asg_fail[idx] |= FAIL_FORECAST;
}

/* Free what a refresh staged. */
static void stage_clean_up(void *stage)
{
	struct asg_stage *s = stage;

	panel_asg_groups_free(s->asgs, s->n_asgs);
	free(s->asg_fail);
}

/* Free a region's groups. */
static void model_part_clean_up(struct model *m, size_t region)
{
	struct model_region *r = &m->regions[region];

	panel_asg_groups_free(r->asgs, r->n_asgs);
	r->asgs = NULL;
	r->n_asgs = 0;
}

static const struct panel_call asg_calls[K_COUNT] = {
	[K_ASGS] = { "autoscaling", "DescribeAutoScalingGroups", CLIENT_ALL_PAGES, true, done_asgs, NULL },
	[K_ACTIVITIES] = { "autoscaling", "DescribeScalingActivities", 0, false, done_activities, failed_activities },
	[K_POLICIES] = { "autoscaling", "DescribePolicies", CLIENT_ALL_PAGES, false, done_policies, failed_policies },
	[K_FORECAST] = { "autoscaling", "GetPredictiveScalingForecast", 0, false, done_forecast, failed_forecast },
};

const struct panel_def panel_asg_def = {
	.panel = MODEL_PANEL_ASG,
	.name = "asg",
	.interval_mult = 1,
	.calls = asg_calls,
	.n_calls = K_COUNT,
	.stage_size = sizeof(struct asg_stage),
	.start = start_asg,
	.finish = finish_asg,
	.stage_clean_up = stage_clean_up,
	.model_clean_up = model_part_clean_up,
};
