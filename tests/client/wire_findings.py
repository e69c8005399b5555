"""wire_findings.py — each place issue 11 found the hint scheme wrong, as a named test.

usage: /usr/bin/python3 wire_findings.py WIRE_CALL FLIGHTDECK

Every case goes through the real `flightdeck call` against a local server
(wire_diff.Server): a response written by hand the way AWS sends it is read by
botocore's parser (Debian python3-botocore, the oracle) and by flightdeck, which
must agree on the whole value (wire_model.diff: types, list-ness, timestamps as
instants) and on the finding itself; a request flightdeck sends must be the
one botocore's serializer builds (wire_diff.compare_request) and carry the
finding's parameter as botocore spells it. Errors: the code precedence of
botocore's json and rest-json parsers and messages cut on a UTF-8 boundary.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import wire_diff as wd  # noqa: E402  (puts Debian's botocore first on sys.path)
import wire_model as wm  # noqa: E402
from tap import ok, done_testing  # noqa: E402

import botocore.parsers  # noqa: E402
import botocore.serialize  # noqa: E402
from botocore.awsrequest import HeadersDict  # noqa: E402

R53 = "https://route53.amazonaws.com/doc/2013-04-01/"
ASG = "http://autoscaling.amazonaws.com/doc/2011-01-01/"
RDS = "http://rds.amazonaws.com/doc/2014-10-31/"
ELB = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"
CW = "http://monitoring.amazonaws.com/doc/2010-08-01/"


def query_doc(op, ns, result):
    """A query protocol response, pretty-printed as AWS sends it."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<%sResponse xmlns="%s">\n  <%sResult>\n%s\n  </%sResult>\n'
            '  <ResponseMetadata>\n    <RequestId>req-findings</RequestId>\n  </ResponseMetadata>\n'
            '</%sResponse>\n' % (op, ns, op, result, op, op)).encode()


def get(v, path):
    """A value at a dotted path with [i] list indices; KeyError names what is missing."""
    for part in path.replace("[", ".[").split("."):
        if part.startswith("["):
            v = v[int(part[1:-1])]
        elif part:
            v = v[part]
    return v


