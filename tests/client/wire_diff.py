"""wire_diff.py — the wire layer against botocore, for every operation of the table.

usage: /usr/bin/python3 wire_diff.py WIRE_CALL FLIGHTDECK [--seeds N] [--only decode,encode,pages]

decode: for each operation and seed, a response generated from the model
  (wire_model.py: every member, lists and maps of 0/1/several items, XML
  special characters, CDATA, character references, non-ASCII, pretty or
  compact) is served by a local HTTP server and read by botocore's parser
  (botocore.parsers.create_parser) and by flightdeck's client (WIRE_CALL runs
  many calls in one process through client_call(), the path of `flightdeck
  call`; one seed per operation also goes through the real FLIGHTDECK binary).
  Values, types and list-ness must be identical; timestamps as instants.
encode: random --input-json from the input shape, sent by flightdeck to the
  capturing server and serialised by botocore.serialize.create_serializer:
  the same method, path, query string (a multiset), relevant headers, and body
  (form: a multiset; JSON: objects; XML: canonical trees).
pages: every paginated operation: three pages served with the paginator's
  tokens; flightdeck --all-pages must send paginators-1.json's input tokens
  and return what botocore's paginator builds (build_full_result).
Prints TAP; the summary line counts the distinct mismatching places.
"""
import argparse
import concurrent.futures
import http.server
import json
import random
import re
import subprocess
import sys
import threading
import urllib.parse
import xml.etree.ElementTree as ET

sys.path.insert(0, __import__("os").path.dirname(__file__))
import wire_model as wm  # noqa: E402

sys.path[:0] = ["/usr/lib/python3/dist-packages"]
import botocore.handlers  # noqa: E402
from botocore.awsrequest import HeadersDict  # noqa: E402
import botocore.parsers  # noqa: E402
import botocore.serialize  # noqa: E402


