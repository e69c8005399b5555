#!/bin/sh
# test_snapshot_e2e.sh — `flightdeck snapshot` end to end against `flightdeck sim`:
# exact JSON fields, text output, exit codes with and without injected faults.
. "$FD_SRCDIR/tests/tap.sh"

T=$(mktemp -d)
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$T"; }
trap cleanup EXIT INT TERM

# start_sim NAME [FAULT...]: start a simulator, set URL_NAME
start_sim() {
	name=$1; shift
	set -- sim --listen 127.0.0.1:0 "$@"
	faults=""
	"$FD_BIN" "$@" >"$T/$name.out" 2>"$T/$name.err" &
	pid=$!
	PIDS="$PIDS $pid"
	i=0
	while [ $i -lt 300 ] && ! grep -q listening "$T/$name.out" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
	url=$(grep -o 'http://[0-9.:]*' "$T/$name.out")
	eval "URL_$name=\$url"
}

# fd ARGS: flightdeck in a clean environment (no real ~/.aws, state and config in $T)
fd() {
	env -i PATH=/usr/bin:/bin HOME="$T/home" XDG_STATE_HOME="$T/state" XDG_CONFIG_HOME="$T/config" \
		AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret \
		"$FD_BIN" "$@"
}
mkdir -p "$T/home" "$T/state" "$T/config"

start_sim ok
start_sim outage --fault region-outage:ap-northeast-2
start_sim bad --fault bad-deploy:petclinic-tg-blue:0.3
ok "$([ -n "$URL_ok" ] && [ -n "$URL_outage" ] && [ -n "$URL_bad" ]; echo $?)" "three simulators started"

# --- a healthy stack ---------------------------------------------------------
fd --endpoint-url "$URL_ok" snapshot --json >"$T/ok.json" 2>"$T/ok.err"
is "$?" 0 "healthy stack: exit 0"
j() { jq -r "$1" "$T/$2.json"; }
is "$(j '[.targets[].name] | join(",")' ok)" \
	"scale-out latency,session loss rate,read latency improvement,blue-green downtime,deploy duration" \
	"the five default targets, in order"
is "$(j '[.targets[] | (.status == "met" or .status == "no_data")] | all' ok)" true "every target met or no data"
is "$(j '.targets[] | select(.name == "read latency improvement") | .status' ok)" met \
	"cross-region replica reads faster than the primary: met"
is "$(j '.targets[] | select(.name == "blue-green downtime") | .status' ok)" no_data "no measurement yet: no_data"
is "$(j '.targets[0] | [.objective, .comparison, .unit] | join(" ")' ok)" "60 < s" "objective, comparison, unit"
is "$(j '[.regions[] | .name + ":" + .role] | join(",")' ok)" "ap-northeast-2:primary,ap-northeast-1:dr" "both regions"
is "$(j '.regions[0].healthy_hosts' ok)" 4 "Seoul: 4 healthy hosts"
is "$(j '.regions[1].healthy_hosts' ok)" 2 "Tokyo: 2 healthy hosts"
is "$(j '.regions[0].asg_capacity | [.in_service, .desired] | join("/")' ok)" "4/4" "Seoul ASG capacity"
is "$(j '.regions[0].requests_per_s > 0' ok)" true "Seoul serves requests"
is "$(j '.regions[0].http_5xx_pct < 1' ok)" true "Seoul 5xx under 1 %"
is "$(j '.regions[0].p99_ms > 0' ok)" true "Seoul p99 known"
is "$(j '.regions[0].alarms_in_alarm' ok)" 0 "no alarm in ALARM"
is "$(j '.dns.region' ok)" ap-northeast-2 "DNS answers with Seoul"
is "$(j '.regions[0].dns_answering' ok)" true "Seoul marked answering"
is "$(j '.regions[1].dns_answering' ok)" false "Tokyo not answering"
is "$(j '.regions[0].load_balancers[0].listeners[0].forward | map(.target_group + "=" + (.weight|tostring)) | join(",")' ok)" \
	"petclinic-tg-blue=100,petclinic-tg-green=0" "listener forwards all traffic to blue"
