/* cloudwatch.c — the simulated CloudWatch (query protocol 2010-08-01):
 * GetMetricData with metric math, DescribeAlarms, DescribeAlarmHistory. */
#include "sim/service.h"

#include "base/isotime.h"
#include "base/xalloc.h"
#include "sim/alarms.h"
#include "sim/metricmath.h"
#include "sim/metrics.h"
#include "sim/svcstate.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_QUERIES 500
#define MAX_DATAPOINTS 100800   /* "with a total of as many as 100,800 data points" a call */
#define MAX_SAMPLES 1500000   /* model samples one request may compute (~1 s; percentiles count 4) */
#define HOUR_S 3600.0
#define DAY_S 86400.0

/* One MetricDataQuery as received, and what it evaluated to. */
struct query {
	char prefix[64];              /* MetricDataQueries.member.N */
	const char *id;
	const char *expression;
	const char *label;
	bool return_data;
	const char *ns, *metric, *stat, *unit;
	struct metrics_dim dims[30];
	size_t n_dims;
	int period_s;
	int state;                    /* 0 todo, 1 evaluating, 2 done */
	struct metricmath_value value;   /* a series on the grid (NAN = missing) */
	size_t dropped;
};

/* The evaluation of one GetMetricData call. */
struct gmd {
	struct sim_ctx *ctx;
	struct svcstate *st;
	const char *region;
	struct query *q;
	size_t n;
	double start_s, end_s;
	int grid_period_s;
};

static int eval_query(struct gmd *g, struct query *q, struct fd_error *err);

/* Is id a valid query id (a lower-case letter, then letters, digits, _)? */
static bool valid_id(const char *id)
{
	if (!islower((unsigned char)id[0]))
		return false;
	for (; *id; id++)
		if (!isalnum((unsigned char)*id) && *id != '_')
			return false;
	return true;
}

/* metricmath lookup: the value of the query called id. */
static int lookup(void *ctxp, const char *id, struct metricmath_value *out, struct fd_error *err)
{
	struct gmd *g = ctxp;

	for (size_t i = 0; i < g->n; i++) {
		if (strcmp(g->q[i].id, id) != 0)
			continue;
		if (eval_query(g, &g->q[i], err) < 0)
			return -1;
		metricmath_value_copy(out, &g->q[i].value);
		return 0;
	}
	return fd_error_set(err, "ValidationError", "Error in expression: Unrecognized identifier %s", id);
}

/* The grid of timestamps for a period: aligned to it, from start to end. */
static size_t grid(const struct gmd *g, int period_s, int64_t **ts)
{
	int64_t t0 = (int64_t)floor(g->start_s / period_s) * period_s, t;
	size_t n = 0;

	*ts = xmalloc(((size_t)((g->end_s - (double)t0) / period_s) + 2) * sizeof(**ts));
	for (t = t0; (double)t < g->end_s; t += period_s)
		(*ts)[n++] = t;
	return n;
}

/* Is a datapoint of period_s at ts_s still retained at that resolution at now_s?
 * "Data points with a period of less than 60 seconds are available for 3 hours ...
 * 60 seconds for 15 days ... 300 seconds for 63 days ... 3600 seconds for 455
 * days"; older data is kept aggregated, so a period must be a multiple of the
 * coarser resolution, "or no data points in that time range is returned". */
static bool retained(int64_t ts_s, int period_s, double now_s)
{
	double age = now_s - (double)ts_s;

	if (age < 3 * HOUR_S)
		return true;
	if (age < 15 * DAY_S)
		return period_s % 60 == 0;
	if (age < 63 * DAY_S)
		return period_s % 300 == 0;
	if (age < 455 * DAY_S)
		return period_s % 3600 == 0;
	return false;
}

