/* scenario_r53.c — a scenario's Route 53 health checks and hosted zones. */
#include "sim/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Add a Route 53 health check watching region ri (-1 none). */
struct sim_health_check *scenario_add_check(struct sim_world *w, int ri, const char *fqdn,
					  const char *path)
{
	struct sim_health_check *c = GROW(w->checks, w->n_checks);

	sim_world_uuid(w, c->id);
	snprintf(c->caller_ref, sizeof(c->caller_ref), "flightdeck-sim-%zu", w->n_checks);
	snprintf(c->type, sizeof(c->type), "HTTPS");
	snprintf(c->fqdn, sizeof(c->fqdn), "%s", fqdn);
	snprintf(c->path, sizeof(c->path), "%s", path);
	c->port = 443;
	c->interval_s = 10;
	c->failure_threshold = w->timing.r53_failure_threshold;
	c->region = ri;
	c->healthy = true;
	c->next_check_s = w->now_s + sim_world_dur(w, w->timing.r53_interval_s) * sim_world_rand(w);
	return c;
}

/* Parse the health checks (each with a ref that records use). */
int scenario_parse_checks(struct parse *p, struct ytree *root)
{
	static const char *const keys[] = { "ref", "region", "fqdn", "path", NULL };
	struct ytree **it;
	size_t n, i;

	if (scenario_seq(p, root, "health_checks", &it, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct ytree *c = it[i];
		char ref[32], region[32], fqdn[128], path[64];
		int ri = -1;
		if (scenario_keys(p, c, keys) < 0 ||
		    scenario_str(p, c, "ref", ref, sizeof(ref), NULL, true) < 0 ||
		    scenario_str(p, c, "region", region, sizeof(region), "", false) < 0 ||
		    scenario_str(p, c, "fqdn", fqdn, sizeof(fqdn), "", false) < 0 ||
		    scenario_str(p, c, "path", path, sizeof(path), "/", false) < 0)
			return -1;
		if (region[0] && (ri = sim_world_region(p->w, region)) < 0)
			return scenario_fail_at(p, scenario_get(p, c, "region"), "no region '%s'", region);
		if (!fqdn[0] && ri >= 0 && p->w->regions[ri].n_lbs)
			snprintf(fqdn, sizeof(fqdn), "%s", p->w->regions[ri].lbs[0].dns_name);
		if (p->n_refs == sizeof(p->check_refs) / sizeof(p->check_refs[0]))
			return scenario_fail_at(p, c, "too many health checks");
		snprintf(p->check_refs[p->n_refs++], sizeof(p->check_refs[0]), "%s", ref);
		scenario_add_check(p->w, ri, fqdn, path);
	}
	return 0;
}

/* Normalise a DNS name to end with a dot. */
static void fqdn_dot(char *name, size_t size)
{
	size_t n = strlen(name);

	if (n && name[n - 1] != '.' && n + 1 < size) {
		name[n] = '.';
		name[n + 1] = '\0';
	}
}

/* Parse the hosted zones and their records. */
int scenario_parse_zones(struct parse *p, struct ytree *root)
{
	static const char *const zkeys[] = { "name", "id", "records", NULL };
	static const char *const rkeys[] = { "name", "type", "set_id", "failover", "ttl", "value",
		"alias_region", "health_check", NULL };
	struct sim_world *w = p->w;
	struct ytree **it, **rit;
	size_t n, i, nr, k;

	if (scenario_seq(p, root, "zones", &it, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct ytree *zn = it[i];
		struct sim_zone *z = GROW(w->zones, w->n_zones);
		if (scenario_keys(p, zn, zkeys) < 0 ||
		    scenario_str(p, zn, "name", z->name, sizeof(z->name), NULL, true) < 0 ||
		    scenario_str(p, zn, "id", z->id, sizeof(z->id), "", false) < 0 ||
		    scenario_seq(p, zn, "records", &rit, &nr) < 0)
			return -1;
		fqdn_dot(z->name, sizeof(z->name));
		if (!z->id[0])
			snprintf(z->id, sizeof(z->id), "Z%020llu",
				 (unsigned long long)(sim_world_rand(w) * 1e19));
		snprintf(z->caller_ref, sizeof(z->caller_ref), "flightdeck-sim-zone-%zu", i + 1);
		for (k = 0; k < nr; k++) {
			struct ytree *rn = rit[k];
			struct sim_record *rec = GROW(z->records, z->n_records);
			char region[32], hc[32];
			if (scenario_keys(p, rn, rkeys) < 0 ||
			    scenario_str(p, rn, "name", rec->name, sizeof(rec->name), NULL, true) < 0 ||
			    scenario_str(p, rn, "type", rec->type, sizeof(rec->type), "A", false) < 0 ||
			    scenario_str(p, rn, "set_id", rec->set_id, sizeof(rec->set_id), "", false) < 0 ||
			    scenario_str(p, rn, "failover", rec->failover, sizeof(rec->failover), "", false) < 0 ||
			    scenario_int(p, rn, "ttl", 0, 604800, 0, &rec->ttl) < 0 ||
			    scenario_str(p, rn, "value", rec->value, sizeof(rec->value), "", false) < 0 ||
			    scenario_str(p, rn, "alias_region", region, sizeof(region), "", false) < 0 ||
			    scenario_str(p, rn, "health_check", hc, sizeof(hc), "", false) < 0)
				return -1;
			fqdn_dot(rec->name, sizeof(rec->name));
			if (rec->failover[0] && strcmp(rec->failover, "PRIMARY") != 0 &&
			    strcmp(rec->failover, "SECONDARY") != 0)
				return scenario_fail_at(p, scenario_get(p, rn, "failover"), "failover must be PRIMARY or SECONDARY");
			if (region[0]) {
				int ri = sim_world_region(w, region);
				if (ri < 0 || !w->regions[ri].n_lbs)
					return scenario_fail_at(p, scenario_get(p, rn, "alias_region"), "no load balancer in region '%s'", region);
				snprintf(rec->alias_dns, sizeof(rec->alias_dns), "%s.", w->regions[ri].lbs[0].dns_name);
				snprintf(rec->alias_zone, sizeof(rec->alias_zone), "%s", w->regions[ri].lbs[0].zone_id);
				rec->evaluate_health = true;
			} else if (!rec->value[0]) {
				return scenario_fail_at(p, rn, "a record needs 'value' or 'alias_region'");
			} else if (!rec->ttl) {
				rec->ttl = 300;
			}
			if (hc[0]) {
				size_t h;
				for (h = 0; h < p->n_refs; h++)
					if (strcmp(p->check_refs[h], hc) == 0)
						break;
				if (h == p->n_refs)
					return scenario_fail_at(p, scenario_get(p, rn, "health_check"), "no health check with ref '%s'", hc);
				snprintf(rec->health_check_id, sizeof(rec->health_check_id), "%s", w->checks[h].id);
			}
		}
	}
	return 0;
}

