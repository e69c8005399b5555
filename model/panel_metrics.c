/* panel_metrics.c — the metrics panel: CloudWatch GetMetricData for the built-in figures of the
 * LB, RDS and ASG panels (in batches), one call per config chart and per metric target.
 * Here: parsing, the result handlers, the swap and the panel's row; the calls are built
 * in panel_metrics_query.c, figures and built-in charts derived in panel_metrics_figures.c. */
#include "model/panel_metrics_impl.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "model/collector.h"

/* Parse GetMetricData. */
int panel_metrics_parse(const json_t *res, struct panel_metrics_result **out, size_t *n, struct fd_error *err)
{
	const json_t *arr, *e;
	struct panel_metrics_result *v;
	bool bad = false;
	size_t i;

	if (panel_need_object(res, "GetMetricData", err))
		return -1;
	arr = panel_list(res, "MetricDataResults", &bad);
	if (bad)
		return panel_shape_error(err, "GetMetricData", "MetricDataResults is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		v[i].id = panel_str(e, "Id");
		v[i].label = panel_str(e, "Label");
		series_from_json(json_object_get(e, "Timestamps"), json_object_get(e, "Values"), &v[i].series);
	}
	*out = v;
	*n = json_array_size(arr);
	return 0;
}

/* Free metric results. */
void panel_metrics_results_free(struct panel_metrics_result *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].label);
		series_clean_up(&v[i].series);
	}
	free(v);
}

/* Find a metric result by id. */
const struct panel_metrics_result *panel_metrics_find(const struct panel_metrics_result *v, size_t n, const char *id)
{
	size_t i;

	for (i = 0; id && i < n; i++)
		if (v[i].id && strcmp(v[i].id, id) == 0)
			return &v[i];
	return NULL;
}

/* --- freeing ------------------------------------------------------------------------- */

/* Free charts. */
void panel_metrics_charts_free(struct model_chart *v, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		free(v[i].title);
		free(v[i].unit);
		free(v[i].stat);
		free(v[i].error);
		for (k = 0; k < v[i].n_lines; k++) {
			free(v[i].lines[k].id);
			free(v[i].lines[k].label);
			series_clean_up(&v[i].lines[k].series);
		}
		free(v[i].lines);
	}
	free(v);
}

/* Free an alarm chart (it is empty afterwards). */
void panel_metrics_alarm_chart_clean_up(struct model_alarm_chart *c)
{
	free(c->alarm);
	free(c->error);
	series_clean_up(&c->series);
	memset(c, 0, sizeof(*c));
}

/* The period that fits the datapoint limit (see panel_metrics.h). */
int panel_metrics_period(size_t n_queries, int range_s, int want_s)
{
	/* CloudWatch periods for regular metrics are multiples of 60 */
	static const int ladder[] = { 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400 };
	int p = want_s < 60 ? 60 : (want_s + 59) / 60 * 60;
	size_t k;

	for (k = 0; k < sizeof(ladder) / sizeof(ladder[0]); k++) {
		if ((double)n_queries * range_s / p <= PANEL_METRICS_MAX_POINTS)
			return p;
		if (ladder[k] > p)
			p = ladder[k];
	}
	return p;
}

/* --- refreshing ---------------------------------------------------------------------- */

/* Append parsed results to an array (taking them). */
static void results_take(struct panel_metrics_result **into, size_t *n, struct panel_metrics_result *v, size_t k)
{
	*into = xrealloc(*into, (*n + k + 1) * sizeof(**into));
	memcpy(*into + *n, v, k * sizeof(*v));
	*n += k;
	free(v);
}

static void done_figures(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct metrics_stage *s = j->stage;
	struct panel_metrics_result *v;
	size_t n;
	struct fd_error e;

	(void)idx;
	(void)sub;
	if (panel_metrics_parse(res, &v, &n, &e)) {
		collector_job_error(j, &e, true);
		return;
	}
	results_take(&s->res, &s->n_res, v, n);
	s->have_figures = true;
}

static void done_lb_chart(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct metrics_stage *s = j->stage;
	struct fd_error e;

	(void)sub;
	if (panel_metrics_parse(res, &s->lbc[idx].res, &s->lbc[idx].n, &e)) {
		collector_job_error(j, &e, false);
		free(s->lb_chart_error);
		s->lb_chart_error = xstrdup(e.message);
		return;
	}
	s->lbc[idx].ok = true;
}

static void done_cpu(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct metrics_stage *s = j->stage;
	struct fd_error e;

	(void)idx;
	(void)sub;
	if (panel_metrics_parse(res, &s->cpu, &s->n_cpu, &e))
		collector_job_error(j, &e, false);
	else
		s->have_cpu = true;
}

/* The lines of a chart from parsed results (returned queries, in order). */
static void chart_lines(struct model_chart *ch, struct panel_metrics_result *v, size_t n)
{
	size_t i;

	ch->lines = xcalloc(n + 1, sizeof(*ch->lines));
	for (i = 0; i < n; i++) {
		struct model_line *l = &ch->lines[ch->n_lines++];
		l->id = v[i].id;
		l->label = v[i].label ? v[i].label : xstrdup(v[i].id ? v[i].id : "?");
		l->series = v[i].series;
		v[i].id = v[i].label = NULL;
		memset(&v[i].series, 0, sizeof(v[i].series));
	}
}

