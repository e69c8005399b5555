/* test_client.c — the client against a local fixture server: signing headers,
 * retries, clock skew, timeouts, read-only, pagination, concurrency, keep-alive,
 * the debug log's redaction. */
#include "aws/client.h"
#include "aws/http.h"
#include "base/strbuf.h"
#include "tests/client/fixture.h"
#include "tests/tap.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct fixture *fx;
static struct creds_provider *creds;
static char home[64];

/* A clock and random source the test controls. */
struct fake {
	long long mono_ms;
	double rnd;
	time_t wall;
};

static time_t fake_wall(void *ctx)
{
	struct fake *f = ctx;
	return f->wall ? f->wall : time(NULL);
}

static long long fake_mono(void *ctx)
{
	return ((struct fake *)ctx)->mono_ms;
}

static double fake_random(void *ctx)
{
	return ((struct fake *)ctx)->rnd;
}

/* A client on the fixture with static keys and no jitter. */
static struct client *new_client(bool read_only, long timeout_ms, const char *debug)
{
	struct fd_error err;
	struct client_options o = {
		.region = "ap-northeast-2", .endpoint_url = fixture_url(fx), .creds = creds,
		.read_only = read_only, .timeout_ms = timeout_ms, .debug_file = debug,
	};
	struct client *c = client_new(&o, &err);
	static struct fake zero = { .rnd = 0 };

	if (!c) {
		printf("# client_new: %s: %s\n", err.code, err.message);
		exit(1);
	}
	client_set_hooks(c, &(struct client_hooks){ .random01 = fake_random, .ctx = &zero });
	return c;
}

/* The value of header name in a recorded request ("" when absent). */
static const char *header_of(const char *req, const char *name, char *buf, size_t size)
{
	char pat[128];
	const char *p;

	snprintf(pat, sizeof(pat), "\n%s: ", name);
	buf[0] = '\0';
	p = strcasestr(req, pat);
	if (p) {
		p += strlen(pat);
		snprintf(buf, size, "%.*s", (int)strcspn(p, "\n"), p);
	}
	return buf;
}

/* The body of a recorded request. */
static const char *body_of(const char *req)
{
	const char *p = strstr(req, "\n\n");
	return p ? p + 2 : "";
}

static const char *GCI =
	"<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
	"  <GetCallerIdentityResult>\n"
	"    <Arn>arn:aws:iam::123456789012:user/oncall</Arn>\n"
	"    <UserId>AIDAEXAMPLE</UserId>\n"
	"    <Account>123456789012</Account>\n"
	"  </GetCallerIdentityResult>\n"
	"  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>\n"
	"</GetCallerIdentityResponse>\n";

static void test_success(void)
{
	struct client *c = new_client(false, 0, NULL);
	struct fd_error err;
	json_t *r;
	char *req, buf[512];
	int before = fixture_count(fx);

	fixture_push(fx, 200, "x-amzn-RequestId: req-1\nContent-Type: text/xml", GCI, 0);
	r = client_call(c, "sts", "get-caller-identity", NULL, NULL, 0, &err);
	ok(r != NULL, "GetCallerIdentity succeeds");
	is_str(json_string_value(json_object_get(r, "Account")), "123456789012",
	       "Account stays a string");
	is_str(json_string_value(json_object_get(r, "Arn")), "arn:aws:iam::123456789012:user/oncall",
	       "Arn");
	ok(json_object_get(r, "ResponseMetadata") == NULL, "no ResponseMetadata in the result");
	json_decref(r);
	req = fixture_request(fx, before);
	ok(req && strncmp(req, "POST /\n", 7) == 0, "query POSTs to /");
	is_str(body_of(req), "Action=GetCallerIdentity&Version=2011-06-15", "form body");
	ok(strstr(header_of(req, "Authorization", buf, sizeof(buf)),
		  "Credential=AKIDEXAMPLE/") != NULL, "signed with the access key");
	ok(strstr(buf, "/ap-northeast-2/sts/aws4_request") != NULL, "credential scope region/service");
	ok(strstr(buf, "SignedHeaders=content-type;host;x-amz-date") != NULL,
	   "signed headers: content-type;host;x-amz-date");
	is_str(header_of(req, "amz-sdk-request", buf, sizeof(buf)), "attempt=1; max=3",
	       "amz-sdk-request on the first attempt");
	is_str(header_of(req, "User-Agent", buf, sizeof(buf)), "flightdeck/" PACKAGE_VERSION,
	       "User-Agent");
	is_str(header_of(req, "Content-Type", buf, sizeof(buf)),
	       "application/x-www-form-urlencoded; charset=utf-8", "form content type");
	free(req);
	client_destroy(c);
}

