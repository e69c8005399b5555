/* config_target.c — the config's success targets (`targets:`) and the five defaults. */
#include "model/config_impl.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

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

static int t_name(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_str(w, v, "name", &((struct target_walk *)o)->t->name);
}

static int t_source(struct config_walk *w, struct ytree *v, void *o)
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
	return config_walk_error(w, v, "source: '%s' is not one of metric, expression, asg-activity, measurement, rds-replica-latency",
			  s ? s : ytree_kind_name(v));
}

/* Parse "< 60", "<=0", ">= 30" into cmp and value. */
static int parse_objective_text(struct config_walk *w, struct ytree *v, const char *s, struct fd_config_target *t)
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
		return config_walk_error(w, v, "objective: '%s' must start with a comparison (<, <=, >, >=, ==)", s);
	s += len;
	d = strtod(s, &end);
	if (end == s || !isfinite(d))
		return config_walk_error(w, v, "objective: expected a number after '%s'", cmp_names[i].name);
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return config_walk_error(w, v, "objective: unexpected '%s' after the number (put units in 'unit')", end);
	t->cmp = cmp_names[i].cmp;
	t->objective = d;
	return 0;
}

/* objective: "< 60" or { comparison: LessThan, value: 60 }. */
static int o_comparison(struct config_walk *w, struct ytree *v, void *o)
{
	struct fd_config_target *t = o;
	const char *s = ytree_scalar(v);
	size_t i;

	for (i = 0; s && i < NFIELDS(cmp_names); i++)
		if (strcmp(s, cmp_names[i].name) == 0) {
			t->cmp = cmp_names[i].cmp;
			return 0;
		}
	return config_walk_error(w, v, "objective.comparison: '%s' is not one of <, <=, >, >=, ==, LessThan, "
			  "LessThanOrEqualTo, GreaterThan, GreaterThanOrEqualTo, EqualTo", s ? s : ytree_kind_name(v));
}

static int o_value(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_num(w, v, "objective.value", &((struct fd_config_target *)o)->objective);
}

static const struct config_field objective_fields[] = {
	{ .key = "comparison", .fn = o_comparison, .required = true },
	{ .key = "value", .fn = o_value, .required = true },
};

static int t_objective(struct config_walk *w, struct ytree *v, void *o)
{
	struct target_walk *tw = o;

	tw->has_objective = true;
	if (ytree_scalar(v))
		return parse_objective_text(w, v, ytree_scalar(v), tw->t);
	return config_walk_map(w, v, "objective", objective_fields, NFIELDS(objective_fields), tw->t);
}

static int t_unit(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_str(w, v, "unit", &((struct target_walk *)o)->t->unit);
}

static int t_region(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_region_sel(w, v, "region", false, &((struct target_walk *)o)->t->region);
}

static int t_queries(struct config_walk *w, struct ytree *v, void *o)
{
	struct target_walk *tw = o;
	return config_query_list(w, v, "target", &tw->t->queries, &tw->t->n_queries);
}

static int t_stat(struct config_walk *w, struct ytree *v, void *o)
{
	return config_query_stat(w, v, "stat", &((struct target_walk *)o)->t->stat);
}

static int t_period(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_int(w, v, "period", 1, 86400, &((struct target_walk *)o)->t->period_s);
}

static int t_range(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_int(w, v, "range", 60, 15 * 86400, &((struct target_walk *)o)->t->range_s);
}

static int t_asg(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_str(w, v, "asg", &((struct target_walk *)o)->t->asg);
}

static int t_measurement(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_str(w, v, "measurement", &((struct target_walk *)o)->t->measurement);
}

static int t_scale(struct config_walk *w, struct ytree *v, void *o)
{
	struct target_walk *tw = o;

	if (config_walk_num(w, v, "scale", &tw->t->scale))
		return -1;
	return tw->t->scale != 0 ? 0 : config_walk_error(w, v, "scale: must not be 0");
}

static int t_namespace(struct config_walk *w, struct ytree *v, void *o)
{
	struct target_walk *tw = o;
	tw->metric_node = v;
	return config_walk_str(w, v, "namespace", &tw->single.namespace_);
}

static int t_metric(struct config_walk *w, struct ytree *v, void *o)
{
	struct target_walk *tw = o;
	tw->metric_node = v;
	return config_walk_str(w, v, "metric", &tw->single.metric);
}

static int t_dims(struct config_walk *w, struct ytree *v, void *o)
{
	struct target_walk *tw = o;
	tw->metric_node = v;
	return config_walk_dims(w, v, "dimensions", &tw->single.dims, &tw->single.n_dims);
}

static int t_expression(struct config_walk *w, struct ytree *v, void *o)
{
	struct target_walk *tw = o;
	tw->metric_node = v;
	return config_walk_str(w, v, "expression", &tw->single.expression);
}

