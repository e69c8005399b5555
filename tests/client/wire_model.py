"""wire_model.py — test data from botocore's service models, for the wire tests.

Random values of an operation's input or output shape (every member present,
lists and maps of 0, 1 and several items, nested structures, strings with XML
special characters and non-ASCII text), the response bodies AWS would send for
an output (query, ec2, rest-xml, rest-json, json; pretty or compact; XML text
escaped, as character references or as CDATA), and comparison of botocore's
parse with flightdeck's JSON (values, types and list-ness; timestamps as
instants). Only Debian's botocore (/usr/lib/python3/dist-packages) is used.
"""
import base64
import datetime
import json
import os
import re
import sys

sys.path[:0] = ["/usr/lib/python3/dist-packages"]
import botocore  # noqa: E402
import botocore.model  # noqa: E402

DATA = os.path.join(os.path.dirname(botocore.__file__), "data")
UTC = datetime.timezone.utc
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)

STRINGS = ["plain", "a & b", "<tag attr=\"v\">", "x < y > z", "quote \" and '", "caf\u00e9",
           "\u65e5\u672c\u8a9e", "emoji \U0001F600", "tab\there", "line1\nline2", "  padded  ",
           "", "]]>", "&amp; literal", "100%", "a+b=c", "slash/and?query#frag", "null", "true",
           "123", "1e5", "0.10", "[]", "{}", "member", "item"]
INTS = [0, 1, -1, 7, 42, 300, 2147483647, -2147483648]
LONGS = INTS + [9007199254740993, -4611686018427387904, 1795496400123]
DOUBLES = [0.0, 0.1, -2.5, 1.0, 3e-07, 1.5e+300, 123456.789, 0.30000000000000004, 100.0, 5e-324]


def load(service):
    """ServiceModel of the newest API version of a service, as service-2.json says
    (without sdk-extras: the wire knows no SDK-only members)."""
    base = os.path.join(DATA, service)
    version = sorted(v for v in os.listdir(base) if v[:1].isdigit())[-1]
    with open(os.path.join(base, version, "service-2.json")) as f:
        model = botocore.model.ServiceModel(json.load(f), service_name=service)
    pages = {}
    p = os.path.join(base, version, "paginators-1.json")
    if os.path.exists(p):
        with open(p) as f:
            pages = json.load(f).get("pagination", {})
    return model, pages


class Gen:
    """Random values of a shape. mode "output": every member; "input": required
    members and a random part of the others, within the model's min/max."""

    def __init__(self, rng, mode, max_depth=9):
        self.rng = rng
        self.mode = mode
        self.max_depth = max_depth

    def list_len(self, depth, lo=0, hi=None):
        choices = [0, 1, 3] if depth < 4 else [0, 1, 2] if depth < 7 else [0, 1]
        n = self.rng.choice(choices)
        n = max(n, lo)
        if hi is not None:
            n = min(n, hi)
        return n

    def value(self, shape, depth=0, stack=()):
        t = shape.type_name
        md = shape.metadata
        if t == "structure":
            out = {}
            stack = stack + (shape.name,)
            required = set(shape.required_members)
            for name, m in shape.members.items():
                if m.name in stack and stack.count(m.name) >= 1 and name not in required:
                    continue
                if depth >= self.max_depth and name not in required:
                    continue
                if self.mode == "input" and name not in required and self.rng.random() < 0.35:
                    continue
                loc = m.serialization.get("location")
                if self.mode == "output" and loc == "statusCode":
                    continue
                if self.mode == "input" and loc in ("uri",):
                    out[name] = self.uri_value(m)
                    continue
                out[name] = self.value(m, depth + 1, stack)
            return out
        if t == "list":
            lo = md.get("min", 0) if self.mode == "input" else 0
            n = self.list_len(depth, lo, md.get("max"))
            if shape.serialization.get("location") == "header":
                n = max(n, 1)
            return [self.value(shape.member, depth + 1, stack) for _ in range(n)]
        if t == "map":
            n = self.list_len(depth, md.get("min", 0) if self.mode == "input" else 0)
            out = {}
            while len(out) < n:
                k = self.string(shape.key, key=True)
                out[k] = self.value(shape.value, depth + 1, stack)
            return out
        if t == "string":
            return self.string(shape)
        if t in ("integer", "long"):
            pool = INTS if t == "integer" else LONGS
            lo, hi = md.get("min"), md.get("max")
            cands = [v for v in pool if (lo is None or v >= lo) and (hi is None or v <= hi)]
            if not cands:
                cands = [lo if lo is not None else hi]
            return self.rng.choice(cands)
        if t in ("double", "float"):
            pool = DOUBLES if t == "double" else [0.0, 0.5, -2.5, 1.0, 100.0, 0.25]
            lo, hi = md.get("min"), md.get("max")
            cands = [v for v in pool if (lo is None or v >= lo) and (hi is None or v <= hi)]
            return self.rng.choice(cands or [float(lo if lo is not None else hi)])
        if t == "boolean":
            return self.rng.random() < 0.5
        if t == "timestamp":
            us = self.rng.choice([0, 0, 123000, 123456, 500000, 999999, 1000])
            s = 1795496400 + self.rng.randrange(-10 ** 8, 10 ** 8)
            return EPOCH + datetime.timedelta(seconds=s, microseconds=us)
        if t == "blob":
            return bytes(self.rng.randrange(256) for _ in range(self.rng.choice([0, 1, 5, 17])))
        raise ValueError("shape type %s" % t)

    def string(self, shape, key=False):
        md = shape.metadata
        if md.get("enum") and self.rng.random() < 0.6:
            return self.rng.choice(md["enum"])
        if shape.serialization.get("location") == "header":
            return "h-%d-x_y.z" % self.rng.randrange(10 ** 6)
        s = self.rng.choice(STRINGS)
        if key:
            s = "%s-%d" % (s, self.rng.randrange(10 ** 6))
        lo, hi = md.get("min"), md.get("max")
        if self.mode == "input":
            if lo is not None and len(s) < lo:
                s = s + "x" * (lo - len(s))
            if hi is not None and len(s) > hi:
                s = s[:hi]
        return s

    def uri_value(self, shape):
        if shape.type_name != "string":
            return self.value(shape)
        s = self.rng.choice(["Z1D633PJN98FT9", "a b/c?d", "id-123", "caf\u00e9", "x+y"])
        return s


