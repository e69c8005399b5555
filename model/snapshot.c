/* snapshot.c — the model as one JSON document or a text report (see snapshot.h). */
#include "model/snapshot.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/isotime.h"
#include "base/termtext.h"
#include "model/replication.h"
#include "model/serving.h"
#include "model/sessions.h"
#include "model/cdn.h"
#include "model/verdict.h"

#define SCHEMA_VERSION 1

/* A number, or null when unknown; rounded to 4 decimals so output is stable. */
static json_t *num(double v)
{
	if (isnan(v) || isinf(v))
		return json_null();
	return json_real(round(v * 10000.0) / 10000.0);
}

/* A string or null. */
static json_t *str(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* ISO 8601 text of t, or null for 0. */
static json_t *when(time_t t)
{
	char buf[ISOTIME_MAX];

	if (!t)
		return json_null();
	return json_string(isotime_format((double)t, 0, buf));
}

/* Age in seconds of t at now, or null for 0. */
static json_t *age(time_t t, time_t now)
{
	return t ? json_integer((json_int_t)(now > t ? now - t : 0)) : json_null();
}

/* The forward actions of a listener's default actions. */
static json_t *forwards_json(const struct model_listener *l)
{
	json_t *a = json_array();
	size_t i, k;

	for (i = 0; i < l->n_default_actions; i++)
		for (k = 0; k < l->default_actions[i].n_forwards; k++) {
			const struct model_forward *f = &l->default_actions[i].forwards[k];
			json_array_append_new(a, json_pack("{s:o, s:i}", "target_group",
							   str(f->tg_name ? f->tg_name : f->tg_arn),
							   "weight", f->weight));
		}
	return a;
}

/* The severity of each figure and the age of the datapoints behind the CloudWatch ones. */
static void figures_json(json_t *o, const struct model_summary *s, time_t now)
{
	static const char *const names[MODEL_FIG_COUNT] = {
		[MODEL_FIG_RPS] = "requests_per_s", [MODEL_FIG_5XX] = "http_5xx_pct", [MODEL_FIG_P99] = "p99_ms",
		[MODEL_FIG_HOSTS] = "healthy_hosts", [MODEL_FIG_ASG] = "asg_capacity",
		[MODEL_FIG_ALARMS] = "alarms_in_alarm", [MODEL_FIG_DNS] = "dns_answering",
		[MODEL_FIG_REPL] = "replication", [MODEL_FIG_SESSIONS] = "sessions",
		[MODEL_FIG_CDN] = "cdn",
	};
	json_t *sev = json_object();
	long a = model_fig_data_age(s, MODEL_FIG_RPS, now);
	int f;

	for (f = 0; f < MODEL_FIG_COUNT; f++)
		json_object_set_new(sev, names[f], json_string(model_sev_name(s->sev[f])));
	json_object_set_new(o, "severity", sev);
	json_object_set_new(o, "data_age_s", a < 0 ? json_null() : json_integer(a));
	json_object_set_new(o, "data_stale", json_boolean(model_fig_stale(s, MODEL_FIG_RPS, now)));
	json_object_set_new(o, "down", json_boolean(s->down));
	json_object_set_new(o, "down_reason", s->down ? json_string(s->down_why) : json_null());
	json_object_set_new(o, "unreadable", json_boolean(s->unreadable));
}

/* One region's state. */
static json_t *region_json(const struct model_region *r, time_t now)
{
	const struct model_summary *s = &r->summary;
	json_t *o, *lbs = json_array(), *tgs = json_array(), *asgs = json_array(), *alarms = json_array();
	json_t *dbs = json_array(), *panels = json_array();
	size_t i, k;

	for (i = 0; i < r->n_lbs; i++) {
		const struct model_lb *lb = &r->lbs[i];
		json_t *ls = json_array();
		for (k = 0; k < lb->n_listeners; k++)
			json_array_append_new(ls, json_pack("{s:i, s:o, s:o}", "port", lb->listeners[k].port,
							    "protocol", str(lb->listeners[k].protocol),
							    "forward", forwards_json(&lb->listeners[k])));
		json_array_append_new(lbs, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "name", str(lb->name),
						     "state", str(lb->state), "dns_name", str(lb->dns_name),
						     "requests_per_s", num(lb->requests_per_s),
						     "http_5xx_pct", num(lb->http_5xx_pct), "p99_ms", num(lb->p99_ms),
						     "listeners", ls));
	}
	for (i = 0; i < r->n_tgs; i++) {
		const struct model_tg *tg = &r->tgs[i];
		json_t *ts = json_array();
		for (k = 0; k < tg->n_targets; k++)
			json_array_append_new(ts, json_pack("{s:o, s:i, s:o, s:o}", "id", str(tg->targets[k].id),
							    "port", tg->targets[k].port,
							    "state", str(tg->targets[k].state),
							    "reason", str(tg->targets[k].reason)));
		json_array_append_new(tgs, json_pack("{s:o, s:i, s:i, s:i, s:o, s:o, s:o, s:o}", "name", str(tg->name),
						     "healthy", tg->healthy, "unhealthy", tg->unhealthy,
						     "other", tg->other, "requests_per_s", num(tg->requests_per_s),
						     "http_5xx_pct", num(tg->http_5xx_pct), "p99_ms", num(tg->p99_ms),
						     "targets", ts));
	}
	for (i = 0; i < r->n_asgs; i++) {
		const struct model_asg *a = &r->asgs[i];
		json_array_append_new(asgs, json_pack("{s:o, s:i, s:i, s:i, s:i, s:i}", "name", str(a->name),
						      "min", a->min, "desired", a->desired, "max", a->max,
						      "in_service", a->in_service, "pending", a->pending));
	}
	for (i = 0; i < r->n_alarms; i++) {
		const struct model_alarm *a = &r->alarms[i];
		if (!a->state || strcmp(a->state, "ALARM") != 0)
			continue;
		json_array_append_new(alarms, json_pack("{s:o, s:o, s:o, s:o}", "name", str(a->name),
							"state", str(a->state), "reason", str(a->reason),
							"since", when(a->since)));
	}
	for (i = 0; i < r->n_dbs; i++) {
		const struct model_db *d = &r->dbs[i];
		json_array_append_new(dbs, json_pack("{s:o, s:o, s:s, s:o, s:o}", "id", str(d->id),
						     "status", str(d->status),
						     "role", d->is_replica ? "replica" : "primary",
						     "read_latency_ms", num(d->read_latency_ms),
						     "replica_lag_s", num(d->replica_lag_s)));
	}
	for (i = 0; i < MODEL_PANEL_COUNT; i++) {
		const struct model_status *st = &r->status[i];
		if (!st->enabled)
			continue;
		json_array_append_new(panels, json_pack("{s:s, s:o, s:o, s:o, s:o}", "panel",
							model_panel_name((enum model_panel)i),
							"age_s", age(st->fetched_at, now),
							"error_code", st->error.code[0] ? json_string(st->error.code) : json_null(),
							"error", st->error.code[0] ? json_string(st->error.message) : json_null(),
							"stale", json_boolean(!st->fetched_at || st->error.code[0])));
	}
	{
		/* counts are null until their panel has fetched once: 0 would claim "none" */
		bool lb_ok = r->status[MODEL_PANEL_LB].fetched_at != 0;
		bool asg_ok = r->status[MODEL_PANEL_ASG].fetched_at != 0;
		bool alarms_ok = r->status[MODEL_PANEL_ALARMS].fetched_at != 0;
		o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}",
			      "name", str(r->name), "role", str(r->role),
			      "requests_per_s", num(s->requests_per_s), "http_5xx_pct", num(s->http_5xx_pct),
			      "p99_ms", num(s->p99_ms),
			      "healthy_hosts", lb_ok ? json_integer(s->healthy_hosts) : json_null(),
			      "unhealthy_hosts", lb_ok ? json_integer(s->unhealthy_hosts) : json_null(),
			      "asg_capacity", asg_ok ? json_pack("{s:i, s:i, s:i, s:i}", "in_service", s->asg_in_service,
								 "desired", s->asg_desired, "min", s->asg_min,
								 "max", s->asg_max) : json_null(),
			      "alarms_in_alarm", alarms_ok ? json_integer(s->alarms_in_alarm) : json_null(),
			      "dns_answering", s->dns_answering);
	}
	figures_json(o, s, now);
	json_object_set_new(o, "alarms", alarms);
	json_object_set_new(o, "load_balancers", lbs);
	json_object_set_new(o, "target_groups", tgs);
	json_object_set_new(o, "auto_scaling_groups", asgs);
	json_object_set_new(o, "db_instances", dbs);
	json_object_set_new(o, "panels", panels);
	return o;
}

