#!/usr/bin/env bash
# test_keyhelp.sh — each view's own keys, as the help view lists them (generated from the views'
# key tables, tui/view_*.c), do what the help says: every item of every view's keys line has a
# row below that presses it and checks the screen, and the rows are exactly the items listed.
# (That every key a view handles is listed: tests/tui/test_viewkeys.c.)
. "$FD_SRCDIR/tests/tui/lib.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
. "$FD_SRCDIR/tests/tui/rb_lib.sh"
trap 'tui_cleanup; stop_sims' EXIT
bail() { ok 1 "$1"; tui_cap | sed 's/^/# /'; done_testing; exit; }

start_sim --time-scale 100   # a plan reads the caller's identity: the runbooks view's x needs a run
rb_dash 200 50
tui_keys '?'
tui_wait 'Commands' || bail 'the help view opens'
# A view's keys are the lines indented by 3 under it, in either of the two 100-column halves
# (the left half, then the right: a view at the foot of the left has its keys atop the right).
tui_cap | awk '{ line[NR] = $0 } END { for (h = 0; h < 2; h++) for (r = 1; r <= NR; r++) {
	s = substr(line[r], h * 100 + 1, 100)
	if (s ~ /^ [0-9?] :[a-z0-9]+ / || s ~ /^ {15}[^ ]/) { split(s, a, " "); view = a[2] }
	else if (s ~ /^   [^ ]/) { sub(/^   /, "", s); sub(/ +$/, "", s); n = split(s, it, ", ");
		for (i = 1; i <= n; i++) print view "|" it[i] } } }' | sort > "$TUI_TMP/listed"
sed 's/^/# listed: /' "$TUI_TMP/listed"

# VIEW|ITEM|keys to press first|what they show|the item's keys|what the screen shows then
# (the runbooks view: the scale runbook, found by the start of its description)
cat > "$TUI_TMP/rows" <<'ROWS'
:metrics|s stat|||s|statistic Average 
:metrics|p period|||p|period 1m 
:metrics|t range|||t|range 3h 
:alarms|Enter open|||Enter|─ Alarm [a-z]
:alarms|Esc back|Enter|─ Alarm [a-z]|Escape|Alarms \(Enter: open\)
:lb|Enter targets|||Enter|Esc: back
:lb|Esc back|Enter|Esc: back|Escape|Target groups: health
:xray|Enter drill in|||j Enter|trace id
:xray|Esc out|j Enter|trace id|Escape|Traces \(Enter: details\)
:runbooks|Enter run|/ Scale Space an Enter g|filter: Scale an|Enter|Parameters of scale
:runbooks|p plan|/ Scale Space an Enter g|filter: Scale an|p Enter|Plan scale: planned
:runbooks|r reload|||r|runbooks loaded, [0-9]+ runs journaled
:runbooks|x clear|/ Scale Space an Enter g p Enter|Plan scale: planned|x|Parameters of scale
ROWS
cut -d'|' -f1,2 "$TUI_TMP/rows" | sort > "$TUI_TMP/tested"
is "$(diff "$TUI_TMP/listed" "$TUI_TMP/tested" | grep '^[<>]' | tr '\n' ' ')" "" \
	"the help lists exactly the view keys checked here ($(wc -l < "$TUI_TMP/listed") items)"
[ -s "$TUI_TMP/listed" ] || bail 'the help lists view keys'
tui_keys Escape

while IFS='|' read -r -u 3 view item pre pre_want keys want; do
	tui_keys Escape Escape ":${view#:}" Enter   # the keys below are read after these, in order
	# Enter on a row needs the rows: wait for the view's data first (under load the first
	# collection can still be under way, and Enter on an empty list does nothing)
	case "$view" in
	:lb) tui_wait ' petclinic-tg-(blue|green) +ap-northeast-' 60 || bail "$view: no target groups" ;;
	:alarms) tui_wait ' (OK|ALARM|INSUFFICIENT_DATA) +petclinic-' 60 || bail "$view: no alarms" ;;
	esac
	if [ -n "$pre" ]; then
		# shellcheck disable=SC2086
		tui_keys $pre
		tui_wait "$pre_want" 30 || bail "$view: before '$item': $pre shows '$pre_want'"
	fi
	# shellcheck disable=SC2086
	tui_keys $keys
	if tui_wait "$want" 30; then ok 0 "$view: '$item' does it (the screen shows '$want')"
	else ok 1 "$view: '$item' does it (the screen shows '$want')"; tui_cap | sed 's/^/# /' | head -20; fi
	if [ "$view" = :runbooks ]; then tui_keys Escape Escape x; fi
done 3< "$TUI_TMP/rows"
tui_keys q q
done_testing
