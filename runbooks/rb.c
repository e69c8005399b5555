/* rb.c — loading a runbook: the action table, the YAML tree against the schema, sections,
 * loops (see rb.h; the checks of a step: rb_check.c). */
#include "runbooks/rb_impl.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws/ops.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "base/ytree.h"
#include "runbooks/rb_metric.h"

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
const struct rb_action *rb_action_find(const char *name)
{
	const struct rb_action *a;

	for (a = rb_actions; a->name; a++)
		if (strcmp(a->name, name) == 0)
			return a;
	return NULL;
}

/* ---- loading: the YAML tree (base/ytree.h) against the schema ----------- */

/* Fail with "FILE:LINE:COLUMN: message" at a node. */
int rb_fail_at(struct loader *ld, const struct ytree *n, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ytree_error(ld->err, "InvalidRunbook", ld->file, n, "%s", msg);
}

/* True when s is in the NULL-terminated list. */
bool rb_in_list(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* Join a NULL-terminated list with ", " into buf. */
const char *rb_join_list(const char *const *list, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (; list && *list && off < size; list++)
		off += (size_t)snprintf(buf + off, size - off, "%s%s", off ? ", " : "", *list);
	return buf;
}

/* A scalar typed as YAML 1.2's core schema would (plain scalars only). */
json_t *rb_scalar_to_json(const struct ytree *n)
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
json_t *rb_node_to_json(const struct ytree *n)
{
	json_t *j;
	size_t i;

	if (n->kind == YTREE_SCALAR)
		return rb_scalar_to_json(n);
	if (n->kind == YTREE_SEQ) {
		j = json_array();
		for (i = 0; i < n->n; i++)
			json_array_append_new(j, rb_node_to_json(n->items[i]));
		return j;
	}
	j = json_object();
	for (i = 0; i < n->n; i++)
		json_object_set_new(j, n->keys[i]->value, rb_node_to_json(n->items[i]));
	return j;
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

int rb_step_line(const struct rb_step *st, const char *key)
{
	json_t *v = st->marks ? json_object_get(st->marks, key) : NULL;

	return v ? (int)json_integer_value(v) : st->line;
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
		out[0] = then ? rb_check_scope_index(sc, then, st->rollback) : next;
		out[1] = els ? rb_check_scope_index(sc, els, st->rollback) : next;
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
static int check_loops(struct loader *ld, const struct ytree **nodes, const struct rb_step *steps, size_t n,
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
					const struct ytree *at = ytree_get(nodes[back >= 0 ? back : v], "on_failure");
					if (!at || steps[back >= 0 ? back : v].on_failure != RB_ON_FAILURE_STEP)
						at = nodes[back >= 0 ? back : v];
					r = rb_fail_at(ld, at, "step '%s' goes back to step '%s': a loop that nothing ends "
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
	const struct ytree *v, *steps, *rollback, **mnodes = NULL, **bnodes = NULL;
	struct scope sc = { .rb = rb };
	char list[200];
	size_t i;
	int r;

	if (root->kind != YTREE_MAP)
		return rb_fail_at(ld, root, "a runbook must be a mapping (description, parameters, steps, rollback)");
	for (i = 0; i < root->n; i++)
		if (!rb_in_list(keys, root->keys[i]->value))
			return rb_fail_at(ld, root->keys[i], "unknown key '%s' (%s)", root->keys[i]->value,
				       rb_join_list(keys, list, sizeof(list)));
	if ((v = ytree_get(root, "description"))) {
		if (rb_check_want_scalar(ld, v, "description") < 0)
			return -1;
		rb->description = xstrdup(v->value);
	}
	if ((v = ytree_get(root, "parameters"))) {
		if (v->kind != YTREE_MAP)
			return rb_fail_at(ld, v, "parameters must be a mapping of names to declarations");
		rb->params = xcalloc(v->n ? v->n : 1, sizeof(*rb->params));
		for (i = 0; i < v->n; i++) {
			rb->nparams++;
			if (rb_param_load(ld, v->keys[i], v->items[i], &rb->params[i]) < 0)
				return -1;
		}
	}
	steps = ytree_get(root, "steps");
	if (!steps)
		return rb_fail_at(ld, root, "a runbook needs steps");
	rollback = ytree_get(root, "rollback");
	r = rb_include_sections(ld, steps, rollback, rb, &mnodes, &bnodes);
	/* Names are unique across both sections so references are unambiguous. */
	sc.names = ld->names = json_object();
	for (i = 0; r == 0 && i < rb->nsteps + rb->nrollback; i++) {
		bool main = i < rb->nsteps;
		const struct rb_step *a = main ? &rb->steps[i] : &rb->rollback[i - rb->nsteps];
		json_t *seen = json_object_get(sc.names, a->name);
		if (seen) {
			json_int_t k = json_integer_value(seen);
			const struct rb_step *b = k >= 0 ? &rb->steps[k] : &rb->rollback[-1 - k];
			const char *file = a->file ? a->file : b->file;
			if (file)   /* an included runbook's step */
				r = rb_fail_at(ld, main ? mnodes[i] : bnodes[i - rb->nsteps], "step name '%s' is used by "
					    "this runbook and by the runbook it includes (%s): rename this runbook's",
					    a->name, file);
			else
				r = rb_fail_at(ld, main ? mnodes[i] : bnodes[i - rb->nsteps], "duplicate step name '%s'", a->name);
			break;
		}
		json_object_set_new(sc.names, a->name, json_integer(main ? (json_int_t)i : -1 - (json_int_t)(i - rb->nsteps)));
	}
	/* an included step was checked with its own runbook */
	for (i = 0; r == 0 && i < rb->nsteps; i++) {
		sc.nmain = i;
		if (!rb->steps[i].file && rb_check_step(ld, mnodes[i], &rb->steps[i], &sc) < 0)
			r = -1;
	}
	sc.nmain = rb->nsteps;
	for (i = 0; r == 0 && i < rb->nrollback; i++) {
		sc.nrb = i;
		if (!rb->rollback[i].file && rb_check_step(ld, bnodes[i], &rb->rollback[i], &sc) < 0)
			r = -1;
	}
	if (r == 0 && (check_loops(ld, mnodes, rb->steps, rb->nsteps, &sc) < 0 ||
		       check_loops(ld, bnodes, rb->rollback, rb->nrollback, &sc) < 0))
		r = -1;
	free(mnodes);
	free(bnodes);
	if (r < 0)
		return -1;
	return rb_check_pending_jq(ld);
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

/* Load a runbook from a buffer as included by chain (NULL: not included). */
static struct runbook *load_buffer(const char *name, const char *data, size_t len, const struct rb_chain *chain,
				   struct fd_error *err)
{
	/* what a reviewer reads is what runs: no aliases, no repeated keys */
	const struct ytree_opts runbook_yaml = { .file = name, .code = "InvalidRunbook", .syntax = "invalid YAML: ",
						 .no_aliases = true, .what = "runbooks", .no_duplicates = true };
	struct loader ld = { .file = name, .err = err, .chain = chain };
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

struct runbook *rb_load_buffer(const char *name, const char *data, size_t len, struct fd_error *err)
{
	return load_buffer(name, data, len, NULL, err);
}

struct runbook *rb_load(const char *path, struct fd_error *err)
{
	return rb_load_chain(path, NULL, err);
}

struct runbook *rb_load_chain(const char *path, const struct rb_chain *chain, struct fd_error *err)
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
	rb = load_buffer(path, sb.data, sb.len, chain, err);
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
	free(st->file);
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
		json_decref(rb->params[i].bound);
		free(rb->params[i].bound_at);
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
