/* panel_metrics.c — the metrics panel: CloudWatch GetMetricData for the built-in figures of the
 * LB, RDS and ASG panels (in batches), one call per config chart and per metric target. */
#include "model/panel_metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/isotime.h"
#include "base/xalloc.h"
#include "model/collector.h"
#include "model/panel.h"

#define METRIC_BATCH 100        /* GetMetricData queries per call */

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
		for (k = 0; k < v[i].n_lines; k++) {
			free(v[i].lines[k].id);
			free(v[i].lines[k].label);
			series_clean_up(&v[i].lines[k].series);
		}
		free(v[i].lines);
	}
	free(v);
}

/* --- refreshing ---------------------------------------------------------------------- */

/* The calls of a refresh (rows of metrics_calls[]). */
enum { K_BUILTIN, K_CHART, K_TARGET, K_COUNT };

/* What a built-in metric query measures. */
enum mq_field { MQ_LB_REQ, MQ_LB_ELB5XX, MQ_LB_TGT5XX, MQ_LB_P99, MQ_TG_REQ, MQ_TG_5XX, MQ_TG_P99,
		MQ_DB_READ, MQ_DB_LAG, MQ_ASG_CPU };

/* One built-in query: its id in the request and what it measures. */
struct mq {
	char id[16];
	enum mq_field field;
	char *key;              /* LB/TG ARN, DB id or ASG name */
};

/* What a refresh stages before the swap. */
struct metrics_stage {
	struct mq *mq;
	size_t n_mq;
	struct panel_metrics_result *res;   /* the built-in queries' results */
	size_t n_res;
	bool have_builtin;
	struct model_chart *charts;         /* [0..2] built-in, then the config's */
	size_t n_charts;
	unsigned char *chart_ok;
	size_t *chart_panel;                /* config panel index of each config chart */
};

/* The dimension value of an ELBv2 ARN: "app/name/id" or "targetgroup/name/id". */
static const char *arn_dim(const char *arn, const char *marker)
{
	const char *p = arn ? strstr(arn, marker) : NULL;

	return p ? p + strlen(marker) : NULL;
}

/* Append one MetricStat query to a JSON list. */
static void add_metric_query(json_t *list, const char *id, const char *ns, const char *metric,
			     json_t *dims, int period_s, const char *stat, bool ret, const char *label)
{
	json_t *q = json_pack("{s:s, s:{s:{s:s, s:s, s:o}, s:i, s:s}, s:b}", "Id", id, "MetricStat", "Metric",
			      "Namespace", ns, "MetricName", metric, "Dimensions", dims, "Period", period_s,
			      "Stat", stat, "ReturnData", ret);

	if (label)
		json_object_set_new(q, "Label", json_string(label));
	json_array_append_new(list, q);
}

/* One dimension list [{Name, Value}] (two when name2 is set). */
static json_t *dims2(const char *name, const char *value, const char *name2, const char *value2)
{
	json_t *d = json_pack("[{s:s, s:s}]", "Name", name, "Value", value);

	if (name2)
		json_array_append_new(d, json_pack("{s:s, s:s}", "Name", name2, "Value", value2));
	return d;
}

/* Record a built-in query. */
static void mq_add(struct panel_job *j, json_t *list, enum mq_field f, const char *key, const char *prefix,
		   size_t i, const char *ns, const char *metric, json_t *dims, const char *stat)
{
	struct metrics_stage *s = j->stage;
	struct mq *q;

	s->mq = xrealloc(s->mq, (s->n_mq + 1) * sizeof(*s->mq));
	q = &s->mq[s->n_mq++];
	snprintf(q->id, sizeof(q->id), "%s%zu", prefix, i);
	q->field = f;
	q->key = xstrdup(key);
	add_metric_query(list, q->id, ns, metric, dims, 60, stat, true, NULL);
}

/* The GetMetricData input for queries over [end - range, end]. */
static json_t *mdata_input(json_t *queries, time_t end, int range_s)
{
	char s[ISOTIME_MAX], e[ISOTIME_MAX];

	isotime_format((double)(end - range_s), 0, s);
	isotime_format((double)end, 0, e);
	return json_pack("{s:o, s:s, s:s, s:s}", "MetricDataQueries", queries, "StartTime", s, "EndTime", e,
			 "ScanBy", "TimestampAscending");
}

