/* panel_lb.c — the ELBv2 panel: load balancers -> listeners -> rules, target groups -> health. */
#include "model/panel_lb.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/strlist.h"
#include "base/xalloc.h"
#include "model/collector.h"
#include "model/panel.h"

/* --- elbv2 -------------------------------------------------------------------------- */

/* Parse DescribeLoadBalancers. */
int panel_lb_parse_load_balancers(const json_t *res, time_t now, struct model_lb **out, size_t *n,
			 struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_lb *v;
	bool bad = false;
	size_t i;

	if (panel_need_object(res, "DescribeLoadBalancers", err))
		return -1;
	arr = panel_list(res, "LoadBalancers", &bad);
	if (bad)
		return panel_shape_error(err, "DescribeLoadBalancers", "LoadBalancers is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		v[i].name = panel_str(e, "LoadBalancerName");
		v[i].arn = panel_str(e, "LoadBalancerArn");
		v[i].dns_name = panel_str(e, "DNSName");
		v[i].type = panel_str(e, "Type");
		v[i].scheme = panel_str(e, "Scheme");
		v[i].state = panel_str(json_object_get(e, "State"), "Code");
		v[i].vpc_id = panel_str(e, "VpcId");
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
		v[i].type = panel_str(e, "Type");
		v[i].order = panel_int(e, "Order", 0);
		fc = json_object_get(e, "ForwardConfig");
		tgs = json_object_get(fc, "TargetGroups");
		if (json_is_array(tgs) && json_array_size(tgs)) {
			v[i].forwards = xcalloc(json_array_size(tgs), sizeof(*v[i].forwards));
			json_array_foreach(tgs, k, t) {
				v[i].forwards[k].tg_arn = panel_str(t, "TargetGroupArn");
				v[i].forwards[k].weight = panel_int(t, "Weight", 1);
			}
			v[i].n_forwards = json_array_size(tgs);
		} else if (panel_cstr(e, "TargetGroupArn")) {
			v[i].forwards = xcalloc(1, sizeof(*v[i].forwards));
			v[i].forwards[0].tg_arn = panel_str(e, "TargetGroupArn");
			v[i].forwards[0].weight = 1;
			v[i].n_forwards = 1;
		}
		if ((rc = json_object_get(e, "RedirectConfig"))) {
			struct strbuf sb;
			strbuf_init(&sb);
			strbuf_addf(&sb, "%s to %s://%s:%s%s", panel_cstr(rc, "StatusCode") ? panel_cstr(rc, "StatusCode") : "redirect",
				    panel_cstr(rc, "Protocol") ? panel_cstr(rc, "Protocol") : "#{protocol}",
				    panel_cstr(rc, "Host") ? panel_cstr(rc, "Host") : "#{host}",
				    panel_cstr(rc, "Port") ? panel_cstr(rc, "Port") : "#{port}",
				    panel_cstr(rc, "Path") ? panel_cstr(rc, "Path") : "/#{path}");
			v[i].detail = strbuf_detach(&sb, NULL);
		} else if ((rc = json_object_get(e, "FixedResponseConfig"))) {
			struct strbuf sb;
			strbuf_init(&sb);
			strbuf_addf(&sb, "%s %s", panel_cstr(rc, "StatusCode") ? panel_cstr(rc, "StatusCode") : "?",
				    panel_cstr(rc, "ContentType") ? panel_cstr(rc, "ContentType") : "");
			v[i].detail = strbuf_detach(&sb, NULL);
		}
	}
	return v;
}

