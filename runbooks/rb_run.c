/* rb_run.c — the runbook engine (see rb_run.h). */
#include "runbooks/rb_run.h"

#include <ctype.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "aws/ops.h"
#include "base/strbuf.h"
#include "base/termtext.h"
#include "base/xalloc.h"
#include "runbooks/rb_confirm.h"
#include "runbooks/rb_journal.h"
#include "runbooks/rb_metric.h"

/* Where a step's execution stands. */
enum phase {
	PH_BEGIN,        /* expand inputs, decide the first move */
	PH_READ,         /* read the current state (aws: `current`) */
	PH_READ_WAIT,
	PH_CONFIRM,      /* show the change, ask for the token */
	PH_INPUT,        /* waiting for the typed answer */
	PH_ACT,          /* the step's own call */
	PH_ACT_WAIT,
	PH_EVAL,         /* evaluate a condition on what was read */
	PH_TIMER,        /* wait until due_ms, then go to timer_next */
	PH_END,          /* the step succeeded (sleep) */
	PH_ACT_AGAIN,    /* aws: read again after a transient failure */
	PH_ITEM,         /* aws for_each: begin the next item (inputs expanded) */
};

struct step_state {
	const char *status;      /* static: pending, running, done, failed, skipped */
	int attempts;
	int64_t started_ms, ended_ms;
	bool mutation_sent;      /* journaled just before a mutating call went out */
};

struct probe {
	int step;                /* the probe step (main section) */
	char *url;
	long interval_ms;
	json_t *during;          /* step names, borrowed from the step's inputs; NULL for a smoke test */
	long expect_lo, expect_hi;
	double max_failed;       /* failure rate above which the run is breached */
	long checks, failures;   /* while watching */
	long first_left;         /* baseline (or smoke) checks still to make */
	long first_checks, first_ok;
	char last_error[160];    /* what the last failed check got */
	int64_t next_due_ms;
	CURL *easy;              /* the check in flight, or NULL */
	bool stopped, breached;
};

/* One call in flight; outlives an abandoned run step (r is then NULL). */
struct call_token {
	struct rb_run *r;
};

struct rb_run {
	const struct runbook *rb;
	const struct rb_io *io;
	struct rb_options opts;
	char *run_id, *state_dir, *stack, *lock_path, *journal_path;
	json_t *params;          /* resolved parameters */
	json_t *secrets;         /* the values of secret parameters: redacted wherever they are recorded or shown */
	json_t *outputs;         /* {step: {Output: value}} */
	json_t *measurements;    /* {name: value} */
	enum rb_status status;
	bool in_rollback;
	size_t idx;
	struct step_state *main, *back;
	int64_t started_ms;
	char *failure;           /* why the run aborted */
	bool refused_read_only;

	int identity;            /* 0 to ask, 1 asking, 2 known */
	char *caller_arn, *account;

	/* The step in progress. */
	enum phase phase, timer_next;
	json_t *in;              /* expanded inputs */
	json_t *result;          /* the last call's result */
	struct fd_error call_err;
	bool call_failed, call_done;
	struct call_token *token;
	int64_t due_ms, deadline_ms, window_end_ms;
	char *current_text, *new_text, *confirm_token, *prompt;
	int tries;               /* wrong answers given to the confirmation being asked */
	const char *ask_what;    /* static: what the token does ("to send it ...") */
	bool mutating, said_waiting;
	bool must_ask;           /* resume: the step may have been sent and cannot be re-read: --yes does not answer */
	int next;                /* branch target, -1 for the next step */
	int read_retries;        /* transient failures of the step's reads so far */
	int mutations_done;      /* mutating calls completed by this process */

	CURLM *multi;
	struct probe *probes;
	size_t nprobes;

	bool changed;            /* a mutating call went out (or may have: resume) */
	bool step_unknown;       /* plan: the step in progress is not evaluated */
	json_t *unknown;         /* plan: {step: why} of steps a plan cannot evaluate */
	bool plan_changed;       /* plan: a mutating step came before (its change is not there) */
	int plan_worst;          /* plan: 0 the run would go through, 1 a check would stop it, 2 errors */
	char *plan_stop;         /* plan: the first step that would stop the run, and why */
	size_t plan_checked;     /* plan: steps evaluated */
	json_t *items;           /* for_each: the items, or NULL */
	size_t item_idx;
	int64_t judged_t;        /* metric: the newest timestamp judged (s) */
	json_t *metric_last;     /* metric: the newest complete datapoint judged */
};

/* ---- small helpers ------------------------------------------------------- */

