#!/usr/bin/env bash
# test_search.sh — finding runbooks (issue 15): a binary copied out of its build tree,
# with nothing installed, says where it looked and exits 1; an installed tree
# (`make install DESTDIR=...`, then moved) finds its shipped runbooks from the binary's
# own location; FD_RUNBOOK_PATH, the order and the user directory are documented.
. "$FD_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp/home XDG_STATE_HOME=$tmp/state
unset XDG_CONFIG_HOME FD_RUNBOOK_PATH
mkdir -p "$HOME"

# Out of the build tree, nothing installed: `runbook list` names the directories and fails.
mkdir -p "$tmp/copy"
cp "$FD_BIN" "$tmp/copy/flightdeck"
prefix_dir=$("$tmp/copy/flightdeck" runbook --help | sed -n '/Searched now:/,/^(/p' | sed -n 's/^  //p' | tail -1)
out=$("$tmp/copy/flightdeck" runbook list 2>"$tmp/err"); rc=$?
if [ -d "$prefix_dir" ]; then
	ok 0 "# SKIP runbooks are installed on this machine ($prefix_dir): cannot test finding none"
else
	is "$rc" 1 "runbook list with no runbooks found exits 1"
	is "$out" "" "and lists nothing"
	is "$(head -1 "$tmp/err")" "flightdeck: no runbooks found in $HOME/.config/flightdeck/runbooks, $tmp/copy/../share/flightdeck/runbooks, $prefix_dir" \
		"naming every directory searched: the user's, beside the binary, the prefix's"
fi
err=$("$tmp/copy/flightdeck" runbook show dr-failover 2>&1); rc=$?
is "$rc" 2 "runbook show of a runbook found nowhere exits 2"
like "$err" "^flightdeck: no runbook 'dr-failover' in $HOME/\.config/flightdeck/runbooks, $tmp/copy/\.\./share/flightdeck/runbooks" \
	"and names the directories searched"
err=$(FD_RUNBOOK_PATH=$tmp/a:$tmp/b "$tmp/copy/flightdeck" runbook plan dr-failover 2>&1); rc=$?
like "$err" "no runbook 'dr-failover' in $tmp/a, $tmp/b, $HOME/" "plan names FD_RUNBOOK_PATH's directories first"

# Installed with DESTDIR, then the whole tree moved: the binary finds its runbooks beside itself.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$FD_BUILDDIR" install DESTDIR="$tmp/dest" >"$tmp/install.log" 2>&1
rc=$?
ok "$rc" "make install DESTDIR=... works"
[ "$rc" = 0 ] || sed 's/^/# /' "$tmp/install.log"
bin=$(find "$tmp/dest" -type f -name flightdeck -path '*/bin/*' | head -1)
rbdir=$(find "$tmp/dest" -type d -path '*/flightdeck/runbooks' | head -1)
ok "$([ -x "$bin" ] && [ -f "$rbdir/dr-failover.yaml" ]; echo $?)" "the binary and the shipped runbooks are installed ($bin, $rbdir)"
out=$("$bin" runbook list 2>&1); rc=$?
is "$rc" 0 "the installed binary lists the shipped runbooks"
for rb in blue-green-cutover blue-green-rollback deploy dr-failover failback scale; do
	like "$out" "^$rb " "it finds $rb"
done
like "$out" "  $rbdir  \(6 runbooks listed\)" "found beside the binary, and it says where"
mkdir -p "$tmp/moved"
mv "$tmp/dest" "$tmp/moved/"
bin=${bin/$tmp\/dest/$tmp/moved/dest}
out=$("$bin" runbook show dr-failover 2>&1); rc=$?
is "$rc" 0 "the installed tree moved elsewhere still finds its runbooks"
like "$out" "^dr-failover \($tmp/moved/dest/.*/flightdeck/runbooks/dr-failover\.yaml\)" "from the binary's own location"

# The user directory comes before the shipped runbooks; FD_RUNBOOK_PATH before both.
mkdir -p "$HOME/.config/flightdeck/runbooks" "$tmp/first"
printf 'description: my scale\nsteps:\n  - {name: a, action: sleep, inputs: {duration: 1ms}}\n' > "$HOME/.config/flightdeck/runbooks/scale.yaml"
printf 'description: first scale\nsteps:\n  - {name: a, action: sleep, inputs: {duration: 1ms}}\n' > "$tmp/first/scale.yaml"
like "$("$bin" runbook list)" "scale +my scale" "the user directory wins over the shipped runbooks"
like "$(FD_RUNBOOK_PATH=$tmp/first "$bin" runbook list)" "scale +first scale" "FD_RUNBOOK_PATH wins over both"

# Documented: the man page and runbook --help.
page=$(LC_ALL=C MANWIDTH=200 man -l "$FD_SRCDIR/docs/flightdeck.1" 2>/dev/null | col -b)
like "$page" "FD_RUNBOOK_PATH" "the man page documents FD_RUNBOOK_PATH"
like "$page" "RUNBOOK SEARCH PATH" "and the search order"
like "$page" '\$XDG_CONFIG_HOME/flightdeck/runbooks' "and the user directory"
help=$("$FD_BIN" runbook --help)
like "$help" '\$FD_RUNBOOK_PATH' "runbook --help names FD_RUNBOOK_PATH"
like "$help" 'your own: \$XDG_CONFIG_HOME/flightdeck/runbooks \(~/\.config/flightdeck/runbooks\)' "and the user directory"
like "$help" "Searched now:
  $HOME/\.config/flightdeck/runbooks" "and the directories searched now, in order"
done_testing
