/* model.c — lifetime, status and summaries of the dashboard state (see model.h). */
#include "model/model.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "base/xalloc.h"
#include "model/panel.h"
#include "model/replication.h"
#include "model/sessions.h"
#include "model/cdn.h"
#include "model/serving.h"

static const char *const status_names[] = {
	[MODEL_TARGET_NO_DATA] = "no_data",
	[MODEL_TARGET_MET] = "met",
	[MODEL_TARGET_MISSED] = "missed",
};

static const char *const sev_names[] = {
	[MODEL_SEV_OK] = "ok",
	[MODEL_SEV_UNKNOWN] = "unknown",
	[MODEL_SEV_WARN] = "warning",
	[MODEL_SEV_BAD] = "bad",
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

/* Name of a severity. */
const char *model_sev_name(enum model_sev s)
{
	return (unsigned)s <= MODEL_SEV_BAD ? sev_names[s] : "?";
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
	memset(s, 0, sizeof(*s));
	s->requests_per_s = NAN;
	s->http_5xx_pct = NAN;
	s->p99_ms = NAN;
	for (int f = 0; f < MODEL_FIG_COUNT; f++)
		s->sev[f] = MODEL_SEV_UNKNOWN;
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
	if (panel == MODEL_PANEL_CDN)
		return &m->cdn_status;
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

/* Has the region's panel p data: read at least once, or something on hand? */
static bool have(const struct model_region *r, enum model_panel p)
{
	if (r->status[p].fetched_at)
		return true;
	switch (p) {
	case MODEL_PANEL_LB: return r->n_tgs != 0;
	case MODEL_PANEL_ASG: return r->n_asgs != 0;
	case MODEL_PANEL_ALARMS: return r->n_alarms != 0;
	default: return false;
	}
}

/* Severity of a failure rate (see model.h). */
enum model_sev model_sev_failures(double pct, double requests)
{
	double failures;

	if (isnan(pct) || isnan(requests))
		return MODEL_SEV_UNKNOWN;
	failures = pct / 100 * requests;
	if (pct >= 5 && failures >= 10)
		return MODEL_SEV_BAD;
	if (pct >= 1 && failures >= 5)
		return MODEL_SEV_WARN;
	return MODEL_SEV_OK;
}

/* Severity of the 5xx rate over one period. */
static enum model_sev sev_5xx(const struct model_summary *s, int period_s)
{
	return model_sev_failures(s->http_5xx_pct, isnan(s->requests_per_s) ? NAN : s->requests_per_s * period_s);
}

/* Is the region's health check (the one its failover record uses) unhealthy? */
static const char *check_failing(const struct model *m, const struct model_region *r)
{
	size_t i;

	for (i = 0; i < m->route53.n_checks; i++) {
		const struct model_health_check *h = &m->route53.checks[i];
		if (h->state == 0 && panel_same(h->region, r->name) && !panel_same(h->type, "RECOVERY_CONTROL"))
			return h->id;
	}
	return NULL;
}

/* Severities, data ages and whether the region is down or unreadable. */
static void judge_region(const struct model *m, struct model_region *r)
{
	struct model_summary *s = &r->summary;
	int hosts = s->healthy_hosts + s->unhealthy_hosts, p, enabled = 0, failed = 0, period = 60;
	bool primary = r->role && strcmp(r->role, "primary") == 0;
	const char *hc;
	size_t i;

	for (i = 0; i < r->n_lbs; i++)
		if (r->lbs[i].data_at) {
			if (!s->data_at[MODEL_FIG_RPS] || r->lbs[i].data_at < s->data_at[MODEL_FIG_RPS])
				s->data_at[MODEL_FIG_RPS] = r->lbs[i].data_at;
			period = r->lbs[i].period_s ? r->lbs[i].period_s : 60;
		}
	for (p = MODEL_FIG_RPS; p <= MODEL_FIG_P99; p++) {
		s->data_at[p] = s->data_at[MODEL_FIG_RPS];
		s->period_s[p] = period;
	}
	s->sev[MODEL_FIG_RPS] = isnan(s->requests_per_s) ? MODEL_SEV_UNKNOWN : MODEL_SEV_OK;
	s->sev[MODEL_FIG_5XX] = sev_5xx(s, period);
	s->sev[MODEL_FIG_P99] = isnan(s->p99_ms) ? MODEL_SEV_UNKNOWN
			       : s->p99_ms > 1000 ? MODEL_SEV_BAD : s->p99_ms > 500 ? MODEL_SEV_WARN : MODEL_SEV_OK;
	if (!have(r, MODEL_PANEL_LB))
		s->sev[MODEL_FIG_HOSTS] = MODEL_SEV_UNKNOWN;
	else if (hosts > 0 && s->healthy_hosts == 0)
		s->sev[MODEL_FIG_HOSTS] = MODEL_SEV_BAD;       /* nothing can serve */
	else if (hosts == 0)
		s->sev[MODEL_FIG_HOSTS] = s->dns_answering ? MODEL_SEV_BAD : MODEL_SEV_OK;
	else
		s->sev[MODEL_FIG_HOSTS] = s->unhealthy_hosts ? MODEL_SEV_WARN : MODEL_SEV_OK;
	if (!have(r, MODEL_PANEL_ASG))
		s->sev[MODEL_FIG_ASG] = MODEL_SEV_UNKNOWN;
	else if (s->asg_desired > 0 && s->asg_in_service == 0)
		s->sev[MODEL_FIG_ASG] = MODEL_SEV_BAD;
	else
		s->sev[MODEL_FIG_ASG] = s->asg_in_service < s->asg_desired ? MODEL_SEV_WARN : MODEL_SEV_OK;
	s->sev[MODEL_FIG_ALARMS] = !have(r, MODEL_PANEL_ALARMS) ? MODEL_SEV_UNKNOWN
				  : s->alarms_in_alarm ? MODEL_SEV_BAD : MODEL_SEV_OK;
	if (!m->route53.dns.region)
		s->sev[MODEL_FIG_DNS] = MODEL_SEV_UNKNOWN;
	else if (m->route53.dns.disagree)
		s->sev[MODEL_FIG_DNS] = MODEL_SEV_WARN;
	else
		s->sev[MODEL_FIG_DNS] = s->dns_answering && !primary ? MODEL_SEV_WARN : MODEL_SEV_OK;
	{
		struct replication rp;
		replication_of_region(m, (size_t)(r - m->regions), &rp);
		s->sev[MODEL_FIG_REPL] = rp.sev;
	}
	{
		struct sessions_view sv;
		sessions_of_region(m, (size_t)(r - m->regions), time(NULL), &sv);
		s->sev[MODEL_FIG_SESSIONS] = sv.sev;
	}
	{
		struct cdn_view cv;
		cdn_of_region(m, (size_t)(r - m->regions), &cv);
		s->sev[MODEL_FIG_CDN] = cv.sev;
	}
	/* down: no healthy host behind a load balancer that has hosts, or its health check fails */
	if (s->sev[MODEL_FIG_HOSTS] == MODEL_SEV_BAD && hosts > 0) {
		s->down = true;
		snprintf(s->down_why, sizeof(s->down_why), "0/%d healthy hosts", hosts);
	} else if ((hc = check_failing(m, r))) {
		s->down = true;
		snprintf(s->down_why, sizeof(s->down_why), "Route 53 health check %.40s unhealthy", hc);
	}
	for (p = 0; p < MODEL_PANEL_COUNT; p++) {
		/* deploys reads what the groups' instances run: with no group read it makes no call */
		if (panel_table[p]->global || !r->status[p].enabled || p == MODEL_PANEL_DEPLOYS)
			continue;
		enabled++;
		failed += r->status[p].error.code[0] != 0;
	}
	s->unreadable = enabled > 0 && failed == enabled;
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
	judge_region(m, r);
}

/* Derive the serving region and every region's summary. */
void model_summarize(struct model *m)
{
	size_t i;

	serving_resolve(m);
	for (i = 0; i < m->n_regions; i++)
		summarize_region(m, &m->regions[i]);
}

/* Is a CloudWatch figure stale at now? */
bool model_fig_stale(const struct model_summary *s, enum model_fig f, time_t now)
{
	long age = model_fig_data_age(s, f, now);

	return age >= 0 && age > 2L * s->period_s[f] + MODEL_CW_DELAY_S;
}

/* Seconds from now until a figure turns stale; -1 when it is already, or has no data. */
long model_fig_stale_in(const struct model_summary *s, enum model_fig f, time_t now)
{
	long age = model_fig_data_age(s, f, now);

	return age < 0 || model_fig_stale(s, f, now) ? -1 : 2L * s->period_s[f] + MODEL_CW_DELAY_S + 1 - age;
}

/* The age of a figure's newest datapoint, -1 when none. */
long model_fig_data_age(const struct model_summary *s, enum model_fig f, time_t now)
{
	if ((unsigned)f >= MODEL_FIG_COUNT || !s->data_at[f] || !s->period_s[f])
		return -1;
	return now > s->data_at[f] ? (long)(now - s->data_at[f]) : 0;
}
