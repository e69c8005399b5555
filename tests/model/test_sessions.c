/* test_sessions.c — the sessions panel's parsers on fixtures read by aws-cli from the
 * simulator (checked against botocore's shapes by test_fixtures.sh), and the store
 * in words: no primary and evictions are bad, a recent failover a warning, nothing
 * read unknown (never "ok").
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_NodeGroupMember.html */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "model/model.h"
#include "model/sessions.h"
#include "model/verdict.h"
#include "tests/model/says.h"
#include "tests/tap.h"

static json_t *fixture(const char *name)
{
	char path[512];
	json_error_t e;
	json_t *j;

	snprintf(path, sizeof(path), "%s/tests/model/fixtures/%s", FD_SRCDIR, name);
	j = json_load_file(path, 0, &e);
	if (!j)
		fprintf(stderr, "# %s: %s\n", path, e.text);
	return j;
}

int main(void)
{
	struct model m;
	struct model_sessions *s;
	struct sessions_view sv;
	struct fd_error err;
	json_t *j;
	time_t now;

	model_init(&m, "ap-northeast-2", "ap-northeast-1");
	s = &m.regions[0].sessions;
	j = fixture("elasticache_describe_replication_groups.json");
	is_int(panel_sessions_parse_groups(j, &s->groups, &s->n_groups, &err), 0, "DescribeReplicationGroups parses");
	json_decref(j);
	is_int(s->n_groups, 1, "one group");
	is_str(s->groups[0].id, "petclinic-sessions", "its id");
	is_str(s->groups[0].global_role, "primary", "Global Datastore role");
	ok(s->groups[0].auto_failover && s->groups[0].multi_az, "automatic failover, multi-AZ");
	is_int(s->groups[0].n_nodes, 2, "two nodes");
	is_str(s->groups[0].nodes[0].role, "replica", "after the failover 001 is the replica");
	is_str(panel_sessions_primary(&s->groups[0])->cluster_id, "petclinic-redis-002", "and 002 the primary");
	ok(isnan(s->groups[0].nodes[0].figures[MODEL_CACHE_EVICTIONS]), "figures unknown before CloudWatch");
	j = fixture("elasticache_describe_cache_clusters.json");
	is_int(panel_sessions_parse_clusters(j, s->groups, s->n_groups, &err), 0, "DescribeCacheClusters parses");
	json_decref(j);
	is_str(s->groups[0].nodes[1].status, "available", "a node's cluster status");
	is_str(s->groups[0].nodes[1].node_status, "available", "its cache node's status");
	j = fixture("elasticache_describe_events.json");
	is_int(panel_sessions_parse_events(j, &s->events, &s->n_events, &err), 0, "DescribeEvents parses");
	json_decref(j);
	is_int(s->n_events, 4, "four events");
	ok(s->events[0].failover && s->events[3].failover, "replacements and failovers are failover events");
	ok(s->events[0].at >= s->events[3].at && s->events[3].at > 0, "newest first, with times");
	j = json_pack("{s:{}}", "ReplicationGroups");
	is_int(panel_sessions_parse_groups(j, &s->groups, &s->n_groups, &err), -1, "a group list that is not a list fails");
	json_decref(j);

	sessions_of_region(&m, 0, s->events[0].at + 60, &sv);
	is_str(sv.brief, "off (stack.sessions)", "a panel the config turned off says so");
	m.regions[0].status[MODEL_PANEL_SESSIONS].enabled = m.regions[1].status[MODEL_PANEL_SESSIONS].enabled = true;
	sessions_of_region(&m, 0, s->events[0].at + 60, &sv);
	ok(sv.sev == MODEL_SEV_UNKNOWN && strcmp(sv.brief, "-") == 0, "before the panel has fetched: unknown");
	m.regions[0].status[MODEL_PANEL_SESSIONS].fetched_at = now = s->events[0].at + 60;
	sessions_of_region(&m, 0, now, &sv);
	ok(sv.sev == MODEL_SEV_WARN, "a failover a minute ago: warning");
	is_str(sv.brief, "FAILOVER 1m ago", "in words");
	ok(says(&m, now, "PRIMARY REDIS FAILOVER 1m ago"), "the verdict says it");
	now += 2 * SESSIONS_RECENT_S;
	sessions_of_region(&m, 0, now, &sv);
	ok(sv.sev == MODEL_SEV_OK, "two hours later: ok");
	is_str(sv.brief, "primary + 1 replica", "the store in words");
	s->groups[0].nodes[0].figures[MODEL_CACHE_EVICTIONS] = 12;
	sessions_of_region(&m, 0, now, &sv);
	ok(sv.sev == MODEL_SEV_BAD, "evictions: sessions lost, bad");
	is_str(sv.brief, "EVICTING 12/min", "in words");
	s->groups[0].nodes[0].figures[MODEL_CACHE_EVICTIONS] = 0;
	free(s->groups[0].nodes[1].role);
	s->groups[0].nodes[1].role = xstrdup("replica");
	sessions_of_region(&m, 0, now, &sv);
	ok(sv.sev == MODEL_SEV_BAD && strcmp(sv.brief, "NO PRIMARY NODE") == 0, "no primary node: bad");
	model_summarize(&m);
	is_int(m.regions[0].summary.sev[MODEL_FIG_SESSIONS], MODEL_SEV_BAD, "the region's sessions figure");
	sessions_of_region(&m, 1, now, &sv);
	ok(sv.sev == MODEL_SEV_UNKNOWN, "the other region, never read: unknown");
	{
		json_t *js = sessions_json(&m, now);
		is_int(json_array_size(js), 2, "snapshot: one entry per region");
		is_str(json_string_value(json_object_get(json_array_get(js, 0), "severity")), "bad", "with its severity");
		json_t *node = json_array_get(json_object_get(json_array_get(json_object_get(json_array_get(js, 0), "groups"), 0),
							      "nodes"), 0);
		ok(json_is_null(json_object_get(json_object_get(node, "metrics"), "CacheHitRate")),
		   "an unknown figure is null, not 0");
		json_decref(js);
	}
	model_clean_up(&m);
	return done_testing();
}