is "$(j '[.regions[].panels[] | select(.panel != "metrics") | .error] | map(select(. != null)) | length' ok)" 0 \
	"no panel reports an error"
is "$(j '.schema_version' ok)" 1 "schema version 1"

fd --endpoint-url "$URL_ok" snapshot >"$T/ok.txt"
is "$?" 0 "text: exit 0"
like "$(cat "$T/ok.txt")" "^flightdeck snapshot [0-9]{4}-[0-9]{2}-[0-9]{2}T" "text header"
like "$(grep 'read latency improvement' "$T/ok.txt")" "^  met +read latency improvement +[0-9.]+ % +>= 30 %$" "text target row"
like "$(grep 'DNS answers here' "$T/ok.txt")" "^  DNS answers here +yes +no$" "text DNS row"

# --- a runbook measured downtime: target missed, exit 1 ------------------------
mkdir -p "$T/state/flightdeck"
printf '{"time": "2026-11-24T05:00:00Z", "run_id": "r1", "runbook": "blue-green-cutover", "name": "downtime_s", "value": 3}\n' \
	>"$T/state/flightdeck/measurements.jsonl"
fd --endpoint-url "$URL_ok" snapshot --json >"$T/meas.json"
is "$?" 1 "downtime 3 s measured: exit 1"
is "$(j '.targets[] | select(.name == "blue-green downtime") | [.value, .status] | join(" ")' meas)" "3 missed" \
	"downtime target missed with value 3"
fd --endpoint-url "$URL_ok" snapshot | grep -q '^  MISSED   blue-green downtime'
is "$?" 0 "text marks it MISSED"
rm "$T/state/flightdeck/measurements.jsonl"

# --- a config target on the 5xx rate: met, then missed under bad-deploy --------
dim=$(fd --endpoint-url "$URL_ok" --region ap-northeast-2 call elbv2 DescribeLoadBalancers |
	jq -r '.LoadBalancers[0].LoadBalancerArn' | sed 's|.*:loadbalancer/||')
cat >"$T/errors.yaml" <<YAML
stack:
  regions: { primary: ap-northeast-2, dr: ap-northeast-1 }
targets:
  - name: error rate
    source: expression
    queries:
      - { id: e, namespace: AWS/ApplicationELB, metric: HTTPCode_Target_5XX_Count, dimensions: { LoadBalancer: $dim }, stat: Sum, return_data: false }
      - { id: l, namespace: AWS/ApplicationELB, metric: HTTPCode_ELB_5XX_Count, dimensions: { LoadBalancer: $dim }, stat: Sum, return_data: false }
      - { id: r, namespace: AWS/ApplicationELB, metric: RequestCount, dimensions: { LoadBalancer: $dim }, stat: Sum, return_data: false }
      - { id: pct, expression: "100*(FILL(e,0)+FILL(l,0))/r" }
    objective: "< 5"
    unit: "%"
YAML
fd --endpoint-url "$URL_ok" --config "$T/errors.yaml" snapshot --json >"$T/cfg_ok.json"
is "$?" 0 "5xx target, healthy stack: exit 0"
is "$(j '.targets | length' cfg_ok)" 1 "the config's targets replace the defaults"
is "$(j '.targets[0].status' cfg_ok)" met "5xx target met"
fd --endpoint-url "$URL_bad" --config "$T/errors.yaml" snapshot --json >"$T/cfg_bad.json"
is "$?" 1 "bad-deploy on blue: exit 1"
is "$(j '.targets[0].status' cfg_bad)" missed "5xx target missed"
is "$(j '.targets[0].value > 20' cfg_bad)" true "about 30 % errors"
is "$(j '.regions[0].http_5xx_pct > 20' cfg_bad)" true "Seoul 5xx % shows it"

# --- region outage: DNS fails over to Tokyo; a region down is exit 1 ----------
i=0
while [ $i -lt 60 ]; do   # the sim's ALB health checks mark Seoul's targets unhealthy within seconds
	fd --endpoint-url "$URL_outage" snapshot --json >"$T/outage.json" 2>"$T/outage.err"
	rc=$?
	[ "$(j '.regions[0].healthy_hosts' outage)" = 0 ] && break
	sleep 0.5; i=$((i + 1))
