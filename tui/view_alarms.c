/* view_alarms.c — alarms of every region: state, reason, since when, history. */
#include "tui/view.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/model.h"

/* Role of an alarm state. */
static enum color_role state_role(const char *state)
{
	if (!state)
		return ROLE_DIM;
	if (strcmp(state, "ALARM") == 0)
		return ROLE_BAD;
	if (strcmp(state, "OK") == 0)
		return ROLE_OK;
	return ROLE_STALE;
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

/* Draw the alarms list and the history of the selected one. */
void view_alarms_draw(struct tui *t, int top, int height)
{
	struct model *m = tui_model(t);
	struct view_state *vs = views_state(t);
	struct model_alarm *list[512], *sel = NULL;
	const char *regions[512];
	int n = 0, list_h, y, k;
	size_t r, i;
	char age[16], tm[16], line[256];

	views_section_panel(t, top, "Alarms", MODEL_PANEL_ALARMS);
	if (!m)
		return;
	for (r = 0; r < m->n_regions; r++)
		for (i = 0; i < m->regions[r].n_alarms && n < 512; i++) {
			struct model_alarm *a = &m->regions[r].alarms[i];
			snprintf(line, sizeof(line), "%s %s %s %s", views_s(a->name), views_s(a->state),
				 m->regions[r].name, views_s(a->reason));
			if (!fmt_match(line, vs->filter))
				continue;
			regions[n] = m->regions[r].name;
			list[n++] = a;
		}
	if (n == 0) {
		draw_text(t, top + 2, 2, t->cols - 4, ROLE_DIM, vs->filter[0] ? "no alarm matches the filter" : "no alarms");
		return;
	}
	list_h = height - 1 - 8;
	if (list_h < 3)
		list_h = height - 1;
	if (list_h > n + 1)
		list_h = n + 1;
	draw_textf(t, top + 1, 1, t->cols - 2, ROLE_DIM, "%-6s %-32s %-14s %5s  %s", "state", "alarm", "region", "since", "reason");
	views_clamp(vs, n, list_h - 1);
	for (y = 0; y < list_h - 1 && vs->scroll + y < n; y++) {
		int k2 = vs->scroll + y, row = top + 2 + y;
		struct model_alarm *a = list[k2];
		bool on = k2 == vs->sel;
		draw_text(t, row, 0, t->cols, on ? ROLE_SELECT : ROLE_NORMAL, "");
		draw_textf(t, row, 1, 6, on ? ROLE_SELECT : state_role(a->state), "%-6s", state_word(a->state));
		draw_textf(t, row, 8, 32, on ? ROLE_SELECT : ROLE_NORMAL, "%-32s", views_s(a->name));
		draw_textf(t, row, 41, 14, on ? ROLE_SELECT : ROLE_DIM, "%-14s", regions[k2]);
		draw_textf(t, row, 56, 5, on ? ROLE_SELECT : ROLE_DIM, "%5s", ago(age, sizeof(age), a->since));
		draw_text(t, row, 63, t->cols - 63, on ? ROLE_SELECT : ROLE_NORMAL, views_s(a->reason));
		if (on)
			sel = a;
	}
	y = top + 1 + list_h;
	if (!sel || y >= top + height)
		return;
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
