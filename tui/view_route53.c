/* view_route53.c — health checks with each checker region's status, the
 * failover records, and the answer DNS gives now. */
#include "tui/view.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/model.h"
#include "model/serving.h"

/* A check's state in words and its role. */
static const char *state_word(const struct model_health_check *h, enum color_role *role)
{
	*role = h->state == 1 ? ROLE_OK : h->state == 0 ? ROLE_BAD : ROLE_UNKNOWN;
	return h->state == 1 ? "healthy" : h->state == 0 ? "UNHEALTHY" : "unknown";
}

/* The answer DNS gives, the region it is, how that is known, and Route 53's own
 * rules (4 rows); returns rows used. */
static int draw_answer(struct tui *t, struct model *m, int y)
{
	struct model_dns_answer *d = &m->route53.dns;
	const struct model_lb_address *a;
	const char *addr = NULL;
	char ans[256], line[400];
	size_t i, len = 0;
	int ri = d->region ? model_region_index(m, d->region) : -1;

	ans[0] = '\0';
	for (i = 0; i < d->n_answers && len < sizeof(ans); i++)
		len += (size_t)snprintf(ans + len, sizeof(ans) - len, "%s%s", i ? ", " : "", d->answers[i]);
	views_section_status(t, y, "DNS answer now (TestDNSAnswer)", &m->route53_status);
	draw_textf(t, y + 1, 1, t->cols - 2, ROLE_NORMAL, "%s %s %s: %s", views_s(d->record_name), views_s(d->record_type),
		   views_s(d->response_code), ans[0] ? ans : "no answer");
	if (d->region && d->method == MODEL_SERVING_INFERRED)
		snprintf(line, sizeof(line), "-> %s  inferred (the answer matches no address or name we know)", d->region);
	else if (d->region && d->method == MODEL_SERVING_ADDRESS && (a = serving_matched(m, &addr))) {
		/* which load balancer interface the answer is; its zone when there is room */
		snprintf(line, sizeof(line), "-> %s  address match: %s = %s in %s", d->region, views_s(addr),
			 views_s(a->lb_name), views_s(a->az));
		if ((int)strlen(line) > t->cols - 4)
			snprintf(line, sizeof(line), "-> %s  address match: %s = %s", d->region, views_s(addr),
				 views_s(a->lb_name));
	}
	else if (d->region)
		snprintf(line, sizeof(line), "-> %s  by %s", d->region, serving_method_name(d->method));
	else
		snprintf(line, sizeof(line), "-> region unknown: nothing read ties the answer to a region");
	draw_text(t, y + 2, 3, t->cols - 4, ri >= 0 ? color_sev(m->regions[ri].summary.sev[MODEL_FIG_DNS]) : ROLE_UNKNOWN,
		  line);
	snprintf(line, sizeof(line), "Route 53 rules pick %s%s: %s",
		 d->evaluated_region ? d->evaluated_region : "none (cannot tell)",
		 d->disagree ? " (DISAGREES with the answer)" : "", views_s(d->evaluation));
	draw_text(t, y + 3, 3, t->cols - 4, d->disagree ? ROLE_WARN : ROLE_DIM, line);
	if (fmt_width(line) <= t->cols - 4)
		return 4;
	/* the rest of a long reason on the next row */
	{
		int cut = t->cols - 4;
		while (cut > 0 && line[cut] != ' ')
			cut--;
		draw_textf(t, y + 3, 3, t->cols - 4, ROLE_NORMAL, "%*s", t->cols - 4, "");
		draw_textf(t, y + 3, 3, cut, d->disagree ? ROLE_WARN : ROLE_DIM, "%.*s", cut, line);
		draw_text(t, y + 4, 5, t->cols - 6, d->disagree ? ROLE_WARN : ROLE_DIM, line + cut + 1);
	}
	return 5;
}

/* The failover records with their health as Route 53 would judge it; returns rows used. */
static int draw_records(struct tui *t, struct model *m, int y, int bottom)
{
	struct model_route53 *r = &m->route53;
	int y0 = y;
	size_t z, i;

	bool names = t->cols >= 120;
	int x, nw = 26;

	/* narrow: the name column only when a record is not the answered name's */
	for (z = 0; z < r->n_zones; z++)
		for (i = 0; i < r->zones[z].n_records; i++)
			names |= !panel_route53_dns_same(r->zones[z].records[i].name, r->dns.record_name);
	for (z = 0; t->cols >= 120 && z < r->n_zones; z++)   /* wide: whole names, up to 48 columns */
		for (i = 0; i < r->zones[z].n_records; i++)
			if (fmt_width(views_s(r->zones[z].records[i].name)) > nw)
				nw = fmt_width(views_s(r->zones[z].records[i].name)) > 48 ? 48
											       : fmt_width(views_s(r->zones[z].records[i].name));
	draw_section(t, y++, names ? "Failover records (health as Route 53 judges it)"
				   : "Failover records of the answered name (health as Route 53 judges it)", DRAW_NO_AGE, NULL);
	for (z = 0; z < r->n_zones && y < bottom; z++)
		for (i = 0; i < r->zones[z].n_records && y < bottom; i++, y++) {
			struct model_record *rec = &r->zones[z].records[i];
			char name[256], why[256];
			x = 1;
			if (names) {
				draw_text(t, y, 1, nw, ROLE_NORMAL, fmt_middle(name, sizeof(name), views_s(rec->name), nw, !t->utf8));
				x = nw + 2;
			}
			draw_textf(t, y, x, 10, rec->failover && strcmp(rec->failover, "PRIMARY") == 0 ? ROLE_ACCENT : ROLE_NORMAL,
				   "%-10s", views_s(rec->failover));
			draw_textf(t, y, x + 11, 15, ROLE_DIM, "%-15s", views_s(rec->region));
			draw_textf(t, y, x + 27, 10, rec->state == 1 ? ROLE_OK : rec->state == 0 ? ROLE_BAD : ROLE_UNKNOWN, "%-10s",
				   rec->state == 1 ? "healthy" : rec->state == 0 ? "UNHEALTHY" : "unknown");
			/* a chain of reasons ends with its cause: on a row of its own when narrow,
			 * shortened in the middle when still too long */
			if (rec->why && t->cols - x - 39 < 40 && y + 1 < bottom)
				draw_text(t, ++y, x + 11, t->cols - x - 12, ROLE_DIM,
					  fmt_middle(why, sizeof(why), rec->why, t->cols - x - 12, !t->utf8));
			else if (rec->why)
				draw_text(t, y, x + 38, t->cols - x - 39, ROLE_DIM,
					  fmt_middle(why, sizeof(why), rec->why, t->cols - x - 39, !t->utf8));
		}
	return y - y0;
}

