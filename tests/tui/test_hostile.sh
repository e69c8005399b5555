#!/usr/bin/env bash
# test_hostile.sh — the dashboard shows hostile AWS names as visible escapes (issue 10):
# a database named with an OSC 0 (window title) and OSC 52 (clipboard) sequence reaches
# X-Ray's service graph with its ESC; a target group carries C1 controls and U+202E. The
# pane's title must not change (tmux applies OSC 0 to #{pane_title}), and the names show
# as \x1b / \u009b escapes (columns cut them), drawn by the same sanitiser as every CLI output.
. "$FD_SRCDIR/tests/tui/lib.sh"

"$FD_BIN" sim --print-scenario > "$TUI_TMP/pet.yaml"
/usr/bin/python3 - "$TUI_TMP/pet.yaml" "$TUI_TMP/hostile.yaml" <<'EOF'
import sys
s = open(sys.argv[1]).read()
tg = r'"green\u009b2K\u009d52;c;cm0gLXJmIH4=\u009c\u202eneerg"'
db = r'db\e]0;owned\a\e]52;c;cm0gLXJmIH4=\a\u202ebd'
s = s.replace("petclinic-tg-green", tg).replace("id: petclinic-db", 'id: "%s"' % db)
open(sys.argv[2], "w").write(s.replace("source: ap-northeast-2/petclinic-db", 'source: "ap-northeast-2/%s"' % db))
EOF
"$FD_BIN" sim --listen 127.0.0.1:0 --scenario "$TUI_TMP/hostile.yaml" >"$TUI_TMP/sim.out" 2>"$TUI_TMP/sim.err" &
sim_pid=$!
trap 'kill $sim_pid 2>/dev/null; wait $sim_pid 2>/dev/null; tui_cleanup' EXIT
for _ in $(seq 100); do grep -q 'http://' "$TUI_TMP/sim.out" 2>/dev/null && break; sleep 0.05; done
ep=$(grep -o 'http://[0-9.:]*' "$TUI_TMP/sim.out" | head -1)
env_sim="FLIGHTDECK_FAKE_MODEL=0 AWS_ENDPOINT_URL=$ep AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM \
AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret AWS_REGION=ap-northeast-2"

tui_start 160 40 $env_sim --
title=$(tui_tmux display-message -p '#{pane_title}')
tui_keys 7
tui_wait 'owned' 20
like "$(tui_cap)" 'petclinic@db\\x1b\]0;owned\\x0' 'the X-Ray view shows the database name with its escapes visible'
is "$(tui_tmux display-message -p '#{pane_title}')" "$title" 'and the OSC 0 did not set the window title'
tui_keys 5
tui_wait 'green.u009b' 20
like "$(tui_cap)" 'green\\u009b2K\\u009d52;c;cm' 'the load balancer view shows C1 controls as escapes'
tui_keys q
tui_wait 'icanon' 10
like "$(tui_cap)" 'exit=0' 'q exits 0'
done_testing
