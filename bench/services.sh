#!/usr/bin/env bash
# bench/services.sh — issue 17's panels (sessions: ElastiCache, cdn: CloudFront) in one
# full collection (`flightdeck snapshot --json` against the sim), side by side in the
# same run: with them (the default) and without (stack.sessions / stack.cdn false).
# Median of 5 runs each, and the calls each collection makes.
set -u
tmp=$(mktemp -d)
sim_pid=
trap '[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
"$FD_BIN" sim --listen 127.0.0.1:0 >"$tmp/sim.out" 2>/dev/null &
sim_pid=$!
for _ in $(seq 100); do grep -q listening "$tmp/sim.out" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$tmp/sim.out")
[ -n "$url" ] || exit 1
export HOME="$tmp" AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret \
	AWS_EC2_METADATA_DISABLED=true XDG_STATE_HOME="$tmp/state" XDG_CONFIG_HOME="$tmp/config"
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