/* Print one or more lines to the engineer. */
static void __attribute__((format(printf, 2, 3))) say(struct rb_run *r, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;
	char *line, *save = NULL;

	strbuf_init(&sb);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (sb.len == 0)
		r->io->print(r->io->ctx, "");
	for (line = strtok_r(sb.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *safe = termtext_dup(line, 0);   /* AWS data and runbook text never reach a terminal raw */
		r->io->print(r->io->ctx, safe);
		free(safe);
	}
	strbuf_clean_up(&sb);
}

/* The wall clock in ms: the io's (tests inject one), else the system's. */
static int64_t now_ms(struct rb_run *r)
{
	struct timeval tv;

	if (r->io->now_ms)
		return r->io->now_ms(r->io->ctx);
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

int64_t rb_run_now_ms(struct rb_run *r)
{
	return now_ms(r);
}

/* Whether an operation changes anything: the io's answer (tests), else the
 * operation table's flag; an unknown operation counts as mutating. */
static bool is_mutating(struct rb_run *r, const char *service, const char *operation)
{
	const struct ops_operation *op;

	if (r->io->is_mutating)
		return r->io->is_mutating(r->io->ctx, service, operation);
	op = ops_find(service, operation);
	return op ? op->mutating : true;
}

static const struct rb_step *cur_step(const struct rb_run *r)
{
	return r->in_rollback ? &r->rb->rollback[r->idx] : &r->rb->steps[r->idx];
}

static struct step_state *cur_state(struct rb_run *r)
{
	return r->in_rollback ? &r->back[r->idx] : &r->main[r->idx];
}

static size_t section_len(const struct rb_run *r)
{
	return r->in_rollback ? r->rb->nrollback : r->rb->nsteps;
}

static bool finished(const struct rb_run *r)
{
	return r->status != RB_RUNNING && r->status != RB_WAITING_INPUT;
}

/* A string input of the expanded inputs, or NULL. */
static const char *in_str(const struct rb_run *r, const char *key)
{
	return json_string_value(json_object_get(r->in, key));
}

/* A number input given as a number or as text ("0.05", a template's result); def when absent. */
static double in_number(const struct rb_run *r, const char *key, double def)
{
	json_t *v = json_object_get(r->in, key);
	const char *s = json_string_value(v);
	char *end;
	double d;

	if (json_is_number(v))
		return json_number_value(v);
	if (s && *s && (d = strtod(s, &end), !*end))
		return d;
	return def;
}

/* A duration input in ms: text ("250ms", "5m") or a number of seconds (at most 10 days);
 * def when absent, -1 when it is neither. */
static long in_duration_ms(const struct rb_run *r, const char *key, long def)
{
	json_t *v = json_object_get(r->in, key);

	if (!v)
		return def;
	if (json_is_string(v))
		return rb_parse_duration_ms(json_string_value(v));
	if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= 864000)
		return 1000L * (long)json_integer_value(v);
	return -1;
}

/* A JSON value as display text: strings bare, the rest compact JSON. */
static char *display(json_t *v)
{
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (!v)
		return xstrdup("null");
	return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

const char *rb_status_name(enum rb_status s)
{
	static const char *const names[] = {
		[RB_RUNNING] = "running", [RB_WAITING_INPUT] = "running", [RB_DONE] = "done",
		[RB_PLANNED] = "planned", [RB_FAILED] = "failed", [RB_ROLLED_BACK] = "rolled_back",
		[RB_ROLLBACK_FAILED] = "rollback_failed",
	};
	return names[s];
}

/* ---- templates ----------------------------------------------------------- */

/* The value a reference a.b stands for (borrowed, or new for run fields via *owned). */
static json_t *lookup(struct rb_run *r, const char *a, const char *b, json_t **owned, struct fd_error *err)
{
	json_t *v = NULL;

	*owned = NULL;
	if (strcmp(a, "parameters") == 0)
		v = json_object_get(r->params, b);
	else if (strcmp(a, "run") == 0) {
		if (strcmp(b, "id") == 0)
			v = *owned = json_string(r->run_id);
		else if (strcmp(b, "runbook") == 0)
			v = *owned = json_string(r->rb->name);
		else if (strcmp(b, "elapsed_s") == 0)
			v = *owned = json_real((double)(now_ms(r) - r->started_ms) / 1000.0);
		else if (strcmp(b, "now") == 0 || strcmp(b, "ago_5m") == 0) {
			char when[32];
			time_t t = (time_t)(now_ms(r) / 1000) - (strcmp(b, "ago_5m") == 0 ? 300 : 0);
			struct tm tm;
			gmtime_r(&t, &tm);
			strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
			v = *owned = json_string(when);
		}
	} else if (strcmp(a, "item") == 0) {
		v = json_object_get(r->items ? json_array_get(r->items, r->item_idx) : NULL, b);
	} else if (r->unknown && json_object_get(r->unknown, a)) {
		fd_error_set(err, "PlanUnknown", "it needs {{ %s.%s }}, which a plan cannot know (%s)", a, b,
			     json_string_value(json_object_get(r->unknown, a)));
		return NULL;
	} else
		v = json_object_get(json_object_get(r->outputs, a), b);
	if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) {
		const struct rb_step *st = cur_step(r);
		json_decref(*owned);
		*owned = NULL;
		fd_error_set(err, "TemplateError", "%s:%d: step '%s': {{ %s.%s }} %s", r->rb->path, st->line, st->name,
			     a, b, !v ? "has no value (did that step run?)" : json_is_null(v) ? "is null" : "is empty");
		return NULL;
	}
	return v;
}

/* Find the next template in s: sets start and end around "{{ ... }}" and a, b. */
static bool next_template(const char *s, const char **start, const char **end, char *a, char *b, size_t size)
{
	const char *open = strstr(s, "{{"), *close, *p, *e, *dot;

	if (!open || !(close = strstr(open + 2, "}}")))
		return false;
	p = open + 2;
	while (*p == ' ')
		p++;
	e = close;
	while (e > p && e[-1] == ' ')
		e--;
	dot = memchr(p, '.', (size_t)(e - p));
	if (!dot)
		dot = e;
	snprintf(a, size, "%.*s", (int)(dot - p), p);
	snprintf(b, size, "%.*s", dot < e ? (int)(e - dot - 1) : 0, dot < e ? dot + 1 : "");
	*start = open;
	*end = close + 2;
	return true;
}

/* Expand a string: a lone template keeps its value's type; otherwise text
 * (json set: values are inserted as JSON, for jq programs). */
static json_t *expand_string(struct rb_run *r, const char *s, bool json, struct fd_error *err)
{
	struct strbuf sb;
	const char *start, *end, *p = s;
	char a[128], b[128];

	if (next_template(s, &start, &end, a, b, sizeof(a)) && start == s && !*end && !json) {
		json_t *owned, *v = lookup(r, a, b, &owned, err);
		if (!v)
			return NULL;
		return owned ? owned : json_deep_copy(v);
	}
	strbuf_init(&sb);
	while (next_template(p, &start, &end, a, b, sizeof(a))) {
		json_t *owned, *v = lookup(r, a, b, &owned, err);
		char *t;
		if (!v) {
			strbuf_clean_up(&sb);
			return NULL;
		}
		strbuf_add(&sb, p, (size_t)(start - p));
		t = json ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : display(v);
		strbuf_adds(&sb, t);
		free(t);
		json_decref(owned);
		p = end;
	}
	strbuf_adds(&sb, p);
	{
		json_t *out = json_string(sb.data);
		strbuf_clean_up(&sb);
		return out;
	}
}

/* Expand every string under v (a new value). */
static json_t *expand(struct rb_run *r, json_t *v, struct fd_error *err)
{
	json_t *out, *x, *e;
	const char *k;
	size_t i;

	if (json_is_string(v))
		return expand_string(r, json_string_value(v), false, err);
	if (json_is_object(v)) {
		out = json_object();
		json_object_foreach(v, k, x) {
			if (!(e = expand(r, x, err))) {
				json_decref(out);
				return NULL;
			}
			json_object_set_new(out, k, e);
		}
		return out;
	}
	if (json_is_array(v)) {
		out = json_array();
		json_array_foreach(v, i, x) {
			if (!(e = expand(r, x, err))) {
				json_decref(out);
				return NULL;
			}
			json_array_append_new(out, e);
		}
		return out;
	}
	return v ? json_deep_copy(v) : json_null();
}

/* Expand a string to text (caller frees); NULL with err. */
static char *expand_text(struct rb_run *r, const char *s, bool json, struct fd_error *err)
{
	json_t *v = expand_string(r, s, json, err);
	char *t;

	if (!v)
		return NULL;
	t = display(v);
	json_decref(v);
	return t;
}

/* plan: the first step a jq program reads through $steps.NAME that a plan cannot know, or NULL. */
static const char *unknown_in(struct rb_run *r, const char *program)
{
	const char *p = program, *k;
	json_t *v;

	if (!r->unknown || json_object_size(r->unknown) == 0)
		return NULL;
	while ((p = strstr(p, "$steps.")) != NULL) {
		p += 7;
		json_object_foreach(r->unknown, k, v) {
			size_t n = strlen(k);
			if (strncmp(p, k, n) == 0 && !isalnum((unsigned char)p[n]) && p[n] != '_' && p[n] != '-')
				return k;
		}
	}
	return NULL;
}

/* Evaluate the step's jq program written at key (templates expanded as JSON) on
 * input; every error (jq's, a template's) fails with FILE:LINE of the program. */
static json_t *eval_jq(struct rb_run *r, const char *key, const char *program, json_t *input, struct fd_error *err)
{
	const struct rb_step *st = cur_step(r);
	const char *unknown = unknown_in(r, program);
	json_t *vars, *v;
	char *prog;

	if (unknown) {
		fd_error_set(err, "PlanUnknown", "%s reads $steps.%s, which a plan cannot know (%s)", key, unknown,
			     json_string_value(json_object_get(r->unknown, unknown)));
		return NULL;
	}
	if (!(prog = expand_text(r, program, true, err)))
		return NULL;
	vars = json_pack("{s:O,s:O}", "parameters", r->params, "steps", r->outputs);
	v = rb_jq_eval(prog, input, vars, err);
	json_decref(vars);
	free(prog);
	if (!v && err && strcmp(err->code, "JqError") == 0) {
		char msg[sizeof(err->message)];
		snprintf(msg, sizeof(msg), "%s", err->message);
		fd_error_set(err, "JqError", "%s:%d: step '%s': %s: %s", r->rb->path, rb_step_line(st, key), st->name,
			     key, msg);
	}
	return v;
}

/* ---- journal and audit --------------------------------------------------- */

/* The journal's view of one section. */
static json_t *journal_steps(const struct rb_step *steps, const struct step_state *st, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:i,s:I,s:I,s:b}", "name", steps[i].name,
						   "status", st[i].status, "attempts", st[i].attempts,
						   "started_ms", (json_int_t)st[i].started_ms,
						   "ended_ms", (json_int_t)st[i].ended_ms,
						   "mutation_sent", st[i].mutation_sent));
	return a;
}

/* The parameters as the journal keeps them: secret ones redacted (resume asks again). */
static json_t *journal_params(struct rb_run *r)
{
	json_t *out = json_deep_copy(r->params);
	size_t i;

	for (i = 0; i < r->rb->nparams; i++)
		if (r->rb->params[i].secret && json_object_get(out, r->rb->params[i].name))
			json_object_set_new(out, r->rb->params[i].name, json_string("<redacted>"));
	return out;
}

/* Write the journal (before and after every step); a failure is reported, not fatal. */
static void journal(struct rb_run *r)
{
	struct fd_error err;
	json_t *j, *probes;
	size_t i;

	if (!r->state_dir || r->opts.plan)
		return;
	probes = json_object();
	for (i = 0; i < r->nprobes; i++)
		json_object_set_new(probes, r->rb->steps[r->probes[i].step].name,
				    json_pack("{s:I,s:I}", "checks", (json_int_t)r->probes[i].checks,
					      "failures", (json_int_t)r->probes[i].failures));
	j = json_pack("{s:i,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:I,s:I,s:I,s:O,s:O,s:o,s:o,s:o,s:s?}",
		      "version", 1, "run_id", r->run_id, "runbook", r->rb->name, "path", r->rb->path,
		      "stack", r->stack, "parameters", journal_params(r),
		      "status", rb_status_name(r->status), "phase", r->in_rollback ? "rollback" : "main",
		      "index", (json_int_t)r->idx, "started_ms", (json_int_t)r->started_ms,
		      "updated_ms", (json_int_t)now_ms(r), "outputs", r->outputs, "measurements", r->measurements,
		      "steps", journal_steps(r->rb->steps, r->main, r->rb->nsteps),
		      "rollback", journal_steps(r->rb->rollback, r->back, r->rb->nrollback),
		      "probes", probes, "failure", r->failure);
	if (rb_journal_save(r->state_dir, r->run_id, j, &err) < 0)
		say(r, "warning: journal not written: %s", err.message);
	json_decref(j);
}

/* The request id of a result (botocore's ResponseMetadata) or of an error. */
static const char *request_id_of(json_t *result, const struct fd_error *err)
{
	const char *id = json_string_value(json_object_get(json_object_get(result, "ResponseMetadata"), "RequestId"));

	if (id)
		return id;
	return err && err->request_id[0] ? err->request_id : NULL;
}

/* Append one record to the audit log. */
static void audit(struct rb_run *r, const char *service, const char *operation, const char *region,
		  json_t *input, const char *outcome, const char *request_id)
{
	struct fd_error err;
	char when[32];
	json_t *rec;
	time_t t = (time_t)(now_ms(r) / 1000);
	struct tm tm;

	if (!r->state_dir || r->opts.plan)
		return;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	rec = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:s?,s:s?,s:b}", "time", when, "run_id", r->run_id,
			"runbook", r->rb->name, "step", r->identity == 2 ? cur_step(r)->name : "identity",
			"service", service, "operation", operation,
			"region", region ? region : (r->io->default_region ? r->io->default_region : ""),
			"parameters", rb_journal_redact(input, r->secrets), "outcome", outcome, "request_id", request_id,
			"caller_arn", r->caller_arn, "mutating", is_mutating(r, service, operation));
	if (rb_journal_audit(r->state_dir, rec, &err) < 0)
		say(r, "warning: audit log not written: %s", err.message);
	json_decref(rec);
}

