/* rb_check.c — validating a step: its inputs against its action's schema, its templates' and
 * jq programs' references, its durations and numbers. */
#include "runbooks/rb_impl.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/ops.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "base/ytree.h"
#include "runbooks/rb_metric.h"

/* Index of the step called name in its section (rollback or main), -1 if none. */
int rb_check_scope_index(const struct scope *sc, const char *name, bool rollback)
{
	json_t *v = json_object_get(sc->names, name);
	json_int_t i;

	if (!v)
		return -1;
	i = json_integer_value(v);
	if (rollback)
		return i < 0 ? (int)(-1 - i) : -1;
	return i >= 0 ? (int)i : -1;
}

static const char *const probe_outputs[] = { "downtime_s", "checks", "failures", NULL };

/* Whether step declares (or has built in) output out. */
static bool step_has_output(const struct rb_step *st, const char *out)
{
	if (st->outputs && json_object_get(st->outputs, out))
		return true;
	return st->action->kind == RB_ACTION_PROBE && rb_in_list(probe_outputs, out);
}

/* Check one "{{ a.b }}" reference. */
static int check_ref(struct loader *ld, const struct ytree *at, const struct scope *sc,
		     const char *step, const char *a, const char *b)
{
	const struct runbook *rb = sc->rb;
	size_t i;

	if (strcmp(a, "parameters") == 0) {
		for (i = 0; i < rb->nparams; i++)
			if (strcmp(rb->params[i].name, b) == 0)
				return 0;
		return rb_fail_at(ld, at, "step '%s': unknown parameter '%s' in {{ parameters.%s }}", step, b, b);
	}
	if (strcmp(a, "item") == 0) {
		if (sc->item)
			return 0;
		return rb_fail_at(ld, at, "step '%s': {{ item.%s }} outside a for_each step", step, b);
	}
	if (strcmp(a, "run") == 0) {
		const struct rb_run_field *f;
		struct strbuf list;
		int rc;
		if (rb_run_field_find(b))
			return 0;
		strbuf_init(&list);
		for (f = rb_run_fields; f->name; f++)
			strbuf_addf(&list, "%s%s", f == rb_run_fields ? "" : ", ", f->name);
		rc = rb_fail_at(ld, at, "step '%s': unknown run field '%s' (%s)", step, b, list.data);
		strbuf_clean_up(&list);
		return rc;
	}
	{
		int m = rb_check_scope_index(sc, a, false), k = rb_check_scope_index(sc, a, true);
		const struct rb_step *target = m >= 0 && (size_t)m < sc->nmain ? &rb->steps[m] :
			k >= 0 && (size_t)k < sc->nrb ? &rb->rollback[k] : NULL;
		if (!target)
			return rb_fail_at(ld, at, "step '%s': {{ %s.%s }} refers to no earlier step '%s'", step, a, b, a);
		if (!step_has_output(target, b))
			return rb_fail_at(ld, at, "step '%s': step '%s' has no output '%s'", step, a, b);
	}
	return 0;
}

/* Check every template in a string; with jq set, also compile the program
 * (templates replaced by null). */
