/* ytree.h — the one YAML reader: a document as a tree of nodes with line/column marks.
 *
 * The config (model/config.c), the simulator's scenarios (sim/scenario.c) and
 * runbooks (runbooks/rb.c) read YAML through this, each checking its own
 * schema against the tree and reporting "FILE:LINE:COLUMN: message". libyaml
 * does the parsing; this builds the tree from its events, refuses what none of
 * them wants (NUL bytes in strings, nesting deeper than YTREE_MAX_DEPTH, a
 * second document) and resolves aliases by copying, with a budget.
 *
 * Ownership: ytree_parse() hands the root to the caller, ytree_free() frees it
 * and everything below. Lookups borrow.
 */
#ifndef FD_YTREE_H
#define FD_YTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

#define YTREE_MAX_DEPTH 64
#define YTREE_MAX_ALIAS_NODES 10000     /* nodes all aliases may copy: no "billion laughs" */

enum ytree_kind { YTREE_SCALAR, YTREE_SEQ, YTREE_MAP };

struct ytree {
	enum ytree_kind kind;
	int line, col;          /* 1-based */
	char *value;            /* scalars */
	bool plain;             /* an unquoted scalar (to be typed as YAML 1.2's core schema) */
	size_t n, cap;          /* children */
	struct ytree **keys;    /* maps: the key nodes (always scalars) */
	struct ytree **items;   /* sequence items, map values */
	char *alias;            /* the anchor name when this node came from *alias, else NULL */
};

/* How to read, and what to say on failure. */
struct ytree_opts {
	const char *file;       /* names the input in messages */
	const char *code;       /* fd_error code of every failure ("ConfigError" ...) */
	const char *syntax;     /* words before libyaml's complaint ("invalid YAML: "), NULL none */
	bool no_context;        /* leave out libyaml's context ("while parsing a block mapping") */
	bool no_aliases;        /* refuse *alias: "aliases (*x) are not supported in WHAT" */
	const char *what;       /* for that message ("runbooks") */
	bool no_duplicates;     /* refuse a repeated mapping key: "duplicate key 'k'" */
};

/* Parse data (one YAML document) into *root: NULL for an empty stream. 0, or
 * -1 with err "FILE:LINE:COLUMN: message". */
int ytree_parse(const char *data, size_t len, const struct ytree_opts *opts, struct ytree **root,
		struct fd_error *err);
void ytree_free(struct ytree *n);

/* The value of key in a map node, NULL when absent or not a map. Borrowed. */
struct ytree *ytree_get(const struct ytree *map, const char *key);
/* The key node of key in a map node, NULL when absent. Borrowed. */
struct ytree *ytree_key(const struct ytree *map, const char *key);
/* A scalar's text, NULL when n is not a scalar. Borrowed. */
const char *ytree_scalar(const struct ytree *n);
/* "a scalar", "a list", "a mapping" or "nothing", for messages. */
const char *ytree_kind_name(const struct ytree *n);
/* Fill err with "FILE:LINE:COLUMN: message" at node n (1:1 when NULL); returns -1. */
int ytree_error(struct fd_error *err, const char *code, const char *file, const struct ytree *n,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
