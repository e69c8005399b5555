/* view_db.c — databases: every DB instance of both regions with its role
 * (writer, replica, standalone after a promotion), status, read latency and,
 * for a replica, whether it replicates and how far behind (ReplicaLag; -1 is
 * "not replicating", never 0 s). */
#include "tui/view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/model.h"
#include "model/replication.h"

/* Draw one instance on two rows: the facts, then its replication in words. */
static void draw_db(struct tui *t, const struct model *m, size_t r, const struct model_db *d, int y)
{
	struct replication rp;
	char name[64], lat[16], age[16];
	long lag_age = d->metrics_at ? (long)(time(NULL) - d->metrics_at) : -1;

	replication_of_db(d, m->n_regions, &rp);
	draw_textf(t, y, 1, 24, ROLE_NORMAL, "%-24s", fmt_middle(name, sizeof(name), views_s(d->id), 24, !t->utf8));
	draw_textf(t, y, 26, 15, ROLE_DIM, "%-15s", m->regions[r].name);
	draw_textf(t, y, 42, 10, rp.role == REPLICATION_REPLICA ? ROLE_NORMAL : ROLE_ACCENT, "%-10s",
		   replication_role_name(rp.role));
	draw_textf(t, y, 53, 12, d->status && strcmp(d->status, "available") == 0 ? ROLE_OK : ROLE_WARN, "%-12s",
		   views_s(d->status));
	draw_textf(t, y, 66, t->cols - 67, isnan(d->read_latency_ms) ? ROLE_DIM : ROLE_NORMAL, "%8s",
		   fmt_num(lat, sizeof(lat), d->read_latency_ms));
	draw_text(t, y + 1, 3, t->cols - 12, color_sev(rp.sev), rp.text);
	if (rp.role == REPLICATION_REPLICA && lag_age >= 0)
		draw_textf(t, y + 1, t->cols - 8, 7, ROLE_DIM, "%7s", fmt_age(age, sizeof(age), lag_age));
}

/* Draw the databases of every region. */
void view_db_draw(struct tui *t, int top, int height)
{
	struct model *m = tui_model(t);
	int y = top + 2, bottom = top + height, shown = 0;
	size_t r, i;

	views_section_panel(t, top, "Databases and replication", MODEL_PANEL_RDS);
	if (!m)
		return;
	draw_textf(t, top + 1, 1, t->cols - 2, ROLE_DIM, "%-24s %-15s %-10s %-12s %8s", "instance", "region", "role",
		   "status", "read ms");
	for (r = 0; r < m->n_regions; r++)
		for (i = 0; i < m->regions[r].n_dbs && y + 1 < bottom; i++) {
			const struct model_db *d = &m->regions[r].dbs[i];
			if (!fmt_match(d->id, views_state(t)->filter))
				continue;
			draw_db(t, m, r, d, y);
			y += 2;
			shown++;
		}
	if (!shown)
		draw_text(t, top + 2, 2, t->cols - 4, ROLE_DIM,
			  views_state(t)->filter[0] ? "no instance matches the filter" : "no DB instances");
}
