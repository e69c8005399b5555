#!/bin/sh
# Fidelity: durations. A scenario states what AWS takes (instance boot, ALB and Route 53
# check intervals, RDS promotion); --time-scale X runs them X times faster (default 15,
# documented in docs/sim.md) and --time-scale 1 runs them as AWS does, for game days that
# rehearse real durations. Reported settings stay AWS's values whatever the scale.
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
start_sim --time-scale 1
ok $? "sim started with --time-scale 1"
is "$(curl -s "$SIM_URL/_sim/state" | jq .time_scale)" "1" "/_sim/state reports the time scale"

# AWS: an ALB target group's HealthCheckIntervalSeconds is 30 by default (petclinic keeps it).
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
is "$(awsx elbv2 describe-target-groups --query 'TargetGroups[0].HealthCheckIntervalSeconds')" 30 \
	"the target group reports AWS's 30 s interval"

# At AWS's timing an instance is still booting seconds after a scale-out (petclinic: 120 s).
awsx autoscaling set-desired-capacity --auto-scaling-group-name petclinic-asg-was-blue --desired-capacity 3 >/dev/null
sleep 3
st=$(awsx autoscaling describe-auto-scaling-groups --auto-scaling-group-names petclinic-asg-was-blue \
	--query 'AutoScalingGroups[0].Instances[].LifecycleState' | jq -r 'sort | join(",")')
is "$st" "InService,InService,Pending" "--time-scale 1: the new instance is still Pending after 3 s"

# --time-scale 60: the same 120 s boot takes 2 s; the scaling activity says so.
start_sim --time-scale 60
awsx autoscaling set-desired-capacity --auto-scaling-group-name petclinic-asg-was-blue --desired-capacity 3 >/dev/null
for _ in $(seq 120); do   # up to 30 s: CI under load
	a=$(awsx autoscaling describe-scaling-activities --auto-scaling-group-name petclinic-asg-was-blue \
		--query 'Activities[0].[StatusCode,StartTime,EndTime]')
	[ "$(echo "$a" | jq -r '.[0]')" = Successful ] && break
	sleep 0.25
done
is "$(echo "$a" | jq -r '.[0]')" Successful "--time-scale 60: the launch completes"
d=$(echo "$a" | jq -r '((.[2] | sub("\\.[0-9]+"; "") | sub("\\+00:00$"; "Z") | fromdateiso8601) - (.[1] | sub("\\.[0-9]+"; "") | sub("\\+00:00$"; "Z") | fromdateiso8601))')
ok "$([ "$d" -ge 1 ] && [ "$d" -le 3 ]; echo $?)" "--time-scale 60: EndTime - StartTime is 120 s / 60 ($d s)"
done_testing
