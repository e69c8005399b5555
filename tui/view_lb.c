/* view_lb.c — load balancers: listeners and their actions with blue/green weights
 * as a bar; target groups (selectable: the whole name and settings of the selected
 * one on a detail line) with their health in its severity's role; the targets of
 * the selected group with their reasons. Enter shows only that group's targets,
 * reasons in full; Esc goes back. Names are shortened in the middle, ports never. */
#include "tui/view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/model.h"

#define MAX_TGS 256

/* Role of a target health state. */
static enum color_role health_role(const char *state)
{
	if (!state)
		return ROLE_UNKNOWN;
	if (strcmp(state, "healthy") == 0)
		return ROLE_OK;
	if (strcmp(state, "unhealthy") == 0)
		return ROLE_BAD;
	return ROLE_WARN;
}

/* Severity of a 5xx rate over one period of req/s: the rule of every 5xx figure. */
static enum model_sev sev_5xx(double pct, double rps, int period_s)
{
	return model_sev_failures(pct, isnan(rps) ? NAN : rps * (period_s ? period_s : 60));
}

/* Severity of a target group's health: none healthy of some is bad. */
static enum model_sev tg_sev(const struct model_tg *tg)
{
	if (!tg->health_at && !tg->n_targets)
		return MODEL_SEV_UNKNOWN;
	if (tg->n_targets && !tg->healthy)
		return MODEL_SEV_BAD;
	return tg->unhealthy || tg->other ? MODEL_SEV_WARN : MODEL_SEV_OK;
}

/* A latency in ms ("180ms"), or "-" when unknown. */
static const char *ms(char *buf, size_t size, double v)
{
	char num[16];

	if (isnan(v))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%sms", fmt_num(num, sizeof(num), v));
	return buf;
}

/* "i-0123…cdef0:8080" in w columns: the id shortened in the middle, the port whole. */
static const char *target_text(struct tui *t, char *buf, size_t size, const struct model_target_health *th, int w)
{
	char port[16], id[96];

	snprintf(port, sizeof(port), ":%d", th->port);
	if (!th->port)
		port[0] = '\0';
	fmt_middle(id, sizeof(id), views_s(th->id), w - (int)strlen(port), !t->utf8);
	snprintf(buf, size, "%s%s", id, port);
	return buf;
}

/* One action: a forward to two groups is a blue/green bar, others are a line. */
static int draw_action(struct tui *t, int y, const char *lead, const struct model_action *a)
{
	char line[256], name[64];
	size_t f, len = 0;

	draw_textf(t, y, 3, 20, ROLE_NORMAL, "%-20s", lead);
	if (a->type && strcmp(a->type, "forward") == 0 && a->n_forwards == 2) {
		draw_weights(t, y, 24, t->cols - 25 > 72 ? 72 : t->cols - 25, a->forwards[0].weight, a->forwards[1].weight);
		return 1;
	}
	if (a->type && strcmp(a->type, "forward") == 0) {
		line[0] = '\0';
		for (f = 0; f < a->n_forwards && len < sizeof(line); f++)
			len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s weight %d", f ? "  " : "forward ",
						fmt_middle(name, sizeof(name), views_s(a->forwards[f].tg_name), 28, !t->utf8),
						a->forwards[f].weight);
		draw_text(t, y, 24, t->cols - 25, ROLE_ACCENT, line);
		return 1;
	}
	draw_textf(t, y, 24, t->cols - 25, ROLE_ACCENT, "%s %s", views_s(a->type), a->detail ? a->detail : "");
	return 1;
}

/* The target groups that match the filter, with their regions; returns how many. */
static int tg_list(struct tui *t, struct model *m, struct model_tg **list, size_t *regions)
{
	int n = 0;
	size_t r, i;

	for (r = 0; r < m->n_regions; r++)
		for (i = 0; i < m->regions[r].n_tgs && n < MAX_TGS; i++)
			if (fmt_match(m->regions[r].tgs[i].name, views_state(t)->filter)) {
				regions[n] = r;
				list[n++] = &m->regions[r].tgs[i];
			}
	return n;
}

