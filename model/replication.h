/* replication.h — what the database replication looks like: each DB instance's
 * role (writer, replica, standalone) and, for a replica, whether it replicates
 * and how far behind it is; and one figure per region for the overview.
 *
 * Fail closed: a replica whose StatusInfos say anything but "replicating" and
 * Normal, or whose ReplicaLag is negative (RDS reports -1 when replication is not
 * running), is BROKEN, never 0 s behind; a replica without StatusInfos or without
 * a ReplicaLag datapoint is unknown. A writer whose replicas are gone (after a
 * promotion) is a warning when the model has a second region: there is no DR copy.
 * Pure functions over the model; nothing here makes a call.
 */
#ifndef FD_REPLICATION_H
#define FD_REPLICATION_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

#include "model/model.h"

/* Lag above these is a warning / bad (the sim's and the runbooks' defaults:
 * the 30 s replica alarm, dr-failover's max_replica_lag_s). */
#define REPLICATION_LAG_WARN_S 30.0
#define REPLICATION_LAG_BAD_S 300.0

enum replication_role {
	REPLICATION_STANDALONE,     /* no source, no replica (a promoted replica) */
	REPLICATION_WRITER,         /* has read replicas */
	REPLICATION_REPLICA,
};

enum replication_state {
	REPLICATION_NONE,           /* not a replica */
	REPLICATION_OK,
	REPLICATION_LAGGING,        /* replicating, lag above REPLICATION_LAG_WARN_S */
	REPLICATION_BROKEN,         /* not running: StatusInfos or ReplicaLag -1 */
	REPLICATION_UNKNOWN,        /* no StatusInfos or no lag datapoint yet */
};

struct replication {
	enum replication_role role;
	enum replication_state state;
	enum model_sev sev;
	char text[112];             /* "replica of petclinic-db@ap-northeast-2, 0.6 s behind" */
	char brief[32];             /* for a 28-column cell: "replica 0.6 s behind" */
};

/* The replication of one DB instance (n_regions: how many regions the model has). */
void replication_of_db(const struct model_db *d, size_t n_regions, struct replication *out);
/* One region's figure: its replicas' worst state, else its writer's; UNKNOWN
 * before the rds panel has data. */
void replication_of_region(const struct model *m, size_t r, struct replication *out);

/* The snapshot's "replication" section (docs/snapshot-schema.md): one object per
 * DB instance of every region. New reference. */
json_t *replication_json(const struct model *m, time_t now);

/* "writer", "replica", "standalone". */
const char *replication_role_name(enum replication_role r);
/* "none", "ok", "lagging", "broken", "unknown". */
const char *replication_state_name(enum replication_state s);
/* A source identifier for people: "ID" or, for an ARN, "ID@REGION". */
const char *replication_source_text(const char *source, char *buf, size_t size);

#endif
