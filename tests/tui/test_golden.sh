#!/usr/bin/env bash
# Golden captures of key screens (fake model, 80x24, 80x23 and 200x50; ages masked).
# FD_UPDATE_GOLDEN=1 rewrites the files under tests/tui/golden/.
. "$FD_SRCDIR/tests/tui/lib.sh"

golden() { # golden NAME: compare the screen with golden/NAME.txt
	local want="$FD_SRCDIR/tests/tui/golden/$1.txt" got="$TUI_TMP/$1.txt"
	tui_cap | tui_mask >"$got"
	if [ "${FD_UPDATE_GOLDEN:-}" = 1 ]; then cp "$got" "$want"; fi
	if diff -u "$want" "$got" >"$TUI_TMP/diff"; then
		ok 0 "golden $1"
	else
		ok 1 "golden $1"
		sed 's/^/# /' "$TUI_TMP/diff" | head -40
	fi
}

tui_start 80 24
tui_wait 'Active alarms'
golden overview-80x24
for v in metrics:Latency alarms:History asg:Forecast lb:Target route53:DNS xray:Traces help:Commands; do
	tui_keys ":${v%%:*}" Enter
	tui_wait "${v#*:}"
	golden "${v%%:*}-80x24"
done
tui_keys q
tui_wait 'exit='

# an 80x24 terminal less a tmux or screen status line
tui_start 80 23 LANG=C NO_COLOR=1
tui_wait 'Active alarms'
golden overview-80x23-ascii
tui_keys 3 Enter
tui_wait 'alarm if'
golden alarm-80x23-ascii
tui_keys q
tui_wait 'exit='

# a wide terminal: charts beside the figures, a traffic chart, whole names
tui_start 200 50 LANG=C NO_COLOR=1
tui_wait 'Active alarms'
tui_wait ' -1h .* -30m .* -1h '
golden overview-200x50-ascii
tui_keys q
tui_wait 'exit='

tui_start 80 24 LANG=C
tui_wait 'Active alarms'
golden overview-80x24-ascii
tui_keys 5
tui_wait 'Target'
golden lb-80x24-ascii
tui_keys q
tui_wait 'exit='
done_testing
