/* targets.c — success targets from scaling activities, metrics, RDS and measurements (see targets.h). */
#include "model/targets.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "model/sessions.h"

static const char *const source_names[] = {
	[FD_TARGET_METRIC] = "metric",
	[FD_TARGET_EXPRESSION] = "expression",
	[FD_TARGET_ASG_ACTIVITY] = "asg-activity",
	[FD_TARGET_MEASUREMENT] = "measurement",
	[FD_TARGET_RDS_REPLICA] = "rds-replica-latency",
};

/* The objective as text. */
char *targets_objective_text(enum model_cmp cmp, double objective, const char *unit)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_addf(&sb, "%s %g", model_cmp_text(cmp), objective);
	if (unit && *unit)
		strbuf_addf(&sb, " %s", unit);
	return strbuf_detach(&sb, NULL);
}

/* A one-line description of where a target's value comes from. */
static char *source_text(const struct fd_config_target *t)
{
	struct strbuf sb;
	size_t i;

	strbuf_init(&sb);
	strbuf_adds(&sb, source_names[t->source]);
	switch (t->source) {
	case FD_TARGET_ASG_ACTIVITY:
		strbuf_addf(&sb, " %s", t->asg ? t->asg : "(every group)");
		break;
	case FD_TARGET_MEASUREMENT:
		strbuf_addf(&sb, " %s", t->measurement);
		break;
	case FD_TARGET_METRIC:
	case FD_TARGET_EXPRESSION:
		for (i = 0; i < t->n_queries; i++) {
			const struct fd_config_query *q = &t->queries[i];
			if (!q->return_data)
				continue;
			if (q->expression)
				strbuf_addf(&sb, "%s%s", i ? " | " : " ", q->expression);
			else
				strbuf_addf(&sb, "%s%s/%s", i ? " | " : " ", q->namespace_, q->metric);
		}
		if (t->sessions_fallback)
			strbuf_adds(&sb, " | sessions panel Evictions, CacheHitRate");
		break;
	case FD_TARGET_RDS_REPLICA:
		break;
	}
	return strbuf_detach(&sb, NULL);
}

/* Build m->targets from cfg. */
void targets_init(struct model *m, const struct fd_config *cfg)
{
	size_t i;

	model_targets_free(m->targets, m->n_targets);
	m->targets = xcalloc(cfg->n_targets + 1, sizeof(*m->targets));
	m->n_targets = cfg->n_targets;
	for (i = 0; i < cfg->n_targets; i++) {
		const struct fd_config_target *t = &cfg->targets[i];
		struct model_target *mt = &m->targets[i];
		const char *reg = t->region && strcmp(t->region, "dr") == 0 && m->n_regions > 1 ?
				  m->regions[1].name : m->regions[0].name;
		mt->name = xstrdup(t->name);
		mt->source = source_text(t);
		mt->unit = xstrdup(t->unit ? t->unit : "");
		mt->cmp = t->cmp;
		mt->objective = t->objective;
		mt->objective_text = targets_objective_text(t->cmp, t->objective, t->unit);
		mt->value = NAN;
		mt->status = MODEL_TARGET_NO_DATA;
		mt->region = t->source == FD_TARGET_MEASUREMENT ? NULL : xstrdup(reg);
	}
}

/* Set the history to the last MODEL_HISTORY of vals (oldest first). */
static void history_set(struct model_target *mt, const double *vals, size_t n)
{
	size_t from = n > MODEL_HISTORY ? n - MODEL_HISTORY : 0, i;

	mt->n_history = 0;
	for (i = from; i < n; i++)
		mt->history[mt->n_history++] = vals[i];
}

/* Add one value to the history when it is newer than the last one taken. */
static void history_push(struct model_target *mt, double v, time_t at, time_t prev_at)
{
	if (isnan(v) || (mt->n_history && at == prev_at))
		return;
	if (mt->n_history == MODEL_HISTORY) {
		memmove(mt->history, mt->history + 1, (MODEL_HISTORY - 1) * sizeof(double));
		mt->n_history--;
	}
	mt->history[mt->n_history++] = v;
}

