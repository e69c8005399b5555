/* test_rb_failclosed.c — the engine fails closed (issue 13): a jq error or a
 * template without a value fails its step with FILE:LINE, a metric with no
 * complete datapoint is "no data", the latest complete datapoint is judged
 * whatever the order CloudWatch sends them in, a run without a caller identity
 * changes nothing, plan exits 0/1/2, and the last line states the figures.
 * A fake AWS answers from a table of canned results; the clock is a fake too.
 * GetMetricData: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "base/isotime.h"
#include "base/strbuf.h"
#include "runbooks/rb.h"
#include "runbooks/rb_metric.h"
#include "runbooks/rb_run.h"
#include "tests/tap.h"

struct fake {
	int64_t now;
	json_t *answers;         /* {"Operation": result or {"error": CODE, "transient": bool}} */
	json_t *metrics;         /* GetMetricData: [[t, value], ...] per Id: {"Id": [[t, v], ...]} */
	bool newest_first;       /* the order CloudWatch answers in (its default: true) */
	int sends;               /* mutating calls */
	struct strbuf calls, out;
};

static struct fake F;

static bool fake_mutating(void *ctx, const char *service, const char *op)
{
	(void)ctx; (void)service;
	return strncmp(op, "Set", 3) == 0 || strncmp(op, "Modify", 6) == 0;
}

/* GetMetricData from F.metrics: the points inside [StartTime, EndTime), in F's order. */
static json_t *fake_metric_data(json_t *input)
{
	json_t *out = json_array(), *q, *pts, *pt;
	double from = 0, to = 0;
	size_t i, j;

	isotime_parse(json_string_value(json_object_get(input, "StartTime")), &from);
	isotime_parse(json_string_value(json_object_get(input, "EndTime")), &to);
	json_array_foreach(json_object_get(input, "MetricDataQueries"), i, q) {
		const char *id = json_string_value(json_object_get(q, "Id"));
		json_t *ts = json_array(), *vs = json_array();
		size_t n;
		pts = json_object_get(F.metrics, id);
		n = json_array_size(pts);
		for (j = 0; j < n; j++) {
			char at[ISOTIME_MAX];
			double t;
			pt = json_array_get(pts, F.newest_first ? n - 1 - j : j);
			t = json_number_value(json_array_get(pt, 0));
			if (t < from || t >= to)
				continue;
			json_array_append_new(ts, json_string(isotime_format(t, 0, at)));
			json_array_append(vs, json_array_get(pt, 1));
		}
		json_array_append_new(out, json_pack("{s:s,s:o,s:o,s:s}", "Id", id, "Timestamps", ts, "Values", vs,
						     "StatusCode", "Complete"));
	}
	return json_pack("{s:o}", "MetricDataResults", out);
}

static int fake_call(void *ctx, const char *service, const char *op, const char *region, json_t *input,
		     rb_call_done_fn done, void *done_ctx, struct fd_error *err)
{
	json_t *a = json_object_get(F.answers, op), *res = NULL;
	char *in = json_dumps(input, JSON_COMPACT | JSON_SORT_KEYS);
	struct fd_error e;

	(void)ctx; (void)region;
	strbuf_addf(&F.calls, "%s %s %s\n", service, op, in);
	free(in);
	fd_error_clear(&e);
	if (strcmp(op, "GetMetricData") == 0)
		res = fake_metric_data(input);
	else if (!a && strcmp(op, "GetCallerIdentity") == 0)
		res = json_pack("{s:s,s:s}", "Arn", "arn:aws:iam::123456789012:user/oncall", "Account", "123456789012");
	else if (!a && fake_mutating(NULL, service, op)) {
		F.sends++;
		res = json_object();
	} else if (json_object_get(a, "error")) {
		fd_error_set(&e, json_string_value(json_object_get(a, "error")), "it failed");
		e.transient = json_is_true(json_object_get(a, "transient"));
	} else if (a)
		res = json_deep_copy(a);
	else
		return fd_error_set(err, "UnknownOperation", "no operation %s %s", service, op);
	done(done_ctx, res, res ? NULL : &e);
	return 0;
}

