/* panel_sessions.c — the sessions panel: ElastiCache Redis replication groups, their
 * nodes and events, and each node's AWS/ElastiCache figures (see panel_sessions.h).
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html */
#include "model/panel_sessions.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/isotime.h"
#include "base/xalloc.h"
#include "model/collector.h"
#include "model/panel.h"
#include "model/panel_metrics.h"

#define FIGURES_RANGE_S 900     /* the newest complete minutes */
#define EVENTS_MINUTES 1440     /* DescribeEvents Duration: the last day */

/* Each figure's metric and statistic. */
static const struct {
	const char *name, *stat;
} metrics[MODEL_CACHE_METRIC_COUNT] = {
	[MODEL_CACHE_EVICTIONS] = { "Evictions", "Sum" },
	[MODEL_CACHE_CONNECTIONS] = { "CurrConnections", "Average" },
	[MODEL_CACHE_REPLICATION_LAG] = { "ReplicationLag", "Maximum" },
	[MODEL_CACHE_CPU] = { "EngineCPUUtilization", "Average" },
	[MODEL_CACHE_MEMORY] = { "DatabaseMemoryUsagePercentage", "Average" },
	[MODEL_CACHE_HIT_RATE] = { "CacheHitRate", "Average" },
};

const char *panel_sessions_metric_name(enum model_cache_metric k)
{
	return (unsigned)k < MODEL_CACHE_METRIC_COUNT ? metrics[k].name : "?";
}

const struct model_cache_node *panel_sessions_primary(const struct model_cache_group *g)
{
	for (size_t i = 0; i < g->n_nodes; i++)
		if (panel_same(g->nodes[i].role, "primary"))
			return &g->nodes[i];
	return NULL;
}

/* One node from a NodeGroupMember. */
static void node_parse(const json_t *e, struct model_cache_node *n)
{
	n->cluster_id = panel_str(e, "CacheClusterId");
	n->node_id = panel_str(e, "CacheNodeId");
	n->role = panel_str(e, "CurrentRole");
	n->az = panel_str(e, "PreferredAvailabilityZone");
	for (int k = 0; k < MODEL_CACHE_METRIC_COUNT; k++)
		n->figures[k] = NAN;
}

int panel_sessions_parse_groups(const json_t *res, struct model_cache_group **out, size_t *n,
				struct fd_error *err)
{
	const json_t *arr, *e, *ngs, *ng, *members, *m;
	struct model_cache_group *v;
	bool bad = false;
	size_t i, k, l;

	if (panel_need_object(res, "DescribeReplicationGroups", err))
		return -1;
	arr = panel_list(res, "ReplicationGroups", &bad);
	if (bad)
		return panel_shape_error(err, "DescribeReplicationGroups", "ReplicationGroups is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		struct model_cache_group *g = &v[i];
		const json_t *gi = json_object_get(e, "GlobalReplicationGroupInfo");
		size_t total = 0;
		g->id = panel_str(e, "ReplicationGroupId");
		g->status = panel_str(e, "Status");
		g->global_id = panel_str(gi, "GlobalReplicationGroupId");
		g->global_role = panel_str(gi, "GlobalReplicationGroupMemberRole");
		g->auto_failover = panel_same(panel_cstr(e, "AutomaticFailover"), "enabled");
		g->multi_az = panel_same(panel_cstr(e, "MultiAZ"), "enabled");
		ngs = panel_list(e, "NodeGroups", &bad);
		json_array_foreach(ngs, k, ng) {
			members = panel_list(ng, "NodeGroupMembers", &bad);
			total += json_array_size(members);
		}
		if (bad) {
			panel_sessions_groups_free(v, i + 1);
			return panel_shape_error(err, "DescribeReplicationGroups", "NodeGroups or their members are not lists");
		}
		g->nodes = xcalloc(total + 1, sizeof(*g->nodes));
		json_array_foreach(ngs, k, ng) {
			members = json_object_get(ng, "NodeGroupMembers");
			json_array_foreach(members, l, m)
				node_parse(m, &g->nodes[g->n_nodes++]);
		}
	}
	*out = v;
	*n = json_array_size(arr);
	return 0;
}

