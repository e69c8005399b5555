#!/usr/bin/env bash
# bench/sim_services.sh — the simulator's CloudWatch: GetMetricData requests/s (3 hours of
# 1-minute datapoints: RequestCount Sum, TargetResponseTime p99 and a metric math
# expression; every value recomputed from the traffic model), DescribeAlarms requests/s,
# and the simulator's RSS after them (bench/sim_load, keep-alive, 4 connections).
set -u
: "${FD_BIN:?}" "${FD_BUILDDIR:?}"
load="$FD_BUILDDIR/bench/sim_load"
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT

"$FD_BIN" sim --listen 127.0.0.1:0 >"$tmp/out" 2>&1 &
pid=$!
for i in $(seq 1 100); do grep -qs listening "$tmp/out" && break; sleep 0.05; done
url=$(sed -n 's|.*\(http://127\.0\.0\.1:[0-9]*\) .*|\1|p' "$tmp/out")
lb=$(curl -s "$url/_sim/state" | jq -r '.regions[0].load_balancers[0].arn' | sed 's|.*:loadbalancer/||; s|/|%2F|g')
end=$(date -u +%Y-%m-%dT%H:%M:00Z)
start=$(date -u -d '-3 hours' +%Y-%m-%dT%H:%M:00Z)
m="MetricDataQueries.member"
dims="MetricStat.Metric.Namespace=AWS%2FApplicationELB&$m.N.MetricStat.Metric.Dimensions.member.1.Name=LoadBalancer&$m.N.MetricStat.Metric.Dimensions.member.1.Value=$lb&$m.N.MetricStat.Period=60"
q1=$(printf '%s' "$m.1.Id=req&$m.1.$dims&$m.1.MetricStat.Metric.MetricName=RequestCount&$m.1.MetricStat.Stat=Sum" | sed 's/\.N\./.1./g')
q2=$(printf '%s' "$m.2.Id=p99&$m.2.$dims&$m.2.MetricStat.Metric.MetricName=TargetResponseTime&$m.2.MetricStat.Stat=p99" | sed 's/\.N\./.2./g')
q3="$m.3.Id=e1&$m.3.Expression=IF(req%20%3E%200%2C%201000%20*%20p99%2C%200)"
body="Action=GetMetricData&Version=2010-08-01&StartTime=$start&EndTime=$end&$q1&$q2&$q3"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
rate=$(for run in 1 2 3; do "$load" "$url" monitoring ap-northeast-2 "$body" 2 4; done | median)
printf 'sim CloudWatch: GetMetricData/s (3 queries x 180 points, p99 + math)\t%s\treq/s\n' "$rate"
rate=$(for run in 1 2 3; do "$load" "$url" monitoring ap-northeast-2 "Action=DescribeAlarms&Version=2010-08-01" 2 4; done | median)
printf 'sim CloudWatch: DescribeAlarms/s (page of 5)\t%s\treq/s\n' "$rate"
printf 'sim: RSS petclinic after the CloudWatch load\t%s\tMB (issue: < 50)\n' \
	"$(awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")"
curl -s "$url/_sim/requests" | jq -r '[.[] | select(.operation=="GetMetricData") | .status] | unique | map(tostring) | join(",")' >"$tmp/st"
printf 'sim CloudWatch: GetMetricData statuses seen\t%s\tHTTP\n' "$(cat "$tmp/st")"
