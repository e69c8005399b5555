/* view_route53.c — health checks with each checker region's status, the
 * failover records, and the answer DNS gives now. */
#include "tui/view.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/model.h"

/* "On" / "Off" from a RECOVERY_CONTROL check's checker reports ("... is On"),
 * NULL when no report says (borrowed). */
static const char *routing_state(const struct model_health_check *h)
{
	size_t k, n;

	for (k = 0; k < h->n_checkers; k++) {
		const char *st = h->checkers[k].status;
		if (!st)
			continue;
		n = strlen(st);
		if (n >= 6 && strcmp(st + n - 6, " is On") == 0)
			return "On";
		if (n >= 7 && strcmp(st + n - 7, " is Off") == 0)
			return "Off";
	}
	return NULL;
}

/* Draw health checks, records and the DNS answer. */
void view_route53_draw(struct tui *t, int top, int height)
{
	struct model *m = tui_model(t);
	struct view_state *vs = views_state(t);
	struct model_route53 *r;
	int y = top, bottom = top + height, x;
	bool rc;
	size_t i, k, z;

	views_section_status(t, y++, "Route 53 health checks", m ? &m->route53_status : NULL);
	if (!m)
		return;
	r = &m->route53;
	for (i = 0; i < r->n_checks && y < bottom - 6; i++) {
		struct model_health_check *h = &r->checks[i];
		if (!fmt_match(h->id, vs->filter) && !fmt_match(h->target, vs->filter))
			continue;
		draw_textf(t, y, 1, 16, ROLE_HEADER, "%-16s", views_s(h->id));
		draw_textf(t, y, 18, 10, h->healthy ? ROLE_OK : ROLE_BAD, "%-10s", h->healthy ? "healthy" : "UNHEALTHY");
		draw_textf(t, y, 29, 6, ROLE_NORMAL, "%d/%zu", h->healthy_checkers, h->n_checkers);
		rc = h->type && strcmp(h->type, "RECOVERY_CONTROL") == 0;
		if (rc) {
			const char *st = routing_state(h);
			draw_textf(t, y, 36, t->cols - 37, ROLE_DIM, "routing control %s %s%s%s", views_s(h->target),
				   st ? st : (h->n_checkers && h->checkers[0].status ? h->checkers[0].status : "no status"),
				   h->inverted ? " inverted" : "", h->disabled ? " disabled" : "");
			y++;
			continue;  /* every checker reports the one routing control: no per-region list */
		}
		draw_textf(t, y, 36, t->cols - 37, ROLE_DIM, "%s %s%s%s", views_s(h->type), views_s(h->target),
			   h->inverted ? " inverted" : "", h->disabled ? " disabled" : "");
		y++;
		/* per checker region: "us-east-1 ok  eu-west-1 FAIL ..." wrapped */
		x = 3;
		for (k = 0; k < h->n_checkers && y < bottom - 5; k++) {
			struct model_checker *c = &h->checkers[k];
			int w = (int)strlen(views_s(c->region)) + 1 + (c->healthy ? 2 : 4) + 2;
			if (x + w > t->cols - 1) {
				y++;
				x = 3;
			}
			draw_text(t, y, x, w, ROLE_DIM, views_s(c->region));
			x += (int)strlen(views_s(c->region)) + 1;
			draw_text(t, y, x, 4, c->healthy ? ROLE_OK : ROLE_BAD, c->healthy ? "ok" : "FAIL");
			x += (c->healthy ? 2 : 4) + 2;
		}
		if (h->n_checkers)
			y++;
	}
	if (r->n_checks == 0 && y < bottom)
		draw_text(t, y++, 2, t->cols - 4, ROLE_DIM, "no health checks");
	if (y < bottom - 2)
		draw_section(t, y++, "Failover records", DRAW_NO_AGE, NULL);
	for (z = 0; z < r->n_zones && y < bottom - 2; z++)
		for (i = 0; i < r->zones[z].n_records && y < bottom - 2; i++, y++) {
			struct model_record *rec = &r->zones[z].records[i];
			draw_textf(t, y, 1, 28, ROLE_NORMAL, "%-28s", views_s(rec->name));
			draw_textf(t, y, 30, 4, ROLE_DIM, "%-4s", views_s(rec->type));
			draw_textf(t, y, 35, 10, rec->failover && strcmp(rec->failover, "PRIMARY") == 0 ? ROLE_ACCENT : ROLE_NORMAL,
				   "%-10s", views_s(rec->failover));
			draw_textf(t, y, 46, 15, ROLE_DIM, "%-15s", views_s(rec->region));
			draw_textf(t, y, 62, t->cols - 63, ROLE_DIM, "%s", views_s(rec->health_check_id));
		}
	if (y < bottom - 1) {
		struct model_dns_answer *d = &r->dns;
		char ans[256];
		size_t len = 0;
		ans[0] = '\0';
		for (i = 0; i < d->n_answers && len < sizeof(ans); i++)
			len += (size_t)snprintf(ans + len, sizeof(ans) - len, "%s%s", i ? ", " : "", d->answers[i]);
		draw_section(t, y++, "DNS answer now (TestDNSAnswer)", d->fetched_at ? (long)(time(NULL) - d->fetched_at) : -1, NULL);
		draw_textf(t, y, 1, t->cols - 2, ROLE_NORMAL, "%s %s %s", views_s(d->record_name), views_s(d->record_type),
			   views_s(d->response_code));
		if (y + 1 < bottom)
			draw_textf(t, y + 1, 3, t->cols - 4, d->region ? ROLE_OK : ROLE_WARN, "-> %s  (%s)",
				   d->region ? d->region : "unknown region", ans[0] ? ans : "no answer");
	}
}
