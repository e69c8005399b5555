/* view_runbooks.c — the runbooks: the files shipped and found (the engine hosts runs here). */
#include "tui/view.h"

#include <stdio.h>

/* List the runbook files, filtered, with the selected one highlighted. */
void view_runbooks_draw(struct tui *t, int top, int height)
{
	struct view_state *vs = views_state(t);
	size_t idx[256], n = 0, i;
	int y;

	draw_section(t, top, "Runbooks", DRAW_NO_AGE, NULL);
	for (i = 0; i < t->n_runbooks && n < 256; i++)
		if (fmt_match(t->runbooks[i], vs->filter))
			idx[n++] = i;
	if (n == 0) {
		draw_text(t, top + 2, 2, t->cols - 4, ROLE_DIM,
			  t->n_runbooks ? "no runbook matches the filter" : "no runbook files found");
		return;
	}
	views_clamp(vs, (int)n, height - 1);
	for (y = 0; y < height - 1 && (size_t)(vs->scroll + y) < n; y++) {
		size_t k = (size_t)vs->scroll + (size_t)y;
		draw_textf(t, top + 1 + y, 0, t->cols, (int)k == vs->sel ? ROLE_SELECT : ROLE_NORMAL,
			   " %-40s", t->runbooks[idx[k]]);
	}
}
