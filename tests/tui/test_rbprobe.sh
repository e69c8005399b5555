#!/usr/bin/env bash
# test_rbprobe.sh — a runbook's probe in the dashboard (issue 16: its checks go through
# aws/http.c, their sockets in the dashboard's one poll loop): the baseline passes, the checks go
# on while the step the probe watches waits for its typed confirmation, none fails, and the
# run ends with the probe's figures. A local server counts the checks.
# SetDesiredCapacity: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_SetDesiredCapacity.html
. "$FD_SRCDIR/tests/tui/lib.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
. "$FD_SRCDIR/tests/tui/rb_lib.sh"
bail() { ok 1 "$1"; tui_cap | sed 's/^/# /'; done_testing; exit; }

# A web server (tests/probe_server.py) answering 200 to /app, one line per request in web.log.
/usr/bin/python3 "$FD_SRCDIR/tests/probe_server.py" "$TUI_TMP/web.port" "$TUI_TMP/web.log" &
WEBPID=$!
trap 'kill $WEBPID 2>/dev/null; tui_cleanup; stop_sims' EXIT
for _ in $(seq 100); do [ -s "$TUI_TMP/web.port" ] && break; sleep 0.1; done
WEB=http://127.0.0.1:$(cat "$TUI_TMP/web.port")
checks() { grep -c '^/app' "$TUI_TMP/web.log" 2>/dev/null || echo 0; }

mkdir -p "$TUI_TMP/rb"
cat >"$TUI_TMP/rb/probe-demo.yaml" <<YAML
description: A probe watching a change that waits for its confirmation (test)
steps:
  - name: probe
    action: probe
    inputs: {url: "$WEB/app", interval: 100ms, baseline: 2, during: [set]}
    measure: downtime_s
  - name: set
    action: aws
    inputs:
      service: autoscaling
      operation: SetDesiredCapacity
      input: {AutoScalingGroupName: petclinic-asg-was-blue, DesiredCapacity: 3}
      confirm: petclinic-asg-was-blue
YAML

start_sim --time-scale 100
rb_dash 80 24 FD_RUNBOOK_PATH=$TUI_TMP/rb
tui_keys 8 / probe-demo Enter
tui_wait 'filter: probe-demo' || bail 'the runbooks view lists probe-demo'
tui_keys Enter
tui_wait 'Parameters of probe-demo' || bail 'its form opens'
tui_keys G Enter
tui_wait 'CONFIRMATION WAITING +probe-demo step 2 set' 30 || bail 'the run reaches its confirmation'
like "$(tui_cap)" 'baseline: 2 of 2 checks answered; probing every 100 ms while 1 step run' 'the baseline passed'
# while the confirmation waits, the checks go on: 20 more than there were
n=$(checks)
for _ in $(seq 300); do [ "$(checks)" -ge $((n + 20)) ] && break; sleep 0.1; done
ok "$([ "$(checks)" -ge $((n + 20)) ] && echo 0 || echo 1)" \
	"the probe checks while the confirmation waits ($n, then $(checks) requests)"
tui_keys Enter
tui_wait 'Confirm a change: probe-demo step 2' 10 || bail 'Enter opens the confirmation panel'
tui_keys petclinic-asg-was-blue Enter
tui_wait 'Run probe-demo: done' 30 || bail 'the confirmed run ends, done'
s=$(tui_cap)
like "$s" 'probe probe: [0-9]+ checks of' 'the probe reports its checks'
like "$(printf '%s' "$s" | tr -d '\n')" "every 100 ms, 0 failed: +downtime 0\.0 s" 'none failed, no downtime (a check in flight while the question waited was not left to time out)'
is "$(mutating)" SetDesiredCapacity 'the change went out once, after the answer'
tui_keys q
tui_wait 'exit=' 5
done_testing