static int check_string(struct loader *ld, const struct ytree *at, const struct scope *sc,
			const char *step, const char *s, bool jq)
{
	struct strbuf prog;
	const char *p = s;
	int r = 0;

	strbuf_init(&prog);
	while (r == 0 && *p) {
		const char *open = strstr(p, "{{"), *close, *a, *dot, *e;
		char an[128], bn[128];
		if (!open) {
			strbuf_adds(&prog, p);
			break;
		}
		strbuf_add(&prog, p, (size_t)(open - p));
		close = strstr(open + 2, "}}");
		if (!close) {
			r = rb_fail_at(ld, at, "step '%s': '{{' without '}}'", step);
			break;
		}
		a = open + 2;
		while (a < close && *a == ' ')
			a++;
		e = close;
		while (e > a && e[-1] == ' ')
			e--;
		dot = memchr(a, '.', (size_t)(e - a));
		if (!dot || !rb_name_ok(a, (size_t)(dot - a)) || !rb_name_ok(dot + 1, (size_t)(e - dot - 1)) ||
		    (size_t)(dot - a) >= sizeof(an) || (size_t)(e - dot - 1) >= sizeof(bn)) {
			r = rb_fail_at(ld, at, "step '%s': malformed template '%.*s' (want {{ step.Output }} or {{ parameters.name }})",
				    step, (int)(close + 2 - open), open);
			break;
		}
		snprintf(an, sizeof(an), "%.*s", (int)(dot - a), a);
		snprintf(bn, sizeof(bn), "%.*s", (int)(e - dot - 1), dot + 1);
		r = check_ref(ld, at, sc, step, an, bn);
		strbuf_adds(&prog, "null");
		p = close + 2;
	}
	if (r == 0 && jq) {
		const char *what = "this";
		if (rb_jq_forbidden(prog.data, &what) >= 0) {
			r = rb_fail_at(ld, at, "step '%s': jq may not use %s%s (a runbook cannot read the environment, "
				    "modules or input, nor write to stderr)", step,
				    strcmp(what, "ENV") == 0 || strcmp(what, "__prog_args") == 0 ? "$" : "", what);
			strbuf_clean_up(&prog);
			return r;
		}
	}
	if (r == 0 && jq) {
		struct pending_jq *pj;
		if (ld->njq == ld->capjq) {   /* grow by half: appending stays linear */
			ld->capjq = ld->capjq ? ld->capjq + ld->capjq / 2 : 16;
			ld->jq = xrealloc(ld->jq, ld->capjq * sizeof(*ld->jq));
		}
		pj = &ld->jq[ld->njq++];
		pj->at = at;
		pj->step = xstrdup(step);
		pj->program = strbuf_detach(&prog, NULL);
	}
	strbuf_clean_up(&prog);
	return r;
}

/* Compile the pending jq programs [from, to) as one (p1), (p2), ... program;
 * when that fails, each half again, down to the one that fails alone (a batch
 * may also fail only for its size: libjq limits a function's bytecode). */
static int check_jq_batch(struct loader *ld, size_t from, size_t to)
{
	struct fd_error jerr;
	struct strbuf all;
	size_t i;
	int r;

	strbuf_init(&all);
	for (i = from; i < to; i++)
		strbuf_addf(&all, "%s(%s\n)", i > from ? ", " : "", ld->jq[i].program);
	fd_error_clear(&jerr);
	r = rb_jq_check(to - from == 1 ? ld->jq[from].program : all.data, &jerr);
	strbuf_clean_up(&all);
	if (r == 0)
		return 0;
	if (to - from == 1)
		return rb_fail_at(ld, ld->jq[from].at, "step '%s': %s", ld->jq[from].step, jerr.message);
	if (check_jq_batch(ld, from, from + (to - from) / 2) < 0)
		return -1;
	return check_jq_batch(ld, from + (to - from) / 2, to);
}

/* Compile every distinct pending jq program, a batch at a time: libjq compiles
 * its builtins on every compile (~35 ms, so one at a time is slow) and its
 * compile time grows faster than the program (and a function's bytecode has a
 * size limit), so one compile of everything is slow too. Batches of bounded
 * size keep validation linear in the number of steps. */
#define JQ_BATCH_PROGRAMS 512
#define JQ_BATCH_BYTES 16384
int rb_check_pending_jq(struct loader *ld)
{
	json_t *seen = json_object();
	size_t i, n = 0, from, bytes;
	int r = 0;

	/* one program of each shape (templates are null here) is compiled: the
	 * first, so an error names the first step where it is */
	for (i = 0; i < ld->njq; i++) {
		char *shape = rb_jq_shape(ld->jq[i].program);
		if (json_object_get(seen, shape)) {
			free(shape);
			free(ld->jq[i].step);
			free(ld->jq[i].program);
			continue;
		}
		json_object_set_new(seen, shape, json_true());
		free(shape);
		ld->jq[n++] = ld->jq[i];
	}
	ld->njq = n;
	json_decref(seen);
	for (from = 0; from < n && r == 0; from = i) {
		for (i = from, bytes = 0; i < n && i - from < JQ_BATCH_PROGRAMS && bytes < JQ_BATCH_BYTES; i++)
			bytes += strlen(ld->jq[i].program);
		r = check_jq_batch(ld, from, i);
	}
	return r;
}

