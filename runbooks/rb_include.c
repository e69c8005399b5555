/* rb_include.c — `- include: NAME` among a runbook's steps: the named runbook's
 * steps run there, its rollback steps before the includer's own (only when the
 * run reached them), its parameters become the run's (the include may set them
 * from the includer's: `parameters: {name: value or "{{ parameters.x }}"}`).
 * The included runbook is loaded and validated on its own first (a cycle, an
 * unknown parameter, a name both define are errors at the include's line). */
#include "runbooks/rb_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "base/ytree.h"

#define INCLUDE_DEPTH_MAX 8

/* A section being assembled: its steps and, for each, the node to point errors at. */
struct section {
	struct rb_step *steps;
	const struct ytree **nodes;
	size_t n, cap;
};

static struct rb_step *push(struct section *s, const struct ytree *node)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->steps = xrealloc(s->steps, s->cap * sizeof(*s->steps));
		s->nodes = xrealloc(s->nodes, s->cap * sizeof(*s->nodes));
	}
	memset(&s->steps[s->n], 0, sizeof(s->steps[s->n]));
	s->nodes[s->n] = node;
	return &s->steps[s->n++];
}

/* Move step st of inc into s; its indices shift by base (the offset of its section there). */
static struct rb_step *move_step(struct section *s, const struct ytree *node, struct rb_step *st, size_t base,
				 const struct runbook *inc)
{
	struct rb_step *to = push(s, node);

	*to = *st;
	memset(st, 0, sizeof(*st));
	if (to->on_failure == RB_ON_FAILURE_STEP)
		to->on_failure_step += (int)base;
	if (to->measure_from >= 0)
		to->measure_from += (int)base;
	if (!to->file)
		to->file = xstrdup(inc->path);
	return to;
}

/* The path of runbook name for an include in file: beside file first, then the search path. */
static char *include_path(const char *file, const char *name, struct fd_error *err)
{
	const char *slash = strrchr(file, '/');
	struct strbuf sb;
	struct stat st;

	if (slash) {
		strbuf_init(&sb);
		strbuf_addf(&sb, "%.*s/%s.yaml", (int)(slash - file), file, name);
		if (stat(sb.data, &st) == 0)
			return strbuf_detach(&sb, NULL);
		strbuf_clean_up(&sb);
	}
	return rb_find(name, err);
}

/* The index of parameter name in rb (-1: none). */
static long param_index(const struct runbook *rb, const char *name)
{
	for (size_t i = 0; i < rb->nparams; i++)
		if (strcmp(rb->params[i].name, name) == 0)
			return (long)i;
	return -1;
}

/* Every {{ ... }} of s names a parameter among the first nown of rb (given, not set
 * by an include): 0, or -1 with *bad pointing at the first that does not. */
static int templates_ok(const struct runbook *rb, size_t nown, const char *s, const char **bad)
{
	const char *p = s;

	while ((p = strstr(p, "{{"))) {
		const char *close = strstr(p, "}}"), *a = p + 2, *e;
		char name[128];
		long k;
		*bad = p;
		if (!close)
			return -1;
		while (*a == ' ')
			a++;
		e = close;
		while (e > a && e[-1] == ' ')
			e--;
		if (strncmp(a, "parameters.", 11) != 0 || e - a - 11 <= 0 || e - a - 11 >= (long)sizeof(name))
			return -1;
		snprintf(name, sizeof(name), "%.*s", (int)(e - a - 11), a + 11);
		k = param_index(rb, name);
		if (k < 0 || (size_t)k >= nown || !rb_param_given(&rb->params[k]))
			return -1;
		p = close + 2;
	}
	return 0;
}

/* Append a copy of parameter p to rb. */
static struct rb_param *add_param(struct runbook *rb, const struct rb_param *p)
{
	struct rb_param *q;

	rb->params = xrealloc(rb->params, (rb->nparams + 1) * sizeof(*rb->params));
	q = &rb->params[rb->nparams++];
	memset(q, 0, sizeof(*q));
	q->name = xstrdup(p->name);
	q->type = xstrdup(p->type);
	q->def = p->def ? json_incref(p->def) : NULL;
	q->description = p->description ? xstrdup(p->description) : NULL;
	q->secret = p->secret;
	q->min = p->min ? json_incref(p->min) : NULL;
	q->max = p->max ? json_incref(p->max) : NULL;
	q->bound = p->bound ? json_incref(p->bound) : NULL;
	q->bound_at = p->bound_at ? xstrdup(p->bound_at) : NULL;
	return q;
}

