# shapes_check.py — every element / key of the simulator's raw answers is a member of the
# operation's output shape in botocore's model (Debian python3-botocore). botocore's parsers
# skip what the model does not know, so a member the sim invents (or one of a newer API
# than the model's) would pass every other test unnoticed. Prints TAP.
# Usage: python3 shapes_check.py URL
import json
import os
import sys
import time
import xml.etree.ElementTree as ET

import botocore.config
import botocore.session
from botocore import xform_name

sys.path.insert(0, os.path.join(os.environ["FD_SRCDIR"], "tests"))
from tap import done_testing, ok  # noqa: E402

URL = sys.argv[1]


SESSION = botocore.session.get_session()
CFG = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"})
RAW = {}


def keep_raw(response_dict=None, **kw):
    if response_dict is not None:
        RAW["body"] = response_dict["body"]


def client(service, region="ap-northeast-2"):
    c = SESSION.create_client(service, region_name=region, endpoint_url=URL,
                              aws_access_key_id="AKIDFLIGHTDECKSIM",
                              aws_secret_access_key="flightdeck/sim/secret", config=CFG)
    c.meta.events.register("response-received.*.*", keep_raw)
    return c


def local(tag):
    return tag.split("}", 1)[-1]


def wire(shape, name):
    """The member of structure shape whose wire name is name, or None."""
    for m, ms in shape.members.items():
        if ms.serialization.get("name", m) == name or m == name:
            return ms
    return None


def check_xml(shape, el, path, bad):
    if shape.type_name == "structure":
        for c in el:
            ms = wire(shape, local(c.tag))
            if ms is None:
                bad.append("%s/%s" % (path, local(c.tag)))
            else:
                check_xml(ms, c, path + "/" + local(c.tag), bad)
    elif shape.type_name == "list":
        for c in el:
            check_xml(shape.member, c, path + "/" + local(c.tag), bad)
    elif shape.type_name == "map":
        for entry in el:
            for kv in entry:
                sub = shape.value if local(kv.tag) == shape.value.serialization.get("name", "value") else shape.key
                check_xml(sub, kv, path + "/" + local(kv.tag), bad)
    elif len(el):
        bad.append("%s: a %s with child elements" % (path, shape.type_name))


def check_json(shape, v, path, bad):
    if shape.type_name == "structure" and isinstance(v, dict):
        for k, x in v.items():
            ms = wire(shape, k)
            if ms is None:
                bad.append("%s.%s" % (path, k))
            else:
                check_json(ms, x, path + "." + k, bad)
    elif shape.type_name == "list" and isinstance(v, list):
        for i, x in enumerate(v):
            check_json(shape.member, x, "%s[%d]" % (path, i), bad)
    elif shape.type_name == "map" and isinstance(v, dict):
        for k, x in v.items():
            check_json(shape.value, x, "%s.%s" % (path, k), bad)


def check(c, op, **params):
    model = c.meta.service_model
    opm = model.operation_model(op)
    proto = model.metadata["protocol"]
    try:
        getattr(c, xform_name(op))(**params)
    except Exception as e:   # an error answer is a failure of its own
        ok(False, "%s %s answers" % (model.service_name, op), e)
        return
    bad = []
    body = RAW.pop("body", b"")
    out = opm.output_shape
    if out is None:
        ok(not body.strip() or proto in ("json", "rest-json"), "%s %s: no output" % (model.service_name, op))
        return
    if proto in ("json", "rest-json"):
        check_json(out, json.loads(body or b"{}"), op, bad)
    else:
        root = ET.fromstring(body)
        if proto == "query":
            result = [c for c in root if local(c.tag) == op + "Result"]
            root = result[0] if result else root
            check_xml(out, root, op + "Result", bad)
        else:
            check_xml(out, root, local(root.tag), bad)
    ok(not bad, "%s %s: every member of the answer is in botocore's output shape" % (model.service_name, op),
       "not in the model: " + ", ".join(sorted(set(bad))[:10]))


