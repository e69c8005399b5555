#!/bin/sh
# test_findings.sh — each place issue 11 found the hand-written hint scheme wrong
# (types, empty lists, name collisions, query maps and list names, timestamps,
# doubles, json error codes, long error messages), one named test each, through
# `flightdeck call` against botocore (tests/client/wire_findings.py says how).
. "$FD_SRCDIR/tests/tap.sh"

if ! /usr/bin/python3 -c 'import botocore' 2>/dev/null; then
	echo "1..0 # SKIP python3-botocore is not installed"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
FD_TMP=$tmp /usr/bin/python3 "$FD_SRCDIR/tests/client/wire_findings.py" "$FD_BUILDDIR/tests/client/wire_call" "$FD_BIN"
