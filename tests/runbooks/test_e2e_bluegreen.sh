#!/usr/bin/env bash
# test_e2e_bluegreen.sh — blue-green-cutover against the simulator: a healthy green ends at
# 100 % green with the downtime reported; a bad deploy rolls back to 100 % blue and says so.
# The probe checks the simulator's application endpoint (/_sim/app/REGION/: one request
# through the region's ALB, 500/503 when the target group it picks is bad or unhealthy).
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"

sim_start
is "$(weights)" "petclinic-tg-blue=100 petclinic-tg-green=0" "the stack starts on blue"
APP=$ENDPOINT/_sim/app/ap-northeast-2/
is "$(curl -s "$APP")" "petclinic ok region=ap-northeast-2 tg=petclinic-tg-blue" "the probe's URL answers from blue"
out=$("$FD_BIN" runbook run blue-green-cutover --yes -p watch=2s -p probe_url="$APP" 2>&1); rc=$?
is "$rc" 0 "a healthy cutover succeeds"
checks=$(printf '%s\n' "$out" | sed -n "s|^.*probe probe: \([0-9]*\) checks of $APP every 250 ms, 0 failed: downtime 0\.0 s$|\1|p")
[ "${checks:-0}" -gt 0 ]; ok $? "the probe ran against the application, every check 200: ${checks:-no} checks, 0 failed"
is "$(curl -s "$APP")" "petclinic ok region=ap-northeast-2 tg=petclinic-tg-green" "and the application now answers from green"
is "$(weights)" "petclinic-tg-blue=0 petclinic-tg-green=100" "and ends at 100 % green"
like "$out" "change:     petclinic-tg-blue=100 petclinic-tg-green=0 -> petclinic-tg-blue=90 petclinic-tg-green=10" \
	"each shift shows current -> new weights"
like "$out" "cutover complete: 100 % of traffic on petclinic-tg-green \(green\); downtime measured by the probe: 0\.0 s \(0 of [1-9][0-9]* checks failed\)" \
	"the downtime is reported"
like "$out" "measured deploy_duration_s = [0-9.]+ s" "and the deploy duration"
is "$(mutations | grep -c ModifyListener)" 3 "three shifts: 10, 50, 100 %"
meas=$(cat "$HOME/state/flightdeck/measurements.jsonl" 2>&1)
like "$meas" '"name":"downtime_s","value":0' "the downtime is recorded for the dashboard's targets"
like "$meas" '"name":"deploy_duration_s","value":[0-9]' "and the deploy duration"
out=$("$FD_BIN" runbook run blue-green-rollback --yes 2>&1); rc=$?
is "$rc" 0 "blue-green-rollback succeeds"
like "$out" "change:     petclinic-tg-blue=0 petclinic-tg-green=100 -> petclinic-tg-blue=100 petclinic-tg-green=0" \
	"it shows the weights it changes"
like "$out" "blue is healthy: petclinic-tg-blue serves 100 % of traffic" "and verifies blue"
is "$(weights)" "petclinic-tg-blue=100 petclinic-tg-green=0" "traffic is back on blue"

sim_start --fault bad-deploy:petclinic-tg-green:0.3
out=$("$FD_BIN" runbook run blue-green-cutover --yes -p watch=2s -p probe_url="$ENDPOINT/_sim/app/ap-northeast-2/" 2>&1); rc=$?
is "$rc" 1 "with a bad deploy the cutover fails"
# The simulator's health checks need a few intervals to fail: the pre-check or the first watch catches it.
like "$out" "FAILED: assertion failed: green( does not have min_green healthy targets|'s targets fail their health checks at [0-9]+ %|'s 5xx rate or p99 latency is above its threshold at [0-9]+ %)" \
	"a check on green catches it"
like "$out" "rolled back: 100 % of traffic on petclinic-tg-blue \(blue\), 0 % on petclinic-tg-green" "it says it rolled back"
like "$out" "runbook blue-green-cutover: FAILED \(.*\); rolled back in" "in its last line too"
is "$(weights)" "petclinic-tg-blue=100 petclinic-tg-green=0" "traffic is 100 % blue"

# The deploy goes bad after the first shift: the watch window catches it and rolls back.
# Every green request fails (500, then 503 once its targets are unhealthy), so about
# 10 % of the probes fail until the rollback: the probe checks every 50 ms to see them.
sim_start
"$FD_BIN" runbook run blue-green-cutover --yes -p watch=20s -p probe_interval=50ms \
	-p probe_url="$ENDPOINT/_sim/app/ap-northeast-2/" > "$tmp/run.out" 2>&1 &
run=$!
for _ in $(seq 100); do [ "$(mutations | grep -c ModifyListener)" -ge 1 ] && break; sleep 0.1; done
curl -s -X POST --data 'bad-deploy:petclinic-tg-green:1.0' "$ENDPOINT/_sim/fault" > /dev/null
wait "$run"; rc=$?
out=$(cat "$tmp/run.out")
is "$rc" 1 "a deploy going bad during the watch fails the cutover"
like "$out" "FAILED: assertion failed: green's (targets fail their health checks|5xx rate or p99 latency is above its threshold) at 10 %" \
	"the watch after the 10 % shift sees the breach"
like "$out" "== rolling back: 2 steps ==" "rollback starts automatically"
like "$out" "change:     petclinic-tg-blue=90 petclinic-tg-green=10 -> petclinic-tg-blue=100 petclinic-tg-green=0" \
	"back to blue, shown as current -> new"
like "$out" "rolled back: 100 % of traffic on petclinic-tg-blue \(blue\)" "and says so"
like "$out" "measured downtime_s = [0-9.]+ s" "the probe's downtime is reported"
failed=$(printf '%s\n' "$out" | sed -n 's|^.*probe probe: [0-9]* checks of .*/_sim/app/ap-northeast-2/ every 50 ms, \([0-9]*\) failed: downtime [0-9.]* s$|\1|p')
[ "${failed:-0}" -gt 0 ]; ok $? "the probe saw the bad deploy: ${failed:-no} failed checks, downtime > 0"
is "$(weights)" "petclinic-tg-blue=100 petclinic-tg-green=0" "traffic is 100 % blue again"
done_testing
