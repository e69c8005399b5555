/* panel_metrics_query.c — the metrics panel's GetMetricData calls: the figure queries of
 * the region's LBs, TGs and DBs (in batches), the built-in charts per ALB, the groups'
 * CPU, one call per config chart and metric target, and the opened alarm's metric. */
#include "model/panel_metrics_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/isotime.h"
#include "base/xalloc.h"
#include "model/collector.h"

#define FIGURES_RANGE_S 1200    /* the figures need the newest complete minutes only */
#define METRIC_BATCH 100        /* queries per figures call (GetMetricData takes up to 500) */

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

	snprintf(s->stat, sizeof(s->stat), "%s", stat);
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
void panel_metrics_query_start(struct panel_job *j)
{
	const struct fd_config *cfg = j->cfg;
	struct metrics_stage *s = j->stage;
	time_t end = j->now / 60 * 60;
	size_t i, n_panels = 0;

	s->end = end;
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
