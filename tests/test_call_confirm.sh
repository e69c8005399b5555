#!/usr/bin/env bash
# test_call_confirm.sh — `flightdeck call` of a mutating operation (issue 10):
# the confirmation block a runbook step shows (operation, parameters, account,
# region), the operation's name typed after the block is on screen (type-ahead
# discarded, POSIX tcflush TCIFLUSH:
# https://pubs.opengroup.org/onlinepubs/9699919799/functions/tcflush.html) or
# --yes, refused without a terminal unless --yes, and every mutating call in the
# audit log with its request id. Checks what reaches the simulator (/_sim/requests).
. "$FD_SRCDIR/tests/tui/lib.sh"

"$FD_BIN" sim --listen 127.0.0.1:0 >"$TUI_TMP/sim.out" 2>"$TUI_TMP/sim.err" &
sim_pid=$!
trap 'kill $sim_pid 2>/dev/null; wait $sim_pid 2>/dev/null; tui_cleanup' EXIT
for _ in $(seq 600); do grep -q 'http://' "$TUI_TMP/sim.out" 2>/dev/null && break; sleep 0.05; done
ep=$(grep -o 'http://[0-9.:]*' "$TUI_TMP/sim.out" | head -1)
state=$TUI_TMP/state
audit=$state/flightdeck/audit.jsonl
sent() { # SetDesiredCapacity calls the simulator saw
	curl -s "$ep/_sim/requests" | /usr/bin/python3 -c '
import json, sys
print(sum(1 for r in json.load(sys.stdin) if r["operation"] == "SetDesiredCapacity" and r["mutating"]))'
}
fd() {
	env -i PATH=/usr/bin:/bin HOME="$TUI_TMP" XDG_STATE_HOME="$state" AWS_CONFIG_FILE=/nonexistent \
		AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM \
		AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret AWS_REGION=ap-northeast-2 ${FD_EXTRA_ENV:-} \
		"$FD_BIN" --endpoint-url "$ep" "$@"
}
scale=(call autoscaling set-desired-capacity AutoScalingGroupName=petclinic-asg-was-blue DesiredCapacity=4)

# No terminal, no --yes: the block is shown, then refused; nothing sent, nothing audited.
out=$(fd "${scale[@]}" </dev/null 2>"$TUI_TMP/err"); rc=$?
is "$rc" 2 'no terminal and no --yes: exit 2'
is "$out" '' 'nothing on stdout'
err=$(cat "$TUI_TMP/err")
like "$err" 'about to call autoscaling SetDesiredCapacity \(mutating\)' 'the block names the operation'
like "$err" 'parameters: \{"AutoScalingGroupName":"petclinic-asg-was-blue","DesiredCapacity":4\}' 'and its parameters'
like "$err" 'account: +123456789012 \(arn:aws:iam::123456789012:user/flightdeck-sim\)' 'the account and the caller'
like "$err" 'region: +ap-northeast-2' 'the region'
like "$err" 'stdin is not one: run it in a terminal, or add --yes; nothing sent' 'the error says how to go on'
is "$(sent)" 0 'nothing was sent'
ok "$([ ! -e "$audit" ]; echo $?)" 'nothing audited for a refused call'
out=$(echo '{"AutoScalingGroupName":"petclinic-asg-was-blue","DesiredCapacity":4}' |
	fd call autoscaling SetDesiredCapacity --input-json - 2>&1); rc=$?
is "$rc" 2 '--input-json - (stdin a pipe) needs --yes too'
is "$(sent)" 0 'nothing was sent'

# --read-only: refused by the client before any confirmation.
out=$(fd --read-only "${scale[@]}" --yes </dev/null 2>&1); rc=$?
is "$rc" 1 '--read-only refuses a mutating call even with --yes'
is "$(sent)" 0 'nothing was sent'

# The audit log cannot be written (its directory is a file): nothing is sent.
: >"$TUI_TMP/notadir"
out=$(FD_EXTRA_ENV="XDG_STATE_HOME=$TUI_TMP/notadir" fd "${scale[@]}" --yes </dev/null 2>&1); rc=$?
is "$rc" 1 'an unwritable audit log: exit 1'
like "$out" 'flightdeck call: audit log not written: ' 'and it says so'
like "$(printf '%s' "$out" | tail -1)" '^flightdeck call: nothing sent$' 'and that nothing was sent'
is "$(sent)" 0 'nothing was sent'

# --yes: sent once, audited before (sending) and after (ok, with the request id AWS gave).
out=$(fd "${scale[@]}" --yes --debug "$TUI_TMP/debug.log" </dev/null 2>"$TUI_TMP/err"); rc=$?
is "$rc" 0 '--yes without a terminal: exit 0'
is "$out" '{}' 'the result on stdout, without ResponseMetadata'
like "$(cat "$TUI_TMP/err")" 'confirmed \(--yes\)' 'the block says it was confirmed by --yes'
is "$(sent)" 1 'one SetDesiredCapacity sent'
rid=$(grep '"event":"response"' "$TUI_TMP/debug.log" | grep SetDesiredCapacity |
	grep -o '"x-amzn-RequestId","[^"]*"' | cut -d'"' -f4)
