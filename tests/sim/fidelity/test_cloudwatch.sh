#!/bin/sh
# Fidelity: CloudWatch as the API reference and user guide describe it, driven through
# aws-cli (and botocore's paginator for the 100,800-datapoint page). Pages followed:
#   [GMD] https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
#   [MM]  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
#   [AH]  https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html
#   [ALB] https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
start_sim
ok $? "sim started"
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
now=$(date +%s)
lb=$(awsx elbv2 describe-load-balancers --query 'LoadBalancers[0].LoadBalancerArn' | jq -r . | sed 's|.*:loadbalancer/||')
m1="{\"Id\":\"m1\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"AWS/ApplicationELB\",\"MetricName\":\"RequestCount\",\"Dimensions\":[{\"Name\":\"LoadBalancer\",\"Value\":\"$lb\"}]},\"Period\":60,\"Stat\":\"Sum\"}}"
gmd() { # gmd START END QUERIES [aws-cli options...]
	s=$1 e=$2 qs=$3
	shift 3
	awsx cloudwatch get-metric-data --start-time "$(iso "$s")" --end-time "$(iso "$e")" --metric-data-queries "$qs" "$@"
}

# [GMD] ScanBy: "TimestampDescending returns the newest data first"; it is the default.
r=$(gmd $((now - 1800)) "$now" "[$m1,{\"Id\":\"e1\",\"Expression\":\"m1 * 2\"}]")
ts=$(echo "$r" | jq -c '[.MetricDataResults[] | .Timestamps == (.Timestamps | sort | reverse)] | unique')
is "$ts" "[true]" "[GMD] newest first by default, metric math included"
r=$(gmd $((now - 1800)) "$now" "[$m1,{\"Id\":\"e1\",\"Expression\":\"m1 * 2\"}]" --scan-by TimestampAscending)
ts=$(echo "$r" | jq -c '[.MetricDataResults[] | .Timestamps == (.Timestamps | sort)] | unique')
is "$ts" "[true]" "[GMD] ScanBy TimestampAscending: oldest first"

# [ALB] RequestCount: "The most useful statistic is Sum. Note that Minimum, Maximum, and
# Average all return 1" (each request is a datapoint of 1; SampleCount is then the Sum).
st() { printf '{"Id":"%s","MetricStat":{"Metric":{"Namespace":"AWS/ApplicationELB","MetricName":"RequestCount","Dimensions":[{"Name":"LoadBalancer","Value":"%s"}]},"Period":60,"Stat":"%s"}}' "$(echo "$1" | tr 'A-Z' 'a-z')" "$lb" "$1"; }
r=$(gmd $((now - 1800)) $((now - 300)) "[$(st Sum),$(st SampleCount),$(st Minimum),$(st Maximum),$(st Average)]")
v=$(echo "$r" | jq -c '[.MetricDataResults[] | {(.Id): .Values}] | add')
ok "$(echo "$v" | jq '(.sum | length) > 5 and (.sum | all(. > 1))' | grep -q true; echo $?)" "[ALB] RequestCount Sum: more than one request a minute ($v)"
ok "$(echo "$v" | jq '.samplecount == .sum' | grep -q true; echo $?)" "[ALB] RequestCount SampleCount is the Sum"
ok "$(echo "$v" | jq '[.minimum, .maximum, .average] | all(length > 5 and all(. == 1))' | grep -q true; echo $?)" \
	"[ALB] RequestCount Minimum, Maximum and Average all return 1"

# [MM] "PERIOD: Returns the period of the metric in seconds. Valid input is metrics, not the
# results of other expressions."
r=$(gmd $((now - 1800)) "$now" "[$m1,{\"Id\":\"rate\",\"Expression\":\"m1 / PERIOD(m1)\"}]")
ok "$(echo "$r" | jq '.MetricDataResults as $r | ($r[0].Values | length) > 0 and
	([$r[0].Values, $r[1].Values] | transpose | all(.[1] == .[0] / 60))' | grep -q true; echo $?)" \
	"[MM] m1 / PERIOD(m1) divides by 60"
