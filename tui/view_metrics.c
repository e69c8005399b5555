/* view_metrics.c — CloudWatch charts: the whole range of each chart bucketed to the
 * width, with its scale and a time axis; a sparkline with its scale per line; s/p/t
 * switch statistic, period and range for every chart. A chart whose refresh failed
 * says so, and why, in its title. */
#include "tui/view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/model.h"

/* Index 0 of stats and periods: each chart's own (the config's, or Sum / p99 per minute). */
static const char *const stats[] = { NULL, "Average", "Sum", "Maximum", "Minimum", "p99", "SampleCount" };
static const int periods_s[] = { 0, 60, 300, 900, 3600 };
static const int ranges_s[] = { 3600, 3 * 3600, 12 * 3600, 86400, 7 * 86400 };

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The last finite value of a series (NAN when none). */
static double last_value(const struct model_series *s)
{
	size_t i = s->n;

	while (i-- > 0)
		if (isfinite(s->values[i]))
			return s->values[i];
	return NAN;
}

/* The time the chart's range ends at: when it was read (now when never). */
static time_t chart_end(const struct model_chart *c)
{
	return c->fetched_at ? c->fetched_at : time(NULL);
}

/* One chart: a title row, the first line as a chart over the whole range, a time
 * axis, then a row per line: its label, last value, sparkline and scale. */
static int metrics_chart(struct tui *t, struct model_chart *c, const char *region, int y, int chart_h, int max_y)
{
	char title[400], a[16], b[16], num[16], lo_s[16], hi_s[16], label[64];
	int spark_w;
	double buckets[512], lo, hi;
	time_t end = chart_end(c);
	size_t l;

	snprintf(title, sizeof(title), "%s (%s) %s %s/%s %s", views_s(c->title), views_s(c->unit), region,
		 views_s(c->stat), draw_dur(a, sizeof(a), c->period_s ? c->period_s : 60),
		 draw_dur(b, sizeof(b), c->range_s ? c->range_s : 3600));
	if (c->error) {
		char why[300];
		snprintf(why, sizeof(why), "STALE: %s", c->error);
		draw_section(t, y, title, c->fetched_at ? (long)(time(NULL) - c->fetched_at) : -1, why);
	} else {
		draw_section(t, y, title, c->fetched_at ? (long)(time(NULL) - c->fetched_at) : -1, NULL);
	}
	y++;
	if (c->n_lines && chart_h >= 2 && y + chart_h + 1 <= max_y)
		y += draw_chart(t, y, chart_h, &c->lines[0].series, end, c->range_s ? c->range_s : 3600, c->period_s,
				c->error ? ROLE_STALE : ROLE_ACCENT, NAN);
	spark_w = t->cols - 29 - 20;
	for (l = 0; l < c->n_lines && y < max_y; l++, y++) {
		struct model_line *ln = &c->lines[l];
		size_t sn = (size_t)(spark_w > 0 && spark_w < 512 ? spark_w : 1);
		draw_text(t, y, 1, 18, l ? ROLE_GREEN : ROLE_ACCENT,
			  fmt_middle(label, sizeof(label), views_s(ln->label ? ln->label : ln->id), 18, !t->utf8));
		draw_textf(t, y, 20, 7, ROLE_NORMAL, "%7s", fmt_num(num, sizeof(num), last_value(&ln->series)));
		if (spark_w < 4)
			continue;
		series_bucket(&ln->series, end - c->range_s, end, c->period_s, buckets, sn);
		draw_spark(t, y, 29, spark_w, c->error ? ROLE_STALE : l ? ROLE_GREEN : ROLE_ACCENT, buckets, sn);
		fmt_spark_range(buckets, sn, spark_w, t->glyphs, &lo, &hi);
		draw_textf(t, y, 30 + spark_w, 19, ROLE_DIM, "%s..%s", fmt_num(lo_s, sizeof(lo_s), lo),
			   fmt_num(hi_s, sizeof(hi_s), hi));
	}
	if (c->n_lines == 0 && y < max_y)
		draw_text(t, y++, 2, t->cols - 4, ROLE_DIM, c->error ? "no data: the refresh failed" : "no data");
	return y;
}

/* Draw every chart of every region, scrolled by whole charts. */
void view_metrics_draw(struct tui *t, int top, int height)
{
	struct model *m = tui_model(t);
	struct view_state *vs = views_state(t);
	char a[16], b[16];
	int items = 0, base = 0, chart_h = 0, y = top + 1, k = 0, extra, charted = -1, shown = 0;
	size_t r, c;

	if (t->opt.source && t->opt.source->metric_options) {
		const char *st = stats[vs->opt[0] % N(stats)];
		int p = periods_s[vs->opt[1] % N(periods_s)];
		draw_textf(t, top, 1, t->cols - 2, ROLE_DIM, "statistic %s  period %s  range %s  (s p t: every chart)",
			   st ? st : "each chart's", p ? draw_dur(a, sizeof(a), p) : "each chart's",
			   draw_dur(b, sizeof(b), ranges_s[vs->opt[2] % N(ranges_s)]));
	} else {
		draw_text(t, top, 1, t->cols - 2, ROLE_DIM, "statistic, period and range as the config sets them");
	}
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
	/* a chart (and its time axis) for each when there is room; else for as many of
	 * the first ones shown as the spare rows allow, sparklines only for the rest */
	extra = height - 1 - base;
	if (extra >= 4 * items)
		chart_h = extra / items - 1;
	else
		charted = extra / 4, chart_h = 3;
	if (chart_h > 10)
		chart_h = 10;
	for (r = 0; r < m->n_regions; r++)
		for (c = 0; c < m->regions[r].n_charts; c++) {
			struct model_chart *ch = &m->regions[r].charts[c];
			if (!fmt_match(ch->title, vs->filter))
				continue;
			if (k++ < vs->sel || y >= top + height)
				continue;
			y = metrics_chart(t, ch, m->regions[r].name, y, charted < 0 || shown++ < charted ? chart_h : 0,
				       top + height);
		}
}

/* s, p, t: the next statistic, period or range for every chart (the collector re-queries). */
static int metrics_cycle(struct tui *t, int ch)
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

const struct key_binding view_metrics_keys[] = {
	{ 's', "s", "stat", metrics_cycle },
	{ 'p', "p", "period", metrics_cycle },
	{ 't', "t", "range", metrics_cycle },
	{ 0, NULL, NULL, NULL },
};
