#!/bin/sh
# Fidelity: a latency fault slows each answer, not the server. An AWS endpoint answers
# concurrent requests independently; the sim's latency:MS fault must delay every answer
# by MS without holding one of its two worker threads (issue 12). No timed upper bound
# is asserted (figures belong to bench/sim_latency.sh): the proof is structural — the
# server reports the most delayed answers that ever waited at once (/_sim/state
# delayed_peak), which a server sleeping in its 2 worker threads could not exceed 2.
# Timing uses bench/sim_load (signed requests on libcurl's multi interface).
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
load="$FD_BUILDDIR/bench/sim_load"
start_sim --fault latency:50
ok $? "sim started with latency:50"
body="Action=DescribeLoadBalancers&Version=2015-12-01"
burst() { "$load" "$SIM_URL" elasticloadbalancing ap-northeast-2 "$body" burst "$1"; }
peak() { curl -s "$SIM_URL/_sim/state" | jq '.delayed_peak'; }
one=$(burst 1)
ok "$(awk -v a="$one" 'BEGIN { exit !(a >= 50) }'; echo $?)" "one call takes at least the 50 ms of latency ($one ms)"
is "$(peak)" 1 "one call: one answer waited"

# 50 at once under a 1 s latency: the answers wait together, not two at a time.
curl -s -X POST -d "latency:1000" "$SIM_URL/_sim/fault" > /dev/null
fifty=$(burst 50)
p=$(peak)
ok "$(awk -v p="$p" 'BEGIN { exit !(p > 2) }'; echo $?)" \
	"50 concurrent calls: $p answers waited at once, more than the 2 worker threads ($fifty ms in all)"
ok "$(awk -v b="$fifty" 'BEGIN { exit !(b >= 1000) }'; echo $?)" "and each waited its 1 s ($fifty ms)"
is "$(curl -s "$SIM_URL/_sim/requests" | jq '[.[] | select(.operation == "DescribeLoadBalancers" and .status == 200)] | length')" \
	51 "every call was answered"

# a dropped request is delayed too, then closed without an answer
curl -s -X POST -d "drop:1" "$SIM_URL/_sim/fault" > /dev/null
dropped=$(burst 50 2>/dev/null)
ok "$(awk -v b="$dropped" 'BEGIN { exit !(b >= 1000) }'; echo $?)" "50 dropped calls are closed only after the latency ($dropped ms)"
done_testing
