/* rb_watch.c — the metric action: the latest complete CloudWatch datapoints judged now, or
 * every one in a watch window (the arithmetic: rb_metric.c). */
#include "runbooks/rb_run_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runbooks/rb_metric.h"

/* The metric step's window: period, publishing delay, and the periods that count. */
static struct rb_metric_window metric_window(struct rb_run *r)
{
	struct rb_metric_window w = {
		.period_s = (long)rb_input_number(r, "period", RB_METRIC_PERIOD_S),
		.delay_ms = rb_input_duration_ms(r, "delay", RB_METRIC_DELAY_MS),
		.now_ms = rb_run_now_ms(r),
	};

	/* a watch judges the periods inside it; a check now, the recent ones */
	w.since_ms = r->window_end_ms ? rb_run_cur_state(r)->started_ms :
		w.now_ms - w.delay_ms - 3 * w.period_s * 1000;
	return w;
}

/* "rate 0.0312, p99 0.21" for a complete datapoint's values. */
static void metric_values_text(json_t *row, char *out, size_t size)
{
	const char *k;
	json_t *v;
	size_t off = 0;

	out[0] = '\0';
	json_object_foreach(json_object_get(row, "values"), k, v)
		if (off < size)
			off += (size_t)snprintf(out + off, size - off, "%s%s %.4g", off ? ", " : "", k, json_number_value(v));
}

/* Judge every complete datapoint not judged yet; false when one breaches (the step failed). */
static bool metric_judge(struct rb_run *r, json_t *rows)
{
	const struct rb_step *st = rb_run_cur_step(r);
	struct fd_error err;
	json_t *row, *v;
	size_t i;

	json_array_foreach(rows, i, row) {
		int64_t t = json_integer_value(json_object_get(row, "t"));
		char text[300];
		bool holds;
		/* a watch judges every complete datapoint in it; a check now, the latest */
		if (t <= r->judged_t || (!r->window_end_ms && i + 1 < json_array_size(rows)))
			continue;
		v = rb_input_jq(r, "condition", json_string_value(json_object_get(st->inputs, "condition")),
			    json_object_get(row, "values"), &err);
		if (!v) {
			rb_outcome_fail(r, err.code, "condition: %s", err.message);
			return false;
		}
		holds = rb_jq_truthy(v);
		json_decref(v);
		r->judged_t = t;
		json_decref(r->metric_last);
		r->metric_last = json_incref(row);
		metric_values_text(row, text, sizeof(text));
		if (!holds) {
			const char *m = rb_input_str(r, "message");
			rb_outcome_fail(r, "MetricBreach", "%s: %s at %s (%ld-s period)", m ? m : "the metric check failed", text,
				  json_string_value(json_object_get(row, "at")), (long)rb_input_number(r, "period", RB_METRIC_PERIOD_S));
			return false;
		}
		rb_log_say(r, "  %s at %s: holds", text, json_string_value(json_object_get(row, "at")));
	}
	return true;
}

/* metric: the latest complete datapoints of GetMetricData queries, judged by a
 * condition — now, or every one whose period lies in a `for` window; no data is
 * never a pass unless on_no_data says so. */
