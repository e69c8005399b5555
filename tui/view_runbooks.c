/* view_runbooks.c — the runbooks found on the search path (rb_dirs), their
 * description, parameters and steps; the engine's runs are hosted here. */
#include "tui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "runbooks/rb.h"
#include "tui/runhost.h"

/* Free the loaded runbooks. */
void view_runbooks_free(struct tui *t)
{
	size_t i;

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

	if (t->runbooks_loaded)
		return;
	view_runbooks_free(t);
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

/* The selected runbook: parameters and steps. */
static void draw_detail(struct tui *t, const struct tui_runbook *r, int y, int bottom)
{
	char title[160], line[256];
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
		draw_textf(t, y, 1, 22, ROLE_KEY, "%-22s", p->name);
		draw_textf(t, y, 24, 9, ROLE_DIM, "%-9s", p->type ? p->type : "string");
		draw_text(t, y, 34, t->cols - 35, ROLE_NORMAL, first_line(line, sizeof(line), p->description));
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

/* List the runbooks, filtered, and the selected one's parameters and steps. */
void view_runbooks_draw(struct tui *t, int top, int height)
{
	struct view_state *vs = views_state(t);
	size_t idx[256], n = 0, i;
	int y, list_h;
	char line[256];

	draw_section(t, top, "Runbooks (flightdeck runbook run NAME)", DRAW_NO_AGE, NULL);
	for (i = 0; i < t->n_runbooks && n < 256; i++)
		if (fmt_match(t->runbooks[i].name, vs->filter) ||
		    fmt_match(t->runbooks[i].description, vs->filter))
			idx[n++] = i;
	if (n == 0) {
		draw_text(t, top + 2, 2, t->cols - 4, ROLE_DIM,
			  t->n_runbooks ? "no runbook matches the filter" : "no runbooks found (see flightdeck runbook list)");
		return;
	}
	list_h = (int)n < height / 2 ? (int)n : height / 2;
	if (t->run && list_h > 3)
		list_h = 3;
	views_clamp(vs, (int)n, list_h);
	for (y = 0; y < list_h && (size_t)(vs->scroll + y) < n; y++) {
		size_t k = (size_t)vs->scroll + (size_t)y;
		const struct tui_runbook *r = &t->runbooks[idx[k]];
		bool on = (int)k == vs->sel;
		draw_text(t, top + 1 + y, 0, t->cols, on ? ROLE_SELECT : ROLE_NORMAL, "");
		draw_textf(t, top + 1 + y, 1, 24, on ? ROLE_SELECT : ROLE_HEADER, "%-24s", r->name);
		if (r->tried && !r->rb)
			draw_textf(t, top + 1 + y, 26, t->cols - 27, on ? ROLE_SELECT : ROLE_BAD, "invalid: %s", r->error);
		else
			draw_text(t, top + 1 + y, 26, t->cols - 27, on ? ROLE_SELECT : ROLE_NORMAL,
				  first_line(line, sizeof(line), r->description));
	}
	if (t->run)
		runhost_draw(t, top + 1 + list_h, height - 1 - list_h);
	else
		draw_detail(t, &t->runbooks[idx[vs->sel]], top + 1 + list_h, top + height);
}

/* The runbook under the selection (with the filter applied), or NULL. */
static const struct tui_runbook *selected(struct tui *t)
{
	struct view_state *vs = views_state(t);
	size_t i;
	int k = 0;

	for (i = 0; i < t->n_runbooks; i++)
		if (fmt_match(t->runbooks[i].name, vs->filter) ||
		    fmt_match(t->runbooks[i].description, vs->filter)) {
			if (k++ == vs->sel)
				return &t->runbooks[i];
		}
	return NULL;
}

/* Runbooks keys: Enter runs the selected runbook, p plans it, x clears a finished run, r reloads. */
int view_runbooks_key(struct tui *t, int ch)
{
	const struct tui_runbook *r;

	if (ch == '\r' || ch == '\n' || ch == KEY_ENTER || ch == 'p') {
		if (!(r = selected(t)))
			return TUI_HANDLED;
		return TUI_HANDLED | runhost_start(t, r, ch == 'p');
	}
	if (ch == 'x' && t->run && !runhost_active(t)) {
		runhost_free(t);
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (ch != 'r')
		return 0;
	t->runbooks_loaded = false;
	view_runbooks_enter(t);
	tui_message(t, ROLE_STATUS, " %zu runbooks loaded", t->n_runbooks);
	return TUI_HANDLED | TUI_REDRAW;
}
