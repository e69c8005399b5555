/* config_impl.h — what the config files share (model/config*.c only; the rest of the
 * tree uses config.h).
 *
 * The YAML text becomes a base/ytree; each mapping is walked against a table of
 * struct config_field rows whose handlers read one value with a config_walk_ reader,
 * which names FILE:LINE:COLUMN on failure (code "ConfigError").
 */
#ifndef FD_CONFIG_IMPL_H
#define FD_CONFIG_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "base/ytree.h"
#include "model/config.h"

#define NFIELDS(t) (sizeof(t) / sizeof((t)[0]))

/* Walking state: where to report. */
struct config_walk {
	const char *name;
	struct fd_error *err;
};

/* One key of a mapping: its handler writes into `obj`. */
struct config_field {
	const char *key;
	int (*fn)(struct config_walk *w, struct ytree *val, void *obj);
	bool required;
};

/* Fail at a node's position; always -1. */
int config_walk_error(struct config_walk *w, const struct ytree *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A non-empty string (any scalar); replaces *out. */
int config_walk_str(struct config_walk *w, const struct ytree *n, const char *key, char **out);
/* A whole number within [lo, hi]. */
int config_walk_int(struct config_walk *w, const struct ytree *n, const char *key, long lo, long hi,
		    int *out);
/* A finite number. */
int config_walk_num(struct config_walk *w, const struct ytree *n, const char *key, double *out);
/* true/false/yes/no/on/off. */
int config_walk_bool(struct config_walk *w, const struct ytree *n, const char *key, bool *out);
/* A list of non-empty strings; replaces *out. */
int config_walk_strv(struct config_walk *w, const struct ytree *n, const char *key, char ***out,
		     size_t *nout);
/* A mapping of string to string (dimensions, tags). */
int config_walk_dims(struct config_walk *w, const struct ytree *n, const char *key,
		     struct fd_config_dim **out, size_t *nout);
/* Walk a mapping against a field table (at most 32 rows): unknown, duplicate and
 * missing required keys fail. */
int config_walk_map(struct config_walk *w, struct ytree *n, const char *what,
		    const struct config_field *fields, size_t n_fields, void *obj);
/* A region selector: primary / dr, or both when both_ok. */
int config_walk_region_sel(struct config_walk *w, struct ytree *v, const char *key, bool both_ok,
			   char **out);

/* A CloudWatch statistic (Average ... SampleCount, p99, tm90 ...). */
int config_query_stat(struct config_walk *w, struct ytree *v, const char *key, char **out);
/* A non-empty list of queries under what ("panel", "target"): unique ids, metric xor
 * expression. */
int config_query_list(struct config_walk *w, struct ytree *n, const char *what,
		      struct fd_config_query **out, size_t *nout);
void config_query_clean_up(struct fd_config_query *q);

/* The `panels:` list, appended to c. */
int config_panel_list(struct config_walk *w, struct ytree *v, struct fd_config *c);
void config_panel_clean_up(struct fd_config_panel *p);

/* The `targets:` list, appended to c. */
int config_target_list(struct config_walk *w, struct ytree *v, struct fd_config *c);
/* The five default targets of DESIGN.md. */
void config_target_defaults(struct fd_config *c);
void config_target_clean_up(struct fd_config_target *t);

#endif
