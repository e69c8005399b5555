/* keys.c — the global key bindings, one row per key; handlers return flags. */
#include "tui/internal.h"
#include "tui/runhost.h"

/* Select view index (remembering where we came from for Esc out of help). */
int keys_select_view(struct tui *t, int index)
{
	if (index < 0 || index >= views_count())
		return TUI_HANDLED;
	if (index != t->view)
		t->prev_view = t->view;
	t->view = index;
	t->msg[0] = '\0';
	if (views_table[index].enter)
		views_table[index].enter(t);
	return TUI_HANDLED | TUI_REDRAW;
}

/* q: leave (during a run: q again, after saying how to resume it). */
static int key_quit(struct tui *t, int ch)
{
	char hint[600];

	(void)ch;
	if (!t->quit_armed && runhost_leave_hint(t, hint, sizeof(hint))) {
		t->quit_armed = true;
		tui_message(t, ROLE_WARN, " a run is unfinished: q again leaves (how to resume it is printed)");
		return TUI_HANDLED | TUI_REDRAW;
	}
	return TUI_HANDLED | TUI_QUIT;
}

/* Ctrl-L: repaint every cell. */
static int key_redraw(struct tui *t, int ch)
{
	(void)t; (void)ch;
	return TUI_HANDLED | TUI_CLEAR | TUI_REDRAW;
}

/* r: collect everything now. */
static int key_refresh(struct tui *t, int ch)
{
	(void)ch;
	tui_message(t, ROLE_STATUS, " refreshing all panels");
	return TUI_HANDLED | TUI_REFRESH | TUI_REDRAW;
}

/* `:` and `/`: start typing a command or a filter. */
static int key_line(struct tui *t, int ch)
{
	t->mode = ch == ':' ? MODE_COMMAND : MODE_FILTER;
	lineedit_start(&t->le, true);
	return TUI_HANDLED | TUI_REDRAW;
}

/* ?: the help view (again: back). */
static int key_help(struct tui *t, int ch)
{
	(void)ch;
	if (t->view == VIEW_HELP)
		return keys_select_view(t, t->prev_view);
	return keys_select_view(t, VIEW_HELP);
}

/* Tab / Shift-Tab: the next or previous view. */
static int key_cycle(struct tui *t, int ch)
{
	int n = VIEW_HELP;   /* the views before the help: it is not in the cycle */
	int v = t->view >= n ? 0 : t->view;

	v = ch == KEY_BTAB ? (v + n - 1) % n : (v + 1) % n;
	return keys_select_view(t, v);
}

/* Movement in lists: j/k, arrows, pages, g/G. */
static int key_move(struct tui *t, int ch)
{
	struct view_state *vs = views_state(t);
	int page = t->rows > 6 ? t->rows - 6 : 1;

	switch (ch) {
	case 'j': case KEY_DOWN: vs->sel++; break;
	case 'k': case KEY_UP: vs->sel--; break;
	case KEY_NPAGE: case ' ': vs->sel += page; break;
	case KEY_PPAGE: vs->sel -= page; break;
	case 'g': case KEY_HOME: vs->sel = 0; break;
	case 'G': case KEY_END: vs->sel = vs->rows - 1; break;
	}
	if (vs->rows > 0 && vs->sel >= vs->rows)
		vs->sel = vs->rows - 1;   /* rows is what the last draw listed; draw clamps again */
	if (vs->sel < 0)
		vs->sel = 0;
	return TUI_HANDLED | TUI_REDRAW;
}

/* Esc: clear the filter, leave a drill-down, or leave help. */
static int key_escape(struct tui *t, int ch)
{
	struct view_state *vs = views_state(t);

	(void)ch;
	t->msg[0] = '\0';
	if (vs->filter[0]) {
		vs->filter[0] = '\0';
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (vs->detail > 0) {
		vs->detail--;
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (t->view == VIEW_HELP)
		return keys_select_view(t, t->prev_view);
	return TUI_HANDLED | TUI_REDRAW;
}

/* Enter that no view took: open the waiting confirmation (the banner says so). */
static int key_confirm(struct tui *t, int ch)
{
	(void)ch;
	return confirm_waiting(t) ? confirm_open(t) : 0;
}

/* A terminal resize reported by curses itself. */
static int key_resize(struct tui *t, int ch)
{
	(void)ch;
	term_update_size(t);
	return TUI_HANDLED | TUI_CLEAR | TUI_REDRAW;
}

const struct key_binding keys_table[] = {
	{ 'q', "q", "quit", key_quit },
	{ 'r', "r", "refresh every panel now", key_refresh },
	{ 12, "Ctrl-L", "repaint the screen", key_redraw },
	{ ':', ":", "command (:al = :alarms)", key_line },
	{ '/', "/", "filter this view's lists", key_line },
	{ '?', "?", "this help (again: back)", key_help },
	{ '\t', "Tab", "next view", key_cycle },
	{ KEY_BTAB, "S-Tab", "previous view", key_cycle },
	{ 'j', "j Down", "next row", key_move },
	{ KEY_DOWN, NULL, NULL, key_move },
	{ 'k', "k Up", "previous row", key_move },
	{ KEY_UP, NULL, NULL, key_move },
	{ KEY_NPAGE, "PgDn Space", "next page", key_move },
	{ ' ', NULL, NULL, key_move },
	{ KEY_PPAGE, "PgUp", "previous page", key_move },
	{ 'g', "g Home", "first row", key_move },
	{ KEY_HOME, NULL, NULL, key_move },
	{ 'G', "G End", "last row", key_move },
	{ KEY_END, NULL, NULL, key_move },
	{ 27, "Esc", "clear filter / go back", key_escape },
	{ '\r', NULL, NULL, key_confirm },   /* the banner says so */
	{ '\n', NULL, NULL, key_confirm },
	{ KEY_ENTER, NULL, NULL, key_confirm },
	{ KEY_RESIZE, NULL, NULL, key_resize },
	{ 0, NULL, NULL, NULL },
};

/* Run the binding for ch: the view's own keys first, then view selection, then the table. */
int keys_dispatch(struct tui *t, int ch)
{
	const struct view *v = views_current(t);
	const struct key_binding *b;
	int flags, idx;

	for (b = v->keys; b && b->fn; b++)
		if (b->key == ch && (flags = b->fn(t, ch)) != 0)
			return flags;
	idx = views_by_key(ch);
	if (idx >= 0 && idx != VIEW_HELP)   /* ? is a key binding: again goes back */
		return keys_select_view(t, idx);
	for (b = keys_table; b->fn; b++)
		if (b->key == ch)
			return b->fn(t, ch);
	return 0;
}
