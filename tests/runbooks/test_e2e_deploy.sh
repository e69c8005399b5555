#!/usr/bin/env bash
# test_e2e_deploy.sh — the deploy runbook against the simulator, up to the shift: a
# version that fails (its refresh fails on health checks; its targets answer 5xx to the
# smoke test) stops before any traffic moves (no ModifyListener sent, the group set back
# when it was changed), a refresh in progress refuses the run, plan sends nothing and
# lists what it cannot judge, a run that stops while its refresh is still in progress
# cancels it in its rollback (once, also when resumed), and an include's parameters
# cannot be given. (A good
# version through the whole cutover, deploy_duration_s recorded: the game-day matrix,
# tests/gameday/, row "a new release on green" — a whole cutover is 6-7 minutes.)
# https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_UpdateAutoScalingGroup.html
# https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html
# https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-instance-refresh.html
# https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CancelInstanceRefresh.html
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"
# the game-day matrix's timing (60 s periods, the simulator's 8 s delay) and a short warm-up
args() {
	echo "-p metric_period=60 -p metric_delay=8s -p watch=128s -p probe_interval=500ms -p warmup=60" \
		"-p smoke_url=$ENDPOINT/_sim/app/ap-northeast-2/tg/petclinic-tg-green/" \
		"-p probe_url=$ENDPOINT/_sim/app/ap-northeast-2/"
}
all_requests() { # every operation the simulator saw, whatever its outcome
	curl -s "$ENDPOINT/_sim/requests" | /usr/bin/python3 -c '
import json, sys
print(" ".join(r["operation"] for r in json.load(sys.stdin)))'
}
group_lt() {
	AWS_EC2_METADATA_DISABLED=true /usr/bin/aws --endpoint-url "$ENDPOINT" autoscaling describe-auto-scaling-groups \
		--auto-scaling-group-names petclinic-asg-was-green --output text \
		--query 'AutoScalingGroups[0].[LaunchTemplate.Version, join(`,`, Instances[].LaunchTemplate.Version)]'
}
measured() { cat "$HOME/state/flightdeck/measurements.jsonl" 2>/dev/null; }

# --- a broken release (5xx at 50 %: its targets fail their checks), group on $Latest ----
sim_start --time-scale 15 --fault new-version:petclinic-was-green:0.5
# shellcheck disable=SC2046
out=$("$FD_BIN" runbook plan deploy $(args) 2>&1); rc=$?
is "$rc" 0 "plan: the run would go through as far as a plan can tell"
like "$(printf '%s\n' "$out" | tail -n 1)" "^runbook deploy: plan: the run would go through \([0-9]+ steps checked; not evaluated: roll_done, roll_ok, green_settled, green_ready, smoke, green_capacity, green_healthy, probe, watch_10, .*report, deployed\); no mutating call was sent$" \
	"plan lists the checks of the new version (and the cutover's after it) as not evaluated"
like "$out" "change:     instances on version 2 2 -> every instance on version 3 \(an instance refresh\)" \
	"plan shows the roll as current -> new"
is "$(mutating_count)" 0 "plan sent no mutating call"

# shellcheck disable=SC2046
out=$("$FD_BIN" runbook run deploy --yes $(args) 2>&1); rc=$?
is "$rc" 1 "a version whose refresh fails: the run fails"
like "$(printf '%s\n' "$out" | tail -n 1)" "^runbook deploy: FAILED \(step roll_ok: assertion failed: the instance refresh of petclinic-asg-was-green ended Failed \(Instance refresh failed: .*health checks.*\)\); rolled back in [0-9.]+ s \(run " \
	"it stops at the refresh's status, with AWS's reason"
like "$out" "UpdateAutoScalingGroup: already in place \(petclinic-was-green \\\$Latest\): nothing sent" \
	"the group was on \$Latest already: nothing sent to point it"
like "$out" "== rolling back: 2 steps ==" "the rollback skips the cutover's steps (the run never reached them)"
like "$out" "CancelInstanceRefresh: already in place \(no refresh in progress\): nothing sent" \
	"the refresh had ended (Failed): no CancelInstanceRefresh"
is "$(mutations | awk '{print $2}' | tr '\n' ' ')" "StartInstanceRefresh UpdateAutoScalingGroup " \
	"the refresh, then (rollback) the group pinned: \$Latest is the failed release now"
