#!/bin/sh
# Instance refreshes in the sim (query protocol, shape-driven codec), read by aws-cli:
# one refresh in progress per group, replacing its instances one at a time (each
# counts once InService, healthy and warm for InstanceWarmup), Successful with an
# EndTime when done (the instances' versions: test_lt_version.sh); CancelInstanceRefresh
# answers the refresh's id, which goes Cancelling then Cancelled; with none in progress it is
# ActiveInstanceRefreshNotFound.
# https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html
# https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CancelInstanceRefresh.html
# https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeInstanceRefreshes.html
. "$FD_SRCDIR/tests/tui/lib.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
. "$FD_SRCDIR/tests/services/lib.sh"
# wait_refresh GROUP STATUS TRIES: poll (every 0.5 s) until the group's newest refresh has STATUS
wait_refresh() {
	local i
	for i in $(seq 1 "$3"); do
		[ "$(q autoscaling describe-instance-refreshes --auto-scaling-group-name "$1" \
			--query 'InstanceRefreshes[0].Status')" = "$2" ] && return 0
		sleep 0.5
	done
	return 1
}
trap 'tui_cleanup; stop_sims' EXIT
services_sim

is "$(q autoscaling describe-instance-refreshes --auto-scaling-group-name petclinic-asg-was-blue --query 'length(InstanceRefreshes)')" \
	0 "aws-cli: no refresh yet"
id=$(q autoscaling start-instance-refresh --auto-scaling-group-name petclinic-asg-was-blue \
	--preferences '{"InstanceWarmup":86400}' --query InstanceRefreshId)
like "$id" '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' "aws-cli: StartInstanceRefresh answers an id"
is "$(q autoscaling describe-instance-refreshes --auto-scaling-group-name petclinic-asg-was-blue \
	--query 'InstanceRefreshes[0].[InstanceRefreshId,AutoScalingGroupName,Status,PercentageComplete,InstancesToUpdate]')" \
	"$id	petclinic-asg-was-blue	InProgress	0	2" "aws-cli: the refresh in progress, 0 % of 2 instances"
like "$(awsx autoscaling start-instance-refresh --auto-scaling-group-name petclinic-asg-was-blue 2>&1)" \
	"InstanceRefreshInProgress" "a second refresh while one runs: InstanceRefreshInProgress"
like "$(awsx autoscaling start-instance-refresh --auto-scaling-group-name nope 2>&1)" \
	"ValidationError.*not found" "an unknown group: ValidationError"
is "$(sent autoscaling StartInstanceRefresh)" 3 "the sim logged three StartInstanceRefresh"
id2=$(q autoscaling start-instance-refresh --auto-scaling-group-name petclinic-asg-was-green \
	--preferences '{"InstanceWarmup":0}' --query InstanceRefreshId)
wait_refresh petclinic-asg-was-green Successful 360   # two replacements (~40 s): boot and health checks, at the sim's time scale
is "$(q autoscaling describe-instance-refreshes --auto-scaling-group-name petclinic-asg-was-green \
	--query 'InstanceRefreshes[0].[InstanceRefreshId,Status,PercentageComplete,InstancesToUpdate,EndTime != null]')" \
	"$id2	Successful	100	0	True" "a refresh whose replacements are in service and warm: Successful, 100 %, an EndTime"
is "$(q autoscaling describe-instance-refreshes --auto-scaling-group-name petclinic-asg-was-blue --region ap-northeast-1 \
	--query 'length(InstanceRefreshes)')" 0 "refreshes are per region"

# the collection reads each group's newest refresh; the snapshot and the asg view show it
before=$(sent autoscaling DescribeInstanceRefreshes)
snap
n=$(($(sent autoscaling DescribeInstanceRefreshes) - before))
ok "$([ "$n" -ge 3 ]; echo $?)" "the collection asked for every group's refreshes ($n calls)"
is "$(sj '.deploys[0].groups[] | select(.group == "petclinic-asg-was-blue") | .refresh | .status + " " + (.percent_complete | tostring) + " " + (.instances_to_update | tostring)')" \
	"InProgress 0 2" "snapshot: blue's refresh in progress, 0 %, 2 to update"
is "$(sj '.deploys[0].groups[] | select(.group == "petclinic-asg-was-green") | .refresh | .status + " " + (.percent_complete | tostring) + " " + (.end_epoch_s | type)')" \
	"Successful 100 number" "snapshot: green's refresh done, with its end"
is "$(sj '.deploys[1].groups[0].refresh')" null "Tokyo's group has no refresh: null"

tui_start 80 24 FLIGHTDECK_FAKE_MODEL=0 AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY \
	AWS_REGION=ap-northeast-2 AWS_ENDPOINT_URL=$SIM_URL AWS_EC2_METADATA_DISABLED=true -- --refresh 2
tui_wait 'requests/s +[0-9.]+ +data' 20 || ok 1 "the first collection arrives"
tui_keys 4
tui_wait 'Instances of' 10
tui_wait 'instance refresh' 20 || true
cap=$(tui_cap)
printf '%s\n' "$cap" | sed 's/^/# /'
like "$cap" "instance refresh (InProgress 0 %, 2 to update|Successful 100 %, 0 to update), started" \
	"80x24: the asg view shows the selected group's refresh and its progress"
tui_keys q

# CancelInstanceRefresh: blue's refresh (still in progress: 86400 s warm-up) is cancelled
is "$(q autoscaling cancel-instance-refresh --auto-scaling-group-name petclinic-asg-was-blue --query InstanceRefreshId)" \
	"$id" "aws-cli: CancelInstanceRefresh answers the cancelled refresh's id"
like "$(q autoscaling describe-instance-refreshes --auto-scaling-group-name petclinic-asg-was-blue --query 'InstanceRefreshes[0].Status')" \
	'^Cancell(ing|ed)$' "aws-cli: the refresh is Cancelling (or already Cancelled)"
wait_refresh petclinic-asg-was-blue Cancelled 120
is "$(q autoscaling describe-instance-refreshes --auto-scaling-group-name petclinic-asg-was-blue \
	--query 'InstanceRefreshes[0].[InstanceRefreshId,Status,EndTime != null]')" \
	"$id	Cancelled	True" "aws-cli: then Cancelled, with an EndTime"
like "$(awsx autoscaling cancel-instance-refresh --auto-scaling-group-name petclinic-asg-was-blue 2>&1)" \
	"ActiveInstanceRefreshNotFound" "cancelling again (nothing in progress): ActiveInstanceRefreshNotFound"
like "$(awsx autoscaling cancel-instance-refresh --auto-scaling-group-name petclinic-asg-was-green 2>&1)" \
	"ActiveInstanceRefreshNotFound" "a group whose refresh ended Successful: ActiveInstanceRefreshNotFound"
like "$(awsx autoscaling cancel-instance-refresh --auto-scaling-group-name nope 2>&1)" \
	"ValidationError.*not found" "an unknown group: ValidationError"
is "$(curl -s "$SIM_URL/_sim/requests" | jq '[.[] | select(.operation == "CancelInstanceRefresh" and .mutating)] | length')" \
	4 "the sim logged four CancelInstanceRefresh, as mutating calls"
like "$(q autoscaling start-instance-refresh --auto-scaling-group-name petclinic-asg-was-blue \
	--preferences '{"InstanceWarmup":86400}' --query InstanceRefreshId)" '^[0-9a-f]{8}-' \
	"a cancelled refresh blocks no new one"
done_testing
