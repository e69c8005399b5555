/* view_alarms.c — alarms of every region: state, name (shortened in the middle, whole
 * on the history line), since when, reason, history; Enter opens the selected alarm:
 * its metric, threshold and evaluation, and a chart of the metric with the threshold
 * line; Esc goes back. */
#include "tui/view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/model.h"

#define MAX_LIST 512

/* Role of an alarm state. */
static enum color_role state_role(const char *state)
{
	if (!state)
		return ROLE_UNKNOWN;
	if (strcmp(state, "ALARM") == 0)
		return ROLE_BAD;
	if (strcmp(state, "OK") == 0)
		return ROLE_OK;
	return ROLE_UNKNOWN;
}

/* How long ago `when` was, coarsely ("12m"); "-" for 0. */
static const char *ago(char *buf, size_t size, time_t when)
{
	return fmt_age(buf, size, when ? (long)(time(NULL) - when) : -1);
}

/* The state as shown (INSUFFICIENT_DATA is shortened to fit the column). */
static const char *state_word(const char *state)
{
	return state && strcmp(state, "INSUFFICIENT_DATA") == 0 ? "INSUFF" : views_s(state);
}

/* The alarms that match the filter, with their regions; returns how many. */
static int alarm_list(struct tui *t, struct model *m, struct model_alarm **list, size_t *regions)
{
	struct view_state *vs = views_state(t);
	char line[512];
	int n = 0;
	size_t r, i;

	for (r = 0; r < m->n_regions; r++)
		for (i = 0; i < m->regions[r].n_alarms && n < MAX_LIST; i++) {
			struct model_alarm *a = &m->regions[r].alarms[i];
			snprintf(line, sizeof(line), "%s %s %s %s", views_s(a->name), views_s(a->state),
				 m->regions[r].name, views_s(a->reason));
			if (!fmt_match(line, vs->filter))
				continue;
			regions[n] = r;
			list[n++] = a;
		}
	return n;
}

/* Keep the selection on the same alarm (by name) unless a key moved it. */
static void follow(struct view_state *vs, struct model_alarm **list, int n)
{
	int i;

	if (vs->sel == vs->drawn_sel && vs->sel_id[0])
		for (i = 0; i < n; i++)
			if (list[i]->name && strcmp(list[i]->name, vs->sel_id) == 0)
				vs->sel = i;
}

/* "> 10 for 3 of 3 datapoints of 1m" for a metric alarm. */
static void evaluation(const struct model_alarm *a, char *buf, size_t size)
{
	static const struct { const char *op, *sym; } ops[] = {
		{ "GreaterThanThreshold", ">" }, { "GreaterThanOrEqualToThreshold", ">=" },
		{ "LessThanThreshold", "<" }, { "LessThanOrEqualToThreshold", "<=" },
	};
	const char *sym = NULL;
	char num[16], p[16];
	size_t i;

	for (i = 0; a->comparison && i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(a->comparison, ops[i].op) == 0)
			sym = ops[i].sym;
	snprintf(buf, size, "%s %s in %d of %d datapoints of %s (%s per period); missing data: %s",
		 sym ? sym : views_s(a->comparison), fmt_num(num, sizeof(num), a->threshold),
		 a->datapoints_to_alarm ? a->datapoints_to_alarm : a->evaluation_periods, a->evaluation_periods,
		 draw_dur(p, sizeof(p), a->period_s), views_s(a->statistic), a->treat_missing ? a->treat_missing : "missing");
}

