/* test_rb_run.c — the engine with a fake AWS client and a fake clock: outputs,
 * on_failure, max_attempts, timeouts, branch, rollback, confirmations,
 * read-only, plan, journal + resume without repeating a mutation, locks, audit. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "runbooks/rb.h"
#include "runbooks/rb_journal.h"
#include "runbooks/rb_run.h"
#include "runbooks/rb_runs.h"
#include "tests/tap.h"

/* ---- the fake world: one ASG's desired capacity, a flaky operation ---- */

struct fake {
	int64_t now;
	long desired;
	int flaky_failures;      /* DescribeAlarms fails (InternalFailure) this many more times */
	int throttled;           /* DescribeAlarms is throttled this many more times */
	struct strbuf calls;     /* "service Operation input\n" per call */
	struct strbuf out;       /* printed lines */
	bool defer;              /* keep the next mutating call's completion */
	rb_call_done_fn held_done;
	void *held_ctx;
};

static bool fake_mutating(void *ctx, const char *service, const char *op)
{
	(void)ctx; (void)service;
	return strncmp(op, "Set", 3) == 0 || strncmp(op, "Modify", 6) == 0 || strncmp(op, "Update", 6) == 0;
}

static int fake_call(void *ctx, const char *service, const char *op, const char *region, json_t *input,
		     rb_call_done_fn done, void *done_ctx, struct fd_error *err)
{
	struct fake *f = ctx;
	char *in = json_dumps(input, JSON_COMPACT | JSON_SORT_KEYS);
	json_t *res = NULL;
	struct fd_error e;

	(void)region;
	strbuf_addf(&f->calls, "%s %s %s\n", service, op, in);
	free(in);
	fd_error_clear(&e);
	if (strcmp(op, "GetCallerIdentity") == 0)
		res = json_pack("{s:s,s:s}", "Arn", "arn:aws:iam::123456789012:user/oncall", "Account", "123456789012");
	else if (strcmp(op, "DescribeAutoScalingGroups") == 0)
		res = json_pack("{s:[{s:s,s:I,s:I}],s:{s:s}}", "AutoScalingGroups", "AutoScalingGroupName", "asg-blue",
				"DesiredCapacity", (json_int_t)f->desired, "InService", (json_int_t)f->desired,
				"ResponseMetadata", "RequestId", "req-describe");
	else if (strcmp(op, "SetDesiredCapacity") == 0) {
		f->desired = (long)json_integer_value(json_object_get(input, "DesiredCapacity"));
		res = json_pack("{s:{s:s}}", "ResponseMetadata", "RequestId", "req-set");
		if (f->defer) {
			f->defer = false;
			f->held_done = done;
			f->held_ctx = done_ctx;
			json_decref(res);
			return 0;
		}
	} else if (strcmp(op, "DescribeAlarms") == 0) {
		if (f->throttled > 0) {
			f->throttled--;
			fd_error_set(&e, "Throttling", "Rate exceeded");
			e.transient = 1;
		} else if (f->flaky_failures > 0) {
			f->flaky_failures--;
			fd_error_set(&e, "InternalFailure", "try later");
		} else
			res = json_pack("{s:b}", "Ok", 1);
	} else if (strcmp(op, "DescribeDBInstances") == 0) {
		fd_error_set(&e, "ValidationError", "it is broken");
		snprintf(e.request_id, sizeof(e.request_id), "req-broken");
	} else {
		return fd_error_set(err, "UnknownOperation", "no operation %s %s", service, op);
	}
	done(done_ctx, res, res ? NULL : &e);
	return 0;
}

