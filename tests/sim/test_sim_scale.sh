#!/bin/sh
# The scale scenario (2,000 instances, 200 target groups, 500 health checks) served
# with correct pagination: every item once, through aws-cli's and botocore's paginators.
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
# the scale world with ELBv2 pages of 2 (AWS's default is up to 400), so aws-cli pages
{ "$FD_BIN" sim --print-scenario --scenario scale; echo "paging: {DescribeTargetGroups: 2}"; } > "$SIM_TMP/scale.yaml"
start_sim --scenario "$SIM_TMP/scale.yaml"
ok $? "scale scenario started"
st=$(curl -s "$SIM_URL/_sim/state")
is "$(echo "$st" | jq '[.regions[].auto_scaling_groups[].instances[]] | length')" "2006" "2,006 instances in the world"
is "$(echo "$st" | jq '.health_checks | length')" "504" "504 Route 53 health checks in the world (2 + 500 + 2 routing controls' checks)"

r=$(awsx elbv2 describe-target-groups)
is "$(echo "$r" | jq '.TargetGroups | length')" "102" "aws-cli pages through Seoul's 102 target groups (pages of 2)"
is "$(echo "$r" | jq '[.TargetGroups[].TargetGroupArn] | unique | length')" "102" "each target group once"
r=$(awsx elbv2 describe-target-groups --max-items 7)
is "$(echo "$r" | jq '.TargetGroups | length')" "7" "--max-items 7"
tok=$(echo "$r" | jq -r .NextToken)
r2=$(awsx elbv2 describe-target-groups --starting-token "$tok")
is "$(echo "$r2" | jq '.TargetGroups | length')" "95" "--starting-token continues with the other 95"
is "$( (echo "$r"; echo "$r2") | jq -s '[.[].TargetGroups[].TargetGroupName] | unique | length')" "102" "no overlap, no gap"

res=$(/usr/bin/python3 - "$SIM_URL" <<'PY'
import sys, botocore.session, botocore.config
url = sys.argv[1]
s = botocore.session.get_session()
cfg = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"})
def c(svc, region):
    return s.create_client(svc, region_name=region, endpoint_url=url, aws_access_key_id="AKIDFLIGHTDECKSIM",
                           aws_secret_access_key="flightdeck/sim/secret", config=cfg)
ids = []
for r in ("ap-northeast-2", "ap-northeast-1"):
    for p in c("autoscaling", r).get_paginator("describe_auto_scaling_groups").paginate(PaginationConfig={"PageSize": 7}):
        ids += [i["InstanceId"] for g in p["AutoScalingGroups"] for i in g["Instances"]]
print("%d %d" % (len(ids), len(set(ids))))
PY
)
is "$res" "2006 2006" "botocore pages 2,006 instances (page size 7), each once"
done_testing