/* Check every template in every scalar under n. */
static int check_templates(struct loader *ld, const struct ytree *n, const struct scope *sc, const char *step)
{
	size_t i;

	if (n->kind == YTREE_SCALAR)
		return check_string(ld, n, sc, step, n->value, false);
	for (i = 0; i < n->n; i++)
		if (check_templates(ld, n->items[i], sc, step) < 0)
			return -1;
	return 0;
}

/* A scalar string value of a key, or fail. */
int rb_check_want_scalar(struct loader *ld, const struct ytree *n, const char *what)
{
	if (n->kind != YTREE_SCALAR)
		return rb_fail_at(ld, n, "%s must be a string", what);
	return 0;
}

/* A duration scalar (templates not allowed), into *ms. */
static int want_duration(struct loader *ld, const struct ytree *n, const char *step, const char *key, long *ms)
{
	if (n->kind != YTREE_SCALAR || (*ms = rb_parse_duration_ms(n->value)) < 0)
		return rb_fail_at(ld, n, "step '%s': %s: '%s' is not a duration (like 30s, 5m, 500ms)", step, key,
			       n->kind == YTREE_SCALAR ? n->value : "...");
	return 0;
}

/* Remember where the jq program key of st is written (for run-time errors). */
static void mark(struct rb_step *st, const char *key, const struct ytree *at)
{
	if (!st->marks)
		st->marks = json_object();
	json_object_set_new(st->marks, key, json_integer(at->line));
}

/* The inputs holding numbers, enums or queries: 0 checked, -1 failed, 1 not one of them. */
static int check_number_key(struct loader *ld, const struct ytree *v, const struct scope *sc,
			    const struct rb_step *st, const char *key)
{
	static const char *const no_data[] = { "fail", "pass", "wait", NULL };
	const char *s = v->kind == YTREE_SCALAR ? v->value : NULL;
	char *end;
	double d;

	if (strcmp(key, "on_no_data") == 0) {
		if (!s || !rb_in_list(no_data, s))
			return rb_fail_at(ld, v, "step '%s': on_no_data must be fail, pass or wait", st->name);
		return 0;
	}
	if (strcmp(key, "queries") == 0) {
		size_t j;
		if (v->kind != YTREE_SEQ || v->n == 0)
			return rb_fail_at(ld, v, "step '%s': queries must be a list of GetMetricData MetricDataQueries", st->name);
		for (j = 0; j < v->n; j++)
			if (v->items[j]->kind != YTREE_MAP || !ytree_get(v->items[j], "Id"))
				return rb_fail_at(ld, v->items[j], "step '%s': each query needs an Id", st->name);
		return check_templates(ld, v, sc, st->name);
	}
	if (strcmp(key, "period") != 0 && strcmp(key, "max_failed") != 0 && strcmp(key, "baseline") != 0 &&
	    strcmp(key, "checks") != 0)
		return 1;
	if (s && strstr(s, "{{"))
		return check_string(ld, v, sc, st->name, s, false);
	d = s ? strtod(s, &end) : 0;
	if (!s || !*s || *end)
		return rb_fail_at(ld, v, "step '%s': %s must be a number", st->name, key);
	if (strcmp(key, "period") == 0 && !rb_metric_period_ok((long)d))
		return rb_fail_at(ld, v, "step '%s': period %s: CloudWatch takes 1, 5, 10, 30 or a multiple of 60 seconds",
			       st->name, s);
	if (strcmp(key, "max_failed") == 0 && (d < 0 || d > 1))
		return rb_fail_at(ld, v, "step '%s': max_failed is a failure rate from 0 to 1", st->name);
	if ((strcmp(key, "baseline") == 0 || strcmp(key, "checks") == 0) && (d < 1 || d > 1000 || d != (long)d))
		return rb_fail_at(ld, v, "step '%s': %s must be a number of checks from 1 to 1000", st->name, key);
	return 0;
}

