#!/bin/sh
# test_call.sh — `flightdeck call` end to end against `flightdeck sim`: output,
# exit codes, usage errors, read-only, retries, the debug log, every operation.
. "$FD_SRCDIR/tests/tap.sh"

. "$FD_SRCDIR/tests/sim/lib.sh"
start_sim || { echo "Bail out! the simulator did not start"; exit 1; }
ep=$SIM_URL
tmp=$SIM_TMP

# fd ARGS...: run flightdeck in a clean environment with the simulator's keys.
fd() {
	env -i PATH=/usr/bin:/bin HOME="$tmp" AWS_CONFIG_FILE="$tmp/none" \
		AWS_SHARED_CREDENTIALS_FILE="$tmp/none" AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM \
		AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret AWS_REGION=ap-northeast-2 \
		${FD_EXTRA_ENV:-} "$FD_BIN" "$@"
}

out=$(fd call sts get-caller-identity --endpoint-url "$ep" 2>"$tmp/err"); rc=$?
is "$rc" 0 "sts get-caller-identity exits 0"
is "$out" '{
    "Arn": "arn:aws:iam::123456789012:user/flightdeck-sim",
    "UserId": "AIDAFLIGHTDECKSIM0001",
    "Account": "123456789012"
}' "pretty JSON on stdout, Account a string"
is "$(cat "$tmp/err")" "" "nothing on stderr"

out=$(fd --endpoint-url "$ep" call sts GetCallerIdentity 2>/dev/null); rc=$?
is "$rc" 0 "API name and a global option before the command"

# AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> instead of --endpoint-url.
out=$(FD_EXTRA_ENV="AWS_ENDPOINT_URL=$ep" fd call sts get-caller-identity 2>&1); rc=$?
is "$rc" 0 "AWS_ENDPOINT_URL is honoured"
out=$(FD_EXTRA_ENV="AWS_ENDPOINT_URL_STS=$ep" fd call sts get-caller-identity 2>&1); rc=$?
is "$rc" 0 "AWS_ENDPOINT_URL_STS is honoured"

# Usage errors: exit 2 with the valid names.
err=$(fd call ecs list-clusters 2>&1 >/dev/null); rc=$?
is "$rc" 2 "unknown service exits 2"
is "$err" "flightdeck call: unknown service 'ecs'; services: cloudwatch autoscaling elbv2 route53 xray sts rds route53-recovery-cluster sso ec2 elasticache cloudfront" \
	"unknown service lists the services"
err=$(fd call rds delete-db-instance 2>&1 >/dev/null); rc=$?
is "$rc" 2 "unknown operation exits 2"
is "$err" "flightdeck call: rds has no operation 'delete-db-instance'; operations of rds:
  DescribeDBInstances            describe-db-instances
  PromoteReadReplica             promote-read-replica  (changes state)
  CreateDBInstanceReadReplica    create-db-instance-read-replica  (changes state)" "unknown operation lists the operations"
err=$(fd call autoscaling describe-auto-scaling-groups AutoScalingGroupName=x --endpoint-url "$ep" 2>&1 >/dev/null); rc=$?
is "$rc" 2 "unknown parameter exits 2"
is "$err" "flightdeck call: DescribeAutoScalingGroups has no parameter 'AutoScalingGroupName'; valid: AutoScalingGroupNames, Filters, MaxRecords, NextToken" \
	"unknown parameter lists the valid parameters"
printf '{\n  "AutoScalingGroupNames": [\n' >"$tmp/bad.json"
err=$(fd call autoscaling describe-auto-scaling-groups --input-json "$tmp/bad.json" 2>&1 >/dev/null); rc=$?
is "$rc" 2 "invalid --input-json exits 2"
like "$err" "^flightdeck call: $tmp/bad.json:3: " "the message names the file and line"
err=$(echo '[1]' | fd call autoscaling describe-auto-scaling-groups --input-json - 2>&1 >/dev/null); rc=$?
is "$rc" 2 "--input-json - must be an object"
err=$(fd call sts 2>&1 >/dev/null); rc=$?
is "$rc" 2 "a missing operation exits 2"
err=$(fd call sts get-caller-identity --bogus 2>&1 >/dev/null); rc=$?
is "$rc" 2 "an unknown option exits 2"
err=$(env -i PATH=/usr/bin:/bin HOME="$tmp" AWS_CONFIG_FILE="$tmp/none" AWS_SHARED_CREDENTIALS_FILE="$tmp/none" \
	AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=y "$FD_BIN" call autoscaling describe-policies --endpoint-url "$ep" 2>&1 >/dev/null); rc=$?
is "$rc" 2 "no region exits 2"
like "$err" "NoRegion" "and says so"
out=$(fd call --help); rc=$?
is "$rc" 0 "call --help exits 0"
like "$out" "usage: flightdeck call SERVICE OPERATION" "call --help prints the usage"

