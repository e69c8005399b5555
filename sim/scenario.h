/* scenario.h — the scenario reader's insides, shared by scenario.c (the document,
 * built-in scenarios, timing, scale, paging), scenario_region.c (regions: target
 * groups, Auto Scaling groups, load balancers, databases) and scenario_r53.c (Route 53
 * health checks, routing controls, zones). Not for other parts: they use world.h.
 * Every reader returns 0, or -1 with p->err "FILE:LINE:COLUMN: message".
 */
#ifndef FD_SIM_SCENARIO_H
#define FD_SIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "base/xalloc.h"
#include "base/ytree.h"
#include "sim/world.h"

/* Parsing state: the document and where error messages point. */
struct parse {
	struct ytree *root;
	const char *file;
	struct fd_error *err;
	struct sim_world *w;
	char check_refs[1024][32];   /* health check ref -> index in w->checks */
	size_t n_refs;
};

/* Append a zeroed element to arr (of n) and return it. */
#define GROW(arr, n) (arr = xrealloc(arr, ((n) + 1) * sizeof(*(arr))), \
		      memset(&(arr)[n], 0, sizeof(*(arr))), &(arr)[(n)++])

/* Fail at a node: "FILE:LINE:COLUMN: message". */
int scenario_fail_at(struct parse *p, const struct ytree *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The value node of key in a mapping node; NULL when absent. */
struct ytree *scenario_get(struct parse *p, struct ytree *map, const char *key);
/* Check that every key of a mapping is one of the allowed (NULL-terminated). */
int scenario_keys(struct parse *p, struct ytree *map, const char *const *allowed);
/* A scalar value as a string into out; def when absent (or an error when required). */
int scenario_str(struct parse *p, struct ytree *map, const char *key, char *out, size_t size,
		 const char *def, bool required);
/* A number in [lo, hi]; def when absent. */
int scenario_num(struct parse *p, struct ytree *map, const char *key, double lo, double hi,
		 double def, double *out);
/* A whole number in [lo, hi]; def when absent. */
int scenario_int(struct parse *p, struct ytree *map, const char *key, int lo, int hi, int def,
		 int *out);
/* true/yes or false/no; def when absent. */
int scenario_bool(struct parse *p, struct ytree *map, const char *key, bool def, bool *out);
/* The items of a sequence value (NULL/0 when absent). */
int scenario_seq(struct parse *p, struct ytree *map, const char *key, struct ytree ***items, size_t *n);
/* A 16-hex-digit suffix for an ARN, from the world's stream. */
void scenario_hex16(struct sim_world *w, char out[17]);

/* scenario_region.c */
int scenario_parse_region(struct parse *p, struct ytree *n);
struct sim_target_group *scenario_add_tg(struct sim_world *w, int ri, const char *name, int port);
struct sim_asg *scenario_add_asg(struct sim_world *w, int ri, const char *name);
void scenario_asg_populate(struct sim_world *w, struct sim_asg *g);

/* scenario_r53.c */
struct sim_health_check *scenario_add_check(struct sim_world *w, int ri, const char *fqdn,
					    const char *path);
int scenario_parse_checks(struct parse *p, struct ytree *root);
int scenario_parse_zones(struct parse *p, struct ytree *root);

#endif