/* Rules of one action beyond its keys: probe modes, metric windows, metric reads. */
static int check_action_rules(struct loader *ld, const struct ytree *stepn, const struct ytree *in,
			      const struct rb_step *st)
{
	const struct ytree *svc = ytree_get(in, "service"), *op = ytree_get(in, "operation");

	if (st->action->kind == RB_ACTION_PROBE && !ytree_get(in, "during") == !ytree_get(in, "checks"))
		return rb_fail_at(ld, in ? in : stepn, "step '%s': a probe needs during (steps to watch) or checks "
			       "(a smoke test now), not both", st->name);
	if (st->action->kind == RB_ACTION_METRIC) {
		const struct ytree *p = ytree_get(in, "period"), *d = ytree_get(in, "delay"), *f = ytree_get(in, "for");
		long period_s = p ? strtol(p->value, NULL, 10) : RB_METRIC_PERIOD_S;
		long delay_ms = d ? rb_parse_duration_ms(d->value) : RB_METRIC_DELAY_MS;
		long for_ms = f ? rb_parse_duration_ms(f->value) : -1;
		if (f && for_ms >= 0 && period_s > 0 && delay_ms >= 0 &&
		    for_ms < rb_metric_min_window_ms(period_s, delay_ms))
			return rb_fail_at(ld, f, "step '%s': a %s watch is shorter than two periods plus the publishing delay "
				       "(2 x %ld s + %.0f s): it could end before one complete datapoint", st->name,
				       f->value, period_s, (double)delay_ms / 1000.0);
	}
	if (st->action->kind != RB_ACTION_AWS && svc && op && strcmp(svc->value, "cloudwatch") == 0 &&
	    (strcmp(op->value, "GetMetricData") == 0 || strcmp(op->value, "GetMetricStatistics") == 0))
		return rb_fail_at(ld, op, "step '%s': judge CloudWatch metrics with the metric action, which reads the "
			       "latest complete datapoint (newest first, period, publishing delay) and knows no data",
			       st->name);
	return 0;
}

/* Validate one step's inputs against its action's schema. */
static int check_inputs(struct loader *ld, const struct ytree *stepn, const struct ytree *in,
			struct rb_step *st, const struct scope *sc)
{
	const struct rb_action *a = st->action;
	const char *const *k;
	char list[300];
	size_t i;