out=$(gmd $((now - 1800)) "$now" "[$m1,{\"Id\":\"e1\",\"Expression\":\"m1 * 2\"},{\"Id\":\"e2\",\"Expression\":\"PERIOD(e1)\"}]" 2>&1)
like "$out" "ValidationError.*PERIOD takes one metric" "[MM] PERIOD of an expression is refused"

# The publishing delay: one-minute ALB metrics appear 60-120 s after the minute ends (4-8 s
# at the default time scale 15), so the newest datapoint is of a minute that ended at
# least 4 s ago; the application's own metric (PetClinic) is there as it goes.
# [ALB] "Elastic Load Balancing reports metrics to CloudWatch only when requests are
# flowing through the load balancer ... every 60 seconds".
# (t is read after the answer: aws-cli takes a second or two to start on a loaded machine,
# and the sim served the call somewhere before t)
t0=$(date +%s)
r=$(gmd $((t0 - 600)) $((t0 + 60)) "[$m1]")
t=$(date +%s)
newest=$(echo "$r" | jq -r '.MetricDataResults[0].Timestamps[0] | sub("\\+00:00$"; "Z") | fromdateiso8601')
ok "$([ -n "$newest" ] && [ $((newest + 60 + 4)) -le "$t" ]; echo $?)" \
	"a one-minute ALB datapoint appears only after its minute ended and the delay passed ($((t - newest - 60)) s after)"
sl="{\"Id\":\"s\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"PetClinic\",\"MetricName\":\"SessionLossRate\"},\"Period\":10,\"Stat\":\"Maximum\"}}"
r=$(gmd $((t0 - 600)) $((t0 + 60)) "[$sl]")
newest=$(echo "$r" | jq -r '.MetricDataResults[0].Timestamps[0] | sub("\\+00:00$"; "Z") | fromdateiso8601')
ok "$([ -n "$newest" ] && [ $((newest + 30)) -ge "$t" ]; echo $?)" "a custom metric is there within its own period ($((t - newest)) s old)"

# At AWS's timing (--time-scale 1) the delay is AWS's: the newest one-minute ALB datapoint
# is of a minute that ended at least 60 s before the call (a lower bound: never earlier).
start_sim --time-scale 1
lb1=$(awsx elbv2 describe-load-balancers --query 'LoadBalancers[0].LoadBalancerArn' | jq -r . | sed 's|.*:loadbalancer/||')
t0=$(date +%s)
r=$(gmd $((t0 - 900)) $((t0 + 60)) "[$(echo "$m1" | sed "s|$lb|$lb1|")]")
newest=$(echo "$r" | jq -r '.MetricDataResults[0].Timestamps[0] | sub("\\+00:00$"; "Z") | fromdateiso8601')
ok "$([ -n "$newest" ] && [ $((newest + 60 + 60)) -le "$t0" ]; echo $?)" \
	"--time-scale 1: the newest ALB minute ended at least 60 s before the call ($((t0 - newest - 60)) s)"
start_sim

# The retention rules: "Start time between 15 and 63 days ago - Use a multiple of 300
# seconds ... or no data points in that time range is returned" (1-minute data is kept
# 15 days, 5-minute 63 days).
t=$(( $(date +%s) / 3600 * 3600 ))
r=$(gmd $((t - 20 * 86400)) $((t - 10 * 86400)) "[$m1]")
old=$(echo "$r" | jq -r --argjson lim $((t - 15 * 86400)) '[.MetricDataResults[0].Timestamps[] | sub("\\+00:00$"; "Z") | fromdateiso8601 | select(. < $lim)] | length')
new=$(echo "$r" | jq -r --argjson lim $((t - 15 * 86400)) '[.MetricDataResults[0].Timestamps[] | sub("\\+00:00$"; "Z") | fromdateiso8601 | select(. >= $lim)] | length')
is "$old:$((new > 0))" "0:1" "[GMD] Period 60: no datapoints older than 15 days, the younger ones there"
m5=$(echo "$m1" | sed 's/"Period":60/"Period":300/')
r=$(gmd $((t - 20 * 86400)) $((t - 19 * 86400)) "[$m5]")
is "$(echo "$r" | jq '.MetricDataResults[0].Values | length')" 288 "[GMD] Period 300: the 20-day-old day is there (288 datapoints)"

