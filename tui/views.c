/* views.c — the table of views: key, `:` name, help, draw and key functions. */
#include "tui/view.h"

#include <string.h>

/* The data generation every view shows until it has its own. */
static unsigned long no_generation(struct tui *t)
{
	(void)t;
	return 0;
}

const struct view views_table[] = {
	{ .name = "overview", .key = '1', .draw = view_overview_draw, .generation = no_generation,
	  .help = "targets, both regions, alarms" },
	{ .name = "metrics", .key = '2', .draw = view_metrics_draw, .key_fn = view_metrics_key,
	  .generation = no_generation, .keys_help = "s stat p period t range",
	  .help = "CloudWatch charts" },
	{ .name = "alarms", .key = '3', .draw = view_alarms_draw, .generation = no_generation,
	  .help = "alarm states and history" },
	{ .name = "asg", .key = '4', .draw = view_asg_draw, .generation = no_generation,
	  .help = "groups, scaling, forecast" },
	{ .name = "lb", .key = '5', .draw = view_lb_draw, .generation = no_generation,
	  .help = "listeners, weights, health" },
	{ .name = "route53", .key = '6', .draw = view_route53_draw, .generation = no_generation,
	  .help = "health checks, DNS answer" },
	{ .name = "xray", .key = '7', .draw = view_xray_draw, .key_fn = view_xray_key,
	  .generation = no_generation, .keys_help = "Enter drill in, Esc out",
	  .help = "service map and traces" },
	{ .name = "runbooks", .key = '8', .draw = view_runbooks_draw, .generation = no_generation,
	  .help = "runbooks and runs" },
	{ .name = "help", .key = '?', .draw = view_help_draw, .generation = no_generation,
	  .help = "every key and command" },
	{ .name = NULL },
};

/* Number of views in the table. */
int views_count(void)
{
	int n = 0;

	while (views_table[n].name)
		n++;
	return n;
}

/* The index of the view selected by key ch, or -1. */
int views_by_key(int ch)
{
	int i;

	for (i = 0; views_table[i].name; i++)
		if (views_table[i].key == ch)
			return i;
	return -1;
}

/* The view on screen. */
const struct view *views_current(const struct tui *t)
{
	return &views_table[t->view];
}

/* The position and filter of the view on screen. */
struct view_state *views_state(struct tui *t)
{
	return &t->vs[t->view];
}

void views_clamp(struct view_state *vs, int rows, int height)
{
	vs->rows = rows;
	if (vs->sel >= rows)
		vs->sel = rows - 1;
	if (vs->sel < 0)
		vs->sel = 0;
	if (height < 1)
		height = 1;
	if (vs->scroll > vs->sel)
		vs->scroll = vs->sel;
	if (vs->sel >= vs->scroll + height)
		vs->scroll = vs->sel - height + 1;
	if (vs->scroll > rows - height)
		vs->scroll = rows - height;
	if (vs->scroll < 0)
		vs->scroll = 0;
}