like "$(group_lt)" "^2	" "the group launches from version 2 (its instances' version before the deploy), not \$Latest = 3 (aws-cli)"
unlike() { ok "$(printf '%s' "$1" | grep -Eq "$2"; [ $? = 1 ]; echo $?)" "$3"; }
unlike "$(all_requests)" "ModifyListener|ModifyRule" "no ModifyListener or ModifyRule was sent (/_sim/requests)"
is "$(weights)" "petclinic-tg-blue=100 petclinic-tg-green=0" "all the traffic is still on blue"
unlike "$(measured)" "deploy_duration_s" "no deploy duration recorded for a deploy that did not happen"

# --- the same release pinned by number: the group is changed, then set back -------------
sim_start --time-scale 15 --fault new-version:petclinic-was-green:0.5
# shellcheck disable=SC2046
out=$("$FD_BIN" runbook run deploy --yes -p version=3 $(args) 2>&1); rc=$?
is "$rc" 1 "version 3 by number: the run fails"
like "$out" "change:     petclinic-was-green \\\$Latest -> petclinic-was-green 3" "it shows the group's change"
is "$(mutations | awk '{print $2}' | tr '\n' ' ')" "UpdateAutoScalingGroup StartInstanceRefresh UpdateAutoScalingGroup " \
	"point the group, roll, then (rollback) set the group back"
like "$(group_lt)" "^2	" "the group is pinned to version 2, its instances' version before (\$Latest, its setting before, is 3 now) (aws-cli)"
like "$out" "petclinic-asg-was-green launches from petclinic-was-green 2 \(it was set to \\\$Latest before the deploy\), so no new instance gets version 3; the instances launched during the deploy keep it until replaced" \
	"the rollback says what it left"
unlike "$(all_requests)" "ModifyListener|ModifyRule" "no traffic shift was sent"

# --- killed right after pointing the group, then resumed: the same calls, none twice ------
sim_start --time-scale 15 --fault new-version:petclinic-was-green:0.5
# shellcheck disable=SC2046
out=$(FLIGHTDECK_TEST_KILL_AFTER_MUTATION=1 "$FD_BIN" runbook run deploy --yes -p version=3 $(args) 2>&1); rc=$?
is "$rc" 137 "a run killed right after UpdateAutoScalingGroup"
out=$("$FD_BIN" runbook resume --yes 2>&1); rc=$?
is "$rc" 1 "resumed, it rolls, and stops at the failed refresh"
like "$out" "UpdateAutoScalingGroup: already in place \(petclinic-was-green 3\): nothing sent" \
	"the group's change is read again, not sent again"
like "$out" "== rolling back: 2 steps ==" "the included cutover's rollback is still skipped after a resume"
is "$(mutations | awk '{print $2}' | tr '\n' ' ')" "UpdateAutoScalingGroup StartInstanceRefresh UpdateAutoScalingGroup " \
	"the calls of an uninterrupted run, none twice"

# --- a bad release whose targets pass their checks: the smoke test stops it --------------
sim_start --time-scale 15 --fault new-version:petclinic-was-green:0.15
# shellcheck disable=SC2046
out=$("$FD_BIN" runbook run deploy --yes -p smoke_checks=100 $(args) 2>&1); rc=$?
is "$rc" 1 "a version answering 15 % 5xx: the run fails"
like "$(printf '%s\n' "$out" | tail -n 1)" "^runbook deploy: FAILED \(step smoke: .*\); rolled back in " \
	"at the smoke test of green's test listener, after the refresh succeeded"
like "$(group_lt)" "^2	3,3$" "both green instances run version 3; the group is pinned to version 2 again (aws-cli)"
unlike "$(all_requests)" "ModifyListener|ModifyRule" "no traffic shift was sent"

# --- a refresh in progress refuses the run before any change -----------------------------
sim_start --time-scale 15
AWS_EC2_METADATA_DISABLED=true /usr/bin/aws --endpoint-url "$ENDPOINT" autoscaling start-instance-refresh \
	--auto-scaling-group-name petclinic-asg-was-green --preferences '{"InstanceWarmup":86400}' > /dev/null
# shellcheck disable=SC2046
out=$("$FD_BIN" runbook run deploy --yes $(args) 2>&1); rc=$?
is "$rc" 1 "a refresh in progress: the run fails"
like "$(printf '%s\n' "$out" | tail -n 1)" "FAILED \(step refresh_idle: assertion failed: an instance refresh of petclinic-asg-was-green is in progress.*\); nothing was changed" \
	"refused before any change"
# shellcheck disable=SC2046
out=$("$FD_BIN" runbook run deploy --yes -p version=9 $(args) 2>&1); rc=$?
like "$(printf '%s\n' "$out" | tail -n 1)" "FAILED \(step version_found: assertion failed: launch template petclinic-was-green has no version 9\); nothing was changed" \
	"a version that does not exist: refused, named"