int panel_sessions_parse_clusters(const json_t *res, struct model_cache_group *groups, size_t n,
				  struct fd_error *err)
{
	const json_t *arr, *c, *nodes;
	bool bad = false;
	size_t i, g, k;

	if (panel_need_object(res, "DescribeCacheClusters", err))
		return -1;
	arr = panel_list(res, "CacheClusters", &bad);
	if (bad)
		return panel_shape_error(err, "DescribeCacheClusters", "CacheClusters is not a list");
	json_array_foreach(arr, i, c) {
		nodes = panel_list(c, "CacheNodes", &bad);
		if (bad)
			return panel_shape_error(err, "DescribeCacheClusters", "CacheNodes is not a list");
		for (g = 0; g < n; g++)
			for (k = 0; k < groups[g].n_nodes; k++) {
				struct model_cache_node *nd = &groups[g].nodes[k];
				const json_t *cn, *match = NULL;
				size_t x;
				if (!panel_same(nd->cluster_id, panel_cstr(c, "CacheClusterId")))
					continue;
				free(nd->status);
				nd->status = panel_str(c, "CacheClusterStatus");
				json_array_foreach(nodes, x, cn)
					if (!nd->node_id || panel_same(nd->node_id, panel_cstr(cn, "CacheNodeId")))
						match = cn;
				free(nd->node_status);
				nd->node_status = match ? panel_str(match, "CacheNodeStatus") : NULL;
			}
	}
	return 0;
}

/* Is an event message about a failover or a node being replaced? */
static bool failover_message(const char *m)
{
	return m && (strstr(m, "ailover") || strstr(m, "replace") || strstr(m, "Replace") ||
		     strstr(m, "promot") || strstr(m, "Promot"));
}

int panel_sessions_parse_events(const json_t *res, struct model_cache_event **out, size_t *n,
				struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_cache_event *v;
	bool bad = false;
	size_t i;

	if (panel_need_object(res, "DescribeEvents", err))
		return -1;
	arr = panel_list(res, "Events", &bad);
	if (bad)
		return panel_shape_error(err, "DescribeEvents", "Events is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		v[i].at = panel_time(e, "Date");
		v[i].source = panel_str(e, "SourceIdentifier");
		v[i].type = panel_str(e, "SourceType");
		v[i].message = panel_str(e, "Message");
		v[i].failover = failover_message(v[i].message);
	}
	*out = v;
	*n = json_array_size(arr);
	return 0;
}

void panel_sessions_groups_free(struct model_cache_group *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		for (size_t k = 0; k < v[i].n_nodes; k++) {
			free(v[i].nodes[k].cluster_id);
			free(v[i].nodes[k].node_id);
			free(v[i].nodes[k].role);
			free(v[i].nodes[k].status);
			free(v[i].nodes[k].node_status);
			free(v[i].nodes[k].az);
		}
		free(v[i].nodes);
		free(v[i].id);
		free(v[i].status);
		free(v[i].global_id);
		free(v[i].global_role);
	}
	free(v);
}

void panel_sessions_events_free(struct model_cache_event *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].source);
		free(v[i].type);
		free(v[i].message);
	}
	free(v);
}

void panel_sessions_clean_up(struct model_sessions *s)
{
	panel_sessions_groups_free(s->groups, s->n_groups);
	panel_sessions_events_free(s->events, s->n_events);
	memset(s, 0, sizeof(*s));
}

/* --- refreshing ---------------------------------------------------------------------- */

/* The calls of a refresh (rows of sessions_calls[]). */
enum { K_GROUPS, K_CLUSTERS, K_EVENTS, K_FIGURES, K_COUNT };

/* What a refresh stages before the swap. */
struct sessions_stage {
	struct model_cache_group *groups;
	size_t n_groups;
	bool have_groups;
	json_t *clusters;               /* DescribeCacheClusters, applied in finish */
	struct model_cache_event *events;
	size_t n_events;
	bool have_events;
	struct panel_metrics_result *figures;
	size_t n_figures;
	bool have_figures;
	bool keep_figures;              /* CloudWatch has nothing newer: the model's stay */
};

