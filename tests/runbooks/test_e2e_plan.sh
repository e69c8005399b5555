#!/usr/bin/env bash
# test_e2e_plan.sh — dr-failover plan against a healthy simulator: the alarms read prints its real value,
# and a wait that does not hold (DNS still answers Seoul) prints what it checks, not its success line.
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"
sim_start
ok "$([ -n "$PORT" ]; echo $?)" "the simulator is listening"
out=$("$FD_BIN" runbook plan dr-failover 2>&1); rc=$?
is "$rc" 0 "plan exits 0"
is "$(grep -A2 '^\[4/24\] primary_alarms' <<<"$out")" "[4/24] primary_alarms (aws)
  call cloudwatch DescribeAlarms
  primary alarms in ALARM: none" "DescribeAlarms succeeded: the real value (none in ALARM)"
is "$(grep -A3 '^\[21/24\] verify_dns' <<<"$out")" "[21/24] verify_dns (wait)
  wait until (.RecordData | length) > 0 and all(.RecordData[]; test(\$parameters.dr_answer)) on route53 TestDNSAnswer
  plan: the condition does not hold yet; the run would poll every 2.0 s
  plan: not verified now, so its success line is not printed; the run checks: (.RecordData | length) > 0 and all(.RecordData[]; test(\$parameters.dr_answer))" "verify_dns in plan says what it checks"
is "$(grep -c 'the DR region ap-northeast-1' <<<"$out")" 0 "no claim that DNS answers with the DR region"
is "$(grep -c '(null' <<<"$out")" 0 "no null in the plan"
done_testing