/* The config queries of a panel or target as GetMetricData queries. */
static json_t *config_queries(const struct fd_config_query *qs, size_t n, const char *stat, int period_s)
{
	json_t *list = json_array();
	size_t i, d;

	for (i = 0; i < n; i++) {
		const struct fd_config_query *q = &qs[i];
		if (q->expression) {
			json_t *o = json_pack("{s:s, s:s, s:b}", "Id", q->id, "Expression", q->expression,
					      "ReturnData", q->return_data);
			if (q->label)
				json_object_set_new(o, "Label", json_string(q->label));
			json_array_append_new(list, o);
			continue;
		}
		{
			json_t *dims = json_array();
			for (d = 0; d < q->n_dims; d++)
				json_array_append_new(dims, json_pack("{s:s, s:s}", "Name", q->dims[d].name,
								      "Value", q->dims[d].value));
			add_metric_query(list, q->id, q->namespace_, q->metric, dims, period_s,
					 q->stat ? q->stat : stat, q->return_data, q->label);
		}
	}
	return list;
}

/* Does a config selector ("primary"/"dr"/"both"/NULL) include region index r? */
static bool region_selected(const char *sel, size_t r, bool default_both)
{
	if (!sel)
		return default_both || r == 0;
	if (strcmp(sel, "both") == 0)
		return true;
	return (strcmp(sel, "dr") == 0) == (r == 1);
}

