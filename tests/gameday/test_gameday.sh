#!/usr/bin/env bash
# test_gameday.sh — the game-day matrix (tests/gameday/gameday.py): every shipped runbook
# against every scenario on `flightdeck sim`, each cell its own simulator, in parallel.
exec /usr/bin/python3 "$FD_SRCDIR/tests/gameday/gameday.py"