static void test_retry_then_success(void)
{
	struct client *c = new_client(false, 0, NULL);
	struct fd_error err;
	json_t *r;
	char *req, buf[128];
	int before = fixture_count(fx);

	fixture_push(fx, 503, "Content-Type: text/html",
		     "<html><head><title>503 Service Unavailable</title></head></html>", 0);
	fixture_push(fx, 400, "x-amzn-RequestId: t-1",
		     "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
		     "<Message>Rate exceeded</Message></Error><RequestId>t-1</RequestId></ErrorResponse>", 0);
	fixture_push(fx, 200, NULL, GCI, 0);
	r = client_call(c, "sts", "GetCallerIdentity", NULL, NULL, 0, &err);
	ok(r != NULL, "503, throttled, then success");
	is_int(fixture_count(fx) - before, 3, "three attempts");
	req = fixture_request(fx, before + 2);
	is_str(header_of(req, "amz-sdk-request", buf, sizeof(buf)), "attempt=3; max=3",
	       "third attempt says so");
	free(req);
	is_int(client_retry_quota(c), 500 - 5 - 5 + 5, "quota: two retries cost 10, success refunds 5");
	json_decref(r);
	client_destroy(c);
}

static void test_retry_exhausted(void)
{
	struct client *c = new_client(false, 0, NULL);
	struct fd_error err;
	json_t *r;
	int before = fixture_count(fx), i;
	const char *thr = "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
			  "<Message>Rate exceeded</Message></Error><RequestId>t-9</RequestId></ErrorResponse>";

	for (i = 0; i < 3; i++)
		fixture_push(fx, 400, NULL, thr, 0);
	r = client_call(c, "autoscaling", "DescribeAutoScalingGroups", NULL, NULL, 0, &err);
	ok(r == NULL, "throttled three times fails");
	is_int(fixture_count(fx) - before, 3, "no more than 3 attempts");
	is_str(err.code, "Throttling", "error code");
	is_str(err.message, "Rate exceeded", "error message");
	is_str(err.request_id, "t-9", "request id from the body");
	is_int(err.http_status, 400, "HTTP status");
	is_int(err.transient, 1, "throttling is transient");
	client_destroy(c);
}

static void test_not_retried(void)
{
	struct client *c = new_client(false, 0, NULL);
	struct fd_error err;
	json_t *r;
	int before = fixture_count(fx);

	fixture_push(fx, 400, "x-amzn-RequestId: v-1",
		     "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>"
		     "<Message>1 validation error detected</Message></Error><RequestId>v-1</RequestId></ErrorResponse>", 0);
	json_t *in = json_pack("{s:s, s:i}", "AutoScalingGroupName", "blue", "DesiredCapacity", 4);

	r = client_call(c, "autoscaling", "SetDesiredCapacity", NULL, in, 0, &err);
	json_decref(in);
	ok(r == NULL && fixture_count(fx) - before == 1, "a validation error is not retried");
	is_int(err.transient, 0, "not transient");
	client_destroy(c);
}

static void test_mutating_timeout(void)
{
	struct client *c = new_client(false, 300, NULL);
	struct fd_error err;
	json_t *r, *in = json_pack("{s:s, s:i}", "AutoScalingGroupName", "blue", "DesiredCapacity", 4);
	int before = fixture_count(fx);

	fixture_push(fx, 200, NULL, "<SetDesiredCapacityResponse/>", 1200);
	r = client_call(c, "autoscaling", "SetDesiredCapacity", NULL, in, 0, &err);
	ok(r == NULL, "a mutating call that times out fails");
	is_str(err.code, "Timeout", "code Timeout");
	is_int(err.timed_out, 1, "timed_out is set so the caller re-reads state");
	is_int(fixture_count(fx) - before, 1, "it is not sent again");
	json_decref(in);
	client_destroy(c);
	/* The server needs time to answer the abandoned request before the next test. */
	usleep(1000 * 1000);
}

