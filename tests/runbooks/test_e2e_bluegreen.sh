#!/usr/bin/env bash
# test_e2e_bluegreen.sh — blue-green-cutover and blue-green-rollback against the simulator: a
# healthy green ends at 100 % green with the listener's /api/* rule moved too and the figures on
# the last line; the rollback brings both back; a rule forwarding to a third target group stops
# the cutover before any change. (Bad deploys, latency, throttling: tests/gameday/.)
# The probe checks the simulator's application endpoint (/_sim/app/REGION/: one request through
# the region's ALB, 500/503 when the target group it picks is bad or unhealthy).
# A rule's forward action sends its requests whatever the default action says:
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"
rule_weights() { # the /api/* rule's weights
	curl -s "$ENDPOINT/_sim/state" | /usr/bin/python3 -c '
import json, sys
rules = json.load(sys.stdin)["regions"][0]["load_balancers"][0]["listeners"][0]["rules"]
fw = [r for r in rules if r.get("path") == "/api/*"][0]["forward"]
print(" ".join(sorted("%s=%d" % (f["target_group"].split("/")[1], f["weight"]) for f in fw)))'
}
# The simulator computes ALB metrics every 10 s and publishes them at once (docs/runbooks.md):
# two 10 s periods are the shortest watch.
FAST="-p metric_period=10 -p metric_delay=0s -p watch=20s -p probe_interval=500ms"

sim_start
is "$(weights)" "petclinic-tg-blue=100 petclinic-tg-green=0" "the stack starts on blue"
APP=$ENDPOINT/_sim/app/ap-northeast-2/
is "$(curl -s "$APP")" "petclinic ok region=ap-northeast-2 tg=petclinic-tg-blue" "the probe's URL answers from blue"
out=$("$FD_BIN" runbook run blue-green-cutover --yes $FAST -p probe_url="$APP" 2>&1); rc=$?
is "$rc" 0 "a healthy cutover succeeds"
like "$out" "baseline: 3 of 3 checks answered" "the probe took its baseline before the first shift"
checks=$(printf '%s\n' "$out" | sed -n "s|^.*probe probe: \([0-9]*\) checks of $APP every 500 ms, 0 failed: downtime 0\.0 s$|\1|p")
[ "${checks:-0}" -gt 0 ]; ok $? "the probe ran against the application, every check 200: ${checks:-no} checks, 0 failed"
is "$(curl -s "$APP")" "petclinic ok region=ap-northeast-2 tg=petclinic-tg-green" "and the application now answers from green"
is "$(weights)" "petclinic-tg-blue=0 petclinic-tg-green=100" "the default action ends on green"
is "$(rule_weights)" "petclinic-tg-blue=0 petclinic-tg-green=100" "so does the /api/* rule"
like "$out" "change:     petclinic-tg-blue=100 petclinic-tg-green=0 -> petclinic-tg-blue=90 petclinic-tg-green=10" \
	"each shift shows current -> new weights"
like "$out" "change:     rule 10: petclinic-tg-blue=100 -> petclinic-tg-blue=90 petclinic-tg-green=10" "and for the rule"
like "$out" "rate [0-9.e-]+, p99 [0-9.e-]+ at [0-9:]+Z: holds" "each watch judged complete datapoints"
like "$(printf '%s\n' "$out" | tail -n 1)" "^runbook blue-green-cutover: done in [0-9.]+ s, deploy [0-9.]+ s, downtime 0\.0 s \(run " \
	"the last line states the figures"
is "$(mutations | awk '{print $2}' | tr '\n' ' ')" "ModifyListener ModifyRule ModifyListener ModifyRule ModifyListener ModifyRule " \
	"three shifts (10, 50, 100 %), each of the default action and the rule"
meas=$(cat "$HOME/state/flightdeck/measurements.jsonl" 2>&1)
like "$meas" '"stack":"petclinic","name":"downtime_s","value":0' "the downtime is recorded for the stack's targets"
like "$meas" '"stack":"petclinic","name":"deploy_duration_s","value":[0-9]' "and the deploy duration"
out=$("$FD_BIN" runbook run blue-green-rollback --yes 2>&1); rc=$?
is "$rc" 0 "blue-green-rollback succeeds"
like "$out" "change:     petclinic-tg-blue=0 petclinic-tg-green=100 -> petclinic-tg-blue=100 petclinic-tg-green=0" \
	"it shows the weights it changes"
like "$out" "blue is healthy: petclinic-tg-blue serves 100 % of traffic" "and verifies blue"
is "$(weights)" "petclinic-tg-blue=100 petclinic-tg-green=0" "traffic is back on blue"
is "$(rule_weights)" "petclinic-tg-blue=100 petclinic-tg-green=0" "the rule too"

# A rule that forwards to a third target group: the cutover refuses before any change.
"$FD_BIN" sim --print-scenario | /usr/bin/python3 -c '
import sys
s = sys.stdin.read()
tg = "      - {name: petclinic-tg-green, port: 8080, health_path: /actuator/health, error_rate: 0.002, asg: petclinic-asg-was-green}\n"
s = s.replace(tg, tg + "      - {name: petclinic-tg-canary, port: 8080, health_path: /actuator/health, error_rate: 0.002}\n", 1)
s = s.replace("{priority: 10, path: /api/*, forward: [{target_group: petclinic-tg-blue, weight: 100}]}",
              "{priority: 10, path: /api/*, forward: [{target_group: petclinic-tg-canary, weight: 100}]}", 1)
print(s, end="")' > "$tmp/canary.yaml"
sim_start --scenario "$tmp/canary.yaml"
out=$("$FD_BIN" runbook run blue-green-cutover --yes $FAST -p probe_url="$ENDPOINT/_sim/app/ap-northeast-2/" 2>&1); rc=$?
is "$rc" 1 "a rule forwarding to another target group stops the cutover"
like "$out" "FAILED: assertion failed: rule 10 \(/api/\*\) forwards to petclinic-tg-canary, not to petclinic-tg-blue or petclinic-tg-green only" \
	"naming the rule and where it forwards"
is "$(mutating_count)" 0 "before any change"
done_testing
