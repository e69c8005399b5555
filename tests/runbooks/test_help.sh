#!/usr/bin/env bash
# test_help.sh — `flightdeck runbook --help` and every subcommand's --help/-h: usage on stdout, exit 0.
. "$FD_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp XDG_STATE_HOME=$tmp/state
for flag in --help -h; do
	out=$("$FD_BIN" runbook $flag 2>"$tmp/err"); rc=$?
	is "$rc" 0 "runbook $flag exits 0"
	is "$(head -1 <<<"$out")" "usage: flightdeck runbook list|show|validate|plan|run|resume ..." "runbook $flag: usage on stdout"
	like "$out" "  run NAME \[-p key=value \.\.\.\] \[--yes\] +run a runbook" "runbook $flag lists the subcommands"
	is "$(cat "$tmp/err")" "" "runbook $flag: nothing on stderr"
done
check() { # check SUBCOMMAND FLAG "expected first line"
	out=$("$FD_BIN" runbook "$1" "$2" 2>"$tmp/err"); rc=$?
	is "$rc" 0 "runbook $1 $2 exits 0"
	is "$(head -1 <<<"$out")" "$3" "runbook $1 $2: usage on stdout"
	is "$(cat "$tmp/err")" "" "runbook $1 $2: nothing on stderr"
}
for flag in --help -h; do
	check list "$flag" "usage: flightdeck runbook list"
	check show "$flag" "usage: flightdeck runbook show NAME"
	check validate "$flag" "usage: flightdeck runbook validate FILE..."
	check plan "$flag" "usage: flightdeck runbook plan NAME [-p key=value ...]"
	check run "$flag" "usage: flightdeck runbook run NAME [-p key=value ...] [--yes]"
	check resume "$flag" "usage: flightdeck runbook resume [RUN-ID] [-p key=value ...] [--yes]"
done
out=$("$FD_BIN" runbook run dr-failover --help 2>&1); rc=$?
is "$rc" 0 "--help after the runbook name still prints usage"
is "$(head -1 <<<"$out")" "usage: flightdeck runbook run NAME [-p key=value ...] [--yes]" "and does not run it"
"$FD_BIN" runbook run --bogus >/dev/null 2>"$tmp/err"; rc=$?
is "$rc" 2 "an unknown option is still a usage error"
is "$(cat "$tmp/err")" "flightdeck: runbook run: unknown option '--bogus'" "with its message"
"$FD_BIN" runbook nope >/dev/null 2>"$tmp/err"; rc=$?
is "$rc" 2 "an unknown subcommand is still a usage error"
done_testing
