# tests/sim/lib.sh — start a simulator for a shell test; source it after tap.sh.
#   start_sim [flightdeck sim options...]   sets SIM_PID, SIM_PORT, SIM_URL
# The simulator is stopped when the test exits. The environment is clean: a temp
# HOME, the simulator's keys, no real ~/.aws, no proxies, no IMDS lookups.
SIM_TMP=$(mktemp -d)
SIM_PIDS=""
stop_sims() {
	local p
	for p in $SIM_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$SIM_TMP"
}
trap stop_sims EXIT
export HOME="$SIM_TMP/home"
mkdir -p "$HOME"
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE AWS_ENDPOINT_URL \
	AWS_DEFAULT_PROFILE http_proxy https_proxy HTTP_PROXY HTTPS_PROXY
export AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret
export AWS_EC2_METADATA_DISABLED=true AWS_PAGER="" AWS_REGION=ap-northeast-2 AWS_DEFAULT_REGION=ap-northeast-2
export NO_PROXY='*'

start_sim() {
	local out="$SIM_TMP/sim.$$.$RANDOM" i
	"$FD_BIN" sim --listen 127.0.0.1:0 "$@" >"$out" 2>"$out.err" &
	SIM_PID=$!
	SIM_PIDS="$SIM_PIDS $SIM_PID"
	for i in $(seq 1 600); do
		grep -q 'listening on' "$out" 2>/dev/null && break
		kill -0 "$SIM_PID" 2>/dev/null || break
		sleep 0.05
	done
	SIM_LINE=$(head -n 1 "$out")
	SIM_PORT=$(printf '%s' "$SIM_LINE" | sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\) .*|\1|p')
	SIM_URL="http://127.0.0.1:$SIM_PORT"
	[ -n "$SIM_PORT" ]
}

# awsx ARGS...: Debian's aws-cli against the simulator, JSON out.
awsx() {
	/usr/bin/aws --endpoint-url "$SIM_URL" --no-cli-pager --output json "$@"
}
