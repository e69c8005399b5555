"""recorder.py — a TLS listener on 127.0.0.1 that records every connection and
every request head it receives (for the host-injection test): the attacker's
host that an unchecked region would turn into a request target.

Usage: recorder.py DIR  -- writes DIR/cert.pem (a self-signed certificate for
127.0.0.1, so that a client told to trust it completes TLS and shows what it
would send), DIR/port, and appends to DIR/log: "connect" per connection and
the request's head lines."""
import datetime
import ipaddress
import os
import socket
import ssl
import sys
import threading

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

d = sys.argv[1]
key = ec.generate_private_key(ec.SECP256R1())
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
now = datetime.datetime.utcnow()
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256()))
with open(os.path.join(d, "cert.pem"), "wb") as f:
    f.write(cert.public_bytes(serialization.Encoding.PEM))
with open(os.path.join(d, "key.pem"), "wb") as f:
    f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()))
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(os.path.join(d, "cert.pem"), os.path.join(d, "key.pem"))
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(16)
lock = threading.Lock()


def log(line):
    with lock, open(os.path.join(d, "log"), "a") as f:
        f.write(line + "\n")


def serve(conn):
    log("connect")
    try:
        s = ctx.wrap_socket(conn, server_side=True)
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            chunk = s.recv(4096)
            if not chunk:
                break
            head += chunk
        for line in head.split(b"\r\n"):
            if line:
                log(line.decode("latin-1"))
        s.sendall(b"HTTP/1.1 500 Recorded\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        s.close()
    except (ssl.SSLError, OSError) as e:
        log("tls: %s" % e)


with open(os.path.join(d, "port.tmp"), "w") as f:
    f.write(str(srv.getsockname()[1]))
os.rename(os.path.join(d, "port.tmp"), os.path.join(d, "port"))
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
