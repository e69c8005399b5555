/* confirm.c — the confirmation panel and its banner.
 *
 * When the hosted run waits for a typed answer (the confirmation block of a
 * change, or an approval), a banner on every view says so and for which run.
 * The dashboard never opens the panel or takes keys by itself: the engineer
 * opens it (Enter on the banner, or :confirm). The panel is a framed modal
 * over the current view: the whole question wrapped to the width, never cut,
 * scrolled when taller than the screen; below it the prompt, then the typed
 * text on its own line. Type-ahead is discarded when it opens and after every
 * answer (the CLI does the same before each prompt); a wrong answer asks again
 * (the engine counts three tries); Esc closes it without answering.
 */
#include "tui/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "runbooks/rb_run.h"
#include "tui/runhost.h"
#include "tui/wrap.h"

/* The question's lines as the run gives them, then wrapped into rows with a role each. */
struct panel_text {
	char **raw;
	size_t n_raw;
	struct wrap w;
	enum color_role *role;
	int width;
	bool approval;
};

/* rb_run_question's line: kept until every line is in (their common indent goes). */
static void take_line(void *ctx, const char *text)
{
	struct panel_text *p = ctx;

	p->raw = xrealloc(p->raw, (p->n_raw + 1) * sizeof(*p->raw));
	p->raw[p->n_raw++] = xstrdup(text);
}

/* Add one row to the panel's text, in role. */
static void add_rows(struct panel_text *p, const char *text, enum color_role role)
{
	size_t before = p->w.n, i;

	wrap_add(&p->w, text, p->width);
	p->role = xrealloc(p->role, p->w.n * sizeof(*p->role));
	for (i = before; i < p->w.n; i++)
		p->role[i] = role;
}

/* The question's lines without their common indent, wrapped (the run's id is on the frame). */
static void panel_text_build(const struct tui *t, struct panel_text *p)
{
	size_t i, indent = (size_t)-1;

	wrap_init(&p->w);
	runhost_question_lines(t, take_line, p);
	for (i = 0; i < p->n_raw; i++) {
		size_t k = strspn(p->raw[i], " ");
		if (p->raw[i][k] && k < indent)
			indent = k;
	}
	if (indent == (size_t)-1)
		indent = 0;
	for (i = 0; i < p->n_raw; i++) {
		const char *s = p->raw[i] + (strlen(p->raw[i]) >= indent ? indent : 0);
		enum color_role role = ROLE_NORMAL;
		if (p->approval || strcmp(p->raw[i], RB_RUN_MUST_ASK) == 0)
			role = ROLE_WARN;          /* what an approval warns of; why a resumed step asks */
		else if (i == 0)
			role = ROLE_HEADER;        /* "about to call service Operation (mutating)" */
		add_rows(p, s, role);
	}
}

static void panel_text_clean_up(struct panel_text *p)
{
	size_t i;

	for (i = 0; i < p->n_raw; i++)
		free(p->raw[i]);
	free(p->raw);
	wrap_clean_up(&p->w);
	free(p->role);
}

bool confirm_waiting(const struct tui *t)
{
	return runhost_waiting(t);
}

unsigned long confirm_signature(const struct tui *t)
{
	const char *p = runhost_prompt(t);
	unsigned long h = p ? 7 : 0;

	for (; p && *p; p++)
		h = h * 33 + (unsigned char)*p;
	return h;
}

int confirm_open(struct tui *t)
{
	if (!runhost_waiting(t)) {
		tui_message(t, ROLE_STATUS, " no confirmation is waiting");
		return TUI_HANDLED | TUI_REDRAW;
	}
	t->mode = MODE_CONFIRM;
	lineedit_start(&t->le, true);
	t->confirm_scroll = 0;
	t->msg[0] = '\0';
	t->flush_keys = true;    /* only what is typed once it is on screen answers */
	return TUI_HANDLED | TUI_REDRAW;
}

void confirm_sync(struct tui *t)
{
	if (t->mode == MODE_CONFIRM && !runhost_waiting(t)) {
		t->mode = MODE_NORMAL;
		fd_wipe(t->le.buf, sizeof(t->le.buf));
		t->le.len = t->le.cur = 0;
		t->need_draw = true;
	}
}

/* Close the panel without answering: the run still waits. */
static int close_panel(struct tui *t)
{
	t->mode = MODE_NORMAL;
	fd_wipe(t->le.buf, sizeof(t->le.buf));
	t->le.len = t->le.cur = 0;
	tui_message(t, ROLE_WARN, " not answered: the run still waits (Enter on the banner or :confirm)");
	return TUI_HANDLED | TUI_REDRAW;
}