/* Evaluate query q (once) into q->value. */
static int eval_query(struct gmd *g, struct query *q, struct fd_error *err)
{
	int64_t *ts;
	double *v;
	size_t n, i;

	if (q->state == 2)
		return 0;
	if (q->state == 1)
		return fd_error_set(err, "ValidationError", "Error in expression %s: Circular dependency", q->id);
	q->state = 1;
	if (q->expression) {
		if (metricmath_eval(q->expression, lookup, g, &q->value, &q->dropped, err) < 0) {
			const char *p = "Error in expression:";
			if (err && strncmp(err->message, p, strlen(p)) == 0) {
				char msg[sizeof(err->message)];
				snprintf(msg, sizeof(msg), "Error in expression %s:%s", q->id, err->message + strlen(p));
				snprintf(err->message, sizeof(err->message), "%s", msg);
			}
			q->state = 0;
			return -1;
		}
		q->value.period_s = 0;   /* an expression's result is no metric (PERIOD refuses it) */
		if (q->value.kind == METRICMATH_ARRAY) {
			metricmath_value_clean_up(&q->value);
			q->state = 0;
			return fd_error_set(err, "ValidationError",
					    "Error in expression %s: the expression returns an array of time series; "
					    "use SUM, AVG, MIN or MAX to make one", q->id);
		}
		if (q->value.kind == METRICMATH_SCALAR) {   /* a constant line over the graph */
			double x = q->value.scalar;
			n = grid(g, q->period_s ? q->period_s : g->grid_period_s, &ts);
			v = xmalloc((n + 1) * sizeof(*v));
			for (i = 0; i < n; i++)
				v[i] = x;
			metricmath_value_set_series(&q->value, n, ts, v);
			free(ts);
			free(v);
		}
	} else {
		struct metrics_ref ref;
		bool found = metrics_resolve(g->ctx->world, g->region, q->ns, q->metric, q->dims, q->n_dims, &ref);
		if (found && q->unit && strcmp(q->unit, ref.unit) != 0)
			found = false;   /* CloudWatch returns no data for another unit */
		n = grid(g, q->period_s, &ts);
		v = xmalloc((n + 1) * sizeof(*v));
		for (i = 0; i < n; i++)
			if (!found || !retained(ts[i], q->period_s, g->ctx->now_s) ||
			    !metrics_stat(g->st->traffic, &ref, q->stat, ts[i], q->period_s, g->ctx->now_s, &v[i]))
				v[i] = NAN;
		metricmath_value_set_series(&q->value, n, ts, v);
		q->value.period_s = q->period_s;   /* what PERIOD(q) answers */
		free(ts);
		free(v);
	}
	q->state = 2;
	return 0;
}

