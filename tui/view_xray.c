/* view_xray.c — the xray view (filled in from the model). */
#include "tui/view.h"

/* Draw the xray view. */
void view_xray_draw(struct tui *t, int top, int height)
{
	(void)height;
	draw_section(t, top, "xray", -1, NULL);
	draw_text(t, top + 2, 2, t->cols - 4, ROLE_DIM, "waiting for data");
}

/* X-Ray keys: Enter drills into the selected node or trace. */
int view_xray_key(struct tui *t, int ch)
{
	(void)t; (void)ch;
	return 0;
}
