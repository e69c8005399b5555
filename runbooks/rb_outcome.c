/* rb_outcome.c — how a step ends (succeeds, fails, retries, jumps, rolls back) and how a run
 * ends (its last line); plan's verdicts. */
#include "runbooks/rb_run_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/termtext.h"
#include "runbooks/rb_journal.h"

/* Reset what one step execution keeps. */
void rb_outcome_reset(struct rb_run *r)
{
	rb_call_abandon(r);
	json_decref(r->in);
	r->in = NULL;
	json_decref(r->result);
	r->result = NULL;
	free(r->current_text);
	free(r->new_text);
	free(r->confirm_token);
	free(r->prompt);
	r->current_text = r->new_text = r->confirm_token = r->prompt = NULL;
	r->phase = PH_BEGIN;
	r->deadline_ms = r->window_end_ms = r->due_ms = 0;
	json_decref(r->items);
	r->items = NULL;
	r->item_idx = 0;
	r->read_retries = 0;
	json_decref(r->metric_last);
	r->metric_last = NULL;
	r->judged_t = 0;
	r->step_unknown = false;
	r->mutating = r->said_waiting = false;
	r->next = -1;
}

/* Whether rollback step i is one of an include the run never reached (it is skipped). */
static bool gated_off(const struct rb_run *r, size_t i)
{
	int g = r->rb->rollback[i].gate;

	return g >= 0 && strcmp(r->main[g].status, "pending") == 0;
}

/* Move to step index next of the current section (or the end of it). */
void rb_outcome_goto(struct rb_run *r, size_t next)
{
	rb_outcome_reset(r);
	r->must_ask = false;
	for (; r->in_rollback && next < r->rb->nrollback && gated_off(r, next); next++)
		r->back[next].status = "skipped";
	r->idx = next;
	if (r->idx >= rb_run_section_len(r))
		rb_outcome_finish(r, r->in_rollback ? RB_ROLLED_BACK : (r->opts.plan ? RB_PLANNED : RB_DONE));
	else
		rb_log_journal(r);
}

/* plan: the current step cannot be evaluated; steps using it cannot either. */
void rb_outcome_plan_unknown(struct rb_run *r, const char *why)
{
	json_object_set_new(r->unknown, rb_run_cur_step(r)->name, json_string(why));
	r->step_unknown = true;
}

/* A step's figure: from the run's start, or from the call its measure_from step sent
 * (not from the step's start: a typed confirmation is no latency of AWS's). When that
 * step did not run (another branch was taken) there is nothing to count from: no figure
 * (the scale runbook's bounds path once recorded 1796603671 s, since the epoch). */
static void measure(struct rb_run *r, const struct rb_step *st, int64_t t)
{
	const struct step_state *from;

	if (st->measure_from < 0) {
		rb_log_record(r, st->measure, (double)(t - r->started_ms) / 1000.0);
		return;
	}
	from = &(r->in_rollback ? r->back : r->main)[st->measure_from];
	if (!from->started_ms) {
		rb_log_say(r, "measured %s: not recorded (step '%s', which it counts from, did not run)", st->measure,
			   (r->in_rollback ? r->rb->rollback : r->rb->steps)[st->measure_from].name);
		return;
	}
	rb_log_record(r, st->measure, (double)(t - (from->sent_ms ? from->sent_ms : from->started_ms)) / 1000.0);
}

