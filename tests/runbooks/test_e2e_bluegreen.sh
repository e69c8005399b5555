#!/usr/bin/env bash
# test_e2e_bluegreen.sh — blue-green-rollback brings the listener's default action and its
# /api/* rule back to blue, showing each change; a rule forwarding to a third target group stops
# blue-green-cutover before any change. (Whole cutovers, bad deploys, latency, throttling, an
# unreachable probe: the game-day matrix, tests/gameday/.)
# A rule's forward action sends its requests whatever the default action says:
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"
rule_weights() { # the /api/* rule's weights, as DescribeRules (awscli, the oracle) returns them:
	# the rule whose path-pattern condition holds /api/* (Values, or PathPatternConfig.Values),
	# its forward action's TargetGroups (or TargetGroupArn alone: weight 100)
	# https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeRules.html
	AWS_EC2_METADATA_DISABLED=true /usr/bin/aws --endpoint-url "$ENDPOINT" elbv2 describe-rules \
		--listener-arn "$listener" --output json | /usr/bin/python3 -c '
import json, sys
def paths(c):
    return c.get("Values", []) + c.get("PathPatternConfig", {}).get("Values", [])
rule = [r for r in json.load(sys.stdin)["Rules"]
        if any(c.get("Field") == "path-pattern" and "/api/*" in paths(c) for c in r["Conditions"])][0]
fwd = [a for a in rule["Actions"] if a["Type"] == "forward"][0]
tgs = fwd.get("ForwardConfig", {}).get("TargetGroups") or [{"TargetGroupArn": fwd["TargetGroupArn"]}]
print(" ".join(sorted("%s=%d" % (t["TargetGroupArn"].split("/")[1], t.get("Weight", 100)) for t in tgs)))'
}
# The timing of the game-day matrix (tests/gameday/gameday.py, docs/runbooks.md): ALB metrics are
# one-minute metrics, published 4-8 s after their minute at the simulator's time scale.
FAST="-p metric_period=60 -p metric_delay=8s -p watch=128s -p probe_interval=500ms"