/* ---- calls --------------------------------------------------------------- */

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
		audit(r, m->service, m->operation, m->region, m->input, outcome, request_id_of(result, err));
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
static void start_call(struct rb_run *r, const char *service, const char *operation, const char *region,
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
	if (r->io->call(r->io->ctx, service, operation, region, m->input, call_done, m, &err) < 0) {
		m->token->r = r;
		call_done(m, NULL, &err);
	}
}

/* Forget the call in flight (its completion will be dropped). */
static void abandon_call(struct rb_run *r)
{
	if (r->token) {
		r->token->r = NULL;
		r->token = NULL;
	}
}

/* ---- probes -------------------------------------------------------------- */

static void __attribute__((format(printf, 3, 4))) step_fail(struct rb_run *r, const char *code, const char *fmt, ...);
static void record(struct rb_run *r, const char *name, double secs);

/* Whether the probe is making its first checks (a baseline or a smoke test) in its own step. */
static bool probe_first(const struct probe *p)
{
	return p->first_left > 0;
}

/* Whether the step running now is one the probe watches. */
static bool probe_active(const struct rb_run *r, const struct probe *p)
{
	const struct rb_step *st;
	size_t i;
	json_t *v;

	if (finished(r) || r->identity != 2 || !p->during)
		return false;
	if (probe_first(p))
		return true;
	st = cur_step(r);
	json_array_foreach(p->during, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), st->name) == 0)
			return true;
	return false;
}

/* Whether every step the probe watches has finished (or the run has). */
static bool probe_over(const struct rb_run *r, const struct probe *p)
{
	size_t i;
	json_t *v;

	if (finished(r))
		return true;
	if (!p->during)
		return !probe_first(p);
	json_array_foreach(p->during, i, v) {
		int k = rb_step_index(r->rb, json_string_value(v), false);
		const struct step_state *s = k >= 0 ? &r->main[k] : NULL;
		if (k < 0) {
			k = rb_step_index(r->rb, json_string_value(v), true);
			s = k >= 0 ? &r->back[k] : NULL;
		}
		if (s && (strcmp(s->status, "pending") == 0 || strcmp(s->status, "running") == 0))
			return false;
	}
	return true;
}

/* The downtime a probe measured: its failed checks times its interval. */
static double probe_downtime_s(const struct probe *p)
{
	return (double)(p->failures * p->interval_ms) / 1000.0;
}

/* Mirror a probe's counters into its step's outputs. */
static void probe_outputs(struct rb_run *r, struct probe *p)
{
	json_object_set_new(r->outputs, r->rb->steps[p->step].name,
			    json_pack("{s:f,s:I,s:I}", "downtime_s", probe_downtime_s(p),
				      "checks", (json_int_t)p->checks, "failures", (json_int_t)p->failures));
}

/* Record a stopped probe's downtime (not when it never got past its baseline). */
static void probe_report(struct rb_run *r, struct probe *p)
{
	const struct rb_step *st = &r->rb->steps[p->step];

	if (!p->during || probe_first(p) || p->first_ok == 0)
		return;
	say(r, "probe %s: %ld checks of %s every %ld ms, %ld failed: downtime %.1f s", st->name, p->checks,
	    p->url, p->interval_ms, p->failures, probe_downtime_s(p));
	if (st->measure)
		record(r, st->measure, probe_downtime_s(p));
}

/* Whether the failures breach the probe's max_failed (a rate; 0: any failure). A
 * non-zero rate is judged once there are enough checks for one failure to be within it. */
static bool probe_breached(const struct probe *p)
{
	if (p->failures == 0 || (double)p->failures <= p->max_failed * (double)p->checks)
		return false;
	return p->max_failed == 0 || (double)p->checks * p->max_failed >= 1.0;
}

/* One finished check of p: count it, and act on a breach. */
static void probe_result(struct rb_run *r, struct probe *p, bool good, const char *what)
{
	if (!good)
		snprintf(p->last_error, sizeof(p->last_error), "%s", what);
	if (probe_first(p)) {
		p->first_checks++;
		p->first_ok += good;
		p->first_left--;
		return;
	}
	p->checks++;
	p->failures += !good;
	probe_outputs(r, p);
	if (!p->breached && !r->in_rollback && !r->opts.plan && probe_breached(p)) {
		p->breached = true;
		abandon_call(r);
		step_fail(r, "ProbeBreach", "probe %s: %ld of %ld checks of %s failed (%.1f %%, max_failed %.1f %%; last: %s)",
			  r->rb->steps[p->step].name, p->failures, p->checks, p->url,
			  100.0 * (double)p->failures / (double)p->checks, 100.0 * p->max_failed, p->last_error);
	}
}

/* Discard the response body of a probe. */
static size_t discard(char *ptr, size_t size, size_t n, void *data)
{
	(void)ptr; (void)data;
	return size * n;
}

/* Start due checks, collect finished ones, stop probes whose steps are over. */
static void probe_tick(struct rb_run *r)
{
	CURLMsg *msg;
	int running, left;
	size_t i;
	int64_t now;

	if (!r->multi)
		return;
	now = now_ms(r);
	for (i = 0; i < r->nprobes; i++) {
		struct probe *p = &r->probes[i];
		if (p->stopped || p->easy || !(probe_active(r, p) || (!p->during && probe_first(p))) ||
		    now < p->next_due_ms)
			continue;
		p->easy = curl_easy_init();
		curl_easy_setopt(p->easy, CURLOPT_URL, p->url);
		curl_easy_setopt(p->easy, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(p->easy, CURLOPT_TIMEOUT_MS, p->interval_ms > 1000 ? p->interval_ms : 1000L);
		curl_easy_setopt(p->easy, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(p->easy, CURLOPT_NOBODY, 0L);
		curl_easy_setopt(p->easy, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(p->easy, CURLOPT_PRIVATE, p);
		curl_multi_add_handle(r->multi, p->easy);
		p->next_due_ms = (p->next_due_ms && now - p->next_due_ms < p->interval_ms ? p->next_due_ms : now) +
				 p->interval_ms;
	}
	curl_multi_perform(r->multi, &running);
	while ((msg = curl_multi_info_read(r->multi, &left)) != NULL) {
		struct probe *p = NULL;
		long status = 0;
		char what[160];
		bool good;
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&p);
		curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
		good = msg->data.result == CURLE_OK && status >= p->expect_lo && status <= p->expect_hi;
		if (msg->data.result != CURLE_OK)
			snprintf(what, sizeof(what), "%s", curl_easy_strerror(msg->data.result));
		else
			snprintf(what, sizeof(what), "HTTP %ld", status);
		curl_multi_remove_handle(r->multi, msg->easy_handle);
		curl_easy_cleanup(msg->easy_handle);
		p->easy = NULL;
		probe_result(r, p, good, what);
	}
	for (i = 0; i < r->nprobes; i++) {
		struct probe *p = &r->probes[i];
		if (!p->stopped && !p->easy && p->during && probe_over(r, p)) {
			p->stopped = true;
			probe_report(r, p);
		}
	}
}

/* ---- step outcomes ------------------------------------------------------- */

static void finish_run(struct rb_run *r, enum rb_status st);

/* Reset what one step execution keeps. */
static void step_reset(struct rb_run *r)
{
	abandon_call(r);
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

/* Move to step index next of the current section (or the end of it). */
static void goto_step(struct rb_run *r, size_t next)
{
	step_reset(r);
	r->must_ask = false;
	r->idx = next;
	if (r->idx >= section_len(r))
		finish_run(r, r->in_rollback ? RB_ROLLED_BACK : (r->opts.plan ? RB_PLANNED : RB_DONE));
	else
		journal(r);
}

/* How a figure is named in a run's last line ("RTO 14.6 s"). */
static void figure_name(const char *measure, char *out, size_t size)
{
	static const struct { const char *measure, *shown; } names[] = {
		{ "rto_s", "RTO" }, { "downtime_s", "downtime" }, { "deploy_duration_s", "deploy" },
		{ "scale_out_latency_s", "scale-out" }, { "failback_s", "failback" },
	};
	size_t i, n;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].measure, measure) == 0) {
			snprintf(out, size, "%s", names[i].shown);
			return;
		}
	snprintf(out, size, "%s", measure);
	n = strlen(out);
	if (n > 2 && strcmp(out + n - 2, "_s") == 0)
		out[n - 2] = '\0';
	for (i = 0; out[i]; i++)
		if (out[i] == '_')
			out[i] = ' ';
}

/* Record a measurement: the run's figures, the dashboard's targets. */
static void record(struct rb_run *r, const char *name, double secs)
{
	json_object_set_new(r->measurements, name, json_real(secs));
	say(r, "measured %s = %.1f s", name, secs);
	if (r->io->measure)
		r->io->measure(r->io->ctx, name, secs, r->rb->name, r->run_id, r->stack);
}

#define PLAN_NOT_SENT "a plan does not send it"

/* plan: the current step cannot be evaluated; steps using it cannot either. */
static void plan_unknown(struct rb_run *r, const char *why)
{
	json_object_set_new(r->unknown, cur_step(r)->name, json_string(why));
	r->step_unknown = true;
}

