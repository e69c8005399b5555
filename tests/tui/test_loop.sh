#!/usr/bin/env bash
# The loop never waits for credentials (issue 16): with a credential_process that
# does not answer until the test lets it, the dashboard still answers keys and
# redraws, sends nothing, and collects once the credentials arrive.
. "$FD_SRCDIR/tests/tui/lib.sh"

"$FD_BIN" sim --listen 127.0.0.1:0 >"$TUI_TMP/sim.out" 2>"$TUI_TMP/sim.err" &
sim_pid=$!
trap 'touch "$TUI_TMP/release"; kill $sim_pid 2>/dev/null; tui_cleanup' EXIT
for _ in $(seq 600); do grep -q 'http://' "$TUI_TMP/sim.out" 2>/dev/null && break; sleep 0.05; done
ep=$(grep -o 'http://[0-9.:]*' "$TUI_TMP/sim.out" | head -1)
signed() { # requests the simulator saw that were signed (not credential endpoints)
	curl -s "$ep/_sim/requests" | /usr/bin/python3 -c '
import json, sys
print(sum(1 for r in json.load(sys.stdin) if r.get("operation") not in ("imds", "container", "")))'
}

# a credential_process gated by a file: it answers only after the test creates release
cat >"$TUI_TMP/gate.sh" <<SH
#!/bin/sh
touch "$TUI_TMP/started"
i=0
while [ ! -e "$TUI_TMP/release" ] && [ \$i -lt 1200 ]; do sleep 0.05; i=\$((i + 1)); done
touch "$TUI_TMP/answered"
echo '{"Version": 1, "AccessKeyId": "AKIDFLIGHTDECKSIM", "SecretAccessKey": "flightdeck/sim/secret"}'
SH
chmod +x "$TUI_TMP/gate.sh"
cat >"$TUI_TMP/config" <<CFG
[profile gated]
credential_process = $TUI_TMP/gate.sh
region = ap-northeast-2
CFG

tui_start 80 24 FLIGHTDECK_FAKE_MODEL=0 AWS_CONFIG_FILE="$TUI_TMP/config" AWS_ENDPOINT_URL="$ep" -- --profile gated
tui_wait 'flightdeck overview' 10
for _ in $(seq 200); do [ -e "$TUI_TMP/started" ] && break; sleep 0.05; done
ok "$([ -e "$TUI_TMP/started" ]; echo $?)" 'the first calls start the credential_process'

tui_keys '?'
tui_wait 'Commands \(unique' 10
like "$(tui_cap)" 'Commands \(unique' '? shows the help while the credential_process has not answered'
tui_keys 2
tui_wait 'CloudWatch charts|requests/s|metrics' 10
tui_keys 1
tui_wait 'NO DATA YET|collecting' 10
like "$(tui_cap | sed -n 2p)" 'NO DATA YET|collecting' 'views switch and the status line says it is still collecting'
ok "$([ ! -e "$TUI_TMP/answered" ]; echo $?)" 'all that while the credential_process was still waiting'
is "$(signed)" 0 'and no call was sent without credentials (they queue)'

touch "$TUI_TMP/release"
tui_wait 'requests/s +[0-9.]+ +data [0-9]+[sm] +[0-9.]+' 30
like "$(tui_cap)" 'requests/s +[0-9.]+ +data [0-9]+[sm] +[0-9.]+' 'once the credentials arrive, the queued calls collect data'
ok "$([ "$(signed)" -gt 0 ]; echo $?)" 'the calls reached the simulator signed'
tui_keys q
tui_wait 'icanon' 10
like "$(tui_cap)" 'exit=0' 'q exits 0'
done_testing