static void test_read_timeout_retried(void)
{
	struct client *c = new_client(false, 300, NULL);
	struct fd_error err;
	json_t *r;
	int before = fixture_count(fx);

	fixture_push(fx, 200, NULL, GCI, 1000);
	fixture_push(fx, 200, NULL, GCI, 0);
	r = client_call(c, "sts", "GetCallerIdentity", NULL, NULL, 0, &err);
	ok(r != NULL, "a read-only call is retried after a timeout");
	is_int(fixture_count(fx) - before, 2, "two attempts");
	is_int(client_retry_quota(c), 500, "timeout retry cost 10, refunded on success");
	json_decref(r);
	client_destroy(c);
	usleep(900 * 1000);
}

static void test_clock_skew(void)
{
	struct client *c = new_client(false, 0, NULL);
	struct fake f = { .rnd = 0, .wall = 1795000000 };   /* local clock */
	struct fd_error err;
	json_t *r;
	char date[64], *req1, *req2, b1[64], b2[64];
	time_t server = f.wall + 3600;
	struct tm tm;
	int before = fixture_count(fx);
	char headers[128];

	client_set_hooks(c, &(struct client_hooks){ .wall_s = fake_wall, .random01 = fake_random,
						    .mono_ms = NULL, .ctx = &f });
	gmtime_r(&server, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	snprintf(headers, sizeof(headers), "Date: %s", date);
	fixture_push(fx, 403, headers,
		     "<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>"
		     "<Message>Signature expired</Message></Error><RequestId>s-1</RequestId></ErrorResponse>", 0);
	fixture_push(fx, 200, NULL, GCI, 0);
	r = client_call(c, "sts", "GetCallerIdentity", NULL, NULL, 0, &err);
	ok(r != NULL, "a skew error is corrected and retried");
	is_int(client_clock_skew_s(c), 3600, "skew learnt from the Date header");
	req1 = fixture_request(fx, before);
	req2 = fixture_request(fx, before + 1);
	is_str(header_of(req1, "X-Amz-Date", b1, sizeof(b1)), "20261118T110640Z", "first signed at local time");
	is_str(header_of(req2, "X-Amz-Date", b2, sizeof(b2)), "20261118T120640Z", "re-signed an hour later");
	is_int(client_retry_quota(c), 500, "skew retry costs no quota");
	free(req1);
	free(req2);
	json_decref(r);
	client_destroy(c);
}

static int n_done;

/* Count completions (concurrency test). */
static void count_done(void *ctx, json_t *result, const struct fd_error *err)
{
	(void)ctx;
	if (err)
		printf("# call failed: %s: %s\n", err->code, err->message);
	if (result)
		n_done++;
	json_decref(result);
}

static void test_backoff_timer(void)
{
	struct client *c = new_client(false, 0, NULL);
	struct fake f = { .mono_ms = 1000, .rnd = 0.5 };
	struct fd_error err;
	long id, t;
	int before = fixture_count(fx), spins = 0;
	bool done = false;
	struct pollfd fds[16];

	client_set_hooks(c, &(struct client_hooks){ .mono_ms = fake_mono, .random01 = fake_random,
						    .ctx = &f });
	fixture_push(fx, 503, NULL, "", 0);
	fixture_push(fx, 503, NULL, "", 0);
	id = client_call_async(c, "sts", "GetCallerIdentity", NULL, NULL, 0,
			       count_done, NULL, &err);
	ok(id < 0 || id > 0, "queued");
	(void)done;
	/* Run until the first response has been handled. */
	while (fixture_count(fx) - before < 1 || client_timeout_ms(c) != 500) {
		int n = client_poll_fds(c, fds, 16);
		poll(fds, (nfds_t)n, 20);
		client_perform(c, fds, n);
		if (++spins > 500)
			break;
	}
	t = client_timeout_ms(c);
	is_int(t, 500, "after attempt 1: backoff 0.5 * 2^0 s = 500 ms, as the poll timeout");
	f.mono_ms += 499;
	client_perform(c, fds, 0);
	is_int(fixture_count(fx) - before, 1, "not sent before the backoff ends");
	f.mono_ms += 1;
	spins = 0;
	while (client_timeout_ms(c) != 1000 && ++spins < 500) {
		int n = client_poll_fds(c, fds, 16);
		poll(fds, (nfds_t)n, 20);
		client_perform(c, fds, n);
	}
	is_int(fixture_count(fx) - before, 2, "second attempt sent when the timer is due");
	is_int(client_timeout_ms(c), 1000, "after attempt 2: 0.5 * 2^1 s = 1000 ms");
	client_destroy(c);   /* abandons the call: its callback never runs */
}

static void test_read_only(void)
{
	struct client *c = new_client(true, 0, NULL);
	struct fd_error err;
	json_t *in = json_pack("{s:s, s:i}", "AutoScalingGroupName", "blue", "DesiredCapacity", 4);
	int before = fixture_count(fx);
	json_t *r = client_call(c, "autoscaling", "set-desired-capacity", NULL, in, 0, &err);

	ok(r == NULL, "read-only refuses a mutating call");
	is_str(err.code, "ReadOnly", "code ReadOnly");
	is_int(fixture_count(fx) - before, 0, "nothing was sent");
	r = client_call(c, "elbv2", "ModifyListener", NULL, NULL, 0, &err);
	is_str(err.code, "ReadOnly", "ModifyListener refused too");
	fixture_push(fx, 200, NULL, GCI, 0);
	r = client_call(c, "sts", "GetCallerIdentity", NULL, NULL, 0, &err);
	ok(r != NULL, "a read call is allowed in read-only mode");
	json_decref(r);
	json_decref(in);
	client_destroy(c);
}

static void test_bad_input(void)
{
	struct client *c = new_client(false, 0, NULL);
	struct fd_error err;
	json_t *in = json_pack("{s:s}", "AutoScalingGroupNam", "blue");
	json_t *r = client_call(c, "autoscaling", "DescribeAutoScalingGroups", NULL, in, 0, &err);

	ok(r == NULL, "unknown parameter refused");
	is_str(err.code, "UnknownParameter", "code UnknownParameter");
	is_str(err.message, "DescribeAutoScalingGroups has no parameter 'AutoScalingGroupNam'; valid: "
	       "AutoScalingGroupNames, Filters, MaxRecords, NextToken",
	       "message lists the valid names");
	r = client_call(c, "ecs", "ListClusters", NULL, NULL, 0, &err);
	is_str(err.code, "UnknownService", "unknown service");
	r = client_call(c, "rds", "DeleteDBInstance", NULL, NULL, 0, &err);
	is_str(err.code, "UnknownOperation", "unknown operation");
	json_decref(in);
	client_destroy(c);
}

static void test_pages(void)
{
	struct client *c = new_client(false, 0, NULL);
	struct fd_error err;
	json_t *r, *tgs, *in;
	char *req;
	int before = fixture_count(fx);

	fixture_push(fx, 200, NULL,
		     "<DescribeTargetGroupsResponse><DescribeTargetGroupsResult><TargetGroups>"
		     "<member><TargetGroupName>blue</TargetGroupName><Port>8080</Port></member>"
		     "</TargetGroups><NextMarker>m2</NextMarker></DescribeTargetGroupsResult>"
		     "</DescribeTargetGroupsResponse>", 0);
	fixture_push(fx, 200, NULL,
		     "<DescribeTargetGroupsResponse><DescribeTargetGroupsResult><TargetGroups>"
		     "<member><TargetGroupName>green</TargetGroupName><Port>8080</Port></member>"
		     "</TargetGroups></DescribeTargetGroupsResult></DescribeTargetGroupsResponse>", 0);
	r = client_call(c, "elbv2", "describe-target-groups", NULL, NULL, CLIENT_ALL_PAGES, &err);
	tgs = json_object_get(r, "TargetGroups");
	is_int(json_array_size(tgs), 2, "two pages merged");
	is_str(json_string_value(json_object_get(json_array_get(tgs, 1), "TargetGroupName")),
	       "green", "second page appended");
	ok(json_object_get(r, "NextMarker") == NULL, "no NextMarker in the merged result");
	req = fixture_request(fx, before + 1);
	ok(req && strstr(body_of(req), "&Marker=m2") != NULL, "second page asks with Marker=m2");
	free(req);
	json_decref(r);

	before = fixture_count(fx);
	fixture_push(fx, 200, NULL,
		     "<ListResourceRecordSetsResponse><ResourceRecordSets><ResourceRecordSet>"
		     "<Name>a.example.com.</Name><Type>A</Type><TTL>60</TTL><ResourceRecords>"
		     "<ResourceRecord><Value>10.0.0.1</Value></ResourceRecord></ResourceRecords>"
		     "</ResourceRecordSet></ResourceRecordSets><IsTruncated>true</IsTruncated>"
		     "<NextRecordName>b.example.com.</NextRecordName><NextRecordType>CNAME</NextRecordType>"
		     "<MaxItems>1</MaxItems></ListResourceRecordSetsResponse>", 0);
	fixture_push(fx, 200, NULL,
		     "<ListResourceRecordSetsResponse><ResourceRecordSets><ResourceRecordSet>"
		     "<Name>b.example.com.</Name><Type>CNAME</Type></ResourceRecordSet>"
		     "</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>1</MaxItems>"
		     "</ListResourceRecordSetsResponse>", 0);
	in = json_pack("{s:s}", "HostedZoneId", "/hostedzone/Z123");
	r = client_call(c, "route53", "ListResourceRecordSets", NULL, in, CLIENT_ALL_PAGES, &err);
	json_decref(in);
	is_int(json_array_size(json_object_get(r, "ResourceRecordSets")), 2,
	       "Route 53 pages merged by IsTruncated");
	ok(json_object_get(r, "IsTruncated") == NULL && json_object_get(r, "NextRecordName") == NULL,
	   "no paging members left");
	req = fixture_request(fx, before);
	ok(req && strncmp(req, "GET /2013-04-01/hostedzone/Z123/rrset\n", 38) == 0,
	   "/hostedzone/ stripped from the id in the path");
	free(req);
	req = fixture_request(fx, before + 1);
	ok(req && strstr(req, "name=b.example.com.") && strstr(req, "type=CNAME"),
	   "next page from NextRecordName/NextRecordType");
	free(req);
	json_decref(r);
	client_destroy(c);
}

static void test_concurrency_and_reuse(void)
{
	struct client *c = new_client(false, 0, NULL);
	struct pollfd fds[64];
	struct fd_error err;
	int i, before_conn, left = 1;
	json_t *r;

	fixture_set_default(fx, 200, NULL, GCI, 200);
	n_done = 0;
	for (i = 0; i < 8; i++)
		client_call_async(c, "sts", "GetCallerIdentity", NULL, NULL, 0, count_done, NULL, &err);
	while (left) {
		int n = client_poll_fds(c, fds, 64);
		long t = client_timeout_ms(c);
		poll(fds, (nfds_t)n, (int)(t < 0 || t > 100 ? 100 : t));
		left = client_perform(c, fds, n);
	}
	is_int(n_done, 8, "eight concurrent calls completed");
	ok(fixture_max_concurrent(fx) >= 8, "all eight were in flight at once (max %d)",
	   fixture_max_concurrent(fx));
	fixture_set_default(fx, 200, NULL, GCI, 0);
	before_conn = fixture_connections(fx);
	for (i = 0; i < 5; i++) {
		r = client_call(c, "sts", "GetCallerIdentity", NULL, NULL, 0, &err);
		json_decref(r);
	}
	ok(fixture_connections(fx) - before_conn <= 1,
	   "five sequential calls reuse one connection (new connections: %d)",
	   fixture_connections(fx) - before_conn);
	client_destroy(c);
}

static void test_debug_log(void)
{
	char path[128], buf[8192];
	struct client *c;
	struct fd_error err;
	json_t *r, *in;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/debug.log", home);
	c = new_client(false, 0, path);
	fixture_push(fx, 200, NULL,
		     "<AssumeRoleResponse><AssumeRoleResult><Credentials>"
		     "<AccessKeyId>ASIATESTKEY</AccessKeyId><SecretAccessKey>TOPSECRETVALUE</SecretAccessKey>"
		     "<SessionToken>TOKENVALUE</SessionToken><Expiration>2026-11-24T06:00:00Z</Expiration>"
		     "</Credentials><PackedPolicySize>6</PackedPolicySize></AssumeRoleResult></AssumeRoleResponse>", 0);
	in = json_pack("{s:s, s:s, s:s}", "RoleArn", "arn:aws:iam::1:role/r",
		       "RoleSessionName", "me", "TokenCode", "123456");
	r = client_call(c, "sts", "AssumeRole", NULL, in, 0, &err);
	json_decref(in);
	is_str(json_string_value(json_object_get(json_object_get(r, "Credentials"), "SecretAccessKey")),
	       "TOPSECRETVALUE", "the caller gets the secret");
	is_int(json_integer_value(json_object_get(r, "PackedPolicySize")), 6, "integer typed");
	json_decref(r);
	client_destroy(c);
	f = fopen(path, "r");
	n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
	ok(strstr(buf, "> POST ") != NULL && strstr(buf, "< HTTP 200") != NULL,
	   "debug log has the request and the response");
	ok(strstr(buf, "TOPSECRETVALUE") == NULL && strstr(buf, "TOKENVALUE") == NULL &&
	   strstr(buf, "ASIATESTKEY") == NULL, "no credential value in the log");
	ok(strstr(buf, "wJalrXUtnFEMI") == NULL && strstr(buf, "AKIDEXAMPLE/") == NULL,
	   "no signing key or Authorization value in the log");
	ok(strstr(buf, "Authorization: [redacted]") != NULL, "Authorization redacted");
	ok(strstr(buf, "TokenCode=[redacted]") != NULL, "MFA code redacted in the form body");
	ok(strstr(buf, "<SecretAccessKey>[redacted]</SecretAccessKey>") != NULL,
	   "SecretAccessKey redacted in the XML body");
}

/* A loopback port nobody listens on (bound, then closed). */
static int closed_port(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) < 0)
		return 9;
	port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

