# bench/lib/sim.sh — source it: a simulator on a kernel-chosen loopback port, stopped at
# exit, and an environment of its keys with state and config under $tmp. Sets tmp, sim_pid
# and url; exits 1 when the simulator does not start.
tmp=$(mktemp -d)
sim_pid=
trap '[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
"$FD_BIN" sim --listen 127.0.0.1:0 >"$tmp/sim.out" 2>/dev/null &
sim_pid=$!
for _ in $(seq 100); do grep -q listening "$tmp/sim.out" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$tmp/sim.out")
[ -n "$url" ] || exit 1
export HOME="$tmp" AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret \
	AWS_EC2_METADATA_DISABLED=true XDG_STATE_HOME="$tmp/state" XDG_CONFIG_HOME="$tmp/config"