class Findings:
    def __init__(self, args, tmp):
        os.environ["FD_TMP"] = tmp
        self.run = wd.Run(argparse.Namespace(wire_call=args.wire_call, flightdeck=args.flightdeck, seeds=1))

    def call(self, service, op, inp, reply):
        """flightdeck call SERVICE OP with inp against a case answering reply; (exit, stdout, stderr, request)."""
        cid = self.run.case_id()
        self.run.srv.cases[cid] = lambda req: reply
        if op not in ("GetCallerIdentity",):
            self.run.srv.identity.add(cid)
        import subprocess
        p = subprocess.run([self.run.args.flightdeck, "call", service, op, "--input-json", "-", "--yes",
                            "--endpoint-url", "%s/case/%d" % (self.run.endpoint, cid)],
                           input=json.dumps(inp).encode(), capture_output=True, env=self.run.env(), timeout=120)
        seen = self.run.srv.seen.get(cid) or [None]
        out = []
        for raw in (p.stdout, p.stderr):
            try:
                out.append(raw.decode("utf-8"))   # strict: a character cut in half fails here
            except UnicodeDecodeError as e:
                out.append("(not UTF-8: %s) %r" % (e, raw[-60:]))
        return p.returncode, out[0], out[1], seen[0]

    def decode(self, name, service, op, inp, body, checks, status=200):
        """A response body read by botocore and by flightdeck: equal, and each (path, want) holds."""
        model, _ = self.run.model(service)
        om = model.operation_model(op)
        headers = {"Content-Type": "application/json" if body.startswith(b"{") else "text/xml",
                   "x-amzn-RequestId": "req-findings"}
        theirs = botocore.parsers.create_parser(model.metadata["protocol"]).parse(
            {"status_code": status, "headers": HeadersDict(headers), "body": body}, om.output_shape)
        theirs.pop("ResponseMetadata", None)
        rc, out, err, _ = self.call(service, op, inp, (status, headers, body))
        notes = []
        if rc != 0:
            ok(False, name, "flightdeck call exited %d: %s" % (rc, err.strip()))
            return None
        mine = json.loads(out)
        diffs = []
        wm.diff(theirs, mine, op, diffs, om.output_shape)
        notes += ["%s: %s (botocore vs flightdeck)" % d for d in diffs]
        for path, want in checks:
            for who, v in (("botocore", theirs), ("flightdeck", mine)):
                try:
                    got = get(v, path)
                except (KeyError, IndexError, TypeError) as e:
                    notes.append("%s: %s missing (%s)" % (who, path, e))
                    continue
                if isinstance(want, type):
                    good = type(got) is want
                elif callable(want):
                    good = want(got)
                else:
                    good = type(got) is type(want) and got == want
                if not good:
                    notes.append("%s: %s is %r, want %r" % (who, path, got, want))
        ok(not notes, name, "\n".join(notes))
        return out

    def encode(self, name, service, op, inp, must):
        """flightdeck's request for inp equals botocore's serializer's, and carries each (key, value) of must."""
        model, _ = self.run.model(service)
        om = model.operation_model(op)
        proto = model.metadata["protocol"]
        theirs = botocore.serialize.create_serializer(proto, include_validation=True).serialize_to_request(
            dict(inp), om)
        reply = wm.response(model, om, {}, __import__("random").Random(1), pretty=False)
        rc, _out, err, req = self.call(service, op, inp, reply)
        notes = []
        if req is None:
            ok(False, name, "nothing sent (exit %d): %s" % (rc, err.strip()))
            return
        notes += ["%s: %s (botocore vs flightdeck)" % d for d in wd.compare_request(theirs, req, proto, om)]
        sent = dict(wd.pairs(req["body"].decode()))
        for k, v in must:
            if sent.get(k) != v:
                notes.append("flightdeck sent %s=%r, want %r" % (k, sent.get(k), v))
            if str(theirs["body"].get(k)) != v:
                notes.append("botocore sends %s=%r, want %r" % (k, theirs["body"].get(k), v))
        ok(not notes, name, "\n".join(notes))

    def error(self, name, service, op, inp, status, headers, body, want_code, botocore_agrees=True):
        """An error response: flightdeck's exit status and message give want_code (and botocore's too)."""
        model, _ = self.run.model(service)
        theirs = botocore.parsers.create_parser(model.metadata["protocol"]).parse(
            {"status_code": status, "headers": HeadersDict(headers), "body": body}, None)["Error"]
        rc, _out, err, _ = self.call(service, op, inp, (status, headers, body))
        notes = []
        if rc != 1:
            notes.append("flightdeck call exited %d, want 1" % rc)
        prefix = "%s %s: %s: " % (service, op, want_code)
        if not err.startswith(prefix):
            notes.append("flightdeck said %r, want it to start %r" % (err[:200], prefix))
        if botocore_agrees and theirs.get("Code") != want_code:
            notes.append("botocore read the code %r, want %r" % (theirs.get("Code"), want_code))
        ok(not notes, name, "\n".join(notes))
        return err, theirs


