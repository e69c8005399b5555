/* panel_metrics_figures.c — what the metrics panel derives from its results: the LB, TG
 * and DB figures (request rate, 5xx %, p99, read latency, replica lag), the groups' CPU
 * for the forecasts, and the three built-in charts. */
#include "model/panel_metrics_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

/* 5xx % per point of a request series (missing 5xx points count as 0). */
static struct model_series series_5xx(const struct model_series *req, const struct model_series *a,
				      const struct model_series *b)
{
	struct model_series o = { 0 };
	size_t i;

	if (!req || !req->n)
		return o;
	o.ts = xcalloc(req->n, sizeof(*o.ts));
	o.values = xcalloc(req->n, sizeof(*o.values));
	for (i = 0; i < req->n; i++) {
		double x = a ? series_value_at(a, req->ts[i]) : NAN, y = b ? series_value_at(b, req->ts[i]) : NAN;
		double errs = (isnan(x) ? 0 : x) + (isnan(y) ? 0 : y);
		o.ts[o.n] = req->ts[i];
		o.values[o.n++] = req->values[i] > 0 ? errs * 100.0 / req->values[i] : 0;
	}
	return o;
}

/* The series of the figure query for (field, key), NULL when none. */
static const struct model_series *mq_series(const struct panel_job *j, enum mq_field f, const char *key)
{
	const struct metrics_stage *s = j->stage;
	const struct panel_metrics_result *pm;
	size_t i;

	for (i = 0; i < s->n_mq; i++)
		if (s->mq[i].field == f && panel_same(s->mq[i].key, key)) {
			pm = panel_metrics_find(s->res, s->n_res, s->mq[i].id);
			return pm && pm->series.n ? &pm->series : NULL;
		}
	return NULL;
}

/* Request rate, 5xx % and p99 from three series at the newest request point;
 * *data_at gets the end of that point's minute (0 when there is none). */
static void figures(const struct model_series *req, const struct model_series *e1,
		    const struct model_series *e2, const struct model_series *p99,
		    double *rps, double *pct, double *p99_ms, time_t *data_at)
{
	time_t at = 0;
	double r = req ? series_last(req, &at) : NAN;

	*data_at = isnan(r) ? 0 : at + 60;
	*rps = isnan(r) ? NAN : r / 60.0;
	if (!isnan(r)) {
		double x = e1 ? series_value_at(e1, at) : NAN, y = e2 ? series_value_at(e2, at) : NAN;
		double errs = (isnan(x) ? 0 : x) + (isnan(y) ? 0 : y);
		*pct = r > 0 ? errs * 100.0 / r : 0;
	} else {
		*pct = NAN;
	}
	*p99_ms = p99 ? series_last(p99, NULL) * 1000.0 : NAN;
}

/* Add a line to a built-in chart. */
static void chart_add(struct model_chart *ch, const char *label, struct model_series s)
{
	struct model_line *l;

	ch->lines = xrealloc(ch->lines, (ch->n_lines + 1) * sizeof(*ch->lines));
	l = &ch->lines[ch->n_lines++];
	l->id = xstrdup(label);
	l->label = xstrdup(label);
	l->series = s;
}

/* Set up the three built-in charts' titles, units and statistics. */
static void builtin_heads(struct metrics_stage *s)
{
	bool sum = !*s->stat || strcmp(s->stat, "Sum") == 0;
	static const enum model_chart_kind kinds[3] = { MODEL_CHART_REQUESTS, MODEL_CHART_5XX, MODEL_CHART_LATENCY };
	size_t i;

	for (i = 0; i < 3; i++) {
		struct model_chart *c = &s->charts[i];
		c->kind = kinds[i];
		c->period_s = s->period_s;
		c->range_s = s->range_s;
	}
	/* a rate and a percentage only mean something of Sums; other statistics are shown as they are */
	s->charts[0].title = xstrdup(sum ? "requests/s" : "RequestCount");
	s->charts[0].unit = xstrdup(sum ? "req/s" : "count");
	s->charts[0].stat = xstrdup(*s->stat ? s->stat : "Sum");
	s->charts[1].title = xstrdup(sum ? "5xx %" : "5xx count");
	s->charts[1].unit = xstrdup(sum ? "%" : "count");
	s->charts[1].stat = xstrdup(*s->stat ? s->stat : "Sum");
	s->charts[2].title = xstrdup(!*s->stat || strcmp(s->stat, "p99") == 0 ? "p99 latency" : "latency");
	s->charts[2].unit = xstrdup("ms");
	s->charts[2].stat = xstrdup(*s->stat ? s->stat : "p99");
}

