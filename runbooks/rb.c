/* rb.c — load and validate runbooks (see rb.h). */
#include "runbooks/rb.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jq.h>

#include "aws/ops.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "base/ytree.h"
#include "runbooks/rb_metric.h"

/* ---- the action table ---------------------------------------------------- */

#define KEYS(...) ((const char *const[]){ __VA_ARGS__, NULL })

const struct rb_action rb_actions[] = {
	{ .name = "aws", .kind = RB_ACTION_AWS,
	  .inputs = KEYS("service", "operation", "region", "input", "current", "new", "applied", "confirm"),
	  .required = KEYS("service", "operation"), .jq_keys = KEYS("applied"),
	  .default_timeout_ms = 120000, .summary = "call an AWS operation" },
	{ .name = "wait", .kind = RB_ACTION_WAIT,
	  .inputs = KEYS("service", "operation", "region", "input", "until", "interval"),
	  .required = KEYS("service", "operation", "until"), .jq_keys = KEYS("until"),
	  .default_timeout_ms = 600000, .summary = "poll an operation until a jq condition holds" },
	{ .name = "assert", .kind = RB_ACTION_ASSERT,
	  .inputs = KEYS("service", "operation", "region", "input", "value", "condition", "message", "for", "interval"),
	  .required = KEYS("condition"), .jq_keys = KEYS("condition"),
	  .default_timeout_ms = 0, .summary = "a jq condition that must hold (now, or for a window)" },
	{ .name = "approve", .kind = RB_ACTION_APPROVE,
	  .inputs = KEYS("message", "token"), .required = KEYS("message"), .jq_keys = KEYS(NULL),
	  .default_timeout_ms = 0, .summary = "a typed confirmation" },
	{ .name = "sleep", .kind = RB_ACTION_SLEEP,
	  .inputs = KEYS("duration"), .required = KEYS("duration"), .jq_keys = KEYS(NULL),
	  .default_timeout_ms = 0, .summary = "wait a while" },
	{ .name = "probe", .kind = RB_ACTION_PROBE,
	  .inputs = KEYS("url", "interval", "during", "checks", "expect_status", "max_failed", "baseline"),
	  .required = KEYS("url"), .jq_keys = KEYS(NULL),
	  .default_timeout_ms = 0,
	  .summary = "HTTP checks: a baseline, then while named steps run (downtime, breach), or a smoke test" },
	{ .name = "branch", .kind = RB_ACTION_BRANCH,
	  .inputs = KEYS("service", "operation", "region", "input", "value", "condition", "then", "else"),
	  .required = KEYS("condition", "then"), .jq_keys = KEYS("condition"),
	  .default_timeout_ms = 120000, .summary = "choose the next step by a jq condition" },
	{ .name = "metric", .kind = RB_ACTION_METRIC,
	  .inputs = KEYS("region", "queries", "period", "delay", "condition", "message", "on_no_data", "for",
			 "interval"),
	  .required = KEYS("queries", "condition"), .jq_keys = KEYS("condition"),
	  .default_timeout_ms = 0,
	  .summary = "judge the latest complete CloudWatch datapoints (now, or every one in a window)" },
	{ .name = NULL },
};

/* Outputs every probe step has without declaring them. */
static const char *const probe_outputs[] = { "downtime_s", "checks", "failures", NULL };

const struct rb_action *rb_action_find(const char *name)
{
	const struct rb_action *a;

	for (a = rb_actions; a->name; a++)
		if (strcmp(a->name, name) == 0)
			return a;
	return NULL;
}

/* ---- loading: the YAML tree (base/ytree.h) against the schema ----------- */

/* A jq program waiting to be compiled (all of a runbook's at once, for speed). */
struct pending_jq {
	const struct ytree *at;
	char *step;
	char *program;          /* templates replaced by null */
};

struct loader {
	const char *file;
	struct fd_error *err;
	struct pending_jq *jq;
	size_t njq, capjq;
	json_t *names;          /* the scope's name index, freed with the loader */
};

/* Fail with "FILE:LINE:COLUMN: message" at a node. */
static int __attribute__((format(printf, 3, 4)))
fail_at(struct loader *ld, const struct ytree *n, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ytree_error(ld->err, "InvalidRunbook", ld->file, n, "%s", msg);
}

/* True when s is in the NULL-terminated list. */
static bool in_list(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* Join a NULL-terminated list with ", " into buf. */
static const char *join_list(const char *const *list, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (; list && *list && off < size; list++)
		off += (size_t)snprintf(buf + off, size - off, "%s%s", off ? ", " : "", *list);
	return buf;
}

/* A scalar typed as YAML 1.2's core schema would (plain scalars only). */
static json_t *scalar_to_json(const struct ytree *n)
{
	const char *s = n->value;
	char *end;

	if (!n->plain)
		return json_string(s);
	if (!*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
	    strcmp(s, "NULL") == 0)
		return json_null();
	if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 || strcmp(s, "TRUE") == 0)
		return json_true();
	if (strcmp(s, "false") == 0 || strcmp(s, "False") == 0 || strcmp(s, "FALSE") == 0)
		return json_false();
	if ((isdigit((unsigned char)s[0]) || ((s[0] == '-' || s[0] == '+') && isdigit((unsigned char)s[1])))) {
		long long v;
		double d;
		errno = 0;
		v = strtoll(s, &end, 10);
		if (!*end && !errno)
			return json_integer(v);
		d = strtod(s, &end);
		if (!*end && !errno && strchr(s, 'x') == NULL && strchr(s, 'X') == NULL)
			return json_real(d);
	}
	return json_string(s);
}

/* Convert a node tree to JSON (scalars typed). */
static json_t *node_to_json(const struct ytree *n)
{
	json_t *j;
	size_t i;

	if (n->kind == YTREE_SCALAR)
		return scalar_to_json(n);
	if (n->kind == YTREE_SEQ) {
		j = json_array();
		for (i = 0; i < n->n; i++)
			json_array_append_new(j, node_to_json(n->items[i]));
		return j;
	}
	j = json_object();
	for (i = 0; i < n->n; i++)
		json_object_set_new(j, n->keys[i]->value, node_to_json(n->items[i]));
	return j;
}

/* ---- jq ------------------------------------------------------------------ */

struct jq_msg {
	char text[300];
};