/* The step succeeded with result (borrowed): outputs, print, measure, journal, next. */
void rb_outcome_succeed(struct rb_run *r, json_t *result)
{
	const struct rb_step *st = rb_run_cur_step(r);
	struct step_state *ss = rb_run_cur_state(r);
	int64_t t = rb_run_now_ms(r);
	struct fd_error err;
	bool unknown = r->step_unknown;
	const char *k;
	json_t *v;

	r->step_unknown = false;
	if (st->outputs && st->action->kind != RB_ACTION_PROBE && !unknown) {
		json_t *outs = json_object();
		json_object_foreach(st->outputs, k, v) {
			char key[160];
			json_t *o;
			snprintf(key, sizeof(key), "outputs.%s", k);
			if (!(o = rb_input_jq(r, key, json_string_value(v), result, &err))) {
				json_decref(outs);
				rb_outcome_fail(r, err.code, "%s", err.message);
				return;
			}
			json_object_set_new(outs, k, o);
		}
		json_object_set_new(r->outputs, st->name, outs);
	}
	if (st->print && !unknown) {
		char *text = rb_input_lines(r, st->print, &err), *line, *save = NULL;
		if (!text) {
			rb_outcome_fail(r, err.code, "print: %s", err.message);
			return;
		}
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			rb_log_say(r, "  %s", line);
		free(text);
	}
	ss->status = "done";
	ss->ended_ms = t;
	if (st->measure && st->action->kind != RB_ACTION_PROBE && !r->opts.plan)
		measure(r, st, t);
	if (unknown && strcmp(json_string_value(json_object_get(r->unknown, st->name)), PLAN_NOT_SENT) != 0)
		rb_log_say(r, "  plan: not evaluated: %s", json_string_value(json_object_get(r->unknown, st->name)));
	else {
		r->plan_checked++;
		rb_log_say(r, "  ok (%.1f s)", (double)(t - ss->started_ms) / 1000.0);
	}
	rb_outcome_goto(r, r->next >= 0 ? (size_t)r->next : r->idx + 1);
}

/* plan: the step is not evaluated (why); go on with the next one. */
void rb_outcome_plan_skip(struct rb_run *r, const char *why)
{
	rb_outcome_plan_unknown(r, why);
	rb_outcome_succeed(r, NULL);
}

/* Start the rollback section, or end the run failed. */
static void abort_run(struct rb_run *r)
{
	if (!r->in_rollback && r->rb->nrollback && !r->refused_read_only && !r->changed) {
		rb_log_say(r, "== nothing was changed: no rollback ==");
		rb_outcome_finish(r, RB_FAILED);
		return;
	}
	if (!r->in_rollback && r->rb->nrollback && !r->refused_read_only) {
		size_t i, n = 0;
		for (i = 0; i < r->rb->nrollback; i++)
			n += !gated_off(r, i);
		rb_log_say(r, "== rolling back: %zu step%s ==", n, n == 1 ? "" : "s");
		r->in_rollback = true;
		rb_outcome_goto(r, 0);
		return;
	}
	rb_outcome_finish(r, r->in_rollback ? RB_ROLLBACK_FAILED : RB_FAILED);
}

/* Failure codes that are a check saying no (plan: exit 1); the others are errors (exit 2). */
static bool is_check(const char *code)
{
	static const char *const checks[] = { "AssertionFailed", "NoData", "MetricBreach", "ProbeBaseline",
		"ProbeBreach", "SmokeFailed", "NotHolding", NULL };
	const char *const *c;

	for (c = checks; *c; c++)
		if (strcmp(*c, code) == 0)
			return true;
	return false;
}

/* plan: the step would fail; remember the first stop, go on listing the rest. */
static void plan_fail(struct rb_run *r, const char *code, const char *msg)
{
	const struct rb_step *st = rb_run_cur_step(r);
	struct step_state *ss = rb_run_cur_state(r);
	int sev = is_check(code) ? 1 : 2;

	if (strcmp(code, "PlanUnknown") == 0) {
		rb_outcome_plan_skip(r, msg);
		return;
	}
	ss->status = "failed";
	ss->ended_ms = rb_run_now_ms(r);
	if (st->on_failure != RB_ON_FAILURE_ABORT) {
		rb_log_say(r, "  plan: the run would go on (on_failure)");
		r->plan_checked++;
		if (st->outputs) {
			json_t *outs = json_object(), *v;
			const char *k;
			json_object_foreach(st->outputs, k, v)
				json_object_set_new(outs, k, json_null());
			json_object_set_new(r->outputs, st->name, outs);
		}
		rb_outcome_goto(r, st->on_failure == RB_ON_FAILURE_STEP ? (size_t)st->on_failure_step : r->idx + 1);
		return;
	}
	rb_log_say(r, "  plan: %s; the steps after it are not reached",
	    sev == 1 ? "this check would stop the run here" : "the run would stop here on this error");
	if (sev > r->plan_worst) {
		struct strbuf sb;
		strbuf_init(&sb);
		strbuf_addf(&sb, "step %s: %s", st->name, msg);
		free(r->plan_stop);
		r->plan_stop = strbuf_detach(&sb, NULL);
		r->plan_worst = sev;
	}
	rb_outcome_finish(r, RB_PLANNED);
}

