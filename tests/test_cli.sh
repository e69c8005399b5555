#!/usr/bin/env bash
# test_cli.sh — the command line's shared surface: help, version, errors, man page, completion.
. "$FD_SRCDIR/tests/tap.sh"

out=$("$FD_BIN" --help); rc=$?
is "$rc" 0 "--help exits 0"
for c in snapshot call whoami sigv4 runbook sim; do
	like "$out" "flightdeck $c" "--help lists $c"
done
out=$("$FD_BIN" --version); is "$out" "flightdeck 0.1.0" "--version prints the version"

err=$("$FD_BIN" frobnicate 2>&1 >/dev/null); rc=$?
is "$rc" 2 "an unknown command exits 2"
like "$err" "unknown command 'frobnicate'; commands: sigv4 call whoami sim snapshot runbook" "and names the commands"
err=$("$FD_BIN" --bogus 2>&1 >/dev/null); rc=$?
is "$rc" 2 "an unknown option exits 2"
like "$err" "unknown option '--bogus'" "and names it"
err=$("$FD_BIN" --refresh 0 snapshot 2>&1 >/dev/null); rc=$?
is "$rc" 2 "--refresh 0 is refused"
like "$err" "--refresh: '0' is not a number of seconds from 1 to 3600" "with a clear message"
err=$("$FD_BIN" --region 2>&1 >/dev/null); rc=$?
is "$rc" 2 "an option without its value exits 2"
like "$err" "--region needs a value" "and says which"

err=$("$FD_BIN" --exit-after x 2>&1 >/dev/null); rc=$?
is "$rc" 2 "--exit-after needs a number"
like "$err" "--exit-after: 'x' is not a number of seconds from 1 to 86400" "with a clear message"
# --exit-after ends an unattended dashboard by itself (a fake model: no network).
sock=fd-cli-$$
tmpd=$(mktemp -d)
tmux -L "$sock" new-session -d -x 80 -y 24 "FLIGHTDECK_FAKE_MODEL=1 '$FD_FAKE_BIN' --exit-after 1; echo \$? > '$tmpd/rc'"
for _ in $(seq 100); do [ -s "$tmpd/rc" ] && break; sleep 0.1; done
is "$(cat "$tmpd/rc" 2>/dev/null)" 0 "--exit-after: the dashboard quits by itself with status 0"
tmux -L "$sock" kill-server 2>/dev/null
rm -rf "$tmpd"

# Test data is not shipped (issue 16): the fake model is only in the test binary, and
# FLIGHTDECK_FAKE_MODEL=1 does not make flightdeck show made-up data.
is "$(nm "$FD_BIN" | grep -c ' fake_source_new$')" 0 "flightdeck holds no fake model"
is "$(nm "$FD_FAKE_BIN" | grep -c ' fake_source_new$')" 1 "the test binary does"
out=$(HOME=/nonexistent AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent FLIGHTDECK_FAKE_MODEL=1 \
	"$FD_BIN" --config "$FD_SRCDIR/tests/nonexistent.yaml" --exit-after 1 2>&1 </dev/null); rc=$?
ok "$([ "$rc" != 0 ]; echo $?)" "FLIGHTDECK_FAKE_MODEL=1 flightdeck still reads its real config (exit $rc: ${out%%$'\n'*})"

# The man page renders without warnings and documents every command.
{
	warn=$(LC_ALL=C MANWIDTH=80 man --warnings -l "$FD_SRCDIR/docs/flightdeck.1" 2>&1 >/dev/null)
	is "$warn" "" "the man page renders without groff warnings"
}
page=$(LC_ALL=C MANWIDTH=80 man -l "$FD_SRCDIR/docs/flightdeck.1" 2>/dev/null | col -b)
for c in snapshot call whoami sigv4 runbook sim; do
	like "$page" "flightdeck +$c" "the man page documents $c"
done

# Completion offers the subcommands and, after `sigv4 --print`, the artefacts.
compl() { # compl WORD... : what completion offers for the last word
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _flightdeck; printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$FD_SRCDIR/contrib/flightdeck.bash" "$@"
}
is "$(compl flightdeck ru)" "runbook " "completion: ru -> runbook"
is "$(compl flightdeck sigv4 --print "")" "authz creq sreq sts " "completion: sigv4 --print artefacts"
is "$(compl flightdeck runbook re)" "resume " "completion: runbook re -> resume"
done_testing
