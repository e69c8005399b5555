#!/usr/bin/env bash
# test_statefiles.sh — state files on a shared bastion (issue 10), driving the real
# binary against the simulator: a symlink planted at the audit log, the state
# directory or the measurements file is refused (never followed, its target
# untouched) and nothing is sent; a state directory writable by others is
# refused; with HOME unset and no XDG variables flightdeck refuses rather than
# write relative to the working directory. (Unit level: tests/base/test_statefile.c.)
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
start_sim || { echo "Bail out! the simulator did not start"; exit 1; }
tmp=$SIM_TMP
sent() { # mutating calls the simulator saw
	curl -s "$SIM_URL/_sim/requests" | /usr/bin/python3 -c '
import json, sys
print(sum(1 for r in json.load(sys.stdin) if r["mutating"]))'
}
# fd STATE ARGS...: flightdeck with XDG_STATE_HOME=STATE ("-": none, and no HOME).
fd() {
	local st=$1
	shift
	if [ "$st" = - ]; then
		(cd "$tmp/cwd" && env -i PATH=/usr/bin:/bin AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent \
			AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret AWS_REGION=ap-northeast-2 \
			AWS_ENDPOINT_URL="$SIM_URL" FD_RUNBOOK_PATH="$FD_SRCDIR/runbooks" "$FD_BIN" "$@")
	else
		env -i PATH=/usr/bin:/bin HOME="$HOME" XDG_STATE_HOME="$st" AWS_CONFIG_FILE=/nonexistent \
			AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM \
			AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret AWS_REGION=ap-northeast-2 AWS_ENDPOINT_URL="$SIM_URL" \
			FD_RUNBOOK_PATH="$FD_SRCDIR/runbooks" "$FD_BIN" "$@"
	fi
}
scale=(call autoscaling set-desired-capacity AutoScalingGroupName=petclinic-asg-was-blue DesiredCapacity=4 --yes)
mkdir -p "$tmp/cwd"
printf 'precious\n' >"$tmp/victim"

# A symlink planted at the audit log.
mkdir -p "$tmp/s1/flightdeck" && chmod 700 "$tmp/s1/flightdeck"
ln -s "$tmp/victim" "$tmp/s1/flightdeck/audit.jsonl"
out=$(fd "$tmp/s1" "${scale[@]}" </dev/null 2>&1); rc=$?
is "$rc" 1 'audit log a symlink: exit 1'
like "$out" "audit.jsonl: is a symbolic link; refusing to follow it" 'and says why'
is "$(sent)" 0 'nothing was sent'
is "$(cat "$tmp/victim")" precious "the symlink's target is untouched"

# The state directory itself a symlink (to a directory the attacker reads).
mkdir -p "$tmp/s2" "$tmp/attacker"
ln -s "$tmp/attacker" "$tmp/s2/flightdeck"
out=$(fd "$tmp/s2" "${scale[@]}" </dev/null 2>&1); rc=$?
is "$rc" 1 'state directory a symlink: exit 1'
like "$out" "s2/flightdeck: is a symbolic link; refusing it" 'and says why'
out=$(fd "$tmp/s2" runbook run scale -p desired=3 --yes </dev/null 2>&1); rc=$?
ok "$([ "$rc" != 0 ]; echo $?)" "runbook run refuses it too (exit $rc)"
like "$out" "is a symbolic link; refusing it" 'and says why'
is "$(sent)" 0 'nothing was sent'
is "$(ls -A "$tmp/attacker" | wc -l)" 0 'nothing was written through it'

# A state directory writable by others.
mkdir -p "$tmp/s3/flightdeck" && chmod 777 "$tmp/s3/flightdeck"
out=$(fd "$tmp/s3" "${scale[@]}" </dev/null 2>&1); rc=$?
is "$rc" 1 'a state directory writable by others: exit 1'
like "$out" 'writable by others \(mode 777\); refusing it \(chmod 700 ' 'and says how to fix it'
is "$(sent)" 0 'nothing was sent'

# A symlink planted at the measurements file.
mkdir -p "$tmp/s4/flightdeck" && chmod 700 "$tmp/s4/flightdeck"
ln -s "$tmp/victim" "$tmp/s4/flightdeck/measurements.jsonl"
out=$(fd "$tmp/s4" measurements list 2>&1); rc=$?
is "$rc" 2 'measurements list through a symlink: exit 2'
like "$out" 'measurements.jsonl: is a symbolic link; refusing to follow it' 'and says why'
is "$(cat "$tmp/victim")" precious "the symlink's target is untouched"

# No HOME, no XDG variables: refused, nothing written in the working directory.
out=$(fd - "${scale[@]}" </dev/null 2>&1); rc=$?
is "$rc" 2 'HOME unset: a mutating call exits 2'
like "$out" 'no state directory: HOME is unset and XDG_STATE_HOME is not set to an absolute path' 'and says what to set'
out=$(fd - measurements list 2>&1); rc=$?
is "$rc" 2 'HOME unset: measurements list exits 2'
like "$out" 'HOME is unset' 'and says so'
out=$(fd - runbook run scale -p desired=3 --yes </dev/null 2>&1); rc=$?
is "$rc" 2 'HOME unset: runbook run exits 2'
is "$(sent)" 0 'nothing was sent'
is "$(ls -A "$tmp/cwd" | wc -l)" 0 'nothing was created in the working directory'

# The ordinary case still works: 0700 directory, 0600 audit log.
out=$(fd "$tmp/s5" "${scale[@]}" </dev/null 2>&1); rc=$?
is "$rc" 0 'a fresh state directory: the call is sent'
is "$(stat -c %a "$tmp/s5/flightdeck")" 700 'the state directory is created 0700'
is "$(stat -c %a "$tmp/s5/flightdeck/audit.jsonl")" 600 'the audit log 0600'
is "$(sent)" 1 'one mutating call sent'
done_testing
