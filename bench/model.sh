#!/usr/bin/env bash
# bench/model.sh — one full collection (`flightdeck snapshot --json`: both regions, every
# panel) against the sim, vs aws-cli making the same calls one after another (each call
# feeding the next, as the collector's do). flightdeck: median of 5 runs; aws-cli: 1 run.
set -u
. "$(dirname "$0")/lib/sim.sh"
now_ms() { date +%s%3N; }
requests() { curl -s "$url/_sim/requests" | jq length; }

# flightdeck
before=$(requests)
times=()
for _ in 1 2 3 4 5; do
	t0=$(now_ms)
	"$FD_BIN" --endpoint-url "$url" snapshot --json >/dev/null 2>&1
	[ $? -le 1 ] || exit 1
	times+=($(( $(now_ms) - t0 )))
done
ours=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
calls=$(( ($(requests) - before) / 5 ))

# aws-cli, the same calls in order
AWS=/usr/bin/aws
[ -x "$AWS" ] || AWS=$(command -v aws) || { printf 'model: full collection (ms)\t%s\t%s calls (aws-cli not available)\n' "$ours" "$calls"; exit 0; }
n=0
a() { n=$((n + 1)); "$AWS" --endpoint-url "$url" --output json "$@" 2>/dev/null; }
now=$(date -u +%s)
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
before=$(requests)
t0=$(now_ms)
for region in ap-northeast-2 ap-northeast-1; do
	r="--region $region"
	lbs=$(a $r elbv2 describe-load-balancers)
	tgs=$(a $r elbv2 describe-target-groups)
	for lb in $(jq -r '.LoadBalancers[].LoadBalancerArn' <<<"$lbs"); do
		ls=$(a $r elbv2 describe-listeners --load-balancer-arn "$lb")
		for l in $(jq -r '.Listeners[].ListenerArn' <<<"$ls"); do a $r elbv2 describe-rules --listener-arn "$l" >/dev/null; done
	done
	for tg in $(jq -r '.TargetGroups[].TargetGroupArn' <<<"$tgs"); do
		a $r elbv2 describe-target-health --target-group-arn "$tg" >/dev/null
	done
	asgs=$(a $r autoscaling describe-auto-scaling-groups)
	for g in $(jq -r '.AutoScalingGroups[].AutoScalingGroupName' <<<"$asgs"); do
		a $r autoscaling describe-scaling-activities --no-paginate --auto-scaling-group-name "$g" --max-records 20 >/dev/null
		pols=$(a $r autoscaling describe-policies --auto-scaling-group-name "$g")
		for p in $(jq -r '.ScalingPolicies[] | select(.PolicyType == "PredictiveScaling") | .PolicyName' <<<"$pols"); do
			a $r autoscaling get-predictive-scaling-forecast --auto-scaling-group-name "$g" --policy-name "$p" \
				--start-time "$(iso $((now - 21600)))" --end-time "$(iso $((now + 86400)))" >/dev/null
		done
	done
	a $r cloudwatch describe-alarms --alarm-types MetricAlarm CompositeAlarm >/dev/null
	a $r cloudwatch describe-alarm-history --no-paginate --history-item-type StateUpdate --start-date "$(iso $((now - 86400)))" --max-records 100 >/dev/null
	a $r rds describe-db-instances >/dev/null
	a $r xray get-service-graph --start-time $((now - 600)) --end-time "$now" >/dev/null
	a $r xray get-trace-summaries --no-paginate --start-time $((now - 300)) --end-time "$now" --no-sampling >/dev/null
	# the metrics panel: the same queries flightdeck sends (built-in figures; one per target)
	lb=$(jq -r '.LoadBalancers[0].LoadBalancerArn' <<<"$lbs" | sed 's|.*:loadbalancer/||')
	q=$(jq -nc --arg lb "$lb" '[range(0;4) as $i | {Id: ("q\($i)"), MetricStat: {Metric: {Namespace: "AWS/ApplicationELB",
		MetricName: (["RequestCount","HTTPCode_ELB_5XX_Count","HTTPCode_Target_5XX_Count","TargetResponseTime"][$i]),
		Dimensions: [{Name: "LoadBalancer", Value: $lb}]}, Period: 60, Stat: (if $i == 3 then "p99" else "Sum" end)}}]')
	a $r cloudwatch get-metric-data --no-paginate --metric-data-queries "$q" --start-time "$(iso $((now - 3600)))" --end-time "$(iso "$now")" >/dev/null
	if [ "$region" = ap-northeast-2 ]; then
		q='[{"Id":"loss","MetricStat":{"Metric":{"Namespace":"PetClinic","MetricName":"SessionLossRate"},"Period":60,"Stat":"Maximum"}},{"Id":"evictions","MetricStat":{"Metric":{"Namespace":"AWS/ElastiCache","MetricName":"Evictions"},"Period":60,"Stat":"Sum"}}]'
		a $r cloudwatch get-metric-data --no-paginate --metric-data-queries "$q" --start-time "$(iso $((now - 900)))" --end-time "$(iso "$now")" >/dev/null
	fi
done
r="--region us-east-1"
hcs=$(a $r route53 list-health-checks)
for h in $(jq -r '.HealthChecks[] | select(.HealthCheckConfig.Type != "RECOVERY_CONTROL" and .HealthCheckConfig.Type != "CALCULATED") | .Id' <<<"$hcs"); do
	a $r route53 get-health-check-status --health-check-id "$h" >/dev/null
done
zones=$(a $r route53 list-hosted-zones)
rec=
for z in $(jq -r '.HostedZones[] | select(.Config.PrivateZone | not) | .Id' <<<"$zones" | head -5); do
	rr=$(a $r route53 list-resource-record-sets --hosted-zone-id "$z")
	name=$(jq -r '[.ResourceRecordSets[] | select(.Failover == "PRIMARY")][0].Name // empty' <<<"$rr")
	[ -n "$name" ] && [ -z "$rec" ] && rec="$z $name"
done
set -- $rec
[ -n "$rec" ] && a $r route53 test-dns-answer --hosted-zone-id "$1" --record-name "$2" --record-type A >/dev/null
theirs=$(( $(now_ms) - t0 ))
their_calls=$(( $(requests) - before ))
cmp=$(awk -v a="$ours" -v b="$theirs" -v c="$calls" -v d="$their_calls" \
	'BEGIN { printf "%.0fx aws-cli (%d ms; %d vs %d HTTP requests)", b / (a > 0 ? a : 1), b, c, d }')
printf 'model: one full collection, 2 regions (ms)\t%s\t%s\n' "$ours" "$cmp"