done
is "$rc" 1 "region outage, default targets: exit 1 (the primary is down)"
like "$(cat "$T/outage.err")" "flightdeck: snapshot: ap-northeast-2 \(primary\) is down: 0/4 healthy hosts" \
	"the reason on stderr"
is "$(j '.regions[0].severity.healthy_hosts' outage)" bad "a dead primary's 0/4 healthy hosts is bad, not a warning"
is "$(j '.dns.region' outage)" ap-northeast-1 "DNS answers with Tokyo"
is "$(j '.regions[1].dns_answering' outage)" true "Tokyo marked answering"
like "$(j '.status.summary' outage)" "^PRIMARY DOWN · .*DNS ON DR" "status: PRIMARY DOWN · ... DNS ON DR, worst first"
is "$(j '.status.exit_status' outage)" 1 "the JSON carries the exit status"
# the outage stops replication to Tokyo (the source unreachable: ReplicaLag -1, StatusInfos not
# Normal, https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_MySQL.Replication.ReadReplicas.Monitor.html)
is "$(j '.replication[] | select(.role == "replica") | [.state, .severity, .lag_s, .status] | join(" ")' outage)" \
	"broken bad -1 error" "outage: the Tokyo replica's replication is broken (lag -1, status error), bad"
like "$(j '.replication[] | select(.role == "replica") | .message' outage)" "source DB instance .*petclinic-db is unreachable" \
	"outage: its message names the unreachable source"
like "$(j '.status.summary' outage)" "DR DB NOT REPLICATING" "outage: the status names the stopped replication"
fd --endpoint-url "$URL_outage" --config "$T/errors.yaml" snapshot >/dev/null 2>&1
is "$?" 1 "region outage with the 5xx target (ELB 503s count): exit 1"

# --- ARC failover, primary recovered, no failback: DNS answers with Tokyo ------
# (the issue's game day: the snapshot said the primary serves)
start_sim arc
arn=$(fd --endpoint-url "$URL_arc" --region ap-northeast-2 call route53-recovery-cluster ListRoutingControls |
	jq -r '.RoutingControls[] | select(.RoutingControlArn | endswith("/seoul")) | .RoutingControlArn')
fd --endpoint-url "$URL_arc" --region ap-northeast-2 call route53-recovery-cluster UpdateRoutingControlState --yes \
	RoutingControlArn="$arn" RoutingControlState=Off >/dev/null
is "$?" 0 "ARC: the Seoul routing control turned Off"
fd --endpoint-url "$URL_arc" snapshot --json >"$T/arc.json" 2>"$T/arc.err"
is "$?" 0 "ARC failover: exit 0 (nothing down, nothing missed)"
is "$(j '.regions[0].severity.healthy_hosts' arc)" ok "the primary has recovered: its hosts are healthy"
is "$(j '.dns.region' arc)" ap-northeast-1 "DNS answers with Tokyo, not the recovered primary"
is "$(j '.regions[0].dns_answering' arc)" false "Seoul not answering"
is "$(j '.dns.method' arc)" "address match" "the method is named: the answer is an address of Tokyo's load balancer"
like "$(j '.dns.matched | [.address, .load_balancer, .network_interface, .availability_zone] | join(" ")' arc)" \
	"^54\.65\.[0-9.]+ petclinic-alb eni-[0-9a-f]{17} ap-northeast-1[ac]$" "which interface it matched"
is "$(j '.dns.route53_rules_region' arc)" ap-northeast-1 "Route 53's failover rules pick Tokyo"
# (the petclinic PRIMARY aliases its Seoul cell record, whose check is the routing control's)
like "$(j '.dns.route53_rules' arc)" "PRIMARY seoul unhealthy \(.*routing control seoul Off\)" "because of the routing control"
like "$(j '.status.summary' arc)" "DNS ON DR" "the status says DNS is on the DR"
fd --endpoint-url "$URL_arc" snapshot >"$T/arc.txt" 2>/dev/null
like "$(grep '^DNS ' "$T/arc.txt")" "-> 54\.65\.[0-9.]+ 54\.65\.[0-9.]+ \(ap-northeast-1, address match\)$" \
	"text: Tokyo's addresses, Tokyo, and how it was found"

