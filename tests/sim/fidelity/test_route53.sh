#!/bin/sh
# Fidelity: Route 53 failover evaluation as Route 53 does it, driven through aws-cli.
# Pages followed (each case names its own):
#   [DET] https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
#   [VAL] https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html
#   [CHO] https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
#   [ETH] https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html
#   [GHS] https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHealthCheckStatus.html
#   [API] https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
q() { awsx "$@" --output text; }
dns() { q route53 test-dns-answer --hosted-zone-id "$zid" --record-name "$1" --record-type A --query 'RecordData' | tr '\t' ' '; }

# Seoul (the primary) is down from the start: its health check fails, DNS answers Tokyo.
start_sim --fault region-outage:ap-northeast-2
ok $? "sim started with Seoul down"
zid=$(q route53 list-hosted-zones --query 'HostedZones[0].Id' | sed 's|/hostedzone/||')
hc=$(q route53 list-resource-record-sets --hosted-zone-id "$zid" \
	--query "ResourceRecordSets[?Name=='petclinic.example.com.' && Failover=='PRIMARY'].HealthCheckId")
like "$(dns petclinic.example.com)" '^54\.65\.' "[CHO] the failing primary: DNS answers the secondary (Tokyo)"
st=$(q route53 get-health-check-status --health-check-id "$hc" --query 'HealthCheckObservations[].StatusReport.Status' | tr '\t' '\n' | sort -u)
like "$st" '^Failure: Connection timed out' "[GHS] every checker reports what it saw: a timeout"

# [VAL] "Invert health check status ... Route 53 considers health checks to be unhealthy when
# the status is healthy and vice versa": inverting the failing primary's check makes it
# healthy, so DNS sends traffic back to the dead region.
out=$(q route53 update-health-check --health-check-id "$hc" --inverted --query 'HealthCheck.HealthCheckConfig.Inverted')
is "$out" True "UpdateHealthCheck Inverted=true"
like "$(dns petclinic.example.com)" '^3\.34\.' "[VAL][CHO] an inverted failing primary check: DNS answers the primary (the dead region)"
st=$(q route53 get-health-check-status --health-check-id "$hc" --query 'HealthCheckObservations[].StatusReport.Status' | tr '\t' '\n' | sort -u)
is "$st" "Success: Inverted health check. Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being blocked by your firewall. See https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html" \
	"[GHS] each checker's report includes the inversion"
q route53 update-health-check --health-check-id "$hc" --no-inverted >/dev/null
like "$(dns petclinic.example.com)" '^54\.65\.' "inverted back: Tokyo again"

# [CHO] "If Route 53 considers both the primary and secondary records unhealthy, Route 53
# returns the primary record."
curl -s -X POST -d region-outage:ap-northeast-1 "$SIM_URL/_sim/fault" >/dev/null
tk=$(q route53 list-resource-record-sets --hosted-zone-id "$zid" \
	--query "ResourceRecordSets[?Name=='petclinic.example.com.' && Failover=='SECONDARY'].HealthCheckId")
for _ in $(seq 40); do
	[ "$(q route53 get-health-check-status --health-check-id "$tk" --query 'HealthCheckObservations[].StatusReport.Status' | tr '\t' '\n' | grep -c '^Success')" = 0 ] && break
	sleep 0.25
done
sleep 2   # FailureThreshold 2 x RequestInterval 30 s at time scale 15: the checkers flip
like "$(dns petclinic.example.com)" '^3\.34\.' "[CHO] both regions down: DNS answers the primary"