/* The step failed: retry, continue, jump or abort as it says. */
void __attribute__((format(printf, 3, 4))) rb_outcome_fail(struct rb_run *r, const char *code, const char *fmt, ...)
{
	const struct rb_step *st = rb_run_cur_step(r);
	struct step_state *ss = rb_run_cur_state(r);
	char msg[700];
	va_list ap;
	struct strbuf raw;
	bool final = strcmp(code, "NotConfirmed") == 0 || strcmp(code, "ReadOnly") == 0 ||
		     strcmp(code, "TemplateError") == 0 || strcmp(code, "JqError") == 0 ||
		     strcmp(code, "PlanUnknown") == 0 || strcmp(code, "ProbeBaseline") == 0 ||
		     strcmp(code, "ProbeBreach") == 0 || strcmp(code, "MetricBreach") == 0 ||
		     strcmp(code, "NoData") == 0 || strcmp(code, "NoTerminal") == 0 ||
		     strcmp(code, "InvalidRunbook") == 0 || strcmp(code, "LoopLimit") == 0;

	strbuf_init(&raw);
	va_start(ap, fmt);
	strbuf_vaddf(&raw, fmt, ap);
	va_end(ap);
	termtext_copy(msg, sizeof(msg), raw.data, 0);   /* one line, whatever AWS put in a message */
	strbuf_clean_up(&raw);
	r->step_unknown = false;
	if (strcmp(code, "PlanUnknown") != 0)
		rb_log_say(r, "  FAILED: %s", msg);
	if (strcmp(code, "ReadOnly") == 0)
		r->refused_read_only = true;
	if (r->opts.plan) {
		plan_fail(r, code, msg);
		return;
	}
	if (!final && ss->attempts < st->max_attempts) {
		long backoff_ms = 1000L * ss->attempts;
		if (backoff_ms > 10000)
			backoff_ms = 10000;
		rb_log_say(r, "  retrying (attempt %d of %d) in %.1f s", ss->attempts + 1, st->max_attempts,
		    (double)backoff_ms / 1000.0);
		rb_outcome_reset(r);
		r->due_ms = rb_run_now_ms(r) + backoff_ms;
		r->phase = PH_TIMER;
		r->timer_next = PH_BEGIN;
		return;
	}
	ss->status = "failed";
	ss->ended_ms = rb_run_now_ms(r);
	if (st->outputs) {
		/* Later steps may test a failed step's outputs: they are null. */
		json_t *outs = json_object(), *v;
		const char *k;
		json_object_foreach(st->outputs, k, v)
			json_object_set_new(outs, k, json_null());
		json_object_set_new(r->outputs, st->name, outs);
	}
	switch (strcmp(code, "LoopLimit") == 0 ? RB_ON_FAILURE_ABORT : st->on_failure) {
	case RB_ON_FAILURE_CONTINUE:
		rb_log_say(r, "  on_failure: continue");
		rb_outcome_goto(r, r->idx + 1);
		return;
	case RB_ON_FAILURE_STEP:
		rb_log_say(r, "  on_failure: step:%s", (r->in_rollback ? r->rb->rollback : r->rb->steps)[st->on_failure_step].name);
		rb_outcome_goto(r, (size_t)st->on_failure_step);
		return;
	case RB_ON_FAILURE_ABORT:
		break;
	}
	free(r->failure);
	{
		struct strbuf sb;
		strbuf_init(&sb);
		strbuf_addf(&sb, "step %s: %s", st->name, msg);
		r->failure = strbuf_detach(&sb, NULL);
	}
	abort_run(r);
}

