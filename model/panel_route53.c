/* panel_route53.c — the Route 53 panel (global): health checks -> their checkers, zones ->
 * failover records -> what DNS answers now. */
#include "model/panel_route53.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/strbuf.h"
#include "base/strlist.h"
#include "base/xalloc.h"
#include "model/collector.h"
#include "model/panel.h"

#define MAX_ZONES 5             /* zones read when none is configured */


/* Strip a "/hostedzone/" style prefix. */
static char *strip_prefix(const char *s)
{
	const char *p;

	if (!s)
		return NULL;
	p = strrchr(s, '/');
	return xstrdup(p ? p + 1 : s);
}

/* Parse ListHealthChecks. */
int panel_route53_parse_health_checks(const json_t *res, time_t now, struct model_health_check **out,
			size_t *n, struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_health_check *v;
	bool bad = false;
	size_t i;

	if (panel_need_object(res, "ListHealthChecks", err))
		return -1;
	arr = panel_list(res, "HealthChecks", &bad);
	if (bad)
		return panel_shape_error(err, "ListHealthChecks", "HealthChecks is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		const json_t *c = json_object_get(e, "HealthCheckConfig"), *kids;
		struct strbuf sb;
		const char *host = panel_cstr(c, "FullyQualifiedDomainName");
		v[i].id = panel_str(e, "Id");
		v[i].caller_reference = panel_str(e, "CallerReference");
		v[i].type = panel_str(c, "Type");
		v[i].inverted = panel_bool(c, "Inverted");
		v[i].disabled = panel_bool(c, "Disabled");
		v[i].health_threshold = panel_int(c, "HealthThreshold", 0);
		v[i].routing_control_arn = panel_str(c, "RoutingControlArn");
		v[i].state = -1;
		kids = json_object_get(c, "ChildHealthChecks");
		if (json_is_array(kids) && json_array_size(kids)) {
			size_t k;
			v[i].children = xcalloc(json_array_size(kids) + 1, sizeof(char *));
			for (k = 0; k < json_array_size(kids); k++)
				if (json_is_string(json_array_get(kids, k)))
					v[i].children[v[i].n_children++] = xstrdup(json_string_value(json_array_get(kids, k)));
		}
		strbuf_init(&sb);
		if (host || panel_cstr(c, "IPAddress")) {
			strbuf_addf(&sb, "%s", host ? host : panel_cstr(c, "IPAddress"));
			if (panel_int(c, "Port", 0))
				strbuf_addf(&sb, ":%d", panel_int(c, "Port", 0));
			if (panel_cstr(c, "ResourcePath"))
				strbuf_adds(&sb, panel_cstr(c, "ResourcePath"));
		} else if (panel_cstr(c, "RoutingControlArn") && strrchr(panel_cstr(c, "RoutingControlArn"), '/')) {
			strbuf_adds(&sb, strrchr(panel_cstr(c, "RoutingControlArn"), '/') + 1);  /* routing control name */
		} else if (v[i].type) {
			strbuf_adds(&sb, v[i].type);
		}
		v[i].target = strbuf_detach(&sb, NULL);
		v[i].fetched_at = now;
	}
	*out = v;
	*n = json_array_size(arr);
	return 0;
}

