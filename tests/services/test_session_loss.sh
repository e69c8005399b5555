#!/usr/bin/env bash
# Sessions lost in a Redis failover, end to end (the snapshot and the dashboard in tmux,
# the shipped flightdeck against the sim): a failover to a replica in sync loses nothing
# (the session loss target met at 0, the sessions panel's loss 0); a failover while the
# replica is still being replaced (a node replaced without replication) promotes an empty
# node: SessionLossRate, which the target reads, and the new primary's CacheHitRate, which
# the sessions panel reads (below AWS's 0.8: keys that "are evicted, expired, or do not
# exist"), both show the loss, and the target is missed.
# https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
# https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html
. "$FD_SRCDIR/tests/tui/lib.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
. "$FD_SRCDIR/tests/services/lib.sh"
trap 'tui_cleanup; stop_sims' EXIT

target='.targets[] | select(.name == "session loss rate")'
redis() { curl -s "$SIM_URL/_sim/state" | jq -r '.regions[0].redis | "\(.primary_node) \(.sessions_lost)"'; }
dashboard() { # the dashboard against the current sim, at 80x24
	tui_start 80 24 FLIGHTDECK_FAKE_MODEL=0 AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID \
		AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY AWS_REGION=ap-northeast-2 AWS_ENDPOINT_URL=$SIM_URL \
		AWS_EC2_METADATA_DISABLED=true -- --refresh 2
	tui_wait 'requests/s +[0-9.]+' 60 || ok 1 "the first collection arrives"
}

# a clean failover: the replica was in sync
services_sim
fault redis-failover:ap-northeast-2
is "$(redis)" "2 0" "clean: 002 took over, no sessions lost"
for i in $(seq 1 30); do snap; [ "$(sj "$target | .status")" = met ] && break; sleep 1; done
is "$(sj "$target | (.value | tostring) + \" \" + .status")" "0 met" "clean: the session loss target met at 0"
is "$(sj '.sessions[0] | (.session_loss | tostring) + " " + .summary')" "0 FAILOVER 0m ago" \
	"clean: the sessions panel's loss 0, the failover in words"
dashboard
tui_wait 'session loss rate +0 % +<= 0 % +met' 60
cap=$(tui_cap)
like "$cap" "session loss rate +0 % +<= 0 % +met" "clean, dashboard: the session loss target met at 0 %"
tui_keys q
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null

# a failover while the replica is still being replaced: the sessions are lost
services_sim
fault redis-failover:ap-northeast-2
fault redis-failover:ap-northeast-2
is "$(redis)" "1 1" "lossy: 001 took over while it was being replaced; the sessions were lost"
for i in $(seq 1 60); do snap; [ "$(sj "$target | .status")" = missed ] && break; sleep 1; done
is "$(sj "$target | .status")" missed "lossy: the session loss target is missed"
ok "$([ "$(sj "$target | .value > 0")" = true ]; echo $?)" "lossy: its value is above 0 ($(sj "$target | .value") %)"
# the panel's figure: CloudWatch publishes the minute of the loss 60-120 AWS seconds after it
for i in $(seq 1 200); do snap; [ "$(sj '.sessions[0].session_loss > 0')" = true ] && break; sleep 1; done
ok "$([ "$(sj '.sessions[0].session_loss > 0')" = true ]; echo $?)" \
	"lossy: the sessions panel's loss is above 0 ($(sj '.sessions[0].session_loss'))"
like "$(sj '.sessions[0] | .severity + " " + .summary')" "^bad SESSIONS LOST hit [0-9]+%$" \
	"lossy: the store is bad, its hit rate in the summary"
like "$(sj '.status.summary')" "PRIMARY REDIS SESSIONS LOST" "the status line says so"
dashboard
tui_wait 'session loss rate +[0-9.]+ % +<= 0 % +MISSED' 60
cap=$(tui_cap)
printf '%s\n' "$cap" | sed 's/^/# /'
like "$cap" "session loss rate +[0-9.]+ % +<= 0 % +MISSED" "lossy, dashboard: the session loss target MISSED"
tui_keys 0
tui_wait 'CacheHitRate is [0-9]+ %' 60
cap=$(tui_cap)
printf '%s\n' "$cap" | sed 's/^/# /'
like "$cap" "the primary's CacheHitRate is [0-9]+ % \(below 80 %\)" "lossy, dashboard: the sessions view says why"
tui_keys q
done_testing