static void test_protocol_requests(void)
{
	struct client *c = new_client(false, 0, NULL);
	struct fd_error err;
	json_t *r, *in;
	char *req, buf[512];
	int before = fixture_count(fx);

	fixture_push(fx, 200, NULL,
		     "<GetHealthCheckStatusResponse><HealthCheckObservations/></GetHealthCheckStatusResponse>", 0);
	in = json_pack("{s:s}", "HealthCheckId", "hc-1");
	r = client_call(c, "route53", "get-health-check-status", NULL, in, 0, &err);
	json_decref(in);
	ok(r && json_is_array(json_object_get(r, "HealthCheckObservations")) &&
	   json_array_size(json_object_get(r, "HealthCheckObservations")) == 0,
	   "Route 53: an empty list is an empty array");
	json_decref(r);
	req = fixture_request(fx, before);
	ok(req && strncmp(req, "GET /2013-04-01/healthcheck/hc-1/status\n", 40) == 0, "Route 53 GET path");
	ok(strstr(header_of(req, "Authorization", buf, sizeof(buf)), "/us-east-1/route53/aws4_request") != NULL,
	   "Route 53 is signed for us-east-1 whatever the client's region");
	free(req);

	fixture_push(fx, 200, NULL, "{\"RoutingControlArn\":\"arn:rc\",\"RoutingControlState\":\"On\"}", 0);
	in = json_pack("{s:s}", "RoutingControlArn", "arn:rc");
	r = client_call(c, "route53-recovery-cluster", "GetRoutingControlState", NULL, in, 0, &err);
	json_decref(in);
	is_str(json_string_value(json_object_get(r, "RoutingControlState")), "On", "json 1.0 result");
	json_decref(r);
	req = fixture_request(fx, before + 1);
	is_str(header_of(req, "X-Amz-Target", buf, sizeof(buf)), "ToggleCustomerAPI.GetRoutingControlState",
	       "X-Amz-Target sent");
	ok(strstr(header_of(req, "Authorization", buf, sizeof(buf)),
		  "SignedHeaders=content-type;host;x-amz-date;x-amz-target") != NULL, "and signed");
	free(req);

	fixture_push(fx, 200, NULL,
		     "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
		     "<AccessKeyId>ASIA1</AccessKeyId></Credentials></AssumeRoleWithWebIdentityResult>"
		     "</AssumeRoleWithWebIdentityResponse>", 0);
	in = json_pack("{s:s, s:s, s:s}", "RoleArn", "arn:aws:iam::1:role/r", "RoleSessionName", "s",
		       "WebIdentityToken", "jwt");
	r = client_call(c, "sts", "AssumeRoleWithWebIdentity", NULL, in, 0, &err);
	json_decref(in);
	ok(r != NULL, "AssumeRoleWithWebIdentity succeeds");
	json_decref(r);
	req = fixture_request(fx, before + 2);
	is_str(header_of(req, "Authorization", buf, sizeof(buf)), "", "and is not signed");
	free(req);
	client_destroy(c);
}

