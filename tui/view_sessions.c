/* view_sessions.c — the Redis session store: each region's replication group
 * (Global Datastore role), its nodes with their roles, state and AWS/ElastiCache
 * figures, the store's state in words, and the failover events of the last day. */
#include "tui/view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/model.h"
#include "model/sessions.h"
#include "tui/wrap.h"

/* A figure right-aligned in w columns, "-" when unknown. */
static void figure(struct tui *t, int y, int x, int w, double v, enum color_role role)
{
	char num[16];

	draw_textf(t, y, x, w, isnan(v) ? ROLE_DIM : role, "%*s", w, fmt_num(num, sizeof(num), v));
}

/* A replication group's line in width columns: id, status, Global Datastore role,
 * failover mode, multi-AZ. When it does not fit, "Global Datastore" becomes
 * "global", then the id is shortened in the middle; the role and failover stay. */
static void group_line(const struct tui *t, const struct model_cache_group *grp, int width, char *out, size_t size)
{
	static const char *const gds[2][2] = { { "no Global Datastore", "Global Datastore " },
						{ "not global", "global " } };
	const char *fo = grp->auto_failover ? "auto-failover" : "MANUAL FAILOVER", *az = grp->multi_az ? " multi-AZ" : "";
	const char *role = grp->global_id ? views_s(grp->global_role) : "";
	char tail[160], id[128];
	int g, room;

	for (g = 0; g < 2; g++) {
		snprintf(tail, sizeof(tail), "  %s  %s%s  %s%s", views_s(grp->status), gds[g][grp->global_id != NULL], role,
			 fo, az);
		snprintf(out, size, "%s%s", views_s(grp->id), tail);
		if (fmt_width(out) <= width)
			return;
	}
	room = width - fmt_width(tail);
	snprintf(out, size, "%s%s", fmt_middle(id, sizeof(id), views_s(grp->id), room < 12 ? 12 : room, !t->utf8), tail);
}

/* One region's groups and nodes; returns the next row. */
static int draw_region(struct tui *t, struct model *m, size_t r, int y, int bottom, time_t now)
{
	const struct model_sessions *s = &m->regions[r].sessions;
	struct sessions_view sv;
	char name[64], line[256];

	sessions_of_region(m, r, now, &sv);
	draw_textf(t, y, 1, 16, ROLE_HEADER, "%-16s", m->regions[r].name);
	draw_text(t, y++, 18, t->cols - 19, color_sev(sv.sev), sv.why);
	for (size_t g = 0; g < s->n_groups && y < bottom; g++) {
		const struct model_cache_group *grp = &s->groups[g];
		group_line(t, grp, t->cols - 3, line, sizeof(line));
		draw_text(t, y++, 2, t->cols - 3, ROLE_NORMAL, line);
		for (size_t n = 0; n < grp->n_nodes && y < bottom; n++, y++) {
			const struct model_cache_node *nd = &grp->nodes[n];
			double ev = nd->figures[MODEL_CACHE_EVICTIONS];
			draw_textf(t, y, 3, 20, ROLE_NORMAL, "%-20s",
				   fmt_middle(name, sizeof(name), views_s(nd->cluster_id), 20, !t->utf8));
			draw_textf(t, y, 24, 8, nd->role && strcmp(nd->role, "primary") == 0 ? ROLE_ACCENT : ROLE_NORMAL, "%-8s", views_s(nd->role));
			draw_textf(t, y, 33, 10, nd->status && strcmp(nd->status, "available") == 0 ? ROLE_OK : ROLE_WARN,
				   "%-10s", views_s(nd->status));
			figure(t, y, 44, 5, nd->figures[MODEL_CACHE_CPU], ROLE_NORMAL);
			figure(t, y, 50, 5, nd->figures[MODEL_CACHE_MEMORY], ROLE_NORMAL);
			figure(t, y, 56, 5, nd->figures[MODEL_CACHE_CONNECTIONS], ROLE_NORMAL);
			figure(t, y, 62, 5, ev, !isnan(ev) && ev > 0 ? ROLE_BAD : ROLE_NORMAL);
			figure(t, y, 68, 5, nd->figures[MODEL_CACHE_HIT_RATE], ROLE_NORMAL);
			if (t->cols >= 80)
				figure(t, y, 74, 5, nd->figures[MODEL_CACHE_REPLICATION_LAG], ROLE_NORMAL);
		}
	}
	return y;
}

/* An event's message from column 26: wrapped over up to rows rows (the rows left
 * less one for each event still to come), else on one row shortened in the
 * middle so its start and end (what happened, to which node) both show. Returns
 * the next row. */
static int draw_message(struct tui *t, int y, int rows, const char *msg)
{
	int width = t->cols - 27;
	struct wrap w;
	char one[256];

	if (width < 10)
		return y + 1;
	wrap_init(&w);
	wrap_add(&w, msg, width);
	if (w.n >= 1 && (int)w.n <= rows)
		for (size_t k = 0; k < w.n; k++)
			draw_text(t, y++, 26, width, ROLE_NORMAL, w.line[k]);
	else
		draw_text(t, y++, 26, width, ROLE_NORMAL, fmt_middle(one, sizeof(one), msg, width, !t->utf8));
	wrap_clean_up(&w);
	return y;
}

/* Draw the session store of every region, then the events. */
void view_sessions_draw(struct tui *t, int top, int height)
{
	struct model *m = tui_model(t);
	int y = top + 2, bottom = top + height;
	time_t now = time(NULL);
	char age[16], msg[256];
	size_t r, i, shown = 0, left = 0;

	views_section_panel(t, top, "Redis sessions (ElastiCache)", MODEL_PANEL_SESSIONS);
	if (!m)
		return;
	draw_textf(t, top + 1, 3, t->cols - 4, ROLE_DIM, "%-20s %-8s %-10s %5s %5s %5s %5s %5s %5s", "node", "role",
		   "status", "cpu%", "mem%", "conn", "evict", "hit%", "lag s");
	for (r = 0; r < m->n_regions && y < bottom - 2; r++)
		y = draw_region(t, m, r, y, bottom - 2, now);
	if (y >= bottom - 1)
		return;
	draw_section(t, y++, "Failovers and node replacements, last day", DRAW_NO_AGE, NULL);
	for (r = 0; r < m->n_regions; r++)
		for (i = 0; i < m->regions[r].sessions.n_events; i++)
			left += m->regions[r].sessions.events[i].failover;
	for (r = 0; r < m->n_regions; r++)
		for (i = 0; i < m->regions[r].sessions.n_events && y < bottom; i++) {
			const struct model_cache_event *e = &m->regions[r].sessions.events[i];
			if (!e->failover)
				continue;
			snprintf(msg, sizeof(msg), "%s: %s", views_s(e->source), views_s(e->message));
			draw_textf(t, y, 1, 8, now - e->at < SESSIONS_RECENT_S ? ROLE_WARN : ROLE_DIM, "%4s ago",
				   fmt_age(age, sizeof(age), e->at ? (long)(now - e->at) : -1));
			draw_textf(t, y, 10, 15, ROLE_DIM, "%-15s", m->regions[r].name);
			y = draw_message(t, y, bottom - y - (int)--left, msg);
			shown++;
		}
	if (!shown && y < bottom)
		draw_text(t, y, 2, t->cols - 4, ROLE_DIM, "none");
}