# ---- response bodies --------------------------------------------------------

def xml_text(rng, s):
    """s as XML character data: escaped, as character references, or as CDATA."""
    how = rng.choice(["escape", "escape", "charref", "cdata"])
    if how == "cdata" and s:
        return "<![CDATA[" + s.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    out = []
    for ch in s:
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif how == "charref" and (ord(ch) > 127 or ch in "aeq\"'"):
            out.append(("&#x%X;" if ord(ch) % 2 else "&#%d;") % ord(ch))
        elif ch == "\r":
            out.append("&#13;")
        else:
            out.append(ch)
    return "".join(out)


def iso(ts, rng):
    """A timestamp as AWS writes it in XML (several spellings)."""
    how = rng.choice(["ms", "plain", "us", "offset"])
    if how == "offset":
        local = ts.astimezone(datetime.timezone(datetime.timedelta(hours=9)))
        frac = (".%06d" % ts.microsecond) if ts.microsecond else ""
        return local.strftime("%Y-%m-%dT%H:%M:%S") + frac + "+09:00"
    if ts.microsecond % 1000 == 0 and how == "ms":
        return ts.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ts.microsecond // 1000)
    if ts.microsecond == 0 and how == "plain":
        return ts.strftime("%Y-%m-%dT%H:%M:%SZ")
    return ts.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def epoch(ts):
    """A timestamp as AWS writes it in JSON (epoch seconds, fractional when it has to)."""
    d = ts - EPOCH
    whole = d.days * 86400 + d.seconds
    if not d.microseconds:
        return whole
    return float("%d.%06d" % (whole, d.microseconds))


def scalar_text(shape, v, rng, header=False):
    t = shape.type_name
    if t == "boolean":
        return "true" if v else "false"
    if t in ("double", "float"):
        return repr(v) if rng.random() < 0.8 else ("%r" % v).upper()
    if t == "timestamp":
        fmt = shape.serialization.get("timestampFormat")
        if header and fmt is None:
            fmt = "rfc822"
        if fmt == "rfc822":
            return v.strftime("%a, %d %b %Y %H:%M:%S GMT")
        if fmt == "unixtimestamp":
            return str(epoch(v))
        return iso(v, rng)
    if t == "blob":
        return base64.b64encode(v).decode()
    return str(v)