/* The verdict and the exit status with its reasons. */
static void status_json(json_t *doc, const struct model *m, time_t now)
{
	struct verdict v;
	struct strbuf why;
	json_t *items = json_array(), *reasons = json_array();
	char line[600], *p, *nl;
	size_t i;
	int code;

	verdict_build(m, now, &v);
	for (i = 0; i < v.n; i++)
		json_array_append_new(items, json_pack("{s:s, s:s}", "severity", model_sev_name(v.items[i].sev),
						       "text", v.items[i].text));
	strbuf_init(&why);
	code = verdict_exit_status(m, &why);
	for (p = why.data; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		json_array_append_new(reasons, json_stringn(p, (size_t)(nl - p)));
	}
	strbuf_clean_up(&why);
	json_object_set_new(doc, "status", json_pack("{s:s, s:s, s:o, s:i, s:o}", "severity", model_sev_name(v.sev),
						     "summary", verdict_line(&v, " \xc2\xb7 ", line, sizeof(line)),
						     "items", items, "exit_status", code, "reasons", reasons));
}

/* The snapshot document. */
json_t *snapshot_json(const struct model *m, time_t now)
{
	json_t *doc, *regions = json_array(), *targets = json_array(), *checks = json_array(), *answers = json_array();
	const struct model_route53 *r53 = &m->route53;
	const struct model_status *rs = &m->route53_status;
	const struct model_lb_address *matched;
	const char *addr = NULL;
	size_t i, k;

	for (i = 0; i < m->n_regions; i++)
		json_array_append_new(regions, region_json(&m->regions[i], now));
	for (i = 0; i < m->n_targets; i++) {
		const struct model_target *t = &m->targets[i];
		json_t *hist = json_array();
		for (k = 0; k < t->n_history; k++)
			json_array_append_new(hist, num(t->history[k]));
		json_array_append_new(targets, json_pack("{s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
							 "name", str(t->name), "value", num(t->value),
							 "objective", num(t->objective),
							 "comparison", model_cmp_text(t->cmp),
							 "status", model_target_status_name(t->status),
							 "unit", str(t->unit), "objective_text", str(t->objective_text),
							 "source", str(t->source), "region", str(t->region),
							 "age_s", isnan(t->value) ? json_null() : age(t->value_at, now),
							 "history", hist));
	}
	for (i = 0; i < r53->n_checks; i++) {
		const struct model_health_check *h = &r53->checks[i];
		json_array_append_new(checks, json_pack("{s:o, s:o, s:b, s:s, s:i, s:i, s:o}", "id", str(h->id),
							"target", str(h->target), "healthy", h->healthy,
							"state", h->state == 1 ? "healthy" : h->state == 0 ? "unhealthy" : "unknown",
							"healthy_checkers", h->healthy_checkers,
							"checkers", (int)h->n_checkers, "region", str(h->region)));
	}
	for (i = 0; i < r53->dns.n_answers; i++)
		json_array_append_new(answers, json_string(r53->dns.answers[i]));
	doc = json_pack("{s:i, s:o, s:o, s:o}", "schema_version", SCHEMA_VERSION, "time", when(now),
			"targets", targets, "regions", regions);
	json_object_set_new(doc, "dns", json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}",
						  "record_name", str(r53->dns.record_name),
						  "record_type", str(r53->dns.record_type),
						  "response_code", str(r53->dns.response_code),
						  "answers", answers, "region", str(r53->dns.region),
						  "method", r53->dns.region ? json_string(serving_method_name(r53->dns.method))
									    : json_null(),
						  "route53_rules_region", str(r53->dns.evaluated_region),
						  "route53_rules", str(r53->dns.evaluation),
						  "age_s", age(r53->dns.fetched_at, now),
						  "error", rs->error.code[0] ? json_string(rs->error.message) : json_null(),
						  "disagree", r53->dns.disagree));
	matched = serving_matched(m, &addr);
	json_object_set_new(json_object_get(doc, "dns"), "matched",
			    matched ? json_pack("{s:o, s:o, s:o, s:o}", "address", str(addr), "load_balancer", str(matched->lb_name),
						"network_interface", str(matched->eni_id), "availability_zone", str(matched->az))
				    : json_null());
	json_object_set_new(doc, "health_checks", checks);
	json_object_set_new(doc, "replication", replication_json(m, now));
	json_object_set_new(doc, "sessions", sessions_json(m, now));
	json_object_set_new(doc, "cdn", cdn_json(m, now));
	json_object_set_new(doc, "deploys", panel_deploys_json(m));
	status_json(doc, m, now);
	return doc;
}

