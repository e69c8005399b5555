#!/bin/sh
# Launch template versions on Auto Scaling groups in the sim, read and written by
# Debian's aws-cli: UpdateAutoScalingGroup with a LaunchTemplate (name or id, a
# version number, $Latest or $Default) is recorded on the group as given
# (DescribeAutoScalingGroups LaunchTemplate.Version), instances launched after it
# (scale-out, an instance refresh) run that version and report its number
# (Instances[].LaunchTemplate.Version), those running keep theirs; the
# new-version fault releases a version ($Latest) that answers 5xx at its rate.
# https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_UpdateAutoScalingGroup.html
# https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_LaunchTemplateSpecification.html
# https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_Instance.html
# https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-instance-refresh.html
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
. "$FD_SRCDIR/tests/services/lib.sh"
if ! start_sim --seed 17 --fault new-version:petclinic-was-green:0; then echo "1..1"; echo "not ok 1 - sim started"; exit 1; fi
q() { awsx "$@" --output text; }
G=petclinic-asg-was-green
grp() { q autoscaling describe-auto-scaling-groups --auto-scaling-group-names $G --query "AutoScalingGroups[0].$1"; }
# poll up to 180 s for a query to print want (a refresh of two instances takes ~40 s at the sim's time scale)
until_is() {
	local want="$1" i got; shift
	for i in $(seq 1 360); do got=$("$@"); [ "$got" = "$want" ] && break; sleep 0.5; done
	is "$got" "$want" "$DESC"
}

is "$(q ec2 describe-launch-template-versions --launch-template-name petclinic-was-green \
	--query 'LaunchTemplateVersions[].[VersionNumber,DefaultVersion]' | tr '\t\n' ': ')" "3:False 2:True 1:False " \
	"new-version released version 3: \$Latest, \$Default still 2"
is "$(grp 'LaunchTemplate.[LaunchTemplateName,Version]')" "petclinic-was-green	\$Latest" \
	"the group is set to \$Latest (as it was built)"
is "$(grp 'Instances[].LaunchTemplate.Version' | tr '\t' ' ')" "2 2" \
	"its instances run version 2, the version they were launched from (a number, not \$Latest)"

lt_id=$(grp LaunchTemplate.LaunchTemplateId)
awsx autoscaling update-auto-scaling-group --auto-scaling-group-name $G \
	--launch-template "LaunchTemplateId=$lt_id,Version=\$Default" >/dev/null
is "$(grp 'LaunchTemplate.[LaunchTemplateId,Version]')" "$lt_id	\$Default" "UpdateAutoScalingGroup by id and \$Default: recorded as given"
awsx autoscaling update-auto-scaling-group --auto-scaling-group-name $G \
	--launch-template 'LaunchTemplateName=petclinic-was-green,Version=3' >/dev/null
is "$(grp 'LaunchTemplate.Version')" 3 "UpdateAutoScalingGroup by name and version 3: recorded"
is "$(grp 'Instances[].LaunchTemplate.Version' | tr '\t' ' ')" "2 2" "the instances running keep their version"
is "$(curl -s "$SIM_URL/_sim/requests" | jq -r '[.[] | select(.operation == "UpdateAutoScalingGroup")] | map(.mutating) | join(" ")')" \
	"true true" "the sim logged both updates as mutating"

like "$(awsx autoscaling update-auto-scaling-group --auto-scaling-group-name $G \
	--launch-template 'LaunchTemplateName=petclinic-was-green,Version=9' 2>&1)" \
	"ValidationError.*version 9" "a version that does not exist: ValidationError"
like "$(awsx autoscaling update-auto-scaling-group --auto-scaling-group-name $G \
	--launch-template 'LaunchTemplateName=nope,Version=1' 2>&1)" \
	"ValidationError.*does not exist" "a template that does not exist: ValidationError"
like "$(awsx autoscaling update-auto-scaling-group --auto-scaling-group-name $G \
	--launch-template "LaunchTemplateName=petclinic-was-green,LaunchTemplateId=$lt_id,Version=1" 2>&1)" \
	"ValidationError.*either" "both a name and an id: ValidationError"
