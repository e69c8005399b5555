#!/usr/bin/env bash
# test_e2e_probe.sh — the probe action's HTTP checks go through aws/http.c (libcurl's multi
# interface, polled by the run's loop): a local server sees them (User-Agent flightdeck/...),
# counts them during the steps the probe watches, and a check that gets no answer fails with
# http.c's timeout, a status outside expect_status with it, and either stops the run at its
# baseline before anything else.
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"
sim_start   # the caller identity a run reads first

# A web server (tests/probe_server.py): /down answers 503, /hang never, the rest 200.
/usr/bin/python3 "$FD_SRCDIR/tests/probe_server.py" "$tmp/web.port" "$tmp/web.log" &
WEBPID=$!
trap 'kill $WEBPID 2>/dev/null; if [ -n "$SIMPID" ]; then kill "$SIMPID" 2>/dev/null; fi; wait 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do [ -s "$tmp/web.port" ] && break; sleep 0.1; done
WEB=http://127.0.0.1:$(cat "$tmp/web.port")

cat > "$tmp/probed.yaml" <<'YAML'
description: a probe watching a nap
parameters:
  url: {type: string}
steps:
  - name: probe
    action: probe
    inputs: {url: "{{ parameters.url }}", interval: 100ms, baseline: 2, during: [nap]}
    measure: downtime_s
  - name: nap
    action: sleep
    inputs: {duration: 1s}
YAML

out=$("$FD_BIN" runbook run "$tmp/probed.yaml" -p url="$WEB/ok" --yes 2>&1); rc=$?
is "$rc" 0 "a probe watching a step that answers: the run is done"
like "$out" "baseline: 2 of 2 checks answered; probing every 100 ms while 1 step run" "its baseline passed"
like "$out" "probe probe: [0-9]+ checks of $WEB/ok every 100 ms, 0 failed: downtime 0.0 s" "its checks during the nap, none failed"
n=$(grep -c '^/ok ' "$tmp/web.log")
ok "$([ "$n" -ge 5 ] && echo 0 || echo 1)" "the server saw the baseline and the checks ($n requests)"
is "$(grep '^/ok ' "$tmp/web.log" | grep -vc ' flightdeck/')" 0 "every check came from aws/http.c (User-Agent flightdeck/...)"

# Downtime is the URL not serving, not every failed check: one 500 between successes (the
# application's usual error rate; the simulated app fails 0.2 % of requests) is a failure
# that max_failed judges, while no answer, 502/503/504, and errors in a row are downtime.
sed 's/interval: 100ms, baseline: 2/interval: 100ms, baseline: 2, max_failed: 0.5/; s/duration: 1s/duration: 3s/' \
	"$tmp/probed.yaml" > "$tmp/tolerant.yaml"
figures() { # "CHECKS FAILED DOWNTIME" from the probe's line
	printf '%s\n' "$1" | sed -n 's/.*probe probe: \([0-9]*\) checks of .* every 100 ms, \([0-9]*\) failed: downtime \([0-9.]*\) s.*/\1 \2 \3/p'
}
out=$("$FD_BIN" runbook run "$tmp/tolerant.yaml" -p url="$WEB/pattern/ooooeooooo" --yes 2>&1); rc=$?
set -- $(figures "$out")
is "$rc" 0 "one 500 in ten checks: within max_failed, the run is done"
ok "$([ "${2:-0}" -ge 1 ]; echo $?)" "the single 500s failed their checks (${1:-?} checks, ${2:-?} failed)"
is "${3:-}" "0.0" "single errors between successes are not downtime"
like "$out" "single errors between successes: not downtime; last: HTTP 500" "the probe's line says why"
out=$("$FD_BIN" runbook run "$tmp/tolerant.yaml" -p url="$WEB/pattern/oooooeeeoo" --yes 2>&1); rc=$?
set -- $(figures "$out")
ok "$([ "${2:-0}" -ge 2 ] && awk -v d="${3:-0}" -v f="$2" 'BEGIN { exit !(d >= (f - 1) * 0.1 - 0.001 && d > 0) }'; echo $?)" \
	"three 500s in a row are downtime (${2:-?} failed: downtime ${3:-?} s)"
