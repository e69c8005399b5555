#!/bin/sh
# The world moves: a fast scenario (every duration about a second, run at --time-scale 1) driven by botocore —
# scale out to InService and healthy, drain on scale in, a region outage and a
# bad deploy seen through target health, a replica promoted to standalone.
. "$FD_SRCDIR/tests/sim/lib.sh"
cat >"$SIM_TMP/fast.yaml" <<'YAML'
scenario: fast
routing_controls: false
timing: {boot_s: 1, drain_s: 0.5, health_interval_s: 0.2, healthy_threshold: 2,
         unhealthy_threshold: 2, promote_s: 1, r53_interval_s: 0.2, r53_failure_threshold: 2}
regions:
  - name: ap-northeast-2
    primary: true
    target_groups:
      - {name: web-tg, port: 8080, asg: web-asg}
    auto_scaling_groups:
      - {name: web-asg, min: 1, max: 5, desired: 2, target_group: web-tg}
    load_balancers:
      - name: web-alb
        listeners:
          - {port: 80, forward: [{target_group: web-tg, weight: 1}]}
    databases:
      - {id: db, role: primary}
  - name: ap-northeast-1
    target_groups:
      - {name: web-tg, port: 8080, asg: web-asg}
    auto_scaling_groups:
      - {name: web-asg, min: 1, max: 5, desired: 1, target_group: web-tg}
    load_balancers:
      - name: web-alb
        listeners:
          - {port: 80, forward: [{target_group: web-tg, weight: 1}]}
    databases:
      - {id: db, role: replica, source: ap-northeast-2/db}
YAML
if ! start_sim --time-scale 1 --scenario "$SIM_TMP/fast.yaml"; then echo "1..1"; echo "not ok 1 - sim started"; cat "$SIM_TMP"/*.err; exit 1; fi
/usr/bin/python3 - "$SIM_URL" <<'PY'
import sys, time, json, urllib.request
import botocore.session, botocore.config
URL = sys.argv[1]
N = F = 0
def ok(c, name, diag=""):
    global N, F
    N += 1
    print(("ok %d - %s" if c else "not ok %d - %s") % (N, name))
    if not c:
        F += 1
        print("# " + str(diag))
s = botocore.session.get_session()
cfg = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"})
def c(svc, region="ap-northeast-2"):
    return s.create_client(svc, region_name=region, endpoint_url=URL, aws_access_key_id="AKIDFLIGHTDECKSIM",
                           aws_secret_access_key="flightdeck/sim/secret", config=cfg)
def until(fn, limit_s=20):
    # poll until fn() is true (the world runs on the wall clock); returns the last value
    end = time.time() + limit_s
    while True:
        v = fn()
        if v or time.time() > end:
            return v
        time.sleep(0.1)
asg, elb, rds = c("autoscaling"), c("elbv2"), c("rds", "ap-northeast-1")
tg = elb.describe_target_groups(Names=["web-tg"])["TargetGroups"][0]["TargetGroupArn"]
def states():
    return sorted(d["TargetHealth"]["State"] for d in elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"])
ok(states() == ["healthy", "healthy"], "two healthy targets", states())
asg.set_desired_capacity(AutoScalingGroupName="web-asg", DesiredCapacity=3)
g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["web-asg"])["AutoScalingGroups"][0]
ok(sorted(i["LifecycleState"] for i in g["Instances"]) == ["InService", "InService", "Pending"], "a Pending instance", g["Instances"])
act = until(lambda: [a for a in asg.describe_scaling_activities(AutoScalingGroupName="web-asg")["Activities"] if a["StatusCode"] == "Successful"])
ok(len(act) == 1, "the launch activity completes", act)
if act:
    ok((act[0]["EndTime"] - act[0]["StartTime"]).total_seconds() == 1.0, "EndTime - StartTime is the scenario's boot time",
       (act[0]["StartTime"], act[0]["EndTime"]))
g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["web-asg"])["AutoScalingGroups"][0]
ok([i["LifecycleState"] for i in g["Instances"]] == ["InService"] * 3, "three InService")
ok(until(lambda: states() == ["healthy"] * 3), "the new target turns healthy", states())
asg.set_desired_capacity(AutoScalingGroupName="web-asg", DesiredCapacity=2)
d = elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]
drain = [x["TargetHealth"] for x in d if x["TargetHealth"]["State"] == "draining"]
ok(drain == [{"State": "draining", "Reason": "Target.DeregistrationInProgress", "Description": "Target deregistration is in progress"}],
   "scale in: one target draining", d)
ok(until(lambda: states() == ["healthy", "healthy"]), "drained target removed", states())
def post(path, body):
    return urllib.request.urlopen(urllib.request.Request(URL + path, data=body.encode(), method="POST")).status
post("/_sim/fault", "bad-deploy:web-tg:0.8")
def reasons():
    return sorted(d["TargetHealth"].get("Reason", "") for d in elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"])
ok(until(lambda: reasons() == ["Target.ResponseCodeMismatch"] * 2), "bad deploy: targets fail with ResponseCodeMismatch", reasons())
post("/_sim/clear", "")
ok(until(lambda: states() == ["healthy", "healthy"]), "after clear: healthy again", states())
elb_t = c("elbv2", "ap-northeast-1")
tg_t = elb_t.describe_target_groups(Names=["web-tg"])["TargetGroups"][0]["TargetGroupArn"]
def tokyo():
    return [d["TargetHealth"] for d in elb_t.describe_target_health(TargetGroupArn=tg_t)["TargetHealthDescriptions"]]
# the bad deploy above marked web-tg in Tokyo too: start the outage from a healthy target
# (CI under load once read the bad deploy's ResponseCodeMismatch still in place)
until(lambda: [h["State"] for h in tokyo()] == ["healthy"])
post("/_sim/fault", "region-outage:ap-northeast-1")
ok(until(lambda: tokyo() == [{"State": "unhealthy", "Reason": "Target.Timeout", "Description": "Request timed out"}]),
   "region outage: Tokyo target unhealthy (Target.Timeout)", tokyo())
ok(states() == ["healthy", "healthy"], "Seoul unaffected")
st = json.loads(urllib.request.urlopen(URL + "/_sim/state").read())
ok([h for h in st["health_checks"]] == [], "no Route 53 checks in this scenario")
post("/_sim/clear", "")
r = rds.promote_read_replica(DBInstanceIdentifier="db")["DBInstance"]
ok(r["DBInstanceStatus"] == "modifying", "promote: modifying")
def db():
    return rds.describe_db_instances(DBInstanceIdentifier="db")["DBInstances"][0]
ok(until(lambda: db()["DBInstanceStatus"] == "available"), "promote: available again")
ok("ReadReplicaSourceDBInstanceIdentifier" not in db(), "promoted: standalone, no source", db())
p = c("rds").describe_db_instances()["DBInstances"][0]
ok(p["ReadReplicaDBInstanceIdentifiers"] == [], "the old primary lists no replica", p)
print("1..%d" % N)
sys.exit(1 if F else 0)
PY