/* Parse GetHealthCheckStatus into one health check. */
int panel_route53_parse_health_check_status(const json_t *res, time_t now, struct model_health_check *hc,
			      struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_checker *v;
	bool bad = false;
	size_t i;

	if (panel_need_object(res, "GetHealthCheckStatus", err))
		return -1;
	arr = panel_list(res, "HealthCheckObservations", &bad);
	if (bad)
		return panel_shape_error(err, "GetHealthCheckStatus", "HealthCheckObservations is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	hc->healthy_checkers = 0;
	hc->reports_inverted = false;
	json_array_foreach(arr, i, e) {
		const json_t *rep = json_object_get(e, "StatusReport");
		v[i].region = panel_str(e, "Region");
		v[i].ip = panel_str(e, "IPAddress");
		v[i].status = panel_str(rep, "Status");
		v[i].checked_at = panel_time(rep, "CheckedTime");
		v[i].healthy = v[i].status && strncmp(v[i].status, "Success", 7) == 0;
		if (v[i].healthy)
			hc->healthy_checkers++;
		if (v[i].status && strstr(v[i].status, "Inverted health check"))
			hc->reports_inverted = true;
	}
	panel_route53_checkers_free(hc->checkers, hc->n_checkers);
	hc->checkers = v;
	hc->n_checkers = json_array_size(arr);
	hc->state = panel_route53_check_state(NULL, hc);
	hc->healthy = hc->state == 1;
	hc->fetched_at = now;
	return 0;
}

/* "On" / "Off" from a RECOVERY_CONTROL check's reports ("... is On"), NULL when
 * no report says. Borrowed. */
const char *panel_route53_control_state(const struct model_health_check *h)
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

/* The check with this id, NULL when unknown. */
static const struct model_health_check *check_by_id(const struct model_route53 *r53, const char *id)
{
	size_t h;

	for (h = 0; r53 && id && h < r53->n_checks; h++)
		if (r53->checks[h].id && strcmp(r53->checks[h].id, id) == 0)
			return &r53->checks[h];
	return NULL;
}

/* A check's state before Inverted: -1 when it cannot be told. */
static int check_raw_state(const struct model_route53 *r53, const struct model_health_check *h, int depth,
			   bool *already_inverted)
{
	const char *on;
	size_t k;
	int healthy = 0, unknown = 0;

	*already_inverted = false;
	if (h->disabled)
		return 1;       /* "Route 53 considers the status of the health check to always be healthy" */
	if (panel_same(h->type, "CALCULATED")) {
		if (!r53 || depth > 4)
			return -1;
		for (k = 0; k < h->n_children; k++) {
			const struct model_health_check *c = check_by_id(r53, h->children[k]);
			int s = c ? panel_route53_check_state_at(r53, c, depth + 1) : -1;
			healthy += s == 1;
			unknown += s < 0;
		}
		if (healthy >= h->health_threshold)
			return 1;
		return healthy + unknown >= h->health_threshold ? -1 : 0;
	}
	if (panel_same(h->type, "RECOVERY_CONTROL")) {
		on = panel_route53_control_state(h);
		return on ? strcmp(on, "On") == 0 : -1;
	}
	if (!h->n_checkers)
		return -1;
	/* a report that says "Inverted health check" gives the inverted verdict already */
	*already_inverted = h->reports_inverted;
	/* Route 53 considers an endpoint healthy when more than 18 % of its checkers do */
	return h->healthy_checkers * 100 > (int)h->n_checkers * 18;
}

/* A check's state with Inverted applied (depth bounds CALCULATED chains). */
int panel_route53_check_state_at(const struct model_route53 *r53, const struct model_health_check *h, int depth)
{
	bool done;
	int s = check_raw_state(r53, h, depth, &done);

	return s < 0 || done || !h->inverted ? s : !s;
}

/* A check's state: 1 healthy, 0 unhealthy, -1 cannot tell. */
int panel_route53_check_state(const struct model_route53 *r53, const struct model_health_check *h)
{
	return panel_route53_check_state_at(r53, h, 0);
}

/* Parse ListHostedZones. */
int panel_route53_parse_hosted_zones(const json_t *res, time_t now, struct model_zone **out, size_t *n,
		       struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_zone *v;
	bool bad = false;
	size_t i;

	if (panel_need_object(res, "ListHostedZones", err))
		return -1;
	arr = panel_list(res, "HostedZones", &bad);
	if (bad)
		return panel_shape_error(err, "ListHostedZones", "HostedZones is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		v[i].id = strip_prefix(panel_cstr(e, "Id"));
		v[i].name = panel_str(e, "Name");
		v[i].private_zone = panel_bool(json_object_get(e, "Config"), "PrivateZone");
		v[i].fetched_at = now;
	}
	*out = v;
	*n = json_array_size(arr);
	return 0;
}

/* Fill one record from a ResourceRecordSets entry. */
static void record_from(struct model_record *r, const json_t *e)
{
	const json_t *alias = json_object_get(e, "AliasTarget"), *rrs, *x;
	struct strbuf sb;
	size_t k;

	r->name = panel_str(e, "Name");
	r->type = panel_str(e, "Type");
	r->set_identifier = panel_str(e, "SetIdentifier");
	r->failover = panel_str(e, "Failover");
	r->region = panel_str(e, "Region");
	r->health_check_id = panel_str(e, "HealthCheckId");
	r->alias = alias != NULL;
	r->evaluate_target_health = alias && panel_bool(alias, "EvaluateTargetHealth");
	r->state = -1;
	r->ttl = alias ? -1 : panel_int(e, "TTL", -1);
	strbuf_init(&sb);
	if (alias) {
		strbuf_adds(&sb, panel_cstr(alias, "DNSName") ? panel_cstr(alias, "DNSName") : "");
	} else {
		rrs = json_object_get(e, "ResourceRecords");
		json_array_foreach(rrs, k, x) {
			if (k)
				strbuf_adds(&sb, ", ");
			strbuf_adds(&sb, panel_cstr(x, "Value") ? panel_cstr(x, "Value") : "");
		}
	}
	r->value = strbuf_detach(&sb, NULL);
}

/* Parse ListResourceRecordSets into a zone. */
int panel_route53_parse_record_sets(const json_t *res, time_t now, struct model_zone *z, struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_record *v;
	bool bad = false, routed = false;
	size_t i, n = 0;

	if (panel_need_object(res, "ListResourceRecordSets", err))
		return -1;
	arr = panel_list(res, "ResourceRecordSets", &bad);
	if (bad)
		return panel_shape_error(err, "ListResourceRecordSets", "ResourceRecordSets is not a list");
	json_array_foreach(arr, i, e)
		if (json_object_get(e, "SetIdentifier"))
			routed = true;
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		const char *t = panel_cstr(e, "Type");
		if (routed ? !json_object_get(e, "SetIdentifier")
			   : !(t && (!strcmp(t, "A") || !strcmp(t, "AAAA") || !strcmp(t, "CNAME"))))
			continue;
		record_from(&v[n++], e);
	}
	panel_route53_records_free(z->records, z->n_records);
	z->records = v;
	z->n_records = n;
	z->fetched_at = now;
	return 0;
}