class XmlWriter:
    def __init__(self, rng, pretty):
        self.rng = rng
        self.pretty = pretty
        self.out = []

    def nl(self, depth):
        if self.pretty:
            self.out.append("\n" + "  " * depth)

    def element(self, shape, value, name, depth):
        t = shape.type_name
        if t == "list" and shape.serialization.get("flattened"):
            iname = shape.member.serialization.get("name", name)
            for item in value:
                self.element(shape.member, item, iname, depth)
            return
        if t == "map" and shape.serialization.get("flattened"):
            for k, v in value.items():
                self.nl(depth)
                self.out.append("<%s>" % name)
                self.map_entry(shape, k, v, depth + 1)
                self.nl(depth)
                self.out.append("</%s>" % name)
            return
        self.nl(depth)
        if t in ("structure", "list", "map"):
            attrs = ""
            if t == "structure":
                ns = shape.serialization.get("xmlNamespace")
                if ns:
                    attrs += ' xmlns="%s"' % ns["uri"]
                for mname, m in shape.members.items():
                    if m.serialization.get("xmlAttribute") and mname in value:
                        attrs += ' %s="%s"' % (m.serialization["name"],
                                               xml_text(self.rng, str(value[mname])).replace('"', "&quot;"))
            self.out.append("<%s%s>" % (name, attrs))
            n0 = len(self.out)
            self.children(shape, value, depth + 1)
            if len(self.out) == n0 and self.pretty:
                self.out.append("\n" + "  " * (depth + 1))   # an empty container, pretty-printed
            self.nl(depth)
            self.out.append("</%s>" % name)
            return
        text = scalar_text(shape, value, self.rng)
        if text == "" and self.rng.random() < 0.5:
            self.out.append("<%s/>" % name)
        else:
            self.out.append("<%s>%s</%s>" % (name, xml_text(self.rng, text), name))

    def children(self, shape, value, depth):
        t = shape.type_name
        if t == "structure":
            for mname, m in shape.members.items():
                if mname not in value or m.serialization.get("location") or m.serialization.get("xmlAttribute"):
                    continue
                self.element(m, value[mname], m.serialization.get("name", mname), depth)
        elif t == "list":
            iname = shape.member.serialization.get("name", "member")
            for item in value:
                self.element(shape.member, item, iname, depth)
        elif t == "map":
            for k, v in value.items():
                self.nl(depth)
                self.out.append("<entry>")
                self.map_entry(shape, k, v, depth + 1)
                self.nl(depth)
                self.out.append("</entry>")

    def map_entry(self, shape, k, v, depth):
        self.element(shape.key, k, shape.key.serialization.get("name", "key"), depth)
        self.element(shape.value, v, shape.value.serialization.get("name", "value"), depth)


def json_value(shape, v):
    """An output value as the JSON protocols put it on the wire."""
    t = shape.type_name
    if t == "structure":
        return {m.serialization.get("name", k): json_value(m, v[k]) for k, m in shape.members.items()
                if k in v and not m.serialization.get("location")}
    if t == "list":
        return [json_value(shape.member, x) for x in v]
    if t == "map":
        return {k: json_value(shape.value, x) for k, x in v.items()}
    if t == "timestamp":
        fmt = shape.serialization.get("timestampFormat")
        if fmt == "iso8601":
            return v.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return epoch(v)
    if t == "blob":
        return base64.b64encode(v).decode()
    return v


def response(model, op, value, rng, pretty, request_id="req-1"):
    """(status, headers, body bytes) of a successful response carrying value."""
    proto = model.metadata["protocol"]
    shape = op.output_shape
    headers = {}
    if proto in ("rest-xml", "rest-json") and shape is not None:
        for name, m in shape.members.items():
            if m.serialization.get("location") == "header" and name in value:
                v = value[name]
                if m.type_name == "list":
                    headers[m.serialization.get("name", name)] = ",".join(scalar_text(m.member, x, rng, True) for x in v)
                else:
                    headers[m.serialization.get("name", name)] = scalar_text(m, v, rng, True)
    if proto in ("json", "rest-json"):
        body = json_value(shape, value) if shape is not None else {}
        if proto == "rest-json" and shape is not None and shape.serialization.get("payload"):
            pm = shape.serialization["payload"]
            body = json_value(shape.members[pm], value[pm]) if pm in value else {}
        text = json.dumps(body, indent=2 if pretty else None, ensure_ascii=rng.random() < 0.5)
        headers["x-amzn-RequestId"] = request_id
        headers["Content-Type"] = "application/x-amz-json-1.0" if proto == "json" else "application/json"
        return 200, headers, text.encode()
    w = XmlWriter(rng, pretty)
    out = w.out
    out.append('<?xml version="1.0" encoding="UTF-8"?>')
    if proto == "query":
        ns = model.metadata.get("xmlNamespace", "")
        w.nl(0)
        out.append('<%sResponse xmlns="%s">' % (op.name, ns))
        if shape is not None:
            w.element(shape, value, shape.serialization["resultWrapper"], 1)
        w.nl(1)
        out.append("<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata>" % request_id)
        w.nl(0)
        out.append("</%sResponse>" % op.name)
    elif proto == "ec2":
        w.nl(0)
        out.append('<%sResponse xmlns="http://ec2.amazonaws.com/doc/%s/">' % (op.name, model.metadata["apiVersion"]))
        w.nl(1)
        out.append("<requestId>%s</requestId>" % request_id)
        if shape is not None:
            w.children(shape, value, 1)
        w.nl(0)
        out.append("</%sResponse>" % op.name)
    else:   # rest-xml
        headers["x-amzn-RequestId"] = request_id
        if shape is None:
            return 200, headers, b""
        ns = "https://%s.amazonaws.com/doc/%s/" % (model.endpoint_prefix, model.metadata["apiVersion"])
        pm = shape.serialization.get("payload")
        if pm:
            if pm not in value:
                return 200, headers, b""
            m = shape.members[pm]
            name = m.serialization.get("name", pm)
            w.element(m, value[pm], name, 0)
        else:
            w.element(shape, value, shape.name, 0)
        # the root element carries the service's namespace
        first = next(i for i, s in enumerate(out) if s.startswith("<") and not s.startswith("<?"))
        out[first] = re.sub(r"^<([A-Za-z0-9_]+)", r'<\1 xmlns="%s"' % ns, out[first], count=1)
    headers["Content-Type"] = "text/xml"
    return 200, headers, "".join(out).encode()


