/* view_runbooks.c — "runbooks and runs": the runbooks found on the search path
 * (rb_dirs) with their parameters, defaults and steps; the journaled runs
 * (unfinished ones to resume, then the last finished with their outcome and
 * figures); the parameters form (runform.c) and the hosted run (runhost.c). */
#include "tui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "runbooks/rb.h"
#include "runbooks/rb_journal.h"
#include "runbooks/rb_runs.h"
#include "tui/runform.h"
#include "tui/runhost.h"
#include "tui/wrap.h"

/* Read the journaled runs again (newest first). */
static void load_runs(struct tui *t)
{
	char *dir = rb_journal_state_dir();

	rb_runs_free(t->runs, t->n_runs);
	t->runs = rb_runs_list(dir, &t->n_runs);
	free(dir);
}

/* Free the loaded runbooks. */
void view_runbooks_free(struct tui *t)
{
	size_t i;

	runform_free(t);   /* it points into the list */
	rb_runs_free(t->runs, t->n_runs);
	t->runs = NULL;
	t->n_runs = 0;
	for (i = 0; i < t->n_runbooks; i++) {
		free(t->runbooks[i].name);
		free(t->runbooks[i].dir);
		free(t->runbooks[i].error);
		free(t->runbooks[i].description);
		rb_destroy(t->runbooks[i].rb);
	}
	free(t->runbooks);
	t->runbooks = NULL;
	t->n_runbooks = 0;
	t->runbooks_loaded = false;
}

/* The first line of the top-level `description:` of a runbook file, read
 * without parsing the whole runbook (rb_load compiles every jq program). */
static char *scan_description(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	bool block = false;

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		char *v = line;
		line[strcspn(line, "\r\n")] = '\0';
		if (block) {
			while (*v == ' ')
				v++;
			if (!*v)
				continue;
			fclose(f);
			return xstrdup(v);
		}
		if (strncmp(line, "description:", 12) != 0)
			continue;
		v = line + 12;
		while (*v == ' ')
			v++;
		if (*v == '|' || *v == '>') {
			block = true;
			continue;
		}
		if ((*v == '"' || *v == '\'') && strlen(v) >= 2 && v[strlen(v) - 1] == *v) {
			v[strlen(v) - 1] = '\0';
			v++;
		}
		fclose(f);
		return xstrdup(v);
	}
	fclose(f);
	return NULL;
}

/* rb_load the runbook at index i (once), for its parameters and steps. */
void view_runbooks_load_pending(struct tui *t)
{
	struct tui_runbook *r;
	struct strbuf path;
	struct fd_error err;

	if (t->runbook_pending < 0 || (size_t)t->runbook_pending >= t->n_runbooks) {
		t->runbook_pending = -1;
		return;
	}
	r = &t->runbooks[t->runbook_pending];
	t->runbook_pending = -1;
	if (r->tried)
		return;
	r->tried = true;
	strbuf_init(&path);
	strbuf_addf(&path, "%s/%s.yaml", r->dir, r->name);
	fd_error_clear(&err);
	r->rb = rb_load(path.data, &err);
	if (!r->rb)
		r->error = xstrdup(err.message);
	strbuf_clean_up(&path);
	t->ui_gen++;
}

/* List the runbooks of the search path (once; `r` in the view reloads): rb_list's
 * names, the same as `flightdeck runbook list`, with their descriptions. */
void view_runbooks_enter(struct tui *t)
{
	char **dirs;
	struct rb_found *found;
	size_t i, n;

	if (t->runbooks_loaded) {
		load_runs(t);   /* cheap: the journals of the state directory */
		return;
	}
	view_runbooks_free(t);
	load_runs(t);
	t->runbooks_loaded = true;
	dirs = rb_dirs();
	found = rb_list(dirs, &n);
	t->runbooks = xcalloc(n + 1, sizeof(*t->runbooks));
	for (i = 0; i < n; i++) {
		struct tui_runbook *r = &t->runbooks[t->n_runbooks++];
		r->name = xstrdup(found[i].name);
		r->dir = xstrdup(found[i].dir);
		r->description = scan_description(found[i].path);
	}
	rb_list_free(found, n);
	rb_dirs_free(dirs);
}

