/* runhost.c — one runbook run inside the dashboard (see runhost.h). */
#include "tui/runhost.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "base/xalloc.h"
#include "model/measure.h"
#include "runbooks/rb.h"
#include "runbooks/rb_journal.h"
#include "runbooks/rb_run.h"
#include "tui/view.h"

#define RUNHOST_LINES 400

struct runhost {
	struct runbook *rb;       /* loaded again for the run (owned) */
	struct rb_run *run;
	struct rb_io io;
	struct rb_options opts;
	struct client *client;    /* borrowed from the source */
	json_t *params;
	size_t next_param;        /* asking for parameters: the next one to look at */
	bool asking_params;
	char question[300];
	char *state_dir;
	enum rb_status status;
	bool due;                 /* a call completed or an answer came: step again */
	long next_ms;             /* when the run's timer is due (0: none) */
	char *lines[RUNHOST_LINES];
	size_t n_lines, first;    /* ring buffer */
	unsigned long gen;
	int pending_calls;
};

/* One call in flight: the engine's completion and the host to wake. */
struct call_ctx {
	rb_call_done_fn done;
	void *done_ctx;
	struct runhost *h;
};

/* Add one output line (the oldest goes when full). */
static void add_line(struct runhost *h, const char *line)
{
	size_t at = (h->first + h->n_lines) % RUNHOST_LINES;

	if (h->n_lines == RUNHOST_LINES) {
		free(h->lines[h->first]);
		h->first = (h->first + 1) % RUNHOST_LINES;
		at = (h->first + h->n_lines - 1) % RUNHOST_LINES;
	} else
		h->n_lines++;
	h->lines[at] = xstrdup(line);
	h->gen++;
}

/* Completion of a call: hand the result to the engine and wake the loop. */
static void call_done(void *ctx, json_t *result, const struct fd_error *err)
{
	struct call_ctx *c = ctx;

	c->h->pending_calls--;
	c->h->due = true;
	c->done(c->done_ctx, result, err);
	free(c);
}

/* rb_io.call: the source's client, asynchronously. */
static int io_call(void *ctx, const char *service, const char *operation, const char *region, json_t *input,
		   rb_call_done_fn done, void *done_ctx, struct fd_error *err)
{
	struct runhost *h = ctx;
	struct call_ctx *c = xmalloc(sizeof(*c));

	*c = (struct call_ctx){ done, done_ctx, h };
	h->pending_calls++;
	if (client_call_async(h->client, service, operation, region, input, CLIENT_RESPONSE_METADATA, call_done, c, err) < 0) {
		h->pending_calls--;
		free(c);
		return -1;
	}
	return 0;
}

/* rb_io.print: kept for the view. */
static void io_print(void *ctx, const char *line)
{
	add_line(ctx, line);
}

/* rb_io.measure: the measurements file the targets read. */
static void io_measure(void *ctx, const char *name, double value, const char *runbook, const char *run_id,
		       const char *stack)
{
	struct fd_error err;
	char line[400];

	if (measure_append(name, value, runbook, run_id, stack, &err) < 0) {
		snprintf(line, sizeof(line), "! measurement %s not recorded: %s", name, err.message);
		add_line(ctx, line);
	}
}

/* Free the run and everything the host holds. */
void runhost_free(struct tui *t)
{
	struct runhost *h = t->run;
	size_t i;

	if (!h)
		return;
	rb_run_destroy(h->run);
	rb_destroy(h->rb);
	json_decref(h->params);
	free(h->state_dir);
	for (i = 0; i < h->n_lines; i++)
		free(h->lines[(h->first + i) % RUNHOST_LINES]);
	free(h);
	t->run = NULL;
}

/* Is a run asking for parameters, running or waiting for an answer? */
bool runhost_active(const struct tui *t)
{
	return t->run && (t->run->asking_params || t->run->status == RB_RUNNING ||
			  t->run->status == RB_WAITING_INPUT);
}

/* Change counter of the hosted run (0 without one). */
unsigned long runhost_generation(const struct tui *t)
{
	return t->run ? t->run->gen : 0;
}

/* The question the run asks now, or NULL. */
const char *runhost_question(const struct tui *t)
{
	return t->run && t->run->question[0] ? t->run->question : NULL;
}

