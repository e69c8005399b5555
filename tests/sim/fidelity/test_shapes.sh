#!/bin/sh
# Fidelity: the simulator answers with the shapes of botocore's model, nothing more. AWS's
# answers are what its published service models describe; a member outside the model
# (invented, or of a newer API than Debian's botocore) is skipped by botocore's parsers and
# by flightdeck's shape-driven decoder, so a dashboard or runbook relying on it would work
# against the sim and not against the model it is built from. Found this way: ARC's Owner,
# X-Ray's TraceSummary StartTime, CloudWatch's StateTransitionedTimestamp. (shapes_check.py)
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricAlarm.html
# https://docs.aws.amazon.com/xray/latest/api/API_TraceSummary.html
. "$FD_SRCDIR/tests/sim/lib.sh"
if ! start_sim; then echo "1..1"; echo "not ok 1 - sim started"; exit 1; fi
/usr/bin/python3 "$FD_SRCDIR/tests/sim/fidelity/shapes_check.py" "$SIM_URL"
