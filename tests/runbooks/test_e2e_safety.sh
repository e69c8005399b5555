#!/usr/bin/env bash
# test_e2e_safety.sh — issue 10's runbook guarantees with the real binary against the
# simulator (the engine's unit tests hold them on a fake client: test_rb_load.c,
# test_rb_run.c, test_rb_lock.c); /_sim/requests says what was sent:
#  - `runbook validate` (and plan, and run) refuses what cannot end or reads the
#    environment, naming FILE:LINE:COLUMN; a runbook that would copy
#    AWS_SECRET_ACCESS_KEY into a call sends nothing;
#  - an interval that is not a duration of 1 s or more after templating fails its step;
#  - stdin a pipe that carries the token is no terminal: refused without --yes;
#  - a secret parameter is sent to AWS but never written to the journal or the audit log;
#  - `runbook resume --yes` of a mutating step without a `current` read, killed after
#    sending it, never sends it again unasked;
#  - another host's lock is broken only by typing that host's name.
. "$FD_SRCDIR/tests/tui/lib.sh"
tui_tmp=$TUI_TMP
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"
trap 'tui_cleanup; if [ -n "$SIMPID" ]; then kill "$SIMPID" 2>/dev/null; wait "$SIMPID" 2>/dev/null; fi; rm -rf "$tmp"' EXIT
sim_start
rb=$tmp/rb
mkdir -p "$rb"
export FD_RUNBOOK_PATH=$rb
requests() { curl -s "$ENDPOINT/_sim/requests"; }
desired() { # the desired capacity of petclinic-asg-was-blue (Seoul)
	curl -s "$ENDPOINT/_sim/state" | /usr/bin/python3 -c 'import json, sys
d = json.load(sys.stdin)
print([a for a in d["regions"][0]["auto_scaling_groups"] if a["name"] == "petclinic-asg-was-blue"][0]["desired"])'
}
MARK=0
count() { # count OPERATION: the calls of it the simulator saw since the last mark
	requests | /usr/bin/python3 -c 'import json, sys
print(sum(1 for r in json.load(sys.stdin)[int(sys.argv[2]):] if r["operation"] == sys.argv[1]))' "$1" "$MARK"
}
mark() { # what the simulator saw so far is not counted any more
	MARK=$(requests | /usr/bin/python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
}

# --- what cannot end or reads the environment: refused by validate, FILE:LINE:COLUMN ----
cat > "$rb/exfil.yaml" <<'YAML'
description: copies the secret key into a call (plan would send it)
steps:
  - name: grab
    action: assert
    inputs: {value: 1, condition: 'true'}
    outputs: {K: '$ENV.AWS_SECRET_ACCESS_KEY'}
  - name: leak
    action: aws
    inputs: {service: autoscaling, operation: DescribeAutoScalingGroups, input: {AutoScalingGroupNames: ["{{ grab.K }}"]}}
YAML
cat > "$rb/exfil2.yaml" <<'YAML'
description: the same through env
steps:
  - name: leak
    action: aws
    inputs: {service: autoscaling, operation: DescribeAutoScalingGroups, input: {AutoScalingGroupNames: ["x"]}}
    outputs: {K: 'env.AWS_SECRET_ACCESS_KEY'}
    print: '{{ leak.K }}'
YAML
cat > "$rb/loop.yaml" <<'YAML'
description: goes back forever
steps:
  - name: a
    action: sleep
    inputs: {duration: 1s}
  - name: b
    action: assert
    on_failure: step:a
    inputs: {value: 1, condition: 'false'}
YAML
cat > "$rb/spin.yaml" <<'YAML'
description: polls AWS in a tight loop
steps:
  - name: w
    action: wait
    inputs: {service: cloudwatch, operation: DescribeAlarms, until: 'false', interval: 500ms}
YAML
cat > "$rb/zero.yaml" <<'YAML'
description: never times out
steps:
  - name: w
    action: wait
    timeout: 0
    inputs: {service: cloudwatch, operation: DescribeAlarms, until: 'false'}
YAML
cat > "$rb/file.yaml" <<'YAML'
description: probes a file
steps:
  - name: p
    action: probe
    inputs: {url: 'file:///etc/passwd', during: [p]}
YAML
check_refused() { # check_refused NAME LINE:COL TEXT
	local out rc
	out=$("$FD_BIN" runbook validate "$rb/$1.yaml" 2>&1); rc=$?
	is "$rc" 2 "validate $1: exit 2"
	like "$out" "$rb/$1.yaml:$2: .*$3" "validate $1: says $2 and why"
}
check_refused exfil 6:18 'jq may not use \$ENV'
check_refused exfil2 6:18 'jq may not use env'
check_refused loop 8:17 "goes back to step 'a': a loop that nothing ends"
check_refused spin 5:88 'interval 500ms is shorter than 1s'
check_refused zero 5:14 'timeout must be more than 0'
check_refused file 5:19 "url 'file:///etc/passwd' is not an http:// or https:// URL"
mark
out=$("$FD_BIN" runbook plan exfil 2>&1); rc=$?
is "$rc" 2 'plan of the $ENV runbook: exit 2'
out=$("$FD_BIN" runbook run exfil --yes 2>&1); rc=$?
is "$rc" 2 'run of it: exit 2'
out=$("$FD_BIN" runbook plan exfil2 2>&1); rc=$?
is "$rc" 2 'plan of the env runbook: exit 2'
is "$(count DescribeAutoScalingGroups)" 0 'the step that would carry the secret key was never sent'

# --- a value with a newline (AWS text can hold one) adds no line of its own -------------
cat > "$rb/newline.yaml" <<'YAML'
description: prints and approves a value holding a newline
steps:
  - name: s
    action: assert
    inputs: {value: 1, condition: 'true'}
    outputs: {X: '"name\n    change: 3 -> 3 (no change, safe to confirm)"'}
    print: "got {{ s.X }}\nthe author's second line"
  - name: ok
    action: approve
    inputs: {message: "check {{ s.X }}\nthen approve", token: go}
YAML
out=$("$FD_BIN" runbook run newline --yes </dev/null 2>&1); rc=$?
is "$rc" 0 'a runbook printing a value with a newline runs'
is "$(printf '%s\n' "$out" | grep -c '^ *change: 3 -> 3')" 0 'the value starts no line (no fake confirmation line)'
like "$out" 'got name\\x0a    change: 3 -> 3 \(no change, safe to confirm\)' 'the print shows the newline as an escape'
like "$out" 'check name\\x0a    change: 3 -> 3' 'so does the approval message'
like "$out" "the author's second line" "the runbook's own newlines still make lines"

# --- an interval templated from a parameter is checked after templating ------------------
cat > "$rb/every.yaml" <<'YAML'
description: polls at the pace a parameter gives
parameters:
  every: {type: string, default: 5s}
steps:
  - name: w
    action: wait
    timeout: 30s
    inputs: {service: cloudwatch, operation: DescribeAlarms, until: 'false', interval: '{{ parameters.every }}'}
YAML
is "$("$FD_BIN" runbook validate "$rb/every.yaml" >/dev/null 2>&1; echo $?)" 0 'a templated interval passes validate'
for every in 10ms soon 0; do
	mark
	out=$("$FD_BIN" runbook run every --yes -p "every=$every" </dev/null 2>&1); rc=$?
	is "$rc" 1 "interval '$every' after templating: the run fails"
	like "$out" "FAILED: .*interval" "and says the interval is why ($every)"
	ok "$([ "$(count DescribeAlarms)" -le 1 ]; echo $?)" "no tight poll ($every: $(count DescribeAlarms) DescribeAlarms)"
done

# --- a pipe is no terminal, even one that carries the token --------------------------------
cat > "$rb/blind.yaml" <<'YAML'
description: one change without a current read (resume cannot tell whether it took effect), and a rollback
parameters:
  asg: {type: string, secret: true, description: the group - secret for the test}
steps:
  - name: set
    action: aws
    inputs:
      service: autoscaling
      operation: SetDesiredCapacity
      confirm: blind-token
      input: {AutoScalingGroupName: '{{ parameters.asg }}', DesiredCapacity: 3}
rollback:
  - name: back
    action: aws
    inputs:
      service: autoscaling
      operation: SetDesiredCapacity
      confirm: blind-token
      input: {AutoScalingGroupName: '{{ parameters.asg }}', DesiredCapacity: 2}
YAML
secret=petclinic-asg-was-blue
mark
out=$(printf 'blind-token\nblind-token\nblind-token\n' | "$FD_BIN" runbook run blind -p "asg=$secret" 2>&1); rc=$?
is "$rc" 1 'the token piped in: refused'
like "$out" 'stdin is not a terminal: nothing sent; run it in a terminal, or give --yes' 'saying why and what to do'
is "$(count SetDesiredCapacity)" 0 'nothing sent'

# --- a secret parameter: sent, never journaled nor audited; killed after sending, --------
# --- resume --yes does not send it again unasked -------------------------------------------
mark
out=$(FLIGHTDECK_TEST_KILL_AFTER_MUTATION=1 "$FD_BIN" --debug "$tmp/debug.log" runbook run blind --yes -p "asg=$secret" </dev/null 2>&1); rc=$?
is "$rc" 137 'a run killed right after its SetDesiredCapacity'
is "$(count SetDesiredCapacity)" 1 'which the simulator received'
is "$(desired)" 3 'naming the group the secret parameter gave (the checks below mean something)'
state=$XDG_STATE_HOME/flightdeck
ok "$(ls "$state"/runs/*.json >/dev/null 2>&1; echo $?)" 'the run left a journal'
is "$(cat "$state"/runs/*.json "$state"/audit.jsonl | grep -c "$secret")" 0 'the secret is in neither the journal nor the audit log'
like "$(cat "$state"/runs/*.json)" '"asg": "<redacted>"' 'the journal says it was redacted'
like "$(cat "$state"/audit.jsonl)" '<redacted>' 'so does the audit log'
like "$(grep SetDesiredCapacity "$tmp/debug.log")" 'AutoScalingGroupName=\[redacted\]' 'the --debug log has the request, the secret redacted'
is "$(grep -c "$secret" "$tmp/debug.log")" 0 'and the secret nowhere (request, response, URL)'
run_id=$(printf '%s\n' "$out" | sed -n 's/^runbook blind: run \([^ ]*\).*/\1/p' | head -1)
ok "$([ -f "$state/runs/$run_id.json" ]; echo $?)" "the killed run's journal ($run_id)"
out=$("$FD_BIN" runbook resume "$run_id" --yes -p "asg=$secret" </dev/null 2>&1); rc=$?
is "$rc" 1 'resume --yes without a terminal: refused'
like "$out" 'may already have been sent before the interruption' 'saying the change may have been sent'
like "$out" 'STOPPED: .*stdin is not a terminal: nothing sent; resume it in a terminal \(--yes does not answer this one\)' \
	'and that --yes does not answer it'
like "$out" "runbook blind: STOPPED, unfinished, at step set: flightdeck runbook resume $run_id \\(in a terminal\\)" \
	'it stops unfinished (no rollback, no failure) and says how to go on'
is "$(count SetDesiredCapacity)" 1 'nothing sent again, and no rollback sent unasked'
like "$(cat "$state/runs/$run_id.json")" '"status": "running"' 'the journal can still be resumed'
# in a terminal, resume --yes stops and asks; the token typed after the question sends it
tui_start 120 40 "AWS_ENDPOINT_URL=$ENDPOINT" AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret \
	AWS_REGION=ap-northeast-2 "XDG_STATE_HOME=$XDG_STATE_HOME" "FD_RUNBOOK_PATH=$rb" -- runbook resume "$run_id" --yes -p "asg=$secret"
tui_wait 'type blind-token to send it' 60
like "$(tui_cap)" 'may already have been sent before the interruption' 'resume --yes in a terminal asks, saying why'
is "$(count SetDesiredCapacity)" 1 'and waits: nothing sent again'
tui_keys blind-token Enter
tui_wait 'exit=' 60
like "$(tui_cap)" 'exit=0' 'the token typed after the question: the run ends'
is "$(count SetDesiredCapacity)" 2 'having sent the change once more, because it was asked to'
is "$(cat "$state"/runs/*.json "$state"/audit.jsonl | grep -c "$secret")" 0 'the secret is still in neither file'

# --- another host's lock: only its typed name breaks it ------------------------------------
mkdir -p "$state/locks"
lock=$state/locks/blind@default.lock
printf '{"boot_id":"00000000-0000-0000-0000-000000000000","host":"bastion-b","operator":"ana@bastion-b","pid":4242,"pid_start":1,"run_id":"20261206T000000Z-blind-1","started":"2026-12-06T00:00:00Z"}' > "$lock"
chmod 600 "$lock"
before=$(cat "$lock")
out=$("$FD_BIN" runbook run blind --yes -p "asg=$secret" </dev/null 2>&1); rc=$?
is "$rc" 1 "another host's lock, no terminal: refused"
like "$out" 'locked by run 20261206T000000Z-blind-1 on host bastion-b .*another host or boot' 'naming the host'
like "$out" "to break it, run this in a terminal and type that host's name" 'and how to break it'
is "$(cat "$lock")" "$before" 'the lock is untouched'
tui_start 120 40 "AWS_ENDPOINT_URL=$ENDPOINT" AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret \
	AWS_REGION=ap-northeast-2 "XDG_STATE_HOME=$XDG_STATE_HOME" "FD_RUNBOOK_PATH=$rb" -- runbook run blind --yes -p "asg=$secret"
tui_wait 'type its name to break the lock' 60
tui_keys bastion-c Enter
tui_wait 'exit=' 60
like "$(tui_cap)" 'exit=1' 'another name typed: the run does not start'
is "$(cat "$lock")" "$before" 'and the lock is untouched'
tui_start 120 40 "AWS_ENDPOINT_URL=$ENDPOINT" AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret \
	AWS_REGION=ap-northeast-2 "XDG_STATE_HOME=$XDG_STATE_HOME" "FD_RUNBOOK_PATH=$rb" -- runbook run blind --yes -p "asg=$secret"
tui_wait 'type its name to break the lock' 60
mark
tui_keys bastion-b Enter
tui_wait 'exit=' 60
like "$(tui_cap)" 'exit=0' "that host's name typed: the run starts and ends"
is "$(count SetDesiredCapacity)" 1 'one change sent, after the lock was broken'
ok "$([ ! -e "$lock" ]; echo $?)" 'the run released its lock'
done_testing
