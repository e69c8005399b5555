#!/usr/bin/env bash
# test_rbview.sh — "runbooks and runs" (issue 15) at 80x24 and 80x23: the
# parameters form shows every parameter with its type, default and bounds, checks
# a value as it is typed (rb_param_value: type, minimum), and the value given
# reaches the call (the simulator's Auto Scaling group); plan from the form shows
# the plan in the view; a run killed with SIGKILL at its confirmation is listed
# as unfinished and resumed from the view (re-read, then the same confirmation);
# the run's log scrolls; leaving during a run says how to resume it.
# SetDesiredCapacity: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_SetDesiredCapacity.html
. "$FD_SRCDIR/tests/tui/lib.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
. "$FD_SRCDIR/tests/tui/rb_lib.sh"
trap 'tui_cleanup; stop_sims' EXIT

unlike() { if printf '%s' "$1" | grep -Eq -- "$2"; then ok 1 "$3"; else ok 0 "$3"; fi; }
golden() { # golden NAME: the screen against tests/tui/golden/NAME.txt (FD_UPDATE_GOLDEN=1 rewrites it)
	local want="$FD_SRCDIR/tests/tui/golden/$1.txt" got="$TUI_TMP/$1.txt"
	tui_cap | rb_mask >"$got"
	if [ "${FD_UPDATE_GOLDEN:-}" = 1 ]; then cp "$got" "$want"; fi
	if diff -u "$want" "$got" >"$TUI_TMP/diff"; then ok 0 "golden $1"; else ok 1 "golden $1"; sed 's/^/# /' "$TUI_TMP/diff" | head -40; fi
}
desired() { # the simulator's desired capacity of petclinic-asg-was-blue
	curl -s "$SIM_URL/_sim/state" | /usr/bin/python3 -c '
import json, sys
s = json.load(sys.stdin)
print([a["desired"] for a in s["regions"][0]["auto_scaling_groups"] if a["name"] == "petclinic-asg-was-blue"][0])'
}
bail() { ok 1 "$1"; tui_cap | sed 's/^/# /'; done_testing; exit; }

start_sim --time-scale 100
is "$(desired)" 2 'set-up: petclinic-asg-was-blue wants 2'
rb_dash 80 24
tui_keys 8
tui_wait 'no run journaled yet' || bail 'the runbooks view lists no run at first'
ok 0 'the runbooks view says no run is journaled yet'
tui_keys / 'Scale an' Enter
tui_wait 'filter: Scale an'
tui_keys Enter
tui_wait 'Parameters of scale' || bail 'Enter opens the parameters form'
s=$(tui_cap)
like "$s" 'desired +4 +integer, 0 or more' 'the form shows each parameter with its default, type and bounds'
like "$s" 'asg +petclinic-asg-was-blue +string' 'string defaults too'
like "$s" 'stack \(string, default petclinic\): the stack' 'the selected parameter is described whole below'
golden form-scale-80x24
is "$(mutating_count)" 0 'opening the form sent nothing'
# desired: checked as it is typed
tui_keys j j j Enter
tui_wait 'Enter keeps the value'
tui_keys C-u 4x
tui_wait "parameter desired: '4x' is not an integer" 5
like "$(tui_cap | tail -2 | head -1)" "'4x' is not an integer" 'a value that is not an integer is refused as it is typed'
tui_keys BSpace BSpace -1
tui_wait 'below its minimum 0' 5
like "$(tui_cap)" 'parameter desired: below its minimum 0' 'a value below the minimum is refused'
tui_keys Enter
sleep 0.3
like "$(tui_cap | tail -1)" 'Enter keeps the value' 'Enter does not keep a refused value'
tui_keys C-u 3 Enter
tui_wait 'desired +3 +integer' 5
like "$(tui_cap)" 'desired +3 +integer, 0 or more' 'a valid value is kept'
# p: the plan, in the view, with the value given
tui_keys p
tui_wait 'Plan scale: planned' 20 || bail 'p plans from the form'
like "$(tui_cap)" 'change: +2 -> 3' 'the plan shows the value given in the form'
is "$(mutating_count)" 0 'the plan sent no mutating call'
# the log scrolls
top=$(tui_cap | grep -o 'Log: rows [0-9]*-[0-9]*')
tui_keys PPage
tui_wait 'j/k PgUp/PgDn scroll, G: newest' 5
unlike "$(tui_cap | grep -o 'Log: rows [0-9]*-[0-9]*')" "^$top\$" 'PgUp scrolls the log back'
tui_keys g
tui_wait 'Log: rows 1-' 5
like "$(tui_cap)" 'runbook scale: plan of run' 'g goes back to its first lines'
tui_keys G
tui_wait '\(k PgUp: back\)' 5
like "$(tui_cap)" 'scale: planned' 'G follows the newest line again'

