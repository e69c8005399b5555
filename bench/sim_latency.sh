#!/usr/bin/env bash
# bench/sim_latency.sh — the simulator under latency:50 (issue 12):
# - one signed call vs 50 at once (each on its own connection, bench/sim_load burst):
#   a delayed answer holds no worker thread, so 50 take about as long as one;
# - one full dashboard collection (`flightdeck snapshot --json`) against the floor no
#   client can beat: the dependency depth of its calls times 50 ms. The collection's
#   calls come in 4 dependent rounds (measured 2026-12-07 under latency:1000 with the
#   collector's 16-call cap lifted: 21, 23, 12, 14 calls; e.g. DescribeAutoScalingGroups
#   -> DescribePolicies / DescribeScalingActivities -> GetPredictiveScalingForecast -> the
#   deploys panel's DescribeInstanceRefreshes and DescribeLaunchTemplateVersions, and
#   DescribeLoadBalancers -> DescribeListeners -> DescribeRules). With the cap (at most
#   16 calls at once, model/collector.c) the client itself needs more rounds: measured
#   here as the collection's time under latency:1000 in whole seconds. A depth above
#   those rounds would mean the constant below went stale.
# Medians of 5 runs.
set -u
: "${FD_BIN:?}" "${FD_BUILDDIR:?}"
load="$FD_BUILDDIR/bench/sim_load"
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }; rm -rf "$tmp"' EXIT
"$FD_BIN" sim --listen 127.0.0.1:0 --fault latency:50 >"$tmp/sim.out" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -qs listening "$tmp/sim.out" && break; sleep 0.05; done
url=$(grep -o 'http://[0-9.:]*' "$tmp/sim.out")
[ -n "$url" ] || exit 1
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
body="Action=DescribeLoadBalancers&Version=2015-12-01"
one=$(for _ in 1 2 3 4 5; do "$load" "$url" elasticloadbalancing ap-northeast-2 "$body" burst 1; done | median)
fifty=$(for _ in 1 2 3 4 5; do "$load" "$url" elasticloadbalancing ap-northeast-2 "$body" burst 50; done | median)
printf 'sim: 50 concurrent calls under latency:50 (ms)\t%s\tvs one call %s ms: %sx (a blocking server: ~%s ms)\n' \
	"$fifty" "$one" "$(awk -v a="$fifty" -v b="$one" 'BEGIN { printf "%.2f", a / b }')" $((50 * 50 / 2))

export HOME="$tmp" AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret \
	AWS_EC2_METADATA_DISABLED=true XDG_STATE_HOME="$tmp/state" XDG_CONFIG_HOME="$tmp/config"
now_ms() { date +%s%3N; }
times=()
for _ in 1 2 3 4 5; do
	t0=$(now_ms)
	"$FD_BIN" --endpoint-url "$url" snapshot --json >/dev/null 2>&1
	times+=($(( $(now_ms) - t0 )))
done
snap=$(printf '%s\n' "${times[@]}" | median)
depth=4
curl -s -X POST -d latency:1000 "$url/_sim/fault" >/dev/null
t0=$(now_ms)
"$FD_BIN" --endpoint-url "$url" snapshot --json >/dev/null 2>&1
rounds=$(( ($(now_ms) - t0) / 1000 ))
stale=
[ "$rounds" -lt "$depth" ] && stale=" (STALE: fewer rounds than the depth)"
printf 'sim: one dashboard collection under latency:50 (ms)\t%s\t%sx the floor of %d calls deep x 50 ms = %d ms; %sx the %d rounds the 16-call cap makes (%d ms)%s\n' \
	"$snap" "$(awk -v a="$snap" -v d="$depth" 'BEGIN { printf "%.1f", a / (d * 50) }')" "$depth" $((depth * 50)) \
	"$(awk -v a="$snap" -v d="$rounds" 'BEGIN { printf "%.1f", a / (d * 50) }')" "$rounds" $((rounds * 50)) "$stale"
