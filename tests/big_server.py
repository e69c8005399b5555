"""big_server.py BYTES — a local web server answering every GET or POST with BYTES of
spaces (Content-Type text/xml, in 1 MiB writes), for the per-call byte cap
(tests/test_limits_e2e.sh, bench/safety.sh). Prints its port once it listens.
"""
import http.server
import socketserver
import sys

SIZE = int(sys.argv[1])
CHUNK = b" " * (1 << 20)


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(SIZE))
        self.end_headers()
        try:
            left = SIZE
            while left > 0:
                self.wfile.write(CHUNK[:min(left, len(CHUNK))])
                left -= len(CHUNK)
        except OSError:
            pass

    do_GET = do_POST

    def log_message(self, *a):
        pass


class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


s = S(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
