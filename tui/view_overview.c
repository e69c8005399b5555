/* view_overview.c — success targets, both regions side by side, active alarms. */
#include "tui/view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/model.h"

/* Role and word for a target's status. */
static const struct {
	const char *word;
	enum color_role role;
} target_status[] = {
	[MODEL_TARGET_NO_DATA] = { "no data", ROLE_DIM },
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

/* The targets table; returns rows used. */
static int draw_targets(struct tui *t, struct model *m, int y, int max)
{
	int nw = name_width(t, m), dx = nw - 20;
	int spark_x = 53 + dx, spark_w = t->cols - spark_x - 7, row = 0;
	size_t i;
	char v[32], num[16], age[16];

	views_section_status(t, y, "Success targets", &m->targets_status);
	draw_textf(t, y + 1, 1, t->cols - 2, ROLE_DIM, "%-*s %9s  %-10s %-8s %-*s %5s", nw, "target", "value",
		   "objective", "status", spark_w, "trend", "age");
	for (i = 0; i < m->n_targets && row + 2 < max; i++, row++) {
		struct model_target *tg = &m->targets[i];
		int ty = y + 2 + row;
		if (!fmt_match(tg->name, views_state(t)->filter))
			continue;
		if (isnan(tg->value))
			snprintf(v, sizeof(v), "-");
		else
			snprintf(v, sizeof(v), "%s %s", fmt_num(num, sizeof(num), tg->value), tg->unit ? tg->unit : "");
		draw_textf(t, ty, 1, nw, ROLE_NORMAL, "%-*s", nw, views_s(tg->name));
		draw_textf(t, ty, 22 + dx, 9, ROLE_ACCENT, "%9s", v);
		draw_textf(t, ty, 33 + dx, 10, ROLE_NORMAL, "%-10s", views_s(tg->objective_text));
		draw_text(t, ty, 44 + dx, 8, target_status[tg->status].role, target_status[tg->status].word);
		if (tg->n_history)
			draw_spark(t, ty, spark_x, spark_w, target_status[tg->status].role, tg->history, tg->n_history);
		else
			draw_text(t, ty, spark_x, spark_w, ROLE_DIM, "");
		draw_textf(t, ty, t->cols - 6, 5, ROLE_DIM, "%5s",
			   fmt_age(age, sizeof(age), tg->value_at ? (long)(time(NULL) - tg->value_at) : -1));
	}
	if (m->n_targets == 0)
		draw_text(t, y + 2, 2, t->cols - 4, ROLE_DIM, "no targets configured");
	return 2 + (m->n_targets ? row : 1);
}

/* One region figure: value text and role. */
struct cell {
	char text[40];
	enum color_role role;
};

/* Format the figures of one region's summary, one cell per row label. */
static void region_cells(struct model *m, size_t r, struct cell *c)
{
	const struct model_summary *s = &m->regions[r].summary;
	char a[16], b[16];

	snprintf(c[0].text, sizeof(c[0].text), "%s", fmt_num(a, sizeof(a), s->requests_per_s));
	c[0].role = ROLE_ACCENT;
	snprintf(c[1].text, sizeof(c[1].text), "%s", isnan(s->http_5xx_pct) ? "-" : fmt_num(a, sizeof(a), s->http_5xx_pct));
	c[1].role = isnan(s->http_5xx_pct) ? ROLE_DIM : s->http_5xx_pct >= 1 ? ROLE_BAD : s->http_5xx_pct > 0.1 ? ROLE_WARN : ROLE_OK;
	snprintf(c[2].text, sizeof(c[2].text), "%s", fmt_num(a, sizeof(a), s->p99_ms));
	c[2].role = isnan(s->p99_ms) ? ROLE_DIM : s->p99_ms > 1000 ? ROLE_BAD : s->p99_ms > 500 ? ROLE_WARN : ROLE_NORMAL;
	if (s->healthy_hosts < 0)
		snprintf(c[3].text, sizeof(c[3].text), "-");
	else
		snprintf(c[3].text, sizeof(c[3].text), "%d/%d", s->healthy_hosts, s->healthy_hosts + s->unhealthy_hosts);
	c[3].role = s->unhealthy_hosts > 0 ? ROLE_WARN : s->healthy_hosts > 0 ? ROLE_OK : ROLE_DIM;
	if (s->asg_desired < 0)
		snprintf(c[4].text, sizeof(c[4].text), "-");
	else
		snprintf(c[4].text, sizeof(c[4].text), "%d/%d (%d-%d)", s->asg_in_service, s->asg_desired, s->asg_min,
			 s->asg_max);
	c[4].role = s->asg_in_service < s->asg_desired ? ROLE_WARN : ROLE_NORMAL;
	snprintf(c[5].text, sizeof(c[5].text), "%s", s->alarms_in_alarm < 0 ? "-" : (snprintf(b, sizeof(b), "%d", s->alarms_in_alarm), b));
	c[5].role = s->alarms_in_alarm > 0 ? ROLE_BAD : s->alarms_in_alarm == 0 ? ROLE_OK : ROLE_DIM;
	snprintf(c[6].text, sizeof(c[6].text), "%s", s->dns_answering ? "<< answering" : m->route53.dns.region ? "standby" : "-");
	c[6].role = s->dns_answering ? ROLE_OK : ROLE_DIM;
}

/* Both regions side by side; returns rows used. */
static int draw_regions(struct tui *t, struct model *m, int y)
{
	static const char *const labels[] = { "requests/s", "5xx %", "p99 ms", "healthy hosts",
		"ASG in service", "alarms in ALARM", "DNS answer" };
	struct cell cells[MODEL_MAX_REGIONS][7];
	int colw = (t->cols - 22) / 2, k;
	size_t r;

	views_section_panel(t, y, "Regions", MODEL_PANEL_LB);
	for (r = 0; r < m->n_regions; r++) {
		draw_textf(t, y + 1, 22 + (int)r * colw, colw, ROLE_HEADER, "%s %s", m->regions[r].name,
			   views_s(m->regions[r].role));
		region_cells(m, r, cells[r]);
	}
	for (k = 0; k < 7; k++) {
		draw_text(t, y + 2 + k, 1, 20, ROLE_NORMAL, labels[k]);
		for (r = 0; r < m->n_regions; r++)
			draw_text(t, y + 2 + k, 22 + (int)r * colw, colw - 1, cells[r][k].role, cells[r][k].text);
	}
	return 9;
}

/* The alarms in ALARM in every region, as many as fit. */
static void draw_active_alarms(struct tui *t, struct model *m, int y, int rows)
{
	char title[64], age[16];
	int n = 0, row = 0;
	size_t r, i;

	for (r = 0; r < m->n_regions; r++)
		for (i = 0; i < m->regions[r].n_alarms; i++)
			n += m->regions[r].alarms[i].state && strcmp(m->regions[r].alarms[i].state, "ALARM") == 0;
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
			draw_textf(t, y + row, 7, 28, ROLE_NORMAL, "%-28s", views_s(a->name));
			draw_textf(t, y + row, 36, 15, ROLE_DIM, "%-14s", m->regions[r].name);
			draw_textf(t, y + row, 51, 5, ROLE_DIM, "%4s", fmt_age(age, sizeof(age), a->since ? (long)(time(NULL) - a->since) : -1));
			draw_text(t, y + row, 57, t->cols - 58, ROLE_NORMAL, views_s(a->reason));
		}
}

/* Draw the overview. */
void view_overview_draw(struct tui *t, int top, int height)
{
	struct model *m = tui_model(t);
	int y = top;

	if (!m) {
		draw_section(t, top, "Overview", -1, NULL);
		draw_text(t, top + 2, 2, t->cols - 4, ROLE_DIM, "no data source");
		return;
	}
	y += draw_targets(t, m, y, 7 + (height > 22 ? (height - 22) / 2 : 0));
	y += draw_regions(t, m, y);
	if (y < top + height)
		draw_active_alarms(t, m, y, top + height - y);
}
