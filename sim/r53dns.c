/* r53dns.c — what the simulated Route 53 answers a DNS query with (see route53.h):
 * record health from health checks and EvaluateTargetHealth, failover, aliases to
 * load balancers and to other records of the zone.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html
 */
#include "sim/route53.h"

#include "sim/traffic.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define ALIAS_DEPTH_MAX 8     /* aliases to aliases: deeper is a loop */

bool route53_name_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la && a[la - 1] == '.')
		la--;
	if (lb && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

/* The load balancer an alias names, NULL when it names none. */
static const struct sim_load_balancer *alias_lb(const struct sim_world *w, const struct sim_record *rec)
{
	for (size_t r = 0; rec->alias_dns[0] && r < w->n_regions; r++)
		for (size_t l = 0; l < w->regions[r].n_lbs; l++)
			if (route53_name_eq(w->regions[r].lbs[l].dns_name, rec->alias_dns))
				return &w->regions[r].lbs[l];
	return NULL;
}

/* The zone that holds rec, NULL when none. */
static const struct sim_zone *zone_of(const struct sim_world *w, const struct sim_record *rec)
{
	for (size_t z = 0; z < w->n_zones; z++)
		if (rec >= w->zones[z].records && rec < w->zones[z].records + w->zones[z].n_records)
			return &w->zones[z];
	return NULL;
}

/* Does the alias of rec name a record set of its own zone? */
static bool alias_in_zone(const struct sim_zone *z, const struct sim_record *rec)
{
	for (size_t i = 0; z && rec->alias_dns[0] && i < z->n_records; i++)
		if (route53_name_eq(z->records[i].name, rec->alias_dns) && strcmp(z->records[i].type, rec->type) == 0)
			return true;
	return false;
}

static bool record_healthy(const struct sim_world *w, const struct sim_zone *z, const struct sim_record *rec,
			   int depth);

/* Is any record of the set (name, type) healthy? (an alias with
 * EvaluateTargetHealth inherits this: "If none of the ... records is healthy,
 * Route 53 considers the alias record to be unhealthy") */
static bool set_healthy(const struct sim_world *w, const struct sim_zone *z, const char *name,
			const char *type, int depth)
{
	for (size_t i = 0; i < z->n_records; i++)
		if (route53_name_eq(z->records[i].name, name) && strcmp(z->records[i].type, type) == 0 &&
		    record_healthy(w, z, &z->records[i], depth + 1))
			return true;
	return false;
}

/* Is rec healthy for DNS: its health check healthy (when it has one) and, when it
 * evaluates target health, its alias target healthy. */
static bool record_healthy(const struct sim_world *w, const struct sim_zone *z, const struct sim_record *rec,
			   int depth)
{
	const struct sim_load_balancer *lb;

	if (depth > ALIAS_DEPTH_MAX)
		return false;
	if (rec->health_check_id[0]) {
		const struct sim_health_check *c = NULL;
		for (size_t i = 0; i < w->n_checks && !c; i++)
			if (strcmp(w->checks[i].id, rec->health_check_id) == 0)
				c = &w->checks[i];
		if (!c || !r53health_status(w, c))
			return false;
	}
	if (!rec->alias_dns[0] || !rec->evaluate_health)
		return true;
	if ((lb = alias_lb(w, rec)))
		return r53health_lb_healthy(w, lb);
	if (alias_in_zone(z, rec))
		return set_healthy(w, z, rec->alias_dns, rec->type, depth);
	return true;   /* another AWS resource: not modelled, healthy */
}

bool route53_record_healthy(const struct sim_world *w, const struct sim_record *rec)
{
	const struct sim_zone *z = zone_of(w, rec);

	return z && record_healthy(w, z, rec, 0);
}

size_t route53_answer(const struct sim_world *w, const struct sim_zone *z, const char *name, const char *type,
		      const struct sim_record **out, size_t max)
{
	const struct sim_record *primary = NULL, *secondary = NULL;
	size_t n = 0;

	for (size_t i = 0; i < z->n_records; i++) {
		const struct sim_record *rec = &z->records[i];
		if (!route53_name_eq(rec->name, name) || strcmp(rec->type, type) != 0)
			continue;
		if (strcmp(rec->failover, "PRIMARY") == 0)
			primary = rec;
		else if (strcmp(rec->failover, "SECONDARY") == 0)
			secondary = rec;
		else if (n < max)
			out[n++] = rec;
	}
	if ((primary || secondary) && max) {
		/* the primary when healthy, else a healthy secondary, else the primary:
		 * "If Route 53 considers both the primary and secondary records unhealthy,
		 * Route 53 returns the primary record." */
		const struct sim_record *pick = primary;
		if (!primary || (!record_healthy(w, z, primary, 0) && secondary && record_healthy(w, z, secondary, 0)))
			pick = secondary;
		out[0] = pick;
		return 1;
	}
	return n;
}

/* The region an alias chain ends in (a load balancer's), -1 when none. */
static int chain_region(const struct sim_world *w, const struct sim_zone *z, const struct sim_record *rec,
			int depth)
{
	const struct sim_load_balancer *lb = alias_lb(w, rec);
	const struct sim_record *next;

	if (lb)
		return lb->region;
	if (depth < ALIAS_DEPTH_MAX && alias_in_zone(z, rec) &&
	    route53_answer(w, z, rec->alias_dns, rec->type, &next, 1) == 1)
		return chain_region(w, z, next, depth + 1);
	return -1;
}

int route53_record_region(const struct sim_world *w, const struct sim_record *rec)
{
	const struct sim_zone *z = zone_of(w, rec);
	int r = z ? chain_region(w, z, rec, 0) : -1;

	if (r >= 0)
		return r;
	for (size_t i = 0; rec->health_check_id[0] && i < w->n_checks; i++)
		if (strcmp(w->checks[i].id, rec->health_check_id) == 0 && w->checks[i].region >= 0)
			return w->checks[i].region;
	return -1;
}

size_t route53_region_ips(const struct sim_world *w, int r, char out[][16], size_t n)
{
	const char *name;
	int a = 52, b = 0;
	size_t k;

	if (r < 0 || (size_t)r >= w->n_regions)
		return 0;
	name = w->regions[r].name;
	if (strcmp(name, "ap-northeast-2") == 0)
		a = 3, b = 34;
	else if (strcmp(name, "ap-northeast-1") == 0)
		a = 54, b = 65;
	else
		b = 20 + r;
	for (k = 0; k < n && k < 2; k++)
		snprintf(out[k], 16, "%d.%d.%d.%d", a, b,
			 (int)(traffic_hash(w->seed, (uint64_t)r, 1, 0) * 250) + 1, (int)(10 + k * 37 + r));
	return k;
}

/* Append the values rec answers with (aliases resolved) to out; returns the count. */
static size_t values_of(const struct sim_world *w, const struct sim_zone *z, const struct sim_record *rec,
			char out[][256], size_t n, size_t max, int depth)
{
	const struct sim_load_balancer *lb = alias_lb(w, rec);

	if (lb) {
		char ips[2][16];
		size_t k = route53_region_ips(w, lb->region, ips, 2);
		for (size_t j = 0; j < k && n < max; j++)
			snprintf(out[n++], 256, "%s", ips[j]);
		return n;
	}
	if (rec->alias_dns[0]) {
		const struct sim_record *next[16];
		size_t m;
		if (depth >= ALIAS_DEPTH_MAX || !alias_in_zone(z, rec))
			return n;
		m = route53_answer(w, z, rec->alias_dns, rec->type, next, 16);
		for (size_t j = 0; j < m; j++)
			n = values_of(w, z, next[j], out, n, max, depth + 1);
		return n;
	}
	for (const char *p = rec->value; *p && n < max;) {   /* values are newline-separated */
		size_t len = strcspn(p, "\n");
		snprintf(out[n++], 256, "%.*s", (int)len, p);
		p += len;
		if (*p)
			p++;
	}
	return n;
}

size_t route53_dns_values(const struct sim_world *w, const struct sim_zone *z, const char *name, const char *type,
			  char out[][256], size_t max)
{
	const struct sim_record *recs[16];
	size_t m = route53_answer(w, z, name, type, recs, 16), n = 0;

	for (size_t i = 0; i < m; i++)
		n = values_of(w, z, recs[i], out, n, max, 0);
	return n;
}

int route53_answer_region(const struct sim_world *w)
{
	const struct sim_record *rec;

	for (size_t z = 0; z < w->n_zones; z++)
		for (size_t i = 0; i < w->zones[z].n_records; i++)
			if (strcmp(w->zones[z].records[i].failover, "PRIMARY") == 0) {
				if (route53_answer(w, &w->zones[z], w->zones[z].records[i].name,
						   w->zones[z].records[i].type, &rec, 1) == 1)
					return route53_record_region(w, rec);
				return -1;
			}
	return -1;
}