	if (in && in->kind != YTREE_MAP)
		return rb_fail_at(ld, in, "step '%s': inputs must be a mapping", st->name);
	for (i = 0; in && i < in->n; i++) {
		const char *key = in->keys[i]->value;
		const struct ytree *v = in->items[i];
		if (!rb_in_list(a->inputs, key))
			return rb_fail_at(ld, in->keys[i], "step '%s': action %s has no input '%s' (%s)", st->name,
				       a->name, key, rb_join_list(a->inputs, list, sizeof(list)));
		if (rb_in_list(a->jq_keys, key)) {
			if (rb_check_want_scalar(ld, v, key) < 0 ||
			    check_string(ld, v, sc, st->name, v->value, true) < 0)
				return -1;
			mark(st, key, v);
			continue;
		}
		if (strcmp(key, "input") == 0 && v->kind != YTREE_MAP)
			return rb_fail_at(ld, v, "step '%s': input must be a mapping (the operation's parameters)", st->name);
		if ((strcmp(key, "service") == 0 || strcmp(key, "operation") == 0) &&
		    (v->kind != YTREE_SCALAR || strstr(v->value, "{{")))
			return rb_fail_at(ld, v, "step '%s': %s must be a plain name", st->name, key);
		switch (check_number_key(ld, v, sc, st, key)) {
		case -1:
			return -1;
		case 0:
			continue;
		}
		if (strcmp(key, "interval") == 0 || strcmp(key, "for") == 0 || strcmp(key, "duration") == 0 ||
		    strcmp(key, "delay") == 0) {
			long ms = 0;
			if (v->kind == YTREE_SCALAR && strstr(v->value, "{{")) {
				if (check_string(ld, v, sc, st->name, v->value, false) < 0)
					return -1;
				continue;
			}
			if (want_duration(ld, v, st->name, key, &ms) < 0)
				return -1;
			if (strcmp(key, "interval") == 0 &&
			    ms < (a->kind == RB_ACTION_PROBE ? RB_MIN_PROBE_INTERVAL_MS : RB_MIN_INTERVAL_MS))
				return rb_fail_at(ld, v, "step '%s': interval %s is shorter than %s", st->name, v->value,
					       a->kind == RB_ACTION_PROBE ? "10ms" : "1s (polling AWS faster only burns its API quota)");
			continue;
		}
		if (strcmp(key, "url") == 0 && v->kind == YTREE_SCALAR && !strstr(v->value, "{{") &&
		    !rb_probe_url_ok(v->value))
			return rb_fail_at(ld, v, "step '%s': url '%s' is not an http:// or https:// URL", st->name, v->value);
		if ((strcmp(key, "then") == 0 || strcmp(key, "else") == 0)) {
			if (rb_check_want_scalar(ld, v, key) < 0)
				return -1;
			if (rb_check_scope_index(sc, v->value, st->rollback) < 0)
				return rb_fail_at(ld, v, "step '%s': %s: no step '%s'", st->name, key, v->value);
			continue;
		}
		if (strcmp(key, "during") == 0) {
			size_t j;
			if (v->kind != YTREE_SEQ || v->n == 0)
				return rb_fail_at(ld, v, "step '%s': during must be a list of step names", st->name);
			for (j = 0; j < v->n; j++)
				if (v->items[j]->kind != YTREE_SCALAR ||
				    (rb_check_scope_index(sc, v->items[j]->value, false) < 0 &&
				     rb_check_scope_index(sc, v->items[j]->value, true) < 0))
					return rb_fail_at(ld, v->items[j], "step '%s': during: no step '%s'", st->name,
						       v->items[j]->kind == YTREE_SCALAR ? v->items[j]->value : "...");
			continue;
		}
		if (strcmp(key, "current") == 0) {
			static const char *const ckeys[] = { "service", "operation", "region", "input", "value", NULL };
			size_t j;
			if (v->kind != YTREE_MAP)
				return rb_fail_at(ld, v, "step '%s': current must be a mapping (operation, input, value)", st->name);
			for (j = 0; j < v->n; j++) {
				const char *ck = v->keys[j]->value;
				if (!rb_in_list(ckeys, ck))
					return rb_fail_at(ld, v->keys[j], "step '%s': current has no key '%s' (%s)", st->name,
						       ck, rb_join_list(ckeys, list, sizeof(list)));
				if (strcmp(ck, "value") == 0) {
					if (rb_check_want_scalar(ld, v->items[j], ck) < 0 ||
					    check_string(ld, v->items[j], sc, st->name, v->items[j]->value, true) < 0)
						return -1;
					mark(st, "current.value", v->items[j]);
				} else if (check_templates(ld, v->items[j], sc, st->name) < 0)
					return -1;
			}
			if (!ytree_get(v, "operation") || !ytree_get(v, "value"))
				return rb_fail_at(ld, v, "step '%s': current needs operation and value", st->name);
			continue;
		}
		if (check_templates(ld, v, sc, st->name) < 0)
			return -1;
	}
	for (k = a->required; *k; k++)
		if (!ytree_get(in, *k))
			return rb_fail_at(ld, in ? in : stepn, "step '%s': action %s needs input '%s'", st->name, a->name, *k);
	if ((a->kind == RB_ACTION_ASSERT || a->kind == RB_ACTION_BRANCH) && ytree_get(in, "value") &&
	    ytree_get(in, "operation"))
		return rb_fail_at(ld, ytree_key(in, "value"), "step '%s': give either value or operation, not both", st->name);
	if (ytree_get(in, "operation") && !ytree_get(in, "service"))
		return rb_fail_at(ld, in, "step '%s': operation needs service", st->name);
	if (check_action_rules(ld, stepn, in, st) < 0)
		return -1;
	if (ytree_get(in, "operation")) {
		const struct ytree *svc = ytree_get(in, "service"), *op = ytree_get(in, "operation");
		const struct ytree *cur = ytree_get(in, "current");
		if (!ops_find(svc->value, op->value))
			return rb_fail_at(ld, op, "step '%s': %s %s is not an operation flightdeck knows", st->name,
				       svc->value, op->value);
		if (cur && ytree_get(cur, "operation")) {
			const struct ytree *cs = ytree_get(cur, "service"), *co = ytree_get(cur, "operation");
			const char *sv = cs && cs->kind == YTREE_SCALAR ? cs->value : svc->value;
			if (co->kind != YTREE_SCALAR || !ops_find(sv, co->value))
				return rb_fail_at(ld, co, "step '%s': %s %s is not an operation flightdeck knows", st->name,
					       sv, co->kind == YTREE_SCALAR ? co->value : "...");
			if (ops_find(sv, co->value)->mutating)
				return rb_fail_at(ld, co, "step '%s': current must read, but %s %s changes state", st->name,
					       sv, co->value);
		}
	}
	return 0;
}

