/* model.c — lifetime, status and summaries of the dashboard state (see model.h). */
#include "model/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

static const char *const panel_names[MODEL_PANEL_COUNT] = {
	[MODEL_PANEL_LB] = "lb",
	[MODEL_PANEL_ASG] = "asg",
	[MODEL_PANEL_ALARMS] = "alarms",
	[MODEL_PANEL_METRICS] = "metrics",
	[MODEL_PANEL_RDS] = "rds",
	[MODEL_PANEL_XRAY] = "xray",
	[MODEL_PANEL_ROUTE53] = "route53",
	[MODEL_PANEL_TARGETS] = "targets",
};

static const char *const status_names[] = {
	[MODEL_TARGET_NO_DATA] = "no_data",
	[MODEL_TARGET_MET] = "met",
	[MODEL_TARGET_MISSED] = "missed",
};

static const char *const cmp_texts[] = {
	[MODEL_CMP_LT] = "<",
	[MODEL_CMP_LE] = "<=",
	[MODEL_CMP_GT] = ">",
	[MODEL_CMP_GE] = ">=",
	[MODEL_CMP_EQ] = "==",
};

/* Name of a panel ("lb", "asg" ...). */
const char *model_panel_name(enum model_panel p)
{
	return (unsigned)p < MODEL_PANEL_COUNT ? panel_names[p] : "?";
}

/* Name of a target status ("met", "missed", "no_data"). */
const char *model_target_status_name(enum model_target_status s)
{
	return (unsigned)s <= MODEL_TARGET_MISSED ? status_names[s] : "?";
}

/* The comparison operator as text. */
const char *model_cmp_text(enum model_cmp c)
{
	return (unsigned)c <= MODEL_CMP_EQ ? cmp_texts[c] : "?";
}

/* Does value CMP objective hold? */
bool model_cmp_holds(enum model_cmp c, double value, double objective)
{
	switch (c) {
	case MODEL_CMP_LT: return value < objective;
	case MODEL_CMP_LE: return value <= objective;
	case MODEL_CMP_GT: return value > objective;
	case MODEL_CMP_GE: return value >= objective;
	case MODEL_CMP_EQ: return fabs(value - objective) < 1e-9;
	}
	return false;
}

/* Reset a summary to "unknown". */
static void summary_reset(struct model_summary *s)
{
	s->requests_per_s = NAN;
	s->http_5xx_pct = NAN;
	s->p99_ms = NAN;
	s->healthy_hosts = s->unhealthy_hosts = 0;
	s->asg_in_service = s->asg_desired = s->asg_min = s->asg_max = 0;
	s->alarms_in_alarm = 0;
	s->dns_answering = false;
}

/* Set up an empty model for the given regions. */
void model_init(struct model *m, const char *primary, const char *dr)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	m->regions[0].name = xstrdup(primary ? primary : "ap-northeast-2");
	m->regions[0].role = xstrdup("primary");
	m->n_regions = 1;
	if (dr && *dr && strcmp(dr, m->regions[0].name) != 0) {
		m->regions[1].name = xstrdup(dr);
		m->regions[1].role = xstrdup("dr");
		m->n_regions = 2;
	}
	for (i = 0; i < m->n_regions; i++)
		summary_reset(&m->regions[i].summary);
}

/* Free a string array. */
static void strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Free a series' points. */
void model_series_clean_up(struct model_series *s)
{
	free(s->ts);
	free(s->values);
	memset(s, 0, sizeof(*s));
}

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
void model_rules_free(struct model_rule *v, size_t n)
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
void model_listeners_free(struct model_listener *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].arn);
		free(v[i].lb_arn);
		free(v[i].protocol);
		actions_free(v[i].default_actions, v[i].n_default_actions);
		model_rules_free(v[i].rules, v[i].n_rules);
	}
	free(v);
}

/* Free load balancers. */
void model_lbs_free(struct model_lb *v, size_t n)
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
		model_listeners_free(v[i].listeners, v[i].n_listeners);
	}
	free(v);
}

/* Free target health entries. */
void model_target_health_free(struct model_target_health *v, size_t n)
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
void model_tgs_free(struct model_tg *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].arn);
		free(v[i].protocol);
		free(v[i].target_type);
		free(v[i].health_check_path);
		strv_free(v[i].lb_arns, v[i].n_lb_arns);
		model_target_health_free(v[i].targets, v[i].n_targets);
	}
	free(v);
}

