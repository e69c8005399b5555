/* view_metrics.c — CloudWatch panels as charts and sparklines; s/p/t switch
 * statistic, period and time range. */
#include "tui/view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/model.h"

static const char *const stats[] = { "Average", "Sum", "Maximum", "Minimum", "p99", "SampleCount" };
static const int periods_s[] = { 60, 300, 900, 3600 };
static const int ranges_s[] = { 3600, 3 * 3600, 12 * 3600, 86400, 7 * 86400 };

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* "1m", "3h", "7d" for a duration in seconds. */
static const char *dur(char *buf, size_t size, int s)
{
	if (s % 86400 == 0)
		snprintf(buf, size, "%dd", s / 86400);
	else if (s % 3600 == 0)
		snprintf(buf, size, "%dh", s / 3600);
	else if (s % 60 == 0)
		snprintf(buf, size, "%dm", s / 60);
	else
		snprintf(buf, size, "%ds", s);
	return buf;
}

/* The last finite value of a series (NAN when none). */
static double last_value(const struct model_series *s)
{
	size_t i = s->n;

	while (i-- > 0)
		if (isfinite(s->values[i]))
			return s->values[i];
	return NAN;
}

/* One chart: a title row, a multi-row chart of the first line, a sparkline row per line. */
static int draw_chart(struct tui *t, struct model_chart *c, const char *region, int y, int chart_h, int max_y)
{
	char title[200], a[16], b[16], num[16], row[1024];
	int k, x0 = 9, w = t->cols - x0 - 1;
	size_t l;

	snprintf(title, sizeof(title), "%s (%s) %s %s/%s %s", views_s(c->title), views_s(c->unit), region,
		 views_s(c->stat), dur(a, sizeof(a), c->period_s ? c->period_s : 60),
		 dur(b, sizeof(b), c->range_s ? c->range_s : 3600));
	draw_section(t, y, title, c->fetched_at ? (long)(time(NULL) - c->fetched_at) : -1, NULL);
	y++;
	if (c->n_lines && chart_h >= 2 && y + chart_h <= max_y) {
		double lo, hi;
		fmt_axis(c->lines[0].series.values, c->lines[0].series.n, &lo, &hi);
		for (k = 0; k < chart_h; k++) {
			fmt_chart_row(row, sizeof(row), c->lines[0].series.values, c->lines[0].series.n, w, chart_h, k,
				      lo, hi, t->glyphs == FMT_ASCII ? FMT_ASCII : FMT_BLOCK);
			if (k == 0)
				draw_textf(t, y + k, 0, x0 - 1, ROLE_DIM, "%7s", fmt_num(num, sizeof(num), hi));
			if (k == chart_h - 1)
				draw_textf(t, y + k, 0, x0 - 1, ROLE_DIM, "%7s", fmt_num(num, sizeof(num), lo));
			draw_text(t, y + k, x0, w, ROLE_ACCENT, row);
		}
		y += chart_h;
	}
	for (l = 0; l < c->n_lines && y < max_y; l++, y++) {
		struct model_line *ln = &c->lines[l];
		draw_textf(t, y, 1, 18, l ? ROLE_GREEN : ROLE_ACCENT, "%-18s", views_s(ln->label ? ln->label : ln->id));
		draw_textf(t, y, 20, 7, ROLE_NORMAL, "%7s", fmt_num(num, sizeof(num), last_value(&ln->series)));
		draw_spark(t, y, 29, t->cols - 30, l ? ROLE_GREEN : ROLE_ACCENT, ln->series.values, ln->series.n);
	}
	if (c->n_lines == 0 && y < max_y)
		draw_text(t, y++, 2, t->cols - 4, ROLE_DIM, "no data");
	return y;
}

/* Draw every panel of every region, scrolled by whole panels. */
void view_metrics_draw(struct tui *t, int top, int height)
{
	struct model *m = tui_model(t);
	struct view_state *vs = views_state(t);
	char a[16], b[16];
	int items = 0, base = 0, chart_h = 0, y = top + 1, k = 0;
	size_t r, c;

	if (t->opt.source && t->opt.source->metric_options)
		draw_textf(t, top, 1, t->cols - 2, ROLE_DIM, "statistic %s  period %s  range %s   (s p t switch)",
			   stats[vs->opt[0] % N(stats)], dur(a, sizeof(a), periods_s[vs->opt[1] % N(periods_s)]),
			   dur(b, sizeof(b), ranges_s[vs->opt[2] % N(ranges_s)]));
	else
		draw_text(t, top, 1, t->cols - 2, ROLE_DIM, "statistic, period and range as the config sets them");
	if (!m)
		return;
	for (r = 0; r < m->n_regions; r++)
		for (c = 0; c < m->regions[r].n_charts; c++)
			if (fmt_match(m->regions[r].charts[c].title, vs->filter)) {
				items++;
				base += 1 + (int)(m->regions[r].charts[c].n_lines ? m->regions[r].charts[c].n_lines : 1);
			}
	views_clamp(vs, items, 1);
	if (items == 0) {
		views_section_panel(t, y, "Metrics", MODEL_PANEL_METRICS);
		draw_text(t, y + 1, 2, t->cols - 4, ROLE_DIM, vs->filter[0] ? "no panel matches the filter" : "no metric panels");
		return;
	}
	if (items && height - 1 - base >= 2 * items)
		chart_h = (height - 1 - base) / items;
	if (chart_h > 10)
		chart_h = 10;
	for (r = 0; r < m->n_regions; r++)
		for (c = 0; c < m->regions[r].n_charts; c++) {
			struct model_chart *ch = &m->regions[r].charts[c];
			if (!fmt_match(ch->title, vs->filter))
				continue;
			if (k++ < vs->sel || y >= top + height)
				continue;
			y = draw_chart(t, ch, m->regions[r].name, y, chart_h, top + height);
		}
}

/* Metrics keys: s statistic, p period, t range (the collector re-queries). */
int view_metrics_key(struct tui *t, int ch)
{
	struct view_state *vs = views_state(t);
	static const struct { int key; int opt; int n; } cycle[] = {
		{ 's', 0, N(stats) }, { 'p', 1, N(periods_s) }, { 't', 2, N(ranges_s) },
	};
	size_t i;

	for (i = 0; i < sizeof(cycle) / sizeof(cycle[0]); i++)
		if (cycle[i].key == ch && !(t->opt.source && t->opt.source->metric_options)) {
			tui_message(t, ROLE_WARN, " this data source cannot switch statistic, period or range");
			return TUI_HANDLED | TUI_REDRAW;
		} else if (cycle[i].key == ch) {
			vs->opt[cycle[i].opt] = (vs->opt[cycle[i].opt] + 1) % cycle[i].n;
			t->metric_stat = stats[vs->opt[0]];
			t->metric_period_s = periods_s[vs->opt[1]];
			t->metric_range_s = ranges_s[vs->opt[2]];
			return TUI_HANDLED | TUI_REDRAW | TUI_METRICS | TUI_REFRESH;
		}
	return 0;
}
