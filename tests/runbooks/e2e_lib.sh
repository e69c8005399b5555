# e2e_lib.sh — start `flightdeck sim` for a runbook test (source it; call sim_start [FAULT...]).
# Sets PORT, ENDPOINT and a clean AWS environment; kills the simulator on exit.
tmp=$(mktemp -d)
SIMPID=
trap 'if [ -n "$SIMPID" ]; then kill "$SIMPID" 2>/dev/null; wait "$SIMPID" 2>/dev/null; fi; rm -rf "$tmp"' EXIT
sim_start() { # sim_start [--fault SPEC ...]: a fresh simulator
	if [ -n "$SIMPID" ]; then kill "$SIMPID" 2>/dev/null; wait "$SIMPID" 2>/dev/null; fi
	: > "$tmp/sim.out"   # before the loop below greps it (the & child opens it later)
	"$FD_BIN" sim --listen 127.0.0.1:0 "$@" > "$tmp/sim.out" 2>&1 &
	SIMPID=$!
	# up to 90 s: under ASan on a loaded CI machine a start once took over 30 s
	for _ in $(seq 900); do grep -q listening "$tmp/sim.out" && break; kill -0 "$SIMPID" 2>/dev/null || break; sleep 0.1; done
	PORT=$(grep -o '127\.0\.0\.1:[0-9]*' "$tmp/sim.out" | head -1)
	if [ -z "$PORT" ]; then
		echo "# the simulator did not start (pid $SIMPID): its output:"
		sed 's/^/#   /' "$tmp/sim.out" | head -20
	fi
	ENDPOINT=http://$PORT
	rm -rf "$tmp/home"; mkdir -p "$tmp/home"
	export HOME=$tmp/home XDG_STATE_HOME=$tmp/home/state XDG_CONFIG_HOME=$tmp/home/config
	export AWS_ENDPOINT_URL=$ENDPOINT AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM
	export AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret AWS_REGION=ap-northeast-2
	unset AWS_PROFILE AWS_DEFAULT_REGION AWS_SESSION_TOKEN AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE FD_RUNBOOK_PATH
}
outage_seen() { # wait (up to 30 s) until the primary's targets are unhealthy: the outage is visible
	local i
	for i in $(seq 300); do
		curl -s "$ENDPOINT/_sim/state" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if all(t["state"] != "healthy" for g in d["regions"][0]["target_groups"] for t in g["targets"]) else 1)' && return 0
		sleep 0.1
	done
	return 1
}
mutations() { # the successful mutating calls the simulator saw: "service operation region" lines
	curl -s "$ENDPOINT/_sim/requests" | /usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["mutating"] and r["status"] < 300:
        print(r["service"], r["operation"], r["region"])'
}
mutating_count() { # every mutating call the simulator saw, whatever its outcome
	curl -s "$ENDPOINT/_sim/requests" | /usr/bin/python3 -c '
import json, sys
print(sum(1 for r in json.load(sys.stdin) if r["mutating"]))'
}
weights() { # the primary listener's default weights: "petclinic-tg-blue=N petclinic-tg-green=M"
	curl -s "$ENDPOINT/_sim/state" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
fw = d["regions"][0]["load_balancers"][0]["listeners"][0]["rules"][0]["forward"]
print(" ".join(sorted("%s=%d" % (f["target_group"].split("/")[1], f["weight"]) for f in fw)))'
}
