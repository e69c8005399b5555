/* collector.c — the scheduler: each panel of model/panel_table[] refreshed on its own timer
 * through async calls, with bounded concurrency and throttling back-off (see collector.h).
 *
 * What a panel calls and how it parses is the panel's (model/panel_NAME.c); here
 * is only when: a refresh of one panel is a job that runs the panel's start(),
 * sends the calls it queues (at most MAX_SENDING at once), hands each result to
 * the call's handler, and when the last call of the job completes asks the
 * panel to swap its staged data in, then records age, error and back-off.
 */
#include "model/collector.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "model/measure.h"
#include "model/panel.h"
#include "model/targets.h"

#define MAX_BACKOFF 8           /* throttling multiplies an interval up to this */
#define MAX_SENDING 16          /* calls handed to the client at once: bounds memory and API rate */

struct job;

/* One call in flight. */
struct call_ctx {
	struct job *job;
	size_t kind;                /* index of the panel's calls[] */
	size_t idx, sub;
	json_t *input;              /* owned while queued */
	bool sent;                  /* handed to the client (else waiting in the queue) */
	struct call_ctx *prev, *next;   /* every call of the collector */
	struct call_ctx *qnext;         /* the send queue */
};

/* One panel of one region (or a global panel): its refreshes. */
struct job {
	struct panel_job pub;       /* first: a panel's handlers get &job->pub */
	bool exists;                /* a panel of this region (global panels: region 0 only) */
	bool running;
	int completions;
	int pending;
	int n_errors;
	bool throttled;
	bool primary_failed;
	struct fd_error err;
	int mult;                   /* back-off multiplier */
	bool again;                 /* made due while running: what it asks for changed, so due when it ends */
};

struct collector {
	struct client *cl;
	const struct fd_config *cfg;
	struct model *m;
	int refresh_s;
	time_t (*clock)(void *ctx);
	void *clock_ctx;
	struct job jobs[MODEL_MAX_REGIONS][MODEL_PANEL_COUNT]; /* global panels at [0] */
	struct call_ctx *calls;
	struct call_ctx *queue, *queue_tail;
	int in_flight;              /* queued + sent */
	int sending;
	struct panel_shared shared;
};

