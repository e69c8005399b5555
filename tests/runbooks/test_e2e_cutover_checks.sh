#!/usr/bin/env bash
# test_e2e_cutover_checks.sh — blue-green-cutover's checks stop a bad deploy the ALB's
# health checks do not see (10 % 5xx: below the simulator's health-check threshold of 20 %),
# and the listener's rules move with the default action.
#
# GetMetricData returns the newest datapoint first ("TimestampDescending ... is the default"):
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
# HTTPCode_Target_5XX_Count is reported only when non-zero (hence FILL(errors, 0)), RequestCount always:
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
# A rule's forward action sends its requests whatever the default action says:
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"
rule_weights() { # the /api/* rule's weights
	curl -s "$ENDPOINT/_sim/state" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
rules = d["regions"][0]["load_balancers"][0]["listeners"][0]["rules"]
fw = [r for r in rules if r.get("path") == "/api/*"][0]["forward"]
print(" ".join(sorted("%s=%d" % (f["target_group"].split("/")[1], f["weight"]) for f in fw)))'
}
# The simulator computes ALB metrics every 10 s and publishes them at once (docs/sim.md):
# the cutover watches two 10 s periods.
FAST="-p metric_period=10 -p metric_delay=0s -p watch=20s -p probe_interval=500ms"

sim_start --fault bad-deploy:petclinic-tg-green:0.1
APP=$ENDPOINT/_sim/app/ap-northeast-2/
out=$("$FD_BIN" runbook run blue-green-cutover --yes $FAST -p probe_url="$APP" 2>&1); rc=$?
is "$rc" 1 "a 10 % bad deploy fails the cutover"
like "$out" "FAILED: .*green's 5xx rate [0-9.]+ is above 0\.05 at 10 %" "the metric watch at 10 % catches it"
is "$(grep -c 'shift_50' <<<"$out")" 0 "it never shifts to 50 %"
like "$out" "== rolling back" "and rolls back"
is "$(weights)" "petclinic-tg-blue=100 petclinic-tg-green=0" "traffic is 100 % blue"
is "$(rule_weights)" "petclinic-tg-blue=100 petclinic-tg-green=0" "the /api/* rule is back on blue too"
like "$(printf '%s\n' "$out" | tail -n 1)" "^runbook blue-green-cutover: FAILED \(step watch_10_metrics: .*\); rolled back in [0-9.]+ s, downtime [0-9.]+ s \(run " \
	"the last line: failed, rolled back, with the downtime"
is "$(mutations | awk '{print $2}' | tr '\n' ' ')" "ModifyListener ModifyRule ModifyListener ModifyRule " \
	"exactly: 10 % shift of the default action and the rule, then both back"

# A healthy cutover moves the rule with the default action.
sim_start
out=$("$FD_BIN" runbook run blue-green-cutover --yes $FAST -p probe_url="$ENDPOINT/_sim/app/ap-northeast-2/" 2>&1); rc=$?
is "$rc" 0 "a healthy cutover succeeds"
is "$(weights)" "petclinic-tg-blue=0 petclinic-tg-green=100" "the default action ends on green"
is "$(rule_weights)" "petclinic-tg-blue=0 petclinic-tg-green=100" "so does the /api/* rule"
like "$(printf '%s\n' "$out" | tail -n 1)" "^runbook blue-green-cutover: done in [0-9.]+ s, downtime 0\.0 s, deploy [0-9.]+ s \(run " \
	"the last line states the figures"

# A rule that forwards somewhere else: the cutover refuses before any change.
sim_start
arn=$("$FD_BIN" call elbv2 DescribeRules ListenerArn="$(curl -s "$ENDPOINT/_sim/state" | /usr/bin/python3 -c '
import json, sys; print(json.load(sys.stdin)["regions"][0]["load_balancers"][0]["listeners"][0]["arn"])')" |
	/usr/bin/python3 -c 'import json, sys; print([r["RuleArn"] for r in json.load(sys.stdin)["Rules"] if not r["IsDefault"]][0])')
other=$(curl -s "$ENDPOINT/_sim/state" | /usr/bin/python3 -c '
import json, sys; print(json.load(sys.stdin)["regions"][1]["target_groups"][0]["arn"])')
"$FD_BIN" call elbv2 ModifyRule --input-json - > /dev/null <<EOF
{"RuleArn": "$arn", "Actions": [{"Type": "forward", "TargetGroupArn": "$other"}]}
EOF
base=$(mutating_count)
out=$("$FD_BIN" runbook run blue-green-cutover --yes $FAST -p probe_url="$ENDPOINT/_sim/app/ap-northeast-2/" 2>&1); rc=$?
is "$rc" 1 "a rule forwarding to another target group stops the cutover"
like "$out" "rule .* forwards to .* not to petclinic-tg-blue or petclinic-tg-green" "naming the rule"
is "$(mutating_count)" "$base" "before any change"
done_testing