static int64_t fake_now(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

static void fake_print(void *ctx, const char *line)
{
	strbuf_addf(&((struct fake *)ctx)->out, "%s\n", line);
}

static struct fake F;
static const struct rb_io IO = {
	.ctx = &F, .call = fake_call, .is_mutating = fake_mutating, .now_ms = fake_now, .print = fake_print,
	.default_region = "ap-northeast-2",
};

static void fake_reset(long desired)
{
	strbuf_clean_up(&F.calls);
	strbuf_clean_up(&F.out);
	memset(&F, 0, sizeof(F));
	strbuf_init(&F.calls);
	strbuf_init(&F.out);
	F.now = 1700000000000;
	F.desired = desired;
}

/* Run r to its end, answering prompts from answers (then ""), moving the fake clock. */
static enum rb_status drive(struct rb_run *r, const char *const *answers)
{
	int i;

	for (i = 0; i < 100000; i++) {
		enum rb_status st = rb_run_step(r);
		long t;
		if (st == RB_WAITING_INPUT) {
			rb_run_answer(r, answers && *answers ? *answers++ : "");
			continue;
		}
		if (st != RB_RUNNING || F.held_done)
			return st;
		t = rb_run_timeout_ms(r);
		if (t < 0)
			return RB_RUNNING;   /* stuck: waits for a call that never completes */
		F.now += t;
	}
	return RB_RUNNING;
}

/* The pid of a process that has ended. */
static pid_t dead_pid(void)
{
	pid_t p = fork();

	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
	return p;
}

static struct runbook *load(const char *text)
{
	struct fd_error err;
	struct runbook *rb = rb_load_buffer("t.yaml", text, strlen(text), &err);

	if (!rb)
		printf("# load failed: %s\n", err.message);
	return rb;
}

/* rb_run_question's line(): one line into a strbuf. */
static void question_line(void *ctx, const char *text)
{
	strbuf_addf(ctx, "%s\n", text);
}

/* How many lines of the call log contain s. */
static int count(const char *log, const char *s)
{
	int n = 0;
	const char *p = log;

	while ((p = strstr(p, s)) != NULL) {
		n++;
		p += strlen(s);
	}
	return n;
}

static const char scale_rb[] =
	"description: scale\n"
	"parameters:\n"
	"  asg: {type: string, default: asg-blue}\n"
	"  desired: {type: integer, default: 4}\n"
	"steps:\n"
	"  - name: read\n"
	"    action: aws\n"
	"    inputs: {service: autoscaling, operation: DescribeAutoScalingGroups,\n"
	"             input: {AutoScalingGroupNames: ['{{ parameters.asg }}']}}\n"
	"    outputs: {Desired: '.AutoScalingGroups[0].DesiredCapacity'}\n"
	"  - name: set\n"
	"    action: aws\n"
	"    inputs:\n"
	"      service: autoscaling\n"
	"      operation: SetDesiredCapacity\n"
	"      input: {AutoScalingGroupName: '{{ parameters.asg }}', DesiredCapacity: '{{ parameters.desired }}',\n"
	"              Password: hunter2}\n"
	"      current:\n"
	"        operation: DescribeAutoScalingGroups\n"
	"        input: {AutoScalingGroupNames: ['{{ parameters.asg }}']}\n"
	"        value: '.AutoScalingGroups[0].DesiredCapacity'\n"
	"      new: '{{ parameters.desired }}'\n"
	"      confirm: '{{ parameters.asg }}'\n"
	"  - name: wait\n"
	"    action: wait\n"
	"    timeout: 10s\n"
	"    inputs: {service: autoscaling, operation: DescribeAutoScalingGroups,\n"
	"             input: {AutoScalingGroupNames: ['{{ parameters.asg }}']},\n"
	"             until: '.AutoScalingGroups[0].InService == $parameters.desired', interval: 2s}\n"
	"    measure: scale_out_latency_s\n"
	"    measure_from: set\n"
	"    print: 'was {{ read.Desired }}, now {{ parameters.desired }}'\n";

static void test_scale(void)
{
	struct rb_options o = { .yes = true };
	struct fd_error err;
	struct runbook *rb = load(scale_rb);
	struct rb_run *r;
	const char *ans[] = { NULL };

	fake_reset(2);
	r = rb_run_new(rb, NULL, &IO, &o, &err);
	ok(r != NULL, "a run starts");
	is_int(drive(r, ans), RB_DONE, "scale: done");
	is_int(F.desired, 4, "the fake ASG now wants 4");
	is_int(count(F.calls.data, "SetDesiredCapacity"), 1, "one mutating call");
	ok(strstr(F.out.data, "    change:     2 -> 4\n") != NULL, "the confirmation shows current -> new");
	ok(strstr(F.out.data, "    account:    123456789012 (arn:aws:iam::123456789012:user/oncall)\n") != NULL,
	   "and the account");
	ok(strstr(F.out.data, "    region:     ap-northeast-2\n") != NULL, "and the region");
	ok(strstr(F.out.data, "    control plane: no") != NULL, "and that it is not a control-plane call");
	ok(strstr(F.out.data, "\"Password\":\"<redacted>\"") != NULL, "secrets are redacted in what is shown");
	ok(strstr(F.out.data, "confirmed by --yes (token asg-blue)") != NULL, "--yes answers, and says so");
	ok(strstr(F.out.data, "  was 2, now 4\n") != NULL, "print expands outputs and parameters");
	ok(strstr(F.out.data, "measured scale_out_latency_s = 0.0 s") != NULL, "a measurement is recorded");
	is_int(rb_run_exit_code(r), 0, "exit 0");
	rb_run_destroy(r);

	/* Already at the wanted capacity: nothing is sent. */
	fake_reset(4);
	r = rb_run_new(rb, NULL, &IO, &o, &err);
	is_int(drive(r, ans), RB_DONE, "scale to the current capacity: done");
	is_int(count(F.calls.data, "SetDesiredCapacity"), 0, "and nothing mutating was sent");
	ok(strstr(F.out.data, "already in place (4): nothing sent") != NULL, "it says the change is in place");
	rb_run_destroy(r);

	/* A typed confirmation: three wrong tokens send nothing. */
	o.yes = false;
	fake_reset(2);
	{
		const char *wrong[] = { "yes", "asg", "asg-bleu", NULL };
		r = rb_run_new(rb, NULL, &IO, &o, &err);
		is_int(drive(r, wrong), RB_FAILED, "three wrong tokens fail the run");
		is_int(count(F.calls.data, "SetDesiredCapacity"), 0, "and send nothing");
		ok(strstr(F.out.data, "FAILED: 3 answers and none was 'asg-blue' (the last was 'asg-bleu'): nothing sent") != NULL,
		   "and say why");
		is_int(rb_run_exit_code(r), 1, "exit 1");
		rb_run_destroy(r);
	}
	/* A typo asks again, with the expected word shown again. */
	fake_reset(2);
	{
		r = rb_run_new(rb, NULL, &IO, &o, &err);
		while (rb_run_step(r) == RB_RUNNING)
			;
		is_str(rb_run_prompt(r), "type asg-blue to send it (anything else sends nothing)", "the first prompt");
		{
			/* the question's lines are the block the run printed last, line for line */
			struct strbuf q;
			const char *printed = strstr(F.out.data, "  about to call autoscaling SetDesiredCapacity");
			strbuf_init(&q);
			rb_run_question(r, question_line, &q);
			ok(q.len > 0 && printed && strcmp(printed, q.data) == 0,
			   "rb_run_question gives the confirmation block the run printed");
			ok(strstr(q.data, "    change:     2 -> 4\n") != NULL, "with current -> new");
			strbuf_clean_up(&q);
		}
		rb_run_answer(r, "asg-bleu");
		is_int(rb_run_step(r), RB_WAITING_INPUT, "a wrong answer asks again rather than failing");
		is_str(rb_run_prompt(r), "'asg-bleu' is not 'asg-blue'; type asg-blue to send it (anything else sends nothing) (try 2 of 3)",
		       "naming the expected word again");
		is_int(count(F.calls.data, "SetDesiredCapacity"), 0, "nothing sent yet");
		rb_run_answer(r, "asg-blue");
		is_int(drive(r, NULL), RB_DONE, "the right word on the second try sends the change");
		is_int(count(F.calls.data, "SetDesiredCapacity"), 1, "once");
		rb_run_destroy(r);
	}
	/* End of input is no answer: nothing sent, no second try. */
	fake_reset(2);
	{
		r = rb_run_new(rb, NULL, &IO, &o, &err);
		while (rb_run_step(r) == RB_RUNNING)
			;
		rb_run_answer(r, NULL);
		is_int(drive(r, NULL), RB_FAILED, "end of input fails the step at once");
		ok(strstr(F.out.data, "FAILED: no answer (end of input), not 'asg-blue': nothing sent") != NULL, "and says so");
		is_int(count(F.calls.data, "SetDesiredCapacity"), 0, "nothing sent");
		rb_run_destroy(r);
	}
	/* No terminal to type on: refused unless --yes, and the message says so. */
	fake_reset(2);
	o.no_terminal = true;
	r = rb_run_new(rb, NULL, &IO, &o, &err);
	is_int(drive(r, NULL), RB_FAILED, "no terminal: the mutating step is refused");
	is_int(count(F.calls.data, "SetDesiredCapacity"), 0, "no terminal: nothing sent");
	ok(strstr(F.out.data, "FAILED: a typed confirmation (asg-blue) is needed, but stdin is not a terminal: "
		  "nothing sent; run it in a terminal, or give --yes") != NULL, "no terminal: the error names --yes");
	rb_run_destroy(r);
	o.yes = true;
	fake_reset(2);
	r = rb_run_new(rb, NULL, &IO, &o, &err);
	is_int(drive(r, NULL), RB_DONE, "no terminal with --yes: done");
	is_int(count(F.calls.data, "SetDesiredCapacity"), 1, "no terminal with --yes: sent once");
	rb_run_destroy(r);
	o.yes = false;
	o.no_terminal = false;
	fake_reset(2);
	{
		const char *right[] = { "asg-blue", NULL };
		r = rb_run_new(rb, NULL, &IO, &o, &err);
		rb_run_step(r);
		is_str(rb_run_prompt(r), "type asg-blue to send it (anything else sends nothing)", "the prompt names the token");
		is_int(drive(r, right), RB_DONE, "the right token sends the change");
		is_int(count(F.calls.data, "SetDesiredCapacity"), 1, "once");
		rb_run_destroy(r);
	}

	/* Read-only: reads happen, the mutating call is refused. */
	fake_reset(2);
	o.read_only = true;
	r = rb_run_new(rb, NULL, &IO, &o, &err);
	is_int(drive(r, ans), RB_FAILED, "read-only: the run fails");
	is_int(count(F.calls.data, "SetDesiredCapacity"), 0, "read-only: no mutating call");
	ok(count(F.calls.data, "DescribeAutoScalingGroups") >= 2, "read-only: reads still happen");
	ok(strstr(F.out.data, "FAILED: read-only mode: refusing the mutating call autoscaling SetDesiredCapacity; nothing sent") != NULL,
	   "read-only: a clear message");
	rb_run_destroy(r);
	o.read_only = false;

	/* Plan: current -> new shown, nothing sent. */
	fake_reset(2);
	o.plan = true;
	r = rb_run_new(rb, NULL, &IO, &o, &err);
	is_int(drive(r, ans), RB_PLANNED, "plan completes");
	is_int(count(F.calls.data, "SetDesiredCapacity"), 0, "plan sends no mutating call");
	ok(strstr(F.out.data, "  would call autoscaling SetDesiredCapacity (mutating)\n") != NULL, "plan prints the call");
	ok(strstr(F.out.data, "    change:     2 -> 4\n") != NULL, "plan prints current -> new");
	rb_run_destroy(r);
	o.plan = false;

	/* Parameters are typed. */
	{
		json_t *p = json_pack("{s:s}", "desired", "many");
		r = rb_run_new(rb, p, &IO, &o, &err);
		ok(r == NULL, "a mistyped parameter is refused");
		is_str(err.message, "parameter desired: 'many' is not an integer", "with a clear message");
		json_decref(p);
		p = json_pack("{s:s}", "colour", "red");
		r = rb_run_new(rb, p, &IO, &o, &err);
		ok(r == NULL, "an unknown parameter is refused");
		is_str(err.message, "runbook t has no parameter 'colour'", "with a clear message");
		json_decref(p);
	}
	rb_destroy(rb);
}

static const char flow_rb[] =
	"description: flow\n"
	"steps:\n"
	"  - name: flaky\n"
	"    action: aws\n"
	"    max_attempts: 3\n"
	"    inputs: {service: cloudwatch, operation: DescribeAlarms}\n"
	"    outputs: {Ok: .Ok}\n"
	"  - name: broken\n"
	"    action: aws\n"
	"    on_failure: continue\n"
	"    inputs: {service: rds, operation: DescribeDBInstances}\n"
	"  - name: choose\n"
	"    action: branch\n"
	"    inputs: {value: '{{ flaky.Ok }}', condition: '. == true', then: jumped, else: skipped}\n"
	"  - name: skipped\n"
	"    action: sleep\n"
	"    inputs: {duration: 1s}\n"
	"  - name: jumped\n"
	"    action: assert\n"
	"    on_failure: step:last\n"
	"    inputs: {value: 3, condition: '. > 5', message: three is not more than five}\n"
	"  - name: never\n"
	"    action: sleep\n"
	"    inputs: {duration: 1s}\n"
	"  - name: last\n"
	"    action: wait\n"
	"    timeout: 10s\n"
	"    inputs: {service: cloudwatch, operation: DescribeAlarms, until: '.Ok == false', interval: 2s}\n"
	"rollback:\n"
	"  - name: undo\n"
	"    action: sleep\n"
	"    inputs: {duration: 1s}\n"
	"    print: 'undone after {{ flaky.Ok }}'\n";

static void test_flow(void)
{
	struct rb_options o = { 0 };
	struct fd_error err;
	struct runbook *rb = load(flow_rb);
	struct rb_run *r;
	struct rb_step_info info;

	fake_reset(1);
	F.flaky_failures = 2;
	r = rb_run_new(rb, NULL, &IO, &o, &err);
	is_int(drive(r, NULL), RB_FAILED, "flow: the timeout aborts the run");
	rb_run_step_info(r, false, 0, &info);
	is_int(info.attempts, 3, "max_attempts: the flaky call succeeded on the third attempt");
	is_str(info.status, "done", "and the step is done");
	rb_run_step_info(r, false, 1, &info);
	is_str(info.status, "failed", "on_failure continue: the broken step failed");
	ok(strstr(F.out.data, "FAILED: rds DescribeDBInstances: ValidationError: it is broken request id req-broken") != NULL,
	   "a failing call shows code, message and request id");
	ok(strstr(F.out.data, "condition . == true is true -> jumped") != NULL, "branch: took then");
	rb_run_step_info(r, false, 3, &info);
	is_str(info.status, "pending", "branch: the skipped step did not run");
	rb_run_step_info(r, false, 4, &info);
	is_str(info.status, "failed", "assert failed");
	ok(strstr(F.out.data, "FAILED: assertion failed: three is not more than five") != NULL, "with its message");
	rb_run_step_info(r, false, 5, &info);
	is_str(info.status, "pending", "on_failure step:last jumped over 'never'");
	rb_run_step_info(r, false, 6, &info);
	is_str(info.status, "failed", "the wait timed out");
	ok(strstr(F.out.data, "FAILED: timed out after 10.0 s") != NULL, "and says so");
	is_int(count(F.calls.data, "DescribeAlarms"), 3 + 5, "the wait polled every 2 s until its 10 s timeout (5 polls)");
	ok(strstr(F.out.data, "== nothing was changed: no rollback ==") != NULL, "no rollback of a change never made");
	ok(strstr(F.out.data, "runbook t: FAILED (step last: timed out after 10.0 s); nothing was changed (run ") != NULL,
	   "the last line says failed and that nothing was changed");
	is_int(rb_run_exit_code(r), 1, "exit 1");
	rb_run_destroy(r);
	rb_destroy(rb);
}

/* The text of a file (caller frees). */
static char *slurp(const char *path)
{
	struct strbuf sb;
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	strbuf_init(&sb);
	if (f) {
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			strbuf_add(&sb, buf, n);
		fclose(f);
	}
	return strbuf_detach(&sb, NULL);
}

static void test_journal(void)
{
	char dir[] = "/tmp/rbtestXXXXXX";
	struct rb_options o = { .yes = true, .run_id = "run-1" };
	struct fd_error err;
	struct runbook *rb = load(scale_rb);
	struct rb_run *r, *r2;
	struct strbuf path;
	struct stat st;
	json_t *j;
	char *audit, *lock;

	if (!mkdtemp(dir))
		return;
	o.state_dir = dir;
	fake_reset(2);
	F.defer = true;
	r = rb_run_new(rb, NULL, &IO, &o, &err);
	is_int(drive(r, NULL), RB_RUNNING, "journal: the run stops while the mutating call is in flight");
	r2 = rb_run_new(rb, NULL, &IO, &o, &err);
	ok(r2 == NULL, "a second run of the same runbook on the same stack is refused");
	ok(strstr(err.message, "runbook t on stack default is being run by run run-1 on host ") != NULL &&
	   strstr(err.message, "(pid ") != NULL, "naming the holder");
	/* The process dies: nothing more is written; the lock stays. */
	strbuf_init(&path);
	strbuf_addf(&path, "%s/locks/t@default.lock", dir);
	lock = slurp(path.data);
	rb_run_destroy(r);
	F.held_done(F.held_ctx, NULL, NULL);   /* the abandoned completion is dropped */
	{
		/* as a SIGKILL would leave it: this host and boot, a pid that is gone */
		json_t *held = json_loads(lock, 0, NULL);
		FILE *f = fopen(path.data, "w");
		ok(held && json_string_value(json_object_get(held, "host")) && json_string_value(json_object_get(held, "boot_id")) &&
		   json_string_value(json_object_get(held, "operator")) && json_string_value(json_object_get(held, "started")) &&
		   json_integer_value(json_object_get(held, "pid")) == getpid(),
		   "the lock names host, boot, pid, start time and operator");
		json_object_set_new(held, "pid", json_integer(dead_pid()));
		json_dumpf(held, f, 0);
		fclose(f);
		json_decref(held);
	}
	free(lock);
	j = rb_journal_load(dir, "run-1", &err);
	ok(j != NULL, "the journal is readable");
	is_str(json_string_value(json_object_get(j, "status")), "running", "journal: status running");
	is_int(json_integer_value(json_object_get(j, "index")), 1, "journal: at step 2");
	ok(json_is_true(json_object_get(json_array_get(json_object_get(j, "steps"), 1), "mutation_sent")),
	   "journal: the mutation was marked sent before it went out");
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/runs/run-1.json", dir);
	ok(stat(path.data, &st) == 0 && (st.st_mode & 0777) == 0600, "the journal is 0600");
	{
		char *id = rb_runs_last_unfinished(dir, &err);
		is_str(id, "run-1", "the last unfinished run is found");
		free(id);
	}
	strbuf_reset(&F.out);
	r = rb_run_resume(rb, j, NULL, &IO, &o, &err);
	ok(r != NULL, "resume takes over the stale lock%s%s", r ? "" : ": ", r ? "" : err.message);
	is_int(drive(r, NULL), RB_DONE, "the resumed run finishes");
	is_int(count(F.calls.data, "SetDesiredCapacity"), 1, "the mutation was sent once in all");
	ok(strstr(F.out.data, "re-reading the state first") != NULL, "resume says it re-reads state");
	ok(strstr(F.out.data, "already in place (4): nothing sent") != NULL, "and finds the change in place");
	rb_run_destroy(r);
	json_decref(j);
	j = rb_journal_load(dir, "run-1", &err);
	is_str(json_string_value(json_object_get(j, "status")), "done", "journal: done at the end");
	json_decref(j);
	r = rb_run_resume(rb, j = rb_journal_load(dir, "run-1", &err), NULL, &IO, &o, &err);
	ok(r == NULL, "a finished run cannot be resumed");
	is_str(err.message, "run run-1 already ended: done", "and says so");
	json_decref(j);

	strbuf_reset(&path);
	strbuf_addf(&path, "%s/audit.jsonl", dir);
	ok(stat(path.data, &st) == 0 && (st.st_mode & 0777) == 0600, "the audit log is 0600");
	audit = slurp(path.data);
	ok(strstr(audit, "\"operation\":\"SetDesiredCapacity\"") && strstr(audit, "\"outcome\":\"interrupted: sent, then found in place on resume\"") != NULL,
	   "the audit log records the interrupted mutating call and what resume found");
	ok(strstr(audit, "\"request_id\":\"req-describe\"") != NULL, "with request ids");
	ok(strstr(audit, "\"caller_arn\":\"arn:aws:iam::123456789012:user/oncall\"") != NULL, "with the caller ARN");
	ok(strstr(audit, "\"Password\":\"<redacted>\"") != NULL && !strstr(audit, "hunter2"), "secrets redacted");
	ok(strstr(audit, "\"run_id\":\"run-1\"") != NULL && strstr(audit, "\"runbook\":\"t\"") != NULL &&
	   strstr(audit, "\"step\":\"set\"") != NULL && strstr(audit, "\"region\":\"ap-northeast-2\"") != NULL &&
	   strstr(audit, "\"outcome\":\"ok\"") != NULL && strstr(audit, "\"time\":\"2023-11-14T22:13:20Z\"") != NULL,
	   "with time, run id, runbook, step, region and outcome");
	free(audit);
	strbuf_clean_up(&path);
	rb_destroy(rb);
	{
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (getenv("KEEP") == NULL && system(cmd) != 0)
			printf("# could not remove %s\n", dir);
	}
}

static const char blind_rb[] =
	"description: a change without a current read\n"
	"parameters:\n"
	"  token: {type: string, secret: true}\n"
	"steps:\n"
	"  - name: set\n"
	"    action: aws\n"
	"    inputs: {service: autoscaling, operation: SetDesiredCapacity, confirm: asg-blue,\n"
	"             input: {AutoScalingGroupName: asg-blue, DesiredCapacity: 5, ClientToken: '{{ parameters.token }}'}}\n";

/* resume --yes does not re-send a step whose outcome is unknown; secret
 * parameters stay out of the journal and the audit log. */
static void test_resume_unknown(void)
{
	char dir[] = "/tmp/rbtestXXXXXX";
	struct rb_options o = { .yes = true, .run_id = "run-2" };
	struct fd_error err;
	struct runbook *rb = load(blind_rb);
	json_t *params = json_pack("{s:s}", "token", "s3cr3t-t0ken"), *j;
	struct strbuf path;
	struct rb_run *r;
	char *text;

	if (!mkdtemp(dir))
		return;
	o.state_dir = dir;
	fake_reset(2);
	F.defer = true;
	r = rb_run_new(rb, params, &IO, &o, &err);
	is_int(drive(r, NULL), RB_RUNNING, "blind: the mutating call is in flight when the run stops");
	rb_run_destroy(r);
	F.held_done(F.held_ctx, NULL, NULL);
	strbuf_init(&path);
	strbuf_addf(&path, "%s/runs/run-2.json", dir);
	text = slurp(path.data);
	ok(strstr(text, "s3cr3t-t0ken") == NULL && strstr(text, "\"token\": \"<redacted>\"") != NULL,
	   "a secret parameter is redacted in the journal");
	free(text);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/audit.jsonl", dir);
	text = slurp(path.data);
	ok(strstr(text, "s3cr3t-t0ken") == NULL, "and in the audit log, whatever key it is passed as");
	free(text);

	j = rb_journal_load(dir, "run-2", &err);
	r = rb_run_resume(rb, j, NULL, &IO, &o, &err);
	ok(r == NULL, "resume without the secret parameter is refused");
	is_str(err.message, "parameter token is secret and the journal does not keep it: give it again (-p token=VALUE)",
	       "and says how to give it");
	strbuf_reset(&F.out);
	r = rb_run_resume(rb, j, params, &IO, &o, &err);
	ok(r != NULL, "resume --yes with the secret given again starts");
	{
		struct strbuf q;
		int n = 0;
		while (rb_run_step(r) == RB_RUNNING && n++ < 1000)
			;
		strbuf_init(&q);
		rb_run_question(r, question_line, &q);
		ok(strstr(q.data, "may already have been sent before the interruption") && !strstr(q.data, "s3cr3t") &&
		   strstr(q.data, "  about to call autoscaling SetDesiredCapacity"),
		   "the question says why resume asks, with the block, the secret redacted");
		strbuf_clean_up(&q);
	}
	is_int(drive(r, NULL), RB_FAILED, "an unanswered question ends it");
	is_int(count(F.calls.data, "SetDesiredCapacity"), 1, "resume --yes did not send the change a second time");
	ok(strstr(F.out.data, "may already have been sent before the interruption") != NULL &&
	   strstr(F.out.data, "--yes does not answer this") != NULL, "it stops and asks, saying why");
	ok(strstr(F.out.data, "\"ClientToken\":\"<redacted>\"") != NULL && !strstr(F.out.data, "s3cr3t"),
	   "the confirmation shows the secret redacted");
	rb_run_destroy(r);

	/* the same interruption again (the journal as it was), with no terminal */
	o.no_terminal = true;
	strbuf_reset(&F.out);
	r = rb_run_resume(rb, j, params, &IO, &o, &err);
	ok(r != NULL, "resume again%s%s", r ? "" : ": ", r ? "" : err.message);
	if (!r)
		return;
	is_int(drive(r, NULL), RB_STOPPED, "without a terminal, resume --yes stops at that step, unfinished");
	is_int(count(F.calls.data, "SetDesiredCapacity"), 1, "and sends nothing");
	ok(strstr(F.out.data, "resume it in a terminal (--yes does not answer this one)") != NULL, "saying --yes does not answer it");
	rb_run_destroy(r);
	{
		/* stopped, not failed: the journal still resumes, and asks again */
		json_t *again = rb_journal_load(dir, "run-2", &err);
		is_str(json_string_value(json_object_get(again, "status")), "running", "the journal stays resumable");
		r = again ? rb_run_resume(rb, again, params, &IO, &o, &err) : NULL;
		ok(r != NULL, "and resumes");
		is_int(r ? (int)drive(r, NULL) : -1, RB_STOPPED, "and stops at the same step again");
		is_int(count(F.calls.data, "SetDesiredCapacity"), 1, "sending nothing");
		rb_run_destroy(r);
		json_decref(again);
	}
	json_decref(j);
	json_decref(params);
	strbuf_clean_up(&path);
	rb_destroy(rb);
	{
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
	}
}

static const char loop_rb[] =
	"description: a bounded loop\n"
	"steps:\n"
	"  - name: check\n"
	"    action: aws\n"
	"    max_attempts: 3\n"
	"    inputs: {service: cloudwatch, operation: DescribeAlarms}\n"
	"  - name: fix\n"
	"    action: assert\n"
	"    on_failure: step:check\n"
	"    inputs: {value: 1, condition: '. > 5'}\n";

/* A loop through on_failure ends when its max_attempts step has run that often. */
static void test_loop_bound(void)
{
	struct rb_options o = { 0 };
	struct fd_error err;
	struct runbook *rb = load(loop_rb);
	struct rb_run *r;

	fake_reset(1);
	r = rb_run_new(rb, NULL, &IO, &o, &err);
	is_int(drive(r, NULL), RB_FAILED, "loop: the run ends, failed");
	is_int(count(F.calls.data, "DescribeAlarms"), 3, "loop: the bounded step ran max_attempts (3) times in all");
	ok(strstr(F.out.data, "FAILED: step check already ran 3 times (max_attempts): the loop stops here") != NULL,
	   "loop: and says why");
	rb_run_destroy(r);
	rb_destroy(rb);
}

/* An interval that templating made too short or not a duration fails the
 * step: the wait never spins. */
static void test_interval_templated(void)
{
	static const char text[] =
		"parameters:\n  every: {type: string, default: 2s}\n"
		"steps:\n"
		"  - name: w\n"
		"    action: wait\n"
		"    timeout: 10s\n"
		"    inputs: {service: cloudwatch, operation: DescribeAlarms, until: '.Ok == false', interval: '{{ parameters.every }}'}\n";
	static const char *const bad[] = { "100ms", "soon", "0" };
	struct rb_options o = { 0 };
	struct fd_error err;
	struct runbook *rb = load(text);
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *p = json_pack("{s:s}", "every", bad[i]);
		struct rb_run *r;
		fake_reset(1);
		r = rb_run_new(rb, p, &IO, &o, &err);
		is_int(drive(r, NULL), RB_FAILED, "interval '%s' after templating: the step fails", bad[i]);
		is_int(count(F.calls.data, "DescribeAlarms"), 0, "interval '%s': no poll was sent", bad[i]);
		ok(strstr(F.out.data, "is not a duration of at least 1.0 s") != NULL, "interval '%s': says why", bad[i]);
		rb_run_destroy(r);
		json_decref(p);
	}
	rb_destroy(rb);
}