static int64_t fake_now(void *ctx)
{
	(void)ctx;
	return F.now;
}

static void fake_print(void *ctx, const char *line)
{
	(void)ctx;
	strbuf_addf(&F.out, "%s\n", line);
}

static const struct rb_io IO = {
	.call = fake_call, .is_mutating = fake_mutating, .now_ms = fake_now, .print = fake_print,
	.default_region = "ap-northeast-2",
};

/* A clean fake at a minute boundary (1700000040 s is one). */
static void reset(const char *answers)
{
	strbuf_reset(&F.calls);
	strbuf_reset(&F.out);
	json_decref(F.answers);
	json_decref(F.metrics);
	F.answers = answers ? json_loads(answers, 0, NULL) : json_object();
	F.metrics = json_object();
	F.newest_first = true;
	F.sends = 0;
	F.now = 1700000040000;
}

/* Run to the end, moving the fake clock; answers every prompt with "". */
static enum rb_status drive(struct rb_run *r)
{
	int i;

	for (i = 0; i < 100000; i++) {
		enum rb_status st = rb_run_step(r);
		long t;
		if (st == RB_WAITING_INPUT) {
			rb_run_answer(r, "");
			continue;
		}
		if (st != RB_RUNNING)
			return st;
		if ((t = rb_run_timeout_ms(r)) < 0)
			return RB_RUNNING;
		F.now += t;
	}
	return RB_RUNNING;
}

/* Load, start and drive a runbook; the status (the run is kept in *out when not NULL). */
static enum rb_status run(const char *text, json_t *params, bool plan, struct rb_run **out, int *exit_code)
{
	struct rb_options o = { .yes = true, .plan = plan };
	struct fd_error err;
	struct runbook *rb = rb_load_buffer("t.yaml", text, strlen(text), &err);
	struct rb_run *r;
	enum rb_status st;

	if (!rb) {
		printf("# load failed: %s\n", err.message);
		return RB_FAILED;
	}
	r = rb_run_new(rb, params, &IO, &o, &err);
	if (!r) {
		printf("# start failed: %s\n", err.message);
		strbuf_addf(&F.out, "start: %s\n", err.message);
		rb_destroy(rb);
		return RB_FAILED;
	}
	st = drive(r);
	if (exit_code)
		*exit_code = rb_run_exit_code(r);
	if (out)
		*out = r;
	else
		rb_run_destroy(r);
	rb_destroy(rb);
	return st;
}

static bool has(const char *s)
{
	bool yes = strstr(F.out.data, s) != NULL;

	if (!yes)
		printf("# no \"%s\" in:\n%s", s, F.out.data);
	return yes;
}

/* How many lines of s contain what. */
static int count_lines_with(const char *s, const char *what)
{
	int n = 0;

	for (; (s = strstr(s, what)) != NULL; s += strlen(what))
		n++;
	return n;
}

/* The last line printed, without its newline. */
static const char *last_line(void)
{
	static char line[1024];
	const char *end = F.out.data + F.out.len, *p = end - 1;

	while (p > F.out.data && p[-1] != '\n')
		p--;
	snprintf(line, sizeof(line), "%.*s", (int)(end - p - 1), p);
	return line;
}

/* ---- jq and templates ---------------------------------------------------- */

