#!/usr/bin/env bash
# test_e2e_failclosed.sh — the findings of issue 13 against `flightdeck sim`: a failing
# check is never inverted, a run without a caller identity or a probe baseline changes
# nothing, and every run's last line states its outcome and its figures.
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"

# dr-failover without ARC controls during a region outage. Route 53: "If you want Route 53
# to consider a health check healthy when the endpoint is unhealthy, ... Invert health
# check status" — inverting an already failing check makes the dead region healthy again.
# https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html#health-checks-creating-values-invert
sim_start --fault region-outage:ap-northeast-2
out=$("$FD_BIN" runbook run dr-failover --yes -p primary_control=nope -p dr_control=nope -p accept_stopped_replication=true 2>&1); rc=$?
is "$rc" 0 "dr-failover without ARC controls during the outage succeeds"
is "$(mutations | grep -c 'route53 UpdateHealthCheck')" 0 "the already failing primary check is not inverted"
like "$out" "the primary's health check already fails" "it says why it does not touch the check"
like "$(printf '%s\n' "$out" | tail -n 1)" "^runbook dr-failover: done in [0-9]+\.[0-9] s, RTO [0-9]+\.[0-9] s \(run " \
	"the last line states the outcome and the RTO"
is "$(grep -c 'measured above' <<<"$out")" 0 "no 'measured above' pointer"

# Without a caller identity (STS throttled every time) no mutating step runs.
sim_start --fault throttle:GetCallerIdentity:1.0
out=$("$FD_BIN" runbook run scale --yes -p desired=3 2>&1); rc=$?
is "$rc" 1 "a run without a caller identity fails"
is "$(mutating_count)" 0 "and sends no mutating call"
like "$out" "caller identity unknown .*Throttling.*nothing was changed" "saying why, and that nothing changed"
is "$(grep -c 'account unknown' <<<"$out")" 0 "no confirmation with an unknown account"

# blue-green-cutover with the default probe_url, which does not answer: the baseline fails,
# the run stops before the first shift and records no figure.
sim_start
out=$("$FD_BIN" runbook run blue-green-cutover --yes 2>&1); rc=$?
is "$rc" 1 "a cutover whose probe URL does not answer fails"
is "$(mutating_count)" 0 "before any change"
like "$out" "probe probe: baseline: http://petclinic\.example\.com/ did not answer successfully" "the baseline says what failed"
like "$(printf '%s\n' "$out" | tail -n 1)" "^runbook blue-green-cutover: FAILED \(step probe: .*\); nothing was changed" \
	"the last line says nothing was changed"
is "$(grep -c 'rolling back' <<<"$out")" 0 "no rollback of a change never made"
[ ! -s "$HOME/state/flightdeck/measurements.jsonl" ]; ok $? "no measurement recorded"

# plan exits 0 only when the run would go through, 1 when a check would stop it, 2 on errors.
"$FD_BIN" runbook plan scale -p desired=3 > "$tmp/plan.out" 2>&1; rc=$?
is "$rc" 0 "plan scale desired=3 (within the group's bounds) exits 0"
like "$(tail -n 1 "$tmp/plan.out")" "^runbook scale: plan: the run would go through" "and says so"
out=$("$FD_BIN" runbook plan scale -p desired=50 2>&1); rc=$?
is "$rc" 1 "plan scale desired=50 (over the group's MaxSize 10) exits 1"
like "$(printf '%s\n' "$out" | tail -n 1)" "^runbook scale: plan: the run would stop at step check_max: .*outside the group's MinSize\.\.MaxSize" \
	"naming the step and why"
out=$("$FD_BIN" runbook plan scale -p asg=nosuch 2>&1); rc=$?
is "$rc" 1 "plan scale asg=nosuch exits 1"
like "$(printf '%s\n' "$out" | tail -n 1)" "stop at step exists: .*no Auto Scaling group nosuch in ap-northeast-2" "no such group, named"
out=$("$FD_BIN" runbook plan scale -p region=ap-northeast-9 2>&1); rc=$?
is "$rc" 2 "plan scale region=ap-northeast-9 exits 2"
like "$out" "region 'ap-northeast-9' \(from [^ ]*/scale\.yaml:[0-9]+: step 'read': \{\{ parameters\.region \}\}\) is not an AWS region: nothing was sent" \
	"naming the region, where the runbook uses it, and that nothing was sent"
