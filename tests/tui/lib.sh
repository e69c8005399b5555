# tests/tui/lib.sh — drive the dashboard in a private tmux server; source it.
# Each test uses its own server socket (-L) so tests can run in parallel.
. "$FD_SRCDIR/tests/tap.sh"

TUI_BASE="fd-test-$$-${RANDOM}"
TUI_N=0
TUI_SOCK="$TUI_BASE-0"
TUI_TMP=$(mktemp -d)
export HOME="$TUI_TMP"
tui_tmux() { tmux -f /dev/null -L "$TUI_SOCK" "$@"; }
tui_cleanup() {
	local i
	for ((i = 0; i <= TUI_N; i++)); do tmux -L "$TUI_BASE-$i" kill-server 2>/dev/null; done
	rm -rf "$TUI_TMP"
}
trap tui_cleanup EXIT

# tui_start W H ENV... -- ARGS...: start flightdeck in a new session (the fake model
# of the test binary FD_FAKE_BIN unless the env says FLIGHTDECK_FAKE_MODEL=0: then the
# shipped FD_BIN); the pane stays after the program exits.
tui_start() {
	local w=$1 h=$2 envs=() args=() bin=$FD_FAKE_BIN
	shift 2
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		[ "$1" = FLIGHTDECK_FAKE_MODEL=0 ] && bin=$FD_BIN
		envs+=("$1"); shift
	done
	[ "${1:-}" = "--" ] && shift
	args=("$@")
	tui_tmux kill-server 2>/dev/null
	TUI_N=$((TUI_N + 1))     # a fresh server each time: never race a dying one
	TUI_SOCK="$TUI_BASE-$TUI_N"
	tui_tmux -u new-session -d -x "$w" -y "$h" \
		"env -i HOME=$TUI_TMP PATH=/usr/bin:/bin TERM=screen LANG=C.UTF-8 FLIGHTDECK_FAKE_MODEL=1 \
		 FD_RUNBOOK_PATH=$FD_SRCDIR/runbooks ${envs[*]} $bin ${args[*]}; \
		 echo \"exit=\$?\"; stty -a | tr ' ;' '\n\n' | grep -E '^-?(echo|icanon)\$' | tr '\n' ' '; echo; sleep 30"
	tui_tmux set-option -g remain-on-exit on >/dev/null
}

# tui_cap [-e]: the screen as text (-e: with attributes and colours).
tui_cap() { tui_tmux capture-pane -p "$@"; }

# tui_keys KEYS...: send keys (tmux key names).
tui_keys() { tui_tmux send-keys "$@"; }

# tui_wait REGEX [SECONDS]: wait until the screen matches; 0 when it did.
tui_wait() {
	local i n=$(( ${2:-5} * 20 ))
	for ((i = 0; i < n; i++)); do
		tui_cap | grep -Eq -- "$1" && return 0
		sleep 0.05
	done
	return 1
}

# tui_pid: the pid of flightdeck in the pane.
tui_pid() { pgrep -P "$(tui_tmux display-message -p '#{pane_pid}')" -x 'flightdeck|flightdeck-fake' | head -1; }

# tui_mask: replace data ages and clock-like figures so goldens are stable.
# ("<10s" is an age too: ages under a minute show in 10 s steps.)
tui_mask() { sed -E 's/age <?[0-9]+[smhd]/age N/g; s/[0-9]{2}:[0-9]{2}Z/HH:MMZ/g; s/ <?[0-9]+[smhd] ago/ N ago/g; s/(^| )<?[0-9]{1,2}s( |$)/\1Ns\2/g'; }
