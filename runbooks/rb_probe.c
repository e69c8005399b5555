/* rb_probe.c — the probe action: a baseline or smoke test, then HTTP checks while the steps it
 * watches run, measuring downtime and breaching the run above max_failed. */
#include "runbooks/rb_run_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/http.h"
#include "base/xalloc.h"

bool rb_probe_url_ok(const char *url)
{
	const char *host;

	if (!url)
		return false;
	if (strncasecmp(url, "http://", 7) == 0)
		host = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		host = url + 8;
	else
		return false;
	return *host && *host != '/' && !strpbrk(url, " \t\r\n");
}

/* Whether the probe is making its first checks (a baseline or a smoke test) in its own step. */
static bool probe_first(const struct probe *p)
{
	return p->first_left > 0;
}

/* Whether the step running now is one the probe watches. */
bool rb_probe_active(const struct rb_run *r, const struct probe *p)
{
	const struct rb_step *st;
	size_t i;
	json_t *v;

	if (rb_run_finished(r) || r->identity != 2 || !p->during)
		return false;
	if (probe_first(p))
		return true;
	st = rb_run_cur_step(r);
	json_array_foreach(p->during, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), st->name) == 0)
			return true;
	return false;
}

/* Whether every step the probe watches has finished (or the run has). */
static bool probe_over(const struct rb_run *r, const struct probe *p)
{
	size_t i;
	json_t *v;

	if (rb_run_finished(r))
		return true;
	if (!p->during)
		return !probe_first(p);
	json_array_foreach(p->during, i, v) {
		int k = rb_step_index(r->rb, json_string_value(v), false);
		const struct step_state *s = k >= 0 ? &r->main[k] : NULL;
		if (k < 0) {
			k = rb_step_index(r->rb, json_string_value(v), true);
			s = k >= 0 ? &r->back[k] : NULL;
		}
		if (s && (strcmp(s->status, "pending") == 0 || strcmp(s->status, "running") == 0))
			return false;
	}
	return true;
}

/* The downtime a probe measured: its down checks times its interval. */
static double probe_downtime_s(const struct probe *p)
{
	return (double)(p->down_checks * p->interval_ms) / 1000.0;
}

/* Count one watched check towards downtime. Downtime is the URL not serving: a check that
 * got no answer or the load balancer's 502/503/504, and every failed check of two or more
 * in a row. One error answer between two successes (a 500 of the application's usual
 * error rate) is a failure, judged by max_failed, but not downtime. */
static void probe_count_down(struct probe *p, bool good, long status)
{
	bool unavailable = status == 0 || status == 502 || status == 503 || status == 504;

	if (good) {
		p->fail_run = 0;
		p->isolated = false;
		return;
	}
	if (unavailable || p->fail_run > 0) {
		p->down_checks += 1 + p->isolated;
		p->isolated = false;
	} else {
		p->isolated = true;
	}
	p->fail_run++;
}

/* Mirror a probe's counters into its step's outputs. */
static void probe_outputs(struct rb_run *r, struct probe *p)
{
	json_object_set_new(r->outputs, r->rb->steps[p->step].name,
			    json_pack("{s:f,s:I,s:I}", "downtime_s", probe_downtime_s(p),
				      "checks", (json_int_t)p->checks, "failures", (json_int_t)p->failures));
}

/* Record a stopped probe's downtime (not when it never got past its baseline). */
static void probe_report(struct rb_run *r, struct probe *p)
{
	const struct rb_step *st = &r->rb->steps[p->step];

	if (!p->during || probe_first(p) || p->first_ok == 0)
		return;
	if (p->failures > p->down_checks)
		rb_log_say(r, "probe %s: %ld checks of %s every %ld ms, %ld failed: downtime %.1f s (%ld single errors between successes: not downtime; last: %s)",
		    st->name, p->checks, p->url, p->interval_ms, p->failures, probe_downtime_s(p), p->failures - p->down_checks,
		    p->last_error);
	else
		rb_log_say(r, "probe %s: %ld checks of %s every %ld ms, %ld failed: downtime %.1f s", st->name, p->checks,
		    p->url, p->interval_ms, p->failures, probe_downtime_s(p));
	if (st->measure)
		rb_log_record(r, st->measure, probe_downtime_s(p));
}

/* Whether the failures breach the probe's max_failed (a rate; 0: any failure). A
 * non-zero rate is judged once there are enough checks for one failure to be within it. */
static bool probe_breached(const struct probe *p)
{
	if (p->failures == 0 || (double)p->failures <= p->max_failed * (double)p->checks)
		return false;
	return p->max_failed == 0 || (double)p->checks * p->max_failed >= 1.0;
}

