#!/bin/sh
# botocore against flightdeck sim's CloudWatch, Route 53, X-Ray and ARC (svc_botocore.py).
. "$FD_SRCDIR/tests/sim/lib.sh"
if ! start_sim --seed 3; then echo "1..1"; echo "not ok 1 - sim started"; exit 1; fi
/usr/bin/python3 "$FD_SRCDIR/tests/sim/svc_botocore.py" "$SIM_URL"
