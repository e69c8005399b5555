#!/bin/sh
# Debian's aws-cli against flightdeck sim: every operation of sts, autoscaling,
# elbv2 and rds, checked on what botocore parsed.
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"

start_sim --seed 7
ok $? "sim started ($SIM_LINE)"
like "$SIM_LINE" '^flightdeck sim: listening on http://127\.0\.0\.1:[0-9]+ AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret$' "the one line"

# STS
r=$(awsx sts get-caller-identity)
is "$(echo "$r" | jq -r .Arn)" "arn:aws:iam::123456789012:user/flightdeck-sim" "GetCallerIdentity Arn"
is "$(echo "$r" | jq -r .Account)" "123456789012" "GetCallerIdentity Account"
r=$(awsx sts assume-role --role-arn arn:aws:iam::123456789012:role/ops --role-session-name oncall@bastion)
is "$(echo "$r" | jq -r .AssumedRoleUser.Arn)" "arn:aws:sts::123456789012:assumed-role/ops/oncall@bastion" "AssumeRole user"
like "$(echo "$r" | jq -r .Credentials.AccessKeyId)" '^ASIA[A-Z2-7]{16}$' "AssumeRole temporary key"
r2=$(AWS_ACCESS_KEY_ID=$(echo "$r" | jq -r .Credentials.AccessKeyId) \
	AWS_SECRET_ACCESS_KEY=$(echo "$r" | jq -r .Credentials.SecretAccessKey) \
	AWS_SESSION_TOKEN=$(echo "$r" | jq -r .Credentials.SessionToken) awsx sts get-caller-identity)