/* Fill st from a step's mapping (references checked later). */
int rb_check_load_step(struct loader *ld, const struct ytree *n, struct rb_step *st, bool rollback)
{
	static const char *const keys[] = { "name", "action", "description", "inputs", "outputs", "timeout",
		"max_attempts", "on_failure", "print", "measure", "measure_from", "for_each", NULL };
	const struct ytree *v;
	char list[300];
	size_t i;

	st->line = n->line;
	st->col = n->col;
	st->rollback = rollback;
	st->max_attempts = 1;
	st->measure_from = -1;
	st->gate = -1;
	if (n->kind != YTREE_MAP)
		return rb_fail_at(ld, n, "a step must be a mapping with name and action");
	v = ytree_get(n, "name");
	if (!v)
		return rb_fail_at(ld, n, "a step needs a name");
	if (v->kind != YTREE_SCALAR || !rb_name_ok(v->value, strlen(v->value)))
		return rb_fail_at(ld, v, "step name must be letters, digits, '_' or '-'");
	st->name = xstrdup(v->value);
	for (i = 0; i < n->n; i++)
		if (!rb_in_list(keys, n->keys[i]->value))
			return rb_fail_at(ld, n->keys[i], "step '%s': unknown key '%s' (%s)", st->name, n->keys[i]->value,
				       rb_join_list(keys, list, sizeof(list)));
	v = ytree_get(n, "action");
	if (!v)
		return rb_fail_at(ld, n, "step '%s': needs an action", st->name);
	if (v->kind != YTREE_SCALAR || !(st->action = rb_action_find(v->value))) {
		const char *names[16];
		size_t k = 0;
		const struct rb_action *a;
		for (a = rb_actions; a->name && k < 15; a++)
			names[k++] = a->name;
		names[k] = NULL;
		return rb_fail_at(ld, v, "step '%s': unknown action '%s' (%s)", st->name,
			       v->kind == YTREE_SCALAR ? v->value : "...", rb_join_list(names, list, sizeof(list)));
	}
	if ((v = ytree_get(n, "timeout"))) {
		if (want_duration(ld, v, st->name, "timeout", &st->timeout_ms) < 0)
			return -1;
		if (st->timeout_ms == 0)   /* 0 read as "none" would let a step wait forever */
			return rb_fail_at(ld, v, "step '%s': timeout must be more than 0 (leave it out for the action's default)",
				       st->name);
	}
	if ((v = ytree_get(n, "max_attempts"))) {
		char *end;
		long m = v->kind == YTREE_SCALAR ? strtol(v->value, &end, 10) : 0;
		if (v->kind != YTREE_SCALAR || *end || m < 1 || m > 100)
			return rb_fail_at(ld, v, "step '%s': max_attempts must be a number from 1 to 100", st->name);
		st->max_attempts = (int)m;
		st->max_attempts_given = true;
	}
	if ((v = ytree_get(n, "print"))) {
		if (rb_check_want_scalar(ld, v, "print") < 0)
			return -1;
		st->print = xstrdup(v->value);
	}
	if ((v = ytree_get(n, "measure"))) {
		if (v->kind != YTREE_SCALAR || !rb_name_ok(v->value, strlen(v->value)))
			return rb_fail_at(ld, v, "step '%s': measure must be a name like rto_s", st->name);
		st->measure = xstrdup(v->value);
	}
	if ((v = ytree_get(n, "outputs"))) {
		if (v->kind != YTREE_MAP)
			return rb_fail_at(ld, v, "step '%s': outputs must map names to jq paths", st->name);
		st->outputs = json_object();
		for (i = 0; i < v->n; i++) {
			if (!rb_name_ok(v->keys[i]->value, strlen(v->keys[i]->value)))
				return rb_fail_at(ld, v->keys[i], "step '%s': output name must be letters, digits, '_' or '-'", st->name);
			if (v->items[i]->kind != YTREE_SCALAR)
				return rb_fail_at(ld, v->items[i], "step '%s': output %s must be a jq path", st->name,
					       v->keys[i]->value);
			json_object_set_new(st->outputs, v->keys[i]->value, json_string(v->items[i]->value));
		}
	}
	v = ytree_get(n, "inputs");
	st->inputs = v ? rb_node_to_json(v) : json_object();
	return 0;
}

