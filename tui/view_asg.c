/* view_asg.c — the asg view (filled in from the model). */
#include "tui/view.h"

/* Draw the asg view. */
void view_asg_draw(struct tui *t, int top, int height)
{
	(void)height;
	draw_section(t, top, "asg", -1, NULL);
	draw_text(t, top + 2, 2, t->cols - 4, ROLE_DIM, "waiting for data");
}
