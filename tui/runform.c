/* runform.c — the parameters form before a plan or a run (see runform.h). */
#include "tui/runform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "runbooks/rb.h"
#include "tui/runhost.h"
#include "tui/view.h"
#include "tui/wrap.h"

struct runform {
	struct tui_runbook *r;   /* borrowed; r->rb loaded */
	char **value;            /* per parameter: the text given (owned), NULL: its default */
	char error[300];         /* what is wrong with the value being typed, "" when fine */
	int sel, scroll;         /* rows: the parameters, then "plan", then "run" */
	int rows_shown;          /* parameter rows the last draw had room for */
};

/* A default or bound as text ("4", "petclinic", "true"). Caller frees. */
static char *value_text(const json_t *v)
{
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	return v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(12)) : xstrdup("");
}

bool runform_active(const struct tui *t)
{
	return t->form != NULL;
}

void runform_free(struct tui *t)
{
	struct runform *f = t->form;
	size_t i;

	if (!f)
		return;
	for (i = 0; f->r->rb && i < f->r->rb->nparams; i++)
		if (f->value[i]) {
			fd_wipe(f->value[i], strlen(f->value[i]));   /* secrets too */
			free(f->value[i]);
		}
	free(f->value);
	free(f);
	t->form = NULL;
	if (t->mode == MODE_FIELD) {
		fd_wipe(t->le.buf, sizeof(t->le.buf));
		t->mode = MODE_NORMAL;
	}
}