sim_start
is "$(weights)" "petclinic-tg-blue=100 petclinic-tg-green=0" "the stack starts on blue"
# A finished cutover: the default action and the rule 100 % green.
state=$(curl -s "$ENDPOINT/_sim/state")
fwd=$(/usr/bin/python3 -c '
import json, sys
r = json.loads(sys.argv[1])["regions"][0]
tg = {g["name"]: g["arn"] for g in r["target_groups"]}
print(json.dumps({"TargetGroups": [{"TargetGroupArn": tg["petclinic-tg-blue"], "Weight": 0},
                                   {"TargetGroupArn": tg["petclinic-tg-green"], "Weight": 100}]}))' "$state")
listener=$(/usr/bin/python3 -c 'import json, sys; print(json.loads(sys.argv[1])["regions"][0]["load_balancers"][0]["listeners"][0]["arn"])' "$state")
rule=$(/usr/bin/python3 -c 'import json, sys; print([r["arn"] for r in json.loads(sys.argv[1])["regions"][0]["load_balancers"][0]["listeners"][0]["rules"] if r["priority"] != "default"][0])' "$state")
echo "{\"ListenerArn\": \"$listener\", \"DefaultActions\": [{\"Type\": \"forward\", \"ForwardConfig\": $fwd}]}" |
	"$FD_BIN" call elbv2 ModifyListener --yes --input-json - > /dev/null
echo "{\"RuleArn\": \"$rule\", \"Actions\": [{\"Type\": \"forward\", \"ForwardConfig\": $fwd}]}" |
	"$FD_BIN" call elbv2 ModifyRule --yes --input-json - > /dev/null
is "$(weights) $(rule_weights)" "petclinic-tg-blue=0 petclinic-tg-green=100 petclinic-tg-blue=0 petclinic-tg-green=100" \
	"after a cutover the default action and the /api/* rule send everything to green"
out=$("$FD_BIN" runbook run blue-green-rollback --yes 2>&1); rc=$?
is "$rc" 0 "blue-green-rollback succeeds"
like "$out" "change:     petclinic-tg-blue=0 petclinic-tg-green=100 -> petclinic-tg-blue=100 petclinic-tg-green=0" \
	"it shows the weights it changes"
like "$out" "blue is healthy: petclinic-tg-blue serves 100 % of traffic" "and verifies blue"
like "$out" "change:     rule 10: petclinic-tg-blue=0 petclinic-tg-green=100 -> petclinic-tg-blue=100 petclinic-tg-green=0" \
	"and the rule's"
is "$(weights)" "petclinic-tg-blue=100 petclinic-tg-green=0" "traffic is back on blue"
is "$(rule_weights)" "petclinic-tg-blue=100 petclinic-tg-green=0" "the rule too"
is "$(mutations | awk '{print $2}' | tr '\n' ' ')" "ModifyListener ModifyRule ModifyListener ModifyRule " \
	"the setup's two calls, then the rollback's two"

# Bad input (issue 13): a target group, a load balancer or a listener port that does not
# exist stops either runbook before any change, naming what is missing (AWS's error code and
# request id, or the runbook's own check).
# https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTargetGroups.html
sim_start
APP="$ENDPOINT/_sim/app/ap-northeast-2/"
for rb in blue-green-cutover blue-green-rollback; do
	extra=; [ "$rb" = blue-green-cutover ] && extra="-p probe_url=$APP"
	out=$("$FD_BIN" runbook run "$rb" --yes $extra -p green_tg=nosuch 2>&1); rc=$?
	is "$rc" 1 "$rb with a target group that does not exist fails"
	like "$(printf '%s\n' "$out" | tail -n 1)" "FAILED \(step target_groups: elbv2 DescribeTargetGroups in ap-northeast-2: TargetGroupNotFound: .* request id [0-9a-f-]+\); nothing was changed" \
		"$rb: at the read that finds it missing, with AWS's code and request id; nothing was changed"
	out=$("$FD_BIN" runbook run "$rb" --yes $extra -p lb=nosuch 2>&1); rc=$?
	like "$(printf '%s\n' "$out" | tail -n 1)" "FAILED \(step load_balancer: .*LoadBalancerNotFound: .*nosuch.*\); nothing was changed" \
		"$rb: a load balancer that does not exist, named"
	out=$("$FD_BIN" runbook run "$rb" --yes $extra -p port=8443 2>&1); rc=$?
	like "$(printf '%s\n' "$out" | tail -n 1)" "FAILED \(step listener_found: assertion failed: petclinic-alb has no listener on port 8443 \(its listeners' ports: 80\)\); nothing was changed" \
		"$rb: a listener port the load balancer does not have, with the ports it has"
done
is "$(mutating_count)" 0 "none of them sent a mutating call"

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

# A default action that also forwards to a third target group: ModifyListener replaces the
# default actions, so either runbook would lose it; both refuse before any change, naming it.
# https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyListener.html
/usr/bin/python3 - "$tmp/canary.yaml" > "$tmp/canary-default.yaml" <<'PY'
import sys
s = open(sys.argv[1]).read()
s = s.replace("{priority: 10, path: /api/*, forward: [{target_group: petclinic-tg-canary, weight: 100}]}",
              "{priority: 10, path: /api/*, forward: [{target_group: petclinic-tg-blue, weight: 100}]}", 1)
s = s.replace("forward: [{target_group: petclinic-tg-blue, weight: 100}, {target_group: petclinic-tg-green, weight: 0}]",
              "forward: [{target_group: petclinic-tg-blue, weight: 90}, {target_group: petclinic-tg-canary, weight: 10}]", 1)
print(s, end="")
PY
sim_start --scenario "$tmp/canary-default.yaml"
for rb in blue-green-cutover blue-green-rollback; do
	extra=; [ "$rb" = blue-green-cutover ] && extra="$FAST -p probe_url=$ENDPOINT/_sim/app/ap-northeast-2/"
	out=$("$FD_BIN" runbook run "$rb" --yes $extra 2>&1); rc=$?
	is "$rc" 1 "$rb: a default action forwarding to another target group stops it"
	like "$(printf '%s\n' "$out" | tail -n 1)" "FAILED \(step default_action_ok: assertion failed: the listener's default action is forward to petclinic-tg-blue, petclinic-tg-canary: not one forward to petclinic-tg-blue and petclinic-tg-green only.*\); nothing was changed" \
		"$rb: naming where it forwards, before any change"
done
is "$(mutating_count)" 0 "neither sent a mutating call"
done_testing