static void test_jq_errors(void)
{
	static const char outputs_rb[] =
		"description: d\n"
		"steps:\n"
		"  - name: status\n"
		"    action: aws\n"
		"    inputs: {service: route53, operation: GetHealthCheckStatus, input: {HealthCheckId: x}}\n"
		"    outputs:\n"
		"      Failing: '[.HealthCheckObservations[] | select(.StatusReport.Status | test(\"^Success\") | not)] | length > (.HealthCheckObservations | length) / 2'\n"
		"  - name: invert\n"
		"    action: aws\n"
		"    inputs: {service: elbv2, operation: ModifyListener}\n";
	static const char until_rb[] =
		"description: d\n"
		"steps:\n"
		"  - name: w\n"
		"    action: wait\n"
		"    inputs:\n"
		"      service: route53\n"
		"      operation: GetHealthCheckStatus\n"
		"      until: '.HealthCheckObservations | length > 0 and .HealthCheckObservations.Region'\n";
	static const char cond_rb[] =
		"description: d\n"
		"steps:\n"
		"  - name: a\n"
		"    action: assert\n"
		"    inputs: {value: 3, condition: '.x > 1'}\n"
		"  - name: m\n"
		"    action: aws\n"
		"    inputs: {service: autoscaling, operation: SetDesiredCapacity}\n";
	const char *answers = "{\"GetHealthCheckStatus\": {\"HealthCheckObservations\": ["
		"{\"Region\": \"us-east-1\", \"StatusReport\": {\"Status\": \"Failure: HTTP 503\"}},"
		"{\"Region\": \"eu-west-1\", \"StatusReport\": {\"Status\": \"Failure: HTTP 503\"}}]}}";

	/* dr-failover's program from issue 13: `[...] | length > (... | length) / 2` parses as
	 * `[...] | (length > (.HealthCheckObservations | length) / 2)`: it indexes the array. */
	reset(answers);
	is_int(run(outputs_rb, NULL, false, NULL, NULL), RB_FAILED, "a jq error in outputs fails the run");
	ok(has("FAILED: t.yaml:7: step 'status': outputs.Failing: jq: Cannot index array with string \"HealthCheckObservations\""),
	   "with the program's FILE:LINE and jq's message");
	is_int(F.sends, 0, "and the next (mutating) step never runs");

	reset(answers);
	is_int(run(until_rb, NULL, false, NULL, NULL), RB_FAILED, "a jq error in until fails the step");
	ok(has("FAILED: until: t.yaml:8: step 'w': until: jq: Cannot index array with string \"HealthCheckObservations\""),
	   "with FILE:LINE");

	reset(NULL);
	is_int(run(cond_rb, NULL, false, NULL, NULL), RB_FAILED, "a jq error in a condition fails the step");
	ok(has("FAILED: condition: t.yaml:5: step 'a': condition: jq: Cannot index number with string \"x\""), "with FILE:LINE");
	is_int(F.sends, 0, "and nothing is sent");
}

static void test_templates(void)
{
	static const char tpl_rb[] =
		"description: d\n"
		"parameters:\n"
		"  name: {type: string, default: ''}\n"
		"steps:\n"
		"  - name: find\n"
		"    action: aws\n"
		"    inputs: {service: elbv2, operation: DescribeTargetGroups}\n"
		"    outputs:\n"
		"      Arn: '[.TargetGroups[] | select(.TargetGroupName == \"nosuch\")][0].TargetGroupArn'\n"
		"  - name: with_default\n"
		"    action: assert\n"
		"    inputs: {value: 1, condition: '($steps.find.Arn // \"none\") == \"none\"'}\n"
		"    print: 'the // default still works'\n"
		"  - name: use\n"
		"    action: aws\n"
		"    inputs: {service: elbv2, operation: ModifyListener, input: {TargetGroupArn: '{{ find.Arn }}'}}\n";
	static const char empty_rb[] =
		"description: d\n"
		"parameters:\n"
		"  name: {type: string, default: ''}\n"
		"steps:\n"
		"  - name: use\n"
		"    action: aws\n"
		"    inputs: {service: autoscaling, operation: SetDesiredCapacity, input: {AutoScalingGroupName: '{{ parameters.name }}'}}\n";

	reset("{\"DescribeTargetGroups\": {\"TargetGroups\": [{\"TargetGroupName\": \"blue\", \"TargetGroupArn\": \"arn:b\"}]}}");
	is_int(run(tpl_rb, NULL, false, NULL, NULL), RB_FAILED, "a template whose value is null fails its step");
	ok(has("  the // default still works\n"), "$steps.x.Y // default is still there for runbooks that want it");
	ok(has("FAILED: t.yaml:14: step 'use': {{ find.Arn }} is null"), "the failure names FILE:LINE and the template");
	is_int(F.sends, 0, "nothing is sent with a missing value");
	ok(has("; nothing was changed (run "), "the last line says nothing was changed");

	reset(NULL);
	is_int(run(empty_rb, NULL, false, NULL, NULL), RB_FAILED, "an empty parameter in a template fails its step");
	ok(has("{{ parameters.name }} is empty"), "and says so");
	is_int(F.sends, 0, "before anything is sent");
}

