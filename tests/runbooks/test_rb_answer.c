/* test_rb_answer.c — the time a person takes to read and answer a confirmation
 * is not the step's (issue 15): confirmed after its timeout has passed (a
 * dashboard banner waited while the engineer was in another view), the change
 * is still sent, once. A fake AWS (one Auto Scaling group) and a fake clock. */
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "runbooks/rb.h"
#include "runbooks/rb_run.h"
#include "tests/tap.h"

static int64_t now = 1700000000000;
static long desired = 2;
static int sets;
static struct strbuf out;

static bool fake_mutating(void *ctx, const char *service, const char *op)
{
	(void)ctx; (void)service;
	return strncmp(op, "Set", 3) == 0;
}

static int fake_call(void *ctx, const char *service, const char *op, const char *region, json_t *input,
		     rb_call_done_fn done, void *done_ctx, struct fd_error *err)
{
	json_t *res;

	(void)ctx; (void)region;
	if (strcmp(op, "GetCallerIdentity") == 0)
		res = json_pack("{s:s,s:s}", "Arn", "arn:aws:iam::123456789012:user/oncall", "Account", "123456789012");
	else if (strcmp(op, "DescribeAutoScalingGroups") == 0)
		res = json_pack("{s:[{s:s,s:I}]}", "AutoScalingGroups", "AutoScalingGroupName", "asg-blue",
				"DesiredCapacity", (json_int_t)desired);
	else if (strcmp(op, "SetDesiredCapacity") == 0) {
		sets++;
		desired = (long)json_integer_value(json_object_get(input, "DesiredCapacity"));
		res = json_object();
	} else
		return fd_error_set(err, "UnknownOperation", "no operation %s %s", service, op);
	done(done_ctx, res, NULL);
	return 0;
}

static int64_t fake_now(void *ctx)
{
	(void)ctx;
	return now;
}

static void fake_print(void *ctx, const char *line)
{
	(void)ctx;
	strbuf_addf(&out, "%s\n", line);
}

static const struct rb_io IO = {
	.call = fake_call, .is_mutating = fake_mutating, .now_ms = fake_now, .print = fake_print,
	.default_region = "ap-northeast-2",
};

/* Step r until it waits for an answer or ends, moving the clock to its timers. */
static enum rb_status step(struct rb_run *r)
{
	enum rb_status st;
	int n = 0;

	while ((st = rb_run_step(r)) == RB_RUNNING && n++ < 1000)
		now += rb_run_timeout_ms(r) > 0 ? rb_run_timeout_ms(r) : 0;
	return st;
}

int main(void)
{
	static const char text[] =
		"steps:\n  - name: set\n    action: aws\n    timeout: 10s\n"
		"    inputs: {service: autoscaling, operation: SetDesiredCapacity, input: {AutoScalingGroupName: asg-blue, DesiredCapacity: 3},\n"
		"             current: {operation: DescribeAutoScalingGroups, input: {AutoScalingGroupNames: [asg-blue]},\n"
		"                       value: '.AutoScalingGroups[0].DesiredCapacity'}, new: '3', confirm: asg-blue}\n"
		"  - name: approve\n    action: approve\n    timeout: 10s\n"
		"    inputs: {message: Go on?, token: go-on}\n";
	struct fd_error err;
	struct rb_options o = { 0 };
	struct runbook *rb = rb_load_buffer("t.yaml", text, strlen(text), &err);
	struct rb_run *r;

	strbuf_init(&out);             /* before the run prints */
	r = rb ? rb_run_new(rb, NULL, &IO, &o, &err) : NULL;
	if (!ok(r != NULL, "the runbook loads and starts")) {
		printf("# %s\n", err.message);
		return done_testing();
	}
	is_int(step(r), RB_WAITING_INPUT, "the aws step asks for its token");
	now += 60000;                  /* a minute of reading */
	rb_run_answer(r, "asg-bleu");
	is_int(step(r), RB_WAITING_INPUT, "a typo after 60 s of a 10 s step asks again: it has not timed out");
	now += 60000;
	rb_run_answer(r, "asg-blue");
	is_int(step(r), RB_WAITING_INPUT, "confirmed after 120 s, the change goes out and the approval asks");
	is_int(sets, 1, "SetDesiredCapacity was sent once");
	is_int(desired, 3, "with its value");
	now += 300000;                 /* five minutes before the approval is answered */
	rb_run_answer(r, "go-on");
	is_int(step(r), RB_DONE, "the approval answered after 300 s of a 10 s step: the run is done");
	ok(strstr(out.data, "timed out") == NULL, "nothing timed out");
	rb_run_destroy(r);
	rb_destroy(rb);
	strbuf_clean_up(&out);
	return done_testing();
}