/* The opened alarm: what it watches, how it evaluates, and its metric against the threshold. */
static void draw_detail(struct tui *t, struct model *m, struct model_alarm *a, size_t region, int top, int height)
{
	const struct model_alarm_chart *c = &m->regions[region].alarm_chart;
	int y = top, bottom = top + height, h;
	char title[400], line[400], age[16];

	snprintf(title, sizeof(title), "Alarm %s (%s)", views_s(a->name), m->regions[region].name);
	draw_section(t, y++, title, a->fetched_at ? (long)(time(NULL) - a->fetched_at) : -1, NULL);
	draw_textf(t, y, 1, 10, state_role(a->state), "%-10s", views_s(a->state));
	draw_textf(t, y++, 12, t->cols - 13, ROLE_DIM, "since %s ago", ago(age, sizeof(age), a->since));
	draw_text(t, y++, 1, t->cols - 2, ROLE_NORMAL, views_s(a->reason));
	if (a->composite) {
		draw_textf(t, y++, 1, t->cols - 2, ROLE_NORMAL, "rule     %s", views_s(a->rule));
	} else {
		draw_textf(t, y++, 1, t->cols - 2, ROLE_NORMAL, "metric   %s %s", a->namespace_ ? a->namespace_ : "metric math",
			   views_s(a->metric));
		if (a->dimensions)
			draw_textf(t, y++, 1, t->cols - 2, ROLE_DIM, "         %s", a->dimensions);
		if (a->comparison) {
			evaluation(a, line, sizeof(line));
			draw_textf(t, y++, 1, t->cols - 2, ROLE_NORMAL, "alarm if %s", line);
		} else {
			draw_text(t, y++, 1, t->cols - 2, ROLE_UNKNOWN, "alarm if ? (DescribeAlarms gave no threshold)");
		}
	}
	if (a->description && y < bottom - 1)
		draw_textf(t, y++, 1, t->cols - 2, ROLE_DIM, "%s", a->description);
	if (y >= bottom - 1)
		return;
	if (!c->alarm || strcmp(c->alarm, views_s(a->name)) != 0) {
		draw_text(t, y, 1, t->cols - 2, ROLE_DIM,
			  a->composite ? "a composite alarm has no metric of its own"
			  : t->opt.source && t->opt.source->focus_alarm ? "reading the metric ..."
									 : "this data source does not read alarm metrics");
		return;
	}
	snprintf(title, sizeof(title), "%s over %s, threshold %s", views_s(a->metric), draw_dur(age, sizeof(age), c->range_s),
		 isnan(a->threshold) ? "-" : "marked");
	if (c->error) {
		snprintf(line, sizeof(line), "STALE: %s", c->error);
		draw_section(t, y++, title, c->fetched_at ? (long)(time(NULL) - c->fetched_at) : -1, line);
	} else {
		draw_section(t, y++, title, c->fetched_at ? (long)(time(NULL) - c->fetched_at) : -1, NULL);
	}
	h = bottom - y - 2;
	if (h > 12)
		h = 12;
	if (!c->series.n) {
		draw_text(t, y, 1, t->cols - 2, ROLE_DIM, c->error ? "no data: it could not be read" : "no datapoints in the range");
		return;
	}
	y += draw_chart(t, y, h, &c->series, c->fetched_at, c->range_s, c->period_s, c->error ? ROLE_STALE : ROLE_ACCENT,
			a->threshold);
	if (y < bottom)
		draw_text(t, y, 1, t->cols - 2, ROLE_DIM, "Esc: back to the list");
}

