# sim_botocore.py — botocore (Debian python3-botocore) against flightdeck sim: signature
# errors, temporary credentials, faults, paging, the request log, credential endpoints,
# malformed requests. Prints TAP. Usage: python3 sim_botocore.py URL
import datetime
import json
import os
import socket
import sys
import time
import urllib.request
import urllib.error

import botocore.auth
import botocore.config
import botocore.exceptions
import botocore.session

sys.path.insert(0, os.path.join(os.environ["FD_SRCDIR"], "tests"))
from tap import done_testing, is_, ok  # noqa: E402

URL = sys.argv[1]


SESSION = botocore.session.get_session()
CFG = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=10)


def client(service, region="ap-northeast-2", key="AKIDFLIGHTDECKSIM",
           secret="flightdeck/sim/secret", token=None):
    return SESSION.create_client(service, region_name=region, endpoint_url=URL,
                                 aws_access_key_id=key, aws_secret_access_key=secret,
                                 aws_session_token=token, config=CFG)


def error_of(fn, **kw):
    try:
        fn(**kw)
    except botocore.exceptions.ClientError as e:
        return (e.response["Error"].get("Code"), e.response["ResponseMetadata"].get("HTTPStatusCode"),
                e.response["Error"].get("Message"))
    return None


def http(method, path, body=None, headers=None):
    req = urllib.request.Request(URL + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)


def fault(spec):
    return http("POST", "/_sim/fault", spec.encode())


def clear():
    return http("POST", "/_sim/clear", b"")


asg = client("autoscaling")
elb = client("elbv2")
sts = client("sts")
rds = client("rds")
xray = client("xray")

# --- signatures -----------------------------------------------------------------
is_(error_of(client("sts", secret="wrong").get_caller_identity)[:2], ("SignatureDoesNotMatch", 403),
    "wrong secret: 403 SignatureDoesNotMatch")
is_(error_of(client("autoscaling", key="AKIDUNKNOWN").describe_auto_scaling_groups)[:2],
    ("InvalidClientTokenId", 403), "unknown key: 403 InvalidClientTokenId")
e = error_of(client("xray", key="AKIDUNKNOWN").get_service_graph,
             StartTime=datetime.datetime(2026, 1, 1), EndTime=datetime.datetime(2026, 1, 1, 1))
is_(e[:2], ("UnrecognizedClientException", 403), "unknown key on a rest-json service: UnrecognizedClientException")
e = error_of(client("route53-recovery-cluster", secret="wrong").get_routing_control_state, RoutingControlArn="arn:x")
is_(e[:2], ("InvalidSignatureException", 403), "wrong secret on a json 1.0 service: InvalidSignatureException")
e = error_of(client("route53", region="us-east-1", secret="wrong").list_hosted_zones)
is_(e[:2], ("SignatureDoesNotMatch", 403), "wrong secret on Route 53 (rest-xml, us-east-1): SignatureDoesNotMatch")

real_dt = botocore.auth.datetime.datetime


class OldClock(real_dt):
    @classmethod
    def utcnow(cls):
        return real_dt.utcnow() - datetime.timedelta(minutes=10)


botocore.auth.datetime.datetime = OldClock
try:
    e = error_of(client("autoscaling").describe_auto_scaling_groups)
finally:
    botocore.auth.datetime.datetime = real_dt
is_(e[:2], ("SignatureDoesNotMatch", 403), "timestamp 10 minutes old: 403 SignatureDoesNotMatch")
ok(e[2].startswith("Signature expired: "), "message says the signature expired", e[2])

# unsigned and malformed requests
st, body, _ = http("POST", "/", b"Action=DescribeAutoScalingGroups&Version=2011-01-01",
                   {"Content-Type": "application/x-www-form-urlencoded"})
ok(st == 403 and "<Code>MissingAuthenticationToken</Code>" in body, "no Authorization: MissingAuthenticationToken", body)
st, body, _ = http("POST", "/", b"Action=X", {"Authorization": "AWS4-HMAC-SHA256 garbage"})
ok(st == 400 and "<Code>IncompleteSignature</Code>" in body, "garbled Authorization: IncompleteSignature", body)

