/* view_lb.c — the lb view (filled in from the model). */
#include "tui/view.h"

/* Draw the lb view. */
void view_lb_draw(struct tui *t, int top, int height)
{
	(void)height;
	draw_section(t, top, "lb", -1, NULL);
	draw_text(t, top + 2, 2, t->cols - 4, ROLE_DIM, "waiting for data");
}
