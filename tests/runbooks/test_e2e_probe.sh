#!/usr/bin/env bash
# test_e2e_probe.sh — the probe action's HTTP checks go through aws/http.c (libcurl's multi
# interface, polled by the run's loop): a local server sees them (User-Agent flightdeck/...),
# counts them during the steps the probe watches, and a check that gets no answer fails with
# http.c's timeout, a status outside expect_status with it, and either stops the run at its
# baseline before anything else.
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"
sim_start   # the caller identity a run reads first

# A web server: /ok answers 200, /down 503, /hang never answers; every request is logged.
/usr/bin/python3 - "$tmp/web.port" "$tmp/web.log" <<'PY' &
import http.server, sys, threading, time
port_file, log = sys.argv[1], sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(log, "a") as f:
            f.write("%s %s\n" % (self.path, self.headers.get("User-Agent", "-")))
        if self.path == "/hang":
            time.sleep(30)
            return
        self.send_response(200 if self.path == "/ok" else 503)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
s.daemon_threads = True
open(port_file + ".tmp", "w").write(str(s.server_address[1]))
import os; os.rename(port_file + ".tmp", port_file)
threading.Timer(120, s.shutdown).start()
s.serve_forever()
PY
WEBPID=$!
trap 'kill $WEBPID 2>/dev/null; if [ -n "$SIMPID" ]; then kill "$SIMPID" 2>/dev/null; fi; wait 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do [ -s "$tmp/web.port" ] && break; sleep 0.1; done
WEB=http://127.0.0.1:$(cat "$tmp/web.port")

cat > "$tmp/probed.yaml" <<'YAML'
description: a probe watching a nap
parameters:
  url: {type: string}
steps:
  - name: probe
    action: probe
    inputs: {url: "{{ parameters.url }}", interval: 100ms, baseline: 2, during: [nap]}
    measure: downtime_s
  - name: nap
    action: sleep
    inputs: {duration: 1s}
YAML

out=$("$FD_BIN" runbook run "$tmp/probed.yaml" -p url="$WEB/ok" --yes 2>&1); rc=$?
is "$rc" 0 "a probe watching a step that answers: the run is done"
like "$out" "baseline: 2 of 2 checks answered; probing every 100 ms while 1 step run" "its baseline passed"
like "$out" "probe probe: [0-9]+ checks of $WEB/ok every 100 ms, 0 failed: downtime 0.0 s" "its checks during the nap, none failed"
n=$(grep -c '^/ok ' "$tmp/web.log")
ok "$([ "$n" -ge 5 ] && echo 0 || echo 1)" "the server saw the baseline and the checks ($n requests)"
is "$(grep '^/ok ' "$tmp/web.log" | grep -vc ' flightdeck/')" 0 "every check came from aws/http.c (User-Agent flightdeck/...)"

out=$("$FD_BIN" runbook run "$tmp/probed.yaml" -p url="$WEB/hang" --yes 2>&1); rc=$?
is "$rc" 1 "a URL that never answers: the run fails"
like "$out" "FAILED \(step probe: probe probe: baseline: $WEB/hang did not answer successfully \(2 checks; last: no complete response in time" \
	"at its baseline, each check given up after its timeout (http.c's Timeout)"
like "$out" "nothing was changed" "before anything else"

out=$("$FD_BIN" runbook run "$tmp/probed.yaml" -p url="$WEB/down" --yes 2>&1); rc=$?
is "$rc" 1 "a URL answering 503: the run fails"
like "$out" "did not answer successfully \(2 checks; last: HTTP 503\)" "the status is what failed the checks"
done_testing
