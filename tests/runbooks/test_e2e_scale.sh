#!/usr/bin/env bash
# test_e2e_scale.sh — the scale runbook against the simulator: typed confirmation (a wrong
# token sends nothing), the run lock, InService and the scale-out latency recorded.
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"
sim_start
in_service() { # InService instances of petclinic-asg-was-blue in Seoul
	curl -s "$ENDPOINT/_sim/state" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
g = [a for a in d["regions"][0]["auto_scaling_groups"] if a["name"] == "petclinic-asg-was-blue"][0]
print(sum(1 for i in g["instances"] if i["lifecycle"] == "InService"))'
}

# A run waiting for its confirmation holds the lock; a second run of it is refused.
mkfifo "$tmp/answers"
"$FD_BIN" runbook run scale -p desired=3 < "$tmp/answers" > "$tmp/first.out" 2>&1 &
first=$!
exec 3> "$tmp/answers"
for _ in $(seq 100); do grep -q 'to send it' "$tmp/first.out" && break; sleep 0.1; done
like "$(cat "$tmp/first.out")" "type petclinic-asg-was-blue to send it \(anything else sends nothing\)" \
	"the run asks for the group's name"
err=$("$FD_BIN" runbook run scale -p desired=3 --yes 2>&1); rc=$?
is "$rc" 1 "a second run of scale on the same stack is refused"
like "$err" "runbook scale on stack petclinic is being run by pid $first" "naming the holder"
echo "yes" >&3
exec 3>&-
wait "$first"; rc=$?
is "$rc" 1 "a wrong token fails the run"
like "$(cat "$tmp/first.out")" "FAILED: the answer was 'yes', not 'petclinic-asg-was-blue': nothing sent" "and says why"
is "$(mutating_count)" 0 "nothing mutating reached the simulator"

out=$(printf 'petclinic-asg-was-blue\n' | "$FD_BIN" runbook run scale -p desired=4 2>&1); rc=$?
is "$rc" 0 "the typed name confirms the change"
like "$out" "confirmed \(typed petclinic-asg-was-blue\)" "it says so"
like "$out" "change:     2 -> 4" "after showing current -> new"
is "$(in_service)" 4 "four instances are InService"
like "$out" "measured scale_out_latency_s = [0-9]+\.[0-9] s" "the scale-out latency is printed"
like "$(cat "$HOME/state/flightdeck/measurements.jsonl")" '"runbook":"scale","stack":"petclinic","name":"scale_out_latency_s","value":[0-9]' \
	"and recorded for the dashboard's targets, for its stack"
is "$(mutations | tr '\n' ';')" "autoscaling SetDesiredCapacity ap-northeast-2;" "one mutating call"
err=$("$FD_BIN" runbook run scale -p desired=many 2>&1); rc=$?
is "$rc" 2 "a mistyped parameter exits 2"
is "$err" "flightdeck: parameter desired: 'many' is not an integer" "with a clear message"
done_testing
