#!/bin/sh
# Instance refreshes in the sim (query protocol, shape-driven codec), read by aws-cli:
# one refresh in progress per group, its PercentageComplete growing one instance per
# InstanceWarmup, Successful with an EndTime when done.
# https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html
# https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeInstanceRefreshes.html
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
. "$FD_SRCDIR/tests/services/lib.sh"
if ! start_sim --seed 17; then echo "1..1"; echo "not ok 1 - sim started"; exit 1; fi
q() { awsx "$@" --output text; }

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
sleep 1
is "$(q autoscaling describe-instance-refreshes --auto-scaling-group-name petclinic-asg-was-green \
	--query 'InstanceRefreshes[0].[InstanceRefreshId,Status,PercentageComplete,InstancesToUpdate,EndTime != null]')" \
	"$id2	Successful	100	0	True" "a refresh whose warm-up is over: Successful, 100 %, an EndTime"
is "$(q autoscaling describe-instance-refreshes --auto-scaling-group-name petclinic-asg-was-blue --region ap-northeast-1 \
	--query 'length(InstanceRefreshes)')" 0 "refreshes are per region"
done_testing