/* plan: its last line. */
static void plan_summary(struct rb_run *r, struct strbuf *sb)
{
	const char *k;
	json_t *v;
	size_t n = 0;

	if (r->plan_worst == 0)
		strbuf_addf(sb, "runbook %s: plan: the run would go through (%zu steps checked", r->rb->name,
			    r->plan_checked);
	else if (r->plan_worst == 1)
		strbuf_addf(sb, "runbook %s: plan: the run would stop at %s (", r->rb->name, r->plan_stop);
	else
		strbuf_addf(sb, "runbook %s: plan: error at %s (", r->rb->name, r->plan_stop);
	json_object_foreach(r->unknown, k, v)
		if (strcmp(json_string_value(v), PLAN_NOT_SENT) != 0)
			strbuf_addf(sb, "%s%s", n++ ? ", " : (r->plan_worst == 0 ? "; not evaluated: " : "not evaluated before it: "), k);
	strbuf_addf(sb, "%s); no mutating call was sent", n || r->plan_worst == 0 ? "" : "every step before it evaluated");
}

/* End the run: final status, probes, journal, lock, a last line with the outcome and figures. */
void rb_outcome_finish(struct rb_run *r, enum rb_status st)
{
	double secs = (double)(rb_run_now_ms(r) - r->started_ms) / 1000.0;
	struct strbuf sb;

	r->status = st;
	rb_outcome_reset(r);
	rb_probe_tick(r);   /* stops and reports the probes; a check still in flight is not counted */
	strbuf_init(&sb);
	switch (st) {
	case RB_DONE:
		strbuf_addf(&sb, "runbook %s: done in %.1f s%s", r->rb->name, secs,
			    r->changed ? "" : "; nothing was changed (all in place)");
		break;
	case RB_PLANNED:
		plan_summary(r, &sb);
		break;
	case RB_ROLLED_BACK:
		strbuf_addf(&sb, "runbook %s: FAILED (%s); rolled back in %.1f s", r->rb->name,
			    r->failure ? r->failure : "?", secs);
		break;
	case RB_ROLLBACK_FAILED:
		strbuf_addf(&sb, "runbook %s: FAILED (%s) and the rollback failed too after %.1f s", r->rb->name,
			    r->failure ? r->failure : "?", secs);
		break;
	default:
		strbuf_addf(&sb, "runbook %s: FAILED (%s)", r->rb->name, r->failure ? r->failure : "?");
		if (!r->changed)
			strbuf_adds(&sb, "; nothing was changed");
		else
			strbuf_addf(&sb, " after %.1f s", secs);
		break;
	}
	if (st != RB_PLANNED) {
		rb_log_figures(r, &sb);
		strbuf_addf(&sb, " (run %s)", r->run_id);
	}
	rb_log_say(r, "%s", sb.data);
	strbuf_clean_up(&sb);
	rb_log_journal(r);
	if (r->lock_path) {
		rb_journal_unlock(r->lock_path);
		free(r->lock_path);
		r->lock_path = NULL;
	}
}

/* Stop the run unfinished: the current step must be asked and nobody can type
 * here. The step keeps its journaled state (running, whether its change may
 * have been sent), so `runbook resume` in a terminal asks it again; no
 * rollback runs unasked. The lock goes with this process. */
void __attribute__((format(printf, 2, 3))) rb_outcome_stop(struct rb_run *r, const char *fmt, ...)
{
	char msg[700];
	va_list ap;
	struct strbuf raw;

	strbuf_init(&raw);
	va_start(ap, fmt);
	strbuf_vaddf(&raw, fmt, ap);
	va_end(ap);
	termtext_copy(msg, sizeof(msg), raw.data, 0);
	strbuf_clean_up(&raw);
	rb_log_say(r, "  STOPPED: %s", msg);
	r->status = RB_STOPPED;
	rb_outcome_reset(r);
	rb_probe_tick(r);   /* stops the probes: resume starts them again */
	rb_log_say(r, "runbook %s: STOPPED, unfinished, at %sstep %s: flightdeck runbook resume %s (in a terminal) (run %s)",
		   r->rb->name, r->in_rollback ? "rollback " : "", rb_run_cur_step(r)->name, r->run_id, r->run_id);
	rb_log_journal(r);
	if (r->lock_path) {
		rb_journal_unlock(r->lock_path);
		free(r->lock_path);
		r->lock_path = NULL;
	}
}