/* The first line of s into buf. */
static const char *first_line(char *buf, size_t size, const char *s)
{
	size_t n = s ? strcspn(s, "\n") : 0;

	snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), s ? s : "");
	return buf;
}

/* A default as text into buf ("4", "petclinic"; "required" when none). */
static const char *default_text(char *buf, size_t size, const struct rb_param *p)
{
	char *d;

	if (!p->def)
		snprintf(buf, size, "required");
	else if (p->secret)
		snprintf(buf, size, "********");
	else if (json_is_string(p->def))
		snprintf(buf, size, "%s", json_string_value(p->def));
	else {
		d = json_dumps(p->def, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(12));
		snprintf(buf, size, "%s", d ? d : "?");
		free(d);
	}
	return buf;
}

/* The selected runbook: parameters with their defaults, and steps. */
static void draw_detail(struct tui *t, const struct tui_runbook *r, int y, int bottom)
{
	char title[160], line[256], def[64];
	size_t i;

	snprintf(title, sizeof(title), "%s  %s/%s.yaml", r->name, r->dir, r->name);
	draw_section(t, y++, title, DRAW_NO_AGE, NULL);
	if (!r->tried) {
		t->runbook_pending = (int)(r - t->runbooks);   /* loaded after this frame */
		draw_text(t, y, 1, t->cols - 2, ROLE_DIM, "loading...");
		return;
	}
	if (!r->rb) {
		draw_text(t, y, 1, t->cols - 2, ROLE_BAD, r->error ? r->error : "invalid");
		return;
	}
	for (i = 0; i < r->rb->nparams && y < bottom; i++, y++) {
		const struct rb_param *p = &r->rb->params[i];
		draw_textf(t, y, 1, 20, ROLE_KEY, "%-20s", p->name);
		draw_textf(t, y, 22, 8, ROLE_DIM, "%-8s", p->type ? p->type : "string");
		draw_text(t, y, 31, 20, p->def ? ROLE_NORMAL : ROLE_WARN,
			  fmt_middle(line, sizeof(line), default_text(def, sizeof(def), p), 20, !t->utf8));
		draw_text(t, y, 52, t->cols - 53, ROLE_DIM, first_line(line, sizeof(line), p->description));
	}
	for (i = 0; i < r->rb->nsteps && y < bottom; i++, y++) {
		const struct rb_step *s = &r->rb->steps[i];
		draw_textf(t, y, 1, 4, ROLE_DIM, "%3zu.", i + 1);
		draw_textf(t, y, 6, 28, ROLE_NORMAL, "%-28s", s->name);
		draw_text(t, y, 35, t->cols - 36, ROLE_ACCENT, s->action ? s->action->name : "?");
	}
	if (r->rb->nrollback && y < bottom)
		draw_textf(t, y, 1, t->cols - 2, ROLE_DIM, "rollback: %zu steps", r->rb->nrollback);
}

/* The journaled runs shown: unfinished first, then the newest finished ones, at most max. */
static size_t runs_shown(struct tui *t, size_t *out, size_t max)
{
	const char *filter = views_state(t)->filter;
	size_t i, n = 0;
	int pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < t->n_runs && n < max; i++)
			if (rb_runs_unfinished(&t->runs[i]) == (pass == 0) &&
			    (fmt_match(t->runs[i].runbook, filter) || fmt_match(t->runs[i].id, filter)))
				out[n++] = i;
	return n;
}

/* "downtime_s 0.4, deploy_s 31" from a run's measurements into buf. */
static const char *figures(char *buf, size_t size, json_t *m)
{
	const char *k;
	json_t *v;
	size_t len = 0;

	buf[0] = '\0';
	json_object_foreach(m, k, v)
		if (json_is_number(v) && len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s %.3g", len ? ", " : "", k, json_number_value(v));
	return buf;
}

/* "12-06 17:47Z" for a time in ms. */
static const char *when(char *buf, size_t size, int64_t ms)
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;

	if (ms <= 0 || !gmtime_r(&s, &tm))
		snprintf(buf, size, "-");
	else
		strftime(buf, size, "%m-%d %H:%MZ", &tm);
	return buf;
}

