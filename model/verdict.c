/* verdict.c — the model's state in words, worst first, and a snapshot's exit status (see verdict.h). */
#include "model/verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/panel.h"
#include "model/replication.h"
#include "model/sessions.h"
#include "model/cdn.h"

/* Add an item. */
static void add(struct verdict *v, enum model_sev sev, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(struct verdict *v, enum model_sev sev, const char *fmt, ...)
{
	va_list ap;

	if (v->n >= VERDICT_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(v->items[v->n].text, sizeof(v->items[v->n].text), fmt, ap);
	va_end(ap);
	v->items[v->n++].sev = sev;
	if (sev > v->sev)
		v->sev = sev;
}

/* The status of panel p of region r (global panels: r ignored). */
static const struct model_status *status_at(const struct model *m, size_t r, enum model_panel p)
{
	return model_status_of((struct model *)m, r, p);
}

/* "PRIMARY" / "DR" for a region's role. */
static const char *role_word(const struct model_region *r)
{
	return r->role && strcmp(r->role, "primary") == 0 ? "PRIMARY" : "DR";
}

/* Enabled panels whose last refresh had an error, regions counted unless skip[r]. */
static int failing_panels(const struct model *m, const bool *skip)
{
	int n = 0, p;
	size_t r;

	for (p = 0; p < MODEL_PANEL_COUNT; p++) {
		if (panel_table[p]->global) {
			const struct model_status *st = status_at(m, 0, (enum model_panel)p);
			n += st->enabled && st->error.code[0];
			continue;
		}
		for (r = 0; r < m->n_regions; r++) {
			const struct model_status *st = status_at(m, r, (enum model_panel)p);
			n += !skip[r] && st->enabled && st->error.code[0];
		}
	}
	return n;
}

/* Has any panel data? */
static bool any_data(const struct model *m)
{
	size_t r, p;

	if (m->route53_status.fetched_at)
		return true;
	for (r = 0; r < m->n_regions; r++)
		for (p = 0; p < MODEL_PANEL_COUNT; p++)
			if (m->regions[r].status[p].fetched_at)
				return true;
	return false;
}

/* The verdict of the model at now. */
void verdict_build(const struct model *m, time_t now, struct verdict *v)
{
	const struct model_dns_answer *d = &m->route53.dns;
	bool skip[MODEL_MAX_REGIONS] = { false };
	int missed = 0, alarms = 0, failing, serving = d->region ? model_region_index(m, d->region) : -1;
	bool stale = false;
	size_t r, i;

	memset(v, 0, sizeof(*v));
	v->sev = MODEL_SEV_OK;
	for (r = 0; r < m->n_regions; r++) {
		const struct model_region *rg = &m->regions[r];
		bool primary = strcmp(role_word(rg), "PRIMARY") == 0;
		if (rg->summary.down)
			add(v, primary || (int)r == serving ? MODEL_SEV_BAD : MODEL_SEV_WARN, "%s DOWN", role_word(rg));
		if (rg->summary.unreadable) {
			add(v, MODEL_SEV_BAD, "%s UNREADABLE", role_word(rg));
			skip[r] = true;
		} else if (rg->status[MODEL_PANEL_LB].fetched_at && !rg->n_lbs) {
			add(v, primary || (int)r == serving ? MODEL_SEV_BAD : MODEL_SEV_WARN, "%s HAS NO LOAD BALANCER",
			    role_word(rg));
		}
		alarms += rg->summary.alarms_in_alarm;
		stale |= model_fig_stale(&rg->summary, MODEL_FIG_RPS, now);
	}
	if (serving >= 0 && strcmp(role_word(&m->regions[serving]), "DR") == 0)
		add(v, MODEL_SEV_WARN, "DNS ON DR");
	else if (!d->region && m->route53_status.fetched_at)
		add(v, MODEL_SEV_UNKNOWN, "DNS ANSWER UNKNOWN");
	if (d->disagree)
		add(v, MODEL_SEV_WARN, "DNS AND ROUTE 53 RULES DISAGREE");
	for (r = 0; r < m->n_regions; r++) {
		struct replication rp;
		replication_of_region(m, r, &rp);
		if (rp.state == REPLICATION_BROKEN)
			add(v, MODEL_SEV_BAD, "%s DB NOT REPLICATING", role_word(&m->regions[r]));
		else if (rp.state == REPLICATION_LAGGING)
			add(v, rp.sev, "%s DB REPLICA LAGGING", role_word(&m->regions[r]));
		else if (rp.role == REPLICATION_STANDALONE && rp.sev == MODEL_SEV_WARN)
			add(v, rp.sev, "%s DB HAS NO REPLICA", role_word(&m->regions[r]));
	}
	for (r = 0; r < m->n_regions; r++) {
		struct sessions_view sv;
		sessions_of_region(m, r, now, &sv);
		if (sv.sev >= MODEL_SEV_WARN)
			add(v, sv.sev, "%s REDIS %s", role_word(&m->regions[r]), sv.brief);
	}
	{
		struct cdn_view cv;
		cdn_of_model(m, &cv);
		if (cv.sev >= MODEL_SEV_WARN)
			add(v, cv.sev, "CLOUDFRONT %s", cv.brief);
		for (r = 0; r < m->n_regions; r++) {
			cdn_of_region(m, r, &cv);
			if (strcmp(cv.brief, "NOT AN ORIGIN") == 0)
				add(v, MODEL_SEV_WARN, "%s NOT A CLOUDFRONT ORIGIN", role_word(&m->regions[r]));
		}
	}
	for (i = 0; i < m->n_targets; i++)
		missed += m->targets[i].status == MODEL_TARGET_MISSED;
	if (missed)
		add(v, MODEL_SEV_BAD, "%d TARGET%s MISSED", missed, missed == 1 ? "" : "S");
	if (alarms)
		add(v, MODEL_SEV_BAD, "%d ALARM%s", alarms, alarms == 1 ? "" : "S");
	failing = failing_panels(m, skip);
	if (failing)
		add(v, MODEL_SEV_WARN, "%d PANEL%s FAILING", failing, failing == 1 ? "" : "S");
	if (stale)
		add(v, MODEL_SEV_WARN, "STALE METRICS");
	if (v->n == 0)
		add(v, any_data(m) ? MODEL_SEV_OK : MODEL_SEV_UNKNOWN, any_data(m) ? "ALL OK" : "NO DATA YET");
}

/* The items joined by sep. */
const char *verdict_line(const struct verdict *v, const char *sep, char *buf, size_t size)
{
	size_t i, len = 0;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < v->n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? sep : "", v->items[i].text);
	return buf;
}

/* The items that fit in cols columns, whole and worst first (see verdict.h). */
const char *verdict_line_fit(const struct verdict *v, const char *sep, int sep_cols, int cols, char *buf, size_t size)
{
	char more[16];
	size_t n, i, len = 0;
	int used;

	for (n = v->n; n > 0; n--) {
		/* the first n items, and "+K MORE" for the rest */
		used = 0;
		for (i = 0; i < n; i++)
			used += (i ? sep_cols : 0) + (int)strlen(v->items[i].text);
		more[0] = '\0';
		if (n < v->n) {
			snprintf(more, sizeof(more), "+%zu MORE", v->n - n);
			used += sep_cols + (int)strlen(more);
		}
		if (used <= cols)
			break;
	}
	if (size)
		buf[0] = '\0';
	if (n == 0) {
		/* not even the worst item fits whole: its words as far as they go */
		snprintf(buf, size, "%.*s", cols > 0 ? cols : 0, v->n ? v->items[0].text : "");
		return buf;
	}
	for (i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? sep : "", v->items[i].text);
	if (more[0] && len < size)
		snprintf(buf + len, size - len, "%s%s", sep, more);
	return buf;
}

/* Append the errors of one status as reason lines; returns how many. */
static int error_reasons(const struct model_status *st, const char *where, const char *panel, struct strbuf *why)
{
	if (!st->enabled || !st->error.code[0])
		return 0;
	strbuf_addf(why, "%s %s could not be read: %s: %s\n", where, panel, st->error.code, st->error.message);
	return 1;
}

/* The exit status of a snapshot (see verdict.h). */
int verdict_exit_status(const struct model *m, struct strbuf *why)
{
	int unread = 0, bad = 0, p;
	size_t r, i;

	for (p = 0; p < MODEL_PANEL_COUNT; p++) {
		if (panel_table[p]->global) {
			unread += error_reasons(status_at(m, 0, (enum model_panel)p), "global", panel_table[p]->name, why);
			continue;
		}
		for (r = 0; r < m->n_regions; r++)
			unread += error_reasons(status_at(m, r, (enum model_panel)p), m->regions[r].name,
						panel_table[p]->name, why);
	}
	for (r = 0; r < m->n_regions; r++)
		if (m->regions[r].summary.down) {
			strbuf_addf(why, "%s (%s) is down: %s\n", m->regions[r].name, m->regions[r].role,
				    m->regions[r].summary.down_why);
			bad++;
		}
	for (i = 0; i < m->n_targets; i++)
		if (m->targets[i].status == MODEL_TARGET_MISSED) {
			strbuf_addf(why, "target missed: %s (objective %s)\n", m->targets[i].name,
				    m->targets[i].objective_text ? m->targets[i].objective_text : "?");
			bad++;
		}
	return unread ? 2 : bad ? 1 : 0;
}
