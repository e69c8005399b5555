/* view_overview.c — success targets, both regions side by side (each figure in
 * its severity's role, the data's age, where DNS answers and how we know), the
 * alarms in ALARM; with room, charts beside the figures and a traffic chart. */
#include "tui/view.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/xalloc.h"
#include "model/model.h"
#include "model/replication.h"
#include "model/sessions.h"
#include "model/cdn.h"
#include "model/serving.h"

#define REGION_COLW 30          /* a region's column: never spread over a wide screen */
#define LABEL_W 20

/* Role and word for a target's status. */
static const struct {
	const char *word;
	enum color_role role;
} target_status[] = {
	[MODEL_TARGET_NO_DATA] = { "no data", ROLE_UNKNOWN },
	[MODEL_TARGET_MET] = { "met", ROLE_OK },
	[MODEL_TARGET_MISSED] = { "MISSED", ROLE_BAD },
};

/* Columns for target names: 20 at 80 columns, up to the longest name when wider. */
static int name_width(struct tui *t, struct model *m)
{
	int w = 20, room = 20 + (t->cols > 80 ? t->cols - 80 : 0);
	size_t i;

	for (i = 0; i < m->n_targets; i++)
		if (m->targets[i].name && fmt_width(m->targets[i].name) > w)
			w = fmt_width(m->targets[i].name);
	return w < room ? w : room;
}

/* The targets table (each trend with its scale); returns rows used. */
static int draw_targets(struct tui *t, struct model *m, int y, int max)
{
	int nw = name_width(t, m), dx = nw - 20;
	int spark_x = 53 + dx, room = t->cols - spark_x - 7, scale_w = room >= 40 ? 16 : 11;
	int spark_w = room - scale_w - 1 > 60 ? 60 : room - scale_w - 1, row = 0;
	size_t i;
	char v[32], num[16], age[16], name[128], lo_s[16], hi_s[16];
	double lo, hi;

	views_section_status(t, y, "Success targets", &m->targets_status);
	draw_textf(t, y + 1, 1, t->cols - 2, ROLE_DIM, "%-*s %9s  %-10s %-8s %-*s", nw, "target", "value",
		   "objective", "status", spark_w + scale_w + 1, "trend (low..high)");
	draw_text(t, y + 1, t->cols - 6, 5, ROLE_DIM, "  age");
	for (i = 0; i < m->n_targets && row + 2 < max; i++) {
		struct model_target *tg = &m->targets[i];
		int ty = y + 2 + row;
		if (!fmt_match(tg->name, views_state(t)->filter))
			continue;
		row++;
		if (isnan(tg->value))
			snprintf(v, sizeof(v), "-");
		else
			snprintf(v, sizeof(v), "%s %s", fmt_num(num, sizeof(num), tg->value), tg->unit ? tg->unit : "");
		draw_text(t, ty, 1, nw, ROLE_NORMAL, fmt_middle(name, sizeof(name), views_s(tg->name), nw, !t->utf8));
		draw_textf(t, ty, 22 + dx, 9, ROLE_ACCENT, "%9s", v);
		draw_textf(t, ty, 33 + dx, 10, ROLE_NORMAL, "%-10s", views_s(tg->objective_text));
		draw_text(t, ty, 44 + dx, 8, target_status[tg->status].role, target_status[tg->status].word);
		if (tg->n_history && spark_w >= 4) {
			draw_spark(t, ty, spark_x, spark_w, target_status[tg->status].role, tg->history, tg->n_history);
			fmt_spark_range(tg->history, tg->n_history, spark_w, t->glyphs, &lo, &hi);
			draw_textf(t, ty, spark_x + spark_w + 1, scale_w, ROLE_DIM, "%s..%s", fmt_num(lo_s, sizeof(lo_s), lo),
				   fmt_num(hi_s, sizeof(hi_s), hi));
		}
		draw_textf(t, ty, t->cols - 6, 5, ROLE_DIM, "%5s",
			   fmt_age(age, sizeof(age), tg->value_at ? (long)(time(NULL) - tg->value_at) : -1));
	}
	if (m->n_targets == 0)
		draw_text(t, y + 2, 2, t->cols - 4, ROLE_DIM, "no targets configured");
	return 2 + (m->n_targets ? row : 1);
}

