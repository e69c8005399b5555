#!/usr/bin/env bash
# bench/services.sh — issue 17's panels (sessions: ElastiCache, cdn: CloudFront) in one
# full collection (`flightdeck snapshot --json` against the sim), side by side in the
# same run: with them (the default) and without (stack.sessions / stack.cdn false).
# Median of 5 runs each, and the calls each collection makes.
set -u
. "$(dirname "$0")/lib/sim.sh"
printf 'stack:\n  sessions: false\n  cdn: false\n' >"$tmp/without.yaml"
printf 'stack:\n  sessions: true\n  cdn: true\n' >"$tmp/with.yaml"
now_ms() { date +%s%3N; }
requests() { curl -s "$url/_sim/requests" | jq length; }

# run CONFIG: median ms and calls per collection
run() {
	local before times=() t0
	before=$(requests)
	for _ in 1 2 3 4 5; do
		t0=$(now_ms)
		"$FD_BIN" --endpoint-url "$url" --config "$1" snapshot --json >/dev/null 2>&1
		[ $? -le 1 ] || return 1
		times+=($(( $(now_ms) - t0 )))
	done
	printf '%s %s' "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)" $(( ($(requests) - before) / 5 ))
}
read -r w_ms w_calls <<<"$(run "$tmp/with.yaml")" || exit 1
read -r o_ms o_calls <<<"$(run "$tmp/without.yaml")" || exit 1
read -r w2_ms _ <<<"$(run "$tmp/with.yaml")" || exit 1
printf 'services: full collection without sessions+cdn (ms)\t%s\t%s calls\n' "$o_ms" "$o_calls"
printf 'services: full collection with sessions+cdn (ms)\t%s\t%s calls (again: %s ms)\n' "$w_ms" "$w_calls" "$w2_ms"
printf 'services: calls added per full refresh\t%s\n' $(( w_calls - o_calls ))
