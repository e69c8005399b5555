# svc_botocore.py — botocore (Debian python3-botocore) against flightdeck sim's CloudWatch,
# Route 53, X-Ray and ARC: what botocore parses, paging, errors, and that alarms, DNS
# answers and traces follow the faults. Prints TAP. Usage: python3 svc_botocore.py URL
import collections
import datetime
import json
import os
import sys
import time
import urllib.error
import urllib.request

import botocore.config
import botocore.exceptions
import botocore.session

sys.path.insert(0, os.path.join(os.environ["FD_SRCDIR"], "tests"))
from tap import done_testing, is_, ok  # noqa: E402

URL = sys.argv[1]


SESSION = botocore.session.get_session()
CFG = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"},
                             connect_timeout=5, read_timeout=20)


def client(service, region="ap-northeast-2"):
    return SESSION.create_client(service, region_name=region, endpoint_url=URL,
                                 aws_access_key_id="AKIDFLIGHTDECKSIM",
                                 aws_secret_access_key="flightdeck/sim/secret", config=CFG)


def error_of(fn, **kw):
    try:
        fn(**kw)
    except botocore.exceptions.ClientError as e:
        return (e.response["Error"].get("Code"), e.response["ResponseMetadata"].get("HTTPStatusCode"),
                e.response["Error"].get("Message"))
    return None


def http(method, path, body=None):
    req = urllib.request.Request(URL + path, data=body, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def wait_for(pred, deadline_s=45, step_s=1.0):
    """Poll pred() until it is true or the deadline passes; return its last value."""
    end = time.time() + deadline_s
    v = pred()
    while not v and time.time() < end:
        time.sleep(step_s)
        v = pred()
    return v


cw = client("cloudwatch")
cw1 = client("cloudwatch", "ap-northeast-1")
cwus = client("cloudwatch", "us-east-1")
r53 = client("route53", "us-east-1")
xray = client("xray")
arc = client("route53-recovery-cluster")
elb = client("elbv2")

now = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
lbs = elb.describe_load_balancers()["LoadBalancers"]
lb_dim = lbs[0]["LoadBalancerArn"].split(":loadbalancer/")[1]
tgs = {t["TargetGroupName"]: t["TargetGroupArn"].split(":")[-1] for t in elb.describe_target_groups()["TargetGroups"]}

# --- bad deploy first: the alarm needs two 10 s periods to move, checked at the end ---------------
# (0.15: below the rate at which ALB health checks fail, so both regions keep serving)
is_(cw.describe_alarms(AlarmNames=["petclinic-ap-northeast-2-target-5xx"])["MetricAlarms"][0]["StateValue"], "OK",
    "target 5xx alarm OK before the fault")
status, _ = http("POST", "/_sim/fault", b"bad-deploy:petclinic-tg-blue:0.15")
is_(status, 200, "bad-deploy fault accepted")
# any CloudWatch call records the new state
cw.describe_alarms(AlarmNames=["petclinic-ap-northeast-2-target-5xx"])
t_fault = time.time()

# --- GetMetricData -------------------------------------------------------------------------------
def mstat(id_, ns, name, dims, stat, period=60, **kw):
    q = {"Id": id_, "MetricStat": {"Metric": {"Namespace": ns, "MetricName": name,
                                              "Dimensions": [{"Name": k, "Value": v} for k, v in dims]},
                                   "Period": period, "Stat": stat}}
    q.update(kw)
    return q


start, end = now - datetime.timedelta(minutes=30), now - datetime.timedelta(minutes=10)
lbq = [("LoadBalancer", lb_dim)]
blue = [("TargetGroup", tgs["petclinic-tg-blue"]), ("LoadBalancer", lb_dim)]
green = [("TargetGroup", tgs["petclinic-tg-green"]), ("LoadBalancer", lb_dim)]
r = cw.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=[
    mstat("lb", "AWS/ApplicationELB", "RequestCount", lbq, "Sum"),
    mstat("b", "AWS/ApplicationELB", "RequestCount", blue, "Sum", ReturnData=False),
    mstat("g", "AWS/ApplicationELB", "RequestCount", green, "Sum", ReturnData=False),
    {"Id": "diff", "Expression": "lb - FILL(b, 0) - FILL(g, 0)", "Label": "lb minus tgs"},
    {"Id": "avg", "Expression": "AVG(lb)"},
    {"Id": "e1", "Expression": "IF(lb > 0, 100 * lb / SUM([lb, lb]), 0)"},
    mstat("p99", "AWS/ApplicationELB", "TargetResponseTime", lbq, "p99"),
    mstat("p50", "AWS/ApplicationELB", "TargetResponseTime", lbq, "p50"),
])
res = {m["Id"]: m for m in r["MetricDataResults"]}
is_(sorted(res), ["avg", "diff", "e1", "lb", "p50", "p99"], "ReturnData=false queries are left out")
lbv = res["lb"]["Values"]
is_(len(lbv), 20, "20 one-minute datapoints in 20 minutes")
is_(res["lb"]["Timestamps"][0], end - datetime.timedelta(minutes=1), "newest first (TimestampDescending)")
ok(all(isinstance(t, datetime.datetime) for t in res["lb"]["Timestamps"]), "timestamps parse as datetimes")
is_(res["lb"]["StatusCode"], "Complete", "StatusCode Complete")
is_(res["lb"]["Label"], "RequestCount", "default label is the metric name")
is_(res["diff"]["Label"], "lb minus tgs", "Label kept")
is_(set(res["diff"]["Values"]), {0.0}, "LB requests = blue + green at every minute (metric math)")
is_(res["avg"]["Values"], [sum(lbv) / len(lbv)] * 20, "AVG(series) is a scalar drawn over the range")
is_(set(res["e1"]["Values"]), {50.0}, "IF / SUM([..]) / arithmetic exact")
ok(all(a > b for a, b in zip(res["p99"]["Values"], res["p50"]["Values"])), "p99 > p50 at every minute")