int runform_open(struct tui *t, struct tui_runbook *r, bool plan)
{
	struct runform *f;
	size_t i;

	if (runhost_active(t)) {
		tui_message(t, ROLE_WARN, " a run is in progress (%s): one at a time", t->run ? "see below" : "");
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (!r->tried) {
		t->runbook_pending = (int)(r - t->runbooks);
		view_runbooks_load_pending(t);
	}
	if (!r->rb) {
		tui_message(t, ROLE_ERROR, " %s is not valid: %s", r->name, r->error ? r->error : "?");
		return TUI_HANDLED | TUI_REDRAW;
	}
	runform_free(t);
	f = t->form = xcalloc(1, sizeof(*f));
	f->r = r;
	f->value = xcalloc(r->rb->nparams + 1, sizeof(*f->value));
	f->sel = plan ? (int)r->rb->nparams : 0;
	for (i = 0; !plan && i < r->rb->nparams; i++)
		if (!r->rb->params[i].def) {   /* a required one first */
			f->sel = (int)i;
			break;
		}
	t->msg[0] = '\0';
	return TUI_HANDLED | TUI_REDRAW;
}

/* Check text as parameter p's value; "" in why when it is fine. */
static void check_value(const struct rb_param *p, const char *text, char *why, size_t size)
{
	struct fd_error err;
	json_t *given = json_string(text), *v;

	fd_error_clear(&err);
	v = rb_param_value(p, given, &err);
	json_decref(given);
	if (v)
		why[0] = '\0';
	else
		snprintf(why, size, "%s", err.message);
	json_decref(v);
}

/* Start the plan or the run with the form's values; a run closes the form, a plan keeps it
 * under the plan (x goes back to it) so that what was planned is what runs. */
static int start(struct tui *t, bool plan)
{
	struct runform *f = t->form;
	const struct runbook *rb = f->r->rb;
	json_t *params = json_object();
	size_t i;
	int flags;

	for (i = 0; i < rb->nparams; i++) {
		const struct rb_param *p = &rb->params[i];
		if (!rb_param_given(p))   /* an include sets it */
			continue;
		if (!f->value[i] && !p->def) {
			snprintf(f->error, sizeof(f->error), "parameter %s is required: Enter on it to give it", p->name);
			f->sel = (int)i;
			json_decref(params);
			return TUI_HANDLED | TUI_REDRAW;
		}
		if (f->value[i])
			json_object_set_new(params, p->name, json_string(f->value[i]));
	}
	flags = runhost_start(t, f->r, plan, params);
	json_object_clear(params);   /* secrets go with it */
	json_decref(params);
	if (plan || !t->run)
		f->sel = (int)rb->nparams + 1;   /* x after the plan: back here, on run, the values kept */
	else
		runform_free(t);
	return flags | TUI_HANDLED | TUI_REDRAW;
}

/* Begin typing the selected parameter's value (secrets: from empty, masked). */
static int edit(struct tui *t)
{
	struct runform *f = t->form;
	const struct rb_param *p = &f->r->rb->params[f->sel];
	char *text = f->value[f->sel] ? xstrdup(f->value[f->sel]) : p->def ? value_text(p->def) : xstrdup("");
	wchar_t wbuf[128];
	size_t n;

	lineedit_start(&t->le, !p->secret);
	if (!p->secret) {
		n = mbstowcs(wbuf, text, sizeof(wbuf) / sizeof(wbuf[0]) - 1);
		if (n != (size_t)-1) {
			memcpy(t->le.buf, wbuf, n * sizeof(wchar_t));
			t->le.len = t->le.cur = n;
		}
	}
	free(text);
	f->error[0] = '\0';
	t->mode = MODE_FIELD;
	return TUI_HANDLED | TUI_REDRAW;
}

int runform_key(struct tui *t, int ch)
{
	struct runform *f = t->form;
	int last, page;

	if (!f)
		return 0;
	last = (int)f->r->rb->nparams + 1;
	page = f->rows_shown > 1 ? f->rows_shown - 1 : 1;
	switch (ch) {
	case 'j': case KEY_DOWN: f->sel++; break;
	case 'k': case KEY_UP: f->sel--; break;
	case KEY_NPAGE: case ' ': f->sel += page; break;
	case KEY_PPAGE: f->sel -= page; break;
	case 'g': case KEY_HOME: f->sel = 0; break;
	case 'G': case KEY_END: f->sel = last; break;
	case 'p':
		return start(t, true);
	case 27:
		runform_free(t);
		tui_message(t, ROLE_STATUS, " nothing started");
		return TUI_HANDLED | TUI_REDRAW;
	case '\r': case '\n': case KEY_ENTER:
		if (f->sel < last - 1)
			return edit(t);
		return start(t, f->sel == last - 1);
	default:
		return 0;
	}
	if (f->sel > last)
		f->sel = last;
	if (f->sel < 0)
		f->sel = 0;
	f->error[0] = '\0';
	return TUI_HANDLED | TUI_REDRAW;
}

int runform_edit_key(struct tui *t, wint_t wc, bool is_key)
{
	struct runform *f = t->form;
	const struct rb_param *p;
	enum lineedit_result r;
	char text[512], *def;

	if (!f) {
		t->mode = MODE_NORMAL;
		return TUI_REDRAW;
	}
	p = &f->r->rb->params[f->sel];
	if (!is_key && (wc == 8 || wc == 127) && t->le.len == 0)
		return TUI_HANDLED;   /* an empty value is not a cancel */
	r = lineedit_key(&t->le, wc, is_key);
	lineedit_text(&t->le, text, sizeof(text));
	if (r == LINEEDIT_CANCEL) {
		t->mode = MODE_NORMAL;
		f->error[0] = '\0';
	} else {
		check_value(p, text, f->error, sizeof(f->error));   /* as it is typed */
		if (r == LINEEDIT_DONE && !f->error[0]) {
			def = p->def ? value_text(p->def) : NULL;
			if (f->value[f->sel]) {
				fd_wipe(f->value[f->sel], strlen(f->value[f->sel]));
				free(f->value[f->sel]);
			}
			f->value[f->sel] = def && strcmp(def, text) == 0 ? NULL : xstrdup(text);
			free(def);
			t->mode = MODE_NORMAL;
		}
	}
	fd_wipe(text, sizeof(text));
	if (t->mode == MODE_NORMAL)
		fd_wipe(t->le.buf, sizeof(t->le.buf));
	return TUI_HANDLED | TUI_REDRAW;
}

/* The first line of s into buf. */
static const char *first_line(char *buf, size_t size, const char *s)
{
	size_t n = strcspn(s, "\n");

	snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), s);
	return buf;
}

