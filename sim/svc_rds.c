/* svc_rds.c — RDS (query 2014-10-31): DescribeDBInstances (Marker paging) and
 * PromoteReadReplica, CreateDBInstanceReadReplica. Lists use RDS's own member names (<DBInstance>, ...). */
#include "sim/service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The region index of the request (-1: a region without a stack). */
static int req_region(struct sim_ctx *ctx, const struct sim_req *req)
{
	return sim_world_region(ctx->world, req->region);
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

/* One <DBInstance>. */
static void db_xml(struct sim_ctx *ctx, struct strbuf *b, const struct sim_db *db)
{
	const struct sim_world *w = ctx->world;
	size_t r, i;

	strbuf_adds(b, "\n      <DBInstance>");
	sim_xml_elem(b, "DBInstanceIdentifier", db->id);
	sim_xml_elem(b, "DBInstanceClass", db->instance_class);
	sim_xml_elem(b, "Engine", db->engine);
	sim_xml_elem(b, "DBInstanceStatus", db->status);
	sim_xml_elem(b, "MasterUsername", "petclinic");
	sim_xml_elem(b, "DBName", "petclinic");
	strbuf_adds(b, "<Endpoint>");
	sim_xml_elem(b, "Address", db->endpoint);
	sim_xml_elemf(b, "Port", "%d", db->port);
	sim_xml_elem(b, "HostedZoneId", "ZLA2NUCOLGUUR");
	strbuf_adds(b, "</Endpoint>");
	sim_xml_elemf(b, "AllocatedStorage", "%d", db->storage_gb);
	sim_xml_time(b, "InstanceCreateTime", db->created_s);
	sim_xml_elem(b, "PreferredBackupWindow", "18:00-18:30");
	sim_xml_elem(b, "BackupRetentionPeriod", db->role == SIM_DB_REPLICA ? "0" : "7");
	strbuf_adds(b, "<DBSecurityGroups/><VpcSecurityGroups><VpcSecurityGroupMembership>");
	sim_xml_elem(b, "VpcSecurityGroupId", "sg-0db0flightdeck01");
	sim_xml_elem(b, "Status", "active");
	strbuf_adds(b, "</VpcSecurityGroupMembership></VpcSecurityGroups>");
	strbuf_adds(b, "<DBParameterGroups><DBParameterGroup>");
	sim_xml_elem(b, "DBParameterGroupName", "default.mysql8.0");
	sim_xml_elem(b, "ParameterApplyStatus", "in-sync");
	strbuf_adds(b, "</DBParameterGroup></DBParameterGroups>");
	sim_xml_elem(b, "AvailabilityZone", db->az);
	sim_xml_elem(b, "PreferredMaintenanceWindow", "sun:19:00-sun:19:30");
	sim_xml_elem(b, "MultiAZ", db->multi_az ? "true" : "false");
	sim_xml_elem(b, "EngineVersion", db->engine_version);
	sim_xml_elem(b, "AutoMinorVersionUpgrade", "true");
	if (db->role == SIM_DB_REPLICA)
		sim_xml_elem(b, "ReadReplicaSourceDBInstanceIdentifier", db->source_arn);
	strbuf_adds(b, "<ReadReplicaDBInstanceIdentifiers>");
	for (r = 0; r < w->n_regions; r++)
		for (i = 0; i < w->regions[r].n_dbs; i++) {
			const struct sim_db *o = &w->regions[r].dbs[i];
			if (replicates_from(o, db))
				sim_xml_elem(b, "ReadReplicaDBInstanceIdentifier",
					     o->region == db->region ? o->id : o->arn);
		}
	strbuf_adds(b, "</ReadReplicaDBInstanceIdentifiers>");
	sim_xml_elem(b, "LicenseModel", "general-public-license");
	sim_xml_elem(b, "PubliclyAccessible", "false");
	/* a stopped replication (replica-lag:-1) is Status error, Normal false:
	 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstanceStatusInfo.html */
	if (db->role == SIM_DB_REPLICA) {
		bool stopped = db->replica_lag_s < 0;
		strbuf_adds(b, "<StatusInfos><DBInstanceStatusInfo>");
		sim_xml_elem(b, "StatusType", "read replication");
		sim_xml_elem(b, "Normal", stopped ? "false" : "true");
		sim_xml_elem(b, "Status", stopped ? "error" : "replicating");
		if (stopped)
			sim_xml_elem(b, "Message", "Replication has stopped: the replica's SQL thread is not running.");
		strbuf_adds(b, "</DBInstanceStatusInfo></StatusInfos>");
	}
	sim_xml_elem(b, "StorageType", "gp3");
	sim_xml_elem(b, "DbInstancePort", "0");
	sim_xml_elem(b, "StorageEncrypted", "true");
	{
		char rid[40];
		resource_id(db, rid);
		sim_xml_elem(b, "DbiResourceId", rid);
	}
	sim_xml_elem(b, "DBInstanceArn", db->arn);
	sim_xml_elem(b, "IAMDatabaseAuthenticationEnabled", "false");
	sim_xml_elem(b, "DeletionProtection", "true");
	strbuf_adds(b, "</DBInstance>");
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
static int describe_dbs(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	const char *id = sim_param(req, "DBInstanceIdentifier");
	int ri = req_region(ctx, req);
	struct strbuf *b = &resp->body;
	struct sim_pager pg;
	size_t i;

	struct sim_filter filters[SIM_FILTERS_MAX];
	size_t n_filters = sim_filters(req, "Filters.Filter", "Value", filters, SIM_FILTERS_MAX);

	if (sim_pager_begin(ctx, req, resp, "Marker", "InvalidParameterValue", "MaxRecords", &pg) < 0)
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
	sim_query_begin(ctx, resp, "DescribeDBInstances");
	strbuf_adds(b, "    <DBInstances>");
	for (i = 0; ri >= 0 && i < ctx->world->regions[ri].n_dbs; i++) {
		const struct sim_db *db = &ctx->world->regions[ri].dbs[i];
		if ((id && strcmp(db->id, id) != 0 && strcmp(db->arn, id) != 0) || !db_matches(db, filters, n_filters))
			continue;
		if (!sim_pager_take(&pg))
			continue;
		db_xml(ctx, b, db);
	}
	sim_pager_end(b, &pg, "DBInstances", "Marker");
	sim_query_end(ctx, resp, "DescribeDBInstances");
	return 0;
}

static int promote(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	const char *id = sim_require(ctx, req, resp, "DBInstanceIdentifier", "MissingParameter");
	int ri = req_region(ctx, req);
	struct sim_db *db;
	struct fd_error err;
	long retention;

	if (!id)
		return 0;
	if (sim_param_int(ctx, req, resp, "BackupRetentionPeriod", 0, 35, 1, &retention) < 0)
		return 0;
	db = ri >= 0 ? sim_world_db(ctx->world, ri, id) : NULL;
	if (!db || db->region != ri)
		return sim_error(ctx, resp, 404, "DBInstanceNotFound", "DBInstance %.64s not found.", id);
	fd_error_clear(&err);
	if (sim_world_promote(ctx->world, db, &err) < 0)
		return sim_error(ctx, resp, 400, err.code, "%s", err.message);
	sim_query_begin(ctx, resp, "PromoteReadReplica");
	db_xml(ctx, &resp->body, db);
	sim_query_end(ctx, resp, "PromoteReadReplica");
	return 0;
}

/* CreateDBInstanceReadReplica: a replica in the request's region of a source named by
 * id (same region) or ARN (cross-region). */
static int create_replica(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	const char *id = sim_require(ctx, req, resp, "DBInstanceIdentifier", "MissingParameter");
	const char *src_id = id ? sim_require(ctx, req, resp, "SourceDBInstanceIdentifier", "MissingParameter") : NULL;
	int ri = req_region(ctx, req);
	struct sim_db *src = NULL;
	struct fd_error err;
	size_t r;

	if (!id || !src_id)
		return 0;
	if (ri < 0)
		return sim_error(ctx, resp, 400, "InvalidParameterValue", "No stack in region %s.", req->region);
	for (r = 0; r < ctx->world->n_regions && !src; r++) {
		struct sim_db *d = sim_world_db(ctx->world, (int)r, src_id);
		if (d && (strcmp(d->arn, src_id) == 0 || d->region == ri))
			src = d;
	}
	if (!src)
		return sim_error(ctx, resp, 404, "DBInstanceNotFound", "DBInstance %.64s not found.", src_id);
	fd_error_clear(&err);
	if (sim_world_create_replica(ctx->world, ri, id, src, sim_param(req, "DBInstanceClass"), &err) < 0)
		return sim_error(ctx, resp, 400, err.code, "%s", err.message);
	sim_query_begin(ctx, resp, "CreateDBInstanceReadReplica");
	db_xml(ctx, &resp->body, &ctx->world->regions[ri].dbs[ctx->world->regions[ri].n_dbs - 1]);
	sim_query_end(ctx, resp, "CreateDBInstanceReadReplica");
	return 0;
}

static const struct sim_op rds_ops[] = {
	{ .name = "DescribeDBInstances", .mutating = false, .fn = describe_dbs },
	{ .name = "PromoteReadReplica", .mutating = true, .fn = promote },
	{ .name = "CreateDBInstanceReadReplica", .mutating = true, .fn = create_replica },
	{ .name = NULL },
};

int sim_rds_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	return sim_dispatch_query(ctx, req, resp, rds_ops);
}
