/* parse.c — botocore-shaped JSON results into the typed model (see parse.h). */
#include "model/parse.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/strbuf.h"
#include "base/xalloc.h"

/* --- small JSON helpers ---------------------------------------------------- */

/* A member's string copied, NULL when absent or not a string. */
static char *jstr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

/* A member's string, borrowed; NULL when absent. */
static const char *jcstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A number or numeric string as a double; def when absent or not numeric. */
static double jnumv(const json_t *v, double def)
{
	const char *s;
	char *end;
	double d;

	if (json_is_number(v))
		return json_number_value(v);
	s = json_string_value(v);
	if (!s || !*s)
		return def;
	d = strtod(s, &end);
	return *end ? def : d;
}

/* A member as a double. */
static double jnum(const json_t *o, const char *key, double def)
{
	return jnumv(json_object_get(o, key), def);
}

/* A member as an int. */
static int jint(const json_t *o, const char *key, int def)
{
	double d = jnum(o, key, NAN);

	return isnan(d) ? def : (int)d;
}

/* A member as a bool ("true" strings accepted). */
static bool jbool(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	if (json_is_boolean(v))
		return json_is_true(v);
	return json_is_string(v) && strcasecmp(json_string_value(v), "true") == 0;
}

/* A member that must be an array; NULL (an empty list to jansson) when absent, *bad when another type. */
static const json_t *jarr(const json_t *o, const char *key, bool *bad)
{
	const json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		*bad = true;
		return NULL;
	}
	return v;
}

/* Fail with a shape error. */
static int shape_error(struct fd_error *err, const char *op, const char *what)
{
	return fd_error_set(err, "ParseError", "%s: unexpected result shape: %s", op, what);
}

/* Check the top level is an object. */
static int need_object(const json_t *res, const char *op, struct fd_error *err)
{
	return json_is_object(res) ? 0 : shape_error(err, op, "not an object");
}

/* --- time ---------------------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

/* Parse ISO 8601 (UTC, fractions, Z or +hh:mm), 0 when malformed. */
time_t parse_time_str(const char *s)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0, oh, om;
	long t;
	const char *p;

	if (!s)
		return 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return 0;
	p = s + n;
	if (*p == 'T' || *p == ' ') {
		if (sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &n) != 3 || n != 8)
			return 0;
		p += 1 + n;
		if (*p == '.')
			for (p++; isdigit((unsigned char)*p); p++)
				;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return 0;
	t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400L + h * 3600L + mi * 60L + sec;
	if (*p == 'Z' || *p == 'z')
		p++;
	else if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d", &oh, &om) == 2) {
		long off = oh * 3600L + om * 60L;
		t += *p == '+' ? -off : off;
		p += 6;
	}
	return *p ? 0 : (time_t)t;
}

/* A timestamp member value (string or epoch number). */
time_t parse_time(const json_t *v)
{
	if (json_is_number(v))
		return (time_t)json_number_value(v);
	return parse_time_str(json_string_value(v));
}

/* --- series ---------------------------------------------------------------------- */

/* Build a series from parallel Timestamps/Values arrays, sorted oldest first. */
static int series_from(const json_t *ts, const json_t *vals, struct model_series *s)
{
	size_t n, i, j;

	memset(s, 0, sizeof(*s));
	if (!json_is_array(ts) || !json_is_array(vals))
		return -1;
	n = json_array_size(ts) < json_array_size(vals) ? json_array_size(ts) : json_array_size(vals);
	if (!n)
		return 0;
	s->ts = xcalloc(n, sizeof(*s->ts));
	s->values = xcalloc(n, sizeof(*s->values));
	for (i = 0; i < n; i++) {
		s->ts[s->n] = parse_time(json_array_get(ts, i));
		s->values[s->n] = jnumv(json_array_get(vals, i), NAN);
		if (s->ts[s->n] && !isnan(s->values[s->n]))
			s->n++;
	}
	/* insertion sort: results come newest first or oldest first, nearly sorted */
	for (i = 1; i < s->n; i++) {
		time_t t = s->ts[i];
		double v = s->values[i];
		for (j = i; j > 0 && s->ts[j - 1] > t; j--) {
			s->ts[j] = s->ts[j - 1];
			s->values[j] = s->values[j - 1];
		}
		s->ts[j] = t;
		s->values[j] = v;
	}
	return 0;
}

/* The newest value of a series. */
double parse_series_last(const struct model_series *s, time_t *at)
{
	if (!s->n)
		return NAN;
	if (at)
		*at = s->ts[s->n - 1];
	return s->values[s->n - 1];
}

/* --- elbv2 -------------------------------------------------------------------------- */

/* Parse DescribeLoadBalancers. */
int parse_load_balancers(const json_t *res, time_t now, struct model_lb **out, size_t *n,
			 struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_lb *v;
	bool bad = false;
	size_t i;

	if (need_object(res, "DescribeLoadBalancers", err))
		return -1;
	arr = jarr(res, "LoadBalancers", &bad);
	if (bad)
		return shape_error(err, "DescribeLoadBalancers", "LoadBalancers is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		v[i].name = jstr(e, "LoadBalancerName");
		v[i].arn = jstr(e, "LoadBalancerArn");
		v[i].dns_name = jstr(e, "DNSName");
		v[i].type = jstr(e, "Type");
		v[i].scheme = jstr(e, "Scheme");
		v[i].state = jstr(json_object_get(e, "State"), "Code");
		v[i].vpc_id = jstr(e, "VpcId");
		v[i].requests_per_s = v[i].http_5xx_pct = v[i].p99_ms = NAN;
		v[i].fetched_at = now;
	}
	*out = v;
	*n = json_array_size(arr);
	return 0;
}

/* Parse a list of actions (DefaultActions / Actions). */
static struct model_action *parse_actions(const json_t *arr, size_t *n)
{
	struct model_action *v;
	const json_t *e;
	size_t i;

