#!/usr/bin/env bash
# test_e2e_dr.sh — dr-failover against `flightdeck sim --fault region-outage:ap-northeast-2`:
# plan and --read-only send no mutating call; a run ends with DNS answering Tokyo and the RTO printed.
# The outage stops replication (the source is unreachable: ReplicaLag -1,
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_MySQL.Replication.ReadReplicas.Monitor.html),
# so every run accepts the loss by name, as the on-call engineer does.
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"
sim_start --fault region-outage:ap-northeast-2
ok "$([ -n "$PORT" ]; echo $?)" "the simulator is listening"

out=$("$FD_BIN" runbook plan dr-failover -p accept_stopped_replication=true 2>&1); rc=$?
is "$rc" 0 "plan exits 0"
like "$out" "would call rds PromoteReadReplica \(mutating\)" "plan prints the promotion"
like "$out" "change:     read replica of arn:aws:rds:ap-northeast-2:123456789012:db:petclinic-db -> standalone primary" \
	"plan reads the state: current -> new"
like "$out" "change:     2 -> 4" "plan shows the DR group's capacity change"
like "$(printf '%s\n' "$out" | tail -n 1)" "^runbook dr-failover: plan: the run would go through \(.*not evaluated: dr_in_service, db_available, verify_dns, dr_healthy\); no mutating call was sent$" \
	"plan says the run would go through, lists what it cannot evaluate before the changes, and that nothing was sent"
is "$(mutating_count)" 0 "after plan the simulator saw no mutating call"

out=$("$FD_BIN" --read-only runbook run dr-failover --yes -p accept_stopped_replication=true 2>&1); rc=$?
is "$rc" 1 "--read-only: the run fails"
like "$out" "FAILED: read-only mode: refusing the mutating call autoscaling SetDesiredCapacity; nothing sent" \
	"--read-only: a clear message"
like "$out" "call route53 GetHealthCheckStatus" "--read-only: reads still happen"
is "$(mutating_count)" 0 "after --read-only the simulator saw no mutating call"

out=$("$FD_BIN" runbook run dr-failover --yes -p accept_stopped_replication=true 2>&1); rc=$?
is "$rc" 0 "dr-failover during the outage succeeds"
like "$out" "lag -1 at [0-9:]+Z: holds" "the stopped replication (ReplicaLag -1) is judged accepted"
like "$out" "Route 53 checkers that see the primary endpoint failing: [1-9][0-9]* of [1-9]" "it confirms the primary is down"
like "$out" "control plane: no: an ARC routing control is the data plane" "traffic moves through the data plane"
like "$out" "DNS answers petclinic.example.com. with 54\.65\.[0-9.]+ 54\.65\.[0-9.]+: the DR region ap-northeast-1" \
	"TestDNSAnswer answers with Tokyo"
like "$out" "measured rto_s = [0-9]+\.[0-9] s" "the RTO is printed"
like "$(printf '%s\n' "$out" | tail -n 1)" "^runbook dr-failover: done in [0-9.]+ s, RTO [0-9.]+ s \(run " "and the run is done, with its RTO"
is "$(mutations | tr '\n' ';')" \
	"autoscaling SetDesiredCapacity ap-northeast-1;rds PromoteReadReplica ap-northeast-1;route53-recovery-cluster UpdateRoutingControlState ap-northeast-1;" \
	"exactly the expected mutating calls"
answer=$(/usr/bin/aws --endpoint-url "$ENDPOINT" route53 test-dns-answer --hosted-zone-id \
	"$(/usr/bin/aws --endpoint-url "$ENDPOINT" route53 list-hosted-zones --query 'HostedZones[0].Id' --output text | sed 's|/hostedzone/||')" \
	--record-name petclinic.example.com --record-type A --query 'RecordData' --output text 2>&1)
like "$answer" "^54\.65\." "aws-cli agrees: DNS answers with Tokyo"

audit=$HOME/state/flightdeck/audit.jsonl
is "$(stat -c %a "$audit")" 600 "the audit log is 0600"
line=$(grep '"operation":"PromoteReadReplica"' "$audit" | grep '"outcome":"ok"')
like "$line" '"request_id":"[0-9a-f-]{36}"' "the audit log has the promotion with the simulator's request id"
like "$line" '"caller_arn":"arn:aws:iam::123456789012:user/flightdeck-sim"' "and the caller identity"
like "$line" '"region":"ap-northeast-1"' "and the region"
journal=$(ls "$HOME"/state/flightdeck/runs/*dr-failover*.json | tail -1)
is "$(stat -c %a "$journal")" 600 "the journal is 0600"
like "$(cat "$journal")" '"status": "done"' "the journal records the run as done"
meas=$HOME/state/flightdeck/measurements.jsonl
like "$(grep '"name":"rto_s"' "$meas" 2>&1)" '"runbook":"dr-failover"' "the RTO is recorded for the dashboard's targets"
done_testing