/* One run's row: what it is, where it stopped, its figures. */
static void draw_run_row(struct tui *t, int y, const struct rb_runs_entry *e, bool on)
{
	bool open = rb_runs_unfinished(e);
	char at[200], fig[200], tm[32];
	const char *st = e->status ? e->status : "?";

	draw_textf(t, y, 0, t->cols, on ? ROLE_SELECT : ROLE_NORMAL, "%*s", t->cols, "");
	draw_textf(t, y, 1, 11, on ? ROLE_SELECT : open ? ROLE_WARN : strcmp(st, "done") == 0 ? ROLE_OK : ROLE_BAD,
		   "%-11s", open ? "unfinished" : st);
	draw_textf(t, y, 13, 20, on ? ROLE_SELECT : ROLE_HEADER, "%-20s", e->runbook ? e->runbook : "?");
	draw_text(t, y, 34, 12, on ? ROLE_SELECT : ROLE_DIM, when(tm, sizeof(tm), e->started_ms));
	if (open)
		snprintf(at, sizeof(at), "at step %zu %s", e->step_number, e->step ? e->step : "?");
	else
		snprintf(at, sizeof(at), "%s", figures(fig, sizeof(fig), e->measurements));
	draw_text(t, y, 47, t->cols - 48, on ? ROLE_SELECT : ROLE_NORMAL, at);
}

/* The run's parameters that are not its runbook's defaults ("watch=128s, desired=3")
 * into sb; every one while its runbook is not loaded (it loads after this frame). */
static void given_text(struct tui *t, const struct rb_runs_entry *e, struct strbuf *sb)
{
	const struct runbook *rb = NULL;
	const char *k;
	json_t *v;
	size_t i;

	for (i = 0; i < t->n_runbooks && e->runbook; i++)
		if (strcmp(t->runbooks[i].name, e->runbook) == 0) {
			if (!t->runbooks[i].tried)
				t->runbook_pending = (int)i;
			rb = t->runbooks[i].rb;
			break;
		}
	strbuf_adds(sb, rb ? "given:" : "parameters:");
	json_object_foreach(e->parameters, k, v) {
		char *text;
		for (i = 0; rb && i < rb->nparams; i++)
			if (strcmp(rb->params[i].name, k) == 0)
				break;
		if (rb && i < rb->nparams && rb->params[i].def && json_equal(rb->params[i].def, v))
			continue;
		text = json_is_string(v) ? xstrdup(json_string_value(v)) : json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		strbuf_addf(sb, "%s %s=%s", sb->data[sb->len - 1] == ':' ? "" : ",", k, text ? text : "?");
		free(text);
	}
	if (sb->data[sb->len - 1] == ':')
		strbuf_adds(sb, rb ? " none, every parameter at its default" : " none");
}

/* The selected run: its id, outcome, failure, figures, the parameters given, how to resume it. */
static void draw_run_detail(struct tui *t, const struct rb_runs_entry *e, int y, int bottom)
{
	char title[300], line[600], fig[300], a[32], b[32];
	struct strbuf given;
	struct wrap w;
	size_t k;

	snprintf(title, sizeof(title), "run %s", e->id);
	draw_section(t, y++, title, DRAW_NO_AGE, NULL);
	wrap_init(&w);
	snprintf(line, sizeof(line), "%s of %s (stack %s): started %s, last written %s", rb_runs_unfinished(e) ?
		 "unfinished run" : e->status ? e->status : "?", e->runbook ? e->runbook : "?", e->stack ? e->stack : "?",
		 when(a, sizeof(a), e->started_ms), when(b, sizeof(b), e->updated_ms));
	wrap_add(&w, line, t->cols - 2);
	if (e->step) {
		snprintf(line, sizeof(line), "step %zu: %s", e->step_number, e->step);
		wrap_add(&w, line, t->cols - 2);
	}
	if (e->failure) {
		snprintf(line, sizeof(line), "failure: %s", e->failure);
		wrap_add(&w, line, t->cols - 2);
	}
	if (json_object_size(e->measurements)) {
		snprintf(line, sizeof(line), "measured: %s", figures(fig, sizeof(fig), e->measurements));
		wrap_add(&w, line, t->cols - 2);
	}
	strbuf_init(&given);
	given_text(t, e, &given);
	wrap_add(&w, given.data, t->cols - 2);
	strbuf_clean_up(&given);
	if (rb_runs_unfinished(e)) {
		snprintf(line, sizeof(line), "Enter resumes it here, as flightdeck runbook resume with its id does: the "
			 "state is read again before anything is sent again, and every change asks for its confirmation");
		wrap_add(&w, line, t->cols - 2);
	}
	for (k = 0; k < w.n && y < bottom; k++, y++)
		draw_text(t, y, 1, t->cols - 2, strncmp(w.line[k], "failure", 7) == 0 ? ROLE_BAD : ROLE_NORMAL, w.line[k]);
	wrap_clean_up(&w);
}

