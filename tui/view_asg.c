/* view_asg.c — Auto Scaling groups: capacity, instances, scaling activities
 * with their duration, predictive forecast against actual load. */
#include "tui/view.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/model.h"

/* Role of an activity status. */
static enum color_role activity_role(const char *status)
{
	if (!status)
		return ROLE_DIM;
	if (strcmp(status, "Successful") == 0)
		return ROLE_OK;
	if (strcmp(status, "Failed") == 0 || strcmp(status, "Cancelled") == 0)
		return ROLE_BAD;
	return ROLE_WARN;
}

/* The launch template line in width columns: its $Latest and $Default, then what
 * $Latest is (description, image) as far as it fits; the description, then the
 * template's name, shortened in the middle rather than cut at the end. */
static void lt_line(const struct tui *t, const struct model_lt *v, int width, char *out, size_t size)
{
	const char *desc = views_s(v->latest_description), *image = views_s(v->latest_image);
	char head[200], name[128], mid[128];
	int room;

	snprintf(head, sizeof(head), ": $Latest v%ld, $Default v%ld", v->latest, v->default_version);
	room = width - (int)strlen("launch template ") - fmt_width(head);
	snprintf(out, size, "launch template %s%s",
		 fmt_middle(name, sizeof(name), views_s(v->name), room < 12 ? 12 : room, !t->utf8), head);
	room = width - fmt_width(out) - 3;   /* " (" and ")" */
	if (room >= fmt_width(desc) + 2 + fmt_width(image))
		snprintf(out + strlen(out), size - strlen(out), " (%s, %s)", desc, image);
	else if (room >= 10)
		snprintf(out + strlen(out), size - strlen(out), " (%s)", fmt_middle(mid, sizeof(mid), desc, room, !t->utf8));
}

/* Columns a forecast line of n values takes after its label, at most the room:
 * it starts after the label, as the other views' sparklines do, not at the right edge. */
static int spark_width(const struct tui *t, size_t n)
{
	size_t per = t->glyphs == FMT_BRAILLE ? 2 : 1, cols = (n + per - 1) / per;
	int room = t->cols - 12;

	return room <= 0 ? 0 : cols > (size_t)room ? room : (int)cols;
}

