#!/usr/bin/env bash
# test_readme.sh — README.md's examples work: the config loads (snapshot against the
# simulator), the scenario runs in `flightdeck sim`, the runbook validates, plans and
# runs, every `flightdeck ...` command line it shows names real commands and options,
# the two commands exist in dev.sh, and the images and documents it links exist.
. "$FD_SRCDIR/tests/tap.sh"

readme="$FD_SRCDIR/README.md"
tmp=$(mktemp -d)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
export HOME="$tmp/home"
mkdir -p "$HOME"

# block NAME: the fenced block that follows `<!-- readme-test: NAME -->`.
block() {
	awk -v want="<!-- readme-test: $1 -->" '
		$0 == want { armed = 1; next }
		armed && /^```/ { if (inside) exit; inside = 1; next }
		inside { print }' "$readme"
}

# sim [ARGS...]: start a simulator; sets ep (its endpoint).
sim() {
	"$FD_BIN" sim --listen 127.0.0.1:0 "$@" >"$tmp/sim.out" 2>"$tmp/sim.err" &
	pids+=($!)
	local i
	for i in $(seq 600); do grep -q 'listening on' "$tmp/sim.out" && break; sleep 0.05; done
	ep=$(grep -o 'http://[^ ]*' "$tmp/sim.out" | tail -1)
}

# fd ARGS...: flightdeck against the simulator, in a clean environment.
fd() {
	env -i HOME="$HOME" PATH=/usr/bin:/bin AWS_ACCESS_KEY_ID=AKIDFLIGHTDECKSIM \
		AWS_SECRET_ACCESS_KEY=flightdeck/sim/secret AWS_REGION="${region:-ap-northeast-2}" \
		AWS_ENDPOINT_URL="$ep" FD_RUNBOOK_PATH="$tmp/runbooks" "$FD_BIN" "$@"
}

# --- the two commands ---------------------------------------------------------------
two=$(sed -n '/^## Two commands/,/^## /p' "$readme")
like "$two" '\./dev\.sh demo +#' 'README: ./dev.sh demo'
like "$two" '\./dev\.sh test +#' 'README: ./dev.sh test'
like "$(cat "$FD_SRCDIR/dev.sh")" '(^|[[:space:]])demo\)' 'dev.sh has the demo command'
like "$(cat "$FD_SRCDIR/dev.sh")" '(^|[[:space:]])test\)' 'dev.sh has the test command'

# --- links: screenshots and documents ------------------------------------------------
links=$(grep -o '](\(screenshots\|docs\)/[^)]*)' "$readme" | sed 's/^](//; s/)$//' | sort -u)
n=0
for l in $links; do
	n=$((n + 1))
	case "$l" in
	*.png) like "$(head -c 8 "$FD_SRCDIR/$l" 2>/dev/null | od -An -c | tr -d ' ')" '^211PNG' "README links $l, a PNG" ;;
	*) ok "$([ -s "$FD_SRCDIR/$l" ]; echo $?)" "README links $l, which exists" ;;
	esac
done
ok "$([ "$n" -ge 9 ]; echo $?)" "README links the screenshots and the IAM policies ($n links)"

# --- the config example ---------------------------------------------------------------
block config >"$tmp/config.yaml"
like "$(head -1 "$tmp/config.yaml")" '^stack:' 'README has a config example'
sim --seed 7
out=$(fd --config "$tmp/config.yaml" snapshot 2>&1); rc=$?
ok "$([ "$rc" = 0 ] || [ "$rc" = 1 ]; echo $?)" "the config example loads (snapshot exit $rc)"
[ "$rc" = 0 ] || [ "$rc" = 1 ] || printf '%s\n' "$out" | sed 's/^/# /' | head -10
like "$out" 'ALB 5xx rate +[0-9.]+ %' "its metric-math target has a value from the simulator"
like "$out" 'scale-out latency' "and the asg-activity target is listed"
unlike=$(printf '%s\n' "$out" | grep -c 'ValidationError\|ConfigError')
is "$unlike" 0 "no panel or target query of the example is refused"

# --- the runbook example: validate, plan, run --------------------------------------
mkdir -p "$tmp/runbooks"
block 'runbook canary' >"$tmp/runbooks/canary.yaml"
like "$(head -1 "$tmp/runbooks/canary.yaml")" '^description:' 'README has a runbook example'
out=$("$FD_BIN" runbook validate "$tmp/runbooks/canary.yaml" 2>&1); rc=$?
is "$rc" 0 "flightdeck runbook validate accepts the example"
like "$out" 'canary.yaml: ok \(5 steps' 'and counts its steps'
out=$(fd runbook plan canary 2>&1)
like "$out" 'change: +100/0 -> 90/10' 'the plan shows the change the example makes'
like "$out" 'plan: the run would go through .*; no mutating call was sent' 'and sends nothing'
out=$(fd runbook run canary --yes 2>&1); rc=$?
is "$rc" 0 "the example runs to the end against the simulator"
like "$out" '10 % of requests go to petclinic-tg-green, all healthy' 'and prints its summary'
lb=$(fd call elbv2 DescribeLoadBalancers | grep -o '"arn:aws:elasticloadbalancing:[^"]*loadbalancer/app/petclinic-alb/[^"]*"' | head -1 | tr -d '"')
weights=$(fd call elbv2 DescribeListeners LoadBalancerArn="$lb" | grep '"Weight"' | tr -dc '0-9\n' | tr '\n' ' ')
is "$weights" "90 10 " "the listener now sends 10 % to green"

# --- the scenario example -----------------------------------------------------------------
block scenario >"$tmp/shop.yaml"
like "$(head -1 "$tmp/shop.yaml")" '^scenario: shop' 'README has a scenario example'
sim --scenario "$tmp/shop.yaml"
like "$(cat "$tmp/sim.out" "$tmp/sim.err")" 'listening on http://127\.0\.0\.1:' 'flightdeck sim runs the scenario example'
region=us-east-1
like "$(fd whoami 2>&1)" 'account +210987654321' "its account answers GetCallerIdentity"
out=$(fd call autoscaling DescribeAutoScalingGroups 2>&1)
like "$(printf '%s' "$out" | tr -d ' \n')" '"AutoScalingGroupName":"shop-asg-blue".*"DesiredCapacity":3' "its groups are served"
region=us-west-2
like "$(fd call rds DescribeDBInstances 2>&1 | tr -d ' \n')" '"DBInstanceIdentifier":"shop-db-replica"' "and its DR region's replica"
region=

# --- every flightdeck command line the README shows -----------------------------------
help=$("$FD_BIN" --help 2>&1)
lines=$(awk '/^```sh/ { s = 1; next } /^```/ { s = 0 } s' "$readme" | sed 's/#.*//' |
	grep -o 'flightdeck [^|;&<>]*' | sed 's/[[:space:]]*$//')
n=0
set -f
while IFS= read -r line; do
	[ -n "$line" ] || continue
	n=$((n + 1))
	set -- $line
	shift
	while [ $# -gt 0 ] && [ "${1#--}" != "$1" ]; do   # global options (and their values)
		opt=${1%%=*}
		case "$help" in *"[$opt"*) ok 0 "'$line': $opt is an option" ;; *) ok 1 "'$line': $opt is an option" ;; esac
		case "$opt" in --profile|--region|--endpoint-url|--config|--refresh|--debug) shift ;; esac
		shift
	done
	[ $# -gt 0 ] || continue
	cmd=$1; shift
	err=$("$FD_BIN" "$cmd" --help 2>&1 >/dev/null)
	case "$err" in *"unknown command"*) ok 1 "'$line': $cmd is a command" ;; *) ok 0 "'$line': $cmd is a command" ;; esac
	sub_help=$("$FD_BIN" "$cmd" --help 2>&1)
	if { [ "$cmd" = runbook ] || [ "$cmd" = sim ]; } && [ -n "${1:-}" ] && [ "${1#-}" = "$1" ]; then
		err=$(fd "$cmd" "$1" 2>&1 >/dev/null </dev/null)
		case "$err" in
		*unknown*|*missing\ value*|*usage:\ flightdeck\ sim\ \[*) ok 1 "'$line': $cmd $1 is a subcommand"; printf '# %s\n' "$err" ;;
		*) ok 0 "'$line': $cmd $1 is a subcommand" ;;
		esac
	fi
	for a in "$@"; do
		case "$a" in
		--*) like "$sub_help $help" "\\[?${a%%=*}[] =]" "'$line': $cmd takes ${a%%=*}" ;;
		esac
	done
done <<<"$lines"
ok "$([ "$n" -ge 10 ]; echo $?)" "the README's command lines were checked ($n)"

done_testing