/* Hand the typed line to the run. */
static int send_answer(struct tui *t)
{
	char text[512];
	int flags;

	lineedit_text(&t->le, text, sizeof(text));
	if (!text[0]) {
		tui_message(t, ROLE_WARN, " type the word the panel asks for, then Enter (Esc: close)");
		return TUI_HANDLED | TUI_REDRAW;
	}
	flags = runhost_answer(t, text);
	fd_wipe(text, sizeof(text));
	fd_wipe(t->le.buf, sizeof(t->le.buf));
	lineedit_start(&t->le, true);
	t->msg[0] = '\0';
	t->flush_keys = true;    /* a wrong answer asks again: type-ahead never answers that */
	confirm_sync(t);
	return flags | TUI_HANDLED | TUI_REDRAW;
}

int confirm_key(struct tui *t, wint_t wc, bool is_key)
{
	int page = t->confirm_page > 1 ? t->confirm_page - 1 : 1;

	if (!runhost_waiting(t)) {
		confirm_sync(t);
		return TUI_REDRAW;
	}
	if (is_key) {
		switch (wc) {
		case KEY_PPAGE: t->confirm_scroll -= page; return TUI_HANDLED | TUI_REDRAW;
		case KEY_NPAGE: t->confirm_scroll += page; return TUI_HANDLED | TUI_REDRAW;
		case KEY_UP: t->confirm_scroll--; return TUI_HANDLED | TUI_REDRAW;
		case KEY_DOWN: t->confirm_scroll++; return TUI_HANDLED | TUI_REDRAW;
		case KEY_ENTER: return send_answer(t);
		case KEY_BACKSPACE:
			if (t->le.len == 0)
				return TUI_HANDLED;
			break;
		}
	} else if (wc == 27 || wc == 3 || wc == 7)
		return close_panel(t);
	else if (wc == L'\r' || wc == L'\n')
		return send_answer(t);
	else if ((wc == 8 || wc == 127) && t->le.len == 0)
		return TUI_HANDLED;
	lineedit_key(&t->le, wc, is_key);
	return TUI_HANDLED | TUI_REDRAW;
}

/* The title of the panel or the banner: which run and step wait. */
static void where_text(const struct tui *t, char *buf, size_t size, bool with_id, bool *approval)
{
	char where[200];
	const char *id;

	runhost_where(t, where, sizeof(where), &id, approval);
	if (with_id && *id)
		snprintf(buf, size, "%s (run %s)", where, id);
	else
		snprintf(buf, size, "%s", where);
}

/* "scale step 8 set_desired" -> "scale set_desired": the step's name says
 * which step when the banner has no room for its number. */
static void drop_step_number(char *s)
{
	char *at = strstr(s, " step ");
	size_t k;

	if (!at)
		return;
	k = strspn(at + 6, "0123456789");
	if (k && at[6 + k] == ' ')
		memmove(at + 1, at + 6 + k + 1, strlen(at + 6 + k + 1) + 1);
}

void confirm_draw_banner(struct tui *t, int y)
{
	char what[300], cut[300];
	bool approval;
	const char *keys = views_current(t)->takes_enter ? " :confirm " : " Enter/:confirm ";
	const char *label;
	int lw, kw, room;

	where_text(t, what, sizeof(what), true, &approval);
	label = approval ? " APPROVAL WAITING " : " CONFIRMATION WAITING ";
	lw = (int)strlen(label);
	kw = (int)strlen(keys);
	room = t->cols - lw - kw - 2;
	if (fmt_width(what) > room)
		where_text(t, what, sizeof(what), false, &approval);
	if (fmt_width(what) > room)
		drop_step_number(what);   /* the runbook's name and the step's stay whole as long as they can */
	draw_text(t, y, 0, t->cols, ROLE_WARN, "");
	draw_text(t, y, 0, lw, ROLE_BANNER, label);
	draw_text(t, y, lw + 1, room, ROLE_WARN, fmt_middle(cut, sizeof(cut), what, room, !t->utf8));
	draw_text(t, y, t->cols - kw, kw, ROLE_KEY, keys);
}

/* One row of the frame: left corner, the line, right corner; a title on it. */
static void frame_row(struct tui *t, int y, const char *l, const char *r, const char *title, enum color_role trole)
{
	draw_text(t, y, 0, 1, ROLE_ACCENT, l);
	draw_hline(t, y, 1, t->cols - 2, ROLE_ACCENT);
	draw_text(t, y, t->cols - 1, 1, ROLE_ACCENT, r);
	if (title && *title)
		draw_text(t, y, 2, t->cols - 4, trole, title);
}

