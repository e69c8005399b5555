#!/usr/bin/env bash
# bench/sim.sh — the simulator: DescribeTargetHealth requests/s on loopback (bench/sim_load,
# libcurl multi, keep-alive), RSS of the petclinic scenario, and the scale scenario
# (2,000 instances, 200 target groups, 500 health checks) paged through by botocore.
set -u
: "${FD_BIN:?}" "${FD_BUILDDIR:?}"
load="$FD_BUILDDIR/bench/sim_load"
tmp=$(mktemp -d)
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT

# start_sim NAME ARGS...: start a simulator; sets PORT and PID.
start_sim() {
	local name=$1 i; shift
	"$FD_BIN" sim --listen 127.0.0.1:0 "$@" >"$tmp/$name.out" 2>&1 &
	PID=$!
	pids="$pids $PID"
	for i in $(seq 1 100); do grep -qs listening "$tmp/$name.out" && break; sleep 0.05; done
	PORT=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\) .*|\1|p' "$tmp/$name.out")
}
rss_mb() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

start_sim petclinic --scenario petclinic
rss_idle=$(rss_mb "$PID")
tg=$(curl -s "http://127.0.0.1:$PORT/_sim/state" | jq -r '.regions[0].target_groups[0].arn' | sed 's|:|%3A|g; s|/|%2F|g')
body="Action=DescribeTargetHealth&Version=2015-12-01&TargetGroupArn=$tg"
rates=$(for run in 1 2 3; do "$load" "http://127.0.0.1:$PORT" elasticloadbalancing ap-northeast-2 "$body" 3 8; done)
rate=$(printf '%s\n' "$rates" | median)
printf 'sim: DescribeTargetHealth requests/s (loopback, 8 conns)\t%s\treq/s (issue: >= 5000 on 2 cores)\n' "$rate"
printf 'sim: RSS petclinic, idle\t%s\tMB (issue: < 50)\n' "$rss_idle"
printf 'sim: RSS petclinic, after the load runs\t%s\tMB (issue: < 50)\n' "$(rss_mb "$PID")"

start_sim scale --scenario scale
printf 'sim: RSS scale scenario, idle\t%s\tMB\n' "$(rss_mb "$PID")"
/usr/bin/python3 - "http://127.0.0.1:$PORT" <<'PY'
import sys, time, botocore.session, botocore.config
url = sys.argv[1]
s = botocore.session.get_session()
cfg = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"})
def c(svc, region):
    return s.create_client(svc, region_name=region, endpoint_url=url, aws_access_key_id="AKIDFLIGHTDECKSIM",
                           aws_secret_access_key="flightdeck/sim/secret", config=cfg)
t0 = time.time(); inst = tgs = pages = checks = 0
for r in ("ap-northeast-2", "ap-northeast-1"):
    for p in c("autoscaling", r).get_paginator("describe_auto_scaling_groups").paginate(PaginationConfig={"PageSize": 100}):
        pages += 1; inst += sum(len(g["Instances"]) for g in p["AutoScalingGroups"])
    for p in c("elbv2", r).get_paginator("describe_target_groups").paginate():
        pages += 1; tgs += len(p["TargetGroups"])
t = time.time() - t0
print("sim scale: instances paged (petclinic 6 + 2000)\t%d\t%d pages with target groups" % (inst, pages))
print("sim scale: target groups paged (petclinic 4 + 200), page size 2\t%d\t%.2f s for all pages" % (tgs, t))
try:
    r53 = c("route53", "us-east-1")
    for p in r53.get_paginator("list_health_checks").paginate():
        checks += len(p["HealthChecks"])
    print("sim scale: Route 53 health checks paged (2 + 500 + ARC control checks)\t%d\tcount" % checks)
except Exception as e:
    print("sim scale: Route 53 health checks paged\tn/a\t%s" % type(e).__name__)
PY
