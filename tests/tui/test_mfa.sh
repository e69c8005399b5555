#!/usr/bin/env bash
# MFA codes are asked inside the dashboard (creds_set_prompt -> tui_prompt):
# a profile that assumes a role with mfa_serial, against the simulator.
. "$FD_SRCDIR/tests/tui/lib.sh"

"$FD_BIN" sim --listen 127.0.0.1:0 >"$TUI_TMP/sim.out" 2>"$TUI_TMP/sim.err" &
sim_pid=$!
trap 'kill $sim_pid 2>/dev/null; tui_cleanup' EXIT
for _ in $(seq 600); do grep -q 'http://' "$TUI_TMP/sim.out" 2>/dev/null && break; sleep 0.05; done
ep=$(grep -o 'http://[0-9.:]*' "$TUI_TMP/sim.out" | head -1)
mkdir -p "$TUI_TMP/.aws"
cat >"$TUI_TMP/.aws/config" <<CFG
[profile base]
aws_access_key_id = AKIDFLIGHTDECKSIM
aws_secret_access_key = flightdeck/sim/secret
region = ap-northeast-2
[profile mfa]
role_arn = arn:aws:iam::123456789012:role/oncall
source_profile = base
mfa_serial = arn:aws:iam::123456789012:mfa/oncall
region = ap-northeast-2
CFG
env_mfa="FLIGHTDECK_FAKE_MODEL=0 AWS_CONFIG_FILE=$TUI_TMP/.aws/config AWS_ENDPOINT_URL=$ep"

tui_start 80 24 $env_mfa -- --profile mfa
tui_wait 'Enter MFA code for' 10
like "$(tui_cap | tail -1)" '^Enter MFA code for arn:aws:iam::123456789012:mfa/oncall: ?$' 'the MFA prompt is on the status line'
like "$(tui_cap | head -1)" 'flightdeck overview' 'with the dashboard still on screen'
tui_keys 482913
tui_wait '\*\*\*\*\*\*'
ok "$(tui_cap | grep -c 482913)" 'the code is not echoed'
tui_keys Enter
tui_wait 'requests/s +[0-9.]+ +data [0-9]+[sm] +[0-9.]+' 20
like "$(tui_cap)" 'requests/s +[0-9.]+ +data [0-9]+[sm] +[0-9.]+' 'after the code, the assumed role collects data'
sleep 1
ok "$(tui_cap | grep -c 'Enter MFA code')" 'the code was asked once (the credentials are cached)'
tui_keys q
tui_wait 'icanon' 10
like "$(tui_cap)" 'exit=0' 'q exits 0'

# Esc: the calls fail with the panel errors shown, and nobody is asked again until r.
tui_start 80 24 $env_mfa -- --profile mfa
tui_wait 'Enter MFA code for' 10
tui_keys Escape
tui_wait 'PromptCancelled' 20
like "$(tui_cap)" 'PromptCancelled' 'Esc: the panels show why they have no data'
like "$(tui_cap | head -1)" 'flightdeck overview' 'and the screen is not blanked'
ok "$(tui_cap | tail -1 | grep -c 'Enter MFA code')" 'and the prompt does not come back by itself'
tui_keys r
tui_wait 'Enter MFA code for' 10
like "$(tui_cap | tail -1)" 'Enter MFA code for' 'r asks again'
tui_keys Escape
tui_wait 'prompt cancelled'
tui_keys q
tui_wait 'icanon' 10
like "$(tui_cap)" 'exit=0' 'q exits 0'
done_testing
