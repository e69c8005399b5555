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
#include "runbooks/rb_runs.h"
#include "tui/view.h"
#include "tui/wrap.h"

#define RUNHOST_LINES 5000   /* everything the command line would print, for a long run */

struct runhost {
	struct runbook *rb;       /* loaded again for the run (owned) */
	struct rb_run *run;
	struct rb_io io;
	struct rb_options opts;
	struct client *client;    /* borrowed from the source */
	json_t *params;
	char *state_dir;
	enum rb_status status;
	bool due;                 /* a call completed or an answer came: step again */
	long next_ms;             /* when the run's timer is due (0: none) */
	char *lines[RUNHOST_LINES];
	size_t n_lines, first;    /* ring buffer */
	unsigned long gen;
	int pending_calls;
	int log_back;             /* log rows scrolled back from the newest (0: follows the newest) */
	int log_page;             /* log rows the last draw showed */
	size_t log_rows_seen;     /* wrapped log rows at the last draw, and their width: */
	int log_width;            /* scrolled back, the rows shown stay while lines come */
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

/* rb_io.secret: the --debug log redacts a secret parameter's value. */
static void io_secret(void *ctx, const char *value)
{
	struct runhost *h = ctx;

	client_debug_secret(h->client, value);
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

/* Is a run running or waiting for an answer? */
bool runhost_active(const struct tui *t)
{
	return t->run && (t->run->status == RB_RUNNING || t->run->status == RB_WAITING_INPUT);
}

/* Change counter of the hosted run (0 without one). */
unsigned long runhost_generation(const struct tui *t)
{
	return t->run ? t->run->gen : 0;
}

/* Does the run wait for a typed answer (the confirmation panel, confirm.c)? */
bool runhost_waiting(const struct tui *t)
{
	return runhost_prompt(t) != NULL;
}

/* What to type now, or NULL. */
const char *runhost_prompt(const struct tui *t)
{
	return t->run && t->run->run ? rb_run_prompt(t->run->run) : NULL;
}

/* The confirmation block or approval message of the waiting step. */
void runhost_question_lines(const struct tui *t, void (*line)(void *ctx, const char *text), void *ctx)
{
	if (runhost_waiting(t))
		rb_run_question(t->run->run, line, ctx);
}

/* Which run and step wait (see runhost.h). */
const char *runhost_where(const struct tui *t, char *buf, size_t size, const char **run_id, bool *approval)
{
	struct runhost *h = t->run;
	struct rb_step_info si = { 0 };
	bool rollback = false;
	size_t i = 0;

	*run_id = h && h->run && rb_run_id(h->run) ? rb_run_id(h->run) : "";
	*approval = false;
	if (!h) {
		snprintf(buf, size, "no run");
		return buf;
	}
	if (h->run && rb_run_current(h->run, &rollback, &i)) {
		rb_run_step_info(h->run, rollback, i, &si);
		*approval = si.action && strcmp(si.action, "approve") == 0;
		snprintf(buf, size, "%s %sstep %zu %s", h->rb->name, rollback ? "rollback " : "", i + 1,
			 si.name ? si.name : "?");
	} else
		snprintf(buf, size, "%s", h->rb->name);
	return buf;
}

/* After rb_run_new/rb_run_resume: running, or failed with err in the log and the message line. */
static int started(struct tui *t, struct runhost *h, const struct fd_error *err)
{
	char line[320], text[300];

	if (!h->run) {
		snprintf(line, sizeof(line), "! %s", fd_error_str(err, text, sizeof(text)));
		add_line(h, line);
		h->status = RB_FAILED;
		tui_message(t, ROLE_ERROR, " %s: %s", h->rb->name, err->message);
		return TUI_REDRAW;
	}
	h->status = RB_RUNNING;
	h->due = true;
	return TUI_REDRAW;
}

/* All parameters known: create the run. */
static int begin(struct tui *t)
{
	struct runhost *h = t->run;
	struct fd_error err;

	fd_error_clear(&err);
	h->run = rb_run_new(h->rb, h->params, &h->io, &h->opts, &err);
	return started(t, h, &err);
}

/* A host for runbook rb (owned from now on), with the source's client; NULL
 * with a message when the source has none. */
static struct runhost *host_new(struct tui *t, struct runbook *rb, bool plan)
{
	const struct tui_source *src = t->opt.source;
	struct runhost *h;

	if (!src || !src->client || !src->client(src->ctx)) {
		tui_message(t, ROLE_ERROR, " no AWS client to run with (this data source has none)");
		rb_destroy(rb);
		return NULL;
	}
	runhost_free(t);
	h = t->run = xcalloc(1, sizeof(*h));
	h->rb = rb;
	h->client = src->client(src->ctx);
	h->io = (struct rb_io){ .ctx = h, .call = io_call,
				.print = io_print, .measure = plan ? NULL : io_measure, .secret = io_secret,
				.default_region = client_region(h->client) };
	h->opts.plan = plan;
	h->opts.read_only = t->opt.read_only;
	if (!plan) {
		h->state_dir = rb_journal_state_dir();
		h->opts.state_dir = h->state_dir;
	}
	t->quit_armed = false;
	return h;
}

/* Resume a journaled run (see runhost.h). */
int runhost_resume(struct tui *t, const char *id)
{
	struct runhost *h;
	struct runbook *rb;
	struct fd_error err;
	char *dir;
	json_t *journal = NULL;
	size_t i;

	if (runhost_active(t)) {
		tui_message(t, ROLE_WARN, " a run is in progress (%s)", t->run->rb->name);
		return TUI_REDRAW;
	}
	fd_error_clear(&err);
	dir = rb_journal_state_dir();
	rb = dir ? rb_runs_open(dir, id, &journal, &err) : NULL;
	free(dir);
	if (!rb) {
		tui_message(t, ROLE_ERROR, " %s", err.message[0] ? err.message : "no state directory (HOME)");
		return TUI_REDRAW;
	}
	for (i = 0; i < rb->nparams; i++)
		if (rb->params[i].secret) {   /* the journal does not keep them: the terminal asks for them */
			tui_message(t, ROLE_WARN, " %s has secret parameters, which the journal does not keep: "
				    "flightdeck runbook resume %s", rb->name, id);
			rb_destroy(rb);
			json_decref(journal);
			return TUI_REDRAW;
		}
	if (!(h = host_new(t, rb, false))) {
		json_decref(journal);
		return TUI_REDRAW;
	}
	add_line(h, "resume: the state is read again before anything is sent again");
	h->run = rb_run_resume(h->rb, journal, NULL, &h->io, &h->opts, &err);
	json_decref(journal);
	if (h->run)
		t->msg[0] = '\0';
	return started(t, h, &err);
}

/* What to tell the engineer leaving the dashboard while a run is unfinished;
 * false when there is nothing to say (no run, a plan, an ended run). */
bool runhost_leave_hint(const struct tui *t, char *buf, size_t size)
{
	struct runhost *h = t->run;
	char where[200];
	const char *id;
	bool approval;

	if (!runhost_active(t) || h->opts.plan || !h->run || !rb_run_id(h->run))
		return false;
	runhost_where(t, where, sizeof(where), &id, &approval);
	snprintf(buf, size, "flightdeck: run %s (%s) is unfinished, at %s%s; resume it with\n"
		 "  flightdeck runbook resume %s\nor from the dashboard's runbooks view (:runbooks, Enter on the run)",
		 id, h->rb->name, where, runhost_waiting(t) ? ", waiting for its confirmation" : "", id);
	return true;
}

/* Start planning or running a runbook (see runhost.h). */
int runhost_start(struct tui *t, const struct tui_runbook *r, bool plan, json_t *params)
{
	struct runhost *h;
	struct runbook *rb;
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
	snprintf(path, sizeof(path), "%s/%s.yaml", r->dir, r->name);
	fd_error_clear(&err);
	if (!(rb = rb_load(path, &err))) {      /* as it is now on disk */
		tui_message(t, ROLE_ERROR, " %s", err.message);
		return TUI_REDRAW;
	}
	if (!(h = host_new(t, rb, plan)))
		return TUI_REDRAW;
	h->params = json_deep_copy(params);
	add_line(h, plan ? "plan (dry run): no mutating call is sent" : "run: every change asks for confirmation");
	t->msg[0] = '\0';
	return begin(t);
}

/* Hand the typed answer to the waiting run. */
int runhost_answer(struct tui *t, const char *text)
{
	struct runhost *h = t->run;

	if (!h)
		return 0;
	if (h->run && h->status == RB_WAITING_INPUT) {
		rb_run_answer(h->run, text);
		h->due = true;
	}
	return TUI_REDRAW;
}

/* Whether h's run is under way: running, or waiting for an answer (its probe's
 * checks go on while a confirmation waits). */
static bool under_way(const struct runhost *h)
{
	return h && h->run && (h->status == RB_RUNNING || h->status == RB_WAITING_INPUT);
}

int runhost_poll_fds(struct tui *t, struct pollfd *fds, int max)
{
	struct runhost *h = t->run;

	if (!under_way(h))
		return 0;
	return rb_run_poll_fds(h->run, fds, max);
}

void runhost_ready(struct tui *t, const struct pollfd *fds, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (fds[i].revents && t->run)
			t->run->due = true;
}

/* How long the loop may sleep before the run needs stepping. */
long runhost_timeout_ms(struct tui *t)
{
	struct runhost *h = t->run;
	long now;

	if (!under_way(h))
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

	if (!under_way(h))
		return 0;
	if (!h->due && !(h->next_ms && term_now_ms() >= h->next_ms))
		return 0;
	h->due = false;
	before = h->status;
	h->status = rb_run_step(h->run);
	ms = rb_run_timeout_ms(h->run);
	h->next_ms = ms >= 0 ? term_now_ms() + ms : 0;
	h->gen++;
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

/* Log keys: j/k, arrows, PgUp/PgDn scroll; g the oldest line, G follows the newest. */
int runhost_key(struct tui *t, int ch)
{
	struct runhost *h = t->run;
	int page;

	if (!h)
		return 0;
	page = h->log_page > 1 ? h->log_page - 1 : 1;
	switch (ch) {
	case 'k': case KEY_UP: h->log_back++; break;
	case 'j': case KEY_DOWN: h->log_back--; break;
	case KEY_PPAGE: h->log_back += page; break;
	case KEY_NPAGE: case ' ': h->log_back -= page; break;
	case 'g': case KEY_HOME: h->log_back = 1 << 30; break;
	case 'G': case KEY_END: h->log_back = 0; break;
	default: return 0;
	}
	if (h->log_back < 0)
		h->log_back = 0;
	h->gen++;
	return TUI_HANDLED | TUI_REDRAW;
}

/* Draw the run: its steps around the current one, then its log, wrapped, scrollable. */
void runhost_draw(struct tui *t, int top, int height)
{
	struct runhost *h = t->run;
	char title[300], dur[16];
	int y = top, bottom = top + height, log_rows, first_row;
	size_t i, n, first = 0, cur = 0;
	bool rollback = false;
	struct wrap w;
	size_t steps = height / 3 > 6 ? (size_t)height / 3 : 6;   /* a tall screen shows more of them */

	if (!h)
		return;
	for (i = 0; i < 2; i++) {   /* without the run's id when the hint would not fit */
		snprintf(title, sizeof(title), "%s %s: %s%s%s%s", h->opts.plan ? "Plan" : "Run", h->rb->name,
			 rb_status_name(h->status), h->run && !i ? " " : "", h->run && rb_run_id(h->run) && !i ? rb_run_id(h->run) : "",
			 runhost_active(t) ? "" : t->form ? "  (x: back to the form)" : "  (x: back to the list)");
		if (fmt_width(title) <= t->cols - 4)
			break;
	}
	draw_section(t, y++, title, DRAW_NO_AGE, NULL);
	if (h->run && !rb_run_current(h->run, &rollback, &cur))
		rollback = false;
	n = h->run ? rb_run_step_count(h->run, rollback) : 0;   /* rolling back: the rollback's steps */
	if (h->run && n > steps)
		first = cur < 2 ? 0 : cur - 2 > n - steps ? n - steps : cur - 2;   /* keep the current step in sight */
	for (i = first; h->run && i < n && i < first + steps && y < bottom; i++, y++) {
		struct rb_step_info si;
		rb_run_step_info(h->run, rollback, i, &si);
		draw_textf(t, y, 1, 4, ROLE_DIM, rollback ? "r%2zu." : "%3zu.", i + 1);
		draw_textf(t, y, 6, 26, ROLE_NORMAL, "%-26s", si.name ? si.name : "?");
		draw_textf(t, y, 33, 8, ROLE_ACCENT, "%-8s", si.action ? si.action : "?");
		draw_textf(t, y, 42, 8, step_role(si.status), "%-8s", si.status ? si.status : "");
		if (si.started_ms)
			draw_text(t, y, 51, 8, ROLE_DIM,
				  fmt_duration(dur, sizeof(dur), (long)(((si.ended_ms ? si.ended_ms : rb_run_now_ms(h->run)) - si.started_ms) / 1000)));
	}
	if (y >= bottom - 1)
		return;
	/* the log: every line the run printed, wrapped to the width, never cut */
	wrap_init(&w);
	for (i = 0; i < h->n_lines; i++)
		wrap_add(&w, h->lines[(h->first + i) % RUNHOST_LINES], t->cols - 2);
	log_rows = bottom - y - 1;
	h->log_page = log_rows;
	if (h->log_back > 0 && h->log_width == t->cols && w.n > h->log_rows_seen)
		h->log_back += (int)(w.n - h->log_rows_seen);   /* what is being read does not move */
	h->log_rows_seen = w.n;
	h->log_width = t->cols;
	if (h->log_back > (int)w.n - log_rows)
		h->log_back = (int)w.n > log_rows ? (int)w.n - log_rows : 0;
	first_row = (int)w.n - log_rows - h->log_back;
	if (first_row < 0)
		first_row = 0;
	snprintf(title, sizeof(title), "Log: rows %d-%d of %zu%s", (int)w.n ? first_row + 1 : 0,
		 first_row + log_rows < (int)w.n ? first_row + log_rows : (int)w.n, w.n,
		 h->log_back ? " (j/k PgUp/PgDn scroll, G: newest)" : " (k PgUp: back)");
	draw_section(t, y++, title, DRAW_NO_AGE, NULL);
	for (i = (size_t)first_row; i < w.n && y < bottom; i++, y++)
		draw_text(t, y, 1, t->cols - 2, w.line[i][0] == '!' || strstr(w.line[i], "FAILED") ? ROLE_BAD : ROLE_NORMAL,
			  w.line[i]);
	wrap_clean_up(&w);
}