/* "integer, 0 or more", "number, 1 to 10", "string": the type and its bounds. */
static void type_text(const struct rb_param *p, char *buf, size_t size)
{
	char *lo = p->min ? value_text(p->min) : NULL, *hi = p->max ? value_text(p->max) : NULL;

	if (lo && hi)
		snprintf(buf, size, "%s, %s to %s", p->type, lo, hi);
	else if (lo)
		snprintf(buf, size, "%s, %s or more", p->type, lo);
	else if (hi)
		snprintf(buf, size, "%s, %s or less", p->type, hi);
	else
		snprintf(buf, size, "%s", p->type ? p->type : "string");
	free(lo);
	free(hi);
}

/* The value a row shows: what was given, else the default; secrets masked. */
static void shown_value(const struct runform *f, size_t i, char *buf, size_t size)
{
	const struct rb_param *p = &f->r->rb->params[i];
	char *def;

	if (p->secret && (f->value[i] || p->def)) {
		snprintf(buf, size, "********");
		return;
	}
	if (f->value[i]) {
		snprintf(buf, size, "%s", f->value[i]);
		return;
	}
	def = p->def ? value_text(p->def) : NULL;
	snprintf(buf, size, "%s", def ? def : "(required)");
	free(def);
}

void runform_draw(struct tui *t, int top, int height)
{
	struct runform *f = t->form;
	const struct runbook *rb;
	struct wrap help;
	char title[200], value[300], type[120], line[600], masked[130];
	int y, bottom = top + height, list_h, i, help_rows = 4, vw = t->cols >= 140 ? 48 : 24;   /* a wide screen shows longer values whole */
	size_t k;

	if (!f)
		return;
	rb = f->r->rb;
	snprintf(title, sizeof(title), "Parameters of %s: Enter edits, p plans, Esc back", rb->name);
	draw_section(t, top, title, DRAW_NO_AGE, NULL);
	list_h = height - 1 - help_rows - 1;
	if (list_h > (int)rb->nparams + 2)
		list_h = (int)rb->nparams + 2;
	if (list_h < 3)
		list_h = 3;
	f->rows_shown = list_h;
	if (f->sel < f->scroll)
		f->scroll = f->sel;
	if (f->sel >= f->scroll + list_h)
		f->scroll = f->sel - list_h + 1;
	y = top + 1;
	for (i = 0; i < list_h && y < bottom; i++, y++) {
		int row = f->scroll + i;
		bool on = row == f->sel;
		enum color_role base = on ? ROLE_SELECT : ROLE_NORMAL;
		if (row > (int)rb->nparams + 1)
			break;
		draw_textf(t, y, 0, t->cols, base, "%*s", t->cols, "");
		if (row == (int)rb->nparams || row == (int)rb->nparams + 1) {
			bool plan = row == (int)rb->nparams;
			draw_text(t, y, 1, 6, on ? ROLE_SELECT : ROLE_KEY, plan ? "plan" : "run");
			draw_text(t, y, 8, t->cols - 9, base, plan ? "read the state and show every change; send nothing (p)" :
				  "run it: every change asks for its typed confirmation");
			continue;
		}
		{
			const struct rb_param *p = &rb->params[row];
			type_text(p, type, sizeof(type));
			draw_textf(t, y, 1, 22, on ? ROLE_SELECT : ROLE_KEY, "%-22s", p->name);
			if (on && t->mode == MODE_FIELD) {
				/* the value being typed, its end in sight */
				size_t n = t->le.len, from = n > (size_t)vw - 1 ? n - (size_t)vw + 1 : 0;
				if (t->le.echo)
					lineedit_text(&t->le, value, sizeof(value));
				else {
					memset(masked, '*', n < sizeof(masked) - 1 ? n : sizeof(masked) - 1);
					masked[n < sizeof(masked) - 1 ? n : sizeof(masked) - 1] = '\0';
					snprintf(value, sizeof(value), "%s", masked);
				}
				if (from && t->le.echo) {
					wchar_t tail[128];
					wcsncpy(tail, t->le.buf + from, n - from);
					tail[n - from] = L'\0';
					wcstombs(value, tail, sizeof(value));
				}
				draw_textf(t, y, 24, vw, f->error[0] ? ROLE_BAD : ROLE_NORMAL, "%-*s", vw, value);
				t->cursor_y = y;
				t->cursor_x = 24 + (t->le.echo ? wcswidth(t->le.buf + from, t->le.cur - from) : (int)t->le.cur);
				if (t->cursor_x < 24)
					t->cursor_x = 24 + (int)(t->le.cur - from);
			} else {
				shown_value(f, (size_t)row, value, sizeof(value));
				draw_text(t, y, 24, vw, on ? ROLE_SELECT : f->value[row] ? ROLE_ACCENT : ROLE_NORMAL,
					  fmt_middle(line, sizeof(line), value, vw, !t->utf8));
			}
			if (t->cols >= 100 && p->description) {   /* room for each one's description on its row */
				draw_text(t, y, 24 + vw + 1, 22, on ? ROLE_SELECT : ROLE_DIM, type);
				draw_text(t, y, 24 + vw + 24, t->cols - vw - 49, on ? ROLE_SELECT : ROLE_NORMAL,
					  first_line(line, sizeof(line), p->description));
			} else
				draw_text(t, y, 24 + vw + 1, t->cols - vw - 26, on ? ROLE_SELECT : ROLE_DIM, type);
		}
	}
	/* below: the selected parameter whole (description, default, bounds), then what is wrong */
	y = top + 1 + list_h;
	draw_hline(t, y, 0, t->cols, ROLE_DIM);
	if (list_h < (int)rb->nparams + 2) {   /* say that rows are out of sight, and where run is */
		int last = f->scroll + list_h < (int)rb->nparams + 2 ? f->scroll + list_h : (int)rb->nparams + 2;
		snprintf(line, sizeof(line), " rows %d-%d of %zu%s%s ", f->scroll + 1, last, rb->nparams + 2,
			 last < (int)rb->nparams + 2 ? ", more below: j/PgDn (G: plan and run)" : "",
			 f->scroll > 0 ? ", above: k/PgUp" : "");
		draw_text(t, y, 2, t->cols - 4, ROLE_WARN, line);
	}
	y++;
	wrap_init(&help);
	if (f->sel < (int)rb->nparams) {
		const struct rb_param *p = &rb->params[f->sel];
		char *def = p->def ? value_text(p->def) : NULL;
		if (f->value[f->sel] && !p->secret) {   /* the row may cut it: here it is whole */
			snprintf(line, sizeof(line), "given: %s", f->value[f->sel]);
			wrap_add(&help, line, t->cols - 2);
		}
		type_text(p, type, sizeof(type));
		snprintf(line, sizeof(line), "%s (%s%s%s%s): %s", p->name, type, def ? ", default " : ", required",
			 def ? (p->secret ? "********" : def) : "", p->secret ? ", secret" : "",
			 p->description ? p->description : "no description");
		free(def);
		wrap_add(&help, line, t->cols - 2);
	} else
		wrap_add(&help, f->sel == (int)rb->nparams ? "plan: the reads run, every change is shown with its current -> new "
			 "state, and no change is sent" : "run: a journal is kept (resume from this view or with flightdeck "
			 "runbook resume); every change asks for its typed confirmation", t->cols - 2);
	for (k = 0; k < help.n && y < bottom - (f->error[0] ? 1 : 0); k++, y++)
		draw_text(t, y, 1, t->cols - 2, ROLE_NORMAL, help.line[k]);
	wrap_clean_up(&help);
	if (f->error[0] && y < bottom)
		draw_text(t, bottom - 1, 1, t->cols - 2, ROLE_BAD, f->error);
}
