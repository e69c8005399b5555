#!/bin/sh
# RDS replication end to end: aws-cli reads the sim's StatusInfos, the snapshot shows
# each instance's role and replication; a stopped replication (ReplicaLag -1,
# StatusInfos error) is NOT REPLICATING, never 0 s behind; after a promotion both
# instances are writers without a replica.
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstanceStatusInfo.html
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_MySQL.Replication.ReadReplicas.Monitor.html
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
. "$FD_SRCDIR/tests/services/lib.sh"
services_sim

out=$(awsx rds describe-db-instances --region ap-northeast-1 --output text \
	--query 'DBInstances[0].[ReadReplicaSourceDBInstanceIdentifier,StatusInfos[0].StatusType,StatusInfos[0].Status,StatusInfos[0].Normal]')
is "$out" "arn:aws:rds:ap-northeast-2:123456789012:db:petclinic-db	read replication	replicating	True" \
	"aws-cli: the Tokyo replica's source ARN and StatusInfos"
out=$(awsx rds describe-db-instances --region ap-northeast-2 --output text \
	--query 'DBInstances[0].[length(ReadReplicaDBInstanceIdentifiers), StatusInfos]')
is "$out" "1	None" "aws-cli: the writer lists its cross-region replica and has no StatusInfos"

snap
is "$(sj '[.replication[] | .region + " " + .role + " " + .state] | join(", ")')" \
	"ap-northeast-2 writer none, ap-northeast-1 replica ok" "snapshot: writer in Seoul, replicating replica in Tokyo"
lag=$(sj '.replication[1].lag_s')
is "$(echo "$lag" | awk '{ print ($1 > 0 && $1 < 30) }')" 1 "the replica's lag from CloudWatch ReplicaLag ($lag s)"
is "$(sj '.regions[1].severity.replication')" ok "the DR region's replication figure is ok"
is "$(sj '[.status.items[].text] | map(select(test("REPLIC"))) | length')" 0 "the verdict says nothing about replication"
ok "$([ "$(sent rds DescribeDBInstances)" -ge 2 ]; echo $?)" "the snapshot asked both regions for DB instances"

fault replica-lag:-1
out=$(awsx rds describe-db-instances --region ap-northeast-1 --output text \
	--query 'DBInstances[0].StatusInfos[0].[Status,Normal]')
is "$out" "error	False" "replica-lag:-1: aws-cli reads StatusInfos error, Normal false"
snap
is "$(sj '.replication[1] | .state + " " + .severity + " " + .status')" "broken bad error" \
	"snapshot: the replica is broken, not 0 s behind"
like "$(sj '.replication[1].text')" "^NOT REPLICATING \(error\) from petclinic-db@ap-northeast-2$" "in words, with its source"
is "$(sj '.regions[1].severity.replication')" bad "the DR region's replication figure is bad"
like "$(sj '.status.summary')" "DR DB NOT REPLICATING" "the status line says so"

# the metric itself: a stopped replication publishes ReplicaLag -1
minus1() {
	awsx cloudwatch get-metric-data --region ap-northeast-1 \
		--start-time "$(date -u -d '-20 min' +%Y-%m-%dT%H:%M:%SZ)" --end-time "$(date -u -d '+20 min' +%Y-%m-%dT%H:%M:%SZ)" \
		--metric-data-queries '[{"Id":"lag","MetricStat":{"Metric":{"Namespace":"AWS/RDS","MetricName":"ReplicaLag","Dimensions":[{"Name":"DBInstanceIdentifier","Value":"petclinic-db"}]},"Period":60,"Stat":"Maximum"}}]' \
		| jq '[.MetricDataResults[0].Values[] | select(. == -1)] | length'
}
i=0
# ReplicaLag is a one-minute metric published a minute at a time after a delay (120 s /
# the sim's time scale): the first whole minute of -1 can take two minutes to appear
while [ "$(minus1)" = 0 ] && [ $i -lt 300 ]; do sleep 0.5; i=$((i + 1)); done
ok "$([ "$(minus1)" -gt 0 ]; echo $?)" "a stopped replication publishes ReplicaLag -1 (GetMetricData Maximum)"
snap
is "$(sj '.replication[1] | [.state, (.lag_s | tostring)] | join(" ")')" "broken -1" "the snapshot reads -1 as broken"

# clear, then promote the DR replica: both are writers, neither has a replica
curl -s -X POST "$SIM_URL/_sim/clear" >/dev/null
awsx rds promote-read-replica --region ap-northeast-1 --db-instance-identifier petclinic-db >/dev/null
i=0
while [ $i -lt 60 ]; do
	s=$(awsx rds describe-db-instances --region ap-northeast-1 --output text \
		--query 'DBInstances[0].[DBInstanceStatus,ReadReplicaSourceDBInstanceIdentifier]')
	[ "$s" = "available	None" ] && break
	sleep 0.5; i=$((i + 1))
done
is "$s" "available	None" "the promotion finished"
snap
is "$(sj '[.replication[] | .role + " " + .severity] | join(", ")')" "standalone warning, standalone warning" \
	"after the promotion: two writers, each without a replica"
is "$(sj '.replication[1].lag_s')" null "a promoted instance has no lag (not 0)"
like "$(sj '.status.summary')" "PRIMARY DB HAS NO REPLICA .* DR DB HAS NO REPLICA" "the status line says neither has a DR copy"
done_testing
