/* panel_rds.h — the RDS panel: DB instances (their metrics come from the metrics panel).
 *
 * Parsers read one operation's botocore-shaped result and build fresh arrays
 * the caller swaps in; a result of the wrong shape fails with "ParseError" and
 * leaves the outputs untouched. `now` stamps fetched_at. Arrays and strings
 * belong to whoever holds them and are freed with the _free functions here.
 */
#ifndef FD_PANEL_RDS_H
#define FD_PANEL_RDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "base/error.h"

struct model;
struct model_region;

struct model_db {
	char *id;
	char *engine;
	char *status;
	char *instance_class;
	char *az;
	char *endpoint;
	char *source_id;            /* ReadReplicaSourceDBInstanceIdentifier: set on replicas (an ARN across regions) */
	bool is_replica;
	bool multi_az;
	size_t n_replicas;          /* ReadReplicaDBInstanceIdentifiers: its replicas, any region */
	/* StatusInfos' "read replication" entry (replicas only): Status ("replicating",
	 * "error", "stopped", "terminated", ...), Normal and Message; NULL / false when absent. */
	char *repl_status;
	char *repl_message;
	bool repl_normal;
	double read_latency_ms;     /* CloudWatch ReadLatency (seconds in AWS) * 1000 */
	double replica_lag_s;       /* CloudWatch ReplicaLag; -1 (any negative): replication not running */
	time_t fetched_at;
	time_t metrics_at;
};


/* DescribeDBInstances. */
int panel_rds_parse(const json_t *res, time_t now, struct model_db **out, size_t *n, struct fd_error *err);

void panel_rds_free(struct model_db *v, size_t n);

#endif
