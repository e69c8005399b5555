/* scenario_r53.c — a scenario's Route 53 health checks, ARC routing controls and
 * hosted zones. */
#include "sim/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The short name of a region in ARNs of routing controls ("seoul"). */
static const char *region_short(const char *region)
{
	static const struct { const char *region, *name; } names[] = {
		{ "ap-northeast-2", "seoul" }, { "ap-northeast-1", "tokyo" }, { "ap-northeast-3", "osaka" },
		{ "us-east-1", "virginia" }, { "us-west-2", "oregon" }, { "eu-west-1", "ireland" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].region, region) == 0)
			return names[i].name;
	return region;
}

/* Remember the ref of the check just added (refs are parallel to w->checks). */
static int add_ref(struct parse *p, const struct ytree *at, const char *ref)
{
	if (p->n_refs == sizeof(p->check_refs) / sizeof(p->check_refs[0]))
		return scenario_fail_at(p, at, "too many health checks");
	snprintf(p->check_refs[p->n_refs++], sizeof(p->check_refs[0]), "%s", ref);
	return 0;
}

/* The index of the check with ref, -1 when none. */
static long find_ref(const struct parse *p, const char *ref)
{
	for (size_t h = 0; h < p->n_refs; h++)
		if (strcmp(p->check_refs[h], ref) == 0)
			return (long)h;
	return -1;
}

struct sim_health_check *scenario_add_check(struct sim_world *w, int ri, const char *fqdn,
					    const char *path)
{
	struct sim_health_check *c = GROW(w->checks, w->n_checks);

	sim_world_uuid(w, c->id);
	snprintf(c->caller_ref, sizeof(c->caller_ref), "flightdeck-sim-%zu", w->n_checks);
	c->kind = SIM_HC_ENDPOINT;
	snprintf(c->type, sizeof(c->type), "HTTPS");
	snprintf(c->fqdn, sizeof(c->fqdn), "%s", fqdn);
	snprintf(c->path, sizeof(c->path), "%s", path);
	c->port = 443;
	c->interval_s = (int)w->timing.r53_interval_s;
	c->failure_threshold = w->timing.r53_failure_threshold;
	c->region = ri;
	c->control = -1;
	c->version = 1;
	return c;
}

/* `routing_controls: true` (the default): an ARC routing control per region, On,
 * each with a RECOVERY_CONTROL health check that records can use as `arc-REGION`. */
static int parse_controls(struct parse *p, struct ytree *root)
{
	struct sim_world *w = p->w;
	bool want;

	if (scenario_bool(p, root, "routing_controls", true, &want) < 0)
		return -1;
	if (!want)
		return 0;
	snprintf(w->cluster_arn, sizeof(w->cluster_arn), "arn:aws:route53-recovery-control::%s:cluster/%s",
		 w->account, w->scenario);
	snprintf(w->control_panel_arn, sizeof(w->control_panel_arn),
		 "arn:aws:route53-recovery-control::%s:controlpanel/%s", w->account, w->scenario);
	for (size_t r = 0; r < w->n_regions; r++) {
		struct sim_routing_control *rc = GROW(w->controls, w->n_controls);
		struct sim_health_check *c = GROW(w->checks, w->n_checks);
		char ref[48];
		snprintf(rc->name, sizeof(rc->name), "%s-%s", w->scenario, w->regions[r].name);
		snprintf(rc->arn, sizeof(rc->arn), "%s/routingcontrol/%s", w->control_panel_arn,
			 region_short(w->regions[r].name));
		snprintf(rc->check_id, sizeof(rc->check_id), "0c0000%02zu-5a5a-4b4b-8c8c-0d0d0d0d0d%02zu", r, r);
		rc->region = (int)r;
		rc->on = true;
		rc->changed_s = w->start_s;
		snprintf(c->id, sizeof(c->id), "%s", rc->check_id);
		snprintf(c->caller_ref, sizeof(c->caller_ref), "flightdeck-sim-%s", rc->name);
		c->kind = SIM_HC_RECOVERY_CONTROL;
		snprintf(c->type, sizeof(c->type), "RECOVERY_CONTROL");
		c->region = -1;
		c->control = (int)r;
		c->version = 1;
		snprintf(ref, sizeof(ref), "arc-%s", w->regions[r].name);
		if (add_ref(p, root, ref) < 0)
			return -1;
	}
	return 0;
}

