/* view_lb.c — load balancers: listeners and their actions with blue/green
 * weights as a bar, target groups, target health with reasons, 5xx and p99. */
#include "tui/view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/model.h"

/* Role of a target health state. */
static enum color_role health_role(const char *state)
{
	if (!state)
		return ROLE_DIM;
	if (strcmp(state, "healthy") == 0)
		return ROLE_OK;
	if (strcmp(state, "unhealthy") == 0)
		return ROLE_BAD;
	return ROLE_WARN;
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

/* One action: a forward to two groups is a blue/green bar, others are a line. */
static int draw_action(struct tui *t, int y, const char *lead, const struct model_action *a)
{
	size_t f;

	draw_textf(t, y, 3, 20, ROLE_NORMAL, "%-20s", lead);
	if (a->type && strcmp(a->type, "forward") == 0 && a->n_forwards == 2) {
		draw_weights(t, y, 24, t->cols - 25 > 72 ? 72 : t->cols - 25, a->forwards[0].weight, a->forwards[1].weight);
		return 1;
	}
	if (a->type && strcmp(a->type, "forward") == 0) {
		char line[256];
		size_t len = 0;
		line[0] = '\0';
		for (f = 0; f < a->n_forwards && len < sizeof(line); f++)
			len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s:%d", f ? "  " : "forward ",
						views_s(a->forwards[f].tg_name), a->forwards[f].weight);
		draw_text(t, y, 24, t->cols - 25, ROLE_ACCENT, line);
		return 1;
	}
	draw_textf(t, y, 24, t->cols - 25, ROLE_ACCENT, "%s %s", views_s(a->type), a->detail ? a->detail : "");
	return 1;
}

/* Draw every region's load balancers with listeners, then target groups and targets. */
void view_lb_draw(struct tui *t, int top, int height)
{
	struct model *m = tui_model(t);
	struct view_state *vs = views_state(t);
	int y = top, bottom = top + height, skip = vs->sel;
	size_t r, i, l, k, g;
	char lead[64], num[3][16];

	views_section_panel(t, y++, "Load balancers", MODEL_PANEL_LB);
	if (!m)
		return;
	vs->rows = 0;
	for (r = 0; r < m->n_regions; r++) {
		struct model_region *rg = &m->regions[r];
		for (i = 0; i < rg->n_lbs; i++) {
			struct model_lb *lb = &rg->lbs[i];
			if (!fmt_match(lb->name, vs->filter) || vs->rows++ < skip || y >= bottom)
				continue;
			draw_textf(t, y, 1, 34, ROLE_HEADER, "%-34s", views_s(lb->name));
			draw_textf(t, y, 36, 15, ROLE_DIM, "%-15s", rg->name);
			draw_textf(t, y, 52, t->cols - 53, ROLE_NORMAL, "%s/s 5xx %s%% p99 %s",
				   fmt_num(num[0], 16, lb->requests_per_s), fmt_num(num[1], 16, lb->http_5xx_pct),
				   ms(num[2], 16, lb->p99_ms));
			y++;
			for (l = 0; l < lb->n_listeners && y < bottom; l++) {
				struct model_listener *ls = &lb->listeners[l];
				for (k = 0; k < ls->n_default_actions && y < bottom; k++) {
					snprintf(lead, sizeof(lead), "%s:%d default", views_s(ls->protocol), ls->port);
					y += draw_action(t, y, lead, &ls->default_actions[k]);
				}
				for (k = 0; k < ls->n_rules && y < bottom; k++)
					for (g = 0; g < ls->rules[k].n_actions && y < bottom; g++) {
						snprintf(lead, sizeof(lead), "  rule %s", views_s(ls->rules[k].priority));
						y += draw_action(t, y, lead, &ls->rules[k].actions[g]);
					}
			}
		}
	}
	if (y < bottom - 1)
		views_section_panel(t, y++, "Target groups and target health", MODEL_PANEL_LB);
	for (r = 0; r < m->n_regions && y < bottom; r++) {
		struct model_region *rg = &m->regions[r];
		for (i = 0; i < rg->n_tgs && y < bottom; i++) {
			struct model_tg *tg = &rg->tgs[i];
			bool blue = strstr(views_s(tg->name), "blue") != NULL;
			bool green = strstr(views_s(tg->name), "green") != NULL;
			if (!fmt_match(tg->name, vs->filter))
				continue;
			draw_textf(t, y, 1, 26, blue ? ROLE_BLUE : green ? ROLE_GREEN : ROLE_HEADER, "%-26s", views_s(tg->name));
			draw_textf(t, y, 28, 15, ROLE_DIM, "%-15s", rg->name);
			draw_textf(t, y, 44, 9, tg->unhealthy ? ROLE_WARN : ROLE_OK, "%d/%d ok", tg->healthy,
				   tg->healthy + tg->unhealthy + tg->other);
			draw_textf(t, y, 52, t->cols - 53, !isnan(tg->http_5xx_pct) && tg->http_5xx_pct >= 1 ? ROLE_BAD : ROLE_NORMAL,
				   "%s/s 5xx %s%% p99 %s", fmt_num(num[0], 16, tg->requests_per_s),
				   fmt_num(num[1], 16, tg->http_5xx_pct), ms(num[2], 16, tg->p99_ms));
			y++;
			for (k = 0; k < tg->n_targets && y < bottom; k++, y++) {
				struct model_target_health *th = &tg->targets[k];
				draw_textf(t, y, 3, 22, ROLE_NORMAL, "%s:%d", views_s(th->id), th->port);
				draw_textf(t, y, 26, 15, ROLE_DIM, "%-15s", views_s(th->az));
				draw_textf(t, y, 42, 9, health_role(th->state), "%-9s", views_s(th->state));
				if (th->reason)
					draw_textf(t, y, 52, t->cols - 52, ROLE_WARN, "%s %s", th->reason, th->description ? th->description : "");
			}
		}
	}
}