/* The included runbook's parameters into rb: set by the include, shared by name, or inherited. */
static int merge_params(struct loader *ld, const struct ytree *n, struct runbook *rb, size_t nown,
			const struct runbook *inc)
{
	const struct ytree *map = ytree_get(n, "parameters");
	size_t i;

	if (map && map->kind != YTREE_MAP)
		return rb_fail_at(ld, map, "include '%s': parameters must map its parameters to values", inc->name);
	for (i = 0; map && i < map->n; i++) {
		const struct ytree *k = map->keys[i], *v = map->items[i];
		long pi = param_index(inc, k->value);
		const char *bad = NULL;
		if (pi < 0) {
			struct strbuf names;
			strbuf_init(&names);
			for (size_t j = 0; j < inc->nparams; j++)
				strbuf_addf(&names, "%s%s", j ? ", " : "", inc->params[j].name);
			rb_fail_at(ld, k, "include '%s': it has no parameter '%s' (its parameters: %s)", inc->name,
				   k->value, names.len ? names.data : "none");
			strbuf_clean_up(&names);
			return -1;
		}
		if (v->kind != YTREE_SCALAR)
			return rb_fail_at(ld, v, "include '%s': parameter %s: a value or a {{ parameters.x }} template",
					  inc->name, k->value);
		if (templates_ok(rb, nown, v->value, &bad) < 0)
			return rb_fail_at(ld, v, "include '%s': parameter %s: '%.40s' is not a {{ parameters.NAME }} of "
					  "this runbook (an include's values are known when the run starts)",
					  inc->name, k->value, bad);
		if (!strstr(v->value, "{{")) {
			struct fd_error perr;
			json_t *given = rb_scalar_to_json(v), *t;
			fd_error_clear(&perr);
			t = rb_param_value(&inc->params[pi], given, &perr);
			json_decref(given);
			if (!t)
				return rb_fail_at(ld, v, "include '%s': %s", inc->name, perr.message);
			json_decref(t);
		}
	}
	for (i = 0; i < inc->nparams; i++) {
		const struct rb_param *p = &inc->params[i];
		const struct ytree *v = map ? ytree_get(map, p->name) : NULL;
		long have = param_index(rb, p->name);
		char same[160];
		if (v) {
			snprintf(same, sizeof(same), "{{ parameters.%s }}", p->name);
			if (have >= 0 && (size_t)have < nown && strcmp(v->value, same) == 0)
				goto shared;   /* passed through: the same parameter */
			if (have >= 0)
				return rb_fail_at(ld, ytree_key(map, p->name), "include '%s': parameter %s is also a parameter "
						  "of this runbook, and a run has one value per name: leave it out (the "
						  "include gets this runbook's) or set it to {{ parameters.%s }}",
						  inc->name, p->name, p->name);
			{
				struct rb_param *q = add_param(rb, p);
				struct strbuf at;
				json_decref(q->bound);
				q->bound = rb_scalar_to_json(v);
				strbuf_init(&at);
				strbuf_addf(&at, "%s:%d (include %s)", ld->file, v->line, inc->name);
				free(q->bound_at);
				q->bound_at = strbuf_detach(&at, NULL);
			}
			continue;
		}
		if (have < 0) {
			add_param(rb, p);   /* inherited: the run takes it as its own */
			continue;
		}
shared:
		if (strcmp(rb->params[have].type, p->type) != 0)
			return rb_fail_at(ld, n, "include '%s': its parameter %s is a %s, this runbook's a %s: set it in "
					  "the include's parameters", inc->name, p->name, p->type, rb->params[have].type);
	}
	return 0;
}

/* Load the runbook an include names, checking for cycles and depth. */
static struct runbook *load_included(struct loader *ld, const struct ytree *n, const struct runbook *rb,
				     const char *name)
{
	struct rb_chain link = { .name = rb->name, .up = ld->chain };
	const struct rb_chain *c;
	struct fd_error ierr;
	struct runbook *inc;
	struct strbuf cycle;
	char *path;
	int depth = 0;

	if (!rb_name_ok(name, strlen(name)))
		return rb_fail_at(ld, n, "include: '%s' is not a runbook name", name), NULL;
	for (c = &link; c; c = c->up, depth++)
		if (strcmp(c->name, name) == 0) {
			const struct rb_chain *d;
			strbuf_init(&cycle);
			strbuf_adds(&cycle, name);
			for (d = &link; d != c->up; d = d->up)
				strbuf_addf(&cycle, " <- %s", d->name);
			rb_fail_at(ld, n, "include '%s': an include cycle (%s)", name, cycle.data);
			strbuf_clean_up(&cycle);
			return NULL;
		}
	if (depth > INCLUDE_DEPTH_MAX)
		return rb_fail_at(ld, n, "include '%s': includes nest deeper than %d", name, INCLUDE_DEPTH_MAX), NULL;
	fd_error_clear(&ierr);
	if (!(path = include_path(ld->file, name, &ierr)))
		return rb_fail_at(ld, n, "include '%s': %s", name, ierr.message), NULL;
	inc = rb_load_chain(path, &link, &ierr);
	free(path);
	if (!inc)
		rb_fail_at(ld, n, "include '%s': %s", name, ierr.message);
	return inc;
}

/* An included runbook's rollback steps, kept until the sections are assembled. */
struct pending_rollback {
	struct runbook *inc;
	const struct ytree *node;
	size_t gate;            /* the main index of its first step */
};

int rb_include_sections(struct loader *ld, const struct ytree *steps, const struct ytree *rollback,
			struct runbook *rb, const struct ytree ***main_nodes, const struct ytree ***rb_nodes)
{
	struct section m = { 0 }, b = { 0 };
	struct pending_rollback *pend = NULL;
	size_t npend = 0, nown = rb->nparams, i, j;
	int r = 0;