asc = cw.get_metric_data(StartTime=start, EndTime=end, ScanBy="TimestampAscending",
                         MetricDataQueries=[mstat("lb", "AWS/ApplicationELB", "RequestCount", lbq, "Sum")])
is_(asc["MetricDataResults"][0]["Values"], list(reversed(lbv)), "TimestampAscending reverses")

# paging with MaxDatapoints
pages, token, vals = 0, None, []
while True:
    kw = {"NextToken": token} if token else {}
    p = cw.get_metric_data(StartTime=start, EndTime=end, MaxDatapoints=7, MetricDataQueries=[
        mstat("lb", "AWS/ApplicationELB", "RequestCount", lbq, "Sum")], **kw)
    pages += 1
    m = p["MetricDataResults"][0]
    vals += m["Values"]
    token = p.get("NextToken")
    if not token:
        is_(m["StatusCode"], "Complete", "last page Complete")
        break
    is_(m["StatusCode"], "PartialData", "page %d PartialData" % pages)
is_(pages, 3, "20 datapoints in pages of 7")
is_(vals, lbv, "pages join to the whole series")

# other namespaces
r = cw.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=[
    mstat("hh", "AWS/ApplicationELB", "HealthyHostCount", blue, "Minimum"),
    mstat("ins", "AWS/AutoScaling", "GroupInServiceInstances", [("AutoScalingGroupName", "petclinic-asg-was-blue")], "Average"),
    mstat("cc", "AWS/ElastiCache", "CurrConnections", [("CacheClusterId", "petclinic-redis-001")], "Average"),
    mstat("ev", "AWS/ElastiCache", "Evictions", [("CacheClusterId", "petclinic-redis-001")], "Sum"),
    mstat("sl", "PetClinic", "SessionLossRate", [], "Maximum"),
    mstat("none", "AWS/ApplicationELB", "RequestCount", [("LoadBalancer", "app/nope/0")], "Sum"),
    {"Id": "unit", "MetricStat": {"Metric": {"Namespace": "AWS/ApplicationELB", "MetricName": "RequestCount",
                                             "Dimensions": [{"Name": "LoadBalancer", "Value": lb_dim}]},
                                  "Period": 60, "Stat": "Sum", "Unit": "Seconds"}},
])
res = {m["Id"]: m for m in r["MetricDataResults"]}
ok(len(res["hh"]["Values"]) == 20 and min(res["hh"]["Values"]) >= 1, "HealthyHostCount present", res["hh"]["Values"])
ok(len(res["ins"]["Values"]) == 20 and min(res["ins"]["Values"]) >= 1, "GroupInServiceInstances present")
ok(len(res["cc"]["Values"]) == 20 and min(res["cc"]["Values"]) > 0, "CurrConnections present")
is_(set(res["ev"]["Values"]), {0.0}, "no evictions")
is_(set(res["sl"]["Values"]), {0.0}, "no session lost")
is_((res["none"]["Values"], res["none"]["StatusCode"]), ([], "Complete"), "unknown metric: no data, no error")
is_(res["unit"]["Values"], [], "another Unit: no data")

