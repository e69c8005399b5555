/* rb_run.c — the runbook engine: a run's life and its step machine (see rb_run.h; the parts:
 * rb_run_impl.h). */
#include "runbooks/rb_run_impl.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "base/strbuf.h"
#include "base/termtext.h"
#include "base/xalloc.h"
#include "runbooks/rb_confirm.h"
#include "runbooks/rb_journal.h"

int64_t rb_run_now_ms(struct rb_run *r)
{
	struct timeval tv;

	if (r->io->now_ms)
		return r->io->now_ms(r->io->ctx);
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

const char *rb_status_name(enum rb_status s)
{
	static const char *const names[] = {
		[RB_RUNNING] = "running", [RB_WAITING_INPUT] = "running", [RB_DONE] = "done",
		[RB_PLANNED] = "planned", [RB_FAILED] = "failed", [RB_ROLLED_BACK] = "rolled_back",
		[RB_ROLLBACK_FAILED] = "rollback_failed",
		[RB_STOPPED] = "running",   /* unfinished: what resume continues */
	};
	return names[s];
}

/* The behaviour of each action kind (the schema is rb_actions in rb.c). */
static bool (*const act_table[])(struct rb_run *r) = {
	[RB_ACTION_AWS] = rb_act_aws,
	[RB_ACTION_WAIT] = rb_act_wait,
	[RB_ACTION_ASSERT] = rb_act_condition,
	[RB_ACTION_APPROVE] = rb_act_approve,
	[RB_ACTION_SLEEP] = rb_act_sleep,
	[RB_ACTION_PROBE] = rb_probe_act,
	[RB_ACTION_BRANCH] = rb_act_condition,
	[RB_ACTION_METRIC] = rb_watch_act,
};

/* Begin the current step: journal it, expand its inputs. */
static bool begin_step(struct rb_run *r)
{
	const struct rb_step *st = rb_run_cur_step(r);
	struct step_state *ss = rb_run_cur_state(r);
	struct fd_error err;
	long timeout_ms = st->timeout_ms ? st->timeout_ms : st->action->default_timeout_ms;

	if (st->max_attempts_given && ss->attempts >= st->max_attempts &&
	    (strcmp(ss->status, "done") == 0 || strcmp(ss->status, "failed") == 0)) {
		/* Back at a step that already ran (a loop through on_failure or a branch):
		 * its max_attempts bounds how often it runs in all, so the loop ends
		 * (the validator wants such a step in every loop). */
		ss->status = "running";
		rb_log_say(r, "%s[%zu/%zu] %s (%s) again", r->in_rollback ? "rollback " : "", r->idx + 1, rb_run_section_len(r),
		    st->name, st->action->name);
		rb_outcome_fail(r, "LoopLimit", "step %s already ran %d time%s (max_attempts): the loop stops here",
			  st->name, ss->attempts, ss->attempts == 1 ? "" : "s");
		return true;
	}
	if (strcmp(ss->status, "running") != 0 || !ss->started_ms)
		ss->started_ms = rb_run_now_ms(r);
	ss->attempts++;
	ss->status = "running";
	rb_log_say(r, "%s[%zu/%zu] %s (%s)%s", r->in_rollback ? "rollback " : "", r->idx + 1, rb_run_section_len(r), st->name,
	    st->action->name, ss->attempts > 1 ? " again" : "");
	rb_log_journal(r);
	r->deadline_ms = timeout_ms ? rb_run_now_ms(r) + timeout_ms : 0;
	if (st->for_each && !r->items) {
		json_t *items = rb_input_jq(r, "for_each", st->for_each, NULL, &err);
		if (!items) {
			rb_outcome_fail(r, err.code, "for_each: %s", err.message);
			return true;
		}
		if (!json_is_array(items)) {
			json_decref(items);
			rb_outcome_fail(r, "JqError", "%s:%d: step '%s': for_each must give a list", rb_step_file(r->rb, st),
				  rb_step_line(st, "for_each"), st->name);
			return true;
		}
		if (json_array_size(items) == 0) {
			json_decref(items);
			rb_log_say(r, "  for_each: no items: nothing to do");
			rb_outcome_succeed(r, NULL);
			return true;
		}
		r->items = items;
		r->item_idx = 0;
		rb_log_say(r, "  for each of %zu item%s: item 1", json_array_size(items), json_array_size(items) == 1 ? "" : "s");
	}
	r->in = rb_input_expand(r, st->inputs, &err);
	if (!r->in) {
		rb_outcome_fail(r, err.code, "%s", err.message);
		return true;
	}
	return act_table[st->action->kind](r);
}

/* Learn the caller identity (account and ARN) for confirmations and the audit log. */
static bool identity_step(struct rb_run *r)
{
	if (r->identity == 3) {
		if (rb_run_now_ms(r) < r->due_ms)
			return false;
		r->identity = 0;
	}
	if (r->identity == 0) {
		r->identity = 1;
		rb_call_start(r, "sts", "GetCallerIdentity", NULL, NULL, PH_READ_WAIT);
		return true;
	}
	if (!r->call_done)
		return false;
	if (r->call_failed && r->call_err.transient && r->read_retries < 3) {
		r->read_retries++;
		rb_log_say(r, "  (sts GetCallerIdentity: %s: %s; asking again in %d s)", r->call_err.code, r->call_err.message,
		    r->read_retries);
		r->identity = 3;
		r->phase = PH_TIMER;
		r->due_ms = rb_run_now_ms(r) + 1000L * r->read_retries;
		return true;
	}
	if (r->call_failed) {
		struct strbuf sb;
		strbuf_init(&sb);
		strbuf_addf(&sb, "caller identity unknown (sts GetCallerIdentity: %s: %s): a run needs it before any change",
			    r->call_err.code, r->call_err.message);
		r->identity = 2;
		rb_outcome_reset(r);
		if (!r->opts.plan) {
			free(r->failure);
			r->failure = strbuf_detach(&sb, NULL);
			rb_outcome_finish(r, RB_FAILED);
			return true;
		}
		rb_log_say(r, "%s", sb.data);
		r->plan_worst = 2;
		free(r->plan_stop);
		r->plan_stop = strbuf_detach(&sb, NULL);
		return true;
	} else {
		const char *arn = json_string_value(json_object_get(r->result, "Arn"));
		const char *acct = json_string_value(json_object_get(r->result, "Account"));
		r->caller_arn = arn ? xstrdup(arn) : NULL;
		r->account = acct ? xstrdup(acct) : NULL;
	}
	rb_log_say(r, "caller: %s (account %s)", r->caller_arn ? r->caller_arn : "unknown", r->account ? r->account : "unknown");
	r->identity = 2;
	rb_outcome_reset(r);
	if (r->idx >= rb_run_section_len(r))
		rb_outcome_finish(r, r->in_rollback ? RB_ROLLED_BACK : RB_DONE);
	return true;
}

enum rb_status rb_run_step(struct rb_run *r)
{
	int guard = 0;

	rb_probe_tick(r);
again:
	for (; guard < 100000 && !rb_run_finished(r); guard++) {
		bool moved;
		if (r->identity != 2) {
			if (!identity_step(r))
				break;
			continue;
		}
		if (r->phase == PH_INPUT) {
			r->status = RB_WAITING_INPUT;
			break;
		}
		if (r->deadline_ms && rb_run_now_ms(r) >= r->deadline_ms && r->phase != PH_BEGIN) {
			const struct rb_step *st = rb_run_cur_step(r);
			long t = st->timeout_ms ? st->timeout_ms : st->action->default_timeout_ms;
			if (r->token)
				rb_log_audit(r, rb_input_str(r, "service") ? rb_input_str(r, "service") : "?",
				      rb_input_str(r, "operation") ? rb_input_str(r, "operation") : "?", rb_call_region(r, r->in),
				      json_object_get(r->in, "input"), "abandoned: step timeout", NULL);
			rb_call_abandon(r);
			r->deadline_ms = 0;
			rb_outcome_fail(r, "Timeout", "timed out after %.1f s", (double)t / 1000.0);
			continue;
		}
		if (r->phase == PH_TIMER) {
			if (rb_run_now_ms(r) < r->due_ms)
				break;
			r->phase = r->timer_next;
		}
		if (r->phase == PH_BEGIN)
			moved = begin_step(r);
		else
			moved = act_table[rb_run_cur_step(r)->action->kind](r);
		if (!moved)
			break;
	}
	/* A check counted here may have moved the run (the baseline's last one, a breach):
	 * step again now, since no timer is set for it and the caller would wait for one. */
	if (rb_probe_tick(r) > 0 && !rb_run_finished(r) && ++guard < 100000)
		goto again;
	return r->status;
}

long rb_run_timeout_ms(struct rb_run *r)
{
	int64_t now = rb_run_now_ms(r), best = -1, pd;

	if (rb_run_finished(r))
		return -1;
	if (r->phase == PH_TIMER)
		best = r->due_ms;
	if (r->deadline_ms && r->phase != PH_INPUT && (best < 0 || r->deadline_ms < best))
		best = r->deadline_ms;
	pd = rb_probe_due_ms(r);
	if (pd >= 0 && (best < 0 || pd < best))
		best = pd;
	if (best < 0)
		return -1;
	return best <= now ? 0 : (long)(best - now);
}

int rb_run_poll_fds(struct rb_run *r, struct pollfd *fds, int max)
{
	return rb_run_finished(r) ? 0 : rb_probe_poll_fds(r, fds, max);
}

const char *rb_run_prompt(const struct rb_run *r)
{
	return r->status == RB_WAITING_INPUT ? r->prompt : NULL;
}

/* The sentence an approve step asks with, made safe for a terminal, to line(). */
static void question_text(const char *text, void (*line)(void *ctx, const char *text), void *ctx)
{
	char *copy = xstrdup(text ? text : ""), *l, *save = NULL;

	for (l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *safe = termtext_dup(l, 0), *indented = xmalloc(strlen(safe) + 3);
		sprintf(indented, "  %s", safe);   /* as the run printed it */
		line(ctx, indented);
		free(indented);
		free(safe);
	}
	free(copy);
}

void rb_run_question(const struct rb_run *r, void (*line)(void *ctx, const char *text), void *ctx)
{
	struct rb_confirm c;

	if (r->status != RB_WAITING_INPUT || r->phase != PH_INPUT)
		return;
	if (rb_run_cur_step(r)->action->kind == RB_ACTION_AWS) {
		rb_act_confirm_of(r, &c);
		rb_confirm_block(&c, line, ctx);
		if (r->must_ask)
			line(ctx, RB_RUN_MUST_ASK);
	} else
		question_text(rb_input_str(r, "message"), line, ctx);
}

void rb_run_answer(struct rb_run *r, const char *answer)
{
	int64_t now;

	if (r->status != RB_WAITING_INPUT || r->phase != PH_INPUT)
		return;
	now = rb_run_now_ms(r);
	if (r->deadline_ms && r->asked_ms && now > r->asked_ms)
		r->deadline_ms += now - r->asked_ms;   /* the step's timeout is for its work, not for reading and typing */
	r->asked_ms = now;
	r->status = RB_RUNNING;
	if (answer && r->confirm_token && strcmp(answer, r->confirm_token) == 0) {
		rb_log_say(r, "  confirmed (typed %s)", r->confirm_token);
		free(r->prompt);
		r->prompt = NULL;
		r->phase = r->timer_next;
		return;
	}
	if (answer && ++r->tries < RB_CONFIRM_TRIES) {
		/* a typo asks again, with the token shown again; the run stays where it is */
		free(r->prompt);
		r->prompt = rb_confirm_prompt(r->confirm_token, r->ask_what, r->tries + 1, answer);
		r->status = RB_WAITING_INPUT;
		return;
	}
	if (rb_run_cur_step(r)->action->kind == RB_ACTION_AWS)
		rb_log_audit(r, rb_input_str(r, "service"), rb_input_str(r, "operation"), rb_call_region(r, r->in),
		      json_object_get(r->in, "input"), "not confirmed", NULL);
	if (answer)
		rb_outcome_fail(r, "NotConfirmed", "%d answers and none was '%s' (the last was '%s'): nothing sent",
			  RB_CONFIRM_TRIES, r->confirm_token ? r->confirm_token : "", answer);
	else
		rb_outcome_fail(r, "NotConfirmed", "no answer (end of input), not '%s': nothing sent",
			  r->confirm_token ? r->confirm_token : "");
}

/* Collect the values of secret parameters (once parameters are resolved). */
static void collect_secrets(struct rb_run *r)
{
	size_t i;

	r->secrets = json_array();
	for (i = 0; i < r->rb->nparams; i++) {
		json_t *v = json_object_get(r->params, r->rb->params[i].name);
		if (r->rb->params[i].secret && v) {
			char *t = rb_input_display(v);
			json_array_append_new(r->secrets, json_string(t));
			if (r->io->secret)
				r->io->secret(r->io->ctx, t);
			fd_free_secret(t);
		}
	}
}

/* Allocate a run with its step states; parameters not yet resolved. */
static struct rb_run *run_alloc(const struct runbook *rb, const struct rb_io *io, const struct rb_options *opts)
{
	struct rb_run *r = xcalloc(1, sizeof(*r));
	size_t i;

	r->rb = rb;
	r->io = io;
	r->opts = *opts;
	r->opts.state_dir = r->opts.run_id = r->opts.stack = r->opts.break_lock_host = NULL;
	r->state_dir = opts->state_dir ? xstrdup(opts->state_dir) : NULL;
	r->main = xcalloc(rb->nsteps + 1, sizeof(*r->main));
	r->back = xcalloc(rb->nrollback + 1, sizeof(*r->back));
	for (i = 0; i < rb->nsteps; i++)
		r->main[i].status = "pending";
	for (i = 0; i < rb->nrollback; i++)
		r->back[i].status = "pending";
	r->outputs = json_object();
	r->measurements = json_object();
	r->unknown = json_object();
	r->next = -1;
	r->status = RB_RUNNING;
	return r;
}

/* Take the run's lock and name its journal. */
static int run_lock(struct rb_run *r, const char *break_host, struct fd_error *err)
{
	struct strbuf sb;

	if (!r->state_dir || r->opts.plan)
		return 0;
	r->lock_path = rb_journal_lock(r->state_dir, r->rb->name, r->stack, r->run_id, break_host, err);
	if (!r->lock_path)
		return -1;
	strbuf_init(&sb);
	strbuf_addf(&sb, "%s/runs/%s.json", r->state_dir, r->run_id);
	r->journal_path = strbuf_detach(&sb, NULL);
	return 0;
}

/* The stack a run locks: the option, the `stack` parameter, or "default". */
static void pick_stack(struct rb_run *r, const char *opt)
{
	const char *s = json_string_value(json_object_get(r->params, "stack"));

	r->stack = xstrdup(opt ? opt : s ? s : "default");
}

struct rb_run *rb_run_new(const struct runbook *rb, json_t *params, const struct rb_io *io,
			  const struct rb_options *opts, struct fd_error *err)
{
	struct rb_run *r = run_alloc(rb, io, opts);
	const char *k;
	json_t *v;
	size_t i;

	r->params = json_object();
	json_object_foreach(params, k, v) {
		for (i = 0; i < rb->nparams; i++)
			if (strcmp(rb->params[i].name, k) == 0)
				break;
		if (i == rb->nparams) {
			fd_error_set(err, "InvalidParameter", "runbook %s has no parameter '%s'", rb->name, k);
			goto fail;
		}
		if (!rb_param_given(&rb->params[i])) {
			fd_error_set(err, "InvalidParameter", "parameter %s is set by the include at %s: it cannot be given",
				     k, rb->params[i].bound_at);
			goto fail;
		}
	}
	for (i = 0; i < rb->nparams; i++) {
		const struct rb_param *p = &rb->params[i];
		json_t *given = json_object_get(params, p->name), *t;
		if (!rb_param_given(p)) {   /* after those it is set from (they come first) */
			json_t *b = rb_include_bind(p, r->params, err);
			t = b ? rb_param_value(p, b, err) : NULL;
			json_decref(b);
			if (!t)
				goto fail;
			json_object_set_new(r->params, p->name, t);
			continue;
		}
		if (!given && !p->def) {
			fd_error_set(err, "InvalidParameter", "parameter %s is required (-p %s=VALUE)", p->name, p->name);
			goto fail;
		}
		if (!given) {
			json_object_set(r->params, p->name, p->def);
			continue;
		}
		if (!(t = rb_param_value(p, given, err)))
			goto fail;
		json_object_set_new(r->params, p->name, t);
	}
	collect_secrets(r);
	r->started_ms = rb_run_now_ms(r);
	if (opts->run_id)
		r->run_id = xstrdup(opts->run_id);
	else {
		char when[32];
		struct strbuf sb;
		time_t t = (time_t)(r->started_ms / 1000);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", &tm);
		strbuf_init(&sb);
		strbuf_addf(&sb, "%s-%s-%ld", when, rb->name, (long)getpid());
		r->run_id = strbuf_detach(&sb, NULL);
	}
	if (rb_watch_check_windows(r, err) < 0 || rb_call_check_regions(r, err) < 0)
		goto fail;
	pick_stack(r, opts->stack);
	if (run_lock(r, opts->break_lock_host, err) < 0)
		goto fail;
	rb_log_say(r, "runbook %s: %srun %s", rb->name, opts->plan ? "plan of " : opts->read_only ? "read-only " : "", r->run_id);
	rb_log_journal(r);
	return r;
fail:
	rb_run_destroy(r);
	return NULL;
}

/* Restore one section's step states from the journal. */
static void restore_steps(struct step_state *st, const struct rb_step *steps, size_t n, json_t *arr)
{
	static const char *const names[] = { "pending", "running", "done", "failed", "skipped" };
	size_t i, k;

	for (i = 0; i < n && i < json_array_size(arr); i++) {
		json_t *s = json_array_get(arr, i);
		const char *status = json_string_value(json_object_get(s, "status"));
		if (!json_string_value(json_object_get(s, "name")) ||
		    strcmp(json_string_value(json_object_get(s, "name")), steps[i].name) != 0)
			continue;
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (status && strcmp(status, names[k]) == 0)
				st[i].status = names[k];
		st[i].attempts = (int)json_integer_value(json_object_get(s, "attempts"));
		st[i].started_ms = json_integer_value(json_object_get(s, "started_ms"));
		st[i].ended_ms = json_integer_value(json_object_get(s, "ended_ms"));
		st[i].sent_ms = json_integer_value(json_object_get(s, "sent_ms"));
		st[i].mutation_sent = json_is_true(json_object_get(s, "mutation_sent"));
	}
}

struct rb_run *rb_run_resume(const struct runbook *rb, json_t *j, json_t *params, const struct rb_io *io,
			     const struct rb_options *opts, struct fd_error *err)
{
	struct rb_run *r;
	const char *status = json_string_value(json_object_get(j, "status"));
	const char *name = json_string_value(json_object_get(j, "runbook"));
	const char *id = json_string_value(json_object_get(j, "run_id"));
	struct step_state *ss;

	if (!id || !name || strcmp(name, rb->name) != 0) {
		fd_error_set(err, "StateError", "the journal is of runbook %s, not %s", name ? name : "?", rb->name);
		return NULL;
	}
	if (!status || strcmp(status, "running") != 0) {
		fd_error_set(err, "RunFinished", "run %s already ended: %s", id, status ? status : "?");
		return NULL;
	}
	r = run_alloc(rb, io, opts);
	r->run_id = xstrdup(id);
	r->params = json_deep_copy(json_object_get(j, "parameters"));
	if (!json_is_object(r->params)) {
		json_decref(r->params);
		r->params = json_object();
	}
	{
		/* secret parameters are not in the journal: they come again */
		size_t i;
		for (i = 0; i < rb->nparams; i++) {
			const struct rb_param *p = &rb->params[i];
			json_t *given = json_object_get(params, p->name), *t;
			if (!p->secret)
				continue;
			if (!given) {
				fd_error_set(err, "InvalidParameter", "parameter %s is secret and the journal does not keep it: "
					     "give it again (-p %s=VALUE)", p->name, p->name);
				rb_run_destroy(r);
				return NULL;
			}
			if (!(t = rb_param_value(p, given, err))) {
				rb_run_destroy(r);
				return NULL;
			}
			json_object_set_new(r->params, p->name, t);
		}
	}
	collect_secrets(r);
	if (json_is_object(json_object_get(j, "outputs")))
		json_object_update(r->outputs, json_object_get(j, "outputs"));
	if (json_is_object(json_object_get(j, "measurements")))
		json_object_update(r->measurements, json_object_get(j, "measurements"));
	r->started_ms = json_integer_value(json_object_get(j, "started_ms"));
	r->in_rollback = json_string_value(json_object_get(j, "phase")) &&
			 strcmp(json_string_value(json_object_get(j, "phase")), "rollback") == 0;
	r->idx = (size_t)json_integer_value(json_object_get(j, "index"));
	if (json_string_value(json_object_get(j, "failure")))
		r->failure = xstrdup(json_string_value(json_object_get(j, "failure")));
	restore_steps(r->main, rb->steps, rb->nsteps, json_object_get(j, "steps"));
	restore_steps(r->back, rb->rollback, rb->nrollback, json_object_get(j, "rollback"));
	for (size_t i = 0; i < rb->nsteps + rb->nrollback; i++)
		r->changed |= (i < rb->nsteps ? r->main[i] : r->back[i - rb->nsteps]).mutation_sent;
	pick_stack(r, json_string_value(json_object_get(j, "stack")) ? json_string_value(json_object_get(j, "stack")) : opts->stack);
	if (run_lock(r, opts->break_lock_host, err) < 0) {
		rb_run_destroy(r);
		return NULL;
	}
	rb_log_say(r, "runbook %s: resuming run %s at %sstep %zu", rb->name, r->run_id, r->in_rollback ? "rollback " : "",
	    r->idx + 1);
	/* Probes whose steps are not over start again, with their counts. */
	rb_probe_resume(r, json_object_get(j, "probes"));
	if (r->idx < rb_run_section_len(r)) {
		ss = rb_run_cur_state(r);
		if (strcmp(ss->status, "running") == 0 && ss->mutation_sent)
			rb_log_say(r, "  step %s may have sent its change before the interruption: re-reading the state first",
			    rb_run_cur_step(r)->name);
		if (strcmp(ss->status, "running") == 0 && ss->mutation_sent &&
		    !json_object_get(rb_run_cur_step(r)->inputs, "current")) {
			rb_log_say(r, "  warning: step %s has no `current` read; cannot tell whether it took effect",
			    rb_run_cur_step(r)->name);
			r->must_ask = true;
		}
	}
	rb_log_journal(r);
	return r;
}

void rb_run_destroy(struct rb_run *r)
{
	if (!r)
		return;
	rb_call_abandon(r);
	rb_probe_destroy_all(r);
	if (r->lock_path)
		rb_journal_unlock(r->lock_path);
	rb_outcome_reset(r);
	free(r->lock_path);
	free(r->journal_path);
	free(r->run_id);
	free(r->state_dir);
	free(r->stack);
	free(r->failure);
	free(r->caller_arn);
	free(r->account);
	free(r->main);
	free(r->back);
	json_decref(r->params);
	json_decref(r->secrets);
	json_decref(r->outputs);
	json_decref(r->measurements);
	json_decref(r->unknown);
	free(r->plan_stop);
	free(r);
}

enum rb_status rb_run_status(const struct rb_run *r)
{
	return r->status;
}

int rb_run_exit_code(const struct rb_run *r)
{
	if (r->status == RB_PLANNED)
		return r->plan_worst;
	return r->status == RB_DONE ? 0 : 1;
}

const char *rb_run_id(const struct rb_run *r)
{
	return r->run_id;
}

const char *rb_run_journal_path(const struct rb_run *r)
{
	return r->journal_path;
}

size_t rb_run_step_count(const struct rb_run *r, bool rollback)
{
	return rollback ? r->rb->nrollback : r->rb->nsteps;
}

void rb_run_step_info(const struct rb_run *r, bool rollback, size_t i, struct rb_step_info *info)
{
	const struct rb_step *st = rollback ? &r->rb->rollback[i] : &r->rb->steps[i];
	const struct step_state *ss = rollback ? &r->back[i] : &r->main[i];

	info->name = st->name;
	info->action = st->action->name;
	info->status = ss->status;
	info->attempts = ss->attempts;
	info->started_ms = ss->started_ms;
	info->ended_ms = ss->ended_ms;
}

bool rb_run_current(const struct rb_run *r, bool *rollback, size_t *index)
{
	if (rb_run_finished(r) || r->identity != 2)
		return false;
	*rollback = r->in_rollback;
	*index = r->idx;
	return true;
}