/* Set the question for the next missing parameter; false when none is missing. */
static bool ask_next_param(struct runhost *h)
{
	for (; h->next_param < h->rb->nparams; h->next_param++) {
		const struct rb_param *p = &h->rb->params[h->next_param];
		if (p->def || json_object_get(h->params, p->name))
			continue;
		if (p->description)
			snprintf(h->question, sizeof(h->question), "%s (%s): ", p->name, p->description);
		else
			snprintf(h->question, sizeof(h->question), "%s: ", p->name);
		return true;
	}
	h->question[0] = '\0';
	return false;
}

/* All parameters known: create the run. */
static int begin(struct tui *t)
{
	struct runhost *h = t->run;
	struct fd_error err;
	char line[700];

	h->asking_params = false;
	fd_error_clear(&err);
	h->run = rb_run_new(h->rb, h->params, &h->io, &h->opts, &err);
	if (!h->run) {
		snprintf(line, sizeof(line), "! %s", fd_error_str(&err, line + 300, 300));
		add_line(h, line);
		h->status = RB_FAILED;
		tui_message(t, ROLE_ERROR, " %s: %s", h->rb->name, err.message);
		return TUI_REDRAW;
	}
	h->status = RB_RUNNING;
	h->due = true;
	return TUI_REDRAW;
}

/* Start planning or running a runbook (see runhost.h). */
int runhost_start(struct tui *t, const struct tui_runbook *r, bool plan)
{
	const struct tui_source *src = t->opt.source;
	struct runhost *h;
	struct fd_error err;
	char path[1024];

	if (runhost_active(t)) {
		tui_message(t, ROLE_WARN, " a run is in progress (%s)", t->run->rb->name);
		return TUI_REDRAW;
	}
	if (r->tried && !r->rb) {
		tui_message(t, ROLE_ERROR, " %s is not valid: %s", r->name, r->error ? r->error : "?");
		return TUI_REDRAW;
	}
	if (!src || !src->client || !src->client(src->ctx)) {
		tui_message(t, ROLE_ERROR, " no AWS client to run with (this data source has none)");
		return TUI_REDRAW;
	}
	snprintf(path, sizeof(path), "%s/%s.yaml", r->dir, r->name);
	fd_error_clear(&err);
	runhost_free(t);
	h = t->run = xcalloc(1, sizeof(*h));
	h->rb = rb_load(path, &err);
	if (!h->rb) {
		tui_message(t, ROLE_ERROR, " %s", err.message);
		runhost_free(t);
		return TUI_REDRAW;
	}
	h->client = src->client(src->ctx);
	h->params = json_object();
	h->io = (struct rb_io){ .ctx = h, .call = io_call,
				.print = io_print, .measure = plan ? NULL : io_measure,
				.default_region = client_region(h->client) };
	h->opts.plan = plan;
	h->opts.read_only = t->opt.read_only;
	if (!plan) {
		h->state_dir = rb_journal_state_dir();
		h->opts.state_dir = h->state_dir;
	}
	add_line(h, plan ? "plan (dry run): no mutating call is sent" : "run: every change asks for confirmation");
	h->asking_params = true;
	t->msg[0] = '\0';
	if (ask_next_param(h))
		return TUI_REDRAW;
	return begin(t);
}

/* Hand a typed line to the parameter question or the run. */
int runhost_answer(struct tui *t, const char *text)
{
	struct runhost *h = t->run;
	const struct rb_param *p;

	if (!h)
		return 0;
	h->question[0] = '\0';
	if (h->asking_params) {
		if (!text) {
			add_line(h, "cancelled before it started");
			h->asking_params = false;
			h->status = RB_FAILED;
			return TUI_REDRAW;
		}
		p = &h->rb->params[h->next_param++];
		json_object_set_new(h->params, p->name, json_string(text));
		if (ask_next_param(h))
			return TUI_REDRAW;
		return begin(t);
	}
	if (h->run && h->status == RB_WAITING_INPUT) {
		rb_run_answer(h->run, text);
		h->due = true;
	}
	return TUI_REDRAW;
}

/* How long the loop may sleep before the run needs stepping. */
long runhost_timeout_ms(struct tui *t)
{
	struct runhost *h = t->run;
	long now;

	if (!h || !h->run || h->status != RB_RUNNING)
		return -1;
	if (h->due)
		return 0;
	if (!h->next_ms)
		return -1;
	now = term_now_ms();
	return h->next_ms > now ? h->next_ms - now : 0;
}

