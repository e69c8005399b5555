#!/usr/bin/env bash
# Runbook runs hosted in the dashboard (--demo: the simulator): plan, then a run
# whose mutating step is confirmed by typing on the status line.
. "$FD_SRCDIR/tests/tui/lib.sh"

tui_start 80 24 FLIGHTDECK_FAKE_MODEL=0 -- --demo
if ! tui_wait 'flightdeck overview' 10; then
	ok 1 'the dashboard starts with --demo'
	tui_cap | sed 's/^/# /'
	done_testing
	exit
fi
tui_keys 8
tui_wait 'Scale an Auto Scaling group'
tui_keys / 'set its desired' Enter
tui_wait 'filter: set its desired'
tui_wait '8\. set_desired' 10
like "$(tui_cap)" 'scale +Scale an Auto Scaling group' 'the runbooks view lists the shipped scale runbook'
like "$(tui_cap)" '8\. set_desired +aws' 'and its steps'

# p: the parameters form, p again: a plan sends nothing and says so.
tui_keys p
tui_wait 'Parameters of scale'
tui_keys p
tui_wait 'scale: planned' 15
s=$(tui_cap)
like "$s" 'Plan scale: planned' 'p plans the selected runbook'
like "$s" 'plan: the run would go through' 'the plan sends no mutating call'

# Enter: a run; the mutating step waits for the typed token, in the confirmation
# panel the engineer opens from the banner (Enter on it).
tui_keys x
tui_wait 'Parameters of scale'
tui_keys G Enter
tui_wait 'CONFIRMATION WAITING' 15
s=$(tui_cap)
like "$s" 'about to call autoscaling SetDesiredCapacity \(mutating\)' 'the run shows the operation before it acts'
like "$s" 'change: +2 -> 4' 'and what it will change'
like "$(printf '%s\n' "$s" | sed -n 3p)" 'CONFIRMATION WAITING +scale step 8 set_desired' 'a banner says the run waits'
tui_keys Enter
tui_wait 'to send it' 15
like "$(tui_cap)" '> *[│|]' 'Enter on the banner opens the panel, nothing typed'
like "$(tui_cap)" 'type petclinic-asg-was-blue to send it' 'the panel asks for the token'
tui_keys 'wrong-name' Enter
tui_wait 'try 2 of 3' 15
like "$(tui_cap)" "'wrong-name' is not 'petclinic-asg-was-blue'; type petclinic-asg-was-blue" 'a wrong answer asks again, naming the word'
tui_keys 'wrong-name' Enter
tui_wait 'try 3 of 3' 15
tui_keys 'wrong-name' Enter
tui_wait 'scale: (failed|rolled|done)' 20
s=$(tui_cap)
like "$s" "FAILED: 3 answers and none was 'petclinic-asg-was-blue'" 'three wrong answers fail the step'
unlike() { if printf '%s' "$1" | grep -Eq -- "$2"; then ok 1 "$3"; else ok 0 "$3"; fi; }
unlike "$s" 'sending autoscaling SetDesiredCapacity' 'no SetDesiredCapacity was sent'

tui_keys x Enter
tui_wait 'Parameters of scale'
tui_keys G Enter
tui_wait 'CONFIRMATION WAITING' 15
tui_keys Enter
tui_wait 'to send it' 15
tui_keys 'petclinic-asg-was-blue' Enter
tui_wait 'sending autoscaling SetDesiredCapacity' 10
like "$(tui_cap)" 'confirmed \(typed petclinic-asg-was-blue\)' 'the typed token confirms the step'
tui_wait 'scale: (done|failed|rolled)' 40
like "$(tui_cap)" 'Run scale: done' 'the run completes (instances InService)'
ok "$(ls "$TUI_TMP"/.local/state/flightdeck/runs/*.json >/dev/null 2>&1; echo $?)" 'the run was journaled under the state directory'
tui_keys q
tui_wait 'icanon'
like "$(tui_cap)" 'exit=0' 'q exits 0 and stops the simulator'
done_testing
