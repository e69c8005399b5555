/* config.c — the dashboard's YAML config, validated with FILE:LINE:COLUMN messages (see config.h). */
#include "model/config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "aws/region.h"
#include "base/statefile.h"
#include "base/strbuf.h"
#include "base/strlist.h"
#include "base/xalloc.h"
#include "base/ytree.h"

/* Walking state: where to report. */
struct walk {
	const char *name;
	struct fd_error *err;
};

/* Fail at a node's position. */
static int __attribute__((format(printf, 3, 4)))
node_error(struct walk *w, const struct ytree *n, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ytree_error(w->err, "ConfigError", w->name, n, "%s", msg);
}

/* A string value (any scalar); copies into *out. */
static int get_str(struct walk *w, const struct ytree *n, const char *key, char **out)
{
	const char *s = ytree_scalar(n);

	if (!s)
		return node_error(w, n, "%s: expected a string, got %s", key, ytree_kind_name(n));
	if (!*s)
		return node_error(w, n, "%s: must not be empty", key);
	free(*out);
	*out = xstrdup(s);
	return 0;
}

/* A positive whole number within [lo, hi]. */
static int get_int(struct walk *w, const struct ytree *n, const char *key, long lo, long hi, int *out)
{
	const char *s = ytree_scalar(n);
	char *end;
	long v;

	if (!s)
		return node_error(w, n, "%s: expected a whole number, got %s", key, ytree_kind_name(n));
	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno)
		return node_error(w, n, "%s: expected a whole number, got '%s'", key, s);
	if (v < lo || v > hi)
		return node_error(w, n, "%s: %ld is out of range (%ld to %ld)", key, v, lo, hi);
	*out = (int)v;
	return 0;
}

/* A finite number. */
static int get_num(struct walk *w, const struct ytree *n, const char *key, double *out)
{
	const char *s = ytree_scalar(n);
	char *end;
	double v;

	if (!s)
		return node_error(w, n, "%s: expected a number, got %s", key, ytree_kind_name(n));
	v = strtod(s, &end);
	if (!*s || *end || !isfinite(v))
		return node_error(w, n, "%s: expected a number, got '%s'", key, s);
	*out = v;
	return 0;
}