	if (steps->kind != YTREE_SEQ || steps->n == 0)
		return rb_fail_at(ld, steps, "steps must be a list of steps");
	if (rollback && rollback->kind != YTREE_SEQ)
		return rb_fail_at(ld, rollback, "rollback must be a list of steps");
	for (i = 0; i < steps->n && r == 0; i++) {
		const struct ytree *n = steps->items[i], *inc_name = n->kind == YTREE_MAP ? ytree_get(n, "include") : NULL;
		struct runbook *inc;
		size_t base = m.n;
		if (!inc_name) {
			r = rb_check_load_step(ld, n, push(&m, n), false);
			continue;
		}
		for (j = 0; j < n->n; j++)
			if (strcmp(n->keys[j]->value, "include") != 0 && strcmp(n->keys[j]->value, "parameters") != 0) {
				r = rb_fail_at(ld, n->keys[j], "include: unknown key '%s' (include, parameters)", n->keys[j]->value);
				break;
			}
		if (r < 0 || (r = rb_check_want_scalar(ld, inc_name, "include")) < 0)
			break;
		if (!(inc = load_included(ld, inc_name, rb, inc_name->value)) || merge_params(ld, n, rb, nown, inc) < 0) {
			rb_destroy(inc);
			r = -1;
			break;
		}
		for (j = 0; j < inc->nsteps; j++)
			move_step(&m, n, &inc->steps[j], base, inc);
		inc->nsteps = 0;
		pend = xrealloc(pend, (npend + 1) * sizeof(*pend));
		pend[npend++] = (struct pending_rollback){ .inc = inc, .node = n, .gate = base };
	}
	/* the rollback: the latest include's first (undo in reverse), then the runbook's own */
	while (npend > 0) {
		struct pending_rollback *p = &pend[--npend];
		size_t base = b.n;
		for (j = 0; j < p->inc->nrollback; j++) {
			struct rb_step *st = move_step(&b, p->node, &p->inc->rollback[j], base, p->inc);
			st->gate = st->gate >= 0 ? st->gate + (int)p->gate : (int)p->gate;
		}
		p->inc->nrollback = 0;
		rb_destroy(p->inc);
	}
	free(pend);
	for (i = 0; rollback && i < rollback->n && r == 0; i++) {
		const struct ytree *n = rollback->items[i];
		if (n->kind == YTREE_MAP && ytree_get(n, "include"))
			r = rb_fail_at(ld, n, "include belongs in steps: a rollback section runs its own steps (an "
				       "included runbook's rollback runs with it)");
		else
			r = rb_check_load_step(ld, n, push(&b, n), true);
	}
	rb->steps = m.steps;
	rb->nsteps = m.n;
	rb->rollback = b.steps;
	rb->nrollback = b.n;
	*main_nodes = m.nodes;
	*rb_nodes = b.nodes;
	if (r == 0)   /* one figure per name a run: the includer's own measure wins */
		for (i = 0; i < rb->nsteps + rb->nrollback; i++) {
			struct rb_step *st = i < rb->nsteps ? &rb->steps[i] : &rb->rollback[i - rb->nsteps];
			for (j = 0; st->file && st->measure && j < rb->nsteps + rb->nrollback; j++) {
				const struct rb_step *o = j < rb->nsteps ? &rb->steps[j] : &rb->rollback[j - rb->nsteps];
				if (!o->file && o->measure && strcmp(o->measure, st->measure) == 0) {
					free(st->measure);
					st->measure = NULL;
				}
			}
		}
	return r;
}

json_t *rb_include_bind(const struct rb_param *p, json_t *params, struct fd_error *err)
{
	const char *s = json_string_value(p->bound), *o, *c;
	struct strbuf sb;

	if (!s || !strstr(s, "{{"))
		return json_incref(p->bound);
	strbuf_init(&sb);
	for (o = s; (c = strstr(o, "{{")); ) {
		const char *close = strstr(c, "}}"), *a = c + 2, *e = close;
		char name[128];
		json_t *v;
		strbuf_add(&sb, o, (size_t)(c - o));
		while (*a == ' ')
			a++;
		while (e > a && e[-1] == ' ')
			e--;
		snprintf(name, sizeof(name), "%.*s", (int)(e - a - 11), a + 11);   /* after "parameters." */
		v = json_object_get(params, name);
		if (!v || json_is_null(v)) {
			strbuf_clean_up(&sb);
			fd_error_set(err, "InvalidParameter", "parameter %s (set at %s): parameter %s has no value",
				     p->name, p->bound_at, name);
			return NULL;
		}
		if (c == s && !close[2]) {   /* the whole value is one parameter: keep its type */
			strbuf_clean_up(&sb);
			return json_incref(v);
		}
		if (json_is_string(v))
			strbuf_adds(&sb, json_string_value(v));
		else {
			char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
			strbuf_adds(&sb, t);
			free(t);
		}
		o = close + 2;
	}
	strbuf_adds(&sb, o);
	{
		json_t *out = json_string(sb.data);
		strbuf_clean_up(&sb);
		return out;
	}
}
