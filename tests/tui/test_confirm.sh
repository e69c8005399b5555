#!/usr/bin/env bash
# test_confirm.sh — the confirmation panel (issue 15) at 80x24 and 80x23: a run
# that reaches a confirmation never takes the keyboard or the view; a banner on
# every view says which run waits; Enter on it (or :confirm) opens a framed panel
# with the whole block wrapped, never cut (the `->` new value, failback's
# warning), scrolled when taller than the screen, the typed text on its own row.
# What the simulator received (/_sim/requests) is checked at every step: nothing
# before the typed token, exactly one call for a wrong token then the right one.
# The CLI's behaviour it matches: a typo asks again, three tries
# (tests/runbooks/test_typeahead.sh); ELBv2 ModifyListener replaces the default
# actions (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyListener.html).
. "$FD_SRCDIR/tests/tui/lib.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
. "$FD_SRCDIR/tests/tui/rb_lib.sh"
trap 'tui_cleanup; stop_sims' EXIT

unlike() { if printf '%s' "$1" | grep -Eq -- "$2"; then ok 1 "$3"; else ok 0 "$3"; fi; }
resized() { # resized W H: resize the window, then wait until the dashboard drew at that size (its key line on the last row)
	local i
	tui_tmux resize-window -x "$1" -y "$2"
	for ((i = 0; i < 200; i++)); do
		[ "$(tui_cap | wc -l)" = "$2" ] && tui_cap | sed -n "${2}p" | grep -q 'Enter sends what you typed' && return 0
		sleep 0.1
	done
	return 1
}
golden() { # golden NAME: the panel's rows and the last row against tests/tui/golden/NAME.txt
	# (FD_UPDATE_GOLDEN=1 rewrites it); the view under the panel is another test's
	local want="$FD_SRCDIR/tests/tui/golden/$1.txt" got="$TUI_TMP/$1.txt"
	tui_cap | rb_mask | awk '{ l[NR] = $0 } /^(┌─|\+-) (Confirm|Approve)/ { top = NR }
		top && !bot && NR > top && /^(└─|\+-)/ { bot = NR }
		END { for (i = 1; i <= NR; i++) print (i <= 2 || (i >= top && i <= bot) || i == NR) ? l[i] : "(the view)" }' >"$got"
	if [ "${FD_UPDATE_GOLDEN:-}" = 1 ]; then cp "$got" "$want"; fi
	if diff -u "$want" "$got" >"$TUI_TMP/diff"; then ok 0 "golden $1"; else ok 1 "golden $1"; sed 's/^/# /' "$TUI_TMP/diff" | head -40; fi
}

# --- blue-green-rollback at 80x24 ------------------------------------------------
start_sim --time-scale 100
on_green
base=$(mutating_count)
is "$base" 2 'set-up: the listener and its rule forward to green'
rb_dash 80 24
tui_keys 8
tui_wait 'blue-green-rollback'
tui_keys / blue-green-roll Enter
tui_wait 'filter: blue-green-roll'
tui_keys Enter       # the parameters form; G Enter: run with the defaults
tui_wait 'Parameters of blue-green-rollback'
tui_keys G Enter
if ! tui_wait 'CONFIRMATION WAITING' 30; then
	ok 1 'the run reaches its first confirmation'
	tui_cap | sed 's/^/# /'
	done_testing
	exit
fi
s=$(tui_cap)
like "$(printf '%s\n' "$s" | sed -n 3p)" 'CONFIRMATION WAITING +blue-green-rollback step [0-9]+ back_to_blue +Enter/:confirm' \
	'the banner names the run and the step waiting'
unlike "$s" '^(┌─|\+-) Confirm' 'the panel does not open by itself'
unlike "$(printf '%s\n' "$s" | tail -1)" 'type petclinic-alb' 'the last row is not a prompt: keys are not taken'