/* Scale-out latency: the newest successful launch activity of the target's groups. */
static void derive_activity(struct model_target *mt, const struct fd_config_target *t,
			    const struct model_region *r)
{
	double vals[MODEL_HISTORY * 4];
	time_t starts[MODEL_HISTORY * 4];
	size_t n = 0, g, a, i, j;

	mt->value = NAN;
	for (g = 0; g < r->n_asgs; g++) {
		const struct model_asg *asg = &r->asgs[g];
		if (t->asg && (!asg->name || strcmp(asg->name, t->asg) != 0))
			continue;
		for (a = 0; a < asg->n_activities && n < MODEL_HISTORY * 4; a++) {
			const struct model_activity *ac = &asg->activities[a];
			if (!ac->scale_out || !ac->end || !ac->start || ac->end < ac->start ||
			    !ac->status_code || strcmp(ac->status_code, "Successful") != 0)
				continue;
			vals[n] = (double)(ac->end - ac->start) * t->scale;
			starts[n] = ac->start;
			n++;
		}
	}
	/* oldest first by start time */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && starts[j - 1] > starts[j]; j--) {
			double tv = vals[j]; vals[j] = vals[j - 1]; vals[j - 1] = tv;
			time_t ts = starts[j]; starts[j] = starts[j - 1]; starts[j - 1] = ts;
		}
	history_set(mt, vals, n);
	if (n) {
		mt->value = vals[n - 1];
		mt->value_at = starts[n - 1];
	}
}

/* Measurement: the newest value of the name. */
static void derive_measurement(struct model_target *mt, const struct fd_config_target *t,
			       const struct measure *ms, size_t n_ms)
{
	double vals[MODEL_HISTORY];
	size_t n = 0, i;

	mt->value = NAN;
	for (i = n_ms; i-- > 0 && n < MODEL_HISTORY;)
		if (strcmp(ms[i].name, t->measurement) == 0) {
			if (!n) {
				mt->value = ms[i].value * t->scale;
				mt->value_at = ms[i].at;
			}
			vals[MODEL_HISTORY - 1 - n++] = ms[i].value * t->scale;
		}
	history_set(mt, vals + MODEL_HISTORY - n, n);
}

/* Metric / expression: the newest value of the first returned series with data. */
static void derive_metric(struct model_target *mt, const struct fd_config_target *t,
			  const struct targets_metric *tm)
{
	size_t i, k;

	mt->value = NAN;
	if (!tm)
		return;
	for (i = 0; i < tm->n_series; i++) {
		const struct model_series *s = &tm->series[i];
		double vals[MODEL_HISTORY];
		size_t from, n = 0;
		if (!s->n)
			continue;
		mt->value = s->values[s->n - 1] * t->scale;
		mt->value_at = s->ts[s->n - 1];
		from = s->n > MODEL_HISTORY ? s->n - MODEL_HISTORY : 0;
		for (k = from; k < s->n; k++)
			vals[n++] = s->values[k] * t->scale;
		history_set(mt, vals, n);
		return;
	}
	mt->n_history = 0;
}

/* The sessions fallback: the sessions panel's loss figure (sessions.h: the region's
 * evictions in the newest minute, or the share of lookups the primary missed when
 * its CacheHitRate fell below 80 %; NAN when the panel is off, unread, or has no
 * datapoint: never 0). */
static void derive_sessions(struct model_target *mt, const struct fd_config_target *t,
			    const struct model *m, size_t r, time_t now)
{
	struct sessions_view sv;
	time_t prev = mt->value_at;

	sessions_of_region(m, r, now, &sv);
	if (isnan(sv.loss))
		return;
	mt->value = sv.loss * t->scale;
	mt->value_at = m->regions[r].sessions.metrics_at;
	history_push(mt, mt->value, mt->value_at, prev);
}