/* Read the queries of the request into g->q; -1 after writing an error. */
static int read_queries(struct gmd *g, json_t *in, struct sim_resp *resp)
{
	struct sim_ctx *ctx = g->ctx;
	json_t *qs = json_object_get(in, "MetricDataQueries");

	if (json_array_size(qs) > MAX_QUERIES)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "The collection MetricDataQueries must not have a size greater than %d.",
				 MAX_QUERIES), -1;
	g->q = xcalloc(MAX_QUERIES, sizeof(*g->q));
	for (g->n = 0; g->n < json_array_size(qs); g->n++) {
		json_t *qj = json_array_get(qs, g->n), *ms = json_object_get(qj, "MetricStat");
		json_t *metric = json_object_get(ms, "Metric"), *dims = json_object_get(metric, "Dimensions");
		json_t *pj = json_object_get(json_object_get(qj, "Expression") ? qj : ms, "Period");
		struct query *q = &g->q[g->n];
		bool v = json_is_integer(pj);
		snprintf(q->prefix, sizeof(q->prefix), "MetricDataQueries.member.%zu", g->n + 1);
		q->id = sim_in_str(qj, "Id");
		if (!q->id)
			return sim_error(ctx, resp, 400, "MissingParameter", "The parameter %s.Id is required.",
					 q->prefix), -1;
		if (!valid_id(q->id))
			return sim_error(ctx, resp, 400, "ValidationError",
					 "Invalid value '%s' for %s.Id: it must start with a lower-case letter and "
					 "hold only letters, digits and underscores.", q->id, q->prefix), -1;
		for (size_t j = 0; j < g->n; j++)
			if (strcmp(g->q[j].id, q->id) == 0)
				return sim_error(ctx, resp, 400, "ValidationError",
						 "The values for parameter id in MetricDataQueries are not unique."), -1;
		q->expression = sim_in_str(qj, "Expression");
		q->label = sim_in_str(qj, "Label");
		q->return_data = sim_in_bool(qj, "ReturnData", true);
		q->ns = sim_in_str(metric, "Namespace");
		q->metric = sim_in_str(metric, "MetricName");
		q->stat = sim_in_str(ms, "Stat");
		q->unit = sim_in_str(ms, "Unit");
		q->period_s = v ? (int)json_integer_value(pj) : 0;
		if (!q->expression == !q->ns)
			return sim_error(ctx, resp, 400, "ValidationError",
					 "Exactly one element of the MetricStat and Expression arrays must be "
					 "specified for %s.", q->prefix), -1;
		if (!q->expression) {
			if (!q->metric || !q->stat || !v)
				return sim_error(ctx, resp, 400, "MissingParameter",
						 "The parameters %s.MetricStat.Metric.MetricName, Period and Stat are required.",
						 q->prefix), -1;
			if (!metrics_stat_valid(q->stat))
				return sim_error(ctx, resp, 400, "ValidationError",
						 "The value %s for parameter %s.MetricStat.Stat is not a valid statistic.",
						 q->stat, q->prefix), -1;
			for (q->n_dims = 0; q->n_dims < 30 && q->n_dims < json_array_size(dims); q->n_dims++) {
				q->dims[q->n_dims].name = sim_in_str(json_array_get(dims, q->n_dims), "Name");
				q->dims[q->n_dims].value = sim_in_str(json_array_get(dims, q->n_dims), "Value");
			}
		}
		if (v && (q->period_s <= 0 || (q->period_s % 60 != 0 && q->period_s != 1 && q->period_s != 5 &&
						q->period_s != 10 && q->period_s != 20 && q->period_s != 30)))
			return sim_error(ctx, resp, 400, "ValidationError",
					 "The parameter %s.%sPeriod must be 1, 5, 10, 20, 30, or a multiple of 60.",
					 q->prefix, q->expression ? "" : "MetricStat."), -1;
		if (q->period_s > 0 && q->period_s < TRAFFIC_SAMPLE_S)
			q->period_s = TRAFFIC_SAMPLE_S;   /* the model's resolution */
		if (!q->expression && !g->grid_period_s)
			g->grid_period_s = q->period_s;
	}
	if (g->n == 0)
		return sim_error(ctx, resp, 400, "MissingParameter",
				 "The parameter MetricDataQueries is required."), -1;
	if (!g->grid_period_s)
		g->grid_period_s = 60;
	return 0;
}

