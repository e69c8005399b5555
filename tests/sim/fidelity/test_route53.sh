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
# [GHS] "HealthCheckObservations: A list that contains one HealthCheckObservation element for
# each Amazon Route 53 health checker that is reporting a status about the health check
# endpoint", each with its Region (botocore's HealthCheckRegion: AWS's eight default regions).
regions=$(q route53 get-health-check-status --health-check-id "$hc" --query 'HealthCheckObservations[].Region' | tr '\t' '\n' | sort | tr '\n' ' ')
is "$regions" "ap-northeast-1 ap-southeast-1 ap-southeast-2 eu-west-1 sa-east-1 us-east-1 us-west-1 us-west-2 " \
	"[GHS] one observation per checker region"
bad=$(awsx route53 get-health-check-status --health-check-id "$hc" | /usr/bin/python3 -c '
import json, sys, botocore.session
enum = botocore.session.get_session().get_service_model("route53").shape_for("HealthCheckRegion").enum
print(sorted({o["Region"] for o in json.load(sys.stdin)["HealthCheckObservations"]} - set(enum)))')
is "$bad" "[]" "[GHS] every Region is one of botocore's HealthCheckRegion values"

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
# Poll (up to 60 s: CI under load) until Tokyo's checkers have flipped and DNS moves.
for _ in $(seq 240); do
	case "$(dns petclinic.example.com)" in 3.34.*) break ;; esac
	sleep 0.25
done
like "$(dns petclinic.example.com)" '^3\.34\.' "[CHO] both regions down: DNS answers the primary"
st=$(q route53 get-health-check-status --health-check-id "$hc" --query 'HealthCheckObservations[].StatusReport.Status' | tr '\t' '\n' | sort -u)
like "$st" '^Failure: Connection timed out' "... while the primary's check still fails (both unhealthy, not Seoul back)"
st=$(q route53 get-health-check-status --health-check-id "$tk" --query 'HealthCheckObservations[].StatusReport.Status' | tr '\t' '\n' | grep -c '^Success')
is "$st" 0 "... and no checker sees Tokyo healthy"

# [DET][API] Checkers observe every RequestInterval and change their view after
# FailureThreshold consecutive results, and the check is unhealthy only when 18% of them
# or fewer see the endpoint healthy. So when DNS first moves after an outage that began
# after t0, at least 7 of the 8 checkers have seen FailureThreshold failures in a row, the
# last of them (their CheckedTime) at least (FailureThreshold - 1) x RequestInterval after
# t0. AWS's timing (--time-scale 1) with a 10 s interval and a threshold of 3: 20 s, far
# more than reading DNS takes (a sim flipping at the first failure moves DNS within 10 s).
# A lower bound only: under load DNS is read later, never earlier.
cat > "$SIM_TMP/flip.yaml" <<'YAML'
scenario: flip
regions:
  - name: ap-northeast-2
    primary: true
    target_groups: [{name: web, asg: web-asg}]
    auto_scaling_groups: [{name: web-asg, min: 1, max: 4, desired: 2, target_group: web}]
    load_balancers:
      - {name: lb1, listeners: [{port: 80, forward: [{target_group: web, weight: 1}]}]}
  - name: ap-northeast-1
    target_groups: [{name: web, asg: web-asg}]
    auto_scaling_groups: [{name: web-asg, min: 1, max: 4, desired: 2, target_group: web}]
    load_balancers:
      - {name: lb2, listeners: [{port: 80, forward: [{target_group: web, weight: 1}]}]}
health_checks:
  - {ref: a, region: ap-northeast-2, request_interval: 10, failure_threshold: 3}
zones:
  - name: example.org
    records:
      - {name: app.example.org, set_id: p, failover: PRIMARY, value: 10.0.0.1, health_check: a}
      - {name: app.example.org, set_id: s, failover: SECONDARY, value: 10.0.0.2}
YAML
start_sim --time-scale 1 --scenario "$SIM_TMP/flip.yaml"
ok $? "a check with RequestInterval 10 and FailureThreshold 3, at AWS's timing"
zid=$(q route53 list-hosted-zones --query 'HostedZones[0].Id' | sed 's|/hostedzone/||')
hc=$(q route53 list-resource-record-sets --hosted-zone-id "$zid" --query "ResourceRecordSets[?Failover=='PRIMARY'].HealthCheckId")
is "$(q route53 get-health-check --health-check-id "$hc" --query 'HealthCheck.HealthCheckConfig.[RequestInterval,FailureThreshold]')" \
	"10	3" "[API] the check reports its RequestInterval and FailureThreshold"