/* Keep jq's first complaint, shortened to its essential part. */
static void jq_error_cb(void *data, jv msg)
{
	struct jq_msg *m = data;

	if (!m->text[0] && jv_get_kind(msg) == JV_KIND_STRING) {
		const char *s = jv_string_value(msg);
		char *cut;
		if (strncmp(s, "jq: error: ", 11) == 0)
			s += 11;
		snprintf(m->text, sizeof(m->text), "%s", s);
		if ((cut = strstr(m->text, " at <top-level>")) != NULL)
			*cut = '\0';
		if ((cut = strchr(m->text, '\n')) != NULL)
			*cut = '\0';
	}
	jv_free(msg);
}

/* A jv from a json_t (via text). */
static jv json_to_jv(json_t *j)
{
	char *s;
	jv v;

	if (!j)
		return jv_null();
	s = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
	v = s ? jv_parse(s) : jv_null();
	free(s);
	return v;
}

/* A json_t from a jv (consumed); NULL if it cannot be converted. */
static json_t *jv_to_json(jv v)
{
	jv s = jv_dump_string(v, 0);
	json_t *j = json_loads(jv_string_value(s), JSON_DECODE_ANY, NULL);

	jv_free(s);
	return j;
}

/* What a runbook's jq may not touch: the process environment (credentials live
 * there), modules (files; libjq 1.6 also aborts on an import without a library
 * path) and the builtins that read input or write to stderr around our
 * terminal sanitiser. The validator rejects these names (jq_forbidden); the
 * sandbox below also shadows them when a program runs. */
static const char *const jq_forbidden_names[] = {
	"ENV", "env", "import", "include", "input", "inputs", "stderr", "debug", "input_filename",
	"get_search_list", "__prog_args", NULL,
};
#define JQ_SANDBOX "def env: {}; def stderr: .; def debug: .; def input: error(\"input is disabled\"); " \
	"def inputs: empty; def input_filename: null; {} as $ENV | (\n"

/* Compile program into a fresh jq state with $parameters and $steps bound;
 * sandboxed when it is to run (the validator has refused the names already,
 * and compiles without the sandbox so its messages point at the program). */
static jq_state *jq_compile_vars(const char *program, json_t *vars, struct jq_msg *m, bool sandbox)
{
	jq_state *jq = jq_init();
	jv args = jv_object();
	json_t *p = vars ? json_object_get(vars, "parameters") : NULL;
	json_t *s = vars ? json_object_get(vars, "steps") : NULL;
	struct strbuf sandboxed;
	int ok;

	if (!jq)
		return NULL;
	jq_set_error_cb(jq, jq_error_cb, m);
	jq_set_attr(jq, jv_string("JQ_LIBRARY_PATH"), jv_array());   /* no module is ever found */
	args = jv_object_set(args, jv_string("parameters"), p ? json_to_jv(p) : jv_object());
	args = jv_object_set(args, jv_string("steps"), s ? json_to_jv(s) : jv_object());
	strbuf_init(&sandboxed);
	if (sandbox)
		strbuf_addf(&sandboxed, "%s%s\n)", JQ_SANDBOX, program);
	else
		strbuf_adds(&sandboxed, program);
	ok = jq_compile_args(jq, sandboxed.data, args);
	strbuf_clean_up(&sandboxed);
	if (!ok) {
		jq_teardown(&jq);
		return NULL;
	}
	return jq;
}

/* Whether c can be part of a jq identifier. */
static bool jq_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Find the first forbidden name in a jq program, outside string literals and
 * comments (interpolations \(...) are code and are looked into). Returns its
 * offset, or -1; *what is the name. A key spelled like one (`{env: 1}`) is
 * refused too: the scan is lexical, on purpose, so nothing slips through. */
static long jq_forbidden(const char *prog, const char **what)
{
	int depth[64], nstr = 0;   /* per open string: the paren depth of its interpolation, -1 inside the text */
	int parens = 0;
	size_t i, k;

	for (i = 0; prog[i]; i++) {
		char c = prog[i];
		if (nstr > 0 && depth[nstr - 1] < 0) {   /* inside string text */
			if (c == '\\' && prog[i + 1] == '(') {
				depth[nstr - 1] = parens++;
				i++;
			} else if (c == '\\' && prog[i + 1])
				i++;
			else if (c == '"')
				nstr--;
			continue;
		}
		if (c == '"') {
			if (nstr == (int)(sizeof(depth) / sizeof(depth[0])))
				return (long)i;   /* nested too deep to follow: refuse */
			depth[nstr++] = -1;
			continue;
		}
		if (c == '#') {
			while (prog[i + 1] && prog[i + 1] != '\n')
				i++;
			continue;
		}
		if (c == '(') {
			parens++;
			continue;
		}
		if (c == ')') {
			parens--;
			if (nstr > 0 && depth[nstr - 1] == parens)
				depth[nstr - 1] = -1;   /* the interpolation ends: back in the string */
			continue;
		}
		/* names as whole words: `$ENV` and `$ ENV` (jq lexes '$' apart) alike */
		if (jq_ident_char(c) && !isdigit((unsigned char)c) && (i == 0 || !jq_ident_char(prog[i - 1]))) {
			size_t n = 1;
			while (jq_ident_char(prog[i + n]))
				n++;
			/* a field (.env) is data, not the builtin */
			if (i > 0 && prog[i - 1] == '.') {
				i += n - 1;
				continue;
			}
			for (k = 0; jq_forbidden_names[k]; k++)
				if (strlen(jq_forbidden_names[k]) == n && strncmp(prog + i, jq_forbidden_names[k], n) == 0) {
					*what = jq_forbidden_names[k];
					return (long)i;
				}
			i += n - 1;
		}
	}
	return -1;
}

int rb_jq_check(const char *program, struct fd_error *err)
{
	struct jq_msg m = { .text = "" };
	jq_state *jq = jq_compile_vars(program, NULL, &m, false);

	if (!jq)
		return fd_error_set(err, "JqError", "jq: %s", m.text[0] ? m.text : "compile error");
	jq_teardown(&jq);
	return 0;
}

json_t *rb_jq_eval(const char *program, json_t *input, json_t *vars, struct fd_error *err)
{
	struct jq_msg m = { .text = "" };
	jq_state *jq = jq_compile_vars(program, vars, &m, true);
	json_t *out;
	jv v;

	if (!jq) {
		fd_error_set(err, "JqError", "jq: %s", m.text[0] ? m.text : "compile error");
		return NULL;
	}
	jq_start(jq, json_to_jv(input), 0);
	v = jq_next(jq);
	if (!jv_is_valid(v)) {
		if (jv_invalid_has_msg(jv_copy(v))) {
			jv msg = jv_invalid_get_msg(v);
			if (jv_get_kind(msg) == JV_KIND_STRING)
				fd_error_set(err, "JqError", "jq: %s", jv_string_value(msg));
			else {
				jv d = jv_dump_string(msg, 0);
				fd_error_set(err, "JqError", "jq: %s", jv_string_value(d));
				jv_free(d);
				msg = jv_null();
			}
			jv_free(msg);
		} else {
			jv_free(v);
			fd_error_set(err, "JqError", "jq: the program produced no output");
		}
		jq_teardown(&jq);
		return NULL;
	}
	out = jv_to_json(v);
	jq_teardown(&jq);
	if (!out)
		fd_error_set(err, "JqError", "jq: output is not JSON");
	return out;
}