/* One region figure: text and role. */
struct cell {
	char text[64];
	enum color_role role;
};

/* The DNS row of a region: serving or standby, and how the model knows. */
static void dns_cell(struct model *m, size_t r, struct cell *c)
{
	const struct model_dns_answer *d = &m->route53.dns;
	const struct model_summary *s = &m->regions[r].summary;

	c->role = color_sev(s->sev[MODEL_FIG_DNS]);
	if (!d->region)
		snprintf(c->text, sizeof(c->text), "unknown");
	else if (s->dns_answering)
		snprintf(c->text, sizeof(c->text), "<< SERVING (%s)", serving_method_name(d->method));
	else
		snprintf(c->text, sizeof(c->text), "standby");
	if (d->disagree && d->evaluated_region && strcmp(d->evaluated_region, m->regions[r].name) == 0)
		snprintf(c->text, sizeof(c->text), "standby; Route 53 rules: serving");
	if (!s->dns_answering && d->region)
		c->role = ROLE_DIM;
}

/* Format the figures of one region's summary, one cell per row label. */
static void region_cells(struct model *m, size_t r, struct cell *c)
{
	const struct model_summary *s = &m->regions[r].summary;
	time_t now = time(NULL);
	long data_age = model_fig_data_age(s, MODEL_FIG_RPS, now);
	bool stale = model_fig_stale(s, MODEL_FIG_RPS, now);
	int hosts = s->healthy_hosts + s->unhealthy_hosts;
	char a[16], age[16];

	/* the CloudWatch figures carry the age of their newest datapoint */
	fmt_num(a, sizeof(a), s->requests_per_s);
	if (data_age >= 0)
		snprintf(c[0].text, sizeof(c[0].text), "%-7s %s %s", a, stale ? "STALE, data" : "data",
			 fmt_age(age, sizeof(age), data_age));
	else
		snprintf(c[0].text, sizeof(c[0].text), "%s", a);
	c[0].role = stale ? ROLE_STALE : color_sev(s->sev[MODEL_FIG_RPS]);
	if (c[0].role == ROLE_OK)
		c[0].role = ROLE_ACCENT;
	snprintf(c[1].text, sizeof(c[1].text), "%s", fmt_num(a, sizeof(a), s->http_5xx_pct));
	c[1].role = stale ? ROLE_STALE : color_sev(s->sev[MODEL_FIG_5XX]);
	snprintf(c[2].text, sizeof(c[2].text), "%s", fmt_num(a, sizeof(a), s->p99_ms));
	c[2].role = stale ? ROLE_STALE : color_sev(s->sev[MODEL_FIG_P99]);
	if (s->sev[MODEL_FIG_HOSTS] == MODEL_SEV_UNKNOWN)
		snprintf(c[3].text, sizeof(c[3].text), "-");
	else if (hosts && !s->healthy_hosts)
		snprintf(c[3].text, sizeof(c[3].text), "0/%d NONE HEALTHY", hosts);
	else if (s->unhealthy_hosts)
		snprintf(c[3].text, sizeof(c[3].text), "%d/%d (%d unhealthy)", s->healthy_hosts, hosts, s->unhealthy_hosts);
	else
		snprintf(c[3].text, sizeof(c[3].text), "%d/%d", s->healthy_hosts, hosts);
	c[3].role = color_sev(s->sev[MODEL_FIG_HOSTS]);
	if (s->sev[MODEL_FIG_ASG] == MODEL_SEV_UNKNOWN)
		snprintf(c[4].text, sizeof(c[4].text), "-");
	else
		snprintf(c[4].text, sizeof(c[4].text), "%d/%d (%d-%d)", s->asg_in_service, s->asg_desired, s->asg_min,
			 s->asg_max);
	c[4].role = color_sev(s->sev[MODEL_FIG_ASG]);
	if (s->sev[MODEL_FIG_ALARMS] == MODEL_SEV_UNKNOWN)
		snprintf(c[5].text, sizeof(c[5].text), "-");
	else
		snprintf(c[5].text, sizeof(c[5].text), "%d", s->alarms_in_alarm);
	c[5].role = color_sev(s->sev[MODEL_FIG_ALARMS]);
	dns_cell(m, r, &c[6]);
	{
		struct replication rp;
		replication_of_region(m, r, &rp);
		snprintf(c[7].text, sizeof(c[7].text), "%s", rp.brief);
		c[7].role = color_sev(rp.sev);
	}
	{
		struct sessions_view sv;
		sessions_of_region(m, r, now, &sv);
		snprintf(c[8].text, sizeof(c[8].text), "%s", sv.brief);
		c[8].role = color_sev(sv.sev);
	}
	{
		struct cdn_view cv;
		cdn_of_region(m, r, &cv);
		snprintf(c[9].text, sizeof(c[9].text), "%s", cv.brief);
		c[9].role = color_sev(cv.sev);
	}
}