	*n = json_is_array(arr) ? json_array_size(arr) : 0;
	v = xcalloc(*n + 1, sizeof(*v));
	for (i = 0; i < *n; i++) {
		const json_t *fc, *tgs, *t, *rc;
		size_t k;
		e = json_array_get(arr, i);
		v[i].type = jstr(e, "Type");
		v[i].order = jint(e, "Order", 0);
		fc = json_object_get(e, "ForwardConfig");
		tgs = json_object_get(fc, "TargetGroups");
		if (json_is_array(tgs) && json_array_size(tgs)) {
			v[i].forwards = xcalloc(json_array_size(tgs), sizeof(*v[i].forwards));
			json_array_foreach(tgs, k, t) {
				v[i].forwards[k].tg_arn = jstr(t, "TargetGroupArn");
				v[i].forwards[k].weight = jint(t, "Weight", 1);
			}
			v[i].n_forwards = json_array_size(tgs);
		} else if (jcstr(e, "TargetGroupArn")) {
			v[i].forwards = xcalloc(1, sizeof(*v[i].forwards));
			v[i].forwards[0].tg_arn = jstr(e, "TargetGroupArn");
			v[i].forwards[0].weight = 1;
			v[i].n_forwards = 1;
		}
		if ((rc = json_object_get(e, "RedirectConfig"))) {
			struct strbuf sb;
			strbuf_init(&sb);
			strbuf_addf(&sb, "%s to %s://%s:%s%s", jcstr(rc, "StatusCode") ? jcstr(rc, "StatusCode") : "redirect",
				    jcstr(rc, "Protocol") ? jcstr(rc, "Protocol") : "#{protocol}",
				    jcstr(rc, "Host") ? jcstr(rc, "Host") : "#{host}",
				    jcstr(rc, "Port") ? jcstr(rc, "Port") : "#{port}",
				    jcstr(rc, "Path") ? jcstr(rc, "Path") : "/#{path}");
			v[i].detail = strbuf_detach(&sb, NULL);
		} else if ((rc = json_object_get(e, "FixedResponseConfig"))) {
			struct strbuf sb;
			strbuf_init(&sb);
			strbuf_addf(&sb, "%s %s", jcstr(rc, "StatusCode") ? jcstr(rc, "StatusCode") : "?",
				    jcstr(rc, "ContentType") ? jcstr(rc, "ContentType") : "");
			v[i].detail = strbuf_detach(&sb, NULL);
		}
	}
	return v;
}

/* Parse DescribeListeners. */
int parse_listeners(const json_t *res, time_t now, struct model_listener **out, size_t *n,
		    struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_listener *v;
	bool bad = false;
	size_t i;

	if (need_object(res, "DescribeListeners", err))
		return -1;
	arr = jarr(res, "Listeners", &bad);
	if (bad)
		return shape_error(err, "DescribeListeners", "Listeners is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		v[i].arn = jstr(e, "ListenerArn");
		v[i].lb_arn = jstr(e, "LoadBalancerArn");
		v[i].protocol = jstr(e, "Protocol");
		v[i].port = jint(e, "Port", 0);
		v[i].default_actions = parse_actions(json_object_get(e, "DefaultActions"),
						     &v[i].n_default_actions);
		v[i].fetched_at = now;
	}
	*out = v;
	*n = json_array_size(arr);
	return 0;
}

/* One-line summary of rule conditions: "path-pattern=/api/x,/v2; host-header=a.b". */
static char *conditions_text(const json_t *conds)
{
	struct strbuf sb;
	const json_t *c, *vals, *x;
	size_t i, k;

	strbuf_init(&sb);
	json_array_foreach(conds, i, c) {
		const char *field = jcstr(c, "Field");
		vals = json_object_get(c, "Values");
		if (!json_is_array(vals) || !json_array_size(vals)) {
			/* newer shapes: PathPatternConfig.Values, HostHeaderConfig.Values ... */
			const char *key;
			json_t *sub;
			vals = NULL;
			json_object_foreach((json_t *)c, key, sub)
				if (json_is_object(sub) && json_is_array(json_object_get(sub, "Values")))
					vals = json_object_get(sub, "Values");
		}
		if (i)
			strbuf_adds(&sb, "; ");
		strbuf_addf(&sb, "%s=", field ? field : "?");
		json_array_foreach(vals, k, x) {
			if (k)
				strbuf_addc(&sb, ',');
			strbuf_adds(&sb, json_is_string(x) ? json_string_value(x) : "?");
		}
	}
	return strbuf_detach(&sb, NULL);
}

/* Order rules by numeric priority. */
static int rule_cmp(const void *a, const void *b)
{
	const struct model_rule *x = a, *y = b;
	long px = strtol(x->priority ? x->priority : "0", NULL, 10);
	long py = strtol(y->priority ? y->priority : "0", NULL, 10);

	return (px > py) - (px < py);
}

/* Parse DescribeRules into a listener. */
int parse_rules(const json_t *res, struct model_listener *l, struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_rule *v;
	bool bad = false;
	size_t i, n = 0;

	if (need_object(res, "DescribeRules", err))
		return -1;
	arr = jarr(res, "Rules", &bad);
	if (bad)
		return shape_error(err, "DescribeRules", "Rules is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		if (jbool(e, "IsDefault") || (jcstr(e, "Priority") && strcmp(jcstr(e, "Priority"), "default") == 0))
			continue;
		v[n].arn = jstr(e, "RuleArn");
		v[n].priority = jstr(e, "Priority");
		v[n].conditions = conditions_text(json_object_get(e, "Conditions"));
		v[n].actions = parse_actions(json_object_get(e, "Actions"), &v[n].n_actions);
		n++;
	}
	qsort(v, n, sizeof(*v), rule_cmp);
	model_rules_free(l->rules, l->n_rules);
	l->rules = v;
	l->n_rules = n;
	return 0;
}

/* Parse DescribeTargetGroups. */
int parse_target_groups(const json_t *res, time_t now, struct model_tg **out, size_t *n,
			struct fd_error *err)
{
	const json_t *arr, *e, *x;
	struct model_tg *v;
	bool bad = false;
	size_t i, k;