static void test_connection_errors(void)
{
	char url[256];
	struct client *c;
	struct fd_error err;
	json_t *r, *in;
	int before = fixture_count(fx);

	snprintf(url, sizeof(url), "http://127.0.0.1:%d", closed_port());
	c = client_new(&(struct client_options){ .region = "ap-northeast-2", .endpoint_url = url,
		.creds = creds }, &err);
	client_set_hooks(c, &(struct client_hooks){ .random01 = fake_random,
		.ctx = &(struct fake){ .rnd = 0 } });
	r = client_call(c, "sts", "GetCallerIdentity", NULL, NULL, 0, &err);
	ok(r == NULL, "nobody listening: the call fails");
	is_str(err.code, "ConnectionError", "code ConnectionError");
	is_int(err.transient, 1, "transient");
	is_int(err.timed_out, 0, "never reached the server, so not timed_out");
	is_int(client_retry_quota(c), 490, "two retries taken from the quota");
	client_destroy(c);

	/* ARC: a list of cluster endpoints is tried in turn. */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d,%s/", closed_port(), fixture_url(fx));
	c = client_new(&(struct client_options){ .region = "ap-northeast-2", .endpoint_url = url,
		.creds = creds }, &err);
	client_set_hooks(c, &(struct client_hooks){ .random01 = fake_random,
		.ctx = &(struct fake){ .rnd = 0 } });
	fixture_push(fx, 200, NULL, "{\"RoutingControlArn\":\"arn:rc\",\"RoutingControlState\":\"Off\"}", 0);
	in = json_pack("{s:s}", "RoutingControlArn", "arn:rc");
	r = client_call(c, "route53-recovery-cluster", "get-routing-control-state", NULL, in, 0, &err);
	json_decref(in);
	is_str(json_string_value(json_object_get(r, "RoutingControlState")), "Off",
	       "the second cluster endpoint answers after the first refuses");
	is_int(fixture_count(fx) - before, 1, "one request reached it");
	json_decref(r);
	client_destroy(c);
}

