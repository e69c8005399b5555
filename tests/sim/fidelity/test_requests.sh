#!/bin/sh
# Fidelity: requests the simulator used to ignore or refuse, through aws-cli.
#   [ASF] https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_Filter.html
#   [RDS] https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBInstances.html
#   [ACT] https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Action.html
#   [RED] https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RedirectActionConfig.html
#   [CON] https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RuleCondition.html
#   [RCT] https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
#   [SDC] https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_SetDesiredCapacity.html
#   [DA]  https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
#   [ENI] https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInterfaces.html
#   [EC2] https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
#   [XF]  https://docs.aws.amazon.com/xray/latest/devguide/xray-console-filters.html
#   [LTV] https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplateVersions.html
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
start_sim
ok $? "sim started"
names() { jq -r '[.AutoScalingGroups[].AutoScalingGroupName] | join(" ")'; }

# [ASF] DescribeAutoScalingGroups Filters: tag-key, tag-value, tag:<key>; a filter's values
# are ORed, filters ANDed.
is "$(awsx autoscaling describe-auto-scaling-groups --filters Name=tag:color,Values=green | names)" \
	"petclinic-asg-was-green" "[ASF] tag:color=green: the green group only"
is "$(awsx autoscaling describe-auto-scaling-groups --filters Name=tag:color,Values=green,blue | names)" \
	"petclinic-asg-was-blue petclinic-asg-was-green" "[ASF] values are ORed"
is "$(awsx autoscaling describe-auto-scaling-groups --filters Name=tag-key,Values=app Name=tag-value,Values=blue | names)" \
	"petclinic-asg-was-blue" "[ASF] filters are ANDed"
is "$(awsx autoscaling describe-auto-scaling-groups --filters Name=tag:color,Values=red | names)" "" "[ASF] no match: none"
is "$(awsx autoscaling describe-auto-scaling-groups --auto-scaling-group-names petclinic-asg-was-blue \
	--query 'AutoScalingGroups[0].Tags[?Key==`color`].[ResourceType,Value,PropagateAtLaunch]' --output text)" \
	"auto-scaling-group	blue	True" "a group lists its tags"
like "$(awsx autoscaling describe-auto-scaling-groups --filters Name=colour,Values=x 2>&1)" "ValidationError" \
	"an unknown filter name is refused"

# [RDS] DescribeDBInstances Filters: db-instance-id (identifier or ARN), engine, ...
is "$(AWS_REGION=ap-northeast-1 awsx rds describe-db-instances --filters Name=engine,Values=postgres --query 'length(DBInstances)')" \
	0 "[RDS] engine=postgres: no MySQL instance"
is "$(AWS_REGION=ap-northeast-1 awsx rds describe-db-instances --filters Name=engine,Values=mysql \
	Name=db-instance-id,Values=arn:aws:rds:ap-northeast-1:123456789012:db:petclinic-db --query 'DBInstances[].DBInstanceIdentifier' --output text)" \
	"petclinic-db" "[RDS] engine=mysql and db-instance-id by ARN"
like "$(awsx rds describe-db-instances --filters Name=flavour,Values=x 2>&1)" "InvalidParameterValue" \
	"[RDS] an unknown filter name is refused"

# [ENI] DescribeNetworkInterfaces: the load balancer's interfaces, one per zone; filter values
# take * and ?, a filter's values are ORed, filters ANDed; an unknown filter is refused.
is "$(awsx ec2 describe-network-interfaces --filters 'Name=description,Values=ELB app/*' \
	--query 'NetworkInterfaces[].[RequesterId,Status,Association.PublicIp!=null]' --output text | sort -u)" \
	"amazon-elb	in-use	True" "[ENI] description=ELB app/*: the load balancer's interfaces, each with its public address"
n=$(awsx ec2 describe-network-interfaces --query 'length(NetworkInterfaces)')
az=$(awsx ec2 describe-network-interfaces --query 'NetworkInterfaces[0].AvailabilityZone' --output text)
is "$(awsx ec2 describe-network-interfaces --filters "Name=availability-zone,Values=$az" --query 'length(NetworkInterfaces)')" \
	"$((n / 2))" "[ENI] availability-zone: the interfaces of one zone of two ($n in all)"
