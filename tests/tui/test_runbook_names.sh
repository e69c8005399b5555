#!/usr/bin/env bash
# The runbooks view lists what `flightdeck runbook list` lists (one scan, rb_list):
# a file whose name is not a runbook name (letters, digits, '_' and '-') is in neither.
. "$FD_SRCDIR/tests/tui/lib.sh"

unlike() { if printf '%s' "$1" | grep -Eq -- "$2"; then ok 1 "$3"; else ok 0 "$3"; fi; }
dir="$TUI_TMP/rb"
mkdir -p "$dir"
cp "$FD_SRCDIR/runbooks/scale.yaml" "$dir/my-scale.yaml"
cp "$FD_SRCDIR/runbooks/scale.yaml" "$dir/not.a.name.yaml"

list=$(env -i HOME="$TUI_TMP" PATH=/usr/bin:/bin FD_RUNBOOK_PATH="$dir" "$FD_BIN" runbook list 2>&1)
like "$list" 'my-scale' 'runbook list shows my-scale'
unlike "$list" 'not\.a\.name' 'runbook list leaves out a file whose name is not a runbook name'

tui_start 100 30 FD_RUNBOOK_PATH="$dir" --
tui_wait 'overview' 10
tui_keys 8
tui_wait 'my-scale' 10
s=$(tui_cap)
like "$s" 'my-scale' 'the runbooks view shows my-scale'
unlike "$s" 'not\.a\.name' 'and leaves out the same file as runbook list'
tui_keys q
done_testing