/* The step succeeded with result (borrowed): outputs, print, measure, journal, next. */
static void step_succeed(struct rb_run *r, json_t *result)
{
	const struct rb_step *st = cur_step(r);
	struct step_state *ss = cur_state(r);
	int64_t t = now_ms(r);
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
			if (!(o = eval_jq(r, key, json_string_value(v), result, &err))) {
				json_decref(outs);
				step_fail(r, err.code, "%s", err.message);
				return;
			}
			json_object_set_new(outs, k, o);
		}
		json_object_set_new(r->outputs, st->name, outs);
	}
	if (st->print && !unknown) {
		char *text = expand_text(r, st->print, false, &err);
		if (!text) {
			step_fail(r, err.code, "print: %s", err.message);
			return;
		}
		say(r, "  %s", text);
		free(text);
	}
	ss->status = "done";
	ss->ended_ms = t;
	if (st->measure && st->action->kind != RB_ACTION_PROBE && !r->opts.plan) {
		int64_t from = st->measure_from >= 0 ?
			(r->in_rollback ? r->back : r->main)[st->measure_from].started_ms : r->started_ms;
		record(r, st->measure, (double)(t - from) / 1000.0);
	}
	if (unknown && strcmp(json_string_value(json_object_get(r->unknown, st->name)), PLAN_NOT_SENT) != 0)
		say(r, "  plan: not evaluated: %s", json_string_value(json_object_get(r->unknown, st->name)));
	else {
		r->plan_checked++;
		say(r, "  ok (%.1f s)", (double)(t - ss->started_ms) / 1000.0);
	}
	goto_step(r, r->next >= 0 ? (size_t)r->next : r->idx + 1);
}

/* plan: the step is not evaluated (why); go on with the next one. */
static void plan_skip(struct rb_run *r, const char *why)
{
	plan_unknown(r, why);
	step_succeed(r, NULL);
}

/* Start the rollback section, or end the run failed. */
static void abort_run(struct rb_run *r)
{
	if (!r->in_rollback && r->rb->nrollback && !r->refused_read_only && !r->changed) {
		say(r, "== nothing was changed: no rollback ==");
		finish_run(r, RB_FAILED);
		return;
	}
	if (!r->in_rollback && r->rb->nrollback && !r->refused_read_only) {
		say(r, "== rolling back: %zu step%s ==", r->rb->nrollback, r->rb->nrollback == 1 ? "" : "s");
		step_reset(r);
		r->in_rollback = true;
		r->idx = 0;
		journal(r);
		return;
	}
	finish_run(r, r->in_rollback ? RB_ROLLBACK_FAILED : RB_FAILED);
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
	const struct rb_step *st = cur_step(r);
	struct step_state *ss = cur_state(r);
	int sev = is_check(code) ? 1 : 2;

	if (strcmp(code, "PlanUnknown") == 0) {
		plan_skip(r, msg);
		return;
	}
	ss->status = "failed";
	ss->ended_ms = now_ms(r);
	if (st->on_failure != RB_ON_FAILURE_ABORT) {
		say(r, "  plan: the run would go on (on_failure)");
		r->plan_checked++;
		if (st->outputs) {
			json_t *outs = json_object(), *v;
			const char *k;
			json_object_foreach(st->outputs, k, v)
				json_object_set_new(outs, k, json_null());
			json_object_set_new(r->outputs, st->name, outs);
		}
		goto_step(r, st->on_failure == RB_ON_FAILURE_STEP ? (size_t)st->on_failure_step : r->idx + 1);
		return;
	}
	say(r, "  plan: %s; the steps after it are not reached",
	    sev == 1 ? "this check would stop the run here" : "the run would stop here on this error");
	if (sev > r->plan_worst) {
		struct strbuf sb;
		strbuf_init(&sb);
		strbuf_addf(&sb, "step %s: %s", st->name, msg);
		free(r->plan_stop);
		r->plan_stop = strbuf_detach(&sb, NULL);
		r->plan_worst = sev;
	}
	finish_run(r, RB_PLANNED);
}

/* The step failed: retry, continue, jump or abort as it says. */
static void __attribute__((format(printf, 3, 4))) step_fail(struct rb_run *r, const char *code, const char *fmt, ...)
{
	const struct rb_step *st = cur_step(r);
	struct step_state *ss = cur_state(r);
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
		say(r, "  FAILED: %s", msg);
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
		say(r, "  retrying (attempt %d of %d) in %.1f s", ss->attempts + 1, st->max_attempts,
		    (double)backoff_ms / 1000.0);
		step_reset(r);
		r->due_ms = now_ms(r) + backoff_ms;
		r->phase = PH_TIMER;
		r->timer_next = PH_BEGIN;
		return;
	}
	ss->status = "failed";
	ss->ended_ms = now_ms(r);
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
		say(r, "  on_failure: continue");
		goto_step(r, r->idx + 1);
		return;
	case RB_ON_FAILURE_STEP:
		say(r, "  on_failure: step:%s", (r->in_rollback ? r->rb->rollback : r->rb->steps)[st->on_failure_step].name);
		goto_step(r, (size_t)st->on_failure_step);
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

