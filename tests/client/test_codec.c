/* test_codec.c — the protocol codecs against golden responses and exact requests.
 *
 * Each decode case reads tests/client/golden/NAME and compares the JSON (or the
 * error) with NAME.out; FD_GOLDEN_UPDATE=1 rewrites the .out files.
 */
#include "aws/codec.h"
#include "aws/codec_server.h"
#include "aws/ops.h"
#include "aws/shapes_gen.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "tests/tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct decode_case {
	const char *service, *operation;
	long status;
	const char *headers;   /* "Name: value" lines */
	const char *file;      /* under golden/; NULL: empty body */
	const char *out;       /* golden/NAME.out */
};

static const struct decode_case decode_cases[] = {
	{ "cloudwatch", "DescribeAlarms", 200, NULL, "describe-alarms.xml", "describe-alarms.out" },
	{ "cloudwatch", "GetMetricData", 200, NULL, "get-metric-data.xml", "get-metric-data.out" },
	{ "autoscaling", "DescribeAutoScalingGroups", 200, NULL, "describe-auto-scaling-groups.xml",
	  "describe-auto-scaling-groups.out" },
	{ "autoscaling", "SetDesiredCapacity", 200, NULL, "set-desired-capacity.xml",
	  "set-desired-capacity.out" },
	{ "elbv2", "DescribeTargetHealth", 200, NULL, "describe-target-health.xml",
	  "describe-target-health.out" },
	{ "elbv2", "DescribeListeners", 200, NULL, "describe-listeners.xml", "describe-listeners.out" },
	{ "rds", "DescribeDBInstances", 200, NULL, "describe-db-instances.xml",
	  "describe-db-instances.out" },
	{ "route53", "ListHealthChecks", 200, NULL, "list-health-checks.xml", "list-health-checks.out" },
	{ "route53", "ListHealthChecks", 200, NULL, "list-health-checks-empty.xml",
	  "list-health-checks-empty.out" },
	{ "route53", "GetHealthCheckStatus", 200, NULL, "get-health-check-status.xml",
	  "get-health-check-status.out" },
	{ "route53", "TestDNSAnswer", 200, NULL, "test-dns-answer.xml", "test-dns-answer.out" },
	{ "route53", "ChangeResourceRecordSets", 200, NULL, "change-resource-record-sets.xml",
	  "change-resource-record-sets.out" },
	{ "route53", "ChangeResourceRecordSets", 400, NULL, "invalid-change-batch.xml",
	  "invalid-change-batch.out" },
	{ "route53", "UpdateHealthCheck", 404, "x-amz-request-id: hdr-id", "route53-error.xml",
	  "route53-error.out" },
	{ "autoscaling", "SetDesiredCapacity", 400, NULL, "query-error.xml", "query-error.out" },
	{ "elbv2", "DescribeLoadBalancers", 502, "Content-Type: text/html", "proxy-error.html",
	  "proxy-error-502.out" },
	{ "elbv2", "DescribeLoadBalancers", 200, "Content-Type: text/html", "proxy-error.html",
	  "proxy-error-200.out" },
	{ "cloudwatch", "DescribeAlarms", 200, NULL, "truncated.xml", "truncated.out" },
	{ "cloudwatch", "DescribeAlarms", 200, NULL, NULL, "empty-200.out" },
	{ "cloudwatch", "DescribeAlarms", 200, NULL, "get-metric-data.xml", "wrong-document.out" },
	{ "xray", "GetServiceGraph", 200, NULL, "get-service-graph.json", "get-service-graph.out" },
	{ "xray", "GetServiceGraph", 429,
	  "X-Amzn-ErrorType: ThrottledException:http://internal.amazon.com/coral/com.amazonaws.xray/\n"
	  "x-amzn-RequestId: xr-1", "xray-error.json", "xray-error.out" },
	{ "xray", "GetTraceSummaries", 200, NULL, "truncated.xml", "json-not-json.out" },
	{ "route53-recovery-cluster", "ListRoutingControls", 200, NULL, "list-routing-controls.json",
	  "list-routing-controls.out" },
	{ "route53-recovery-cluster", "UpdateRoutingControlState", 200, NULL, NULL,
	  "json10-empty.out" },
	{ "route53-recovery-cluster", "GetRoutingControlState", 400, "x-amzn-RequestId: arc-1",
	  "json10-error.json", "json10-error.out" },
	{ "route53-recovery-cluster", "GetRoutingControlState", 503, "Content-Type: text/html",
	  "proxy-error.html", "json10-proxy.out" },
};

