#!/usr/bin/env bash
# scripts/screenshots.sh — regenerate screenshots/*.png from the real dashboard.
#
#   scripts/screenshots.sh [OUTDIR]        (default: screenshots/ of this tree)
#
# Starts `flightdeck sim --seed 7` on a kernel-chosen loopback port, runs the
# dashboard against it in a private tmux server at 100x30, walks the views with
# send-keys, runs the blue-green cutover runbook in the background for the lb
# screen, and renders each `tmux capture-pane -e` through aha (ANSI -> HTML) and
# headless chromium (HTML -> PNG). Installs aha, chromium and fonts-dejavu-core
# with apt-get when they are missing (this script is not part of CI).
# FD_BIN picks the binary (default build/flightdeck).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${FD_BIN:-$top/build/flightdeck}
out=${1:-$top/screenshots}
cols=100 rows=30

die() { echo "screenshots: $*" >&2; exit 1; }
[ -x "$bin" ] || die "no binary at $bin (build first, or set FD_BIN)"

# install_missing PKG...: apt-get install the Debian packages that are not installed.
install_missing() {
	local missing=() p sudo=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "screenshots: installing ${missing[*]}" >&2
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}
install_missing aha chromium fonts-dejavu-core tmux || die "could not install aha, chromium, fonts-dejavu-core"

work=$(mktemp -d)
sock="fd-shots-$$"
sim_pid="" rb_pid=""
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null
	[ -n "$rb_pid" ] && kill "$rb_pid" 2>/dev/null
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/home" "$out"

# The simulator: its first line names the endpoint and the credentials it accepts.
"$bin" sim --listen 127.0.0.1:0 --seed 7 >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
for _ in $(seq 100); do grep -q 'listening on' "$work/sim.out" && break; sleep 0.05; done
line=$(head -1 "$work/sim.out")
endpoint=$(printf '%s\n' "$line" | grep -o 'http://[^ ]*')
akid=$(printf '%s\n' "$line" | sed -n 's/.*AWS_ACCESS_KEY_ID=\([^ ]*\).*/\1/p')
secret=$(printf '%s\n' "$line" | sed -n 's/.*AWS_SECRET_ACCESS_KEY=\([^ ]*\).*/\1/p')
[ -n "$endpoint" ] && [ -n "$akid" ] || die "the simulator did not start: $(cat "$work/sim.err")"

# A clean environment pointed at the simulator (no real ~/.aws).
fd_env() {
	echo env -i HOME="$work/home" PATH=/usr/bin:/bin TERM=screen-256color "LANG=${1:-C.UTF-8}" \
		AWS_ACCESS_KEY_ID="$akid" AWS_SECRET_ACCESS_KEY="$secret" AWS_REGION=ap-northeast-2 \
		AWS_ENDPOINT_URL="$endpoint" FD_RUNBOOK_PATH="$top/runbooks"
}

tm() { tmux -f /dev/null -L "$sock" "$@"; }

# start SESSION LANG ARGS...: a new tmux session running flightdeck ARGS.
start() {
	local s=$1 lang=$2
	shift 2
	tm -u new-session -d -s "$s" -x "$cols" -y "$rows" "$(fd_env "$lang") $bin $*; sleep 600"
}

# wait_for SESSION REGEX [SECONDS]: wait until the screen matches; 0 when it did.
wait_for() {
	local i n=$(( ${3:-10} * 10 ))
	for ((i = 0; i < n; i++)); do
		tm capture-pane -p -t "$1" | grep -Eq -- "$2" && return 0
		sleep 0.1
	done
	echo "screenshots: $1: gave up waiting for /$2/" >&2
	return 1
}