is "$(awsx ec2 describe-network-interfaces --filters "Name=availability-zone,Values=$az" Name=status,Values=available \
	--query 'length(NetworkInterfaces)')" 0 "[ENI] filters are ANDed"
like "$(awsx ec2 describe-network-interfaces --filters Name=colour,Values=x 2>&1)" "InvalidParameterValue" \
	"[ENI] an unknown filter name is refused"
like "$(awsx ec2 describe-instances 2>&1)" "InvalidAction" "[EC2] an action the sim does not serve: InvalidAction"

# [LTV] DescribeLaunchTemplateVersions Filters (they used to be ignored): is-default,
# image-id (with wildcards); a documented filter for data the version lacks matches none.
lt=$(awsx autoscaling describe-auto-scaling-groups --auto-scaling-group-names petclinic-asg-was-blue \
	--query 'AutoScalingGroups[0].LaunchTemplate.LaunchTemplateName' --output text)
ltv() { awsx ec2 describe-launch-template-versions --launch-template-name "$lt" "$@" | jq -c '[.LaunchTemplateVersions[].VersionNumber]'; }
is "$(ltv)" '[2,1]' "[LTV] both versions without a filter, newest first"
is "$(ltv --filters Name=is-default,Values=true)" '[2]' "[LTV] is-default=true: the default version only"
is "$(ltv --filters 'Name=image-id,Values=ami-*0001')" '[1]' "[LTV] image-id with a wildcard"
is "$(ltv --filters Name=is-default,Values=false Name=instance-type,Values=t3.medium)" '[1]' "[LTV] filters are ANDed"
is "$(ltv --filters 'Name=kernel-id,Values=*')" '[]' "[LTV] kernel-id: no version has a kernel"
is "$(ltv --min-version 2)" '[2]' "[LTV] MinVersion"
like "$(awsx ec2 describe-launch-template-versions --launch-template-name "$lt" --filters Name=colour,Values=x 2>&1)" \
	"InvalidParameterValue" "[LTV] an unknown filter name is refused"

# [XF] GetTraceSummaries FilterExpression: the subset the sim evaluates is applied, and
# anything else is refused (it used to match every trace).
xt() { x=$1; shift; awsx xray get-trace-summaries --start-time "$(($(date +%s) - 600))" --end-time "$(date +%s)" --filter-expression "$x" "$@"; }
all=$(xt "" --query 'length(TraceSummaries)')
ok "$([ "$all" -gt 0 ]; echo $?)" "[XF] traces of the last ten minutes ($all)"
is "$(xt 'http.status = 200' | jq -c '[.TraceSummaries[].Http.HttpStatus] | unique')" '[200]' "[XF] http.status = 200: only 200s"
is "$(xt 'ok' | jq -c '[.TraceSummaries[] | .HasFault or .HasError] | unique - [false]')" '[]' "[XF] ok: no fault, no error"
is "$(xt 'responsetime > 1000' --query 'length(TraceSummaries)')" 0 "[XF] responsetime > 1000: none"
is "$(xt 'responsetime >= 0 AND !fault' | jq -c '[.TraceSummaries[].HasFault] | unique - [false]')" '[]' "[XF] terms ANDed, ! negates"
like "$(xt 'service("petclinic") OR fault' 2>&1)" "InvalidRequestException.*does not evaluate" \
	"[XF] an expression outside the subset is refused, not taken as every trace"
like "$(xt 'responsetime' 2>&1)" "InvalidRequestException" "[XF] a number keyword without a comparison is refused"

# [ACT][RED] a redirect listener round-trips: what ModifyListener stores, DescribeListeners
# returns, with AWS's defaults for what was not given (#{host}, /#{path}, #{query}).
lb=$(awsx elbv2 describe-load-balancers --query 'LoadBalancers[0].LoadBalancerArn' | jq -r .)
listener=$(awsx elbv2 describe-listeners --load-balancer-arn "$lb" --query 'Listeners[0].ListenerArn' | jq -r .)
awsx elbv2 modify-listener --listener-arn "$listener" \
	--default-actions 'Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}' >/dev/null
