#!/bin/sh
# The parser fixtures against botocore's output shapes (tests/model/fixtures_check.py).
exec /usr/bin/python3 "$FD_SRCDIR/tests/model/fixtures_check.py" "$FD_SRCDIR/tests/model/fixtures"