IDENTITY = (b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
            b'<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/wire</Arn>'
            b'<UserId>AIDAWIRETEST</UserId><Account>123456789012</Account></GetCallerIdentityResult>'
            b'<ResponseMetadata><RequestId>wire-identity</RequestId></ResponseMetadata>'
            b'</GetCallerIdentityResponse>')


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.cases = {}      # id -> callable(request) -> (status, headers, body)
        self.seen = {}       # id -> [request dicts]
        self.identity = set()  # ids whose caller-identity read is answered aside
        self.lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = -1

    def log_message(self, *a):
        pass

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        parts = self.path.split("/", 3)   # "", "case", "N", rest
        if len(parts) < 3 or parts[1] != "case":
            return self.reply(404, {}, b"no case")
        cid = int(parts[2])
        rest = "/" + (parts[3] if len(parts) > 3 else "")
        path, _, query = rest.partition("?")
        req = {"method": self.command, "path": path, "query": query,
               "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
        if cid in self.server.identity and b"Action=GetCallerIdentity" in body:
            # `flightdeck call` of a mutating operation learns the account for its
            # confirmation block and audit log first; that read is not the case's.
            return self.reply(200, {"Content-Type": "text/xml"}, IDENTITY)
        with self.server.lock:
            self.server.seen.setdefault(cid, []).append(req)
        fn = self.server.cases.get(cid)
        if fn is None:
            return self.reply(404, {}, b"no case")
        status, headers, out = fn(req)
        self.reply(status, headers, out)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any

    def reply(self, status, headers, body):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()


class Run:
    def __init__(self, args):
        self.args = args
        self.srv = Server()
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()
        self.endpoint = "http://127.0.0.1:%d" % self.srv.server_address[1]
        self.n = 0
        self.failed = 0
        self.places = set()
        self.models = {}
        self.next_id = 1
        out = subprocess.run([args.wire_call, "--list"], capture_output=True, text=True, check=True).stdout
        self.ops = [tuple(line.split("\t")) for line in out.splitlines() if line]

    def model(self, service):
        if service not in self.models:
            self.models[service] = wm.load(service)
        return self.models[service]

    def ok(self, good, what, notes=()):
        self.n += 1
        for line in list(notes)[:12]:
            print("# " + line)
        print("%s %d - %s" % ("ok" if good else "not ok", self.n, what))
        if not good:
            self.failed += 1

    def case_id(self):
        self.next_id += 1
        return self.next_id

    def call_many(self, cases):
        """Run cases [(id, service, op, input, all_pages)] through WIRE_CALL; id -> answer."""
        lines = "".join(json.dumps({"id": i, "service": s, "operation": o, "input": inp, "all_pages": ap}) + "\n"
                        for i, s, o, inp, ap in cases)
        p = subprocess.run([self.args.wire_call, self.endpoint], input=lines, capture_output=True,
                           text=True, env=self.env())
        if p.returncode != 0:
            print("# wire_call failed: %s" % p.stderr.strip()[:500])
        answers = {}
        for line in p.stdout.splitlines():
            a = json.loads(line)
            answers[a["id"]] = a
        return answers

    def call_binary(self, cid, service, op, inp):
        if op != "GetCallerIdentity":
            self.srv.identity.add(cid)
        # --yes: a mutating call's confirmation is tested in tests/test_call_confirm.sh
        p = subprocess.run([self.args.flightdeck, "call", service, op, "--input-json", "-", "--yes",
                            "--endpoint-url", "%s/case/%d" % (self.endpoint, cid)],
                           input=json.dumps(inp), capture_output=True, text=True, env=self.env(), timeout=60)
        if p.returncode != 0:
            return {"error": {"code": "exit %d" % p.returncode, "message": p.stderr.strip()}}
        return {"result": json.loads(p.stdout)}

    def env(self):
        import os
        home = os.environ.get("FD_TMP", "/tmp")
        return {"PATH": "/usr/bin:/bin", "HOME": home, "AWS_CONFIG_FILE": "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_ACCESS_KEY_ID": "AKIDWIRETEST",
                "AWS_SECRET_ACCESS_KEY": "wire/test/secret", "AWS_REGION": "ap-northeast-2",
                "AWS_MAX_ATTEMPTS": "1", "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", ""),
                "UBSAN_OPTIONS": os.environ.get("UBSAN_OPTIONS", ""),
                "LSAN_OPTIONS": os.environ.get("LSAN_OPTIONS", "")}

    def mismatch(self, service, op, diffs):
        for path, what in diffs:
            kind = what.split(" vs ")[0].split(" ")[0]
            self.places.add((service, op, wm.place(path), kind))

    # ---- decode ----------------------------------------------------------

    def decode(self):
        cases, expect = [], {}
        binary = []
        for service, opname in self.ops:
            model, _ = self.model(service)
            op = model.operation_model(opname)
            parser = botocore.parsers.create_parser(model.metadata["protocol"])
            for seed in range(self.args.seeds):
                rng = random.Random("%s/%s/%d" % (service, opname, seed))
                value = wm.Gen(rng, "output").value(op.output_shape) if op.output_shape else {}
                status, headers, body = wm.response(model, op, value, rng, pretty=seed % 2 == 0)
                theirs = parser.parse({"status_code": status, "headers": HeadersDict(headers),
                                       "body": body}, op.output_shape)
                theirs.pop("ResponseMetadata", None)
                cid = self.case_id()
                self.srv.cases[cid] = lambda req, r=(status, headers, body): r
                expect[cid] = (service, opname, seed, theirs, value)
                cases.append((cid, service, opname, self.minimal_input(model, op, rng), False))
                if seed == 0:
                    binary.append(cid)
        answers = self.call_many(cases)
        inputs = {c[0]: c[3] for c in cases}
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            runs = {cid: pool.submit(self.call_binary, cid, expect[cid][0], expect[cid][1], inputs[cid])
                    for cid in binary}
        for cid, fut in runs.items():
            answers[("bin", cid)] = fut.result()
        per_op, values = {}, {}
        for (cid, service, opname, _inp, _ap) in cases:
            _, _, seed, theirs, value = expect[cid]
            notes = per_op.setdefault((service, opname), [])
            values[(service, opname)] = values.get((service, opname), 0) + wm.leaves(theirs)
            sanity = []
            wm.diff(theirs, value, opname, sanity, op_shape(self, service, opname))
            for path, what in sanity:
                notes.append("harness: botocore did not read back the generated value at %s: %s" % (path, what))
            for key in (cid, ("bin", cid)):
                a = answers.get(key)
                if key != cid and a is None:
                    continue
                via = "flightdeck call" if key != cid else "client"
                if a is None or "result" not in a:
                    err = (a or {}).get("error", {})
                    notes.append("seed %d (%s): %s: %s" % (seed, via, err.get("code"), str(err.get("message"))[:200]))
                    self.places.add((service, opname, "(call failed)", err.get("code")))
                    continue
                mine = a["result"]
                mine.pop("ResponseMetadata", None)
                diffs = []
                wm.diff(theirs, mine, opname, diffs, op_shape(self, service, opname))
                self.mismatch(service, opname, diffs)
                for path, what in diffs[:6]:
                    notes.append("seed %d (%s) %s: %s" % (seed, via, path, what))
        for (service, opname), notes in per_op.items():
            self.ok(not notes, "decode %s %s: %d seeds, %d values, the same as botocore's parser" % (
                service, opname, self.args.seeds, values[(service, opname)]), notes)

    def minimal_input(self, model, op, rng):
        """Required input members only (URI labels need values)."""
        if op.input_shape is None:
            return {}
        g = wm.Gen(rng, "input", max_depth=3)
        out = {}
        for name in op.input_shape.required_members:
            m = op.input_shape.members[name]
            out[name] = g.uri_value(m) if m.serialization.get("location") == "uri" else jsonable(g.value(m, 1))
        return out

    # ---- encode ----------------------------------------------------------

    def encode(self):
        cases, expect = [], {}
        for service, opname in self.ops:
            model, _ = self.model(service)
            op = model.operation_model(opname)
            proto = model.metadata["protocol"]
            ser = botocore.serialize.create_serializer(proto, include_validation=True)
            for seed in range(self.args.seeds):
                rng = random.Random("enc/%s/%s/%d" % (service, opname, seed))
                value = wm.Gen(rng, "input").value(op.input_shape) if op.input_shape else {}
                mine = jsonable(value, rng)
                params = dict(value)
                if service == "route53":
                    botocore.handlers.fix_route53_ids(params, op)
                theirs = ser.serialize_to_request(params, op)
                cid = self.case_id()
                reply = wm.response(model, op, wm.Gen(random.Random(seed), "output", max_depth=2).value(op.output_shape)
                                    if op.output_shape else {}, rng, pretty=False)
                self.srv.cases[cid] = lambda req, r=reply: r
                expect[cid] = (service, opname, seed, theirs, proto, op)
                cases.append((cid, service, opname, mine, False))
        answers = self.call_many(cases)
        per_op = {}
        for (cid, service, opname, inp, _ap) in cases:
            _, _, seed, theirs, proto, op = expect[cid]
            notes = per_op.setdefault((service, opname), [])
            seen = self.srv.seen.get(cid)
            a = answers.get(cid, {})
            if not seen:
                err = a.get("error", {})
                notes.append("seed %d: no request sent: %s: %s" % (seed, err.get("code"), str(err.get("message"))[:200]))
                self.places.add((service, opname, "(not sent)", err.get("code")))
                continue
            diffs = compare_request(theirs, seen[0], proto, op)
            self.mismatch(service, opname, diffs)
            for path, what in diffs[:6]:
                notes.append("seed %d %s: %s" % (seed, path, what))
            if diffs:
                notes.append("seed %d input: %s" % (seed, wm.short(inp)))
        for (service, opname), notes in per_op.items():
            self.ok(not notes, "encode %s %s: %d seeds, the same request as botocore's serializer" % (
                service, opname, self.args.seeds), notes)