void confirm_draw(struct tui *t)
{
	struct panel_text q = { .width = t->cols - 4 };
	char blank[512];
	struct wrap pw;
	const char *prompt = runhost_prompt(t);
	const char *v = t->utf8 ? "\xe2\x94\x82" : "|";
	char title[400], where[300], typed[512], cut[400], pos[80], id_text[300];
	const char *run_id;
	int top = 2, bottom_max = t->rows - 2, avail, fixed, gap, area, h, y, i, x, room;
	size_t k;

	if (!prompt)
		return;
	wrap_init(&q.w);
	wrap_init(&pw);
	runhost_where(t, where, sizeof(where), &run_id, &q.approval);
	panel_text_build(t, &q);
	wrap_add(&pw, prompt, q.width);
	avail = bottom_max - top - 1;                  /* rows inside the frame */
	fixed = (int)pw.n + 1;                         /* the prompt, the typed line */
	gap = (int)q.w.n + 1 + fixed <= avail;         /* a blank row above the prompt when the block fits with it */
	fixed += gap;
	area = avail - fixed;
	if (area < 1)
		area = 1;
	if ((int)q.w.n < area)
		area = (int)q.w.n;
	if (t->confirm_scroll > (int)q.w.n - area)
		t->confirm_scroll = (int)q.w.n - area;
	if (t->confirm_scroll < 0)
		t->confirm_scroll = 0;
	t->confirm_page = area;
	h = area + fixed;
	snprintf(title, sizeof(title), " %s: %s ", q.approval ? "Approve" : "Confirm a change", where);
	frame_row(t, top, t->utf8 ? "\xe2\x94\x8c" : "+", t->utf8 ? "\xe2\x94\x90" : "+",
		  fmt_middle(cut, sizeof(cut), title, t->cols - 4, !t->utf8), ROLE_HEADER);
	memset(blank, ' ', sizeof(blank) - 1);
	blank[t->cols - 2 < (int)sizeof(blank) - 1 ? t->cols - 2 : (int)sizeof(blank) - 1] = '\0';
	for (y = top + 1; y <= top + h; y++) {
		draw_text(t, y, 1, t->cols - 2, ROLE_NORMAL, blank);   /* the view does not show through */
		draw_text(t, y, 0, 1, ROLE_ACCENT, v);
		draw_text(t, y, t->cols - 1, 1, ROLE_ACCENT, v);
	}
	y = top + 1;
	for (i = 0; i < area; i++, y++) {
		k = (size_t)(t->confirm_scroll + i);
		if (k < q.w.n)
			draw_text(t, y, 2, q.width, q.role[k], q.w.line[k]);
	}
	y += gap;
	for (k = 0; k < pw.n; k++, y++)
		draw_text(t, y, 2, q.width, ROLE_KEY, pw.line[k]);
	/* the typed text on its own row, its end in sight */
	lineedit_text(&t->le, typed, sizeof(typed));
	draw_text(t, y, 2, 2, ROLE_KEY, "> ");
	room = q.width - 3;
	x = 4 + (wcswidth(t->le.buf, t->le.cur) > 0 ? wcswidth(t->le.buf, t->le.cur) : (int)t->le.cur);
	{
		int tw = fmt_width(typed), skip = 0;
		const char *s = typed;
		while (tw - skip > room && *s) {            /* show the tail of a long line */
			s++;
			while ((*s & 0xc0) == 0x80)
				s++;
			skip = tw - fmt_width(s);
		}
		draw_text(t, y, 4, room, ROLE_NORMAL, s);
		x -= skip;
	}
	if ((int)q.w.n > area)
		snprintf(pos, sizeof(pos), " rows %d-%d of %zu%s%s ", t->confirm_scroll + 1, t->confirm_scroll + area, q.w.n,
			 t->confirm_scroll + area < (int)q.w.n ? ", more below: PgDn" : "",
			 t->confirm_scroll > 0 ? ", above: PgUp" : "");
	else
		pos[0] = '\0';
	frame_row(t, top + h + 1, t->utf8 ? "\xe2\x94\x94" : "+", t->utf8 ? "\xe2\x94\x98" : "+", pos, ROLE_WARN);
	/* which run, after the position, when the frame has room for it */
	snprintf(id_text, sizeof(id_text), " run %s ", run_id);
	if (*run_id && 2 + fmt_width(pos) + 1 + fmt_width(id_text) <= t->cols - 2)
		draw_text(t, top + h + 1, 2 + fmt_width(pos) + (pos[0] ? 1 : 0), fmt_width(id_text), ROLE_DIM, id_text);
	if (x > t->cols - 3)
		x = t->cols - 3;
	move(y, x);
	panel_text_clean_up(&q);
	wrap_clean_up(&pw);
}
