#!/usr/bin/python3
"""gameday.py - the game-day matrix: every shipped runbook against every scenario.

One table-driven end-to-end test (TAP on stdout). Rows are scenarios played on
`flightdeck sim` (faults injected before the run, or during it: right after
the run's first mutating call); columns are the six shipped runbooks (the deploy
is played on the release rows only: elsewhere it is the cutover column's steps). Each
cell states the outcome it expects (exit status and the run's last line) and
the exact mutating calls the simulator may see (/_sim/requests, as a
multiset; besides them only throttled attempts, never a mutating call AWS
refused). Every cell runs on its own simulator and home, in parallel.

  gameday.py              run the matrix (FD_BIN, FD_SRCDIR set), TAP out
  gameday.py --markdown   print the matrix as the table of docs/runbooks.md
  gameday.py --check-doc  TAP: docs/runbooks.md holds that table (no simulator; every make check)
  gameday.py --write-doc  write that table into docs/runbooks.md (between its markers)
  gameday.py --only ROW[/COLUMN] ...   run some cells (development)

The simulator publishes ALB metrics as CloudWatch does: a minute at a time,
60-120 s after the minute ends, those delays divided by its time scale
(docs/sim.md; the minutes are wall-clock minutes). ALB metrics have regular
(one-minute) resolution, so the cutover watches 60 s periods, as on AWS
(MetricStat Period: "a period can be as short as one minute (60 seconds)"), with
the simulator's delay, 120 s / TIME_SCALE: metric_delay=8s, watch=128s, the
shortest valid window (two periods plus the delay), so every watch holds a
complete datapoint whatever the second it starts at. Shorter periods are not
just unfaithful: at night (the traffic follows Seoul's day) green gets ~15
requests a 10 s period at 10 %, and one 5xx in 15 is over a 5 % threshold, so
the 2 % rows would roll back by chance. The defaults (60 s, 2 min, 5 min) are
the same code with AWS's numbers (tests/runbooks/test_rb_failclosed.c).
"""
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

FD_BIN = os.environ.get("FD_BIN", "flightdeck")
COLUMNS = ["dr-failover", "failback", "blue-green-cutover", "blue-green-rollback", "scale", "deploy"]

# Mutating calls as the simulator logs them: "service Operation region".
SDC_DR = "autoscaling SetDesiredCapacity ap-northeast-1"
SDC_P = "autoscaling SetDesiredCapacity ap-northeast-2"
PROMOTE_DR = "rds PromoteReadReplica ap-northeast-1"
ARC = "route53-recovery-cluster UpdateRoutingControlState ap-northeast-1"
ML = "elasticloadbalancing ModifyListener ap-northeast-2"
MR = "elasticloadbalancing ModifyRule ap-northeast-2"
SHIFT = [ML, MR]                   # one shift: the default action and the /api/* rule
CUTOVER = SHIFT * 3                # 10, 50, 100 %
ROLLED_BACK_AT_10 = SHIFT * 2      # the 10 % shift, then back to blue
POINT = "autoscaling UpdateAutoScalingGroup ap-northeast-2"
ROLL = "autoscaling StartInstanceRefresh ap-northeast-2"