static void done_chart(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct metrics_stage *s = j->stage;
	struct panel_metrics_result *v;
	size_t n;
	struct fd_error e;

	(void)sub;
	if (panel_metrics_parse(res, &v, &n, &e)) {
		collector_job_error(j, &e, false);
		free(s->charts[idx].error);
		s->charts[idx].error = xstrdup(e.message);
		return;
	}
	chart_lines(&s->charts[idx], v, n);
	s->charts[idx].fetched_at = j->now;
	s->chart_ok[idx] = 1;
	panel_metrics_results_free(v, n);
}

/* A chart call failed: remember why for its title. */
static void failed_chart(struct panel_job *j, size_t idx, size_t sub)
{
	struct metrics_stage *s = j->stage;

	(void)sub;
	free(s->charts[idx].error);
	s->charts[idx].error = xstrdup(j->failure ? j->failure->message : "the call failed");
}

static void failed_lb_chart(struct panel_job *j, size_t idx, size_t sub)
{
	struct metrics_stage *s = j->stage;

	(void)idx;
	(void)sub;
	free(s->lb_chart_error);
	s->lb_chart_error = xstrdup(j->failure ? j->failure->message : "the call failed");
}

static void done_target(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	const struct fd_config_target *t = &j->cfg->targets[idx];
	struct panel_target_series *ts = &j->shared->target_series[idx];
	struct panel_metrics_result *v;
	size_t n, i, q;
	struct fd_error e;

	(void)sub;
	if (panel_metrics_parse(res, &v, &n, &e)) {
		collector_job_error(j, &e, false);
		return;
	}
	for (i = 0; i < ts->n; i++)
		series_clean_up(&ts->series[i]);
	free(ts->series);
	ts->series = xcalloc(t->n_queries + 1, sizeof(*ts->series));
	ts->n = 0;
	for (q = 0; q < t->n_queries; q++) {
		const struct panel_metrics_result *pm;
		if (!t->queries[q].return_data)
			continue;
		pm = panel_metrics_find(v, n, t->queries[q].id);
		if (pm) {
			ts->series[ts->n] = pm->series;
			memset((void *)&pm->series, 0, sizeof(pm->series));
		}
		ts->n++;
	}
	ts->fetched = true;
	panel_metrics_results_free(v, n);
}

static void done_alarm(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct metrics_stage *s = j->stage;
	struct panel_metrics_result *v;
	size_t n, i;
	struct fd_error e;

	(void)idx;
	(void)sub;
	if (panel_metrics_parse(res, &v, &n, &e)) {
		collector_job_error(j, &e, false);
		s->alarm.error = xstrdup(e.message);
		return;
	}
	for (i = 0; i < n; i++)
		if (v[i].series.n || i + 1 == n) {
			s->alarm.series = v[i].series;
			memset(&v[i].series, 0, sizeof(v[i].series));
			break;
		}
	s->alarm.fetched_at = j->now;
	panel_metrics_results_free(v, n);
}

static void failed_alarm(struct panel_job *j, size_t idx, size_t sub)
{
	struct metrics_stage *s = j->stage;

	(void)idx;
	(void)sub;
	free(s->alarm.error);
	s->alarm.error = xstrdup(j->failure ? j->failure->message : "the call failed");
}

/* Does an old chart show the same thing as a staged one? */
static bool same_chart(const struct model_chart *a, const struct model_chart *b)
{
	return a->kind == b->kind && (a->kind != MODEL_CHART_CONFIG || panel_same(a->title, b->title));
}

/* Swap the figures, charts and the alarm's chart in; a chart whose refresh failed
 * keeps its old lines and age, with the reason. */
static void finish_metrics(struct panel_job *j)
{
	struct metrics_stage *s = j->stage;
	struct model_region *r = panel_region(j);
	size_t i, o;

	if (s->have_figures)
		panel_metrics_figures_apply(j);
	if (s->have_cpu)
		panel_metrics_figures_apply_cpu(j);
	panel_metrics_figures_charts(j);
	for (i = 0; i < s->n_charts; i++) {
		if (s->chart_ok[i] && !s->charts[i].error)
			continue;
		for (o = 0; o < r->n_charts; o++)
			if (same_chart(&r->charts[o], &s->charts[i]) && r->charts[o].n_lines) {
				struct model_chart *a = &s->charts[i], *b = &r->charts[o];
				struct model_line *l = a->lines;
				size_t n = a->n_lines;
				a->lines = b->lines;
				a->n_lines = b->n_lines;
				a->fetched_at = b->fetched_at;
				b->lines = l;
				b->n_lines = n;
				break;
			}
	}
	panel_metrics_charts_free(r->charts, r->n_charts);
	r->charts = s->charts;
	r->n_charts = s->n_charts;
	s->charts = NULL;
	s->n_charts = 0;
	if (s->alarm_asked) {
		if (!s->alarm.fetched_at && panel_same(r->alarm_chart.alarm, s->alarm.alarm)) {
			/* keep what was read, with the reason it could not be read again */
			struct model_series keep = r->alarm_chart.series;
			time_t at = r->alarm_chart.fetched_at;
			memset(&r->alarm_chart.series, 0, sizeof(keep));
			series_clean_up(&s->alarm.series);
			s->alarm.series = keep;
			s->alarm.fetched_at = at;
		}
		panel_metrics_alarm_chart_clean_up(&r->alarm_chart);
		r->alarm_chart = s->alarm;
		memset(&s->alarm, 0, sizeof(s->alarm));
	} else if (!j->shared->focus_alarm) {
		panel_metrics_alarm_chart_clean_up(&r->alarm_chart);
	}
}