/* The model's node of a cache cluster, NULL when it has none. */
static const struct model_cache_node *old_node(const struct model_sessions *m, const char *cluster)
{
	for (size_t g = 0; g < m->n_groups; g++)
		for (size_t n = 0; n < m->groups[g].n_nodes; n++)
			if (panel_same(m->groups[g].nodes[n].cluster_id, cluster))
				return &m->groups[g].nodes[n];
	return NULL;
}

/* Do the model's figures stand for every staged node, and has CloudWatch nothing newer? */
static bool figures_current(const struct panel_job *j, const struct sessions_stage *s)
{
	const struct model_sessions *m = &panel_region(j)->sessions;

	if (!m->metrics_at || !panel_cw_current(m->metrics_newest, j->now))
		return false;
	for (size_t g = 0; g < s->n_groups; g++)
		for (size_t n = 0; n < s->groups[g].n_nodes; n++)
			if (s->groups[g].nodes[n].cluster_id && !old_node(m, s->groups[g].nodes[n].cluster_id))
				return false;
	return true;
}

static void start_sessions(struct panel_job *j)
{
	collector_call(j, K_GROUPS, json_object(), 0, 0);
	collector_call(j, K_CLUSTERS, json_pack("{s:b}", "ShowCacheNodeInfo", true), 0, 0);
	collector_call(j, K_EVENTS, json_pack("{s:i}", "Duration", EVENTS_MINUTES), 0, 0);
}

/* The figure queries of every node of the staged groups ("g0n1m2"). */
static void ask_figures(struct panel_job *j)
{
	struct sessions_stage *s = j->stage;
	json_t *queries = json_array();
	char id[32], from[ISOTIME_MAX], to[ISOTIME_MAX];

	if (figures_current(j, s)) {
		/* one-minute data published once a minute: the same answer again */
		s->keep_figures = true;
		json_decref(queries);
		return;
	}
	for (size_t g = 0; g < s->n_groups; g++)
		for (size_t n = 0; n < s->groups[g].n_nodes; n++) {
			const char *cluster = s->groups[g].nodes[n].cluster_id;
			if (!cluster)
				continue;
			for (int k = 0; k < MODEL_CACHE_METRIC_COUNT; k++) {
				snprintf(id, sizeof(id), "g%zun%zum%d", g, n, k);
				json_array_append_new(queries, json_pack(
					"{s:s, s:{s:{s:s, s:s, s:[{s:s, s:s}]}, s:i, s:s}, s:b}", "Id", id, "MetricStat",
					"Metric", "Namespace", "AWS/ElastiCache", "MetricName", metrics[k].name,
					"Dimensions", "Name", "CacheClusterId", "Value", cluster, "Period", 60,
					"Stat", metrics[k].stat, "ReturnData", true));
			}
		}
	if (!json_array_size(queries) || json_array_size(queries) > 500) {
		json_decref(queries);
		return;
	}
	isotime_format((double)(j->now - FIGURES_RANGE_S), 0, from);
	isotime_format((double)j->now, 0, to);
	collector_call(j, K_FIGURES, json_pack("{s:o, s:s, s:s, s:s}", "MetricDataQueries", queries, "StartTime", from,
					       "EndTime", to, "ScanBy", "TimestampDescending"), 0, 0);
}

static void done_groups(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct sessions_stage *s = j->stage;
	struct fd_error e;

	(void)idx;
	(void)sub;
	if (panel_sessions_parse_groups(res, &s->groups, &s->n_groups, &e)) {
		collector_job_error(j, &e, true);
		return;
	}
	s->have_groups = true;
	ask_figures(j);
}

static void done_clusters(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct sessions_stage *s = j->stage;

	(void)idx;
	(void)sub;
	s->clusters = json_incref(res);
}

static void done_events(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct sessions_stage *s = j->stage;
	struct fd_error e;

	(void)idx;
	(void)sub;
	if (panel_sessions_parse_events(res, &s->events, &s->n_events, &e))
		collector_job_error(j, &e, false);
	else
		s->have_events = true;
}

