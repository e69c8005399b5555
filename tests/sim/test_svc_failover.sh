#!/bin/sh
# A region outage through the sim's Route 53, CloudWatch and ELB (svc_failover.py).
. "$FD_SRCDIR/tests/sim/lib.sh"
if ! start_sim --seed 11; then echo "1..1"; echo "not ok 1 - sim started"; exit 1; fi
/usr/bin/python3 "$FD_SRCDIR/tests/sim/svc_failover.py" "$SIM_URL"
