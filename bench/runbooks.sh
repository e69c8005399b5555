#!/usr/bin/env bash
# bench/runbooks.sh — the shipped runbooks against `flightdeck sim`: the RTO dr-failover
# achieves during region-outage:ap-northeast-2, the blue-green cutover's duration and
# downtime (watch windows of 2 s), the scale-out latency; medians of 3 runs, and the
# engine's own overhead per step (validate of every shipped runbook, 20 times).
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

for _ in 1 2 3; do
	start --fault region-outage:ap-northeast-2
	"$FD_BIN" runbook run dr-failover --yes | measured rto_s >> "$tmp/rto"
	start
	"$FD_BIN" runbook run blue-green-cutover --yes -p watch=2s -p probe_url="$AWS_ENDPOINT_URL/_sim/app/ap-northeast-2/" > "$tmp/bg.out"
	measured cutover_duration_s < "$tmp/bg.out" >> "$tmp/deploy"
	measured downtime_s < "$tmp/bg.out" >> "$tmp/down"
	"$FD_BIN" runbook run scale --yes -p desired=4 | measured scale_out_latency_s >> "$tmp/scale"
done
printf 'runbook dr-failover: RTO vs sim (region outage)\t%s\ts (target: DNS on DR)\n' "$(median < "$tmp/rto")"
printf 'runbook blue-green-cutover: cutover duration (2 s watches)\t%s\ts (target < 900 s)\n' "$(median < "$tmp/deploy")"
printf 'runbook blue-green-cutover: downtime measured by probe\t%s\ts (target 0 s)\n' "$(median < "$tmp/down")"
printf 'runbook scale: scale-out latency 2 -> 4 (sim boot time)\t%s\ts (target < 60 s)\n' "$(median < "$tmp/scale")"
t0=$(date +%s%N)
for _ in $(seq 20); do "$FD_BIN" runbook validate "$FD_SRCDIR"/runbooks/*.yaml > /dev/null; done
t1=$(date +%s%N)
printf 'runbook validate: 5 shipped runbooks (70 steps, jq compiled)\t%s\tms per pass\n' "$(( (t1 - t0) / 20000000 ))"