/* Parse TestDNSAnswer. */
int panel_route53_parse_dns_answer(const json_t *res, time_t now, struct model_dns_answer *d, struct fd_error *err)
{
	const json_t *arr, *x;
	bool bad = false;
	size_t i;
	char **answers;

	if (panel_need_object(res, "TestDNSAnswer", err))
		return -1;
	arr = panel_list(res, "RecordData", &bad);
	if (bad)
		return panel_shape_error(err, "TestDNSAnswer", "RecordData is not a list");
	answers = xcalloc(json_array_size(arr) + 1, sizeof(char *));
	json_array_foreach(arr, i, x)
		answers[i] = xstrdup(json_is_string(x) ? json_string_value(x) : "");
	panel_route53_dns_answer_clean_up(d);
	d->record_name = panel_str(res, "RecordName");
	d->record_type = panel_str(res, "RecordType");
	d->nameserver = panel_str(res, "Nameserver");
	d->response_code = panel_str(res, "ResponseCode");
	d->answers = answers;
	d->n_answers = json_array_size(arr);
	d->fetched_at = now;
	return 0;
}

/* Compare DNS names ignoring case, a trailing dot and a "dualstack." prefix. */
bool panel_route53_dns_same(const char *a, const char *b)
{
	size_t la, lb;

	if (!a || !b)
		return false;
	if (strncasecmp(a, "dualstack.", 10) == 0)
		a += 10;
	if (strncasecmp(b, "dualstack.", 10) == 0)
		b += 10;
	la = strlen(a);
	lb = strlen(b);
	if (la && a[la - 1] == '.')
		la--;
	if (lb && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

/* Which of the model's regions a DNS value points at; NULL when unknown. Borrowed. */
const char *panel_route53_region_of_value(const struct model *m, const char *value)
{
	size_t i, k;

	if (!value || !*value)
		return NULL;
	for (i = 0; i < m->n_regions; i++)
		for (k = 0; k < m->regions[i].n_lbs; k++)
			if (panel_route53_dns_same(value, m->regions[i].lbs[k].dns_name))
				return m->regions[i].name;
	for (i = 0; i < m->n_regions; i++)
		if (strstr(value, m->regions[i].name))
			return m->regions[i].name;
	return NULL;
}

/* Which region a record points at: its Region, its value, or its failover role. Borrowed. */
static const char *region_of_record(const struct model *m, const struct model_record *r)
{
	const char *reg;
	size_t i;

	if (r->region && model_region_index(m, r->region) >= 0)
		return r->region;
	if ((reg = panel_route53_region_of_value(m, r->value)))
		return reg;
	if (r->failover && m->n_regions)
		for (i = 0; i < m->n_regions; i++)
			if ((strcmp(r->failover, "PRIMARY") == 0) == (strcmp(m->regions[i].role, "primary") == 0))
				return m->regions[i].name;
	return NULL;
}

/* Derive the regions of records and health checks. */
void panel_route53_resolve_regions(struct model *m)
{
	struct model_route53 *r53 = &m->route53;
	size_t z, i, h;

	for (z = 0; z < r53->n_zones; z++)
		for (i = 0; i < r53->zones[z].n_records; i++) {
			struct model_record *r = &r53->zones[z].records[i];
			const char *reg = region_of_record(m, r);
			if (reg && !r->region)
				r->region = xstrdup(reg);
			for (h = 0; reg && r->health_check_id && h < r53->n_checks; h++)
				if (r53->checks[h].id && strcmp(r53->checks[h].id, r->health_check_id) == 0 &&
				    !r53->checks[h].region)
					r53->checks[h].region = xstrdup(reg);
		}
}

/* --- freeing ------------------------------------------------------------------------- */

/* Free checker reports. */
void panel_route53_checkers_free(struct model_checker *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].region);
		free(v[i].ip);
		free(v[i].status);
	}
	free(v);
}

