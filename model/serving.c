/* serving.c — which region DNS sends users to: the answer matched against what each
 * region owns, cross-checked with Route 53's failover rules (see serving.h).
 *
 * The rules followed are botocore's documentation of the route53 model
 * (ResourceRecordSet.Failover, AliasTarget.EvaluateTargetHealth,
 * HealthCheckConfig.Disabled / Inverted), the same text as
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html
 */
#include "model/serving.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "model/panel.h"

static const char *const method_names[] = {
	[MODEL_SERVING_NONE] = "unknown",
	[MODEL_SERVING_ADDRESS] = "address match",
	[MODEL_SERVING_RECORD] = "record match",
	[MODEL_SERVING_INFERRED] = "inferred",
};

/* The method in words. */
const char *serving_method_name(enum model_serving_method method)
{
	return (unsigned)method <= MODEL_SERVING_INFERRED ? method_names[method] : "unknown";
}

/* The check with this id, NULL when not read. */
static struct model_health_check *check_of(struct model_route53 *r53, const char *id)
{
	size_t h;

	for (h = 0; id && h < r53->n_checks; h++)
		if (panel_same(r53->checks[h].id, id))
			return &r53->checks[h];
	return NULL;
}

/* Does the load balancer's ARN appear in the target group's? */
static bool tg_of_lb(const struct model_tg *tg, const struct model_lb *lb)
{
	size_t k;

	for (k = 0; k < tg->n_lb_arns; k++)
		if (panel_same(tg->lb_arns[k], lb->arn))
			return true;
	return false;
}

/* Route 53's view of an ALB with EvaluateTargetHealth (see serving.h). */
int serving_lb_health(const struct model_region *r, const struct model_lb *lb)
{
	size_t i, with_targets = 0;

	if (!r->status[MODEL_PANEL_LB].fetched_at)
		return -1;
	/* "every target group that contains targets must contain at least one healthy target" */
	for (i = 0; i < r->n_tgs; i++) {
		const struct model_tg *tg = &r->tgs[i];
		if (!tg_of_lb(tg, lb) || !tg->n_targets)
			continue;
		with_targets++;
		if (tg->healthy == 0)
			return 0;
	}
	return with_targets > 0;
}

/* The region and load balancer an alias value names, or NULL. */
static const struct model_lb *lb_named(const struct model *m, const char *dns, const struct model_region **reg)
{
	size_t i, k;

	for (i = 0; dns && i < m->n_regions; i++)
		for (k = 0; k < m->regions[i].n_lbs; k++)
			if (panel_route53_dns_same(dns, m->regions[i].lbs[k].dns_name)) {
				*reg = &m->regions[i];
				return &m->regions[i].lbs[k];
			}
	return NULL;
}

/* AND of two states with unknowns (0 wins, then -1). */
static int both(int a, int b)
{
	if (a == 0 || b == 0)
		return 0;
	return a < 0 || b < 0 ? -1 : 1;
}

/* Set a record's state and why (the first reason that makes it worse). */
static void record_set(struct model_record *rec, int s, const char *fmt, const char *a, const char *b)
{
	int was = rec->state;
	char why[200];

	rec->state = both(rec->state, s);
	if (rec->state == was || !fmt)
		return;
	snprintf(why, sizeof(why), fmt, a ? a : "?", b ? b : "");
	free(rec->why);
	rec->why = xstrdup(why);
}

/* Is check id reached from a record's health check (itself or a CALCULATED child)? */
static bool check_reaches(struct model_route53 *r53, const char *from, const char *id, int depth)
{
	struct model_health_check *c;
	size_t k;

	if (!from || depth > 4)
		return false;
	if (panel_same(from, id))
		return true;
	c = check_of(r53, from);
	for (k = 0; c && k < c->n_children; k++)
		if (check_reaches(r53, c->children[k], id, depth + 1))
			return true;
	return false;
}

/* Is a routing control check associated with any record (directly or through a CALCULATED check)? */
static bool control_associated(struct model_route53 *r53, const struct model_health_check *rc)
{
	size_t z, i;

	for (z = 0; z < r53->n_zones; z++)
		for (i = 0; i < r53->zones[z].n_records; i++)
			if (check_reaches(r53, r53->zones[z].records[i].health_check_id, rc->id, 0))
				return true;
	return false;
}

/* The routing control's name: the last part of its ARN. Borrowed. */
static const char *control_name(const struct model_health_check *rc)
{
	const char *s = rc->routing_control_arn ? strrchr(rc->routing_control_arn, '/') : NULL;

	return s ? s + 1 : rc->target;
}

/* Does an unassociated routing control gate this record? Its name is the record's
 * set identifier, or the record's region appears in its ARN or caller reference. */
static bool control_gates(const struct model_health_check *rc, const struct model_record *rec)
{
	const char *name = control_name(rc);

	if (name && panel_same(name, rec->set_identifier))
		return true;
	if (!rec->region)
		return false;
	return (rc->routing_control_arn && strstr(rc->routing_control_arn, rec->region)) ||
	       (rc->caller_reference && strstr(rc->caller_reference, rec->region));
}

