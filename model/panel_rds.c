/* panel_rds.c — the RDS panel: DB instances (their latency and lag come from the metrics panel). */
#include "model/panel_rds.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "model/collector.h"
#include "model/panel.h"


/* The "read replication" entry of a DB instance's StatusInfos into v; -1 when
 * StatusInfos is not a list. */
static int parse_status_infos(const json_t *e, struct model_db *v)
{
	const json_t *infos, *si;
	bool bad = false;
	size_t k;

	infos = panel_list(e, "StatusInfos", &bad);
	if (bad)
		return -1;
	json_array_foreach(infos, k, si) {
		if (!panel_same(panel_cstr(si, "StatusType"), "read replication") || v->repl_status)
			continue;
		v->repl_status = panel_str(si, "Status");
		v->repl_message = panel_str(si, "Message");
		v->repl_normal = panel_bool(si, "Normal");
	}
	return 0;
}

/* Parse DescribeDBInstances. */
int panel_rds_parse(const json_t *res, time_t now, struct model_db **out, size_t *n,
		       struct fd_error *err)
{
	const json_t *arr, *e, *replicas;
	struct model_db *v;
	bool bad = false;
	size_t i;

	if (panel_need_object(res, "DescribeDBInstances", err))
		return -1;
	arr = panel_list(res, "DBInstances", &bad);
	if (bad)
		return panel_shape_error(err, "DescribeDBInstances", "DBInstances is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		v[i].id = panel_str(e, "DBInstanceIdentifier");
		v[i].engine = panel_str(e, "Engine");
		v[i].status = panel_str(e, "DBInstanceStatus");
		v[i].instance_class = panel_str(e, "DBInstanceClass");
		v[i].az = panel_str(e, "AvailabilityZone");
		v[i].endpoint = panel_str(json_object_get(e, "Endpoint"), "Address");
		v[i].source_id = panel_str(e, "ReadReplicaSourceDBInstanceIdentifier");
		v[i].is_replica = v[i].source_id != NULL;
		v[i].multi_az = panel_bool(e, "MultiAZ");
		replicas = panel_list(e, "ReadReplicaDBInstanceIdentifiers", &bad);
		v[i].n_replicas = json_array_size(replicas);
		if (bad || parse_status_infos(e, &v[i]) < 0) {
			panel_rds_free(v, i + 1);
			return panel_shape_error(err, "DescribeDBInstances",
						 bad ? "ReadReplicaDBInstanceIdentifiers is not a list" : "StatusInfos is not a list");
		}
		v[i].read_latency_ms = v[i].replica_lag_s = NAN;
		v[i].fetched_at = now;
	}
	*out = v;
	*n = json_array_size(arr);
	return 0;
}

/* --- freeing ------------------------------------------------------------------------- */

/* Free DB instances. */
void panel_rds_free(struct model_db *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].engine);
		free(v[i].status);
		free(v[i].instance_class);
		free(v[i].az);
		free(v[i].endpoint);
		free(v[i].source_id);
		free(v[i].repl_status);
		free(v[i].repl_message);
	}
	free(v);
}

/* --- refreshing ---------------------------------------------------------------------- */

/* The calls of a refresh (rows of rds_calls[]). */
enum { K_DBS, K_COUNT };

/* What a refresh stages before the swap. */
struct rds_stage {
	struct model_db *dbs;
	size_t n_dbs;
	bool have_dbs;
};

/* Start: every DB instance. */
static void start_rds(struct panel_job *j)
{
	collector_call(j, K_DBS, json_object(), 0, 0);
}

static void done_dbs(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct rds_stage *s = j->stage;
	struct fd_error e;

	(void)idx;
	(void)sub;
	panel_filter(res, "DBInstances", "DBInstanceIdentifier", j->cfg->dbs, j->cfg->n_dbs);
	if (panel_rds_parse(res, j->now, &s->dbs, &s->n_dbs, &e))
		collector_job_error(j, &e, true);
	else
		s->have_dbs = true;
}

/* Swap the instances in, keeping their metrics. */
static void finish_rds(struct panel_job *j)
{
	struct rds_stage *s = j->stage;
	struct model_region *r = panel_region(j);
	size_t i, o;

	if (!s->have_dbs)
		return;
	for (i = 0; i < s->n_dbs; i++)
		for (o = 0; o < r->n_dbs; o++)
			if (panel_same(s->dbs[i].id, r->dbs[o].id)) {
				s->dbs[i].read_latency_ms = r->dbs[o].read_latency_ms;
				s->dbs[i].replica_lag_s = r->dbs[o].replica_lag_s;
				s->dbs[i].metrics_at = r->dbs[o].metrics_at;
			}
	panel_rds_free(r->dbs, r->n_dbs);
	r->dbs = s->dbs;
	r->n_dbs = s->n_dbs;
	s->dbs = NULL;
	s->n_dbs = 0;
}

/* Free what a refresh staged. */
static void stage_clean_up(void *stage)
{
	struct rds_stage *s = stage;

	panel_rds_free(s->dbs, s->n_dbs);
}

/* Free a region's instances. */
static void model_part_clean_up(struct model *m, size_t region)
{
	struct model_region *r = &m->regions[region];

	panel_rds_free(r->dbs, r->n_dbs);
	r->dbs = NULL;
	r->n_dbs = 0;
}

static const struct panel_call rds_calls[K_COUNT] = {
	[K_DBS] = { "rds", "DescribeDBInstances", CLIENT_ALL_PAGES, true, done_dbs, NULL },
};

const struct panel_def panel_rds_def = {
	.panel = MODEL_PANEL_RDS,
	.name = "rds",
	.interval_mult = 3,             /* instances change slowly */
	.calls = rds_calls,
	.n_calls = K_COUNT,
	.stage_size = sizeof(struct rds_stage),
	.start = start_rds,
	.finish = finish_rds,
	.stage_clean_up = stage_clean_up,
	.model_clean_up = model_part_clean_up,
};
