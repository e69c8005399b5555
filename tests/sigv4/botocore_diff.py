#!/usr/bin/python3
"""botocore_diff.py — differential test: flightdeck's SigV4 against botocore's.

Generates random requests with a fixed seed (paths with %, spaces, UTF-8, dot
segments and double slashes; repeated, unsorted and empty query parameters;
odd header whitespace, case, duplicates and obs-folds; bodies; with and without
session tokens; stale Authorization / X-Amz-Date headers), signs each with
botocore.auth.SigV4Auth.add_auth (the clock fixed) and with flightdeck's C API
(the sign_stream helper), and compares the canonical request and the
Authorization value. One TAP point per request.

Both sides get the same input: the path exactly as it goes on the wire (botocore
signs urlsplit(request.url).path, which is the wire path), the query as
parameters for botocore (it encodes them) and as one percent-encoded wire form
for flightdeck (which decodes and re-encodes; the wire form is chosen at random
among the valid ones), the headers and body as they are.

usage: botocore_diff.py SIGN_STREAM [COUNT] [SEED]
       botocore_diff.py --emit FILE [COUNT] [SEED]   (write the stream, for bench)
       botocore_diff.py --emit-client FILE [COUNT] [SEED]   (requests as flightdeck's client sends them)
       botocore_diff.py --bench client|random COUNT SEED ROUNDS   (botocore signatures/s on
                        the requests --emit-client / --emit write for the same COUNT and SEED)
"""
import datetime
import random
import subprocess
import sys
import time
import types

import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
RESERVED_PATH = "$&+,;=:@!*'()[]"
UTF8_CHARS = ["é", "ü", "ሴ", "日本", "€", "😀", "ß", "Ω"]
REGIONS = ["us-east-1", "ap-northeast-2", "ap-northeast-1", "eu-west-1"]
SERVICES = ["service", "sts", "monitoring", "autoscaling", "route53", "xray",
            "elasticloadbalancing", "execute-api"]
METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"]
HEADER_NAMES = ["X-Custom", "My-Header1", "Content-Type", "X-Amz-Target", "X-Amz-Meta-Foo",
                "Accept", "Content-Length", "X-Amz-User-Agent", "x_under.score~",
                "User-Agent", "Expect", "X-Amzn-Trace-Id", "Amz-Sdk-Request"]
TOKEN_CHARS = UNRESERVED + "/+="


def rand_case(rng, s):
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in s)


def rand_word(rng, lo=1, hi=8, alphabet=UNRESERVED):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))


def rand_path(rng):
    """A wire path: starts with '/', no '?' or '#', no control characters."""
    segs = []
    for _ in range(rng.randint(0, 6)):
        kind = rng.random()
        if kind < 0.30:
            segs.append(rand_word(rng))
        elif kind < 0.40:
            segs.append(rng.choice([".", ".."]))
        elif kind < 0.50:
            segs.append("")                                   # '//'
        elif kind < 0.60:
            segs.append(rand_word(rng) + " " + rand_word(rng))  # raw space
        elif kind < 0.72:
            segs.append(rng.choice(["%20", "%2F", "%41", "%7e", "%E1%88%B4", "%", "%zz", "%25"])
                        + rand_word(rng, 0, 3))
        elif kind < 0.84:
            segs.append(rng.choice(UTF8_CHARS) + rand_word(rng, 0, 3))
        else:
            segs.append("".join(rng.choice(RESERVED_PATH + UNRESERVED) for _ in range(rng.randint(1, 6))))
    path = "/" + "/".join(segs)
    if segs and rng.random() < 0.3:
        path += "/"
    return path


def rand_query_text(rng):
    kind = rng.random()
    if kind < 0.35:
        return rand_word(rng, 1, 6)
    if kind < 0.45:
        return ""
    if kind < 0.60:
        return rand_word(rng, 1, 3) + " " + rand_word(rng, 1, 3)
    if kind < 0.75:
        return rng.choice(UTF8_CHARS) + rand_word(rng, 0, 3)
    return "".join(rng.choice(UNRESERVED + "&=+%#/ :@!$*'(),;?[]") for _ in range(rng.randint(1, 6)))


def wire_encode(rng, s):
    """One valid percent-encoded wire form of a decoded query component."""
    out = []
    for ch in s:
        for b in ch.encode("utf-8"):
            c = chr(b)
            hexs = "%02X" % b if rng.random() < 0.7 else "%02x" % b
            if c in UNRESERVED:
                out.append(c if rng.random() < 0.85 else "%" + hexs)
            elif c in "&=+%#":
                out.append("%" + hexs)
            elif c == " ":
                out.append(" " if rng.random() < 0.15 else "%" + hexs)
            elif b >= 0x80:
                out.append(chr(b) if rng.random() < 0.4 else "%" + hexs)
            else:
                out.append(c if rng.random() < 0.4 else "%" + hexs)
    # raw bytes >= 0x80 are latin-1 code points here: encode_target makes them bytes again
    return "".join(out)


