# svc_failover.py — a region outage through the sim's services, seen by botocore: Route 53
# health-check observations fail, DNS answers with Tokyo, Tokyo's load balancer takes the
# traffic, sessions moved with it are counted lost, the ELB 5xx alarm fires in Seoul, and
# everything returns when the fault is cleared. Prints TAP. Usage: python3 svc_failover.py URL
import datetime
import os
import sys
import time
import urllib.request

import botocore.config
import botocore.session

sys.path.insert(0, os.path.join(os.environ["FD_SRCDIR"], "tests"))
from tap import done_testing, ok  # noqa: E402

URL = sys.argv[1]


def client(service, region="ap-northeast-2"):
    return botocore.session.get_session().create_client(
        service, region_name=region, endpoint_url=URL, aws_access_key_id="AKIDFLIGHTDECKSIM",
        aws_secret_access_key="flightdeck/sim/secret",
        config=botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"}))


def post(path, body):
    with urllib.request.urlopen(urllib.request.Request(URL + path, data=body, method="POST"), timeout=10) as r:
        return r.status


def wait_for(pred, deadline_s):
    end = time.time() + deadline_s
    v = pred()
    while not v and time.time() < end:
        time.sleep(1)
        v = pred()
    return v


cw, cw1, r53, elb1 = client("cloudwatch"), client("cloudwatch", "ap-northeast-1"), client("route53", "us-east-1"), client("elbv2", "ap-northeast-1")
elb = client("elbv2")
zid = r53.list_hosted_zones()["HostedZones"][0]["Id"].split("/")[-1]
sets = r53.list_resource_record_sets(HostedZoneId=zid, StartRecordName="petclinic.example.com", MaxItems="2")["ResourceRecordSets"]
prim = [s for s in sets if s.get("Failover") == "PRIMARY"][0]
tokyo_lb = elb1.describe_load_balancers()["LoadBalancers"][0]["LoadBalancerArn"].split(":loadbalancer/")[1]
seoul_lb = elb.describe_load_balancers()["LoadBalancers"][0]["LoadBalancerArn"].split(":loadbalancer/")[1]


def answer():
    return r53.test_dns_answer(HostedZoneId=zid, RecordName="petclinic.example.com", RecordType="A")["RecordData"]


def alarm(name):
    return cw.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]


def requests(cwc, lb, minutes):
    end = datetime.datetime.now(datetime.timezone.utc)
    r = cwc.get_metric_data(StartTime=end - datetime.timedelta(minutes=minutes), EndTime=end, MetricDataQueries=[
        {"Id": "m", "MetricStat": {"Metric": {"Namespace": "AWS/ApplicationELB", "MetricName": "RequestCount",
                                              "Dimensions": [{"Name": "LoadBalancer", "Value": lb}]},
                                   "Period": 10, "Stat": "Sum"}}])
    return r["MetricDataResults"][0]["Values"]


def tokyo_requests(minutes):
    return requests(cw1, tokyo_lb, minutes)


ok(answer()[0].startswith("3.34."), "Seoul answers before the outage")
ok(alarm("petclinic-ap-northeast-2-elb-5xx")["StateValue"] == "OK", "ELB 5xx alarm OK before")
before = tokyo_requests(2)
ok(before and max(before) < 40, "Tokyo sees only health checkers before (%r)" % before[:3])
# the clients' rate follows the time of day in the sim (a few hundred requests per 10 s by
# day, fewer at night): judge Tokyo against Seoul's own traffic before the outage
seoul_before = requests(cw, seoul_lb, 2)
ok(seoul_before and max(seoul_before) > max(before), "Seoul serves the clients before (%r)" % seoul_before[:3])
ok(post("/_sim/fault", b"region-outage:ap-northeast-2") == 200, "region-outage fault")
t0 = time.time()


def observations():
    return r53.get_health_check_status(HealthCheckId=prim["HealthCheckId"])["HealthCheckObservations"]


# each checker observes once per RequestInterval (30 s; 2 s at the default time scale)
obs = wait_for(lambda: all(o["StatusReport"]["Status"].startswith("Failure: Connection timed out")
                           for o in observations()) and observations(), 10)
ok(obs and len(obs) >= 3, "checkers in >= 3 regions report Failure within a request interval", observations()[0])
ok(wait_for(lambda: answer()[0].startswith("54.65."), 20), "DNS fails over to Tokyo")
# CloudWatch publishes a minute 4-8 s after it ends (60-120 s at time scale 15)
want = max(before) + (max(seoul_before) - max(before)) / 2
got = []


def tokyo_busy():
    got[:] = tokyo_requests(3)
    return any(v > want for v in got)


ok(wait_for(tokyo_busy, 180),
   "Tokyo's load balancer takes the traffic (more than half Seoul's client requests: > %.0f per 10 s)" % want, got[:6])
a = wait_for(lambda: alarm("petclinic-ap-northeast-2-elb-5xx")["StateValue"] == "ALARM", max(5, 90 - (time.time() - t0)))
ok(a, "ELB 5xx alarm in Seoul goes to ALARM")
end = datetime.datetime.now(datetime.timezone.utc)
sl = cw.get_metric_data(StartTime=end - datetime.timedelta(minutes=3), EndTime=end, MetricDataQueries=[
    {"Id": "s", "MetricStat": {"Metric": {"Namespace": "PetClinic", "MetricName": "SessionLossRate"},
                               "Period": 10, "Stat": "Maximum"}}])["MetricDataResults"][0]["Values"]
ok(max(sl or [0]) == 100.0, "sessions moved to Tokyo are counted lost (SessionLossRate %r)" % max(sl or [0]))
ok(post("/_sim/clear", b"") == 200, "fault cleared")
ok(wait_for(lambda: answer()[0].startswith("3.34."), 30), "Seoul answers again once healthy")
done_testing()
