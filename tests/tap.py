"""tap.py — TAP output for the Python tests (the twin of tests/tap.sh).

Import with FD_SRCDIR/tests on sys.path; ok/is_ print one test each, done_testing
prints the plan and exits 1 when any failed.
"""
import sys

N = 0
FAILED = 0


def ok(cond, name, diag=None):
    """One test: passes when cond is true; diag (up to 20 lines) explains a failure."""
    global N, FAILED
    N += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (N, name))
    if not cond:
        FAILED += 1
        if diag is not None:
            for line in str(diag).splitlines()[:20]:
                print("# " + line)
    sys.stdout.flush()


def is_(got, want, name):
    ok(got == want, name, "got:  %r\nwant: %r" % (got, want))


def done_testing():
    print("1..%d" % N)
    sys.exit(1 if FAILED else 0)
