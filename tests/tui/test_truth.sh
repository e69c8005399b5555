#!/usr/bin/env bash
# test_truth.sh — issue 14's findings, each as a scenario against `flightdeck sim`,
# driven in tmux under LANG=C NO_COLOR=1 at 80x24 and 80x23 (an 80x24 terminal with
# a tmux or screen status line): the dashboard tells the truth in a failure.
#
# AWS behaviour relied on: an alias to an ALB answers TestDNSAnswer with addresses,
# not names (https://docs.aws.amazon.com/Route53/latest/APIReference/API_TestDNSAnswer.html);
# Route 53 failover answers with the SECONDARY while the PRIMARY is unhealthy, and an
# ARC routing control Off makes its record unhealthy
# (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html,
# https://docs.aws.amazon.com/r53recovery/latest/dg/routing-control.html); GetMetricData
# returns at most 100,800 datapoints per call
# (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html).
. "$FD_SRCDIR/tests/tui/lib.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
trap 'tui_cleanup; stop_sims' EXIT

# dash W H [ENV...]: the dashboard against the simulator started last, plain terminal.
dash() {
	local w=$1 h=$2
	shift 2
	tui_start "$w" "$h" FLIGHTDECK_FAKE_MODEL=0 LANG=C NO_COLOR=1 AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID \
		AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY AWS_REGION=ap-northeast-2 AWS_ENDPOINT_URL=$SIM_URL \
		AWS_EC2_METADATA_DISABLED=true "$@" -- --refresh 2
	tui_wait 'requests/s +[0-9.]+ +data' 20 || { ok 1 "${w}x$h: the first collection arrives"; tui_cap | sed 's/^/# /'; }
}
unlike() { # unlike GOT REGEX NAME
	if printf '%s' "$1" | grep -Eq -- "$2"; then ok 1 "$3"; printf '# got: %s\n# want no match: %s\n' "$1" "$2" | head -20; else ok 0 "$3"; fi
}
fdcall() { "$FD_BIN" --endpoint-url "$SIM_URL" --region ap-northeast-2 call "$@"; }
# row REGEX: the first screen row that matches, with attributes (capture -e)
row() { tui_cap -e | grep -E -- "$1" | head -1; }

# --- ARC failover, primary recovered, no failback: Tokyo serves ---------------------
start_sim --seed 7
arn=$(fdcall route53-recovery-cluster ListRoutingControls |
	jq -r '.RoutingControls[] | select(.RoutingControlArn | endswith("/seoul")) | .RoutingControlArn')
fdcall route53-recovery-cluster UpdateRoutingControlState --yes RoutingControlArn="$arn" RoutingControlState=Off >/dev/null
dash 80 24
tui_wait 'SERVING' 10
s=$(tui_cap)
like "$s" 'DNS answer +standby +<< SERVING \(address match\)' 'ARC: the overview names Tokyo as serving, and how it knows'
like "$(printf '%s\n' "$s" | sed -n 2p)" '^ DNS ON DR ' 'ARC: the status line says DNS is on the DR'
like "$s" 'healthy hosts +4/4 +2/2' 'ARC: while the recovered primary is healthy'
ok "$(printf '%s' "$s" | grep -c '[^ -~]')" 'LANG=C: ASCII bytes only'
tui_keys 6
tui_wait 'Route 53 rules pick' 5
s=$(tui_cap)
like "$s" '-> ap-northeast-1 +address match: 54\.65\.[0-9.]+ = petclinic-alb( in ap-northeast-1[ac])?$' \
	"ARC: the route53 view says the answer is Tokyo: one of its load balancer's interfaces (EC2 DescribeNetworkInterfaces)"
like "$s" 'Route 53 rules pick ap-northeast-1: PRIMARY seoul unhealthy' "ARC: Route 53's own rules agree"
like "$s" 'unhealthy \(routing control' 'ARC: because of the routing control (its state on the next row)'
like "$s" 'petclinic.example.com. +PRIMARY +ap-northeast-2 +UNHEALTHY' 'ARC: the PRIMARY record is unhealthy'
like "$s" 'unhealthy \(routing control seoul Off\)\)?$' 'ARC: its reason, the routing control, in full'
# an idle region's few errors are not painted bad (2 errors in 90 requests is noise)
tui_keys 1
tui_wait 'requests/s' 5
unlike "$(row '^ 5xx %')" $'\e\\[[0-9;]*7m' 'the DR 5xx figure is not drawn as bad (reverse) on an idle region'
tui_keys q
tui_wait 'exit=' 10

