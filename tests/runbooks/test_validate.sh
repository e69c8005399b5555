#!/usr/bin/env bash
# test_validate.sh — `runbook validate|list|show`: exact messages for bad runbooks, exit codes, search path.
. "$FD_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp XDG_CONFIG_HOME=$tmp/config
unset FD_RUNBOOK_PATH
cd "$FD_SRCDIR/tests/runbooks" || exit 1

check() { # check FILE MESSAGE
	local err rc
	err=$("$FD_BIN" runbook validate "$1" 2>&1 >/dev/null); rc=$?
	is "$rc" 2 "validate $1 exits 2"
	is "$err" "$2" "validate $1: message"
}
check bad/yaml.yaml "bad/yaml.yaml:4:12: invalid YAML: mapping values are not allowed in this context"
check bad/action.yaml "bad/action.yaml:4:13: step 'a': unknown action 'explode' (aws, wait, assert, approve, sleep, probe, branch, metric)"
check bad/param.yaml "bad/param.yaml:5:23: step 'a': unknown parameter 'region' in {{ parameters.region }}"
check bad/ref.yaml "bad/ref.yaml:5:23: step 'a': {{ b.Out }} refers to no earlier step 'b'"
check bad/jq.yaml "bad/jq.yaml:8:65: step 'b': jq: syntax error, unexpected \$end, expecting ';' or ')' (Unix shell quoting issues?)"
err=$("$FD_BIN" runbook validate nothere.yaml 2>&1); rc=$?
is "$rc" 2 "a missing file exits 2"
is "$err" "nothere.yaml: No such file or directory" "and says so"

# Every shipped runbook is valid.
for f in "$FD_SRCDIR"/runbooks/*.yaml; do
	[ -e "$f" ] || continue
	out=$("$FD_BIN" runbook validate "$f" 2>&1); rc=$?
	is "$rc" 0 "shipped $(basename "$f") is valid${out:+: $out}"
done

# The search path: FD_RUNBOOK_PATH first, then ~/.config/flightdeck/runbooks, then the shipped ones.
mkdir -p "$tmp/mine" "$tmp/config/flightdeck/runbooks"
printf 'description: mine first\nsteps:\n  - {name: a, action: sleep, inputs: {duration: 1ms}}\n' > "$tmp/mine/zz-mine.yaml"
printf 'description: from config\nsteps:\n  - {name: a, action: sleep, inputs: {duration: 1ms}}\n' > "$tmp/config/flightdeck/runbooks/zz-mine.yaml"
printf 'description: only in config\nsteps:\n  - {name: a, action: sleep, inputs: {duration: 1ms}}\n' > "$tmp/config/flightdeck/runbooks/zz-conf.yaml"
out=$(FD_RUNBOOK_PATH=$tmp/mine "$FD_BIN" runbook list); rc=$?
is "$rc" 0 "list exits 0"
like "$out" "zz-mine +mine first" "FD_RUNBOOK_PATH comes first"
like "$out" "zz-conf +only in config" "then ~/.config/flightdeck/runbooks"
is "$(printf '%s\n' "$out" | grep -c '^zz-mine ')" 1 "a name is listed once"
out=$(FD_RUNBOOK_PATH=$tmp/mine "$FD_BIN" runbook show zz-mine); rc=$?
is "$rc" 0 "show exits 0"
like "$out" "^zz-mine \($tmp/mine/zz-mine.yaml\)" "show names the file found first"
like "$out" "1\. a +sleep" "show lists the steps"
err=$("$FD_BIN" runbook show no-such 2>&1); rc=$?
is "$rc" 2 "show of an unknown runbook exits 2"
like "$err" "^flightdeck: no runbook 'no-such' in .*/runbooks" "and says so, naming where it looked"
done_testing
