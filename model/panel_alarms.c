/* panel_alarms.c — the CloudWatch alarms panel: alarms and their last day of state changes. */
#include "model/panel_alarms.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/isotime.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "model/collector.h"
#include "model/panel.h"


/* Order alarms: ALARM first, then by name. */
static int alarm_cmp(const void *a, const void *b)
{
	const struct model_alarm *x = a, *y = b;
	int ax = x->state && strcmp(x->state, "ALARM") == 0;
	int ay = y->state && strcmp(y->state, "ALARM") == 0;

	if (ax != ay)
		return ay - ax;
	return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

/* Dimensions as "Name=Value, ..." (NULL when none). */
static char *dims_text(const json_t *dims)
{
	struct strbuf sb;
	const json_t *d;
	size_t i;

	if (!json_is_array(dims) || !json_array_size(dims))
		return NULL;
	strbuf_init(&sb);
	json_array_foreach(dims, i, d)
		strbuf_addf(&sb, "%s%s=%s", i ? ", " : "", panel_cstr(d, "Name") ? panel_cstr(d, "Name") : "?",
			    panel_cstr(d, "Value") ? panel_cstr(d, "Value") : "?");
	return strbuf_detach(&sb, NULL);
}

/* The GetMetricData queries that compute what the alarm watches, as JSON text: its
 * Metrics (metric math) as they are, or one MetricStat of its metric; NULL for a
 * composite alarm. */
static char *alarm_queries(const json_t *e, const struct model_alarm *a)
{
	json_t *q, *dims;
	char *text;

	if (json_is_array(json_object_get(e, "Metrics")) && json_array_size(json_object_get(e, "Metrics")))
		return json_dumps(json_object_get(e, "Metrics"), JSON_COMPACT);
	if (!a->metric || !a->namespace_ || !a->statistic || a->period_s <= 0)
		return NULL;
	dims = json_object_get(e, "Dimensions");
	dims = json_is_array(dims) ? json_incref(dims) : json_array();
	q = json_pack("[{s:s, s:{s:{s:s, s:s, s:o}, s:i, s:s}, s:b}]", "Id", "m", "MetricStat", "Metric", "Namespace",
		      a->namespace_, "MetricName", a->metric, "Dimensions", dims, "Period", a->period_s, "Stat",
		      a->statistic, "ReturnData", 1);
	if (json_object_get(e, "Unit"))
		json_object_set(json_object_get(json_array_get(q, 0), "MetricStat"), "Unit", json_object_get(e, "Unit"));
	text = q ? json_dumps(q, JSON_COMPACT) : NULL;
	json_decref(q);
	return text;
}

/* Fill one alarm from a MetricAlarms / CompositeAlarms entry. */
static void alarm_from(struct model_alarm *a, const json_t *e, bool composite, time_t now)
{
	a->name = panel_str(e, "AlarmName");
	a->state = panel_str(e, "StateValue");
	a->reason = panel_str(e, "StateReason");
	a->since = a->updated = panel_time(e, "StateUpdatedTimestamp");
	if (json_object_get(e, "StateTransitionedTimestamp"))
		a->since = panel_time(e, "StateTransitionedTimestamp");
	a->namespace_ = panel_str(e, "Namespace");
	a->metric = panel_str(e, "MetricName");
	a->description = panel_str(e, "AlarmDescription");
	a->composite = composite;
	a->statistic = panel_str(e, json_object_get(e, "ExtendedStatistic") ? "ExtendedStatistic" : "Statistic");
	a->period_s = panel_int(e, "Period", 0);
	a->evaluation_periods = panel_int(e, "EvaluationPeriods", 0);
	a->datapoints_to_alarm = panel_int(e, "DatapointsToAlarm", 0);
	a->threshold = panel_num(e, "Threshold", NAN);
	a->comparison = panel_str(e, "ComparisonOperator");
	a->treat_missing = panel_str(e, "TreatMissingData");
	a->rule = panel_str(e, "AlarmRule");
	a->dimensions = dims_text(json_object_get(e, "Dimensions"));
	a->queries = alarm_queries(e, a);
	a->fetched_at = now;
}

/* Parse DescribeAlarms (metric and composite alarms). */
int panel_alarms_parse(const json_t *res, time_t now, struct model_alarm **out, size_t *n,
		 struct fd_error *err)
{
	const json_t *ma, *ca, *e;
	struct model_alarm *v;
	bool bad = false;
	size_t i, k = 0;

	if (panel_need_object(res, "DescribeAlarms", err))
		return -1;
	ma = panel_list(res, "MetricAlarms", &bad);
	ca = panel_list(res, "CompositeAlarms", &bad);
	if (bad)
		return panel_shape_error(err, "DescribeAlarms", "MetricAlarms/CompositeAlarms is not a list");
	v = xcalloc(json_array_size(ma) + json_array_size(ca) + 1, sizeof(*v));
	json_array_foreach(ma, i, e)
		alarm_from(&v[k++], e, false, now);
	json_array_foreach(ca, i, e)
		alarm_from(&v[k++], e, true, now);
	qsort(v, k, sizeof(*v), alarm_cmp);
	*out = v;
	*n = k;
	return 0;
}

/* Parse DescribeAlarmHistory into the alarms it names. */
int panel_alarms_parse_history(const json_t *res, struct model_alarm *v, size_t n, struct fd_error *err)
{
	const json_t *arr, *e;
	bool bad = false, *seen;
	size_t i, a;

	if (panel_need_object(res, "DescribeAlarmHistory", err))
		return -1;
	arr = panel_list(res, "AlarmHistoryItems", &bad);
	if (bad)
		return panel_shape_error(err, "DescribeAlarmHistory", "AlarmHistoryItems is not a list");
	seen = xcalloc(n + 1, sizeof(*seen));
	json_array_foreach(arr, i, e) {
		const char *name = panel_cstr(e, "AlarmName");
		struct model_alarm_event *ev;
		json_t *data;
		for (a = 0; a < n; a++)
			if (name && v[a].name && strcmp(v[a].name, name) == 0)
				break;
		if (a == n)
			continue;
		if (!seen[a]) {
			panel_alarms_events_free(v[a].history, v[a].n_history);
			v[a].history = NULL;
			v[a].n_history = 0;
			seen[a] = true;
		}
		v[a].history = xrealloc(v[a].history, (v[a].n_history + 1) * sizeof(*ev));
		ev = &v[a].history[v[a].n_history++];
		memset(ev, 0, sizeof(*ev));
		ev->at = panel_time(e, "Timestamp");
		ev->type = panel_str(e, "HistoryItemType");
		ev->summary = panel_str(e, "HistorySummary");
		data = panel_cstr(e, "HistoryData") ? json_loads(panel_cstr(e, "HistoryData"), 0, NULL) : NULL;
		if (data) {
			ev->old_state = panel_str(json_object_get(data, "oldState"), "stateValue");
			ev->new_state = panel_str(json_object_get(data, "newState"), "stateValue");
			json_decref(data);
		}
	}
	/* newest first */
	for (a = 0; a < n; a++) {
		size_t x, y;
		for (x = 1; seen[a] && x < v[a].n_history; x++) {
			struct model_alarm_event t = v[a].history[x];
			for (y = x; y > 0 && v[a].history[y - 1].at < t.at; y--)
				v[a].history[y] = v[a].history[y - 1];
			v[a].history[y] = t;
		}
	}
	free(seen);
	return 0;
}

/* --- freeing ------------------------------------------------------------------------- */

/* Free alarm history events. */
void panel_alarms_events_free(struct model_alarm_event *v, size_t n)
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
void panel_alarms_free(struct model_alarm *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].state);
		free(v[i].reason);
		free(v[i].namespace_);
		free(v[i].metric);
		free(v[i].description);
		free(v[i].statistic);
		free(v[i].comparison);
		free(v[i].treat_missing);
		free(v[i].dimensions);
		free(v[i].queries);
		free(v[i].rule);
		panel_alarms_events_free(v[i].history, v[i].n_history);
	}
	free(v);
}