/* Free records. */
void panel_route53_records_free(struct model_record *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].type);
		free(v[i].set_identifier);
		free(v[i].failover);
		free(v[i].region);
		free(v[i].health_check_id);
		free(v[i].value);
		free(v[i].why);
	}
	free(v);
}

/* Free a DNS answer's strings. */
void panel_route53_dns_answer_clean_up(struct model_dns_answer *d)
{
	free(d->record_name);
	free(d->record_type);
	free(d->nameserver);
	free(d->response_code);
	strlist_free(d->answers, d->n_answers);
	free(d->region);
	free(d->evaluated_region);
	free(d->evaluation);
	memset(d, 0, sizeof(*d));
}

/* Free everything Route 53. */
void panel_route53_clean_up(struct model_route53 *r)
{
	size_t i;

	for (i = 0; i < r->n_checks; i++) {
		struct model_health_check *h = &r->checks[i];
		free(h->id);
		free(h->type);
		free(h->target);
		free(h->caller_reference);
		free(h->region);
		free(h->routing_control_arn);
		strlist_free(h->children, h->n_children);
		panel_route53_checkers_free(h->checkers, h->n_checkers);
	}
	free(r->checks);
	for (i = 0; i < r->n_zones; i++) {
		free(r->zones[i].id);
		free(r->zones[i].name);
		panel_route53_records_free(r->zones[i].records, r->zones[i].n_records);
	}
	free(r->zones);
	strlist_free(r->shown, r->n_shown);
	panel_route53_dns_answer_clean_up(&r->dns);
	memset(r, 0, sizeof(*r));
}

/* --- refreshing ---------------------------------------------------------------------- */

/* The calls of a refresh (rows of r53_calls[]). */
enum { K_HCS, K_HC_STATUS, K_ZONES, K_RRSETS, K_DNS, K_COUNT };

/* What a refresh stages before the swap. */
struct r53_stage {
	struct model_health_check *checks;
	size_t n_checks;
	bool have_checks;
	unsigned char *hc_fail;         /* per check: keeps its last status (1 failed, 2 not asked) */
	bool status_asked;
	struct model_zone *zones;
	size_t n_zones;
	bool have_zones, zones_done;
	size_t rrsets_pending;          /* record listings still out: the DNS question waits for them */
	struct model_dns_answer dns;
	bool have_dns;
};

/* Start: health checks and hosted zones. */
static void start_r53(struct panel_job *j)
{
	collector_call(j, K_HCS, json_object(), 0, 0);
	collector_call(j, K_ZONES, json_object(), 0, 0);
}

/* Once the checks and the record listings are in: the status of the checks the records
 * use, and of the others' turn (panel_route53_pick); the rest keep their last status. A
 * RECOVERY_CONTROL check has observations (they report its routing control). */
static void ask_status(struct panel_job *j)
{
	struct r53_stage *s = j->stage;
	struct model_route53 *r = &j->m->route53;
	unsigned char *ask;
	size_t i;

	if (!s->have_checks || !s->zones_done || s->rrsets_pending || s->status_asked)
		return;
	s->status_asked = true;
	ask = xcalloc(s->n_checks + 1, 1);
	/* the staged records and the shown ones: a zone whose listing failed still counts */
	panel_route53_pick(s->checks, s->n_checks, s->zones, s->n_zones, r->zones, r->n_zones, r->shown, r->n_shown,
			   j->cfg->n_health_checks > 0,
			   panel_route53_budget(collector_interval_s(j), s->n_checks, s->n_zones), r->status_turn, ask);
	for (i = 0; i < s->n_checks; i++)
		if (ask[i] == PANEL_ROUTE53_NEEDED || ask[i] == PANEL_ROUTE53_TURN)
			collector_call(j, K_HC_STATUS, json_pack("{s:s}", "HealthCheckId", s->checks[i].id), i, 0);
		else if (!ask[i])
			s->hc_fail[i] = 2;
	free(ask);
}

