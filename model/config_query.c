/* config_query.c — GetMetricData queries in the config (panels' and targets' `queries:`). */
#include "model/config_impl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

static const char *const stat_names[] = {
	"Average", "Sum", "Minimum", "Maximum", "SampleCount",
};

/* Is s a CloudWatch statistic (the five, or pNN / pNN.N / tm99 style)? */
static bool stat_ok(const char *s)
{
	size_t i;

	for (i = 0; i < NFIELDS(stat_names); i++)
		if (strcmp(s, stat_names[i]) == 0)
			return true;
	if ((s[0] == 'p' || ((s[0] == 't' || s[0] == 'w') && (s[1] == 'm' || s[1] == 'c'))) && s[1]) {
		const char *d = s[0] == 'p' ? s + 1 : s + 2;
		char *end;
		double v = strtod(d, &end);
		return *d && !*end && v >= 0 && v <= 100;
	}
	return false;
}

/* Check a statistic value. */
int config_query_stat(struct config_walk *w, struct ytree *v, const char *key, char **out)
{
	if (config_walk_str(w, v, key, out))
		return -1;
	return stat_ok(*out) ? 0 :
	       config_walk_error(w, v, "%s: '%s' is not a statistic (Average, Sum, Minimum, Maximum, SampleCount, p99 ...)",
			  key, *out);
}

static int q_id(struct config_walk *w, struct ytree *v, void *o)
{
	struct fd_config_query *q = o;
	size_t i;

	if (config_walk_str(w, v, "id", &q->id))
		return -1;
	if (!islower((unsigned char)q->id[0]))
		return config_walk_error(w, v, "id: '%s' must start with a lower-case letter", q->id);
	for (i = 0; q->id[i]; i++)
		if (!isalnum((unsigned char)q->id[i]) && q->id[i] != '_')
			return config_walk_error(w, v, "id: '%s' may hold only letters, digits and _", q->id);
	return 0;
}

static int q_label(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_str(w, v, "label", &((struct fd_config_query *)o)->label);
}

static int q_ns(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_str(w, v, "namespace", &((struct fd_config_query *)o)->namespace_);
}

static int q_metric(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_str(w, v, "metric", &((struct fd_config_query *)o)->metric);
}

static int q_dims(struct config_walk *w, struct ytree *v, void *o)
{
	struct fd_config_query *q = o;
	return config_walk_dims(w, v, "dimensions", &q->dims, &q->n_dims);
}

static int q_stat(struct config_walk *w, struct ytree *v, void *o)
{
	return config_query_stat(w, v, "stat", &((struct fd_config_query *)o)->stat);
}

static int q_expr(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_str(w, v, "expression", &((struct fd_config_query *)o)->expression);
}

static int q_ret(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_bool(w, v, "return_data", &((struct fd_config_query *)o)->return_data);
}

static const struct config_field query_fields[] = {
	{ .key = "id", .fn = q_id, .required = true },
	{ .key = "label", .fn = q_label },
	{ .key = "namespace", .fn = q_ns },
	{ .key = "metric", .fn = q_metric },
	{ .key = "dimensions", .fn = q_dims },
	{ .key = "stat", .fn = q_stat },
	{ .key = "expression", .fn = q_expr },
	{ .key = "return_data", .fn = q_ret },
};

/* Free one query's strings. */
void config_query_clean_up(struct fd_config_query *q)
{
	size_t i;

	free(q->id);
	free(q->label);
	free(q->namespace_);
	free(q->metric);
	free(q->stat);
	free(q->expression);
	for (i = 0; i < q->n_dims; i++) {
		free(q->dims[i].name);
		free(q->dims[i].value);
	}
	free(q->dims);
}

/* Parse a list of queries; ids must be unique; metric xor expression. */
int config_query_list(struct config_walk *w, struct ytree *n, const char *what,
		       struct fd_config_query **out, size_t *nout)
{
	struct fd_config_query *v;
	size_t k = 0, i, it;

	if (!n || n->kind != YTREE_SEQ)
		return config_walk_error(w, n, "%s.queries: expected a list, got %s", what, ytree_kind_name(n));
	if (n->n == 0)
		return config_walk_error(w, n, "%s.queries: must not be empty", what);
	v = xcalloc(n->n + 1, sizeof(*v));
	for (it = 0; it < n->n; it++) {
		struct ytree *x = n->items[it];
		struct fd_config_query *q = &v[k++];
		q->return_data = true;
		if (config_walk_map(w, x, "query", query_fields, NFIELDS(query_fields), q))
			goto fail;
		if (q->expression && (q->metric || q->namespace_ || q->n_dims)) {
			config_walk_error(w, x, "query %s: give either expression or namespace/metric, not both", q->id);
			goto fail;
		}
		if (!q->expression && (!q->metric || !q->namespace_)) {
			config_walk_error(w, x, "query %s: needs namespace and metric, or an expression", q->id);
			goto fail;
		}
		for (i = 0; i + 1 < k; i++)
			if (strcmp(v[i].id, q->id) == 0) {
				config_walk_error(w, x, "query %s: duplicate id", q->id);
				goto fail;
			}
	}
	*out = v;
	*nout = k;
	return 0;
fail:
	for (i = 0; i < k; i++)
		config_query_clean_up(&v[i]);
	free(v);
	return -1;
}