rds1 = cw.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=[
    mstat("p", "AWS/RDS", "ReadLatency", [("DBInstanceIdentifier", "petclinic-db")], "Average", 1200)])
rds2 = cw1.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=[
    mstat("r", "AWS/RDS", "ReadLatency", [("DBInstanceIdentifier", "petclinic-db")], "Average", 1200),
    mstat("lag", "AWS/RDS", "ReplicaLag", [("DBInstanceIdentifier", "petclinic-db")], "Maximum", 1200)])
pv = rds1["MetricDataResults"][0]["Values"]
rv = rds2["MetricDataResults"][0]["Values"]
ok(pv and rv and sum(rv) / len(rv) <= 0.7 * sum(pv) / len(pv), "replica reads >= 30%% faster than the primary (%r vs %r)" % (rv, pv))
ok(len(rds2["MetricDataResults"][1]["Values"]) >= 1, "ReplicaLag of the replica")
cf = [("DistributionId", "E1PC7QW5TZ0K9X"), ("Region", "Global")]
r = cwus.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=[
    mstat("req", "AWS/CloudFront", "Requests", cf, "Sum"), mstat("hit", "AWS/CloudFront", "CacheHitRate", cf, "Average")])
res = {m["Id"]: m for m in r["MetricDataResults"]}
ok(len(res["req"]["Values"]) == 20 and all(78 <= v <= 86 for v in res["hit"]["Values"]), "CloudFront in us-east-1")

# errors
def gmd_err(**kw):
    args = {"StartTime": start, "EndTime": end, "MetricDataQueries": [mstat("lb", "AWS/ApplicationELB", "RequestCount", lbq, "Sum")]}
    args.update(kw)
    return error_of(cw.get_metric_data, **args)


e = gmd_err(MetricDataQueries=[mstat("m1", "AWS/ApplicationELB", "RequestCount", lbq, "Sum"), {"Id": "e1", "Expression": "m1 +"}])
is_(e, ("ValidationError", 400, "Error in expression e1: unexpected end of expression"), "syntax error")
e = gmd_err(MetricDataQueries=[{"Id": "e1", "Expression": "m9 * 2"}])
is_(e, ("ValidationError", 400, "Error in expression e1: Unrecognized identifier m9"), "unknown id")
e = gmd_err(MetricDataQueries=[{"Id": "e1", "Expression": "e2"}, {"Id": "e2", "Expression": "e1"}])
ok(e and e[0] == "ValidationError" and "Circular" in e[2], "circular expressions refused", e)
e = gmd_err(StartTime=end, EndTime=start)
is_(e, ("ValidationError", 400, "The parameter StartTime must be less than the parameter EndTime."), "time range")
e = gmd_err(MetricDataQueries=[mstat("M1", "AWS/ApplicationELB", "RequestCount", lbq, "Sum")])
ok(e and e[0] == "ValidationError" and e[1] == 400, "invalid id", e)
e = gmd_err(MetricDataQueries=[mstat("m1", "AWS/ApplicationELB", "RequestCount", lbq, "Median")])
ok(e and e[0] == "ValidationError" and "Median" in e[2], "invalid statistic", e)
e = gmd_err(StartTime=end - datetime.timedelta(days=400), MetricDataQueries=[
    mstat("m%d" % i, "AWS/ApplicationELB", "TargetResponseTime", lbq, "p99", 3600) for i in range(2)])