/* Free what a refresh staged. */
static void stage_clean_up(void *stage)
{
	struct metrics_stage *s = stage;
	size_t i;

	for (i = 0; i < s->n_mq; i++)
		free(s->mq[i].key);
	free(s->mq);
	panel_metrics_results_free(s->res, s->n_res);
	for (i = 0; i < s->n_lbc; i++)
		panel_metrics_results_free(s->lbc[i].res, s->lbc[i].n);
	free(s->lbc);
	free(s->lb_chart_error);
	panel_metrics_results_free(s->cpu, s->n_cpu);
	panel_metrics_charts_free(s->charts, s->n_charts);
	free(s->chart_ok);
	panel_metrics_alarm_chart_clean_up(&s->alarm);
}

/* Free a region's charts. */
static void model_part_clean_up(struct model *m, size_t region)
{
	struct model_region *r = &m->regions[region];

	panel_metrics_charts_free(r->charts, r->n_charts);
	r->charts = NULL;
	r->n_charts = 0;
	panel_metrics_alarm_chart_clean_up(&r->alarm_chart);
}

/* When CloudWatch can answer differently (the panel's next_due). Regular metrics are
 * one-minute data published once a minute, and every window this panel asks for ends
 * on a minute boundary (or a longer period's), so the same window asked again can only
 * differ while its newest minute has not been published yet. Caught up — each
 * namespace of the figures (ALB, RDS) that has datapoints has one for the window's
 * newest minute — the next refresh is due once the next minute can have been
 * published: its end plus PANEL_CW_PUBLISH_S. Until then (CloudWatch is late, or a
 * series is sparse) it is due at the interval, as every other panel. */
static time_t metrics_next_due(const struct panel_job *j, time_t now, int interval_s)
{
	const struct metrics_stage *s = j->stage;
	time_t newest[2] = { 0, 0 };
	bool any[2] = { false, false };
	size_t i, g;

	if (!s->have_figures || !s->end)
		return now + interval_s;
	for (i = 0; i < s->n_mq; i++) {
		const struct panel_metrics_result *pm = panel_metrics_find(s->res, s->n_res, s->mq[i].id);
		time_t at;
		g = s->mq[i].field >= MQ_DB_READ;
		if (!pm || !pm->series.n)
			continue;
		series_last(&pm->series, &at);
		any[g] = true;
		if (at > newest[g])
			newest[g] = at;
	}
	if (!any[0] && !any[1])
		return now + interval_s;
	for (g = 0; g < 2; g++)
		if (any[g] && newest[g] < s->end - 60)
			return now + interval_s;
	return panel_cw_next(s->end - 60);   /* the window's newest minute starts at end - 60 */
}

static const struct panel_call metrics_calls[K_COUNT] = {
	[K_FIGURES] = { "cloudwatch", "GetMetricData", 0, true, done_figures, NULL },
	[K_LB_CHART] = { "cloudwatch", "GetMetricData", 0, false, done_lb_chart, failed_lb_chart },
	[K_CPU] = { "cloudwatch", "GetMetricData", 0, false, done_cpu, NULL },
	[K_CHART] = { "cloudwatch", "GetMetricData", 0, false, done_chart, failed_chart },
	[K_TARGET] = { "cloudwatch", "GetMetricData", 0, false, done_target, NULL },
	[K_ALARM] = { "cloudwatch", "GetMetricData", 0, false, done_alarm, failed_alarm },
};

const struct panel_def panel_metrics_def = {
	.panel = MODEL_PANEL_METRICS,
	.name = "metrics",
	.interval_mult = 1,
	/* its queries name the resources these panels found */
	.after = PANEL_BIT(MODEL_PANEL_LB) | PANEL_BIT(MODEL_PANEL_RDS) | PANEL_BIT(MODEL_PANEL_ASG),
	.calls = metrics_calls,
	.n_calls = K_COUNT,
	.stage_size = sizeof(struct metrics_stage),
	.start = panel_metrics_query_start,
	.finish = finish_metrics,
	.stage_clean_up = stage_clean_up,
	.model_clean_up = model_part_clean_up,
	.next_due = metrics_next_due,
};
