#!/usr/bin/env bash
# test_confirm_typeahead.sh — in the dashboard, keys typed before the confirmation
# panel (or its next question) is on screen never answer it (issue 10): the
# opening Enter, the token and Enter arrive as one burst of type-ahead; then a
# wrong answer followed at once by the token. The panel drops type-ahead with
# flushinp() once it is drawn (curs_util(3X): "flushinp throws away any typeahead
# that has been typed by the user and has not yet been read by the program").
# /_sim/requests says what was sent: no SetDesiredCapacity until the token is
# typed after the question shows.
. "$FD_SRCDIR/tests/tui/lib.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
. "$FD_SRCDIR/tests/tui/rb_lib.sh"
trap 'tui_cleanup; stop_sims' EXIT
token=petclinic-asg-was-blue
# settle: every key sent so far has been read: a marker key typed now shows in the
# panel only after them (keys are read in order), then it is erased.
settle() {
	tui_keys z
	panel_last '^> z$' || ok 1 'the panel took the marker key'
	tui_keys BSpace
	panel_last '^>$'
}
panel_last() { # panel_last REGEX: until the panel's typed row matches (30 s)
	local i
	for ((i = 0; i < 600; i++)); do
		panel | tail -1 | sed 's/ *$//' | grep -Eq -- "$1" && return 0
		sleep 0.05
	done
	return 1
}
start_sim
rb_dash 100 30
tui_keys 8
tui_wait 'Scale an Auto Scaling group' 15
tui_keys / 'set its desired' Enter
tui_wait 'filter: set its desired' 10
tui_keys Enter
tui_wait 'Parameters of scale' 15
tui_keys G Enter
if ! tui_wait 'CONFIRMATION WAITING' 60; then
	ok 1 'the run reaches its confirmation'
	tui_cap | sed 's/^/# /'
	done_testing
	exit
fi
base=$(mutating_count)
is "$base" 0 'nothing mutating was sent before the confirmation'

# One burst: Enter (opens the panel), the token, Enter. Only the first key was
# typed with something to answer on screen; the rest is type-ahead.
tui_keys Enter "$token" Enter
tui_wait '^(┌─|\+-) Confirm a change: scale step [0-9]+ set_desired' 15
settle
is "$(mutating_count)" "$base" 'the token typed ahead with the opening Enter sent nothing'
like "$(panel | tail -1)" '^> *$' 'the panel is open with nothing typed in it'
unlike() { if printf '%s' "$1" | grep -Eq -- "$2"; then ok 1 "$3"; else ok 0 "$3"; fi; }
unlike "$(tui_cap)" 'try 2 of 3|confirmed \(typed' 'the type-ahead was neither an answer nor a try'

# A wrong answer, then the token at once (typed before "try 2 of 3" was drawn).
tui_keys wrong Enter "$token" Enter
tui_wait 'try 2 of 3' 15
settle
like "$(panel)" "'wrong' is not '$token'; type $token to send it" 'the wrong answer was read and asks again'
is "$(mutating_count)" "$base" 'the token typed ahead of the second question sent nothing'
like "$(panel | tail -1)" '^> *$' 'and is not in the panel'
unlike "$(tui_cap)" 'try 3 of 3' 'nor counted as a third try'

# Typed after the question is on screen, the token confirms: one call.
tui_keys "$token" Enter
wait_mutating 1 30
is "$(mutating | tr '\n' ' ')" 'SetDesiredCapacity ' 'the token typed after the question sends exactly one SetDesiredCapacity'
tui_wait "confirmed \\(typed $token\\)" 15
like "$(tui_cap)" "confirmed \\(typed $token\\)" 'and the run says it was typed'
done_testing
