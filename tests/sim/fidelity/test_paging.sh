#!/bin/sh
# Fidelity: the simulator pages every listing at AWS's default page size, so scripts and
# aws-cli --query/--output text see the pages AWS would send. Each case names the AWS
# behaviour and the API reference page it follows (docs/sim.md lists them all).
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
start_sim
ok $? "petclinic started"
zid=$(awsx route53 list-hosted-zones --query 'HostedZones[0].Id' --output text | sed 's|/hostedzone/||')

# AWS: "ListResourceRecordSets returns up to 300 resource record sets at a time", so a
# small zone comes in one page and a --query over it prints one answer, not one per page.
# https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListResourceRecordSets.html
r=$(awsx route53 list-resource-record-sets --hosted-zone-id "$zid" --no-paginate)
is "$(echo "$r" | jq -c '[.IsTruncated, .MaxItems, (.ResourceRecordSets | length)]')" '[false,"300",7]' \
	"ListResourceRecordSets: a 7-set zone is one page (MaxItems 300)"
out=$(/usr/bin/aws --endpoint-url "$SIM_URL" route53 list-resource-record-sets --hosted-zone-id "$zid" \
	--query "ResourceRecordSets[?Name=='petclinic.example.com.' && Failover=='PRIMARY'].HealthCheckId" --output text)
like "$out" '^[0-9a-f-]{36}$' "--output text query prints the one PRIMARY health check"
out=$(/usr/bin/aws --endpoint-url "$SIM_URL" route53 list-resource-record-sets --hosted-zone-id "$zid" \
	--query 'length(ResourceRecordSets)' --output text)
is "$out" 7 "--output text length() counts the whole zone once, as against AWS (not once per page)"
r=$(awsx route53 list-resource-record-sets --hosted-zone-id "$zid" --max-items 2 --no-paginate 2>/dev/null ||
	/usr/bin/aws --endpoint-url "$SIM_URL" --output json route53 list-resource-record-sets --hosted-zone-id "$zid" --max-items 2)
is "$(echo "$r" | jq -c '[(.ResourceRecordSets | length), (.NextToken != null or .IsTruncated == true)]')" '[2,true]' \
	"MaxItems is honoured"

# AWS: "Amazon Route 53 returns a maximum of 100 items" (ListHealthChecks, ListHostedZones).
# https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListHealthChecks.html
r=$(awsx route53 list-health-checks --no-paginate)
is "$(echo "$r" | jq -c '[.MaxItems, .IsTruncated]')" '["100",false]' "ListHealthChecks: MaxItems 100 by default"
r=$(awsx route53 list-hosted-zones --no-paginate)
is "$(echo "$r" | jq -c '[.MaxItems, .IsTruncated]')" '["100",false]' "ListHostedZones: MaxItems 100 by default"

# AWS: DescribeAlarms MaxRecords 1-100; a default page holds 50 (the sim's six Seoul alarms: one page).
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
r=$(awsx cloudwatch describe-alarms --no-paginate)
is "$(echo "$r" | jq -c '[(.MetricAlarms | length), has("NextToken")]')" '[6,false]' "DescribeAlarms: one page for 6 alarms"

# A test that needs many pages sets the page size in its scenario, never by a changed default.
cat > "$SIM_TMP/paged.yaml" <<YAML
$("$FD_BIN" sim --print-scenario)
paging: {ListResourceRecordSets: 2, DescribeAlarms: 4}
YAML
start_sim --scenario "$SIM_TMP/paged.yaml"
r=$(awsx route53 list-resource-record-sets --hosted-zone-id "$zid" --no-paginate)
is "$(echo "$r" | jq -c '[(.ResourceRecordSets | length), .IsTruncated, .MaxItems]')" '[2,true,"2"]' \
	"scenario paging: ListResourceRecordSets pages of 2"
r=$(awsx route53 list-resource-record-sets --hosted-zone-id "$zid")
is "$(echo "$r" | jq '.ResourceRecordSets | length')" 7 "aws-cli's paginator joins the pages"
r=$(awsx cloudwatch describe-alarms --no-paginate)
is "$(echo "$r" | jq -c '[(.MetricAlarms | length), has("NextToken")]')" '[4,true]' "scenario paging: DescribeAlarms pages of 4"
r=$(awsx cloudwatch describe-alarms)
is "$(echo "$r" | jq -c '[(.MetricAlarms | length), ([.MetricAlarms[].AlarmName] | unique | length)]')" '[6,6]' \
	"aws-cli's paginator joins DescribeAlarms' pages: every alarm once"
sed 's/^paging: .*/paging: {DescribeNothing: 3}/' "$SIM_TMP/paged.yaml" > "$SIM_TMP/bad.yaml"
out=$(timeout 10 "$FD_BIN" sim --listen 127.0.0.1:0 --scenario "$SIM_TMP/bad.yaml" 2>&1)
like "$out" "bad.yaml:[0-9]+:[0-9]+: paging: 'DescribeNothing' is not an operation that pages" \
	"a bad paging setting names the file, line and operation"

# The scale scenario: Auto Scaling and ELBv2 listings at their documented sizes.
# https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAutoScalingGroups.html ("The default value is 50")
# https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTargetGroups.html (PageSize 1-400)
start_sim --scenario scale
r=$(awsx autoscaling describe-auto-scaling-groups --no-paginate)
is "$(echo "$r" | jq -c '[(.AutoScalingGroups | length), has("NextToken")]')" '[50,true]' \
	"DescribeAutoScalingGroups: 50 groups a page"
r=$(awsx elbv2 describe-target-groups --no-paginate)
is "$(echo "$r" | jq -c '[(.TargetGroups | length), has("NextMarker")]')" '[102,false]' \
	"DescribeTargetGroups: Seoul's 102 target groups in one page (up to 400)"
done_testing