/* Parse DescribeListeners. */
int panel_lb_parse_listeners(const json_t *res, time_t now, struct model_listener **out, size_t *n,
		    struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_listener *v;
	bool bad = false;
	size_t i;

	if (panel_need_object(res, "DescribeListeners", err))
		return -1;
	arr = panel_list(res, "Listeners", &bad);
	if (bad)
		return panel_shape_error(err, "DescribeListeners", "Listeners is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		v[i].arn = panel_str(e, "ListenerArn");
		v[i].lb_arn = panel_str(e, "LoadBalancerArn");
		v[i].protocol = panel_str(e, "Protocol");
		v[i].port = panel_int(e, "Port", 0);
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
		const char *field = panel_cstr(c, "Field");
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
int panel_lb_parse_rules(const json_t *res, struct model_listener *l, struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_rule *v;
	bool bad = false;
	size_t i, n = 0;

	if (panel_need_object(res, "DescribeRules", err))
		return -1;
	arr = panel_list(res, "Rules", &bad);
	if (bad)
		return panel_shape_error(err, "DescribeRules", "Rules is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		if (panel_bool(e, "IsDefault") || (panel_cstr(e, "Priority") && strcmp(panel_cstr(e, "Priority"), "default") == 0))
			continue;
		v[n].arn = panel_str(e, "RuleArn");
		v[n].priority = panel_str(e, "Priority");
		v[n].conditions = conditions_text(json_object_get(e, "Conditions"));
		v[n].actions = parse_actions(json_object_get(e, "Actions"), &v[n].n_actions);
		n++;
	}
	qsort(v, n, sizeof(*v), rule_cmp);
	panel_lb_rules_free(l->rules, l->n_rules);
	l->rules = v;
	l->n_rules = n;
	return 0;
}

/* Parse DescribeTargetGroups. */
int panel_lb_parse_target_groups(const json_t *res, time_t now, struct model_tg **out, size_t *n,
			struct fd_error *err)
{
	const json_t *arr, *e, *x;
	struct model_tg *v;
	bool bad = false;
	size_t i, k;

	if (panel_need_object(res, "DescribeTargetGroups", err))
		return -1;
	arr = panel_list(res, "TargetGroups", &bad);
	if (bad)
		return panel_shape_error(err, "DescribeTargetGroups", "TargetGroups is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		const json_t *lbs = json_object_get(e, "LoadBalancerArns");
		v[i].name = panel_str(e, "TargetGroupName");
		v[i].arn = panel_str(e, "TargetGroupArn");
		v[i].protocol = panel_str(e, "Protocol");
		v[i].port = panel_int(e, "Port", 0);
		v[i].target_type = panel_str(e, "TargetType");
		v[i].health_check_path = panel_str(e, "HealthCheckPath");
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
int panel_lb_parse_target_health(const json_t *res, time_t now, struct model_tg *tg, struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_target_health *v;
	bool bad = false;
	size_t i;

	if (panel_need_object(res, "DescribeTargetHealth", err))
		return -1;
	arr = panel_list(res, "TargetHealthDescriptions", &bad);
	if (bad)
		return panel_shape_error(err, "DescribeTargetHealth", "TargetHealthDescriptions is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	tg->healthy = tg->unhealthy = tg->other = 0;
	json_array_foreach(arr, i, e) {
		const json_t *t = json_object_get(e, "Target"), *h = json_object_get(e, "TargetHealth");
		v[i].id = panel_str(t, "Id");
		v[i].port = panel_int(t, "Port", 0);
		v[i].az = panel_str(t, "AvailabilityZone");
		v[i].state = panel_str(h, "State");
		v[i].reason = panel_str(h, "Reason");
		v[i].description = panel_str(h, "Description");
		if (v[i].state && strcmp(v[i].state, "healthy") == 0)
			tg->healthy++;
		else if (v[i].state && strcmp(v[i].state, "unhealthy") == 0)
			tg->unhealthy++;
		else
			tg->other++;
	}
	panel_lb_target_health_free(tg->targets, tg->n_targets);
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
void panel_lb_resolve_forwards(struct model_region *r)
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

/* --- freeing ------------------------------------------------------------------------- */

/* Free actions and their forwards. */
static void actions_free(struct model_action *v, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		free(v[i].type);
		free(v[i].detail);
		for (k = 0; k < v[i].n_forwards; k++) {
			free(v[i].forwards[k].tg_arn);
			free(v[i].forwards[k].tg_name);
		}
		free(v[i].forwards);
	}
	free(v);
}

/* Free rules with their actions. */
void panel_lb_rules_free(struct model_rule *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].arn);
		free(v[i].priority);
		free(v[i].conditions);
		actions_free(v[i].actions, v[i].n_actions);
	}
	free(v);
}

/* Free listeners with their rules. */
void panel_lb_listeners_free(struct model_listener *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].arn);
		free(v[i].lb_arn);
		free(v[i].protocol);
		actions_free(v[i].default_actions, v[i].n_default_actions);
		panel_lb_rules_free(v[i].rules, v[i].n_rules);
	}
	free(v);
}