bool rb_watch_act(struct rb_run *r)
{
	struct rb_metric_window w;
	struct fd_error err;
	json_t *input, *rows;
	const char *nd = rb_input_str(r, "on_no_data") ? rb_input_str(r, "on_no_data") : "fail";
	long interval_ms;

	switch (r->phase) {
	case PH_BEGIN:
		if (rb_input_str(r, "for") && r->opts.plan && r->plan_changed) {
			rb_outcome_plan_skip(r, "it watches the effect of an earlier change");
			return true;
		}
		r->judged_t = 0;
		if (rb_input_str(r, "for") && !r->opts.plan) {
			r->window_end_ms = rb_run_now_ms(r) + rb_input_duration_ms(r, "for", 0);
			rb_log_say(r, "  watching for %s: every complete %ld-s datapoint (published %.0f s after its period)",
			    rb_input_str(r, "for"), (long)rb_input_number(r, "period", RB_METRIC_PERIOD_S),
			    (double)rb_input_duration_ms(r, "delay", RB_METRIC_DELAY_MS) / 1000.0);
		}
		if (strcmp(nd, "wait") == 0 && !r->deadline_ms)
			r->deadline_ms = rb_run_now_ms(r) + 600000;
		/* fall through */
	case PH_ACT:
		w = metric_window(r);
		if (!(input = rb_metric_input(json_object_get(r->in, "queries"), &w, &err))) {
			rb_outcome_fail(r, err.code, "%s", err.message);
			return true;
		}
		rb_call_start(r, "cloudwatch", "GetMetricData", rb_call_region(r, r->in), input, PH_ACT_WAIT);
		json_decref(input);
		return true;
	case PH_ACT_WAIT:
		if (!r->call_done)
			return false;
		if (rb_call_retry_read(r, PH_ACT))
			return true;
		if (r->call_failed) {
			rb_outcome_fail(r, r->call_err.code, "cloudwatch GetMetricData: %s: %s", r->call_err.code, r->call_err.message);
			return true;
		}
		w = metric_window(r);
		if (!(rows = rb_metric_complete(r->result, json_object_get(r->in, "queries"), &w, &err))) {
			rb_outcome_fail(r, err.code, "%s", err.message);
			return true;
		}
		if (!metric_judge(r, rows)) {
			json_decref(rows);
			return true;
		}
		json_decref(rows);
		interval_ms = rb_input_duration_ms(r, "interval", w.period_s < 30 ? w.period_s * 1000 : 30000);
		if (r->window_end_ms && w.now_ms < r->window_end_ms) {
			r->due_ms = w.now_ms + interval_ms;
			if (r->due_ms > r->window_end_ms)
				r->due_ms = r->window_end_ms;
			r->phase = PH_TIMER;
			r->timer_next = PH_ACT;
			return true;
		}
		if (r->metric_last) {
			rb_outcome_succeed(r, r->metric_last);
			return true;
		}
		if (strcmp(nd, "pass") == 0) {
			rb_log_say(r, "  no data: no complete datapoint; on_no_data: pass");
			rb_outcome_succeed(r, NULL);
		} else if (strcmp(nd, "wait") == 0 && !r->opts.plan) {
			if (!r->said_waiting)
				rb_log_say(r, "  no data yet; on_no_data: wait (checking every %.1f s)", (double)interval_ms / 1000.0);
			r->said_waiting = true;
			r->due_ms = w.now_ms + interval_ms;
			r->phase = PH_TIMER;
			r->timer_next = PH_ACT;
		} else
			rb_outcome_fail(r, "NoData", "no data: no complete %ld-s datapoint %s (published %.0f s after its period)%s",
				  w.period_s, r->window_end_ms ? "in the watch window" : "in the last periods",
				  (double)w.delay_ms / 1000.0, strcmp(nd, "wait") == 0 ? "; the run would wait for one" : "");
		return true;
	default:
		return false;
	}
}

/* A metric step's input as given by the parameters: a number (period, s) or a
 * duration (ms); -2 when it depends on more than the parameters, -1 when malformed. */
static long window_input(struct rb_run *r, const struct rb_step *st, const char *key, long def, bool duration)
{
	json_t *v = json_object_get(st->inputs, key), *e;
	struct fd_error err;
	long out = -1;

	if (!v)
		return def;
	if (!(e = rb_input_expand(r, v, &err)))
		return -2;
	if (duration && json_is_string(e))
		out = rb_parse_duration_ms(json_string_value(e));
	else if (json_is_number(e))
		out = (long)json_number_value(e) * (duration ? 1000 : 1);
	else if (!duration && json_is_string(e) && *json_string_value(e)) {
		char *end;
		out = strtol(json_string_value(e), &end, 10);
		if (*end)
			out = -1;
	}
	json_decref(e);
	return out;
}

/* Every metric watch of the runbook, with these parameters: a CloudWatch period,
 * and a window of at least two periods plus the publishing delay. */
int rb_watch_check_windows(struct rb_run *r, struct fd_error *err)
{
	size_t i;

	for (i = 0; i < r->rb->nsteps + r->rb->nrollback; i++) {
		const struct rb_step *st = i < r->rb->nsteps ? &r->rb->steps[i] : &r->rb->rollback[i - r->rb->nsteps];
		long period_s, delay_ms, for_ms;
		if (st->action->kind != RB_ACTION_METRIC)
			continue;
		period_s = window_input(r, st, "period", RB_METRIC_PERIOD_S, false);
		delay_ms = window_input(r, st, "delay", RB_METRIC_DELAY_MS, true);
		for_ms = window_input(r, st, "for", 0, true);
		if (period_s == -1 || (period_s > 0 && !rb_metric_period_ok(period_s)))
			return fd_error_set(err, "InvalidParameter", "%s:%d: step '%s': the period must be 1, 5, 10, 30 "
					    "or a multiple of 60 seconds", rb_step_file(r->rb, st), st->line, st->name);
		if (delay_ms == -1 || for_ms == -1)
			return fd_error_set(err, "InvalidParameter", "%s:%d: step '%s': %s is not a duration (like 30s, 5m)",
					    rb_step_file(r->rb, st), st->line, st->name, delay_ms == -1 ? "delay" : "for");
		if (period_s > 0 && delay_ms >= 0 && for_ms > 0 && for_ms < rb_metric_min_window_ms(period_s, delay_ms))
			return fd_error_set(err, "InvalidParameter", "%s:%d: step '%s': a %.0f s watch is shorter than two "
					    "periods plus the publishing delay (2 x %ld s + %.0f s): it could end before one "
					    "complete datapoint", rb_step_file(r->rb, st), st->line, st->name, (double)for_ms / 1000.0,
					    period_s, (double)delay_ms / 1000.0);
	}
	return 0;
}