bool rb_jq_truthy(const json_t *v)
{
	return v && !json_is_false(v) && !json_is_null(v);
}

/* ---- validation ---------------------------------------------------------- */

/* Step names seen so far, for reference checks. */
struct scope {
	const struct runbook *rb;
	size_t nmain;           /* main steps visible */
	size_t nrb;             /* rollback steps visible */
	bool item;              /* {{ item.X }} allowed (a for_each step) */
	json_t *names;          /* step name -> index (main: i, rollback: -1 - i): lookups stay O(1) */
};

/* Index of the step called name in its section (rollback or main), -1 if none. */
static int scope_index(const struct scope *sc, const char *name, bool rollback)
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

/* True for a step or parameter name: letters, digits, _ and -. */
bool rb_name_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

/* Whether step declares (or has built in) output out. */
static bool step_has_output(const struct rb_step *st, const char *out)
{
	if (st->outputs && json_object_get(st->outputs, out))
		return true;
	return st->action->kind == RB_ACTION_PROBE && in_list(probe_outputs, out);
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
		return fail_at(ld, at, "step '%s': unknown parameter '%s' in {{ parameters.%s }}", step, b, b);
	}
	if (strcmp(a, "item") == 0) {
		if (sc->item)
			return 0;
		return fail_at(ld, at, "step '%s': {{ item.%s }} outside a for_each step", step, b);
	}
	if (strcmp(a, "run") == 0) {
		static const char *const fields[] = { "id", "runbook", "elapsed_s", "now", "ago_5m", NULL };
		char list[100];
		if (in_list(fields, b))
			return 0;
		return fail_at(ld, at, "step '%s': unknown run field '%s' (%s)", step, b, join_list(fields, list, sizeof(list)));
	}
	{
		int m = scope_index(sc, a, false), k = scope_index(sc, a, true);
		const struct rb_step *target = m >= 0 && (size_t)m < sc->nmain ? &rb->steps[m] :
			k >= 0 && (size_t)k < sc->nrb ? &rb->rollback[k] : NULL;
		if (!target)
			return fail_at(ld, at, "step '%s': {{ %s.%s }} refers to no earlier step '%s'", step, a, b, a);
		if (!step_has_output(target, b))
			return fail_at(ld, at, "step '%s': step '%s' has no output '%s'", step, a, b);
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
			r = fail_at(ld, at, "step '%s': '{{' without '}}'", step);
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
			r = fail_at(ld, at, "step '%s': malformed template '%.*s' (want {{ step.Output }} or {{ parameters.name }})",
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
		if (jq_forbidden(prog.data, &what) >= 0) {
			r = fail_at(ld, at, "step '%s': jq may not use %s%s (a runbook cannot read the environment, "
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
		return fail_at(ld, ld->jq[from].at, "step '%s': %s", ld->jq[from].step, jerr.message);
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
static int check_pending_jq(struct loader *ld)
{
	json_t *seen = json_object();
	size_t i, n = 0, from, bytes;
	int r = 0;

	/* the same program (templates are null here) needs compiling once */
	for (i = 0; i < ld->njq; i++) {
		if (json_object_get(seen, ld->jq[i].program)) {
			free(ld->jq[i].step);
			free(ld->jq[i].program);
			continue;
		}
		json_object_set_new(seen, ld->jq[i].program, json_true());
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
static int want_scalar(struct loader *ld, const struct ytree *n, const char *what)
{
	if (n->kind != YTREE_SCALAR)
		return fail_at(ld, n, "%s must be a string", what);
	return 0;
}

/* A duration scalar (templates not allowed), into *ms. */
static int want_duration(struct loader *ld, const struct ytree *n, const char *step, const char *key, long *ms)
{
	if (n->kind != YTREE_SCALAR || (*ms = rb_parse_duration_ms(n->value)) < 0)
		return fail_at(ld, n, "step '%s': %s: '%s' is not a duration (like 30s, 5m, 500ms)", step, key,
			       n->kind == YTREE_SCALAR ? n->value : "...");
	return 0;
}

long rb_parse_duration_ms(const char *s)
{
	static const struct { const char *unit; long ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 }, { "", 1000 },
	};
	char *end;
	double v;
	size_t i;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || v > 864000000.0)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].unit) == 0)
			return (long)(v * (double)units[i].ms + 0.5);
	return -1;
}

/* Remember where the jq program key of st is written (for run-time errors). */
static void mark(struct rb_step *st, const char *key, const struct ytree *at)
{
	if (!st->marks)
		st->marks = json_object();
	json_object_set_new(st->marks, key, json_integer(at->line));
}

int rb_step_line(const struct rb_step *st, const char *key)
{
	json_t *v = st->marks ? json_object_get(st->marks, key) : NULL;

	return v ? (int)json_integer_value(v) : st->line;
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
		if (!s || !in_list(no_data, s))
			return fail_at(ld, v, "step '%s': on_no_data must be fail, pass or wait", st->name);
		return 0;
	}
	if (strcmp(key, "queries") == 0) {
		size_t j;
		if (v->kind != YTREE_SEQ || v->n == 0)
			return fail_at(ld, v, "step '%s': queries must be a list of GetMetricData MetricDataQueries", st->name);
		for (j = 0; j < v->n; j++)
			if (v->items[j]->kind != YTREE_MAP || !ytree_get(v->items[j], "Id"))
				return fail_at(ld, v->items[j], "step '%s': each query needs an Id", st->name);
		return check_templates(ld, v, sc, st->name);
	}
	if (strcmp(key, "period") != 0 && strcmp(key, "max_failed") != 0 && strcmp(key, "baseline") != 0 &&
	    strcmp(key, "checks") != 0)
		return 1;
	if (s && strstr(s, "{{"))
		return check_string(ld, v, sc, st->name, s, false);
	d = s ? strtod(s, &end) : 0;
	if (!s || !*s || *end)
		return fail_at(ld, v, "step '%s': %s must be a number", st->name, key);
	if (strcmp(key, "period") == 0 && !rb_metric_period_ok((long)d))
		return fail_at(ld, v, "step '%s': period %s: CloudWatch takes 1, 5, 10, 30 or a multiple of 60 seconds",
			       st->name, s);
	if (strcmp(key, "max_failed") == 0 && (d < 0 || d > 1))
		return fail_at(ld, v, "step '%s': max_failed is a failure rate from 0 to 1", st->name);
	if ((strcmp(key, "baseline") == 0 || strcmp(key, "checks") == 0) && (d < 1 || d > 1000 || d != (long)d))
		return fail_at(ld, v, "step '%s': %s must be a number of checks from 1 to 1000", st->name, key);
	return 0;
}

