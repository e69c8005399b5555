/* ytree.c — YAML documents as trees with marks, built from libyaml's events (see ytree.h). */
#include "base/ytree.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "base/xalloc.h"

/* One anchored node, for aliases. */
struct anchor {
	char *name;
	const struct ytree *node;       /* borrowed from the tree */
};

/* Parsing state. */
struct reader {
	const struct ytree_opts *o;
	struct fd_error *err;
	yaml_parser_t parser;
	struct anchor *anchors;
	size_t n_anchors;
	size_t alias_nodes;             /* copied for aliases so far */
};

int ytree_error(struct fd_error *err, const char *code, const char *file, const struct ytree *n,
		const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return fd_error_set(err, code, "%s:%d:%d: %s", file, n ? n->line : 1, n ? n->col : 1, msg);
}

/* Fail at a node with the reader's file and code. */
static int __attribute__((format(printf, 3, 4)))
fail_at(struct reader *rd, const struct ytree *n, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ytree_error(rd->err, rd->o->code, rd->o->file, n, "%s", msg);
}

/* Fail with libyaml's own complaint. */
static int fail_yaml(struct reader *rd)
{
	const yaml_parser_t *p = &rd->parser;
	const yaml_mark_t *m = p->problem ? &p->problem_mark : &p->mark;
	bool ctx = p->context && !rd->o->no_context;

	return fd_error_set(rd->err, rd->o->code, "%s:%zu:%zu: %s%s%s%s", rd->o->file, m->line + 1,
			    m->column + 1, rd->o->syntax ? rd->o->syntax : "",
			    p->problem ? p->problem : "invalid YAML", ctx ? " " : "", ctx ? p->context : "");
}

void ytree_free(struct ytree *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->n; i++) {
		if (n->keys)
			ytree_free(n->keys[i]);
		ytree_free(n->items[i]);
	}
	free(n->keys);
	free(n->items);
	free(n->value);
	free(n->alias);
	free(n);
}

/* Append a child (and its key for maps) to a node. */
static void push(struct ytree *n, struct ytree *key, struct ytree *item)
{
	if (n->n == n->cap) {
		n->cap = n->cap ? 2 * n->cap : 8;
		n->items = xrealloc(n->items, n->cap * sizeof(*n->items));
		if (n->kind == YTREE_MAP)
			n->keys = xrealloc(n->keys, n->cap * sizeof(*n->keys));
	}
	if (n->kind == YTREE_MAP)
		n->keys[n->n] = key;
	n->items[n->n++] = item;
}

/* A deep copy of n, counted against the alias budget; NULL when over it. */
static struct ytree *copy(struct reader *rd, const struct ytree *n)
{
	struct ytree *c;
	size_t i;

	if (++rd->alias_nodes > YTREE_MAX_ALIAS_NODES)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->kind = n->kind;
	c->line = n->line;
	c->col = n->col;
	c->plain = n->plain;
	c->value = n->value ? xstrdup(n->value) : NULL;
	for (i = 0; i < n->n; i++) {
		struct ytree *k = NULL, *v;
		if (n->kind == YTREE_MAP && !(k = copy(rd, n->keys[i]))) {
			ytree_free(c);
			return NULL;
		}
		if (!(v = copy(rd, n->items[i]))) {
			ytree_free(k);
			ytree_free(c);
			return NULL;
		}
		push(c, k, v);
	}
	return c;
}

/* Remember an anchored node (after it is complete). */
static void remember(struct reader *rd, const yaml_char_t *anchor, const struct ytree *n)
{
	if (!anchor)
		return;
	rd->anchors = xrealloc(rd->anchors, (rd->n_anchors + 1) * sizeof(*rd->anchors));
	rd->anchors[rd->n_anchors].name = xstrdup((const char *)anchor);
	rd->anchors[rd->n_anchors++].node = n;
}

/* The node an alias names (the latest definition wins, as in YAML). */
static const struct ytree *lookup(struct reader *rd, const char *name)
{
	size_t i;

	for (i = rd->n_anchors; i-- > 0;)
		if (strcmp(rd->anchors[i].name, name) == 0)
			return rd->anchors[i].node;
	return NULL;
}

/* The node of an alias event at n's position (n is freed on failure). */
static struct ytree *alias_node(struct reader *rd, struct ytree *n, const char *name)
{
	const struct ytree *target;
	struct ytree *c;

	if (rd->o->no_aliases) {
		fail_at(rd, n, "aliases (*%s) are not supported in %s", name, rd->o->what ? rd->o->what : "this file");
		ytree_free(n);
		return NULL;
	}
	if (!(target = lookup(rd, name))) {
		fail_at(rd, n, "alias *%s names no anchor before it", name);
		ytree_free(n);
		return NULL;
	}
	if (!(c = copy(rd, target))) {
		fail_at(rd, n, "aliases expand to more than %d nodes", YTREE_MAX_ALIAS_NODES);
		ytree_free(n);
		return NULL;
	}
	c->line = n->line;
	c->col = n->col;
	c->alias = xstrdup(name);
	ytree_free(n);
	return c;
}

static struct ytree *parse_node(struct reader *rd, yaml_event_t *ev, int depth);

