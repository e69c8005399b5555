/* views.c — the table of views: key, `:` name, help, draw and key functions. */
#include "tui/view.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/model.h"
#include "model/verdict.h"
#include "tui/runhost.h"

/* Sum of the change counters of the panels in mask (bits of enum model_panel). */
static unsigned long panels_generation(struct tui *t, unsigned mask)
{
	struct model *m = tui_model(t);
	unsigned long g = 0;
	size_t i;
	int p;

	if (!m)
		return 0;
	for (p = 0; p < MODEL_PANEL_COUNT; p++) {
		if (!(mask & (1u << p)))
			continue;
		if (p == MODEL_PANEL_ROUTE53 || p == MODEL_PANEL_TARGETS || p == MODEL_PANEL_CDN) {
			g += model_status_of(m, 0, (enum model_panel)p)->changed;
			continue;
		}
		for (i = 0; i < m->n_regions; i++)
			g += model_status_of(m, i, (enum model_panel)p)->changed;
	}
	return g;
}

#define P(x) (1u << MODEL_PANEL_##x)
#define GEN_FN(name, mask) \
	static unsigned long name(struct tui *t) { return panels_generation(t, mask); }
GEN_FN(no_generation, 0)
GEN_FN(overview_generation, P(LB) | P(ASG) | P(ALARMS) | P(METRICS) | P(RDS) | P(SESSIONS) | P(CDN) | P(ROUTE53) | P(TARGETS))
GEN_FN(metrics_generation, P(METRICS))
GEN_FN(alarms_generation, P(ALARMS) | P(METRICS))
GEN_FN(asg_generation, P(ASG) | P(METRICS))
GEN_FN(lb_generation, P(LB) | P(METRICS))
GEN_FN(route53_generation, P(ROUTE53) | P(LB))
GEN_FN(xray_generation, P(XRAY))
GEN_FN(db_generation, P(RDS) | P(METRICS))
GEN_FN(sessions_generation, P(SESSIONS))
GEN_FN(cdn_generation, P(CDN) | P(LB))

/* The hosted run's changes. */
static unsigned long runbooks_generation(struct tui *t)
{
	return runhost_generation(t);
}

/* --- what each view holds at its worst (tabs are marked when it is bad) --- */

/* The overview: the verdict's worst item. */
static enum model_sev overview_severity(struct tui *t)
{
	struct model *m = tui_model(t);
	struct verdict v;

	if (!m)
		return MODEL_SEV_UNKNOWN;
	verdict_build(m, time(NULL), &v);
	return v.sev;
}

/* A figure's worst severity over the regions. */
static enum model_sev fig_severity(struct tui *t, enum model_fig f)
{
	struct model *m = tui_model(t);
	enum model_sev w = MODEL_SEV_OK;
	size_t r;

	for (r = 0; m && r < m->n_regions; r++)
		if (m->regions[r].summary.sev[f] > w)
			w = m->regions[r].summary.sev[f];
	return w;
}

static enum model_sev alarms_severity(struct tui *t)
{
	return fig_severity(t, MODEL_FIG_ALARMS);
}

static enum model_sev asg_severity(struct tui *t)
{
	return fig_severity(t, MODEL_FIG_ASG);
}

/* Load balancers: a region without a healthy host, or a target group with targets and none healthy. */
static enum model_sev lb_severity(struct tui *t)
{
	struct model *m = tui_model(t);
	enum model_sev w = fig_severity(t, MODEL_FIG_HOSTS);
	size_t r, i;

	for (r = 0; m && r < m->n_regions; r++)
		for (i = 0; i < m->regions[r].n_tgs; i++)
			if (m->regions[r].tgs[i].n_targets && !m->regions[r].tgs[i].healthy)
				return MODEL_SEV_BAD;
	return w;
}

/* Route 53: an endpoint health check that fails, or the answer and the rules disagreeing. */
static enum model_sev route53_severity(struct tui *t)
{
	struct model *m = tui_model(t);
	enum model_sev w;
	size_t i;

	if (!m)
		return MODEL_SEV_UNKNOWN;
	for (i = 0; i < m->route53.n_checks; i++)
		if (m->route53.checks[i].state == 0 && !(m->route53.checks[i].type &&
							 strcmp(m->route53.checks[i].type, "RECOVERY_CONTROL") == 0))
			return MODEL_SEV_BAD;
	w = fig_severity(t, MODEL_FIG_DNS);
	return w;
}

/* X-Ray: a node whose faults are bad by the rule of every 5xx figure. */
static enum model_sev xray_severity(struct tui *t)
{
	struct model *m = tui_model(t);
	size_t r, i;

	for (r = 0; m && r < m->n_regions; r++)
		for (i = 0; i < m->regions[r].xray.n_nodes; i++)
			if (model_sev_failures(m->regions[r].xray.nodes[i].fault_pct,
					       m->regions[r].xray.nodes[i].requests) == MODEL_SEV_BAD)
				return MODEL_SEV_BAD;
	return MODEL_SEV_OK;
}

/* Databases: the worst region's replication. */
static enum model_sev db_severity(struct tui *t)
{
	return fig_severity(t, MODEL_FIG_REPL);
}

/* Sessions: the worst region's session store. */
static enum model_sev sessions_severity(struct tui *t)
{
	return fig_severity(t, MODEL_FIG_SESSIONS);
}

/* Metrics: a chart panel whose last refresh failed. */
static enum model_sev metrics_severity(struct tui *t)
{
	struct model *m = tui_model(t);
	size_t r;

	for (r = 0; m && r < m->n_regions; r++)
		if (m->regions[r].status[MODEL_PANEL_METRICS].error.code[0])
			return MODEL_SEV_WARN;
	return MODEL_SEV_OK;
}