# [MS] MetricStat Period: "the period can be 1, 5, 10, 20, 30, 60, or any multiple of 60";
# anything else is refused.
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricStat.html
m20=$(echo "$m1" | sed 's/"Period":60/"Period":20/')
r=$(gmd $((now - 600)) "$now" "[$m20]")
ok "$(echo "$r" | jq -e '.MetricDataResults[0].Timestamps | length > 0' >/dev/null; echo $?)" "[MS] Period 20 is accepted"
like "$(gmd $((now - 600)) "$now" "[$(echo "$m1" | sed 's/"Period":60/"Period":45/')]" 2>&1)" \
	"ValidationError.*1, 5, 10, 20, 30, or a multiple of 60" "[MS] Period 45 is refused"

# [GMD] "as many as 100,800 data points" a call; MaxDatapoints: "The maximum number of data
# points the request should return before paginating. If you omit this, the default of
# 100,800 is used."
out=$(gmd $((now - 1800)) "$now" "[$m1]" --max-datapoints 100801 2>&1)
like "$out" "ValidationError.*100800" "[GMD] MaxDatapoints above 100,800 is refused"
res=$(/usr/bin/python3 - "$SIM_URL" "$lb" <<'PY'
import datetime, sys, botocore.session, botocore.config
url, lb = sys.argv[1], sys.argv[2]
cw = botocore.session.get_session().create_client(
    "cloudwatch", region_name="ap-northeast-2", endpoint_url=url, aws_access_key_id="AKIDFLIGHTDECKSIM",
    aws_secret_access_key="flightdeck/sim/secret",
    config=botocore.config.Config(retries={"total_max_attempts": 1}, read_timeout=120))
end = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
qs = [{"Id": "m%d" % i, "MetricStat": {"Metric": {"Namespace": "AWS/ApplicationELB", "MetricName": "RequestCount",
       "Dimensions": [{"Name": "LoadBalancer", "Value": lb}]}, "Period": 60, "Stat": "Sum"}} for i in range(6)]
first = cw.get_metric_data(StartTime=end - datetime.timedelta(days=12), EndTime=end, MetricDataQueries=qs)
n1 = sum(len(m["Values"]) for m in first["MetricDataResults"])
status = sorted({m["StatusCode"] for m in first["MetricDataResults"]})
second = cw.get_metric_data(StartTime=end - datetime.timedelta(days=12), EndTime=end, MetricDataQueries=qs,
                            NextToken=first["NextToken"])
n2 = sum(len(m["Values"]) for m in second["MetricDataResults"])
print(n1, "PartialData" in status, "NextToken" not in second, n1 + n2 > 100800)
PY
)
is "$res" "100800 True True True" "[GMD] over 100,800 datapoints: a page of 100,800 (PartialData, NextToken), then the rest"

# [AH] DescribeAlarmHistory: ScanBy "TimestampDescending to have the newest event history
# returned first" (the default here, as in AWS).
r=$(awsx cloudwatch describe-alarm-history)
is "$(echo "$r" | jq -c '[.AlarmHistoryItems[].Timestamp] == ([.AlarmHistoryItems[].Timestamp] | sort | reverse)')" \
	true "[AH] alarm history newest first by default"
r=$(awsx cloudwatch describe-alarm-history --scan-by TimestampAscending)
is "$(echo "$r" | jq -c '[.AlarmHistoryItems[].Timestamp] == ([.AlarmHistoryItems[].Timestamp] | sort)')" \
	true "[AH] ScanBy TimestampAscending: oldest first"
done_testing