ok(e and e[:2] == ("ValidationError", 400) and "too long for the simulator" in e[2], "a request too costly to compute is refused", e)
e = gmd_err(NextToken="garbage")
is_(e and e[:2], ("InvalidNextToken", 400), "invalid NextToken")
r = cw.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=[
    mstat("g", "AWS/ApplicationELB", "RequestCount", green, "Sum", ReturnData=False), {"Id": "e1", "Expression": "1 / g"}])
m = r["MetricDataResults"][0]
is_((m["Values"], [x["Code"] for x in m.get("Messages", [])]), ([], ["ArithmeticError"]), "division by zero drops points with ArithmeticError")

# --- DescribeAlarms / DescribeAlarmHistory ----------------------------------------------------
first = cw.describe_alarms(MaxRecords=5)
is_(len(first["MetricAlarms"]), 5, "MaxRecords=5: a page of 5 alarms")
ok("NextToken" in first, "NextToken on the first page")
pag = cw.get_paginator("describe_alarms").paginate(PaginationConfig={"PageSize": 4})
names = [a["AlarmName"] for page in pag for a in page["MetricAlarms"]]
ok(len(names) >= 6 and len(names) == len(set(names)), "paged alarms, no duplicates (%d)" % len(names))
ok(all(n.startswith("petclinic-ap-northeast-2-") or n == "petclinic-session-loss" for n in names), "only this region's alarms")
a = cw.describe_alarms(AlarmNames=["petclinic-ap-northeast-2-p99-latency"])["MetricAlarms"][0]
is_((a["ExtendedStatistic"], a["Period"], a["EvaluationPeriods"], a["DatapointsToAlarm"], a["Threshold"],
     a["ComparisonOperator"], a["TreatMissingData"], a["Dimensions"]),
    ("p99", 60, 3, 3, 1.0, "GreaterThanThreshold", "missing", [{"Name": "LoadBalancer", "Value": lb_dim}]),
    "alarm definition")
ok(isinstance(a["StateUpdatedTimestamp"], datetime.datetime) and a["StateValue"] in ("OK", "ALARM", "INSUFFICIENT_DATA"),
   "state and timestamp")
pre = cw.describe_alarms(AlarmNamePrefix="petclinic-ap-northeast-2-petclinic-tg")["MetricAlarms"]
is_(sorted(x["AlarmName"] for x in pre), ["petclinic-ap-northeast-2-petclinic-tg-blue-unhealthy",
                                          "petclinic-ap-northeast-2-petclinic-tg-green-unhealthy"], "AlarmNamePrefix")
tokyo = [x["AlarmName"] for x in cw1.describe_alarms(MaxRecords=100)["MetricAlarms"]]
ok("petclinic-ap-northeast-1-petclinic-db-replica-lag" in tokyo, "replica lag alarm in Tokyo", tokyo)
is_(error_of(cw.describe_alarms, StateValue="BROKEN")[:2], ("ValidationError", 400), "bad StateValue")
is_(error_of(cw.describe_alarms, AlarmNames=["x"], AlarmNamePrefix="y")[:2], ("InvalidParameterCombination", 400),
    "names and prefix together")

# --- Route 53 ----------------------------------------------------------------------------------
zones = r53.list_hosted_zones()["HostedZones"]
zone = zones[0]["Id"]
ok(zone.startswith("/hostedzone/") and zones[0]["Name"] == "example.com.", "hosted zone id with its prefix")
zid = zone.split("/")[-1]
hcs = [h for p in r53.get_paginator("list_health_checks").paginate(PaginationConfig={"PageSize": 1})
       for h in p["HealthChecks"]]
https = [h for h in hcs if h["HealthCheckConfig"]["Type"] == "HTTPS"]
rcs = [h for h in hcs if h["HealthCheckConfig"]["Type"] == "RECOVERY_CONTROL"]
is_((len(https), len(rcs)), (2, 2), "health checks paged one by one: 2 HTTPS + 2 RECOVERY_CONTROL")
st = r53.get_health_check_status(HealthCheckId=rcs[0]["Id"])["HealthCheckObservations"]
ok(st and st[0]["StatusReport"]["Status"].startswith("Success: Routing control petclinic-") and
   st[0]["StatusReport"]["Status"].endswith(" is On"), "a RECOVERY_CONTROL check reports its routing control", st[:1])