out=$("$FD_BIN" runbook run "$tmp/tolerant.yaml" -p url="$WEB/pattern/oooodooooo" --yes 2>&1); rc=$?
set -- $(figures "$out")
ok "$([ "${2:-0}" -ge 1 ] && awk -v d="${3:-0}" -v f="$2" 'BEGIN { exit !(d >= f * 0.1 - 0.001) }'; echo $?)" \
	"a single 503 (the load balancer had no target) is downtime (${2:-?} failed: downtime ${3:-?} s)"

out=$("$FD_BIN" runbook run "$tmp/probed.yaml" -p url="$WEB/hang" --yes 2>&1); rc=$?
is "$rc" 1 "a URL that never answers: the run fails"
like "$out" "FAILED \(step probe: probe probe: baseline: $WEB/hang did not answer successfully \(2 checks; last: no complete response in time" \
	"at its baseline, each check given up after its timeout (http.c's Timeout)"
like "$out" "nothing was changed" "before anything else"

out=$("$FD_BIN" runbook run "$tmp/probed.yaml" -p url="$WEB/down" --yes 2>&1); rc=$?
is "$rc" 1 "a URL answering 503: the run fails"
like "$out" "did not answer successfully \(2 checks; last: HTTP 503\)" "the status is what failed the checks"

# Under load (issue 16: the first port to aws/http.c stalled game-day cutovers after 'baseline: 3
# checks'): a check that completed in rb_run_step's last probe tick finished the baseline or
# the smoke test, yet nothing stepped the run again and no timer was due, so the CLI's poll()
# waited forever. The simulator answers at once, so a check sent in one tick often completes in
# the next, the last of a step: many runs at once, each with four chances, must all end.
cat > "$tmp/stress.yaml" <<'YAML'
description: probes while AWS calls are in flight, and smoke tests
parameters:
  url: {type: string}
steps:
  - name: probe
    action: probe
    inputs: {url: "{{ parameters.url }}", interval: 100ms, baseline: 3, during: [reads]}
  - name: reads
    action: wait
    timeout: 120s
    inputs: {service: elbv2, operation: DescribeLoadBalancers, input: {}, until: 'true', interval: 1s}
  - {name: smoke1, action: probe, inputs: {url: "{{ parameters.url }}", interval: 100ms, checks: 2}}
  - {name: smoke2, action: probe, inputs: {url: "{{ parameters.url }}", interval: 100ms, checks: 2}}
  - {name: smoke3, action: probe, inputs: {url: "{{ parameters.url }}", interval: 100ms, checks: 2}}
YAML
stress() { # stress RUNS AT-ONCE: RUNS runs of stress.yaml against the simulator's app; "i rc" per run
	local i
	for i in $(seq "$1"); do echo "$i"; done | xargs -P "$2" -I{} sh -c '
		XDG_STATE_HOME="$0/state{}" timeout 120 "$1" runbook run "$0/stress.yaml" -p url="$2" --yes \
			> "$0/stress{}.out" 2>&1
		echo "{} $?"' "$tmp" "$FD_BIN" "$ENDPOINT/_sim/app/ap-northeast-2/"
}
sim_start
stress 16 8 > "$tmp/rcs"
is "$(awk '$2 != 0' "$tmp/rcs" | wc -l)" 0 "16 probe runs at once: every one ended, done ($(awk '$2 == 124' "$tmp/rcs" | wc -l) stalled)"
for i in $(awk '$2 != 0 {print $1}' "$tmp/rcs" | head -2); do sed 's/^/# /' "$tmp/stress$i.out" | tail -4; done
is "$(grep -l '^runbook stress: done in' "$tmp"/stress*.out | wc -l)" 16 "each says so"

# With every answer 150 ms late (the simulator's latency fault, the app's too) the checks run
# while the wait step's AWS calls are in flight, and are counted, none failed.
sim_start --fault latency:150
stress 4 4 > "$tmp/rcs"
is "$(awk '$2 != 0' "$tmp/rcs" | wc -l)" 0 "4 runs at once with 150 ms latency: every one done"
like "$(cat "$tmp/stress1.out")" "probe probe: [1-9][0-9]* checks of $ENDPOINT/_sim/app/ap-northeast-2/ every 100 ms, 0 failed" \
	"the probe counted checks while the AWS calls were in flight, none failed"
done_testing
