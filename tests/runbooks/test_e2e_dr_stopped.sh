#!/usr/bin/env bash
# test_e2e_dr_stopped.sh — dr-failover when the DR replica's replication is not running:
# RDS reports ReplicaLag -1 then ("-1 means replication isn't active", Amazon RDS User
# Guide, https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html).
# -1 is not "0 s behind": the run must stop before any change (it passed `.lag <= 300`).
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"
sim_start --fault region-outage:ap-northeast-2 --fault replica-lag:-1
ok "$([ -n "$PORT" ]; echo $?)" "the simulator is listening"
out=$("$FD_BIN" runbook run dr-failover --yes 2>&1); rc=$?
is "$rc" 1 "dr-failover with replication stopped fails"
like "$out" "FAILED.*replica_lag.*not replicating \(ReplicaLag -1\)" "it stops at the replica lag check and says replication is not running"
is "$(mutating_count)" 0 "and no mutating call was sent"
done_testing
