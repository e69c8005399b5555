#!/bin/sh
# ElastiCache (the Redis session store) end to end: aws-cli reads the sim's groups,
# clusters and events; the dashboard's collection asks for them in both regions and
# for the nodes' AWS/ElastiCache figures; redis-failover:REGION swaps the roles, and
# the snapshot shows the new primary, the failover events and a warning.
# https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DescribeReplicationGroups.html
# https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DescribeEvents.html
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
. "$FD_SRCDIR/tests/services/lib.sh"
services_sim

is "$(q elasticache describe-replication-groups --query 'ReplicationGroups[0].[ReplicationGroupId,Status,GlobalReplicationGroupInfo.GlobalReplicationGroupMemberRole,AutomaticFailover]')" \
	"petclinic-sessions	available	primary	enabled" "aws-cli: the Seoul group, primary member of the Global Datastore"
is "$(q elasticache describe-replication-groups --region ap-northeast-1 --query 'ReplicationGroups[0].GlobalReplicationGroupInfo.GlobalReplicationGroupMemberRole')" \
	"secondary" "aws-cli: the Tokyo group is the secondary"
is "$(q elasticache describe-replication-groups --query 'ReplicationGroups[0].NodeGroups[0].NodeGroupMembers[].[CacheClusterId,CurrentRole]' | tr '\n' ' ')" \
	"petclinic-redis-001	primary petclinic-redis-002	replica " "aws-cli: node roles"
is "$(q elasticache describe-cache-clusters --show-cache-node-info --query 'CacheClusters[].[CacheClusterId,CacheClusterStatus,CacheNodes[0].CacheNodeStatus]' | tr '\n' ' ')" \
	"petclinic-redis-001	available	available petclinic-redis-002	available	available " "aws-cli: clusters with their nodes"
is "$(q elasticache describe-events --query 'length(Events)')" 0 "aws-cli: no events yet"
err=$(awsx elasticache describe-replication-groups --replication-group-id nope 2>&1)
like "$err" "ReplicationGroupNotFoundFault" "an unknown group: ReplicationGroupNotFoundFault"

b_groups=$(sent elasticache DescribeReplicationGroups); b_clusters=$(sent elasticache DescribeCacheClusters)
b_events=$(sent elasticache DescribeEvents); b_gmd=$(sent monitoring GetMetricData)
snap
is "$(sj '[.sessions[] | .region + " " + .severity + " " + .summary] | join(", ")')" \
	"ap-northeast-2 ok primary + 1 replica, ap-northeast-1 ok secondary + 1 replica" "snapshot: both stores available"
is "$(($(sent elasticache DescribeReplicationGroups) - b_groups))" 2 "the collection read both regions' groups"
is "$(($(sent elasticache DescribeCacheClusters) - b_clusters))" 2 "and their clusters"
is "$(($(sent elasticache DescribeEvents) - b_events))" 2 "and their events"
gmd=$(($(sent monitoring GetMetricData) - b_gmd))
ok "$([ "$gmd" -ge 4 ]; echo $?)" "and the nodes' figures (GetMetricData: $gmd calls)"
is "$(sj '.sessions[0].groups[0].nodes[0].metrics.CurrConnections | type')" number "a figure the sim publishes (CurrConnections) is read"
is "$(sj '.regions[0].severity.sessions')" ok "the region's sessions figure"

# The session loss target's fallback: CloudWatch names a series by namespace, name and
# every dimension, and AWS/ElastiCache Evictions exists only per CacheClusterId, so a
# dimensionless query has no datapoints (the sim as CloudWatch); the target takes the
# sessions panel's per-node Evictions instead.
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Dimension
# https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
is "$(gmd "[$(mq e AWS/ElastiCache Evictions Sum)]" 'length(MetricDataResults[0].Values)')" \
	0 "aws-cli: Evictions without a dimension has no datapoints"
n=$(gmd "[$(mq e AWS/ElastiCache Evictions Sum '[{"Name":"CacheClusterId","Value":"petclinic-redis-001"}]')]" 'length(MetricDataResults[0].Values)')
ok "$([ "$n" -gt 0 ]; echo $?)" "aws-cli: Evictions by CacheClusterId has datapoints ($n)"
is "$(sj '.targets[] | select(.name == "session loss rate") | .source')" \
	"metric PetClinic/SessionLossRate | sessions panel Evictions, CacheHitRate" "snapshot: the session loss target's sources"
# (the sim's application always puts PetClinic/SessionLossRate, so here the target
# reads it; the fallback to the panel's evictions is checked in tests/model/test_targets)
is "$(sj '.targets[] | select(.name == "session loss rate") | (.value | type) + " " + .status')" "number met" \
	"the session loss target has a value (SessionLossRate 0), met"

fault redis-failover:ap-northeast-2
is "$(q elasticache describe-replication-groups --query 'ReplicationGroups[0].NodeGroups[0].NodeGroupMembers[].CurrentRole' | tr '\t' ' ')" \
	"replica primary" "redis-failover: the replica took over"
like "$(q elasticache describe-events --query 'Events[].Message' | tr '\t' '\n' | tail -1)" \
	"^Failover from primary node petclinic-redis-001 to replica node petclinic-redis-002 completed$" "the failover event"
is "$(q elasticache describe-events --region ap-northeast-1 --query 'length(Events)')" 0 "Tokyo has no events"
snap
is "$(sj '.sessions[0] | .severity + " " + .summary')" "warning FAILOVER 0m ago" "snapshot: a warning, the failover in words"
is "$(sj '[.sessions[0].groups[0].nodes[] | .cluster + " " + .role] | join(", ")')" \
	"petclinic-redis-001 replica, petclinic-redis-002 primary" "the roles after the failover"
is "$(sj '[.sessions[0].events[] | select(.failover)] | length >= 3')" true "the failover and replacement events"
is "$(sj '[.sessions[0].events[] | select(.message | startswith("Failover from primary node petclinic-redis-001"))] | length')" 1 \
	"among them the failover from 001"
like "$(sj '.status.summary')" "PRIMARY REDIS FAILOVER 0m ago" "the status line says so"
is "$(sj '.sessions[1].severity')" ok "Tokyo's store is unaffected"
err=$(curl -s -X POST --data redis-failover:eu-west-1 "$SIM_URL/_sim/fault")
like "$err" "no region" "redis-failover of a region without a stack is refused"
done_testing
