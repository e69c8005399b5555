#!/bin/sh
# Fidelity: a cross-region read replica whose source's region is down, driven through aws-cli.
# Pages followed:
#   [MON] https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_MySQL.Replication.ReadReplicas.Monitor.html
#         "If the ReplicaLag metric returns -1, then replication is currently not active."
#   [SI]  https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstanceStatusInfo.html
#         StatusType "read replication"; Normal: "false if the instance is in an error state".
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
start_sim
ok $? "sim started"
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
q='[{"Id":"lag","MetricStat":{"Metric":{"Namespace":"AWS/RDS","MetricName":"ReplicaLag","Dimensions":[{"Name":"DBInstanceIdentifier","Value":"petclinic-db"}]},"Period":60,"Stat":"Maximum"}}]'
# lag: the newest ReplicaLag datapoint (Maximum, 60 s) of the Tokyo replica, as aws-cli reads it
lag() {
	now=$(date +%s)
	awsx --region ap-northeast-1 cloudwatch get-metric-data --start-time "$(iso $((now - 900)))" \
		--end-time "$(iso $((now + 60)))" --metric-data-queries "$q" --query 'MetricDataResults[0].Values[0]' --output text
}
# info FIELD: the Tokyo replica's read replication StatusInfos FIELD
info() {
	awsx --region ap-northeast-1 rds describe-db-instances --db-instance-identifier petclinic-db \
		--query "DBInstances[0].StatusInfos[?StatusType=='read replication'] | [0].$1" --output text
}
# poll_lag TEST: until the newest datapoint passes the awk TEST on $1 (60 s at most)
poll_lag() {
	i=0
	while [ $i -lt 120 ]; do
		v=$(lag)
		echo "$v" | awk "{ exit !($1) }" && return 0
		i=$((i + 1))
		sleep 0.5
	done
	return 1
}

v=$(lag)
ok "$(echo "$v" | awk '{ exit !($1 >= 0 && $1 < 5) }'; echo $?)" "before the outage: the replica's ReplicaLag is a few seconds ($v)"
is "$(info Normal)" True "[SI] before: read replication Normal"
is "$(info Status)" replicating "[SI] before: Status replicating"

curl -s -X POST --data 'region-outage:ap-northeast-2' "$SIM_URL/_sim/fault" >/dev/null
poll_lag '$1 == -1'
ok $? "[MON] region-outage:ap-northeast-2: the Tokyo replica's ReplicaLag reads -1 (replication not active) ($(lag))"
is "$(info Normal)" False "[SI] read replication Normal false"
is "$(info Status)" error "[SI] Status error"
like "$(info Message)" "source DB instance arn:aws:rds:ap-northeast-2:[0-9]+:db:petclinic-db is unreachable" \
	"[SI] its message names the unreachable source, not the replica's SQL thread"

curl -s -X POST --data '' "$SIM_URL/_sim/clear" >/dev/null
poll_lag '$1 >= 0'
ok $? "[MON] after clearing the fault: ReplicaLag >= 0 again ($(lag))"
is "$(info Normal)" True "[SI] after clearing: Normal again"
is "$(info Message)" None "[SI] after clearing: no message"
done_testing
