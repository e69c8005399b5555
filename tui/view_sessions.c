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

/* A figure right-aligned in w columns, "-" when unknown. */
static void figure(struct tui *t, int y, int x, int w, double v, enum color_role role)
{
	char num[16];

	draw_textf(t, y, x, w, isnan(v) ? ROLE_DIM : role, "%*s", w, fmt_num(num, sizeof(num), v));
}

/* One region's groups and nodes; returns the next row. */
static int draw_region(struct tui *t, struct model *m, size_t r, int y, int bottom, time_t now)
{
	const struct model_sessions *s = &m->regions[r].sessions;
	struct sessions_view sv;
	char name[64];

	sessions_of_region(m, r, now, &sv);
	draw_textf(t, y, 1, 16, ROLE_HEADER, "%-16s", m->regions[r].name);
	draw_text(t, y++, 18, t->cols - 19, color_sev(sv.sev), sv.why);
	for (size_t g = 0; g < s->n_groups && y < bottom; g++) {
		const struct model_cache_group *grp = &s->groups[g];
		draw_textf(t, y++, 2, t->cols - 3, ROLE_NORMAL, "%s  %s  %s%s  %s%s", views_s(grp->id),
			   views_s(grp->status), grp->global_id ? "Global Datastore " : "no Global Datastore",
			   grp->global_id ? views_s(grp->global_role) : "",
			   grp->auto_failover ? "auto-failover" : "MANUAL FAILOVER", grp->multi_az ? " multi-AZ" : "");
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

/* Draw the session store of every region, then the events. */
void view_sessions_draw(struct tui *t, int top, int height)
{
	struct model *m = tui_model(t);
	int y = top + 2, bottom = top + height;
	time_t now = time(NULL);
	char age[16], msg[256];
	size_t r, i, shown = 0;

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
		for (i = 0; i < m->regions[r].sessions.n_events && y < bottom; i++) {
			const struct model_cache_event *e = &m->regions[r].sessions.events[i];
			if (!e->failover)
				continue;
			snprintf(msg, sizeof(msg), "%s: %s", views_s(e->source), views_s(e->message));
			draw_textf(t, y, 1, 8, now - e->at < SESSIONS_RECENT_S ? ROLE_WARN : ROLE_DIM, "%4s ago",
				   fmt_age(age, sizeof(age), e->at ? (long)(now - e->at) : -1));
			draw_textf(t, y, 10, 15, ROLE_DIM, "%-15s", m->regions[r].name);
			draw_text(t, y++, 26, t->cols - 27, ROLE_NORMAL, msg);
			shown++;
		}
	if (!shown && y < bottom)
		draw_text(t, y, 2, t->cols - 4, ROLE_DIM, "none");
}