# A RECOVERY_CONTROL check follows its ARC routing control; the cell record that uses it
# is unhealthy while the control is Off, so the failover alias that inherits the cell's
# health ([ETH]) fails over.
start_sim
zid=$(q route53 list-hosted-zones --query 'HostedZones[0].Id' | sed 's|/hostedzone/||')
rc=$(q route53-recovery-cluster list-routing-controls --query "RoutingControls[?RoutingControlName=='petclinic-ap-northeast-2'].RoutingControlArn")
q route53-recovery-cluster update-routing-control-state --routing-control-arn "$rc" --routing-control-state Off >/dev/null
like "$(dns petclinic.example.com)" '^54\.65\.' "routing control Off: the Seoul cell is unhealthy and DNS answers Tokyo"
cell=$(q route53 list-resource-record-sets --hosted-zone-id "$zid" \
	--query "ResourceRecordSets[?Name=='seoul.petclinic.example.com.'].HealthCheckId")
is "$(q route53 get-health-check --health-check-id "$cell" --query 'HealthCheck.HealthCheckConfig.[Type,RoutingControlArn]')" \
	"RECOVERY_CONTROL	$rc" "the cell's health check is the routing control's"
like "$(q route53 get-health-check-status --health-check-id "$cell" --query 'HealthCheckObservations[0].StatusReport.Status')" \
	'^Failure: Routing control petclinic-ap-northeast-2 is Off' "its status says the control is Off"

# Calculated checks and EvaluateTargetHealth on a load balancer, in a scenario of their own.
cat > "$SIM_TMP/r53.yaml" <<'YAML'
scenario: r53
regions:
  - name: ap-northeast-2
    primary: true
    target_groups: [{name: web, asg: web-asg}, {name: spare}]
    auto_scaling_groups: [{name: web-asg, min: 1, max: 4, desired: 2, target_group: web}]
    load_balancers:
      - {name: lb1, listeners: [{port: 80, forward: [{target_group: web, weight: 1}, {target_group: spare, weight: 0}]}]}
  - name: ap-northeast-1
    target_groups: [{name: web, asg: web-asg}]
    auto_scaling_groups: [{name: web-asg, min: 1, max: 4, desired: 2, target_group: web}]
    load_balancers:
      - {name: lb2, listeners: [{port: 80, forward: [{target_group: web, weight: 1}]}]}
health_checks:
  - {ref: a, region: ap-northeast-2}
  - {ref: b, region: ap-northeast-1}
  - {ref: both, type: CALCULATED, children: [a, b], health_threshold: 2}
zones:
  - name: example.org
    records:
      - {name: app.example.org, set_id: p, failover: PRIMARY, alias_region: ap-northeast-2}
      - {name: app.example.org, set_id: s, failover: SECONDARY, alias_region: ap-northeast-1}
      - {name: calc.example.org, set_id: p, failover: PRIMARY, value: 10.0.0.1, health_check: both}
      - {name: calc.example.org, set_id: s, failover: SECONDARY, value: 10.0.0.2}
YAML
start_sim --scenario "$SIM_TMP/r53.yaml"
ok $? "a scenario with a calculated check and an empty target group"
zid=$(q route53 list-hosted-zones --query 'HostedZones[0].Id' | sed 's|/hostedzone/||')
calc=$(q route53 list-health-checks --query "HealthChecks[?HealthCheckConfig.Type=='CALCULATED'].Id")
is "$(q route53 get-health-check --health-check-id "$calc" --query 'HealthCheck.HealthCheckConfig.[HealthThreshold,length(ChildHealthChecks)]')" \
	"2	2" "a CALCULATED check lists HealthThreshold and its children"
out=$(awsx route53 get-health-check-status --health-check-id "$calc" 2>&1)
like "$out" 'InvalidInput' "[GHS] \"You can't use GetHealthCheckStatus to get the status of a calculated health check\""
is "$(dns calc.example.org)" "10.0.0.1" "the calculated check is healthy: the primary answers"
q route53 update-health-check --health-check-id "$calc" --health-threshold 3 >/dev/null
is "$(dns calc.example.org)" "10.0.0.2" "[API] HealthThreshold above the number of children: unhealthy, the secondary answers"
like "$(dns app.example.org)" '^54\.65\.' \
	"[ETH] \"A target group that has no registered targets is considered unhealthy\": lb1 is, the secondary answers"
done_testing
