/* rb_act.c — the aws, wait, assert/branch, approve and sleep actions (the probe: rb_probe.c;
 * metric: rb_watch.c). */
#include "runbooks/rb_run_impl.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "runbooks/rb_confirm.h"

/* rb_confirm_block's line: through rb_log_say(). */
static void confirm_line(void *ctx, const char *text)
{
	rb_log_say(ctx, "%s", text);
}

/* The confirmation of the current aws step (rb_confirm.h: the one block every confirmation shows). */
void rb_act_confirm_of(const struct rb_run *r, struct rb_confirm *c)
{
	const char *reg = rb_call_region(r, r->in);

	*c = (struct rb_confirm){
		.service = rb_input_str(r, "service"), .operation = rb_input_str(r, "operation"),
		.input = json_object_get(r->in, "input"), .secrets = r->secrets,
		.account = r->account, .caller_arn = r->caller_arn,
		.region = reg ? reg : r->io->default_region,
		.current = r->current_text, .new_value = r->new_text, .plan = r->opts.plan,
	};
}

/* Show the change a mutating call makes. */
static void show_confirmation(struct rb_run *r)
{
	struct rb_confirm c;

	rb_act_confirm_of(r, &c);
	rb_confirm_block(&c, confirm_line, r);
}

/* Ask for the typed token (what: "to send it ..."), or fail the step when
 * nobody can type it; --yes answers unless must_ask. True when asking. */
static bool ask(struct rb_run *r, const char *token, const char *what, enum phase then)
{
	free(r->confirm_token);
	r->confirm_token = xstrdup(token && *token ? token : "yes");
	if (r->opts.no_terminal) {
		if (rb_run_cur_step(r)->action->kind == RB_ACTION_AWS)
			rb_log_audit(r, rb_input_str(r, "service"), rb_input_str(r, "operation"), rb_call_region(r, r->in),
			      json_object_get(r->in, "input"), "refused: no terminal to confirm on", NULL);
		if (r->must_ask || r->changed) {
			/* a half-done change is not a failure to roll back unasked: stop, resumable */
			rb_outcome_stop(r, "a typed confirmation (%s) is needed, but stdin is not a terminal: nothing sent; "
					"resume it in a terminal%s", r->confirm_token,
					r->must_ask ? " (--yes does not answer this one)" : ", or with --yes");
			return false;
		}
		rb_outcome_fail(r, "NoTerminal", "a typed confirmation (%s) is needed, but stdin is not a terminal: "
			  "nothing sent; run it in a terminal, or give --yes%s", r->confirm_token,
			  r->must_ask ? " (which does not answer this one)" : "");
		return false;
	}
	free(r->prompt);
	r->tries = 0;
	r->ask_what = what;
	r->prompt = rb_confirm_prompt(r->confirm_token, what, 1, NULL);
	r->asked_ms = rb_run_now_ms(r);
	r->phase = PH_INPUT;
	r->timer_next = then;
	return true;
}

/* The step's timeout in ms (its own, else its action's). */
static long step_timeout_ms(const struct rb_step *st)
{
	return st->timeout_ms ? st->timeout_ms : st->action->default_timeout_ms;
}

/* An aws step's item is done: the next item of a for_each step, else the step succeeded. */
static void aws_item_done(struct rb_run *r, json_t *result)
{
	struct fd_error err;
	json_t *in;

	if (!r->items || r->item_idx + 1 >= json_array_size(r->items)) {
		rb_outcome_succeed(r, result);
		return;
	}
	r->item_idx++;
	if (!(in = rb_input_expand(r, rb_run_cur_step(r)->inputs, &err))) {
		rb_outcome_fail(r, err.code, "item %zu: %s", r->item_idx + 1, err.message);
		return;
	}
	json_decref(r->in);
	r->in = in;
	free(r->current_text);
	free(r->new_text);
	free(r->confirm_token);
	free(r->prompt);
	r->current_text = r->new_text = r->confirm_token = r->prompt = NULL;
	rb_log_say(r, "  item %zu of %zu", r->item_idx + 1, json_array_size(r->items));
	r->phase = PH_ITEM;
}