/* One finished check of p (status 0: no answer): count it, and act on a breach. */
static void probe_result(struct rb_run *r, struct probe *p, bool good, long status, const char *what)
{
	r->probe_results++;
	if (!good)
		snprintf(p->last_error, sizeof(p->last_error), "%s", what);
	if (probe_first(p)) {
		p->first_checks++;
		p->first_ok += good;
		p->first_left--;
		return;
	}
	p->checks++;
	p->failures += !good;
	probe_count_down(p, good, status);
	probe_outputs(r, p);
	if (!p->breached && !r->in_rollback && !r->opts.plan && probe_breached(p)) {
		p->breached = true;
		rb_call_abandon(r);
		rb_outcome_fail(r, "ProbeBreach", "probe %s: %ld of %ld checks of %s failed (%.1f %%, max_failed %.1f %%; last: %s)",
			  r->rb->steps[p->step].name, p->failures, p->checks, p->url,
			  100.0 * (double)p->failures / (double)p->checks, 100.0 * p->max_failed, p->last_error);
	}
}

/* A check finished (aws/http.c calls this from http_perform, in rb_probe_tick):
 * count it, unless the run or the probe ended while it was under way. */
static void probe_done(void *ctx, const struct http_response *resp)
{
	struct probe *p = ctx;
	struct rb_run *r = p->run;
	char what[160];
	bool good;

	p->in_flight = false;
	if (rb_run_finished(r) || p->stopped)
		return;
	good = resp->status > 0 && resp->status >= p->expect_lo && resp->status <= p->expect_hi;
	if (resp->status == 0)
		snprintf(what, sizeof(what), "%s", resp->err.message);
	else
		snprintf(what, sizeof(what), "HTTP %ld", resp->status);
	probe_result(r, p, good, resp->status, what);
}

/* Start a check of p; a check that cannot start counts as failed. */
static void probe_start(struct rb_run *r, struct probe *p, int64_t now)
{
	struct http_request req = { .method = "GET", .url = p->url };
	struct fd_error err;

	p->next_due_ms = (p->next_due_ms && now - p->next_due_ms < p->interval_ms ? p->next_due_ms : now) +
			 p->interval_ms;
	fd_error_clear(&err);
	if (http_start(p->http, &req, probe_done, p, &err) < 0) {
		probe_result(r, p, false, 0, err.message);
		return;
	}
	p->in_flight = true;
}

int rb_probe_tick(struct rb_run *r)
{
	size_t i;
	int64_t now = rb_run_now_ms(r);
	long before = r->probe_results;

	/* completions first (never once the run ended: a late check does not count) */
	for (i = 0; i < r->nprobes && !rb_run_finished(r); i++)
		if (r->probes[i]->in_flight)
			http_perform(r->probes[i]->http);
	for (i = 0; i < r->nprobes && !rb_run_finished(r); i++) {
		struct probe *p = r->probes[i];
		if (!p->stopped && !p->in_flight && (rb_probe_active(r, p) || (!p->during && probe_first(p))) &&
		    now >= p->next_due_ms)
			probe_start(r, p, now);
	}
	for (i = 0; i < r->nprobes; i++) {
		struct probe *p = r->probes[i];
		if (!p->stopped && p->during && probe_over(r, p)) {
			p->stopped = true;
			probe_report(r, p);
		}
	}
	return (int)(r->probe_results - before);
}

int rb_probe_poll_fds(struct rb_run *r, struct pollfd *fds, int max)
{
	size_t i;
	int n = 0;

	for (i = 0; i < r->nprobes && n < max; i++)
		if (r->probes[i]->in_flight)
			n += http_poll_fds(r->probes[i]->http, fds + n, max - n);
	return n;
}

int64_t rb_probe_due_ms(struct rb_run *r)
{
	int64_t best = -1, now = rb_run_now_ms(r);
	size_t i;

	for (i = 0; i < r->nprobes; i++) {
		struct probe *p = r->probes[i];
		int64_t at = -1;
		if (p->stopped)
			continue;
		if (p->in_flight)
			at = now + http_timeout_ms(p->http);   /* libcurl's own timers (at most 100 ms) */
		else if (rb_probe_active(r, p) || (!p->during && probe_first(p)))
			at = p->next_due_ms;
		if (at >= 0 && (best < 0 || at < best))
			best = at;
	}
	return best;
}

/* A new probe of step s (its inputs expanded in r->in), added to the run. */
static struct probe *probe_new(struct rb_run *r, int s)
{
	json_t *ex = json_object_get(r->in, "expect_status");
	struct probe *p = xcalloc(1, sizeof(*p));
	long timeout_ms;

	p->run = r;
	p->step = s;
	p->url = xstrdup(rb_input_str(r, "url") ? rb_input_str(r, "url") : "");
	p->interval_ms = rb_input_duration_ms(r, "interval", 500);
	if (p->interval_ms < RB_MIN_PROBE_INTERVAL_MS)
		p->interval_ms = RB_MIN_PROBE_INTERVAL_MS;
	p->expect_lo = json_is_integer(ex) ? (long)json_integer_value(ex) : 200;
	p->expect_hi = json_is_integer(ex) ? (long)json_integer_value(ex) : 399;
	p->max_failed = rb_input_number(r, "max_failed", 0);
	p->during = json_object_get(r->rb->steps[s].inputs, "during");
	/* a check gets its interval to answer, at least a second */
	timeout_ms = p->interval_ms > 1000 ? p->interval_ms : 1000;
	p->http = http_new(&(struct http_options){ .connect_timeout_ms = timeout_ms, .timeout_ms = timeout_ms });
	r->probes = xrealloc(r->probes, (r->nprobes + 1) * sizeof(*r->probes));
	r->probes[r->nprobes++] = p;
	return p;
}

