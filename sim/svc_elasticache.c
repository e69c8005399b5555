/* svc_elasticache.c — ElastiCache (query 2015-02-02) through the shape-driven codec:
 * DescribeReplicationGroups, DescribeCacheClusters, DescribeEvents.
 *
 * Every region with a stack has one Redis replication group holding the HTTP
 * sessions, "petclinic-sessions", with a primary and a replica node (clusters
 * petclinic-redis-001 and -002, one node 0001 each), members of a Global
 * Datastore: the primary region's group is its primary, the others secondary.
 * The redis-failover:REGION fault (sim_elasticache_failover) promotes the
 * replica, replaces the old primary's node (its status "modifying", then
 * "available" as a replica after the replacement time) and leaves the events
 * ElastiCache writes for it. Sessions survive a failover to a replica in sync;
 * a failover while the replica is still being replaced (a node replaced without
 * replication) promotes an empty node: the region's sessions are lost
 * (redis.losses, which the traffic model turns into SessionLossRate, a falling
 * CacheHitRate and an emptied DatabaseMemoryUsagePercentage). The group's state
 * is the world's (sim_region.redis); the events are kept here.
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DescribeReplicationGroups.html
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ElastiCacheSNS.html (event messages) */
#include "sim/elasticache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "sim/service.h"

#define GROUP_ID "petclinic-sessions"
#define GLOBAL_ID "ldgnf-petclinic-sessions"
#define EVENTS_MAX 64
#define NODES 2
#define REPLACE_S 300.0         /* an AWS node replacement, in AWS seconds */

struct ec_event {
	int region;
	double at_s;
	char source[SIM_NAME_MAX];
	char type[24];              /* cache-cluster, replication-group */
	char message[200];
};

/* The ElastiCache state of one world (found by its address, start and seed). */
struct ec_state {
	const struct sim_world *w;
	double start_s;
	uint64_t seed;
	struct ec_event events[EVENTS_MAX];   /* oldest first */
	size_t n_events;
};

static struct ec_state states[4];

/* The state of w, made on first use (the oldest slot is reused). */
static struct ec_state *state_of(const struct sim_world *w)
{
	size_t i, k = 0;

	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (states[i].w == w && states[i].start_s == w->start_s && states[i].seed == w->seed)
			return &states[i];
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (!states[i].w || states[i].start_s < states[k].start_s)
			k = i;
	memset(&states[k], 0, sizeof(states[k]));
	states[k].w = w;
	states[k].start_s = w->start_s;
	states[k].seed = w->seed;
	return &states[k];
}