def decode_findings(f):
    # https://docs.aws.amazon.com/Route53/latest/APIReference/API_CloudWatchAlarmConfiguration.html
    out = f.decode(
        "route53 CloudWatchAlarmConfiguration.Period and EvaluationPeriods are integers, Threshold 0.1 a double",
        "route53", "GetHealthCheck", {"HealthCheckId": "hc-1"},
        ('<?xml version="1.0" encoding="UTF-8"?>\n<GetHealthCheckResponse xmlns="%s"><HealthCheck>'
         '<Id>hc-1</Id><CallerReference>ref</CallerReference><HealthCheckConfig><Type>CLOUDWATCH_METRIC</Type>'
         '<AlarmIdentifier><Region>ap-northeast-2</Region><Name>5xx</Name></AlarmIdentifier>'
         '<InsufficientDataHealthStatus>Unhealthy</InsufficientDataHealthStatus></HealthCheckConfig>'
         '<HealthCheckVersion>3</HealthCheckVersion><CloudWatchAlarmConfiguration>'
         '<EvaluationPeriods>3</EvaluationPeriods><Threshold>0.1</Threshold>'
         '<ComparisonOperator>GreaterThanThreshold</ComparisonOperator><Period>60</Period>'
         '<MetricName>HTTPCode_Target_5XX_Count</MetricName><Namespace>AWS/ApplicationELB</Namespace>'
         '<Statistic>Sum</Statistic><Dimensions><Dimension><Name>LoadBalancer</Name><Value>app/web/1</Value>'
         '</Dimension></Dimensions></CloudWatchAlarmConfiguration></HealthCheck></GetHealthCheckResponse>'
         % R53).encode(),
        [("HealthCheck.CloudWatchAlarmConfiguration.Period", 60),
         ("HealthCheck.CloudWatchAlarmConfiguration.EvaluationPeriods", 3),
         ("HealthCheck.CloudWatchAlarmConfiguration.Threshold", 0.1),
         ("HealthCheck.HealthCheckVersion", 3),
         ("HealthCheck.CloudWatchAlarmConfiguration.Dimensions", lambda v: isinstance(v, list) and len(v) == 1)])
    ok(out is not None and '"Threshold": 0.1,' in out and "0.10000000000000001" not in out,
       "flightdeck call prints the double 0.1 as 0.1, not 0.10000000000000001",
       "stdout: %r" % (out or "")[:400])

    # https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_AutoScalingGroup.html
    # https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_InstancesDistribution.html
    f.decode(
        "autoscaling PredictedCapacity, WarmPoolConfiguration.* and InstancesDistribution.* keep their types",
        "autoscaling", "DescribeAutoScalingGroups", {},
        query_doc("DescribeAutoScalingGroups", ASG, """    <AutoScalingGroups>
      <member>
        <AutoScalingGroupName>web-green</AutoScalingGroupName>
        <MinSize>2</MinSize>
        <MaxSize>8</MaxSize>
        <DesiredCapacity>4</DesiredCapacity>
        <PredictedCapacity>5</PredictedCapacity>
        <DefaultCooldown>300</DefaultCooldown>
        <AvailabilityZones>
          <member>ap-northeast-2a</member>
        </AvailabilityZones>
        <HealthCheckType>ELB</HealthCheckType>
        <CreatedTime>2026-11-24T05:00:00.123Z</CreatedTime>
        <CapacityRebalance>true</CapacityRebalance>
        <MixedInstancesPolicy>
          <InstancesDistribution>
            <OnDemandBaseCapacity>1</OnDemandBaseCapacity>
            <OnDemandPercentageAboveBaseCapacity>50</OnDemandPercentageAboveBaseCapacity>
            <SpotInstancePools>2</SpotInstancePools>
            <SpotMaxPrice>0.05</SpotMaxPrice>
          </InstancesDistribution>
        </MixedInstancesPolicy>
        <WarmPoolConfiguration>
          <MaxGroupPreparedCapacity>6</MaxGroupPreparedCapacity>
          <MinSize>1</MinSize>
          <PoolState>Stopped</PoolState>
        </WarmPoolConfiguration>
        <Instances>
        </Instances>
      </member>
    </AutoScalingGroups>"""),
        [("AutoScalingGroups[0].PredictedCapacity", 5),
         ("AutoScalingGroups[0].WarmPoolConfiguration.MaxGroupPreparedCapacity", 6),
         ("AutoScalingGroups[0].WarmPoolConfiguration.MinSize", 1),
         ("AutoScalingGroups[0].MixedInstancesPolicy.InstancesDistribution.OnDemandBaseCapacity", 1),
         ("AutoScalingGroups[0].MixedInstancesPolicy.InstancesDistribution.OnDemandPercentageAboveBaseCapacity", 50),
         ("AutoScalingGroups[0].MixedInstancesPolicy.InstancesDistribution.SpotInstancePools", 2),
         ("AutoScalingGroups[0].MixedInstancesPolicy.InstancesDistribution.SpotMaxPrice", "0.05"),
         ("AutoScalingGroups[0].CapacityRebalance", True),
         ("AutoScalingGroups[0].Instances", [])])

    # https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html
    # https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBSubnetGroup.html
    f.decode(
        "rds ActivityStreamEngineNativeAuditFieldsIncluded is a boolean; an empty pretty-printed "
        "SupportedNetworkTypes is [], not \"\"",
        "rds", "DescribeDBInstances", {},
        query_doc("DescribeDBInstances", RDS, """    <DBInstances>
      <DBInstance>
        <DBInstanceIdentifier>db-seoul</DBInstanceIdentifier>
        <AllocatedStorage>100</AllocatedStorage>
        <ActivityStreamEngineNativeAuditFieldsIncluded>true</ActivityStreamEngineNativeAuditFieldsIncluded>
        <DBSubnetGroup>
          <DBSubnetGroupName>default</DBSubnetGroupName>
          <SupportedNetworkTypes>
          </SupportedNetworkTypes>
          <Subnets>
            <Subnet>
              <SubnetIdentifier>subnet-1</SubnetIdentifier>
            </Subnet>
          </Subnets>
        </DBSubnetGroup>
        <ReadReplicaDBInstanceIdentifiers/>
      </DBInstance>
    </DBInstances>"""),
        [("DBInstances[0].ActivityStreamEngineNativeAuditFieldsIncluded", True),
         ("DBInstances[0].AllocatedStorage", 100),
         ("DBInstances[0].DBSubnetGroup.SupportedNetworkTypes", []),
         ("DBInstances[0].DBSubnetGroup.Subnets[0].SubnetIdentifier", "subnet-1"),
         ("DBInstances[0].ReadReplicaDBInstanceIdentifiers", [])])

    # https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CustomizedMetricSpecification.html
    # https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PredictiveScalingCustomizedCapacityMetric.html
    f.decode(
        "autoscaling CustomizedMetricSpecification is a structure, an empty predictive-scaling "
        "MetricDataQueries is []",
        "autoscaling", "DescribePolicies", {},
        query_doc("DescribePolicies", ASG, """    <ScalingPolicies>
      <member>
        <PolicyName>cpu</PolicyName>
        <PolicyType>TargetTrackingScaling</PolicyType>
        <TargetTrackingConfiguration>
          <CustomizedMetricSpecification>
            <MetricName>CPUUtilization</MetricName>
            <Namespace>AWS/EC2</Namespace>
            <Dimensions>
              <member>
                <Name>AutoScalingGroupName</Name>
                <Value>web-green</Value>
              </member>
            </Dimensions>
            <Statistic>Average</Statistic>
          </CustomizedMetricSpecification>
          <TargetValue>50.5</TargetValue>
        </TargetTrackingConfiguration>
        <Enabled>true</Enabled>
      </member>
      <member>
        <PolicyName>forecast</PolicyName>
        <PolicyType>PredictiveScaling</PolicyType>
        <PredictiveScalingConfiguration>
          <MetricSpecifications>
            <member>
              <TargetValue>40</TargetValue>
              <CustomizedCapacityMetricSpecification>
                <MetricDataQueries>
                </MetricDataQueries>
              </CustomizedCapacityMetricSpecification>
            </member>
          </MetricSpecifications>
          <SchedulingBufferTime>300</SchedulingBufferTime>
        </PredictiveScalingConfiguration>
      </member>
    </ScalingPolicies>"""),
        [("ScalingPolicies[0].TargetTrackingConfiguration.CustomizedMetricSpecification.MetricName",
          "CPUUtilization"),
         ("ScalingPolicies[0].TargetTrackingConfiguration.CustomizedMetricSpecification", dict),
         ("ScalingPolicies[0].TargetTrackingConfiguration.TargetValue", 50.5),
         ("ScalingPolicies[1].PredictiveScalingConfiguration.MetricSpecifications[0]."
          "CustomizedCapacityMetricSpecification.MetricDataQueries", []),
         ("ScalingPolicies[1].PredictiveScalingConfiguration.MetricSpecifications[0].TargetValue", 40.0),
         ("ScalingPolicies[1].PredictiveScalingConfiguration.SchedulingBufferTime", 300)])

    # https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SourceIpConditionConfig.html
    # https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RedirectActionConfig.html
    # https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_AuthenticateOidcActionConfig.html
    f.decode(
        "elbv2 SourceIpConfig is {Values: [...]}, RedirectConfig.Port a string (443 and #{port}), "
        "AuthenticationRequestExtraParams a map (entry key/value)",
        "elbv2", "DescribeRules", {},
        query_doc("DescribeRules", ELB, """    <Rules>
      <member>
        <RuleArn>arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener-rule/app/web/1/2/3</RuleArn>
        <Priority>10</Priority>
        <IsDefault>false</IsDefault>
        <Conditions>
          <member>
            <Field>source-ip</Field>
            <SourceIpConfig>
              <Values>
                <member>10.0.0.0/8</member>
                <member>192.168.0.0/16</member>
              </Values>
            </SourceIpConfig>
          </member>
        </Conditions>
        <Actions>
          <member>
            <Type>redirect</Type>
            <Order>1</Order>
            <RedirectConfig>
              <Protocol>HTTPS</Protocol>
              <Port>443</Port>
              <StatusCode>HTTP_301</StatusCode>
            </RedirectConfig>
          </member>
          <member>
            <Type>redirect</Type>
            <RedirectConfig>
              <Protocol>#{protocol}</Protocol>
              <Port>#{port}</Port>
              <StatusCode>HTTP_302</StatusCode>
            </RedirectConfig>
          </member>
          <member>
            <Type>authenticate-oidc</Type>
            <AuthenticateOidcConfig>
              <Issuer>https://idp.example.com</Issuer>
              <AuthorizationEndpoint>https://idp.example.com/auth</AuthorizationEndpoint>
              <TokenEndpoint>https://idp.example.com/token</TokenEndpoint>
              <UserInfoEndpoint>https://idp.example.com/user</UserInfoEndpoint>
              <ClientId>flightdeck</ClientId>
              <AuthenticationRequestExtraParams>
                <entry>
                  <key>prompt</key>
                  <value>login</value>
                </entry>
                <entry>
                  <key>display</key>
                  <value>page &amp; more</value>
                </entry>
              </AuthenticationRequestExtraParams>
            </AuthenticateOidcConfig>
          </member>
        </Actions>
      </member>
    </Rules>"""),
        [("Rules[0].Conditions[0].SourceIpConfig", {"Values": ["10.0.0.0/8", "192.168.0.0/16"]}),
         ("Rules[0].Actions[0].RedirectConfig.Port", "443"),
         ("Rules[0].Actions[0].Order", 1),
         ("Rules[0].Actions[1].RedirectConfig.Port", "#{port}"),
         ("Rules[0].Actions[2].AuthenticateOidcConfig.AuthenticationRequestExtraParams",
          {"prompt": "login", "display": "page & more"}),
         ("Rules[0].IsDefault", False)])

    # https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_AlarmHistoryItem.html
    out = f.decode(
        "cloudwatch timestamps keep their sub-millisecond part (2026-11-24T05:00:00.123456Z)",
        "cloudwatch", "DescribeAlarmHistory", {},
        query_doc("DescribeAlarmHistory", CW, """    <AlarmHistoryItems>
      <member>
        <AlarmName>web-5xx</AlarmName>
        <Timestamp>2026-11-24T05:00:00.123456Z</Timestamp>
        <HistoryItemType>StateUpdate</HistoryItemType>
        <HistorySummary>Alarm updated from OK to ALARM</HistorySummary>
      </member>
      <member>
        <AlarmName>web-5xx</AlarmName>
        <Timestamp>2026-11-24T14:00:00.5+09:00</Timestamp>
      </member>
    </AlarmHistoryItems>"""),
        [("AlarmHistoryItems[0].Timestamp", lambda v: wm.instant_us(v) == 1795496400123456),
         ("AlarmHistoryItems[1].Timestamp", lambda v: wm.instant_us(v) == 1795496400500000)])
    ok(out is not None and "2026-11-24T05:00:00.123456Z" in out,
       "flightdeck call prints the timestamp with its microseconds", "stdout: %r" % (out or "")[:400])

    # https://docs.aws.amazon.com/xray/latest/api/API_GetServiceGraph.html (epoch seconds with a fraction)
    f.decode(
        "rest-json: epoch-second timestamps keep their microseconds",
        "xray", "GetServiceGraph", {"StartTime": 1795496400, "EndTime": 1795500000},
        b'{"StartTime": 1795496400.123456, "EndTime": 1795500000.000001, "Services": [], '
        b'"ContainsOldGroupVersions": false}',
        [("StartTime", lambda v: wm.instant_us(v) == 1795496400123456),
         ("EndTime", lambda v: wm.instant_us(v) == 1795500000000001),
         ("Services", []), ("ContainsOldGroupVersions", False)])


