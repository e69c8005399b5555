#!/usr/bin/env bash
# test_limits_e2e.sh — the real binary's limits (issue 10): the dashboard runs without
# core dumps and with its heap capped, the simulator without the cap; and the
# bytes one call may receive over all its pages are bounded (--max-call-mib),
# against a server that pages forever with big pages.
. "$FD_SRCDIR/tests/tui/lib.sh"
tmp=$TUI_TMP

# The limits of a running dashboard (a fake model: no network) and of the simulator.
tui_start 80 24 -- --exit-after 20
for _ in $(seq 600); do pid=$(tui_pid); [ -n "$pid" ] && break; sleep 0.05; done
ok "$([ -n "$pid" ]; echo $?)" "the dashboard runs (pid $pid)"
# the limits are set in main(): read them once the first frame is drawn (an ASan
# build's runtime sets the soft core limit to 0 itself before main, which raced here)
ok "$(tui_wait 'Active alarms' 30; echo $?)" 'the first frame is drawn'
is "$(awk '/^Max core file size/ { print $5, $6 }' "/proc/$pid/limits")" "0 0" 'dashboard: core file size 0, soft and hard'
data=$(awk '/^Max data size/ { print $4 }' "/proc/$pid/limits")
case $("$FD_BIN" --version 2>/dev/null; ldd "$FD_BIN" 2>/dev/null) in
*libasan*) is "$data" unlimited 'dashboard: an ASan build is not capped' ;;
*) is "$data" 1073741824 'dashboard: heap capped at 1 GiB (RLIMIT_DATA)' ;;
esac
tui_keys q
"$FD_BIN" sim --listen 127.0.0.1:0 >"$tmp/sim.out" 2>&1 &
sim_pid=$!
for _ in $(seq 600); do grep -q listening "$tmp/sim.out" && break; sleep 0.05; done
is "$(awk '/^Max core file size/ { print $5 }' "/proc/$sim_pid/limits")" 0 'simulator: no core dumps either'
is "$(awk '/^Max data size/ { print $4 }' "/proc/$sim_pid/limits")" "$(awk '/^Max data size/ { print $4 }' /proc/$$/limits)" \
	'simulator: the memory cap does not apply (the limit it was started with)'
kill "$sim_pid"; wait "$sim_pid" 2>/dev/null

# A server whose every DescribeAutoScalingGroups page is 600 KiB with a next token.
cat >"$tmp/pager.py" <<'PY'
import http.server, sys
PAD = " " * (600 * 1024)
class H(http.server.BaseHTTPRequestHandler):
    n = 0
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        H.n += 1
        body = ('<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">'
                '<DescribeAutoScalingGroupsResult><AutoScalingGroups/><NextToken>page%d</NextToken>'
                '</DescribeAutoScalingGroupsResult>%s<ResponseMetadata><RequestId>r%d</RequestId>'
                '</ResponseMetadata></DescribeAutoScalingGroupsResponse>' % (H.n, PAD, H.n)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        with open(sys.argv[1], "w") as f:
            f.write(str(H.n))
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
/usr/bin/python3 "$tmp/pager.py" "$tmp/pages" >"$tmp/port" &
pager=$!
trap 'kill $pager 2>/dev/null; wait $pager 2>/dev/null; tui_cleanup' EXIT
for _ in $(seq 600); do [ -s "$tmp/port" ] && break; sleep 0.05; done
port=$(cat "$tmp/port")
out=$(env AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=x AWS_REGION=us-east-1 AWS_MAX_ATTEMPTS=1 \
	"$FD_BIN" --max-call-mib 1 --endpoint-url "http://127.0.0.1:$port" \
	call autoscaling describe-auto-scaling-groups --all-pages 2>&1); rc=$?
is "$rc" 1 'all pages over --max-call-mib 1: exit 1'
is "$out" 'autoscaling DescribeAutoScalingGroups: ResponseTooLarge: autoscaling DescribeAutoScalingGroups: the responses passed 1 MiB (--max-call-mib)' \
	'the error names the call and the option'
is "$(cat "$tmp/pages")" 2 'the second 600 KiB page passed 1 MiB: no third page was asked for'
# A server answering every request with 20 MiB (issue 10: a snapshot against 100 MB
# answers peaked at 515 MB): the answers in flight together stay within the budget;
# the snapshot fails cleanly (exit 2, each panel ResponseTooLarge), not out of memory.
/usr/bin/python3 "$FD_SRCDIR/tests/big_server.py" $((20 << 20)) > "$tmp/bigport" &
big=$!
trap 'kill $pager $big 2>/dev/null; wait $pager $big 2>/dev/null; tui_cleanup' EXIT
for _ in $(seq 600); do [ -s "$tmp/bigport" ] && break; sleep 0.05; done
env HOME="$tmp" AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=x AWS_REGION=ap-northeast-2 AWS_MAX_ATTEMPTS=1 \
	"$FD_BIN" --max-call-mib 8 --endpoint-url "http://127.0.0.1:$(cat "$tmp/bigport")" snapshot >/dev/null 2>"$tmp/big.err"; rc=$?
is "$rc" 2 'a snapshot against 20 MiB answers with --max-call-mib 8: exit 2, no crash'
like "$(cat "$tmp/big.err")" 'could not be read: ResponseTooLarge: the responses in flight passed 8 MiB together \(--max-call-mib\)' \
	'the answers in flight together are bounded'
is "$(grep -c 'out of memory' "$tmp/big.err")" 0 'never out of memory'
is "$(grep -v 'ResponseTooLarge\|no data from any API' "$tmp/big.err" | grep -c 'could not be read')" 0 \
	'every panel failed on the budget, nothing else'

out=$("$FD_BIN" --max-call-mib 0 call sts get-caller-identity 2>&1); rc=$?
is "$rc" 2 '--max-call-mib 0 is a usage error'
like "$out" "--max-call-mib: '0' is not a number of MiB from 1 to 65536" 'with a clear message'
done_testing
