#!/usr/bin/env bash
# Nothing wakes the dashboard at rest but what changes the screen (issue 16). Ages
# show in 10 s steps under a minute, and the loop sleeps until the shown text would
# change: with a 30 s refresh the fake model's ages go "<10s" -> "10s" -> "20s" with
# no key pressed, and between two such steps the loop's thread sleeps about once,
# not once a second. Counted, not timed: voluntary context switches of the main
# thread (/proc/PID/status: each poll() that sleeps is one) against the steps seen.
. "$FD_SRCDIR/tests/tui/lib.sh"

switches() { awk '/^voluntary_ctxt_switches:/ { print $2 }' "/proc/$1/status"; }

tui_start 80 24 -- --refresh 30
tui_wait 'Active alarms' 10
pid=$(tui_pid)
ok "$([ -n "$pid" ]; echo $?)" "the dashboard runs (pid ${pid:-none})"
tui_wait 'age <10s' 10
ok $? "a fresh panel's age shows as <10s"
tui_wait 'age 10s' 15
ok $? "at 10 s the age moves on with no key pressed and no collection (the loop woke for it)"
w0=$(switches "$pid")
tui_wait 'age 20s' 15
ok $? "and again at 20 s"
w1=$(switches "$pid")
n=$((w1 - w0))
# one sleep ends at the 20 s step; a terminal write or a stray signal may add one or
# two. A loop that woke each second would sleep ten times or more here.
ok "$([ "$n" -le 4 ]; echo $?)" "from the 10 s step to the 20 s step the loop slept $n times (at most 4; about 10 if it ticked each second)"
tui_keys q
tui_wait 'exit=0'
ok $? "exits 0"
done_testing