/* Rules of one action beyond its keys: probe modes, metric windows, metric reads. */
static int check_action_rules(struct loader *ld, const struct ytree *stepn, const struct ytree *in,
			      const struct rb_step *st)
{
	const struct ytree *svc = ytree_get(in, "service"), *op = ytree_get(in, "operation");

	if (st->action->kind == RB_ACTION_PROBE && !ytree_get(in, "during") == !ytree_get(in, "checks"))
		return fail_at(ld, in ? in : stepn, "step '%s': a probe needs during (steps to watch) or checks "
			       "(a smoke test now), not both", st->name);
	if (st->action->kind == RB_ACTION_METRIC) {
		const struct ytree *p = ytree_get(in, "period"), *d = ytree_get(in, "delay"), *f = ytree_get(in, "for");
		long period_s = p ? strtol(p->value, NULL, 10) : RB_METRIC_PERIOD_S;
		long delay_ms = d ? rb_parse_duration_ms(d->value) : RB_METRIC_DELAY_MS;
		long for_ms = f ? rb_parse_duration_ms(f->value) : -1;
		if (f && for_ms >= 0 && period_s > 0 && delay_ms >= 0 &&
		    for_ms < rb_metric_min_window_ms(period_s, delay_ms))
			return fail_at(ld, f, "step '%s': a %s watch is shorter than two periods plus the publishing delay "
				       "(2 x %ld s + %.0f s): it could end before one complete datapoint", st->name,
				       f->value, period_s, (double)delay_ms / 1000.0);
	}
	if (st->action->kind != RB_ACTION_AWS && svc && op && strcmp(svc->value, "cloudwatch") == 0 &&
	    (strcmp(op->value, "GetMetricData") == 0 || strcmp(op->value, "GetMetricStatistics") == 0))
		return fail_at(ld, op, "step '%s': judge CloudWatch metrics with the metric action, which reads the "
			       "latest complete datapoint (newest first, period, publishing delay) and knows no data",
			       st->name);
	return 0;
}

bool rb_probe_url_ok(const char *url)
{
	const char *host;

	if (!url)
		return false;
	if (strncasecmp(url, "http://", 7) == 0)
		host = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		host = url + 8;
	else
		return false;
	return *host && *host != '/' && !strpbrk(url, " \t\r\n");
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
		return fail_at(ld, in, "step '%s': inputs must be a mapping", st->name);
	for (i = 0; in && i < in->n; i++) {
		const char *key = in->keys[i]->value;
		const struct ytree *v = in->items[i];
		if (!in_list(a->inputs, key))
			return fail_at(ld, in->keys[i], "step '%s': action %s has no input '%s' (%s)", st->name,
				       a->name, key, join_list(a->inputs, list, sizeof(list)));
		if (in_list(a->jq_keys, key)) {
			if (want_scalar(ld, v, key) < 0 ||
			    check_string(ld, v, sc, st->name, v->value, true) < 0)
				return -1;
			mark(st, key, v);
			continue;
		}
		if (strcmp(key, "input") == 0 && v->kind != YTREE_MAP)
			return fail_at(ld, v, "step '%s': input must be a mapping (the operation's parameters)", st->name);
		if ((strcmp(key, "service") == 0 || strcmp(key, "operation") == 0) &&
		    (v->kind != YTREE_SCALAR || strstr(v->value, "{{")))
			return fail_at(ld, v, "step '%s': %s must be a plain name", st->name, key);
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
				return fail_at(ld, v, "step '%s': interval %s is shorter than %s", st->name, v->value,
					       a->kind == RB_ACTION_PROBE ? "10ms" : "1s (polling AWS faster only burns its API quota)");
			continue;
		}
		if (strcmp(key, "url") == 0 && v->kind == YTREE_SCALAR && !strstr(v->value, "{{") &&
		    !rb_probe_url_ok(v->value))
			return fail_at(ld, v, "step '%s': url '%s' is not an http:// or https:// URL", st->name, v->value);
		if ((strcmp(key, "then") == 0 || strcmp(key, "else") == 0)) {
			if (want_scalar(ld, v, key) < 0)
				return -1;
			if (scope_index(sc, v->value, st->rollback) < 0)
				return fail_at(ld, v, "step '%s': %s: no step '%s'", st->name, key, v->value);
			continue;
		}
		if (strcmp(key, "during") == 0) {
			size_t j;
			if (v->kind != YTREE_SEQ || v->n == 0)
				return fail_at(ld, v, "step '%s': during must be a list of step names", st->name);
			for (j = 0; j < v->n; j++)
				if (v->items[j]->kind != YTREE_SCALAR ||
				    (scope_index(sc, v->items[j]->value, false) < 0 &&
				     scope_index(sc, v->items[j]->value, true) < 0))
					return fail_at(ld, v->items[j], "step '%s': during: no step '%s'", st->name,
						       v->items[j]->kind == YTREE_SCALAR ? v->items[j]->value : "...");
			continue;
		}
		if (strcmp(key, "current") == 0) {
			static const char *const ckeys[] = { "service", "operation", "region", "input", "value", NULL };
			size_t j;
			if (v->kind != YTREE_MAP)
				return fail_at(ld, v, "step '%s': current must be a mapping (operation, input, value)", st->name);
			for (j = 0; j < v->n; j++) {
				const char *ck = v->keys[j]->value;
				if (!in_list(ckeys, ck))
					return fail_at(ld, v->keys[j], "step '%s': current has no key '%s' (%s)", st->name,
						       ck, join_list(ckeys, list, sizeof(list)));
				if (strcmp(ck, "value") == 0) {
					if (want_scalar(ld, v->items[j], ck) < 0 ||
					    check_string(ld, v->items[j], sc, st->name, v->items[j]->value, true) < 0)
						return -1;
					mark(st, "current.value", v->items[j]);
				} else if (check_templates(ld, v->items[j], sc, st->name) < 0)
					return -1;
			}
			if (!ytree_get(v, "operation") || !ytree_get(v, "value"))
				return fail_at(ld, v, "step '%s': current needs operation and value", st->name);
			continue;
		}
		if (check_templates(ld, v, sc, st->name) < 0)
			return -1;
	}
	for (k = a->required; *k; k++)
		if (!ytree_get(in, *k))
			return fail_at(ld, in ? in : stepn, "step '%s': action %s needs input '%s'", st->name, a->name, *k);
	if ((a->kind == RB_ACTION_ASSERT || a->kind == RB_ACTION_BRANCH) && ytree_get(in, "value") &&
	    ytree_get(in, "operation"))
		return fail_at(ld, ytree_key(in, "value"), "step '%s': give either value or operation, not both", st->name);
	if (ytree_get(in, "operation") && !ytree_get(in, "service"))
		return fail_at(ld, in, "step '%s': operation needs service", st->name);
	if (check_action_rules(ld, stepn, in, st) < 0)
		return -1;
	if (ytree_get(in, "operation")) {
		const struct ytree *svc = ytree_get(in, "service"), *op = ytree_get(in, "operation");
		const struct ytree *cur = ytree_get(in, "current");
		if (!ops_find(svc->value, op->value))
			return fail_at(ld, op, "step '%s': %s %s is not an operation flightdeck knows", st->name,
				       svc->value, op->value);
		if (cur && ytree_get(cur, "operation")) {
			const struct ytree *cs = ytree_get(cur, "service"), *co = ytree_get(cur, "operation");
			const char *sv = cs && cs->kind == YTREE_SCALAR ? cs->value : svc->value;
			if (co->kind != YTREE_SCALAR || !ops_find(sv, co->value))
				return fail_at(ld, co, "step '%s': %s %s is not an operation flightdeck knows", st->name,
					       sv, co->kind == YTREE_SCALAR ? co->value : "...");
			if (ops_find(sv, co->value)->mutating)
				return fail_at(ld, co, "step '%s': current must read, but %s %s changes state", st->name,
					       sv, co->value);
		}
	}
	return 0;
}

