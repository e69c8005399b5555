#!/usr/bin/env bash
# bench/wire.sh — decoding with the shape tables (issue 11) against the hint
# scheme they replaced: the same harness (bench/wire_decode.c) built from this
# tree and from the last commit before them (git archive of FD_WIRE_BEFORE), run
# one after the other on the same bodies; and the flightdeck binary, stripped,
# before and after (the old tree is built once, cached in the build directory).
set -eu
before=${FD_WIRE_BEFORE:-74c80f2}
work="$FD_BUILDDIR/bench-wire"
old="$work/src-$before"
mkdir -p "$work/payloads"
shopt -s nullglob

/usr/bin/python3 "$FD_SRCDIR/bench/wire_payloads.py" "$work/payloads"
if [ ! -d "$old" ]; then
	mkdir -p "$old.tmp"
	git -C "$FD_SRCDIR" archive "$before" | tar -x -C "$old.tmp"
	mv "$old.tmp" "$old"
fi

# harness TREE OUT: the decode harness against TREE's codecs, one compiler and -O2 for both.
harness() {
	local tree=$1 out=$2
	gcc -std=c11 -O2 -D_GNU_SOURCE -I"$tree" $(pkg-config --cflags libxml-2.0 jansson yaml-0.1) -o "$out" \
		"$FD_SRCDIR/bench/wire_decode.c" "$tree"/aws/ops.c "$tree"/aws/shapes*.c "$tree"/aws/codec*.c \
		"$tree"/base/*.c \
		$(pkg-config --libs libxml-2.0 jansson libcrypto yaml-0.1) -lm
}
harness "$old" "$work/decode-before"
harness "$FD_SRCDIR" "$work/decode-after"

row() { # row FIGURE SERVICE OPERATION FILES...: before and after interleaved, 7 runs each
	local fig=$1 svc=$2 op=$3 b="" a="" i; shift 3
	for i in 1 2 3 4 5 6 7; do
		b="$b $("$work/decode-before" "$svc" "$op" 5 "$@")"
		a="$a $("$work/decode-after" "$svc" "$op" 5 "$@")"
	done
	b=$(printf '%s\n' $b | sort -n | sed -n 4p)
	a=$(printf '%s\n' $a | sort -n | sed -n 4p)
	printf '%s\t%s ms\thint scheme %s ms (after/before %.2f)\n' "$fig" "$a" "$b" \
		"$(echo "$a $b" | awk '{ print $1 / $2 }')"
}
# instructions (callgrind): the same comparison without the noise of a shared machine
instr() { # instr FIGURE SERVICE OPERATION FILES...
	local fig=$1 svc=$2 op=$3 b a; shift 3
	command -v valgrind >/dev/null || return 0
	b=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$work/decode-before" "$svc" "$op" 1 "$@" 2>&1 |
		sed -n 's/.*Collected : //p')
	a=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$work/decode-after" "$svc" "$op" 1 "$@" 2>&1 |
		sed -n 's/.*Collected : //p')
	printf '%s\t%d M\thint scheme %d M (after/before %.2f)\n' "$fig" $((a / 1000000)) $((b / 1000000)) \
		"$(echo "$a $b" | awk '{ print $1 / $2 }')"
}
instr "wire: decode DescribeAutoScalingGroups, 2000 instances, instructions" autoscaling \
	DescribeAutoScalingGroups "$work"/payloads/asg-*.xml
instr "wire: decode ListHealthChecks, 500 health checks, instructions" route53 ListHealthChecks \
	"$work/payloads/health-checks.xml"

row "wire: decode DescribeAutoScalingGroups, 2000 instances in 4 pages (median CPU)" autoscaling \
	DescribeAutoScalingGroups "$work"/payloads/asg-*.xml
row "wire: decode ListHealthChecks, 500 health checks (median CPU)" route53 ListHealthChecks \
	"$work/payloads/health-checks.xml"

# The binary, stripped: the commit before the shape tables, the commit that brought
# them (FD_WIRE_AT: only the wire layer changed between the two) and today's.
at=${FD_WIRE_AT:-1a475a5}
build_at() { # build_at REV: the tree of REV built once into $work/build-REV
	local rev=$1 src="$work/src-$1"
	[ -x "$work/build-$rev/flightdeck" ] && return 0
	if [ ! -d "$src" ]; then
		mkdir -p "$src.tmp" && git -C "$FD_SRCDIR" archive "$rev" | tar -x -C "$src.tmp" && mv "$src.tmp" "$src"
	fi
	(cd "$src" && autoreconf -fi >/dev/null 2>&1) && mkdir -p "$work/build-$rev" &&
		(cd "$work/build-$rev" && "$src/configure" -q >/dev/null && make -s -j2 flightdeck >/dev/null 2>&1) ||
		echo "bench/wire.sh: could not build $rev" >&2
}
stripped() { # stripped BINARY: its size in bytes once stripped
	strip -o "$work/stripped" "$1" && stat -c %s "$work/stripped"
}
build_at "$before"
build_at "$at"
if [ -x "$work/build-$before/flightdeck" ] && [ -x "$work/build-$at/flightdeck" ]; then
	b=$(stripped "$work/build-$before/flightdeck"); a=$(stripped "$work/build-$at/flightdeck")
	printf 'wire: flightdeck binary, stripped, with the shape tables (%s)\t%d KiB\tbefore (%s) %d KiB (%+d KiB)\n' \
		"$at" $((a / 1024)) "$before" $((b / 1024)) $(((a - b) / 1024))
	n=$(stripped "$FD_BIN")
	printf 'wire: flightdeck binary, stripped, today (every later feature too)\t%d KiB\tbefore (%s) %d KiB\n' \
		$((n / 1024)) "$before" $((b / 1024))
fi
# The wire layer's own code and data (ops, codecs, shape tables), before and after:
# the binary above also carries every other change since the commit before.
objsize() { # objsize TREE: text + data bytes of its aws/ops.c, aws/shapes*.c, aws/codec*.c at -O2
	local tree=$1 d f total=0
	d=$(mktemp -d)
	for f in "$tree"/aws/ops.c "$tree"/aws/shapes*.c "$tree"/aws/codec*.c; do
		gcc -std=c11 -O2 -D_GNU_SOURCE -I"$tree" $(pkg-config --cflags libxml-2.0 jansson) -c "$f" \
			-o "$d/$(basename "$f" .c).o"
	done
	total=$(size "$d"/*.o | awk 'NR > 1 { s += $1 + $2 } END { print s }')
	rm -rf "$d"
	echo "$total"
}
b=$(objsize "$old"); a=$(objsize "$FD_SRCDIR")
printf 'wire: ops + codecs + shape tables (text + data)\t%d KiB\tbefore %d KiB (%+d KiB)\n' $((a / 1024)) \
	$((b / 1024)) $(((a - b) / 1024))
t=$(size -A "$FD_BUILDDIR/aws/shapes_gen.o" 2>/dev/null | awk '$1 == ".rodata" || $1 == ".data.rel.ro" || $1 == ".data.rel.ro.local" { s += $2 } END { print s + 0 }')
printf 'wire: generated shape tables (aws/shapes_gen.o data)\t%d KiB\t%s\n' $((t / 1024)) \
	"$(grep -o 'n_shapes = [0-9]*, .n_refs = [0-9]*, .n_ops = [0-9]*, .pool_size = [0-9]*' "$FD_SRCDIR/aws/shapes_gen.c" | tr -d .)"