TIME_SCALE = 15                    # the simulator's --time-scale (its default, stated)
METRIC_PERIOD_S = 60
METRIC_DELAY_S = -(-120 // TIME_SCALE)   # AWS's 120 s at most, at the simulator's scale, rounded up
FAST = {"metric_period": str(METRIC_PERIOD_S), "metric_delay": "%ds" % METRIC_DELAY_S,
        "watch": "%ds" % (2 * METRIC_PERIOD_S + METRIC_DELAY_S), "probe_interval": "500ms"}
NO_ARC = {"primary_control": "nope", "dr_control": "nope"}
# In a region outage the DR replica's source is unreachable: replication stops, ReplicaLag -1
# (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_MySQL.Replication.ReadReplicas.Monitor.html);
# the on-call engineer accepts losing the writes it never received, by name.
ACCEPT = {"accept_stopped_replication": "true"}


class Row:
    """A scenario: faults before the run, a fault during it, what must hold before it starts."""

    def __init__(self, key, title, before=(), during=None, settle=None, params=None, setup=None):
        self.key, self.title = key, title
        self.before, self.during, self.settle = list(before), during, settle
        self.params = params or {}     # per column
        self.setup = setup             # a function(cell) run before the runbook


class Cell:
    """What one runbook must do in one scenario."""

    def __init__(self, outcome, rc, last, calls=(), pending=None, extra=None):
        self.outcome = outcome         # for the table: "rolled back at 10 %", ...
        self.rc, self.last = rc, last  # exit status, regex on the last line
        self.calls = list(calls)       # the exact mutating calls (a multiset)
        self.pending = pending         # the reason the simulator cannot play it yet
        self.extra = extra             # function(run) -> error text or None


def refused(step, why):
    return Cell("refused before any change: " + why, 1,
                r"FAILED \(step %s: .*\); nothing was changed \(run " % step)


def done(outcome, calls, figures=""):
    return Cell(outcome, 0, r"^runbook [a-z-]+: done in [0-9.]+ s%s \(run " % figures, calls)


def rolled_back(outcome, steps, why, calls):
    """Rolled back by a step of steps, for why (a regex on the failure): a breach, never "no data"."""
    return Cell(outcome, 1, r"FAILED \(step (%s): (%s).*\); rolled back in [0-9.]+ s" % (steps, why), calls)


# ---- the world ---------------------------------------------------------------

def state(ep):
    with urllib.request.urlopen(ep + "/_sim/state", timeout=10) as r:
        return json.load(r)


def requests_log(ep):
    with urllib.request.urlopen(ep + "/_sim/requests", timeout=10) as r:
        return json.load(r)


def fault(ep, spec):
    req = urllib.request.Request(ep + "/_sim/fault", data=spec.encode(), method="POST")
    with urllib.request.urlopen(req, timeout=10) as r:
        r.read()


def primary_down(s):
    """The outage is visible: the primary's targets unhealthy, its Route 53 check failing."""
    r = s["regions"][0]
    targets = [t for g in r["target_groups"] for t in g["targets"]]
    check = [c for c in s["health_checks"] if c["region"] == r["name"]][0]
    return all(t["state"] != "healthy" for t in targets) and not check["healthy"]


def primary_up(s):
    r = s["regions"][0]
    blue = [g for g in r["target_groups"] if g["name"] == "petclinic-tg-blue"][0]
    check = [c for c in s["health_checks"] if c["region"] == r["name"]][0]
    return all(t["state"] == "healthy" for t in blue["targets"]) and check["healthy"]


def green_down(s):
    green = [g for g in s["regions"][0]["target_groups"] if g["name"] == "petclinic-tg-green"][0]
    return all(t["state"] != "healthy" for t in green["targets"])


SEOUL_BLUE = None   # the ARN of Seoul's blue target group (the same in every simulator: one seed)


def seoul_blue():
    """Learn SEOUL_BLUE from a simulator of the default scenario."""
    run = CellRun(None, None, None)
    try:
        run.start_sim()
        s = state(run.ep)
        return [g["arn"] for g in s["regions"][0]["target_groups"] if g["name"] == "petclinic-tg-blue"][0]
    finally:
        if run.sim:
            run.sim.terminate()
            run.sim.wait()
        shutil.rmtree(run.tmp, ignore_errors=True)


def on_green(cell):
    """Setup for the rollback: a finished cutover (default action and rule 100 % green)."""
    s = state(cell.ep)
    r = s["regions"][0]
    listener = r["load_balancers"][0]["listeners"][0]
    tg = {g["name"]: g["arn"] for g in r["target_groups"]}
    fwd = {"TargetGroups": [{"TargetGroupArn": tg["petclinic-tg-blue"], "Weight": 0},
                            {"TargetGroupArn": tg["petclinic-tg-green"], "Weight": 100}]}
    cell.call("elbv2", "ModifyListener", {"ListenerArn": listener["arn"],
                                           "DefaultActions": [{"Type": "forward", "ForwardConfig": fwd}]})
    for rule in listener["rules"]:
        if rule["priority"] != "default":
            cell.call("elbv2", "ModifyRule", {"RuleArn": rule["arn"],
                                               "Actions": [{"Type": "forward", "ForwardConfig": fwd}]})


def failed_over(cell, params=None):
    """Setup for the recovered row: an outage, dr-failover, then the primary comes back."""
    fault(cell.ep, "region-outage:ap-northeast-2")
    cell.wait(primary_down)
    out = cell.runbook("dr-failover", dict(ACCEPT, **(params or {})))
    if out.returncode != 0:
        raise RuntimeError("setup: dr-failover failed:\n" + out.stdout[-2000:])
    req = urllib.request.Request(cell.ep + "/_sim/clear", data=b"", method="POST")
    urllib.request.urlopen(req, timeout=10).read()
    cell.wait(primary_up)


def cutover_done(run):
    """The healthy cutover: default action and rule on green, the probe watched it, the figures
    recorded for the stack."""
    s = state(run.ep)
    rules = s["regions"][0]["load_balancers"][0]["listeners"][0]["rules"]
    for rule in rules:
        w = {f["target_group"].split("/")[1]: f["weight"] for f in rule["forward"]}
        if w.get("petclinic-tg-green", 0) != 100 or w.get("petclinic-tg-blue", 0) != 0:
            return "rule %s is not 100 %% green: %s" % (rule["priority"], w)
    # the simulated app fails 0.2 % of requests on both colours: a check may fail, within max_failed
    m = re.search(r"probe probe: ([0-9]+) checks of .* every 500 ms, ([0-9]+) failed: downtime [0-9.]+ s", run.out)
    if not m or int(m.group(1)) < 20 or int(m.group(2)) > 0.05 * int(m.group(1)):
        return "the probe did not watch the cutover within its max_failed"
    path = os.path.join(run.home, "state", "flightdeck", "measurements.jsonl")
    text = open(path).read() if os.path.exists(path) else ""
    for name in ("downtime_s", "cutover_duration_s"):
        if not re.search(r'"runbook":"blue-green-cutover","stack":"petclinic","name":"%s"' % name, text):
            return "%s is not recorded for stack petclinic: %s" % (name, text[:300])
    return None


def deploy_done(run):
    """The good release: green's instances on version 3, the cutover done, one deploy duration and the
    downtime recorded for the stack by the deploy runbook."""
    s = state(run.ep)
    green = [g for g in s["regions"][0]["auto_scaling_groups"] if g["name"] == "petclinic-asg-was-green"][0]
    versions = sorted(i["lt_version"] for i in green["instances"] if i["lifecycle"] == "InService")
    if versions != [3, 3]:
        return "green's InService instances run versions %s, not [3, 3]" % versions
    e = cutover_done_rules(s)
    if e:
        return e
    path = os.path.join(run.home, "state", "flightdeck", "measurements.jsonl")
    text = open(path).read() if os.path.exists(path) else ""
    if len(re.findall(r'"runbook":"deploy","stack":"petclinic","name":"deploy_duration_s"', text)) != 1:
        return "not one deploy_duration_s of the deploy for stack petclinic: %s" % text[:300]
    if not re.search(r'"runbook":"deploy","stack":"petclinic","name":"downtime_s"', text):
        return "the cutover's downtime_s is not recorded: %s" % text[:300]
    return None


def deploy_stopped(run):
    """The bad release: no traffic shift sent at all (whatever its status), no figure."""
    shifts = [r["operation"] for r in requests_log(run.ep) if r["operation"] in ("ModifyListener", "ModifyRule")]
    if shifts:
        return "traffic shifts were sent: %s" % shifts
    return no_figure_recorded(run)


def cutover_done_rules(s):
    """Every rule of the primary listener sends 100 % to green; an error text or None."""
    rules = s["regions"][0]["load_balancers"][0]["listeners"][0]["rules"]
    for rule in rules:
        w = {f["target_group"].split("/")[1]: f["weight"] for f in rule["forward"]}
        if w.get("petclinic-tg-green", 0) != 100 or w.get("petclinic-tg-blue", 0) != 0:
            return "rule %s is not 100 %% green: %s" % (rule["priority"], w)
    return None


def no_figure_recorded(run):
    path = os.path.join(run.home, "state", "flightdeck", "measurements.jsonl")
    if os.path.exists(path) and os.path.getsize(path) > 0:
        return "a measurement was recorded: " + open(path).read()[:300]
    return None


# ---- the matrix --------------------------------------------------------------

ROWS = [
    Row("healthy", "healthy"),
    Row("outage-arc", "region outage (Seoul), ARC routing controls", before=["region-outage:ap-northeast-2"],
        settle=primary_down, params={"dr-failover": ACCEPT}),
    Row("outage-no-arc", "region outage (Seoul), no ARC controls", before=["region-outage:ap-northeast-2"],
        settle=primary_down, params={"dr-failover": dict(NO_ARC, **ACCEPT), "failback": {"primary_control": "nope"}}),
    Row("outage-no-accept", "region outage (Seoul), dr-failover without accept_stopped_replication",
        before=["region-outage:ap-northeast-2"], settle=primary_down),
    Row("partial", "primary partially failing: checks pass, 18 % 5xx on blue", before=["bad-deploy:SEOUL_BLUE:0.18"]),
    Row("bad-2-before", "bad deploy on green, 2 % 5xx, before the run", before=["bad-deploy:petclinic-tg-green:0.02"]),
    Row("bad-2-during", "bad deploy on green, 2 % 5xx, during the run", during="bad-deploy:petclinic-tg-green:0.02"),
    Row("bad-10-before", "bad deploy on green, 10 % 5xx, before the run", before=["bad-deploy:petclinic-tg-green:0.1"]),
    Row("bad-10-during", "bad deploy on green, 10 % 5xx, during the run", during="bad-deploy:petclinic-tg-green:0.1"),
    Row("bad-50-before", "bad deploy on green, 50 % 5xx, before the run", before=["bad-deploy:petclinic-tg-green:0.5"],
        settle=green_down),
    Row("bad-50-during", "bad deploy on green, 50 % 5xx, during the run", during="bad-deploy:petclinic-tg-green:0.5"),
    Row("slow-green", "latency on green: +2 s per request", before=["slow-deploy:petclinic-tg-green:2"]),
    Row("throttling", "throttling: 20 % of every AWS call", before=["throttle:*:0.2"]),
    Row("probe-down", "the probe's URL does not answer (the runbook's default)",
        params={"blue-green-cutover": {"probe_url": None}}),
    Row("replica-lag", "region outage, the DR replica 900 s behind",
        before=["region-outage:ap-northeast-2", "replica-lag:petclinic-db:900"], settle=primary_down),
    Row("recovered", "after a failover, the primary recovered", setup=failed_over),
    # Without ARC controls nothing holds DNS on DR: Route 53 answers with the primary again as
    # soon as its check passes, while the database is promoted in Tokyo (dns-failover-types.html).
    Row("recovered-no-arc", "after a failover without ARC controls, the primary recovered (DNS back on it by itself)",
        setup=lambda cell: failed_over(cell, NO_ARC), params={"failback": {"primary_control": "nope"}}),
    Row("release-good", "a new release on green: launch template version 3", before=["new-version:petclinic-was-green:0"]),
    Row("release-bad", "a new release on green that fails its health checks (version 3, 50 % 5xx)",
        before=["new-version:petclinic-was-green:0.5"]),
]

CREATE_P = "rds CreateDBInstanceReadReplica ap-northeast-2"
PROMOTE_P = "rds PromoteReadReplica ap-northeast-2"
DR_DONE = Cell("DNS on DR, RTO measured", 0, r"^runbook dr-failover: done in [0-9.]+ s, RTO [0-9.]+ s \(run ")
NOT_DOWN = refused("primary_is_down", "Route 53 sees the primary healthy")
FB_NOOP = refused("failed_over", "DNS answers with the primary: nothing to fail back")
FB_DOWN = refused("primary_healthy", "the primary is not serving")
BG_DONE = done("100 % green, rules too", CUTOVER, ", cutover [0-9.]+ s, downtime [0-9.]+ s")
BG_DONE_HEALTHY = Cell(BG_DONE.outcome + ", downtime and cutover time recorded", 0, BG_DONE.last, CUTOVER,
                       extra=cutover_done)
RB_DONE = done("100 % blue, rules too", SHIFT)
SC_DONE = done("3 InService, scale-out latency", [SDC_P], ", scale-out [0-9.]+ s")
BG_SICK = refused("green_healthy", "green's targets unhealthy")
RB_SICK = refused("blue_healthy_now", "blue has no healthy target")
AT_10 = "watch_10|healthy_10"
# a complete datapoint over a threshold (the thresholds as given: 0.05, not 0.050000000000000003)
METRIC_BREACH = r"green at 10 %: above max_5xx_rate 0\.05 \(with at least 3 errors\) or max_p99_s 1\.5: rate [0-9.]+, errs [0-9.]+, p99 [0-9.]+ at "
PROBE_BREACH = r"probe probe: [0-9]+ of [0-9]+ checks of .* failed"        # the probe above its max_failed
ANY_BREACH = "|".join((METRIC_BREACH, PROBE_BREACH, r"assertion failed: green's targets fail"))

# The deploy is played on the release rows: elsewhere it would roll an unchanged version and then
# run the very cutover steps of the blue-green-cutover column (an include, not a copy). In the
# release rows the other runbooks read nothing a launch template version changes.
NOT_PLAYED = None
DEPLOY = [NOT_PLAYED]
OTHERS = [NOT_PLAYED] * 5

CELLS = {
    "healthy": [NOT_DOWN, FB_NOOP, BG_DONE_HEALTHY, RB_DONE, SC_DONE],
    "outage-arc": [
        Cell("-p accept_stopped_replication=true (the outage stopped replication): DNS on DR through ARC, RTO measured", 0, DR_DONE.last, [SDC_DR, PROMOTE_DR, ARC]),
        FB_DOWN, BG_SICK, RB_SICK, SC_DONE],
    "outage-no-arc": [
        Cell("-p accept_stopped_replication=true: DNS on DR by the failing check (not inverted), RTO", 0, DR_DONE.last, [SDC_DR, PROMOTE_DR]),
        FB_DOWN, BG_SICK, RB_SICK, SC_DONE],
    # the other runbooks are the outage-arc row's
    "outage-no-accept": [
        Cell("refused before any change: the DR replica's replication stopped (ReplicaLag -1), "
             "the message names -p accept_stopped_replication=true", 1,
             r"FAILED \(step replica_lag: .*not replicating \(ReplicaLag -1\).*-p accept_stopped_replication=true .*\); "
             r"nothing was changed \(run ", [])] + [NOT_PLAYED] * 5,
    "partial": [NOT_DOWN, FB_NOOP,
                rolled_back("rolled back at 10 %: the probe fails more than 5 %", AT_10, PROBE_BREACH, ROLLED_BACK_AT_10),
                RB_DONE, SC_DONE],
    "bad-2-before": [NOT_DOWN, FB_NOOP, BG_DONE, RB_DONE, SC_DONE],
    "bad-2-during": [NOT_DOWN, FB_NOOP, BG_DONE, RB_DONE, SC_DONE],
    "bad-10-before": [NOT_DOWN, FB_NOOP, rolled_back("rolled back at 10 %: 5xx rate", AT_10, METRIC_BREACH, ROLLED_BACK_AT_10),
                      RB_DONE, SC_DONE],
    "bad-10-during": [NOT_DOWN, FB_NOOP, rolled_back("rolled back at 10 %: 5xx rate", AT_10, METRIC_BREACH, ROLLED_BACK_AT_10),
                      RB_DONE, SC_DONE],
    "bad-50-before": [NOT_DOWN, FB_NOOP, BG_SICK, RB_DONE, SC_DONE],
    "bad-50-during": [NOT_DOWN, FB_NOOP, rolled_back("rolled back at 10 %", AT_10, ANY_BREACH, ROLLED_BACK_AT_10),
                      RB_DONE, SC_DONE],
    "slow-green": [NOT_DOWN, FB_NOOP, rolled_back("rolled back at 10 %: p99 latency", AT_10, METRIC_BREACH, ROLLED_BACK_AT_10),
                   RB_DONE, SC_DONE],
    "throttling": [NOT_DOWN, FB_NOOP, BG_DONE, RB_DONE, SC_DONE],
    "probe-down": [NOT_DOWN, FB_NOOP,
                   Cell("refused before any change: no probe baseline; no figure recorded", 1,
                        r"FAILED \(step probe: probe probe: baseline: .* did not answer successfully.*\); nothing was changed",
                        [], extra=no_figure_recorded),
                   RB_DONE, SC_DONE],
    "replica-lag": [refused("replica_lag", "the DR replica is 900 s behind"), FB_DOWN, BG_SICK, RB_SICK, SC_DONE],
    "recovered": [NOT_DOWN,
                  Cell("replica re-created in Seoul and promoted, DNS back on the primary, DR scaled down", 0,
                       r"^runbook failback: done in [0-9.]+ s, failback [0-9.]+ s \(run ",
                       [CREATE_P, PROMOTE_P, ARC, SDC_DR]),
                  BG_DONE, RB_DONE, SC_DONE],
    # the cutover, rollback and scale read nothing the no-ARC failover changed: the recovered row plays them
    "recovered-no-arc": [NOT_DOWN,
                         Cell("refused before any change: DNS went back to the primary by itself while the database is "
                              "promoted in DR: reconcile first", 1,
                              r"FAILED \(step failed_over: assertion failed: .*, the primary, while petclinic-db in "
                              r"ap-northeast-1 is a promoted standalone database: .*\); nothing was changed \(run ", [])]
                        + [NOT_PLAYED] * 3,
    "release-good": OTHERS + [Cell("version 3 on green's instances, then 100 % green, rules too; deploy time and downtime recorded",
                                   0, r"^runbook deploy: done in [0-9.]+ s, cutover [0-9.]+ s, deploy [0-9.]+ s, downtime [0-9.]+ s \(run ",
                                   [POINT, ROLL] + CUTOVER, extra=deploy_done)],
    "release-bad": OTHERS + [Cell("stopped before any shift: the refresh failed on health checks; the group set back",
                                  1, r"FAILED \(step roll_ok: assertion failed: .* ended Failed .*\); rolled back in [0-9.]+ s",
                                  [POINT, ROLL, POINT], extra=deploy_stopped)],
}
for _key in CELLS:
    if len(CELLS[_key]) == len(COLUMNS) - 1:
        CELLS[_key] = CELLS[_key] + DEPLOY

# Column setups and parameters every cell of a column uses.
COLUMN_PARAMS = {"blue-green-cutover": dict(FAST, probe_url="APP"), "scale": {"desired": "3"},
                 "deploy": dict(FAST, probe_url="APP", smoke_url="APPtg/petclinic-tg-green/", warmup="60", version="3")}
COLUMN_SETUP = {"blue-green-rollback": on_green}


# ---- running a cell ----------------------------------------------------------

class CellRun:
    def __init__(self, row, col, cell):
        self.row, self.col, self.cell = row, col, cell
        self.tmp = tempfile.mkdtemp(prefix="gameday.")
        self.home = os.path.join(self.tmp, "home")
        os.makedirs(self.home)
        self.sim = None
        self.ep = None

    def env(self):
        e = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "FD_RUNBOOK_PATH"}
        e.update(HOME=self.home, XDG_STATE_HOME=os.path.join(self.home, "state"),
                 XDG_CONFIG_HOME=os.path.join(self.home, "config"), AWS_ENDPOINT_URL=self.ep,
                 AWS_ACCESS_KEY_ID="AKIDFLIGHTDECKSIM", AWS_SECRET_ACCESS_KEY="flightdeck/sim/secret",
                 AWS_REGION="ap-northeast-2", NO_PROXY="*")
        return e

    def start_sim(self, faults=()):
        """A fresh simulator; faults given at its start have held for as long as its history goes
        back (CloudWatch's datapoints show them too)."""
        out = open(os.path.join(self.tmp, "sim.out"), "w+")
        args = [FD_BIN, "sim", "--listen", "127.0.0.1:0", "--time-scale", str(TIME_SCALE)]
        for spec in faults:
            args += ["--fault", spec.replace("SEOUL_BLUE", SEOUL_BLUE)]
        self.sim = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
        for _ in range(200):
            out.seek(0)
            m = re.search(r"http://127\.0\.0\.1:[0-9]+", out.read())
            if m:
                self.ep = m.group(0)
                return
            time.sleep(0.05)
        raise RuntimeError("the simulator did not start")

    def wait(self, pred, timeout_s=20):
        end = time.time() + timeout_s
        while time.time() < end:
            if pred(state(self.ep)):
                return
            time.sleep(0.1)
        raise RuntimeError("the scenario did not settle in %d s" % timeout_s)

    def call(self, service, op, body):
        p = subprocess.run([FD_BIN, "call", service, op, "--yes", "--input-json", "-"], input=json.dumps(body),
                           capture_output=True, text=True, env=self.env(), timeout=60)
        if p.returncode != 0:
            raise RuntimeError("setup call %s %s failed: %s" % (service, op, p.stderr))

    def limit_s(self):
        """How long a run may take: a deploy is a refresh (~30 s) before a whole cutover."""
        return 780 if self.col == "deploy" else 600

    def runbook(self, name, params):
        args = [FD_BIN, "runbook", "run", name, "--yes"]
        for k, v in params.items():
            if v is not None:
                args += ["-p", "%s=%s" % (k, v.replace("APP", self.ep + "/_sim/app/ap-northeast-2/"))]
        try:
            return subprocess.run(args, capture_output=True, text=True, env=self.env(), timeout=self.limit_s(),
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:   # show where the run stood
            def text(b):
                return b.decode(errors="replace") if isinstance(b, bytes) else (b or "")
            return subprocess.CompletedProcess(args, 124, text(e.stdout),
                                               text(e.stderr) + "\n(gameday: the run did not end in %d s)" % self.limit_s())

    def inject_during(self, spec, base, stop):
        """POST spec right after the run's first mutating call."""
        while not stop.is_set():
            log = requests_log(self.ep)
            if any(r["mutating"] for r in log[base:]):
                fault(self.ep, spec)
                return
            time.sleep(0.05)

    def play(self):
        """Run the cell; returns (ok, detail)."""
        try:
            self.start_sim(self.row.before)
            if self.row.settle:
                self.wait(self.row.settle)
            if self.row.setup:
                self.row.setup(self)
            if COLUMN_SETUP.get(self.col):
                COLUMN_SETUP[self.col](self)
            base = len(requests_log(self.ep))
            params = dict(COLUMN_PARAMS.get(self.col, {}))
            params.update(self.row.params.get(self.col, {}))
            stop = threading.Event()
            injector = None
            if self.row.during:
                injector = threading.Thread(target=self.inject_during, args=(self.row.during, base, stop))
                injector.start()
            t0 = time.time()
            p = self.runbook(self.col, params)
            self.wall_s = time.time() - t0
            stop.set()
            if injector:
                injector.join()
            log = requests_log(self.ep)[base:]
            calls = ["%s %s %s" % (r["service"], r["operation"], r["region"])
                     for r in log if r["mutating"] and r["status"] < 300]
            # a mutating call AWS refused is a call the runbook should not have sent (a check it
            # lacks); only a throttled one may be (the step re-reads and decides again)
            refused_calls = ["%s %s: %d %s" % (r["operation"], r["region"], r["status"], r["error"])
                             for r in log if r["mutating"] and r["status"] >= 300 and r["error"] != "Throttling"]
            self.out = p.stdout + p.stderr
            last = self.out.rstrip("\n").split("\n")[-1]
            errors = []
            if p.returncode != self.cell.rc:
                errors.append("exit %d, want %d" % (p.returncode, self.cell.rc))
            if not re.search(self.cell.last, last):
                errors.append("last line %r does not match %r" % (last, self.cell.last))
            if sorted(calls) != sorted(self.cell.calls):
                errors.append("mutating calls %s, want %s" % (calls, self.cell.calls))
            if refused_calls:
                errors.append("mutating calls refused by AWS: %s" % refused_calls)
            if self.cell.extra:
                e = self.cell.extra(self)
                if e:
                    errors.append(e)
            return (not errors, "; ".join(errors) if errors else last)
        except Exception as e:   # a setup that failed is a failed cell, with why
            return (False, "%s: %s" % (type(e).__name__, e))
        finally:
            if self.sim:
                self.sim.terminate()
                self.sim.wait()
            shutil.rmtree(self.tmp, ignore_errors=True)


def cells(only):
    for row in ROWS:
        for col, cell in zip(COLUMNS, CELLS[row.key]):
            if cell is NOT_PLAYED:
                continue
            if not only or row.key in only or "%s/%s" % (row.key, col) in only:
                yield row, col, cell


def markdown():
    short = {"dr-failover": "dr-failover", "failback": "failback", "blue-green-cutover": "blue-green-cutover",
             "blue-green-rollback": "blue-green-rollback", "scale": "scale", "deploy": "deploy"}
    lines = ["| scenario | " + " | ".join(short[c] for c in COLUMNS) + " |",
             "| --- | " + " | ".join("---" for _ in COLUMNS) + " |"]
    for row in ROWS:
        out = []
        for cell in CELLS[row.key]:
            if cell is NOT_PLAYED:
                out.append("-")
                continue
            calls = ", ".join(c.split()[1] + ("" if c.endswith("ap-northeast-2") else " (" + c.split()[2] + ")")
                              for c in cell.calls) or "none"
            text = "%s; calls: %s" % (cell.outcome, calls)
            if cell.pending:
                text = "PENDING (%s): %s" % (cell.pending, text)
            out.append(text)
        lines.append("| %s | %s |" % (row.title, " | ".join(out)))
    return "\n".join(lines)


def doc_path():
    return os.path.join(os.environ.get("FD_SRCDIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")),
                        "docs", "runbooks.md")


