#!/usr/bin/env bash
# test_e2e_dr_stopped.sh — dr-failover when the DR replica's replication is not running:
# RDS reports ReplicaLag -1 then ("-1 means replication isn't active", Amazon RDS User
# Guide, https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html).
# -1 is not "0 s behind": the run must stop before any change (it passed `.lag <= 300`),
# unless the engineer accepts the loss (-p accept_stopped_replication=true). A region outage
# alone plays it: the replica's source is unreachable, replication stops (ReplicaLag -1,
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_MySQL.Replication.ReadReplicas.Monitor.html).
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"
sim_start --fault region-outage:ap-northeast-2
ok "$([ -n "$PORT" ]; echo $?)" "the simulator is listening"
out=$("$FD_BIN" runbook run dr-failover --yes 2>&1); rc=$?
is "$rc" 1 "dr-failover with replication stopped fails"
like "$out" "FAILED.*replica_lag.*not replicating \(ReplicaLag -1\)" "it stops at the replica lag check and says replication is not running"
is "$(mutating_count)" 0 "and no mutating call was sent"
like "$out" "-p accept_stopped_replication=true promotes a replica whose replication stopped" "naming the override"

# Replication stops when the primary region is down: without an override dr-failover could
# never run in the outage it exists for. The engineer accepts the loss by name.
out=$("$FD_BIN" runbook run dr-failover --yes -p accept_stopped_replication=true 2>&1); rc=$?
is "$rc" 0 "accept_stopped_replication=true: the failover goes through"
like "$out" "lag -1 at [0-9:]+Z: holds" "judging the stopped replication accepted"
like "$(printf '%s\n' "$out" | tail -n 1)" "^runbook dr-failover: done in [0-9.]+ s, RTO [0-9.]+ s \(run " "DNS on DR, the RTO measured"
is "$(mutations | tr '\n' ';')" \
	"autoscaling SetDesiredCapacity ap-northeast-1;rds PromoteReadReplica ap-northeast-1;route53-recovery-cluster UpdateRoutingControlState ap-northeast-1;" \
	"exactly the failover's calls"
done_testing