static int check_step_rest(struct loader *ld, const struct ytree *n, struct rb_step *st, const struct scope *sc);

/* The second pass over a step: its inputs (with {{ item.X }} in a for_each step). */
int rb_check_step(struct loader *ld, const struct ytree *n, struct rb_step *st, const struct scope *sc)
{
	const struct ytree *v, *in = ytree_get(n, "inputs");

	if ((v = ytree_get(n, "for_each"))) {
		struct scope items = *sc;
		if (st->action->kind != RB_ACTION_AWS)
			return rb_fail_at(ld, v, "step '%s': for_each is for the aws action", st->name);
		if (ytree_get(n, "outputs"))
			return rb_fail_at(ld, v, "step '%s': a for_each step has no outputs", st->name);
		if (rb_check_want_scalar(ld, v, "for_each") < 0 || check_string(ld, v, sc, st->name, v->value, true) < 0)
			return -1;
		mark(st, "for_each", v);
		st->for_each = xstrdup(v->value);
		items.item = true;
		return check_inputs(ld, n, in, st, &items) < 0 ? -1 : check_step_rest(ld, n, st, sc);
	}
	if (check_inputs(ld, n, in, st, sc) < 0)
		return -1;
	return check_step_rest(ld, n, st, sc);
}

/* The rest of check_step: outputs, print, measure_from, on_failure. */
static int check_step_rest(struct loader *ld, const struct ytree *n, struct rb_step *st, const struct scope *sc)
{
	const struct ytree *v;
	size_t i;

	if ((v = ytree_get(n, "outputs")))
		for (i = 0; i < v->n; i++) {
			char key[160];
			if (check_string(ld, v->items[i], sc, st->name, v->items[i]->value, true) < 0)
				return -1;
			snprintf(key, sizeof(key), "outputs.%s", v->keys[i]->value);
			mark(st, key, v->items[i]);
		}
	if ((v = ytree_get(n, "print"))) {
		/* print runs after the step's own outputs are known */
		struct scope own = *sc;
		if (st->rollback)
			own.nrb++;
		else
			own.nmain++;
		if (check_string(ld, v, &own, st->name, v->value, false) < 0)
			return -1;
	}
	if ((v = ytree_get(n, "measure_from"))) {
		if (v->kind != YTREE_SCALAR || (st->measure_from = rb_check_scope_index(sc, v->value, st->rollback)) < 0)
			return rb_fail_at(ld, v, "step '%s': measure_from: no step '%s'", st->name,
				       v->kind == YTREE_SCALAR ? v->value : "...");
		if (!st->measure)
			return rb_fail_at(ld, v, "step '%s': measure_from without measure", st->name);
	}
	if ((v = ytree_get(n, "on_failure"))) {
		if (v->kind != YTREE_SCALAR)
			return rb_fail_at(ld, v, "step '%s': on_failure must be abort, continue or step:NAME", st->name);
		if (strcmp(v->value, "abort") == 0)
			st->on_failure = RB_ON_FAILURE_ABORT;
		else if (strcmp(v->value, "continue") == 0)
			st->on_failure = RB_ON_FAILURE_CONTINUE;
		else if (strncmp(v->value, "step:", 5) == 0) {
			st->on_failure = RB_ON_FAILURE_STEP;
			st->on_failure_step = rb_check_scope_index(sc, v->value + 5, st->rollback);
			if (st->on_failure_step < 0)
				return rb_fail_at(ld, v, "step '%s': on_failure: no step '%s'", st->name, v->value + 5);
		} else
			return rb_fail_at(ld, v, "step '%s': on_failure must be abort, continue or step:NAME, not '%s'",
				       st->name, v->value);
	}
	return 0;
}
