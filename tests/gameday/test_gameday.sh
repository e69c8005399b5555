#!/usr/bin/env bash
# test_gameday.sh — the game-day matrix (tests/gameday/gameday.py): every shipped runbook
# against every scenario on `flightdeck sim`, each cell its own simulator, in parallel.
# GAMEDAY_ROWS (space-separated row keys) runs some rows only: dev.sh's ASan/UBSan pass
# runs two rows (failover through, bad deploy rolled back); the plain
# pass runs every cell.
if [ -n "${GAMEDAY_ROWS:-}" ]; then
	# shellcheck disable=SC2086
	exec /usr/bin/python3 "$FD_SRCDIR/tests/gameday/gameday.py" --only $GAMEDAY_ROWS
fi
exec /usr/bin/python3 "$FD_SRCDIR/tests/gameday/gameday.py"