/* The targets of a group, reasons and descriptions beside them; returns rows used. */
static int draw_targets(struct tui *t, const struct model_tg *tg, int y, int bottom, bool full)
{
	char buf[128];
	int y0 = y;
	size_t k;

	/* the AZ only where there is room for it and the reason */
	int x = full || t->cols >= 120 ? 44 : 28;

	for (k = 0; k < tg->n_targets && y < bottom; k++, y++) {
		const struct model_target_health *th = &tg->targets[k];
		draw_text(t, y, 3, 24, ROLE_NORMAL, target_text(t, buf, sizeof(buf), th, 24));
		if (x > 28)
			draw_textf(t, y, 28, 15, ROLE_DIM, "%-15s", views_s(th->az));
		draw_textf(t, y, x, 10, health_role(th->state), "%-10s", views_s(th->state));
		if (th->reason)
			draw_textf(t, y, x + 11, t->cols - x - 12, ROLE_WARN, "%s", th->reason);
		if (th->description && full && y + 1 < bottom)
			draw_text(t, ++y, 5, t->cols - 6, ROLE_DIM, th->description);
		else if (th->description && th->reason)
			draw_textf(t, y, x + 12 + (int)strlen(th->reason), t->cols - x - 13 - (int)strlen(th->reason), ROLE_DIM,
				   "%s", th->description);
	}
	if (!tg->n_targets && y < bottom)
		draw_text(t, y++, 3, t->cols - 4, ROLE_DIM, "no registered targets");
	return y - y0;
}

/* The health of a group as text: "0/4 healthy", "no targets". */
static const char *health_text(char *buf, size_t size, const struct model_tg *tg)
{
	int n = tg->healthy + tg->unhealthy + tg->other;

	if (!n)
		snprintf(buf, size, "no targets");
	else
		snprintf(buf, size, "%d/%d healthy", tg->healthy, n);
	return buf;
}

/* Only the selected group's targets (after Enter). */
static void draw_group(struct tui *t, const struct model_tg *tg, const char *region, int top, int height)
{
	char title[320], h[32];

	snprintf(title, sizeof(title), "Targets of %s (%s), %s", views_s(tg->name), region,
		 health_text(h, sizeof(h), tg));
	draw_section(t, top, title, tg->health_at ? (long)(time(NULL) - tg->health_at) : -1, NULL);
	draw_textf(t, top + 1, 1, t->cols - 2, ROLE_DIM, "%s %d, health check %s", views_s(tg->protocol), tg->port,
		   views_s(tg->health_check_path));
	draw_targets(t, tg, top + 2, top + height - 1, true);
	draw_text(t, top + height - 1, 1, t->cols - 2, ROLE_DIM, "Esc: back");
}

