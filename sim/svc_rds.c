/* svc_rds.c — RDS (query 2014-10-31): DescribeDBInstances (Marker paging) and
 * PromoteReadReplica, CreateDBInstanceReadReplica. Lists use RDS's own member names (<DBInstance>, ...). */
#include "sim/service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The region index of the request (-1: a region without a stack). */
static int req_region(struct sim_ctx *ctx)
{
	return sim_world_region(ctx->world, ctx->region);
}

/* Does db replicate from src? (same region: by id; cross-region: by ARN) */
static bool replicates_from(const struct sim_db *db, const struct sim_db *src)
{
	if (db->role != SIM_DB_REPLICA)
		return false;
	return strcmp(db->source_arn, src->arn) == 0 ||
	       (db->region == src->region && strcmp(db->source_arn, src->id) == 0);
}

/* The DbiResourceId of db. */
static void resource_id(const struct sim_db *db, char out[40])
{
	snprintf(out, 40, "db-%.26s", db->endpoint + strlen(db->id) + 2);
}

/* One DBInstance. */
static json_t *db_json(struct sim_ctx *ctx, const struct sim_db *db)
{
	const struct sim_world *w = ctx->world;
	json_t *o, *replicas = json_array();
	char rid[40];
	size_t r, i;

	for (r = 0; r < w->n_regions; r++)
		for (i = 0; i < w->regions[r].n_dbs; i++) {
			const struct sim_db *x = &w->regions[r].dbs[i];
			if (replicates_from(x, db))
				json_array_append_new(replicas, json_string(x->region == db->region ? x->id : x->arn));
		}
	resource_id(db, rid);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:i, s:s}, s:i, s:o, s:s, s:i, s:[],"
		      " s:[{s:s, s:s}], s:[{s:s, s:s}], s:s, s:s, s:b, s:s, s:b, s:o, s:s, s:b, s:s, s:i,"
		      " s:b, s:s, s:s, s:b, s:b}",
		      "DBInstanceIdentifier", db->id, "DBInstanceClass", db->instance_class, "Engine", db->engine,
		      "DBInstanceStatus", db->status, "MasterUsername", "petclinic", "DBName", "petclinic",
		      "Endpoint", "Address", db->endpoint, "Port", db->port, "HostedZoneId", "ZLA2NUCOLGUUR",
		      "AllocatedStorage", db->storage_gb, "InstanceCreateTime", sim_out_time(db->created_s),
		      "PreferredBackupWindow", "18:00-18:30",
		      "BackupRetentionPeriod", db->role == SIM_DB_REPLICA ? 0 : 7, "DBSecurityGroups",
		      "VpcSecurityGroups", "VpcSecurityGroupId", "sg-0db0flightdeck01", "Status", "active",
		      "DBParameterGroups", "DBParameterGroupName", "default.mysql8.0", "ParameterApplyStatus", "in-sync",
		      "AvailabilityZone", db->az, "PreferredMaintenanceWindow", "sun:19:00-sun:19:30",
		      "MultiAZ", db->multi_az, "EngineVersion", db->engine_version, "AutoMinorVersionUpgrade", 1,
		      "ReadReplicaDBInstanceIdentifiers", replicas, "LicenseModel", "general-public-license",
		      "PubliclyAccessible", 0, "StorageType", "gp3", "DbInstancePort", 0, "StorageEncrypted", 1,
		      "DbiResourceId", rid, "DBInstanceArn", db->arn, "IAMDatabaseAuthenticationEnabled", 0,
		      "DeletionProtection", 1);
	/* a stopped replication (replica-lag:-1, or its source's region down) is Status error, Normal false:
	 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstanceStatusInfo.html */
	if (db->role == SIM_DB_REPLICA) {
		bool stopped = db->replica_lag_s < 0;
		int sr = sim_world_db_source_region(w, db);
		char msg[SIM_ARN_MAX + 96];
		json_t *info = json_pack("{s:s, s:b, s:s}", "StatusType", "read replication", "Normal", !stopped,
					 "Status", stopped ? "error" : "replicating");
		/* a source in a region that is down: unreachable, not an SQL error on the replica */
		if (sr >= 0 && !w->regions[sr].up)
			snprintf(msg, sizeof(msg), "Replication has stopped: the source DB instance %s is unreachable.",
				 db->source_arn);
		else
			snprintf(msg, sizeof(msg), "Replication has stopped: the replica's SQL thread is not running.");
		if (stopped)
			json_object_set_new(info, "Message", json_string(msg));
		json_object_set_new(o, "ReadReplicaSourceDBInstanceIdentifier", json_string(db->source_arn));
		json_object_set_new(o, "StatusInfos", json_pack("[o]", info));
	}
	return o;
}

/* Does db pass every filter (db-cluster-id, db-instance-id, dbi-resource-id, domain,
 * engine; a filter's values ORed)? The sim has no clusters and no directories. */
static bool db_matches(const struct sim_db *db, const struct sim_filter *f, size_t n)
{
	char rid[40];

	resource_id(db, rid);
	for (size_t k = 0; k < n; k++) {
		bool hit = false;
		if (strcmp(f[k].name, "db-instance-id") == 0)
			hit = sim_filter_has(&f[k], db->id) || sim_filter_has(&f[k], db->arn);
		else if (strcmp(f[k].name, "dbi-resource-id") == 0)
			hit = sim_filter_has(&f[k], rid);
		else if (strcmp(f[k].name, "engine") == 0)
			hit = sim_filter_has(&f[k], db->engine);
		if (!hit)
			return false;
	}
	return true;
}