/* Free load balancers. */
void panel_lb_lbs_free(struct model_lb *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].arn);
		free(v[i].dns_name);
		free(v[i].type);
		free(v[i].scheme);
		free(v[i].state);
		free(v[i].vpc_id);
		panel_lb_listeners_free(v[i].listeners, v[i].n_listeners);
	}
	free(v);
}

/* Free target health entries. */
void panel_lb_target_health_free(struct model_target_health *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].az);
		free(v[i].state);
		free(v[i].reason);
		free(v[i].description);
	}
	free(v);
}

/* Free target groups. */
void panel_lb_tgs_free(struct model_tg *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].arn);
		free(v[i].protocol);
		free(v[i].target_type);
		free(v[i].health_check_path);
		strlist_free(v[i].lb_arns, v[i].n_lb_arns);
		panel_lb_target_health_free(v[i].targets, v[i].n_targets);
	}
	free(v);
}

/* --- refreshing ---------------------------------------------------------------------- */

/* The calls of a refresh (rows of lb_calls[]). */
enum { K_LBS, K_LISTENERS, K_RULES, K_TGS, K_HEALTH, K_ENIS, K_COUNT };

/* What a refresh stages before the swap. */
struct lb_stage {
	struct model_lb *lbs;
	size_t n_lbs;
	bool have_lbs;
	unsigned char *lb_fail;         /* per LB: its listeners failed */
	struct model_tg *tgs;
	size_t n_tgs;
	bool have_tgs;
	unsigned char *tg_fail;         /* per TG: its health failed */
	struct model_lb_address *addresses;
	size_t n_addresses;
	bool have_addresses;
};

#define ENI_VALUES_MAX 200              /* values of one EC2 filter */

/* Start: load balancers and target groups. */
static void start_lb(struct panel_job *j)
{
	collector_call(j, K_LBS, json_object(), 0, 0);
	collector_call(j, K_TGS, json_object(), 0, 0);
}

/* The load balancers' network interfaces: one call (per 200) filtered on their descriptions. */
static void queue_enis(struct panel_job *j)
{
	struct lb_stage *s = j->stage;
	json_t *values = json_array();
	size_t i, calls = 0;

	for (i = 0; i <= s->n_lbs; i++) {
		char *d = i < s->n_lbs ? panel_lb_eni_description(s->lbs[i].arn) : NULL;
		if (d)
			json_array_append_new(values, json_string(d));
		free(d);
		if (json_array_size(values) && (json_array_size(values) == ENI_VALUES_MAX || i == s->n_lbs)) {
			collector_call(j, K_ENIS, json_pack("{s:[{s:s,s:o}]}", "Filters", "Name", "description",
							"Values", values), calls++, 0);
			values = json_array();
		}
	}
	json_decref(values);
	s->have_addresses = calls > 0 || s->n_lbs == 0;   /* no load balancer: no addresses */
}

static void done_enis(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct lb_stage *s = j->stage;
	struct model_lb_address *v;
	struct fd_error e;
	size_t n;

	(void)idx;
	(void)sub;
	if (panel_lb_parse_network_interfaces(res, &v, &n, &e)) {
		s->have_addresses = false;   /* keep the old addresses */
		collector_job_error(j, &e, false);
		return;
	}
	s->addresses = xrealloc(s->addresses, (s->n_addresses + n + 1) * sizeof(*v));
	memcpy(s->addresses + s->n_addresses, v, n * sizeof(*v));
	s->n_addresses += n;
	free(v);
}

/* A network interfaces call failed: keep the old addresses. */
static void failed_enis(struct panel_job *j, size_t idx, size_t sub)
{
	struct lb_stage *s = j->stage;

	(void)idx;
	(void)sub;
	s->have_addresses = false;
}

static void done_lbs(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct lb_stage *s = j->stage;
	struct fd_error e;
	size_t i;

	(void)idx;
	(void)sub;
	panel_filter(res, "LoadBalancers", "LoadBalancerName", j->cfg->lbs, j->cfg->n_lbs);
	if (panel_lb_parse_load_balancers(res, j->now, &s->lbs, &s->n_lbs, &e)) {
		collector_job_error(j, &e, true);
		return;
	}
	s->have_lbs = true;
	s->lb_fail = xcalloc(s->n_lbs + 1, 1);
	for (i = 0; i < s->n_lbs; i++)
		collector_call(j, K_LISTENERS, json_pack("{s:s}", "LoadBalancerArn", s->lbs[i].arn), i, 0);
	queue_enis(j);
}