def rand_header_value(rng):
    kind = rng.random()
    words = [rand_word(rng, 1, 6, UNRESERVED + "!\"#$%&'()*+,/:;<=>?@[\\]^`{|}") for _ in range(rng.randint(0, 4))]
    if kind < 0.1:
        return ""
    seps = []
    for _ in words:
        seps.append(rng.choice([" ", "  ", "\t", " \t  ", " "]))
    value = ""
    for w, s in zip(words, seps):
        value += w + s
    value = value.rstrip(" \t") if rng.random() < 0.5 else value
    if rng.random() < 0.3:
        value = rng.choice([" ", "  ", "\t", " \t"]) + value
    if kind > 0.85 and value.strip():
        # obs-fold: continuation lines starting with spaces or a tab
        value += "\n" + rng.choice(["  ", " ", "\t", "     "]) + rand_word(rng)
        if rng.random() < 0.5:
            value += "\n " + rand_word(rng)
    return value


def make_case(rng, i):
    method = rng.choice(METHODS)
    path = rand_path(rng)
    params = []
    for _ in range(rng.randint(0, 6)):
        if params and rng.random() < 0.25:
            key = rng.choice(params)[0]                        # repeated key
        else:
            key = rand_query_text(rng) if rng.random() < 0.9 else ""
            if key == "" and rng.random() < 0.7:
                key = rand_word(rng)
        params.append((key, rand_query_text(rng)))
    rng.shuffle(params)
    qparts = []
    for k, v in params:
        if v == "" and k != "" and rng.random() < 0.5:
            qparts.append(wire_encode(rng, k))                  # bare key, no '='
        else:
            qparts.append(wire_encode(rng, k) + "=" + wire_encode(rng, v))
    query = "&".join(qparts)

    token = None
    if rng.random() < 0.5:
        token = rand_word(rng, 20, 120, TOKEN_CHARS)
    host = rng.choice(["example.amazonaws.com", "sts.amazonaws.com", "127.0.0.1:4566",
                       "monitoring.ap-northeast-2.amazonaws.com", "localhost:8443"])
    headers = []
    headers.append((rand_case(rng, "host"), rng.choice(["", " ", "  "]) + host + rng.choice(["", " ", "\t"])))
    for _ in range(rng.randint(0, 6)):
        if headers and rng.random() < 0.2:
            name = rand_case(rng, rng.choice(headers)[0])      # duplicate, other case
        else:
            name = rand_case(rng, rng.choice(HEADER_NAMES))
        headers.append((name, rand_header_value(rng)))
    extra = rng.random()
    if extra < 0.1:
        headers.append(("Authorization", "AWS4-HMAC-SHA256 Credential=stale"))
    elif extra < 0.2:
        headers.append((rand_case(rng, "x-amz-date"), "20000101T000000Z"))
    elif extra < 0.3:
        headers.append(("X-Amz-Security-Token", "stale-" + rand_word(rng)))
    elif extra < 0.4:
        headers.append(("X-Amz-Content-SHA256", rng.choice(["UNSIGNED-PAYLOAD", "0" * 64])))
    rng.shuffle(headers)

    body = b""
    if rng.random() < 0.5:
        body = bytes(rng.randrange(256) for _ in range(rng.randint(1, 200)))
    elif rng.random() < 0.3:
        body = "Action=GetCallerIdentity&Version=2011-06-15".encode()

    when = datetime.datetime(2015, 1, 1) + datetime.timedelta(seconds=rng.randrange(16 * 365 * 86400))
    return {
        "i": i, "method": method, "path": path, "params": params, "query": query,
        "headers": headers, "body": body, "token": token, "host": host,
        "region": rng.choice(REGIONS), "service": rng.choice(SERVICES), "when": when,
        "access_key": "AKID" + rand_word(rng, 12, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
        "secret_key": rand_word(rng, 30, 40, UNRESERVED + "/+"),
        "body_blank_line": body != b"" or rng.random() < 0.5,
    }


CLIENT_SHAPES = [
    # (service, method, path, query, content type, extra headers, body) as flightdeck's client sends them
    ("monitoring", "POST", "/", "", "application/x-www-form-urlencoded; charset=utf-8", [],
     "Action=DescribeAlarms&Version=2010-08-01&MaxRecords=100&StateValue=ALARM"),
    ("monitoring", "POST", "/", "", "application/x-www-form-urlencoded; charset=utf-8", [],
     "Action=GetMetricData&Version=2010-08-01&StartTime=2015-08-30T11%3A36%3A00Z&EndTime=2015-08-30T12%3A36%3A00Z"
     "&MetricDataQueries.member.1.Id=m1&MetricDataQueries.member.1.MetricStat.Metric.Namespace=AWS%2FApplicationELB"
     "&MetricDataQueries.member.1.MetricStat.Metric.MetricName=TargetResponseTime&MetricDataQueries.member.1.MetricStat.Period=60"
     "&MetricDataQueries.member.1.MetricStat.Stat=p99"),
    ("autoscaling", "POST", "/", "", "application/x-www-form-urlencoded; charset=utf-8", [],
     "Action=DescribeAutoScalingGroups&Version=2011-01-01&AutoScalingGroupNames.member.1=petclinic-asg-blue"
     "&AutoScalingGroupNames.member.2=petclinic-asg-green"),
    ("elasticloadbalancing", "POST", "/", "", "application/x-www-form-urlencoded; charset=utf-8", [],
     "Action=DescribeTargetHealth&Version=2015-12-01&TargetGroupArn=arn%3Aaws%3Aelasticloadbalancing%3Aap-northeast-2"
     "%3A123456789012%3Atargetgroup%2Fblue%2F6d0ecf831eec9f09"),
    ("route53", "GET", "/2013-04-01/hostedzone/Z1D633PJN98FT9/rrset", "maxitems=100&name=www.example.com.&type=A",
     None, [], ""),
    ("route53", "GET", "/2013-04-01/healthcheck/abcdef11-2222-3333-4444-555555fedcba/status", "", None, [], ""),
    ("xray", "POST", "/ServiceGraph", "", "application/json", [],
     '{"StartTime": 1440934560, "EndTime": 1440938160}'),
    ("route53-recovery-cluster", "POST", "/", "", "application/x-amz-json-1.0",
     [("X-Amz-Target", "ToggleCustomerAPI.GetRoutingControlState")],
     '{"RoutingControlArn": "arn:aws:route53-recovery-control::123456789012:controlpanel/abc/routingcontrol/def"}'),
    ("sts", "POST", "/", "", "application/x-www-form-urlencoded; charset=utf-8", [],
     "Action=GetCallerIdentity&Version=2011-06-15"),
]


def client_case(rng, i):
    """A request as flightdeck's client sends it: one session's credentials."""
    service, method, path, query, ctype, extra, body = rng.choice(CLIENT_SHAPES)
    region = rng.choice(["ap-northeast-2", "ap-northeast-1"])
    host = ("route53.amazonaws.com" if service == "route53" else "%s.%s.amazonaws.com" % (service, region))
    if service == "route53":
        region = "us-east-1"
    headers = [("Host", host)]
    if ctype:
        headers.append(("Content-Type", ctype))
    headers += extra
    headers.append(("User-Agent", "flightdeck/0.1.0"))
    headers.append(("amz-sdk-request", "attempt=1; max=3"))
    headers.append(("Content-Length", str(len(body))))
    return {
        "i": i, "method": method, "path": path, "query": query, "headers": headers,
        "body": body.encode(), "token": "IQoJb3JpZ2luX2VjEXAMPLETOKEN" + "x" * 300, "host": host,
        "region": region, "service": service, "when": datetime.datetime(2015, 8, 30, 12, 36),
        "access_key": "ASIAEXAMPLEEXAMPLE01", "secret_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "body_blank_line": True,
        "params": [tuple(kv.split("=", 1)) for kv in query.split("&")] if query else [],
    }


def raw_request(case):
    """The test-suite form flightdeck reads."""
    lines = [case["method"].encode() + b" " + encode_target(case["path"], case["query"]) + b" HTTP/1.1"]
    for name, value in case["headers"]:
        lines.append(name.encode() + b":" + value.encode())
    raw = b"\n".join(lines)
    if case["body_blank_line"]:
        raw += b"\n\n" + case["body"]
    return raw


def encode_target(path, query):
    t = path.encode("utf-8")
    if query:
        t += b"?" + query.encode("latin-1")
    return t


class Clock:
    """Stands in for botocore.auth's datetime module with a fixed utcnow()."""
    def __init__(self):
        self.now = None
        self.datetime = types.SimpleNamespace(utcnow=lambda: self.now,
                                              strptime=datetime.datetime.strptime)


clock = Clock()
botocore.auth.datetime = clock


class CapturingSigV4Auth(SigV4Auth):
    """SigV4Auth that remembers the canonical request it signed."""
    def canonical_request(self, request):
        self.creq = super().canonical_request(request)
        return self.creq


def botocore_sign(case):
    req = AWSRequest(method=case["method"], url="https://" + case["host"] + case["path"],
                     data=case["body"], params=list(case["params"]))
    for name, value in case["headers"]:
        req.headers[name] = value             # HTTPHeaders: duplicates kept, in order
    creds = Credentials(case["access_key"], case["secret_key"], case["token"])
    auth = CapturingSigV4Auth(creds, case["service"], case["region"])
    clock.now = case["when"]
    auth.add_auth(req)
    return auth.creq, req.headers["Authorization"]


def stream_record(case):
    fields = [case["access_key"], case["secret_key"], case["token"] or "", case["region"],
              case["service"], case["when"].strftime("%Y%m%dT%H%M%SZ")]
    raw = raw_request(case)
    return ("\n".join(fields) + "\n%d\n" % len(raw)).encode() + raw


def read_results(data, n):
    """Parse sign_stream's output into n (creq, authz) or ('ERR', message)."""
    out, pos = [], 0
    for _ in range(n):
        nl = data.index(b"\n", pos)
        head = data[pos:nl]
        if head.startswith(b"ERR "):
            out.append(("ERR", head[4:].decode("utf-8", "replace")))
            pos = nl + 1
            continue
        ln = int(head)
        creq = data[nl + 1:nl + 1 + ln]
        pos = nl + 1 + ln
        nl = data.index(b"\n", pos)
        ln = int(data[pos:nl])
        authz = data[nl + 1:nl + 1 + ln]
        pos = nl + 1 + ln
        out.append((creq.decode("utf-8"), authz.decode("utf-8")))
    return out


def diag(text):
    for line in str(text).split("\n"):
        print("#   " + line)


def main():
    if sys.argv[1] == "--emit":
        count = int(sys.argv[3]) if len(sys.argv) > 3 else 1200
        seed = int(sys.argv[4]) if len(sys.argv) > 4 else 20150830
        rng = random.Random(seed)
        with open(sys.argv[2], "wb") as f:
            for i in range(count):
                f.write(stream_record(make_case(rng, i)))
        return 0
    if sys.argv[1] == "--emit-client":
        count = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
        rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 20150830)
        with open(sys.argv[2], "wb") as f:
            for i in range(count):
                f.write(stream_record(client_case(rng, i)))
        return 0
    if sys.argv[1] == "--bench":
        return bench(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    helper = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1200
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20150830
    rng = random.Random(seed)
    cases = [make_case(rng, i) for i in range(count)]
    stream = b"".join(stream_record(c) for c in cases)
    proc = subprocess.run([helper], input=stream, stdout=subprocess.PIPE, check=False)
    if proc.returncode != 0:
        print("not ok 1 - sign_stream ran (exit %d)" % proc.returncode)
        print("1..1")
        return 1
    ours = read_results(proc.stdout, count)
    n = failed = 0
    for case, (creq, authz) in zip(cases, ours):
        n += 1
        want_creq, want_authz = botocore_sign(case)
        if creq == want_creq and authz == want_authz:
            print("ok %d - request %d (%s, %d params, %d headers%s): creq and authz match botocore"
                  % (n, case["i"], case["method"], len(case["params"]), len(case["headers"]),
                     ", token" if case["token"] else ""))
        else:
            failed += 1
            print("not ok %d - request %d: creq and authz match botocore" % (n, case["i"]))
            diag("raw request: %r" % raw_request(case))
            diag("botocore creq:\n" + want_creq)
            diag("flightdeck creq:\n" + creq)
            diag("botocore authz: " + want_authz)
            diag("flightdeck authz: " + authz)
    n += 1
    print("%s %d - compared %d requests with botocore %s, %d differ"
          % ("ok" if count >= 1000 and failed == 0 else "not ok", n, count,
             botocore.__version__, failed))
    print("1..%d" % n)
    return 1 if failed else 0


def bench(kind, count, seed, rounds):
    """Sign `count` generated requests `rounds` times with botocore; print count and seconds."""
    rng = random.Random(seed)
    make = client_case if kind == "client" else make_case
    jobs = []
    for i in range(count):
        case = make(rng, i)
        req = AWSRequest(method=case["method"], url="https://" + case["host"] + case["path"],
                         data=case["body"], params=list(case["params"]))
        for name, value in case["headers"]:
            req.headers[name] = value
        creds = Credentials(case["access_key"], case["secret_key"], case["token"])
        jobs.append((SigV4Auth(creds, case["service"], case["region"]), req))
    clock.now = datetime.datetime(2015, 8, 30, 12, 36)
    t0 = time.perf_counter()
    for _ in range(rounds):
        for auth, req in jobs:
            auth.add_auth(req)
    t1 = time.perf_counter()
    print("%d %.6f" % (rounds * len(jobs), t1 - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