/* aws: read current state, confirm, act. */
bool rb_act_aws(struct rb_run *r)
{
	struct fd_error err;
	json_t *cur = json_object_get(r->in, "current");

	switch (r->phase) {
	case PH_BEGIN:
	case PH_ITEM:
		r->mutating = rb_call_is_mutating(r, rb_input_str(r, "service"), rb_input_str(r, "operation"));
		if (!r->mutating) {
			rb_log_say(r, "  call %s %s", rb_input_str(r, "service"), rb_input_str(r, "operation"));
			rb_call_own(r);
		} else
			r->phase = cur ? PH_READ : PH_CONFIRM;
		return true;
	case PH_READ: {
		const char *svc = json_string_value(json_object_get(cur, "service"));
		json_t *input = json_object_get(cur, "input");
		rb_call_start(r, svc ? svc : rb_input_str(r, "service"), json_string_value(json_object_get(cur, "operation")),
			   rb_call_region(r, cur) ? rb_call_region(r, cur) : rb_call_region(r, r->in),
			   json_is_object(input) ? input : NULL, PH_READ_WAIT);
		return true;
	}
	case PH_READ_WAIT: {
		json_t *v, *applied;
		const char *prog;
		if (!r->call_done)
			return false;
		if (rb_call_retry_read(r, PH_READ))
			return true;
		if (r->call_failed) {
			rb_outcome_fail(r, r->call_err.code, "cannot read the current state: %s: %s", r->call_err.code,
				  r->call_err.message);
			return true;
		}
		/* The value program comes from the runbook, unexpanded. */
		prog = json_string_value(json_object_get(json_object_get(rb_run_cur_step(r)->inputs, "current"), "value"));
		v = rb_input_jq(r, "current.value", prog, r->result, &err);
		if (!v) {
			rb_outcome_fail(r, err.code, "current value: %s", err.message);
			return true;
		}
		r->current_text = rb_input_display(v);
		json_decref(v);
		if (json_object_get(r->in, "new"))
			r->new_text = rb_input_display(json_object_get(r->in, "new"));
		prog = json_string_value(json_object_get(rb_run_cur_step(r)->inputs, "applied"));
		if (prog) {
			applied = rb_input_jq(r, "applied", prog, r->result, &err);
			if (!applied) {
				rb_outcome_fail(r, err.code, "applied: %s", err.message);
				return true;
			}
		} else
			applied = json_boolean(r->new_text && strcmp(r->new_text, r->current_text) == 0);
		if (rb_jq_truthy(applied)) {
			json_decref(applied);
			if (rb_run_cur_state(r)->mutation_sent)
				rb_log_audit(r, rb_input_str(r, "service"), rb_input_str(r, "operation"), rb_call_region(r, r->in),
				      json_object_get(r->in, "input"), "interrupted: sent, then found in place on resume", NULL);
			rb_log_say(r, "  %s %s: already in place (%s): nothing sent", rb_input_str(r, "service"),
			    rb_input_str(r, "operation"), r->current_text);
			aws_item_done(r, NULL);
			return true;
		}
		json_decref(applied);
		r->phase = PH_CONFIRM;
		return true;
	}
	case PH_CONFIRM: {
		const char *tok = rb_input_str(r, "confirm");
		show_confirmation(r);
		if (r->opts.plan) {
			rb_log_say(r, "  plan: nothing sent");
			r->plan_changed = true;
			if (!r->items || r->item_idx + 1 >= json_array_size(r->items))
				rb_outcome_plan_unknown(r, PLAN_NOT_SENT);
			aws_item_done(r, NULL);
			return true;
		}
		if (r->opts.read_only) {
			rb_log_audit(r, rb_input_str(r, "service"), rb_input_str(r, "operation"), rb_call_region(r, r->in),
			      json_object_get(r->in, "input"), "refused: read-only", NULL);
			rb_outcome_fail(r, "ReadOnly", "read-only mode: refusing the mutating call %s %s; nothing sent",
				  rb_input_str(r, "service"), rb_input_str(r, "operation"));
			return true;
		}
		if (r->opts.yes && !r->must_ask) {
			rb_log_say(r, "  confirmed by --yes (token %s)", tok && *tok ? tok : "yes");
			r->phase = PH_ACT;
			return true;
		}
		if (r->must_ask)
			rb_log_say(r, "%s", RB_RUN_MUST_ASK);
		ask(r, tok, "to send it (anything else sends nothing)", PH_ACT);
		return true;
	}
	case PH_ACT_AGAIN:
		rb_call_own(r);
		return true;
	case PH_ACT: {
		struct step_state *ss = rb_run_cur_state(r);
		ss->mutation_sent = true;
		if (!ss->sent_ms)
			ss->sent_ms = rb_run_now_ms(r);
		r->changed = true;
		rb_log_journal(r);
		rb_log_say(r, "  sending %s %s", rb_input_str(r, "service"), rb_input_str(r, "operation"));
		rb_call_own(r);
		return true;
	}
	case PH_ACT_WAIT:
		if (!r->call_done)
			return false;
		if (!r->mutating && rb_call_retry_read(r, PH_ACT_AGAIN))
			return true;
		/* a throttled change was refused, not made: read the state again, then decide */
		if (r->mutating && json_object_get(r->in, "current") && rb_call_retry_read(r, PH_READ))
			return true;
		if (r->call_failed) {
			rb_outcome_fail(r, r->call_err.code, "%s %s%s%s: %s: %s%s%s", rb_input_str(r, "service"), rb_input_str(r, "operation"),
				  rb_call_region(r, r->in) ? " in " : "", rb_call_region(r, r->in) ? rb_call_region(r, r->in) : "",
				  r->call_err.code, r->call_err.message, r->call_err.request_id[0] ? " request id " : "",
				  r->call_err.request_id);
			return true;
		}
		if (r->mutating) {
			const char *kill_after = getenv("FLIGHTDECK_TEST_KILL_AFTER_MUTATION");
			r->mutations_done++;
			if (kill_after && atoi(kill_after) == r->mutations_done)
				raise(SIGKILL);   /* tests: an interrupted run, resumed later */
		}
		aws_item_done(r, r->result);
		return true;
	default:
		return false;
	}
}