is "$(echo "$r2" | jq -r .Arn)" "arn:aws:sts::123456789012:assumed-role/ops/oncall@bastion" "temporary credentials accepted"
echo "token-from-oidc" >"$SIM_TMP/webtoken"
r=$(awsx sts assume-role-with-web-identity --role-arn arn:aws:iam::123456789012:role/ci \
	--role-session-name ci-run --web-identity-token file://"$SIM_TMP/webtoken")
is "$(echo "$r" | jq -r .AssumedRoleUser.Arn)" "arn:aws:sts::123456789012:assumed-role/ci/ci-run" "AssumeRoleWithWebIdentity"
is "$(echo "$r" | jq -r .Provider)" "oidc.flightdeck.sim" "AssumeRoleWithWebIdentity provider"

# signature errors, in the query error format
r=$(AWS_SECRET_ACCESS_KEY=wrong awsx sts get-caller-identity 2>&1)
like "$r" 'An error occurred \(SignatureDoesNotMatch\) when calling the GetCallerIdentity operation: The request signature we calculated does not match' "wrong secret: SignatureDoesNotMatch"
r=$(AWS_ACCESS_KEY_ID=AKIDNOBODY awsx autoscaling describe-auto-scaling-groups 2>&1)
like "$r" 'An error occurred \(InvalidClientTokenId\) when calling the DescribeAutoScalingGroups operation: The security token included in the request is invalid' "unknown key: InvalidClientTokenId"

# Auto Scaling
r=$(awsx autoscaling describe-auto-scaling-groups)
is "$(echo "$r" | jq -c '[.AutoScalingGroups[].AutoScalingGroupName]')" '["petclinic-asg-was-blue","petclinic-asg-was-green"]' "DescribeAutoScalingGroups (paged by aws-cli)"
is "$(echo "$r" | jq -c '[.AutoScalingGroups[] | .Instances | length]')" '[2,2]' "two instances each"
is "$(echo "$r" | jq -r '[.AutoScalingGroups[0].Instances[].LifecycleState] | unique | join(",")')" "InService" "instances in service"
like "$(echo "$r" | jq -r '.AutoScalingGroups[0].TargetGroupARNs[0]')" '^arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/petclinic-tg-blue/[0-9a-f]{16}$' "target group ARN"
r=$(awsx autoscaling describe-auto-scaling-groups --max-items 1)
is "$(echo "$r" | jq -r '.AutoScalingGroups | length')" "1" "--max-items 1: one group"
like "$(echo "$r" | jq -r '.NextToken')" '.' "--max-items 1: a NextToken"
awsx autoscaling set-desired-capacity --auto-scaling-group-name petclinic-asg-was-blue --desired-capacity 3 >/dev/null
ok $? "SetDesiredCapacity"
r=$(awsx autoscaling describe-scaling-activities --auto-scaling-group-name petclinic-asg-was-blue)
is "$(echo "$r" | jq -r '.Activities | length')" "1" "DescribeScalingActivities: one activity"
like "$(echo "$r" | jq -r '.Activities[0].Description')" '^Launching a new EC2 instance: i-[0-9a-f]{17}$' "activity description"
like "$(echo "$r" | jq -r '.Activities[0].StartTime')" '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T' "activity StartTime parsed"
like "$(echo "$r" | jq -r '.Activities[0].Cause')" 'a user request explicitly set group desired capacity changing the desired capacity from 2 to 3' "activity cause"
r=$(awsx autoscaling set-desired-capacity --auto-scaling-group-name petclinic-asg-was-blue --desired-capacity 99 2>&1)
like "$r" '\(ValidationError\).*New SetDesiredCapacity value 99 is above max value 10' "SetDesiredCapacity above max"
awsx autoscaling update-auto-scaling-group --auto-scaling-group-name petclinic-asg-was-green --min-size 1 --max-size 6 --desired-capacity 1 >/dev/null
ok $? "UpdateAutoScalingGroup"
r=$(awsx autoscaling describe-auto-scaling-groups --auto-scaling-group-names petclinic-asg-was-green)
is "$(echo "$r" | jq -c '.AutoScalingGroups[0] | [.MinSize, .MaxSize, .DesiredCapacity]')" '[1,6,1]' "UpdateAutoScalingGroup applied"
r=$(awsx autoscaling describe-policies --auto-scaling-group-name petclinic-asg-was-blue)
is "$(echo "$r" | jq -c '.ScalingPolicies[0] | [.PolicyName, .PolicyType, .PredictiveScalingConfiguration.Mode, .PredictiveScalingConfiguration.MetricSpecifications[0].TargetValue]')" \
	'["petclinic-asg-was-blue-predictive","PredictiveScaling","ForecastAndScale",50]' "DescribePolicies"
r=$(awsx autoscaling get-predictive-scaling-forecast --auto-scaling-group-name petclinic-asg-was-blue \
	--policy-name petclinic-asg-was-blue-predictive --start-time 2026-01-01T00:00:00Z --end-time 2026-01-02T00:00:00Z)
is "$(echo "$r" | jq -c '[(.LoadForecast[0].Timestamps | length), (.CapacityForecast.Values | length), .LoadForecast[0].Timestamps[0]]')" \
	'[24,24,"2026-01-01T00:00:00+00:00"]' "GetPredictiveScalingForecast: 24 hourly points"
is "$(echo "$r" | jq '[.CapacityForecast.Values[] | select(. < 2 or . > 10)] | length')" "0" "capacity forecast within min..max"
# Before 1970 (issue 10: the hour's float-to-unsigned cast was undefined there; the
# ASan/UBSan build stops on it): still an answer, not a crash.
r=$(awsx autoscaling get-predictive-scaling-forecast --auto-scaling-group-name petclinic-asg-was-blue \
	--policy-name petclinic-asg-was-blue-predictive --start-time 1969-12-31T20:00:00Z --end-time 1970-01-01T02:00:00Z)
is "$(echo "$r" | jq -c '[(.LoadForecast[0].Timestamps | length), .LoadForecast[0].Timestamps[0], (.LoadForecast[0].Values | map(. > 0) | all)]')" \
	'[6,"1969-12-31T20:00:00+00:00",true]' "GetPredictiveScalingForecast before 1970: six hourly points"

# ELBv2
r=$(awsx elbv2 describe-load-balancers)
is "$(echo "$r" | jq -r '.LoadBalancers[0].LoadBalancerName')" "petclinic-alb" "DescribeLoadBalancers"
like "$(echo "$r" | jq -r '.LoadBalancers[0].DNSName')" '^petclinic-alb-[0-9]+\.ap-northeast-2\.elb\.amazonaws\.com$' "ALB DNS name"
lb=$(echo "$r" | jq -r '.LoadBalancers[0].LoadBalancerArn')
r=$(awsx elbv2 describe-target-groups)
is "$(echo "$r" | jq -c '[.TargetGroups[].TargetGroupName]')" '["petclinic-tg-blue","petclinic-tg-green"]' "DescribeTargetGroups"
blue=$(echo "$r" | jq -r '.TargetGroups[0].TargetGroupArn')
green=$(echo "$r" | jq -r '.TargetGroups[1].TargetGroupArn')
is "$(echo "$r" | jq -r '.TargetGroups[0].LoadBalancerArns[0]')" "$lb" "target group attached to the ALB"
r=$(awsx elbv2 describe-target-health --target-group-arn "$blue")
is "$(echo "$r" | jq -r '[.TargetHealthDescriptions[].TargetHealth | select(.State == "healthy" and .Reason == null)] | length >= 2')" "true" "DescribeTargetHealth: the first two healthy"
like "$(echo "$r" | jq -r '[.TargetHealthDescriptions[].TargetHealth.State] | unique | join(",")')" '^(healthy|healthy,initial|initial,healthy)$' "the new one initial or healthy"
r=$(awsx elbv2 describe-target-health --target-group-arn "$blue" --targets Id=i-0000000000000dead,Port=8080)
is "$(echo "$r" | jq -c '.TargetHealthDescriptions[0].TargetHealth')" '{"State":"unused","Reason":"Target.NotRegistered","Description":"Target is not registered to the target group"}' "unregistered target"
r=$(awsx elbv2 describe-listeners --load-balancer-arn "$lb")
listener=$(echo "$r" | jq -r '.Listeners[0].ListenerArn')
is "$(echo "$r" | jq -c '[.Listeners[0].Port, [.Listeners[0].DefaultActions[0].ForwardConfig.TargetGroups[].Weight]]')" '[80,[100,0]]' "DescribeListeners: weighted forward"
r=$(awsx elbv2 describe-rules --listener-arn "$listener")
is "$(echo "$r" | jq -c '[.Rules[] | [.Priority, .IsDefault]]')" '[["10",false],["default",true]]' "DescribeRules"
rule=$(echo "$r" | jq -r '.Rules[0].RuleArn')
r=$(awsx elbv2 modify-listener --listener-arn "$listener" --default-actions \
	"[{\"Type\":\"forward\",\"ForwardConfig\":{\"TargetGroups\":[{\"TargetGroupArn\":\"$blue\",\"Weight\":20},{\"TargetGroupArn\":\"$green\",\"Weight\":80}]}}]")
is "$(echo "$r" | jq -c '[.Listeners[0].DefaultActions[0].ForwardConfig.TargetGroups[].Weight]')" '[20,80]' "ModifyListener: weights"
r=$(awsx elbv2 describe-listeners --listener-arns "$listener")
is "$(echo "$r" | jq -c '[.Listeners[0].DefaultActions[0].ForwardConfig.TargetGroups[].Weight]')" '[20,80]' "ModifyListener stuck"
r=$(awsx elbv2 modify-rule --rule-arn "$rule" --actions "Type=forward,TargetGroupArn=$green")
is "$(echo "$r" | jq -r '.Rules[0].Actions[0].TargetGroupArn')" "$green" "ModifyRule"
r=$(awsx elbv2 modify-listener --listener-arn "$listener" --default-actions Type=forward,TargetGroupArn=arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/nope/0123456789abcdef 2>&1)
like "$r" '\(TargetGroupNotFound\)' "ModifyListener: unknown target group"

# RDS
r=$(awsx rds describe-db-instances)
is "$(echo "$r" | jq -c '[.DBInstances[] | [.DBInstanceIdentifier, .DBInstanceStatus, .ReadReplicaDBInstanceIdentifiers]]')" \
	'[["petclinic-db","available",["arn:aws:rds:ap-northeast-1:123456789012:db:petclinic-db"]]]' "DescribeDBInstances (Seoul primary)"
r=$(awsx --region ap-northeast-1 rds describe-db-instances --db-instance-identifier petclinic-db)
is "$(echo "$r" | jq -r '.DBInstances[0].ReadReplicaSourceDBInstanceIdentifier')" "arn:aws:rds:ap-northeast-2:123456789012:db:petclinic-db" "Tokyo replica source"
r=$(awsx --region ap-northeast-1 rds promote-read-replica --db-instance-identifier petclinic-db)
is "$(echo "$r" | jq -r '.DBInstance.DBInstanceStatus')" "modifying" "PromoteReadReplica: modifying"
r=$(awsx rds promote-read-replica --db-instance-identifier petclinic-db 2>&1)
like "$r" '\(InvalidDBInstanceState\)' "promoting a primary is refused"
r=$(awsx rds describe-db-instances --db-instance-identifier nope 2>&1)
like "$r" '\(DBInstanceNotFound\).*DBInstance nope not found' "DBInstanceNotFound"

# the request log saw all of it, mutating flags included
r=$(curl -sf "$SIM_URL/_sim/requests")
is "$(echo "$r" | jq -r '[.[] | select(.mutating) | .operation] | unique | join(",")')" \
	"ModifyListener,ModifyRule,PromoteReadReplica,SetDesiredCapacity,UpdateAutoScalingGroup" "mutating operations in /_sim/requests"
is "$(echo "$r" | jq -r '[.[] | select(.operation == "SetDesiredCapacity") | .status] | join(",")')" "200,400" "statuses logged"
done_testing
