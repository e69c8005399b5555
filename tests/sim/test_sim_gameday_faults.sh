#!/usr/bin/env bash
# test_sim_gameday_faults.sh — the faults the game-day matrix needs (tests/gameday/):
# slow-deploy:TARGETGROUP:SECONDS raises the group's TargetResponseTime, replica-lag:DB:SECONDS
# sets the read replica's ReplicaLag (AWS/RDS, seconds:
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html), and clear undoes both.
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
start_sim --fault slow-deploy:petclinic-tg-blue:2.5 --fault replica-lag:petclinic-db:900
export AWS_ENDPOINT_URL=$SIM_URL
now=$(date -u +%s)
metric() { # metric REGION NAMESPACE NAME STAT DIMNAME DIMVALUE [DIMNAME DIMVALUE]: the newest value
	local dims="{\"Name\":\"$5\",\"Value\":\"$6\"}"
	[ -n "$7" ] && dims="$dims,{\"Name\":\"$7\",\"Value\":\"$8\"}"
	AWS_REGION=$1 "$FD_BIN" call cloudwatch GetMetricData --input-json - <<JSON | /usr/bin/python3 -c '
import json, sys
v = json.load(sys.stdin)["MetricDataResults"][0]["Values"]
print("%.1f" % v[0] if v else "none")'
{"StartTime": "$(date -u -d @$((now - 600)) +%FT%TZ)", "EndTime": "$(date -u -d @$((now + 60)) +%FT%TZ)",
 "MetricDataQueries": [{"Id": "m", "MetricStat": {"Metric": {"Namespace": "$2", "MetricName": "$3",
  "Dimensions": [$dims]}, "Period": 10, "Stat": "$4"}}]}
JSON
}
state=$(curl -s "$SIM_URL/_sim/state")
dim() { /usr/bin/python3 -c '
import json, sys
d = json.loads(sys.argv[1]); r = d["regions"][0]
lb = r["load_balancers"][0]["arn"].split("loadbalancer/")[1]
tg = [t["arn"] for t in r["target_groups"] if t["name"] == sys.argv[2]][0].split(":")[-1]
print(lb if sys.argv[3] == "lb" else tg)' "$state" "$1" "$2"; }
lb=$(dim petclinic-tg-blue lb)
sleep 11
b=$(metric ap-northeast-2 AWS/ApplicationELB TargetResponseTime p99 TargetGroup "$(dim petclinic-tg-blue tg)" LoadBalancer "$lb")
/usr/bin/python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= 2.5 else 1)' "$b"; ok $? "slow-deploy: blue's p99 is at least 2.5 s ($b s)"
like "$(metric ap-northeast-1 AWS/RDS ReplicaLag Maximum DBInstanceIdentifier petclinic-db)" "^900\.[0-9]$" "replica-lag: the Tokyo replica is 900 s behind"
err=$("$FD_BIN" sim fault --endpoint "$SIM_URL" replica-lag:nosuch:5 2>&1); rc=$?
[ "$rc" != 0 ]; ok $? "replica-lag of an unknown instance is refused"
like "$err" "no read replica 'nosuch'" "naming it"
"$FD_BIN" sim clear --endpoint "$SIM_URL" > /dev/null
state=$(curl -s "$SIM_URL/_sim/state")
like "$state" '"faults":""' "clear removes them"
is "$(/usr/bin/python3 -c 'import json, sys
d = json.loads(sys.argv[1])
print([t for t in d["regions"][0]["target_groups"] if t["name"] == "petclinic-tg-blue"][0]["slow_s"],
      d["regions"][1]["databases"][0]["replica_lag_s"])' "$state")" "0.0 0.4" "blue is fast again, the replica back to its lag"
done_testing