static void test_huge_response(void)
{
	struct client *c = new_client(false, 0, NULL);
	struct strbuf sb;
	struct fd_error err;
	json_t *r;
	int i;

	strbuf_init(&sb);
	strbuf_adds(&sb, "<DescribeAlarmsResponse><DescribeAlarmsResult><MetricAlarms>");
	for (i = 0; i < 20000; i++)
		strbuf_addf(&sb, "<member><AlarmName>alarm-%d</AlarmName><Period>60</Period>"
			    "<Dimensions><member><Name>A</Name><Value>%d</Value></member></Dimensions>"
			    "</member>", i, i);
	strbuf_adds(&sb, "</MetricAlarms></DescribeAlarmsResult></DescribeAlarmsResponse>");
	fixture_push(fx, 200, NULL, sb.data, 0);
	r = client_call(c, "cloudwatch", "DescribeAlarms", NULL, NULL, 0, &err);
	is_int(json_array_size(json_object_get(r, "MetricAlarms")), 20000,
	       "a %zu-byte response: 20000 alarms", sb.len);
	is_str(json_string_value(json_object_get(json_array_get(json_object_get(r, "MetricAlarms"), 19999),
						 "AlarmName")), "alarm-19999", "the last one intact");
	json_decref(r);
	strbuf_clean_up(&sb);
	client_destroy(c);
}

int main(void)
{
	char tmpl[] = "/tmp/fd-client-XXXXXX";

	if (!mkdtemp(tmpl))
		return 1;
	snprintf(home, sizeof(home), "%s", tmpl);
	setenv("HOME", home, 1);
	unsetenv("AWS_PROFILE");
	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_MAX_ATTEMPTS");
	setenv("AWS_CONFIG_FILE", "/nonexistent/config", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", 1);
	fx = fixture_start();
	if (!fx) {
		printf("Bail out! fixture server did not start\n");
		return 1;
	}
	creds = creds_static_new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", NULL);
	test_success();
	test_retry_then_success();
	test_retry_exhausted();
	test_not_retried();
	test_mutating_timeout();
	test_read_timeout_retried();
	test_clock_skew();
	test_backoff_timer();
	test_read_only();
	test_bad_input();
	test_pages();
	test_concurrency_and_reuse();
	test_debug_log();
	test_protocol_requests();
	test_connection_errors();
	test_huge_response();
	creds_provider_destroy(creds);
	fixture_stop(fx);
	{
		char cmd[160];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", home);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", home);
	}
	return done_testing();
}
