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

/* The calls of a refresh (rows of metrics_calls[]). */
enum { K_FIGURES, K_LB_CHART, K_CPU, K_CHART, K_TARGET, K_ALARM, K_COUNT };

#define FIGURES_RANGE_S 1200    /* the figures need the newest complete minutes only */
#define METRIC_BATCH 100        /* queries per figures call (GetMetricData takes up to 500) */

/* What a figure query measures. */
enum mq_field { MQ_LB_REQ, MQ_LB_ELB5XX, MQ_LB_TGT5XX, MQ_LB_P99, MQ_TG_REQ, MQ_TG_5XX, MQ_TG_P99,
		MQ_DB_READ, MQ_DB_LAG };

/* One figure query: its id in the request and what it measures. */
struct mq {
	char id[16];
	enum mq_field field;
	char *key;              /* LB/TG ARN or DB id */
};

/* One built-in chart call's results (per load balancer). */
struct lb_chart {
	struct panel_metrics_result *res;
	size_t n;
	bool ok;
};

/* What a refresh stages before the swap. */
struct metrics_stage {
	struct mq *mq;
	size_t n_mq;
	struct panel_metrics_result *res;   /* the figure queries' results */
	size_t n_res;
	bool have_figures;
	struct lb_chart *lbc;               /* per load balancer */
	size_t n_lbc;
	char *lb_chart_error;               /* why a built-in chart call failed */
	struct panel_metrics_result *cpu;   /* ASG CPU for the forecasts */
	size_t n_cpu;
	bool have_cpu;
	const char *stat;                   /* the built-in charts' statistic ("" : Sum / p99) */
	int period_s, range_s;              /* the built-in charts' */
	struct model_chart *charts;         /* [0..2] built-in, then the config's */
	size_t n_charts;
	unsigned char *chart_ok;
	struct model_alarm_chart alarm;     /* the opened alarm's metric */
	bool alarm_asked;
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

/* Record a figure query. */
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

/* Queue the figure queries of the region's LBs, TGs and DBs, in batches. */
static void start_figures(struct panel_job *j, time_t end)
{
	struct model_region *r = panel_region(j);
	json_t *list = json_array();
	size_t i, batch = 0;

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
		/* Maximum: the worst lag of the minute; -1 (not replicating) only when it
		 * stopped for the whole minute, StatusInfos tells it sooner (model/replication.h) */
		if (r->dbs[i].is_replica)
			mq_add(j, list, MQ_DB_LAG, r->dbs[i].id, "dg", i, "AWS/RDS", "ReplicaLag",
			       dims2("DBInstanceIdentifier", r->dbs[i].id, NULL, NULL), "Maximum");
	}
	while (json_array_size(list)) {
		json_t *chunk = json_array();
		while (json_array_size(list) && json_array_size(chunk) < METRIC_BATCH) {
			json_array_append(chunk, json_array_get(list, 0));
			json_array_remove(list, 0);
		}
		collector_call(j, K_FIGURES, mdata_input(chunk, end, FIGURES_RANGE_S), batch++, 0);
	}
	json_decref(list);
}

/* Queue the built-in charts: one call per ALB (requests, 5xx, latency with the view's
 * statistic and period), and the groups' CPU for the forecasts. */
static void start_builtin_charts(struct panel_job *j, time_t now)
{
	struct metrics_stage *s = j->stage;
	struct model_region *r = panel_region(j);
	const char *stat = j->shared->metric_stat;
	json_t *cpu = json_array();
	size_t i;

	s->stat = stat;
	s->range_s = j->shared->metric_range_s ? j->shared->metric_range_s : 3600;
	s->period_s = panel_metrics_period(4, s->range_s, j->shared->metric_period_s ? j->shared->metric_period_s : 60);
	s->lbc = xcalloc(r->n_lbs + 1, sizeof(*s->lbc));
	s->n_lbc = r->n_lbs;
	for (i = 0; i < r->n_lbs; i++) {
		const char *dim = arn_dim(r->lbs[i].arn, ":loadbalancer/");
		json_t *q = json_array();
		if (!dim || strncmp(dim, "app/", 4) != 0) {
			json_decref(q);
			continue;
		}
		add_metric_query(q, "req", "AWS/ApplicationELB", "RequestCount", dims2("LoadBalancer", dim, NULL, NULL),
				 s->period_s, *stat ? stat : "Sum", true, NULL);
		add_metric_query(q, "elb5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count",
				 dims2("LoadBalancer", dim, NULL, NULL), s->period_s, *stat ? stat : "Sum", true, NULL);
		add_metric_query(q, "tgt5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
				 dims2("LoadBalancer", dim, NULL, NULL), s->period_s, *stat ? stat : "Sum", true, NULL);
		add_metric_query(q, "lat", "AWS/ApplicationELB", "TargetResponseTime", dims2("LoadBalancer", dim, NULL, NULL),
				 s->period_s, *stat ? stat : "p99", true, NULL);
		collector_call(j, K_LB_CHART, mdata_input(q, now / s->period_s * s->period_s, s->range_s), i, 0);
	}
	for (i = 0; i < r->n_asgs; i++)
		if (r->asgs[i].n_forecasts) {
			char id[16];
			snprintf(id, sizeof(id), "ac%zu", i);
			add_metric_query(cpu, id, "AWS/EC2", "CPUUtilization",
					 dims2("AutoScalingGroupName", r->asgs[i].name, NULL, NULL), 0, "Average", true, NULL);
		}
	if (json_array_size(cpu)) {
		int p = panel_metrics_period(json_array_size(cpu), s->range_s, 60);
		json_t *q;
		size_t k;
		json_array_foreach(cpu, k, q)
			json_object_set_new(json_object_get(q, "MetricStat"), "Period", json_integer(p));
		collector_call(j, K_CPU, mdata_input(cpu, now / p * p, s->range_s), 0, 0);
	} else {
		json_decref(cpu);
	}
}

