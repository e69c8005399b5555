#!/usr/bin/env bash
# test_r53_shown.sh — the Route 53 view against the simulator's scale scenario (504 health
# checks): the dashboard asks GetHealthCheckStatus for the checks the failover records use
# every refresh, the ones on screen in turn (at least 5 a refresh, more as the panel's budget
# of 3 Route 53 requests a second allows), and 5 others in turn, not one call per check
# (Route 53 takes 5 API requests a second per account:
# https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-requests).
. "$FD_SRCDIR/tests/tui/lib.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
trap 'tui_cleanup; stop_sims' EXIT

start_sim --seed 7 --scenario scale || { ok 1 "the scale simulator starts"; done_testing; exit; }
tui_start 200 50 FLIGHTDECK_FAKE_MODEL=0 LANG=C NO_COLOR=1 AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID \
	AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY AWS_REGION=ap-northeast-2 AWS_ENDPOINT_URL=$SIM_URL \
	AWS_EC2_METADATA_DISABLED=true -- --refresh 2
tui_keys ':route53' Enter
tui_wait 'Route 53 health checks' 60
like "$(tui_cap)" 'Route 53 health checks' ':route53 shows the health checks'
# the check rows on screen: an id (36 characters wide) then its state
rows() { tui_cap | sed -n '/Route 53 health checks/,$p' | grep -E '^ [A-Za-z0-9-]{8,36} +(healthy|UNHEALTHY|unknown) '; }
n=0
for i in $(seq 1 1200); do   # poll: up to 120 s under load
	r=$(rows)
	n=$(printf '%s\n' "$r" | grep -c . || true)
	[ "$n" -ge 10 ] && ! printf '%s\n' "$r" | grep -q ' unknown ' && break
	sleep 0.1
done
ok "$([ "$n" -ge 10 ]; echo $?)" "at least 10 check rows on screen ($n)"
is "$(printf '%s\n' "$r" | grep -c ' unknown ')" 0 "every check on screen has a known state (its status is read)"
log=$(curl -s "$SIM_URL/_sim/requests")
zones=$(printf '%s' "$log" | jq '[.[] | select(.operation == "ListHostedZones")] | length')
calls=$(printf '%s' "$log" | jq '[.[] | select(.operation == "GetHealthCheckStatus")] | length')
ok "$([ "$zones" -ge 2 ]; echo $?)" "at least two refreshes ($zones)"
echo "# GetHealthCheckStatus: $calls calls in $zones refreshes (one per check would be 504 a refresh)"
# the records' 4 checks + the rows on screen + 5 in turn, each refresh
ok "$([ "$zones" -ge 1 ] && [ "$calls" -le $((zones * (4 + n + 5))) ]; echo $?)" \
	"at most the records' checks, the shown ones and 5 more a refresh ($calls <= $zones x $((4 + n + 5)))"
done_testing