static const char *const region_labels[] = { "requests/s", "5xx %", "p99 ms", "healthy hosts", "ASG in service",
					      "alarms in ALARM", "DNS answer", "DB replication",
					      "Redis sessions", "CloudFront" };
#define N_LABELS ((int)(sizeof(region_labels) / sizeof(region_labels[0])))

/* The built-in chart of this kind in region r, NULL when none. */
static const struct model_chart *chart_of(const struct model_region *r, enum model_chart_kind kind)
{
	size_t i;

	for (i = 0; i < r->n_charts; i++)
		if (r->charts[i].kind == kind)
			return &r->charts[i];
	return NULL;
}

/* The end of a chart's range: when it was read (now when never). */
static time_t chart_end(const struct model_chart *c)
{
	return c->fetched_at ? c->fetched_at : time(NULL);
}

/* A chart's whole range in n columns into v (the mean of each column's datapoints):
 * the sum of its lines (the region's total) when total, else its first line; 0
 * when the chart has no line. */
static size_t chart_columns(const struct model_chart *c, bool total, double *v, size_t n)
{
	const struct model_series *base;
	struct model_series sum;
	size_t i, l;

	if (!c || !c->n_lines || !n)
		return 0;
	base = &c->lines[0].series;
	sum.n = base->n;
	sum.ts = base->ts;
	sum.values = xcalloc(base->n + 1, sizeof(double));
	for (i = 0; i < base->n; i++) {
		sum.values[i] = base->values[i];
		for (l = 1; total && l < c->n_lines; l++) {
			double x = series_value_at(&c->lines[l].series, base->ts[i]);
			if (!isnan(x))
				sum.values[i] += x;
		}
	}
	series_bucket(&sum, chart_end(c) - (c->range_s ? c->range_s : 3600), chart_end(c), c->period_s, v, n);
	free(sum.values);
	return n;
}

/* Beside the figures (wide screens): a sparkline of each region's requests/s, 5xx % and
 * p99 with its scale, on the rows of those figures. */
static void draw_beside(struct tui *t, struct model *m, int y, int x)
{
	static const char *const titles[3] = { "requests/s", "5xx %", "latency ms" };
	static const enum model_chart_kind kinds[3] = { MODEL_CHART_REQUESTS, MODEL_CHART_5XX, MODEL_CHART_LATENCY };
	double v[512];
	char lo[16], hi[16], label[64], range[16];
	const struct model_chart *c0 = chart_of(&m->regions[0], MODEL_CHART_REQUESTS);
	int w = t->cols - x - 1, k, sw = w - 28 - 16;
	size_t r, n;

	if (w < 30)
		return;
	if (sw > 512)
		sw = 512;
	draw_textf(t, y + 1, x, w, ROLE_DIM, "last %s, each region (low .. high of the line)",
		   draw_dur(range, sizeof(range), c0 && c0->range_s ? c0->range_s : 3600));
	for (k = 0; k < 3; k++)
		for (r = 0; r < m->n_regions; r++) {
			const struct model_chart *c = chart_of(&m->regions[r], kinds[k]);
			int row = y + 2 + k * (int)m->n_regions + (int)r;
			double a, b;
			n = chart_columns(c, k == 0, v, (size_t)(sw > 0 ? sw : 0));
			fmt_spark_range(v, n, sw, t->glyphs, &a, &b);
			snprintf(label, sizeof(label), "%-11s %s", titles[k], m->regions[r].name);
			draw_text(t, row, x, 27, ROLE_NORMAL, label);
			if (!n) {
				draw_text(t, row, x + 28, w - 28, ROLE_DIM, "no data");
				continue;
			}
			draw_spark(t, row, x + 28, sw, r ? ROLE_GREEN : ROLE_ACCENT, v, n);
			draw_textf(t, row, x + 29 + sw, 15, ROLE_DIM, "%s .. %s", fmt_num(lo, sizeof(lo), a),
				   fmt_num(hi, sizeof(hi), b));
		}
}