/* ---- identity, rollback, last line --------------------------------------- */

static const char change_rb[] =
	"description: d\n"
	"steps:\n"
	"  - name: set\n"
	"    action: aws\n"
	"    inputs: {service: autoscaling, operation: SetDesiredCapacity, input: {DesiredCapacity: 3}}\n"
	"  - name: wait\n"
	"    action: wait\n"
	"    measure: rto_s\n"
	"    inputs: {service: autoscaling, operation: DescribeAutoScalingGroups, until: '.Ok', interval: 2s}\n"
	"  - name: check\n"
	"    action: assert\n"
	"    inputs: {service: autoscaling, operation: DescribeAutoScalingGroups, condition: '.Broken | not',\n"
	"             message: it broke}\n"
	"rollback:\n"
	"  - name: undo\n"
	"    action: aws\n"
	"    inputs: {service: autoscaling, operation: SetDesiredCapacity, input: {DesiredCapacity: 2}}\n";

static void test_identity_rollback(void)
{
	reset("{\"GetCallerIdentity\": {\"error\": \"Throttling\", \"transient\": true}}");
	is_int(run(change_rb, NULL, false, NULL, NULL), RB_FAILED, "without a caller identity the run fails");
	is_int(F.sends, 0, "before any mutating call");
	is_int(count_lines_with(F.calls.data, "GetCallerIdentity"), 4, "after asking three more times (transient)");
	ok(has("runbook t: FAILED (caller identity unknown (sts GetCallerIdentity: Throttling: it failed): a run needs "
	       "it before any change); nothing was changed (run "), "the last line says why and that nothing changed");

	reset("{\"DescribeAutoScalingGroups\": {\"Ok\": true}}");
	is_int(run(change_rb, NULL, false, NULL, NULL), RB_DONE, "a run that changed something is done");
	like(last_line(), "^runbook t: done in [0-9.]+ s, RTO [0-9.]+ s \\(run ", "its last line states the figures");

	reset("{\"DescribeAutoScalingGroups\": {\"Ok\": true, \"Broken\": true}}");
	is_int(run(change_rb, NULL, false, NULL, NULL), RB_ROLLED_BACK, "a check failing after a change rolls back");
	is_int(F.sends, 2, "the change and its undo");
	like(last_line(), "^runbook t: FAILED \\(step check: assertion failed: it broke\\); rolled back in [0-9.]+ s, RTO [0-9.]+ s \\(run ",
	     "the last line: failed, rolled back, the figures");
}

/* ---- metrics ------------------------------------------------------------- */

/* A cutover's metric watch: rate = FILL(errors, 0) / requests, 10-s periods, no delay. */
static const char watch_fmt[] =
	"description: d\n"
	"parameters:\n"
	"  watch: {type: string, default: 30s}\n"
	"  delay: {type: string, default: 0s}\n"
	"steps:\n"
	"  - name: shift\n"
	"    action: aws\n"
	"    inputs: {service: elbv2, operation: ModifyListener}\n"
	"  - name: watch\n"
	"    action: metric\n"
	"    inputs:\n"
	"      period: 10\n"
	"      delay: '{{ parameters.delay }}'\n"
	"      for: '{{ parameters.watch }}'\n"
	"      queries:\n"
	"        - {Id: errors, ReturnData: false, MetricStat: {Metric: {Namespace: AWS/ApplicationELB, MetricName: HTTPCode_Target_5XX_Count}, Stat: Sum}}\n"
	"        - {Id: requests, ReturnData: false, MetricStat: {Metric: {Namespace: AWS/ApplicationELB, MetricName: RequestCount}, Stat: Sum}}\n"
	"        - {Id: rate, Expression: 'FILL(errors, 0) / requests'}\n"
	"      condition: '.rate <= 0.05'\n"
	"      message: green's 5xx rate is above 0.05\n"
	"      on_no_data: %s\n"
	"rollback:\n"
	"  - name: back\n"
	"    action: aws\n"
	"    inputs: {service: elbv2, operation: ModifyListener}\n";