is "$(grep -c 'plan complete' <<<"$out")" 0 "never 'plan complete' for a plan that fails"
base=$(mutating_count)
out=$("$FD_BIN" runbook plan blue-green-cutover -p probe_url="$ENDPOINT/_sim/app/ap-northeast-2/" 2>&1); rc=$?
is "$(grep -c 'has no value' <<<"$out")" 0 "the blue-green plan has no template without a value"
is "$rc" 0 "the blue-green plan exits 0"
like "$out" "not evaluated" "steps it cannot evaluate are listed as such"
is "$(mutating_count)" "$base" "plans send no mutating call"

# Bad input in a run (issue 13): each is one clear line before any change. A region that does not
# exist has no endpoint (AWS would never answer; the simulator said InvalidClientTokenId):
# https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
base=$(mutating_count)
bad() { # bad RC REGEX RUNBOOK ARGS...: a run refused with exit RC, its last line matching REGEX
	local want=$1 re=$2 out rc
	shift 2
	out=$("$FD_BIN" runbook run "$@" --yes 2>&1); rc=$?
	is "$rc" "$want" "run $*: exit $want"
	like "$(printf '%s\n' "$out" | tail -n 1)" "$re" "run $*: says why" || printf '%s\n' "$out" | tail -n 5 | sed 's/^/#   /'
}
for rb in scale blue-green-cutover blue-green-rollback deploy; do
	bad 2 "^flightdeck: region 'ap-northeast-9' \(from [^ ]*/$rb\.yaml:[0-9]+: step '[a-z_]+': \{\{ parameters\.region \}\}\) is not an AWS region: nothing was sent$" \
		"$rb" -p region=ap-northeast-9
done
for p in primary_region dr_region arc_region; do
	for rb in dr-failover failback; do
		bad 2 "^flightdeck: region 'eu-nowhere-1' \(from [^ ]*/$rb\.yaml:[0-9]+: step '[a-z_]+': \{\{ parameters\.$p \}\}\) is not an AWS region: nothing was sent$" \
			"$rb" -p "$p=eu-nowhere-1"
	done
done
bad 2 "^flightdeck: region 'seoul' \(from .*\) is not an AWS region name \(like ap-northeast-2" scale -p region=seoul
bad 1 "^runbook scale: FAILED \(step check_max: .*the desired capacity 50 is outside the group's MinSize\.\.MaxSize \(2\.\.10\).*\); nothing was changed" \
	scale -p desired=50
bad 1 "^runbook scale: FAILED \(step exists: .*no Auto Scaling group nosuch in ap-northeast-2.*\); nothing was changed" scale -p asg=nosuch
bad 2 "^flightdeck: parameter desired: '3\.5' is not an integer$" scale -p desired=3.5
bad 2 "^flightdeck: parameter force: 'maybe' is not a boolean$" dr-failover -p force=maybe
bad 2 "^flightdeck: parameter max_5xx_rate: 'lots' is not a number$" blue-green-cutover -p max_5xx_rate=lots
bad 2 "^flightdeck: [^ ]*/blue-green-cutover\.yaml:[0-9]+: step 'watch_10': for is not a duration \(like 30s, 5m\)$" \
	blue-green-cutover -p watch=soon
bad 2 "^flightdeck: runbook scale has no parameter 'desird'$" scale -p desird=3
is "$(mutating_count)" "$base" "no bad input sent a mutating call"

sim_start --fault region-outage:ap-northeast-2
outage_seen
out=$("$FD_BIN" runbook plan failback 2>&1); rc=$?
is "$rc" 1 "the failback plan while the primary is down exits 1"
is "$(grep -c 'is serving' <<<"$out")" 0 "and does not claim the primary is serving"
like "$(printf '%s\n' "$out" | tail -n 1)" "stop at step primary_healthy" "it names the check that stops it"
done_testing