# An AWS error: SERVICE OPERATION: Code: Message (request id ID), exit 1.
err=$(env -i PATH=/usr/bin:/bin HOME="$tmp" AWS_CONFIG_FILE="$tmp/none" AWS_SHARED_CREDENTIALS_FILE="$tmp/none" \
	AWS_ACCESS_KEY_ID=AKIDNOTKNOWN AWS_SECRET_ACCESS_KEY=x AWS_REGION=ap-northeast-2 \
	"$FD_BIN" call sts get-caller-identity --endpoint-url "$ep" 2>&1 >/dev/null); rc=$?
is "$rc" 1 "an AWS error exits 1"
like "$err" "^sts GetCallerIdentity: [A-Za-z]+: .+ \(request id [^)]+\)$" "the error line names service, operation, code, message and request id"

# Read-only: refused before sending.
err=$(fd --read-only call autoscaling set-desired-capacity AutoScalingGroupName=petclinic-blue \
	DesiredCapacity=4 --endpoint-url "$ep" 2>&1 >/dev/null); rc=$?
is "$rc" 1 "read-only refusal exits 1"
is "$err" "autoscaling SetDesiredCapacity: ReadOnly: refusing autoscaling SetDesiredCapacity: read-only mode (it changes AWS state)" \
	"read-only refusal message"

# Retries against an injected throttle, seen in the debug log; secrets redacted.
"$FD_BIN" sim fault throttle:GetCallerIdentity:1 --endpoint-url "$ep" >/dev/null 2>&1 ||
	curl -s -X POST --data 'throttle:GetCallerIdentity:1' "$ep/_sim/fault" >/dev/null
err=$(FD_EXTRA_ENV="AWS_SESSION_TOKEN=SESSIONTOKENVALUE" fd call sts get-caller-identity --debug "$tmp/debug.log" --endpoint-url "$ep" 2>&1 >/dev/null); rc=$?
is "$rc" 1 "throttled on every attempt: exit 1"
like "$err" "^sts GetCallerIdentity: Throttling" "the last error is the throttling"
is "$(grep -c '"event":"request",.*"method":"POST"' "$tmp/debug.log")" 3 "three attempts in the debug log (JSON lines)"
is "$(grep -c '\["amz-sdk-request","attempt=3; max=3"\]' "$tmp/debug.log")" 1 "the third says attempt=3; max=3"
is "$(grep -c '"event":"retry",.*"decision":"giving up"' "$tmp/debug.log")" 1 "and the last decision is to give up"
is "$(/usr/bin/python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]; print("json")' "$tmp/debug.log" 2>&1)" json \
	"every line of the debug log is a JSON object"
is "$(grep -c 'SESSIONTOKENVALUE' "$tmp/debug.log")" 0 "the session token is not in the debug log"
is "$(grep -c 'flightdeck/sim/secret' "$tmp/debug.log")" 0 "the secret key is not in the debug log"
is "$(grep -c '\["Authorization","\[redacted\]"\]' "$tmp/debug.log")" 3 "Authorization redacted"
is "$(grep -c '\["X-Amz-Security-Token","\[redacted\]"\]' "$tmp/debug.log")" 3 "X-Amz-Security-Token redacted"
is "$(stat -c %a "$tmp/debug.log")" 600 "the debug log is private (0600)"
err=$(FD_EXTRA_ENV="AWS_MAX_ATTEMPTS=1" fd call sts get-caller-identity --debug "$tmp/debug1.log" --endpoint-url "$ep" 2>&1 >/dev/null)
is "$(grep -c '"event":"request"' "$tmp/debug1.log")" 1 "AWS_MAX_ATTEMPTS=1: one attempt"
"$FD_BIN" sim clear --endpoint-url "$ep" >/dev/null 2>&1 || curl -s -X POST "$ep/_sim/clear" >/dev/null

# Every read-only operation of the table against the simulator: exit 0 and a JSON
# object. One the simulator does not serve yet is marked PENDING with the reason:
# it must still fail (when it starts to work, the mark has to go), and every
# read-only row of the table must be in this list. Mutating operations change the
# world; the runbook end-to-end tests prove them against the simulator.
arc="arn:aws:route53-recovery-control::123456789012:controlpanel/petclinic/routingcontrol/seoul"
# pick EXPR SERVICE OPERATION [ARGS]: a value out of a call's result (Python on "d").
pick() {
	expr=$1; shift
	fd call "$@" --endpoint-url "$ep" 2>/dev/null |
		/usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$expr" 2>/dev/null
}
hc=$(pick 'd["HealthChecks"][0]["Id"]' route53 list-health-checks)
zone=$(pick 'd["HostedZones"][0]["Id"]' route53 list-hosted-zones)
lb=$(pick 'd["LoadBalancers"][0]["LoadBalancerArn"]' elbv2 describe-load-balancers)
listener=$(pick 'd["Listeners"][0]["ListenerArn"]' elbv2 describe-listeners LoadBalancerArn="$lb")
tg=$(pick 'd["TargetGroups"][0]["TargetGroupArn"]' elbv2 describe-target-groups)
asg=$(pick 'd["AutoScalingGroups"][0]["AutoScalingGroupName"]' autoscaling describe-auto-scaling-groups)
policy=$(pick '[p["PolicyName"] for p in d["ScalingPolicies"] if p.get("PolicyType") == "PredictiveScaling"][0]' \
	autoscaling describe-policies)
