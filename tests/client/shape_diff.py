"""shape_diff.py — call operations with botocore and with `flightdeck call` against
the same simulator and compare: same keys, lists where botocore has lists, the
same scalar types and values (timestamps compared as instants). Members
botocore's (older) model does not know are dropped by botocore and kept by
flightdeck: those are reported as diagnostics, not failures. Prints TAP.

usage: /usr/bin/python3 shape_diff.py ENDPOINT FLIGHTDECK_BIN GET_METRIC_DATA_INPUT
"""
import datetime
import json
import subprocess
import sys

import botocore.session

SIGNING = {"cloudwatch": "cloudwatch", "autoscaling": "autoscaling", "elbv2": "elbv2",
           "route53": "route53", "xray": "xray", "sts": "sts", "rds": "rds",
           "route53-recovery-cluster": "route53-recovery-cluster"}


def instant(s):
    """An ISO 8601 string as epoch seconds, or None."""
    try:
        d = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=datetime.timezone.utc)
    return d.timestamp()


def diff(a, b, path, out):
    """Append the differences between botocore's a and flightdeck's b."""
    if isinstance(a, datetime.datetime):
        t = instant(b) if isinstance(b, str) else None
        if t is None:
            out.append("%s: timestamp %r vs %r" % (path, a.isoformat(), b))
        return
    if isinstance(a, dict):
        if not isinstance(b, dict):
            out.append("%s: object vs %s" % (path, type(b).__name__))
            return
        for k in sorted(set(a) | set(b)):
            if k not in b:
                out.append("%s.%s: missing in flightdeck" % (path, k))
            elif k not in a:
                print("# %s.%s: kept by flightdeck, unknown to this botocore" % (path, k))
            else:
                diff(a[k], b[k], path + "." + k, out)
        return
    if isinstance(a, list):
        if not isinstance(b, list):
            out.append("%s: list vs %s" % (path, type(b).__name__))
            return
        if len(a) != len(b):
            out.append("%s: %d items vs %d" % (path, len(a), len(b)))
            return
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, "%s[%d]" % (path, i), out)
        return
    # Shapes, not values: the simulator's world moves between the two calls.
    if type(a) is not type(b) and not (isinstance(a, float) and isinstance(b, int) and a == b):
        out.append("%s: %s %r vs %s %r" % (path, type(a).__name__, a, type(b).__name__, b))


def flightdeck(fd_bin, endpoint, service, operation, params):
    """Run flightdeck call; its parsed JSON, or None."""
    p = subprocess.run([fd_bin, "call", service, operation, "--input-json", "-",
                        "--endpoint-url", endpoint], input=json.dumps(params),
                       capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        print("# flightdeck: " + p.stderr.strip())
        return None
    return json.loads(p.stdout)


def main():
    endpoint, fd_bin, gmd_input = sys.argv[1:4]
    session = botocore.session.get_session()
    clients = {}

    def boto(service, operation, params):
        if service not in clients:
            clients[service] = session.create_client(
                SIGNING[service], endpoint_url=endpoint, region_name="ap-northeast-2")
        r = getattr(clients[service], botocore.xform_name(operation))(**params)
        r.pop("ResponseMetadata", None)
        return r

    lb = boto("elbv2", "DescribeLoadBalancers", {})["LoadBalancers"][0]["LoadBalancerArn"]
    listener = boto("elbv2", "DescribeListeners", {"LoadBalancerArn": lb})["Listeners"][0]["ListenerArn"]
    tg = boto("elbv2", "DescribeTargetGroups", {})["TargetGroups"][0]["TargetGroupArn"]
    asg = boto("autoscaling", "DescribeAutoScalingGroups", {})["AutoScalingGroups"][0]["AutoScalingGroupName"]
    zone = boto("route53", "ListHostedZones", {})["HostedZones"][0]["Id"]
    hc = boto("route53", "ListHealthChecks", {})["HealthChecks"][0]["Id"]
    rc = boto("route53-recovery-cluster", "ListRoutingControls", {})["RoutingControls"][0]["RoutingControlArn"]
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    start = (now - datetime.timedelta(minutes=10)).isoformat()
    end = now.isoformat()
    with open(gmd_input) as f:
        gmd = json.load(f)
    gmd["StartTime"], gmd["EndTime"] = start, end
    cases = [
        ("sts", "GetCallerIdentity", {}),
        ("sts", "AssumeRole", {"RoleArn": "arn:aws:iam::123456789012:role/oncall", "RoleSessionName": "shape"}),
        ("cloudwatch", "DescribeAlarms", {}),
        ("cloudwatch", "DescribeAlarmHistory", {}),
        ("cloudwatch", "GetMetricData", gmd),
        ("xray", "GetServiceGraph", {"StartTime": start, "EndTime": end}),
        ("xray", "GetTraceSummaries", {"StartTime": start, "EndTime": end}),
        ("route53", "ListHealthChecks", {}),
        ("route53", "GetHealthCheckStatus", {"HealthCheckId": hc}),
        ("route53", "ListHostedZones", {}),
        ("route53", "ListResourceRecordSets", {"HostedZoneId": zone}),
        ("autoscaling", "DescribeAutoScalingGroups", {}),
        ("autoscaling", "DescribeScalingActivities", {}),
        ("autoscaling", "DescribePolicies", {}),
        ("elbv2", "DescribeLoadBalancers", {}),
        ("elbv2", "DescribeTargetGroups", {}),
        ("elbv2", "DescribeTargetHealth", {"TargetGroupArn": tg}),
        ("elbv2", "DescribeListeners", {"LoadBalancerArn": lb}),
        ("elbv2", "DescribeRules", {"ListenerArn": listener}),
        ("rds", "DescribeDBInstances", {}),
        ("route53-recovery-cluster", "ListRoutingControls", {}),
        ("route53-recovery-cluster", "GetRoutingControlState", {"RoutingControlArn": rc}),
    ]
    n = failed = 0
    for service, operation, params in cases:
        n += 1
        try:
            theirs = boto(service, operation, params)
        except Exception as e:  # noqa: BLE001 — reported as a failure below
            print("not ok %d - %s %s: botocore failed: %s" % (n, service, operation, e))
            failed += 1
            continue
        mine = flightdeck(fd_bin, endpoint, service, operation, params)
        out = []
        if mine is None:
            out.append("flightdeck call failed")
        else:
            diff(theirs, mine, operation, out)
        for line in out[:20]:
            print("# " + line)
        print("%s %d - %s %s: the same shape as botocore's" % ("not ok" if out else "ok", n, service, operation))
        failed += bool(out)
    print("1..%d" % n)
    return 1 if failed else 0


sys.exit(main())