/* Both regions side by side; returns rows used. */
static int draw_regions(struct tui *t, struct model *m, int y)
{
	struct cell cells[MODEL_MAX_REGIONS][N_LABELS];
	int colw = (t->cols - LABEL_W - 2) / 2, k;
	size_t r;

	if (colw > REGION_COLW)
		colw = REGION_COLW;
	views_section_panel(t, y, "Regions", MODEL_PANEL_LB);
	for (r = 0; r < m->n_regions; r++) {
		const struct model_summary *s = &m->regions[r].summary;
		int x = LABEL_W + 2 + (int)r * colw, w = fmt_width(m->regions[r].name) + 1 + fmt_width(views_s(m->regions[r].role));
		draw_textf(t, y + 1, x, colw, ROLE_HEADER, "%s %s", m->regions[r].name, views_s(m->regions[r].role));
		if (s->unreadable || s->down)
			draw_text(t, y + 1, x + w + 1, colw - w - 2, ROLE_BAD, s->unreadable ? "UNREADABLE" : "DOWN");
		region_cells(m, r, cells[r]);
	}
	for (k = 0; k < N_LABELS; k++) {
		draw_text(t, y + 2 + k, 1, LABEL_W, ROLE_NORMAL, region_labels[k]);
		for (r = 0; r < m->n_regions; r++)
			draw_text(t, y + 2 + k, LABEL_W + 2 + (int)r * colw, colw - 1, cells[r][k].role, cells[r][k].text);
	}
	if (t->cols >= LABEL_W + 2 + 2 * REGION_COLW + 40)
		draw_beside(t, m, y, LABEL_W + 2 + 2 * colw + 2);
	return 2 + N_LABELS;
}

/* With rows to spare: each region's requests/s over the chart's range, side by side. */
static int draw_traffic(struct tui *t, struct model *m, int y, int rows)
{
	double v[512];
	char row[2048], num[16], title[80], a[16];
	int h = rows - 2 < 16 ? rows - 2 : 16, w = (t->cols - 2) / (int)m->n_regions - 10, k;
	size_t r, n;

	if (h < 5 || w < 20)
		return 0;
	if (w > 512)
		w = 512;
	for (r = 0; r < m->n_regions; r++) {
		const struct model_chart *c = chart_of(&m->regions[r], MODEL_CHART_REQUESTS);
		int x = 1 + (int)r * (w + 10);
		double lo, hi;
		if (r == 0) {
			snprintf(title, sizeof(title), "Requests per second, last %s",
				 draw_dur(a, sizeof(a), c && c->range_s ? c->range_s : 3600));
			draw_section(t, y, title, DRAW_NO_AGE, NULL);
		}
		draw_textf(t, y + 1, x + 8, w, ROLE_HEADER, "%s", m->regions[r].name);
		/* the whole range in w columns, its time axis on the last row */
		n = chart_columns(c, true, v, (size_t)w);
		if (!n) {
			draw_text(t, y + 2, x + 8, w, ROLE_DIM, "no data");
			continue;
		}
		fmt_axis(v, n, &lo, &hi);
		for (k = 0; k < h - 2; k++) {
			fmt_chart_row(row, sizeof(row), v, n, w, h - 2, k, lo, hi, t->glyphs == FMT_ASCII ? FMT_ASCII : FMT_BLOCK);
			if (k == 0 || k == h - 3)
				draw_textf(t, y + 2 + k, x, 7, ROLE_DIM, "%7s", fmt_num(num, sizeof(num), k ? lo : hi));
			draw_text(t, y + 2 + k, x + 8, w, r ? ROLE_GREEN : ROLE_ACCENT, row);
		}
		draw_time_axis(t, y + h, x + 8, w, c->range_s ? c->range_s : 3600, chart_end(c));
	}
	return h + 1;
}

