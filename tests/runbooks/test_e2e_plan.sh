#!/usr/bin/env bash
# test_e2e_plan.sh — dr-failover plan against a healthy simulator: the reads print their real
# values, the check that the primary is down stops the plan (exit 1, naming the step), and the
# steps after it are not reached — nothing claims DNS answers with the DR region.
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"
sim_start
ok "$([ -n "$PORT" ]; echo $?)" "the simulator is listening"
out=$("$FD_BIN" runbook plan dr-failover 2>&1); rc=$?
is "$rc" 1 "plan exits 1: a check would stop the run"
is "$(grep -A2 '^\[4/26\] primary_alarms' <<<"$out")" "[4/26] primary_alarms (aws)
  call cloudwatch DescribeAlarms
  primary alarms in ALARM: none" "DescribeAlarms succeeded: the real value (none in ALARM)"
like "$(printf '%s\n' "$out" | tail -n 1)" "^runbook dr-failover: plan: the run would stop at step primary_is_down: assertion failed: Route 53 sees the primary healthy \(0 of [1-9][0-9]* checkers failing" \
	"the last line names the step and why"
is "$(grep -c '^\[6/26\]' <<<"$out")" 0 "the steps after it are not reached"
is "$(grep -c 'the DR region ap-northeast-1' <<<"$out")" 0 "no claim that DNS answers with the DR region"
is "$(grep -c '(null' <<<"$out")" 0 "no null in the plan"
is "$(mutating_count)" 0 "and no mutating call"
done_testing