/* A boolean (true/false/yes/no/on/off). */
static int get_bool(struct walk *w, const struct ytree *n, const char *key, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on" }, *const no[] = { "false", "no", "off" };
	const char *s = ytree_scalar(n);
	size_t i;

	for (i = 0; s && i < 3; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	if (!s)
		return node_error(w, n, "%s: expected true or false, got %s", key, ytree_kind_name(n));
	return node_error(w, n, "%s: expected true or false, got '%s'", key, s);
}

/* A list of non-empty strings. */
static int get_strv(struct walk *w, const struct ytree *n, const char *key, char ***out, size_t *nout)
{
	char **v;
	size_t k = 0, i, it;

	if (!n || n->kind != YTREE_SEQ)
		return node_error(w, n, "%s: expected a list of names, got %s", key, ytree_kind_name(n));
	v = xcalloc(n->n + 1, sizeof(char *));
	for (it = 0; it < n->n; it++) {
		struct ytree *x = n->items[it];
		const char *s = ytree_scalar(x);
		if (!s || !*s) {
			for (i = 0; i < k; i++)
				free(v[i]);
			free(v);
			return node_error(w, x, "%s: expected a name, got %s", key, s ? "an empty string" : ytree_kind_name(x));
		}
		v[k++] = xstrdup(s);
	}
	strlist_free(*out, *nout);
	*out = v;
	*nout = k;
	return 0;
}

/* A mapping of string to string (dimensions, tags). */
static int get_dims(struct walk *w, const struct ytree *n, const char *key,
		    struct fd_config_dim **out, size_t *nout)
{
	struct fd_config_dim *v;
	size_t k = 0, i, p;

	if (!n || n->kind != YTREE_MAP)
		return node_error(w, n, "%s: expected a mapping of names to values, got %s", key, ytree_kind_name(n));
	v = xcalloc(n->n + 1, sizeof(*v));
	for (p = 0; p < n->n; p++) {
		struct ytree *kn = n->keys[p];
		struct ytree *vn = n->items[p];
		if (!ytree_scalar(kn) || !*ytree_scalar(kn) || !ytree_scalar(vn)) {
			for (i = 0; i < k; i++) {
				free(v[i].name);
				free(v[i].value);
			}
			free(v);
			return node_error(w, ytree_scalar(kn) ? vn : kn, "%s: expected name: value", key);
		}
		v[k].name = xstrdup(ytree_scalar(kn));
		v[k].value = xstrdup(ytree_scalar(vn));
		k++;
	}
	*out = v;
	*nout = k;
	return 0;
}

/* One key of a mapping: its handler writes into `obj`. */
struct field {
	const char *key;
	int (*fn)(struct walk *w, struct ytree *val, void *obj);
	bool required;
};

/* Walk a mapping against a field table: unknown and duplicate keys fail. */
static int walk_map(struct walk *w, struct ytree *n, const char *what, const struct field *fields,
		    size_t n_fields, void *obj)
{
	bool seen[32] = { false };
	size_t i, p;

	if (!n || n->kind != YTREE_MAP)
		return node_error(w, n, "%s: expected a mapping, got %s", what, ytree_kind_name(n));
	for (p = 0; p < n->n; p++) {
		struct ytree *kn = n->keys[p];
		struct ytree *vn = n->items[p];
		const char *k = ytree_scalar(kn);
		for (i = 0; k && i < n_fields; i++)
			if (strcmp(k, fields[i].key) == 0)
				break;
		if (!k || i == n_fields) {
			struct strbuf sb;
			int r;
			strbuf_init(&sb);
			for (i = 0; i < n_fields; i++)
				strbuf_addf(&sb, "%s%s", i ? ", " : "", fields[i].key);
			r = node_error(w, kn, "%s: unknown key '%s' (expected one of: %s)", what,
				       k ? k : "?", sb.data);
			strbuf_clean_up(&sb);
			return r;
		}
		if (seen[i])
			return node_error(w, kn, "%s: duplicate key '%s'", what, k);
		seen[i] = true;
		if (fields[i].fn(w, vn, obj))
			return -1;
	}
	for (i = 0; i < n_fields; i++)
		if (fields[i].required && !seen[i])
			return node_error(w, n, "%s: missing '%s'", what, fields[i].key);
	return 0;
}

#define NFIELDS(t) (sizeof(t) / sizeof((t)[0]))

/* --- stack ------------------------------------------------------------------- */

/* Is s a region name (aws/region.h: the one validator of region names)? */
static bool region_name_ok(const char *s)
{
	return region_check(s, NULL, NULL) == 0;
}

static int f_region_primary(struct walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;

	if (get_str(w, v, "regions.primary", &c->primary))
		return -1;
	return region_name_ok(c->primary) ? 0 :
	       node_error(w, v, "regions.primary: '%s' is not a region name (like ap-northeast-2)", c->primary);
}

static int f_region_dr(struct walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;

	if (ytree_scalar(v) && (!*ytree_scalar(v) || strcmp(ytree_scalar(v), "none") == 0 || strcmp(ytree_scalar(v), "~") == 0 ||
			  strcmp(ytree_scalar(v), "null") == 0)) {
		free(c->dr);
		c->dr = NULL;
		return 0;
	}
	if (get_str(w, v, "regions.dr", &c->dr))
		return -1;
	return region_name_ok(c->dr) ? 0 :
	       node_error(w, v, "regions.dr: '%s' is not a region name (like ap-northeast-1)", c->dr);
}

static const struct field region_fields[] = {
	{ .key = "primary", .fn = f_region_primary },
	{ .key = "dr", .fn = f_region_dr },
};

static int f_regions(struct walk *w, struct ytree *v, void *o)
{
	return walk_map(w, v, "stack.regions", region_fields, NFIELDS(region_fields), o);
}

static int f_lbs(struct walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return get_strv(w, v, "stack.load_balancers", &c->lbs, &c->n_lbs);
}

static int f_tgs(struct walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return get_strv(w, v, "stack.target_groups", &c->tgs, &c->n_tgs);
}

static int f_asgs(struct walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return get_strv(w, v, "stack.auto_scaling_groups", &c->asgs, &c->n_asgs);
}

static int f_dbs(struct walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return get_strv(w, v, "stack.db_instances", &c->dbs, &c->n_dbs);
}

static int f_hcs(struct walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return get_strv(w, v, "stack.health_checks", &c->health_checks, &c->n_health_checks);
}

static int f_tags(struct walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return get_dims(w, v, "stack.tags", &c->tags, &c->n_tags);
}

static int f_zone(struct walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return get_str(w, v, "stack.hosted_zone", &c->hosted_zone);
}

static int f_record(struct walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return get_str(w, v, "stack.record_name", &c->record_name);
}

static int f_xray(struct walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return get_bool(w, v, "stack.xray", &c->xray);
}

static const struct field stack_fields[] = {
	{ .key = "regions", .fn = f_regions },
	{ .key = "load_balancers", .fn = f_lbs },
	{ .key = "target_groups", .fn = f_tgs },
	{ .key = "auto_scaling_groups", .fn = f_asgs },
	{ .key = "db_instances", .fn = f_dbs },
	{ .key = "tags", .fn = f_tags },
	{ .key = "hosted_zone", .fn = f_zone },
	{ .key = "record_name", .fn = f_record },
	{ .key = "health_checks", .fn = f_hcs },
	{ .key = "xray", .fn = f_xray },
};

/* --- queries ----------------------------------------------------------------- */

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
static int get_stat(struct walk *w, struct ytree *v, const char *key, char **out)
{
	if (get_str(w, v, key, out))
		return -1;
	return stat_ok(*out) ? 0 :
	       node_error(w, v, "%s: '%s' is not a statistic (Average, Sum, Minimum, Maximum, SampleCount, p99 ...)",
			  key, *out);
}

static int q_id(struct walk *w, struct ytree *v, void *o)
{
	struct fd_config_query *q = o;
	size_t i;

	if (get_str(w, v, "id", &q->id))
		return -1;
	if (!islower((unsigned char)q->id[0]))
		return node_error(w, v, "id: '%s' must start with a lower-case letter", q->id);
	for (i = 0; q->id[i]; i++)
		if (!isalnum((unsigned char)q->id[i]) && q->id[i] != '_')
			return node_error(w, v, "id: '%s' may hold only letters, digits and _", q->id);
	return 0;
}

static int q_label(struct walk *w, struct ytree *v, void *o)
{
	return get_str(w, v, "label", &((struct fd_config_query *)o)->label);
}

static int q_ns(struct walk *w, struct ytree *v, void *o)
{
	return get_str(w, v, "namespace", &((struct fd_config_query *)o)->namespace_);
}

static int q_metric(struct walk *w, struct ytree *v, void *o)
{
	return get_str(w, v, "metric", &((struct fd_config_query *)o)->metric);
}

static int q_dims(struct walk *w, struct ytree *v, void *o)
{
	struct fd_config_query *q = o;
	return get_dims(w, v, "dimensions", &q->dims, &q->n_dims);
}

static int q_stat(struct walk *w, struct ytree *v, void *o)
{
	return get_stat(w, v, "stat", &((struct fd_config_query *)o)->stat);
}

static int q_expr(struct walk *w, struct ytree *v, void *o)
{
	return get_str(w, v, "expression", &((struct fd_config_query *)o)->expression);
}

static int q_ret(struct walk *w, struct ytree *v, void *o)
{
	return get_bool(w, v, "return_data", &((struct fd_config_query *)o)->return_data);
}

static const struct field query_fields[] = {
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
static void query_clean_up(struct fd_config_query *q)
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
static int get_queries(struct walk *w, struct ytree *n, const char *what,
		       struct fd_config_query **out, size_t *nout)
{
	struct fd_config_query *v;
	size_t k = 0, i, it;

	if (!n || n->kind != YTREE_SEQ)
		return node_error(w, n, "%s.queries: expected a list, got %s", what, ytree_kind_name(n));
	if (n->n == 0)
		return node_error(w, n, "%s.queries: must not be empty", what);
	v = xcalloc(n->n + 1, sizeof(*v));
	for (it = 0; it < n->n; it++) {
		struct ytree *x = n->items[it];
		struct fd_config_query *q = &v[k++];
		q->return_data = true;
		if (walk_map(w, x, "query", query_fields, NFIELDS(query_fields), q))
			goto fail;
		if (q->expression && (q->metric || q->namespace_ || q->n_dims)) {
			node_error(w, x, "query %s: give either expression or namespace/metric, not both", q->id);
			goto fail;
		}
		if (!q->expression && (!q->metric || !q->namespace_)) {
			node_error(w, x, "query %s: needs namespace and metric, or an expression", q->id);
			goto fail;
		}
		for (i = 0; i + 1 < k; i++)
			if (strcmp(v[i].id, q->id) == 0) {
				node_error(w, x, "query %s: duplicate id", q->id);
				goto fail;
			}
	}
	*out = v;
	*nout = k;
	return 0;
fail:
	for (i = 0; i < k; i++)
		query_clean_up(&v[i]);
	free(v);
	return -1;
}

/* --- panels ------------------------------------------------------------------- */

/* Check a region selector: primary / dr / both. */
static int get_region_sel(struct walk *w, struct ytree *v, const char *key, bool both_ok, char **out)
{
	if (get_str(w, v, key, out))
		return -1;
	if (strcmp(*out, "primary") == 0 || strcmp(*out, "dr") == 0 || (both_ok && strcmp(*out, "both") == 0))
		return 0;
	return node_error(w, v, "%s: '%s' is not %s", key, *out, both_ok ? "primary, dr or both" : "primary or dr");
}

static int p_title(struct walk *w, struct ytree *v, void *o)
{
	return get_str(w, v, "title", &((struct fd_config_panel *)o)->title);
}

static int p_unit(struct walk *w, struct ytree *v, void *o)
{
	return get_str(w, v, "unit", &((struct fd_config_panel *)o)->unit);
}

static int p_stat(struct walk *w, struct ytree *v, void *o)
{
	return get_stat(w, v, "stat", &((struct fd_config_panel *)o)->stat);
}

static int p_period(struct walk *w, struct ytree *v, void *o)
{
	struct fd_config_panel *p = o;

	if (get_int(w, v, "period", 1, 86400, &p->period_s))
		return -1;
	if (p->period_s % 60 != 0 && p->period_s != 1 && p->period_s != 5 && p->period_s != 10 &&
	    p->period_s != 30)
		return node_error(w, v, "period: %d is not 1, 5, 10, 30 or a multiple of 60", p->period_s);
	return 0;
}

static int p_range(struct walk *w, struct ytree *v, void *o)
{
	return get_int(w, v, "range", 60, 15 * 86400, &((struct fd_config_panel *)o)->range_s);
}

static int p_region(struct walk *w, struct ytree *v, void *o)
{
	return get_region_sel(w, v, "region", true, &((struct fd_config_panel *)o)->region);
}

static int p_queries(struct walk *w, struct ytree *v, void *o)
{
	struct fd_config_panel *p = o;
	return get_queries(w, v, "panel", &p->queries, &p->n_queries);
}

static const struct field panel_fields[] = {
	{ .key = "title", .fn = p_title, .required = true },
	{ .key = "unit", .fn = p_unit },
	{ .key = "stat", .fn = p_stat },
	{ .key = "period", .fn = p_period },
	{ .key = "range", .fn = p_range },
	{ .key = "region", .fn = p_region },
	{ .key = "queries", .fn = p_queries, .required = true },
};

/* Free one panel. */
static void panel_clean_up(struct fd_config_panel *p)
{
	size_t i;

	free(p->title);
	free(p->unit);
	free(p->stat);
	free(p->region);
	for (i = 0; i < p->n_queries; i++)
		query_clean_up(&p->queries[i]);
	free(p->queries);
}

/* --- targets ------------------------------------------------------------------- */

static const struct {
	const char *name;
	enum fd_target_source source;
} source_names[] = {
	{ "metric", FD_TARGET_METRIC },
	{ "expression", FD_TARGET_EXPRESSION },
	{ "asg-activity", FD_TARGET_ASG_ACTIVITY },
	{ "measurement", FD_TARGET_MEASUREMENT },
	{ "rds-replica-latency", FD_TARGET_RDS_REPLICA },
};

static const struct {
	const char *name;
	enum model_cmp cmp;
} cmp_names[] = {
	{ "<=", MODEL_CMP_LE }, { ">=", MODEL_CMP_GE }, { "==", MODEL_CMP_EQ },
	{ "<", MODEL_CMP_LT }, { ">", MODEL_CMP_GT }, { "=", MODEL_CMP_EQ },
	{ "LessThan", MODEL_CMP_LT }, { "LessThanOrEqualTo", MODEL_CMP_LE },
	{ "GreaterThan", MODEL_CMP_GT }, { "GreaterThanOrEqualTo", MODEL_CMP_GE },
	{ "EqualTo", MODEL_CMP_EQ },
};

/* Target being parsed plus which keys were given. */
struct target_walk {
	struct fd_config_target *t;
	bool has_source, has_objective;
	struct ytree *metric_node;
	struct fd_config_query single;  /* namespace/metric/dimensions given at target level */
};

static int t_name(struct walk *w, struct ytree *v, void *o)
{
	return get_str(w, v, "name", &((struct target_walk *)o)->t->name);
}

static int t_source(struct walk *w, struct ytree *v, void *o)
{
	struct target_walk *tw = o;
	const char *s = ytree_scalar(v);
	size_t i;

	for (i = 0; s && i < NFIELDS(source_names); i++)
		if (strcmp(s, source_names[i].name) == 0) {
			tw->t->source = source_names[i].source;
			tw->has_source = true;
			return 0;
		}
	return node_error(w, v, "source: '%s' is not one of metric, expression, asg-activity, measurement, rds-replica-latency",
			  s ? s : ytree_kind_name(v));
}

/* Parse "< 60", "<=0", ">= 30" into cmp and value. */
static int parse_objective_text(struct walk *w, struct ytree *v, const char *s, struct fd_config_target *t)
{
	size_t i, len;
	char *end;
	double d;

	while (isspace((unsigned char)*s))
		s++;
	for (i = 0; i < NFIELDS(cmp_names); i++) {
		len = strlen(cmp_names[i].name);
		if (strncmp(s, cmp_names[i].name, len) == 0 && !isalpha((unsigned char)s[len]))
			break;
	}
	if (i == NFIELDS(cmp_names))
		return node_error(w, v, "objective: '%s' must start with a comparison (<, <=, >, >=, ==)", s);
	s += len;
	d = strtod(s, &end);
	if (end == s || !isfinite(d))
		return node_error(w, v, "objective: expected a number after '%s'", cmp_names[i].name);
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return node_error(w, v, "objective: unexpected '%s' after the number (put units in 'unit')", end);
	t->cmp = cmp_names[i].cmp;
	t->objective = d;
	return 0;
}

/* objective: "< 60" or { comparison: LessThan, value: 60 }. */
static int o_comparison(struct walk *w, struct ytree *v, void *o)
{
	struct fd_config_target *t = o;
	const char *s = ytree_scalar(v);
	size_t i;

	for (i = 0; s && i < NFIELDS(cmp_names); i++)
		if (strcmp(s, cmp_names[i].name) == 0) {
			t->cmp = cmp_names[i].cmp;
			return 0;
		}
	return node_error(w, v, "objective.comparison: '%s' is not one of <, <=, >, >=, ==, LessThan, "
			  "LessThanOrEqualTo, GreaterThan, GreaterThanOrEqualTo, EqualTo", s ? s : ytree_kind_name(v));
}

static int o_value(struct walk *w, struct ytree *v, void *o)
{
	return get_num(w, v, "objective.value", &((struct fd_config_target *)o)->objective);
}

static const struct field objective_fields[] = {
	{ .key = "comparison", .fn = o_comparison, .required = true },
	{ .key = "value", .fn = o_value, .required = true },
};

static int t_objective(struct walk *w, struct ytree *v, void *o)
{
	struct target_walk *tw = o;

	tw->has_objective = true;
	if (ytree_scalar(v))
		return parse_objective_text(w, v, ytree_scalar(v), tw->t);
	return walk_map(w, v, "objective", objective_fields, NFIELDS(objective_fields), tw->t);
}

static int t_unit(struct walk *w, struct ytree *v, void *o)
{
	return get_str(w, v, "unit", &((struct target_walk *)o)->t->unit);
}

static int t_region(struct walk *w, struct ytree *v, void *o)
{
	return get_region_sel(w, v, "region", false, &((struct target_walk *)o)->t->region);
}

static int t_queries(struct walk *w, struct ytree *v, void *o)
{
	struct target_walk *tw = o;
	return get_queries(w, v, "target", &tw->t->queries, &tw->t->n_queries);
}

static int t_stat(struct walk *w, struct ytree *v, void *o)
{
	return get_stat(w, v, "stat", &((struct target_walk *)o)->t->stat);
}

static int t_period(struct walk *w, struct ytree *v, void *o)
{
	return get_int(w, v, "period", 1, 86400, &((struct target_walk *)o)->t->period_s);
}

static int t_range(struct walk *w, struct ytree *v, void *o)
{
	return get_int(w, v, "range", 60, 15 * 86400, &((struct target_walk *)o)->t->range_s);
}

static int t_asg(struct walk *w, struct ytree *v, void *o)
{
	return get_str(w, v, "asg", &((struct target_walk *)o)->t->asg);
}

static int t_measurement(struct walk *w, struct ytree *v, void *o)
{
	return get_str(w, v, "measurement", &((struct target_walk *)o)->t->measurement);
}

static int t_scale(struct walk *w, struct ytree *v, void *o)
{
	struct target_walk *tw = o;

	if (get_num(w, v, "scale", &tw->t->scale))
		return -1;
	return tw->t->scale != 0 ? 0 : node_error(w, v, "scale: must not be 0");
}

static int t_namespace(struct walk *w, struct ytree *v, void *o)
{
	struct target_walk *tw = o;
	tw->metric_node = v;
	return get_str(w, v, "namespace", &tw->single.namespace_);
}

static int t_metric(struct walk *w, struct ytree *v, void *o)
{
	struct target_walk *tw = o;
	tw->metric_node = v;
	return get_str(w, v, "metric", &tw->single.metric);
}

static int t_dims(struct walk *w, struct ytree *v, void *o)
{
	struct target_walk *tw = o;
	tw->metric_node = v;
	return get_dims(w, v, "dimensions", &tw->single.dims, &tw->single.n_dims);
}

static int t_expression(struct walk *w, struct ytree *v, void *o)
{
	struct target_walk *tw = o;
	tw->metric_node = v;
	return get_str(w, v, "expression", &tw->single.expression);
}

static const struct field target_fields[] = {
	{ .key = "name", .fn = t_name, .required = true },
	{ .key = "source", .fn = t_source, .required = true },
	{ .key = "objective", .fn = t_objective, .required = true },
	{ .key = "unit", .fn = t_unit },
	{ .key = "region", .fn = t_region },
	{ .key = "namespace", .fn = t_namespace },
	{ .key = "metric", .fn = t_metric },
	{ .key = "dimensions", .fn = t_dims },
	{ .key = "expression", .fn = t_expression },
	{ .key = "queries", .fn = t_queries },
	{ .key = "stat", .fn = t_stat },
	{ .key = "period", .fn = t_period },
	{ .key = "range", .fn = t_range },
	{ .key = "asg", .fn = t_asg },
	{ .key = "measurement", .fn = t_measurement },
	{ .key = "scale", .fn = t_scale },
};

/* Free one target. */
static void target_clean_up(struct fd_config_target *t)
{
	size_t i;

	free(t->name);
	free(t->unit);
	free(t->region);
	free(t->stat);
	free(t->asg);
	free(t->measurement);
	for (i = 0; i < t->n_queries; i++)
		query_clean_up(&t->queries[i]);
	free(t->queries);
	memset(t, 0, sizeof(*t));
}

/* Parse and check one target. */
static int get_target(struct walk *w, struct ytree *n, struct fd_config_target *t)
{
	struct target_walk tw = { .t = t };
	int r;

	t->scale = 1;
	t->period_s = 60;
	t->range_s = 900;
	r = walk_map(w, n, "target", target_fields, NFIELDS(target_fields), &tw);
	if (!r && tw.metric_node && t->n_queries)
		r = node_error(w, tw.metric_node, "target %s: give namespace/metric/expression or queries, not both", t->name);
	if (!r && (tw.single.metric || tw.single.namespace_ || tw.single.expression || tw.single.n_dims)) {
		if (tw.single.expression && (tw.single.metric || tw.single.namespace_))
			r = node_error(w, tw.metric_node, "target %s: give either expression or namespace/metric, not both", t->name);
		else if (!tw.single.expression && (!tw.single.metric || !tw.single.namespace_))
			r = node_error(w, tw.metric_node, "target %s: needs both namespace and metric", t->name);
		else {
			t->queries = xcalloc(1, sizeof(*t->queries));
			t->queries[0] = tw.single;
			t->queries[0].id = xstrdup(tw.single.expression ? "e1" : "m1");
			t->queries[0].return_data = true;
			t->n_queries = 1;
			memset(&tw.single, 0, sizeof(tw.single));
		}
	}
	query_clean_up(&tw.single);
	if (r)
		return -1;
	switch (t->source) {
	case FD_TARGET_METRIC:
	case FD_TARGET_EXPRESSION:
		if (!t->n_queries)
			return node_error(w, n, "target %s: source %s needs namespace and metric, an expression, or queries",
					  t->name, t->source == FD_TARGET_METRIC ? "metric" : "expression");
		break;
	case FD_TARGET_MEASUREMENT:
		if (!t->measurement)
			return node_error(w, n, "target %s: source measurement needs 'measurement' (e.g. downtime_s)", t->name);
		break;
	case FD_TARGET_ASG_ACTIVITY:
	case FD_TARGET_RDS_REPLICA:
		if (t->n_queries)
			return node_error(w, n, "target %s: this source takes no metric queries", t->name);
		break;
	}
	return 0;
}

/* --- top level ------------------------------------------------------------------ */

/* Top-level parse state. */
struct top_walk {
	struct fd_config *c;
	bool has_targets, has_panels;
};

static int top_stack(struct walk *w, struct ytree *v, void *o)
{
	return walk_map(w, v, "stack", stack_fields, NFIELDS(stack_fields), ((struct top_walk *)o)->c);
}

static int top_refresh(struct walk *w, struct ytree *v, void *o)
{
	return get_int(w, v, "refresh", 1, 3600, &((struct top_walk *)o)->c->refresh_s);
}

static int top_panels(struct walk *w, struct ytree *v, void *o)
{
	struct top_walk *tw = o;
	struct fd_config *c = tw->c;
	size_t it;

	if (!v || v->kind != YTREE_SEQ)
		return node_error(w, v, "panels: expected a list, got %s", ytree_kind_name(v));
	tw->has_panels = true;
	c->panels = xcalloc(v->n + 1, sizeof(*c->panels));
	for (it = 0; it < v->n; it++) {
		struct fd_config_panel *p = &c->panels[c->n_panels++];
		p->period_s = 60;
		p->range_s = 3600;
		if (walk_map(w, v->items[it], "panel", panel_fields, NFIELDS(panel_fields), p))
			return -1;
	}
	return 0;
}

static int top_targets(struct walk *w, struct ytree *v, void *o)
{
	struct top_walk *tw = o;
	struct fd_config *c = tw->c;
	size_t i, it;

	if (!v || v->kind != YTREE_SEQ)
		return node_error(w, v, "targets: expected a list, got %s", ytree_kind_name(v));
	tw->has_targets = true;
	c->targets = xcalloc(v->n + 1, sizeof(*c->targets));
	for (it = 0; it < v->n; it++) {
		struct ytree *n = v->items[it];
		struct fd_config_target *t = &c->targets[c->n_targets++];
		if (get_target(w, n, t))
			return -1;
		for (i = 0; i + 1 < c->n_targets; i++)
			if (strcmp(c->targets[i].name, t->name) == 0)
				return node_error(w, n, "target %s: duplicate name", t->name);
	}
	return 0;
}

static const struct field top_fields[] = {
	{ .key = "stack", .fn = top_stack },
	{ .key = "refresh", .fn = top_refresh },
	{ .key = "panels", .fn = top_panels },
	{ .key = "targets", .fn = top_targets },
};

/* The five default targets of DESIGN.md. */
static void default_targets(struct fd_config *c)
{
	struct fd_config_target *t;

	c->targets = xcalloc(5, sizeof(*c->targets));
	c->n_targets = 5;
	t = &c->targets[0];
	t->name = xstrdup("scale-out latency");
	t->source = FD_TARGET_ASG_ACTIVITY;
	t->cmp = MODEL_CMP_LT;
	t->objective = 60;
	t->unit = xstrdup("s");

	t = &c->targets[1];
	t->name = xstrdup("session loss rate");
	t->source = FD_TARGET_METRIC;
	t->cmp = MODEL_CMP_LE;
	t->objective = 0;
	t->unit = xstrdup("%");
	t->stat = xstrdup("Maximum");
	t->queries = xcalloc(2, sizeof(*t->queries));
	t->n_queries = 2;
	t->queries[0].id = xstrdup("loss");
	t->queries[0].namespace_ = xstrdup("PetClinic");
	t->queries[0].metric = xstrdup("SessionLossRate");
	t->queries[0].return_data = true;
	t->queries[1].id = xstrdup("evictions");
	t->queries[1].namespace_ = xstrdup("AWS/ElastiCache");
	t->queries[1].metric = xstrdup("Evictions");
	t->queries[1].stat = xstrdup("Sum");
	t->queries[1].return_data = true;

	t = &c->targets[2];
	t->name = xstrdup("read latency improvement");
	t->source = FD_TARGET_RDS_REPLICA;
	t->cmp = MODEL_CMP_GE;
	t->objective = 30;
	t->unit = xstrdup("%");

	t = &c->targets[3];
	t->name = xstrdup("blue-green downtime");
	t->source = FD_TARGET_MEASUREMENT;
	t->measurement = xstrdup("downtime_s");
	t->cmp = MODEL_CMP_LE;
	t->objective = 0;
	t->unit = xstrdup("s");

	t = &c->targets[4];
	t->name = xstrdup("deploy duration");
	t->source = FD_TARGET_MEASUREMENT;
	t->measurement = xstrdup("deploy_duration_s");
	t->cmp = MODEL_CMP_LT;
	t->objective = 15;
	t->unit = xstrdup("min");
	for (t = c->targets; t < c->targets + 5; t++) {
		t->period_s = 60;
		t->range_s = 900;
		if (t->source == FD_TARGET_MEASUREMENT && strcmp(t->measurement, "deploy_duration_s") == 0)
			t->scale = 1.0 / 60;
		else
			t->scale = 1;
	}
}

/* Fill cfg with the defaults. */
void config_defaults(struct fd_config *cfg, const char *region)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->primary = xstrdup(region ? region : "ap-northeast-2");
	if (strcmp(cfg->primary, "ap-northeast-1") != 0)
		cfg->dr = xstrdup("ap-northeast-1");
	cfg->xray = true;
	default_targets(cfg);
}

/* Report the first tab used for indentation, the way YAML forbids it. */
static int check_tabs(struct walk *w, const char *text, size_t len)
{
	size_t i, line = 1, col = 1;
	bool indent = true;

	for (i = 0; i < len; i++) {
		if (text[i] == '\n') {
			line++;
			col = 1;
			indent = true;
			continue;
		}
		if (indent && text[i] == '\t')
			return fd_error_set(w->err, "ConfigError",
					    "%s:%zu:%zu: tab character in indentation (YAML indents with spaces)",
					    w->name, line, col);
		if (text[i] != ' ' && text[i] != '-')
			indent = false;
		col++;
	}
	return 0;
}

/* Parse YAML text into cfg. */
int config_parse(struct fd_config *cfg, const char *name, const char *text, size_t len,
		 const char *region, struct fd_error *err)
{
	struct top_walk tw;
	struct ytree *root;
	struct walk w = { .name = name, .err = err };
	int r = 0;

	config_defaults(cfg, NULL);
	free(cfg->file);
	cfg->file = xstrdup(name);
	/* the file's targets/panels replace the defaults only when given */
	tw.c = cfg;
	tw.has_targets = tw.has_panels = false;
	if (check_tabs(&w, text, len)) {
		config_clean_up(cfg);
		return -1;
	}
	if (ytree_parse(text, len, &(struct ytree_opts){ .file = name, .code = "ConfigError" }, &root, err)) {
		config_clean_up(cfg);
		return -1;
	}
	if (root && !(root->kind == YTREE_SCALAR && !*root->value)) {
		struct fd_config_target *saved = cfg->targets;
		size_t n_saved = cfg->n_targets;
		cfg->targets = NULL;
		cfg->n_targets = 0;
		r = walk_map(&w, root, "config", top_fields, NFIELDS(top_fields), &tw);
		if (!tw.has_targets) {
			size_t i;
			for (i = 0; i < cfg->n_targets; i++)
				target_clean_up(&cfg->targets[i]);
			free(cfg->targets);
			cfg->targets = saved;
			cfg->n_targets = n_saved;
		} else {
			size_t i;
			for (i = 0; i < n_saved; i++)
				target_clean_up(&saved[i]);
			free(saved);
		}
	}
	ytree_free(root);
	if (!r && cfg->dr && strcmp(cfg->dr, cfg->primary) == 0) {
		free(cfg->dr);
		cfg->dr = NULL;
	}
	if (!r && region) {
		free(cfg->primary);
		cfg->primary = xstrdup(region);
		if (cfg->dr && strcmp(cfg->dr, region) == 0) {
			free(cfg->dr);
			cfg->dr = NULL;
		}
	}
	if (r) {
		config_clean_up(cfg);
		return -1;
	}
	return 0;
}

/* The default config path (base/statefile.h); NULL when there is no home. */
char *config_default_path(void)
{
	return statefile_path(STATEFILE_CONFIG, "config.yaml", NULL);
}

/* Load path, the XDG default, or the defaults. */
int config_load(struct fd_config *cfg, const char *path, const char *region, struct fd_error *err)
{
	char *def = NULL, buf[65536];
	struct strbuf text;
	struct stat st;
	size_t n;
	FILE *f;
	int r;

	if (!path) {
		def = config_default_path();
		if (!def || stat(def, &st) != 0) {
			free(def);
			config_defaults(cfg, region);
			return 0;
		}
		path = def;
	}
	f = fopen(path, "r");
	if (!f) {
		r = fd_error_set(err, "ConfigError", "%s: %s", path, strerror(errno));
		free(def);
		memset(cfg, 0, sizeof(*cfg));
		return r;
	}
	strbuf_init(&text);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&text, buf, n);
	fclose(f);
	r = config_parse(cfg, path, text.data, text.len, region, err);
	strbuf_clean_up(&text);
	free(def);
	return r;
}

/* Free everything cfg holds. */
void config_clean_up(struct fd_config *cfg)
{
	size_t i;

	free(cfg->file);
	free(cfg->primary);
	free(cfg->dr);
	strlist_free(cfg->lbs, cfg->n_lbs);
	strlist_free(cfg->tgs, cfg->n_tgs);
	strlist_free(cfg->asgs, cfg->n_asgs);
	strlist_free(cfg->dbs, cfg->n_dbs);
	strlist_free(cfg->health_checks, cfg->n_health_checks);
	for (i = 0; i < cfg->n_tags; i++) {
		free(cfg->tags[i].name);
		free(cfg->tags[i].value);
	}
	free(cfg->tags);
	free(cfg->hosted_zone);
	free(cfg->record_name);
	for (i = 0; i < cfg->n_panels; i++)
		panel_clean_up(&cfg->panels[i]);
	free(cfg->panels);
	for (i = 0; i < cfg->n_targets; i++)
		target_clean_up(&cfg->targets[i]);
	free(cfg->targets);
	memset(cfg, 0, sizeof(*cfg));
}