def write_doc():
    """Replace the table between the gameday-matrix markers of docs/runbooks.md."""
    path = doc_path()
    text = open(path).read()
    head, rest = text.split("<!-- gameday-matrix -->\n", 1)
    tail = rest.split("\n<!-- /gameday-matrix -->", 1)[1]
    with open(path, "w") as f:
        f.write(head + "<!-- gameday-matrix -->\n" + markdown() + "\n<!-- /gameday-matrix -->" + tail)


def doc_matches():
    """docs/runbooks.md carries the table between its gameday-matrix markers."""
    path = doc_path()
    try:
        text = open(path).read()
        got = text.split("<!-- gameday-matrix -->\n", 1)[1].split("\n<!-- /gameday-matrix -->", 1)[0]
    except (OSError, IndexError):
        return False, ": no table between <!-- gameday-matrix --> markers in " + path
    if got.strip() != markdown().strip():
        return False, ": it differs from gameday.py --markdown (regenerate it: tests/gameday/gameday.py --write-doc)"
    return True, ""


def main(argv):
    if "--markdown" in argv:
        print(markdown())
        return 0
    if "--write-doc" in argv:
        write_doc()
        return 0
    if "--check-doc" in argv:
        good, why = doc_matches()
        print("%s 1 - docs/runbooks.md shows the matrix of gameday.py%s\n1..1" % ("ok" if good else "not ok", why))
        return 0 if good else 1
    global SEOUL_BLUE
    only = set(argv[argv.index("--only") + 1:]) if "--only" in argv else set()
    todo = list(cells(only))
    SEOUL_BLUE = seoul_blue()
    workers = int(os.environ.get("GAMEDAY_JOBS", "10"))
    t0 = time.time()
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futs = {}
        # the long cells first (whole cutovers), so the matrix ends with its longest cell
        for row, col, cell in sorted(todo, key=lambda t: -len(t[2].calls) - (10 if t[2].rc == 0 else 0)):
            if cell.pending:
                continue
            run = CellRun(row, col, cell)
            futs[pool.submit(run.play)] = (row, col, run)
        for f in concurrent.futures.as_completed(futs):
            row, col, run = futs[f]
            results[(row.key, col)] = (f.result(), run)
    n = 0
    failed = 0
    print("# the game-day matrix (%d cells):" % len(todo))
    for line in markdown().split("\n"):
        print("# " + line)
    for row, col, cell in todo:
        n += 1
        name = "%s / %s: %s" % (row.title, col, cell.outcome)
        if cell.pending:
            print("ok %d - %s # SKIP pending: %s" % (n, name, cell.pending))
            continue
        (good, detail), run = results[(row.key, col)]
        print("%s %d - %s (%.1f s)" % ("ok" if good else "not ok", n, name, getattr(run, "wall_s", 0)))
        if not good:
            failed += 1
            print("# " + detail)
            for line in getattr(run, "out", "").rstrip("\n").split("\n")[-25:]:
                print("#   " + line)
    print("# matrix wall time: %.1f s with %d workers" % (time.time() - t0, workers))
    if not only:
        n += 1
        good, why = doc_matches()
        print("%s %d - docs/runbooks.md shows this matrix%s" % ("ok" if good else "not ok", n, why))
        failed += 0 if good else 1
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
