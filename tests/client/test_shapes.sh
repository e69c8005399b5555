#!/bin/sh
# test_shapes.sh — differential: every read operation the simulator serves, called
# through botocore (Debian python3-botocore) and through `flightdeck call`, must give
# the same shape (keys, lists even of one, number/boolean/string types, timestamps).
. "$FD_SRCDIR/tests/tap.sh"

if ! /usr/bin/python3 -c 'import botocore' 2>/dev/null; then
	echo "1..0 # SKIP python3-botocore is not installed"
	exit 0
fi
tmp=$(mktemp -d)
sim_pid=
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM

"$FD_BIN" sim --listen 127.0.0.1:0 >"$tmp/sim.out" 2>"$tmp/sim.err" &
sim_pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q 'listening on' "$tmp/sim.out"; do sleep 0.1; i=$((i + 1)); done
ep=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$tmp/sim.out")
[ -n "$ep" ] || { echo "Bail out! the simulator did not start: $(cat "$tmp/sim.err")"; exit 1; }

env -i PATH=/usr/bin:/bin HOME="$tmp" AWS_CONFIG_FILE="$tmp/none" AWS_SHARED_CREDENTIALS_FILE="$tmp/none" \
	AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret \
	AWS_REGION=ap-northeast-2 AWS_DEFAULT_REGION=ap-northeast-2 \
	/usr/bin/python3 "$FD_SRCDIR/tests/client/shape_diff.py" "$ep" "$FD_BIN" \
	"$FD_SRCDIR/tests/client/input/get-metric-data.json"