is "$(dns app.example.org)" "10.0.0.1" "healthy: DNS answers the primary"
t0=$(date +%s.%N)
curl -s -X POST -d region-outage:ap-northeast-2 "$SIM_URL/_sim/fault" >/dev/null
for _ in $(seq 360); do
	[ "$(dns app.example.org)" = 10.0.0.2 ] && break
	sleep 0.25
done
is "$(dns app.example.org)" "10.0.0.2" "the primary's region down: DNS fails over"
n=$(awsx route53 get-health-check-status --health-check-id "$hc" | jq --argjson t0 "$t0" '
	[.HealthCheckObservations[] | select((.StatusReport.Status | startswith("Failure")) and
		((.StatusReport.CheckedTime | capture("^(?<s>[^.+Z]+)(?<f>\\.[0-9]+)?") |
		  (.s + "Z" | fromdateiso8601) + ("0" + (.f // ".0") | tonumber)) >= $t0 + 20))] | length')
ok "$([ "$n" -ge 7 ]; echo $?)" \
	"[DET] at the failover $n of 8 checkers had failed 3 times in a row, the last at least 2 x 10 s after the outage"

# [DET] A health checker sends GET ResourcePath to the load balancer, whose listener rules
# answer it: a rule answering the health path with a fixed 503 fails the check and DNS
# fails over; routing the path to the healthy targets again brings DNS back.
# [RCT] https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
start_sim
zid=$(q route53 list-hosted-zones --query 'HostedZones[0].Id' | sed 's|/hostedzone/||')
hc=$(q route53 list-resource-record-sets --hosted-zone-id "$zid" \
	--query "ResourceRecordSets[?Name=='petclinic.example.com.' && Failover=='PRIMARY'].HealthCheckId")
is "$(q route53 get-health-check --health-check-id "$hc" --query 'HealthCheck.HealthCheckConfig.ResourcePath')" \
	"/actuator/health" "the primary's check asks /actuator/health"
lb=$(awsx elbv2 describe-load-balancers --query 'LoadBalancers[0].LoadBalancerArn' | jq -r .)
listener=$(awsx elbv2 describe-listeners --load-balancer-arn "$lb" --query 'Listeners[0].ListenerArn' | jq -r .)
rule=$(awsx elbv2 describe-rules --listener-arn "$listener" --query 'Rules[?IsDefault==`false`].RuleArn | [0]' | jq -r .)
awsx elbv2 modify-rule --rule-arn "$rule" --conditions '[{"Field":"path-pattern","PathPatternConfig":{"Values":["/actuator/*"]}}]' \
	--actions 'Type=fixed-response,FixedResponseConfig={StatusCode=503,ContentType=text/plain,MessageBody=down}' >/dev/null
for _ in $(seq 240); do
	case "$(dns petclinic.example.com)" in 54.65.*) break ;; esac
	sleep 0.25
done
like "$(dns petclinic.example.com)" '^54\.65\.' "[DET][RCT] a rule answering the health path with 503: the check fails, DNS answers Tokyo"
like "$(q route53 get-health-check-status --health-check-id "$hc" --query 'HealthCheckObservations[0].StatusReport.Status')" \
	'^Failure: HTTP Status Code 503' "the checkers saw the 503"
like "$(curl -s "$SIM_URL/_sim/app/ap-northeast-2/")" '^petclinic (ok|error) region=ap-northeast-2 tg=petclinic-tg-blue' \
	"while the application's own path is served by the targets"
awsx elbv2 modify-rule --rule-arn "$rule" --conditions '[{"Field":"path-pattern","PathPatternConfig":{"Values":["/api/*"]}}]' >/dev/null
for _ in $(seq 240); do
	case "$(dns petclinic.example.com)" in 3.34.*) break ;; esac
	sleep 0.25
done
like "$(dns petclinic.example.com)" '^3\.34\.' "the rule no longer takes the health path: the check recovers, DNS answers Seoul"

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