/* The children of a CALCULATED check (refs of checks defined before it). */
static int parse_children(struct parse *p, struct ytree *n, struct sim_health_check *c)
{
	struct ytree **it;
	size_t k, m;

	if (scenario_seq(p, n, "children", &it, &m) < 0)
		return -1;
	if (m > SIM_CHILDREN_MAX)
		return scenario_fail_at(p, scenario_get(p, n, "children"), "at most %d children", SIM_CHILDREN_MAX);
	for (k = 0; k < m; k++) {
		const char *ref = ytree_scalar(it[k]);
		long h = ref ? find_ref(p, ref) : -1;
		if (h < 0)
			return scenario_fail_at(p, it[k], "no health check with ref '%s' (define children first)",
						ref ? ref : "");
		if (p->w->checks[h].kind == SIM_HC_CALCULATED)
			return scenario_fail_at(p, it[k], "a calculated health check cannot monitor another ('%s')", ref);
		snprintf(c->children[c->n_children++], sizeof(c->children[0]), "%s", p->w->checks[h].id);
	}
	return 0;
}

/* Parse the health checks (each with a ref that records and calculated checks use):
 * endpoint checks (HTTPS, HTTP, TCP) of a region's load balancer, CALCULATED
 * checks over children, RECOVERY_CONTROL checks of a region's routing control. */