const struct view views_table[VIEW_COUNT + 1] = {
	[VIEW_OVERVIEW] = { .name = "overview", .key = '1', .draw = view_overview_draw, .generation = overview_generation,
	  .severity = overview_severity, .help = "targets, regions, alarms" },
	[VIEW_METRICS] = { .name = "metrics", .key = '2', .draw = view_metrics_draw, .keys = view_metrics_keys,
	  .generation = metrics_generation, .severity = metrics_severity,
	  .help = "CloudWatch charts" },
	[VIEW_ALARMS] = { .name = "alarms", .key = '3', .draw = view_alarms_draw, .keys = view_alarms_keys,
	  .generation = alarms_generation, .severity = alarms_severity,
	  .help = "alarm states and history", .takes_enter = true },
	[VIEW_ASG] = { .name = "asg", .key = '4', .draw = view_asg_draw, .generation = asg_generation, .severity = asg_severity,
	  .help = "groups, scaling, forecast" },
	[VIEW_LB] = { .name = "lb", .key = '5', .draw = view_lb_draw, .keys = view_lb_keys, .generation = lb_generation,
	  .severity = lb_severity,
	  .help = "weights, target health", .takes_enter = true },
	[VIEW_ROUTE53] = { .name = "route53", .key = '6', .draw = view_route53_draw, .generation = route53_generation,
	  .severity = route53_severity,
	  .help = "health checks, DNS answer" },
	[VIEW_XRAY] = { .name = "xray", .key = '7', .draw = view_xray_draw, .keys = view_xray_keys,
	  .generation = xray_generation, .severity = xray_severity,
	  .help = "service map and traces", .takes_enter = true },
	[VIEW_RUNBOOKS] = { .name = "runbooks", .key = '8', .draw = view_runbooks_draw, .generation = runbooks_generation,
	  .enter = view_runbooks_enter, .keys = view_runbooks_keys,
	  .help = "runbooks and runs" },
	[VIEW_DB] = { .name = "db", .key = '9', .draw = view_db_draw, .generation = db_generation, .severity = db_severity,
	  .help = "roles, replication, lag" },
	[VIEW_SESSIONS] = { .name = "sessions", .key = '0', .draw = view_sessions_draw, .generation = sessions_generation,
	  .severity = sessions_severity, .help = "Redis nodes, failovers" },
	[VIEW_CDN] = { .name = "cdn", .draw = view_cdn_draw, .generation = cdn_generation,
	  .help = "CloudFront: origins, figures" },
	[VIEW_HELP] = { .name = "help", .key = '?', .draw = view_help_draw, .generation = no_generation,
	  .help = "every key and command" },
	[VIEW_COUNT] = { .name = NULL },
};

int views_key_back(struct tui *t, int ch)
{
	struct view_state *vs = views_state(t);

	(void)ch;
	if (vs->filter[0] || vs->detail == 0)
		return 0;
	t->msg[0] = '\0';
	vs->detail--;
	return TUI_HANDLED | TUI_REDRAW;
}

/* Number of views in the table. */
int views_count(void)
{
	int n = 0;

	while (views_table[n].name)
		n++;
	return n;
}

/* The index of the view selected by key ch, or -1. */
int views_by_key(int ch)
{
	int i;

	for (i = 0; views_table[i].name; i++)
		if (views_table[i].key == ch)
			return i;
	return -1;
}

/* The view on screen. */
const struct view *views_current(const struct tui *t)
{
	return &views_table[t->view];
}

/* The position and filter of the view on screen. */
struct view_state *views_state(struct tui *t)
{
	return &t->vs[t->view];
}

/* Keep the selection in the list and visible in height rows. */
void views_clamp(struct view_state *vs, int rows, int height)
{
	vs->rows = rows;
	if (vs->sel >= rows)
		vs->sel = rows - 1;
	if (vs->sel < 0)
		vs->sel = 0;
	if (height < 1)
		height = 1;
	if (vs->scroll > vs->sel)
		vs->scroll = vs->sel;
	if (vs->sel >= vs->scroll + height)
		vs->scroll = vs->sel - height + 1;
	if (vs->scroll > rows - height)
		vs->scroll = rows - height;
	if (vs->scroll < 0)
		vs->scroll = 0;
}

/* Seconds since a panel last succeeded, -1 when never. */
long views_age(const struct model_status *st)
{
	if (!st || !st->fetched_at)
		return -1;
	return (long)(time(NULL) - st->fetched_at);
}

/* The panel's last error as "Code: message", or NULL. */
const char *views_error(const struct model_status *st, char *buf, size_t size)
{
	if (!st || !st->error.code[0])
		return NULL;
	snprintf(buf, size, "%s: %s", st->error.code, st->error.message);
	return buf;
}

/* A section title for a panel of every region. */
void views_section_panel(struct tui *t, int y, const char *title, int panel)
{
	struct model *m = tui_model(t);
	char err[600], buf[640];
	const char *e = NULL;
	long age = -1;
	size_t i;

	for (i = 0; m && i < m->n_regions; i++) {
		struct model_status *st = model_status_of(m, i, (enum model_panel)panel);
		long a = views_age(st);
		if (a > age)
			age = a;
		if (!e && views_error(st, err, sizeof(err))) {
			snprintf(buf, sizeof(buf), "%s %s", m->regions[i].name, err);
			e = buf;
		}
	}
	draw_section(t, y, title, age, e);
}

/* A section title for one panel status. */
void views_section_status(struct tui *t, int y, const char *title, const struct model_status *st)
{
	char err[600];

	draw_section(t, y, title, views_age(st), views_error(st, err, sizeof(err)));
}

/* s, or "-" when it is NULL or empty. */
const char *views_s(const char *s)
{
	return s && *s ? s : "-";
}
