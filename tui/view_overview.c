/* view_overview.c — the overview view (filled in from the model). */
#include "tui/view.h"

/* Draw the overview view. */
void view_overview_draw(struct tui *t, int top, int height)
{
	(void)height;
	draw_section(t, top, "overview", -1, NULL);
	draw_text(t, top + 2, 2, t->cols - 4, ROLE_DIM, "waiting for data");
}