/* Read a whole file; NULL when missing. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb;
	char buf[4096];
	size_t n;

	if (!f)
		return NULL;
	strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb, len);
}

/* Split "A: b\nC: d" into headers (caller frees with free_headers). */
static struct codec_header *parse_headers(const char *text, size_t *n)
{
	struct codec_header *h = NULL;
	const char *p = text;

	*n = 0;
	while (p && *p) {
		const char *end = p + strcspn(p, "\n"), *colon = memchr(p, ':', (size_t)(end - p));
		if (colon) {
			const char *v = colon + 1;
			while (*v == ' ')
				v++;
			h = xrealloc(h, (*n + 1) * sizeof(*h));
			h[*n].name = xstrndup(p, (size_t)(colon - p));
			h[*n].value = xstrndup(v, (size_t)(end - v));
			(*n)++;
		}
		p = *end ? end + 1 : end;
	}
	return h;
}

static void free_headers(struct codec_header *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(h[i].name);
		free(h[i].value);
	}
	free(h);
}

static void run_decode(const struct decode_case *dc)
{
	const struct ops_operation *op = ops_find(dc->service, dc->operation);
	char path[512], *body = NULL, *want, *got;
	size_t len = 0, nh;
	struct codec_header *h = parse_headers(dc->headers, &nh);
	struct codec_response resp;
	struct fd_error err;
	json_t *r;

	if (dc->file) {
		snprintf(path, sizeof(path), "%s/tests/client/golden/%s", FD_SRCDIR, dc->file);
		body = slurp(path, &len);
	}
	resp = (struct codec_response){ .status = dc->status, .headers = h, .n_headers = nh,
					.body = body ? body : "", .body_len = len };
	fd_error_clear(&err);
	r = codec_decode(op, &resp, &err);
	if (r) {
		got = json_dumps(r, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		json_decref(r);
	} else {
		struct strbuf sb;
		strbuf_init(&sb);
		strbuf_addf(&sb, "error %s\nmessage %s\nrequest-id %s\nstatus %d", err.code,
			    err.message, err.request_id, err.http_status);
		got = strbuf_detach(&sb, NULL);
	}
	snprintf(path, sizeof(path), "%s/tests/client/golden/%s", FD_SRCDIR, dc->out);
	if (getenv("FD_GOLDEN_UPDATE")) {
		FILE *f = fopen(path, "w");
		if (f) {
			fprintf(f, "%s\n", got);
			fclose(f);
		}
	}
	want = slurp(path, NULL);
	if (want && *want && want[strlen(want) - 1] == '\n')
		want[strlen(want) - 1] = '\0';
	is_str(got, want, "%s %s HTTP %ld %s -> %s", dc->service, dc->operation, dc->status,
	       dc->file ? dc->file : "(empty)", dc->out);
	free(got);
	free(want);
	free(body);
	free_headers(h, nh);
}

/* Encode input (JSON text) for an operation; returns "METHOD TARGET\nheaders\n\nBODY". */
static char *encode(const char *service, const char *operation, const char *input_json)
{
	const struct ops_operation *op = ops_find(service, operation);
	json_t *in = input_json ? json_loads(input_json, 0, NULL) : NULL;
	struct codec_request req;
	struct fd_error err;
	struct strbuf sb;
	size_t i;

	strbuf_init(&sb);
	codec_request_init(&req);
	if (codec_encode(op, in, &req, &err) < 0) {
		strbuf_addf(&sb, "error %s: %s", err.code, err.message);
	} else {
		strbuf_addf(&sb, "%s %s\n", req.method, req.target.data);
		if (req.content_type)
			strbuf_addf(&sb, "Content-Type: %s\n", req.content_type);
		for (i = 0; i < req.n_headers; i++)
			strbuf_addf(&sb, "%s: %s\n", req.headers[i].name, req.headers[i].value);
		strbuf_addf(&sb, "\n%s", req.body.data);
	}
	codec_request_clean_up(&req);
	json_decref(in);
	return strbuf_detach(&sb, NULL);
}

static void check_encode(const char *service, const char *operation, const char *input,
			 const char *want, const char *name)
{
	char *got = encode(service, operation, input);

	is_str(got, want, "%s", name);
	free(got);
}

static void test_encode(void)
{
	check_encode("sts", "GetCallerIdentity", NULL,
		     "POST /\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\n\n"
		     "Action=GetCallerIdentity&Version=2011-06-15",
		     "query: Action and Version only");
	check_encode("autoscaling", "describe-auto-scaling-groups",
		     "{\"AutoScalingGroupNames\": [\"petclinic-blue\", \"petclinic green\"], \"MaxRecords\": 50}",
		     "POST /\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\n\n"
		     "Action=DescribeAutoScalingGroups&Version=2011-01-01"
		     "&AutoScalingGroupNames.member.1=petclinic-blue"
		     "&AutoScalingGroupNames.member.2=petclinic%20green&MaxRecords=50",
		     "query: member.N lists, RFC 3986 encoding, numbers");
	check_encode("cloudwatch", "GetMetricData",
		     "{\"MetricDataQueries\": [{\"Id\": \"m1\", \"MetricStat\": {\"Metric\": {"
		     "\"Namespace\": \"AWS/ApplicationELB\", \"MetricName\": \"RequestCount\", "
		     "\"Dimensions\": [{\"Name\": \"LoadBalancer\", \"Value\": \"app/petclinic/1\"}]}, "
		     "\"Period\": 60, \"Stat\": \"Sum\"}, \"ReturnData\": false}, "
		     "{\"Id\": \"e1\", \"Expression\": \"m1/60\"}], "
		     "\"StartTime\": \"2026-11-24T05:00:00Z\", \"EndTime\": \"2026-11-24T05:10:00Z\"}",
		     "POST /\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\n\n"
		     "Action=GetMetricData&Version=2010-08-01"
		     "&MetricDataQueries.member.1.Id=m1"
		     "&MetricDataQueries.member.1.MetricStat.Metric.Namespace=AWS%2FApplicationELB"
		     "&MetricDataQueries.member.1.MetricStat.Metric.MetricName=RequestCount"
		     "&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name=LoadBalancer"
		     "&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value=app%2Fpetclinic%2F1"
		     "&MetricDataQueries.member.1.MetricStat.Period=60"
		     "&MetricDataQueries.member.1.MetricStat.Stat=Sum"
		     "&MetricDataQueries.member.1.ReturnData=false"
		     "&MetricDataQueries.member.2.Id=e1"
		     "&MetricDataQueries.member.2.Expression=m1%2F60"
		     "&StartTime=2026-11-24T05%3A00%3A00Z&EndTime=2026-11-24T05%3A10%3A00Z",
		     "query: nested structures X.Y, metric math, booleans");
	check_encode("elbv2", "DescribeTargetGroups", "{\"Names\": []}",
		     "POST /\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\n\n"
		     "Action=DescribeTargetGroups&Version=2015-12-01&Names=",
		     "query: an empty list is sent as Name=");
	check_encode("route53", "ListResourceRecordSets",
		     "{\"HostedZoneId\": \"/hostedzone/Z1D633PJN98FT9\", \"StartRecordName\": \"www.example.com.\", "
		     "\"StartRecordType\": \"A\", \"MaxItems\": \"10\"}",
		     "GET /2013-04-01/hostedzone/Z1D633PJN98FT9/rrset?name=www.example.com.&type=A&maxitems=10\n\n",
		     "rest-xml: URI label, /hostedzone/ stripped, query string");
	check_encode("route53", "GetChange", "{\"Id\": \"/change/C2682N5HXP0BZ4\"}",
		     "GET /2013-04-01/change/C2682N5HXP0BZ4\n\n", "rest-xml: /change/ stripped");
	check_encode("route53", "ListResourceRecordSets", "{}",
		     "error MissingParameter: ListResourceRecordSets needs the parameter HostedZoneId",
		     "rest-xml: a missing URI member is an error");
	check_encode("route53", "ChangeResourceRecordSets",
		     "{\"HostedZoneId\": \"Z1\", \"ChangeBatch\": {\"Comment\": \"fail over <now> & then\", "
		     "\"Changes\": [{\"Action\": \"UPSERT\", \"ResourceRecordSet\": {\"Name\": \"www.example.com.\", "
		     "\"Type\": \"A\", \"SetIdentifier\": \"tokyo\", \"Failover\": \"PRIMARY\", \"TTL\": 60, "
		     "\"ResourceRecords\": [{\"Value\": \"10.1.0.10\"}]}}]}}",
		     "POST /2013-04-01/hostedzone/Z1/rrset/\nContent-Type: application/xml\n\n"
		     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		     "<ChangeResourceRecordSetsRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
		     "<ChangeBatch><Comment>fail over &lt;now&gt; &amp; then</Comment><Changes><Change>"
		     "<Action>UPSERT</Action><ResourceRecordSet><Name>www.example.com.</Name><Type>A</Type>"
		     "<SetIdentifier>tokyo</SetIdentifier><Failover>PRIMARY</Failover><TTL>60</TTL>"
		     "<ResourceRecords><ResourceRecord><Value>10.1.0.10</Value></ResourceRecord>"
		     "</ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch>"
		     "</ChangeResourceRecordSetsRequest>",
		     "rest-xml: XML body with named list items and escaping");
	check_encode("route53", "UpdateHealthCheck",
		     "{\"HealthCheckId\": \"abc\", \"Inverted\": true, \"Regions\": [\"us-east-1\", \"ap-northeast-1\"]}",
		     "POST /2013-04-01/healthcheck/abc\nContent-Type: application/xml\n\n"
		     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		     "<UpdateHealthCheckRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
		     "<Inverted>true</Inverted><Regions><Region>us-east-1</Region><Region>ap-northeast-1</Region>"
		     "</Regions></UpdateHealthCheckRequest>",
		     "rest-xml: UpdateHealthCheck body");
	check_encode("route53", "test-dns-answer",
		     "{\"HostedZoneId\": \"Z1\", \"RecordName\": \"www.example.com\", \"RecordType\": \"A\"}",
		     "GET /2013-04-01/testdnsanswer?hostedzoneid=Z1&recordname=www.example.com&recordtype=A\n\n",
		     "rest-xml: TestDNSAnswer query string");
	check_encode("xray", "GetServiceGraph",
		     "{\"StartTime\": \"2026-11-24T05:00:00Z\", \"EndTime\": 1795500000.5}",
		     "POST /ServiceGraph\nContent-Type: application/json\n\n"
		     "{\"StartTime\":1795496400,\"EndTime\":1795500000}",
		     "rest-json: timestamps as whole epoch seconds, as botocore sends them");
	check_encode("xray", "GetServiceGraph", "{\"StartTime\": \"yesterday\", \"EndTime\": 0}",
		     "error InvalidInput: GetServiceGraph: StartTime: a string is not a time (ISO 8601 or epoch seconds)",
		     "rest-json: a bad timestamp is an input error");
	check_encode("xray", "GetServiceGraph", "{\"StartTime\": 0}",
		     "error MissingParameter: GetServiceGraph: missing required parameter EndTime",
		     "a missing required member is an input error");
	check_encode("route53-recovery-cluster", "UpdateRoutingControlState",
		     "{\"RoutingControlArn\": \"arn:x\", \"RoutingControlState\": \"Off\"}",
		     "POST /\nContent-Type: application/x-amz-json-1.0\n"
		     "X-Amz-Target: ToggleCustomerAPI.UpdateRoutingControlState\n\n"
		     "{\"RoutingControlArn\":\"arn:x\",\"RoutingControlState\":\"Off\"}",
		     "json 1.0: X-Amz-Target and body");
	check_encode("route53-recovery-cluster", "ListRoutingControls", NULL,
		     "POST /\nContent-Type: application/x-amz-json-1.0\n"
		     "X-Amz-Target: ToggleCustomerAPI.ListRoutingControls\n\n{}",
		     "json 1.0: empty input is {}");
	check_encode("sso", "GetRoleCredentials",
		     "{\"roleName\": \"oncall\", \"accountId\": \"123456789012\", \"accessToken\": \"tok\"}",
		     "GET /federation/credentials?role_name=oncall&account_id=123456789012\n"
		     "x-amz-sso_bearer_token: tok\n\n",
		     "rest-json: SSO query and bearer header, no body");
	check_encode("sts", "GetCallerIdentity", "{\"Foo\": 1}",
		     "error UnknownParameter: GetCallerIdentity has no parameter 'Foo'; valid: (none)",
		     "unknown parameter");
	check_encode("elbv2", "ModifyRule",
		     "{\"RuleArn\": \"r\", \"Actions\": [{\"Type\": \"forward\", \"Colour\": 1}]}",
		     "error UnknownParameter: ModifyRule: Actions[0] has no parameter 'Colour'; valid: "
		     "AuthenticateCognitoConfig, AuthenticateOidcConfig, FixedResponseConfig, ForwardConfig, "
		     "Order, RedirectConfig, TargetGroupArn, Type",
		     "an unknown nested member names its place and the valid ones");
	check_encode("autoscaling", "SetDesiredCapacity",
		     "{\"AutoScalingGroupName\": \"g\", \"DesiredCapacity\": \"four\"}",
		     "error InvalidInput: SetDesiredCapacity: DesiredCapacity: must be an integer, not a string",
		     "a value of the wrong type names the member and the type");
	check_encode("autoscaling", "SetDesiredCapacity",
		     "{\"AutoScalingGroupName\": \"g\", \"DesiredCapacity\": \"4\", \"HonorCooldown\": \"true\"}",
		     "POST /\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\n\n"
		     "Action=SetDesiredCapacity&Version=2011-01-01&AutoScalingGroupName=g&DesiredCapacity=4"
		     "&HonorCooldown=true",
		     "numbers and booleans given as text are taken by the shape's type");
	check_encode("rds", "DescribeDBInstances",
		     "{\"Filters\": [{\"Name\": \"engine\", \"Values\": [\"postgres\", \"mysql\"]}]}",
		     "POST /\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\n\n"
		     "Action=DescribeDBInstances&Version=2014-10-31&Filters.Filter.1.Name=engine"
		     "&Filters.Filter.1.Values.Value.1=postgres&Filters.Filter.1.Values.Value.2=mysql",
		     "query: list items named by the model (Filters.Filter.1.Values.Value.1)");
	check_encode("elbv2", "ModifyRule",
		     "{\"RuleArn\": \"r\", \"Actions\": [{\"Type\": \"authenticate-oidc\", "
		     "\"AuthenticateOidcConfig\": {\"Issuer\": \"i\", \"AuthorizationEndpoint\": \"a\", "
		     "\"TokenEndpoint\": \"t\", \"UserInfoEndpoint\": \"u\", \"ClientId\": \"c\", "
		     "\"AuthenticationRequestExtraParams\": {\"prompt\": \"login\"}}}]}",
		     "POST /\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\n\n"
		     "Action=ModifyRule&Version=2015-12-01&RuleArn=r&Actions.member.1.Type=authenticate-oidc"
		     "&Actions.member.1.AuthenticateOidcConfig.Issuer=i"
		     "&Actions.member.1.AuthenticateOidcConfig.AuthorizationEndpoint=a"
		     "&Actions.member.1.AuthenticateOidcConfig.TokenEndpoint=t"
		     "&Actions.member.1.AuthenticateOidcConfig.UserInfoEndpoint=u"
		     "&Actions.member.1.AuthenticateOidcConfig.ClientId=c"
		     "&Actions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.key=prompt"
		     "&Actions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.value=login",
		     "query: maps as entry.N.key / entry.N.value");
	check_encode("cloudwatch", "DescribeAlarmHistory",
		     "{\"StartDate\": 1795496400.25, \"EndDate\": \"1795500000\"}",
		     "POST /\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\n\n"
		     "Action=DescribeAlarmHistory&Version=2010-08-01&StartDate=2026-11-24T05%3A00%3A00.250000Z"
		     "&EndDate=2026-11-24T06%3A00%3A00Z",
		     "query: epoch-second timestamps go out as ISO 8601 (microseconds when fractional)");
	check_encode("route53-recovery-cluster", "UpdateRoutingControlState",
		     "{\"RoutingControlArn\": \"arn:x\", \"RoutingControlState\": \"Off\", "
		     "\"SafetyRulesToOverride\": []}",
		     "POST /\nContent-Type: application/x-amz-json-1.0\n"
		     "X-Amz-Target: ToggleCustomerAPI.UpdateRoutingControlState\n\n"
		     "{\"RoutingControlArn\":\"arn:x\",\"RoutingControlState\":\"Off\",\"SafetyRulesToOverride\":[]}",
		     "json: an empty list stays []");
	check_encode("ec2", "DescribeNetworkInterfaces",
		     "{\"Filters\": [{\"Name\": \"description\", \"Values\": [\"ELB app/petclinic/1\"]}], "
		     "\"NetworkInterfaceIds\": []}",
		     "POST /\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\n\n"
		     "Action=DescribeNetworkInterfaces&Version=2016-11-15&Filter.1.Name=description"
		     "&Filter.1.Value.1=ELB%20app%2Fpetclinic%2F1",
		     "ec2: capitalised locationNames, Name.N lists, no empty lists");
	check_encode("cloudfront", "GetDistribution", "{\"Id\": \"E2QWRUHAPOMQZL\"}",
		     "GET /2020-05-31/distribution/E2QWRUHAPOMQZL\n\n", "rest-xml: CloudFront");
	check_encode("sts", "AssumeRole", "[1]",
		     "error InvalidInput: AssumeRole input must be a JSON object", "input must be an object");
}

static void test_ops(void)
{
	static const char *const design[][2] = {
		{ "sts", "GetCallerIdentity" }, { "sts", "AssumeRole" },
		{ "sts", "AssumeRoleWithWebIdentity" },
		{ "cloudwatch", "GetMetricData" }, { "cloudwatch", "DescribeAlarms" },
		{ "cloudwatch", "DescribeAlarmHistory" },
		{ "xray", "GetServiceGraph" }, { "xray", "GetTraceSummaries" }, { "xray", "BatchGetTraces" },
		{ "route53", "ListHealthChecks" }, { "route53", "GetHealthCheck" },
		{ "route53", "GetHealthCheckStatus" },
		{ "route53", "ListHostedZones" }, { "route53", "ListResourceRecordSets" },
		{ "route53", "ChangeResourceRecordSets" }, { "route53", "GetChange" },
		{ "route53", "UpdateHealthCheck" }, { "route53", "TestDNSAnswer" },
		{ "autoscaling", "DescribeAutoScalingGroups" }, { "autoscaling", "DescribeScalingActivities" },
		{ "autoscaling", "DescribePolicies" }, { "autoscaling", "GetPredictiveScalingForecast" },
		{ "autoscaling", "SetDesiredCapacity" }, { "autoscaling", "UpdateAutoScalingGroup" },
		{ "elbv2", "DescribeLoadBalancers" }, { "elbv2", "DescribeTargetGroups" },
		{ "elbv2", "DescribeTargetHealth" }, { "elbv2", "DescribeListeners" },
		{ "elbv2", "DescribeRules" }, { "elbv2", "ModifyListener" }, { "elbv2", "ModifyRule" },
		{ "rds", "DescribeDBInstances" }, { "rds", "PromoteReadReplica" },
		{ "route53-recovery-cluster", "GetRoutingControlState" },
		{ "route53-recovery-cluster", "ListRoutingControls" },
		{ "route53-recovery-cluster", "UpdateRoutingControlState" },
		{ "sso", "GetRoleCredentials" },
		{ "ec2", "DescribeNetworkInterfaces" }, { "ec2", "DescribeLaunchTemplateVersions" },
		{ "elasticache", "DescribeReplicationGroups" }, { "elasticache", "DescribeCacheClusters" },
		{ "elasticache", "DescribeEvents" },
		{ "cloudfront", "ListDistributions" }, { "cloudfront", "GetDistribution" },
		{ "cloudfront", "GetMonitoringSubscription" },   /* issue 17: are the additional metrics on? */
		{ "autoscaling", "DescribeInstanceRefreshes" }, { "autoscaling", "StartInstanceRefresh" },
		{ "rds", "CreateDBInstanceReadReplica" },
		{ "autoscaling", "CancelInstanceRefresh" },   /* the deploy rollback stops a refresh */
	};
	static const char *const mutating[] = {
		"ChangeResourceRecordSets", "UpdateHealthCheck", "SetDesiredCapacity",
		"UpdateAutoScalingGroup", "ModifyListener", "ModifyRule", "PromoteReadReplica",
		"UpdateRoutingControlState", "StartInstanceRefresh", "CreateDBInstanceReadReplica",
		"CancelInstanceRefresh",
	};
	const struct ops_operation *op;
	size_t i, j, rows = 0, missing = 0, wrong_mut = 0;
	char kebab[128];

	for (op = ops_table; op->name; op++)
		rows++;
	is_int(rows, sizeof(design) / sizeof(design[0]), "one row per operation, no more");
	for (i = 0; i < sizeof(design) / sizeof(design[0]); i++) {
		bool mut = false;
		op = ops_find(design[i][0], design[i][1]);
		if (!op) {
			printf("# missing %s %s\n", design[i][0], design[i][1]);
			missing++;
			continue;
		}
		for (j = 0; j < sizeof(mutating) / sizeof(mutating[0]); j++)
			if (strcmp(mutating[j], op->name) == 0)
				mut = true;
		if (mut != op->mutating) {
			printf("# %s mutating flag wrong\n", op->name);
			wrong_mut++;
		}
		ops_kebab(op->name, kebab, sizeof(kebab));
		if (ops_find(design[i][0], kebab) != op) {
			printf("# %s not found as %s\n", op->name, kebab);
			missing++;
		}
	}
	is_int(missing, 0, "every operation of DESIGN.md is found by API and kebab-case name");
	is_int(wrong_mut, 0, "mutating flags: exactly the ten changing operations");
	ops_kebab("DescribeDBInstances", kebab, sizeof(kebab));
	is_str(kebab, "describe-db-instances", "kebab: DBInstances");
	ops_kebab("TestDNSAnswer", kebab, sizeof(kebab));
	is_str(kebab, "test-dns-answer", "kebab: DNSAnswer");
	ops_kebab("AssumeRoleWithWebIdentity", kebab, sizeof(kebab));
	is_str(kebab, "assume-role-with-web-identity", "kebab: plain words");
	ok(ops_find("monitoring", "DescribeAlarms") == ops_find("cloudwatch", "describe-alarms"),
	   "signing name and aws-cli name find the same row");
	ok(ops_find("elasticloadbalancing", "DescribeRules") != NULL, "elasticloadbalancing too");
	ok(ops_find("ecs", "ListClusters") == NULL, "unknown service");
	ok(ops_find("ec2", "DescribeInstances") == NULL, "an operation not in the table");
	ok(ops_find("sts", "describe_alarms") == NULL, "unknown operation");
	is_str(ops_service_find("elbv2")->service_id, "ELASTIC_LOAD_BALANCING_V2", "elbv2 service id");
	is_str(ops_service_find("route53")->global_region, "us-east-1", "route53 signs us-east-1");
	ok(ops_find("sts", "AssumeRoleWithWebIdentity")->unsigned_call &&
	   ops_find("sso", "GetRoleCredentials")->unsigned_call &&
	   !ops_find("sts", "AssumeRole")->unsigned_call, "unsigned calls");
	is_str(ops_find("rds", "DescribeDBInstances")->pager->output_token[0], "Marker",
	       "RDS pages with Marker");
	is_str(ops_find("elbv2", "DescribeListeners")->pager->output_token[0], "NextMarker",
	       "ELBv2 pages with NextMarker");
	is_str(ops_find("route53", "ListResourceRecordSets")->pager->output_token[2],
	       "NextRecordIdentifier", "Route 53 record paging");
	is_str(ops_find("cloudfront", "ListDistributions")->pager->result_keys[0], "DistributionList.Items",
	       "CloudFront's paginator names a nested result key");
	ok(ops_find("elbv2", "DescribeTargetHealth")->pager == NULL, "DescribeTargetHealth does not page");
	ok(ops_find("route53", "ChangeResourceRecordSets")->control_plane &&
	   ops_find("cloudfront", "GetDistribution")->control_plane &&
	   !ops_find("route53-recovery-cluster", "UpdateRoutingControlState")->control_plane &&
	   !ops_find("autoscaling", "SetDesiredCapacity")->control_plane,
	   "control plane: Route 53 and CloudFront, not ARC or regional APIs");
	is_str(ops_service_find("cloudfront")->global_region, "us-east-1", "cloudfront signs us-east-1");
	is_str(ops_service_find("ec2")->xml_namespace, "http://ec2.amazonaws.com/doc/2016-11-15",
	       "service rows take the model's metadata");
	is_str(ops_method(ops_find("route53", "TestDNSAnswer")), "GET", "HTTP method from the model");
	is_str(ops_uri(ops_find("route53", "GetChange")), "/2013-04-01/change/{Id}", "requestUri from the model");
	is_str(SHAPES_BOTOCORE_VERSION, "1.29.27", "the tables came from Debian's botocore 1.29.27");
}

/* A caller's fd_error may hold anything: decoding must not read it (fuzz_xml found
 * this: the request id was trimmed before anything was written to it). */
static void test_dirty_error(void)
{
	const struct ops_operation *op = ops_find("autoscaling", "SetDesiredCapacity");
	const char *body = "<ErrorResponse><Error><Code>Throttling</Code><Message>caf\xc3\xa9</Message>"
			   "</Error></ErrorResponse>";
	struct codec_response resp = { .status = 400, .body = body, .body_len = strlen(body) };
	struct fd_error err;
	json_t *r;

	memset(&err, 'x', sizeof(err));
	r = codec_decode(op, &resp, &err);
	ok(!r && strcmp(err.code, "Throttling") == 0 && strcmp(err.request_id, "") == 0,
	   "a dirty fd_error is cleared before decoding an error (code %.20s)", err.code);
	resp = (struct codec_response){ .status = 200, .body = "<broken", .body_len = 7 };
	memset(&err, 'x', sizeof(err));
	r = codec_decode(op, &resp, &err);
	ok(!r && strcmp(err.code, "ParseError") == 0 && memchr(err.request_id, '\0', sizeof(err.request_id)) &&
	   strcmp(err.request_id, "") == 0, "and before a ParseError (code %.20s)", err.code);
}

/* An AWS error is attacker-influenced text (issue 10): its code, message and request id
 * come out of the codec safe for a terminal (C1 controls, U+202E as visible escapes; XML
 * cannot carry ESC) and a
 * message too long for the fd_error is cut on a UTF-8 boundary. */
static void test_hostile_error(void)
{
	const struct ops_operation *op = ops_find("autoscaling", "SetDesiredCapacity");
	struct strbuf body;
	struct codec_response resp = { .status = 400 };
	struct fd_error err;
	json_t *r;
	size_t i;

	strbuf_init(&body);
	strbuf_adds(&body, "<ErrorResponse><Error><Code>Thr\xc2\x9b" "2Kottling</Code><Message>m\xc2\x9d" "52;c;AAAA\xc2\x9c"
			   "\xe2\x80\xae</Message></Error><RequestId>rid\xc2\x9b" "31m\xe2\x80\xae</RequestId></ErrorResponse>");
	resp.body = body.data;
	resp.body_len = body.len;
	r = codec_decode(op, &resp, &err);
	ok(!r, "an error response");
	is_str(err.code, "Thr\\u009b2Kottling", "its code shows the C1 CSI as an escape");
	is_str(err.message, "m\\u009d52;c;AAAA\\u009c\\u202e", "its message shows an OSC 52 in C1 and U+202E as escapes");
	is_str(err.request_id, "rid\\u009b31m\\u202e", "its request id too");
	strbuf_reset(&body);
	strbuf_adds(&body, "<ErrorResponse><Error><Code>Throttling</Code><Message>");
	for (i = 0; i < 400; i++)
		strbuf_adds(&body, "\xe2\x82\xac");   /* 1200 bytes of euro signs */
	strbuf_adds(&body, "</Message></Error></ErrorResponse>");
	resp.body = body.data;
	resp.body_len = body.len;
	r = codec_decode(op, &resp, &err);
	ok(!r && strlen(err.message) > 400 && strlen(err.message) % 3 == 0,
	   "a long message is cut on a UTF-8 boundary (%zu bytes)", strlen(err.message));
	strbuf_clean_up(&body);
}

/* json 1.1: no service of the table speaks it yet, so ARC's rows with the model's
 * jsonVersion set to 1.1, against what botocore 1.29's JSONSerializer and JSONParser
 * do with it: the same body and X-Amz-Target, Content-Type application/x-amz-json-1.1,
 * the error code from the body's __type (namespace cut at '#') before X-Amzn-ErrorType. */
static void test_json11(void)
{
	const struct ops_operation *arc = ops_find("route53-recovery-cluster", "UpdateRoutingControlState");
	struct ops_service svc = *arc->service;
	struct ops_operation op = *arc;
	json_t *in = json_pack("{s:s, s:s}", "RoutingControlArn", "arn:x", "RoutingControlState", "Off");
	char n1[] = "X-Amzn-ErrorType", v1[] = "ThrottlingException";
	char n2[] = "Content-Type", v2[] = "application/x-amz-json-1.1";
	struct codec_header h[] = { { .name = n1, .value = v1 }, { .name = n2, .value = v2 } };
	const char *body = "{\"__type\":\"com.amazonaws.x#ValidationException\",\"Message\":\"caf\u00e9\"}";
	struct codec_response resp = { .status = 400, .headers = h, .n_headers = 2, .body = body,
				       .body_len = strlen(body) };
	struct codec_request req;
	struct codec_reply reply;
	struct fd_error err;
	json_t *r;

	svc.json_version = "1.1";
	op.service = &svc;
	codec_request_init(&req);
	ok(codec_encode(&op, in, &req, &err) == 0, "json 1.1: encoded");
	is_str(req.content_type, "application/x-amz-json-1.1", "json 1.1: Content-Type application/x-amz-json-1.1");
	is_str(req.headers[0].value, "ToggleCustomerAPI.UpdateRoutingControlState", "json 1.1: X-Amz-Target");
	is_str(req.body.data, "{\"RoutingControlArn\":\"arn:x\",\"RoutingControlState\":\"Off\"}",
	       "json 1.1: the body is the input");
	codec_request_clean_up(&req);
	r = codec_decode(&op, &resp, &err);
	ok(!r && strcmp(err.code, "ValidationException") == 0 && strcmp(err.message, "caf\xc3\xa9") == 0,
	   "json 1.1: the error is the body's __type and Message (%s: %s)", err.code, err.message);
	codec_reply_init(&reply);
	ok(codec_server_reply(&op, NULL, "rid-1", &reply, &err) == 0 &&
	   strcmp(reply.content_type, "application/x-amz-json-1.1") == 0,
	   "json 1.1: the server side answers application/x-amz-json-1.1 (%s)", reply.content_type);
	codec_reply_clean_up(&reply);
	json_decref(in);
}

static void test_helpers(void)
{
	char iso[40];
	double t;
	json_t *v;

	codec_iso8601(1795496400, iso);
	is_str(iso, "2026-11-24T05:00:00Z", "epoch -> ISO 8601");
	codec_iso8601(1795496400.25, iso);
	is_str(iso, "2026-11-24T05:00:00.250Z", "fractions as milliseconds");
	v = json_string("2026-11-24T14:00:00+09:00");
	ok(codec_parse_time(v, &t) == 0 && t == 1795496400, "ISO with an offset");
	json_decref(v);
	v = json_string("2026-11-24T05:00:00.5Z");
	ok(codec_parse_time(v, &t) == 0 && t == 1795496400.5, "ISO with fraction");
	json_decref(v);
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(decode_cases) / sizeof(decode_cases[0]); i++)
		run_decode(&decode_cases[i]);
	test_encode();
	test_ops();
	test_dirty_error();
	test_hostile_error();
	test_json11();
	test_helpers();
	return done_testing();
}
