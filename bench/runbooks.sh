#!/usr/bin/env bash
# bench/runbooks.sh — the shipped runbooks against `flightdeck sim`: the RTO dr-failover
# achieves during region-outage:ap-northeast-2, the blue-green cutover's duration and
# downtime, the scale-out latency; medians of 3 runs, and the engine's own overhead per step
# (validate of every shipped runbook, 20 times). The cutover uses the game-day matrix's timing
# (tests/gameday/gameday.py): one-minute ALB metrics published 8 s after their minute at the
# simulator's time scale 15, so each watch is the shortest valid window, 2 x 60 s + 8 s; the
# three cutovers run at once, each against its own simulator.
set -eu
tmp=$(mktemp -d)
pid=
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi; rm -rf "$tmp"' EXIT
start() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; fi
	"$FD_BIN" sim --listen 127.0.0.1:0 "$@" > "$tmp/sim.out" 2>&1 &
	pid=$!
	for _ in $(seq 50); do grep -q listening "$tmp/sim.out" && break; sleep 0.1; done
	rm -rf "$tmp/home"; mkdir -p "$tmp/home"
	export HOME=$tmp/home XDG_STATE_HOME=$tmp/home/state
	export AWS_ENDPOINT_URL=http://$(grep -o '127\.0\.0\.1:[0-9]*' "$tmp/sim.out" | head -1)
	export AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret AWS_REGION=ap-northeast-2
}
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
measured() { sed -n "s/^measured $1 = \([0-9.]*\) s$/\1/p" | tail -1; }

cutover() { # $1: a directory of its own; its own simulator, so the three run at once
	local d=$1 spid ep
	"$FD_BIN" sim --listen 127.0.0.1:0 --time-scale 15 > "$d/sim.out" 2>&1 &
	spid=$!
	for _ in $(seq 300); do grep -q listening "$d/sim.out" && break; sleep 0.1; done
	ep=http://$(grep -o '127\.0\.0\.1:[0-9]*' "$d/sim.out" | head -1)
	mkdir -p "$d/home"
	HOME=$d/home XDG_STATE_HOME=$d/home/state AWS_ENDPOINT_URL=$ep \
		"$FD_BIN" runbook run blue-green-cutover --yes -p metric_period=60 -p metric_delay=8s \
		-p watch=128s -p probe_interval=500ms -p probe_url="$ep/_sim/app/ap-northeast-2/" > "$d/bg.out" 2>&1 || true
	kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null || true
}
export AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret AWS_REGION=ap-northeast-2
cpids=
for i in 1 2 3; do mkdir -p "$tmp/c$i"; cutover "$tmp/c$i" & cpids="$cpids $!"; done
for _ in 1 2 3; do
	start --fault region-outage:ap-northeast-2
	# the outage stops replication (ReplicaLag -1): the on-call engineer accepts that loss by name
	"$FD_BIN" runbook run dr-failover --yes -p accept_stopped_replication=true | measured rto_s >> "$tmp/rto"
	start
	"$FD_BIN" runbook run scale --yes -p desired=4 | measured scale_out_latency_s >> "$tmp/scale"
done
wait $cpids
for i in 1 2 3; do
	measured cutover_duration_s < "$tmp/c$i/bg.out" >> "$tmp/deploy"
	measured downtime_s < "$tmp/c$i/bg.out" >> "$tmp/down"
done
printf 'runbook dr-failover: RTO vs sim (region outage)\t%s\ts (target: DNS on DR)\n' "$(median < "$tmp/rto")"
printf 'runbook blue-green-cutover: cutover duration (128 s watches)\t%s\ts (target < 900 s)\n' "$(median < "$tmp/deploy")"
printf 'runbook blue-green-cutover: downtime measured by probe\t%s\ts (target 0 s)\n' "$(median < "$tmp/down")"
printf 'runbook scale: scale-out latency 2 -> 4 (sim boot time)\t%s\ts (target < 60 s)\n' "$(median < "$tmp/scale")"
t0=$(date +%s%N)
for _ in $(seq 20); do "$FD_BIN" runbook validate "$FD_SRCDIR"/runbooks/*.yaml > /dev/null; done
t1=$(date +%s%N)
printf "runbook validate: the %s shipped runbooks (jq compiled)\t%s\tms per pass\n" "$(ls "$FD_SRCDIR"/runbooks/*.yaml | wc -l)" "$(( (t1 - t0) / 20000000 ))"
