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

# Listings that used to return everything whatever their size parameter (issue 12):
# EC2 answers a call without MaxResults with every result, and pages with it.
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInterfaces.html
# ("You cannot specify this parameter and the network interface IDs parameter in the same request")
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplateVersions.html
cat > "$SIM_TMP/lbs.yaml" <<'YAML'
scenario: lbs
regions:
  - name: ap-northeast-2
    primary: true
    target_groups: [{name: web, asg: web-asg}]
    auto_scaling_groups: [{name: web-asg, min: 1, max: 4, desired: 2, target_group: web}]
    load_balancers:
      - {name: lb1, listeners: [{port: 80, forward: [{target_group: web, weight: 1}]}]}
      - {name: lb2, listeners: [{port: 80, forward: [{target_group: web, weight: 1}]}]}
      - {name: lb3, listeners: [{port: 80, forward: [{target_group: web, weight: 1}]}]}
YAML
start_sim --scenario "$SIM_TMP/lbs.yaml"
ok $? "a region with three load balancers"
r=$(awsx ec2 describe-network-interfaces --no-paginate)
is "$(echo "$r" | jq -c '[(.NetworkInterfaces | length), ([.NetworkInterfaces[].NetworkInterfaceId] | unique | length), has("NextToken")]')" \
	'[6,6,false]' "DescribeNetworkInterfaces without MaxResults: all six interfaces (each its own id), one page"
r=$(awsx ec2 describe-network-interfaces --max-results 5 --no-paginate)
is "$(echo "$r" | jq -c '[(.NetworkInterfaces | length), has("NextToken")]')" '[5,true]' "MaxResults 5: five and a NextToken"
r2=$(awsx ec2 describe-network-interfaces --max-results 5 --starting-token "$(echo "$r" | jq -r .NextToken)" --no-paginate 2>/dev/null ||
	awsx ec2 describe-network-interfaces --max-results 5 --next-token "$(echo "$r" | jq -r .NextToken)")
is "$(echo "$r2" | jq -c '[(.NetworkInterfaces | length), has("NextToken")]')" '[1,false]' "the next page: the sixth, no token"
is "$(awsx ec2 describe-network-interfaces --page-size 5 | jq '[.NetworkInterfaces[].NetworkInterfaceId] | unique | length')" 6 \
	"aws-cli's paginator joins the pages"
id=$(echo "$r2" | jq -r '.NetworkInterfaces[0].NetworkInterfaceId')
is "$(awsx ec2 describe-network-interfaces --network-interface-ids "$id" | jq -r '[.NetworkInterfaces[].NetworkInterfaceId] | join(" ")')" \
	"$id" "NetworkInterfaceIds: that interface only"
like "$(awsx ec2 describe-network-interfaces --network-interface-ids "$id" --max-results 5 2>&1)" "InvalidParameterCombination" \
	"NetworkInterfaceIds with MaxResults is refused"
like "$(awsx ec2 describe-network-interfaces --network-interface-ids eni-0000000000000000f 2>&1)" "InvalidNetworkInterfaceID.NotFound" \
	"an interface that does not exist: InvalidNetworkInterfaceID.NotFound"
lt=$(awsx autoscaling describe-auto-scaling-groups --query 'AutoScalingGroups[0].LaunchTemplate.LaunchTemplateName' --output text)
r=$(awsx ec2 describe-launch-template-versions --launch-template-name "$lt" --max-results 1 --no-paginate)
is "$(echo "$r" | jq -c '[[.LaunchTemplateVersions[].VersionNumber], has("NextToken")]')" '[[2],true]' \
	"DescribeLaunchTemplateVersions MaxResults 1: the newest version and a NextToken"
is "$(awsx ec2 describe-launch-template-versions --launch-template-name "$lt" --page-size 1 | jq -c '[.LaunchTemplateVersions[].VersionNumber]')" \
	'[2,1]' "aws-cli's paginator joins its pages"

# Auto Scaling: DescribeInstanceRefreshes "The default value is 50 and the maximum value is 100".
# https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeInstanceRefreshes.html
awsx autoscaling start-instance-refresh --auto-scaling-group-name web-asg >/dev/null &&
	awsx autoscaling cancel-instance-refresh --auto-scaling-group-name web-asg >/dev/null
for _ in $(seq 120); do   # Cancelling -> Cancelled at the world's next step; then a second refresh may start
	awsx autoscaling start-instance-refresh --auto-scaling-group-name web-asg >/dev/null 2>&1 && break
	sleep 0.25
done
r=$(awsx autoscaling describe-instance-refreshes --auto-scaling-group-name web-asg --no-paginate)
is "$(echo "$r" | jq -c '[(.InstanceRefreshes | length), has("NextToken")]')" '[2,false]' "two refreshes: one default page"
r=$(awsx autoscaling describe-instance-refreshes --auto-scaling-group-name web-asg --max-records 1)
r2=$(awsx autoscaling describe-instance-refreshes --auto-scaling-group-name web-asg --max-records 1 --next-token "$(echo "$r" | jq -r .NextToken)")
is "$(echo "$r $r2" | jq -sc '[.[].InstanceRefreshes[].Status, (.[1] | has("NextToken"))]')" '["InProgress","Cancelled",false]' \
	"MaxRecords 1: the newest, then with its NextToken the older"
id=$(echo "$r2" | jq -r '.InstanceRefreshes[0].InstanceRefreshId')
is "$(awsx autoscaling describe-instance-refreshes --auto-scaling-group-name web-asg --instance-refresh-ids "$id" | jq -c '[.InstanceRefreshes[].Status]')" \
	'["Cancelled"]' "InstanceRefreshIds: that refresh only"

# ElastiCache: "Default: 100 Constraints: minimum 20; maximum 100" (DescribeReplicationGroups,
# DescribeCacheClusters, DescribeEvents).
# https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DescribeCacheClusters.html
start_sim
like "$(awsx elasticache describe-cache-clusters --max-records 19 2>&1)" "between 20 and 100" "ElastiCache MaxRecords 19 is refused"
is "$(awsx elasticache describe-cache-clusters --max-records 20 --no-paginate | jq -c '[(.CacheClusters | length), has("Marker")]')" \
	'[2,false]' "MaxRecords 20: both nodes, no Marker"
like "$(awsx elasticache describe-events --marker nonsense 2>&1)" "InvalidParameterValue" "a marker it never gave is refused"
# CloudFront ListDistributions: "The maximum and default values are both 100".
# https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ListDistributions.html
is "$(awsx cloudfront list-distributions --no-paginate | jq -c '.DistributionList | [.MaxItems, .Quantity, .IsTruncated]')" \
	'[100,1,false]' "ListDistributions: MaxItems 100"
done_testing
