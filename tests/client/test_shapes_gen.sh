#!/bin/sh
# test_shapes_gen.sh — aws/shapes_gen.[ch] are what scripts/gen-shapes makes of
# the operation table and Debian's botocore models: nobody edits them by hand.
. "$FD_SRCDIR/tests/tap.sh"

if ! /usr/bin/python3 -c 'import botocore' 2>/dev/null; then
	echo "1..0 # SKIP python3-botocore is not installed"
	exit 0
fi
out=$(/usr/bin/python3 "$FD_SRCDIR/scripts/gen-shapes" --check 2>&1); rc=$?
is "$rc" 0 "aws/shapes_gen.c and aws/shapes_gen.h match a fresh scripts/gen-shapes run"
[ "$rc" = 0 ] || echo "# $out"
version=$(/usr/bin/python3 -c 'import sys; sys.path[:0] = ["/usr/lib/python3/dist-packages"]; import botocore; print(botocore.__version__)')
like "$(head -1 "$FD_SRCDIR/aws/shapes_gen.c")" "botocore $version's" "the tables name the botocore version they came from ($version)"
done_testing