/* Datapoints of rate every 10 s from t0 (s) on. */
static void rate_points(int64_t t0, const double *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("[I,f]", (json_int_t)(t0 + 10 * (int64_t)i), v[i]));
	json_object_set_new(F.metrics, "rate", a);
}

static void test_metrics(void)
{
	const int64_t t0 = 1700000040;   /* the fake clock's start, a period boundary */
	const double good_then_bad[] = { 0.0, 0.0, 0.1, 0.1, 0.1 };
	const double bad_then_good[] = { 0.2, 0.0, 0.0, 0.0, 0.0 };
	const double good[] = { 0.01, 0.0, 0.02, 0.0, 0.01 };
	const double history_good[] = { 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 };
	char watch_rb[sizeof(watch_fmt) + 16], pass_rb[sizeof(watch_fmt) + 16];
	json_t *p;
	int rc;

	snprintf(watch_rb, sizeof(watch_rb), watch_fmt, "fail");
	snprintf(pass_rb, sizeof(pass_rb), watch_fmt, "pass");

	/* Newest first (CloudWatch's default): the newest points are bad, the oldest good. */
	reset(NULL);
	rate_points(t0, good_then_bad, 5);
	is_int(run(watch_rb, NULL, false, NULL, NULL), RB_ROLLED_BACK, "a breach in the watch rolls back");
	ok(has("FAILED: green's 5xx rate is above 0.05: rate 0.1 at 22:14:20Z (10-s period)"),
	   "the first complete datapoint over the threshold is named, whatever the order CloudWatch sent");
	reset(NULL);
	F.newest_first = false;
	rate_points(t0, good_then_bad, 5);
	is_int(run(watch_rb, NULL, false, NULL, NULL), RB_ROLLED_BACK, "the same with the oldest first");

	/* A bad period that began before the watch does not count; later good ones pass. */
	reset(NULL);
	rate_points(t0 - 10, bad_then_good, 5);
	is_int(run(watch_rb, NULL, false, NULL, NULL), RB_DONE, "only periods inside the watch count");

	/* Good history before the shift does not hide a bad present: history is outside the window. */
	reset(NULL);
	rate_points(t0 - 100, history_good, 10);
	is_int(run(watch_rb, NULL, false, NULL, NULL), RB_ROLLED_BACK, "no datapoint inside the watch: no data");
	ok(has("FAILED: no data: no complete 10-s datapoint in the watch window"), "it says no data, never 0");
	is_int(F.sends, 2, "and rolls back the shift");

	/* on_no_data: pass is the runbook's explicit choice, and says so. */
	reset(NULL);
	rate_points(t0 - 100, history_good, 10);
	is_int(run(pass_rb, NULL, false, NULL, NULL), RB_DONE, "on_no_data: pass lets no data pass");
	ok(has("  no data: no complete datapoint; on_no_data: pass"), "saying so");

	/* The publishing delay: a point is judged only once its period ended delay ago. */
	reset(NULL);
	rate_points(t0, good, 5);
	p = json_pack("{s:s,s:s}", "delay", "20s", "watch", "40s");
	is_int(run(watch_rb, p, false, NULL, NULL), RB_DONE, "a 40 s watch of 10-s periods published 20 s late");
	ok(has("rate 0.01 at 22:14:00Z: holds") && has("rate 0 at 22:14:10Z: holds") &&
	   !strstr(F.out.data, "at 22:14:20Z"), "judges the periods published by the end of the watch, not later ones");
	json_decref(p);

	/* A watch shorter than two periods plus the delay is refused before the run. */
	reset(NULL);
	p = json_pack("{s:s,s:s}", "delay", "20s", "watch", "30s");
	is_int(run(watch_rb, p, false, NULL, NULL), RB_FAILED, "a 30 s watch with 10-s periods and a 20 s delay");
	ok(has("start: t.yaml:9: step 'watch': a 30 s watch is shorter than two periods plus the publishing delay "
	       "(2 x 10 s + 20 s)"), "is refused, saying why");
	is_int(F.sends, 0, "before anything changes");
	json_decref(p);

	/* Plan: a watch after a change is not evaluated; the plan still goes through. */
	reset(NULL);
	rate_points(t0, good, 5);
	is_int(run(watch_rb, NULL, true, NULL, &rc), RB_PLANNED, "plan of a cutover");
	is_int(rc, 0, "exits 0");
	ok(has("  plan: not evaluated: it watches the effect of an earlier change"), "the watch is listed as not evaluated");
	ok(has("plan: the run would go through (1 steps checked; not evaluated: watch); no mutating call was sent"),
	   "and so is the last line");
	is_int(F.sends, 0, "no mutating call");
}