# --- operations, errors -------------------------------------------------------------
req_ok = elb.describe_target_groups()["TargetGroups"]
is_(len(req_ok), 2, "DescribeTargetGroups: a default page holds both target groups")
# unknown action and missing parameters, by hand-signed raw requests through botocore's signer
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def raw_query(service, body, region="ap-northeast-2"):
    req = AWSRequest(method="POST", url=URL + "/", data=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    botocore.auth.SigV4Auth(Credentials("AKIDFLIGHTDECKSIM", "flightdeck/sim/secret"), service, region).add_auth(req)
    p = req.prepare()
    return http("POST", "/", p.body if isinstance(p.body, bytes) else p.body.encode(), dict(p.headers))


st, body, _ = raw_query("autoscaling", "Action=LaunchMissiles&Version=2011-01-01")
ok(st == 400 and "<Code>InvalidAction</Code>" in body, "unknown action: InvalidAction", body)
st, body, _ = raw_query("autoscaling", "Version=2011-01-01")
ok(st == 400 and "<Code>MissingAction</Code>" in body, "no action: MissingAction", body)
st, body, _ = raw_query("rds", "Action=PromoteReadReplica&Version=2014-10-31")
ok(st == 400 and "<Code>MissingParameter</Code>" in body, "missing parameter: MissingParameter", body)
st, body, _ = raw_query("elasticloadbalancing", "Action=DescribeTargetHealth&Version=2015-12-01")
ok(st == 400 and "<Code>ValidationError</Code>" in body and "targetGroupArn" in body,
   "missing TargetGroupArn: ValidationError", body)
ok("<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">" in body and
   "<RequestId>" in body, "query error document with namespace and RequestId", body)
st, body, _ = raw_query("sts", "Action=GetCallerIdentity&Version=2011-06-15&Pad=" + "x" * (1024 * 1024 + 10))
ok(st == 413 and "RequestEntityTooLarge" in body, "body over 1 MB: 413", "%s %s" % (st, body[:200]))
st, body, _ = raw_query("sts", "Action=GetCallerIdentity&Version=2011-06-15", region="eu-west-9")
ok(st != 200, "a region without a stack is refused")
st, body, _ = raw_query("s3", "Action=ListBuckets")
ok(st == 400 and "UnknownService" in body, "unknown service", body)

# --- paging -----------------------------------------------------------------------
r1 = elb.describe_target_groups(PageSize=1)
ok(len(r1["TargetGroups"]) == 1 and "NextMarker" in r1, "PageSize=1: one item and NextMarker")
r2 = elb.describe_target_groups(PageSize=1, Marker=r1["NextMarker"])
ok(len(r2["TargetGroups"]) == 1 and "NextMarker" not in r2 and
   r2["TargetGroups"][0]["TargetGroupName"] == "petclinic-tg-green", "second page ends the listing")
e = error_of(elb.describe_target_groups, Marker="not-a-marker")
is_(e[:2], ("ValidationError", 400), "a foreign marker is refused")
pages = list(asg.get_paginator("describe_auto_scaling_groups").paginate(PaginationConfig={"PageSize": 1}))
is_([len(p["AutoScalingGroups"]) for p in pages], [1, 1], "autoscaling paginator: two pages of one")
e = error_of(rds.describe_db_instances, MaxRecords=5)
is_(e[:2], ("ValidationError", 400), "RDS MaxRecords below 20 is refused")

# --- temporary credentials and expire-credentials ---------------------------------------
c = sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/ops", RoleSessionName="s1", DurationSeconds=900)["Credentials"]
tmp = client("sts", key=c["AccessKeyId"], secret=c["SecretAccessKey"], token=c["SessionToken"])
is_(tmp.get_caller_identity()["Arn"], "arn:aws:sts::123456789012:assumed-role/ops/s1", "AssumeRole credentials work")
bad = client("sts", key=c["AccessKeyId"], secret=c["SecretAccessKey"], token="forged")
is_(error_of(bad.get_caller_identity)[:2], ("InvalidClientTokenId", 403), "a forged session token is refused")
is_(error_of(sts.assume_role, RoleArn="arn:aws:iam::123456789012:role/ops", RoleSessionName="xy",
             SerialNumber="arn:aws:iam::123456789012:mfa/me", TokenCode="000000")[:2],
    ("AccessDenied", 403), "a bad MFA code is refused")
st, _, _ = fault("expire-credentials")
is_(st, 200, "fault expire-credentials")
is_(error_of(tmp.get_caller_identity)[:2], ("ExpiredToken", 400), "issued credentials now ExpiredToken")
ok(error_of(sts.get_caller_identity) is None, "long-term keys unaffected")
c2 = sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/ops", RoleSessionName="s2")["Credentials"]
tmp2 = client("sts", key=c2["AccessKeyId"], secret=c2["SecretAccessKey"], token=c2["SessionToken"])
is_(tmp2.get_caller_identity()["Arn"], "arn:aws:sts::123456789012:assumed-role/ops/s2", "fresh credentials after the fault work")
clear()

# --- faults -----------------------------------------------------------------------------
is_(fault("throttle:DescribeTargetHealth:1")[0], 200, "fault throttle:DescribeTargetHealth:1")
tg = req_ok[0]["TargetGroupArn"]
is_(error_of(elb.describe_target_health, TargetGroupArn=tg)[:2], ("Throttling", 400), "throttled: Throttling (query format)")
ok(error_of(elb.describe_target_groups) is None, "other operations not throttled")
clear()
is_(fault("throttle:*:1")[0], 200, "fault throttle:*:1")
e = error_of(xray.get_service_graph, StartTime=datetime.datetime(2026, 1, 1), EndTime=datetime.datetime(2026, 1, 1, 1))
ok(e is not None and e[1] in (400, 429, 501), "throttle on a JSON service answers an error", e)
clear()
is_(fault("error5xx:1")[0], 200, "fault error5xx:1")
is_(error_of(asg.describe_auto_scaling_groups)[:2], ("InternalFailure", 500), "error5xx: 500 InternalFailure")
clear()
is_(fault("latency:300")[0], 200, "fault latency:300")
t0 = time.monotonic()
asg.describe_policies()
ok(time.monotonic() - t0 >= 0.3, "latency fault delays the answer")
clear()
is_(fault("drop:1")[0], 200, "fault drop:1")
try:
    asg.describe_policies()
    dropped = False
except (botocore.exceptions.ConnectionClosedError, botocore.exceptions.EndpointConnectionError,
        botocore.exceptions.HTTPClientError):
    dropped = True
ok(dropped, "drop: connection closed without an answer")
clear()
st, body, _ = fault("melt-down:now")
ok(st == 400 and "InvalidFault" in body, "unknown fault refused", body)
st, body, _ = fault("bad-deploy:petclinic-tg-green:0.9")
is_(st, 200, "fault bad-deploy on green")
st, body, _ = fault("region-outage:ap-northeast-1")
state = json.loads(http("GET", "/_sim/state")[1])
is_([r["up"] for r in state["regions"]], [True, False], "region-outage: Tokyo down in /_sim/state")
is_(state["faults"], "bad-deploy:petclinic-tg-green:0.9 region-outage:ap-northeast-1", "active faults listed")
clear()
state = json.loads(http("GET", "/_sim/state")[1])
is_([r["up"] for r in state["regions"]], [True, True], "clear: regions up again")
is_([tg["error_rate"] for tg in state["regions"][0]["target_groups"]], [0.002, 0.002], "clear: error rates restored")

# --- credential endpoints ---------------------------------------------------------------------
st, tok, hdr = http("PUT", "/latest/api/token", b"", {"X-aws-ec2-metadata-token-ttl-seconds": "60"})
ok(st == 200 and len(tok) > 10, "IMDSv2 token")
st, _, _ = http("GET", "/latest/meta-data/iam/security-credentials/")
is_(st, 401, "IMDS without a token: 401")
st, role, _ = http("GET", "/latest/meta-data/iam/security-credentials/", headers={"X-aws-ec2-metadata-token": tok})
is_((st, role), (200, "flightdeck-sim-instance-role"), "IMDS role list")
st, body, _ = http("GET", "/latest/meta-data/iam/security-credentials/" + role, headers={"X-aws-ec2-metadata-token": tok})
j = json.loads(body)
ok(j["Code"] == "Success" and j["AccessKeyId"].startswith("ASIA"), "IMDS role credentials")
imds = client("sts", key=j["AccessKeyId"], secret=j["SecretAccessKey"], token=j["Token"])
is_(imds.get_caller_identity()["Arn"], "arn:aws:sts::123456789012:assumed-role/flightdeck-sim-instance-role/flightdeck-sim",
    "IMDS credentials accepted")
st, body, _ = http("GET", "/v2/credentials/task-1")
j = json.loads(body)
ok(st == 200 and j["AccessKeyId"].startswith("ASIA") and "Expiration" in j, "ECS container credentials")
st, _, _ = http("GET", "/v2/credentials/task-1", headers={"Authorization": "wrong"})
is_(st, 403, "ECS with a wrong Authorization: 403")
st, body, _ = http("GET", "/federation/credentials?role_name=ReadOnly&account_id=123456789012",
                   headers={"x-amz-sso_bearer_token": "cached-token"})
j = json.loads(body)
ok(st == 200 and j["roleCredentials"]["accessKeyId"].startswith("ASIA") and
   j["roleCredentials"]["expiration"] > 1e12, "SSO GetRoleCredentials")
st, _, _ = http("GET", "/federation/credentials?role_name=ReadOnly&account_id=123456789012")
is_(st, 401, "SSO without a bearer token: 401")

# botocore's own credential providers against the simulator's endpoints
for k in [k for k in os.environ if k.startswith("AWS_")]:
    del os.environ[k]
os.environ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = URL + "/"
s_imds = botocore.session.get_session()
cred = s_imds.get_credentials()
is_((cred.method, s_imds.create_client("sts", region_name="ap-northeast-2", endpoint_url=URL).get_caller_identity()["Arn"]),
    ("iam-role", "arn:aws:sts::123456789012:assumed-role/flightdeck-sim-instance-role/flightdeck-sim"),
    "botocore's IMDSv2 provider gets working credentials")
del os.environ["AWS_EC2_METADATA_SERVICE_ENDPOINT"]
os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = URL + "/v2/credentials/task-1"
os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "flightdeck-sim-ecs-token"
s_ecs = botocore.session.get_session()
cred = s_ecs.get_credentials()
is_((cred.method, s_ecs.create_client("sts", region_name="ap-northeast-2", endpoint_url=URL).get_caller_identity()["Arn"]),
    ("container-role", "arn:aws:sts::123456789012:assumed-role/flightdeck-sim-task-role/flightdeck-sim"),
    "botocore's ECS container provider gets working credentials")

# --- the request log ---------------------------------------------------------------------------
log = json.loads(http("GET", "/_sim/requests")[1])
ok(all(set(("service", "operation", "region", "mutating", "status")) <= set(e) for e in log), "every entry has the fields")
first = log[0]
is_((first["service"], first["operation"], first["status"]), ("sts", "GetCallerIdentity", 403), "oldest first")
is_([(e["operation"], e["status"], e["error"]) for e in log if e["mutating"]],
    [("PromoteReadReplica", 400, "MissingParameter")], "the only mutating call was the refused one")
ok(not any(e["path"].startswith("/_sim") for e in log), "control requests are not logged")
th = [e for e in log if e["operation"] == "DescribeTargetHealth" and e["error"] == "Throttling"]
is_([e["status"] for e in th], [400], "the throttled call is logged once, with its status")

done_testing()