/* Queue the opened alarm's metric, when it is of this region. */
static void start_alarm(struct panel_job *j, time_t now)
{
	struct metrics_stage *s = j->stage;
	struct model_region *r = panel_region(j);
	const struct model_alarm *a = NULL;
	json_t *q;
	size_t i;
	int range;

	if (!j->shared->focus_alarm || j->shared->focus_region != j->region)
		return;
	s->alarm_asked = true;
	s->alarm.alarm = xstrdup(j->shared->focus_alarm);
	for (i = 0; i < r->n_alarms && !a; i++)
		if (panel_same(r->alarms[i].name, j->shared->focus_alarm))
			a = &r->alarms[i];
	if (!a || !a->queries || !(q = json_loads(a->queries, 0, NULL))) {
		s->alarm.error = xstrdup(!a ? "the alarm is not in this region's list"
					    : a->composite ? "a composite alarm has no metric of its own"
							   : "the alarm names no metric to read");
		return;
	}
	s->alarm.period_s = a->period_s > 0 ? a->period_s : 60;
	/* three hours, or ten evaluation windows when they are longer */
	range = a->evaluation_periods * s->alarm.period_s * 10;
	s->alarm.range_s = range > 3 * 3600 ? (range > 86400 ? 86400 : range) : 3 * 3600;
	collector_call(j, K_ALARM, mdata_input(q, now / 60 * 60, s->alarm.range_s), 0, 0);
}

/* Start: figures, the built-in charts, one call per config panel, per metric target, the opened alarm. */
static void start_metrics(struct panel_job *j)
{
	const struct fd_config *cfg = j->cfg;
	struct metrics_stage *s = j->stage;
	time_t end = j->now / 60 * 60;
	size_t i, n_panels = 0;

	start_figures(j, end);
	start_builtin_charts(j, j->now);
	for (i = 0; i < cfg->n_panels; i++)
		if (region_selected(cfg->panels[i].region, j->region, true))
			n_panels++;
	s->charts = xcalloc(n_panels + 4, sizeof(*s->charts));
	s->chart_ok = xcalloc(n_panels + 4, 1);
	s->n_charts = 3;        /* built-in: requests, 5xx, latency */
	for (i = 0; i < cfg->n_panels; i++) {
		const struct fd_config_panel *p = &cfg->panels[i];
		struct model_chart *ch;
		if (!region_selected(p->region, j->region, true))
			continue;
		ch = &s->charts[s->n_charts];
		ch->kind = MODEL_CHART_CONFIG;
		ch->title = xstrdup(p->title);
		ch->unit = xstrdup(p->unit ? p->unit : "");
		ch->stat = xstrdup(j->shared->metric_stat[0] ? j->shared->metric_stat : p->stat ? p->stat : "Average");
		ch->range_s = j->shared->metric_range_s ? j->shared->metric_range_s : p->range_s;
		ch->period_s = panel_metrics_period(p->n_queries, ch->range_s,
						    j->shared->metric_period_s ? j->shared->metric_period_s : p->period_s);
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
	start_alarm(j, j->now);
}

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
static void builtin_charts(struct panel_job *j)
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
static void apply_figures(struct panel_job *j)
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
static void apply_cpu(struct panel_job *j)
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
		apply_figures(j);
	if (s->have_cpu)
		apply_cpu(j);
	builtin_charts(j);
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
	.start = start_metrics,
	.finish = finish_metrics,
	.stage_clean_up = stage_clean_up,
	.model_clean_up = model_part_clean_up,
};