static void done_listeners(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct lb_stage *s = j->stage;
	struct model_lb *lb = &s->lbs[idx];
	struct fd_error e;
	size_t i;

	(void)sub;
	if (panel_lb_parse_listeners(res, j->now, &lb->listeners, &lb->n_listeners, &e)) {
		s->lb_fail[idx] = 1;
		collector_job_error(j, &e, false);
		return;
	}
	for (i = 0; i < lb->n_listeners; i++)
		collector_call(j, K_RULES, json_pack("{s:s}", "ListenerArn", lb->listeners[i].arn), idx, i);
}

static void done_rules(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct lb_stage *s = j->stage;
	struct model_listener *l = &s->lbs[idx].listeners[sub];
	struct fd_error e;

	if (panel_lb_parse_rules(res, l, &e)) {
		l->fetched_at = 0;      /* marks "rules failed": carried over at the swap */
		collector_job_error(j, &e, false);
	}
}

static void done_tgs(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct lb_stage *s = j->stage;
	struct fd_error e;
	size_t i;

	(void)idx;
	(void)sub;
	panel_filter(res, "TargetGroups", "TargetGroupName", j->cfg->tgs, j->cfg->n_tgs);
	if (panel_lb_parse_target_groups(res, j->now, &s->tgs, &s->n_tgs, &e)) {
		collector_job_error(j, &e, true);
		return;
	}
	s->have_tgs = true;
	s->tg_fail = xcalloc(s->n_tgs + 1, 1);
	for (i = 0; i < s->n_tgs; i++)
		collector_call(j, K_HEALTH, json_pack("{s:s}", "TargetGroupArn", s->tgs[i].arn), i, 0);
}

static void done_health(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct lb_stage *s = j->stage;
	struct fd_error e;

	(void)sub;
	if (panel_lb_parse_target_health(res, j->now, &s->tgs[idx], &e)) {
		s->tg_fail[idx] = 1;
		collector_job_error(j, &e, false);
	}
}

/* Swap staged LBs and TGs in, carrying over metrics and failed sub-data. */
static void finish_lb(struct panel_job *j)
{
	struct lb_stage *s = j->stage;
	struct model_region *r = panel_region(j);
	size_t i, o, l, ol;

	if (s->have_lbs) {
		for (i = 0; i < s->n_lbs; i++) {
			struct model_lb *n = &s->lbs[i];
			for (o = 0; o < r->n_lbs; o++) {
				struct model_lb *old = &r->lbs[o];
				if (!panel_same(old->arn, n->arn))
					continue;
				n->requests_per_s = old->requests_per_s;
				n->http_5xx_pct = old->http_5xx_pct;
				n->p99_ms = old->p99_ms;
				n->metrics_at = old->metrics_at;
				n->data_at = old->data_at;
				n->period_s = old->period_s;
				if (s->lb_fail[i]) {
					panel_lb_listeners_free(n->listeners, n->n_listeners);
					n->listeners = old->listeners;
					n->n_listeners = old->n_listeners;
					old->listeners = NULL;
					old->n_listeners = 0;
					continue;
				}
				for (l = 0; l < n->n_listeners; l++) {
					if (n->listeners[l].fetched_at)
						continue;
					for (ol = 0; ol < old->n_listeners; ol++)
						if (panel_same(old->listeners[ol].arn, n->listeners[l].arn)) {
							struct model_listener *a = &n->listeners[l], *b = &old->listeners[ol];
							panel_lb_rules_free(a->rules, a->n_rules);
							a->rules = b->rules;
							a->n_rules = b->n_rules;
							b->rules = NULL;
							b->n_rules = 0;
						}
				}
			}
		}
		panel_lb_lbs_free(r->lbs, r->n_lbs);
		r->lbs = s->lbs;
		r->n_lbs = s->n_lbs;
		s->lbs = NULL;
		s->n_lbs = 0;
	}
	if (s->have_tgs) {
		for (i = 0; i < s->n_tgs; i++) {
			struct model_tg *n = &s->tgs[i];
			for (o = 0; o < r->n_tgs; o++) {
				struct model_tg *old = &r->tgs[o];
				if (!panel_same(old->arn, n->arn))
					continue;
				n->requests_per_s = old->requests_per_s;
				n->http_5xx_pct = old->http_5xx_pct;
				n->p99_ms = old->p99_ms;
				n->metrics_at = old->metrics_at;
				n->data_at = old->data_at;
				n->period_s = old->period_s;
				if (s->tg_fail[i]) {
					n->targets = old->targets;
					n->n_targets = old->n_targets;
					n->healthy = old->healthy;
					n->unhealthy = old->unhealthy;
					n->other = old->other;
					n->health_at = old->health_at;
					old->targets = NULL;
					old->n_targets = 0;
				}
			}
		}
		panel_lb_tgs_free(r->tgs, r->n_tgs);
		r->tgs = s->tgs;
		r->n_tgs = s->n_tgs;
		s->tgs = NULL;
		s->n_tgs = 0;
	}
	if (s->have_addresses) {
		panel_lb_addresses_free(r->addresses, r->n_addresses);
		r->addresses = s->addresses;
		r->n_addresses = s->n_addresses;
		s->addresses = NULL;
		s->n_addresses = 0;
	}
	panel_lb_resolve_forwards(r);
}