/* --- refreshing ---------------------------------------------------------------------- */

/* The calls of a refresh (rows of alarms_calls[]). */
enum { K_ALARMS, K_HISTORY, K_COUNT };

/* What a refresh stages before the swap. */
struct alarms_stage {
	struct model_alarm *alarms;
	size_t n_alarms;
	bool have_alarms;
	json_t *history;                /* DescribeAlarmHistory, parsed at the swap */
};

/* Start: every alarm; the last day of state updates follows when it can have changed. */
static void start_alarms(struct panel_job *j)
{
	collector_call(j, K_ALARMS, json_pack("{s:[s,s]}", "AlarmTypes", "MetricAlarm", "CompositeAlarm"), 0, 0);
}

/* Can the history differ from the model's? A state update writes a history item, and
 * DescribeAlarms tells when each alarm's state was last updated: the history is read
 * again when an alarm updated in the last day has no item that recent in the model (or
 * is new), and every HISTORY_REFRESH_S for the day's window to move on. */
#define HISTORY_REFRESH_S 600
static bool history_wanted(const struct panel_job *j, const struct alarms_stage *s)
{
	const struct model_region *r = panel_region(j);
	size_t i, o;

	if (!r->alarms_history_at || j->now - r->alarms_history_at >= HISTORY_REFRESH_S)
		return true;
	for (i = 0; i < s->n_alarms; i++) {
		const struct model_alarm *a = &s->alarms[i];
		if (!a->updated || a->updated < j->now - 24 * 3600)
			continue;
		for (o = 0; o < r->n_alarms; o++)
			if (panel_same(r->alarms[o].name, a->name))
				break;
		if (o == r->n_alarms || !r->alarms[o].n_history || r->alarms[o].history[0].at < a->updated)
			return true;
	}
	return false;
}