	if (need_object(res, "DescribeTargetGroups", err))
		return -1;
	arr = jarr(res, "TargetGroups", &bad);
	if (bad)
		return shape_error(err, "DescribeTargetGroups", "TargetGroups is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		const json_t *lbs = json_object_get(e, "LoadBalancerArns");
		v[i].name = jstr(e, "TargetGroupName");
		v[i].arn = jstr(e, "TargetGroupArn");
		v[i].protocol = jstr(e, "Protocol");
		v[i].port = jint(e, "Port", 0);
		v[i].target_type = jstr(e, "TargetType");
		v[i].health_check_path = jstr(e, "HealthCheckPath");
		if (json_is_array(lbs) && json_array_size(lbs)) {
			v[i].lb_arns = xcalloc(json_array_size(lbs), sizeof(char *));
			json_array_foreach(lbs, k, x)
				if (json_is_string(x))
					v[i].lb_arns[v[i].n_lb_arns++] = xstrdup(json_string_value(x));
		}
		v[i].requests_per_s = v[i].http_5xx_pct = v[i].p99_ms = NAN;
		v[i].fetched_at = now;
	}
	*out = v;
	*n = json_array_size(arr);
	return 0;
}

/* Parse DescribeTargetHealth into one target group. */
int parse_target_health(const json_t *res, time_t now, struct model_tg *tg, struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_target_health *v;
	bool bad = false;
	size_t i;

	if (need_object(res, "DescribeTargetHealth", err))
		return -1;
	arr = jarr(res, "TargetHealthDescriptions", &bad);
	if (bad)
		return shape_error(err, "DescribeTargetHealth", "TargetHealthDescriptions is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	tg->healthy = tg->unhealthy = tg->other = 0;
	json_array_foreach(arr, i, e) {
		const json_t *t = json_object_get(e, "Target"), *h = json_object_get(e, "TargetHealth");
		v[i].id = jstr(t, "Id");
		v[i].port = jint(t, "Port", 0);
		v[i].az = jstr(t, "AvailabilityZone");
		v[i].state = jstr(h, "State");
		v[i].reason = jstr(h, "Reason");
		v[i].description = jstr(h, "Description");
		if (v[i].state && strcmp(v[i].state, "healthy") == 0)
			tg->healthy++;
		else if (v[i].state && strcmp(v[i].state, "unhealthy") == 0)
			tg->unhealthy++;
		else
			tg->other++;
	}
	model_target_health_free(tg->targets, tg->n_targets);
	tg->targets = v;
	tg->n_targets = json_array_size(arr);
	tg->health_at = now;
	return 0;
}

/* The name part of a target group ARN (...:targetgroup/NAME/id). */
static char *tg_name_from_arn(const char *arn)
{
	const char *p = arn ? strstr(arn, "targetgroup/") : NULL, *q;

	if (!p)
		return xstrdup(arn ? arn : "?");
	p += strlen("targetgroup/");
	q = strchr(p, '/');
	return q ? xstrndup(p, (size_t)(q - p)) : xstrdup(p);
}

/* Name the target groups of a list of actions. */
static void resolve_actions(const struct model_region *r, struct model_action *a, size_t n)
{
	size_t i, k, t;

	for (i = 0; i < n; i++)
		for (k = 0; k < a[i].n_forwards; k++) {
			struct model_forward *f = &a[i].forwards[k];
			free(f->tg_name);
			f->tg_name = NULL;
			for (t = 0; t < r->n_tgs && !f->tg_name; t++)
				if (f->tg_arn && r->tgs[t].arn && strcmp(f->tg_arn, r->tgs[t].arn) == 0 && r->tgs[t].name)
					f->tg_name = xstrdup(r->tgs[t].name);
			if (!f->tg_name)
				f->tg_name = tg_name_from_arn(f->tg_arn);
		}
}

/* Fill forward names from the region's target groups. */
void parse_resolve_forwards(struct model_region *r)
{
	size_t i, l, k;

	for (i = 0; i < r->n_lbs; i++)
		for (l = 0; l < r->lbs[i].n_listeners; l++) {
			struct model_listener *li = &r->lbs[i].listeners[l];
			resolve_actions(r, li->default_actions, li->n_default_actions);
			for (k = 0; k < li->n_rules; k++)
				resolve_actions(r, li->rules[k].actions, li->rules[k].n_actions);
		}
}

/* --- autoscaling ---------------------------------------------------------------------- */

/* Parse DescribeAutoScalingGroups. */
int parse_asgs(const json_t *res, time_t now, struct model_asg **out, size_t *n,
	       struct fd_error *err)
{
	const json_t *arr, *e, *x;
	struct model_asg *v;
	bool bad = false;
	size_t i, k;

	if (need_object(res, "DescribeAutoScalingGroups", err))
		return -1;
	arr = jarr(res, "AutoScalingGroups", &bad);
	if (bad)
		return shape_error(err, "DescribeAutoScalingGroups", "AutoScalingGroups is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		const json_t *ins = json_object_get(e, "Instances"), *tgs = json_object_get(e, "TargetGroupARNs");
		v[i].name = jstr(e, "AutoScalingGroupName");
		v[i].arn = jstr(e, "AutoScalingGroupARN");
		v[i].min = jint(e, "MinSize", 0);
		v[i].desired = jint(e, "DesiredCapacity", 0);
		v[i].max = jint(e, "MaxSize", 0);
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
			in->id = jstr(x, "InstanceId");
			in->az = jstr(x, "AvailabilityZone");
			in->lifecycle_state = jstr(x, "LifecycleState");
			in->health_status = jstr(x, "HealthStatus");
			in->instance_type = jstr(x, "InstanceType");
			in->protected_from_scale_in = jbool(x, "ProtectedFromScaleIn");
			if (lt) {
				struct strbuf sb;
				strbuf_init(&sb);
				strbuf_addf(&sb, "%s:%s", jcstr(lt, "LaunchTemplateName") ? jcstr(lt, "LaunchTemplateName") :
					    (jcstr(lt, "LaunchTemplateId") ? jcstr(lt, "LaunchTemplateId") : "?"),
					    jcstr(lt, "Version") ? jcstr(lt, "Version") : "?");
				in->launch_template = strbuf_detach(&sb, NULL);
			} else {
				in->launch_template = jstr(x, "LaunchConfigurationName");
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
int parse_activities(const json_t *res, time_t now, struct model_asg *v, size_t n,
		     struct fd_error *err)
{
	const json_t *arr, *e;
	bool bad = false, *seen;
	size_t i;

	if (need_object(res, "DescribeScalingActivities", err))
		return -1;
	arr = jarr(res, "Activities", &bad);
	if (bad)
		return shape_error(err, "DescribeScalingActivities", "Activities is not a list");
	seen = xcalloc(n + 1, sizeof(*seen));
	json_array_foreach(arr, i, e) {
		long g = asg_index(v, n, jcstr(e, "AutoScalingGroupName"));
		struct model_activity *a;
		const char *desc;
		if (g < 0)
			continue;
		if (!seen[g]) {
			model_activities_free(v[g].activities, v[g].n_activities);
			v[g].activities = NULL;
			v[g].n_activities = 0;
			seen[g] = true;
		}
		v[g].activities = xrealloc(v[g].activities, (v[g].n_activities + 1) * sizeof(*a));
		a = &v[g].activities[v[g].n_activities++];
		memset(a, 0, sizeof(*a));
		a->id = jstr(e, "ActivityId");
		a->status_code = jstr(e, "StatusCode");
		a->description = jstr(e, "Description");
		a->cause = jstr(e, "Cause");
		a->start = parse_time(json_object_get(e, "StartTime"));
		a->end = parse_time(json_object_get(e, "EndTime"));
		a->progress = jint(e, "Progress", 0);
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
			model_activities_free(v[i].activities, v[i].n_activities);
			v[i].activities = NULL;
			v[i].n_activities = 0;
		}
	free(seen);
	return 0;
}

/* Parse DescribePolicies into the groups. */
int parse_policies(const json_t *res, struct model_asg *v, size_t n, struct fd_error *err)
{
	const json_t *arr, *e;
	bool bad = false;
	size_t i;

	if (need_object(res, "DescribePolicies", err))
		return -1;
	arr = jarr(res, "ScalingPolicies", &bad);
	if (bad)
		return shape_error(err, "DescribePolicies", "ScalingPolicies is not a list");
	for (i = 0; i < n; i++) {
		model_policies_free(v[i].policies, v[i].n_policies);
		v[i].policies = NULL;
		v[i].n_policies = 0;
	}
	json_array_foreach(arr, i, e) {
		long g = asg_index(v, n, jcstr(e, "AutoScalingGroupName"));
		const json_t *tt = json_object_get(e, "TargetTrackingConfiguration");
		const json_t *ps = json_object_get(e, "PredictiveScalingConfiguration");
		struct model_policy *p;
		if (g < 0)
			continue;
		v[g].policies = xrealloc(v[g].policies, (v[g].n_policies + 1) * sizeof(*p));
		p = &v[g].policies[v[g].n_policies++];
		memset(p, 0, sizeof(*p));
		p->name = jstr(e, "PolicyName");
		p->type = jstr(e, "PolicyType");
		if (tt) {
			const char *metric = jcstr(json_object_get(tt, "PredefinedMetricSpecification"),
						   "PredefinedMetricType");
			struct strbuf sb;
			strbuf_init(&sb);
			strbuf_addf(&sb, "%s %g", metric ? metric : "custom metric", jnum(tt, "TargetValue", 0));
			p->summary = strbuf_detach(&sb, NULL);
		} else if (ps) {
			const json_t *spec = json_array_get(json_object_get(ps, "MetricSpecifications"), 0);
			const char *metric = jcstr(json_object_get(spec, "PredefinedMetricPairSpecification"),
						   "PredefinedMetricType");
			struct strbuf sb;
			strbuf_init(&sb);
			strbuf_addf(&sb, "%s %g %s", metric ? metric : "custom metric", jnum(spec, "TargetValue", 0),
				    jcstr(ps, "Mode") ? jcstr(ps, "Mode") : "ForecastOnly");
			p->summary = strbuf_detach(&sb, NULL);
		}
	}
	return 0;
}

/* Parse GetPredictiveScalingForecast. */
int parse_forecast(const json_t *res, time_t now, struct model_forecast *f, struct fd_error *err)
{
	const json_t *lf, *cf, *spec;
	struct model_series load, cap;

	if (need_object(res, "GetPredictiveScalingForecast", err))
		return -1;
	lf = json_array_get(json_object_get(res, "LoadForecast"), 0);
	cf = json_object_get(res, "CapacityForecast");
	if (json_object_get(res, "LoadForecast") && !json_is_array(json_object_get(res, "LoadForecast")))
		return shape_error(err, "GetPredictiveScalingForecast", "LoadForecast is not a list");
	memset(&load, 0, sizeof(load));
	memset(&cap, 0, sizeof(cap));
	if (lf)
		series_from(json_object_get(lf, "Timestamps"), json_object_get(lf, "Values"), &load);
	if (cf)
		series_from(json_object_get(cf, "Timestamps"), json_object_get(cf, "Values"), &cap);
	model_series_clean_up(&f->load);
	model_series_clean_up(&f->capacity);
	f->load = load;
	f->capacity = cap;
	spec = json_object_get(lf, "MetricSpecification");
	if (spec) {
		const json_t *pair = json_object_get(spec, "PredefinedMetricPairSpecification");
		const json_t *ld = json_object_get(spec, "PredefinedLoadMetricSpecification");
		const char *m = jcstr(pair ? pair : ld, "PredefinedMetricType");
		if (m) {
			free(f->metric);
			f->metric = xstrdup(m);
		}
	}
	f->fetched_at = now;
	return 0;
}

/* --- cloudwatch ------------------------------------------------------------------------ */

/* Order alarms: ALARM first, then by name. */
static int alarm_cmp(const void *a, const void *b)
{
	const struct model_alarm *x = a, *y = b;
	int ax = x->state && strcmp(x->state, "ALARM") == 0;
	int ay = y->state && strcmp(y->state, "ALARM") == 0;

	if (ax != ay)
		return ay - ax;
	return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

/* Fill one alarm from a MetricAlarms / CompositeAlarms entry. */
static void alarm_from(struct model_alarm *a, const json_t *e, bool composite, time_t now)
{
	a->name = jstr(e, "AlarmName");
	a->state = jstr(e, "StateValue");
	a->reason = jstr(e, "StateReason");
	a->since = parse_time(json_object_get(e, "StateUpdatedTimestamp"));
	if (json_object_get(e, "StateTransitionedTimestamp"))
		a->since = parse_time(json_object_get(e, "StateTransitionedTimestamp"));
	a->namespace_ = jstr(e, "Namespace");
	a->metric = jstr(e, "MetricName");
	a->description = jstr(e, "AlarmDescription");
	a->composite = composite;
	a->fetched_at = now;
}

/* Parse DescribeAlarms (metric and composite alarms). */
int parse_alarms(const json_t *res, time_t now, struct model_alarm **out, size_t *n,
		 struct fd_error *err)
{
	const json_t *ma, *ca, *e;
	struct model_alarm *v;
	bool bad = false;
	size_t i, k = 0;

	if (need_object(res, "DescribeAlarms", err))
		return -1;
	ma = jarr(res, "MetricAlarms", &bad);
	ca = jarr(res, "CompositeAlarms", &bad);
	if (bad)
		return shape_error(err, "DescribeAlarms", "MetricAlarms/CompositeAlarms is not a list");
	v = xcalloc(json_array_size(ma) + json_array_size(ca) + 1, sizeof(*v));
	json_array_foreach(ma, i, e)
		alarm_from(&v[k++], e, false, now);
	json_array_foreach(ca, i, e)
		alarm_from(&v[k++], e, true, now);
	qsort(v, k, sizeof(*v), alarm_cmp);
	*out = v;
	*n = k;
	return 0;
}

/* Parse DescribeAlarmHistory into the alarms it names. */
int parse_alarm_history(const json_t *res, struct model_alarm *v, size_t n, struct fd_error *err)
{
	const json_t *arr, *e;
	bool bad = false, *seen;
	size_t i, a;

	if (need_object(res, "DescribeAlarmHistory", err))
		return -1;
	arr = jarr(res, "AlarmHistoryItems", &bad);
	if (bad)
		return shape_error(err, "DescribeAlarmHistory", "AlarmHistoryItems is not a list");
	seen = xcalloc(n + 1, sizeof(*seen));
	json_array_foreach(arr, i, e) {
		const char *name = jcstr(e, "AlarmName");
		struct model_alarm_event *ev;
		json_t *data;
		for (a = 0; a < n; a++)
			if (name && v[a].name && strcmp(v[a].name, name) == 0)
				break;
		if (a == n)
			continue;
		if (!seen[a]) {
			model_alarm_events_free(v[a].history, v[a].n_history);
			v[a].history = NULL;
			v[a].n_history = 0;
			seen[a] = true;
		}
		v[a].history = xrealloc(v[a].history, (v[a].n_history + 1) * sizeof(*ev));
		ev = &v[a].history[v[a].n_history++];
		memset(ev, 0, sizeof(*ev));
		ev->at = parse_time(json_object_get(e, "Timestamp"));
		ev->type = jstr(e, "HistoryItemType");
		ev->summary = jstr(e, "HistorySummary");
		data = jcstr(e, "HistoryData") ? json_loads(jcstr(e, "HistoryData"), 0, NULL) : NULL;
		if (data) {
			ev->old_state = jstr(json_object_get(data, "oldState"), "stateValue");
			ev->new_state = jstr(json_object_get(data, "newState"), "stateValue");
			json_decref(data);
		}
	}
	/* newest first */
	for (a = 0; a < n; a++) {
		size_t x, y;
		for (x = 1; seen[a] && x < v[a].n_history; x++) {
			struct model_alarm_event t = v[a].history[x];
			for (y = x; y > 0 && v[a].history[y - 1].at < t.at; y--)
				v[a].history[y] = v[a].history[y - 1];
			v[a].history[y] = t;
		}
	}
	free(seen);
	return 0;
}

/* Parse GetMetricData. */
int parse_metric_data(const json_t *res, struct parse_metric **out, size_t *n, struct fd_error *err)
{
	const json_t *arr, *e;
	struct parse_metric *v;
	bool bad = false;
	size_t i;

	if (need_object(res, "GetMetricData", err))
		return -1;
	arr = jarr(res, "MetricDataResults", &bad);
	if (bad)
		return shape_error(err, "GetMetricData", "MetricDataResults is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		v[i].id = jstr(e, "Id");
		v[i].label = jstr(e, "Label");
		series_from(json_object_get(e, "Timestamps"), json_object_get(e, "Values"), &v[i].series);
	}
	*out = v;
	*n = json_array_size(arr);
	return 0;
}

/* Free metric results. */
void parse_metrics_free(struct parse_metric *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].label);
		model_series_clean_up(&v[i].series);
	}
	free(v);
}

/* Find a metric result by id. */
const struct parse_metric *parse_metric_find(const struct parse_metric *v, size_t n, const char *id)
{
	size_t i;

	for (i = 0; id && i < n; i++)
		if (v[i].id && strcmp(v[i].id, id) == 0)
			return &v[i];
	return NULL;
}

/* --- rds ---------------------------------------------------------------------------------- */

/* Parse DescribeDBInstances. */
int parse_db_instances(const json_t *res, time_t now, struct model_db **out, size_t *n,
		       struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_db *v;
	bool bad = false;
	size_t i;

	if (need_object(res, "DescribeDBInstances", err))
		return -1;
	arr = jarr(res, "DBInstances", &bad);
	if (bad)
		return shape_error(err, "DescribeDBInstances", "DBInstances is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		v[i].id = jstr(e, "DBInstanceIdentifier");
		v[i].engine = jstr(e, "Engine");
		v[i].status = jstr(e, "DBInstanceStatus");
		v[i].instance_class = jstr(e, "DBInstanceClass");
		v[i].az = jstr(e, "AvailabilityZone");
		v[i].endpoint = jstr(json_object_get(e, "Endpoint"), "Address");
		v[i].source_id = jstr(e, "ReadReplicaSourceDBInstanceIdentifier");
		v[i].is_replica = v[i].source_id != NULL;
		v[i].multi_az = jbool(e, "MultiAZ");
		v[i].read_latency_ms = v[i].replica_lag_s = NAN;
		v[i].fetched_at = now;
	}
	*out = v;
	*n = json_array_size(arr);
	return 0;
}

/* --- route53 ------------------------------------------------------------------------------- */

/* Strip a "/hostedzone/" style prefix. */
static char *strip_prefix(const char *s)
{
	const char *p;

	if (!s)
		return NULL;
	p = strrchr(s, '/');
	return xstrdup(p ? p + 1 : s);
}

/* Parse ListHealthChecks. */
int parse_health_checks(const json_t *res, time_t now, struct model_health_check **out,
			size_t *n, struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_health_check *v;
	bool bad = false;
	size_t i;

	if (need_object(res, "ListHealthChecks", err))
		return -1;
	arr = jarr(res, "HealthChecks", &bad);
	if (bad)
		return shape_error(err, "ListHealthChecks", "HealthChecks is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		const json_t *c = json_object_get(e, "HealthCheckConfig");
		struct strbuf sb;
		const char *host = jcstr(c, "FullyQualifiedDomainName");
		v[i].id = jstr(e, "Id");
		v[i].caller_reference = jstr(e, "CallerReference");
		v[i].type = jstr(c, "Type");
		v[i].inverted = jbool(c, "Inverted");
		v[i].disabled = jbool(c, "Disabled");
		strbuf_init(&sb);
		if (host || jcstr(c, "IPAddress")) {
			strbuf_addf(&sb, "%s", host ? host : jcstr(c, "IPAddress"));
			if (jint(c, "Port", 0))
				strbuf_addf(&sb, ":%d", jint(c, "Port", 0));
			if (jcstr(c, "ResourcePath"))
				strbuf_adds(&sb, jcstr(c, "ResourcePath"));
		} else if (jcstr(c, "RoutingControlArn") && strrchr(jcstr(c, "RoutingControlArn"), '/')) {
			strbuf_adds(&sb, strrchr(jcstr(c, "RoutingControlArn"), '/') + 1);  /* routing control name */
		} else if (v[i].type) {
			strbuf_adds(&sb, v[i].type);
		}
		v[i].target = strbuf_detach(&sb, NULL);
		v[i].fetched_at = now;
	}
	*out = v;
	*n = json_array_size(arr);
	return 0;
}

/* Parse GetHealthCheckStatus into one health check. */
int parse_health_check_status(const json_t *res, time_t now, struct model_health_check *hc,
			      struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_checker *v;
	bool bad = false;
	size_t i;

	if (need_object(res, "GetHealthCheckStatus", err))
		return -1;
	arr = jarr(res, "HealthCheckObservations", &bad);
	if (bad)
		return shape_error(err, "GetHealthCheckStatus", "HealthCheckObservations is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	hc->healthy_checkers = 0;
	json_array_foreach(arr, i, e) {
		const json_t *rep = json_object_get(e, "StatusReport");
		v[i].region = jstr(e, "Region");
		v[i].ip = jstr(e, "IPAddress");
		v[i].status = jstr(rep, "Status");
		v[i].checked_at = parse_time(json_object_get(rep, "CheckedTime"));
		v[i].healthy = v[i].status && strncmp(v[i].status, "Success", 7) == 0;
		if (v[i].healthy)
			hc->healthy_checkers++;
	}
	model_checkers_free(hc->checkers, hc->n_checkers);
	hc->checkers = v;
	hc->n_checkers = json_array_size(arr);
	/* Route 53 calls an endpoint healthy when more than 18 % of checkers say so;
	 * we show the majority view the console shows, inverted as configured. */
	hc->healthy = hc->n_checkers ? hc->healthy_checkers * 100 > (int)hc->n_checkers * 18 : false;
	if (hc->inverted && hc->n_checkers)
		hc->healthy = !hc->healthy;
	hc->fetched_at = now;
	return 0;
}

/* Parse ListHostedZones. */
int parse_hosted_zones(const json_t *res, time_t now, struct model_zone **out, size_t *n,
		       struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_zone *v;
	bool bad = false;
	size_t i;

	if (need_object(res, "ListHostedZones", err))
		return -1;
	arr = jarr(res, "HostedZones", &bad);
	if (bad)
		return shape_error(err, "ListHostedZones", "HostedZones is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		v[i].id = strip_prefix(jcstr(e, "Id"));
		v[i].name = jstr(e, "Name");
		v[i].private_zone = jbool(json_object_get(e, "Config"), "PrivateZone");
		v[i].fetched_at = now;
	}
	*out = v;
	*n = json_array_size(arr);
	return 0;
}

/* Fill one record from a ResourceRecordSets entry. */
static void record_from(struct model_record *r, const json_t *e)
{
	const json_t *alias = json_object_get(e, "AliasTarget"), *rrs, *x;
	struct strbuf sb;
	size_t k;

	r->name = jstr(e, "Name");
	r->type = jstr(e, "Type");
	r->set_identifier = jstr(e, "SetIdentifier");
	r->failover = jstr(e, "Failover");
	r->region = jstr(e, "Region");
	r->health_check_id = jstr(e, "HealthCheckId");
	r->alias = alias != NULL;
	r->ttl = alias ? -1 : jint(e, "TTL", -1);
	strbuf_init(&sb);
	if (alias) {
		strbuf_adds(&sb, jcstr(alias, "DNSName") ? jcstr(alias, "DNSName") : "");
	} else {
		rrs = json_object_get(e, "ResourceRecords");
		json_array_foreach(rrs, k, x) {
			if (k)
				strbuf_adds(&sb, ", ");
			strbuf_adds(&sb, jcstr(x, "Value") ? jcstr(x, "Value") : "");
		}
	}
	r->value = strbuf_detach(&sb, NULL);
}

/* Parse ListResourceRecordSets into a zone. */
int parse_record_sets(const json_t *res, time_t now, struct model_zone *z, struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_record *v;
	bool bad = false, routed = false;
	size_t i, n = 0;

	if (need_object(res, "ListResourceRecordSets", err))
		return -1;
	arr = jarr(res, "ResourceRecordSets", &bad);
	if (bad)
		return shape_error(err, "ListResourceRecordSets", "ResourceRecordSets is not a list");
	json_array_foreach(arr, i, e)
		if (json_object_get(e, "SetIdentifier"))
			routed = true;
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		const char *t = jcstr(e, "Type");
		if (routed ? !json_object_get(e, "SetIdentifier")
			   : !(t && (!strcmp(t, "A") || !strcmp(t, "AAAA") || !strcmp(t, "CNAME"))))
			continue;
		record_from(&v[n++], e);
	}
	model_records_free(z->records, z->n_records);
	z->records = v;
	z->n_records = n;
	z->fetched_at = now;
	return 0;
}

/* Parse TestDNSAnswer. */
int parse_dns_answer(const json_t *res, time_t now, struct model_dns_answer *d, struct fd_error *err)
{
	const json_t *arr, *x;
	bool bad = false;
	size_t i;
	char **answers;

	if (need_object(res, "TestDNSAnswer", err))
		return -1;
	arr = jarr(res, "RecordData", &bad);
	if (bad)
		return shape_error(err, "TestDNSAnswer", "RecordData is not a list");
	answers = xcalloc(json_array_size(arr) + 1, sizeof(char *));
	json_array_foreach(arr, i, x)
		answers[i] = xstrdup(json_is_string(x) ? json_string_value(x) : "");
	model_dns_answer_clean_up(d);
	d->record_name = jstr(res, "RecordName");
	d->record_type = jstr(res, "RecordType");
	d->nameserver = jstr(res, "Nameserver");
	d->response_code = jstr(res, "ResponseCode");
	d->answers = answers;
	d->n_answers = json_array_size(arr);
	d->fetched_at = now;
	return 0;
}

/* Compare DNS names ignoring case, a trailing dot and a "dualstack." prefix. */
static bool dns_same(const char *a, const char *b)
{
	size_t la, lb;

	if (!a || !b)
		return false;
	if (strncasecmp(a, "dualstack.", 10) == 0)
		a += 10;
	if (strncasecmp(b, "dualstack.", 10) == 0)
		b += 10;
	la = strlen(a);
	lb = strlen(b);
	if (la && a[la - 1] == '.')
		la--;
	if (lb && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

/* Which of the model's regions a DNS value points at; NULL when unknown. Borrowed. */
static const char *region_of_value(const struct model *m, const char *value)
{
	size_t i, k;

	if (!value || !*value)
		return NULL;
	for (i = 0; i < m->n_regions; i++)
		for (k = 0; k < m->regions[i].n_lbs; k++)
			if (dns_same(value, m->regions[i].lbs[k].dns_name))
				return m->regions[i].name;
	for (i = 0; i < m->n_regions; i++)
		if (strstr(value, m->regions[i].name))
			return m->regions[i].name;
	return NULL;
}

/* Which region a record points at: its Region, its value, or its failover role. Borrowed. */
static const char *region_of_record(const struct model *m, const struct model_record *r)
{
	const char *reg;
	size_t i;

	if (r->region && model_region_index(m, r->region) >= 0)
		return r->region;
	if ((reg = region_of_value(m, r->value)))
		return reg;
	if (r->failover && m->n_regions)
		for (i = 0; i < m->n_regions; i++)
			if ((strcmp(r->failover, "PRIMARY") == 0) == (strcmp(m->regions[i].role, "primary") == 0))
				return m->regions[i].name;
	return NULL;
}

/* The health check with this id, NULL when unknown. */
static const struct model_health_check *check_by_id(const struct model_route53 *r53, const char *id)
{
	size_t h;

	for (h = 0; id && h < r53->n_checks; h++)
		if (r53->checks[h].id && strcmp(r53->checks[h].id, id) == 0)
			return &r53->checks[h];
	return NULL;
}

/* When the answer cannot be matched (an alias answers with addresses), the
 * region Route 53 failover picks: the PRIMARY record's while its health check
 * is healthy, else the SECONDARY's. Marks the answer's region as inferred. */
static const char *infer_failover_region(struct model *m)
{
	struct model_route53 *r53 = &m->route53;
	const struct model_record *primary = NULL, *secondary = NULL;
	const struct model_health_check *hc;
	size_t z, i;

	for (z = 0; z < r53->n_zones; z++)
		for (i = 0; i < r53->zones[z].n_records; i++) {
			const struct model_record *r = &r53->zones[z].records[i];
			if (!r->failover || !r->region || !dns_same(r->name, r53->dns.record_name))
				continue;
			if (strcmp(r->failover, "PRIMARY") == 0)
				primary = r;
			else if (strcmp(r->failover, "SECONDARY") == 0)
				secondary = r;
		}
	if (!primary)
		return NULL;
	hc = check_by_id(r53, primary->health_check_id);
	r53->dns.region_inferred = true;
	if (!hc || !hc->n_checkers || hc->healthy)
		return primary->region;
	return secondary ? secondary->region : primary->region;
}

/* Derive the regions of records, health checks and the DNS answer. */
void parse_resolve_dns_region(struct model *m)
{
	struct model_route53 *r53 = &m->route53;
	const char *found = NULL;
	size_t z, i, a, h;

	for (z = 0; z < r53->n_zones; z++)
		for (i = 0; i < r53->zones[z].n_records; i++) {
			struct model_record *r = &r53->zones[z].records[i];
			const char *reg = region_of_record(m, r);
			if (reg && !r->region)
				r->region = xstrdup(reg);
			for (h = 0; reg && r->health_check_id && h < r53->n_checks; h++)
				if (r53->checks[h].id && strcmp(r53->checks[h].id, r->health_check_id) == 0 &&
				    !r53->checks[h].region)
					r53->checks[h].region = xstrdup(reg);
		}
	for (a = 0; a < r53->dns.n_answers && !found; a++) {
		found = region_of_value(m, r53->dns.answers[a]);
		for (z = 0; z < r53->n_zones && !found; z++)
			for (i = 0; i < r53->zones[z].n_records && !found; i++) {
				const struct model_record *r = &r53->zones[z].records[i];
				const char *val = r->value;
				if (!val || !r->region)
					continue;
				if (dns_same(val, r53->dns.answers[a]) || strstr(val, r53->dns.answers[a]))
					found = r->region;
			}
	}
	r53->dns.region_inferred = false;
	if (!found && r53->dns.n_answers)
		found = infer_failover_region(m);
	free(r53->dns.region);
	r53->dns.region = found ? xstrdup(found) : NULL;
}

/* --- xray ------------------------------------------------------------------------------------ */

/* p99 of a ResponseTimeHistogram ([{Value seconds, Count}]) in ms, NAN when empty. */
static double histogram_p99_ms(const json_t *hist)
{
	double total = 0, need, acc = 0, *vals, *cnts;
	size_t n = json_array_size(hist), i, j;
	const json_t *e;

	if (!n)
		return NAN;
	vals = xcalloc(n, sizeof(double));
	cnts = xcalloc(n, sizeof(double));
	json_array_foreach(hist, i, e) {
		vals[i] = jnum(e, "Value", 0);
		cnts[i] = jnum(e, "Count", 0);
		total += cnts[i];
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && vals[j - 1] > vals[j]; j--) {
			double t = vals[j]; vals[j] = vals[j - 1]; vals[j - 1] = t;
			t = cnts[j]; cnts[j] = cnts[j - 1]; cnts[j - 1] = t;
		}
	need = total * 0.99;
	for (i = 0; i < n; i++) {
		acc += cnts[i];
		if (acc >= need)
			break;
	}
	acc = total > 0 ? vals[i < n ? i : n - 1] * 1000.0 : NAN;
	free(vals);
	free(cnts);
	return acc;
}

/* Rates from SummaryStatistics over window seconds. */
static void stats_from(const json_t *st, double window_s, double *rps, double *err_pct,
		       double *fault_pct, double *throttle_pct, double *avg_ms)
{
	double total = jnum(st, "TotalCount", 0);
	const json_t *es = json_object_get(st, "ErrorStatistics"), *fs = json_object_get(st, "FaultStatistics");

	*rps = window_s > 0 ? total / window_s : NAN;
	*err_pct = total > 0 ? jnum(es, "TotalCount", 0) * 100.0 / total : 0;
	*fault_pct = total > 0 ? jnum(fs, "TotalCount", 0) * 100.0 / total : 0;
	if (throttle_pct)
		*throttle_pct = total > 0 ? jnum(es, "ThrottleCount", 0) * 100.0 / total : 0;
	*avg_ms = total > 0 ? jnum(st, "TotalResponseTime", 0) * 1000.0 / total : NAN;
}

/* Parse GetServiceGraph. */
int parse_service_graph(const json_t *res, struct model_xray *x, struct fd_error *err)
{
	const json_t *arr, *e, *ed, *ee;
	struct model_xray_node *nodes;
	struct model_xray_edge *edges = NULL;
	size_t i, k, n_edges = 0;
	bool bad = false;
	double window;
	time_t start, end;

	if (need_object(res, "GetServiceGraph", err))
		return -1;
	arr = jarr(res, "Services", &bad);
	if (bad)
		return shape_error(err, "GetServiceGraph", "Services is not a list");
	start = parse_time(json_object_get(res, "StartTime"));
	end = parse_time(json_object_get(res, "EndTime"));
	window = start && end > start ? (double)(end - start) : 0;
	nodes = xcalloc(json_array_size(arr) + 1, sizeof(*nodes));
	json_array_foreach(arr, i, e) {
		double w = window;
		time_t s0 = parse_time(json_object_get(e, "StartTime")), s1 = parse_time(json_object_get(e, "EndTime"));
		if (s0 && s1 > s0)
			w = (double)(s1 - s0);
		nodes[i].ref_id = jint(e, "ReferenceId", (int)i);
		nodes[i].name = jstr(e, "Name");
		nodes[i].type = jstr(e, "Type");
		stats_from(json_object_get(e, "SummaryStatistics"), w, &nodes[i].requests_per_s,
			   &nodes[i].error_pct, &nodes[i].fault_pct, &nodes[i].throttle_pct, &nodes[i].avg_ms);
		nodes[i].p99_ms = histogram_p99_ms(json_object_get(e, "ResponseTimeHistogram"));
		ed = json_object_get(e, "Edges");
		json_array_foreach(ed, k, ee) {
			struct model_xray_edge *g;
			double ew = w;
			time_t e0 = parse_time(json_object_get(ee, "StartTime")), e1 = parse_time(json_object_get(ee, "EndTime"));
			if (e0 && e1 > e0)
				ew = (double)(e1 - e0);
			edges = xrealloc(edges, (n_edges + 1) * sizeof(*edges));
			g = &edges[n_edges++];
			g->from = nodes[i].ref_id;
			g->to = jint(ee, "ReferenceId", -1);
			stats_from(json_object_get(ee, "SummaryStatistics"), ew, &g->requests_per_s,
				   &g->error_pct, &g->fault_pct, NULL, &g->avg_ms);
			g->p99_ms = histogram_p99_ms(json_object_get(ee, "ResponseTimeHistogram"));
		}
	}
	for (i = 0; i < x->n_nodes; i++) {
		free(x->nodes[i].name);
		free(x->nodes[i].type);
	}
	free(x->nodes);
	free(x->edges);
	x->nodes = nodes;
	x->n_nodes = json_array_size(arr);
	x->edges = edges;
	x->n_edges = n_edges;
	x->start = start;
	x->end = end;
	return 0;
}

/* Order traces newest first. */
static int trace_cmp(const void *a, const void *b)
{
	const struct model_trace *x = a, *y = b;

	return (x->at < y->at) - (x->at > y->at);
}

/* Parse GetTraceSummaries. */
int parse_trace_summaries(const json_t *res, struct model_xray *x, struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_trace *v;
	bool bad = false;
	size_t i;

	if (need_object(res, "GetTraceSummaries", err))
		return -1;
	arr = jarr(res, "TraceSummaries", &bad);
	if (bad)
		return shape_error(err, "GetTraceSummaries", "TraceSummaries is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		const json_t *http = json_object_get(e, "Http");
		v[i].id = jstr(e, "Id");
		v[i].at = parse_time(json_object_get(e, "StartTime"));
		if (!v[i].at && v[i].id && strncmp(v[i].id, "1-", 2) == 0)
			v[i].at = (time_t)strtol(v[i].id + 2, NULL, 16);
		v[i].duration_s = jnum(e, "Duration", NAN);
		v[i].response_time_s = jnum(e, "ResponseTime", NAN);
		v[i].has_error = jbool(e, "HasError");
		v[i].has_fault = jbool(e, "HasFault");
		v[i].has_throttle = jbool(e, "HasThrottle");
		v[i].http_status = jint(http, "HttpStatus", 0);
		v[i].method = jstr(http, "HttpMethod");
		v[i].url = jstr(http, "HttpURL");
	}
	qsort(v, json_array_size(arr), sizeof(*v), trace_cmp);
	for (i = 0; i < x->n_traces; i++) {
		free(x->traces[i].id);
		free(x->traces[i].method);
		free(x->traces[i].url);
	}
	free(x->traces);
	x->traces = v;
	x->n_traces = json_array_size(arr);
	return 0;
}