def set_path(d, path, value):
    """Set a dotted path of a dict (intermediate dicts created); None deletes."""
    parts = path.split(".")
    for k in parts[:-1]:
        d = d.setdefault(k, {})
    if value is None:
        d.pop(parts[-1], None)
    else:
        d[parts[-1]] = value


def token_sent(model, op, req, member):
    """The value flightdeck sent for the input member (a paginator's input token)."""
    proto = model.metadata["protocol"]
    m = op.input_shape.members[member]
    if proto in ("query", "ec2"):
        name = m.serialization.get("name", member)
        if proto == "ec2":
            name = m.serialization.get("queryName") or (name[0].upper() + name[1:] if "name" in m.serialization else member)
        return dict(pairs(req["body"].decode())).get(name)
    if proto == "json" or m.serialization.get("location") is None:
        body = json.loads(req["body"]) if req["body"] else {}
        return body.get(m.serialization.get("name", member))
    if m.serialization.get("location") == "querystring":
        return dict(pairs(req["query"])).get(m.serialization.get("name", member))
    return req["headers"].get(m.serialization.get("name", member).lower())


def op_shape(run, service, opname):
    return run.model(service)[0].operation_model(opname).output_shape


def pages(run):
    """Every paginated operation: three pages chained by the paginator's tokens,
    fetched by flightdeck --all-pages and by botocore's paginator."""
    import botocore.session
    session = botocore.session.get_session()
    todo, cases = [], []
    for service, opname in run.ops:
        model, pag = run.model(service)
        if opname not in pag:
            continue
        p = pag[opname]
        op = model.operation_model(opname)
        as_list = lambda v: [] if v is None else (v if isinstance(v, list) else [v])  # noqa: E731
        in_tok, out_tok = as_list(p.get("input_token")), as_list(p.get("output_token"))
        more = p.get("more_results")
        bodies = []
        rng = random.Random("pages/%s/%s" % (service, opname))
        for i in range(3):
            v = wm.Gen(rng, "output", max_depth=5).value(op.output_shape)
            for t in out_tok:
                set_path(v, t, "tok-%d" % (i + 1) if i < 2 else None)
            if more:
                set_path(v, more, i < 2)
            bodies.append(wm.response(model, op, v, rng, pretty=i == 1))
        cid = run.case_id()

        def serve(req, bodies=bodies):
            raw = req["body"].decode(errors="replace") + "&" + req["query"]
            page = 2 if "tok-2" in raw else 1 if "tok-1" in raw else 0
            req["page"] = page
            return bodies[page]
        run.srv.cases[cid] = serve
        inp = run.minimal_input(model, op, random.Random(cid))
        cases.append((cid, service, opname, inp, True))
        todo.append((cid, service, opname, model, op, inp, in_tok, out_tok, more))
    answers = run.call_many(cases)
    clients, current = {}, [0]

    def to_case(request, **kwargs):
        request.url = re.sub(r"/case/0(?=[/?]|$)", "/case/%d" % current[0], request.url, count=1)
    for cid, service, opname, model, op, inp, in_tok, out_tok, more in todo:
        answer = answers.get(cid, {})
        seen = run.srv.seen.pop(cid, [])
        notes = []
        got_pages = [r.get("page") for r in seen]
        if got_pages != [0, 1, 2]:
            notes.append("flightdeck fetched pages %s, want [0, 1, 2]" % got_pages)
        for k, req in enumerate(seen[1:3], 1):
            for t in in_tok:
                if token_sent(model, op, req, t) != "tok-%d" % k:
                    notes.append("request %d: input token %s is %r, want 'tok-%d'" % (
                        k + 1, t, token_sent(model, op, req, t), k))
        if service not in clients:
            clients[service] = session.create_client(
                model.service_name, endpoint_url="%s/case/0" % run.endpoint, region_name="ap-northeast-2",
                aws_access_key_id="AKIDWIRETEST", aws_secret_access_key="wire/test/secret")
            clients[service].meta.events.register("before-send", to_case)
        current[0] = cid
        try:
            theirs = clients[service].get_paginator(botocore.xform_name(opname)).paginate(**inp).build_full_result()
        except Exception as e:  # noqa: BLE001 — the harness failed: a failure, said why
            notes.append("botocore's paginator failed: %s" % str(e)[:300])
            theirs = None
        if theirs is None:
            pass
        elif "result" not in answer:
            notes.append("flightdeck: %s" % answer.get("error"))
        else:
            diffs = []
            wm.diff(theirs, answer["result"], opname, diffs, op.output_shape)
            run.mismatch(service, opname, diffs)
            notes += ["%s: %s" % d for d in diffs[:8]]
        run.ok(not notes, "pages %s %s: tokens %s -> %s%s, the result botocore's paginator builds" % (
            service, opname, "/".join(out_tok), "/".join(in_tok), " while " + more if more else ""), notes)


