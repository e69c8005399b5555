#!/usr/bin/env bash
# test_measurements.sh — a runbook's figures are recorded for its stack with its run id;
# `flightdeck measurements list [--stack NAME]` shows them and `measurements drop RUN-ID`
# removes one run's figures (a bad game day), leaving the others (issue 13). A run that
# changed nothing (all in place) records nothing: its figure would measure no change.
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"
sim_start   # the caller identity a run reads first
cat > "$tmp/timed.yaml" <<'YAML'
description: a change, then a step whose duration is a figure
parameters:
  stack: {type: string, default: petclinic}
  desired: {type: integer, default: 3}
steps:
  - name: set
    action: aws
    inputs:
      service: autoscaling
      operation: SetDesiredCapacity
      input: {AutoScalingGroupName: petclinic-asg-was-blue, DesiredCapacity: "{{ parameters.desired }}"}
      current:
        operation: DescribeAutoScalingGroups
        input: {AutoScalingGroupNames: [petclinic-asg-was-blue]}
        value: '.AutoScalingGroups[0].DesiredCapacity'
      new: "{{ parameters.desired }}"
      confirm: petclinic-asg-was-blue
  - name: nap
    action: sleep
    inputs: {duration: 100ms}
    measure: rto_s
YAML
run_id() { sed -n 's/.*(run \([^)]*\))$/\1/p' <<<"$1" | tail -n 1; }

out=$("$FD_BIN" runbook run "$tmp/timed.yaml" --yes 2>&1); rc=$?
is "$rc" 0 "a run that measures its step"
like "$(tail -n 1 <<<"$out")" "done in [0-9.]+ s, RTO [0-9.]+ s \(run " "its last line carries the figure"
a=$(run_id "$out")
out=$("$FD_BIN" runbook run "$tmp/timed.yaml" --yes -p stack=shop -p desired=4 2>&1)
b=$(run_id "$out")
ok "$([ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ]; echo $?)" "two runs, two run ids ($a, $b)"

list=$("$FD_BIN" measurements list 2>&1); rc=$?
is "$rc" 0 "measurements list"
like "$list" "petclinic +timed +rto_s +[0-9.]+ +$a" "shows the first run's figure for its stack (the parameter's default)"
like "$list" "shop +timed +rto_s +[0-9.]+ +$b" "and the second's for the stack it was given"
list=$("$FD_BIN" measurements list --stack shop 2>&1)
is "$(grep -c rto_s <<<"$list")" 1 "--stack shop shows that stack's figure only"

# The same run again: the group already wants 4, nothing is sent, nothing is recorded.
before=$(cat "$HOME/state/flightdeck/measurements.jsonl")
out=$("$FD_BIN" runbook run "$tmp/timed.yaml" --yes -p stack=shop -p desired=4 2>&1); rc=$?
is "$rc" 0 "a run that finds its change in place is done"
like "$out" "measured rto_s = [0-9.]+ s: not recorded \(nothing was changed: it measures no change\)" "its figure is shown as not recorded"
like "$(tail -n 1 <<<"$out")" "^runbook timed: done in [0-9.]+ s; nothing was changed \(all in place\) \(run " \
	"its last line says nothing was changed, with no figure"
is "$(cat "$HOME/state/flightdeck/measurements.jsonl")" "$before" "and the measurements are as they were"
is "$(mutations | wc -l)" 2 "(two changes in three runs)"

out=$("$FD_BIN" measurements drop "$a" 2>&1); rc=$?
is "$rc" 0 "measurements drop RUN-ID"
is "$out" "dropped 1 measurement of run $a" "says what it removed"
list=$("$FD_BIN" measurements list 2>&1)
is "$(grep -c "$a" <<<"$list")" 0 "the dropped run's figure is gone"
is "$(grep -c "$b" <<<"$list")" 1 "the other run's figure stays"
out=$("$FD_BIN" measurements drop "$a" 2>&1); rc=$?
is "$rc" 1 "dropping it again finds nothing"
like "$out" "no measurements of run $a" "and says so"
done_testing
