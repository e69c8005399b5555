#!/usr/bin/env bash
# test_hostile.sh — the dashboard shows hostile AWS names as visible escapes (issue 10):
# a database named with an OSC 0 (window title) and OSC 52 (clipboard) sequence reaches
# X-Ray's service graph with its ESC; a target group carries C1 controls and U+202E. The
# pane's title must not change (tmux applies OSC 0 to #{pane_title}), and the names show
# as \x7f / \u009b escapes, drawn by the same sanitiser as every CLI output; the raw byte stream
# the terminal receives (tmux pipe-pane) holds no OSC, BEL, C1 or bidi control.
. "$FD_SRCDIR/tests/tui/lib.sh"

"$FD_BIN" sim --print-scenario > "$TUI_TMP/pet.yaml"
/usr/bin/python3 - "$TUI_TMP/pet.yaml" "$TUI_TMP/hostile.yaml" <<'EOF'
import sys
s = open(sys.argv[1]).read()
tg = r'"green\x7f\u009b2K\u009d52;c;cm0gLXJmIH4=\u009c\u202eneerg"'
db = r'db\e]0;owned\a\e]52;c;cm0gLXJmIH4=\a\u202ebd'
s = s.replace("petclinic-tg-green", tg).replace("id: petclinic-db", 'id: "%s"' % db)
open(sys.argv[2], "w").write(s.replace("source: ap-northeast-2/petclinic-db", 'source: "ap-northeast-2/%s"' % db))
EOF
"$FD_BIN" sim --listen 127.0.0.1:0 --scenario "$TUI_TMP/hostile.yaml" >"$TUI_TMP/sim.out" 2>"$TUI_TMP/sim.err" &
sim_pid=$!
trap 'kill $sim_pid 2>/dev/null; wait $sim_pid 2>/dev/null; tui_cleanup' EXIT
# Up to 30 s: under load (and ASan) the simulator can take seconds to listen.
for _ in $(seq 600); do grep -q 'http://' "$TUI_TMP/sim.out" 2>/dev/null && break; sleep 0.05; done
ep=$(grep -o 'http://[0-9.:]*' "$TUI_TMP/sim.out" | head -1)
if [ -z "$ep" ]; then
	echo "Bail out! the simulator did not start: $(head -c 300 "$TUI_TMP/sim.err")"
	exit 1
fi
env_sim="FLIGHTDECK_FAKE_MODEL=0 AWS_ENDPOINT_URL=$ep AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM \
AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret AWS_REGION=ap-northeast-2"

tui_start 160 40 $env_sim --
tui_tmux pipe-pane -o "cat >> '$TUI_TMP/stream'"   # every byte flightdeck writes to the terminal
title=$(tui_tmux display-message -p '#{pane_title}')
tui_keys 7
tui_wait 'petclinic@' 20
like "$(tui_cap)" 'petclinic@' 'the X-Ray view draws the database node (its name holds ESC ] 0 and ESC ] 52)'
is "$(tui_tmux display-message -p '#{pane_title}')" "$title" 'and the OSC 0 did not set the window title'
tui_keys 5
tui_wait 'green.x7f.u009b' 20
like "$(tui_cap)" 'green\\x7f\\u009b2K\\u009d52;c;cm' 'the load balancer view shows DEL and C1 controls as escapes'
tui_tmux pipe-pane
# What reached the terminal: curses' own CSI sequences, but no OSC, no BEL, no C1, no bidi control.
raw=$(/usr/bin/python3 - "$TUI_TMP/stream" <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read()
bad = re.compile(rb"\x1b\]|\x07|\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]")
m = bad.search(data)
print("%d bytes%s" % (len(data), "" if not m else ": %r at %d" % (m.group(0), m.start())))
EOF
)
like "$raw" '^[1-9][0-9]* bytes$' "the terminal received no OSC, BEL, C1 or bidi control ($raw)"
tui_keys q
tui_wait 'icanon' 10
like "$(tui_cap)" 'exit=0' 'q exits 0'
done_testing