# ---- comparison ---------------------------------------------------------------

ISO_RE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$")


def instant_us(v):
    """Microseconds since the epoch of a datetime or an ISO 8601 string; None when neither."""
    if isinstance(v, datetime.datetime):
        if v.tzinfo is None:
            v = v.replace(tzinfo=UTC)
        d = v - EPOCH
        return (d.days * 86400 + d.seconds) * 10 ** 6 + d.microseconds
    if not isinstance(v, str):
        return None
    m = ISO_RE.match(v)
    if not m:
        return None
    y, mo, d, h, mi, s = (int(x) for x in m.groups()[:6])
    frac = (m.group(7) or "0")[:6].ljust(6, "0")
    base = datetime.datetime(y, mo, d, h, mi, s, int(frac), tzinfo=UTC)
    if m.group(8) != "Z":
        sign = 1 if m.group(8)[0] == "+" else -1
        base -= sign * datetime.timedelta(hours=int(m.group(8)[1:3]), minutes=int(m.group(8)[4:6]))
    return instant_us(base)


def diff(exp, act, path, out, shape=None):
    """Append (path, what) for every difference between botocore's exp and
    flightdeck's act; shape (botocore's) folds map keys into "{}" in paths."""
    t = shape.type_name if shape is not None else None
    if isinstance(exp, datetime.datetime):
        if instant_us(act) != instant_us(exp):
            out.append((path, "timestamp %s vs %r" % (exp.isoformat(), act)))
        return
    if isinstance(exp, bytes):
        try:
            ok = isinstance(act, str) and base64.b64decode(act, validate=True) == exp
        except ValueError:
            ok = False
        if not ok:
            out.append((path, "blob %r vs %r" % (exp, act)))
        return
    if isinstance(exp, dict):
        if not isinstance(act, dict):
            out.append((path, "object vs %s %s" % (type(act).__name__, short(act))))
            return
        for k in sorted(set(exp) | set(act)):
            if t == "map":
                sub, kshape = path + "{}", shape.value
            else:
                sub = path + "." + k
                kshape = shape.members.get(k) if t == "structure" else None
            if k not in act:
                out.append((sub, "missing %s" % short(k) if t == "map" else "missing"))
            elif k not in exp:
                out.append((sub, "extra member %s %s" % (short(k), short(act[k]))))
            else:
                diff(exp[k], act[k], sub, out, kshape)
        return
    if isinstance(exp, list):
        if not isinstance(act, list):
            out.append((path, "list vs %s %s" % (type(act).__name__, short(act))))
            return
        if len(exp) != len(act):
            out.append((path, "%d items vs %d" % (len(exp), len(act))))
            return
        for i, (x, y) in enumerate(zip(exp, act)):
            diff(x, y, "%s[%d]" % (path, i), out, shape.member if t == "list" else None)
        return
    if type(exp) is not type(act):
        out.append((path, "%s %s vs %s %s" % (type(exp).__name__, short(exp), type(act).__name__, short(act))))
    elif exp != act and not (isinstance(exp, float) and exp != exp and act != act):
        out.append((path, "%s vs %s" % (short(exp), short(act))))


def leaves(v):
    """How many scalar values v holds (what a comparison looked at)."""
    if isinstance(v, dict):
        return sum(leaves(x) for x in v.values())
    if isinstance(v, list):
        return sum(leaves(x) for x in v)
    return 1


def short(v):
    s = json.dumps(v, default=str, ensure_ascii=True)
    return s if len(s) <= 60 else s[:57] + "..."


def place(path):
    """A path with list indices folded: the place in the shape, not the item."""
    return re.sub(r"\[\d+\]", "[]", path)
