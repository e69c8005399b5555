/* rb_impl.h — what the runbook loader's files share (runbooks/rb.c, rb_check.c,
 * rb_param.c; nothing else includes it).
 *
 *   rb.c        the action table; loading: YAML against the schema, sections, loops
 *   rb_check.c  validating a step: inputs, templates and jq references, durations
 *   rb_param.c  parameters: declarations and the values a run is given
 *   rb_jq.c     jq (rb.h: rb_jq_*)
 *   rb_include.c  `include:` steps: another runbook's steps, rollback and parameters
 */
#ifndef FD_RB_IMPL_H
#define FD_RB_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/error.h"
#include "base/ytree.h"
#include "runbooks/rb.h"

/* A jq program waiting to be compiled (all of a runbook's at once, for speed). */
struct pending_jq {
	const struct ytree *at;
	char *step;
	char *program;          /* templates replaced by null */
};


/* The runbooks including the one being loaded, innermost first (cycles). */
struct rb_chain {
	const char *name;
	const struct rb_chain *up;
};

struct loader {
	const char *file;
	const struct rb_chain *chain;   /* NULL: not included */
	struct fd_error *err;
	struct pending_jq *jq;
	size_t njq, capjq;
	json_t *names;          /* the scope's name index, freed with the loader */
};


/* Step names seen so far, for reference checks. */
struct scope {
	const struct runbook *rb;
	size_t nmain;           /* main steps visible */
	size_t nrb;             /* rollback steps visible */
	bool item;              /* {{ item.X }} allowed (a for_each step) */
	json_t *names;          /* step name -> index (main: i, rollback: -1 - i): lookups stay O(1) */
};


/* rb.c */
/* Fail with "FILE:LINE:COL: message" at node n (code "InvalidRunbook"); returns -1. */
int rb_fail_at(struct loader *ld, const struct ytree *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Whether s is in the NULL-terminated list. */
bool rb_in_list(const char *const *list, const char *s);
/* The list as "a, b, c" in buf. */
const char *rb_join_list(const char *const *list, char *buf, size_t size);
/* A YAML node as JSON (scalars typed as YAML 1.2 core). */
json_t *rb_node_to_json(const struct ytree *n);
/* A YAML scalar as JSON: a number, boolean or null when it reads as one, else a string. */
json_t *rb_scalar_to_json(const struct ytree *n);

/* Load the runbook in path as included by the runbooks of chain. */
struct runbook *rb_load_chain(const char *path, const struct rb_chain *chain, struct fd_error *err);

/* rb_include.c */
/* Load the steps and rollback sections, an include's steps in its place: the
 * sections into rb, and for each step the node errors point at (the include's
 * for an included step; the caller frees both arrays). */
int rb_include_sections(struct loader *ld, const struct ytree *steps, const struct ytree *rollback,
			struct runbook *rb, const struct ytree ***main_nodes, const struct ytree ***rb_nodes);

/* rb_check.c */
int rb_check_load_step(struct loader *ld, const struct ytree *n, struct rb_step *st, bool rollback);
int rb_check_step(struct loader *ld, const struct ytree *n, struct rb_step *st, const struct scope *sc);
int rb_check_pending_jq(struct loader *ld);
int rb_check_scope_index(const struct scope *sc, const char *name, bool rollback);
int rb_check_want_scalar(struct loader *ld, const struct ytree *n, const char *what);

/* rb_jq.c */
/* The offset in prog of a jq builtin runbooks may not use (*what: its name), or -1. */
long rb_jq_forbidden(const char *prog, const char **what);
/* prog's shape (caller frees): programs of one shape compile or fail alike. */
char *rb_jq_shape(const char *prog);

/* rb_param.c */
int rb_param_load(struct loader *ld, const struct ytree *key, const struct ytree *n, struct rb_param *p);

#endif