/* Read the children of a sequence or mapping until its end event; 0 or -1. */
static int parse_children(struct reader *rd, struct ytree *n, int depth)
{
	for (;;) {
		yaml_event_t e;
		struct ytree *key = NULL, *val;
		if (!yaml_parser_parse(&rd->parser, &e))
			return fail_yaml(rd);
		if (e.type == YAML_SEQUENCE_END_EVENT || e.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&e);
			return 0;
		}
		if (n->kind == YTREE_MAP) {
			if (!(key = parse_node(rd, &e, depth + 1)))
				return -1;
			if (key->kind != YTREE_SCALAR) {
				fail_at(rd, key, "a mapping key must be a string");
				ytree_free(key);
				return -1;
			}
			if (rd->o->no_duplicates && ytree_key(n, key->value)) {
				fail_at(rd, key, "duplicate key '%s'", key->value);
				ytree_free(key);
				return -1;
			}
			if (!yaml_parser_parse(&rd->parser, &e)) {
				ytree_free(key);
				return fail_yaml(rd);
			}
		}
		if (!(val = parse_node(rd, &e, depth + 1))) {
			ytree_free(key);
			return -1;
		}
		push(n, key, val);
	}
}

/* Build the node whose start event is ev (consumed); NULL with err. */
static struct ytree *parse_node(struct reader *rd, yaml_event_t *ev, int depth)
{
	struct ytree *n = xcalloc(1, sizeof(*n));
	yaml_char_t *anchor = NULL;

	n->line = (int)ev->start_mark.line + 1;
	n->col = (int)ev->start_mark.column + 1;
	if (depth > YTREE_MAX_DEPTH) {
		fail_at(rd, n, "nesting deeper than %d levels", YTREE_MAX_DEPTH);
		goto fail;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n->kind = YTREE_SCALAR;
		n->value = xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		if (strlen(n->value) != ev->data.scalar.length) {
			fail_at(rd, n, "a NUL byte in a string");
			goto fail;
		}
		remember(rd, ev->data.scalar.anchor, n);
		yaml_event_delete(ev);
		return n;
	case YAML_ALIAS_EVENT: {
		char *name = xstrdup((const char *)ev->data.alias.anchor);
		yaml_event_delete(ev);
		n = alias_node(rd, n, name);
		free(name);
		return n;
	}
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		n->kind = ev->type == YAML_MAPPING_START_EVENT ? YTREE_MAP : YTREE_SEQ;
		anchor = ev->type == YAML_MAPPING_START_EVENT ? ev->data.mapping_start.anchor
							      : ev->data.sequence_start.anchor;
		anchor = anchor ? (yaml_char_t *)xstrdup((const char *)anchor) : NULL;
		yaml_event_delete(ev);
		if (parse_children(rd, n, depth) < 0) {
			free(anchor);
			ytree_free(n);
			return NULL;
		}
		remember(rd, anchor, n);
		free(anchor);
		return n;
	default:
		fail_at(rd, n, "unexpected YAML event");
		goto fail;
	}
fail:
	yaml_event_delete(ev);
	ytree_free(n);
	return NULL;
}

int ytree_parse(const char *data, size_t len, const struct ytree_opts *opts, struct ytree **root,
		struct fd_error *err)
{
	struct reader rd = { .o = opts, .err = err };
	yaml_event_t ev;
	bool second = false;
	int r = 0;
	size_t i;

	*root = NULL;
	if (!yaml_parser_initialize(&rd.parser))
		return fd_error_set(err, opts->code, "%s: cannot start the YAML parser", opts->file);
	yaml_parser_set_input_string(&rd.parser, (const unsigned char *)data, len);
	for (;;) {
		if (!yaml_parser_parse(&rd.parser, &ev)) {
			r = fail_yaml(&rd);
			break;
		}
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type == YAML_DOCUMENT_START_EVENT) {
			second = *root != NULL;
			yaml_event_delete(&ev);
			continue;
		}
		if (ev.type == YAML_STREAM_START_EVENT || ev.type == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		if (second) {
			struct ytree at = { .line = (int)ev.start_mark.line + 1, .col = (int)ev.start_mark.column + 1 };
			yaml_event_delete(&ev);
			r = fail_at(&rd, &at, "only one YAML document is allowed");
			break;
		}
		if (!(*root = parse_node(&rd, &ev, 0))) {
			r = -1;
			break;
		}
	}
	yaml_parser_delete(&rd.parser);
	for (i = 0; i < rd.n_anchors; i++)
		free(rd.anchors[i].name);
	free(rd.anchors);
	if (r < 0) {
		ytree_free(*root);
		*root = NULL;
	}
	return r;
}

struct ytree *ytree_get(const struct ytree *map, const char *key)
{
	size_t i;

	for (i = 0; map && map->kind == YTREE_MAP && i < map->n; i++)
		if (strcmp(map->keys[i]->value, key) == 0)
			return map->items[i];
	return NULL;
}

struct ytree *ytree_key(const struct ytree *map, const char *key)
{
	size_t i;

	for (i = 0; map && map->kind == YTREE_MAP && i < map->n; i++)
		if (strcmp(map->keys[i]->value, key) == 0)
			return map->keys[i];
	return NULL;
}

const char *ytree_scalar(const struct ytree *n)
{
	return n && n->kind == YTREE_SCALAR ? n->value : NULL;
}

const char *ytree_kind_name(const struct ytree *n)
{
	static const char *const names[] = { [YTREE_SCALAR] = "a scalar", [YTREE_SEQ] = "a list",
					     [YTREE_MAP] = "a mapping" };

	return n ? names[n->kind] : "nothing";
}