# x after the plan: back to the form, its values kept, on run: what was planned runs.
tui_keys x
tui_wait 'Parameters of scale' 5 || bail 'x after the plan goes back to the form'
s=$(tui_cap)
like "$s" 'desired +3 +integer' 'x after the plan: the form again, with the value given'
like "$s" 'run: a journal is kept' 'on its run row (what run does, below the rows)'
# The run, with desired 3, killed at its confirmation.
tui_keys Enter
tui_wait 'CONFIRMATION WAITING +scale step 8 set_desired' 20 || bail 'the run reaches its confirmation'
ok 0 'the run reaches its confirmation'
kill -KILL "$(tui_pid)"
tui_wait 'exit=137' 5
is "$(mutating_count)" 0 'SIGKILL at the confirmation: nothing was sent'

# Listed as unfinished after a restart (80x23, ASCII), resumed from the view.
rb_dash 80 23 LANG=C NO_COLOR=1
tui_keys 8
tui_wait 'unfinished +scale' 5 || bail 'the killed run is listed as unfinished'
like "$(tui_cap)" 'unfinished +scale +[0-9-]+ [0-9:]+Z +at step 8 set_desired' 'the killed run is listed as unfinished, at its step'
tui_keys G
tui_wait 'Enter resumes it here' 5
tui_wait 'given: desired=3' 5
like "$(tui_cap)" 'given: desired=3$' 'the run says the parameter it was given (not at its default), the only one'
golden runs-80x23-ascii
tui_keys Enter
tui_wait 'CONFIRMATION WAITING +scale step 8 set_desired' 20 || bail 'the resumed run asks again'
like "$(tui_cap)" 'resuming run [0-9]{8}T[0-9]{6}Z-scale-[0-9]+ at step 8' 'Enter resumed the run at its step'
# The log scrolled back stays where it is while the run prints more (80x22, the
# smallest screen, where this log is one row taller than its room).
tui_tmux resize-window -x 80 -y 22
for ((i = 0; i < 100; i++)); do
	[ "$(tui_cap | wc -l)" = 22 ] && tui_cap | sed -n 22p | grep -q '? help' && tui_cap | grep -q 'Log: rows' && break
	sleep 0.1
