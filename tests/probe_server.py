"""probe_server.py PORT_FILE LOG — a local web server for the probe tests.

GET /hang never answers, /down answers 503, /pattern/CHARS answers its requests in turn
by CHARS, cyclically (o: 200, e: 500, d: 503), anything else 200. Each request is one line
of LOG: the path and the User-Agent. The port is written to PORT_FILE (atomically) once
it listens; the server stops by itself after 10 minutes.
"""
import http.server
import os
import sys
import threading
import time

port_file, log = sys.argv[1], sys.argv[2]
served = {}   # /pattern/CHARS: requests answered so far
lock = threading.Lock()
CODES = {"o": 200, "e": 500, "d": 503}


class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(log, "a") as f:
            f.write("%s %s\n" % (self.path, self.headers.get("User-Agent", "-")))
        if self.path == "/hang":
            time.sleep(30)
            return
        code = 503 if self.path == "/down" else 200
        if self.path.startswith("/pattern/"):
            chars = self.path[len("/pattern/"):]
            with lock:
                n = served.get(chars, 0)
                served[chars] = n + 1
            code = CODES[chars[n % len(chars)]]
        self.send_response(code)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *a):
        pass


s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
s.daemon_threads = True
open(port_file + ".tmp", "w").write(str(s.server_address[1]))
os.rename(port_file + ".tmp", port_file)
threading.Timer(600, s.shutdown).start()
s.serve_forever()
