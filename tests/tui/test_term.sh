#!/usr/bin/env bash
# The terminal: resize, too small, ASCII bytes only, no colour, restore on every exit path.
. "$FD_SRCDIR/tests/tui/lib.sh"

ESC=$'\033'
# An SGR sequence that sets a colour (30-38, 40-48, 90-107; 39/49 only reset to the default).
COLOUR_RE="${ESC}\\[([0-9]*;)*(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9]*)*m"

# Resize: too small, then large again.
tui_start 80 24
tui_wait 'Success targets'
tui_tmux resize-window -x 60 -y 20
tui_wait 'terminal too small'
like "$(tui_cap)" 'terminal too small \(need 80x22, have 60x20\)' 'shrinking to 60x20 shows the too-small message'
ok "$(tui_cap | grep -c 'Success targets')" 'and nothing of the dashboard'
tui_tmux resize-window -x 120 -y 30
tui_wait 'Success targets'
s=$(tui_cap)
like "$s" 'Success targets' 'growing to 120x30 brings the dashboard back'
like "$(printf '%s\n' "$s" | tail -1)" 'default ap-northeast-2  \? help$' 'the status line is on the last row'
is "$(printf '%s\n' "$s" | wc -l)" 30 'the screen has the new 30 rows'
tui_keys q
tui_wait 'exit='

# Started too small.
tui_start 79 24
tui_wait 'too small'
like "$(tui_cap)" 'terminal too small \(need 80x22, have 79x24\)' 'starting at 79x24 shows the message'
tui_keys q
tui_wait 'exit='
like "$(tui_cap)" 'exit=0' 'q works on the too-small screen'

# ASCII: LANG=C and --ascii write only bytes < 0x80, and no ACS (SO/SI, ESC ( 0).
ascii_run() { # ascii_run NAME ENV ARGS: visit every view, return the raw bytes file
	local raw="$TUI_TMP/$1.raw"
	tui_start 80 24 $2 -- $3
	tui_wait 'Success targets'
	tui_tmux pipe-pane -o "cat >> $raw"
	tui_keys C-l
	for k in 2 3 4 5 6 7 8 '?'; do tui_keys "$k"; sleep 0.1; done
	tui_keys q
	tui_wait 'exit='
	tui_tmux pipe-pane
	echo "$raw"
}
raw=$(ascii_run utf8 "" "")
ok "$(test "$(LC_ALL=C grep -c -P '[\x80-\xff]' "$raw")" -gt 0; echo $?)" 'control: the UTF-8 run writes non-ASCII bytes'
raw=$(ascii_run langc "LANG=C" "")
ok "$(test -s "$raw"; echo $?)" 'LANG=C: the dashboard wrote output'
is "$(LC_ALL=C grep -c -P '[\x80-\xff]' "$raw")" 0 'LANG=C: only ASCII bytes'
is "$(LC_ALL=C grep -c -P '\x0e|\x1b\(0' "$raw")" 0 'LANG=C: no ACS line drawing (no SO, no ESC ( 0)'
raw=$(ascii_run flag "" "--ascii")
is "$(LC_ALL=C grep -c -P '[\x80-\xff]' "$raw")" 0 '--ascii: only ASCII bytes in a UTF-8 locale'

# Colour: 8/16 colours by default, 256 on a 256-colour terminal, none under NO_COLOR / --no-color.
tui_start 80 24
tui_wait 'Success targets'
ok "$(tui_cap -e | grep -Eq "$COLOUR_RE"; echo $?)" 'colour escapes by default'
ok "$(tui_cap -e | grep -q "${ESC}\[38;5;"; test $? -ne 0; echo $?)" 'no 256-colour escapes on TERM=screen'
tui_start 80 24 TERM=tmux-256color
tui_wait 'Success targets'
ok "$(tui_cap -e | grep -q "${ESC}\[38;5;"; echo $?)" 'TERM=tmux-256color: 256-colour escapes'
for how in "NO_COLOR=1 --" "-- --no-color"; do
	tui_start 80 24 $how
	tui_wait 'Success targets'
	for k in 1 3 5; do tui_keys "$k"; sleep 0.1; done
	is "$(tui_cap -e | grep -Ec "$COLOUR_RE")" 0 "${how}: no colour escape codes"
	like "$(tui_cap -e)" "${ESC}\[[0-9;]*7" "${how}: the title bar still stands out (reverse video)"
done

# Read-only banner.
tui_start 80 24 -- --read-only
tui_wait 'READ-ONLY'
like "$(tui_cap | head -1)" 'overview.* runbooks [a-z!]+( [a-z!]+)* +READ-ONLY$' '--read-only shows a banner after the tabs'

# Unattended runs end by themselves.
tui_start 80 24 FLIGHTDECK_EXIT_AFTER_MS=300
tui_wait 'exit=' 5
like "$(tui_cap)" 'exit=0' 'FLIGHTDECK_EXIT_AFTER_MS ends the dashboard with status 0'

# Every way out restores the terminal (cooked mode, main screen).
for sig in TERM HUP INT SEGV ABRT; do
	tui_start 80 24
	tui_wait 'Success targets'
	pid=$(tui_pid)
	if [ "$sig" = INT ]; then tui_keys C-c; else kill -s "$sig" "$pid"; fi
	tui_wait 'icanon' 5
	s=$(tui_cap)
	case $sig in
	SEGV) like "$s" 'exit=139' "SIG$sig: the process dies of the signal" ;;
	ABRT) like "$s" 'exit=134' "SIG$sig: the process dies of the signal" ;;
	*) like "$s" 'exit=0' "SIG$sig: a clean exit" ;;
	esac
	like "$s" 'icanon echo' "SIG$sig: the terminal is back in cooked mode with echo"
	is "$(tui_tmux display-message -p '#{alternate_on}')" 0 "SIG$sig: the main screen is back"
done

# The in-UI prompt (what the MFA code prompt uses): no echo, the answer reaches the caller.
tui_start 80 24 FLIGHTDECK_FAKE_PROMPT=1
tui_wait 'MFA code for'
tui_keys 987654
tui_wait '\*\*\*\*\*\*'
s=$(tui_cap)
like "$(printf '%s\n' "$s" | tail -1)" '^MFA code for arn:aws:iam::123456789012:mfa/oncall: \*\*\*\*\*\*' 'the prompt shows * for each character'
ok "$(printf '%s' "$s" | grep -c 987654)" 'the code itself is never on screen'
tui_keys Enter
tui_wait 'answered with'
like "$(tui_cap)" 'Prompt: answered with 6 characters' 'the answer reaches the caller'
tui_keys q
tui_wait 'exit='
done_testing
