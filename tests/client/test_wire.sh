#!/bin/sh
# test_wire.sh — the wire layer against botocore (Debian python3-botocore) for
# every operation of the table: responses generated from the service models read
# by botocore's parsers and by flightdeck's client, requests built by botocore's
# serializers and by flightdeck's; paginators against paginators-1.json
# and the simulator's side (aws/codec_server.h) in round trips with botocore
# (tests/client/wire_diff.py says how). FD_WIRE_SEEDS sets the seeds (20).
. "$FD_SRCDIR/tests/tap.sh"

if ! /usr/bin/python3 -c 'import botocore' 2>/dev/null; then
	echo "1..0 # SKIP python3-botocore is not installed"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
FD_TMP=$tmp /usr/bin/python3 "$FD_SRCDIR/tests/client/wire_diff.py" "$FD_BUILDDIR/tests/client/wire_call" \
	"$FD_BIN" --wire-server "$FD_BUILDDIR/tests/client/wire_server" --seeds "${FD_WIRE_SEEDS:-20}" \
	--only decode,encode,pages,server