/* Draw the groups table, then instances, activities and forecast of the selected group. */
void view_asg_draw(struct tui *t, int top, int height)
{
	struct model *m = tui_model(t);
	struct view_state *vs = views_state(t);
	struct model_asg *list[256], *a;
	const char *regions[256];
	int n = 0, y, k, bottom = top + height, list_h;
	size_t r, i;
	char buf[320], age[16], dur[16], name[64];

	views_section_panel(t, top, "Auto Scaling groups", MODEL_PANEL_ASG);
	if (!m)
		return;
	for (r = 0; r < m->n_regions; r++)
		for (i = 0; i < m->regions[r].n_asgs && n < 256; i++)
			if (fmt_match(m->regions[r].asgs[i].name, vs->filter)) {
				regions[n] = m->regions[r].name;
				list[n++] = &m->regions[r].asgs[i];
			}
	if (n == 0) {
		draw_text(t, top + 2, 2, t->cols - 4, ROLE_DIM, vs->filter[0] ? "no group matches the filter" : "no Auto Scaling groups");
		return;
	}
	draw_textf(t, top + 1, 1, t->cols - 2, ROLE_DIM, "%-28s %-15s %4s %4s %4s  %7s %7s", "group", "region", "min",
		   "des", "max", "InServ", "Pending");
	list_h = n < 6 ? n : 6;
	views_clamp(vs, n, list_h);
	for (k = 0; k < list_h && vs->scroll + k < n; k++) {
		int idx = vs->scroll + k;
		bool on = idx == vs->sel;
		a = list[idx];
		draw_textf(t, top + 2 + k, 0, t->cols, on ? ROLE_SELECT : ROLE_NORMAL,
			   " %-28s %-15s %4d %4d %4d  %7d %7d", fmt_middle(name, sizeof(name), views_s(a->name), 28, !t->utf8),
			   regions[idx], a->min, a->desired, a->max, a->in_service, a->pending);
		if (!on && a->in_service < a->desired)
			draw_textf(t, top + 2 + k, 57, 8, color_sev(a->in_service == 0 ? MODEL_SEV_BAD : MODEL_SEV_WARN), "%7d",
				   a->in_service);
	}
	a = list[vs->sel];
	y = top + 2 + list_h;
	/* instances */
	snprintf(buf, sizeof(buf), "Instances of %s", views_s(a->name));
	draw_section(t, y++, buf, a->fetched_at ? (long)(time(NULL) - a->fetched_at) : -1, NULL);
	{
		/* the launch template the instances run: $Latest and $Default resolved (deploys panel) */
		int ri = model_region_index(m, regions[vs->sel]);
		const struct model_region *rg = ri >= 0 ? &m->regions[ri] : NULL;
		const char *lt = a->n_instances ? a->instances[0].launch_template : NULL, *colon = lt ? strrchr(lt, ':') : NULL;
		char ltname[128];
		const struct model_lt *v = NULL;
		if (colon && (size_t)(colon - lt) < sizeof(ltname)) {
			snprintf(ltname, sizeof(ltname), "%.*s", (int)(colon - lt), lt);
			v = rg ? panel_deploys_find(rg, ltname) : NULL;
		}
		if (v && v->latest >= 0) {
			lt_line(t, v, t->cols - 2, buf, sizeof(buf));
			draw_text(t, y++, 1, t->cols - 2, ROLE_DIM, buf);
		} else if (colon)
			draw_textf(t, y++, 1, t->cols - 2, ROLE_DIM, "launch template %s: versions not read", ltname);
		/* the group's newest instance refresh (deploys panel) */
		const struct model_refresh *f = rg ? panel_deploys_refresh(rg, a->name) : NULL;
		if (f) {
			bool running = !f->end && f->status && (strcmp(f->status, "InProgress") == 0 ||
								strcmp(f->status, "Pending") == 0);
			bool good = f->status && strcmp(f->status, "Successful") == 0;
			char pct[16], ago[16], upd[24];
			snprintf(pct, sizeof(pct), f->percent >= 0 ? "%ld %%" : "? %%", f->percent);
			snprintf(upd, sizeof(upd), f->to_update >= 0 ? "%ld" : "?", f->to_update);
			draw_textf(t, y++, 1, t->cols - 2, running ? ROLE_ACCENT : good ? ROLE_DIM : ROLE_WARN,
				   "instance refresh %s %s, %s to update, started %s ago", views_s(f->status), pct,
				   upd, fmt_age(ago, sizeof(ago), f->start ? (long)(time(NULL) - f->start) : -1));
		}
	}
	for (i = 0; i < a->n_instances && y < bottom - 4; i++, y++) {
		struct model_instance *in = &a->instances[i];
		draw_textf(t, y, 1, 20, ROLE_NORMAL, "%-20s", views_s(in->id));
		draw_textf(t, y, 22, 16, ROLE_DIM, "%-16s", views_s(in->az));
		draw_textf(t, y, 39, 12, in->lifecycle_state && strcmp(in->lifecycle_state, "InService") == 0 ? ROLE_OK : ROLE_WARN,
			   "%-12s", views_s(in->lifecycle_state));
		draw_textf(t, y, 52, 10, in->health_status && strcmp(in->health_status, "Healthy") == 0 ? ROLE_OK
												     : color_sev(MODEL_SEV_BAD),
			   "%-10s", views_s(in->health_status));
		{
			int ri = model_region_index(m, regions[vs->sel]);
			char ver[32], latest[32];
			const char *lt = in->launch_template, *colon = lt ? strrchr(lt, ':') : NULL;
			bool old = false;
			if (ri >= 0)
				panel_deploys_version_text(&m->regions[ri], lt, ver, sizeof(ver));
			else
				snprintf(ver, sizeof(ver), "?");
			if (ri >= 0 && colon) {   /* an instance on an older version than $Latest: not rolled yet */
				char ltn[128];
				const struct model_lt *v;
				snprintf(ltn, sizeof(ltn), "%.*s", (int)(colon - lt) < 127 ? (int)(colon - lt) : 127, lt);
				v = panel_deploys_find(&m->regions[ri], ltn);
				snprintf(latest, sizeof(latest), "v%ld", v ? v->latest : -1);
				old = v && v->latest >= 0 && strcmp(ver, "?") != 0 && strcmp(ver, latest) != 0;
			}
			draw_textf(t, y, 63, t->cols - 64, ROLE_DIM, "%s", views_s(in->instance_type));
			draw_textf(t, y, 63 + fmt_width(views_s(in->instance_type)) + 1, t->cols - 65 -
				   fmt_width(views_s(in->instance_type)), old ? ROLE_WARN : ROLE_DIM, "%s", ver);
			if (t->cols >= 100)
				draw_text(t, y, 80, t->cols - 81, ROLE_DIM, views_s(in->launch_template));
		}
	}
	/* activities */
	if (y < bottom - 2) {
		draw_section(t, y++, "Scaling activities", a->activities_at ? (long)(time(NULL) - a->activities_at) : -1, NULL);
		for (i = 0; i < a->n_activities && y < bottom - (a->n_forecasts ? 3 : 0); i++, y++) {
			struct model_activity *ac = &a->activities[i];
			long d = ac->end ? (long)(ac->end - ac->start) : (long)(time(NULL) - ac->start);
			draw_textf(t, y, 1, 11, activity_role(ac->status_code), "%-11s", views_s(ac->status_code));
			draw_textf(t, y, 13, 7, ac->scale_out && d >= 60 ? ROLE_WARN : ROLE_ACCENT, "%6s%s",
				   fmt_duration(dur, sizeof(dur), d), ac->end ? "" : "+");
			draw_textf(t, y, 21, 8, ROLE_DIM, "%3s ago", fmt_age(age, sizeof(age), ac->start ? (long)(time(NULL) - ac->start) : -1));
			draw_text(t, y, 30, t->cols - 31, ROLE_NORMAL, views_s(ac->description));
		}
		if (a->n_activities == 0 && y < bottom)
			draw_text(t, y++, 2, t->cols - 4, ROLE_DIM, "no recent activity");
	}
	/* predictive forecast vs actual */
	for (i = 0; i < a->n_forecasts && y + 2 < bottom; i++) {
		struct model_forecast *f = &a->forecasts[i];
		snprintf(buf, sizeof(buf), "Forecast %s (%s)", views_s(f->policy), views_s(f->metric));
		draw_section(t, y++, buf, f->fetched_at ? (long)(time(NULL) - f->fetched_at) : -1, NULL);
		draw_text(t, y, 1, 9, ROLE_ACCENT, "forecast");
		draw_spark(t, y++, 11, spark_width(t, f->load.n), ROLE_ACCENT, f->load.values, f->load.n);
		draw_text(t, y, 1, 9, ROLE_GREEN, "actual");
		if (f->actual.n)
			draw_spark(t, y++, 11, spark_width(t, f->actual.n), ROLE_GREEN, f->actual.values,
				   f->actual.n);
		else
			draw_text(t, y++, 11, t->cols - 12, ROLE_DIM, "no data");
	}
}
