# tests/services/lib.sh — what the services tests share; source it after tests/sim/lib.sh.
#   snap [ARGS...]      flightdeck snapshot --json against $SIM_URL into $SIM_TMP/snap.json
#   sj FILTER           jq -r FILTER on the last snapshot
#   fault SPEC          POST /_sim/fault
#   sent SERVICE OP     how many times the sim received OP (from /_sim/requests)
snap() {
	env -i PATH=/usr/bin:/bin HOME="$HOME" XDG_STATE_HOME="$SIM_TMP/state" XDG_CONFIG_HOME="$SIM_TMP/config" \
		AWS_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" AWS_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY" \
		"$FD_BIN" --endpoint-url "$SIM_URL" snapshot --json "$@" >"$SIM_TMP/snap.json" 2>"$SIM_TMP/snap.err"
}
sj() { jq -r "$1" "$SIM_TMP/snap.json"; }
fault() { curl -s -X POST --data "$1" "$SIM_URL/_sim/fault" >/dev/null; }
sent() { curl -s "$SIM_URL/_sim/requests" | jq "[.[] | select(.service == \"$1\" and .operation == \"$2\")] | length"; }