/* GetMetricData. */
static int op_get_metric_data(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct gmd g = { .ctx = ctx, .region = ctx->region };
	const char *scan = sim_in_str(in, "ScanBy"), *token = sim_in_str(in, "NextToken");
	struct fd_error err;
	long max_points;
	size_t offset = 0, seen = 0, budget, i, total = 0, *order = NULL;
	double samples = 0;
	bool descending;
	json_t *results;

	if (!sim_in_require(ctx, resp, in, "StartTime", "MissingParameter") ||
	    !sim_in_require(ctx, resp, in, "EndTime", "MissingParameter"))
		return 0;
	g.st = svcstate_get(ctx->world);
	if (sim_in_time(in, "StartTime", &g.start_s) != 0 || sim_in_time(in, "EndTime", &g.end_s) != 0)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "The parameters StartTime and EndTime must be ISO 8601 timestamps.");
	if (g.start_s >= g.end_s)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "The parameter StartTime must be less than the parameter EndTime.");
	if (scan && strcmp(scan, "TimestampDescending") != 0 && strcmp(scan, "TimestampAscending") != 0)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "1 validation error detected: Value '%s' at 'scanBy' failed to satisfy constraint: "
				 "Member must satisfy enum value set: [TimestampDescending, TimestampAscending]", scan);
	descending = !scan || strcmp(scan, "TimestampDescending") == 0;
	max_points = json_is_integer(json_object_get(in, "MaxDatapoints")) ?
		     (long)json_integer_value(json_object_get(in, "MaxDatapoints")) : MAX_DATAPOINTS;
	if (max_points < 1 || max_points > MAX_DATAPOINTS)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "1 validation error detected: Value '%ld' at 'maxDatapoints' failed to satisfy "
				 "constraint: Member must have value %s %d", max_points,
				 max_points < 1 ? "greater than or equal to" : "less than or equal to",
				 max_points < 1 ? 1 : MAX_DATAPOINTS);
	if (token && sim_marker_decode(token, &offset) < 0)
		return sim_error(ctx, resp, 400, "InvalidNextToken", "The service couldn't process the NextToken.");
	if (read_queries(&g, in, resp) < 0)
		goto done;
	for (i = 0; i < g.n; i++)
		if (!g.q[i].expression)
			samples += (g.end_s - g.start_s) / TRAFFIC_SAMPLE_S * (g.q[i].stat[0] == 'p' ? 4 : 1);
	if (samples > MAX_SAMPLES) {   /* the simulator's own limit: every value is computed */
		sim_error(ctx, resp, 400, "ValidationError",
			  "The requested time range is too long for the simulator: %.0f samples of %d s "
			  "(limit %d); ask for fewer queries or a shorter range.", samples, TRAFFIC_SAMPLE_S, MAX_SAMPLES);
		goto done;
	}
	fd_error_clear(&err);
	for (i = 0; i < g.n; i++)
		if (g.q[i].return_data && eval_query(&g, &g.q[i], &err) < 0) {
			sim_error(ctx, resp, 400, err.code[0] ? err.code : "ValidationError", "%s", err.message);
			goto done;
		}
	/* page: datapoints [offset, offset + max_points) across the returned results */
	budget = (size_t)max_points;
	results = json_array();
	for (i = 0; i < g.n; i++) {
		struct query *q = &g.q[i];
		size_t npts = 0, k, first, last, j, c;
		json_t *r, *ts, *vs;
		if (!q->return_data)
			continue;
		for (k = 0; k < q->value.n; k++)
			npts += !isnan(q->value.v[k]);
		first = seen + npts <= offset ? npts : (offset > seen ? offset - seen : 0);
		last = first + budget < npts ? first + budget : npts;
		budget -= last - first;
		total += npts;
		order = xrealloc(order, (q->value.n + 1) * sizeof(*order));
		for (k = 0, c = 0; k < q->value.n; k++) {   /* present points in scan order */
			size_t kk = descending ? q->value.n - 1 - k : k;
			if (!isnan(q->value.v[kk]))
				order[c++] = kk;
		}
		ts = json_array();
		vs = json_array();
		for (j = first; j < last; j++) {   /* whole seconds, as CloudWatch writes them */
			json_array_append_new(ts, json_integer((json_int_t)q->value.ts[order[j]]));
			json_array_append_new(vs, json_real(q->value.v[order[j]]));
		}
		r = json_pack("{s:s, s:s, s:o, s:o, s:s}", "Id", q->id,
			      "Label", q->label ? q->label : q->expression ? q->id : q->metric, "Timestamps", ts,
			      "Values", vs, "StatusCode", last < npts ? "PartialData" : "Complete");
		if (q->dropped)
			json_object_set_new(r, "Messages", json_pack("[{s:s, s:s}]", "Code", "ArithmeticError",
				"Value", "One or more data points have been dropped due to non-numeric values "
				"(NaN, -Infinite, +Infinite)"));
		json_array_append_new(results, r);
		seen += npts;
	}
	*out = json_pack("{s:o, s:[]}", "MetricDataResults", results, "Messages");
	if (offset + (size_t)max_points < total) {
		char next[32];
		sim_marker_encode(offset + (size_t)max_points, next);
		json_object_set_new(*out, "NextToken", json_string(next));
	}
done:
	free(order);
	for (i = 0; i < g.n; i++)
		metricmath_value_clean_up(&g.q[i].value);
	free(g.q);
	return 0;
}

