#!/usr/bin/env bash
# bench/safety.sh — figures of issue 10: runbook validation time against the number of
# steps (linear: 1,000 vs 10,000 steps; jq programs all alike, differing only in names
# and numbers (one shape: compiled once), and each of its own shape (a function of its
# own: each compiled)), CPU time, median of 3.
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