/* One health check's row; with room, its checkers' regions below it; returns rows used. */
static int draw_check(struct tui *t, const struct model_health_check *h, int y, int bottom, bool checkers)
{
	enum color_role role;
	const char *word = state_word(h, &role);
	char id[80], tgt[256];
	int y0 = y, x, iw = t->cols >= 120 ? 36 : 16, dx = iw - 16;   /* wide: whole ids (36 characters) */
	size_t k;

	draw_text(t, y, 1, iw, ROLE_HEADER, fmt_middle(id, sizeof(id), views_s(h->id), iw, !t->utf8));
	draw_textf(t, y, 18 + dx, 10, role, "%-10s", word);
	draw_textf(t, y, 29 + dx, 6, ROLE_NORMAL, "%d/%zu", h->healthy_checkers, h->n_checkers);
	if (h->type && strcmp(h->type, "RECOVERY_CONTROL") == 0) {
		const char *st = panel_route53_control_state(h);
		/* every checker reports the one routing control: no per-region list */
		draw_textf(t, y, 36 + dx, t->cols - 37 - dx, ROLE_DIM, "routing control %s %s%s%s", views_s(h->target),
			   st ? st : (h->n_checkers && h->checkers[0].status ? h->checkers[0].status : "no status"),
			   h->inverted ? " INVERTED" : "", h->disabled ? " DISABLED" : "");
		return 1;
	}
	/* the region it guards first: a long target is shortened, never its region */
	draw_textf(t, y, 36 + dx, t->cols - 37 - dx, ROLE_DIM, "%s%s%s %s %s", h->inverted ? "INVERTED " : "",
		   h->disabled ? "DISABLED " : "", views_s(h->type), views_s(h->region),
		   fmt_middle(tgt, sizeof(tgt), views_s(h->target), t->cols - 64 - dx, !t->utf8));
	y++;
	/* per checker region: "us-east-1 ok  eu-west-1 FAIL ..." wrapped */
	x = 3;
	for (k = 0; checkers && k < h->n_checkers && y < bottom; k++) {
		const struct model_checker *c = &h->checkers[k];
		int w = (int)strlen(views_s(c->region)) + 1 + (c->healthy ? 2 : 4) + 2;
		if (x + w > t->cols - 1) {
			y++;
			x = 3;
		}
		if (y >= bottom)
			break;
		draw_text(t, y, x, w, ROLE_DIM, views_s(c->region));
		x += (int)strlen(views_s(c->region)) + 1;
		draw_text(t, y, x, 4, c->healthy ? ROLE_OK : ROLE_BAD, c->healthy ? "ok" : "FAIL");
		x += (c->healthy ? 2 : 4) + 2;
	}
	if (checkers && h->n_checkers && y < bottom)
		y++;
	return y - y0;
}

/* Draw the DNS answer, the failover records and the health checks. */
void view_route53_draw(struct tui *t, int top, int height)
{
	struct model *m = tui_model(t);
	struct view_state *vs = views_state(t);
	struct model_route53 *r;
	int y = top, bottom = top + height, need = 0;
	size_t i, n_shown = 0;
	const char *shown[128];         /* the checks on screen: their status is read every refresh */

	if (!m) {
		views_section_status(t, y, "DNS answer now (TestDNSAnswer)", NULL);
		return;
	}
	r = &m->route53;
	y += draw_answer(t, m, y);
	y += draw_records(t, m, y, bottom - 2);
	if (y >= bottom - 1)
		return;
	views_section_status(t, y++, "Route 53 health checks", &m->route53_status);
	/* the checkers' regions when every check's fit */
	for (i = 0; i < r->n_checks; i++)
		need += 1 + (r->checks[i].type && strcmp(r->checks[i].type, "RECOVERY_CONTROL") == 0 ? 0 : 2);
	for (i = 0; i < r->n_checks && y < bottom; i++) {
		const struct model_health_check *h = &r->checks[i];
		if (!fmt_match(h->id, vs->filter) && !fmt_match(h->target, vs->filter))
			continue;
		if (n_shown < sizeof(shown) / sizeof(shown[0]))
			shown[n_shown++] = h->id;
		y += draw_check(t, h, y, bottom, need <= bottom - y);
	}
	panel_route53_set_shown(r, shown, n_shown);
	if (r->n_checks == 0 && y < bottom)
		draw_text(t, y, 2, t->cols - 4, ROLE_DIM, "no health checks");
}