listed=" "
while IFS='|' read -r svc op args; do
	[ -n "$svc" ] || continue
	listed="$listed$svc:$op "
	case $args in PENDING*) callargs="" ;; *) callargs=$args ;; esac
	# shellcheck disable=SC2086
	out=$(eval fd call "$svc" "$op" $callargs --endpoint-url "$ep" 2>"$tmp/err"); rc=$?
	works=1
	if [ "$rc" = 0 ] && printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; assert isinstance(json.load(sys.stdin), dict)' 2>/dev/null; then
		works=0
	fi
	case $args in
	PENDING*)
		ok "$((1 - works))" "$svc $op: pending (${args#PENDING }), so it must not work yet"
		;;
	*)
		ok "$works" "$svc $op: exit 0, a JSON object"
		[ "$works" = 0 ] || echo "# rc $rc: $(head -c 300 "$tmp/err")"
		;;
	esac
done <<EOF
sts|get-caller-identity|
sts|assume-role|RoleArn=arn:aws:iam::123456789012:role/oncall RoleSessionName=test
sts|assume-role-with-web-identity|PENDING a credential call: tests/creds/test_providers.c drives it against a fake STS
cloudwatch|describe-alarms|
cloudwatch|describe-alarm-history|
cloudwatch|get-metric-data|--input-json "$FD_SRCDIR/tests/client/input/get-metric-data.json"
xray|get-service-graph|StartTime=2026-11-24T05:00:00Z EndTime=2026-11-24T05:10:00Z
xray|get-trace-summaries|StartTime=2026-11-24T05:00:00Z EndTime=2026-11-24T05:10:00Z
xray|batch-get-traces|TraceIds=1-5f84c7a1-0123456789abcdef01234567
route53|list-health-checks|
route53|get-health-check|HealthCheckId=$hc
route53|get-health-check-status|HealthCheckId=$hc
route53|list-hosted-zones|
route53|list-resource-record-sets|HostedZoneId=$zone
route53|get-change|PENDING needs the id of a change a mutating call made: the runbook end-to-end tests call it
route53|test-dns-answer|HostedZoneId=$zone RecordName=app.petclinic.example.com RecordType=A
autoscaling|describe-auto-scaling-groups|--all-pages
autoscaling|describe-scaling-activities|
autoscaling|describe-policies|
autoscaling|get-predictive-scaling-forecast|AutoScalingGroupName=$asg PolicyName=$policy StartTime=2026-11-24T05:00:00Z EndTime=2026-11-25T05:00:00Z
autoscaling|describe-instance-refreshes|PENDING the simulator serves instance refreshes from a later issue (the deploy runbook)
elbv2|describe-load-balancers|--all-pages
elbv2|describe-target-groups|
elbv2|describe-target-health|TargetGroupArn=$tg
elbv2|describe-listeners|LoadBalancerArn=$lb
elbv2|describe-rules|ListenerArn=$listener
rds|describe-db-instances|
route53-recovery-cluster|list-routing-controls|
route53-recovery-cluster|get-routing-control-state|RoutingControlArn=$arc
sso|get-role-credentials|PENDING a credential call to the SSO portal: tests/creds/test_providers.c drives it against a fake portal
ec2|describe-network-interfaces|
ec2|describe-launch-template-versions|LaunchTemplateName=petclinic-was-blue
elasticache|describe-replication-groups|
elasticache|describe-cache-clusters|ShowCacheNodeInfo=true
elasticache|describe-events|Duration=60
cloudfront|list-distributions|
cloudfront|get-distribution|Id=E1PC7QW5TZ0K9X
cloudfront|get-monitoring-subscription|DistributionId=E1PC7QW5TZ0K9X
EOF
# Every read-only row of the table is in the list above.
missing=""
for svc in $("$FD_BIN" call --help | sed -n 's/^services: //p'); do
	for op in $("$FD_BIN" call "$svc" --help | awk '/^operations of/ { on = 1; next } on && /^  / && !/changes state/ { print $2 }'); do
		case $listed in *" $svc:$op "*) ;; *) missing="$missing $svc:$op" ;; esac
	done
done
is "$missing" "" "every read-only operation of the table is called or marked pending"

done_testing
