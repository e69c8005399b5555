#!/bin/sh
# Debian's aws-cli against flightdeck sim: every CloudWatch, Route 53, X-Ray and ARC
# operation the sim serves, once, checking what aws-cli (botocore) parsed.
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
if ! start_sim --seed 5; then echo "1..1"; echo "not ok 1 - sim started"; exit 1; fi
q() { awsx "$@" --output text; }
# the ten minutes that ended a minute ago or more: CloudWatch publishes a minute 60-120 s
# after it ends (/ the sim's time scale), so the minute that just ended may not be there yet
end=$(($(date -u -d "$(date -u +%H:%M)" +%s) - 60))
start=$((end - 600))
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

# CloudWatch
lb=$(q elbv2 describe-load-balancers --query 'LoadBalancers[0].LoadBalancerArn' | sed 's|.*:loadbalancer/||')
out=$(q cloudwatch get-metric-data --start-time "$(iso $start)" --end-time "$(iso $end)" --metric-data-queries \
	"[{\"Id\":\"m1\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"AWS/ApplicationELB\",\"MetricName\":\"RequestCount\",\"Dimensions\":[{\"Name\":\"LoadBalancer\",\"Value\":\"$lb\"}]},\"Period\":60,\"Stat\":\"Sum\"},\"ReturnData\":false},{\"Id\":\"e1\",\"Expression\":\"IF(m1 > 0, m1 / m1 * 7, 0)\",\"Label\":\"seven\"}]" \
	--query 'MetricDataResults[0].[Id,Label,StatusCode,length(Values),max(Values)]')
is "$out" "e1	seven	Complete	10	7.0" "get-metric-data with metric math"
out=$(q cloudwatch describe-alarms --alarm-names petclinic-ap-northeast-2-elb-5xx \
	--query 'MetricAlarms[0].[AlarmName,Namespace,MetricName,Statistic,Period,StateValue]')
is "$out" "petclinic-ap-northeast-2-elb-5xx	AWS/ApplicationELB	HTTPCode_ELB_5XX_Count	Sum	10	OK" "describe-alarms"
out=$(q cloudwatch describe-alarm-history --alarm-name petclinic-ap-northeast-2-elb-5xx \
	--query 'AlarmHistoryItems[].HistoryItemType')
is "$out" "StateUpdate	ConfigurationUpdate" "describe-alarm-history"

# Route 53
zone=$(q route53 list-hosted-zones --query 'HostedZones[0].Id')
like "$zone" '^/hostedzone/Z' "list-hosted-zones (id with /hostedzone/)"
zid=${zone#/hostedzone/}
out=$(q route53 list-resource-record-sets --hosted-zone-id "$zid" --query 'ResourceRecordSets[].[Name,Type,SetIdentifier,Failover]')
like "$(echo "$out" | tr '\n' ' ')" "petclinic.example.com.	A	seoul	PRIMARY petclinic.example.com.	A	tokyo	SECONDARY" \
	"list-resource-record-sets (paged by the cli)"
hc=$(q route53 list-resource-record-sets --hosted-zone-id "$zid" \
	--query "ResourceRecordSets[?Name=='petclinic.example.com.' && Failover=='PRIMARY'].HealthCheckId")
out=$(q route53 list-health-checks --query "HealthChecks[?Id=='$hc'].HealthCheckConfig.Type")
is "$out" "HTTPS" "list-health-checks"
out=$(q route53 get-health-check-status --health-check-id "$hc" --query 'HealthCheckObservations[].StatusReport.Status' | tr '\t' '\n' | sort -u)
is "$out" "Success: HTTP Status Code 200, OK" "get-health-check-status"
out=$(q route53 test-dns-answer --hosted-zone-id "$zid" --record-name petclinic.example.com --record-type A \
	--query '[ResponseCode,length(RecordData)]')
is "$out" "NOERROR	2" "test-dns-answer"
ch=$(q route53 change-resource-record-sets --hosted-zone-id "$zid" --change-batch \
	'{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"cli.example.com","Type":"TXT","TTL":60,"ResourceRecords":[{"Value":"\"hi\""}]}}]}' \
	--query 'ChangeInfo.[Id,Status]')
like "$ch" '^/change/C[A-Z0-9]+	PENDING$' "change-resource-record-sets"
cid=$(echo "$ch" | cut -f1)
out=$(q route53 get-change --id "$cid" --query 'ChangeInfo.Id')
is "$out" "$cid" "get-change"
out=$(q route53 update-health-check --health-check-id "$hc" --failure-threshold 3 \
	--query 'HealthCheck.[HealthCheckConfig.FailureThreshold,HealthCheckVersion]')
is "$out" "3	2" "update-health-check"

# X-Ray
now=$(date +%s)
out=$(q xray get-service-graph --start-time $((now - 300)) --end-time "$now" --query 'Services[0].Type')
is "$out" "client" "get-service-graph"
tid=$(q xray get-trace-summaries --start-time $((now - 120)) --end-time "$now" --query 'TraceSummaries[0].Id' | sed -n 1p)
like "$tid" '^1-[0-9a-f]{8}-[0-9a-f]{24}$' "get-trace-summaries"
out=$(q xray batch-get-traces --trace-ids "$tid" --query 'Traces[0].Id')
is "$out" "$tid" "batch-get-traces"

# ARC
rc=$(q route53-recovery-cluster list-routing-controls --query "RoutingControls[?RoutingControlName=='petclinic-ap-northeast-2'].RoutingControlArn")
like "$rc" '^arn:aws:route53-recovery-control::[0-9]{12}:controlpanel/' "list-routing-controls"
out=$(q route53-recovery-cluster update-routing-control-state --routing-control-arn "$rc" --routing-control-state Off; echo "rc=$?")
is "$out" "rc=0" "update-routing-control-state"
out=$(q route53-recovery-cluster get-routing-control-state --routing-control-arn "$rc" --query RoutingControlState)
is "$out" "Off" "get-routing-control-state"
out=$(q route53 test-dns-answer --hosted-zone-id "$zid" --record-name petclinic.example.com --record-type A --query 'RecordData[0]')
like "$out" '^54\.65\.' "DNS answers with Tokyo while Seoul's routing control is Off"
done_testing