is "$(awsx elbv2 describe-listeners --listener-arns "$listener" --query 'Listeners[0].DefaultActions[0]' | jq -c '{Type, RedirectConfig}')" \
	'{"Type":"redirect","RedirectConfig":{"Protocol":"HTTPS","Port":"443","Host":"#{host}","Path":"/#{path}","Query":"#{query}","StatusCode":"HTTP_301"}}' \
	"[RED] a redirect listener round-trips"
is "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$SIM_URL/_sim/app/ap-northeast-2/owners?id=7")" \
	"301 https://127.0.0.1/owners?id=7" "the load balancer answers the redirect itself, keeping host, path and query"
awsx elbv2 modify-listener --listener-arn "$listener" \
	--default-actions 'Type=fixed-response,FixedResponseConfig={StatusCode=503,ContentType=text/plain,MessageBody=maintenance}' >/dev/null
is "$(awsx elbv2 describe-listeners --listener-arns "$listener" --query 'Listeners[0].DefaultActions[0].FixedResponseConfig' | jq -c .)" \
	'{"MessageBody":"maintenance","StatusCode":"503","ContentType":"text/plain"}' "[ACT] a fixed-response listener round-trips"
is "$(curl -s -w ' %{http_code}' "$SIM_URL/_sim/app/ap-northeast-2/")" "maintenance 503" "and the load balancer answers it"
like "$(awsx elbv2 modify-listener --listener-arn "$listener" \
	--default-actions 'Type=redirect,RedirectConfig={StatusCode=HTTP_307}' 2>&1)" "ValidationError" \
	"[RED] StatusCode other than HTTP_301 / HTTP_302 is refused"

# [CON] rule conditions are stored and returned: host-header, http-header, query-string.
rule=$(awsx elbv2 describe-rules --listener-arn "$listener" --query 'Rules[?IsDefault==`false`].RuleArn | [0]' | jq -r .)
awsx elbv2 modify-rule --rule-arn "$rule" --conditions \
	'[{"Field":"host-header","HostHeaderConfig":{"Values":["api.example.com"]}},
	  {"Field":"http-header","HttpHeaderConfig":{"HttpHeaderName":"X-Canary","Values":["on"]}},
	  {"Field":"query-string","QueryStringConfig":{"Values":[{"Key":"v","Value":"2"}]}}]' >/dev/null
is "$(awsx elbv2 describe-rules --rule-arns "$rule" --query 'Rules[0].Conditions' | jq -c '[.[] | {Field, c: (.HostHeaderConfig // .HttpHeaderConfig // .QueryStringConfig)}]')" \
	'[{"Field":"host-header","c":{"Values":["api.example.com"]}},{"Field":"http-header","c":{"HttpHeaderName":"X-Canary","Values":["on"]}},{"Field":"query-string","c":{"Values":[{"Key":"v","Value":"2"}]}}]' \
	"[CON] host-header, http-header and query-string conditions round-trip"
like "$(awsx elbv2 modify-rule --rule-arn "$rule" --conditions \
	'[{"Field":"path-pattern","Values":["/a","/b","/c"]},{"Field":"host-header","Values":["x","y","z"]}]' 2>&1)" \
	"TooManyConditionValues" "[CON] more than five condition values in a rule is refused"

# [RCT] the load balancer routes by them: the first rule (by priority) whose conditions all
# hold, else the default action (here the fixed response). Host names, header values and
# query strings match case-insensitively (the Host's port aside); path patterns do not.
appq() { curl -s -w ' %{http_code}' "$@"; }
like "$(appq -H 'Host: API.Example.com:8080' -H 'X-Canary: ON' "$SIM_URL/_sim/app/ap-northeast-2/owners?V=2")" \
	'region=ap-northeast-2 tg=petclinic-tg-blue' "[RCT] host, header and query all match: the rule forwards"