def on_wire(v, shape, proto, location=None, top=True):
    """What of an input a request can carry: botocore sends nothing for an empty
    structure or map in the query protocols (an empty structure list item reads
    back as {} before a later item, not at all at the end), nothing for empty
    lists in ec2, query strings and headers, and whole-second timestamps in json
    protocols. None: nothing on the wire."""
    import datetime
    form = proto in ("query", "ec2")
    t = shape.type_name
    if t == "structure":
        out = {}
        for k, x in v.items():
            m = shape.members[k]
            y = on_wire(x, m, proto, m.serialization.get("location"), False)
            if y is not None:
                out[k] = y
        return None if form and not out and not top else out
    if t == "list":
        if not v:
            return None if proto == "ec2" or location in ("querystring", "header") else []
        items = [on_wire(x, shape.member, proto, None, False) for x in v]
        while items and items[-1] is None:
            items.pop()
        items = [{} if x is None else x for x in items]
        return items or None
    if t == "map":
        if not v and (form or location in ("querystring", "header")):
            return None
        return {k: {} if y is None else y for k, y in
                ((k, on_wire(x, shape.value, proto, None, False)) for k, x in v.items())}
    if t == "timestamp" and proto in ("json", "rest-json") and location is None:
        return v.replace(microsecond=0)
    if isinstance(v, datetime.datetime) and location == "header":
        return v.replace(microsecond=0)
    return v