/* wait: poll an operation until the condition holds. */
bool rb_act_wait(struct rb_run *r)
{
	struct fd_error err;
	json_t *v;
	long interval_ms = rb_input_duration_ms(r, "interval", 5000);

	switch (r->phase) {
	case PH_BEGIN:
		rb_log_say(r, "  wait until %s on %s %s", rb_input_str(r, "until"), rb_input_str(r, "service"), rb_input_str(r, "operation"));
		if (r->opts.plan && r->plan_changed) {
			rb_outcome_plan_skip(r, "it waits for the effect of an earlier change");
			return true;
		}
		if (rb_input_interval_ms(r, 5000, RB_MIN_INTERVAL_MS) < 0)
			return true;
		rb_call_own(r);
		return true;
	case PH_ACT_WAIT:
		if (!r->call_done)
			return false;
		if (r->call_failed) {
			if (!r->call_err.transient || r->opts.plan) {
				rb_outcome_fail(r, r->call_err.code, "%s %s%s%s: %s: %s", rb_input_str(r, "service"), rb_input_str(r, "operation"),
					  rb_call_region(r, r->in) ? " in " : "", rb_call_region(r, r->in) ? rb_call_region(r, r->in) : "",
					  r->call_err.code, r->call_err.message);
				return true;
			}
			rb_log_say(r, "  (%s: %s; will poll again)", r->call_err.code, r->call_err.message);
			v = json_false();
		} else {
			v = rb_input_jq(r, "until", json_string_value(json_object_get(rb_run_cur_step(r)->inputs, "until")), r->result, &err);
			if (!v) {
				rb_outcome_fail(r, err.code, "until: %s", err.message);
				return true;
			}
		}
		if (rb_jq_truthy(v)) {
			json_decref(v);
			rb_outcome_succeed(r, r->result);
			return true;
		}
		json_decref(v);
		if (r->opts.plan) {
			rb_outcome_fail(r, "NotHolding", "%s does not hold now: the run would wait up to %.0f s for it",
				  rb_input_str(r, "until"), (double)step_timeout_ms(rb_run_cur_step(r)) / 1000.0);
			return true;
		}
		if (!r->said_waiting)
			rb_log_say(r, "  not yet; polling every %.1f s", (double)interval_ms / 1000.0);
		r->said_waiting = true;
		r->due_ms = rb_run_now_ms(r) + interval_ms;
		r->phase = PH_TIMER;
		r->timer_next = PH_ACT;
		return true;
	case PH_ACT:
		rb_call_own(r);
		return true;
	default:
		return false;
	}
}