static void done_figures(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct sessions_stage *s = j->stage;
	struct fd_error e;

	(void)idx;
	(void)sub;
	if (panel_metrics_parse(res, &s->figures, &s->n_figures, &e))
		collector_job_error(j, &e, false);
	else
		s->have_figures = true;
}

/* Swap the staged groups in: their nodes' state from DescribeCacheClusters, their
 * figures from GetMetricData (the old figures when that failed, NAN when new). */
static void finish_sessions(struct panel_job *j)
{
	struct sessions_stage *s = j->stage;
	struct model_sessions *m = &panel_region(j)->sessions;
	struct fd_error e;
	char id[32];
	time_t newest = 0;

	if (!s->have_groups)
		return;
	if (s->clusters && panel_sessions_parse_clusters(s->clusters, s->groups, s->n_groups, &e))
		collector_job_error(j, &e, false);
	for (size_t g = 0; g < s->n_groups; g++)
		for (size_t n = 0; n < s->groups[g].n_nodes; n++)
			for (int k = 0; k < MODEL_CACHE_METRIC_COUNT; k++) {
				const struct panel_metrics_result *r;
				snprintf(id, sizeof(id), "g%zun%zum%d", g, n, k);
				r = s->have_figures ? panel_metrics_find(s->figures, s->n_figures, id) : NULL;
				s->groups[g].nodes[n].figures[k] = r ? series_last(&r->series, NULL) : NAN;
				newest = panel_series_newest(r ? &r->series : NULL, newest);
				if (s->keep_figures) {
					const struct model_cache_node *o = old_node(m, s->groups[g].nodes[n].cluster_id);
					s->groups[g].nodes[n].figures[k] = o ? o->figures[k] : NAN;
				}
			}
	panel_sessions_groups_free(m->groups, m->n_groups);
	m->groups = s->groups;
	m->n_groups = s->n_groups;
	s->groups = NULL;
	s->n_groups = 0;
	if (s->have_figures) {
		m->metrics_at = j->now;
		m->metrics_newest = newest;
	}
	if (s->have_events) {
		panel_sessions_events_free(m->events, m->n_events);
		m->events = s->events;
		m->n_events = s->n_events;
		s->events = NULL;
		s->n_events = 0;
	}
}

static void stage_clean_up(void *stage)
{
	struct sessions_stage *s = stage;

	panel_sessions_groups_free(s->groups, s->n_groups);
	panel_sessions_events_free(s->events, s->n_events);
	panel_metrics_results_free(s->figures, s->n_figures);
	json_decref(s->clusters);
}

static void model_part_clean_up(struct model *m, size_t region)
{
	panel_sessions_clean_up(&m->regions[region].sessions);
}

static const struct panel_call sessions_calls[K_COUNT] = {
	[K_GROUPS] = { "elasticache", "DescribeReplicationGroups", CLIENT_ALL_PAGES, true, done_groups, NULL },
	[K_CLUSTERS] = { "elasticache", "DescribeCacheClusters", CLIENT_ALL_PAGES, false, done_clusters, NULL },
	[K_EVENTS] = { "elasticache", "DescribeEvents", CLIENT_ALL_PAGES, false, done_events, NULL },
	[K_FIGURES] = { "cloudwatch", "GetMetricData", CLIENT_ALL_PAGES, false, done_figures, NULL },
};

/* stack.sessions: false turns the panel off (a stack without ElastiCache). */
static bool sessions_enabled(const struct fd_config *cfg)
{
	return cfg->sessions;
}

const struct panel_def panel_sessions_def = {
	.panel = MODEL_PANEL_SESSIONS,
	.name = "sessions",
	.interval_mult = 2,
	.enabled = sessions_enabled,
	.calls = sessions_calls,
	.n_calls = K_COUNT,
	.stage_size = sizeof(struct sessions_stage),
	.start = start_sessions,
	.finish = finish_sessions,
	.stage_clean_up = stage_clean_up,
	.model_clean_up = model_part_clean_up,
};
