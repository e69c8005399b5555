#!/usr/bin/env bash
# timed.sh CMD...: run one test and add its wall time to $FD_BUILDDIR/test-times.txt
# (seconds, then the test), so dev.sh can name the slowest tests: CI has a time budget.
start=$EPOCHREALTIME
"$@"
rc=$?
end=$EPOCHREALTIME
printf '%s %s\n' "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')" "${!#}" \
	>>"${FD_BUILDDIR:-.}/test-times.txt"
exit "$rc"