/* The rows of the view's list: the runbooks (filtered), then the runs shown. */
struct rows {
	size_t rb[256], n_rb;
	size_t run[64], n_run;
};

static void list_rows(struct tui *t, struct rows *r)
{
	struct view_state *vs = views_state(t);
	size_t i;

	r->n_rb = 0;
	for (i = 0; i < t->n_runbooks && r->n_rb < 256; i++)
		if (fmt_match(t->runbooks[i].name, vs->filter) || fmt_match(t->runbooks[i].description, vs->filter))
			r->rb[r->n_rb++] = i;
	r->n_run = runs_shown(t, r->run, 64);
}

/* The first row of a section n rows long shown in h rows, so that its row sel is in sight. */
static int section_scroll(int sel, int n, int h)
{
	if (sel < h || n <= h)
		return 0;
	return sel - h + 1 > n - h ? n - h : sel - h + 1;
}

/* The runbooks, the runs (unfinished to resume, then history), and the
 * selected one's details; a run or the parameters form takes the whole view. */
void view_runbooks_draw(struct tui *t, int top, int height)
{
	struct view_state *vs = views_state(t);
	struct rows rows;
	int y, h_rb, h_run, total, off, i;
	char line[256];

	if (t->run) {              /* the run has the whole view: its steps and its log */
		runhost_draw(t, top, height);
		return;
	}
	if (t->form) {
		runform_draw(t, top, height);
		return;
	}
	list_rows(t, &rows);
	total = (int)(rows.n_rb + rows.n_run);
	vs->rows = total;
	if (vs->sel >= total)
		vs->sel = total > 0 ? total - 1 : 0;
	draw_section(t, top, "Runbooks: Enter run, p plan (parameters first)", DRAW_NO_AGE, NULL);
	y = top + 1;
	if (rows.n_rb == 0)
		draw_text(t, y++, 2, t->cols - 4, ROLE_DIM,
			  t->n_runbooks ? "no runbook matches the filter" : "no runbooks found (see flightdeck runbook list)");
	h_rb = (int)rows.n_rb < height / 3 ? (int)rows.n_rb : height / 3;
	off = section_scroll(vs->sel < (int)rows.n_rb ? vs->sel : 0, (int)rows.n_rb, h_rb);
	for (i = 0; i < h_rb; i++, y++) {
		int k = off + i;
		const struct tui_runbook *r = &t->runbooks[rows.rb[k]];
		bool on = k == vs->sel;
		draw_textf(t, y, 0, t->cols, on ? ROLE_SELECT : ROLE_NORMAL, "%*s", t->cols, "");
		draw_textf(t, y, 1, 24, on ? ROLE_SELECT : ROLE_HEADER, "%-24s", r->name);
		if (r->tried && !r->rb)
			draw_textf(t, y, 26, t->cols - 27, on ? ROLE_SELECT : ROLE_BAD, "invalid: %s", r->error);
		else
			draw_text(t, y, 26, t->cols - 27, on ? ROLE_SELECT : ROLE_NORMAL,
				  first_line(line, sizeof(line), r->description));
	}
	draw_section(t, y++, "Runs: unfinished first (Enter resumes), then the last finished", DRAW_NO_AGE, NULL);
	if (rows.n_run == 0)
		draw_text(t, y++, 2, t->cols - 4, ROLE_DIM, "no run journaled yet");
	h_run = (int)rows.n_run < height / 4 ? (int)rows.n_run : height / 4;
	off = section_scroll(vs->sel >= (int)rows.n_rb ? vs->sel - (int)rows.n_rb : 0, (int)rows.n_run, h_run);
	for (i = 0; i < h_run; i++, y++) {
		int k = off + i;
		draw_run_row(t, y, &t->runs[rows.run[k]], (int)rows.n_rb + k == vs->sel);
	}
	if (vs->sel < (int)rows.n_rb)
		draw_detail(t, &t->runbooks[rows.rb[vs->sel]], y, top + height);
	else if (vs->sel - (int)rows.n_rb < (int)rows.n_run)
		draw_run_detail(t, &t->runs[rows.run[vs->sel - (int)rows.n_rb]], y, top + height);
}

