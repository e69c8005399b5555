#!/usr/bin/env bash
# test_botocore.sh — sign 1200 random requests (fixed seed) with flightdeck and
# with botocore (Debian python3-botocore via /usr/bin/python3); every canonical
# request and Authorization must be identical. One TAP point per request.
. "$FD_SRCDIR/tests/tap.sh"
if ! /usr/bin/python3 -c 'import botocore' 2>/dev/null; then
	ok 1 "botocore is importable by /usr/bin/python3 (install python3-botocore)"
	done_testing
	exit 1
fi
exec env -i HOME="${TMPDIR:-/tmp}" PATH="$PATH" ASAN_OPTIONS="${ASAN_OPTIONS:-}" \
	UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" LSAN_OPTIONS="${LSAN_OPTIONS:-}" \
	/usr/bin/python3 "$FD_SRCDIR/tests/sigv4/botocore_diff.py" "$FD_BUILDDIR/tests/sigv4/sign_stream" 1200 20150830
