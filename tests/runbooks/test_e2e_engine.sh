#!/usr/bin/env bash
# test_e2e_engine.sh — the engine fails closed, the real binary against `flightdeck sim`
# (issue 13; the same rules with a fake AWS and clock: test_rb_failclosed.c). A jq program that
# fails at run time in outputs, until, condition, current.value, applied or a metric's
# condition fails its step with jq's message and the program's FILE:LINE; a template without a
# value fails the step that uses it (plan: exit 2); a metric with no datapoints is "no data",
# never 0, unless on_no_data says otherwise; a watch shorter than two periods plus the
# publishing delay is refused before the run. Each runbook has a mutating step after the one
# that must stop it: the simulator must see no mutating call.
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"
sim_start
rb=$tmp/rb
mkdir -p "$rb"
# A runbook: its first steps from stdin (6 spaces of indent is a step's key), then a change.
mk() { # mk NAME < STEPS
	{
		printf 'description: %s\nparameters:\n  empty: {type: string, default: ""}\nsteps:\n' "$1"
		cat
		printf '  - name: change\n    action: aws\n    inputs:\n      service: autoscaling\n'
		printf '      operation: SetDesiredCapacity\n'
		printf '      input: {AutoScalingGroupName: petclinic-asg-was-blue, DesiredCapacity: 3}\n'
		printf '      confirm: petclinic-asg-was-blue\n'
	} > "$rb/$1.yaml"
}
# run_fails NAME LINE WHAT: the run fails at line LINE of NAME.yaml with WHAT, changing nothing
run_fails() {
	local out rc last
	out=$("$FD_BIN" runbook run "$rb/$1.yaml" --yes 2>&1); rc=$?
	last=$(printf '%s\n' "$out" | tail -n 1)
	is "$rc" 1 "$1: the run fails"
	like "$last" "^runbook $1: FAILED \(step [a-z_]+: (.*: )?$rb/$1\.yaml:$2: step '[a-z_]+': $3\); nothing was changed \(run " \
		"$1: the last line names FILE:LINE and the error" || printf '%s\n' "$out" | tail -n 5 | sed 's/^/#   /'
	is "$(mutating_count)" 0 "$1: no mutating call reached the simulator"
}
# The ALB's RequestCount (the simulator publishes its history from the start).
LB_DIM=$(curl -s "$ENDPOINT/_sim/state" | /usr/bin/python3 -c '
import json, sys
print(json.load(sys.stdin)["regions"][0]["load_balancers"][0]["arn"].split("loadbalancer/")[1])')
like "$LB_DIM" "^app/petclinic-alb/" "the simulator's ALB ($LB_DIM)"

mk outputs <<'EOF'
  - name: read
    action: aws
    inputs: {service: autoscaling, operation: DescribeAutoScalingGroups}
    outputs:
      N: '.AutoScalingGroups | .x'
EOF
run_fails outputs 9 'outputs\.N: jq: Cannot index array with string "x"'

mk until <<'EOF'
  - name: w
    action: wait
    timeout: 30s
    inputs: {service: autoscaling, operation: DescribeAutoScalingGroups, until: '.AutoScalingGroups.x', interval: 1s}
EOF
run_fails until 8 'until: jq: Cannot index array with string "x"'

mk condition <<'EOF'
  - name: a
    action: assert
    inputs: {service: autoscaling, operation: DescribeAutoScalingGroups, condition: '.AutoScalingGroups.x'}
EOF
run_fails condition 7 'condition: jq: Cannot index array with string "x"'

mk current <<'EOF'
  - name: set
    action: aws
    inputs:
      service: autoscaling
      operation: SetDesiredCapacity
      input: {AutoScalingGroupName: petclinic-asg-was-blue, DesiredCapacity: 3}
      current:
        operation: DescribeAutoScalingGroups
        input: {AutoScalingGroupNames: [petclinic-asg-was-blue]}
        value: '.AutoScalingGroups.x'
      new: "3"
      confirm: petclinic-asg-was-blue
EOF
run_fails current 14 'current\.value: jq: Cannot index array with string "x"'

mk applied <<'EOF'
  - name: set
    action: aws
    inputs:
      service: autoscaling
      operation: SetDesiredCapacity
      input: {AutoScalingGroupName: petclinic-asg-was-blue, DesiredCapacity: 3}
      current:
        operation: DescribeAutoScalingGroups
        input: {AutoScalingGroupNames: [petclinic-asg-was-blue]}
        value: '.AutoScalingGroups[0].DesiredCapacity'
      applied: '.AutoScalingGroups.x'
      new: "3"
      confirm: petclinic-asg-was-blue
EOF
run_fails applied 15 'applied: jq: Cannot index array with string "x"'

# A metric with data (the ALB's requests): its condition's jq error is an error, not a breach
# or a pass.
mk metric_jq <<EOF
  - name: m
    action: metric
    inputs:
      period: 60
      on_no_data: pass
      queries:
        - {Id: req, MetricStat: {Metric: {Namespace: AWS/ApplicationELB, MetricName: RequestCount, Dimensions: [{Name: LoadBalancer, Value: $LB_DIM}]}, Stat: Sum}}
      condition: '.req.x'
EOF
run_fails metric_jq 12 'condition: jq: Cannot index number with string "x"'

# Templates: a value that is null (the jq found nothing) or empty fails the step that uses it
# (FILE:LINE of that step).
mk missing <<'EOF'
  - name: find
    action: aws
    inputs: {service: autoscaling, operation: DescribeAutoScalingGroups}
    outputs:
      Name: '[.AutoScalingGroups[] | select(.AutoScalingGroupName == "nosuch")][0].AutoScalingGroupName'
  - name: use
    action: aws
    inputs:
      service: autoscaling
      operation: SetDesiredCapacity
      input: {AutoScalingGroupName: '{{ find.Name }}', DesiredCapacity: 3}
      confirm: x
EOF
run_fails missing 10 '\{\{ find\.Name \}\} is null'
out=$("$FD_BIN" runbook plan "$rb/missing.yaml" 2>&1); rc=$?
is "$rc" 2 "plan of a template without a value exits 2"
like "$(printf '%s\n' "$out" | tail -n 1)" "^runbook missing: plan: error at step use: .*\{\{ find\.Name \}\} is null" \
	"and names the step and the template"
is "$(grep -c 'would go through' <<<"$out")" 0 "never 'the run would go through'"

mk empty <<'EOF'
  - name: use
    action: aws
    inputs:
      service: autoscaling
      operation: SetDesiredCapacity
      input: {AutoScalingGroupName: '{{ parameters.empty }}', DesiredCapacity: 3}
      confirm: x
EOF
run_fails empty 5 '\{\{ parameters\.empty \}\} is empty'

# No data is not zero: a load balancer with no datapoints. CloudWatch returns no values, no
# error, for a metric that has none (the simulator does the same: tests/sim/svc_botocore.py).
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
nodata() { # nodata NAME ON_NO_DATA
	mk "$1" <<EOF
  - name: m
    action: metric
    inputs:
      period: 60
      on_no_data: $2
      queries:
        - {Id: errors, MetricStat: {Metric: {Namespace: AWS/ApplicationELB, MetricName: HTTPCode_Target_5XX_Count, Dimensions: [{Name: LoadBalancer, Value: app/nosuch/0123456789abcdef}]}, Stat: Sum}}
      condition: '.errors < 10'
      message: too many 5xx
EOF
}
nodata nodata_fail fail
out=$("$FD_BIN" runbook run "$rb/nodata_fail.yaml" --yes 2>&1); rc=$?
is "$rc" 1 "a check on a metric without datapoints fails (on_no_data: fail)"
like "$(printf '%s\n' "$out" | tail -n 1)" "FAILED \(step m: no data: no complete 60-s datapoint .*\); nothing was changed" \
	"saying no data, never judging 0"
is "$(mutating_count)" 0 "and changes nothing"
nodata nodata_pass pass
out=$("$FD_BIN" runbook run "$rb/nodata_pass.yaml" --yes 2>&1); rc=$?
is "$rc" 0 "on_no_data: pass lets it through (the runbook's explicit choice)"
like "$out" "no data: no complete datapoint; on_no_data: pass" "saying so"
is "$(mutations | tr '\n' ';')" "autoscaling SetDesiredCapacity ap-northeast-2;" "then the change is made"

# A number parameter in a message reads as it was given (the cutover's breach said "above
# max_5xx_rate 0.050000000000000003").
cat > "$rb/number.yaml" <<'EOF'
description: a number in a message
parameters:
  rate: {type: number, default: 0.05}
steps:
  - name: a
    action: assert
    inputs: {value: 1, condition: 'false', message: "above max_5xx_rate {{ parameters.rate }}"}
EOF
out=$("$FD_BIN" runbook run "$rb/number.yaml" --yes 2>&1)
like "$(printf '%s\n' "$out" | tail -n 1)" "assertion failed: above max_5xx_rate 0\.05\); nothing was changed" "0.05 shows as 0.05"
out=$("$FD_BIN" runbook run "$rb/number.yaml" --yes -p rate=0.1 2>&1)
like "$(printf '%s\n' "$out" | tail -n 1)" "assertion failed: above max_5xx_rate 0\.1\); nothing was changed" "-p rate=0.1 as 0.1"

# A watch too short for one-minute metrics: refused before the run, with the arithmetic.
sim_start
out=$("$FD_BIN" runbook run blue-green-cutover --yes -p probe_url="$ENDPOINT/_sim/app/ap-northeast-2/" -p watch=60s 2>&1); rc=$?
is "$rc" 2 "blue-green-cutover with a 60 s watch of 60 s periods (delay 2 min) is refused (exit 2)"
like "$out" "^flightdeck: [^ ]*/blue-green-cutover\.yaml:[0-9]+: step 'watch_10': a 60 s watch is shorter than two periods plus the publishing delay \(2 x 60 s \+ 120 s\)" \
	"before the run starts, naming FILE:LINE, the step and the arithmetic"
is "$(mutating_count)" 0 "the simulator saw no mutating call"
out=$("$FD_BIN" runbook plan blue-green-cutover -p probe_url="$ENDPOINT/_sim/app/ap-northeast-2/" -p watch=60s 2>&1); rc=$?
ok "$([ "$rc" -ne 0 ]; echo $?)" "its plan does not exit 0 (exit $rc)"
like "$out" "shorter than two periods plus the publishing delay" "and says why"
done_testing