# Keys typed in another view never reach the confirmation, not even the token.
tui_keys 4
tui_wait 'Auto Scaling groups'
like "$(tui_cap | sed -n 3p)" 'CONFIRMATION WAITING +blue-green-rollback' 'the banner is on every view (asg)'
tui_keys j j
tui_keys petclinic-alb
sleep 0.5
is "$(mutating_count)" "$base" 'j j and the token typed in the asg view sent nothing'
unlike "$(tui_cap)" '^(┌─|\+-) Confirm' 'and opened nothing'
tui_keys 3
tui_wait 'Alarms'
like "$(tui_cap | sed -n 3p)" 'CONFIRMATION WAITING .* :confirm *$' 'where Enter opens rows (alarms) the banner names :confirm only'
tui_keys 4
tui_wait 'Auto Scaling groups'
# Enter on the banner opens the panel; what was typed before is not in it.
tui_keys Enter
tui_wait '^(┌─|\+-) Confirm a change: blue-green-rollback step [0-9]+ back_to_blue' 5
s=$(tui_cap)
like "$s" '> +[│|]' 'the panel opens with nothing typed in it'
like "$(panel | tail -2 | head -1)" '^type petclinic-alb to send it' 'the prompt is below the block'
like "$(panel | tail -1)" '^> *$' 'and the typed text has a row of its own'
like "$(panel | head -1)" '^about to call elbv2 ModifyListener \(mutating\)' 'the block starts with the operation'
like "$(tui_cap | sed -n 24p)" 'Enter sends what you typed' 'the key line is on the last row'
like "$(tui_cap | sed -n 23p)" '^└─+ run [0-9]{8}T[0-9]{6}Z-blue-green-rollback-[0-9]+ ─+┘$' 'the frame names the run'
golden confirm-80x24
whole() { # whole WHAT: the panel's text holds every line of the rollback's block
	local all=$1
	like "$all" 'change: petclinic-tg-blue=0 petclinic-tg-green=100 -> petclinic-tg-blue=100 petclinic-tg-green=0' \
		"$2: the change line whole, with its new value"
	like "$all" 'control plane: no: a regional API in the region shown' "$2: the control-plane line"
	like "$all" 'account: 123456789012 \(arn:aws:iam::123456789012:user/flightdeck-sim\)' "$2: the account and caller"
	like "$(printf '%s' "$all" | tr -d ' ')" '"ListenerArn":"arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener/app/petclinic-alb/[0-9a-f]+/[0-9a-f]+"' \
		"$2: the parameters whole (the listener ARN joined back from its rows)"
	ok "$(tui_cap | awk '/^(│|\|)/ && !/(│|\|)$/' | wc -l)" "$2: every row of the panel ends with its frame, nothing is cut"
}
unlike "$s" 'more below' '80x24: the whole block fits, nothing to scroll'
whole "$(panel_joined)" '80x24 without scrolling'
# 80x23: one row less, the block scrolls; PgDn shows the rest.
resized 80 23
like "$(tui_cap)" 'rows 1-[0-9]+ of [0-9]+, more below: PgDn' '80x23: the block is taller than the panel: the frame says there is more'
first=$(panel_joined)
tui_keys NPage
tui_wait 'above: PgUp'
whole "$first $(panel_joined)" '80x23 with PgDn'
like "$(panel | tail -1)" '^> *$' '80x23: the typed text keeps its own row'
# 200x50: the same block, fewer rows; back to 80x24 for the answers.
resized 200 50
like "$(panel)" '^ *change: +petclinic-tg-blue=0 petclinic-tg-green=100 -> petclinic-tg-blue=100 petclinic-tg-green=0 *$' \
	'200x50: the change line on one row'
whole "$(panel_joined)" '200x50'
resized 80 24

# A wrong token asks again and sends nothing; the right one sends exactly one call.
tui_keys petclinic-alv Enter
tui_wait 'try 2 of 3' 5
like "$(panel_joined)" "'petclinic-alv' is not 'petclinic-alb'; type petclinic-alb to send it .*\(try 2 of 3\)" \
	'a wrong token asks again, in the panel, naming the word'