/* Format a number with a unit, "-" when unknown. */
static void fmt(char *buf, size_t n, double v, const char *unit)
{
	if (isnan(v))
		snprintf(buf, n, "-");
	else if (fabs(v) >= 100 || v == floor(v))
		snprintf(buf, n, "%.0f%s%s", v, unit && *unit ? " " : "", unit ? unit : "");
	else
		snprintf(buf, n, "%.2f%s%s", v, unit && *unit ? " " : "", unit ? unit : "");
}

/* End the current line without trailing blanks. */
static void rstrip_line(struct strbuf *out)
{
	while (out->len && out->data[out->len - 1] == ' ')
		out->data[--out->len] = '\0';
	strbuf_addc(out, '\n');
}

/* The cells of the text report's region table, one function per row. */
static void cell_rps(const struct model_summary *s, char *b, size_t n) { fmt(b, n, s->requests_per_s, NULL); }
static void cell_5xx(const struct model_summary *s, char *b, size_t n) { fmt(b, n, s->http_5xx_pct, NULL); }
static void cell_p99(const struct model_summary *s, char *b, size_t n) { fmt(b, n, s->p99_ms, "ms"); }

static void cell_hosts(const struct model_summary *s, char *b, size_t n)
{
	snprintf(b, n, "%d/%d", s->healthy_hosts, s->healthy_hosts + s->unhealthy_hosts);
}

