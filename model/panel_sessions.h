/* panel_sessions.h — the sessions panel: the ElastiCache Redis replication groups
 * that hold the HTTP sessions, their nodes' roles and state, failover events and
 * the AWS/ElastiCache figures of each node.
 *
 * Parsers read one operation's botocore-shaped result into fresh arrays the
 * caller owns; a wrong shape fails with "ParseError" and leaves the outputs
 * untouched. Figures are NAN until CloudWatch has a datapoint (never 0).
 */
#ifndef FD_PANEL_SESSIONS_H
#define FD_PANEL_SESSIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "base/error.h"

/* The AWS/ElastiCache metrics the panel reads per node (CacheClusterId). */
enum model_cache_metric {
	MODEL_CACHE_EVICTIONS,          /* Sum per minute: keys (sessions) evicted */
	MODEL_CACHE_CONNECTIONS,        /* CurrConnections */
	MODEL_CACHE_REPLICATION_LAG,    /* ReplicationLag (s), replicas only */
	MODEL_CACHE_CPU,                /* EngineCPUUtilization (%) */
	MODEL_CACHE_MEMORY,             /* DatabaseMemoryUsagePercentage */
	MODEL_CACHE_HIT_RATE,           /* CacheHitRate (%) */
	MODEL_CACHE_METRIC_COUNT
};

struct model_cache_node {
	char *cluster_id;           /* petclinic-redis-001 */
	char *node_id;              /* 0001 */
	char *role;                 /* CurrentRole: primary | replica; NULL unknown */
	char *status;               /* CacheClusterStatus (DescribeCacheClusters); NULL unknown */
	char *node_status;          /* CacheNodeStatus */
	char *az;
	double figures[MODEL_CACHE_METRIC_COUNT];
};

struct model_cache_group {
	char *id;
	char *status;               /* available, modifying, ... */
	char *global_id;            /* Global Datastore, NULL when not a member */
	char *global_role;          /* primary | secondary */
	bool auto_failover;         /* AutomaticFailover enabled */
	bool multi_az;
	struct model_cache_node *nodes;
	size_t n_nodes;
};

struct model_cache_event {
	time_t at;
	char *source;
	char *type;
	char *message;
	bool failover;              /* a failover or node replacement */
};

struct model_sessions {
	struct model_cache_group *groups;
	size_t n_groups;
	struct model_cache_event *events;   /* newest first */
	size_t n_events;
	time_t metrics_at;          /* when the figures were read; 0 never */
	time_t metrics_newest;      /* the start of their newest datapoint; 0 none */
};

/* DescribeReplicationGroups: groups with their members (roles) as nodes. */
int panel_sessions_parse_groups(const json_t *res, struct model_cache_group **out, size_t *n,
				struct fd_error *err);
/* DescribeCacheClusters (ShowCacheNodeInfo): set status, node status and AZ of the
 * groups' nodes. */
int panel_sessions_parse_clusters(const json_t *res, struct model_cache_group *groups, size_t n,
				  struct fd_error *err);
/* DescribeEvents, newest first. */
int panel_sessions_parse_events(const json_t *res, struct model_cache_event **out, size_t *n,
				struct fd_error *err);

/* The CloudWatch metric name of a figure ("Evictions"). */
const char *panel_sessions_metric_name(enum model_cache_metric k);
/* The primary node of a group, NULL when none says so. Borrowed. */
const struct model_cache_node *panel_sessions_primary(const struct model_cache_group *g);

void panel_sessions_groups_free(struct model_cache_group *v, size_t n);
void panel_sessions_events_free(struct model_cache_event *v, size_t n);
void panel_sessions_clean_up(struct model_sessions *s);

#endif