page = r53.list_health_checks(MaxItems="1")
is_((page["IsTruncated"], page["NextMarker"], page["MaxItems"]), (True, hcs[1]["Id"], "1"), "IsTruncated / NextMarker")
is_([h["Id"] for h in r53.list_health_checks(Marker=hcs[1]["Id"], MaxItems="1")["HealthChecks"]], [hcs[1]["Id"]],
    "ListHealthChecks from a marker: that check first")
is_(error_of(r53.list_health_checks, Marker="nosuch")[:2], ("InvalidInput", 400), "ListHealthChecks: a marker naming nothing")
is_(error_of(r53.list_hosted_zones, Marker="nosuch")[:2], ("InvalidInput", 400), "ListHostedZones: a marker naming nothing")

sets = []
kw = {}
pages = 0
while True:
    p = r53.list_resource_record_sets(HostedZoneId=zid, MaxItems="2", **kw)
    pages += 1
    sets += p["ResourceRecordSets"]
    if not p["IsTruncated"]:
        break
    kw = {"StartRecordName": p["NextRecordName"], "StartRecordType": p["NextRecordType"]}
    if "NextRecordIdentifier" in p:
        kw["StartRecordIdentifier"] = p["NextRecordIdentifier"]
key = [(s["Name"], s["Type"], s.get("SetIdentifier")) for s in sets]
ok(pages >= 2, "record sets come in several pages (%d)" % pages)
is_(key[:2], [("example.com.", "NS", None), ("example.com.", "SOA", None)], "apex NS and SOA first")
ok(("petclinic.example.com.", "A", "seoul") in key and ("petclinic.example.com.", "A", "tokyo") in key, "failover records", key)
is_(key, sorted(key, key=lambda k: (".".join(reversed(k[0].rstrip(".").split("."))), k[1], k[2] or "")),
    "sorted as Route 53 does (labels reversed, type, identifier)")
prim = [s for s in sets if s.get("Failover") == "PRIMARY"][0]
ok(prim["AliasTarget"]["DNSName"].endswith(".") and prim["AliasTarget"]["EvaluateTargetHealth"] and prim["HealthCheckId"],
   "PRIMARY is an alias with a health check")
st = r53.get_health_check_status(HealthCheckId=prim["HealthCheckId"])["HealthCheckObservations"]
ok(len(st) >= 3 and all(o["StatusReport"]["Status"] == "Success: HTTP Status Code 200, OK" for o in st),
   "observations from >= 3 checker regions, all Success", st)
ok(all(isinstance(o["StatusReport"]["CheckedTime"], datetime.datetime) and o["IPAddress"] for o in st), "CheckedTime and IPAddress")
is_(error_of(r53.get_health_check_status, HealthCheckId="00000000-0000-0000-0000-000000000000")[:2],
    ("NoSuchHealthCheck", 404), "unknown health check")


def answer():
    return r53.test_dns_answer(HostedZoneId=zid, RecordName="petclinic.example.com", RecordType="A")["RecordData"]


seoul = answer()
ok(len(seoul) == 2 and all(ip.startswith("3.34.") for ip in seoul), "DNS answers with Seoul (PRIMARY)", seoul)

# change batches
rec = {"Name": "api.example.com", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.10"}]}
ch = r53.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Comment": "add api",
                                     "Changes": [{"Action": "CREATE", "ResourceRecordSet": rec}]})["ChangeInfo"]
ok(ch["Id"].startswith("/change/C") and ch["Status"] == "PENDING" and ch["Comment"] == "add api", "change PENDING", ch)
cid = ch["Id"].split("/")[-1]
is_(wait_for(lambda: r53.get_change(Id=cid)["ChangeInfo"]["Status"] == "INSYNC", 20), True, "change INSYNC after a delay")
is_(r53.test_dns_answer(HostedZoneId=zid, RecordName="api.example.com", RecordType="A")["RecordData"], ["192.0.2.10"],
    "the new record answers")
raw = []
r53.meta.events.register("after-call.route53.ChangeResourceRecordSets",
                         lambda http_response=None, **kw: raw.append(http_response.content.decode()))
