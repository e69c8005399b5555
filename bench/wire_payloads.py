"""wire_payloads.py DIR — the response bodies bench/wire.sh decodes, generated from
botocore's models (tests/client/wire_model.py): DescribeAutoScalingGroups pages
holding 2000 instances (4 pages of 5 groups of 100) and a ListHealthChecks page
of 500 health checks. Deterministic."""
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "client"))
import wire_model as wm  # noqa: E402


def main():
    out = sys.argv[1]
    rng = random.Random(11)
    model, _ = wm.load("autoscaling")
    op = model.operation_model("DescribeAutoScalingGroups")
    group_shape = op.output_shape.members["AutoScalingGroups"].member
    inst_shape = group_shape.members["Instances"].member
    for page in range(4):
        groups = []
        for g in range(5):
            group = wm.Gen(rng, "output", max_depth=4).value(group_shape)
            group["Instances"] = [wm.Gen(rng, "output", max_depth=3).value(inst_shape) for _ in range(100)]
            groups.append(group)
        value = {"AutoScalingGroups": groups, "NextToken": "page-%d" % (page + 1)}
        with open(os.path.join(out, "asg-%d.xml" % page), "wb") as f:
            f.write(wm.response(model, op, value, rng, pretty=page % 2 == 0)[2])
    model, _ = wm.load("route53")
    op = model.operation_model("ListHealthChecks")
    hc_shape = op.output_shape.members["HealthChecks"].member
    value = {"HealthChecks": [wm.Gen(rng, "output", max_depth=4).value(hc_shape) for _ in range(500)],
             "Marker": "m", "IsTruncated": False, "MaxItems": "1000"}
    with open(os.path.join(out, "health-checks.xml"), "wb") as f:
        f.write(wm.response(model, op, value, rng, pretty=True)[2])


main()