# --- stopped while its refresh is in progress: the rollback cancels it ---------------------
# The shipped runbook with roll_done's 30 minutes cut to 20 s, and a warm-up of a day (AWS
# seconds): the refresh is still InProgress when the wait gives up.
refresh_of() { # newest refresh of green: "Status" (aws-cli)
	AWS_EC2_METADATA_DISABLED=true /usr/bin/aws --endpoint-url "$ENDPOINT" autoscaling describe-instance-refreshes \
		--auto-scaling-group-name petclinic-asg-was-green --output text --query 'InstanceRefreshes[0].Status'
}
until_cancelled() { # poll (60 s at most) until green's refresh is Cancelled
	for _ in $(seq 1 120); do [ "$(refresh_of)" = Cancelled ] && break; sleep 0.5; done
}
mkdir -p "$tmp/short"
sed 's/^    timeout: 30m$/    timeout: 20s/' "$FD_SRCDIR/runbooks/deploy.yaml" > "$tmp/short/deploy.yaml"
is "$(grep -c '^    timeout: 20s$' "$tmp/short/deploy.yaml")" 1 "the test's copy waits 20 s for the refresh"
sim_start --time-scale 15 --fault new-version:petclinic-was-green:0
out=$(FD_RUNBOOK_PATH=$tmp/short "$FD_BIN" runbook run deploy --yes -p version=3 -p warmup=86400 2>&1); rc=$?
is "$rc" 1 "a refresh still in progress when the wait times out: the run fails"
like "$(printf '%s\n' "$out" | tail -n 1)" "^runbook deploy: FAILED \(step roll_done: .*\); rolled back in " "at roll_done"
like "$out" "change: +refresh [0-9a-f-]+ InProgress -> no refresh in progress" "the rollback shows the refresh it cancels"
is "$(mutations | awk '{print $2}' | tr '\n' ' ')" \
	"UpdateAutoScalingGroup StartInstanceRefresh CancelInstanceRefresh UpdateAutoScalingGroup " \
	"point, roll, then (rollback) cancel the refresh once and set the group back (/_sim/requests)"
until_cancelled
is "$(refresh_of)" Cancelled "green's refresh ended Cancelled (aws-cli)"
like "$(group_lt)" "^2	" "the group is set back to version 2 (aws-cli)"

# killed right after the cancel, resumed: the refresh is not in progress any more, nothing sent again
sim_start --time-scale 15 --fault new-version:petclinic-was-green:0
out=$(FD_RUNBOOK_PATH=$tmp/short FLIGHTDECK_TEST_KILL_AFTER_MUTATION=3 "$FD_BIN" runbook run deploy --yes -p version=3 -p warmup=86400 2>&1); rc=$?
is "$rc" 137 "a run killed right after CancelInstanceRefresh"
out=$(FD_RUNBOOK_PATH=$tmp/short "$FD_BIN" runbook resume --yes 2>&1); rc=$?
is "$rc" 1 "resumed, it finishes its rollback"
like "$out" "CancelInstanceRefresh: already in place \(no refresh in progress\): nothing sent" \
	"the cancel is read again, not sent again"
is "$(mutations | awk '{print $2}' | tr '\n' ' ')" \
	"UpdateAutoScalingGroup StartInstanceRefresh CancelInstanceRefresh UpdateAutoScalingGroup " \
	"the calls of an uninterrupted run, none twice (/_sim/requests)"
until_cancelled
is "$(refresh_of)" Cancelled "green's refresh ended Cancelled (aws-cli)"

# --- an include's parameters ---------------------------------------------------------------
mkdir -p "$tmp/rbs"
printf 'parameters:\n  n: {type: integer, default: 1}\nsteps:\n  - {name: c, action: sleep, inputs: {duration: 1ms}}\n' > "$tmp/rbs/child.yaml"
printf 'parameters:\n  k: {type: integer, default: 2}\nsteps:\n  - include: child\n    parameters: {n: "{{ parameters.k }}"}\n' > "$tmp/rbs/parent.yaml"
out=$(FD_RUNBOOK_PATH=$tmp/rbs "$FD_BIN" runbook run parent --yes -p n=5 2>&1); rc=$?
is "$rc" 2 "giving a parameter an include sets: a usage error"
like "$out" "parameter n is set by the include at .*parent.yaml:5 \(include child\): it cannot be given" "which names the include"
like "$(FD_RUNBOOK_PATH=$tmp/rbs "$FD_BIN" runbook show parent)" "n +integer +set to \"\{\{ parameters.k \}\}\" at .*parent.yaml:5 \(include child\)" \
	"runbook show says how an include sets it"
done_testing
