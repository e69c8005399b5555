#!/usr/bin/env bash
# dev.sh — the two set-up commands of README.md, on Debian 12:
#   ./dev.sh demo   install what is missing, build, start the dashboard on the simulated AWS
#   ./dev.sh test   install what is missing, build, run every test (plain and ASan/UBSan)
# The last line of `test` is "N passed, N failed".
set -u
cd "$(dirname "$0")"
top=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)

# Debian packages: build tools, the libraries flightdeck links, and what the tests drive.
build_pkgs="build-essential autoconf automake pkg-config libncurses-dev libcurl4-openssl-dev
libssl-dev libjansson-dev libxml2-dev libyaml-dev libjq-dev libonig-dev libmicrohttpd-dev"
test_pkgs="tmux awscli python3-botocore clang libclang-rt-14-dev valgrind man-db bsdextrautils"

install_missing() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "dev.sh: installing ${missing[*]}" >&2
	local sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# build DIR [configure flags...]: configure once, then make.
build() {
	local dir=$1; shift
	if [ ! -x configure ] || [ configure.ac -nt configure ]; then
		autoreconf -fi >/dev/null || return 1
	fi
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ]; then
		(cd "$dir" && "$top/configure" -q "$@") || return 1
	fi
	make -s -C "$dir" -j"$jobs" >/dev/null || make -C "$dir" || return 1
}

# count DIR: add the TAP results of every .trs under DIR to the totals.
passed=0; failed=0; skipped=0
count() {
	local p f s
	p=$(cat $(find "$1" -name '*.trs') /dev/null | grep -c '^:test-result: \(PASS\|XFAIL\)')
	f=$(cat $(find "$1" -name '*.trs') /dev/null | grep -c '^:test-result: \(FAIL\|XPASS\|ERROR\)')
	s=$(cat $(find "$1" -name '*.trs') /dev/null | grep -c '^:test-result: SKIP')
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
	echo "dev.sh: $1: $p passed, $f failed, $s skipped" >&2
}

# run_suite DIR JOBS: make check in DIR, JOBS tests at a time; results stay in its
# .trs files (report reads them), so two suites can run at once in the background.
run_suite() {
	local dir=$1
	find "$dir" -name '*.trs' -delete 2>/dev/null
	rm -f "$dir/test-times.txt"
	make -s -C "$dir" -j"$2" check >/dev/null 2>&1
}

# report DIR: show the logs of what failed, add the results to the totals, and name
# the slowest tests (tests/timed.sh): what to look at when CI nears its time budget.
report() {
	local dir=$1 logs l
	logs=$(grep -l '^:test-result: \(FAIL\|XPASS\|ERROR\)' $(find "$dir" -name '*.trs') /dev/null 2>/dev/null)
	for l in $logs; do
		echo "=== ${l%.trs}.log" >&2
		tail -n 60 "${l%.trs}.log" >&2
	done
	count "$dir"
	[ -f "$dir/test-times.txt" ] && sort -rn "$dir/test-times.txt" | head -n 8 |
		awk -v d="$dir" '{ printf "dev.sh: %s: slowest: %6.1f s %s\n", d, $1, $2 }' >&2
}