static void done_hcs(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct r53_stage *s = j->stage;
	const struct fd_config *cfg = j->cfg;
	struct fd_error e;

	(void)idx;
	(void)sub;
	panel_filter(res, "HealthChecks", "Id", cfg->health_checks, cfg->n_health_checks);
	if (panel_route53_parse_health_checks(res, j->now, &s->checks, &s->n_checks, &e)) {
		collector_job_error(j, &e, true);
		return;
	}
	s->have_checks = true;
	s->hc_fail = xcalloc(s->n_checks + 1, 1);
	ask_status(j);
}

static void done_hc_status(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct r53_stage *s = j->stage;
	struct fd_error e;

	(void)sub;
	if (panel_route53_parse_health_check_status(res, j->now, &s->checks[idx], &e)) {
		s->hc_fail[idx] = 1;
		collector_job_error(j, &e, false);
	}
}

/* Does zone z match the configured zone (name with or without the dot, or id)? */
static bool zone_match(const struct model_zone *z, const char *want)
{
	size_t n = strlen(want), zn = z->name ? strlen(z->name) : 0;

	if (panel_same(z->id, want) || panel_same(z->name, want))
		return true;
	return z->name && zn == n + 1 && strncasecmp(z->name, want, n) == 0 && z->name[n] == '.';
}

static void done_zones(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct r53_stage *s = j->stage;
	const struct fd_config *cfg = j->cfg;
	struct model_zone *all;
	size_t n, i;
	struct fd_error e;

	(void)idx;
	(void)sub;
	s->zones_done = true;
	if (panel_route53_parse_hosted_zones(res, j->now, &all, &n, &e)) {
		collector_job_error(j, &e, true);
		ask_status(j);
		return;
	}
	s->zones = xcalloc(n + 1, sizeof(*s->zones));
	for (i = 0; i < n; i++) {
		bool keep = cfg->hosted_zone ? zone_match(&all[i], cfg->hosted_zone)
					     : !all[i].private_zone && s->n_zones < MAX_ZONES;
		if (keep) {
			s->zones[s->n_zones++] = all[i];
			memset(&all[i], 0, sizeof(all[i]));
		}
	}
	for (i = 0; i < n; i++) {
		free(all[i].id);
		free(all[i].name);
	}
	free(all);
	s->have_zones = true;
	s->rrsets_pending = s->n_zones;
	for (i = 0; i < s->n_zones; i++)
		collector_call(j, K_RRSETS, json_pack("{s:s}", "HostedZoneId", s->zones[i].id), i, 0);
	ask_status(j);
}

/* The zone listing failed: the checks are asked about with the shown records. */
static void failed_zones(struct panel_job *j, size_t idx, size_t sub)
{
	struct r53_stage *s = j->stage;

	(void)idx;
	(void)sub;
	s->zones_done = true;
	ask_status(j);
}

/* The record to ask DNS about: the configured name, else the PRIMARY failover record. */
static void ask_dns(struct panel_job *j)
{
	struct r53_stage *s = j->stage;
	const char *want = j->cfg->record_name;
	const struct model_record *pick = NULL;
	size_t z, i, zone = 0;

	for (z = 0; z < s->n_zones && !pick; z++)
		for (i = 0; i < s->zones[z].n_records && !pick; i++) {
			const struct model_record *r = &s->zones[z].records[i];
			if (want ? (panel_same(r->name, want) || (r->name && strncasecmp(r->name, want, strlen(want)) == 0 &&
							     strcmp(r->name + strlen(want), ".") == 0))
				 : panel_same(r->failover, "PRIMARY")) {
				pick = r;
				zone = z;
			}
		}
	if (!pick && (!want || !s->n_zones))
		return;
	collector_call(j, K_DNS, json_pack("{s:s, s:s, s:s}", "HostedZoneId", s->zones[zone].id, "RecordName",
					   pick ? pick->name : want, "RecordType", pick && pick->type ? pick->type : "A"),
		       0, 0);
}

static void done_rrsets(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct r53_stage *s = j->stage;
	struct fd_error e;

	(void)sub;
	if (panel_route53_parse_record_sets(res, j->now, &s->zones[idx], &e))
		collector_job_error(j, &e, false);
	if (--s->rrsets_pending == 0) {
		ask_dns(j);
		ask_status(j);
	}
}