is "$(grp 'LaunchTemplate.Version')" 3 "a refused update changes nothing"

# scale-out launches from version 3
awsx autoscaling set-desired-capacity --auto-scaling-group-name $G --desired-capacity 3 >/dev/null
is "$(grp 'Instances[].LaunchTemplate.Version' | tr '\t' ' ')" "2 2 3" "scale-out: the new instance runs version 3"
awsx autoscaling set-desired-capacity --auto-scaling-group-name $G --desired-capacity 2 >/dev/null

# an instance refresh replaces every instance, one at a time
DESC="the scale-in is over: two instances" until_is 2 grp 'length(Instances)'
id=$(q autoscaling start-instance-refresh --auto-scaling-group-name $G --preferences '{"InstanceWarmup":30}' \
	--query InstanceRefreshId)
like "$(grp 'Instances[].LifecycleState' | tr '\t' ' ')" "Terminating|Pending" "the refresh takes an instance out at once"
refresh() { q autoscaling describe-instance-refreshes --auto-scaling-group-name $G \
	--query "InstanceRefreshes[?InstanceRefreshId=='$id'].[Status,PercentageComplete,InstancesToUpdate]"; }
DESC="the refresh ends Successful, 100 %, nothing left to update" until_is "Successful	100	0" refresh
is "$(grp 'Instances[?LifecycleState==`InService`].LaunchTemplate.Version' | tr '\t' ' ')" "3 3" \
	"after the refresh both InService instances run version 3"
is "$(q elbv2 describe-target-health --target-group-arn "$(q elbv2 describe-target-groups --names petclinic-tg-green \
	--query 'TargetGroups[0].TargetGroupArn')" --query 'TargetHealthDescriptions[?TargetHealth.State==`healthy`] | length(@)')" \
	2 "green's two new targets are healthy"

# a bad release whose targets still pass their checks: version 4 answers 5xx at 15 %
fault new-version:petclinic-was-green:0.15
awsx autoscaling update-auto-scaling-group --auto-scaling-group-name $G \
	--launch-template 'LaunchTemplateName=petclinic-was-green,Version=$Latest' >/dev/null
id=$(q autoscaling start-instance-refresh --auto-scaling-group-name $G --preferences '{"InstanceWarmup":30}' \
	--query InstanceRefreshId)
status() { q autoscaling describe-instance-refreshes --auto-scaling-group-name $G \
	--query "InstanceRefreshes[?InstanceRefreshId=='$id'].Status"; }
DESC="a refresh onto version 4 (15 % 5xx, under the health checks' threshold): Successful" until_is Successful status
is "$(grp 'Instances[?LifecycleState==`InService`].LaunchTemplate.Version' | tr '\t' ' ')" "4 4" "both run version 4"
n=0; for i in $(seq 1 60); do curl -s "$SIM_URL/_sim/app/ap-northeast-2/tg/petclinic-tg-green/" | grep -q 'petclinic error' && n=$((n + 1)); done
ok "$([ "$n" -gt 0 ]; echo $?)" "green's test listener answers 5xx from version 4's targets ($n of 60)"
n=0; for i in $(seq 1 60); do curl -s "$SIM_URL/_sim/app/ap-northeast-2/tg/petclinic-tg-blue/" | grep -q 'petclinic error' && n=$((n + 1)); done
ok "$([ "$n" -le 2 ]; echo $?)" "blue (version 2 of its own template) does not ($n of 60)"

# a broken release: version 5 answers 5xx at 50 %: its first replacement fails its health checks
fault new-version:petclinic-was-green:0.5
id=$(q autoscaling start-instance-refresh --auto-scaling-group-name $G --preferences '{"InstanceWarmup":30}' \
	--query InstanceRefreshId)
DESC="a refresh onto a version whose targets fail their health checks: Failed" until_is Failed status
like "$(q autoscaling describe-instance-refreshes --auto-scaling-group-name $G --query 'InstanceRefreshes[0].StatusReason')" \
	"health checks" "with a StatusReason"
like "$(curl -s -X POST --data new-version:nope:0.1 "$SIM_URL/_sim/fault")" "no launch template 'nope'" \
	"new-version of an unknown template is refused"
done_testing
