/* rb_call.c — a run's AWS calls: started through rb_io, completed, audited, retried when a
 * read failed transiently. */
#include "runbooks/rb_run_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/ops.h"
#include "aws/region.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

/* Whether an operation changes anything: the io's answer (tests), else the
 * operation table's flag; an unknown operation counts as mutating. */
bool rb_call_is_mutating(struct rb_run *r, const char *service, const char *operation)
{
	const struct ops_operation *op;

	if (r->io->is_mutating)
		return r->io->is_mutating(r->io->ctx, service, operation);
	op = ops_find(service, operation);
	return op ? op->mutating : true;
}

/* The request id of a result (botocore's ResponseMetadata) or of an error. */
static const char *request_id_of(json_t *result, const struct fd_error *err)
{
	const char *id = json_string_value(json_object_get(json_object_get(result, "ResponseMetadata"), "RequestId"));

	if (id)
		return id;
	return err && err->request_id[0] ? err->request_id : NULL;
}

struct call_meta {
	struct call_token *token;
	char *service, *operation, *region;
	json_t *input;
};

/* Completion of a call: record it, let the step see it. */
static void call_done(void *ctx, json_t *result, const struct fd_error *err)
{
	struct call_meta *m = ctx;
	struct rb_run *r = m->token->r;

	if (r) {
		char outcome[600];
		if (err)
			snprintf(outcome, sizeof(outcome), "error: %s: %s", err->code, err->message);
		else
			snprintf(outcome, sizeof(outcome), "ok");
		rb_log_audit(r, m->service, m->operation, m->region, m->input, outcome, request_id_of(result, err));
		r->token = NULL;
		json_decref(r->result);
		r->result = result;
		r->call_failed = err != NULL;
		if (err)
			r->call_err = *err;
		r->call_done = true;
		result = NULL;
	}
	json_decref(result);
	free(m->token);
	free(m->service);
	free(m->operation);
	free(m->region);
	json_decref(m->input);
	free(m);
}

/* Start a call; the step's phase becomes wait_phase until it completes. */
void rb_call_start(struct rb_run *r, const char *service, const char *operation, const char *region,
		       json_t *input, enum phase wait_phase)
{
	struct call_meta *m = xcalloc(1, sizeof(*m));
	struct fd_error err;

	m->token = xcalloc(1, sizeof(*m->token));
	m->token->r = r;
	m->service = xstrdup(service);
	m->operation = xstrdup(operation);
	m->region = region ? xstrdup(region) : NULL;
	m->input = input ? json_incref(input) : json_object();
	r->token = m->token;
	r->call_done = r->call_failed = false;
	r->phase = wait_phase;
	fd_error_clear(&err);
	if ((region && region_known(region, "the step's region", &err) < 0) ||
	    r->io->call(r->io->ctx, service, operation, region, m->input, call_done, m, &err) < 0) {
		m->token->r = r;
		call_done(m, NULL, &err);
	}
}

/* Forget the call in flight (its completion will be dropped). */
void rb_call_abandon(struct rb_run *r)
{
	if (r->token) {
		r->token->r = NULL;
		r->token = NULL;
	}
}

/* The region a step's call goes to (NULL: the client's). */
const char *rb_call_region(const struct rb_run *r, json_t *obj)
{
	const char *reg = json_string_value(json_object_get(obj, "region"));

	return reg && *reg ? reg : NULL;
}

/* Every step's region that the parameters alone give (`{{ parameters.region }}`) is an
 * AWS region: a typo stops the run before its first call, naming the step and the
 * template (an unknown region has no endpoint: AWS would never answer). */
int rb_call_check_regions(struct rb_run *r, struct fd_error *err)
{
	size_t i;

	for (i = 0; i < r->rb->nsteps + r->rb->nrollback; i++) {
		const struct rb_step *st = i < r->rb->nsteps ? &r->rb->steps[i] : &r->rb->rollback[i - r->rb->nsteps];
		json_t *v = json_object_get(st->inputs, "region"), *e;
		struct fd_error ignored;
		struct strbuf src;
		int rc = 0;
		if (!v || !(e = rb_input_expand(r, v, &ignored)))
			continue;   /* no region, or one a step's output gives: checked when it is called */
		if (json_is_string(e)) {
			strbuf_init(&src);
			strbuf_addf(&src, "%s:%d: step '%s': %s", rb_step_file(r->rb, st), st->line, st->name,
				    json_is_string(v) ? json_string_value(v) : "region");
			struct fd_error bad;
			if ((rc = region_known(json_string_value(e), src.data, &bad)) < 0)   /* bad input: exit 2 */
				fd_error_set(err, "InvalidParameter", "%s", bad.message);
			strbuf_clean_up(&src);
		}
		json_decref(e);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Start the step's own call (service, operation, region, input of r->in). */
void rb_call_own(struct rb_run *r)
{
	json_t *input = json_object_get(r->in, "input");

	if (rb_run_cur_step(r)->action->kind != RB_ACTION_AWS &&
	    rb_call_is_mutating(r, rb_input_str(r, "service"), rb_input_str(r, "operation"))) {
		rb_outcome_fail(r, "InvalidRunbook", "%s %s changes state: only the aws action may call it",
			  rb_input_str(r, "service"), rb_input_str(r, "operation"));
		return;
	}
	rb_call_start(r, rb_input_str(r, "service"), rb_input_str(r, "operation"), rb_call_region(r, r->in),
		   json_is_object(input) ? input : NULL, PH_ACT_WAIT);
}

/* A read failed with a transient error (throttling, a timeout): try it again
 * shortly, up to three times per step; false when the step must fail instead. */
bool rb_call_retry_read(struct rb_run *r, enum phase again)
{
	if (!r->call_failed || !r->call_err.transient || r->read_retries >= 3)
		return false;
	r->read_retries++;
	rb_log_say(r, "  (%s: %s; reading again in %d s)", r->call_err.code, r->call_err.message, r->read_retries);
	r->due_ms = rb_run_now_ms(r) + 1000L * r->read_retries;
	r->phase = PH_TIMER;
	r->timer_next = again;
	return true;
}