/* Draw the alarms list and the history of the selected one (or the opened alarm). */
void view_alarms_draw(struct tui *t, int top, int height)
{
	struct model *m = tui_model(t);
	struct view_state *vs = views_state(t);
	struct model_alarm *list[MAX_LIST], *sel = NULL;
	size_t regions[MAX_LIST];
	int n, list_h, y, k, nw = t->cols >= 120 ? 56 : 32;
	char age[16], tm[16], line[320], name[128];

	if (!m) {
		views_section_panel(t, top, "Alarms", MODEL_PANEL_ALARMS);
		return;
	}
	n = alarm_list(t, m, list, regions);
	follow(vs, list, n);
	if (vs->detail > 0 && n > 0 && vs->sel < n && strcmp(views_s(list[vs->sel]->name), vs->sel_id) == 0) {
		draw_detail(t, m, list[vs->sel], regions[vs->sel], top, height);
		return;
	}
	vs->detail = 0;
	views_section_panel(t, top, "Alarms (Enter: open)", MODEL_PANEL_ALARMS);
	if (n == 0) {
		draw_text(t, top + 2, 2, t->cols - 4, ROLE_DIM, vs->filter[0] ? "no alarm matches the filter" : "no alarms");
		return;
	}
	list_h = height - 1 - 8;
	if (list_h < 3)
		list_h = height - 1;
	if (list_h > n + 1)
		list_h = n + 1;
	draw_textf(t, top + 1, 1, t->cols - 2, ROLE_DIM, "%-6s %-*s %-14s %5s  %s", "state", nw, "alarm", "region", "since",
		   "reason");
	views_clamp(vs, n, list_h - 1);
	for (y = 0; y < list_h - 1 && vs->scroll + y < n; y++) {
		int k2 = vs->scroll + y, row = top + 2 + y;
		struct model_alarm *a = list[k2];
		bool on = k2 == vs->sel;
		draw_text(t, row, 0, t->cols, on ? ROLE_SELECT : ROLE_NORMAL, "");
		draw_textf(t, row, 1, 6, on ? ROLE_SELECT : state_role(a->state), "%-6s", state_word(a->state));
		draw_textf(t, row, 8, nw, on ? ROLE_SELECT : ROLE_NORMAL, "%-*s", nw,
			   fmt_middle(name, sizeof(name), views_s(a->name), nw, !t->utf8));
		draw_textf(t, row, 9 + nw, 14, on ? ROLE_SELECT : ROLE_DIM, "%-14s", m->regions[regions[k2]].name);
		draw_textf(t, row, 24 + nw, 5, on ? ROLE_SELECT : ROLE_DIM, "%5s", ago(age, sizeof(age), a->since));
		draw_text(t, row, 31 + nw, t->cols - 31 - nw, on ? ROLE_SELECT : ROLE_NORMAL, views_s(a->reason));
		if (on)
			sel = a;
	}
	snprintf(vs->sel_id, sizeof(vs->sel_id), "%s", sel ? views_s(sel->name) : "");
	vs->drawn_sel = vs->sel;
	y = top + 1 + list_h;
	if (!sel || y >= top + height)
		return;
	/* the whole name of the selected alarm */
	snprintf(line, sizeof(line), "History: %s", views_s(sel->name));
	draw_section(t, y, line, sel->fetched_at ? (long)(time(NULL) - sel->fetched_at) : -1, NULL);
	draw_text(t, y + 1, 1, t->cols - 2, ROLE_NORMAL, views_s(sel->reason));
	for (k = 0; (size_t)k < sel->n_history && y + 2 + k < top + height; k++) {
		struct model_alarm_event *e = &sel->history[k];
		draw_textf(t, y + 2 + k, 1, 6, ROLE_DIM, "%5s", ago(tm, sizeof(tm), e->at));
		draw_textf(t, y + 2 + k, 8, 20, ROLE_ACCENT, "%-20s", views_s(e->type));
		draw_text(t, y + 2 + k, 29, t->cols - 30, e->new_state ? state_role(e->new_state) : ROLE_NORMAL,
			  views_s(e->summary));
	}
	if (sel->n_history == 0 && y + 2 < top + height)
		draw_text(t, y + 2, 1, t->cols - 2, ROLE_DIM, "no history collected");
}

/* Esc: close the open alarm. */
static int alarms_back(struct tui *t, int ch)
{
	struct view_state *vs = views_state(t);

	(void)ch;
	if (vs->detail == 0)
		return 0;
	vs->detail = 0;
	t->focus_alarm[0] = '\0';
	return TUI_HANDLED | TUI_REDRAW | TUI_FOCUS;
}

/* Enter: open the selected alarm (its metric is read at once: focus). */
static int alarms_open(struct tui *t, int ch)
{
	struct view_state *vs = views_state(t);
	struct model *m = tui_model(t);
	struct model_alarm *list[MAX_LIST];
	size_t regions[MAX_LIST];
	int n;

	(void)ch;
	if (vs->detail > 0 || !m)
		return 0;
	n = alarm_list(t, m, list, regions);
	if (vs->sel < 0 || vs->sel >= n || !list[vs->sel]->name)
		return TUI_HANDLED;
	vs->detail = 1;
	snprintf(vs->sel_id, sizeof(vs->sel_id), "%s", list[vs->sel]->name);
	vs->drawn_sel = vs->sel;
	snprintf(t->focus_region, sizeof(t->focus_region), "%s", m->regions[regions[vs->sel]].name);
	snprintf(t->focus_alarm, sizeof(t->focus_alarm), "%s", list[vs->sel]->name);
	return TUI_HANDLED | TUI_REDRAW | TUI_FOCUS;
}

const struct key_binding view_alarms_keys[] = {
	{ '\r', "Enter", "open", alarms_open },
	{ '\n', NULL, NULL, alarms_open },
	{ KEY_ENTER, NULL, NULL, alarms_open },
	{ 27, "Esc", "back", alarms_back },
	{ 0, NULL, NULL, NULL },
};