static void record_evaluate(struct model *m, struct model_record *rec, int depth);

/* " (why)" of the first unhealthy record an alias names, "" when none says. Borrowed
 * into a static buffer. */
static const char *alias_reason(struct model *m, const struct model_record *alias)
{
	static char buf[160];
	size_t z, i;

	for (z = 0; z < m->route53.n_zones; z++)
		for (i = 0; i < m->route53.zones[z].n_records; i++) {
			const struct model_record *r = &m->route53.zones[z].records[i];
			if (r != alias && panel_route53_dns_same(r->name, alias->value) && r->state == 0 && r->why) {
				snprintf(buf, sizeof(buf), " (%s)", r->why);
				return buf;
			}
		}
	return "";
}

/* The health of the record set an alias names inside the zones read (an alias to
 * another record inherits it: healthy when one of its records is), -1 when no such
 * set was read or it cannot be told. */
static int set_health(struct model *m, const struct model_record *alias, int depth)
{
	struct model_route53 *r53 = &m->route53;
	size_t z, i, found = 0;
	int state = 0;

	for (z = 0; z < r53->n_zones; z++)
		for (i = 0; i < r53->zones[z].n_records; i++) {
			struct model_record *r = &r53->zones[z].records[i];
			if (r == alias || !panel_route53_dns_same(r->name, alias->value) ||
			    (alias->type && r->type && strcmp(r->type, alias->type) != 0))
				continue;
			record_evaluate(m, r, depth + 1);
			found++;
			if (r->state == 1)
				return 1;
			if (r->state < 0)
				state = -1;
		}
	return found ? state : -1;
}

/* A record's health as Route 53 would judge it from what we read. */
static void record_evaluate(struct model *m, struct model_record *rec, int depth)
{
	struct model_route53 *r53 = &m->route53;
	struct model_health_check *c;
	size_t h;

	free(rec->why);
	rec->why = NULL;
	rec->state = 1;   /* no health check: Route 53 treats the record as healthy */
	if (rec->health_check_id) {
		c = check_of(r53, rec->health_check_id);
		if (!c)
			record_set(rec, -1, "health check %s not read%s", rec->health_check_id, NULL);
		else if (panel_same(c->type, "RECOVERY_CONTROL"))
			record_set(rec, c->state, c->state == 0 ? "routing control %s %s" : "routing control %s: %s",
				   control_name(c), c->state == 0 ? "Off" : "state unknown");
		else
			record_set(rec, c->state, c->state == 0 ? "health check %s %s" : "health check %s: %s",
				   c->id, c->state == 0 ? "unhealthy" : "status unknown");
	}
	if (rec->alias && rec->evaluate_target_health) {
		const struct model_region *r = NULL;
		const struct model_lb *lb = lb_named(m, rec->value, &r);
		int s = lb ? serving_lb_health(r, lb) : depth < 4 ? set_health(m, rec, depth) : -1;
		if (lb)
			record_set(rec, s, s == 0 ? "%s: no healthy target%s" : "%s: target health unknown%s",
				   lb->name, s == 0 ? " in a target group" : "");
		else   /* an alias to another record of the zone: its health, with its reason */
			record_set(rec, s, s == 0 ? "%s unhealthy%s" : "%s: health unknown%s", rec->value,
				   s == 0 ? alias_reason(m, rec) : "");
	}
	for (h = 0; h < r53->n_checks; h++) {
		c = &r53->checks[h];
		if (!panel_same(c->type, "RECOVERY_CONTROL") || !control_gates(c, rec) || control_associated(r53, c))
			continue;
		record_set(rec, c->state, c->state == 0 ? "routing control %s %s" : "routing control %s: %s",
			   control_name(c), c->state == 0 ? "Off" : "state unknown");
	}
}

/* A record's short name: its set identifier, else its region. */
static const char *record_key(const struct model_record *r)
{
	return r->set_identifier ? r->set_identifier : r->region ? r->region : "?";
}