/* An approve step's question is its message, as the run printed it, control characters made safe. */
static void test_approve_question(void)
{
	static const char text[] =
		"parameters:\n  db: {type: string, default: \"petclinic-db\\e[2J\"}\n"
		"steps:\n  - name: ok\n    action: approve\n"
		"    inputs: {message: \"Replicate {{ parameters.db }} back first. Fail back?\", token: failback}\n";
	struct runbook *rb = load(text);
	struct rb_options o = { 0 };
	struct fd_error err;
	struct rb_run *r;
	struct strbuf q;
	int n = 0;

	fake_reset(2);
	r = rb ? rb_run_new(rb, NULL, &IO, &o, &err) : NULL;
	ok(r != NULL, "an approve runbook starts");
	if (!r) {
		rb_destroy(rb);
		return;
	}
	while (rb_run_step(r) == RB_RUNNING && n++ < 1000)
		;
	strbuf_init(&q);
	rb_run_question(r, question_line, &q);
	is_str(q.data, "  Replicate petclinic-db\\x1b[2J back first. Fail back?\n", "the approve question is its message, made safe");
	ok(strstr(F.out.data, q.data) != NULL, "as the run printed it");
	is_str(rb_run_prompt(r), "type failback to go on (anything else stops)", "with its prompt");
	strbuf_clean_up(&q);
	rb_run_answer(r, "failback");
	is_int(drive(r, NULL), RB_DONE, "the token goes on");
	strbuf_init(&q);
	rb_run_question(r, question_line, &q);
	is_int(q.len, 0, "no question once answered");
	strbuf_clean_up(&q);
	rb_run_destroy(r);
	rb_destroy(rb);
}

int main(void)
{
	strbuf_init(&F.calls);
	strbuf_init(&F.out);
	test_scale();
	test_flow();
	test_journal();
	test_resume_unknown();
	test_loop_bound();
	test_interval_templated();
	test_approve_question();
	ok(rb_control_plane("route53", "ChangeResourceRecordSets") != NULL &&
	   strstr(rb_control_plane("route53", "ChangeResourceRecordSets"), "us-east-1"), "Route 53 changes are us-east-1 control plane");
	ok(rb_control_plane("elbv2", "ModifyListener") == NULL, "ModifyListener is not");
	strbuf_clean_up(&F.calls);
	strbuf_clean_up(&F.out);
	return done_testing();
}