/* The alarms in ALARM in every region, as many as fit. */
static void draw_active_alarms(struct tui *t, struct model *m, int y, int rows)
{
	char title[64], age[16], name[256];
	int n = 0, row = 0, nw = t->cols >= 120 ? 48 : 28, longest = 0;
	size_t r, i;

	for (r = 0; r < m->n_regions; r++)
		for (i = 0; i < m->regions[r].n_alarms; i++)
			if (m->regions[r].alarms[i].state && strcmp(m->regions[r].alarms[i].state, "ALARM") == 0) {
				int w = fmt_width(views_s(m->regions[r].alarms[i].name));
				n++;
				longest = w > longest ? w : longest;
			}
	/* wide screens: whole names, up to a third of the width (the reason gets the rest) */
	if (t->cols >= 120 && longest > nw)
		nw = longest < t->cols / 3 ? longest : t->cols / 3;
	snprintf(title, sizeof(title), "Active alarms (%d)", n);
	views_section_panel(t, y, title, MODEL_PANEL_ALARMS);
	if (n == 0 && rows > 1)
		draw_text(t, y + 1, 2, t->cols - 4, ROLE_OK, "none in ALARM");
	for (r = 0; r < m->n_regions; r++)
		for (i = 0; i < m->regions[r].n_alarms && row + 1 < rows; i++) {
			struct model_alarm *a = &m->regions[r].alarms[i];
			if (!a->state || strcmp(a->state, "ALARM") != 0 || !fmt_match(a->name, views_state(t)->filter))
				continue;
			row++;
			draw_text(t, y + row, 1, 5, ROLE_BAD, "ALARM");
			draw_text(t, y + row, 7, nw, ROLE_NORMAL, fmt_middle(name, sizeof(name), views_s(a->name), nw, !t->utf8));
			draw_textf(t, y + row, 8 + nw, 15, ROLE_DIM, "%-14s", m->regions[r].name);
			draw_textf(t, y + row, 23 + nw, 5, ROLE_DIM, "%4s",
				   fmt_age(age, sizeof(age), a->since ? (long)(time(NULL) - a->since) : -1));
			draw_text(t, y + row, 29 + nw, t->cols - 30 - nw, ROLE_NORMAL, views_s(a->reason));
		}
	if (n > row && row + 1 == rows && row > 0)
		draw_textf(t, y + row, t->cols - 16, 15, ROLE_DIM, " +%d more (:al) ", n - row);
}

/* Draw the overview. */
void view_overview_draw(struct tui *t, int top, int height)
{
	struct model *m = tui_model(t);
	int y = top, bottom = top + height, alarms = 0;
	size_t r, i;

	if (!m) {
		draw_section(t, top, "Overview", -1, NULL);
		draw_text(t, top + 2, 2, t->cols - 4, ROLE_DIM, "no data source");
		return;
	}
	for (r = 0; r < m->n_regions; r++)
		for (i = 0; i < m->regions[r].n_alarms; i++)
			alarms += m->regions[r].alarms[i].state && strcmp(m->regions[r].alarms[i].state, "ALARM") == 0;
	y += draw_targets(t, m, y, 2 + (int)m->n_targets);
	y += draw_regions(t, m, y);
	/* spare rows beyond the alarms' (at least 3): a traffic chart, up to 16 rows */
	if (bottom - y - (alarms > 2 ? alarms + 1 : 3) >= 8)
		y += draw_traffic(t, m, y, bottom - y - (alarms > 2 ? alarms + 1 : 3));
	if (y < bottom)
		draw_active_alarms(t, m, y, bottom - y);
}