def server(run):
    """The simulator's side (aws/codec_server.h) against botocore, both ways:
    replies flightdeck writes read by botocore's parser; requests botocore's
    serializer writes parsed by flightdeck; errors in each service's format."""
    cases, expect = [], {}
    for service, opname in run.ops:
        model, _ = run.model(service)
        op = model.operation_model(opname)
        proto = model.metadata["protocol"]
        ser = botocore.serialize.create_serializer(proto, include_validation=True)
        for seed in range(run.args.seeds):
            rng = random.Random("srv/%s/%s/%d" % (service, opname, seed))
            out = wm.Gen(rng, "output").value(op.output_shape) if op.output_shape else {}
            cid = run.case_id()
            cases.append({"id": cid, "mode": "reply", "service": service, "operation": opname,
                          "output": jsonable(out, rng)})
            expect[cid] = ("reply", service, opname, seed, out)
            inp = wm.Gen(rng, "input").value(op.input_shape) if op.input_shape else {}
            r = ser.serialize_to_request(dict(inp), op)
            q = r["query_string"]
            if isinstance(q, dict):
                q = urllib.parse.urlencode(q, doseq=True, quote_via=urllib.parse.quote)
            target = r["url_path"] + ("?" + q if q else "")
            body = r["body"]
            if isinstance(body, dict):
                body = urllib.parse.urlencode(body, doseq=True, quote_via=urllib.parse.quote)
            elif isinstance(body, bytes):
                body = body.decode()
            cid = run.case_id()
            cases.append({"id": cid, "mode": "parse", "service": service, "method": r["method"],
                          "target": target, "headers": {k: str(v) for k, v in r["headers"].items()},
                          "body": body})
            expect[cid] = ("parse", service, opname, seed, inp)
    errors = {}
    for service in sorted({s for s, _ in run.ops}):
        cid = run.case_id()
        cases.append({"id": cid, "mode": "error", "service": service, "status": 400,
                      "code": "ValidationError", "message": "caf\u00e9 & <b>not</b> valid"})
        errors[cid] = service
    p = subprocess.run([run.args.wire_server], input="".join(json.dumps(c) + "\n" for c in cases),
                       capture_output=True, text=True, env=run.env())
    answers = {a["id"]: a for a in (json.loads(x) for x in p.stdout.splitlines())}
    if p.returncode:
        print("# wire_server: %s" % p.stderr.strip()[:300])
    per_op = {}
    for cid, (mode, service, opname, seed, value) in expect.items():
        model, _ = run.model(service)
        op = model.operation_model(opname)
        proto = model.metadata["protocol"]
        notes = per_op.setdefault((mode, service, opname), [])
        a = answers.get(cid, {})
        if "error" in a or not a:
            notes.append("seed %d: %s" % (seed, a.get("error")))
            run.places.add((service, opname, "(%s failed)" % mode, str(a.get("error", {}).get("code"))))
            continue
        diffs = []
        if mode == "reply":
            theirs = botocore.parsers.create_parser(proto).parse(
                {"status_code": a["status"], "headers": HeadersDict(a["headers"]), "body": a["body"].encode()},
                op.output_shape)
            theirs.pop("ResponseMetadata", None)
            wm.diff(theirs, jsonable(value), opname, diffs, op.output_shape)
        else:
            if a.get("operation") != opname:
                diffs.append(("operation", "%s vs %s" % (opname, a.get("operation"))))
            want = on_wire(value, op.input_shape, proto) if op.input_shape else {}
            wm.diff(want, a["input"], opname, diffs, op.input_shape)
        run.mismatch(service, opname, diffs)
        notes += ["seed %d %s: %s" % ((seed,) + d) for d in diffs[:6]]
    for (mode, service, opname), notes in per_op.items():
        what = ("a reply flightdeck writes reads back through botocore's parser" if mode == "reply" else
                "a request botocore's serializer writes parses back to its input")
        run.ok(not notes, "server %s %s: %d seeds, %s" % (service, opname, run.args.seeds, what), notes)
    for cid, service in errors.items():
        model, _ = run.model(service)
        a = answers.get(cid, {})
        parsed = botocore.parsers.create_parser(model.metadata["protocol"]).parse(
            {"status_code": a.get("status", 0), "headers": HeadersDict(a.get("headers", {})),
             "body": a.get("body", "").encode()}, None)
        e = parsed.get("Error", {})
        run.ok(e.get("Code") == "ValidationError" and e.get("Message") == "caf\u00e9 & <b>not</b> valid",
               "server %s: an error reply gives botocore the code and message" % service,
               ["botocore read %r" % e] if e.get("Code") != "ValidationError" else [])