static void test_metric_validation(void)
{
	static const char *const bad[][2] = {
		{ "      period: 45\n", "t.yaml:7:15: step 'w': period 45: CloudWatch takes 1, 5, 10, 30 or a multiple of 60 seconds" },
		{ "      for: 3m\n", "t.yaml:7:12: step 'w': a 3m watch is shorter than two periods plus the publishing delay "
		  "(2 x 60 s + 120 s): it could end before one complete datapoint" },
		{ "      on_no_data: zero\n", "t.yaml:7:19: step 'w': on_no_data must be fail, pass or wait" },
	};
	static const char assert_rb[] =
		"description: d\n"
		"steps:\n"
		"  - name: w\n"
		"    action: assert\n"
		"    inputs: {service: cloudwatch, operation: GetMetricData, condition: '.MetricDataResults[0].Values[-1] < 1'}\n";
	struct fd_error err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct strbuf sb;
		struct runbook *rb;
		strbuf_init(&sb);
		strbuf_addf(&sb, "description: d\nsteps:\n  - name: w\n    action: metric\n    inputs:\n"
			    "      condition: '. < 1'\n%s      queries: [{Id: m, MetricStat: {Metric: {Namespace: N, MetricName: M}, Stat: Sum}}]\n",
			    bad[i][0]);
		rb = rb_load_buffer("t.yaml", sb.data, sb.len, &err);
		ok(rb == NULL, "metric: %.*s is refused", (int)strlen(bad[i][0]) - 7, bad[i][0] + 6);
		is_str(rb ? "" : err.message, bad[i][1], "  with FILE:LINE:COLUMN and why");
		rb_destroy(rb);
		strbuf_clean_up(&sb);
	}
	ok(rb_load_buffer("t.yaml", assert_rb, strlen(assert_rb), &err) == NULL, "an assert on GetMetricData is refused");
	like(err.message, "^t.yaml:5:46: step 'w': judge CloudWatch metrics with the metric action", "  pointing at the metric action");
}

/* ---- plan ---------------------------------------------------------------- */