static const struct config_field target_fields[] = {
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
void config_target_clean_up(struct fd_config_target *t)
{
	size_t i;

	free(t->name);
	free(t->unit);
	free(t->region);
	free(t->stat);
	free(t->asg);
	free(t->measurement);
	for (i = 0; i < t->n_queries; i++)
		config_query_clean_up(&t->queries[i]);
	free(t->queries);
	memset(t, 0, sizeof(*t));
}

/* Parse and check one target. */
static int target_one(struct config_walk *w, struct ytree *n, struct fd_config_target *t)
{
	struct target_walk tw = { .t = t };
	int r;

	t->scale = 1;
	t->period_s = 60;
	t->range_s = 900;
	r = config_walk_map(w, n, "target", target_fields, NFIELDS(target_fields), &tw);
	if (!r && tw.metric_node && t->n_queries)
		r = config_walk_error(w, tw.metric_node, "target %s: give namespace/metric/expression or queries, not both", t->name);
	if (!r && (tw.single.metric || tw.single.namespace_ || tw.single.expression || tw.single.n_dims)) {
		if (tw.single.expression && (tw.single.metric || tw.single.namespace_))
			r = config_walk_error(w, tw.metric_node, "target %s: give either expression or namespace/metric, not both", t->name);
		else if (!tw.single.expression && (!tw.single.metric || !tw.single.namespace_))
			r = config_walk_error(w, tw.metric_node, "target %s: needs both namespace and metric", t->name);
		else {
			t->queries = xcalloc(1, sizeof(*t->queries));
			t->queries[0] = tw.single;
			t->queries[0].id = xstrdup(tw.single.expression ? "e1" : "m1");
			t->queries[0].return_data = true;
			t->n_queries = 1;
			memset(&tw.single, 0, sizeof(tw.single));
		}
	}
	config_query_clean_up(&tw.single);
	if (r)
		return -1;
	switch (t->source) {
	case FD_TARGET_METRIC:
	case FD_TARGET_EXPRESSION:
		if (!t->n_queries)
			return config_walk_error(w, n, "target %s: source %s needs namespace and metric, an expression, or queries",
					  t->name, t->source == FD_TARGET_METRIC ? "metric" : "expression");
		break;
	case FD_TARGET_MEASUREMENT:
		if (!t->measurement)
			return config_walk_error(w, n, "target %s: source measurement needs 'measurement' (e.g. downtime_s)", t->name);
		break;
	case FD_TARGET_ASG_ACTIVITY:
	case FD_TARGET_RDS_REPLICA:
		if (t->n_queries)
			return config_walk_error(w, n, "target %s: this source takes no metric queries", t->name);
		break;
	}
	return 0;
}

/* Parse the `targets:` list into c (appending); names must be unique. */
int config_target_list(struct config_walk *w, struct ytree *v, struct fd_config *c)
{
	size_t i, it;

	if (!v || v->kind != YTREE_SEQ)
		return config_walk_error(w, v, "targets: expected a list, got %s", ytree_kind_name(v));
	c->targets = xcalloc(v->n + 1, sizeof(*c->targets));
	for (it = 0; it < v->n; it++) {
		struct ytree *n = v->items[it];
		struct fd_config_target *t = &c->targets[c->n_targets++];
		if (target_one(w, n, t))
			return -1;
		for (i = 0; i + 1 < c->n_targets; i++)
			if (strcmp(c->targets[i].name, t->name) == 0)
				return config_walk_error(w, n, "target %s: duplicate name", t->name);
	}
	return 0;
}

/* The five default targets of DESIGN.md: one row each (strings copied; NULL stays NULL). */
static const struct {
	const char *name;
	enum fd_target_source source;
	enum model_cmp cmp;
	double objective;
	const char *unit, *stat, *measurement;
	double scale;
} default_rows[] = {
	{ "scale-out latency", FD_TARGET_ASG_ACTIVITY, MODEL_CMP_LT, 60, "s", NULL, NULL, 1 },
	{ "session loss rate", FD_TARGET_METRIC, MODEL_CMP_LE, 0, "%", "Maximum", NULL, 1 },
	{ "read latency improvement", FD_TARGET_RDS_REPLICA, MODEL_CMP_GE, 30, "%", NULL, NULL, 1 },
	{ "blue-green downtime", FD_TARGET_MEASUREMENT, MODEL_CMP_LE, 0, "s", NULL, "downtime_s", 1 },
	{ "deploy duration", FD_TARGET_MEASUREMENT, MODEL_CMP_LT, 15, "min", NULL, "deploy_duration_s", 1.0 / 60 },
};

/* The session loss rate's query: the app's own metric. Its fallback, ElastiCache
 * evictions, comes from the sessions panel (per CacheClusterId: CloudWatch has no
 * dimensionless AWS/ElastiCache series), see sessions_fallback. */
static const struct {
	const char *id, *namespace_, *metric, *stat;
} session_loss_queries[] = {
	{ "loss", "PetClinic", "SessionLossRate", NULL },
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void config_target_defaults(struct fd_config *c)
{
	size_t i, q;

	c->n_targets = NFIELDS(default_rows);
	c->targets = xcalloc(c->n_targets, sizeof(*c->targets));
	for (i = 0; i < c->n_targets; i++) {
		struct fd_config_target *t = &c->targets[i];
		t->name = xstrdup(default_rows[i].name);
		t->source = default_rows[i].source;
		t->cmp = default_rows[i].cmp;
		t->objective = default_rows[i].objective;
		t->unit = xstrdup(default_rows[i].unit);
		t->stat = dup_or_null(default_rows[i].stat);
		t->measurement = dup_or_null(default_rows[i].measurement);
		t->scale = default_rows[i].scale;
		t->period_s = 60;
		t->range_s = 900;
	}
	c->targets[1].sessions_fallback = true;
	c->targets[1].n_queries = NFIELDS(session_loss_queries);
	c->targets[1].queries = xcalloc(c->targets[1].n_queries, sizeof(*c->targets[1].queries));
	for (q = 0; q < NFIELDS(session_loss_queries); q++) {
		struct fd_config_query *x = &c->targets[1].queries[q];
		x->id = xstrdup(session_loss_queries[q].id);
		x->namespace_ = xstrdup(session_loss_queries[q].namespace_);
		x->metric = xstrdup(session_loss_queries[q].metric);
		x->stat = dup_or_null(session_loss_queries[q].stat);
		x->return_data = true;
	}
}