void rb_probe_resume(struct rb_run *r, json_t *journal_probes)
{
	const char *k;
	json_t *v;

	json_object_foreach(journal_probes, k, v) {
		int s = rb_step_index(r->rb, k, false);
		struct probe *p;
		if (s < 0)
			continue;
		r->in = rb_input_expand(r, r->rb->steps[s].inputs, NULL);
		p = probe_new(r, s);
		json_decref(r->in);
		r->in = NULL;
		p->first_ok = 1;   /* its baseline passed before the interruption */
		if (!p->during)
			p->stopped = true;
		p->checks = (long)json_integer_value(json_object_get(v, "checks"));
		p->failures = (long)json_integer_value(json_object_get(v, "failures"));
	}
}

void rb_probe_destroy_all(struct rb_run *r)
{
	size_t i;

	for (i = 0; i < r->nprobes; i++) {
		http_destroy(r->probes[i]->http);   /* no completion runs */
		free(r->probes[i]->url);
		free(r->probes[i]);
	}
	free(r->probes);
	r->probes = NULL;
	r->nprobes = 0;
}

/* The probe the current step started, or NULL. */
static struct probe *probe_of_step(struct rb_run *r)
{
	size_t i;

	for (i = 0; i < r->nprobes; i++)
		if (r->probes[i]->step == (int)r->idx)
			return r->probes[i];
	return NULL;
}

/* A probe's first checks are done: judge the baseline or the smoke test. */
static bool probe_judge_first(struct rb_run *r, struct probe *p)
{
	const char *name = rb_run_cur_step(r)->name;
	long failed = p->first_checks - p->first_ok;

	if (p->during && p->first_ok == 0) {
		p->stopped = true;
		rb_outcome_fail(r, "ProbeBaseline", "probe %s: baseline: %s did not answer successfully (%ld checks; last: %s)",
			  name, p->url, p->first_checks, p->last_error);
		return true;
	}
	if (!p->during) {
		p->stopped = true;
		json_object_set_new(r->outputs, name, json_pack("{s:f,s:I,s:I}", "downtime_s", 0.0, "checks",
								(json_int_t)p->first_checks, "failures", (json_int_t)failed));
		if ((double)failed > p->max_failed * (double)p->first_checks) {
			rb_outcome_fail(r, "SmokeFailed", "probe %s: smoke test: %ld of %ld checks of %s failed (max_failed %.1f %%; last: %s)",
				  name, failed, p->first_checks, p->url, 100.0 * p->max_failed, p->last_error);
			return true;
		}
		rb_log_say(r, "  smoke test: %ld of %ld checks of %s answered", p->first_ok, p->first_checks, p->url);
		rb_outcome_succeed(r, NULL);
		return true;
	}
	rb_log_say(r, "  baseline: %ld of %ld checks answered; probing every %ld ms while %zu step%s run", p->first_ok,
	    p->first_checks, p->interval_ms, json_array_size(p->during), json_array_size(p->during) == 1 ? "" : "s");
	if (r->opts.plan) {
		p->stopped = true;
		rb_outcome_plan_skip(r, "the run measures downtime while the steps it watches run");
		return true;
	}
	probe_outputs(r, p);
	rb_outcome_succeed(r, NULL);
	return true;
}

/* probe: a baseline (or a smoke test) now; then, while the named steps run,
 * checks that measure downtime and breach the run above max_failed. */
bool rb_probe_act(struct rb_run *r)
{
	struct probe *p = probe_of_step(r);

	if (r->phase == PH_ACT_WAIT)
		return p && !probe_first(p) ? probe_judge_first(r, p) : false;
	if (r->phase != PH_BEGIN)
		return false;
	if (p && !p->stopped) {
		rb_log_say(r, "  probe already running");
		rb_outcome_succeed(r, NULL);
		return true;
	}
	if (r->in_rollback) {
		rb_outcome_fail(r, "InvalidRunbook", "probes run in the main section only");
		return true;
	}
	if (r->opts.plan && r->plan_changed) {
		rb_outcome_plan_skip(r, "it probes after an earlier change");
		return true;
	}
	if (!rb_probe_url_ok(rb_input_str(r, "url"))) {
		rb_outcome_fail(r, "InvalidRunbook", "probe url '%s' is not an http:// or https:// URL",
			  rb_input_str(r, "url") ? rb_input_str(r, "url") : "?");
		return true;
	}
	if (rb_input_interval_ms(r, 500, RB_MIN_PROBE_INTERVAL_MS) < 0)
		return true;
	p = probe_new(r, (int)r->idx);
	p->first_left = (long)rb_input_number(r, p->during ? "baseline" : "checks", p->during ? 3 : 10);
	if (p->first_left < 1)
		p->first_left = 1;
	rb_log_say(r, "  %s: %ld checks of %s", p->during ? "baseline" : "smoke test", p->first_left, p->url);
	r->phase = PH_ACT_WAIT;
	return true;
}