static void test_plan(void)
{
	static const char plan_rb[] =
		"description: d\n"
		"parameters:\n"
		"  desired: {type: integer, default: 3}\n"
		"steps:\n"
		"  - name: read\n"
		"    action: aws\n"
		"    inputs: {service: autoscaling, operation: DescribeAutoScalingGroups}\n"
		"    outputs: {Max: '.AutoScalingGroups[0].MaxSize'}\n"
		"  - name: bounds\n"
		"    action: assert\n"
		"    inputs: {value: 0, condition: '$parameters.desired <= $steps.read.Max', message: over the group's MaxSize}\n"
		"  - name: set\n"
		"    action: aws\n"
		"    inputs: {service: autoscaling, operation: SetDesiredCapacity, input: {DesiredCapacity: '{{ parameters.desired }}'}}\n"
		"    outputs: {Id: '.ActivityId'}\n"
		"  - name: done\n"
		"    action: wait\n"
		"    inputs: {service: autoscaling, operation: DescribeAutoScalingGroups, until: '.InService == $parameters.desired'}\n"
		"    print: 'all {{ parameters.desired }} InService'\n"
		"  - name: report\n"
		"    action: assert\n"
		"    inputs: {value: '{{ set.Id }}', condition: 'true'}\n"
		"    print: 'activity {{ set.Id }}'\n";
	const char *answers = "{\"DescribeAutoScalingGroups\": {\"AutoScalingGroups\": [{\"MaxSize\": 10}], \"InService\": 2}}";
	json_t *p;
	int rc;

	reset(answers);
	is_int(run(plan_rb, NULL, true, NULL, &rc), RB_PLANNED, "plan within the bounds");
	is_int(rc, 0, "exits 0");
	ok(has("  plan: not evaluated: it waits for the effect of an earlier change"), "the wait after a change is not evaluated");
	ok(has("  plan: not evaluated: it needs {{ set.Id }}, which a plan cannot know (a plan does not send it)"),
	   "a step using a change's outputs is not evaluated either");
	ok(!strstr(F.out.data, "InService\n") && !strstr(F.out.data, "activity "), "no success line of a step not evaluated");
	like(last_line(), "^runbook t: plan: the run would go through \\(3 steps checked; not evaluated: done, report\\); "
	     "no mutating call was sent$", "the last line lists them");

	reset(answers);
	p = json_pack("{s:i}", "desired", 50);
	is_int(run(plan_rb, p, true, NULL, &rc), RB_PLANNED, "plan over the group's MaxSize");
	is_int(rc, 1, "exits 1: a check would stop the run");
	like(last_line(), "^runbook t: plan: the run would stop at step bounds: assertion failed: over the group's MaxSize",
	     "naming the step and why");
	json_decref(p);

	reset("{\"DescribeAutoScalingGroups\": {\"error\": \"InvalidClientTokenId\"}}");
	is_int(run(plan_rb, NULL, true, NULL, &rc), RB_PLANNED, "plan whose read fails");
	is_int(rc, 2, "exits 2: an error");
	like(last_line(), "^runbook t: plan: error at step read: autoscaling DescribeAutoScalingGroups: InvalidClientTokenId",
	     "naming the step and the error");
}

/* ---- for_each ------------------------------------------------------------ */

static void test_for_each(void)
{
	static const char each_rb[] =
		"description: d\n"
		"steps:\n"
		"  - name: rules\n"
		"    action: aws\n"
		"    inputs: {service: elbv2, operation: DescribeRules}\n"
		"    outputs: {Shift: '[.Rules[] | select(.IsDefault | not) | {Arn: .RuleArn}]'}\n"
		"  - name: shift\n"
		"    action: aws\n"
		"    for_each: '$steps.rules.Shift'\n"
		"    inputs: {service: elbv2, operation: ModifyRule, input: {RuleArn: '{{ item.Arn }}'}}\n";

	reset("{\"DescribeRules\": {\"Rules\": [{\"RuleArn\": \"r1\", \"IsDefault\": false}, "
	      "{\"RuleArn\": \"r2\", \"IsDefault\": false}, {\"RuleArn\": \"d\", \"IsDefault\": true}]}}");
	is_int(run(each_rb, NULL, false, NULL, NULL), RB_DONE, "for_each: done");
	is_int(F.sends, 2, "one call per item");
	ok(strstr(F.calls.data, "ModifyRule {\"RuleArn\":\"r1\"}") && strstr(F.calls.data, "ModifyRule {\"RuleArn\":\"r2\"}"),
	   "each with its item");
	is_int(count_lines_with(F.out.data, "] shift (aws)"), 1, "in one step (its header once)");
	reset("{\"DescribeRules\": {\"Rules\": [{\"RuleArn\": \"d\", \"IsDefault\": true}]}}");
	is_int(run(each_rb, NULL, false, NULL, NULL), RB_DONE, "for_each over no items: done");
	ok(has("for_each: no items: nothing to do"), "saying so");
	is_int(F.sends, 0, "sending nothing");
}