# render SESSION NAME: the pane, as it looks, to OUT/NAME.png.
render() {
	local s=$1 name=$2 html="$work/$2.html"
	tm capture-pane -e -p -t "$s" >"$work/$name.ans"
	# aha's stylesheet mode names colours by class, so the palette below can be a
	# terminal's (xterm's) instead of the HTML colour names.
	aha --black --stylesheet --title "flightdeck $name" <"$work/$name.ans" |
		sed 's|</style>|pre { font-family: "DejaVu Sans Mono", monospace; font-size: 14.95px; line-height: 17px; margin: 0; }\
body { margin: 0; padding: 8px 10px; }\
.reset { color: #d0d0d0; } body { color: #d0d0d0; }\
.dimgray { color: #7f7f7f; } .red { color: #e05050; } .green { color: #50c050; }\
.yellow { color: #d8c040; } .blue { color: #5c8fe8; } .purple { color: #c060c0; }\
.cyan { color: #40c0c8; } .white { color: #e5e5e5; }\
.bg-red { background-color: #a02020; } .bg-green { background-color: #207020; }\
.bg-yellow { background-color: #8a7a10; } .bg-blue { background-color: #203a80; }\
.bg-purple { background-color: #702070; } .bg-cyan { background-color: #106870; }\
.bg-white { background-color: #d0d0d0; } .inverted { color: #000000; }\
.bg-inverted { background-color: #d0d0d0; }\
</style>|' >"$html"
	# 14.95px DejaVu Sans Mono advances 9px; 17px lines leave no gap between block characters.
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --hide-scrollbars \
		--user-data-dir="$work/chromium" --screenshot="$out/$name.png" \
		--window-size=$((cols * 9 + 20)),$((rows * 17 + 16)) "file://$html" \
		>"$work/chromium.log" 2>&1 || die "chromium failed: $(tail -3 "$work/chromium.log")"
	echo "screenshots: $out/$name.png" >&2
}

# view SESSION NAME REGEX: select a view by its : command, wait for data, render.
view() {
	tm send-keys -t "$1" ":$2" Enter
	wait_for "$1" "$3" 15
	sleep 1
	render "$1" "$2"
}

# 1. The load balancers while blue-green-cutover shifts the weights.
start main C.UTF-8
wait_for main 'Success targets' 20 || die "the dashboard did not start: $(tm capture-pane -p -t main)"
tm send-keys -t main ":lb" Enter
wait_for main 'Load balancers' 15
# the game-day matrix's timing (tests/gameday/gameday.py): one-minute periods published
# 4-8 s late at the simulator's time scale, so the whole cutover takes ~7 minutes, not 20
$(fd_env) "$bin" runbook run blue-green-cutover --yes -p probe_url="$endpoint/_sim/app/ap-northeast-2/" \
	-p metric_period=60 -p metric_delay=8s -p watch=128s >"$work/cutover.log" 2>&1 &
rb_pid=$!
# blue and green both carrying traffic: a weight split other than 100/0.
wait_for main 'blue +[1-9][0-9]? .* [1-9][0-9]? green' 120 || tail -5 "$work/cutover.log" >&2
sleep 1
render main lb

# 2. The other views once the cutover (downtime, deploy duration) and a scale-out
# (scale-out latency) have given the success targets figures.
wait "$rb_pid" 2>/dev/null; rb_pid=""
$(fd_env) "$bin" runbook run scale -p asg=petclinic-asg-was-green -p desired=3 --yes >"$work/scale.log" 2>&1 ||
	tail -5 "$work/scale.log" >&2
tm send-keys -t main r
sleep 6
view main overview 'Success targets'
view main metrics 'age [0-9]'
view main route53 'DNS'
view main xray 'Traces'
view main asg 'Instances of'
view main db 'age [0-9<]'
view main sessions 'Failovers and node replacements'
view main cdn 'age [0-9<]'

# 3. A runbook run in the dashboard, waiting for its typed confirmation.
tm send-keys -t main ":runbooks" Enter
wait_for main 'scale +Scale' 15
# select the scale runbook: j down to its row of the list
row=$(tm capture-pane -p -t main | awk '/Runbooks: / { on = 1; next } on && /^(─|-)/ { exit } on { n++; if ($1 == "scale") { print n - 1; exit } }')
for ((k = 0; k < ${row:-0}; k++)); do tm send-keys -t main j; done
sleep 0.5
# Enter: the parameters form (desired 3), then run; the run waits behind a banner
# until Enter on it opens the confirmation panel.
tm send-keys -t main Enter
wait_for main 'Parameters of scale' 10
tm send-keys -t main j j j Enter C-u 3 Enter
wait_for main 'desired +3 ' 5 && render main runbook-form
tm send-keys -t main G Enter
wait_for main 'CONFIRMATION WAITING' 30
tm send-keys -t main Enter
wait_for main 'to send it' 10 && render main runbook-confirm

# 4. ASCII mode: LANG=C, the overview without line drawing or block characters.
start ascii C
wait_for ascii 'Success targets' 20 && sleep 6 && render ascii ascii
ls -l "$out"/*.png >&2