/* Start: built-in queries in batches, one call per config panel and per metric target. */
static void start_metrics(struct panel_job *j)
{
	const struct fd_config *cfg = j->cfg;
	struct metrics_stage *s = j->stage;
	struct model_region *r = panel_region(j);
	time_t end = j->now / 60 * 60;
	json_t *list = json_array();
	int range_s = j->shared->metric_range_s;
	size_t i, batch = 0, n_panels = 0;

	for (i = 0; i < r->n_lbs; i++) {
		const char *dim = arn_dim(r->lbs[i].arn, ":loadbalancer/");
		if (!dim || strncmp(dim, "app/", 4) != 0)
			continue;
		mq_add(j, list, MQ_LB_REQ, r->lbs[i].arn, "lr", i, "AWS/ApplicationELB", "RequestCount",
		       dims2("LoadBalancer", dim, NULL, NULL), "Sum");
		mq_add(j, list, MQ_LB_ELB5XX, r->lbs[i].arn, "le", i, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count",
		       dims2("LoadBalancer", dim, NULL, NULL), "Sum");
		mq_add(j, list, MQ_LB_TGT5XX, r->lbs[i].arn, "lt", i, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
		       dims2("LoadBalancer", dim, NULL, NULL), "Sum");
		mq_add(j, list, MQ_LB_P99, r->lbs[i].arn, "lp", i, "AWS/ApplicationELB", "TargetResponseTime",
		       dims2("LoadBalancer", dim, NULL, NULL), "p99");
	}
	for (i = 0; i < r->n_tgs; i++) {
		const char *tg, *lb;
		tg = r->tgs[i].arn ? strstr(r->tgs[i].arn, "targetgroup/") : NULL;
		lb = r->tgs[i].n_lb_arns ? arn_dim(r->tgs[i].lb_arns[0], ":loadbalancer/") : NULL;
		if (!tg || !lb)
			continue;
		mq_add(j, list, MQ_TG_REQ, r->tgs[i].arn, "gr", i, "AWS/ApplicationELB", "RequestCount",
		       dims2("TargetGroup", tg, "LoadBalancer", lb), "Sum");
		mq_add(j, list, MQ_TG_5XX, r->tgs[i].arn, "gt", i, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
		       dims2("TargetGroup", tg, "LoadBalancer", lb), "Sum");
		mq_add(j, list, MQ_TG_P99, r->tgs[i].arn, "gp", i, "AWS/ApplicationELB", "TargetResponseTime",
		       dims2("TargetGroup", tg, "LoadBalancer", lb), "p99");
	}
	for (i = 0; i < r->n_dbs; i++) {
		mq_add(j, list, MQ_DB_READ, r->dbs[i].id, "dl", i, "AWS/RDS", "ReadLatency",
		       dims2("DBInstanceIdentifier", r->dbs[i].id, NULL, NULL), "Average");
		if (r->dbs[i].is_replica)
			mq_add(j, list, MQ_DB_LAG, r->dbs[i].id, "dg", i, "AWS/RDS", "ReplicaLag",
			       dims2("DBInstanceIdentifier", r->dbs[i].id, NULL, NULL), "Average");
	}
	for (i = 0; i < r->n_asgs; i++)
		if (r->asgs[i].n_forecasts)
			mq_add(j, list, MQ_ASG_CPU, r->asgs[i].name, "ac", i, "AWS/EC2", "CPUUtilization",
			       dims2("AutoScalingGroupName", r->asgs[i].name, NULL, NULL), "Average");
	/* send in batches */
	while (json_array_size(list)) {
		json_t *chunk = json_array();
		while (json_array_size(list) && json_array_size(chunk) < METRIC_BATCH) {
			json_array_append(chunk, json_array_get(list, 0));
			json_array_remove(list, 0);
		}
		collector_call(j, K_BUILTIN, mdata_input(chunk, end, range_s ? range_s : 3600), batch++, 0);
	}
	json_decref(list);
	for (i = 0; i < cfg->n_panels; i++)
		if (region_selected(cfg->panels[i].region, j->region, true))
			n_panels++;
	s->charts = xcalloc(n_panels + 4, sizeof(*s->charts));
	s->chart_ok = xcalloc(n_panels + 4, 1);
	s->chart_panel = xcalloc(n_panels + 4, sizeof(size_t));
	s->n_charts = 3;        /* built-in: requests/s, 5xx %, p99 */
	for (i = 0; i < cfg->n_panels; i++) {
		const struct fd_config_panel *p = &cfg->panels[i];
		struct model_chart *ch;
		if (!region_selected(p->region, j->region, true))
			continue;
		ch = &s->charts[s->n_charts];
		ch->title = xstrdup(p->title);
		ch->unit = xstrdup(p->unit ? p->unit : "");
		ch->stat = xstrdup(j->shared->metric_stat[0] ? j->shared->metric_stat : p->stat ? p->stat : "Average");
		ch->period_s = j->shared->metric_period_s ? j->shared->metric_period_s : p->period_s;
		ch->range_s = j->shared->metric_range_s ? j->shared->metric_range_s : p->range_s;
		s->chart_panel[s->n_charts] = i;
		collector_call(j, K_CHART,
			       mdata_input(config_queries(p->queries, p->n_queries, ch->stat, ch->period_s),
					   (j->now / ch->period_s) * ch->period_s, ch->range_s),
			       s->n_charts, 0);
		s->n_charts++;
	}
	for (i = 0; i < cfg->n_targets; i++) {
		const struct fd_config_target *t = &cfg->targets[i];
		if ((t->source != FD_TARGET_METRIC && t->source != FD_TARGET_EXPRESSION) ||
		    !region_selected(t->region, j->region, false))
			continue;
		collector_call(j, K_TARGET,
			       mdata_input(config_queries(t->queries, t->n_queries, t->stat ? t->stat : "Average",
							  t->period_s),
					   (j->now / t->period_s) * t->period_s, t->range_s),
			       i, 0);
	}
}

static void done_builtin(struct panel_job *j, size_t idx, size_t sub, json_t *res)
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
	s->res = xrealloc(s->res, (s->n_res + n + 1) * sizeof(*s->res));
	memcpy(s->res + s->n_res, v, n * sizeof(*v));
	s->n_res += n;
	free(v);
	s->have_builtin = true;
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
		return;
	}
	chart_lines(&s->charts[idx], v, n);
	s->charts[idx].fetched_at = j->now;
	s->chart_ok[idx] = 1;
	panel_metrics_results_free(v, n);
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

/* The series of the built-in query for (field, key), NULL when none. */
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

/* Put a built-in chart line for an LB. */
static void chart_add(struct model_chart *ch, const char *label, struct model_series s)
{
	struct model_line *l;

	ch->lines = xrealloc(ch->lines, (ch->n_lines + 1) * sizeof(*ch->lines));
	l = &ch->lines[ch->n_lines++];
	l->id = xstrdup(label);
	l->label = xstrdup(label);
	l->series = s;
}

