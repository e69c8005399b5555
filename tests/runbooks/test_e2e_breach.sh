#!/usr/bin/env bash
# test_e2e_breach.sh — a probe's failures while it watches a change are a breach (issue 13):
# above max_failed (default 0: any failed check) the step in progress fails and the run rolls
# back, like a metric breach; max_failed 1 tolerates them and the downtime is measured. The
# simulator's app fails every request to blue (all the traffic) from right after the
# run's mutating call.
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"
cat > "$tmp/watched.yaml" <<'YAML'
description: a probe watching a change
parameters:
  url: {type: string}
  max_failed: {type: number, default: 0}
steps:
  - name: blue
    action: aws
    inputs: {service: elbv2, operation: DescribeTargetGroups, input: {Names: [petclinic-tg-blue]}}
    outputs: {Arn: '.TargetGroups[0].TargetGroupArn'}
  - name: probe
    action: probe
    inputs: {url: "{{ parameters.url }}", interval: 100ms, baseline: 2, max_failed: "{{ parameters.max_failed }}", during: [set, sick]}
    measure: downtime_s
  - name: set
    action: aws
    inputs:
      service: autoscaling
      operation: SetDesiredCapacity
      input: {AutoScalingGroupName: petclinic-asg-was-blue, DesiredCapacity: 3}
      confirm: petclinic-asg-was-blue
  # until the load balancer sees the bad deploy (no fixed nap: the checks fail long before)
  - name: sick
    action: wait
    timeout: 120s
    inputs:
      service: elbv2
      operation: DescribeTargetHealth
      input: {TargetGroupArn: "{{ blue.Arn }}"}
      until: '[.TargetHealthDescriptions[] | select(.TargetHealth.State == "healthy")] | length == 0'
      interval: 1s
rollback:
  - name: back
    action: aws
    inputs:
      service: autoscaling
      operation: SetDesiredCapacity
      input: {AutoScalingGroupName: petclinic-asg-was-blue, DesiredCapacity: 2}
      confirm: petclinic-asg-was-blue
YAML
# run_watched ARGS...: a run of watched.yaml against a fresh simulator's app; every request to
# blue (all the traffic) fails with 500 from the run's first mutating call on
run_watched() {
	sim_start
	( for _ in $(seq 600); do
		curl -s "$ENDPOINT/_sim/requests" | grep -q '"mutating":true' && break
		sleep 0.1
	done
	curl -s -X POST -d bad-deploy:petclinic-tg-blue:1.0 "$ENDPOINT/_sim/fault" > /dev/null ) &
	local injector=$!
	out=$("$FD_BIN" runbook run "$tmp/watched.yaml" --yes -p url="$ENDPOINT/_sim/app/ap-northeast-2/" "$@" 2>&1); rc=$?
	wait "$injector"
}
run_watched
is "$rc" 1 "max_failed 0 (the default): checks failing during the change fail the run"
like "$(printf '%s\n' "$out" | tail -n 1)" \
	"^runbook watched: FAILED \(step (set|sick): probe probe: [0-9]+ of [0-9]+ checks of .* failed \([0-9.]+ %, max_failed 0\.0 %; last: HTTP 500\)\); rolled back in [0-9.]+ s, downtime [0-9.]+ s \(run " \
	"a breach, rolled back, with the downtime" || printf '%s\n' "$out" | tail -n 5 | sed 's/^/#   /'
is "$(mutations | tr '\n' ';')" \
	"autoscaling SetDesiredCapacity ap-northeast-2;autoscaling SetDesiredCapacity ap-northeast-2;" \
	"the change, then its rollback"
like "$(curl -s "$ENDPOINT/_sim/state")" '"faults": ?"bad-deploy:petclinic-tg-blue:1' "(the fault was injected)"

run_watched -p max_failed=1
is "$rc" 0 "max_failed 1: the same failures are tolerated"
like "$(printf '%s\n' "$out" | tail -n 1)" "^runbook watched: done in [0-9.]+ s, downtime [1-9][0-9]*\.[0-9] s \(run " \
	"and the downtime they made is measured" || printf '%s\n' "$out" | tail -n 5 | sed 's/^/#   /'
like "$out" "probe probe: [0-9]+ checks of .* every 100 ms, [1-9][0-9]* failed" "the probe counted the failed checks"
is "$(mutations | wc -l)" 1 "the change alone, no rollback"
done_testing