/* Free scaling activities. */
void model_activities_free(struct model_activity *v, size_t n)
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
void model_policies_free(struct model_policy *v, size_t n)
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
void model_forecasts_free(struct model_forecast *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].policy);
		free(v[i].metric);
		model_series_clean_up(&v[i].load);
		model_series_clean_up(&v[i].capacity);
		model_series_clean_up(&v[i].actual);
	}
	free(v);
}

/* Free auto scaling groups. */
void model_asgs_free(struct model_asg *v, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].arn);
		strv_free(v[i].tg_arns, v[i].n_tg_arns);
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
		model_activities_free(v[i].activities, v[i].n_activities);
		model_policies_free(v[i].policies, v[i].n_policies);
		model_forecasts_free(v[i].forecasts, v[i].n_forecasts);
	}
	free(v);
}

/* Free alarm history events. */
void model_alarm_events_free(struct model_alarm_event *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].type);
		free(v[i].summary);
		free(v[i].old_state);
		free(v[i].new_state);
	}
	free(v);
}

/* Free alarms. */
void model_alarms_free(struct model_alarm *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].state);
		free(v[i].reason);
		free(v[i].namespace_);
		free(v[i].metric);
		free(v[i].description);
		model_alarm_events_free(v[i].history, v[i].n_history);
	}
	free(v);
}

/* Free DB instances. */
void model_dbs_free(struct model_db *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].engine);
		free(v[i].status);
		free(v[i].instance_class);
		free(v[i].az);
		free(v[i].endpoint);
		free(v[i].source_id);
	}
	free(v);
}

/* Free the X-Ray graph and traces. */
void model_xray_clean_up(struct model_xray *x)
{
	size_t i;

	for (i = 0; i < x->n_nodes; i++) {
		free(x->nodes[i].name);
		free(x->nodes[i].type);
	}
	free(x->nodes);
	free(x->edges);
	for (i = 0; i < x->n_traces; i++) {
		free(x->traces[i].id);
		free(x->traces[i].method);
		free(x->traces[i].url);
	}
	free(x->traces);
	memset(x, 0, sizeof(*x));
}

/* Free charts. */
void model_charts_free(struct model_chart *v, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		free(v[i].title);
		free(v[i].unit);
		free(v[i].stat);
		for (k = 0; k < v[i].n_lines; k++) {
			free(v[i].lines[k].id);
			free(v[i].lines[k].label);
			model_series_clean_up(&v[i].lines[k].series);
		}
		free(v[i].lines);
	}
	free(v);
}

/* Free checker reports. */
void model_checkers_free(struct model_checker *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].region);
		free(v[i].ip);
		free(v[i].status);
	}
	free(v);
}

/* Free records. */
void model_records_free(struct model_record *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].type);
		free(v[i].set_identifier);
		free(v[i].failover);
		free(v[i].region);
		free(v[i].health_check_id);
		free(v[i].value);
	}
	free(v);
}

/* Free a DNS answer's strings. */
void model_dns_answer_clean_up(struct model_dns_answer *d)
{
	free(d->record_name);
	free(d->record_type);
	free(d->nameserver);
	free(d->response_code);
	strv_free(d->answers, d->n_answers);
	free(d->region);
	memset(d, 0, sizeof(*d));
}

/* Free everything Route 53. */
void model_route53_clean_up(struct model_route53 *r)
{
	size_t i;

	for (i = 0; i < r->n_checks; i++) {
		struct model_health_check *h = &r->checks[i];
		free(h->id);
		free(h->type);
		free(h->target);
		free(h->caller_reference);
		free(h->region);
		model_checkers_free(h->checkers, h->n_checkers);
	}
	free(r->checks);
	for (i = 0; i < r->n_zones; i++) {
		free(r->zones[i].id);
		free(r->zones[i].name);
		model_records_free(r->zones[i].records, r->zones[i].n_records);
	}
	free(r->zones);
	model_dns_answer_clean_up(&r->dns);
	memset(r, 0, sizeof(*r));
}

/* Free targets. */
void model_targets_free(struct model_target *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].source);
		free(v[i].unit);
		free(v[i].objective_text);
		free(v[i].region);
	}
	free(v);
}