/* Read replicas' (of any region) latency improvement over their primary, in %. */
static void derive_rds(struct model_target *mt, const struct fd_config_target *t,
		       const struct model *m, const struct model_region *r)
{
	double primary = NAN, sum = 0;
	time_t prev = mt->value_at, at = 0;
	const struct model_db *all[256];
	size_t i, k, n = 0, n_all = 0, g;

	/* replicas may live in any region (a cross-region read replica) */
	for (g = 0; g < m->n_regions; g++)
		for (k = 0; k < m->regions[g].n_dbs && n_all < 256; k++)
			all[n_all++] = &m->regions[g].dbs[k];
	mt->value = NAN;
	for (i = 0; i < r->n_dbs && isnan(primary); i++) {
		const struct model_db *p = &r->dbs[i];
		if (p->is_replica || isnan(p->read_latency_ms) || p->read_latency_ms <= 0)
			continue;
		for (k = 0; k < n_all; k++) {
			const struct model_db *q = all[k];
			if (!q->is_replica || isnan(q->read_latency_ms) || !q->source_id)
				continue;
			/* a cross-region source is an ARN ending in ":db:ID" */
			if (strcmp(q->source_id, p->id) != 0 &&
			    !(strlen(q->source_id) > strlen(p->id) + 4 &&
			      strcmp(q->source_id + strlen(q->source_id) - strlen(p->id), p->id) == 0 &&
			      q->source_id[strlen(q->source_id) - strlen(p->id) - 1] == ':'))
				continue;
			sum += q->read_latency_ms;
			n++;
			if (q->metrics_at > at)
				at = q->metrics_at;
		}
		if (n)
			primary = p->read_latency_ms;
	}
	if (!n || isnan(primary))
		return;
	mt->value = (primary - sum / (double)n) / primary * 100.0 * t->scale;
	mt->value_at = at;
	history_push(mt, mt->value, at, prev);
}

/* Recompute every target. */
void targets_derive(struct model *m, const struct fd_config *cfg,
		    const struct targets_metric *metrics, const struct measure *ms, size_t n_ms,
		    time_t now)
{
	size_t i;

	for (i = 0; i < m->n_targets && i < cfg->n_targets; i++) {
		const struct fd_config_target *t = &cfg->targets[i];
		struct model_target *mt = &m->targets[i];
		int reg = model_region_index(m, mt->region);
		const struct model_region *r = &m->regions[reg < 0 ? 0 : reg];
		double kept[MODEL_HISTORY];
		size_t n_kept;

		switch (t->source) {
		case FD_TARGET_ASG_ACTIVITY:
			derive_activity(mt, t, r);
			break;
		case FD_TARGET_MEASUREMENT:
			derive_measurement(mt, t, ms, n_ms);
			break;
		case FD_TARGET_METRIC:
		case FD_TARGET_EXPRESSION:
			memcpy(kept, mt->history, sizeof(kept));
			n_kept = mt->n_history;
			derive_metric(mt, t, metrics ? &metrics[i] : NULL);
			if (isnan(mt->value) && t->sessions_fallback) {
				/* the fallback's sparkline grows one refresh at a time */
				memcpy(mt->history, kept, sizeof(kept));
				mt->n_history = n_kept;
				derive_sessions(mt, t, m, (size_t)(reg < 0 ? 0 : reg), now);
			}
			break;
		case FD_TARGET_RDS_REPLICA:
			derive_rds(mt, t, m, r);
			break;
		}
		if (isnan(mt->value))
			mt->status = MODEL_TARGET_NO_DATA;
		else
			mt->status = model_cmp_holds(mt->cmp, mt->value, mt->objective) ?
				     MODEL_TARGET_MET : MODEL_TARGET_MISSED;
		mt->fetched_at = now;
	}
}

/* 1 when a target is missed. */
int targets_exit_status(const struct model *m)
{
	size_t i;

	for (i = 0; i < m->n_targets; i++)
		if (m->targets[i].status == MODEL_TARGET_MISSED)
			return 1;
	return 0;
}