/* Apply the failover rules to the answered name; sets evaluated_region and evaluation. */
static void evaluate_failover(struct model *m)
{
	struct model_dns_answer *d = &m->route53.dns;
	struct model_record *p = NULL, *s = NULL, *pick = NULL;
	struct strbuf why;
	size_t z, i;

	for (z = 0; z < m->route53.n_zones; z++)
		for (i = 0; i < m->route53.zones[z].n_records; i++) {
			struct model_record *r = &m->route53.zones[z].records[i];
			if (!r->failover || !panel_route53_dns_same(r->name, d->record_name) ||
			    (d->record_type && r->type && strcmp(r->type, d->record_type) != 0))
				continue;
			if (strcmp(r->failover, "PRIMARY") == 0)
				p = r;
			else if (strcmp(r->failover, "SECONDARY") == 0)
				s = r;
		}
	strbuf_init(&why);
	if (!p && !s) {
		strbuf_adds(&why, d->record_name ? "no failover records for the name" : "no DNS answer read");
	} else if (p && p->state == 1) {
		/* "When the primary resource record set is healthy, Route 53 responds ... with the primary" */
		pick = p;
		strbuf_addf(&why, "PRIMARY %s healthy", record_key(p));
	} else if (s && s->state == 0) {
		/* "When the secondary ... is unhealthy, Route 53 responds ... with the primary" */
		pick = p;
		strbuf_addf(&why, "SECONDARY %s unhealthy (%s): Route 53 answers with the PRIMARY", record_key(s),
			    s->why ? s->why : "?");
	} else if (p && p->state == 0 && s && s->state == 1) {
		pick = s;
		strbuf_addf(&why, "PRIMARY %s unhealthy (%s)", record_key(p), p->why ? p->why : "?");
	} else {
		strbuf_addf(&why, "cannot tell: %s", p && p->why ? p->why : s && s->why ? s->why : "a record's health is unknown");
	}
	free(d->evaluated_region);
	d->evaluated_region = pick && pick->region ? xstrdup(pick->region) : NULL;
	free(d->evaluation);
	d->evaluation = strbuf_detach(&why, NULL);
}

/* The interface with address addr, and its region; NULL when none. */
static const struct model_lb_address *address_of(const struct model *m, const char *addr, const char **region)
{
	size_t i, k;

	for (i = 0; i < m->n_regions; i++)
		for (k = 0; k < m->regions[i].n_addresses; k++)
			if (panel_same(m->regions[i].addresses[k].public_ip, addr) ||
			    panel_same(m->regions[i].addresses[k].private_ip, addr)) {
				*region = m->regions[i].name;
				return &m->regions[i].addresses[k];
			}
	return NULL;
}

/* The region whose load balancer addresses include addr, NULL when none. */
static const char *region_by_address(const struct model *m, const char *addr)
{
	const char *region = NULL;

	return address_of(m, addr, &region) ? region : NULL;
}

/* The interface the answer matched (see serving.h). */
const struct model_lb_address *serving_matched(const struct model *m, const char **addr)
{
	const struct model_dns_answer *d = &m->route53.dns;
	const struct model_lb_address *a = NULL;
	const char *region;
	size_t i;

	for (i = 0; i < d->n_answers && !a; i++)
		if ((a = address_of(m, d->answers[i], &region)))
			*addr = d->answers[i];
	return a;
}

/* The region of a record whose own values (or alias name) are the answer, NULL when none. */
static const char *region_by_record(const struct model *m, const char *answer)
{
	const struct model_route53 *r53 = &m->route53;
	const char *reg = panel_route53_region_of_value(m, answer);
	size_t z, i;

	if (reg && model_region_index(m, reg) >= 0)
		return reg;
	for (z = 0; z < r53->n_zones; z++)
		for (i = 0; i < r53->zones[z].n_records; i++) {
			const struct model_record *r = &r53->zones[z].records[i];
			char *vals, *tok, *save = NULL;
			bool hit = false;
			if (!r->region || !r->value || (r->alias && !panel_route53_dns_same(r->value, answer)))
				continue;
			if (r->alias)
				return r->region;
			vals = xstrdup(r->value);
			for (tok = strtok_r(vals, ", ", &save); tok && !hit; tok = strtok_r(NULL, ", ", &save))
				hit = strcmp(tok, answer) == 0;
			free(vals);
			if (hit)
				return r->region;
		}
	return NULL;
}

/* Derive everything (see serving.h). */
void serving_resolve(struct model *m)
{
	struct model_route53 *r53 = &m->route53;
	struct model_dns_answer *d = &r53->dns;
	const char *found = NULL;
	enum model_serving_method how = MODEL_SERVING_NONE;
	size_t z, i, a;

	panel_route53_resolve_regions(m);
	for (i = 0; i < r53->n_checks; i++) {
		r53->checks[i].state = panel_route53_check_state(r53, &r53->checks[i]);
		r53->checks[i].healthy = r53->checks[i].state == 1;
	}
	for (z = 0; z < r53->n_zones; z++)
		for (i = 0; i < r53->zones[z].n_records; i++)
			record_evaluate(m, &r53->zones[z].records[i], 0);
	evaluate_failover(m);
	for (a = 0; a < d->n_answers && !found; a++)
		if ((found = region_by_address(m, d->answers[a])))
			how = MODEL_SERVING_ADDRESS;
	for (a = 0; a < d->n_answers && !found; a++)
		if ((found = region_by_record(m, d->answers[a])))
			how = MODEL_SERVING_RECORD;
	if (!found && d->n_answers && d->evaluated_region) {
		found = d->evaluated_region;
		how = MODEL_SERVING_INFERRED;
	}
	d->disagree = how != MODEL_SERVING_INFERRED && found && d->evaluated_region &&
		      strcmp(found, d->evaluated_region) != 0;
	found = found ? xstrdup(found) : NULL;
	free(d->region);
	d->region = (char *)found;
	d->method = found ? how : MODEL_SERVING_NONE;
}