/* Every existing job: `for (EACH_JOB(c, r, p, j))`. */
#define EACH_JOB(c, r, p, j) \
	r = 0; r < MODEL_MAX_REGIONS; r++) for (p = 0; p < MODEL_PANEL_COUNT; p++) \
		if (((j) = &(c)->jobs[r][p])->exists

/* Default wall clock. */
static time_t wall_clock(void *ctx)
{
	(void)ctx;
	return time(NULL);
}

/* Now on the collector's clock. */
static time_t now_of(const struct collector *c)
{
	return c->clock(c->clock_ctx);
}

/* Is this error code a throttling one? */
bool collector_is_throttle(const char *code)
{
	static const char *const codes[] = {
		"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
		"TooManyRequestsException", "ProvisionedThroughputExceededException",
		"TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
		"LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
		"EC2ThrottledException",
	};
	size_t i;

	for (i = 0; code && i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(code, codes[i]) == 0)
			return true;
	return false;
}

/* The job behind a panel's view of it. */
static struct job *job_of(struct panel_job *pj)
{
	return (struct job *)pj;
}

/* The model status a job reports to. */
static struct model_status *job_status(struct job *j)
{
	return model_status_of(j->pub.m, j->pub.region == PANEL_GLOBAL ? 0 : j->pub.region, j->pub.def->panel);
}

/* The job's stamped view for a panel hook (the clock read now). */
static struct panel_job *hook(struct job *j)
{
	j->pub.now = now_of(j->pub.c);
	return &j->pub;
}

/* Record an error of a refresh (the first one is kept; throttling noted). */
void collector_job_error(struct panel_job *pj, const struct fd_error *e, bool primary)
{
	struct job *j = job_of(pj);

	if (!j->n_errors++)
		j->err = *e;
	if (collector_is_throttle(e->code))
		j->throttled = true;
	if (primary)
		j->primary_failed = true;
}

static void job_finish(struct job *j);
static void on_done(void *ctx, json_t *result, const struct fd_error *err);

/* Hand a call to the client; a refusal completes it at once with the error. */
static void send_call(struct collector *c, struct call_ctx *k)
{
	const struct panel_job *pj = &k->job->pub;
	const struct panel_call *row = &pj->def->calls[k->kind];
	struct fd_error e;
	json_t *input = k->input;

	fd_error_clear(&e);
	k->input = NULL;
	k->sent = true;
	c->sending++;
	if (client_call_async(c->cl, row->service, row->op,
			      row->region ? row->region : pj->region == PANEL_GLOBAL ? NULL : c->m->regions[pj->region].name,
			      input,
			      row->flags, on_done, k, &e) < 0)
		on_done(k, NULL, &e);
	json_decref(input);
}

/* Send queued calls while fewer than MAX_SENDING are out. */
static void pump(struct collector *c)
{
	while (c->queue && c->sending < MAX_SENDING) {
		struct call_ctx *k = c->queue;
		c->queue = k->qnext;
		if (!c->queue)
			c->queue_tail = NULL;
		send_call(c, k);
	}
}

/* Queue one call of a panel's refresh (sent at once when few are out); input is taken. */
void collector_call(struct panel_job *pj, size_t kind, json_t *input, size_t idx, size_t sub)
{
	struct job *j = job_of(pj);
	struct collector *c = pj->c;
	struct call_ctx *k = xcalloc(1, sizeof(*k));

	k->job = j;
	k->kind = kind;
	k->idx = idx;
	k->sub = sub;
	k->input = input;
	k->next = c->calls;
	if (c->calls)
		c->calls->prev = k;
	c->calls = k;
	j->pending++;
	c->in_flight++;
	if (c->sending < MAX_SENDING && !c->queue) {
		send_call(c, k);
		return;
	}
	if (c->queue_tail)
		c->queue_tail->qnext = k;
	else
		c->queue = k;
	c->queue_tail = k;
}

/* A call completed: hand the result to its row, finish the job when it was the last. */
static void on_done(void *ctx, json_t *result, const struct fd_error *err)
{
	struct call_ctx *k = ctx;
	struct job *j = k->job;
	struct collector *c = j->pub.c;
	const struct panel_call *row = &j->pub.def->calls[k->kind];

	if (k->prev)
		k->prev->next = k->next;
	else
		c->calls = k->next;
	if (k->next)
		k->next->prev = k->prev;
	c->in_flight--;
	if (k->sent)
		c->sending--;
	if (err || !result) {
		struct fd_error e;
		if (err)
			e = *err;
		else
			fd_error_set(&e, "ParseError", "empty result");
		if (!row->answer_code || strcmp(e.code, row->answer_code) != 0)
			collector_job_error(&j->pub, &e, row->primary);
		if (row->failed) {
			j->pub.failure = &e;
			row->failed(hook(j), k->idx, k->sub);
			j->pub.failure = NULL;
		}
	} else {
		row->done(hook(j), k->idx, k->sub, result);
	}
	json_decref(result);
	free(k);
	if (--j->pending == 0)
		job_finish(j);
	pump(c);
}

/* --- jobs -------------------------------------------------------------------------- */

/* Free whatever a job staged and reset it for the next refresh. */
static void job_reset(struct job *j)
{
	const struct panel_def *def = j->pub.def;

	if (j->pub.stage) {
		if (def->stage_clean_up)
			def->stage_clean_up(j->pub.stage);
		memset(j->pub.stage, 0, def->stage_size);
	}
	j->running = false;
	j->pending = 0;
	j->n_errors = 0;
	j->throttled = false;
	j->primary_failed = false;
	fd_error_clear(&j->err);
}

/* Recompute every derived panel (reload: reread their outside inputs). */
static void derive_all(struct collector *c, bool reload)
{
	size_t r, p;
	struct job *j;

	for (EACH_JOB(c, r, p, j))
		if (j->pub.def->derive)
			j->pub.def->derive(hook(j), reload);
}

/* The refresh interval of a panel before back-off. */
static int base_interval(const struct collector *c, const struct panel_def *def)
{
	return c->refresh_s * def->interval_mult;
}

int collector_interval_s(const struct panel_job *j)
{
	return base_interval(j->c, j->def);
}

/* The last call of a job finished: swap data in, record age/error, schedule the next. */
static void job_finish(struct job *j)
{
	struct collector *c = j->pub.c;
	struct model_status *st = job_status(j);
	time_t now = now_of(c);

	if (j->pub.def->finish)
		j->pub.def->finish(hook(j));
	if (j->throttled)
		j->mult = j->mult * 2 > MAX_BACKOFF ? MAX_BACKOFF : j->mult * 2;
	else if (!j->n_errors)
		j->mult = 1;
	if (!j->primary_failed)
		st->fetched_at = now;
	if (j->n_errors) {
		st->error = j->err;
		st->error_at = now;
	} else {
		fd_error_clear(&st->error);
		st->error_at = 0;
	}
	st->interval_s = base_interval(c, j->pub.def) * j->mult;
	st->next_due = now + st->interval_s;
	st->source_bound = false;
	if (j->pub.def->next_due && !j->n_errors) {
		time_t due = j->pub.def->next_due(hook(j), now, st->interval_s);
		st->source_bound = due > st->next_due;
		if (st->source_bound)
			st->next_due = due;
	}
	if (j->again) {
		st->next_due = 0;   /* it answered what was asked before the change */
		st->source_bound = false;
		j->again = false;
	}
	st->in_flight = false;
	j->completions++;
	job_reset(j);
	model_summarize(c->m);
	model_touch(c->m, st);
	derive_all(c, false);
}

/* Have the panels a job waits for (its def's `after`) completed once in its region? */
static bool deps_ready(struct collector *c, const struct job *j)
{
	size_t p, r = j->pub.region == PANEL_GLOBAL ? 0 : j->pub.region;

	for (p = 0; p < MODEL_PANEL_COUNT; p++)
		if ((j->pub.def->after & PANEL_BIT(p)) && !c->jobs[r][p].completions)
			return false;
	return true;
}

/* Could the job be started now (or when due)? */
static bool startable(struct collector *c, struct job *j)
{
	return job_status(j)->enabled && !j->running && deps_ready(c, j);
}

/* Start one refresh due at now (derived panels recompute at once). */
static void job_start(struct job *j, time_t now)
{
	struct model_status *st = job_status(j);

	if (j->pub.def->derive) {
		j->pub.def->derive(hook(j), true);
		st->next_due = now + base_interval(j->pub.c, j->pub.def);
		return;
	}
	j->running = true;
	j->pending = 1;             /* held while starting, so a synchronous failure cannot finish it early */
	st->in_flight = true;
	j->pub.def->start(hook(j));
	if (--j->pending == 0)
		job_finish(j);
}

/* --- public ------------------------------------------------------------------------ */

/* Create a collector over a client, config and model. */
struct collector *collector_new(struct client *cl, const struct fd_config *cfg, struct model *m,
				struct fd_error *err)
{
	struct collector *c;
	size_t r, p;

	if (!cl || !cfg || !m || !m->n_regions) {
		fd_error_set(err, "InvalidParameter", "collector needs a client, a config and a model");
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->cl = cl;
	c->cfg = cfg;
	c->m = m;
	c->refresh_s = cfg->refresh_s > 0 ? cfg->refresh_s : 10;
	c->clock = wall_clock;
	c->shared.target_series = xcalloc(cfg->n_targets + 1, sizeof(*c->shared.target_series));
	c->shared.n_target_series = cfg->n_targets;
	c->shared.measure_file = measure_path();
	for (r = 0; r < m->n_regions; r++)
		for (p = 0; p < MODEL_PANEL_COUNT; p++) {
			const struct panel_def *def = panel_table[p];
			struct job *j = &c->jobs[r][p];
			struct model_status *st;
			if (def->global && r > 0)
				continue;
			j->exists = true;
			j->pub.def = def;
			j->pub.c = c;
			j->pub.cfg = cfg;
			j->pub.m = m;
			j->pub.region = def->global ? PANEL_GLOBAL : r;
			j->pub.shared = &c->shared;
			j->pub.stage = def->stage_size ? xcalloc(1, def->stage_size) : NULL;
			j->mult = 1;
			st = job_status(j);
			st->enabled = !def->enabled || def->enabled(cfg);
			st->interval_s = base_interval(c, def);
			st->next_due = 0;
		}
	if (m->n_targets != cfg->n_targets)
		targets_init(m, cfg);
	return c;
}

/* Free the collector (see the header about calls in flight). */
void collector_destroy(struct collector *c)
{
	struct call_ctx *k, *next;
	struct job *j;
	size_t r, p;

	if (!c)
		return;
	for (k = c->calls; k; k = next) {
		next = k->next;
		json_decref(k->input);
		free(k);
	}
	for (EACH_JOB(c, r, p, j)) {
		job_reset(j);
		free(j->pub.stage);
	}
	panel_shared_clean_up(&c->shared);
	free(c);
}

/* Set the default refresh interval. */
void collector_set_refresh(struct collector *c, int refresh_s)
{
	struct job *j;
	size_t r, p;

	if (refresh_s < 1)
		return;
	c->refresh_s = refresh_s;
	for (EACH_JOB(c, r, p, j))
		job_status(j)->interval_s = base_interval(c, j->pub.def) * j->mult;
}

/* Replace the clock (tests). */
void collector_set_clock(struct collector *c, time_t (*clock)(void *ctx), void *ctx)
{
	c->clock = clock ? clock : wall_clock;
	c->clock_ctx = ctx;
}

/* Use another measurements file (tests; NULL: the default). */
void collector_set_measure_file(struct collector *c, const char *path)
{
	free(c->shared.measure_file);
	c->shared.measure_file = path ? xstrdup(path) : measure_path();
}

/* Queue every panel that is due. */
int collector_due(struct collector *c, time_t now)
{
	struct job *j;
	size_t r, p;
	int n = 0;

	for (EACH_JOB(c, r, p, j))
		if (startable(c, j) && job_status(j)->next_due <= now) {
			job_start(j, now);
			n++;
		}
	return n;
}

/* Make region r's panel p due now; one in flight is refreshed again when it ends,
 * since what it asks for changed (the metrics view's options, the traces wanted). */
static void make_due(struct collector *c, size_t r, enum model_panel p)
{
	struct job *j = &c->jobs[r][p];

	job_status(j)->next_due = 0;
	if (j->running)
		j->again = true;
}

/* Make every panel due now. */
void collector_refresh_now(struct collector *c)
{
	struct job *j;
	size_t r, p;

	for (EACH_JOB(c, r, p, j))
		job_status(j)->next_due = 0;
}

void collector_set_metric_options(struct collector *c, const char *stat, int period_s, int range_s)
{
	size_t r;

	snprintf(c->shared.metric_stat, sizeof(c->shared.metric_stat), "%s", stat ? stat : "");
	c->shared.metric_period_s = period_s > 0 ? period_s : 0;
	c->shared.metric_range_s = range_s > 0 ? range_s : 0;
	for (r = 0; r < c->m->n_regions; r++)
		make_due(c, r, MODEL_PANEL_METRICS);
}

/* The alarm the engineer opened: its metric is read with the region's metrics. */
void collector_set_focus_alarm(struct collector *c, const char *region, const char *alarm)
{
	int r = model_region_index(c->m, region);

	free(c->shared.focus_alarm);
	c->shared.focus_alarm = r >= 0 && alarm && *alarm ? xstrdup(alarm) : NULL;
	c->shared.focus_region = r >= 0 ? (size_t)r : 0;
	if (r >= 0)
		make_due(c, (size_t)r, MODEL_PANEL_METRICS);
}

void collector_want_traces(struct collector *c, bool on)
{
	size_t r;

	if (on && !c->shared.traces_wanted)
		for (r = 0; r < c->m->n_regions; r++)
			make_due(c, r, MODEL_PANEL_XRAY);
	c->shared.traces_wanted = on;
}

int collector_poll_fds(struct collector *c, struct pollfd *fds, int max)
{
	return client_poll_fds(c->cl, fds, max);
}

/* Sleep allowance: the client's timers or the next due panel. */
long collector_timeout_ms(struct collector *c, time_t now)
{
	long t = client_timeout_ms(c->cl), due_ms = -1;
	time_t next = 0;
	struct job *j;
	size_t r, p;
	bool any = false;

	for (EACH_JOB(c, r, p, j)) {
		const struct model_status *st = job_status(j);
		if (!startable(c, j))
			continue;
		if (!any || st->next_due < next)
			next = st->next_due;
		any = true;
	}
	if (any)
		due_ms = next <= now ? 0 : (long)(next - now) * 1000;
	return t < 0 || (due_ms >= 0 && due_ms < t) ? due_ms : t;
}

/* Drive transfers and completions. */
int collector_perform(struct collector *c, const struct pollfd *fds, int nfds)
{
	client_perform(c->cl, fds, nfds);
	return c->in_flight;
}

/* Calls in flight. */
int collector_in_flight(const struct collector *c)
{
	return c->in_flight;
}

/* Has every enabled panel that makes calls completed since the marks? */
static bool all_done(struct collector *c, int marks[MODEL_MAX_REGIONS][MODEL_PANEL_COUNT])
{
	struct job *j;
	size_t r, p;

	for (EACH_JOB(c, r, p, j)) {
		if (j->pub.def->derive || !job_status(j)->enabled)
			continue;
		if (j->running || j->completions <= marks[r][p])
			return false;
	}
	return true;
}

/* One full collection, blocking. */
int collector_run_once(struct collector *c, long timeout_ms, struct fd_error *err)
{
	int marks[MODEL_MAX_REGIONS][MODEL_PANEL_COUNT];
	struct pollfd fds[64];
	time_t start = now_of(c);
	struct job *j;
	size_t r, p;

	for (EACH_JOB(c, r, p, j))
		marks[r][p] = j->completions;
	collector_refresh_now(c);
	for (;;) {
		long t;
		int n;
		/* queue what has not run in this round yet */
		for (EACH_JOB(c, r, p, j))
			if (!j->pub.def->derive && j->completions > marks[r][p])
				job_status(j)->next_due = INT64_MAX;
		collector_due(c, now_of(c));
		if (all_done(c, marks))
			break;
		if (timeout_ms >= 0 && (long)(now_of(c) - start) * 1000 > timeout_ms)
			return fd_error_set(err, "Timeout", "the collection did not finish within %ld ms", timeout_ms);
		n = collector_poll_fds(c, fds, (int)(sizeof(fds) / sizeof(fds[0])));
		t = client_timeout_ms(c->cl);
		if (t < 0 || t > 100)
			t = 100;
		if (n > 0 || t > 0)
			poll(fds, (nfds_t)n, (int)t);
		collector_perform(c, fds, n);
	}
	/* leave the schedule as a TUI would have it */
	for (EACH_JOB(c, r, p, j)) {
		struct model_status *st = job_status(j);
		if (st->next_due == INT64_MAX)
			st->next_due = now_of(c) + st->interval_s;
	}
	derive_all(c, true);
	return 0;
}