static void cell_asg(const struct model_summary *s, char *b, size_t n)
{
	snprintf(b, n, "%d/%d (%d..%d)", s->asg_in_service, s->asg_desired, s->asg_min, s->asg_max);
}

static void cell_alarms(const struct model_summary *s, char *b, size_t n)
{
	snprintf(b, n, "%d", s->alarms_in_alarm);
}

static void cell_dns(const struct model_summary *s, char *b, size_t n)
{
	snprintf(b, n, "%s", s->dns_answering ? "yes" : "no");
}

static void cell_down(const struct model_summary *s, char *b, size_t n)
{
	if (s->unreadable || s->down)
		snprintf(b, n, "%s", s->unreadable ? "UNREADABLE" : s->down_why);
	else
		snprintf(b, n, "%s", s->sev[MODEL_FIG_HOSTS] == MODEL_SEV_UNKNOWN ? "-" : "up");
}

/* The rows of the region table: label, cell, and the panel whose first fetch
 * makes the cell known (counts read "-" before it: 0 would claim "none"). */
static const struct {
	const char *label;
	void (*cell)(const struct model_summary *s, char *buf, size_t n);
	int known_after;            /* an enum model_panel, or -1: always shown */
} region_rows[] = {
	{ "requests/s", cell_rps, -1 },
	{ "5xx %", cell_5xx, -1 },
	{ "p99 latency", cell_p99, -1 },
	{ "healthy hosts", cell_hosts, MODEL_PANEL_LB },
	{ "ASG in service/desired", cell_asg, MODEL_PANEL_ASG },
	{ "alarms in ALARM", cell_alarms, MODEL_PANEL_ALARMS },
	{ "DNS answers here", cell_dns, -1 },
	{ "state", cell_down, -1 },
};