/* ", RTO 14.6 s, downtime 0.0 s": the figures this run measured, for its last line. */
static void add_figures(struct rb_run *r, struct strbuf *sb)
{
	const char *k;
	json_t *v;

	json_object_foreach(r->measurements, k, v) {
		char name[64];
		figure_name(k, name, sizeof(name));
		strbuf_addf(sb, ", %s %.1f s", name, json_number_value(v));
	}
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
static void finish_run(struct rb_run *r, enum rb_status st)
{
	double secs = (double)(now_ms(r) - r->started_ms) / 1000.0;
	struct strbuf sb;
	size_t i;

	r->status = st;
	step_reset(r);
	for (i = 0; i < r->nprobes; i++)
		if (r->probes[i].easy) {
			curl_multi_remove_handle(r->multi, r->probes[i].easy);
			curl_easy_cleanup(r->probes[i].easy);
			r->probes[i].easy = NULL;
		}
	probe_tick(r);
	strbuf_init(&sb);
	switch (st) {
	case RB_DONE:
		strbuf_addf(&sb, "runbook %s: done in %.1f s", r->rb->name, secs);
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
		add_figures(r, &sb);
		strbuf_addf(&sb, " (run %s)", r->run_id);
	}
	say(r, "%s", sb.data);
	strbuf_clean_up(&sb);
	journal(r);
	if (r->lock_path) {
		rb_journal_unlock(r->lock_path);
		free(r->lock_path);
		r->lock_path = NULL;
	}
}

/* ---- actions ------------------------------------------------------------- */

/* The region a step's call goes to (NULL: the client's). */
static const char *step_region(const struct rb_run *r, json_t *obj)
{
	const char *reg = json_string_value(json_object_get(obj, "region"));

	return reg && *reg ? reg : NULL;
}

/* Start the step's own call (service, operation, region, input of r->in). */
static void call_own(struct rb_run *r)
{
	json_t *input = json_object_get(r->in, "input");

	if (cur_step(r)->action->kind != RB_ACTION_AWS &&
	    is_mutating(r, in_str(r, "service"), in_str(r, "operation"))) {
		step_fail(r, "InvalidRunbook", "%s %s changes state: only the aws action may call it",
			  in_str(r, "service"), in_str(r, "operation"));
		return;
	}
	start_call(r, in_str(r, "service"), in_str(r, "operation"), step_region(r, r->in),
		   json_is_object(input) ? input : NULL, PH_ACT_WAIT);
}

/* rb_confirm_block's line: through say(). */
static void confirm_line(void *ctx, const char *text)
{
	say(ctx, "%s", text);
}

/* The confirmation of the current aws step (rb_confirm.h: the one block every confirmation shows). */
static void confirm_of(const struct rb_run *r, struct rb_confirm *c)
{
	const char *reg = step_region(r, r->in);

	*c = (struct rb_confirm){
		.service = in_str(r, "service"), .operation = in_str(r, "operation"),
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

	confirm_of(r, &c);
	rb_confirm_block(&c, confirm_line, r);
}

/* Ask for the typed token (what: "to send it ..."), or fail the step when
 * nobody can type it; --yes answers unless must_ask. True when asking. */
static bool ask(struct rb_run *r, const char *token, const char *what, enum phase then)
{
	free(r->confirm_token);
	r->confirm_token = xstrdup(token && *token ? token : "yes");
	if (r->opts.no_terminal) {
		if (cur_step(r)->action->kind == RB_ACTION_AWS)
			audit(r, in_str(r, "service"), in_str(r, "operation"), step_region(r, r->in),
			      json_object_get(r->in, "input"), "refused: no terminal to confirm on", NULL);
		step_fail(r, "NoTerminal", "a typed confirmation (%s) is needed, but stdin is not a terminal: "
			  "nothing sent; run it in a terminal, or give --yes%s", r->confirm_token,
			  r->must_ask ? " (which does not answer this one)" : "");
		return false;
	}
	free(r->prompt);
	r->tries = 0;
	r->ask_what = what;
	r->prompt = rb_confirm_prompt(r->confirm_token, what, 1, NULL);
	r->phase = PH_INPUT;
	r->timer_next = then;
	return true;
}

/* A read failed with a transient error (throttling, a timeout): try it again
 * shortly, up to three times per step; false when the step must fail instead. */
static bool retry_read(struct rb_run *r, enum phase again)
{
	if (!r->call_failed || !r->call_err.transient || r->read_retries >= 3)
		return false;
	r->read_retries++;
	say(r, "  (%s: %s; reading again in %d s)", r->call_err.code, r->call_err.message, r->read_retries);
	r->due_ms = now_ms(r) + 1000L * r->read_retries;
	r->phase = PH_TIMER;
	r->timer_next = again;
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
		step_succeed(r, result);
		return;
	}
	r->item_idx++;
	if (!(in = expand(r, cur_step(r)->inputs, &err))) {
		step_fail(r, err.code, "item %zu: %s", r->item_idx + 1, err.message);
		return;
	}
	json_decref(r->in);
	r->in = in;
	free(r->current_text);
	free(r->new_text);
	free(r->confirm_token);
	free(r->prompt);
	r->current_text = r->new_text = r->confirm_token = r->prompt = NULL;
	say(r, "  item %zu of %zu", r->item_idx + 1, json_array_size(r->items));
	r->phase = PH_ITEM;
}

/* aws: read current state, confirm, act. */
static bool act_aws(struct rb_run *r)
{
	struct fd_error err;
	json_t *cur = json_object_get(r->in, "current");

	switch (r->phase) {
	case PH_BEGIN:
	case PH_ITEM:
		r->mutating = is_mutating(r, in_str(r, "service"), in_str(r, "operation"));
		if (!r->mutating) {
			say(r, "  call %s %s", in_str(r, "service"), in_str(r, "operation"));
			call_own(r);
		} else
			r->phase = cur ? PH_READ : PH_CONFIRM;
		return true;
	case PH_READ: {
		const char *svc = json_string_value(json_object_get(cur, "service"));
		json_t *input = json_object_get(cur, "input");
		start_call(r, svc ? svc : in_str(r, "service"), json_string_value(json_object_get(cur, "operation")),
			   step_region(r, cur) ? step_region(r, cur) : step_region(r, r->in),
			   json_is_object(input) ? input : NULL, PH_READ_WAIT);
		return true;
	}
	case PH_READ_WAIT: {
		json_t *v, *applied;
		const char *prog;
		if (!r->call_done)
			return false;
		if (retry_read(r, PH_READ))
			return true;
		if (r->call_failed) {
			step_fail(r, r->call_err.code, "cannot read the current state: %s: %s", r->call_err.code,
				  r->call_err.message);
			return true;
		}
		/* The value program comes from the runbook, unexpanded. */
		prog = json_string_value(json_object_get(json_object_get(cur_step(r)->inputs, "current"), "value"));
		v = eval_jq(r, "current.value", prog, r->result, &err);
		if (!v) {
			step_fail(r, err.code, "current value: %s", err.message);
			return true;
		}
		r->current_text = display(v);
		json_decref(v);
		if (json_object_get(r->in, "new"))
			r->new_text = display(json_object_get(r->in, "new"));
		prog = json_string_value(json_object_get(cur_step(r)->inputs, "applied"));
		if (prog) {
			applied = eval_jq(r, "applied", prog, r->result, &err);
			if (!applied) {
				step_fail(r, err.code, "applied: %s", err.message);
				return true;
			}
		} else
			applied = json_boolean(r->new_text && strcmp(r->new_text, r->current_text) == 0);
		if (rb_jq_truthy(applied)) {
			json_decref(applied);
			if (cur_state(r)->mutation_sent)
				audit(r, in_str(r, "service"), in_str(r, "operation"), step_region(r, r->in),
				      json_object_get(r->in, "input"), "interrupted: sent, then found in place on resume", NULL);
			say(r, "  %s %s: already in place (%s): nothing sent", in_str(r, "service"),
			    in_str(r, "operation"), r->current_text);
			aws_item_done(r, NULL);
			return true;
		}
		json_decref(applied);
		r->phase = PH_CONFIRM;
		return true;
	}
	case PH_CONFIRM: {
		const char *tok = in_str(r, "confirm");
		show_confirmation(r);
		if (r->opts.plan) {
			say(r, "  plan: nothing sent");
			r->plan_changed = true;
			if (!r->items || r->item_idx + 1 >= json_array_size(r->items))
				plan_unknown(r, PLAN_NOT_SENT);
			aws_item_done(r, NULL);
			return true;
		}
		if (r->opts.read_only) {
			audit(r, in_str(r, "service"), in_str(r, "operation"), step_region(r, r->in),
			      json_object_get(r->in, "input"), "refused: read-only", NULL);
			step_fail(r, "ReadOnly", "read-only mode: refusing the mutating call %s %s; nothing sent",
				  in_str(r, "service"), in_str(r, "operation"));
			return true;
		}
		if (r->opts.yes && !r->must_ask) {
			say(r, "  confirmed by --yes (token %s)", tok && *tok ? tok : "yes");
			r->phase = PH_ACT;
			return true;
		}
		if (r->must_ask)
			say(r, "%s", RB_RUN_MUST_ASK);
		ask(r, tok, "to send it (anything else sends nothing)", PH_ACT);
		return true;
	}
	case PH_ACT_AGAIN:
		call_own(r);
		return true;
	case PH_ACT: {
		struct step_state *ss = cur_state(r);
		ss->mutation_sent = true;
		r->changed = true;
		journal(r);
		say(r, "  sending %s %s", in_str(r, "service"), in_str(r, "operation"));
		call_own(r);
		return true;
	}
	case PH_ACT_WAIT:
		if (!r->call_done)
			return false;
		if (!r->mutating && retry_read(r, PH_ACT_AGAIN))
			return true;
		/* a throttled change was refused, not made: read the state again, then decide */
		if (r->mutating && json_object_get(r->in, "current") && retry_read(r, PH_READ))
			return true;
		if (r->call_failed) {
			step_fail(r, r->call_err.code, "%s %s%s%s: %s: %s%s%s", in_str(r, "service"), in_str(r, "operation"),
				  step_region(r, r->in) ? " in " : "", step_region(r, r->in) ? step_region(r, r->in) : "",
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

/* The step's `interval` in ms, at least min_ms; -1 after failing the step when
 * templating made it something else (a poll loop must never spin). */
static long step_interval_ms(struct rb_run *r, long def_ms, long min_ms)
{
	long ms = in_duration_ms(r, "interval", def_ms);

	if (ms < min_ms) {
		char *shown = display(json_object_get(r->in, "interval"));
		step_fail(r, "InvalidRunbook", "interval '%s' is not a duration of at least %.1f s", shown,
			  (double)min_ms / 1000.0);
		free(shown);
		return -1;
	}
	return ms;
}

/* wait: poll an operation until the condition holds. */
static bool act_wait(struct rb_run *r)
{
	struct fd_error err;
	json_t *v;
	long interval_ms = in_duration_ms(r, "interval", 5000);

	switch (r->phase) {
	case PH_BEGIN:
		say(r, "  wait until %s on %s %s", in_str(r, "until"), in_str(r, "service"), in_str(r, "operation"));
		if (r->opts.plan && r->plan_changed) {
			plan_skip(r, "it waits for the effect of an earlier change");
			return true;
		}
		if (step_interval_ms(r, 5000, RB_MIN_INTERVAL_MS) < 0)
			return true;
		call_own(r);
		return true;
	case PH_ACT_WAIT:
		if (!r->call_done)
			return false;
		if (r->call_failed) {
			if (!r->call_err.transient || r->opts.plan) {
				step_fail(r, r->call_err.code, "%s %s%s%s: %s: %s", in_str(r, "service"), in_str(r, "operation"),
					  step_region(r, r->in) ? " in " : "", step_region(r, r->in) ? step_region(r, r->in) : "",
					  r->call_err.code, r->call_err.message);
				return true;
			}
			say(r, "  (%s: %s; will poll again)", r->call_err.code, r->call_err.message);
			v = json_false();
		} else {
			v = eval_jq(r, "until", json_string_value(json_object_get(cur_step(r)->inputs, "until")), r->result, &err);
			if (!v) {
				step_fail(r, err.code, "until: %s", err.message);
				return true;
			}
		}
		if (rb_jq_truthy(v)) {
			json_decref(v);
			step_succeed(r, r->result);
			return true;
		}
		json_decref(v);
		if (r->opts.plan) {
			step_fail(r, "NotHolding", "%s does not hold now: the run would wait up to %.0f s for it",
				  in_str(r, "until"), (double)step_timeout_ms(cur_step(r)) / 1000.0);
			return true;
		}
		if (!r->said_waiting)
			say(r, "  not yet; polling every %.1f s", (double)interval_ms / 1000.0);
		r->said_waiting = true;
		r->due_ms = now_ms(r) + interval_ms;
		r->phase = PH_TIMER;
		r->timer_next = PH_ACT;
		return true;
	case PH_ACT:
		call_own(r);
		return true;
	default:
		return false;
	}
}

/* assert and branch: evaluate a condition on a call's result or a value. */
static bool act_condition(struct rb_run *r)
{
	const struct rb_step *st = cur_step(r);
	struct fd_error err;
	json_t *subject, *v;
	bool holds;

	switch (r->phase) {
	case PH_BEGIN:
		if (json_object_get(r->in, "for") && r->opts.plan && r->plan_changed) {
			plan_skip(r, "it watches the effect of an earlier change");
			return true;
		}
		if (json_object_get(r->in, "for") && !r->window_end_ms) {
			long for_ms = in_duration_ms(r, "for", 0);
			if (for_ms < 0) {
				char *shown = display(json_object_get(r->in, "for"));
				step_fail(r, "InvalidRunbook", "for '%s' is not a duration", shown);
				free(shown);
				return true;
			}
			if (step_interval_ms(r, 5000, RB_MIN_INTERVAL_MS) < 0)
				return true;
			r->window_end_ms = now_ms(r) + for_ms;
		}
		/* fall through */
	case PH_ACT:
		if (in_str(r, "operation"))
			call_own(r);
		else
			r->phase = PH_EVAL;
		return true;
	case PH_ACT_WAIT:
		if (!r->call_done)
			return false;
		if (retry_read(r, PH_ACT))
			return true;
		if (r->call_failed) {
			step_fail(r, r->call_err.code, "%s %s%s%s: %s: %s", in_str(r, "service"), in_str(r, "operation"),
				  step_region(r, r->in) ? " in " : "", step_region(r, r->in) ? step_region(r, r->in) : "",
				  r->call_err.code, r->call_err.message);
			return true;
		}
		r->phase = PH_EVAL;
		return true;
	case PH_EVAL:
		subject = in_str(r, "operation") ? r->result : json_object_get(r->in, "value");
		v = eval_jq(r, "condition", json_string_value(json_object_get(st->inputs, "condition")), subject, &err);
		if (!v) {
			step_fail(r, err.code, "condition: %s", err.message);
			return true;
		}
		holds = rb_jq_truthy(v);
		json_decref(v);
		if (st->action->kind == RB_ACTION_BRANCH) {
			const char *to = holds ? in_str(r, "then") : in_str(r, "else");
			say(r, "  condition %s is %s -> %s", json_string_value(json_object_get(st->inputs, "condition")),
			    holds ? "true" : "false", to ? to : "next step");
			if (to)
				r->next = rb_step_index(r->rb, to, r->in_rollback);
			step_succeed(r, subject);
			return true;
		}
		if (!holds) {
			const char *m = in_str(r, "message");
			step_fail(r, "AssertionFailed", "assertion failed: %s", m ? m :
				  json_string_value(json_object_get(st->inputs, "condition")));
			return true;
		}
		if (r->window_end_ms && now_ms(r) < r->window_end_ms && !r->opts.plan) {
			long interval_ms = in_duration_ms(r, "interval", 5000);
			if (!r->said_waiting)
				say(r, "  holds; checking every %.1f s for %s", (double)interval_ms / 1000.0, in_str(r, "for"));
			r->said_waiting = true;
			r->due_ms = now_ms(r) + interval_ms;
			if (r->due_ms > r->window_end_ms)
				r->due_ms = r->window_end_ms;
			r->phase = PH_TIMER;
			r->timer_next = PH_ACT;
			return true;
		}
		step_succeed(r, subject);
		return true;
	default:
		return false;
	}
}

/* approve: a typed confirmation. */
static bool act_approve(struct rb_run *r)
{
	const char *tok = in_str(r, "token");

	if (r->phase == PH_END) {
		step_succeed(r, NULL);
		return true;
	}
	if (r->phase != PH_BEGIN)
		return false;
	say(r, "  %s", in_str(r, "message") ? in_str(r, "message") : "");
	if (r->opts.plan) {
		say(r, "  plan: the run asks for approval here");
		step_succeed(r, NULL);
		return true;
	}
	if (r->opts.yes) {
		say(r, "  approved by --yes (token %s)", tok && *tok ? tok : "yes");
		step_succeed(r, NULL);
		return true;
	}
	ask(r, tok, "to go on (anything else stops)", PH_END);
	return true;
}

/* sleep. */
static bool act_sleep(struct rb_run *r)
{
	json_t *d = json_object_get(r->in, "duration");
	long ms = json_is_string(d) ? rb_parse_duration_ms(json_string_value(d)) :
		  json_is_number(d) ? (long)(json_number_value(d) * 1000) : 0;

	if (r->phase == PH_END) {
		step_succeed(r, NULL);
		return true;
	}
	if (r->phase != PH_BEGIN)
		return false;
	say(r, "  sleep %.1f s", (double)ms / 1000.0);
	if (r->opts.plan) {
		step_succeed(r, NULL);
		return true;
	}
	r->due_ms = now_ms(r) + ms;
	r->phase = PH_TIMER;
	r->timer_next = PH_END;
	return true;
}

/* The probe the current step started, or NULL. */
static struct probe *probe_of_step(struct rb_run *r)
{
	size_t i;

	for (i = 0; i < r->nprobes; i++)
		if (r->probes[i].step == (int)r->idx)
			return &r->probes[i];
	return NULL;
}

/* A probe's first checks are done: judge the baseline or the smoke test. */
static bool probe_judge_first(struct rb_run *r, struct probe *p)
{
	const char *name = cur_step(r)->name;
	long failed = p->first_checks - p->first_ok;

	if (p->during && p->first_ok == 0) {
		p->stopped = true;
		step_fail(r, "ProbeBaseline", "probe %s: baseline: %s did not answer successfully (%ld checks; last: %s)",
			  name, p->url, p->first_checks, p->last_error);
		return true;
	}
	if (!p->during) {
		p->stopped = true;
		json_object_set_new(r->outputs, name, json_pack("{s:f,s:I,s:I}", "downtime_s", 0.0, "checks",
								(json_int_t)p->first_checks, "failures", (json_int_t)failed));
		if ((double)failed > p->max_failed * (double)p->first_checks) {
			step_fail(r, "SmokeFailed", "probe %s: smoke test: %ld of %ld checks of %s failed (max_failed %.1f %%; last: %s)",
				  name, failed, p->first_checks, p->url, 100.0 * p->max_failed, p->last_error);
			return true;
		}
		say(r, "  smoke test: %ld of %ld checks of %s answered", p->first_ok, p->first_checks, p->url);
		step_succeed(r, NULL);
		return true;
	}
	say(r, "  baseline: %ld of %ld checks answered; probing every %ld ms while %zu step%s run", p->first_ok,
	    p->first_checks, p->interval_ms, json_array_size(p->during), json_array_size(p->during) == 1 ? "" : "s");
	if (r->opts.plan) {
		p->stopped = true;
		plan_skip(r, "the run measures downtime while the steps it watches run");
		return true;
	}
	probe_outputs(r, p);
	step_succeed(r, NULL);
	return true;
}

/* probe: a baseline (or a smoke test) now; then, while the named steps run,
 * checks that measure downtime and breach the run above max_failed. */
static bool act_probe(struct rb_run *r)
{
	const struct rb_step *st = cur_step(r);
	json_t *ex = json_object_get(r->in, "expect_status");
	struct probe *p = probe_of_step(r);

	if (r->phase == PH_ACT_WAIT)
		return p && !probe_first(p) ? probe_judge_first(r, p) : false;
	if (r->phase != PH_BEGIN)
		return false;
	if (p && !p->stopped) {
		say(r, "  probe already running");
		step_succeed(r, NULL);
		return true;
	}
	if (r->in_rollback) {
		step_fail(r, "InvalidRunbook", "probes run in the main section only");
		return true;
	}
	if (r->opts.plan && r->plan_changed) {
		plan_skip(r, "it probes after an earlier change");
		return true;
	}
	if (!rb_probe_url_ok(in_str(r, "url"))) {
		step_fail(r, "InvalidRunbook", "probe url '%s' is not an http:// or https:// URL",
			  in_str(r, "url") ? in_str(r, "url") : "?");
		return true;
	}
	if (step_interval_ms(r, 500, RB_MIN_PROBE_INTERVAL_MS) < 0)
		return true;
	if (!r->multi)
		r->multi = curl_multi_init();
	r->probes = xrealloc(r->probes, (r->nprobes + 1) * sizeof(*r->probes));
	p = &r->probes[r->nprobes++];
	memset(p, 0, sizeof(*p));
	p->step = (int)r->idx;
	p->url = xstrdup(in_str(r, "url") ? in_str(r, "url") : "");
	p->interval_ms = in_duration_ms(r, "interval", 500);
	if (p->interval_ms < RB_MIN_PROBE_INTERVAL_MS)
		p->interval_ms = RB_MIN_PROBE_INTERVAL_MS;
	p->during = json_object_get(st->inputs, "during");
	p->expect_lo = json_is_integer(ex) ? (long)json_integer_value(ex) : 200;
	p->expect_hi = json_is_integer(ex) ? (long)json_integer_value(ex) : 399;
	p->max_failed = in_number(r, "max_failed", 0);
	p->first_left = (long)in_number(r, p->during ? "baseline" : "checks", p->during ? 3 : 10);
	if (p->first_left < 1)
		p->first_left = 1;
	say(r, "  %s: %ld checks of %s", p->during ? "baseline" : "smoke test", p->first_left, p->url);
	r->phase = PH_ACT_WAIT;
	return true;
}

/* The metric step's window: period, publishing delay, and the periods that count. */
static struct rb_metric_window metric_window(struct rb_run *r)
{
	struct rb_metric_window w = {
		.period_s = (long)in_number(r, "period", RB_METRIC_PERIOD_S),
		.delay_ms = in_duration_ms(r, "delay", RB_METRIC_DELAY_MS),
		.now_ms = now_ms(r),
	};

	/* a watch judges the periods inside it; a check now, the recent ones */
	w.since_ms = r->window_end_ms ? cur_state(r)->started_ms :
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
	const struct rb_step *st = cur_step(r);
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
		v = eval_jq(r, "condition", json_string_value(json_object_get(st->inputs, "condition")),
			    json_object_get(row, "values"), &err);
		if (!v) {
			step_fail(r, err.code, "condition: %s", err.message);
			return false;
		}
		holds = rb_jq_truthy(v);
		json_decref(v);
		r->judged_t = t;
		json_decref(r->metric_last);
		r->metric_last = json_incref(row);
		metric_values_text(row, text, sizeof(text));
		if (!holds) {
			const char *m = in_str(r, "message");
			step_fail(r, "MetricBreach", "%s: %s at %s (%ld-s period)", m ? m : "the metric check failed", text,
				  json_string_value(json_object_get(row, "at")), (long)in_number(r, "period", RB_METRIC_PERIOD_S));
			return false;
		}
		say(r, "  %s at %s: holds", text, json_string_value(json_object_get(row, "at")));
	}
	return true;
}

/* metric: the latest complete datapoints of GetMetricData queries, judged by a
 * condition — now, or every one whose period lies in a `for` window; no data is
 * never a pass unless on_no_data says so. */
static bool act_metric(struct rb_run *r)
{
	struct rb_metric_window w;
	struct fd_error err;
	json_t *input, *rows;
	const char *nd = in_str(r, "on_no_data") ? in_str(r, "on_no_data") : "fail";
	long interval_ms;

	switch (r->phase) {
	case PH_BEGIN:
		if (in_str(r, "for") && r->opts.plan && r->plan_changed) {
			plan_skip(r, "it watches the effect of an earlier change");
			return true;
		}
		r->judged_t = 0;
		if (in_str(r, "for") && !r->opts.plan) {
			r->window_end_ms = now_ms(r) + in_duration_ms(r, "for", 0);
			say(r, "  watching for %s: every complete %ld-s datapoint (published %.0f s after its period)",
			    in_str(r, "for"), (long)in_number(r, "period", RB_METRIC_PERIOD_S),
			    (double)in_duration_ms(r, "delay", RB_METRIC_DELAY_MS) / 1000.0);
		}
		if (strcmp(nd, "wait") == 0 && !r->deadline_ms)
			r->deadline_ms = now_ms(r) + 600000;
		/* fall through */
	case PH_ACT:
		w = metric_window(r);
		if (!(input = rb_metric_input(json_object_get(r->in, "queries"), &w, &err))) {
			step_fail(r, err.code, "%s", err.message);
			return true;
		}
		start_call(r, "cloudwatch", "GetMetricData", step_region(r, r->in), input, PH_ACT_WAIT);
		json_decref(input);
		return true;
	case PH_ACT_WAIT:
		if (!r->call_done)
			return false;
		if (retry_read(r, PH_ACT))
			return true;
		if (r->call_failed) {
			step_fail(r, r->call_err.code, "cloudwatch GetMetricData: %s: %s", r->call_err.code, r->call_err.message);
			return true;
		}
		w = metric_window(r);
		if (!(rows = rb_metric_complete(r->result, json_object_get(r->in, "queries"), &w, &err))) {
			step_fail(r, err.code, "%s", err.message);
			return true;
		}
		if (!metric_judge(r, rows)) {
			json_decref(rows);
			return true;
		}
		json_decref(rows);
		interval_ms = in_duration_ms(r, "interval", w.period_s < 30 ? w.period_s * 1000 : 30000);
		if (r->window_end_ms && w.now_ms < r->window_end_ms) {
			r->due_ms = w.now_ms + interval_ms;
			if (r->due_ms > r->window_end_ms)
				r->due_ms = r->window_end_ms;
			r->phase = PH_TIMER;
			r->timer_next = PH_ACT;
			return true;
		}
		if (r->metric_last) {
			step_succeed(r, r->metric_last);
			return true;
		}
		if (strcmp(nd, "pass") == 0) {
			say(r, "  no data: no complete datapoint; on_no_data: pass");
			step_succeed(r, NULL);
		} else if (strcmp(nd, "wait") == 0 && !r->opts.plan) {
			if (!r->said_waiting)
				say(r, "  no data yet; on_no_data: wait (checking every %.1f s)", (double)interval_ms / 1000.0);
			r->said_waiting = true;
			r->due_ms = w.now_ms + interval_ms;
			r->phase = PH_TIMER;
			r->timer_next = PH_ACT;
		} else
			step_fail(r, "NoData", "no data: no complete %ld-s datapoint %s (published %.0f s after its period)%s",
				  w.period_s, r->window_end_ms ? "in the watch window" : "in the last periods",
				  (double)w.delay_ms / 1000.0, strcmp(nd, "wait") == 0 ? "; the run would wait for one" : "");
		return true;
	default:
		return false;
	}
}

/* The behaviour of each action kind (the schema is rb_actions in rb.c). */
static bool (*const act_table[])(struct rb_run *r) = {
	[RB_ACTION_AWS] = act_aws,
	[RB_ACTION_WAIT] = act_wait,
	[RB_ACTION_ASSERT] = act_condition,
	[RB_ACTION_APPROVE] = act_approve,
	[RB_ACTION_SLEEP] = act_sleep,
	[RB_ACTION_PROBE] = act_probe,
	[RB_ACTION_BRANCH] = act_condition,
	[RB_ACTION_METRIC] = act_metric,
};

/* ---- the machine --------------------------------------------------------- */

/* Begin the current step: journal it, expand its inputs. */
static bool begin_step(struct rb_run *r)
{
	const struct rb_step *st = cur_step(r);
	struct step_state *ss = cur_state(r);
	struct fd_error err;
	long timeout_ms = st->timeout_ms ? st->timeout_ms : st->action->default_timeout_ms;

	if (st->max_attempts_given && ss->attempts >= st->max_attempts &&
	    (strcmp(ss->status, "done") == 0 || strcmp(ss->status, "failed") == 0)) {
		/* Back at a step that already ran (a loop through on_failure or a branch):
		 * its max_attempts bounds how often it runs in all, so the loop ends
		 * (the validator wants such a step in every loop). */
		ss->status = "running";
		say(r, "%s[%zu/%zu] %s (%s) again", r->in_rollback ? "rollback " : "", r->idx + 1, section_len(r),
		    st->name, st->action->name);
		step_fail(r, "LoopLimit", "step %s already ran %d time%s (max_attempts): the loop stops here",
			  st->name, ss->attempts, ss->attempts == 1 ? "" : "s");
		return true;
	}
	if (strcmp(ss->status, "running") != 0 || !ss->started_ms)
		ss->started_ms = now_ms(r);
	ss->attempts++;
	ss->status = "running";
	say(r, "%s[%zu/%zu] %s (%s)%s", r->in_rollback ? "rollback " : "", r->idx + 1, section_len(r), st->name,
	    st->action->name, ss->attempts > 1 ? " again" : "");
	journal(r);
	r->deadline_ms = timeout_ms ? now_ms(r) + timeout_ms : 0;
	if (st->for_each && !r->items) {
		json_t *items = eval_jq(r, "for_each", st->for_each, NULL, &err);
		if (!items) {
			step_fail(r, err.code, "for_each: %s", err.message);
			return true;
		}
		if (!json_is_array(items)) {
			json_decref(items);
			step_fail(r, "JqError", "%s:%d: step '%s': for_each must give a list", r->rb->path,
				  rb_step_line(st, "for_each"), st->name);
			return true;
		}
		if (json_array_size(items) == 0) {
			json_decref(items);
			say(r, "  for_each: no items: nothing to do");
			step_succeed(r, NULL);
			return true;
		}
		r->items = items;
		r->item_idx = 0;
		say(r, "  for each of %zu item%s: item 1", json_array_size(items), json_array_size(items) == 1 ? "" : "s");
	}
	r->in = expand(r, st->inputs, &err);
	if (!r->in) {
		step_fail(r, err.code, "%s", err.message);
		return true;
	}
	return act_table[st->action->kind](r);
}

/* Learn the caller identity (account and ARN) for confirmations and the audit log. */
static bool identity_step(struct rb_run *r)
{
	if (r->identity == 3) {
		if (now_ms(r) < r->due_ms)
			return false;
		r->identity = 0;
	}
	if (r->identity == 0) {
		r->identity = 1;
		start_call(r, "sts", "GetCallerIdentity", NULL, NULL, PH_READ_WAIT);
		return true;
	}
	if (!r->call_done)
		return false;
	if (r->call_failed && r->call_err.transient && r->read_retries < 3) {
		r->read_retries++;
		say(r, "  (sts GetCallerIdentity: %s: %s; asking again in %d s)", r->call_err.code, r->call_err.message,
		    r->read_retries);
		r->identity = 3;
		r->phase = PH_TIMER;
		r->due_ms = now_ms(r) + 1000L * r->read_retries;
		return true;
	}
	if (r->call_failed) {
		struct strbuf sb;
		strbuf_init(&sb);
		strbuf_addf(&sb, "caller identity unknown (sts GetCallerIdentity: %s: %s): a run needs it before any change",
			    r->call_err.code, r->call_err.message);
		r->identity = 2;
		step_reset(r);
		if (!r->opts.plan) {
			free(r->failure);
			r->failure = strbuf_detach(&sb, NULL);
			finish_run(r, RB_FAILED);
			return true;
		}
		say(r, "%s", sb.data);
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
	say(r, "caller: %s (account %s)", r->caller_arn ? r->caller_arn : "unknown", r->account ? r->account : "unknown");
	r->identity = 2;
	step_reset(r);
	if (r->idx >= section_len(r))
		finish_run(r, r->in_rollback ? RB_ROLLED_BACK : RB_DONE);
	return true;
}

enum rb_status rb_run_step(struct rb_run *r)
{
	int guard;

	probe_tick(r);
	for (guard = 0; guard < 100000 && !finished(r); guard++) {
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
		if (r->deadline_ms && now_ms(r) >= r->deadline_ms && r->phase != PH_BEGIN) {
			const struct rb_step *st = cur_step(r);
			long t = st->timeout_ms ? st->timeout_ms : st->action->default_timeout_ms;
			if (r->token)
				audit(r, in_str(r, "service") ? in_str(r, "service") : "?",
				      in_str(r, "operation") ? in_str(r, "operation") : "?", step_region(r, r->in),
				      json_object_get(r->in, "input"), "abandoned: step timeout", NULL);
			abandon_call(r);
			r->deadline_ms = 0;
			step_fail(r, "Timeout", "timed out after %.1f s", (double)t / 1000.0);
			continue;
		}
		if (r->phase == PH_TIMER) {
			if (now_ms(r) < r->due_ms)
				break;
			r->phase = r->timer_next;
		}
		if (r->phase == PH_BEGIN)
			moved = begin_step(r);
		else
			moved = act_table[cur_step(r)->action->kind](r);
		if (!moved)
			break;
	}
	probe_tick(r);
	return r->status;
}

long rb_run_timeout_ms(struct rb_run *r)
{
	int64_t now = now_ms(r), best = -1;
	size_t i;

	if (finished(r))
		return -1;
	if (r->phase == PH_TIMER)
		best = r->due_ms;
	if (r->deadline_ms && r->phase != PH_INPUT && (best < 0 || r->deadline_ms < best))
		best = r->deadline_ms;
	for (i = 0; i < r->nprobes; i++) {
		struct probe *p = &r->probes[i];
		if (p->stopped)
			continue;
		if (p->easy) {
			long t = -1;
			curl_multi_timeout(r->multi, &t);
			if (t < 0 || t > 10)
				t = 10;
			if (best < 0 || now + t < best)
				best = now + t;
		} else if (probe_active(r, p) && (best < 0 || p->next_due_ms < best))
			best = p->next_due_ms;
	}
	if (best < 0)
		return -1;
	return best <= now ? 0 : (long)(best - now);
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
	if (cur_step(r)->action->kind == RB_ACTION_AWS) {
		confirm_of(r, &c);
		rb_confirm_block(&c, line, ctx);
		if (r->must_ask)
			line(ctx, RB_RUN_MUST_ASK);
	} else
		question_text(in_str(r, "message"), line, ctx);
}

void rb_run_answer(struct rb_run *r, const char *answer)
{
	if (r->status != RB_WAITING_INPUT || r->phase != PH_INPUT)
		return;
	r->status = RB_RUNNING;
	if (answer && r->confirm_token && strcmp(answer, r->confirm_token) == 0) {
		say(r, "  confirmed (typed %s)", r->confirm_token);
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
	if (cur_step(r)->action->kind == RB_ACTION_AWS)
		audit(r, in_str(r, "service"), in_str(r, "operation"), step_region(r, r->in),
		      json_object_get(r->in, "input"), "not confirmed", NULL);
	if (answer)
		step_fail(r, "NotConfirmed", "%d answers and none was '%s' (the last was '%s'): nothing sent",
			  RB_CONFIRM_TRIES, r->confirm_token ? r->confirm_token : "", answer);
	else
		step_fail(r, "NotConfirmed", "no answer (end of input), not '%s': nothing sent",
			  r->confirm_token ? r->confirm_token : "");
}

/* ---- construction -------------------------------------------------------- */

/* Collect the values of secret parameters (once parameters are resolved). */
static void collect_secrets(struct rb_run *r)
{
	size_t i;

	r->secrets = json_array();
	for (i = 0; i < r->rb->nparams; i++) {
		json_t *v = json_object_get(r->params, r->rb->params[i].name);
		if (r->rb->params[i].secret && v) {
			char *t = display(v);
			json_array_append_new(r->secrets, json_string(t));
			free(t);
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
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return r;
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
	if (!(e = expand(r, v, &err)))
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
static int check_windows(struct rb_run *r, struct fd_error *err)
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
					    "or a multiple of 60 seconds", r->rb->path, st->line, st->name);
		if (delay_ms == -1 || for_ms == -1)
			return fd_error_set(err, "InvalidParameter", "%s:%d: step '%s': %s is not a duration (like 30s, 5m)",
					    r->rb->path, st->line, st->name, delay_ms == -1 ? "delay" : "for");
		if (period_s > 0 && delay_ms >= 0 && for_ms > 0 && for_ms < rb_metric_min_window_ms(period_s, delay_ms))
			return fd_error_set(err, "InvalidParameter", "%s:%d: step '%s': a %.0f s watch is shorter than two "
					    "periods plus the publishing delay (2 x %ld s + %.0f s): it could end before one "
					    "complete datapoint", r->rb->path, st->line, st->name, (double)for_ms / 1000.0,
					    period_s, (double)delay_ms / 1000.0);
	}
	return 0;
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
	}
	for (i = 0; i < rb->nparams; i++) {
		const struct rb_param *p = &rb->params[i];
		json_t *given = json_object_get(params, p->name), *t;
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
	r->started_ms = now_ms(r);
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
	if (check_windows(r, err) < 0)
		goto fail;
	pick_stack(r, opts->stack);
	if (run_lock(r, opts->break_lock_host, err) < 0)
		goto fail;
	say(r, "runbook %s: %srun %s", rb->name, opts->plan ? "plan of " : opts->read_only ? "read-only " : "", r->run_id);
	journal(r);
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
	json_t *probes, *v;
	const char *k;
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
	say(r, "runbook %s: resuming run %s at %sstep %zu", rb->name, r->run_id, r->in_rollback ? "rollback " : "",
	    r->idx + 1);
	/* Probes whose steps are not over start again, with their counts. */
	probes = json_object_get(j, "probes");
	json_object_foreach(probes, k, v) {
		int s = rb_step_index(rb, k, false);
		struct probe *p;
		if (s < 0)
			continue;
		if (!r->multi)
			r->multi = curl_multi_init();
		r->probes = xrealloc(r->probes, (r->nprobes + 1) * sizeof(*r->probes));
		p = &r->probes[r->nprobes++];
		memset(p, 0, sizeof(*p));
		p->step = s;
		r->in = expand(r, rb->steps[s].inputs, NULL);
		p->url = xstrdup(in_str(r, "url") ? in_str(r, "url") : "");
		p->interval_ms = in_duration_ms(r, "interval", 500);
		if (p->interval_ms < RB_MIN_PROBE_INTERVAL_MS)
			p->interval_ms = RB_MIN_PROBE_INTERVAL_MS;
		p->expect_lo = json_is_integer(json_object_get(r->in, "expect_status")) ?
			(long)json_integer_value(json_object_get(r->in, "expect_status")) : 200;
		p->expect_hi = json_is_integer(json_object_get(r->in, "expect_status")) ? p->expect_lo : 399;
		p->max_failed = in_number(r, "max_failed", 0);
		p->first_ok = 1;   /* its baseline passed before the interruption */
		json_decref(r->in);
		r->in = NULL;
		p->during = json_object_get(rb->steps[s].inputs, "during");
		if (!p->during)
			p->stopped = true;
		p->checks = (long)json_integer_value(json_object_get(v, "checks"));
		p->failures = (long)json_integer_value(json_object_get(v, "failures"));
	}
	if (r->idx < section_len(r)) {
		ss = cur_state(r);
		if (strcmp(ss->status, "running") == 0 && ss->mutation_sent)
			say(r, "  step %s may have sent its change before the interruption: re-reading the state first",
			    cur_step(r)->name);
		if (strcmp(ss->status, "running") == 0 && ss->mutation_sent &&
		    !json_object_get(cur_step(r)->inputs, "current")) {
			say(r, "  warning: step %s has no `current` read; cannot tell whether it took effect",
			    cur_step(r)->name);
			r->must_ask = true;
		}
	}
	journal(r);
	return r;
}

void rb_run_destroy(struct rb_run *r)
{
	size_t i;

	if (!r)
		return;
	abandon_call(r);
	for (i = 0; i < r->nprobes; i++) {
		if (r->probes[i].easy) {
			curl_multi_remove_handle(r->multi, r->probes[i].easy);
			curl_easy_cleanup(r->probes[i].easy);
		}
		free(r->probes[i].url);
	}
	free(r->probes);
	if (r->multi)
		curl_multi_cleanup(r->multi);
	if (r->lock_path)
		rb_journal_unlock(r->lock_path);
	step_reset(r);
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
	curl_global_cleanup();
}

/* ---- accessors ----------------------------------------------------------- */

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
	if (finished(r) || r->identity != 2)
		return false;
	*rollback = r->in_rollback;
	*index = r->idx;
	return true;
}