/* The built-in charts from the per-LB chart calls. */
void panel_metrics_figures_charts(struct panel_job *j)
{
	struct metrics_stage *s = j->stage;
	struct model_region *r = panel_region(j);
	bool sum = !*s->stat || strcmp(s->stat, "Sum") == 0, any = false;
	size_t i;

	builtin_heads(s);
	for (i = 0; i < s->n_lbc && i < r->n_lbs; i++) {
		const struct panel_metrics_result *req, *e1, *e2, *lat;
		const char *name = r->lbs[i].name ? r->lbs[i].name : "?";
		if (!s->lbc[i].ok)
			continue;
		any = true;
		req = panel_metrics_find(s->lbc[i].res, s->lbc[i].n, "req");
		e1 = panel_metrics_find(s->lbc[i].res, s->lbc[i].n, "elb5xx");
		e2 = panel_metrics_find(s->lbc[i].res, s->lbc[i].n, "tgt5xx");
		lat = panel_metrics_find(s->lbc[i].res, s->lbc[i].n, "lat");
		if (req)
			chart_add(&s->charts[0], name, series_scaled(&req->series, sum ? 1.0 / s->period_s : 1.0));
		if (req && sum)
			chart_add(&s->charts[1], name, series_5xx(&req->series, e1 ? &e1->series : NULL,
								  e2 ? &e2->series : NULL));
		else if (e2)
			chart_add(&s->charts[1], name, series_scaled(&e2->series, 1.0));
		if (lat)
			chart_add(&s->charts[2], name, series_scaled(&lat->series, 1000.0));
	}
	for (i = 0; i < 3; i++) {
		s->chart_ok[i] = any || !s->lb_chart_error;
		s->charts[i].fetched_at = s->chart_ok[i] ? j->now : 0;
		if (s->lb_chart_error)
			s->charts[i].error = xstrdup(s->lb_chart_error);
	}
}

/* Apply the figures to the other panels' data. */
void panel_metrics_figures_apply(struct panel_job *j)
{
	struct model_region *r = panel_region(j);
	time_t now = j->now;
	size_t i;

	for (i = 0; i < r->n_lbs; i++) {
		struct model_lb *lb = &r->lbs[i];
		figures(mq_series(j, MQ_LB_REQ, lb->arn), mq_series(j, MQ_LB_ELB5XX, lb->arn),
			mq_series(j, MQ_LB_TGT5XX, lb->arn), mq_series(j, MQ_LB_P99, lb->arn), &lb->requests_per_s,
			&lb->http_5xx_pct, &lb->p99_ms, &lb->data_at);
		lb->period_s = 60;
		lb->metrics_at = now;
	}
	for (i = 0; i < r->n_tgs; i++) {
		struct model_tg *tg = &r->tgs[i];
		figures(mq_series(j, MQ_TG_REQ, tg->arn), mq_series(j, MQ_TG_5XX, tg->arn), NULL,
			mq_series(j, MQ_TG_P99, tg->arn), &tg->requests_per_s, &tg->http_5xx_pct, &tg->p99_ms,
			&tg->data_at);
		tg->period_s = 60;
		tg->metrics_at = now;
	}
	for (i = 0; i < r->n_dbs; i++) {
		const struct model_series *rl = mq_series(j, MQ_DB_READ, r->dbs[i].id);
		const struct model_series *g = mq_series(j, MQ_DB_LAG, r->dbs[i].id);
		r->dbs[i].read_latency_ms = rl ? series_last(rl, NULL) * 1000.0 : NAN;
		r->dbs[i].replica_lag_s = g ? series_last(g, NULL) : NAN;
		r->dbs[i].metrics_at = now;
	}
}

/* The groups' CPU into their forecasts' actual series. */
void panel_metrics_figures_apply_cpu(struct panel_job *j)
{
	struct metrics_stage *s = j->stage;
	struct model_region *r = panel_region(j);
	size_t i, f;

	for (i = 0; i < r->n_asgs; i++) {
		char id[16];
		const struct panel_metrics_result *pm;
		snprintf(id, sizeof(id), "ac%zu", i);
		pm = panel_metrics_find(s->cpu, s->n_cpu, id);
		for (f = 0; f < r->asgs[i].n_forecasts; f++) {
			series_clean_up(&r->asgs[i].forecasts[f].actual);
			r->asgs[i].forecasts[f].actual = series_scaled(pm ? &pm->series : NULL, 1.0);
		}
	}
}