/* One MetricAlarm. */
static json_t *alarm_json(const struct alarm *al)
{
	json_t *dims = json_array(), *o;

	for (size_t d = 0; d < al->n_dims; d++)
		json_array_append_new(dims, json_pack("{s:s, s:s}", "Name", al->dim_names[d], "Value", al->dim_values[d]));
	/* no StateTransitionedTimestamp: botocore's model of MetricAlarm has none (newer APIs do) */
	o = json_pack("{s:s, s:s, s:o, s:b, s:[], s:[], s:[], s:s, s:s, s:o, s:s, s:s, s:o, s:i, s:i, s:i,"
		      " s:f, s:s, s:s}",
		      "AlarmName", al->name, "AlarmArn", al->arn,
		      "AlarmConfigurationUpdatedTimestamp", sim_out_time(al->config_updated_s), "ActionsEnabled", 1,
		      "OKActions", "AlarmActions", "InsufficientDataActions", "StateValue", al->state,
		      "StateReason", al->reason, "StateUpdatedTimestamp", sim_out_time(al->state_updated_s),
		      "MetricName", al->metric, "Namespace", al->ns, "Dimensions", dims, "Period", al->period_s,
		      "EvaluationPeriods", al->evaluation_periods, "DatapointsToAlarm", al->datapoints_to_alarm,
		      "Threshold", al->threshold, "ComparisonOperator", al->comparison,
		      "TreatMissingData", al->treat_missing);
	sim_out_set(o, "AlarmDescription", al->description);
	if (al->reason_data[0])
		json_object_set_new(o, "StateReasonData", json_string(al->reason_data));
	json_object_set_new(o, al->stat[0] == 'p' ? "ExtendedStatistic" : "Statistic", json_string(al->stat));
	return o;
}

/* Is v one of the n strings of list (true when n is 0)? */
static bool in_list(const char *v, const char *const *list, size_t n)
{
	if (n == 0)
		return true;
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], v) == 0)
			return true;
	return false;
}

/* DescribeAlarms. */
static int op_describe_alarms(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct svcstate *st = svcstate_get(ctx->world);
	const char *names[100], *types[2], *prefix = sim_in_str(in, "AlarmNamePrefix");
	const char *state = sim_in_str(in, "StateValue"), *token = sim_in_str(in, "NextToken");
	const char *action_prefix = sim_in_str(in, "ActionPrefix");
	const char *children = sim_in_str(in, "ChildrenOfAlarmName"), *parents = sim_in_str(in, "ParentsOfAlarmName");
	size_t n_names = sim_in_strs(in, "AlarmNames", names, 100);
	size_t n_types = sim_in_strs(in, "AlarmTypes", types, 2);
	struct sim_pager pg;
	long max;
	bool metric_alarms = in_list("MetricAlarm", types, n_types);
	json_t *list;

	if (sim_in_int(ctx, resp, in, "MaxRecords", 1, 100, sim_page_default(ctx->world, "DescribeAlarms"), &max) < 0)
		return 0;
	if (n_names && prefix)
		return sim_error(ctx, resp, 400, "InvalidParameterCombination",
				 "AlarmNamePrefix and AlarmNames cannot be specified together.");
	if (state && strcmp(state, "OK") != 0 && strcmp(state, "ALARM") != 0 && strcmp(state, "INSUFFICIENT_DATA") != 0)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "1 validation error detected: Value '%s' at 'stateValue' failed to satisfy constraint: "
				 "Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]", state);
	/* "If you specify ChildrenOfAlarmName [ParentsOfAlarmName], you cannot specify any other
	 * parameters in the request except for MaxRecords and NextToken." */
	if ((children || parents) && (n_names || n_types || prefix || state || action_prefix || (children && parents)))
		return sim_error(ctx, resp, 400, "ValidationError",
				 "%s cannot be specified with any parameter other than MaxRecords and NextToken.",
				 children ? "ChildrenOfAlarmName" : "ParentsOfAlarmName");
	/* the sim's alarms have no actions and no composite alarm: nothing has an action with
	 * the prefix, a metric alarm has no children and no composite alarm is a parent */
	if (children || parents || action_prefix)
		metric_alarms = false;
	memset(&pg, 0, sizeof(pg));
	if (token && sim_marker_decode(token, &pg.start) < 0)
		return sim_error(ctx, resp, 400, "InvalidNextToken", "The service couldn't process the NextToken.");
	pg.size = (size_t)max;
	list = json_array();
	*out = json_pack("{s:o, s:[]}", "MetricAlarms", list, "CompositeAlarms");
	for (size_t i = 0; metric_alarms && i < st->alarms->n; i++) {
		const struct alarm *al = &st->alarms->items[i];
		if (strcmp(al->region, ctx->region) != 0 || !in_list(al->name, names, n_names) ||
		    (prefix && strncmp(al->name, prefix, strlen(prefix)) != 0) ||
		    (state && strcmp(al->state, state) != 0))
			continue;
		if (!sim_pager_take(&pg))
			continue;
		json_array_append_new(list, alarm_json(al));
	}
	sim_out_token(*out, &pg, "NextToken");
	return 0;
}