/* AWS text as one safe line (a name or reason with a newline adds no line of
 * its own to the report; cmd_snapshot lets the report's own newlines pass). */
static void add_safe(struct strbuf *out, const char *s)
{
	termtext_add(out, s ? s : "", strlen(s ? s : ""), 0);
}

/* One cell of a region row, made safe, padded. */
static void add_cell(struct strbuf *out, const char *s)
{
	char safe[160];

	strbuf_addf(out, " %-28s", termtext_copy(safe, sizeof(safe), s, 0));
}

/* The text report. */
void snapshot_text(const struct model *m, time_t now, struct strbuf *out)
{
	char t[ISOTIME_MAX], a[48], b[ISOTIME_MAX], line[600];
	struct verdict v;
	long age_s;
	size_t i, k, errors = 0;

	isotime_format((double)now, 0, t);
	verdict_build(m, now, &v);
	strbuf_addf(out, "flightdeck snapshot %s\nSTATUS %s\n\nTARGETS\n", t, verdict_line(&v, " | ", line, sizeof(line)));
	for (i = 0; i < m->n_targets; i++) {
		const struct model_target *tg = &m->targets[i];
		fmt(a, sizeof(a), tg->value, tg->unit);
		strbuf_addf(out, "  %-8s %-28s %-12s %s\n",
			    tg->status == MODEL_TARGET_MET ? "met" : tg->status == MODEL_TARGET_MISSED ? "MISSED" : "no data",
			    tg->name, a, tg->objective_text ? tg->objective_text : "");
	}
	if (!m->n_targets)
		strbuf_adds(out, "  (none)\n");
	strbuf_addf(out, "\n%-24s", "REGIONS");
	for (i = 0; i < m->n_regions; i++) {
		snprintf(a, sizeof(a), "%s (%s)", m->regions[i].name, m->regions[i].role);
		strbuf_addf(out, " %-28s", a);
	}
	rstrip_line(out);
	for (k = 0; k < sizeof(region_rows) / sizeof(region_rows[0]); k++) {
		strbuf_addf(out, "  %-22s", region_rows[k].label);
		for (i = 0; i < m->n_regions; i++) {
			int after = region_rows[k].known_after;
			if (after >= 0 && !m->regions[i].status[after].fetched_at)
				snprintf(a, sizeof(a), "-");
			else
				region_rows[k].cell(&m->regions[i].summary, a, sizeof(a));
			add_cell(out, a);
		}
		rstrip_line(out);
	}
	strbuf_addf(out, "  %-22s", "metrics data age");
	for (i = 0; i < m->n_regions; i++) {
		age_s = model_fig_data_age(&m->regions[i].summary, MODEL_FIG_RPS, now);
		if (age_s < 0)
			snprintf(a, sizeof(a), "-");
		else
			snprintf(a, sizeof(a), "%lds%s", age_s,
				 model_fig_stale(&m->regions[i].summary, MODEL_FIG_RPS, now) ? " STALE" : "");
		strbuf_addf(out, " %-28s", a);
	}
	rstrip_line(out);
	strbuf_addf(out, "  %-22s", "DB replication");
	for (i = 0; i < m->n_regions; i++) {
		struct replication rp;
		replication_of_region(m, i, &rp);
		add_cell(out, rp.brief);
	}
	rstrip_line(out);
	strbuf_addf(out, "  %-22s", "Redis sessions");
	for (i = 0; i < m->n_regions; i++) {
		struct sessions_view sv;
		sessions_of_region(m, i, now, &sv);
		add_cell(out, sv.brief);
	}
	rstrip_line(out);
	strbuf_addf(out, "  %-22s", "CloudFront");
	for (i = 0; i < m->n_regions; i++) {
		struct cdn_view cv;
		cdn_of_region(m, i, &cv);
		add_cell(out, cv.brief);
	}
	rstrip_line(out);
	if (m->route53.dns.record_name) {
		strbuf_adds(out, "\nDNS ");
		add_safe(out, m->route53.dns.record_name);
		strbuf_addc(out, ' ');
		add_safe(out, m->route53.dns.record_type);
		strbuf_adds(out, " ->");
		for (i = 0; i < m->route53.dns.n_answers; i++) {
			strbuf_addc(out, ' ');
			add_safe(out, m->route53.dns.answers[i]);
		}
		if (m->route53.dns.region) {
			strbuf_adds(out, " (");
			add_safe(out, m->route53.dns.region);
			strbuf_addf(out, ", %s)\n", serving_method_name(m->route53.dns.method));
		} else
			strbuf_adds(out, " (region unknown)\n");
		strbuf_adds(out, "  Route 53 rules: ");
		add_safe(out, m->route53.dns.evaluation ? m->route53.dns.evaluation : "-");
		strbuf_addf(out, "%s\n", m->route53.dns.disagree ? " (DISAGREES with the answer)" : "");
	}
	for (i = 0; i < m->n_regions; i++)
		for (k = 0; k < m->regions[i].n_alarms; k++) {
			const struct model_alarm *al = &m->regions[i].alarms[k];
			if (!al->state || strcmp(al->state, "ALARM") != 0)
				continue;
			if (!errors++)
				strbuf_adds(out, "\nALARMS\n");
			isotime_format((double)al->since, 0, b);
			strbuf_addf(out, "  %s ", m->regions[i].name);
			add_safe(out, al->name);
			strbuf_addf(out, " since %s: ", b);
			add_safe(out, al->reason);
			strbuf_addc(out, '\n');
		}
	errors = 0;
	for (i = 0; i < m->n_regions; i++)
		for (k = 0; k < MODEL_PANEL_COUNT; k++) {
			const struct model_status *st = &m->regions[i].status[k];
			if (!st->enabled || !st->error.code[0])
				continue;
			if (!errors++)
				strbuf_adds(out, "\nERRORS (panels keep their last data)\n");
			strbuf_addf(out, "  %s %s: ", m->regions[i].name, model_panel_name((enum model_panel)k));
			add_safe(out, st->error.code);
			strbuf_adds(out, ": ");
			add_safe(out, st->error.message);
			strbuf_addc(out, '\n');
		}
	if (m->route53_status.error.code[0]) {
		if (!errors++)
			strbuf_adds(out, "\nERRORS (panels keep their last data)\n");
		strbuf_addf(out, "  global route53: %s: %s\n", m->route53_status.error.code,
			    m->route53_status.error.message);
	}
}

/* True when nothing produced data. */
bool snapshot_all_failed(const struct model *m)
{
	size_t i, k;

	if (m->route53_status.fetched_at)
		return false;
	for (i = 0; i < m->n_regions; i++)
		for (k = 0; k < MODEL_PANEL_COUNT; k++)
			/* metrics and deploys derive from the other panels' resources (with none they
			 * make no call and succeed): not evidence of data alone */
			if (k != MODEL_PANEL_METRICS && k != MODEL_PANEL_DEPLOYS && m->regions[i].status[k].enabled &&
			    m->regions[i].status[k].fetched_at)
				return false;
	return true;
}