def encode_findings(f):
    # https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_AuthenticateOidcActionConfig.html
    pre = "Actions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry."
    f.encode(
        "elbv2 AuthenticationRequestExtraParams goes out as entry.N.key / entry.N.value",
        "elbv2", "ModifyRule",
        {"RuleArn": "arn:rule", "Actions": [{"Type": "authenticate-oidc", "AuthenticateOidcConfig": {
            "Issuer": "i", "AuthorizationEndpoint": "a", "TokenEndpoint": "t", "UserInfoEndpoint": "u",
            "ClientId": "c", "AuthenticationRequestExtraParams": {"prompt": "login", "display": "page"}}}]},
        [(pre + "1.key", "prompt"), (pre + "1.value", "login"), (pre + "2.key", "display"),
         (pre + "2.value", "page")])
    # https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBInstances.html
    f.encode(
        "rds Filters go out as Filters.Filter.1.Values.Value.1",
        "rds", "DescribeDBInstances",
        {"Filters": [{"Name": "engine", "Values": ["postgres", "aurora-postgresql"]}]},
        [("Filters.Filter.1.Name", "engine"), ("Filters.Filter.1.Values.Value.1", "postgres"),
         ("Filters.Filter.1.Values.Value.2", "aurora-postgresql")])
    # https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html
    f.encode(
        "cloudwatch: a timestamp given as epoch seconds goes out as ISO 8601",
        "cloudwatch", "DescribeAlarmHistory", {"StartDate": 1795496400, "EndDate": 1795500000.25},
        [("StartDate", "2026-11-24T05:00:00Z"), ("EndDate", "2026-11-24T06:00:00.250000Z")])
    f.encode(
        "cloudwatch: a timestamp's microseconds go out as given",
        "cloudwatch", "DescribeAlarmHistory",
        {"StartDate": "2026-11-24T05:00:00.000001Z", "EndDate": "2026-11-24T06:00:00.123456Z"},
        [("StartDate", "2026-11-24T05:00:00.000001Z"), ("EndDate", "2026-11-24T06:00:00.123456Z")])


