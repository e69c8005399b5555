#!/usr/bin/env bash
# test_e2e_resume.sh — a dr-failover run SIGKILLed right after its first mutating call, then
# resumed, makes exactly the mutating calls of an uninterrupted run (never one twice).
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"
want="autoscaling SetDesiredCapacity ap-northeast-1;rds PromoteReadReplica ap-northeast-1;route53-recovery-cluster UpdateRoutingControlState ap-northeast-1;"
sim_start --fault region-outage:ap-northeast-2
out=$(FLIGHTDECK_TEST_KILL_AFTER_MUTATION=1 "$FD_BIN" runbook run dr-failover --yes -p accept_stopped_replication=true 2>&1); rc=$?
is "$rc" 137 "the run dies by SIGKILL"
is "$(mutations | tr '\n' ';')" "autoscaling SetDesiredCapacity ap-northeast-1;" "after its first mutating call"
lock=$(ls "$HOME"/state/flightdeck/locks/)
is "$lock" "dr-failover@petclinic.lock" "it leaves its lock behind"
out=$("$FD_BIN" runbook resume --yes 2>&1); rc=$?
is "$rc" 0 "resume finishes the run"
like "$out" "resuming run [^ ]*dr-failover[^ ]* at step 12" "at the interrupted step"
like "$out" "may have sent its change before the interruption: re-reading the state first" "it re-reads state"
like "$out" "autoscaling SetDesiredCapacity: already in place \(4\): nothing sent" "and finds the change in place"
like "$out" "measured rto_s = [0-9.]+ s" "the RTO is printed"
is "$(mutations | tr '\n' ';')" "$want" "the same mutating calls as an uninterrupted run, none twice"
is "$(ls "$HOME"/state/flightdeck/locks/)" "" "the lock is released at the end"
out=$("$FD_BIN" runbook resume 2>&1); rc=$?
is "$rc" 1 "nothing is left to resume"
is "$out" "flightdeck: no unfinished run to resume" "and resume says so"
done_testing