/* The runbook under the selection (with the filter applied), or NULL. */
static struct tui_runbook *selected(struct tui *t)
{
	struct rows rows;
	int sel = views_state(t)->sel;

	list_rows(t, &rows);
	return sel >= 0 && sel < (int)rows.n_rb ? &t->runbooks[rows.rb[sel]] : NULL;
}

/* The run under the selection, or NULL. */
static const struct rb_runs_entry *selected_run(struct tui *t)
{
	struct rows rows;
	int sel = views_state(t)->sel;

	list_rows(t, &rows);
	sel -= (int)rows.n_rb;
	return sel >= 0 && sel < (int)rows.n_run ? &t->runs[rows.run[sel]] : NULL;
}

/* Runbooks keys: Enter or p opens the parameters form of the selected runbook
 * (then runs or plans it), x clears a finished run, r reloads the list. */
static int runbooks_key(struct tui *t, int ch)
{
	struct tui_runbook *r;

	if ((ch == '\r' || ch == '\n' || ch == KEY_ENTER) && confirm_waiting(t))
		return confirm_open(t);
	if (t->run) {              /* shown over the form of a plan */
		if (ch == 'x' && !runhost_active(t)) {
			runhost_free(t);
			load_runs(t);   /* it is in the history now */
			return TUI_HANDLED | TUI_REDRAW;
		}
		return runhost_key(t, ch);
	}
	if (t->form)
		return runform_key(t, ch);
	if (ch == '\r' || ch == '\n' || ch == KEY_ENTER || ch == 'p') {
		const struct rb_runs_entry *e;
		if ((r = selected(t)))
			return runform_open(t, r, ch == 'p');
		if (!(e = selected_run(t)) || ch == 'p')
			return TUI_HANDLED;
		if (!rb_runs_unfinished(e)) {
			tui_message(t, ROLE_STATUS, " run %s has ended (%s): nothing to resume", e->id, e->status);
			return TUI_HANDLED | TUI_REDRAW;
		}
		return TUI_HANDLED | runhost_resume(t, e->id);
	}
	if (ch != 'r')
		return 0;
	t->runbooks_loaded = false;
	view_runbooks_enter(t);
	tui_message(t, ROLE_STATUS, " %zu runbooks loaded, %zu runs journaled", t->n_runbooks, t->n_runs);
	return TUI_HANDLED | TUI_REDRAW;
}

/* The movement keys and Esc mean what the global keys say, here in the run's log or the form. */
const struct key_binding view_runbooks_keys[] = {
	{ '\r', "Enter", "run", runbooks_key },
	{ '\n', NULL, NULL, runbooks_key },
	{ KEY_ENTER, NULL, NULL, runbooks_key },
	{ 'p', "p", "plan", runbooks_key },
	{ 'x', "x", "clear", runbooks_key },
	{ 'r', "r", "reload", runbooks_key },
	{ 'j', NULL, NULL, runbooks_key }, { KEY_DOWN, NULL, NULL, runbooks_key },
	{ 'k', NULL, NULL, runbooks_key }, { KEY_UP, NULL, NULL, runbooks_key },
	{ KEY_NPAGE, NULL, NULL, runbooks_key }, { ' ', NULL, NULL, runbooks_key },
	{ KEY_PPAGE, NULL, NULL, runbooks_key },
	{ 'g', NULL, NULL, runbooks_key }, { KEY_HOME, NULL, NULL, runbooks_key },
	{ 'G', NULL, NULL, runbooks_key }, { KEY_END, NULL, NULL, runbooks_key },
	{ 27, NULL, NULL, runbooks_key },
	{ 0, NULL, NULL, NULL },
};