/* A listeners call failed: keep the LB's old listeners. */
static void failed_listeners(struct panel_job *j, size_t idx, size_t sub)
{
	struct lb_stage *s = j->stage;

	(void)sub;
	s->lb_fail[idx] = 1;
}

/* A rules call failed: keep the listener's old rules. */
static void failed_rules(struct panel_job *j, size_t idx, size_t sub)
{
	struct lb_stage *s = j->stage;

	s->lbs[idx].listeners[sub].fetched_at = 0;
}

/* A health call failed: keep the group's old targets. */
static void failed_health(struct panel_job *j, size_t idx, size_t sub)
{
	struct lb_stage *s = j->stage;

	(void)sub;
	s->tg_fail[idx] = 1;
}

/* Free what a refresh staged. */
static void stage_clean_up(void *stage)
{
	struct lb_stage *s = stage;

	panel_lb_lbs_free(s->lbs, s->n_lbs);
	panel_lb_tgs_free(s->tgs, s->n_tgs);
	free(s->lb_fail);
	free(s->tg_fail);
	panel_lb_addresses_free(s->addresses, s->n_addresses);
}

/* Free a region's load balancers and target groups. */
static void model_part_clean_up(struct model *m, size_t region)
{
	struct model_region *r = &m->regions[region];

	panel_lb_lbs_free(r->lbs, r->n_lbs);
	panel_lb_tgs_free(r->tgs, r->n_tgs);
	panel_lb_addresses_free(r->addresses, r->n_addresses);
	r->lbs = NULL;
	r->tgs = NULL;
	r->addresses = NULL;
	r->n_lbs = r->n_tgs = r->n_addresses = 0;
}

static const struct panel_call lb_calls[K_COUNT] = {
	[K_LBS] = { "elbv2", "DescribeLoadBalancers", CLIENT_ALL_PAGES, true, done_lbs, NULL },
	[K_LISTENERS] = { "elbv2", "DescribeListeners", CLIENT_ALL_PAGES, false, done_listeners, failed_listeners },
	[K_RULES] = { "elbv2", "DescribeRules", CLIENT_ALL_PAGES, false, done_rules, failed_rules },
	[K_TGS] = { "elbv2", "DescribeTargetGroups", CLIENT_ALL_PAGES, true, done_tgs, NULL },
	[K_HEALTH] = { "elbv2", "DescribeTargetHealth", 0, false, done_health, failed_health },
	[K_ENIS] = { "ec2", "DescribeNetworkInterfaces", CLIENT_ALL_PAGES, false, done_enis, failed_enis },
};

const struct panel_def panel_lb_def = {
	.panel = MODEL_PANEL_LB,
	.name = "lb",
	.interval_mult = 1,
	.calls = lb_calls,
	.n_calls = K_COUNT,
	.stage_size = sizeof(struct lb_stage),
	.start = start_lb,
	.finish = finish_lb,
	.stage_clean_up = stage_clean_up,
	.model_clean_up = model_part_clean_up,
};
