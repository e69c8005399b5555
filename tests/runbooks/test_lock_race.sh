#!/usr/bin/env bash
# test_lock_race.sh — 50 `flightdeck runbook run` processes started at the same
# moment, from no lock and then from the lock a killed run left: exactly one
# proceeds each time (issue 10: 9 of 30 used to). The lock relies on link(2)
# failing with EEXIST when the name exists (POSIX.1-2017 link(),
# https://pubs.opengroup.org/onlinepubs/9699919799/functions/link.html).
. "$FD_SRCDIR/tests/tap.sh"
# The winner must hold the lock for the whole race: with a simulator its
# caller-identity read succeeds and it sleeps; without one it gave up after its
# retries, released the lock, and under load a late starter then won fairly.
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"
sim_start
pids=()
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; kill "$SIMPID" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
export XDG_STATE_HOME=$tmp/state
printf 'description: holds the lock while it sleeps\nsteps:\n  - {name: hold, action: sleep, inputs: {duration: 120s}}\n' > "$tmp/race.yaml"
N=50

# race ROUND: start N runs that each say they are ready and wait for a go file,
# then create it (all start within a few ms), and wait until each has either
# started or been refused; sets STARTED, REFUSED.
race() {
	local round=$1 i t
	pids=()
	for ((i = 0; i < N; i++)); do
		( : > "$tmp/ready.$round.$i"
		  while [ ! -e "$tmp/go.$round" ]; do sleep 0.005; done
		  exec "$FD_BIN" runbook run "$tmp/race.yaml" --yes ) > "$tmp/out.$round.$i" 2>&1 &
		pids+=($!)
	done
	for ((t = 0; t < 1000; t++)); do
		[ "$(ls "$tmp" | grep -c "^ready\.$round\.")" -ge $N ] && break
		sleep 0.02
	done
	: > "$tmp/go.$round"
	for ((t = 0; t < 600; t++)); do
		sleep 0.1
		STARTED=$(grep -l '^runbook race: run ' "$tmp"/out."$round".* 2>/dev/null | wc -l)
		REFUSED=$(grep -l 'is being run by\|cannot take the lock' "$tmp"/out."$round".* 2>/dev/null | wc -l)
		[ $((STARTED + REFUSED)) -ge $N ] && break
	done
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done   # the winner dies holding the lock
	wait "${pids[@]}" 2>/dev/null
}

race 1
is "$STARTED" 1 "$N simultaneous starts, no lock: exactly one proceeds"
is "$REFUSED" $((N - 1)) "and the others are refused, naming the holder"
lock=$tmp/state/flightdeck/locks/race@default.lock
ok "$([ -s "$lock" ]; echo $?)" "the killed winner left its lock behind"

race 2
is "$STARTED" 1 "$N simultaneous starts over that stale lock: exactly one proceeds"
is "$REFUSED" $((N - 1)) "and the others are refused"
done_testing
