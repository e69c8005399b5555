#!/bin/sh
# test_shapes.sh — differential: every read operation the simulator serves, called
# through botocore (Debian python3-botocore) and through `flightdeck call`, must give
# the same shape (keys, lists even of one, number/boolean/string types, timestamps).
. "$FD_SRCDIR/tests/tap.sh"

if ! /usr/bin/python3 -c 'import botocore' 2>/dev/null; then
	echo "1..0 # SKIP python3-botocore is not installed"
	exit 0
fi
. "$FD_SRCDIR/tests/sim/lib.sh"
start_sim || { echo "Bail out! the simulator did not start"; exit 1; }
ep=$SIM_URL
tmp=$SIM_TMP

env -i PATH=/usr/bin:/bin HOME="$tmp" AWS_CONFIG_FILE="$tmp/none" AWS_SHARED_CREDENTIALS_FILE="$tmp/none" \
	AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret \
	AWS_REGION=ap-northeast-2 AWS_DEFAULT_REGION=ap-northeast-2 \
	/usr/bin/python3 "$FD_SRCDIR/tests/client/shape_diff.py" "$ep" "$FD_BIN" \
	"$FD_SRCDIR/tests/client/input/get-metric-data.json"
