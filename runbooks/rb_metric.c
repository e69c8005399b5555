/* rb_metric.c — which CloudWatch datapoints a runbook may judge (see rb_metric.h). */
#include "runbooks/rb_metric.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/isotime.h"
#include "base/xalloc.h"

int rb_metric_period_ok(long period_s)
{
	return period_s == 1 || period_s == 5 || period_s == 10 || period_s == 30 ||
	       (period_s >= 60 && period_s % 60 == 0);
}

long rb_metric_min_window_ms(long period_s, long delay_ms)
{
	return 2 * period_s * 1000 + delay_ms;
}

/* The first period boundary at or after ms (in s). */
static int64_t align_up_s(int64_t ms, long period_s)
{
	int64_t s = (ms + 999) / 1000;

	return (s + period_s - 1) / period_s * period_s;
}

/* Whether a query returns data (ReturnData absent or true). */
static int returns_data(json_t *q)
{
	json_t *rd = json_object_get(q, "ReturnData");

	return !rd || json_is_true(rd);
}

json_t *rb_metric_input(json_t *queries, const struct rb_metric_window *w, struct fd_error *err)
{
	json_t *qs = json_array(), *q;
	char start[ISOTIME_MAX], end[ISOTIME_MAX];
	int64_t from_s = w->since_ms / 1000 / w->period_s * w->period_s;
	int64_t to_s = align_up_s(w->now_ms, w->period_s);
	size_t i;

	if (!json_is_array(queries) || json_array_size(queries) == 0) {
		json_decref(qs);
		fd_error_set(err, "InvalidRunbook", "queries must be a list of MetricDataQueries");
		return NULL;
	}
	if (to_s <= from_s)
		to_s = from_s + w->period_s;
	json_array_foreach(queries, i, q) {
		json_t *c, *ms;
		if (!json_is_object(q) || !json_is_string(json_object_get(q, "Id"))) {
			json_decref(qs);
			fd_error_set(err, "InvalidRunbook", "queries[%zu] needs an Id", i);
			return NULL;
		}
		c = json_deep_copy(q);
		ms = json_object_get(c, "MetricStat");
		if (ms) {
			if (json_object_get(ms, "Period")) {
				json_decref(c);
				json_decref(qs);
				fd_error_set(err, "InvalidRunbook",
					     "queries[%zu] (%s): the metric action sets Period from its period input",
					     i, json_string_value(json_object_get(q, "Id")));
				return NULL;
			}
			json_object_set_new(ms, "Period", json_integer(w->period_s));
		}
		json_array_append_new(qs, c);
	}
	return json_pack("{s:s,s:s,s:s,s:o}", "StartTime", isotime_format((double)from_s, 0, start),
			 "EndTime", isotime_format((double)to_s, 0, end), "ScanBy", "TimestampDescending",
			 "MetricDataQueries", qs);
}

/* The result of query id in a GetMetricData answer, or NULL. */
static json_t *result_of(json_t *result, const char *id)
{
	json_t *r;
	size_t i;

	json_array_foreach(json_object_get(result, "MetricDataResults"), i, r)
		if (json_is_string(json_object_get(r, "Id")) &&
		    strcmp(json_string_value(json_object_get(r, "Id")), id) == 0)
			return r;
	return NULL;
}

/* A timestamp (ISO 8601 or epoch seconds) in epoch seconds; -1 if malformed. */
static int64_t stamp_s(json_t *t)
{
	double v;

	if (json_is_number(t))
		return (int64_t)json_number_value(t);
	if (json_is_string(t) && isotime_parse_or_epoch(json_string_value(t), &v) == 0)
		return (int64_t)v;
	return -1;
}

/* Sort helper: ascending by "t". */
static int by_time(const void *a, const void *b)
{
	int64_t x = json_integer_value(json_object_get(*(json_t *const *)a, "t"));
	int64_t y = json_integer_value(json_object_get(*(json_t *const *)b, "t"));

	return (x > y) - (x < y);
}

json_t *rb_metric_complete(json_t *result, json_t *queries, const struct rb_metric_window *w,
			   struct fd_error *err)
{
	int64_t first_s = align_up_s(w->since_ms, w->period_s);
	json_t *byt = json_object(), *q, *out, *v;
	json_t **rows;
	const char *k;
	size_t i, j, nids = 0, n = 0;

	json_array_foreach(queries, i, q) {
		const char *id = json_string_value(json_object_get(q, "Id"));
		json_t *res, *ts, *vals;
		const char *code;
		if (!id || !returns_data(q))
			continue;
		nids++;
		res = result_of(result, id);
		if (!res) {
			json_decref(byt);
			fd_error_set(err, "MetricError", "GetMetricData returned no result for query %s", id);
			return NULL;
		}
		code = json_string_value(json_object_get(res, "StatusCode"));
		if (code && strcmp(code, "Complete") != 0 && strcmp(code, "PartialData") != 0) {
			json_decref(byt);
			fd_error_set(err, "MetricError", "query %s: StatusCode %s", id, code);
			return NULL;
		}
		ts = json_object_get(res, "Timestamps");
		vals = json_object_get(res, "Values");
		for (j = 0; j < json_array_size(ts) && j < json_array_size(vals); j++) {
			int64_t t = stamp_s(json_array_get(ts, j));
			char key[32];
			json_t *row;
			if (t < 0 || !json_is_number(json_array_get(vals, j)))
				continue;
			/* whole period inside the window, and published */
			if (t < first_s || (t + w->period_s) * 1000 + w->delay_ms > w->now_ms)
				continue;
			snprintf(key, sizeof(key), "%lld", (long long)t);
			row = json_object_get(byt, key);
			if (!row) {
				row = json_object();
				json_object_set_new(byt, key, row);
			}
			json_object_set(row, id, json_array_get(vals, j));
		}
	}
	rows = xcalloc(json_object_size(byt) + 1, sizeof(*rows));
	json_object_foreach(byt, k, v) {
		char at[ISOTIME_MAX];
		int64_t t = strtoll(k, NULL, 10);
		if (json_object_size(v) != nids)
			continue;   /* one of the queries has no value then: not complete */
		isotime_format((double)t, 0, at);
		rows[n++] = json_pack("{s:I,s:s,s:O}", "t", (json_int_t)t, "at", at + 11, "values", v);
	}
	qsort(rows, n, sizeof(*rows), by_time);
	out = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(out, rows[i]);
	free(rows);
	json_decref(byt);
	return out;
}
