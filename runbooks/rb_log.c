/* rb_log.c — what a run tells: its lines to the engineer, its journal, its audit log, its
 * figures. */
#include "runbooks/rb_run_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/strbuf.h"
#include "base/termtext.h"
#include "runbooks/rb_journal.h"

/* Print one or more lines to the engineer. */
void __attribute__((format(printf, 2, 3))) rb_log_say(struct rb_run *r, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;
	char *line;

	strbuf_init(&sb);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	/* one line, whatever it holds: AWS data and runbook text never reach a
	 * terminal raw, and a newline in them never starts a line of its own */
	line = termtext_dup(sb.data, 0);
	r->io->print(r->io->ctx, line);
	free(line);
	strbuf_clean_up(&sb);
}

/* The journal's view of one section. */
static json_t *journal_steps(const struct rb_step *steps, const struct step_state *st, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:i,s:I,s:I,s:I,s:b}", "name", steps[i].name,
						   "status", st[i].status, "attempts", st[i].attempts,
						   "started_ms", (json_int_t)st[i].started_ms,
						   "ended_ms", (json_int_t)st[i].ended_ms,
						   "sent_ms", (json_int_t)st[i].sent_ms,
						   "mutation_sent", st[i].mutation_sent));
	return a;
}

/* The parameters as the journal keeps them: secret ones redacted (resume asks again). */
static json_t *journal_params(struct rb_run *r)
{
	json_t *out = json_deep_copy(r->params);
	size_t i;

	for (i = 0; i < r->rb->nparams; i++)
		if (r->rb->params[i].secret && json_object_get(out, r->rb->params[i].name))
			json_object_set_new(out, r->rb->params[i].name, json_string("<redacted>"));
	return out;
}

/* Write the journal (before and after every step); a failure is reported, not fatal. */
void rb_log_journal(struct rb_run *r)
{
	struct fd_error err;
	json_t *j, *probes;
	size_t i;

	if (!r->state_dir || r->opts.plan)
		return;
	probes = json_object();
	for (i = 0; i < r->nprobes; i++)
		json_object_set_new(probes, r->rb->steps[r->probes[i]->step].name,
				    json_pack("{s:I,s:I}", "checks", (json_int_t)r->probes[i]->checks,
					      "failures", (json_int_t)r->probes[i]->failures));
	j = json_pack("{s:i,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:I,s:I,s:I,s:O,s:O,s:o,s:o,s:o,s:s?}",
		      "version", 1, "run_id", r->run_id, "runbook", r->rb->name, "path", r->rb->path,
		      "stack", r->stack, "parameters", journal_params(r),
		      "status", rb_status_name(r->status), "phase", r->in_rollback ? "rollback" : "main",
		      "index", (json_int_t)r->idx, "started_ms", (json_int_t)r->started_ms,
		      "updated_ms", (json_int_t)rb_run_now_ms(r), "outputs", r->outputs, "measurements", r->measurements,
		      "steps", journal_steps(r->rb->steps, r->main, r->rb->nsteps),
		      "rollback", journal_steps(r->rb->rollback, r->back, r->rb->nrollback),
		      "probes", probes, "failure", r->failure);
	if (rb_journal_save(r->state_dir, r->run_id, j, &err) < 0)
		rb_log_say(r, "warning: journal not written: %s", err.message);
	json_decref(j);
}

/* Append one record to the audit log. */
void rb_log_audit(struct rb_run *r, const char *service, const char *operation, const char *region,
		  json_t *input, const char *outcome, const char *request_id)
{
	struct fd_error err;
	char when[32];
	json_t *rec;
	time_t t = (time_t)(rb_run_now_ms(r) / 1000);
	struct tm tm;

	if (!r->state_dir || r->opts.plan)
		return;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	rec = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:s?,s:s?,s:b}", "time", when, "run_id", r->run_id,
			"runbook", r->rb->name, "step", r->identity == 2 ? rb_run_cur_step(r)->name : "identity",
			"service", service, "operation", operation,
			"region", region ? region : (r->io->default_region ? r->io->default_region : ""),
			"parameters", rb_journal_redact(input, r->secrets), "outcome", outcome, "request_id", request_id,
			"caller_arn", r->caller_arn, "mutating", rb_call_is_mutating(r, service, operation));
	if (rb_journal_audit(r->state_dir, rec, &err) < 0)
		rb_log_say(r, "warning: audit log not written: %s", err.message);
	json_decref(rec);
}

/* How a figure is named in a run's last line ("RTO 14.6 s"). */
static void figure_name(const char *measure, char *out, size_t size)
{
	static const struct { const char *measure, *shown; } names[] = {
		{ "rto_s", "RTO" }, { "downtime_s", "downtime" }, { "deploy_duration_s", "deploy" },
		{ "cutover_duration_s", "cutover" },
		{ "scale_out_latency_s", "scale-out" }, { "failback_s", "failback" },
	};
	size_t i, n;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].measure, measure) == 0) {
			snprintf(out, size, "%s", names[i].shown);
			return;
		}
	snprintf(out, size, "%s", measure);
	n = strlen(out);
	if (n > 2 && strcmp(out + n - 2, "_s") == 0)
		out[n - 2] = '\0';
	for (i = 0; out[i]; i++)
		if (out[i] == '_')
			out[i] = ' ';
}

/* Record a measurement: the run's figures, the dashboard's targets. A run that has
 * changed nothing measures no change (a second dr-failover finding everything in
 * place would record an RTO of its reads): shown, never recorded. */
void rb_log_record(struct rb_run *r, const char *name, double secs)
{
	if (!r->changed) {
		rb_log_say(r, "measured %s = %.1f s: not recorded (nothing was changed: it measures no change)", name, secs);
		return;
	}
	json_object_set_new(r->measurements, name, json_real(secs));
	rb_log_say(r, "measured %s = %.1f s", name, secs);
	if (r->io->measure)
		r->io->measure(r->io->ctx, name, secs, r->rb->name, r->run_id, r->stack);
}

/* ", RTO 14.6 s, downtime 0.0 s": the figures this run measured, for its last line. */
void rb_log_figures(struct rb_run *r, struct strbuf *sb)
{
	const char *k;
	json_t *v;

	json_object_foreach(r->measurements, k, v) {
		char name[64];
		figure_name(k, name, sizeof(name));
		strbuf_addf(sb, ", %s %.1f s", name, json_number_value(v));
	}
}
