#!/usr/bin/env bash
# test_typeahead.sh — a confirmation is answered only by what is typed after it
# is on screen (issue 10): `runbook run blue-green-cutover` in a real terminal
# (tmux), the token typed three times before the first prompt appears, sends
# nothing; typing after the prompt still works, a typo asks again with the word
# shown again. The terminal's pending input is discarded with tcflush(TCIFLUSH)
# (POSIX tcflush(): "TCIFLUSH: flush data received but not read",
# https://pubs.opengroup.org/onlinepubs/9699919799/functions/tcflush.html).
. "$FD_SRCDIR/tests/tui/lib.sh"

"$FD_BIN" sim --listen 127.0.0.1:0 >"$TUI_TMP/sim.out" 2>"$TUI_TMP/sim.err" &
sim_pid=$!
trap 'kill $sim_pid 2>/dev/null; wait $sim_pid 2>/dev/null; tui_cleanup' EXIT
for _ in $(seq 600); do grep -q 'http://' "$TUI_TMP/sim.out" 2>/dev/null && break; sleep 0.05; done
ep=$(grep -o 'http://[0-9.:]*' "$TUI_TMP/sim.out" | head -1)
mutating() { # mutating calls the simulator saw
	curl -s "$ep/_sim/requests" | /usr/bin/python3 -c '
import json, sys
print(sum(1 for r in json.load(sys.stdin) if r["mutating"]))'
}
env_sim="FLIGHTDECK_FAKE_MODEL=0 AWS_ENDPOINT_URL=$ep AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM \
AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret AWS_REGION=ap-northeast-2 XDG_STATE_HOME=$TUI_TMP/state"

# Eight reads come before the first change: the keys below are typed before it shows.
tui_start 200 50 $env_sim -- runbook run blue-green-cutover -p metric_period=10 -p metric_delay=0s -p watch=20s -p probe_url=$ep/_sim/app/ap-northeast-2/
tui_keys petclinic-alb Enter petclinic-alb Enter petclinic-alb Enter
ok "$(tui_cap | grep -c 'type petclinic-alb')" 'the answers were typed before the prompt was on screen'
tui_wait 'type petclinic-alb to send it' 30
like "$(tui_cap)" 'type petclinic-alb to send it' 'the first confirmation is on screen'
# Something typed now is read (an answer after the prompt): a typo asks again.
tui_keys nope Enter
tui_wait "try 2 of 3" 10
like "$(tui_cap)" "'nope' is not 'petclinic-alb'; type petclinic-alb to send it .*\(try 2 of 3\)" \
	'the typo after the prompt was read, and the word is shown again'
is "$(mutating)" 0 'the three answers typed ahead sent no ModifyListener'
ok "$(tui_cap | grep -c 'confirmed (typed')" 'nothing was confirmed by type-ahead'
tui_keys petclinic-alb Enter
for _ in $(seq 100); do [ "$(mutating)" -ge 1 ] && break; sleep 0.1; done
is "$(mutating)" 1 'the word typed after the prompt sends the first shift'
tui_keys C-c
done_testing