/* assert and branch: evaluate a condition on a call's result or a value. */
bool rb_act_condition(struct rb_run *r)
{
	const struct rb_step *st = rb_run_cur_step(r);
	struct fd_error err;
	json_t *subject, *v;
	bool holds;

	switch (r->phase) {
	case PH_BEGIN:
		if (json_object_get(r->in, "for") && r->opts.plan && r->plan_changed) {
			rb_outcome_plan_skip(r, "it watches the effect of an earlier change");
			return true;
		}
		if (st->action->kind == RB_ACTION_ASSERT && rb_input_str(r, "operation") && r->opts.plan &&
		    r->plan_changed) {   /* what it reads is what the change would have changed */
			rb_outcome_plan_skip(r, "it checks the state after an earlier change");
			return true;
		}
		if (json_object_get(r->in, "for") && !r->window_end_ms) {
			long for_ms = rb_input_duration_ms(r, "for", 0);
			if (for_ms < 0) {
				char *shown = rb_input_display(json_object_get(r->in, "for"));
				rb_outcome_fail(r, "InvalidRunbook", "for '%s' is not a duration", shown);
				free(shown);
				return true;
			}
			if (rb_input_interval_ms(r, 5000, RB_MIN_INTERVAL_MS) < 0)
				return true;
			r->window_end_ms = rb_run_now_ms(r) + for_ms;
		}
		/* fall through */
	case PH_ACT:
		if (rb_input_str(r, "operation"))
			rb_call_own(r);
		else
			r->phase = PH_EVAL;
		return true;
	case PH_ACT_WAIT:
		if (!r->call_done)
			return false;
		if (rb_call_retry_read(r, PH_ACT))
			return true;
		if (r->call_failed) {
			rb_outcome_fail(r, r->call_err.code, "%s %s%s%s: %s: %s", rb_input_str(r, "service"), rb_input_str(r, "operation"),
				  rb_call_region(r, r->in) ? " in " : "", rb_call_region(r, r->in) ? rb_call_region(r, r->in) : "",
				  r->call_err.code, r->call_err.message);
			return true;
		}
		r->phase = PH_EVAL;
		return true;
	case PH_EVAL:
		subject = rb_input_str(r, "operation") ? r->result : json_object_get(r->in, "value");
		v = rb_input_jq(r, "condition", json_string_value(json_object_get(st->inputs, "condition")), subject, &err);
		if (!v) {
			rb_outcome_fail(r, err.code, "condition: %s", err.message);
			return true;
		}
		holds = rb_jq_truthy(v);
		json_decref(v);
		if (st->action->kind == RB_ACTION_BRANCH) {
			const char *to = holds ? rb_input_str(r, "then") : rb_input_str(r, "else");
			rb_log_say(r, "  condition %s is %s -> %s", json_string_value(json_object_get(st->inputs, "condition")),
			    holds ? "true" : "false", to ? to : "next step");
			if (to)
				r->next = rb_step_index(r->rb, to, r->in_rollback);
			rb_outcome_succeed(r, subject);
			return true;
		}
		if (!holds) {
			const char *m = rb_input_str(r, "message");
			rb_outcome_fail(r, "AssertionFailed", "assertion failed: %s", m ? m :
				  json_string_value(json_object_get(st->inputs, "condition")));
			return true;
		}
		if (r->window_end_ms && rb_run_now_ms(r) < r->window_end_ms && !r->opts.plan) {
			long interval_ms = rb_input_duration_ms(r, "interval", 5000);
			if (!r->said_waiting)
				rb_log_say(r, "  holds; checking every %.1f s for %s", (double)interval_ms / 1000.0, rb_input_str(r, "for"));
			r->said_waiting = true;
			r->due_ms = rb_run_now_ms(r) + interval_ms;
			if (r->due_ms > r->window_end_ms)
				r->due_ms = r->window_end_ms;
			r->phase = PH_TIMER;
			r->timer_next = PH_ACT;
			return true;
		}
		rb_outcome_succeed(r, subject);
		return true;
	default:
		return false;
	}
}

/* approve: a typed confirmation. */
bool rb_act_approve(struct rb_run *r)
{
	const char *tok = rb_input_str(r, "token");

	if (r->phase == PH_END) {
		rb_outcome_succeed(r, NULL);
		return true;
	}
	if (r->phase != PH_BEGIN)
		return false;
	{
		/* the message as the run says it and the question shows it: its own lines only */
		struct fd_error err;
		char *msg = rb_input_lines(r, json_string_value(json_object_get(rb_run_cur_step(r)->inputs, "message")), &err),
		     *line, *save = NULL;
		if (!msg) {
			rb_outcome_fail(r, err.code, "message: %s", err.message);
			return true;
		}
		json_object_set_new(r->in, "message", json_string(msg));
		for (line = strtok_r(msg, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			rb_log_say(r, "  %s", line);
		free(msg);
	}
	if (r->opts.plan) {
		rb_log_say(r, "  plan: the run asks for approval here");
		rb_outcome_succeed(r, NULL);
		return true;
	}
	if (r->opts.yes) {
		rb_log_say(r, "  approved by --yes (token %s)", tok && *tok ? tok : "yes");
		rb_outcome_succeed(r, NULL);
		return true;
	}
	ask(r, tok, "to go on (anything else stops)", PH_END);
	return true;
}

/* sleep. */
bool rb_act_sleep(struct rb_run *r)
{
	json_t *d = json_object_get(r->in, "duration");
	long ms = json_is_string(d) ? rb_parse_duration_ms(json_string_value(d)) :
		  json_is_number(d) ? (long)(json_number_value(d) * 1000) : 0;

	if (r->phase == PH_END) {
		rb_outcome_succeed(r, NULL);
		return true;
	}
	if (r->phase != PH_BEGIN)
		return false;
	rb_log_say(r, "  sleep %.1f s", (double)ms / 1000.0);
	if (r->opts.plan) {
		rb_outcome_succeed(r, NULL);
		return true;
	}
	r->due_ms = rb_run_now_ms(r) + ms;
	r->phase = PH_TIMER;
	r->timer_next = PH_END;
	return true;
}