def error_findings(f):
    arc = ("route53-recovery-cluster", "GetRoutingControlState", {"RoutingControlArn": "arn:rc"})
    # botocore's json parser takes the code from the body's __type (its namespace cut at '#'),
    # never from X-Amzn-ErrorType
    f.error("json: the error code is the body's __type, before the X-Amzn-ErrorType header", *arc, 400,
            {"Content-Type": "application/x-amz-json-1.0", "X-Amzn-ErrorType": "ThrottlingException:http://x/"},
            b'{"__type":"com.amazonaws.route53recoverycluster#ValidationException","message":"bad arn"}',
            "ValidationException")
    f.error("json: without __type the X-Amzn-ErrorType header names the error (botocore: the status)", *arc,
            400, {"Content-Type": "application/x-amz-json-1.0",
                  "X-Amzn-ErrorType": "AccessDeniedException:http://internal.amazon.com/coral/"},
            b'{"message":"no"}', "AccessDeniedException", botocore_agrees=False)
    xray = ("xray", "GetServiceGraph", {"StartTime": 1795496400, "EndTime": 1795500000})
    f.error("rest-json: the X-Amzn-ErrorType header comes before the body's code", *xray, 429,
            {"Content-Type": "application/json",
             "X-Amzn-ErrorType": "ThrottledException:http://internal.amazon.com/coral/com.amazonaws.xray/"},
            b'{"code":"SomethingElse","message":"slow down"}', "ThrottledException")
    # AWS's SDKs cut a code at its first ':' and after its '#' (Smithy's restJson1 "Operation error
    # serialization", https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html; aws-sdk-go-v2
    # restjson.SanitizeErrorCode; newer botocore); Debian's botocore 1.29 kept "ns#Name" from the
    # header and "Name:url" from __type, so it is not asked here.
    f.error("rest-json: a namespaced X-Amzn-ErrorType (ns#Name:url) names Name", *xray, 400,
            {"Content-Type": "application/json",
             "X-Amzn-ErrorType": "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/x#y"},
            b'{"message":"m"}', "FooError", botocore_agrees=False)
    f.error("json: a __type with a namespace and a URL (ns#Name:url) names Name", *arc, 400,
            {"Content-Type": "application/x-amz-json-1.0"},
            b'{"__type":"com.amazonaws.x#ValidationException:http://internal.amazon.com/coral/","message":"m"}',
            "ValidationException", botocore_agrees=False)
    f.error("rest-json: without the header, the body's code", *xray, 400,
            {"Content-Type": "application/json"}, b'{"code":"InvalidRequestException","message":"no"}',
            "InvalidRequestException")
    # A message longer than an fd_error holds is cut on a UTF-8 character boundary, whatever the protocol.
    long_msg = ("\u00e9\u20ac\U0001F600x" * 200)   # 2-, 3- and 4-byte characters, 2000 bytes
    esc = long_msg.replace("&", "&amp;")
    bodies = [
        ("query", "autoscaling", "DescribePolicies", {}, {"Content-Type": "text/xml"},
         ('<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>%s</Message>'
          '</Error><RequestId>r1</RequestId></ErrorResponse>' % (ASG, esc)).encode()),
        ("ec2", "ec2", "DescribeNetworkInterfaces", {}, {"Content-Type": "text/xml"},
         ('<Response><Errors><Error><Code>ValidationError</Code><Message>%s</Message></Error></Errors>'
          '<RequestID>r1</RequestID></Response>' % esc).encode()),
        ("rest-xml", "route53", "GetHealthCheck", {"HealthCheckId": "hc-1"}, {"Content-Type": "text/xml"},
         ('<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>%s</Message>'
          '</Error><RequestId>r1</RequestId></ErrorResponse>' % (R53, esc)).encode()),
        ("rest-json", "xray", "GetServiceGraph", {"StartTime": 1795496400, "EndTime": 1795500000},
         {"Content-Type": "application/json", "X-Amzn-ErrorType": "ValidationError"},
         json.dumps({"message": long_msg}).encode()),
        ("json", "route53-recovery-cluster", "GetRoutingControlState", {"RoutingControlArn": "arn:rc"},
         {"Content-Type": "application/x-amz-json-1.0"},
         json.dumps({"__type": "ValidationError", "message": long_msg}).encode()),
    ]
    for proto, service, op, inp, headers, body in bodies:
        err, theirs = f.error("%s: a long non-ASCII error message reads as AWS sent it" % proto, service, op, inp,
                              400, headers, body, "ValidationError")
        msg = err.split(": ", 2)[-1].rstrip("\n")
        msg = msg.rsplit(" (request id ", 1)[0]
        ok(len(msg.encode()) > 400 and theirs.get("Message", "").startswith(msg),
           "%s: a message too long for flightdeck's error is cut on a UTF-8 character boundary (%d bytes)"
           % (proto, len(msg.encode())), "flightdeck: %r" % msg[-40:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wire_call")
    ap.add_argument("flightdeck")
    args = ap.parse_args()
    f = Findings(args, os.environ.get("FD_TMP", "/tmp"))
    decode_findings(f)
    encode_findings(f)
    error_findings(f)
    f.run.srv.shutdown()
    done_testing()


if __name__ == "__main__":
    main()