/* Apply the built-in figures to the other panels' data and swap the charts in. */
static void finish_metrics(struct panel_job *j)
{
	struct metrics_stage *s = j->stage;
	struct model_region *r = panel_region(j);
	time_t now = j->now;
	size_t i, f, o;
	static const char *const titles[3] = { "requests/s", "5xx %", "p99 latency" };
	static const char *const units[3] = { "req/s", "%", "ms" };

	if (s->have_builtin) {
		for (i = 0; i < 3; i++) {
			s->charts[i].title = xstrdup(titles[i]);
			s->charts[i].unit = xstrdup(units[i]);
			s->charts[i].stat = xstrdup(i == 2 ? "p99" : "Sum");
			s->charts[i].period_s = 60;
			s->charts[i].range_s = j->shared->metric_range_s ? j->shared->metric_range_s : 3600;
			s->charts[i].fetched_at = now;
			s->chart_ok[i] = 1;
		}
		for (i = 0; i < r->n_lbs; i++) {
			struct model_lb *lb = &r->lbs[i];
			const struct model_series *req = mq_series(j, MQ_LB_REQ, lb->arn);
			const struct model_series *e1 = mq_series(j, MQ_LB_ELB5XX, lb->arn);
			const struct model_series *e2 = mq_series(j, MQ_LB_TGT5XX, lb->arn);
			const struct model_series *p = mq_series(j, MQ_LB_P99, lb->arn);
			figures(req, e1, e2, p, &lb->requests_per_s, &lb->http_5xx_pct, &lb->p99_ms, &lb->data_at);
			lb->period_s = 60;
			lb->metrics_at = now;
			if (req) {
				chart_add(&s->charts[0], lb->name, series_scaled(req, 1.0 / 60));
				chart_add(&s->charts[1], lb->name, series_5xx(req, e1, e2));
			}
			if (p)
				chart_add(&s->charts[2], lb->name, series_scaled(p, 1000.0));
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
		for (i = 0; i < r->n_asgs; i++) {
			const struct model_series *cpu = mq_series(j, MQ_ASG_CPU, r->asgs[i].name);
			for (f = 0; f < r->asgs[i].n_forecasts; f++) {
				series_clean_up(&r->asgs[i].forecasts[f].actual);
				r->asgs[i].forecasts[f].actual = series_scaled(cpu, 1.0);
			}
		}
	}
	/* charts: keep the old one where a refresh failed */
	for (i = 0; i < s->n_charts; i++) {
		if (s->chart_ok[i])
			continue;
		for (o = 0; o < r->n_charts; o++)
			if (panel_same(r->charts[o].title, i < 3 ? titles[i] : s->charts[i].title)) {
				struct model_chart t = s->charts[i];
				s->charts[i] = r->charts[o];
				r->charts[o] = t;
				break;
			}
		if (o == r->n_charts && i < 3) {
			s->charts[i].title = xstrdup(titles[i]);
			s->charts[i].unit = xstrdup(units[i]);
		}
	}
	panel_metrics_charts_free(r->charts, r->n_charts);
	r->charts = s->charts;
	r->n_charts = s->n_charts;
	s->charts = NULL;
	s->n_charts = 0;
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
	panel_metrics_charts_free(s->charts, s->n_charts);
	free(s->chart_ok);
	free(s->chart_panel);
}

/* Free a region's charts. */
static void model_part_clean_up(struct model *m, size_t region)
{
	struct model_region *r = &m->regions[region];

	panel_metrics_charts_free(r->charts, r->n_charts);
	r->charts = NULL;
	r->n_charts = 0;
}

static const struct panel_call metrics_calls[K_COUNT] = {
	[K_BUILTIN] = { "cloudwatch", "GetMetricData", 0, true, done_builtin, NULL },
	[K_CHART] = { "cloudwatch", "GetMetricData", 0, false, done_chart, NULL },
	[K_TARGET] = { "cloudwatch", "GetMetricData", 0, false, done_target, NULL },
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
	.start = start_metrics,
	.finish = finish_metrics,
	.stage_clean_up = stage_clean_up,
	.model_clean_up = model_part_clean_up,
};