/* Free everything the model holds. */
void model_clean_up(struct model *m)
{
	size_t i;

	for (i = 0; i < m->n_regions; i++) {
		struct model_region *r = &m->regions[i];
		free(r->name);
		free(r->role);
		model_lbs_free(r->lbs, r->n_lbs);
		model_tgs_free(r->tgs, r->n_tgs);
		model_asgs_free(r->asgs, r->n_asgs);
		model_alarms_free(r->alarms, r->n_alarms);
		model_dbs_free(r->dbs, r->n_dbs);
		model_xray_clean_up(&r->xray);
		model_charts_free(r->charts, r->n_charts);
	}
	model_route53_clean_up(&m->route53);
	model_targets_free(m->targets, m->n_targets);
	memset(m, 0, sizeof(*m));
}

/* The status of a panel (global ones ignore region). */
struct model_status *model_status_of(struct model *m, size_t region, enum model_panel panel)
{
	if (panel == MODEL_PANEL_ROUTE53)
		return &m->route53_status;
	if (panel == MODEL_PANEL_TARGETS)
		return &m->targets_status;
	if (region >= m->n_regions || (unsigned)panel >= MODEL_PANEL_COUNT)
		return NULL;
	return &m->regions[region].status[panel];
}

/* Mark a panel changed. */
void model_touch(struct model *m, struct model_status *st)
{
	st->changed++;
	m->generation++;
}

/* Region index by name. */
int model_region_index(const struct model *m, const char *name)
{
	size_t i;

	for (i = 0; name && i < m->n_regions; i++)
		if (strcmp(m->regions[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Sum a figure over LBs, NAN when none has data. */
static double lb_sum(const struct model_region *r, size_t off)
{
	double sum = NAN;
	size_t i;

	for (i = 0; i < r->n_lbs; i++) {
		double v = *(const double *)((const char *)&r->lbs[i] + off);
		if (isnan(v))
			continue;
		sum = isnan(sum) ? v : sum + v;
	}
	return sum;
}

/* Recompute one region's summary. */
static void summarize_region(const struct model *m, struct model_region *r)
{
	struct model_summary *s = &r->summary;
	double weighted = 0, weight = 0;
	size_t i;

	summary_reset(s);
	s->requests_per_s = lb_sum(r, offsetof(struct model_lb, requests_per_s));
	s->p99_ms = NAN;
	for (i = 0; i < r->n_lbs; i++) {
		const struct model_lb *lb = &r->lbs[i];
		if (!isnan(lb->p99_ms) && (isnan(s->p99_ms) || lb->p99_ms > s->p99_ms))
			s->p99_ms = lb->p99_ms;
		if (!isnan(lb->http_5xx_pct) && !isnan(lb->requests_per_s)) {
			weighted += lb->http_5xx_pct * lb->requests_per_s;
			weight += lb->requests_per_s;
		} else if (!isnan(lb->http_5xx_pct) && isnan(s->http_5xx_pct)) {
			s->http_5xx_pct = lb->http_5xx_pct;
		}
	}
	if (weight > 0)
		s->http_5xx_pct = weighted / weight;
	else if (isnan(s->http_5xx_pct) && r->n_lbs && !isnan(s->requests_per_s))
		s->http_5xx_pct = 0;
	for (i = 0; i < r->n_tgs; i++) {
		s->healthy_hosts += r->tgs[i].healthy;
		s->unhealthy_hosts += r->tgs[i].unhealthy;
	}
	for (i = 0; i < r->n_asgs; i++) {
		s->asg_in_service += r->asgs[i].in_service;
		s->asg_desired += r->asgs[i].desired;
		s->asg_min += r->asgs[i].min;
		s->asg_max += r->asgs[i].max;
	}
	for (i = 0; i < r->n_alarms; i++)
		if (r->alarms[i].state && strcmp(r->alarms[i].state, "ALARM") == 0)
			s->alarms_in_alarm++;
	s->dns_answering = m->route53.dns.region && strcmp(m->route53.dns.region, r->name) == 0;
}

/* Recompute every region's summary. */
void model_summarize(struct model *m)
{
	size_t i;

	for (i = 0; i < m->n_regions; i++)
		summarize_region(m, &m->regions[i]);
}