sts, asg, elb, rds = client("sts"), client("autoscaling"), client("elbv2"), client("rds")
cw, xray, arc = client("cloudwatch"), client("xray"), client("route53-recovery-cluster")
r53 = client("route53", "us-east-1")

check(sts, "GetCallerIdentity")
check(sts, "AssumeRole", RoleArn="arn:aws:iam::123456789012:role/oncall", RoleSessionName="shapes")
check(asg, "DescribeAutoScalingGroups")
check(asg, "DescribeScalingActivities")
check(asg, "DescribePolicies")
g = asg.describe_policies()["ScalingPolicies"][0]
check(asg, "GetPredictiveScalingForecast", AutoScalingGroupName=g["AutoScalingGroupName"],
      PolicyName=g["PolicyName"], StartTime="2026-11-24T05:00:00Z", EndTime="2026-11-25T05:00:00Z")
check(elb, "DescribeLoadBalancers")
check(elb, "DescribeTargetGroups")
tg = elb.describe_target_groups()["TargetGroups"][0]["TargetGroupArn"]
check(elb, "DescribeTargetHealth", TargetGroupArn=tg)
lb = elb.describe_load_balancers()["LoadBalancers"][0]["LoadBalancerArn"]
check(elb, "DescribeListeners", LoadBalancerArn=lb)
listener = elb.describe_listeners(LoadBalancerArn=lb)["Listeners"][0]["ListenerArn"]
check(elb, "DescribeRules", ListenerArn=listener)
check(rds, "DescribeDBInstances")
check(cw, "DescribeAlarms")
check(cw, "DescribeAlarmHistory")
check(cw, "GetMetricData", StartTime="2026-11-24T05:00:00Z", EndTime="2026-11-24T06:00:00Z", MetricDataQueries=[
    {"Id": "m", "MetricStat": {"Metric": {"Namespace": "AWS/ApplicationELB", "MetricName": "RequestCount"},
                               "Period": 60, "Stat": "Sum"}},
    {"Id": "e", "Expression": "m / 0"}])
now = int(time.time())
check(xray, "GetServiceGraph", StartTime=now - 600, EndTime=now)
check(xray, "GetTraceSummaries", StartTime=now - 300, EndTime=now)
ids = [t["Id"] for t in xray.get_trace_summaries(StartTime=now - 300, EndTime=now)["TraceSummaries"]][:2]
check(xray, "BatchGetTraces", TraceIds=ids or ["1-5f84c7a1-0123456789abcdef01234567"])
check(arc, "ListRoutingControls")
rc = arc.list_routing_controls()["RoutingControls"][0]["RoutingControlArn"]
check(arc, "GetRoutingControlState", RoutingControlArn=rc)
check(r53, "ListHealthChecks")
hc = r53.list_health_checks()["HealthChecks"][0]["Id"]
check(r53, "GetHealthCheck", HealthCheckId=hc)
check(r53, "GetHealthCheckStatus", HealthCheckId=hc)
check(r53, "ListHostedZones")
zone = r53.list_hosted_zones()["HostedZones"][0]["Id"]
check(r53, "ListResourceRecordSets", HostedZoneId=zone)
check(r53, "TestDNSAnswer", HostedZoneId=zone, RecordName="petclinic.example.com", RecordType="A")
check(r53, "ChangeResourceRecordSets", HostedZoneId=zone, ChangeBatch={"Comment": "shapes", "Changes": [
    {"Action": "UPSERT", "ResourceRecordSet": {"Name": "shapes.example.com", "Type": "A", "TTL": 60,
                                               "ResourceRecords": [{"Value": "192.0.2.1"}]}}]})
change = r53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [
    {"Action": "DELETE", "ResourceRecordSet": {"Name": "shapes.example.com", "Type": "A", "TTL": 60,
                                               "ResourceRecords": [{"Value": "192.0.2.1"}]}}]})["ChangeInfo"]["Id"]
check(r53, "GetChange", Id=change)
check(r53, "UpdateHealthCheck", HealthCheckId=hc, FailureThreshold=3)
done_testing()