is "$(mutating_count)" "$base" 'the wrong token sent nothing'
tui_keys petclinic-alb Enter
wait_mutating $((base + 1))
sleep 0.5
is "$(mutating | tail -n +$((base + 1)) | tr '\n' ' ')" 'ModifyListener ' 'the right token sent exactly one call: ModifyListener'
tui_wait 'CONFIRMATION WAITING +blue-green-rollback step [0-9]+ back_rules' 20
unlike "$(tui_cap)" '^(┌─|\+-) Confirm' 'the panel closed after the answer; the next step waits behind the banner'
# :confirm opens it too; Esc closes it without answering.
tui_keys : confirm Enter
tui_wait '^(┌─|\+-) Confirm a change: blue-green-rollback step [0-9]+ back_rules' 5
like "$(panel_joined)" 'change: rule 10: petclinic-tg-blue=0 petclinic-tg-green=100 -> petclinic-tg-blue=100 petclinic-tg-green=0' \
	':confirm opens the panel; the rule change is whole'
tui_keys Escape
tui_wait 'not answered: the run still waits' 5
unlike "$(tui_cap)" '^(┌─|\+-) Confirm' 'Esc closes the panel'
like "$(tui_cap | sed -n 3p)" 'CONFIRMATION WAITING' 'the run still waits'
is "$(mutating_count)" "$((base + 1))" 'Esc sent nothing'
tui_keys : confirm Enter
tui_wait '^(┌─|\+-) Confirm a change' 5
tui_keys petclinic-alb Enter
tui_wait 'Run blue-green-rollback: done' 40
is "$(mutating | tail -n +$((base + 1)) | tr '\n' ' ')" 'ModifyListener ModifyRule ' 'the run sent the two changes it was confirmed for, once each'
tui_keys q
tui_wait 'exit='

# --- failback at 80x23 (a tmux status line), ASCII, no colour -----------------------
stop_sim
start_sim --time-scale 100
if ! failed_over; then
	ok 1 'set-up: dr-failover ran and the primary recovered'
	sed 's/^/# /' "$TUI_TMP/failover.log" | tail -20
else
	ok 0 'set-up: dr-failover ran and the primary recovered'
fi
base=$(mutating_count)
rb_dash 80 23 LANG=C NO_COLOR=1
tui_keys 8
tui_wait 'failback'
tui_keys / failback Enter
tui_wait 'filter: failback'
tui_keys Enter
tui_wait 'Parameters of failback'
tui_keys G Enter
tui_wait 'CONFIRMATION WAITING +failback step [0-9]+ create_replica' 40
tui_keys 4      # a view whose screen is the same every time, behind the panel
tui_wait 'Auto Scaling groups'
tui_keys Enter
tui_wait '^\+- Confirm a change: failback step [0-9]+ create_replica' 5
golden confirm-failback-80x23-ascii
like "$(panel_joined | tr -d ' ')" 'change:nopetclinic-db-failback->petclinic-db-failback:readreplicaofarn:aws:rds:ap-northeast-1:123456789012:db:petclinic-db' \
	'80x23 ASCII: the replica to create is shown whole'
is "$(mutating_count)" "$base" 'nothing was sent before the token'
tui_keys petclinic-db-failback Enter
tui_wait 'APPROVAL WAITING +failback step [0-9]+ stop_writes' 60
is "$(mutating | tail -n +$((base + 1)) | tr '\n' ' ')" 'CreateDBInstanceReadReplica ' 'the token sent the one call'
tui_keys Enter
tui_wait '^\+- Approve: failback step [0-9]+ stop_writes' 5
golden approve-failback-80x23-ascii
like "$(panel_joined)" 'Stop writes to petclinic-db now \(the application in ap-northeast-1 still writes to it\): writes after the promotion are lost. Writes stopped\?' \
	"failback's warning is whole"
resized 80 24
like "$(panel_joined)" 'Stop writes to petclinic-db now \(the application in ap-northeast-1 still writes to it\): writes after the promotion are lost. Writes stopped\?' \
	"80x24: failback's warning is whole"
like "$(panel | tail -2 | tr '\n' ' ')" '^type writes-stopped to go on \(anything else stops\) +> *$' '80x24: the prompt, then the typed row'
tui_keys Escape
tui_wait 'not answered' 5
tui_keys q
tui_wait 'exit='
done_testing
