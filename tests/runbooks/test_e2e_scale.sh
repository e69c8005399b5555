#!/usr/bin/env bash
# test_e2e_scale.sh — the scale runbook against the simulator: no confirmation without a
# terminal (or --yes), the run lock, InService and the scale-out latency recorded. Typed
# confirmations in a terminal: test_typeahead.sh and tests/tui/test_runs.sh.
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

# Without a terminal to type the confirmation on, the change is refused unless --yes.
out=$("$FD_BIN" runbook run scale -p desired=3 < /dev/null 2>&1); rc=$?
is "$rc" 1 "no terminal and no --yes: the run fails"
like "$out" "FAILED: a typed confirmation \(petclinic-asg-was-blue\) is needed, but stdin is not a terminal: nothing sent; run it in a terminal, or give --yes" \
	"and says to run it in a terminal or give --yes"
is "$(mutating_count)" 0 "nothing mutating reached the simulator"

# A run in progress holds the lock; a second run of it is refused, naming the holder.
"$FD_BIN" runbook run scale -p desired=4 --yes > "$tmp/first.out" 2>&1 &
first=$!
for _ in $(seq 100); do grep -q 'sending autoscaling SetDesiredCapacity' "$tmp/first.out" && break; sleep 0.1; done
err=$("$FD_BIN" runbook run scale -p desired=3 --yes 2>&1); rc=$?
is "$rc" 1 "a second run of scale on the same stack is refused"
like "$err" "runbook scale on stack petclinic is being run by run [^ ]+ on host [^ ]+ \(pid $first" "naming the holder"
wait "$first"; rc=$?
out=$(cat "$tmp/first.out")
is "$rc" 0 "the first run scales out"
like "$out" "confirmed by --yes \(token petclinic-asg-was-blue\)" "confirmed by --yes, and it says so"
like "$out" "change:     2 -> 4" "after showing current -> new"
is "$(in_service)" 4 "four instances are InService"
like "$out" "measured scale_out_latency_s = [0-9]+\.[0-9] s" "the scale-out latency is printed"
like "$(cat "$HOME/state/flightdeck/measurements.jsonl")" '"runbook":"scale","stack":"petclinic","name":"scale_out_latency_s","value":[0-9]' \
	"and recorded for the dashboard's targets, for its stack"
is "$(mutations | tr '\n' ';')" "autoscaling SetDesiredCapacity ap-northeast-2;" "one mutating call"
# The bounds path (UpdateAutoScalingGroup) skips set_desired, which the latency counts from:
# no figure (it once recorded 1796603671 s, counted from the epoch).
before=$(cat "$HOME/state/flightdeck/measurements.jsonl")
out=$("$FD_BIN" runbook run scale -p desired=5 -p min=2 -p max=12 --yes 2>&1); rc=$?
is "$rc" 0 "scale with new bounds: done"
like "$out" "measured scale_out_latency_s: not recorded \(step 'set_desired', which it counts from, did not run\)" \
	"the latency is not counted from a step that did not run"
like "$(printf '%s\n' "$out" | tail -n 1)" "^runbook scale: done in [0-9.]+ s \(run " "no figure on the last line"
is "$(cat "$HOME/state/flightdeck/measurements.jsonl")" "$before" "and none recorded"
is "$(in_service)" 5 "five instances are InService"
err=$("$FD_BIN" runbook run scale -p desired=many 2>&1); rc=$?
is "$rc" 2 "a mistyped parameter exits 2"
is "$err" "flightdeck: parameter desired: 'many' is not an integer" "with a clear message"
err=$("$FD_BIN" runbook run scale -p desired=-3 2>&1); rc=$?
is "$rc" 2 "a parameter below the minimum the runbook declares exits 2"
is "$err" "flightdeck: parameter desired: below its minimum 0" "naming the bound"
is "$(mutations | tr '\n' ';')" "autoscaling SetDesiredCapacity ap-northeast-2;autoscaling UpdateAutoScalingGroup ap-northeast-2;" \
	"and nothing more was sent"
done_testing