# run_fuzz DIR SECONDS: run every fuzz target briefly; a crash or leak fails it.
# Results go to DIR/fuzz-results ("passed failed") and DIR/fuzz-report (report_fuzz).
run_fuzz() {
	local dir=$1 secs=$2 t name work p=0 f=0
	: >"$dir/fuzz-report"
	for t in "$dir"/tests/fuzz/fuzz_*; do
		[ -x "$t" ] || continue
		name=$(basename "$t"); name=${name#fuzz_}
		work=$(mktemp -d)
		[ -d "tests/fuzz/corpus/$name" ] && cp -r "tests/fuzz/corpus/$name/." "$work/"
		if "$t" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$dir/fuzz_$name-" "$work" >"$dir/fuzz_$name.log" 2>&1; then
			p=$((p + 1))
		else
			f=$((f + 1))
			{ echo "=== fuzz_$name failed"; tail -n 40 "$dir/fuzz_$name.log"; } >>"$dir/fuzz-report"
		fi
		rm -rf "$work"
	done
	echo "$p $f" >"$dir/fuzz-results"
}

# report_fuzz DIR: what run_fuzz found, into the totals.
report_fuzz() {
	local p=0 f=1
	[ -s "$1/fuzz-results" ] && read -r p f <"$1/fuzz-results"
	cat "$1/fuzz-report" >&2 2>/dev/null
	passed=$((passed + p)); failed=$((failed + f))
	echo "dev.sh: fuzz: $p passed, $f failed" >&2
}

case "${1:-}" in
demo)
	install_missing $build_pkgs || exit 1
	build build --enable-werror || exit 1
	exec ./build/flightdeck --demo
	;;
test)
	install_missing $build_pkgs $test_pkgs || { echo "0 passed, 1 failed"; exit 1; }
	if ! build build --enable-werror; then echo "0 passed, 1 failed"; exit 1; fi
	# Three things at once, as CI has 20 minutes on two cores: the plain suite (most of
	# its tests wait on simulators, timers and tmux, so twice as many as cores), the
	# ASan/UBSan tree building and then its suite, and the fuzz tree building and then
	# its targets. The ASan suite's tests are busy: fewer of them at a time.
	rm -f build-fuzz/fuzz-results
	( build build-asan --enable-werror --enable-asan CC=gcc ) > build-asan.log 2>&1 &
	asan_pid=$!
	run_suite build "$((jobs * 2))" &
	plain_pid=$!
	asan_ok=0
	if wait "$asan_pid"; then
		asan_ok=1
		( build build-fuzz --enable-fuzz --enable-asan CC=clang ) > build-fuzz.log 2>&1 &
		fuzz_pid=$!
		# The game-day matrix is 76 cells of mostly waiting on one-minute CloudWatch
		# periods; under ASan it plays two rows (a DR failover through, a bad deploy
		# rolled back at 10 %, every other runbook refused before any change); the
		# plain pass plays every cell, and tests/runbooks/test_e2e_* run each
		# runbook through to the end under ASan too.
		GAMEDAY_ROWS=${GAMEDAY_ROWS-outage-arc bad-10-during} \
		FD_SOAK_SECONDS=${FD_SOAK_SECONDS:-40} \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		LSAN_OPTIONS=suppressions="$top/tests/lsan.supp":print_suppressions=0 \
			run_suite build-asan "$(( jobs * 3 / 2 > 1 ? jobs * 3 / 2 : 1 ))" &
		asan_suite_pid=$!
	else
		( build build-fuzz --enable-fuzz --enable-asan CC=clang ) > build-fuzz.log 2>&1 &
		fuzz_pid=$!
	fi
	# Fuzz targets (libFuzzer, clang, ASan): a short run of each over its seed corpus.
	fuzz_ok=0
	if wait "$fuzz_pid"; then
		fuzz_ok=1
		run_fuzz build-fuzz "${FD_FUZZ_SECONDS:-5}"
	fi
	wait "$plain_pid"
	[ "$asan_ok" = 1 ] && wait "$asan_suite_pid"
	report build
	if [ "$asan_ok" = 1 ]; then
		report build-asan
	else
		failed=$((failed + 1)); echo "dev.sh: the ASan/UBSan build failed" >&2; tail -n 40 build-asan.log >&2
	fi
	if [ "$fuzz_ok" = 1 ]; then
		report_fuzz build-fuzz
	else
		failed=$((failed + 1)); echo "dev.sh: the fuzz build failed" >&2; tail -n 40 build-fuzz.log >&2
	fi
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
	[ "$failed" -eq 0 ]
	;;
*)
	echo "usage: ./dev.sh demo|test" >&2
	exit 2
	;;
esac
