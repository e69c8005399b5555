# tests/tui/rb_lib.sh — runbook runs in the dashboard against a simulator the
# test started (its /_sim/requests says what was sent); source after lib.sh and
# tests/sim/lib.sh, then start_sim.

# rb_dash W H [ENV...]: the dashboard (fake model, so the screen is stable) whose
# runs call the simulator started last.
rb_dash() {
	local w=$1 h=$2
	shift 2
	tui_start "$w" "$h" AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY \
		AWS_REGION=ap-northeast-2 AWS_EC2_METADATA_DISABLED=true "$@" -- --endpoint-url "$SIM_URL"
	tui_wait 'Active alarms' 10
}

# mutating: the mutating calls the simulator received, "Operation" per line.
mutating() {
	curl -s "$SIM_URL/_sim/requests" | /usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["mutating"]:
        print(r["operation"])'
}
# mutating_count: how many.
mutating_count() { mutating | wc -l | tr -d ' '; }

# wait_mutating N [SECONDS]: until the simulator received N mutating calls.
wait_mutating() {
	local i
	for ((i = 0; i < ${2:-20} * 10; i++)); do
		[ "$(mutating_count)" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# on_green: a finished cutover (default action and rule 100 % green), set with
# `flightdeck call` before the dashboard starts (as the game day's on_green).
on_green() {
	curl -s "$SIM_URL/_sim/state" | /usr/bin/python3 -c '
import json, sys
s = json.load(sys.stdin)
r = s["regions"][0]
l = r["load_balancers"][0]["listeners"][0]
tg = {g["name"]: g["arn"] for g in r["target_groups"]}
fwd = {"TargetGroups": [{"TargetGroupArn": tg["petclinic-tg-blue"], "Weight": 0},
                        {"TargetGroupArn": tg["petclinic-tg-green"], "Weight": 100}]}
print("ModifyListener " + json.dumps({"ListenerArn": l["arn"], "DefaultActions": [{"Type": "forward", "ForwardConfig": fwd}]}))
for rule in l["rules"]:
    if rule["priority"] != "default":
        print("ModifyRule " + json.dumps({"RuleArn": rule["arn"], "Actions": [{"Type": "forward", "ForwardConfig": fwd}]}))
' | while read -r op body; do
		printf '%s' "$body" | "$FD_BIN" --endpoint-url "$SIM_URL" --region ap-northeast-2 call elbv2 "$op" --input-json - --yes 2>>"$TUI_TMP/on_green.err" \
			>/dev/null || return 1
	done
}

# wait_state PYTHON-EXPR: until the expression holds of the simulator's state (s; r its primary region).
wait_state() {
	local i
	for ((i = 0; i < 200; i++)); do
		curl -s "$SIM_URL/_sim/state" | /usr/bin/python3 -c "import json, sys
s = json.load(sys.stdin); r = s['regions'][0]
sys.exit(0 if ($1) else 1)" && return 0
		sleep 0.1
	done
	return 1
}

# failed_over: an outage of the primary, dr-failover (--yes, its own state
# directory), then the primary recovers: what failback starts from.
failed_over() {
	curl -s -X POST --data 'region-outage:ap-northeast-2' "$SIM_URL/_sim/fault" >/dev/null
	wait_state 'all(t["state"] != "healthy" for g in r["target_groups"] for t in g["targets"]) and not [c for c in s["health_checks"] if c["region"] == r["name"]][0]["healthy"]' || return 1
	XDG_STATE_HOME=$TUI_TMP/failover-state FD_RUNBOOK_PATH=$FD_SRCDIR/runbooks \
		"$FD_BIN" --endpoint-url "$SIM_URL" --region ap-northeast-2 runbook run dr-failover --yes -p accept_stopped_replication=true \
		</dev/null >"$TUI_TMP/failover.log" 2>&1 || return 1
	curl -s -X POST --data '' "$SIM_URL/_sim/clear" >/dev/null
	wait_state 'all(t["state"] == "healthy" for g in r["target_groups"] if g["name"] == "petclinic-tg-blue" for t in g["targets"]) and [c for c in s["health_checks"] if c["region"] == r["name"]][0]["healthy"]'
}

# panel: the confirmation panel's text rows (inside its frame), borders cut.
panel() {
	tui_cap | awk '/^(┌─|\+-) (Confirm|Approve)/ { on = 1; next } /^(└─|\+-)/ { on = 0 } on' | sed -E 's/^[│|] ?//; s/ *[│|]$//'
}
# panel_joined: the panel's rows as one line, runs of spaces as one (wrapping undone).
panel_joined() { panel | tr '\n' ' ' | tr -s ' '; }

# stop_sim: stop the simulator started last (start_sim can start another).
stop_sim() { kill "$SIM_PID" 2>/dev/null; wait "$SIM_PID" 2>/dev/null; }

# rb_mask: golden-stable screens (ages, run ids); the tabs and the status line in
# words (rows 1 and 2: the views and the fake model's verdict, tested by
# test_golden.sh) are left out, so a new view does not change these goldens.
rb_mask() {
	tui_mask | sed -E '1,2s/.*/(tabs and status line)/; s/[0-9]{8}T[0-9]{6}Z-[a-z0-9-]+-[0-9]+ */RUN-ID /g; s/RUN-ID (─|-)+(┘|\+)?$/RUN-ID ---/;
		s/[0-9]{2}-[0-9]{2} HH:MMZ/MM-DD HH:MMZ/g'
}