/* Fill st from a step's mapping (references checked later). */
static int load_step(struct loader *ld, const struct ytree *n, struct rb_step *st, bool rollback)
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
	if (n->kind != YTREE_MAP)
		return fail_at(ld, n, "a step must be a mapping with name and action");
	v = ytree_get(n, "name");
	if (!v)
		return fail_at(ld, n, "a step needs a name");
	if (v->kind != YTREE_SCALAR || !rb_name_ok(v->value, strlen(v->value)))
		return fail_at(ld, v, "step name must be letters, digits, '_' or '-'");
	st->name = xstrdup(v->value);
	for (i = 0; i < n->n; i++)
		if (!in_list(keys, n->keys[i]->value))
			return fail_at(ld, n->keys[i], "step '%s': unknown key '%s' (%s)", st->name, n->keys[i]->value,
				       join_list(keys, list, sizeof(list)));
	v = ytree_get(n, "action");
	if (!v)
		return fail_at(ld, n, "step '%s': needs an action", st->name);
	if (v->kind != YTREE_SCALAR || !(st->action = rb_action_find(v->value))) {
		const char *names[16];
		size_t k = 0;
		const struct rb_action *a;
		for (a = rb_actions; a->name && k < 15; a++)
			names[k++] = a->name;
		names[k] = NULL;
		return fail_at(ld, v, "step '%s': unknown action '%s' (%s)", st->name,
			       v->kind == YTREE_SCALAR ? v->value : "...", join_list(names, list, sizeof(list)));
	}
	if ((v = ytree_get(n, "timeout"))) {
		if (want_duration(ld, v, st->name, "timeout", &st->timeout_ms) < 0)
			return -1;
		if (st->timeout_ms == 0)   /* 0 read as "none" would let a step wait forever */
			return fail_at(ld, v, "step '%s': timeout must be more than 0 (leave it out for the action's default)",
				       st->name);
	}
	if ((v = ytree_get(n, "max_attempts"))) {
		char *end;
		long m = v->kind == YTREE_SCALAR ? strtol(v->value, &end, 10) : 0;
		if (v->kind != YTREE_SCALAR || *end || m < 1 || m > 100)
			return fail_at(ld, v, "step '%s': max_attempts must be a number from 1 to 100", st->name);
		st->max_attempts = (int)m;
		st->max_attempts_given = true;
	}
	if ((v = ytree_get(n, "print"))) {
		if (want_scalar(ld, v, "print") < 0)
			return -1;
		st->print = xstrdup(v->value);
	}
	if ((v = ytree_get(n, "measure"))) {
		if (v->kind != YTREE_SCALAR || !rb_name_ok(v->value, strlen(v->value)))
			return fail_at(ld, v, "step '%s': measure must be a name like rto_s", st->name);
		st->measure = xstrdup(v->value);
	}
	if ((v = ytree_get(n, "outputs"))) {
		if (v->kind != YTREE_MAP)
			return fail_at(ld, v, "step '%s': outputs must map names to jq paths", st->name);
		st->outputs = json_object();
		for (i = 0; i < v->n; i++) {
			if (!rb_name_ok(v->keys[i]->value, strlen(v->keys[i]->value)))
				return fail_at(ld, v->keys[i], "step '%s': output name must be letters, digits, '_' or '-'", st->name);
			if (v->items[i]->kind != YTREE_SCALAR)
				return fail_at(ld, v->items[i], "step '%s': output %s must be a jq path", st->name,
					       v->keys[i]->value);
			json_object_set_new(st->outputs, v->keys[i]->value, json_string(v->items[i]->value));
		}
	}
	v = ytree_get(n, "inputs");
	st->inputs = v ? node_to_json(v) : json_object();
	return 0;
}

static int check_step_rest(struct loader *ld, const struct ytree *n, struct rb_step *st, const struct scope *sc);