static void done_dns(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct r53_stage *s = j->stage;
	struct fd_error e;

	(void)idx;
	(void)sub;
	if (panel_route53_parse_dns_answer(res, j->now, &s->dns, &e))
		collector_job_error(j, &e, false);
	else
		s->have_dns = true;
}

/* Swap in what arrived, carrying over the checkers of checks whose status failed or was not
 * asked (those keep when it was read, too). */
static void finish_r53(struct panel_job *j)
{
	struct r53_stage *s = j->stage;
	struct model_route53 *r = &j->m->route53;
	size_t i, o;

	if (s->have_checks) {
		for (i = 0; i < s->n_checks; i++)
			for (o = 0; s->hc_fail[i] && o < r->n_checks; o++)
				if (panel_same(s->checks[i].id, r->checks[o].id)) {
					s->checks[i].checkers = r->checks[o].checkers;
					s->checks[i].n_checkers = r->checks[o].n_checkers;
					s->checks[i].healthy = r->checks[o].healthy;
					s->checks[i].state = r->checks[o].state;
					s->checks[i].reports_inverted = r->checks[o].reports_inverted;
					s->checks[i].healthy_checkers = r->checks[o].healthy_checkers;
					if (s->hc_fail[i] == 2)
						s->checks[i].fetched_at = r->checks[o].fetched_at;
					r->checks[o].checkers = NULL;
					r->checks[o].n_checkers = 0;
				}
		{
			struct model_route53 old = { .checks = r->checks, .n_checks = r->n_checks };
			panel_route53_clean_up(&old);
		}
		r->checks = s->checks;
		r->n_checks = s->n_checks;
		s->checks = NULL;
		s->n_checks = 0;
	}
	if (s->have_zones) {
		struct model_route53 old = { .zones = r->zones, .n_zones = r->n_zones };
		panel_route53_clean_up(&old);
		r->zones = s->zones;
		r->n_zones = s->n_zones;
		s->zones = NULL;
		s->n_zones = 0;
	}
	if (s->have_dns) {
		panel_route53_dns_answer_clean_up(&r->dns);
		r->dns = s->dns;
		memset(&s->dns, 0, sizeof(s->dns));
	}
}

/* A status call failed: keep the check's old checkers. */
static void failed_hc_status(struct panel_job *j, size_t idx, size_t sub)
{
	struct r53_stage *s = j->stage;

	(void)sub;
	s->hc_fail[idx] = 1;
}

/* A record listing failed: the DNS question still goes out after the last one. */
static void failed_rrsets(struct panel_job *j, size_t idx, size_t sub)
{
	struct r53_stage *s = j->stage;

	(void)idx;
	(void)sub;
	if (--s->rrsets_pending == 0) {
		ask_dns(j);
		ask_status(j);
	}
}

/* Free what a refresh staged. */
static void stage_clean_up(void *stage)
{
	struct r53_stage *s = stage;
	struct model_route53 r = { .checks = s->checks, .n_checks = s->n_checks,
				   .zones = s->zones, .n_zones = s->n_zones, .dns = s->dns };

	panel_route53_clean_up(&r);
	free(s->hc_fail);
}

/* Free the model's Route 53 state. */
static void model_part_clean_up(struct model *m, size_t region)
{
	(void)region;
	panel_route53_clean_up(&m->route53);
}

static const struct panel_call r53_calls[K_COUNT] = {
	[K_HCS] = { "route53", "ListHealthChecks", CLIENT_ALL_PAGES, true, done_hcs, NULL },
	[K_HC_STATUS] = { "route53", "GetHealthCheckStatus", 0, false, done_hc_status, failed_hc_status },
	[K_ZONES] = { "route53", "ListHostedZones", CLIENT_ALL_PAGES, true, done_zones, failed_zones },
	[K_RRSETS] = { "route53", "ListResourceRecordSets", CLIENT_ALL_PAGES, false, done_rrsets, failed_rrsets },
	[K_DNS] = { "route53", "TestDNSAnswer", 0, false, done_dns, NULL },
};

const struct panel_def panel_route53_def = {
	.panel = MODEL_PANEL_ROUTE53,
	.name = "route53",
	.global = true,
	.interval_mult = 1,
	.calls = r53_calls,
	.n_calls = K_COUNT,
	.stage_size = sizeof(struct r53_stage),
	.start = start_r53,
	.finish = finish_r53,
	.stage_clean_up = stage_clean_up,
	.model_clean_up = model_part_clean_up,
};
