#!/usr/bin/env bash
# bench/run.sh — run every bench/*.sh and print one table of their rows.
# A bench script prints TSV rows: figure<TAB>value<TAB>comparison-or-unit.
# FD_BENCH_MARKDOWN=1 prints the table as Markdown (for README.md).
# The table ends with the figures the issues ask for that no row reported.
set -u
dir=$(cd "$(dirname "$0")" && pwd)
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
for s in "$dir"/*.sh; do
	[ "$(basename "$s")" = run.sh ] && continue
	echo "bench: $(basename "$s" .sh) ..." >&2
	bash "$s" >>"$rows" || printf '%s\tFAILED\t(exit %s)\n' "$(basename "$s" .sh)" "$?" >>"$rows"
done

# The figures issues 2, 4 and 5 ask for: a pattern a row's figure must match, and the name.
wanted=(
	'^signing:.*|signing vs botocore (issue 2)'
	'^client: 20 calls.*concurrent|20 concurrent calls vs one after another (issue 2)'
	'^sim: DescribeTargetHealth requests/s|sim DescribeTargetHealth requests/s (issue 4)'
	'^sim: RSS petclinic|sim RSS, petclinic scenario (issue 4)'
	'^sim scale:|sim scale scenario served and paged (issue 4)'
	'^model: one full collection|one collection vs aws-cli (issue 5)'
	'^tui: CPU at rest|TUI CPU at rest (issue 5)'
	'^tui: bytes per refresh|TUI bytes per refresh (issue 5)'
	'^tui: peak RSS with the scale|TUI peak RSS, scale scenario (issue 5)'
	'^tui: time to first frame|TUI time to first frame (issue 5; before/after issue 16)'
	'^tui: wake-ups at rest|TUI wake-ups at rest (issue 16)'
	'^wire: decode DescribeAutoScalingGroups|decode of 2000 ASG instances, hint scheme vs shape tables (issue 11)'
	'^wire: decode ListHealthChecks|decode of 500 health checks, hint scheme vs shape tables (issue 11)'
	'^wire: flightdeck binary|binary size before and after the shape tables (issue 11)'
	'^sim: 50 concurrent calls under latency|50 concurrent calls under latency:50 vs one (issue 12)'
	'^sim: one dashboard collection under latency|a dashboard collection under latency:50 vs its dependency floor (issue 12)'
	'^runbook validate: 10,000 steps|validation of a 10,000-step runbook (issue 10)'
	'^run lock: 50 simultaneous|50 simultaneous starts, from no lock and from a stale lock (issue 10)'
	'^snapshot: peak RSS against 100 MB|snapshot peak RSS against 100 MB answers (issue 10)'
)

w=$(awk -F'\t' '{ if (length($1) > w) w = length($1) } END { print w + 0 }' "$rows")
[ "$w" -lt 6 ] && w=6
if [ "${FD_BENCH_MARKDOWN:-}" = 1 ]; then
	echo "| figure | value | comparison / unit |"
	echo "| --- | ---: | --- |"
	awk -F'\t' 'NF >= 2 { printf "| %s | %s | %s |\n", $1, $2, $3 }' "$rows"
else
	printf '%-*s %12s  %s\n' "$w" "figure" "value" "comparison / unit"
	printf '%-*s %12s  %s\n' "$w" "------" "-----" "-----------------"
	while IFS=$'\t' read -r fig val cmp; do
		[ -n "$fig" ] && printf '%-*s %12s  %s\n' "$w" "$fig" "$val" "$cmp"
	done <"$rows"
fi
missing=0
for x in "${wanted[@]}"; do
	if ! cut -f1 "$rows" | grep -Eq -- "${x%%|*}"; then
		[ "$missing" = 0 ] && echo && echo "figures no bench reported:"
		echo "  - ${x#*|}"
		missing=$((missing + 1))
	fi
done
exit 0