ok "$([ -n "$rid" ]; echo $?)" "the simulator answered with request id $rid"
is "$(/usr/bin/python3 -c '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
print(len(recs), *[(r["command"], r["operation"], r["outcome"], r["request_id"], r["caller_arn"], r["region"], r["mutating"]) for r in recs], sep="\n")' "$audit")" \
"2
('call', 'SetDesiredCapacity', 'sending', None, 'arn:aws:iam::123456789012:user/flightdeck-sim', 'ap-northeast-2', True)
('call', 'SetDesiredCapacity', 'ok', '$rid', 'arn:aws:iam::123456789012:user/flightdeck-sim', 'ap-northeast-2', True)" \
	'the audit log: the intent before sending, the outcome and request id after'
is "$(stat -c %a "$audit")" 600 'the audit log is 0600'

# An AWS error is audited with its code and request id.
out=$(fd call autoscaling set-desired-capacity AutoScalingGroupName=no-such-group DesiredCapacity=4 --yes </dev/null 2>&1); rc=$?
is "$rc" 1 'an AWS error: exit 1'
like "$(tail -1 "$audit")" '"outcome":"error: ValidationError: [^"]*","request_id":"[0-9a-f-]{36}"' \
	'the error is audited with its code and request id'

# Hostile parameters (an OSC 52 clipboard write, C1 CSI, U+202E): the block and the
# audit log show them escaped, never raw.
evil=$(printf 'g\033]52;c;aGk=\007\302\233\342\200\256x')
out=$(fd call autoscaling set-desired-capacity "AutoScalingGroupName=$evil" DesiredCapacity=1 --yes </dev/null 2>&1); rc=$?
is "$rc" 1 'a hostile group name: AWS refuses it (exit 1)'
like "$out" 'parameters: .*AutoScalingGroupName' 'the block shows the parameter'
is "$(printf '%s' "$out" | LC_ALL=C grep -c $'\033\|\007\|\302\233\|\342\200\256')" 0 'no raw ESC, BEL, C1 or bidi override in what call printed'
is "$(LC_ALL=C grep -c $'\033\|\007\|\302\233\|\342\200\256' "$audit")" 0 'nor in the audit log'

# A terminal: keys typed before the block is on screen do not answer it. The
# simulator answers slowly, so the three answers below are typed while the
# caller identity is still being asked for.
curl -s -X POST --data-binary latency:1500 "$ep/_sim/fault" >/dev/null
before=$(sent)
tui_start 100 30 "XDG_STATE_HOME=$state" AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent \
	AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret AWS_REGION=ap-northeast-2 \
	-- --endpoint-url "$ep" "${scale[@]}"
tui_keys SetDesiredCapacity Enter SetDesiredCapacity Enter SetDesiredCapacity Enter
ok "$(tui_cap | grep -c 'type SetDesiredCapacity')" 'the answers were typed before the prompt was on screen'
tui_wait 'type SetDesiredCapacity to send it' 30
like "$(tui_cap)" 'type SetDesiredCapacity to send it' 'the prompt asks for the operation name'
like "$(tui_cap)" 'account: +123456789012' 'the block is on screen above it'
tui_keys nope Enter
tui_wait 'try 2 of 3' 10
like "$(tui_cap)" "'nope' is not 'SetDesiredCapacity'; type SetDesiredCapacity to send it \(try 2 of 3\)" \
	'a wrong answer asks again with the name shown again'
is "$(sent)" "$before" 'the answers typed ahead sent nothing'
tui_keys SetDesiredCapacity Enter
tui_wait 'exit=' 30
like "$(tui_cap)" 'confirmed \(typed SetDesiredCapacity\)' 'the name typed after the prompt confirms'
like "$(tui_cap)" 'exit=0' 'and the call succeeds'
is "$(sent)" "$((before + 1))" 'exactly one SetDesiredCapacity sent'

# Three wrong answers: not confirmed, exit 1, nothing sent.
curl -s -X POST "$ep/_sim/clear" >/dev/null
before=$(sent)
tui_start 100 30 "XDG_STATE_HOME=$state" AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent \
	AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret AWS_REGION=ap-northeast-2 \
	-- --endpoint-url "$ep" "${scale[@]}"
tui_wait 'type SetDesiredCapacity to send it' 30
tui_keys a Enter
tui_wait 'try 2 of 3' 10
tui_keys b Enter
tui_wait 'try 3 of 3' 10
tui_keys c Enter
tui_wait 'exit=' 10
like "$(tui_cap)" 'not confirmed after 3 tries; nothing sent' 'three wrong answers: not confirmed'
like "$(tui_cap)" 'exit=1' 'exit 1'
is "$(sent)" "$before" 'nothing sent'
done_testing