static void add_event(struct ec_state *s, int region, double at_s, const char *type, const char *source,
		      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void add_event(struct ec_state *s, int region, double at_s, const char *type, const char *source,
		      const char *fmt, ...)
{
	struct ec_event *e;
	va_list ap;

	if (s->n_events == EVENTS_MAX) {
		memmove(s->events, s->events + 1, (EVENTS_MAX - 1) * sizeof(*s->events));
		s->n_events--;
	}
	e = &s->events[s->n_events++];
	e->region = region;
	e->at_s = at_s;
	snprintf(e->type, sizeof(e->type), "%s", type);
	snprintf(e->source, sizeof(e->source), "%s", source);
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
}

/* The cluster id of node k ("petclinic-redis-001"). */
static void node_id(int k, char out[32])
{
	snprintf(out, 32, "petclinic-redis-%03d", k + 1);
}

int sim_elasticache_failover(struct sim_world *w, int region, struct fd_error *err)
{
	struct ec_state *s = state_of(w);
	struct sim_redis *g;
	char old[32], new[32];
	bool synced;

	if (region < 0 || (size_t)region >= w->n_regions)
		return fd_error_set(err, "InvalidFault", "no region with a replication group");
	g = &w->regions[region].redis;
	/* the replica is in sync unless it is the node still being replaced */
	synced = !(g->replaced_until_s > w->now_s && g->replaced == 1 - g->primary);
	node_id(g->primary, old);
	g->replaced = g->primary;
	g->primary = 1 - g->primary;
	node_id(g->primary, new);
	g->replaced_until_s = w->now_s + sim_world_dur(w, REPLACE_S);
	if (!synced) {
		g->losses++;
		g->lost_s = w->now_s;
	}
	add_event(s, region, w->now_s, "replication-group", GROUP_ID,
		  "Failover from primary node %s to replica node %s completed", old, new);
	add_event(s, region, w->now_s, "cache-cluster", old, "Cache node 0001 is being replaced");
	add_event(s, region, w->now_s + 1e-3, "replication-group", GROUP_ID, "Failover to replica node %s completed", new);
	return 0;
}

/* Finish node replacements that are due (their event at the time they finished). */
static void tick(struct ec_state *s, struct sim_world *w)
{
	for (size_t r = 0; r < w->n_regions; r++) {
		struct sim_redis *g = &w->regions[r].redis;
		char id[32];
		if (!g->replaced_until_s || g->replaced_until_s > w->now_s)
			continue;
		node_id(g->replaced, id);
		add_event(s, (int)r, g->replaced_until_s, "cache-cluster", id, "Finished replacement of cache node 0001");
		g->replaced_until_s = 0;
	}
}

/* The request's region index, -1 without a stack. */
static int region_of(struct sim_ctx *ctx)
{
	return ctx->region ? sim_world_region(ctx->world, ctx->region) : -1;
}

/* Is node k of region r being replaced now? */
static bool replacing(const struct sim_redis *g, int k, double now_s)
{
	return g->replaced_until_s > now_s && g->replaced == k;
}

/* One ReplicationGroup. */
static json_t *group_json(struct sim_ctx *ctx, int r)
{
	const struct sim_world *w = ctx->world;
	const struct sim_redis *g = &w->regions[r].redis;
	json_t *members = json_array(), *clusters = json_array();
	char id[32], ep[160];

	for (int k = 0; k < NODES; k++) {
		char az[40];
		node_id(k, id);
		snprintf(ep, sizeof(ep), "%s.abc123.0001.%s.cache.amazonaws.com", id, w->regions[r].name);
		snprintf(az, sizeof(az), "%s%c", w->regions[r].name, k ? 'c' : 'a');
		json_array_append_new(clusters, json_string(id));
		json_array_append_new(members, json_pack("{s:s, s:s, s:{s:s, s:i}, s:s, s:s}", "CacheClusterId", id,
							 "CacheNodeId", "0001", "ReadEndpoint", "Address", ep, "Port", 6379,
							 "PreferredAvailabilityZone", az,
							 "CurrentRole", k == g->primary ? "primary" : "replica"));
	}
	return json_pack("{s:s, s:s, s:{s:s, s:s}, s:s, s:o, s:[{s:s, s:s, s:s, s:{s:s, s:i}, s:o}], s:s, s:s,"
			 " s:s, s:b, s:b, s:b}",
			 "ReplicationGroupId", GROUP_ID, "Description", "petclinic HTTP sessions",
			 "GlobalReplicationGroupInfo", "GlobalReplicationGroupId", GLOBAL_ID,
			 "GlobalReplicationGroupMemberRole", w->regions[r].primary ? "primary" : "secondary",
			 "Status", g->replaced_until_s > w->now_s ? "modifying" : "available",
			 "MemberClusters", clusters,
			 "NodeGroups", "NodeGroupId", "0001", "Status", g->replaced_until_s > w->now_s ? "modifying" : "available",
			 "Slots", "0-16383", "PrimaryEndpoint", "Address", "master.petclinic-sessions.abc123.cache.amazonaws.com",
			 "Port", 6379, "NodeGroupMembers", members,
			 "AutomaticFailover", "enabled", "MultiAZ", "enabled", "CacheNodeType", "cache.r6g.large",
			 "ClusterEnabled", false, "TransitEncryptionEnabled", true, "AtRestEncryptionEnabled", true);
}

/* DescribeReplicationGroups: the region's group (or the one named). */
static int describe_groups(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *id = sim_in_str(in, "ReplicationGroupId");
	int r = region_of(ctx);
	json_t *list;
	char arn[SIM_ARN_MAX];
	struct sim_pager pg;

	if (sim_in_pager(ctx, resp, in, "Marker", "InvalidParameterValue", "MaxRecords", &pg) < 0)
		return 0;
	tick(state_of(ctx->world), ctx->world);
	if (id && (r < 0 || strcmp(id, GROUP_ID) != 0))
		return sim_error(ctx, resp, 404, "ReplicationGroupNotFoundFault", "ReplicationGroup %.64s not found.", id);
	list = json_array();
	if (r >= 0 && sim_pager_take(&pg)) {
		json_t *g = group_json(ctx, r);
		snprintf(arn, sizeof(arn), "arn:aws:elasticache:%s:%s:replicationgroup:%s", ctx->world->regions[r].name,
			 ctx->world->account, GROUP_ID);
		json_object_set_new(g, "ARN", json_string(arn));
		json_array_append_new(list, g);
	}
	*out = json_pack("{s:o}", "ReplicationGroups", list);
	sim_out_token(*out, &pg, "Marker");
	return 0;
}

/* DescribeCacheClusters: the group's member clusters (nodes with ShowCacheNodeInfo). */
static int describe_clusters(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *want = sim_in_str(in, "CacheClusterId");
	bool nodes = sim_in_bool(in, "ShowCacheNodeInfo", false);
	int r = region_of(ctx);
	const struct sim_redis *g;
	json_t *list;
	char id[32], az[40];
	struct sim_pager pg;
	bool found = false;

	if (sim_in_pager(ctx, resp, in, "Marker", "InvalidParameterValue", "MaxRecords", &pg) < 0)
		return 0;
	list = json_array();
	tick(state_of(ctx->world), ctx->world);
	for (int k = 0; r >= 0 && k < NODES; k++) {
		json_t *c;
		g = &ctx->world->regions[r].redis;
		node_id(k, id);
		if (want && strcmp(want, id) != 0)
			continue;
		found = true;
		if (!sim_pager_take(&pg))
			continue;
		snprintf(az, sizeof(az), "%s%c", ctx->world->regions[r].name, k ? 'c' : 'a');
		c = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:s}", "CacheClusterId", id,
			      "CacheNodeType", "cache.r6g.large", "Engine", "redis", "EngineVersion", "7.1.0",
			      "CacheClusterStatus", replacing(g, k, ctx->world->now_s) ? "modifying" : "available",
			      "NumCacheNodes", 1, "PreferredAvailabilityZone", az,
			      "CacheClusterCreateTime", sim_out_time(ctx->world->start_s - 86400 * 30),
			      "ReplicationGroupId", GROUP_ID);
		if (nodes)
			json_object_set_new(c, "CacheNodes", json_pack("[{s:s, s:s, s:o, s:s}]", "CacheNodeId", "0001",
				"CacheNodeStatus", replacing(g, k, ctx->world->now_s) ? "rebooting" : "available",
				"CacheNodeCreateTime", sim_out_time(ctx->world->start_s - 86400 * 30),
				"CustomerAvailabilityZone", az));
		json_array_append_new(list, c);
	}
	if (want && !found) {
		json_decref(list);
		return sim_error(ctx, resp, 404, "CacheClusterNotFound", "CacheCluster not found: %.64s", want);
	}
	*out = json_pack("{s:o}", "CacheClusters", list);
	sim_out_token(*out, &pg, "Marker");
	return 0;
}