def jsonable(v, rng=None):
    """An input value as --input-json gives it: timestamps as ISO 8601 or epoch
    seconds, blobs as base64."""
    import datetime
    import base64
    if isinstance(v, dict):
        return {k: jsonable(x, rng) for k, x in v.items()}
    if isinstance(v, list):
        return [jsonable(x, rng) for x in v]
    if isinstance(v, datetime.datetime):
        if rng is not None and rng.random() < 0.4:
            return wm.epoch(v)
        return v.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(v, bytes):
        return base64.b64encode(v).decode()
    return v


def pairs(qs):
    return sorted(urllib.parse.parse_qsl(qs, keep_blank_values=True))


def canon_xml(e):
    """An element as (tag, attributes, text, {child tag: [children in order]})."""
    kids = {}
    for c in e:
        kids.setdefault(c.tag, []).append(canon_xml(c))
    text = (e.text or "")
    if len(e):
        text = text.strip()
    return (e.tag, sorted(e.attrib.items()), text, sorted(kids.items()))


def compare_request(theirs, mine, proto, op):
    out = []
    if theirs["method"] != mine["method"]:
        out.append(("method", "%s vs %s" % (theirs["method"], mine["method"])))
    if proto in ("rest-xml", "rest-json"):
        want_path, _, want_q = theirs["url_path"].partition("?")
        if want_path != mine["path"]:
            out.append(("path", "%s vs %s" % (want_path, mine["path"])))
        q = theirs["query_string"]
        if isinstance(q, dict):
            q = urllib.parse.urlencode(q, doseq=True, quote_via=urllib.parse.quote)
        if pairs("&".join(x for x in (want_q, q) if x)) != pairs(mine["query"]):
            out.append(("query", "%s vs %s" % (pairs("&".join(x for x in (want_q, q) if x)), pairs(mine["query"]))))
    elif mine["path"] not in ("/", ""):
        out.append(("path", "/ vs %s" % mine["path"]))
    relevant = {k.lower(): v for k, v in theirs["headers"].items()}
    for k, v in relevant.items():
        got = mine["headers"].get(k)
        if k == "content-type" and proto in ("rest-xml",) and got is not None:
            continue
        if got != str(v):
            out.append(("header " + k, "%r vs %r" % (v, got)))
    if op.input_shape is not None:
        for name, m in op.input_shape.members.items():
            h = m.serialization.get("name", name).lower()
            if m.serialization.get("location") == "header" and h not in relevant and h in mine["headers"]:
                out.append(("header " + h, "absent vs %r" % mine["headers"][h]))
    body = theirs["body"]
    if proto in ("query", "ec2"):
        want = sorted((k, str(v)) for k, v in body.items())
        got = pairs(mine["body"].decode())
        if want != got:
            w, g = set(want), set(got)
            out.append(("body", "botocore only %s; flightdeck only %s" % (wm.short(sorted(w - g)), wm.short(sorted(g - w)))))
    elif proto in ("json", "rest-json"):
        want = json.loads(body) if body else None
        got = json.loads(mine["body"]) if mine["body"] else None
        if want != got or json.dumps(want, sort_keys=True) != json.dumps(got, sort_keys=True):
            d = []
            wm.diff(want, got, "body", d)
            out.extend(d or [("body", "%s vs %s" % (wm.short(want), wm.short(got)))])
    else:
        if bool(body) != bool(mine["body"]):
            out.append(("body", "%s vs %s" % (wm.short(body.decode() if body else ""), wm.short(mine["body"].decode()))))
        elif body:
            try:
                w = canon_xml(ET.fromstring(body))
                g = canon_xml(ET.fromstring(mine["body"]))
            except ET.ParseError as e:
                out.append(("body", "not XML: %s" % e))
            else:
                if w != g:
                    out.append(("body", "%s vs %s" % (wm.short(body.decode()), wm.short(mine["body"].decode()))))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wire_call")
    ap.add_argument("flightdeck")
    ap.add_argument("--wire-server", dest="wire_server")
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--only", default="decode,encode")
    args = ap.parse_args()
    run = Run(args)
    parts = args.only.split(",")
    if "decode" in parts:
        run.decode()
    if "encode" in parts:
        run.encode()
    if "pages" in parts:
        pages(run)
    if "server" in parts:
        server(run)
    print("1..%d" % run.n)
    print("# %d operations, %d seeds each; %d distinct mismatching places" % (
        len(run.ops), args.seeds, len(run.places)))
    for p in sorted(run.places, key=str)[:400]:
        print("# mismatch: %s %s %s (%s)" % p)
    run.srv.shutdown()
    return 1 if run.failed else 0


if __name__ == "__main__":
    sys.exit(main())