/* The second pass over a step: its inputs (with {{ item.X }} in a for_each step). */
static int check_step(struct loader *ld, const struct ytree *n, struct rb_step *st, const struct scope *sc)
{
	const struct ytree *v, *in = ytree_get(n, "inputs");

	if ((v = ytree_get(n, "for_each"))) {
		struct scope items = *sc;
		if (st->action->kind != RB_ACTION_AWS)
			return fail_at(ld, v, "step '%s': for_each is for the aws action", st->name);
		if (ytree_get(n, "outputs"))
			return fail_at(ld, v, "step '%s': a for_each step has no outputs", st->name);
		if (want_scalar(ld, v, "for_each") < 0 || check_string(ld, v, sc, st->name, v->value, true) < 0)
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
		if (v->kind != YTREE_SCALAR || (st->measure_from = scope_index(sc, v->value, st->rollback)) < 0)
			return fail_at(ld, v, "step '%s': measure_from: no step '%s'", st->name,
				       v->kind == YTREE_SCALAR ? v->value : "...");
		if (!st->measure)
			return fail_at(ld, v, "step '%s': measure_from without measure", st->name);
	}
	if ((v = ytree_get(n, "on_failure"))) {
		if (v->kind != YTREE_SCALAR)
			return fail_at(ld, v, "step '%s': on_failure must be abort, continue or step:NAME", st->name);
		if (strcmp(v->value, "abort") == 0)
			st->on_failure = RB_ON_FAILURE_ABORT;
		else if (strcmp(v->value, "continue") == 0)
			st->on_failure = RB_ON_FAILURE_CONTINUE;
		else if (strncmp(v->value, "step:", 5) == 0) {
			st->on_failure = RB_ON_FAILURE_STEP;
			st->on_failure_step = scope_index(sc, v->value + 5, st->rollback);
			if (st->on_failure_step < 0)
				return fail_at(ld, v, "step '%s': on_failure: no step '%s'", st->name, v->value + 5);
		} else
			return fail_at(ld, v, "step '%s': on_failure must be abort, continue or step:NAME, not '%s'",
				       st->name, v->value);
	}
	return 0;
}

/* A parameter's value as text, for messages and for string parameters given a number. */
static char *param_text(json_t *v)
{
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

/* v converted to type, or NULL (a string is parsed as the command line gives it). */
static json_t *param_typed(const char *type, json_t *v)
{
	const char *s = json_string_value(v);
	char *end;

	if (strcmp(type, "string") == 0) {
		char *t;
		json_t *out;
		if (s)
			return json_string(s);
		if (!json_is_number(v) && !json_is_boolean(v))
			return NULL;
		t = param_text(v);
		out = json_string(t);
		free(t);
		return out;
	}
	if (strcmp(type, "integer") == 0) {
		long long n;
		if (json_is_integer(v))
			return json_incref(v);
		errno = 0;
		if (s && *s && (n = strtoll(s, &end, 10), !*end) && errno == 0)
			return json_integer(n);
	} else if (strcmp(type, "number") == 0) {
		double d;
		if (json_is_number(v))
			return json_real(json_number_value(v));
		if (s && *s && (d = strtod(s, &end), !*end) && isfinite(d))
			return json_real(d);
	} else if (strcmp(type, "boolean") == 0) {
		if (json_is_boolean(v))
			return json_incref(v);
		if (s && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0))
			return json_boolean(strcmp(s, "true") == 0);
	}
	return NULL;
}

json_t *rb_param_value(const struct rb_param *p, json_t *given, struct fd_error *err)
{
	json_t *v = given ? param_typed(p->type, given) : NULL;
	char *text;

	if (v && p->min && json_number_value(v) < json_number_value(p->min)) {
		text = param_text(p->min);
		json_decref(v);
		fd_error_set(err, "InvalidParameter", "parameter %s: below its minimum %s", p->name, text);
		free(text);
		return NULL;
	}
	if (v && p->max && json_number_value(v) > json_number_value(p->max)) {
		text = param_text(p->max);
		json_decref(v);
		fd_error_set(err, "InvalidParameter", "parameter %s: above its maximum %s", p->name, text);
		free(text);
		return NULL;
	}
	if (v)
		return v;
	text = given ? param_text(given) : xstrdup("?");
	fd_error_set(err, "InvalidParameter", "parameter %s: '%s' is not %s %s", p->name, p->secret ? "<secret>" : text,
		     strcmp(p->type, "integer") == 0 ? "an" : "a", p->type);
	free(text);
	return NULL;
}

/* A bound (min, max) of parameter p: a number, for integer and number parameters only. */
static int load_bound(struct loader *ld, const struct ytree *n, const char *key, struct rb_param *p, json_t **out)
{
	const struct ytree *v = ytree_get(n, key);

	if (!v)
		return 0;
	if (strcmp(p->type, "integer") != 0 && strcmp(p->type, "number") != 0)
		return fail_at(ld, v, "parameter '%s': %s is for integer and number parameters", p->name, key);
	if (v->kind == YTREE_SCALAR) {
		json_t *s = json_string(v->value);
		*out = param_typed(p->type, s);
		json_decref(s);
	}
	if (!*out)
		return fail_at(ld, v, "parameter '%s': %s must be %s %s", p->name, key,
			       strcmp(p->type, "integer") == 0 ? "an" : "a", p->type);
	return 0;
}

/* Load a parameter's declaration. */
static int load_param(struct loader *ld, const struct ytree *key, const struct ytree *n, struct rb_param *p)
{
	static const char *const keys[] = { "type", "default", "description", "secret", "min", "max", NULL };
	static const char *const types[] = { "string", "integer", "number", "boolean", NULL };
	const struct ytree *v;
	char list[200];
	size_t i;

	if (!rb_name_ok(key->value, strlen(key->value)))
		return fail_at(ld, key, "parameter name must be letters, digits, '_' or '-'");
	p->name = xstrdup(key->value);
	if (n->kind != YTREE_MAP)
		return fail_at(ld, n, "parameter '%s' must be a mapping (type, default, description)", p->name);
	for (i = 0; i < n->n; i++)
		if (!in_list(keys, n->keys[i]->value))
			return fail_at(ld, n->keys[i], "parameter '%s': unknown key '%s' (%s)", p->name,
				       n->keys[i]->value, join_list(keys, list, sizeof(list)));
	v = ytree_get(n, "type");
	p->type = xstrdup(v && v->kind == YTREE_SCALAR ? v->value : "string");
	if (!in_list(types, p->type))
		return fail_at(ld, v, "parameter '%s': unknown type '%s' (%s)", p->name, p->type,
			       join_list(types, list, sizeof(list)));
	if ((v = ytree_get(n, "description"))) {
		if (want_scalar(ld, v, "description") < 0)
			return -1;
		p->description = xstrdup(v->value);
	}
	if ((v = ytree_get(n, "secret"))) {
		json_t *b = v->kind == YTREE_SCALAR ? scalar_to_json(v) : NULL;
		if (!json_is_boolean(b)) {
			json_decref(b);
			return fail_at(ld, v, "parameter '%s': secret must be true or false", p->name);
		}
		p->secret = json_is_true(b);
		json_decref(b);
	}
	if (load_bound(ld, n, "min", p, &p->min) < 0 || load_bound(ld, n, "max", p, &p->max) < 0)
		return -1;
	if (p->min && p->max && json_number_value(p->min) > json_number_value(p->max))
		return fail_at(ld, ytree_get(n, "min"), "parameter '%s': min is above max", p->name);
	if ((v = ytree_get(n, "default"))) {
		struct fd_error e;
		json_t *t;
		if (v->kind != YTREE_SCALAR)
			return fail_at(ld, v, "parameter '%s': default must be a scalar", p->name);
		p->def = scalar_to_json(v);
		if ((strcmp(p->type, "integer") == 0 && !json_is_integer(p->def)) ||
		    (strcmp(p->type, "number") == 0 && !json_is_number(p->def)) ||
		    (strcmp(p->type, "boolean") == 0 && !json_is_boolean(p->def)))
			return fail_at(ld, v, "parameter '%s': default '%s' is not of type %s", p->name, v->value, p->type);
		if (strcmp(p->type, "string") == 0 && !json_is_string(p->def)) {
			json_decref(p->def);
			p->def = json_string(v->value);
		}
		if (!(t = rb_param_value(p, p->def, &e)))
			return fail_at(ld, v, "parameter '%s': default %s: %s", p->name, v->value,
				       strstr(e.message, ": ") ? strstr(e.message, ": ") + 2 : e.message);
		json_decref(t);
	}
	return 0;
}

