/* view_metrics.c — the metrics view (filled in from the model). */
#include "tui/view.h"

/* Draw the metrics view. */
void view_metrics_draw(struct tui *t, int top, int height)
{
	(void)height;
	draw_section(t, top, "metrics", -1, NULL);
	draw_text(t, top + 2, 2, t->cols - 4, ROLE_DIM, "waiting for data");
}

/* Metrics keys: s statistic, p period, t range. */
int view_metrics_key(struct tui *t, int ch)
{
	(void)t; (void)ch;
	return 0;
}
