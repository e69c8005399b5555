/* view_cdn.c — CloudFront: each distribution's status, its origins (which region
 * each load balancer is, which the origin group tries first) and its AWS/CloudFront
 * figures; the additional metrics read "not enabled" when they are off. */
#include "tui/view.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/cdn.h"
#include "model/model.h"

void view_cdn_draw(struct tui *t, int top, int height)
{
	struct model *m = tui_model(t);
	int y = top + 1, bottom = top + height;
	char buf[64], name[160];

	views_section_status(t, top, "CloudFront (global; metrics in us-east-1, Region=Global)",
			     m ? &m->cdn_status : NULL);
	if (!m)
		return;
	if (!m->cdn.n_dists)
		draw_text(t, y, 2, t->cols - 4, ROLE_DIM, m->cdn_status.fetched_at ? "no distribution" : "not read yet");
	for (size_t i = 0; i < m->cdn.n_dists && y < bottom; i++) {
		const struct model_distribution *d = &m->cdn.dists[i];
		struct cdn_view cv;
		cdn_of_distribution(d, &cv);
		draw_textf(t, y, 1, t->cols - 2, ROLE_HEADER, "%s  %s  %s", views_s(d->id), views_s(d->domain),
			   d->alias ? views_s(d->alias) : "");
		y++;
		draw_text(t, y++, 3, t->cols - 4, color_sev(cv.sev), cv.why);
		for (int k = 0; k < MODEL_CDN_METRIC_COUNT && y < bottom; k++, y++) {
			draw_textf(t, y, 3, 16, ROLE_NORMAL, "%-16s", panel_cdn_metric_name((enum model_cdn_metric)k));
			cdn_figure_text(d, (enum model_cdn_metric)k, buf, sizeof(buf));
			draw_text(t, y, 20, 20, strcmp(buf, "not enabled") == 0 || strcmp(buf, "-") == 0 ? ROLE_DIM : ROLE_ACCENT,
				  buf);
		}
		if (y < bottom)
			draw_text(t, y++, 3, t->cols - 4, ROLE_DIM, "origins (origin group order: primary, then failover)");
		for (size_t k = 0; k < d->n_origins && y < bottom; k++, y++) {
			const struct model_cdn_origin *o = &d->origins[k];
			int r = cdn_origin_region(m, o);
			draw_textf(t, y, 3, 9, o->failover_primary ? ROLE_ACCENT : ROLE_NORMAL, "%-9s",
				   o->failover_primary ? "primary" : o->failover_secondary ? "failover" : "-");
			draw_textf(t, y, 13, 15, ROLE_NORMAL, "%-15s", r >= 0 ? m->regions[r].name : "?");
			if (r >= 0 && m->regions[r].summary.down)
				draw_text(t, y, 29, 5, ROLE_BAD, "DOWN");
			draw_text(t, y, 34, t->cols - 35, ROLE_DIM,
				  fmt_middle(name, sizeof(name), views_s(o->domain), t->cols - 35, !t->utf8));
		}
	}
}