done
tui_keys PPage
tui_wait 'j/k PgUp/PgDn scroll, G: newest' 5 || bail 'PgUp scrolls the log back'
back=$(tui_cap | grep -Eo 'Log: rows [0-9]+-[0-9]+ of [0-9]+')
tui_keys Enter
tui_wait 'Confirm a change: scale step 8' 5
like "$(panel_joined)" '"DesiredCapacity":3' 'the confirmation carries the value given in the form'
like "$(panel_joined)" 'change: 2 -> 3' 'read again: 2 -> 3'
tui_keys petclinic-asg-was-blue Enter
wait_mutating 1
is "$(mutating | tr '\n' ' ')" 'SetDesiredCapacity ' 'the resumed run sent SetDesiredCapacity once'
is "$(desired)" 3 'the value given in the form reached the call: desired 3'
tui_wait 'Run scale: done' 60
like "$(tui_cap)" 'Run scale: done' 'the resumed run completes'
now=$(tui_cap | grep -Eo 'Log: rows [0-9]+-[0-9]+ of [0-9]+')
first() { printf '%s' "$1" | sed -E 's/Log: rows ([0-9]+)-.*/\1/'; }   # the banner goes: one more row below
is "$(first "$now")" "$(first "$back")" "the log scrolled back starts at the same row after the run printed more ($back, then $now)"
ok "$([ "${now##* of }" -gt "${back##* of }" ]; echo $?)" 'while the log grew'
tui_keys G
tui_wait '\(k PgUp: back\)' 5
tui_tmux resize-window -x 80 -y 23
tui_keys x
tui_wait 'Runs: unfinished first'
like "$(tui_cap)" 'done +scale ' 'the finished run is in the history'
like "$(tui_cap)" 'done +scale +[0-9-]+ [0-9:]+Z +scale_out_latency_s [0-9.]+' 'with the figure it measured'

# Leaving during a run: q asks for a second q, then says how to resume.
tui_keys / 'Scale an' Enter
tui_wait 'filter: Scale an'
tui_keys g Enter
tui_wait 'Parameters of scale' 5 || bail 'the form opens again'
tui_keys j j j Enter C-u 2 Enter
tui_wait 'desired +2 +integer'
tui_keys G Enter
tui_wait 'CONFIRMATION WAITING' 20 || bail 'the second run reaches its confirmation'
tui_keys q
tui_wait 'q again leaves' 5
like "$(tui_cap | tail -1)" 'a run is unfinished: q again leaves' 'q during a run asks for q again'
tui_keys q
tui_wait 'exit=' 5
s=$(tui_cap)
like "$s" 'exit=0' 'q q leaves'
like "$(printf '%s' "$s" | tr -d '\n')" 'flightdeck: run [0-9]{8}T[0-9]{6}Z-scale-[0-9]+ \(scale\) is unfinished' 'and says which run is unfinished'
like "$(printf '%s' "$s" | tr -d '\n')" 'flightdeck runbook resume [0-9]{8}T[0-9]{6}Z-scale-[0-9]+' 'and how to resume it'
is "$(mutating_count)" 1 'nothing more was sent'

# A form taller than the screen (blue-green-cutover at 80x24) says that rows are
# out of sight and where run is; a value given is shown whole below the rows.
rb_dash 80 24
tui_keys 8
tui_keys / blue-green-cut Enter
tui_wait 'filter: blue-green-cut'
tui_keys Enter
tui_wait 'Parameters of blue-green-cutover' || bail 'the form of blue-green-cutover opens'
like "$(tui_cap)" 'rows 1-[0-9]+ of 19, more below: j/PgDn \(G: plan and run\)' 'the form says that rows are below, and how to reach run'
long="$SIM_URL/_sim/app/ap-northeast-2/"
for ((i = 0; i < 14; i++)); do tui_keys j; done
tui_wait 'probe_url \(string, default http://petclinic.example.com/\)' 5 || bail 'j reaches probe_url'
tui_keys Enter C-u "$long" Enter
tui_wait "given: $long" 5
like "$(tui_cap)" "given: $long" 'a value wider than its row is shown whole below the rows'
tui_keys G
tui_wait 'above: k/PgUp' 5
like "$(tui_cap)" ' run +run it: every change asks' 'G: the run row in sight'
# 200x50: every row, each with its description
tui_tmux resize-window -x 200 -y 50
tui_wait 'min_green +2 +integer +InService green instances and healthy targets needed before the shift' 5
like "$(tui_cap)" 'min_green +2 +integer +InService green instances and healthy targets needed before the shift' \
	'200x50: each parameter with its description on its row'
unlike "$(tui_cap)" 'more below' '200x50: every row in sight'
tui_tmux resize-window -x 80 -y 24
tui_keys Escape
tui_wait 'nothing started' 5
tui_keys q
tui_wait 'exit=' 5

# A secret parameter: masked in the form, as it is typed, and never on the screen.
mkdir -p "$TUI_TMP/rb"
cp "$FD_SRCDIR"/runbooks/*.yaml "$TUI_TMP/rb/"
cat >"$TUI_TMP/rb/secret-demo.yaml" <<'YAML'
description: A runbook with a secret parameter (test)
parameters:
  token: {type: string, secret: true, default: hunter2-default, description: an API token}
  count: {type: integer, default: 2, min: 1, max: 5, description: how many}
steps:
  - name: check
    action: assert
    inputs: {condition: '$parameters.count >= 1'}
YAML
cat >"$TUI_TMP/rb/approval-long-name.yaml" <<'YAML'
description: An approval whose runbook and step names fill the banner (test)
steps:
  - name: stop_writes_first_now
    action: approve
    inputs: {message: "Writes stopped?", token: writes-stopped}
YAML
cat >"$TUI_TMP/rb/undo-demo.yaml" <<'YAML'
description: A change, then a failure, then a rollback that asks (test)
steps:
  - name: touch
    action: aws
    inputs: {service: autoscaling, operation: SetDesiredCapacity, confirm: petclinic-asg-was-blue,
             input: {AutoScalingGroupName: petclinic-asg-was-blue, DesiredCapacity: 3}}
  - name: fail_now
    action: assert
    inputs: {condition: 'false', message: failing on purpose}
rollback:
  - name: undo_it
    action: approve
    inputs: {message: "Undo?", token: undo}
YAML
rb_dash 80 24 FD_RUNBOOK_PATH=$TUI_TMP/rb
tui_keys 8
tui_keys / secret-demo Enter
tui_wait 'filter: secret-demo'
tui_keys Enter
tui_wait 'Parameters of secret-demo' || bail 'the form of secret-demo opens'
s=$(tui_cap)
like "$s" 'token +\*{8} +string' 'a secret default is masked in the form'
like "$s" 'count +2 +integer, 1 to 5' 'bounds on both sides are shown'
unlike "$s" 'hunter2' 'the secret default is not on the screen'
tui_keys Enter
tui_wait 'Enter keeps the value'
tui_keys s3cr3t-typed
sleep 0.3
like "$(tui_cap)" 'token +\*{12} ' 'a secret is masked as it is typed'
unlike "$(tui_cap)" 's3cr3t' 'and is not on the screen'
tui_keys Enter j Enter C-u 9
tui_wait 'above its maximum 5' 5
like "$(tui_cap)" 'parameter count: above its maximum 5' 'a value above the maximum is refused'
tui_keys Escape
tui_wait 'count +2 +integer'
tui_keys p
tui_wait 'Plan secret-demo: planned' 10
unlike "$(tui_cap)" 's3cr3t|hunter2' 'the plan does not show the secret'
# A banner too narrow for the runbook, the step's number and its name drops the number first.
tui_keys x
tui_wait 'Parameters of secret-demo' 5
tui_keys Escape
tui_wait 'nothing started' 5
tui_keys / approval-long Enter
tui_wait 'filter: approval-long'
tui_keys Enter
tui_wait 'Parameters of approval-long-name' 5 || bail 'the form of approval-long-name opens'
tui_keys G Enter
tui_wait 'APPROVAL WAITING' 20 || bail 'the approval waits'
like "$(tui_cap | sed -n 3p)" 'APPROVAL WAITING +approval-long-name stop_writes_first_now +Enter/:confirm' \
	'80 columns: the banner names the runbook and the step whole, without the step number'
tui_keys Enter
tui_wait 'Approve: approval-long-name step 1 stop_writes_first_now' 5
tui_keys writes-stopped Enter
tui_wait 'Run approval-long-name: done' 20
like "$(tui_cap)" 'Run approval-long-name: done' 'the approval answered, the run is done'
# Rolling back, the run's steps are the rollback's.
tui_keys x / undo-demo Enter
tui_wait 'filter: undo-demo'
tui_keys Enter
tui_wait 'Parameters of undo-demo' 5 || bail 'the form of undo-demo opens'
tui_keys G Enter
tui_wait 'CONFIRMATION WAITING +undo-demo step 1 touch' 20 || bail 'undo-demo asks to send its change'
tui_keys Enter
tui_wait 'Confirm a change: undo-demo' 5
tui_keys petclinic-asg-was-blue Enter
tui_wait 'APPROVAL WAITING +undo-demo rollback step 1 undo_it' 20 || bail 'the failure rolls back, and the rollback asks'
like "$(tui_cap)" 'r +1\. undo_it +approve +running' 'rolling back: the steps shown are the rollback'"'"'s, the current one running'
unlike "$(tui_cap)" '2\. fail_now' 'not the steps before it'
tui_keys Enter
tui_wait 'Approve: undo-demo rollback step 1 undo_it' 5
tui_keys undo Enter
tui_wait 'Run undo-demo: rolled_back' 20
like "$(tui_cap)" 'Run undo-demo: rolled_back' 'the rollback answered, the run rolled back'
like "$(tui_cap)" '2\. fail_now +assert +failed' 'ended: the steps again, the failed one marked'
tui_keys q
tui_wait 'exit=' 5
done_testing
