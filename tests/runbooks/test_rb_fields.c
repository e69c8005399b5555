/* test_rb_fields.c — the run.* template fields are one table (rb.h: rb_run_fields[]): the
 * loader accepts exactly its names and lists them when a name is wrong, and a run expands
 * every row (a fake clock and a fake client that only answers who the caller is). */
#include <stdio.h>
#include <string.h>

#include "base/strbuf.h"
#include "runbooks/rb.h"
#include "runbooks/rb_run.h"
#include "tests/tap.h"

static int64_t now_ms = 1700000000000;   /* 2023-11-14T22:13:20Z */
static struct strbuf out;

static int fake_call(void *ctx, const char *service, const char *op, const char *region, json_t *input,
		     rb_call_done_fn done, void *done_ctx, struct fd_error *err)
{
	(void)ctx; (void)service; (void)region; (void)input;
	if (strcmp(op, "GetCallerIdentity") != 0)
		return fd_error_set(err, "UnknownOperation", "no operation %s", op);
	done(done_ctx, json_pack("{s:s,s:s}", "Arn", "arn:aws:iam::123456789012:user/t", "Account", "123456789012"), NULL);
	return 0;
}

static int64_t fake_now(void *ctx)
{
	(void)ctx;
	return now_ms;
}

static void fake_print(void *ctx, const char *line)
{
	(void)ctx;
	strbuf_addf(&out, "%s\n", line);
}

static const struct rb_io IO = { .call = fake_call, .now_ms = fake_now, .print = fake_print };

/* A runbook whose one step prints text (a template). */
static struct runbook *load_print(const char *text, struct fd_error *err)
{
	struct strbuf y;
	struct runbook *rb;

	strbuf_init(&y);
	strbuf_addf(&y, "description: fields\nsteps:\n  - name: nap\n    action: sleep\n"
		    "    inputs: {duration: 1s}\n    print: '%s'\n", text);
	rb = rb_load_buffer("fields.yaml", y.data, y.len, err);
	strbuf_clean_up(&y);
	return rb;
}

int main(void)
{
	const struct rb_run_field *f;
	struct strbuf all, want;
	struct fd_error err;
	struct runbook *rb;
	struct rb_run *r;
	struct rb_options o = { .run_id = "run-1" };
	int i, n = 0;

	strbuf_init(&out);
	strbuf_init(&all);
	strbuf_init(&want);
	for (f = rb_run_fields; f->name; f++) {
		strbuf_addf(&all, "%s{{ run.%s }}", n++ ? "|" : "", f->name);
		strbuf_addf(&want, "%s%s", f == rb_run_fields ? "" : ", ", f->name);
		ok(rb_run_field_find(f->name) == f, "rb_run_field_find finds %s", f->name);
	}
	ok(n >= 5, "the table has the run fields (%d)", n);
	ok(rb_run_field_find("nope") == NULL, "and no other");

	rb = load_print("{{ run.nope }}", &err);
	ok(rb == NULL, "the loader refuses an unknown run field");
	if (!rb) {
		char msg[300];
		snprintf(msg, sizeof(msg), "unknown run field 'nope' (%s)", want.data);
		ok(strstr(err.message, msg) != NULL, "listing the table's names: %s", err.message);
	}
	rb_destroy(rb);

	rb = load_print(all.data, &err);
	ok(rb != NULL, "the loader accepts every row of the table%s%s", rb ? "" : ": ", rb ? "" : err.message);
	r = rb ? rb_run_new(rb, NULL, &IO, &o, &err) : NULL;
	ok(r != NULL, "a run starts");
	for (i = 0; r && i < 1000; i++) {
		enum rb_status st = rb_run_step(r);
		long t;
		if (st != RB_RUNNING)
			break;
		t = rb_run_timeout_ms(r);
		now_ms += t > 0 ? t : 1;
	}
	is_int(r ? (int)rb_run_status(r) : -1, RB_DONE, "it is done");
	/* the print runs at the end of the step, one second after the run started */
	ok(strstr(out.data, "\n  run-1|fields|1.0|2023-11-14T22:13:21Z|2023-11-14T22:08:21Z\n") != NULL,
	   "each field expands: id, runbook, elapsed_s, now, ago_5m");
	rb_run_destroy(r);
	rb_destroy(rb);
	strbuf_clean_up(&all);
	strbuf_clean_up(&want);
	strbuf_clean_up(&out);
	return done_testing();
}
