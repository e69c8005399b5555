/* view_route53.c — the route53 view (filled in from the model). */
#include "tui/view.h"

/* Draw the route53 view. */
void view_route53_draw(struct tui *t, int top, int height)
{
	(void)height;
	draw_section(t, top, "route53", -1, NULL);
	draw_text(t, top + 2, 2, t->cols - 4, ROLE_DIM, "waiting for data");
}