/* Draw every region's load balancers with listeners, the target groups and the selected group's targets. */
void view_lb_draw(struct tui *t, int top, int height)
{
	struct model *m = tui_model(t);
	struct view_state *vs = views_state(t);
	struct model_tg *list[MAX_TGS];
	size_t regions[MAX_TGS], r, i, l, k, g;
	int y = top, bottom = top + height, n, list_h, nw = t->cols >= 120 ? 40 : 26;
	char lead[64], num[3][16], name[128], buf[64], age[16];

	if (!m) {
		views_section_panel(t, y, "Load balancers", MODEL_PANEL_LB);
		return;
	}
	n = tg_list(t, m, list, regions);
	views_clamp(vs, n, n ? n : 1);
	if (vs->detail > 0 && n) {
		draw_group(t, list[vs->sel], m->regions[regions[vs->sel]].name, top, height);
		return;
	}
	vs->detail = 0;
	views_section_panel(t, y++, "Load balancers", MODEL_PANEL_LB);
	for (r = 0; r < m->n_regions; r++) {
		struct model_region *rg = &m->regions[r];
		for (i = 0; i < rg->n_lbs && y < bottom - 4; i++) {
			struct model_lb *lb = &rg->lbs[i];
			if (!fmt_match(lb->name, vs->filter))
				continue;
			draw_text(t, y, 1, 34, ROLE_HEADER, fmt_middle(name, sizeof(name), views_s(lb->name), 34, !t->utf8));
			draw_textf(t, y, 36, 15, ROLE_DIM, "%-15s", rg->name);
			draw_textf(t, y, 52, t->cols - 53, color_sev(sev_5xx(lb->http_5xx_pct, lb->requests_per_s, lb->period_s)),
				   "%s/s 5xx %s%% p99 %s",
				   fmt_num(num[0], 16, lb->requests_per_s), fmt_num(num[1], 16, lb->http_5xx_pct),
				   ms(num[2], 16, lb->p99_ms));
			y++;
			for (l = 0; l < lb->n_listeners && y < bottom - 4; l++) {
				struct model_listener *ls = &lb->listeners[l];
				for (k = 0; k < ls->n_default_actions && y < bottom - 4; k++) {
					snprintf(lead, sizeof(lead), "%s:%d default", views_s(ls->protocol), ls->port);
					y += draw_action(t, y, lead, &ls->default_actions[k]);
				}
				for (k = 0; k < ls->n_rules && y < bottom - 4; k++)
					for (g = 0; g < ls->rules[k].n_actions && y < bottom - 4; g++) {
						snprintf(lead, sizeof(lead), "  rule %s", views_s(ls->rules[k].priority));
						y += draw_action(t, y, lead, &ls->rules[k].actions[g]);
					}
			}
		}
	}
	if (y >= bottom - 2)
		return;
	views_section_panel(t, y++, "Target groups: health, req/s 5xx p99 (Enter: targets)", MODEL_PANEL_LB);
	if (!n) {
		draw_text(t, y, 2, t->cols - 4, ROLE_DIM, vs->filter[0] ? "no group matches the filter" : "no target groups");
		return;
	}
	/* the list, a detail line, then the selected group's targets */
	list_h = (bottom - y - 1) / 2 > n ? n : (bottom - y - 1) / 2;
	if (list_h < 1)
		list_h = 1;
	views_clamp(vs, n, list_h);
	for (k = 0; (int)k < list_h && vs->scroll + (int)k < n; k++) {
		int idx = vs->scroll + (int)k;
		struct model_tg *tg = list[idx];
		bool on = idx == vs->sel, blue = strstr(views_s(tg->name), "blue") != NULL;
		bool green = strstr(views_s(tg->name), "green") != NULL;
		draw_text(t, y, 0, t->cols, on ? ROLE_SELECT : ROLE_NORMAL, "");
		draw_text(t, y, 1, nw, on ? ROLE_SELECT : blue ? ROLE_BLUE : green ? ROLE_GREEN : ROLE_HEADER,
			  fmt_middle(name, sizeof(name), views_s(tg->name), nw, !t->utf8));
		draw_textf(t, y, nw + 2, 15, on ? ROLE_SELECT : ROLE_DIM, "%-15s", m->regions[regions[idx]].name);
		draw_textf(t, y, nw + 18, 15, on ? ROLE_SELECT : color_sev(tg_sev(tg)), "%-15s", health_text(buf, sizeof(buf), tg));
		draw_textf(t, y, nw + 34, t->cols - nw - 35,
			   on ? ROLE_SELECT : color_sev(sev_5xx(tg->http_5xx_pct, tg->requests_per_s, tg->period_s)),
			   "%s/s %s%% %s", fmt_num(num[0], 16, tg->requests_per_s), fmt_num(num[1], 16, tg->http_5xx_pct),
			   ms(num[2], 16, tg->p99_ms));
		y++;
	}
	{
		struct model_tg *tg = list[vs->sel];
		char when[48];
		if (tg->data_at)
			snprintf(when, sizeof(when), "data %s old",
				 fmt_age(age, sizeof(age), (long)(time(NULL) - tg->data_at)));
		else
			snprintf(when, sizeof(when), "no datapoint");
		/* the selected group's whole name and settings */
		draw_textf(t, y++, 1, t->cols - 2, ROLE_DIM, "%s: %s %d, health %s, %s", views_s(tg->name),
			   views_s(tg->protocol), tg->port, views_s(tg->health_check_path), when);
		draw_targets(t, tg, y, bottom, false);
	}
}

/* Enter: the selected group's targets. */
static int lb_open(struct tui *t, int ch)
{
	struct view_state *vs = views_state(t);

	(void)ch;
	if (vs->detail == 0 && vs->rows > 0) {
		vs->detail = 1;
		return TUI_HANDLED | TUI_REDRAW;
	}
	return 0;
}

const struct key_binding view_lb_keys[] = {
	{ '\r', "Enter", "targets", lb_open },
	{ '\n', NULL, NULL, lb_open },
	{ KEY_ENTER, NULL, NULL, lb_open },
	{ 27, "Esc", "back", views_key_back },
	{ 0, NULL, NULL, NULL },
};