static void done_alarms(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct alarms_stage *s = j->stage;
	struct fd_error e;

	(void)idx;
	(void)sub;
	char start[ISOTIME_MAX];

	if (panel_alarms_parse(res, j->now, &s->alarms, &s->n_alarms, &e)) {
		collector_job_error(j, &e, true);
		return;
	}
	s->have_alarms = true;
	if (!history_wanted(j, s))
		return;         /* the model's history is kept at the swap */
	isotime_format((double)(j->now - 24 * 3600), 0, start);
	collector_call(j, K_HISTORY, json_pack("{s:s, s:s, s:i}", "HistoryItemType", "StateUpdate", "StartDate",
					       start, "MaxRecords", 100), 0, 0);
}

static void done_history(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct alarms_stage *s = j->stage;

	(void)idx;
	(void)sub;
	s->history = json_incref(res);
}

/* Swap alarms in with their history (old history kept when it failed). */
static void finish_alarms(struct panel_job *j)
{
	struct alarms_stage *s = j->stage;
	struct model_region *r = panel_region(j);
	struct fd_error e;
	size_t i, o;

	if (!s->have_alarms)
		return;
	if (s->history && panel_alarms_parse_history(s->history, s->alarms, s->n_alarms, &e))
		collector_job_error(j, &e, false);
	else if (s->history)
		r->alarms_history_at = j->now;
	if (!s->history)
		for (i = 0; i < s->n_alarms; i++)
			for (o = 0; o < r->n_alarms; o++)
				if (panel_same(s->alarms[i].name, r->alarms[o].name) && !s->alarms[i].history) {
					s->alarms[i].history = r->alarms[o].history;
					s->alarms[i].n_history = r->alarms[o].n_history;
					r->alarms[o].history = NULL;
					r->alarms[o].n_history = 0;
				}
	panel_alarms_free(r->alarms, r->n_alarms);
	r->alarms = s->alarms;
	r->n_alarms = s->n_alarms;
	s->alarms = NULL;
	s->n_alarms = 0;
}

/* Free what a refresh staged. */
static void stage_clean_up(void *stage)
{
	struct alarms_stage *s = stage;

	panel_alarms_free(s->alarms, s->n_alarms);
	json_decref(s->history);
}

/* Free a region's alarms. */
static void model_part_clean_up(struct model *m, size_t region)
{
	struct model_region *r = &m->regions[region];

	panel_alarms_free(r->alarms, r->n_alarms);
	r->alarms = NULL;
	r->n_alarms = 0;
}

static const struct panel_call alarms_calls[K_COUNT] = {
	[K_ALARMS] = { "cloudwatch", "DescribeAlarms", CLIENT_ALL_PAGES, true, done_alarms, NULL },
	[K_HISTORY] = { "cloudwatch", "DescribeAlarmHistory", 0, false, done_history, NULL },
};

const struct panel_def panel_alarms_def = {
	.panel = MODEL_PANEL_ALARMS,
	.name = "alarms",
	.interval_mult = 1,
	.calls = alarms_calls,
	.n_calls = K_COUNT,
	.stage_size = sizeof(struct alarms_stage),
	.start = start_alarms,
	.finish = finish_alarms,
	.stage_clean_up = stage_clean_up,
	.model_clean_up = model_part_clean_up,
};
