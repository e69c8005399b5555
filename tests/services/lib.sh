# tests/services/lib.sh — what the services tests share; source it after tests/sim/lib.sh.
#   services_sim [ARGS...]  start the sim (--seed 17 and ARGS), or end the test with one failure
#   q ARGS...               Debian's aws-cli against the sim, text output
#   mq ID NS NAME STAT [DIMS] [PERIOD]  one GetMetricData query (DIMS a JSON list, PERIOD 60)
#   gmd QUERIES JMESPATH [ARGS...]      aws-cli get-metric-data over the last 15 minutes
#   snap [ARGS...]          flightdeck snapshot --json against $SIM_URL into $SIM_TMP/snap.json
#   sj FILTER               jq -r FILTER on the last snapshot
#   fault SPEC              POST /_sim/fault
#   sent SERVICE OP         how many times the sim received OP (from /_sim/requests)
services_sim() {
	if ! start_sim --seed 17 "$@"; then echo "1..1"; echo "not ok 1 - sim started"; exit 1; fi
}
q() { awsx "$@" --output text; }
mq() {
	printf '{"Id":"%s","MetricStat":{"Metric":{"Namespace":"%s","MetricName":"%s","Dimensions":%s},"Period":%s,"Stat":"%s"}}' \
		"$1" "$2" "$3" "${5:-[]}" "${6:-60}" "$4"
}
gmd() {
	local qs=$1 path=$2
	shift 2
	q cloudwatch get-metric-data --metric-data-queries "$qs" \
		--start-time "${GMD_START:-$(date -u -d '-15 min' +%Y-%m-%dT%H:%M:%SZ)}" \
		--end-time "${GMD_END:-$(date -u -d '+1 min' +%Y-%m-%dT%H:%M:%SZ)}" --query "$path" "$@"
}
snap() {
	env -i PATH=/usr/bin:/bin HOME="$HOME" XDG_STATE_HOME="$SIM_TMP/state" XDG_CONFIG_HOME="$SIM_TMP/config" \
		AWS_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" AWS_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY" \
		"$FD_BIN" --endpoint-url "$SIM_URL" snapshot --json "$@" >"$SIM_TMP/snap.json" 2>"$SIM_TMP/snap.err"
}
sj() { jq -r "$1" "$SIM_TMP/snap.json"; }
fault() { curl -s -X POST --data "$1" "$SIM_URL/_sim/fault" >/dev/null; }
sent() { curl -s "$SIM_URL/_sim/requests" | jq "[.[] | select(.service == \"$1\" and .operation == \"$2\")] | length"; }
