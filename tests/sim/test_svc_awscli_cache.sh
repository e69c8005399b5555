#!/bin/sh
# Debian's aws-cli against flightdeck sim, for what issue 17 added to its CloudWatch and
# ElastiCache: the six AWS/ElastiCache metrics of both Redis nodes (names, dimensions and
# units as AWS documents them), a failover to a replica not in sync (sessions lost), and
# the cloudfront-5xx fault in AWS/CloudFront 5xxErrorRate and in viewer requests.
# Metrics: https://docs.aws.amazon.com/AmazonElastiCache/latest/red-ug/CacheMetrics.Redis.html
#   (Evictions Count; CurrConnections Count, "excluding connections from read replicas";
#   ReplicationLag Seconds, "only applicable for a node running as a read replica";
#   EngineCPUUtilization Percent; DatabaseMemoryUsagePercentage Percent; CacheHitRate Percent)
# https://docs.aws.amazon.com/AmazonElastiCache/latest/red-ug/CacheMetrics.HostLevel.html
#   (host-level metrics are per node: CacheClusterId, with CacheNodeId)
# https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html
#   (AWS/CloudFront in us-east-1, DistributionId and Region=Global; 5xxErrorRate Percent)
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
. "$FD_SRCDIR/tests/services/lib.sh"
services_sim

node() { # node N [CACHENODEID]: the dimensions of node 00N
	if [ -n "$2" ]; then
		printf '[{"Name":"CacheClusterId","Value":"petclinic-redis-00%s"},{"Name":"CacheNodeId","Value":"%s"}]' "$1" "$2"
	else
		printf '[{"Name":"CacheClusterId","Value":"petclinic-redis-00%s"}]' "$1"
	fi
}
# cache NAME STAT NODE [CACHENODEID] [UNIT]: "COUNT MIN MAX" of the last 15 minutes
cache() {
	local qs
	qs=$(mq m AWS/ElastiCache "$1" "$2" "$(node "$3" "$4")")
	[ -n "$5" ] && qs=$(printf '%s' "$qs" | sed "s/\"Stat\"/\"Unit\":\"$5\",\"Stat\"/")
	gmd "[$qs]" 'MetricDataResults[0].[length(Values), min(Values), max(Values)]' | tr '\t' ' '
}
within() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "None" && v + 0 >= lo && v + 0 <= hi) }'; echo $?; }

# each metric of each node, in its documented unit
for m in Evictions:Sum:Count CurrConnections:Average:Count EngineCPUUtilization:Average:Percent \
	DatabaseMemoryUsagePercentage:Average:Percent; do
	set -- $(echo "$m" | tr ':' ' ')
	for n in 1 2; do
		r=$(cache "$1" "$2" "$n" "" "$3")
		ok "$([ "${r%% *}" -ge 10 ]; echo $?)" "aws-cli: $1 of node 00$n in $3 ($r)"
	done
	is "$(cache "$1" "$2" 1 "" Bytes | cut -d' ' -f1)" 0 "aws-cli: $1 in Bytes: not its unit, no data"
done
is "$(cache ReplicationLag Maximum 2 "" Seconds | cut -d' ' -f1)" "$(cache ReplicationLag Maximum 2 | cut -d' ' -f1)" \
	"aws-cli: ReplicationLag is in Seconds"
ok "$([ "$(cache ReplicationLag Maximum 2 | cut -d' ' -f1)" -ge 10 ]; echo $?)" "aws-cli: ReplicationLag of the replica (002)"
is "$(cache ReplicationLag Maximum 1 | cut -d' ' -f1)" 0 "aws-cli: none for the primary (001)"
ok "$([ "$(cache CacheHitRate Average 1 "" Percent | cut -d' ' -f1)" -ge 10 ]; echo $?)" "aws-cli: CacheHitRate of the primary, in Percent"
is "$(cache CacheHitRate Average 2 | cut -d' ' -f1)" 0 "aws-cli: none for the replica (the application reads the primary)"
# Two reads of one series compared: one fixed window of whole minutes that ended before the
# publishing delay, so a minute completing between the two calls cannot add a datapoint.
GMD_START=$(date -u -d '-15 min' +%Y-%m-%dT%H:%M:00Z) GMD_END=$(date -u -d '-4 min' +%Y-%m-%dT%H:%M:00Z)
r=$(cache CurrConnections Average 1)
ok "$([ "${r%% *}" -ge 5 ]; echo $?)" "the fixed window holds datapoints ($r)"
is "$(cache CurrConnections Average 1 0001)" "$r" "with CacheNodeId 0001: the same series"
unset GMD_START GMD_END
is "$(cache CurrConnections Average 1 0002 | cut -d' ' -f1)" 0 "a CacheNodeId the cluster does not have: no data"

# plausible values
set -- $(cache CurrConnections Average 1); p=$3
set -- $(cache CurrConnections Average 2); rep=$3
ok "$(within "$rep" 2 4)" "the replica: ElastiCache's own 2 to 4 connections ($rep)"
ok "$(awk -v p="$p" -v r="$rep" 'BEGIN { exit !(p > r + 10) }'; echo $?)" "the primary: the instances' pools ($p)"
set -- $(cache CacheHitRate Average 1); ok "$(within "$2" 80 100)" "hit rate of the sessions 80..100 % ($2..$3)"
set -- $(cache DatabaseMemoryUsagePercentage Average 1); ok "$(within "$3" 1 100)" "memory 1..100 % ($2..$3)"
set -- $(cache EngineCPUUtilization Average 1); ok "$(within "$3" 0.1 100)" "engine CPU 0..100 % ($2..$3)"
set -- $(cache ReplicationLag Maximum 2); ok "$(within "$3" 0 1)" "replication lag under a second ($3 s)"
set -- $(cache Evictions Sum 1); is "$3" 0.0 "no evictions: sessions far below maxmemory"