e = error_of(r53.change_resource_record_sets, HostedZoneId=zid, ChangeBatch={"Changes": [
    {"Action": "CREATE", "ResourceRecordSet": rec},
    {"Action": "DELETE", "ResourceRecordSet": dict(rec, Name="nope.example.com")}]})
is_(e and e[1], 400, "a bad batch is refused with 400")
ok(raw and "<InvalidChangeBatch xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Messages>"
   "<Message>Tried to create resource record set [name='api.example.com.', type='A'] but it already exists</Message>"
   "<Message>Tried to delete resource record set [name='nope.example.com.', type='A'] but it was not found</Message>"
   "</Messages><RequestId>" in raw[-1].replace("&apos;", "'"), "InvalidChangeBatch with one message per bad change", raw[-1:])
try:
    r53.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [{"Action": "CREATE", "ResourceRecordSet": rec}]})
    ok(False, "single bad change refused")
except botocore.exceptions.ClientError as e:
    is_(e.response.get("Messages"), {"Message": "Tried to create resource record set [name='api.example.com.', type='A'] but it already exists"},
        "botocore parses the Messages of InvalidChangeBatch")
is_(r53.test_dns_answer(HostedZoneId=zid, RecordName="api.example.com", RecordType="A")["RecordData"], ["192.0.2.10"],
    "a refused batch changes nothing")
r53.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [
    {"Action": "UPSERT", "ResourceRecordSet": dict(rec, ResourceRecords=[{"Value": "192.0.2.11"}])}]})
is_(r53.test_dns_answer(HostedZoneId=zid, RecordName="api.example.com", RecordType="A")["RecordData"], ["192.0.2.11"], "UPSERT")
r53.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [
    {"Action": "DELETE", "ResourceRecordSet": dict(rec, ResourceRecords=[{"Value": "192.0.2.11"}])}]})
is_(r53.test_dns_answer(HostedZoneId=zid, RecordName="api.example.com", RecordType="A")["ResponseCode"], "NXDOMAIN", "DELETE")
is_(error_of(r53.get_change, Id="CNOSUCHCHANGE01")[:2], ("NoSuchChange", 404), "unknown change")
is_(error_of(r53.list_resource_record_sets, HostedZoneId="ZNOPE")[:2], ("NoSuchHostedZone", 404), "unknown zone")

# --- ARC: routing control Off for Seoul -> DNS answers Tokyo ----------------------------------
ctrls = [c for p in arc.get_paginator("list_routing_controls").paginate() for c in p["RoutingControls"]]
is_(sorted(c["RoutingControlName"] for c in ctrls), ["petclinic-ap-northeast-1", "petclinic-ap-northeast-2"],
    "one routing control per region")
seoul_rc = [c["RoutingControlArn"] for c in ctrls if c["RoutingControlName"].endswith("-2")][0]
tokyo_rc = [c["RoutingControlArn"] for c in ctrls if c["RoutingControlName"].endswith("-1")][0]
is_(arc.get_routing_control_state(RoutingControlArn=seoul_rc)["RoutingControlState"], "On", "Seoul On")
arc.update_routing_control_state(RoutingControlArn=seoul_rc, RoutingControlState="Off")
is_(arc.get_routing_control_state(RoutingControlArn=seoul_rc)["RoutingControlState"], "Off", "Seoul Off")
tokyo = answer()
ok(len(tokyo) == 2 and all(ip.startswith("54.65.") for ip in tokyo), "DNS answers with Tokyo while Seoul is Off", tokyo)
e = error_of(arc.update_routing_control_state, RoutingControlArn=tokyo_rc, RoutingControlState="Off")
is_(e and e[:2], ("ConflictException", 409), "the safety rule keeps one region On")
is_(error_of(arc.get_routing_control_state, RoutingControlArn=seoul_rc + "x")[:2],
    ("ResourceNotFoundException", 404), "unknown routing control")
arc.update_routing_control_state(RoutingControlArn=seoul_rc, RoutingControlState="On")
is_(answer(), seoul, "back to Seoul when On again")

# --- Route 53 failover by health: inverting the PRIMARY's check ------------------------------
hc = r53.get_health_check(HealthCheckId=prim["HealthCheckId"])["HealthCheck"]
upd = r53.update_health_check(HealthCheckId=prim["HealthCheckId"], Inverted=True,
                              HealthCheckVersion=hc["HealthCheckVersion"])["HealthCheck"]
