#!/usr/bin/env bash
# test_gameday_doc.sh — docs/runbooks.md's game-day table is the one gameday.py prints
# (`gameday.py --markdown`), checked on every make check without playing the matrix, so
# a cell changed in gameday.py and not in the doc (or edited by hand in the doc) fails at once.
exec /usr/bin/python3 "$FD_SRCDIR/tests/gameday/gameday.py" --check-doc