is "$(appq -H 'Host: api.example.com' "$SIM_URL/_sim/app/ap-northeast-2/owners?v=2")" "maintenance 503" \
	"[RCT] the header missing: the default action"
is "$(appq -H 'Host: api.example.com' -H 'X-Canary: on' "$SIM_URL/_sim/app/ap-northeast-2/owners?v=3")" "maintenance 503" \
	"[RCT] another query value: the default action"
awsx elbv2 modify-rule --rule-arn "$rule" --conditions '[{"Field":"path-pattern","PathPatternConfig":{"Values":["/API/*"]}},
	{"Field":"http-request-method","HttpRequestMethodConfig":{"Values":["GET"]}}]' >/dev/null
is "$(appq "$SIM_URL/_sim/app/ap-northeast-2/api/owners")" "maintenance 503" "[RCT] path patterns are case-sensitive"
awsx elbv2 modify-rule --rule-arn "$rule" --conditions '[{"Field":"path-pattern","PathPatternConfig":{"Values":["/api/*"]}},
	{"Field":"source-ip","SourceIpConfig":{"Values":["127.0.0.0/8"]}}]' >/dev/null
like "$(appq "$SIM_URL/_sim/app/ap-northeast-2/api/owners")" 'tg=petclinic-tg-blue' \
	"[RCT] /api/* from a loopback client: the rule forwards"

# [SDC] HonorCooldown: "whether Amazon EC2 Auto Scaling waits for the cooldown period to
# complete before initiating a scaling activity"; "By default, Amazon EC2 Auto Scaling does
# not honor the cooldown period during manual scaling activities." Refused with
# ScalingActivityInProgress (HTTP 400) while the scale-out just started runs.
g=petclinic-asg-was-blue
d=$(awsx autoscaling describe-auto-scaling-groups --auto-scaling-group-names $g --query 'AutoScalingGroups[0].DesiredCapacity')
awsx autoscaling set-desired-capacity --auto-scaling-group-name $g --desired-capacity $((d + 1)) >/dev/null
ok $? "[SDC] a scale-out without HonorCooldown"
like "$(awsx autoscaling set-desired-capacity --auto-scaling-group-name $g --desired-capacity $((d + 2)) --honor-cooldown 2>&1)" \
	"ScalingActivityInProgress.*is in progress and blocks this action" "[SDC] HonorCooldown during the activity: refused"
is "$(awsx autoscaling describe-auto-scaling-groups --auto-scaling-group-names $g --query 'AutoScalingGroups[0].DesiredCapacity')" \
	"$((d + 1))" "[SDC] and the desired capacity is unchanged"
awsx autoscaling set-desired-capacity --auto-scaling-group-name $g --desired-capacity $((d + 2)) --no-honor-cooldown >/dev/null
ok $? "[SDC] --no-honor-cooldown overrides the cooldown"

# [DA] DescribeAlarms: ActionPrefix "Use this parameter to filter the results of the
# operation to only those alarms that use a certain alarm action" (the sim's alarms have
# none); ChildrenOfAlarmName / ParentsOfAlarmName with another parameter than MaxRecords and
# NextToken: "you receive a validation error".
is "$(awsx cloudwatch describe-alarms --query 'length(MetricAlarms)')" 6 "[DA] six alarms without a filter"
is "$(awsx cloudwatch describe-alarms --action-prefix arn:aws:sns --query 'length(MetricAlarms)')" 0 \
	"[DA] ActionPrefix: no alarm has an action with the prefix"
is "$(awsx cloudwatch describe-alarms --parents-of-alarm-name petclinic-ap-northeast-2-elb-5xx --query 'length(MetricAlarms)')" 0 \
	"[DA] ParentsOfAlarmName: no composite alarm is a parent"
like "$(awsx cloudwatch describe-alarms --children-of-alarm-name x --state-value ALARM 2>&1)" "ValidationError" \
	"[DA] ChildrenOfAlarmName with StateValue: a validation error"
done_testing