/* DescribeDBInstances: one by identifier, or all, with Filters.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBInstances.html */
static int describe_dbs(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *id = sim_in_str(in, "DBInstanceIdentifier");
	int ri = req_region(ctx);
	struct sim_pager pg;
	struct sim_filter filters[SIM_FILTERS_MAX];
	size_t n_filters = sim_in_filters(in, "Filters", filters, SIM_FILTERS_MAX), i;
	json_t *list;

	if (sim_in_pager(ctx, resp, in, "Marker", "InvalidParameterValue", "MaxRecords", &pg) < 0)
		return 0;
	for (i = 0; i < n_filters; i++) {
		static const char *const known[] = { "db-cluster-id", "db-instance-id", "dbi-resource-id", "domain",
			"engine", NULL };
		size_t k;
		for (k = 0; known[k] && strcmp(known[k], filters[i].name) != 0; k++)
			;
		if (!known[k])
			return sim_error(ctx, resp, 400, "InvalidParameterValue", "Unrecognized filter name: %.64s",
					 filters[i].name);
		if (filters[i].n_values == 0)
			return sim_error(ctx, resp, 400, "InvalidParameterCombination",
					 "The filter %.64s needs at least one value", filters[i].name);
	}
	if (id) {
		struct sim_db *db = ri >= 0 ? sim_world_db(ctx->world, ri, id) : NULL;
		if (!db || db->region != ri)
			return sim_error(ctx, resp, 404, "DBInstanceNotFound", "DBInstance %.64s not found.", id);
	}
	list = json_array();
	for (i = 0; ri >= 0 && i < ctx->world->regions[ri].n_dbs; i++) {
		const struct sim_db *db = &ctx->world->regions[ri].dbs[i];
		if ((!id || strcmp(db->id, id) == 0 || strcmp(db->arn, id) == 0) && db_matches(db, filters, n_filters) &&
		    sim_pager_take(&pg))
			json_array_append_new(list, db_json(ctx, db));
	}
	*out = json_pack("{s:o}", "DBInstances", list);
	sim_out_token(*out, &pg, "Marker");
	return 0;
}

static int promote(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *id = sim_in_require(ctx, resp, in, "DBInstanceIdentifier", "MissingParameter");
	int ri = req_region(ctx);
	struct sim_db *db;
	struct fd_error err;
	long retention;

	if (!id)
		return 0;
	if (sim_in_int(ctx, resp, in, "BackupRetentionPeriod", 0, 35, 1, &retention) < 0)
		return 0;
	db = ri >= 0 ? sim_world_db(ctx->world, ri, id) : NULL;
	if (!db || db->region != ri)
		return sim_error(ctx, resp, 404, "DBInstanceNotFound", "DBInstance %.64s not found.", id);
	fd_error_clear(&err);
	if (sim_world_promote(ctx->world, db, &err) < 0)
		return sim_error(ctx, resp, 400, err.code, "%s", err.message);
	*out = json_pack("{s:o}", "DBInstance", db_json(ctx, db));
	return 0;
}

/* CreateDBInstanceReadReplica: a replica in the request's region of a source named by
 * id (same region) or ARN (cross-region). */
static int create_replica(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *id = sim_in_require(ctx, resp, in, "DBInstanceIdentifier", "MissingParameter");
	const char *src_id = id ? sim_in_require(ctx, resp, in, "SourceDBInstanceIdentifier", "MissingParameter") : NULL;
	int ri = req_region(ctx);
	struct sim_db *src = NULL;
	struct fd_error err;
	size_t r;

	if (!id || !src_id)
		return 0;
	if (ri < 0)
		return sim_error(ctx, resp, 400, "InvalidParameterValue", "No stack in region %s.", ctx->region);
	for (r = 0; r < ctx->world->n_regions && !src; r++) {
		struct sim_db *d = sim_world_db(ctx->world, (int)r, src_id);
		if (d && (strcmp(d->arn, src_id) == 0 || d->region == ri))
			src = d;
	}
	if (!src)
		return sim_error(ctx, resp, 404, "DBInstanceNotFound", "DBInstance %.64s not found.", src_id);
	fd_error_clear(&err);
	if (sim_world_create_replica(ctx->world, ri, id, src, sim_in_str(in, "DBInstanceClass"), &err) < 0)
		return sim_error(ctx, resp, 400, err.code, "%s", err.message);
	*out = json_pack("{s:o}", "DBInstance",
			 db_json(ctx, &ctx->world->regions[ri].dbs[ctx->world->regions[ri].n_dbs - 1]));
	return 0;
}

static const struct sim_shaped_op rds_ops[] = {
	{ .name = "DescribeDBInstances", .fn = describe_dbs },
	{ .name = "PromoteReadReplica", .fn = promote },
	{ .name = "CreateDBInstanceReadReplica", .fn = create_replica },
	{ .name = NULL },
};

int sim_rds_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	return sim_dispatch_shaped(ctx, req, resp, rds_ops);
}