/* Step the run when it is due. */
int runhost_service(struct tui *t)
{
	struct runhost *h = t->run;
	enum rb_status before;
	long ms;
	char line[200];

	if (!h || !h->run || (h->status != RB_RUNNING && h->status != RB_WAITING_INPUT))
		return 0;
	if (!h->due && !(h->next_ms && term_now_ms() >= h->next_ms))
		return 0;
	h->due = false;
	before = h->status;
	h->status = rb_run_step(h->run);
	ms = rb_run_timeout_ms(h->run);
	h->next_ms = ms >= 0 ? term_now_ms() + ms : 0;
	h->gen++;
	if (h->status == RB_WAITING_INPUT && rb_run_prompt(h->run))
		snprintf(h->question, sizeof(h->question), "%s: ", rb_run_prompt(h->run));
	if (h->status != before && h->status != RB_RUNNING && h->status != RB_WAITING_INPUT) {
		snprintf(line, sizeof(line), "%s: %s", h->rb->name, rb_status_name(h->status));
		add_line(h, line);
		tui_message(t, h->status == RB_DONE || h->status == RB_PLANNED ? ROLE_OK : ROLE_ERROR, " %s", line);
	}
	return TUI_REDRAW;
}

/* Role of a step status. */
static enum color_role step_role(const char *status)
{
	if (!status)
		return ROLE_DIM;
	if (strcmp(status, "done") == 0)
		return ROLE_OK;
	if (strcmp(status, "failed") == 0)
		return ROLE_BAD;
	if (strcmp(status, "running") == 0)
		return ROLE_WARN;
	return ROLE_DIM;
}

/* Draw the run: steps around the current one, then its newest lines. */
void runhost_draw(struct tui *t, int top, int height)
{
	struct runhost *h = t->run;
	char title[200], dur[16];
	int y = top, bottom = top + height, log_rows;
	size_t i, n;

	if (!h)
		return;
	snprintf(title, sizeof(title), "%s %s: %s%s%s", h->opts.plan ? "Plan" : "Run", h->rb->name,
		 h->asking_params ? "parameters" : rb_status_name(h->status), h->run ? " " : "",
		 h->run && rb_run_id(h->run) ? rb_run_id(h->run) : "");
	draw_section(t, y++, title, DRAW_NO_AGE, NULL);
	size_t first = 0, cur = 0;
	bool rollback = false;

	n = h->run ? rb_run_step_count(h->run, false) : 0;
	log_rows = bottom - y - (int)(n < 8 ? n : 8);
	if (h->run && n > 8 && rb_run_current(h->run, &rollback, &cur) && !rollback)
		first = cur < 3 ? 0 : cur - 3 > n - 8 ? n - 8 : cur - 3;   /* keep the current step in sight */
	for (i = first; h->run && i < n && i < first + 8 && y < bottom; i++, y++) {
		struct rb_step_info si;
		rb_run_step_info(h->run, false, i, &si);
		draw_textf(t, y, 1, 4, ROLE_DIM, "%3zu.", i + 1);
		draw_textf(t, y, 6, 26, ROLE_NORMAL, "%-26s", si.name ? si.name : "?");
		draw_textf(t, y, 33, 8, ROLE_ACCENT, "%-8s", si.action ? si.action : "?");
		draw_textf(t, y, 42, 8, step_role(si.status), "%-8s", si.status ? si.status : "");
		if (si.started_ms)
			draw_text(t, y, 51, 8, ROLE_DIM,
				  fmt_duration(dur, sizeof(dur), (long)(((si.ended_ms ? si.ended_ms : rb_run_now_ms(h->run)) - si.started_ms) / 1000)));
	}
	if (log_rows < 1)
		return;
	n = h->n_lines < (size_t)log_rows ? h->n_lines : (size_t)log_rows;
	for (i = 0; i < n && y < bottom; i++, y++) {
		const char *l = h->lines[(h->first + h->n_lines - n + i) % RUNHOST_LINES];
		draw_text(t, y, 1, t->cols - 2, l[0] == '!' ? ROLE_BAD : ROLE_NORMAL, l);
	}
}
