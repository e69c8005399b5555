#!/usr/bin/env bash
# bench/safety.sh — figures of issue 10: runbook validation time against the number of
# steps (linear: 1,000 vs 10,000 steps; jq programs all alike, differing only in names
# and numbers (one shape: compiled once), and each of its own shape (a function of its
# own: each compiled)), CPU time, median of 3; the run lock against 50 simultaneous
# starts; a snapshot's peak RSS against a server answering 100 MB to every request.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# gen N distinct|same: a runbook of N assert steps, each reading the previous step's
# output, with an on_failure jump forward (no loop).
gen() {
	/usr/bin/python3 - "$1" "$2" <<'EOF'
import sys
n, kind = int(sys.argv[1]), sys.argv[2]
print("description: %d steps\nsteps:" % n)
for i in range(n):
    k = i if kind != "same" else 0
    print("  - name: s%d\n    action: assert" % i)
    if i + 2 < n:
        print("    on_failure: step:s%d" % (i + 2))
    value = "{a0: 0}" if i == 0 else "'{{ s%d.Out }}'" % (i - 1)
    cond = "def f%d: .a%d; f%d >= 0" % (k, k, k) if kind == "shapes" else ".a%d >= 0" % k
    print("    inputs: {value: %s, condition: '%s'}" % (value, cond))
    print("    outputs: {Out: '{a%d: .a%d}'}" % (k + 1 if kind != "same" else 0, k))
EOF
}
ms() { # ms FILE: median CPU time (user + system) of 3 validations, in ms
	local i
	for i in 1 2 3; do
		/usr/bin/time -f '%U %S' -o "$tmp/time" "$FD_BIN" runbook validate "$1" > /dev/null
		awk '{ printf "%d\n", ($1 + $2) * 1000 }' "$tmp/time"
	done | median
}
for kind in same distinct shapes; do
	gen 1000 "$kind" > "$tmp/$kind-1k.yaml"
	gen 10000 "$kind" > "$tmp/$kind-10k.yaml"
	a=$(ms "$tmp/$kind-1k.yaml")
	b=$(ms "$tmp/$kind-10k.yaml")
	printf 'runbook validate: 10,000 steps, jq programs %s\t%s\tms (1,000 steps: %s ms; ratio %s for 10x the steps)\n' \
		"$kind" "$b" "$a" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", a ? b / a : 0 }')"
done

# The run lock: 50 `runbook run` of one runbook started at the same moment (a go file),
# from no lock and then from the lock the killed winner left; how many proceeded.
lockrace() {
	local round=$1 i t started refused pids=()
	for ((i = 0; i < 50; i++)); do
		( : > "$tmp/ready.$round.$i"
		  while [ ! -e "$tmp/go.$round" ]; do sleep 0.005; done
		  exec "$FD_BIN" runbook run "$tmp/hold.yaml" --yes ) > "$tmp/lock.$round.$i" 2>&1 </dev/null &
		pids+=($!)
	done
	for ((t = 0; t < 1000; t++)); do
		[ "$(ls "$tmp" | grep -c "^ready\.$round\.")" -ge 50 ] && break
		sleep 0.02
	done
	: > "$tmp/go.$round"
	for ((t = 0; t < 600; t++)); do
		sleep 0.1
		started=$(grep -l '^runbook hold: run ' "$tmp"/lock."$round".* 2>/dev/null | wc -l)
		refused=$(grep -l 'is being run by\|cannot take the lock' "$tmp"/lock."$round".* 2>/dev/null | wc -l)
		[ $((started + refused)) -ge 50 ] && break
	done
	kill -9 "${pids[@]}" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null
	echo "$started"
}
printf 'description: holds the lock\nsteps:\n  - {name: hold, action: sleep, inputs: {duration: 120s}}\n' > "$tmp/hold.yaml"
"$FD_BIN" sim --listen 127.0.0.1:0 > "$tmp/sim.out" 2>&1 &
simpid=$!
for _ in $(seq 300); do grep -q listening "$tmp/sim.out" && break; sleep 0.1; done
(
	export HOME=$tmp XDG_STATE_HOME=$tmp/state AWS_ENDPOINT_URL=$(grep -o 'http://[0-9.:]*' "$tmp/sim.out" | head -1)
	export AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret AWS_REGION=ap-northeast-2
	clean=$(lockrace 1)
	stale=$(lockrace 2)
	printf 'run lock: 50 simultaneous runbook runs proceeding, from no lock / from a stale lock\t%s / %s\tof 50 (issue: exactly 1; before: 9 of 30)\n' "$clean" "$stale"
)
kill "$simpid" 2>/dev/null; wait "$simpid" 2>/dev/null

# A snapshot against a server answering 100 MB to every request: peak RSS with the
# default per-call cap (256 MiB) and with --max-call-mib 64, median of 3.
/usr/bin/python3 "$FD_SRCDIR/tests/big_server.py" 100000000 > "$tmp/bigport" &
big=$!
for _ in $(seq 100); do [ -s "$tmp/bigport" ] && break; sleep 0.05; done
rss() { # rss [--max-call-mib N]: median peak RSS (MB) of 3 snapshots against the server
	local i
	for i in 1 2 3; do
		env -i PATH=/usr/bin:/bin HOME="$tmp" AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=x AWS_REGION=ap-northeast-2 \
			AWS_MAX_ATTEMPTS=1 AWS_EC2_METADATA_DISABLED=true /usr/bin/time -f '%M' -o "$tmp/rss" \
			"$FD_BIN" "$@" --endpoint-url "http://127.0.0.1:$(cat "$tmp/bigport")" snapshot >/dev/null 2>&1 || true
		tail -1 "$tmp/rss" | awk '{ printf "%d\n", $1 / 1000 }'   # (time says the exit status first: 2)
	done | median
}
printf 'snapshot: peak RSS against 100 MB answers, default cap (256 MiB a call)\t%s\tMB (issue: 515 MB before the cap)\n' "$(rss)"
printf 'snapshot: peak RSS against 100 MB answers, --max-call-mib 64\t%s\tMB\n' "$(rss --max-call-mib 64)"
kill "$big" 2>/dev/null; wait "$big" 2>/dev/null
