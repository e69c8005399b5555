/* model.c — lifetime, status and summaries of the dashboard state (see model.h). */
#include "model/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "model/panel.h"

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
	return (unsigned)p < MODEL_PANEL_COUNT ? panel_table[p]->name : "?";
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
	size_t i, p;

	for (p = 0; p < MODEL_PANEL_COUNT; p++) {
		const struct panel_def *def = panel_table[p];
		if (def->global)
			def->model_clean_up(m, PANEL_GLOBAL);
		else
			for (i = 0; i < m->n_regions; i++)
				def->model_clean_up(m, i);
	}
	for (i = 0; i < m->n_regions; i++) {
		free(m->regions[i].name);
		free(m->regions[i].role);
	}
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
