#!/usr/bin/env bash
# The services' views in tmux (fake model): golden captures at 80x24, 80x23 under
# LANG=C and NO_COLOR, and 200x50 of the db, sessions, cdn and asg (launch templates)
# views; ages masked. FD_UPDATE_GOLDEN=1 rewrites them.
. "$FD_SRCDIR/tests/tui/lib.sh"

golden() { # golden NAME: compare the screen with tests/services/golden/NAME.txt
	local want="$FD_SRCDIR/tests/services/golden/$1.txt" got="$TUI_TMP/$1.txt"
	tui_cap | tui_mask >"$got"
	if [ "${FD_UPDATE_GOLDEN:-}" = 1 ]; then cp "$got" "$want"; fi
	if diff -u "$want" "$got" >"$TUI_TMP/diff"; then
		ok 0 "golden $1"
	else
		ok 1 "golden $1"
		sed 's/^/# /' "$TUI_TMP/diff" | head -40
	fi
}

# screen SIZE ENV...: the views at one size
screen() {
	local size=$1 suffix=$2
	shift 2
	tui_start "${size%x*}" "${size#*x}" "$@"
	tui_wait 'Active alarms' || ok 1 "dashboard started at $size"
	tui_keys 9
	tui_wait 'Databases and replication' && golden "db-$size$suffix"
	tui_keys 0
	tui_wait 'Failovers and node replacements' && golden "sessions-$size$suffix"
	# nothing cut at the right edge: each group line ends with its last word (at 80
	# columns "Global Datastore" gives way to "global"; the role and failover stay),
	# and an event message wraps rather than losing what happened
	like "$(tui_cap | grep -c 'petclinic-sessions  available  .*\(primary\|secondary\)  auto-failover multi-AZ *$')" \
		'^2$' "sessions at $size$suffix: both group lines whole, with role and failover"
	like "$(tui_cap | tr '\n' ' ' | tr -s ' ')" \
		'Failover from primary node petclinic-redis-001 to replica node petclinic-redis-002 completed' \
		"sessions at $size$suffix: the failover message whole (wrapped)"
	tui_keys :cdn Enter
	tui_wait 'origin group order' && golden "cdn-$size$suffix"
	tui_keys 4
	# (asg at 80x24 is tests/tui/golden/asg-80x24.txt, with the other views')
	tui_wait 'Instances of' && [ "$size$suffix" != 80x24 ] && golden "asg-$size$suffix"
	# the forecast sparklines start after their labels, not at the right edge
	like "$(tui_cap | grep -cE '^ (forecast  |actual    )[^ ]')" '^2$' \
		"asg at $size$suffix: the forecast sparklines start right after their labels"
	# the launch template line fits: whole at 200 columns, without the image at 80
	if [ "${size%x*}" = 200 ]; then
		like "$(tui_cap)" 'launch template petclinic-lt: \$Latest v8, \$Default v7 \(petclinic release 8, ami-[0-9a-f]+\)' \
			"asg at $size: the launch template line whole"
	else
		like "$(tui_cap)" 'launch template petclinic-lt: \$Latest v8, \$Default v7 \(petclinic release 8\) *$' \
			"asg at $size$suffix: the launch template line fits 80 columns (the description, not cut)"
	fi
	tui_keys q
	tui_wait 'exit='
}

screen 80x24 ""
like "$(tui_cap)" "exit=0" "quit cleanly"
screen 80x23 -ascii LANG=C NO_COLOR=1
ok "$(tui_cap | LC_ALL=C grep -q '[^ -~]'; [ $? -eq 1 ]; echo $?)" "LANG=C: ASCII bytes only"
screen 200x50 ""

# the overview's region table has the database row in the severity's colour
tui_start 80 24
tui_wait 'DB replication'
like "$(tui_cap | grep 'DB replication')" "writer, 1 replica +replica, 0.6 s behind" "overview: the DB replication row"
like "$(tui_cap | grep 'Redis sessions')" "FAILOVER 19m ago +secondary \+ 1 replica" "overview: the Redis sessions row"
tui_keys :db Enter
tui_wait 'Databases and replication'
like "$(tui_cap)" "replica of petclinic-db@ap-northeast-2, 0.6 s behind" ":db opens the databases view"
tui_keys :sessions Enter
tui_wait 'Redis sessions \(ElastiCache\)'
like "$(tui_cap)" "petclinic-redis-002  primary  available" ":sessions: the node that took over is the primary"
tui_keys q
tui_wait 'exit='

# the tabs with the READ-ONLY banner at 80 columns: every view's tab still shows
tui_start 80 24 -- --read-only
tui_wait 'READ-ONLY'
like "$(tui_cap | head -1)" "^ overview! metrics alarms! asg lb route53 xray runbooks db sessions +READ-ONLY" \
	"read-only at 80 columns: the title gives way, no tab is hidden under the banner"
tui_keys q
done_testing