is_((upd["HealthCheckConfig"]["Inverted"], upd["HealthCheckVersion"]), (True, hc["HealthCheckVersion"] + 1),
    "UpdateHealthCheck Inverted, version + 1")
is_(error_of(r53.update_health_check, HealthCheckId=prim["HealthCheckId"], Disabled=True, HealthCheckVersion=1)[:2],
    ("HealthCheckVersionMismatch", 409), "stale HealthCheckVersion refused")
st = r53.get_health_check_status(HealthCheckId=prim["HealthCheckId"])["HealthCheckObservations"]
ok(all(o["StatusReport"]["Status"].startswith("Failure") for o in st), "inverted check observes Failure", st[0])
ok(wait_for(lambda: answer()[0].startswith("54.65."), 20), "failover follows health: Tokyo answers")
r53.update_health_check(HealthCheckId=prim["HealthCheckId"], Inverted=False)
ok(wait_for(lambda: answer()[0].startswith("3.34."), 20), "and Seoul again when healthy")
t_back = time.time()

# --- X-Ray ---------------------------------------------------------------------------------------
# two whole 10 s samples with Seoul serving under the bad deploy
time.sleep(max(0.0, max(t_fault, t_back) + 21 - time.time()))
t1 = time.time()
# CloudWatch publishes a minute 60-120 s (4-8 s at time scale 15) after it ends: compare
# X-Ray and CloudWatch up to the last minute CloudWatch has published
tpub = (int(t1) // 60) * 60
if t1 < tpub + 9:
    time.sleep(tpub + 9 - t1)
g = xray.get_service_graph(StartTime=t1 - 900, EndTime=t1)
svcs = {s["ReferenceId"]: s for s in g["Services"]}
is_(svcs[0]["Type"], "client", "client node first")
types = sorted(s["Type"] for s in g["Services"])
is_([s["Name"] for s in g["Services"] if s["Type"] == "AWS::EC2::Instance"], ["petclinic-ap-northeast-2"],
    "the caller's region only (X-Ray is regional)")
g1 = client("xray", "ap-northeast-1").get_service_graph(StartTime=t1 - 900, EndTime=t1)
is_([s["Name"] for s in g1["Services"] if s["Type"] == "AWS::EC2::Instance"], ["petclinic-ap-northeast-1"],
    "Tokyo's graph from Tokyo")
ok("Database::SQL" in types and "remote" in types and "AWS::ElasticLoadBalancingV2::LoadBalancer" in types,
   "ALB, RDS and Redis nodes", types)
alb = [s for s in g["Services"] if s["Name"] == "petclinic-alb"][0]
ss = alb["SummaryStatistics"]
is_(ss["OkCount"] + ss["ErrorStatistics"]["TotalCount"] + ss["FaultStatistics"]["TotalCount"], ss["TotalCount"],
    "Ok + Error + Fault = Total")
edge_refs = [e["ReferenceId"] for e in svcs[0]["Edges"]]
ok(alb["ReferenceId"] in edge_refs and all(e["ResponseTimeHistogram"] for e in svcs[0]["Edges"] if e["SummaryStatistics"]["TotalCount"]),
   "client -> ALB edges with histograms")
gp = xray.get_service_graph(StartTime=(int(t1) // 10) * 10 - 900, EndTime=tpub)
ss = [s for s in gp["Services"] if s["Name"] == "petclinic-alb"][0]["SummaryStatistics"]
lbm = cw.get_metric_data(StartTime=datetime.datetime.fromtimestamp((int(t1) // 10) * 10 - 900, datetime.timezone.utc),
                         EndTime=datetime.datetime.fromtimestamp(tpub, datetime.timezone.utc),
                         MetricDataQueries=[mstat("lb", "AWS/ApplicationELB", "RequestCount", lbq, "Sum", 10)])
ok(abs(sum(lbm["MetricDataResults"][0]["Values"]) - ss["TotalCount"]) <= 0.02 * ss["TotalCount"] + 1,
   "the graph counts the same requests as CloudWatch (%r vs %r)" % (ss["TotalCount"], sum(lbm["MetricDataResults"][0]["Values"])))

summ, pages, token = [], 0, None
while True:
    kw = {"NextToken": token} if token else {}
    p = xray.get_trace_summaries(StartTime=t1 - 600, EndTime=t1, **kw)
    pages += 1
    summ += p["TraceSummaries"]
    token = p.get("NextToken")
    if not token:
        break
ok(pages >= 2 and len(summ) == len({s["Id"] for s in summ}), "trace summaries paged (%d pages, %d traces)" % (pages, len(summ)))
faults = [s for s in summ if s["HasFault"]]
ok(len(faults) > 0 and all(s["Http"]["HttpStatus"] >= 500 for s in faults), "bad deploy shows as faulted traces (%d)" % len(faults),
   "fault at %.1f, now %.1f, traces per 10 s: %r" % (t_fault, t1, sorted(collections.Counter(
       int(s["Id"].split("-")[1], 16) for s in summ).items())[-12:]))
fonly = xray.get_trace_summaries(StartTime=t1 - 600, EndTime=t1, FilterExpression="fault = true")["TraceSummaries"]
ok(fonly and all(s["HasFault"] for s in fonly), "FilterExpression fault")
ids = [s["Id"] for s in summ[:4]] + ["1-00000000-000000000000000000000000"]
tr = xray.batch_get_traces(TraceIds=ids)
is_(sorted(t["Id"] for t in tr["Traces"]), sorted(ids[:4]), "BatchGetTraces returns the known traces")
is_(tr["UnprocessedTraceIds"], ["1-00000000-000000000000000000000000"], "unknown ids unprocessed")
is_(client("xray", "ap-northeast-1").batch_get_traces(TraceIds=ids[:1])["UnprocessedTraceIds"], ids[:1],
    "another region's trace is not found")
doc = json.loads(tr["Traces"][0]["Segments"][0]["Document"])
is_((doc["trace_id"], doc["origin"], [s["namespace"] for s in doc["subsegments"]]),
    (tr["Traces"][0]["Id"], "AWS::EC2::Instance", ["remote", "remote"]), "segment Document is a JSON string")
try:
    xray.get_service_graph(StartTime=t1, EndTime=t1 - 10)
    ok(False, "X-Ray error")
except botocore.exceptions.ClientError as e:
    is_((e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPHeaders"].get("x-amzn-errortype")),
        ("InvalidRequestException", "InvalidRequestException"), "X-Ray errors carry X-Amzn-ErrorType")

# --- the bad deploy moved the alarm, and the history says so ---------------------------------
def state():
    return cw.describe_alarms(AlarmNames=["petclinic-ap-northeast-2-target-5xx"])["MetricAlarms"][0]


# the bad minute is published 4-8 s after it ends (60-120 s / time scale 15), then evaluated
a = wait_for(lambda: state()["StateValue"] == "ALARM" and state(), max(5, 90 - (time.time() - t_fault)))
ok(a and a["StateReason"].startswith("Threshold Crossed: ") and "were greater than the threshold (10.0)" in a["StateReason"],
   "target 5xx alarm goes to ALARM under bad-deploy", a and a["StateReason"])
ok(a and json.loads(a["StateReasonData"])["statistic"] == "Sum", "StateReasonData is JSON")
h = cw.describe_alarm_history(AlarmName="petclinic-ap-northeast-2-target-5xx", HistoryItemType="StateUpdate")["AlarmHistoryItems"]
ok(h and h[0]["HistorySummary"] == "Alarm updated from OK to ALARM", "history: OK -> ALARM first (newest)", h[:1])
hd = json.loads(h[0]["HistoryData"]) if h else {}
is_((hd.get("oldState", {}).get("stateValue"), hd.get("newState", {}).get("stateValue")), ("OK", "ALARM"), "HistoryData JSON")
hp = cw.get_paginator("describe_alarm_history").paginate(PaginationConfig={"PageSize": 3})
items = [i for p in hp for i in p["AlarmHistoryItems"]]
ok(len(items) >= 12 and all(i["AlarmType"] == "MetricAlarm" for i in items), "history pages (%d items)" % len(items))
http("POST", "/_sim/clear", b"")

done_testing()
