#!/usr/bin/env bash
# bench/run.sh — run every bench/*.sh and print one table of their rows.
# A bench script prints TSV rows: figure<TAB>value<TAB>comparison-or-unit.
set -u
dir=$(cd "$(dirname "$0")" && pwd)
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
for s in "$dir"/*.sh; do
	[ "$(basename "$s")" = run.sh ] && continue
	echo "bench: $(basename "$s" .sh) ..." >&2
	bash "$s" >>"$rows" || printf '%s\tFAILED\t(exit %s)\n' "$(basename "$s" .sh)" "$?" >>"$rows"
done
printf '%-58s %14s  %s\n' "figure" "value" "comparison / unit"
printf '%-58s %14s  %s\n' "------" "-----" "-----------------"
while IFS=$'\t' read -r fig val cmp; do
	[ -n "$fig" ] && printf '%-58s %14s  %s\n' "$fig" "$val" "$cmp"
done <"$rows"