# --- errors: exit 2 -----------------------------------------------------------
printf 'stack:\n  regions: { primary: seoul }\n' >"$T/bad.yaml"
out=$(fd --endpoint-url "$URL_ok" --config "$T/bad.yaml" snapshot 2>&1)
is "$?" 2 "bad config: exit 2"
is "$out" "flightdeck: $T/bad.yaml:2:23: regions.primary: 'seoul' is not an AWS region (like ap-northeast-2)" \
	"bad config: FILE:LINE:COLUMN message"
out=$(fd --endpoint-url "$URL_ok" --config "$T/missing.yaml" snapshot 2>&1)
is "$?" 2 "missing config: exit 2"
is "$out" "flightdeck: $T/missing.yaml: No such file or directory" "missing config names the file"
out=$(fd --endpoint-url http://127.0.0.1:1 snapshot 2>&1 >/dev/null)
is "$?" 2 "nothing answers: exit 2"
like "$out" "^flightdeck: snapshot: no data from any API" "and says so"
like "$out" "flightdeck: snapshot: ap-northeast-2 lb could not be read: ConnectionError: " "with each panel's reason"

# issue 14: --region with a typo of a real region (it used to read as an empty region
# that "DNS answers here"): refused before anything is sent, exit 2
n0=$("$FD_BIN" sim requests --endpoint "$URL_ok" | jq 'length')
out=$(fd --endpoint-url "$URL_ok" snapshot --region ap-northeast-9 2>&1 >"$T/typo.txt")
is "$?" 2 "snapshot --region ap-northeast-9: exit 2"
is "$out" "flightdeck: region 'ap-northeast-9' (from --region) is not an AWS region: nothing was sent" "saying why"
is "$(wc -c <"$T/typo.txt")" 0 "and no snapshot printed"
is "$("$FD_BIN" sim requests --endpoint "$URL_ok" | jq 'length')" "$n0" "nothing sent to the simulator"
out=$(fd --endpoint-url "$URL_ok" snapshot --region ap-northeast-3 --json 2>/dev/null | jq -r '.regions[0].name')
is "$out" ap-northeast-3 "a region AWS has (Osaka) is taken"

# --- the load balancers' interfaces cannot be read: the region is only inferred, exit 2
start_sim noeni --fault throttle:DescribeNetworkInterfaces:1
fd --endpoint-url "$URL_noeni" snapshot --json >"$T/noeni.json" 2>"$T/noeni.err"
is "$?" 2 "DescribeNetworkInterfaces throttled: exit 2 (something could not be read)"
is "$(j '.dns.method' noeni)" inferred "the region is said to be inferred, not matched"
is "$(j '.dns.matched' noeni)" null "and no interface is named"
like "$(cat "$T/noeni.err")" "ap-northeast-2 lb could not be read: RequestLimitExceeded: " "the reason on stderr"
is "$("$FD_BIN" sim requests --endpoint "$URL_noeni" | jq -r '[.[] | select(.operation == "DescribeNetworkInterfaces") | .region] | unique | join(" ")')" \
	"ap-northeast-1 ap-northeast-2" "DescribeNetworkInterfaces was asked in each region"

# --- a region that cannot be read: exit 2 with the reason (it was 0) -------------
start_sim throttled --fault throttle:DescribeLoadBalancers:1
fd --endpoint-url "$URL_throttled" snapshot --json >"$T/unread.json" 2>"$T/unread.err"
is "$?" 2 "the load balancers of both regions cannot be read: exit 2"
like "$(cat "$T/unread.err")" "flightdeck: snapshot: ap-northeast-2 lb could not be read: Throttling: " "reason: Seoul"
like "$(cat "$T/unread.err")" "flightdeck: snapshot: ap-northeast-1 lb could not be read: Throttling: " "reason: Tokyo"
is "$(j '.status.exit_status' unread)" 2 "the JSON says 2 too"
like "$(j '.status.summary' unread)" "2 PANELS FAILING" "and the status line counts the failing panels"

# --- the README's cron example mails when something is wrong --------------------
sed -n '/^<!-- readme-test: cron -->/,/^```$/p' "$FD_SRCDIR/README.md" | grep '^\*/5 ' | cut -d' ' -f6- >"$T/cron.sh"
like "$(cat "$T/cron.sh")" "^flightdeck .*snapshot.*\|\| mail " "README: a crontab line that mails on failure"
mkdir -p "$T/bin" "$T/home/.aws"
printf '[watch]\naws_access_key_id = AKIDFLIGHTDECKSIM\naws_secret_access_key = flightdeck/sim/secret\n' >"$T/home/.aws/credentials"
printf '[profile watch]\nregion = ap-northeast-2\n' >"$T/home/.aws/config"
printf '#!/bin/sh\necho "$@" >>"%s/mailed"; cat >>"%s/mailed"\n' "$T" "$T" >"$T/bin/mail"
chmod +x "$T/bin/mail"
ln -s "$FD_BIN" "$T/bin/flightdeck"
cron() { # cron URL [STATE_DIR]: run the README's line as cron would (sh, no terminal)
	rm -f "$T/mailed"
	env -i PATH="$T/bin:/usr/bin:/bin" HOME="$T/home" XDG_STATE_HOME="${2:-$T/state}" XDG_CONFIG_HOME="$T/config" \
		AWS_ENDPOINT_URL="$1" TMPDIR="$T" sh -c "$(sed "s|/tmp/|$T/|g" "$T/cron.sh")" </dev/null >/dev/null 2>&1
}
cron "$URL_throttled"
like "$(cat "$T/mailed" 2>/dev/null)" "oncall@example.com" "cron: an unreadable region sends the mail"
like "$(cat "$T/mailed" 2>/dev/null)" "could not be read" "and the mail says why"
# a simulator of its own, just started, and a state directory without this test's
# measurements (it used the ARC one, which had moved traffic to Tokyo a minute before; it
# mailed once in CI under load, most likely for something that simulator did by then)
start_sim calm
cron "$URL_calm" "$T/cronstate"
ok "$([ ! -e "$T/mailed" ]; echo $?)" "cron: all read, nothing missed or down: no mail" || sed "s/^/# /" "$T/mailed"
out=$(fd snapshot --bogus 2>&1)
is "$?" 2 "unknown option: exit 2"
like "$out" "unknown option '--bogus'" "unknown option named"
printf 'stack:\n  regions: { primary: ap-northeast-1, dr: none }\n' >"$T/config/flightdeck/config.yaml" 2>/dev/null ||
	{ mkdir -p "$T/config/flightdeck"; printf 'stack:\n  regions: { primary: ap-northeast-1, dr: none }\n' >"$T/config/flightdeck/config.yaml"; }
fd --endpoint-url "$URL_ok" snapshot --json >"$T/xdg.json"
is "$?" 0 "XDG default config is read"
is "$(j '[.regions[].name] | join(",")' xdg)" "ap-northeast-1" "one region from it"
rm "$T/config/flightdeck/config.yaml"

# --- a scale-out: its activity's duration becomes the scale-out latency ---------
fd --endpoint-url "$URL_ok" --region ap-northeast-2 call autoscaling SetDesiredCapacity --yes \
	AutoScalingGroupName=petclinic-asg-was-blue DesiredCapacity=5 >/dev/null
is "$?" 0 "scale out blue by one"
i=0
while [ $i -lt 60 ]; do
	fd --endpoint-url "$URL_ok" snapshot --json >"$T/scale.json"
	[ "$(j '.targets[0].status' scale)" != no_data ] && break
	sleep 0.5; i=$((i + 1))
done
is "$(j '.targets[0] | [.name, .status] | join(" ")' scale)" "scale-out latency met" "scale-out latency met"
act=$(fd --endpoint-url "$URL_ok" --region ap-northeast-2 call autoscaling DescribeScalingActivities \
	AutoScalingGroupName=petclinic-asg-was-blue | jq -r '.Activities[0] | "\(.StartTime) \(.EndTime)"')
want=$(( $(date -u -d "${act#* }" +%s) - $(date -u -d "${act% *}" +%s) ))
is "$(j '.targets[0].value' scale)" "$want" "value = the activity's EndTime - StartTime"

done_testing
