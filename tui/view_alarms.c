/* view_alarms.c — the alarms view (filled in from the model). */
#include "tui/view.h"

/* Draw the alarms view. */
void view_alarms_draw(struct tui *t, int top, int height)
{
	(void)height;
	draw_section(t, top, "alarms", -1, NULL);
	draw_text(t, top + 2, 2, t->cols - 4, ROLE_DIM, "waiting for data");
}