# --- the outage banner at 80x23: worst first, in words; tabs marked; 0/4 is bad --------
start_sim --seed 7 --fault region-outage:ap-northeast-2
dash 80 23
tui_wait 'PRIMARY DOWN' 20
tui_wait 'NONE HEALTHY' 20
tui_wait 'DR DB NOT REPLICATING' 20
s=$(tui_cap)
like "$(printf '%s\n' "$s" | sed -n 2p)" '^ PRIMARY DOWN \| DNS ON DR \| DR DB NOT REPLICATING \| [0-9]+ ALARMS? ' \
	'80x23 outage: "PRIMARY DOWN | DNS ON DR | DR DB NOT REPLICATING | N ALARMS", worst first (the outage stops replication)'
like "$(printf '%s\n' "$s" | head -1)" 'alarms! .*lb!' 'the tabs of the views holding something bad are marked'
like "$s" 'ap-northeast-2 primary DOWN' 'the region column says DOWN'
like "$(row 'healthy hosts')" $'\e\\[[0-9;]*7m0/4 NONE HEALTHY' "a dead primary's 0/4 healthy hosts is bad (reverse), not a warning"
is "$(printf '%s\n' "$s" | wc -l)" 23 '80x23: the whole screen is used'
unlike "$s" 'too small' '80x23 is not too small'
# every view at 80x23
while IFS='|' read -r cmd want; do
	tui_keys ":$cmd" Enter
	tui_wait "$want" 5
	like "$(tui_cap)" "$want" "80x23 :$cmd shows $want"
	like "$(tui_cap | sed -n 2p)" '^ PRIMARY DOWN' "80x23 :$cmd keeps the status line"