/* The rb_metric arithmetic on its own. */
static void test_metric_window(void)
{
	struct rb_metric_window w = { .period_s = 60, .delay_ms = 120000, .since_ms = 1700000010000, .now_ms = 1700000400000 };
	json_t *q = json_loads("[{\"Id\": \"m\", \"MetricStat\": {\"Metric\": {}, \"Stat\": \"Sum\"}}]", 0, NULL);
	json_t *in = rb_metric_input(q, &w, NULL);
	json_t *res = json_loads("{\"MetricDataResults\": [{\"Id\": \"m\", \"StatusCode\": \"Complete\","
				 "\"Timestamps\": [\"2023-11-14T22:19:00Z\", \"2023-11-14T22:18:00Z\", \"2023-11-14T22:17:00Z\", \"2023-11-14T22:16:00Z\","
				 " \"2023-11-14T22:15:00Z\", \"2023-11-14T22:14:00Z\", \"2023-11-14T22:13:00Z\"],"
				 "\"Values\": [7, 6, 5, 4, 3, 2, 1]}]}", 0, NULL);
	json_t *rows = rb_metric_complete(res, q, &w, NULL);

	is_str(json_string_value(json_object_get(in, "StartTime")), "2023-11-14T22:13:00Z", "StartTime: since, down to the period");
	is_str(json_string_value(json_object_get(in, "EndTime")), "2023-11-14T22:20:00Z", "EndTime: now, up to the period");
	is_int(json_integer_value(json_object_get(json_object_get(json_array_get(json_object_get(in, "MetricDataQueries"), 0),
								  "MetricStat"), "Period")), 60, "Period set on the MetricStat");
	/* since 22:13:30 -> periods from 22:14; now 22:20:00 - 120 s delay -> periods ending by 22:18 */
	is_int(json_array_size(rows), 4, "complete: 22:14, 22:15, 22:16, 22:17");
	is_int(json_integer_value(json_object_get(json_object_get(json_array_get(rows, 3), "values"), "m")), 5,
	       "the latest complete is 22:17's, not the newest sent");
	ok(rb_metric_min_window_ms(60, 120000) == 240000, "the shortest watch: 2 x 60 s + 120 s");
	ok(rb_metric_period_ok(10) && rb_metric_period_ok(120) && !rb_metric_period_ok(45), "CloudWatch's periods");
	json_decref(q);
	json_decref(in);
	json_decref(res);
	json_decref(rows);
}

/* measure_from counts from the call its step sent, not from the step's start: the minute
 * an engineer took to type the confirmation is no scale-out latency. */
static void test_measure_from(void)
{
	static const char text[] =
		"description: d\n"
		"steps:\n"
		"  - name: set\n"
		"    action: aws\n"
		"    inputs: {service: autoscaling, operation: SetDesiredCapacity, input: {DesiredCapacity: 3}, confirm: tok}\n"
		"  - name: wait\n"
		"    action: wait\n"
		"    measure: scale_out_latency_s\n"
		"    measure_from: set\n"
		"    inputs: {service: autoscaling, operation: DescribeAutoScalingGroups, until: '.Ok', interval: 2s}\n";
	struct rb_options o = { .yes = false };
	struct fd_error err;
	struct runbook *rb;
	struct rb_run *r;
	enum rb_status st = RB_RUNNING;
	int i;

	reset("{\"DescribeAutoScalingGroups\": {\"Ok\": true}}");
	rb = rb_load_buffer("t.yaml", text, strlen(text), &err);
	r = rb ? rb_run_new(rb, NULL, &IO, &o, &err) : NULL;
	ok(r != NULL, "a run with a typed confirmation starts");
	for (i = 0; r && i < 1000 && (st = rb_run_step(r)) != RB_DONE && st != RB_FAILED; i++) {
		long t;
		if (st == RB_WAITING_INPUT) {
			F.now += 60000;   /* a minute to type it */
			rb_run_answer(r, "tok");
		} else if ((t = rb_run_timeout_ms(r)) > 0)
			F.now += t;
	}
	is_int(st, RB_DONE, "done");
	ok(has("measured scale_out_latency_s = 0.0 s"), "the latency counts from the call, not the confirmation");
	rb_run_destroy(r);
	rb_destroy(rb);
}

int main(void)
{
	strbuf_init(&F.calls);
	strbuf_init(&F.out);
	test_jq_errors();
	test_templates();
	test_identity_rollback();
	test_metrics();
	test_metric_validation();
	test_plan();
	test_for_each();
	test_metric_window();
	test_measure_from();
	json_decref(F.answers);
	json_decref(F.metrics);
	strbuf_clean_up(&F.calls);
	strbuf_clean_up(&F.out);
	return done_testing();
}