int scenario_parse_checks(struct parse *p, struct ytree *root)
{
	static const char *const keys[] = { "ref", "type", "region", "fqdn", "path", "port",
		"request_interval", "failure_threshold", "inverted", "disabled", "children",
		"health_threshold", "routing_control", NULL };
	struct sim_world *w = p->w;
	struct ytree **it;
	size_t n, i;

	if (parse_controls(p, root) < 0 || scenario_seq(p, root, "health_checks", &it, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct ytree *cn = it[i];
		char ref[32], type[20], region[32], fqdn[128], path[64], control[32];
		struct sim_health_check *c;
		int ri = -1;
		if (scenario_keys(p, cn, keys) < 0 ||
		    scenario_str(p, cn, "ref", ref, sizeof(ref), NULL, true) < 0 ||
		    scenario_str(p, cn, "type", type, sizeof(type), "HTTPS", false) < 0 ||
		    scenario_str(p, cn, "region", region, sizeof(region), "", false) < 0 ||
		    scenario_str(p, cn, "fqdn", fqdn, sizeof(fqdn), "", false) < 0 ||
		    scenario_str(p, cn, "path", path, sizeof(path), "/", false) < 0 ||
		    scenario_str(p, cn, "routing_control", control, sizeof(control), "", false) < 0)
			return -1;
		if (find_ref(p, ref) >= 0)
			return scenario_fail_at(p, cn, "health check ref '%s' defined twice", ref);
		if (region[0] && (ri = sim_world_region(w, region)) < 0)
			return scenario_fail_at(p, scenario_get(p, cn, "region"), "no region '%s'", region);
		if (!fqdn[0] && ri >= 0 && w->regions[ri].n_lbs)
			snprintf(fqdn, sizeof(fqdn), "%s", w->regions[ri].lbs[0].dns_name);
		if (add_ref(p, cn, ref) < 0)
			return -1;
		c = scenario_add_check(w, ri, fqdn, path);
		snprintf(c->type, sizeof(c->type), "%s", type);
		if (strcmp(type, "CALCULATED") == 0) {
			c->kind = SIM_HC_CALCULATED;
			c->region = -1;
			if (parse_children(p, cn, c) < 0 ||
			    scenario_int(p, cn, "health_threshold", 0, 256, (int)c->n_children, &c->health_threshold) < 0)
				return -1;
		} else if (strcmp(type, "RECOVERY_CONTROL") == 0) {
			c->kind = SIM_HC_RECOVERY_CONTROL;
			c->region = -1;
			for (size_t r = 0; r < w->n_controls; r++)
				if (strcmp(w->regions[w->controls[r].region].name, control) == 0)
					c->control = (int)r;
			if (c->control < 0)
				return scenario_fail_at(p, cn, "a RECOVERY_CONTROL check needs 'routing_control: REGION' "
							"of a region with a routing control");
		} else if (strcmp(type, "HTTPS") != 0 && strcmp(type, "HTTP") != 0 && strcmp(type, "TCP") != 0) {
			return scenario_fail_at(p, scenario_get(p, cn, "type"),
						"type must be HTTPS, HTTP, TCP, CALCULATED or RECOVERY_CONTROL");
		}
		if (scenario_int(p, cn, "port", 1, 65535, strcmp(type, "HTTP") == 0 ? 80 : 443, &c->port) < 0 ||
		    scenario_int(p, cn, "request_interval", 10, 30, c->interval_s, &c->interval_s) < 0 ||
		    scenario_int(p, cn, "failure_threshold", 1, 10, c->failure_threshold, &c->failure_threshold) < 0 ||
		    scenario_bool(p, cn, "inverted", false, &c->inverted) < 0 ||
		    scenario_bool(p, cn, "disabled", false, &c->disabled) < 0)
			return -1;
		if (c->interval_s != 10 && c->interval_s != 30)
			return scenario_fail_at(p, scenario_get(p, cn, "request_interval"),
						"request_interval must be 10 or 30 (Route 53's RequestInterval)");
	}
	for (i = 0; i < w->n_checks; i++)
		r53health_init(w, &w->checks[i]);
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
		"alias_region", "alias_target", "evaluate_target_health", "health_check", NULL };
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
			char region[32], hc[32], target[128];
			if (scenario_keys(p, rn, rkeys) < 0 ||
			    scenario_str(p, rn, "name", rec->name, sizeof(rec->name), NULL, true) < 0 ||
			    scenario_str(p, rn, "type", rec->type, sizeof(rec->type), "A", false) < 0 ||
			    scenario_str(p, rn, "set_id", rec->set_id, sizeof(rec->set_id), "", false) < 0 ||
			    scenario_str(p, rn, "failover", rec->failover, sizeof(rec->failover), "", false) < 0 ||
			    scenario_int(p, rn, "ttl", 0, 604800, 0, &rec->ttl) < 0 ||
			    scenario_str(p, rn, "value", rec->value, sizeof(rec->value), "", false) < 0 ||
			    scenario_str(p, rn, "alias_region", region, sizeof(region), "", false) < 0 ||
			    scenario_str(p, rn, "alias_target", target, sizeof(target), "", false) < 0 ||
			    scenario_bool(p, rn, "evaluate_target_health", true, &rec->evaluate_health) < 0 ||
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
			} else if (target[0]) {   /* an alias to another record set of this zone */
				snprintf(rec->alias_dns, sizeof(rec->alias_dns), "%s", target);
				fqdn_dot(rec->alias_dns, sizeof(rec->alias_dns));
				snprintf(rec->alias_zone, sizeof(rec->alias_zone), "%s", z->id);
			} else if (!rec->value[0]) {
				return scenario_fail_at(p, rn, "a record needs 'value', 'alias_region' or 'alias_target'");
			} else if (!rec->ttl) {
				rec->ttl = 300;
			}
			if (hc[0]) {
				long h = find_ref(p, hc);
				if (h < 0)
					return scenario_fail_at(p, scenario_get(p, rn, "health_check"), "no health check with ref '%s'", hc);
				snprintf(rec->health_check_id, sizeof(rec->health_check_id), "%s", w->checks[h].id);
			}
		}
	}
	return 0;
}