# a failover to a replica that is still being replaced: the sessions are lost
sl() { gmd "[$(mq s PetClinic SessionLossRate Maximum '[]' 10)]" 'max(MetricDataResults[0].Values)'; }
is "$(sl)" 0.0 "SessionLossRate 0 before"
fault redis-failover:ap-northeast-2
is "$(curl -s "$SIM_URL/_sim/state" | jq -r '.regions[0].redis | "\(.primary_node) \(.replacing_node) \(.sessions_lost)"')" \
	"2 1 0" "a clean failover: 002 primary, 001 being replaced, nothing lost"
fault redis-failover:ap-northeast-2
is "$(curl -s "$SIM_URL/_sim/state" | jq -r '.regions[0].redis | "\(.primary_node) \(.replacing_node) \(.sessions_lost)"')" \
	"1 2 1" "a failover while 001 is still being replaced: 001 primary, empty; sessions lost"
is "$(q elasticache describe-replication-groups --query 'ReplicationGroups[0].[Status,NodeGroups[0].NodeGroupMembers[0].CurrentRole]')" \
	"modifying	primary" "aws-cli: the group modifying, 001 primary again"
is "$(q elasticache describe-cache-clusters --show-cache-node-info \
	--query 'CacheClusters[].[CacheClusterId,CacheClusterStatus,CacheNodes[0].CacheNodeStatus]' | tr '\n' ' ')" \
	"petclinic-redis-001	available	available petclinic-redis-002	modifying	rebooting " \
	"aws-cli: 002, the primary that failed, is being replaced"
is "$(q elasticache describe-events --query 'length(Events[?starts_with(Message, `Failover from primary node`)])')" 2 \
	"aws-cli: both failovers among the events"
for i in $(seq 1 120); do v=$(sl); [ "$v" != 0.0 ] && [ "$v" != None ] && break; sleep 0.5; done
ok "$(within "$v" 1 100)" "aws-cli: PetClinic SessionLossRate shows the loss ($v %)"
for i in $(seq 1 200); do set -- $(cache CacheHitRate Minimum 1); [ "$(within "$2" 0 79.9)" = 0 ] && break; sleep 1; done
ok "$(within "$2" 0 79.9)" "aws-cli: the new primary's CacheHitRate fell below 80 % ($2)"

# cloudfront-5xx:RATE: 5xxErrorRate in us-east-1 and viewer requests through the distribution
cf() { # the newest published 10 s datapoint (newest first by default)
	gmd "[$(mq c AWS/CloudFront 5xxErrorRate Maximum '[{"Name":"DistributionId","Value":"E1PC7QW5TZ0K9X"},{"Name":"Region","Value":"Global"}]' 10)]" \
		'MetricDataResults[0].Values[0]' --region us-east-1
}
v=$(cf); ok "$(within "$v" 0 1)" "5xxErrorRate under 1 % before ($v)"
viewer() { curl -s -o /dev/null -w '%{http_code}\n' "$SIM_URL/_sim/cdn/owners"; }
is "$(viewer)" 200 "a viewer request through CloudFront: 200"
curl -s -D "$SIM_TMP/h" -o "$SIM_TMP/b" "$SIM_URL/_sim/cdn/"
like "$(cat "$SIM_TMP/b")" "region=ap-northeast-2" "served by the primary region's origin"
fault region-outage:ap-northeast-2
curl -s -o "$SIM_TMP/b" "$SIM_URL/_sim/cdn/"
like "$(cat "$SIM_TMP/b")" "^petclinic ok region=ap-northeast-1" "Seoul down: the origin group fails over to Tokyo"
curl -s -X POST "$SIM_URL/_sim/clear" >/dev/null
fault cloudfront-5xx:1
is "$(viewer)" 503 "cloudfront-5xx:1: every viewer request is a 503"
curl -s -D "$SIM_TMP/h" -o /dev/null "$SIM_URL/_sim/cdn/"
like "$(tr -d '\r' < "$SIM_TMP/h")" "X-Cache: Error from cloudfront" "answered by CloudFront itself"
fault cloudfront-5xx:0.5
n=0; for i in $(seq 1 200); do [ "$(viewer)" = 503 ] && n=$((n + 1)); done
ok "$(within "$n" 60 140)" "cloudfront-5xx:0.5: about half of 200 viewer requests fail ($n)"
for i in $(seq 1 200); do v=$(cf); [ "$(within "$v" 50 51)" = 0 ] && break; sleep 1; done
ok "$(within "$v" 50 51)" "aws-cli: 5xxErrorRate shows the rate ($v %)"
is "$(gmd "[$(mq c AWS/CloudFront 5xxErrorRate Maximum '[{"Name":"DistributionId","Value":"E1PC7QW5TZ0K9X"},{"Name":"Region","Value":"Global"}]')]" \
	'length(MetricDataResults[0].Values)')" 0 "not in ap-northeast-2: CloudFront's metrics live in us-east-1"
like "$(curl -s -X POST --data cloudfront-5xx:2 "$SIM_URL/_sim/fault")" "want cloudfront-5xx:RATE" "a rate above 1 is refused"
curl -s -X POST "$SIM_URL/_sim/clear" >/dev/null
is "$(viewer)" 200 "cleared: viewers get 200 again"
done_testing