done <<'LIST'
metrics|requests/s \(req/s\) ap-northeast-2
alarms|ALARM +petclinic-
asg|petclinic-asg-was-blue
lb|0/2 healthy
route53|-> ap-northeast-1
xray|X-Ray service map
runbooks|dr-failover
db|Databases and replication
sessions|Redis sessions \(ElastiCache\)
cdn|CloudFront \(global
help|Ctrl-L
LIST
tui_keys :lb Enter
tui_wait 'petclinic-tg-green +ap-northeast-2 +0/2 healthy' 10
like "$(row 'petclinic-tg-green ')" $'\e\\[1;7m0/2 healthy' "lb: a target group with no healthy target is bad (bold reverse), not a warning"
# the dead primary's load balancer answers 503s: bad by the rule of every 5xx figure
# (the lb view printed it in the normal role)
tui_wait 'ap-northeast-2 +[0-9.]+/s 5xx [0-9.]+%' 30
like "$(row 'petclinic-alb')" $'\e\\[1;7m[0-9.]+/s 5xx [0-9.]+% ' "lb: the dead primary's 5xx rate is bad, as in the overview"
# the same outage at 200x50: the overview uses the room, alarm names whole
tui_tmux resize-window -x 200 -y 50
tui_keys 1
tui_wait 'Requests per second, last' 10
# (the target group alarm needs its evaluation periods of one AWS minute each)
tui_wait '^ ALARM petclinic-ap-northeast-2-petclinic-tg-blue-unhealthy ' 180 || tui_cap | sed -n '/Active alarms/,$s/^/# /p'
s=$(tui_cap)
like "$(printf '%s\n' "$s" | sed -n 2p)" '^ PRIMARY DOWN \| DNS ON DR \| ' '200x50 outage: the same status line'
is "$(printf '%s\n' "$s" | sed -n '/Active alarms/,$p' | grep -E '^ ALARM ' | awk '{print $2}' | grep -c '\.\.')" 0 \
	'200x50: every alarm in ALARM has its whole name (they were cut at 48 columns)'
like "$s" '^ ALARM petclinic-ap-northeast-2-petclinic-tg-blue-unhealthy +ap-northeast-2 ' \
	'200x50: the blue target group alarm, whole'
# the outage stops replication to the Tokyo replica (its source unreachable: ReplicaLag -1,
# StatusInfos not Normal, https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_MySQL.Replication.ReadReplicas.Monitor.html):
# the dashboard says so, never "N s behind" nor ok
like "$(row ' DB replication ')" $'\e\\[[0-9;]*7mNOT REPLICATING' 'outage: the overview DB replication row says NOT REPLICATING, as bad'
unlike "$(printf '%s\n' "$s" | grep -E '^ DB replication ')" 's behind' 'outage: not "N s behind"'
like "$(printf '%s\n' "$s" | sed -n 2p)" 'DR DB NOT REPLICATING' 'outage: the status line names the stopped replication'
tui_keys :db Enter
tui_wait 'NOT REPLICATING \(error\) from petclinic-db@ap-northeast-2' 10
unlike "$(tui_cap)" 's behind' 'db view in the outage: no replica "s behind"'
like "$(row 'NOT REPLICATING \(error\) from')" $'\e\\[[0-9;]*7m' 'db view: the stopped replication is bad (reverse)'
tui_keys 1
ok "$([ "$(printf '%s\n' "$s" | grep -cv '^ *$')" -ge 40 ]; echo $?)" '200x50: the overview uses the rows (40 or more)'
tui_keys q
tui_wait 'exit=' 10

# --- names and ports: full ports, names shortened in the middle ----------------------
start_sim --seed 7
dash 80 24
tui_keys 5
tui_wait 'Target groups' 5
like "$(tui_cap)" 'i-[0-9a-f.]+:8080 ' 'lb: the target port is whole (8080, not :80)'
tui_keys 3
tui_wait 'History:' 5
s=$(tui_cap)
like "$s" 'petclinic-ap\.\.-tg-blue-unhealthy' 'alarms: the blue alarm keeps its distinct end'
like "$s" 'petclinic-ap\.\.tg-green-unhealthy' 'alarms: so does the green one (a common prefix of 33 characters)'
like "$s" 'History: petclinic-ap-northeast-2-' 'the selected alarm has its whole name on the detail line'

# --- drill-down: Enter on an alarm, Esc back; Enter on a target group ---------------
tui_keys / elb-5xx Enter
tui_wait 'filter: elb-5xx' 5
tui_keys Enter
tui_wait 'alarm if > ' 5
s=$(tui_cap)
like "$s" 'Alarm petclinic-ap-northeast-2-elb-5xx \(ap-northeast-2\)' 'Enter opens the selected alarm'
like "$s" 'metric +AWS/ApplicationELB HTTPCode_ELB_5XX_Count' 'with its metric'
like "$s" 'alarm if > 10 in [0-9]+ of [0-9]+ datapoints of [0-9]+[sm] \(Sum per period\)' 'its threshold and evaluation'
tui_wait 'threshold marked' 10
like "$(tui_cap)" '^ +10 [-. _,~=*#+]+' 'and a chart of the metric with the threshold line at 10'
tui_keys Escape
tui_wait 'Alarms \(Enter: open\)' 5
like "$(tui_cap)" 'Alarms \(Enter: open\)' 'Esc goes back to the list'
tui_keys Escape 5 Enter
tui_wait 'Targets of petclinic-tg-blue \(ap-northeast-2\)' 5
like "$(tui_cap)" 'i-[0-9a-f.]+:8080 +[a-z0-9-]+ +healthy' 'Enter on a target group: its targets, with their state'
tui_keys Escape
tui_wait 'Target groups' 5
like "$(tui_cap)" 'Load balancers' 'Esc goes back'

# --- metrics: 7 days fits the datapoint limit and shows the whole range ------------------
tui_keys 2 t t t t
tui_wait 'ap-northeast-2 Sum/1m 7d' 30
s=$(tui_cap)
like "$s" 'requests/s \(req/s\) ap-northeast-2 Sum/1m 7d' '7d: the built-in charts read 7 days'
unlike "$s" 'STALE' '7d: no chart failed'
like "$s" ' -7d +-84h +[0-9]{2}:[0-9]{2}Z' '7d: the chart spans the whole range, with its time axis'
like "$s" 'petclinic-alb +[0-9.]+ +[-. _,~=*#]+ [0-9.]+\.\.[0-9.k]+' 'each sparkline has its scale'
# at 200x50 the overview's charts show the same whole range (they showed the newest
# 512 datapoints, 1.8 days of 7, under a "last hour" label)
tui_tmux resize-window -x 200 -y 50
tui_keys 1
tui_wait 'Requests per second, last 7d' 10
tui_wait ' -7d +-84h +[0-9]{2}:[0-9]{2}Z +-7d ' 20 || tui_cap | sed -n '20,50s/^/# /p'
s=$(tui_cap)
like "$s" 'last 7d, each region \(low \.\. high of the line\)' '200x50: the sparklines beside the figures say their range'
like "$s" ' -7d +-84h +[0-9]{2}:[0-9]{2}Z +-7d +-84h +[0-9]{2}:[0-9]{2}Z' '200x50: the traffic charts have a time axis'
like "$(printf '%s\n' "$s" | grep -B1 -- ' -7d  .*-84h' | head -1)" '^ +[0-9.]+ [#+.]' \
	"200x50: the primary's traffic chart has data from its first column (7 days ago)"
# and the route53 view uses the width for whole names and health check ids
tui_keys 6
tui_wait 'Route 53 health checks' 10
s=$(tui_cap)
like "$s" ' seoul\.petclinic\.example\.com\. +PRIMARY' '200x50: record names whole (seoul.pet..ic.example.com. at 80)'
like "$s" '^ [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} +healthy' '200x50: health check ids whole'
tui_tmux resize-window -x 80 -y 24
tui_keys 2
tui_wait 'ap-northeast-2 Sum/1m 7d' 10
tui_keys s s
tui_wait 'statistic Sum ' 10
tui_wait 'requests/s \(req/s\) ap-northeast-2 Sum/' 10
tui_keys s
tui_wait 'RequestCount \(count\) ap-northeast-2 Maximum/' 20
tui_wait 'latency \(ms\) ap-northeast-1 Maximum/' 30
s=$(tui_cap)
like "$s" ' latency \(ms\) ap-northeast-2 Maximum/' 's: the statistic reaches the built-in charts too'
unlike "$s" 'p99 latency' 'and the latency chart no longer says p99'
# p: the period reaches every chart of both regions (it changed only the header)
tui_keys p p
tui_wait 'period 5m ' 10
for i in $(seq 1 60); do   # each region's charts come with its own refresh
	s=$(tui_cap)
	[ "$(printf '%s\n' "$s" | grep -Ec '^- [^(]+\([^)]+\) ap-northeast-[12] Maximum/5m 7d ')" = 6 ] && break
	sleep 0.5
done
is "$(printf '%s\n' "$s" | grep -Ec '^- [^(]+\([^)]+\) ap-northeast-[12] Maximum/5m 7d ')" 6 \
	'p: all six built-in charts (both regions) read 5-minute periods'

# --- X-Ray: two hosts under one domain keep their own names (both read "petcl..onaws.com")
tui_keys 7
tui_wait 'Edges' 10
tui_wait 'ortheast-2 -> .*ortheast-2 -> ' 10
s=$(tui_cap)
is "$(printf '%s\n' "$s" | grep -E '^ [^ ]+ortheast-2 -> ' | cut -c1-41 | sort -u | wc -l)" 2 \
	'xray: the application calls two nodes, and the edges name them differently'
like "$s" 'linic-db\.\.' 'xray: the database by its host label (petclinic@petclinic-db...)'
like "$s" 'edis-001\.\.' 'xray: the cache by its host label (petclinic-redis-001...)'
unlike "$s" 'onaws\.com' 'xray: no node is left as just its shared domain'

# --- X-Ray: the opened trace is the one selected, across refreshes -----------------------
tui_keys 7 j j Enter
tui_wait 'trace id' 5
id1=$(tui_cap | sed -En 's/^ trace id +//p' | tr -d ' ')
tui_keys Escape r
sleep 3
tui_keys Enter
tui_wait 'trace id|no longer' 5
id2=$(tui_cap | sed -En 's/^ trace id +//p' | tr -d ' ')
ok "$([ -n "$id1" ] && { [ "$id1" = "$id2" ] || tui_cap | grep -q 'no longer in the sampled list'; }; echo $?)" \
	"xray: after a refresh Enter opens the trace selected ($id1), not another (${id2:-gone})"

# --- metrics that cannot be read: every chart marked stale, with the reason -------------
"$FD_BIN" sim fault --endpoint "$SIM_URL" throttle:GetMetricData:1 >/dev/null
tui_keys Escape
tui_wait 'Traces \(Enter: details\)' 10
tui_keys 2
tui_wait 'Maximum/5m 7d' 10
tui_keys r
for i in $(seq 1 120); do   # both regions' refreshes fail, each in its turn
	[ "$(tui_cap | grep -Ec '^- .* Maximum/5m 7d STALE: ')" = 6 ] && break
	sleep 0.5
done
s=$(tui_cap)
[ "$i" = 120 ] && printf '%s\n' "$s" | sed 's/^/# /'

is "$(printf '%s\n' "$s" | grep -Ec '^- [^(]+\([^)]+\) ap-northeast-[12] Maximum/5m 7d STALE: Rate')" 6 \
	"GetMetricData throttled: each chart is marked stale, with the reason in its title (at 80 columns, as much as fits beside its age)"
like "$(printf '%s\n' "$s" | sed -n 2p)" '[0-9]+ PANELS? FAILING' 'and the status line counts the failing panels'
tui_keys q
tui_wait 'exit=' 10

# --- :profile under --demo says it does not apply ------------------------------------
tui_start 80 24 FLIGHTDECK_FAKE_MODEL=0 LANG=C NO_COLOR=1 -- --demo
tui_wait 'requests/s +[0-9.]+ +data' 30
tui_keys ':profile nosuch' Enter
tui_wait 'does not apply' 5
like "$(tui_cap | tail -1)" ':profile does not apply with --demo' ':profile under --demo says it does not apply'
like "$(tui_cap | tail -1)" 'does not apply' 'and nothing was switched'
tui_keys q
tui_wait 'exit=' 10
done_testing