/* Load one steps section (main or rollback): first pass. */
static int load_section(struct loader *ld, const struct ytree *sec, const char *what, struct rb_step **out,
			size_t *nout, bool rollback)
{
	size_t i;

	if (sec->kind != YTREE_SEQ || (!rollback && sec->n == 0))
		return fail_at(ld, sec, "%s must be a list of steps", what);
	*out = xcalloc(sec->n ? sec->n : 1, sizeof(**out));
	*nout = 0;
	for (i = 0; i < sec->n; i++) {
		(*nout)++;
		if (load_step(ld, sec->items[i], &(*out)[i], rollback) < 0)
			return -1;
	}
	return 0;
}

/* The steps a step may go to next within its section (-1: none): after
 * success (the next one, or a branch's then/else), after failure (on_failure). */
static void step_edges(const struct rb_step *st, size_t i, size_t n, const struct scope *sc, int out[3])
{
	int next = i + 1 < n ? (int)(i + 1) : -1;
	const char *then = json_string_value(json_object_get(st->inputs, "then"));
	const char *els = json_string_value(json_object_get(st->inputs, "else"));

	out[0] = out[1] = out[2] = -1;
	if (st->action->kind == RB_ACTION_BRANCH) {
		out[0] = then ? scope_index(sc, then, st->rollback) : next;
		out[1] = els ? scope_index(sc, els, st->rollback) : next;
	} else
		out[0] = next;
	if (st->on_failure == RB_ON_FAILURE_CONTINUE)
		out[2] = next;
	else if (st->on_failure == RB_ON_FAILURE_STEP)
		out[2] = st->on_failure_step;
}

/* Every loop a section can run (a strongly connected set of steps, through
 * on_failure: step:X or a branch going back) must hold a step with
 * max_attempts, which the engine uses to end it; Tarjan's algorithm, without
 * recursion so a long runbook cannot exhaust the stack. */
static int check_loops(struct loader *ld, const struct ytree *sec, const struct rb_step *steps, size_t n,
		       const struct scope *sc)
{
	int *index = xmalloc(n * sizeof(int)), *low = xmalloc(n * sizeof(int)), *stack = xmalloc(n * sizeof(int));
	int *call = xmalloc(n * sizeof(int)), *edge = xmalloc(n * sizeof(int));
	bool *on = xcalloc(n ? n : 1, sizeof(bool));
	int counter = 0, sp = 0, r = 0;
	size_t root;

	for (root = 0; root < n; root++)
		index[root] = -1;
	for (root = 0; root < n && r == 0; root++) {
		int cp = 0;
		if (index[root] >= 0)
			continue;
		call[cp++] = (int)root;
		index[root] = low[root] = counter++;
		stack[sp++] = (int)root;
		on[root] = true;
		edge[root] = 0;
		while (cp > 0 && r == 0) {
			int v = call[cp - 1], e[3];
			step_edges(&steps[v], (size_t)v, n, sc, e);
			if (edge[v] < 3) {
				int w = e[edge[v]++];
				if (w < 0)
					continue;
				if (index[w] < 0) {
					index[w] = low[w] = counter++;
					stack[sp++] = w;
					on[w] = true;
					edge[w] = 0;
					call[cp++] = w;
				} else if (on[w] && index[w] < low[v])
					low[v] = index[w];
				continue;
			}
			cp--;
			if (cp > 0 && low[v] < low[call[cp - 1]])
				low[call[cp - 1]] = low[v];
			if (low[v] == index[v]) {
				/* v roots a component: a loop if it has two steps or a step that goes to itself */
				int k = sp, back = -1, first = -1;
				bool bounded = false, loop;
				do {
					int w = stack[--k], f[3], j;
					step_edges(&steps[w], (size_t)w, n, sc, f);
					bounded |= steps[w].max_attempts_given;
					for (j = 0; j < 3; j++)
						if (f[j] >= 0 && f[j] <= w && on[f[j]] && index[f[j]] >= index[v])
							back = w;   /* it jumps back inside the component */
					if (first < 0 || w < first)
						first = w;
				} while (stack[k] != v);
				loop = sp - k > 1 || back >= 0;
				if (loop && !bounded) {
					const struct ytree *at = ytree_get(sec->items[back >= 0 ? back : v], "on_failure");
					if (!at || steps[back >= 0 ? back : v].on_failure != RB_ON_FAILURE_STEP)
						at = sec->items[back >= 0 ? back : v];
					r = fail_at(ld, at, "step '%s' goes back to step '%s': a loop that nothing ends "
						    "(give a step in it max_attempts)", steps[back >= 0 ? back : v].name,
						    steps[first].name);
				}
				while (sp > k)
					on[stack[--sp]] = false;
			}
		}
	}
	free(index);
	free(low);
	free(stack);
	free(call);
	free(edge);
	free(on);
	return r;
}