/* DescribeAlarmHistory. */
static int op_describe_alarm_history(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct svcstate *st = svcstate_get(ctx->world);
	const struct alarms *a = st->alarms;
	const char *name = sim_in_str(in, "AlarmName"), *type = sim_in_str(in, "HistoryItemType");
	const char *scan = sim_in_str(in, "ScanBy"), *token = sim_in_str(in, "NextToken"), *types[2];
	size_t n_types = sim_in_strs(in, "AlarmTypes", types, 2);
	struct sim_pager pg;
	double start_s = 0, end_s = INFINITY;
	long max;
	bool ascending = scan && strcmp(scan, "TimestampAscending") == 0;
	json_t *list;

	if (sim_in_int(ctx, resp, in, "MaxRecords", 1, 100, sim_page_default(ctx->world, "DescribeAlarmHistory"), &max) < 0)
		return 0;
	if (sim_in_time(in, "StartDate", &start_s) < 0 || sim_in_time(in, "EndDate", &end_s) < 0)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "The parameters StartDate and EndDate must be ISO 8601 timestamps.");
	if (type && strcmp(type, "StateUpdate") != 0 && strcmp(type, "ConfigurationUpdate") != 0 &&
	    strcmp(type, "Action") != 0 && strcmp(type, "AlarmContributorStateUpdate") != 0 &&
	    strcmp(type, "AlarmContributorAction") != 0)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "1 validation error detected: Value '%s' at 'historyItemType' failed to satisfy "
				 "constraint: Member must satisfy enum value set: [ConfigurationUpdate, StateUpdate, "
				 "Action, AlarmContributorStateUpdate, AlarmContributorAction]", type);
	memset(&pg, 0, sizeof(pg));
	if (token && sim_marker_decode(token, &pg.start) < 0)
		return sim_error(ctx, resp, 400, "InvalidNextToken", "The service couldn't process the NextToken.");
	pg.size = (size_t)max;
	list = json_array();
	*out = json_pack("{s:o}", "AlarmHistoryItems", list);
	for (size_t k = 0; in_list("MetricAlarm", types, n_types) && k < a->n_history; k++) {
		const struct alarm_history *h = &a->history[ascending ? k : a->n_history - 1 - k];
		const struct alarm *al = &a->items[h->alarm];
		if (strcmp(al->region, ctx->region) != 0 || (name && strcmp(al->name, name) != 0) ||
		    (type && strcmp(h->type, type) != 0) || h->t_s < start_s || h->t_s > end_s)
			continue;
		if (!sim_pager_take(&pg))
			continue;
		json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:s, s:s, s:s}", "AlarmName", al->name,
						      "AlarmType", "MetricAlarm", "Timestamp", sim_out_time(h->t_s),
						      "HistoryItemType", h->type, "HistorySummary", h->summary,
						      "HistoryData", h->data));
	}
	sim_out_token(*out, &pg, "NextToken");
	return 0;
}

static const struct sim_shaped_op cloudwatch_ops[] = {
	{ .name = "GetMetricData", .fn = op_get_metric_data },
	{ .name = "DescribeAlarms", .fn = op_describe_alarms },
	{ .name = "DescribeAlarmHistory", .fn = op_describe_alarm_history },
	{ .name = NULL },
};

int sim_cloudwatch_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	sim_services_tick(ctx->world);
	return sim_dispatch_shaped(ctx, req, resp, cloudwatch_ops);
}