/* DescribeEvents: newest first, the last Duration minutes (default 60, at most 14 days). */
static int describe_events(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct ec_state *s = state_of(ctx->world);
	const char *src = sim_in_str(in, "SourceIdentifier"), *type = sim_in_str(in, "SourceType");
	double from_s, to_s = ctx->world->now_s;
	long duration;
	json_t *list;
	struct sim_pager pg;

	if (sim_in_int(ctx, resp, in, "Duration", 1, 20160, 60, &duration) < 0 ||
	    sim_in_pager(ctx, resp, in, "Marker", "InvalidParameterValue", "MaxRecords", &pg) < 0)
		return 0;
	list = json_array();
	from_s = to_s - sim_world_dur(ctx->world, (double)duration * 60);
	if (sim_in_time(in, "StartTime", &from_s) < 0 || sim_in_time(in, "EndTime", &to_s) < 0) {
		json_decref(list);
		return sim_error(ctx, resp, 400, "InvalidParameterValue", "StartTime and EndTime must be timestamps");
	}
	int r = region_of(ctx);

	if (r < 0) {   /* events are the region's: this one has none */
		*out = json_pack("{s:o}", "Events", list);
		return 0;
	}
	tick(s, ctx->world);
	for (size_t i = s->n_events; i-- > 0;) {
		const struct ec_event *e = &s->events[i];
		if (e->region != r || e->at_s < from_s || e->at_s > to_s || (src && strcmp(src, e->source) != 0) ||
		    (type && strcmp(type, e->type) != 0) || !sim_pager_take(&pg))
			continue;
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:o}", "SourceIdentifier", e->source,
						      "SourceType", e->type, "Message", e->message,
						      "Date", sim_out_time(e->at_s)));
	}
	*out = json_pack("{s:o}", "Events", list);
	sim_out_token(*out, &pg, "Marker");
	return 0;
}

static const struct sim_shaped_op ec_ops[] = {
	{ .name = "DescribeReplicationGroups", .fn = describe_groups },
	{ .name = "DescribeCacheClusters", .fn = describe_clusters },
	{ .name = "DescribeEvents", .fn = describe_events },
	{ .name = NULL },
};

int sim_elasticache_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	return sim_dispatch_shaped(ctx, req, resp, ec_ops);
}

int sim_elasticache_primary(const struct sim_world *w, int region)
{
	if (region < 0 || (size_t)region >= w->n_regions)
		return -1;
	return w->regions[region].redis.primary;
}