/* Build and validate a runbook from its tree. */
static int load_runbook(struct loader *ld, const struct ytree *root, struct runbook *rb)
{
	static const char *const keys[] = { "description", "parameters", "steps", "rollback", NULL };
	const struct ytree *v, *steps, *rollback;
	struct scope sc = { .rb = rb };
	char list[200];
	size_t i;

	if (root->kind != YTREE_MAP)
		return fail_at(ld, root, "a runbook must be a mapping (description, parameters, steps, rollback)");
	for (i = 0; i < root->n; i++)
		if (!in_list(keys, root->keys[i]->value))
			return fail_at(ld, root->keys[i], "unknown key '%s' (%s)", root->keys[i]->value,
				       join_list(keys, list, sizeof(list)));
	if ((v = ytree_get(root, "description"))) {
		if (want_scalar(ld, v, "description") < 0)
			return -1;
		rb->description = xstrdup(v->value);
	}
	if ((v = ytree_get(root, "parameters"))) {
		if (v->kind != YTREE_MAP)
			return fail_at(ld, v, "parameters must be a mapping of names to declarations");
		rb->params = xcalloc(v->n ? v->n : 1, sizeof(*rb->params));
		for (i = 0; i < v->n; i++) {
			rb->nparams++;
			if (load_param(ld, v->keys[i], v->items[i], &rb->params[i]) < 0)
				return -1;
		}
	}
	steps = ytree_get(root, "steps");
	if (!steps)
		return fail_at(ld, root, "a runbook needs steps");
	if (load_section(ld, steps, "steps", &rb->steps, &rb->nsteps, false) < 0)
		return -1;
	rollback = ytree_get(root, "rollback");
	if (rollback && load_section(ld, rollback, "rollback", &rb->rollback, &rb->nrollback, true) < 0)
		return -1;
	/* Names are unique across both sections so references are unambiguous. */
	sc.names = ld->names = json_object();
	for (i = 0; i < rb->nsteps + rb->nrollback; i++) {
		bool main = i < rb->nsteps;
		const struct rb_step *a = main ? &rb->steps[i] : &rb->rollback[i - rb->nsteps];
		if (json_object_get(sc.names, a->name))
			return fail_at(ld, main ? steps->items[i] : rollback->items[i - rb->nsteps],
				       "duplicate step name '%s'", a->name);
		json_object_set_new(sc.names, a->name, json_integer(main ? (json_int_t)i : -1 - (json_int_t)(i - rb->nsteps)));
	}
	for (i = 0; i < rb->nsteps; i++) {
		sc.nmain = i;
		if (check_step(ld, steps->items[i], &rb->steps[i], &sc) < 0)
			return -1;
	}
	sc.nmain = rb->nsteps;
	for (i = 0; i < rb->nrollback; i++) {
		sc.nrb = i;
		if (check_step(ld, rollback->items[i], &rb->rollback[i], &sc) < 0)
			return -1;
	}
	if (check_loops(ld, steps, rb->steps, rb->nsteps, &sc) < 0 ||
	    (rollback && check_loops(ld, rollback, rb->rollback, rb->nrollback, &sc) < 0))
		return -1;
	return check_pending_jq(ld);
}

/* The runbook's name: the file's base name without .yaml / .yml. */
static char *name_of(const char *path)
{
	const char *base = strrchr(path, '/');
	char *name = xstrdup(base ? base + 1 : path);
	size_t n = strlen(name);

	if (n > 5 && strcmp(name + n - 5, ".yaml") == 0)
		name[n - 5] = '\0';
	else if (n > 4 && strcmp(name + n - 4, ".yml") == 0)
		name[n - 4] = '\0';
	return name;
}

struct runbook *rb_load_buffer(const char *name, const char *data, size_t len, struct fd_error *err)
{
	/* what a reviewer reads is what runs: no aliases, no repeated keys */
	const struct ytree_opts runbook_yaml = { .file = name, .code = "InvalidRunbook", .syntax = "invalid YAML: ",
						 .no_aliases = true, .what = "runbooks", .no_duplicates = true };
	struct loader ld = { .file = name, .err = err };
	struct runbook *rb;
	struct ytree *root;

	fd_error_clear(err);
	if (ytree_parse(data, len, &runbook_yaml, &root, err))
		return NULL;
	if (!root) {
		fd_error_set(err, "InvalidRunbook", "%s:1:1: the runbook is empty", name);
		return NULL;
	}
	rb = xcalloc(1, sizeof(*rb));
	rb->path = xstrdup(name);
	rb->name = name_of(name);
	if (load_runbook(&ld, root, rb) < 0) {
		rb_destroy(rb);
		rb = NULL;
	}
	while (ld.njq > 0) {
		ld.njq--;
		free(ld.jq[ld.njq].step);
		free(ld.jq[ld.njq].program);
	}
	free(ld.jq);
	json_decref(ld.names);
	ytree_free(root);
	return rb;
}

struct runbook *rb_load(const char *path, struct fd_error *err)
{
	struct strbuf sb;
	struct runbook *rb;
	char buf[8192];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f) {
		fd_error_set(err, "NoSuchRunbook", "%s: %s", path, strerror(errno));
		return NULL;
	}
	strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	rb = rb_load_buffer(path, sb.data, sb.len, err);
	strbuf_clean_up(&sb);
	return rb;
}

/* Free the strings and JSON of one step. */
static void step_clean_up(struct rb_step *st)
{
	free(st->name);
	json_decref(st->inputs);
	json_decref(st->outputs);
	free(st->print);
	free(st->measure);
	free(st->for_each);
	json_decref(st->marks);
}

void rb_destroy(struct runbook *rb)
{
	size_t i;

	if (!rb)
		return;
	for (i = 0; i < rb->nparams; i++) {
		free(rb->params[i].name);
		free(rb->params[i].type);
		json_decref(rb->params[i].def);
		json_decref(rb->params[i].min);
		json_decref(rb->params[i].max);
		free(rb->params[i].description);
	}
	for (i = 0; i < rb->nsteps; i++)
		step_clean_up(&rb->steps[i]);
	for (i = 0; i < rb->nrollback; i++)
		step_clean_up(&rb->rollback[i]);
	free(rb->params);
	free(rb->steps);
	free(rb->rollback);
	free(rb->name);
	free(rb->path);
	free(rb->description);
	free(rb);
}

int rb_step_index(const struct runbook *rb, const char *name, bool rollback)
{
	const struct rb_step *s = rollback ? rb->rollback : rb->steps;
	size_t n = rollback ? rb->nrollback : rb->nsteps, i;

	for (i = 0; i < n; i++)
		if (s[i].name && strcmp(s[i].name, name) == 0)
			return (int)i;
	return -1;
}

