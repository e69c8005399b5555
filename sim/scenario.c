/* scenario.c — build a world from a scenario: YAML (base/ytree) or a built-in name. */
#include "sim/world.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "sim/scenario.h"
#include "sim/service.h"

/* The petclinic stack of DESIGN.md. Durations are AWS's (seconds AWS takes); the
 * default --time-scale runs them 15 times faster, so a DR drill finishes in well
 * under 2 minutes. It documents the scenario format too. */
#define PETCLINIC_YAML \
	"scenario: petclinic\n" \
	"account: \"123456789012\"\n" \
	"timing:                      # seconds as AWS takes them (--time-scale divides them)\n" \
	"  boot_s: 120                # instance Pending -> InService\n" \
	"  drain_s: 60                # deregistration delay\n" \
	"  health_interval_s: 30      # ALB health checks\n" \
	"  healthy_threshold: 2\n" \
	"  unhealthy_threshold: 2\n" \
	"  promote_s: 120             # RDS PromoteReadReplica\n" \
	"  r53_interval_s: 30         # Route 53 RequestInterval\n" \
	"  r53_failure_threshold: 2\n" \
	"  dns_ttl_s: 60\n" \
	"  error_rate_healthy: 0.2    # app error rate above which ALB checks fail\n" \
	"regions:\n" \
	"  - name: ap-northeast-2\n" \
	"    primary: true\n" \
	"    target_groups:\n" \
	"      - {name: petclinic-tg-blue, port: 8080, health_path: /actuator/health, error_rate: 0.002, asg: petclinic-asg-was-blue}\n" \
	"      - {name: petclinic-tg-green, port: 8080, health_path: /actuator/health, error_rate: 0.002, asg: petclinic-asg-was-green}\n" \
	"    auto_scaling_groups:\n" \
	"      - {name: petclinic-asg-was-blue, min: 2, max: 10, desired: 2, target_group: petclinic-tg-blue, launch_template: petclinic-was-blue, predictive: true, tags: {app: petclinic, color: blue}}\n" \
	"      - {name: petclinic-asg-was-green, min: 0, max: 10, desired: 2, target_group: petclinic-tg-green, launch_template: petclinic-was-green, predictive: true, tags: {app: petclinic, color: green}}\n" \
	"    load_balancers:\n" \
	"      - name: petclinic-alb\n" \
	"        listeners:\n" \
	"          - port: 80\n" \
	"            forward: [{target_group: petclinic-tg-blue, weight: 100}, {target_group: petclinic-tg-green, weight: 0}]\n" \
	"            rules:\n" \
	"              - {priority: 10, path: /api/*, forward: [{target_group: petclinic-tg-blue, weight: 100}]}\n" \
	"    databases:\n" \
	"      - {id: petclinic-db, role: primary, class: db.r6g.large}\n" \
	"  - name: ap-northeast-1\n" \
	"    target_groups:\n" \
	"      - {name: petclinic-tg-blue, port: 8080, health_path: /actuator/health, error_rate: 0.002, asg: petclinic-asg-was-blue}\n" \
	"      - {name: petclinic-tg-green, port: 8080, health_path: /actuator/health, error_rate: 0.002, asg: petclinic-asg-was-green}\n" \
	"    auto_scaling_groups:\n" \
	"      - {name: petclinic-asg-was-blue, min: 1, max: 10, desired: 2, target_group: petclinic-tg-blue, launch_template: petclinic-was-blue, predictive: true, tags: {app: petclinic, color: blue}}\n" \
	"      - {name: petclinic-asg-was-green, min: 0, max: 10, desired: 0, target_group: petclinic-tg-green, launch_template: petclinic-was-green, predictive: true, tags: {app: petclinic, color: green}}\n" \
	"    load_balancers:\n" \
	"      - name: petclinic-alb\n" \
	"        listeners:\n" \
	"          - port: 80\n" \
	"            forward: [{target_group: petclinic-tg-blue, weight: 100}, {target_group: petclinic-tg-green, weight: 0}]\n" \
	"    databases:\n" \
	"      - {id: petclinic-db, role: replica, source: ap-northeast-2/petclinic-db, class: db.r6g.large}\n" \
	"routing_controls: true       # an ARC routing control per region; its RECOVERY_CONTROL check is arc-REGION\n" \
	"health_checks:               # endpoint checks of each region's ALB (RequestInterval 30, FailureThreshold 2)\n" \
	"  - {ref: seoul, region: ap-northeast-2, path: /actuator/health, request_interval: 30, failure_threshold: 2}\n" \
	"  - {ref: tokyo, region: ap-northeast-1, path: /actuator/health, request_interval: 30, failure_threshold: 2}\n" \
	"zones:\n" \
	"  - name: example.com\n" \
	"    id: Z0FLIGHTDECKSIM01\n" \
	"    records:\n" \
	"      # failover on the endpoint checks; each alias inherits its cell's health (evaluate_target_health)\n" \
	"      - {name: petclinic.example.com, type: A, set_id: seoul, failover: PRIMARY, alias_target: seoul.petclinic.example.com, health_check: seoul}\n" \
	"      - {name: petclinic.example.com, type: A, set_id: tokyo, failover: SECONDARY, alias_target: tokyo.petclinic.example.com, health_check: tokyo}\n" \
	"      # the cells: each region's ALB, healthy while its ARC routing control is On\n" \
	"      - {name: seoul.petclinic.example.com, type: A, set_id: seoul-cell, failover: PRIMARY, alias_region: ap-northeast-2, evaluate_target_health: false, health_check: arc-ap-northeast-2}\n" \
	"      - {name: tokyo.petclinic.example.com, type: A, set_id: tokyo-cell, failover: PRIMARY, alias_region: ap-northeast-1, evaluate_target_health: false, health_check: arc-ap-northeast-1}\n" \
	"      - {name: www.example.com, type: CNAME, ttl: 300, value: petclinic.example.com}\n"

static const char petclinic_yaml[] = PETCLINIC_YAML;

/* The scale scenario: petclinic plus generated target groups, instances and checks. */
static const char scale_yaml[] = PETCLINIC_YAML
	"scale: {target_groups: 200, instances: 2000, health_checks: 500}\n";

const char *sim_scenario_builtin(const char *name)
{
	if (!name || strcmp(name, "petclinic") == 0)
		return petclinic_yaml;
	if (strcmp(name, "scale") == 0)
		return scale_yaml;
	return NULL;
}

/* Fail at a node: "FILE:LINE:COLUMN: message". */
int scenario_fail_at(struct parse *p, const struct ytree *n, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ytree_error(p->err, "ScenarioError", p->file, n, "%s", msg);
}

/* The value node of key in a mapping node; NULL when absent. */
struct ytree *scenario_get(struct parse *p, struct ytree *map, const char *key)
{
	(void)p;
	return ytree_get(map, key);
}

/* Check that every key of a mapping is one of the allowed (NULL-terminated). */
int scenario_keys(struct parse *p, struct ytree *map, const char *const *allowed)
{
	size_t i;

	if (map->kind != YTREE_MAP)
		return scenario_fail_at(p, map, "expected a mapping");
	for (i = 0; i < map->n; i++) {
		const struct ytree *k = map->keys[i];
		const char *const *a;
		for (a = allowed; *a; a++)
			if (strcmp(*a, k->value) == 0)
				break;
		if (!*a)
			return scenario_fail_at(p, k, "unknown key '%s'", k->value);
	}
	return 0;
}

/* A scalar value as a string into out; def when absent; -1 when not a scalar. */
int scenario_str(struct parse *p, struct ytree *map, const char *key, char *out, size_t size,
		   const char *def, bool required)
{
	struct ytree *n = scenario_get(p, map, key);

	if (!n) {
		if (required)
			return scenario_fail_at(p, map, "missing '%s'", key);
		snprintf(out, size, "%s", def ? def : "");
		return 0;
	}
	if (n->kind != YTREE_SCALAR)
		return scenario_fail_at(p, n, "'%s' must be a scalar", key);
	if (strlen(n->value) >= size)
		return scenario_fail_at(p, n, "'%s' is longer than %zu characters", key, size - 1);
	snprintf(out, size, "%s", n->value);
	return 0;
}

/* A number value in [lo, hi]; def when absent. */
int scenario_num(struct parse *p, struct ytree *map, const char *key, double lo, double hi,
		   double def, double *out)
{
	struct ytree *n = scenario_get(p, map, key);
	char *end;
	double v;

	if (!n) {
		*out = def;
		return 0;
	}
	if (n->kind != YTREE_SCALAR)
		return scenario_fail_at(p, n, "'%s' must be a number", key);
	errno = 0;
	v = strtod(n->value, &end);
	if (errno || end == n->value || *end || v < lo || v > hi)
		return scenario_fail_at(p, n, "'%s' must be a number from %g to %g", key, lo, hi);
	*out = v;
	return 0;
}

/* An integer value in [lo, hi]. */
int scenario_int(struct parse *p, struct ytree *map, const char *key, int lo, int hi, int def,
		   int *out)
{
	double v;

	if (scenario_num(p, map, key, lo, hi, def, &v) < 0)
		return -1;
	if (v != (double)(int)v)
		return scenario_fail_at(p, scenario_get(p, map, key), "'%s' must be a whole number", key);
	*out = (int)v;
	return 0;
}

/* A boolean value. */
int scenario_bool(struct parse *p, struct ytree *map, const char *key, bool def, bool *out)
{
	struct ytree *n = scenario_get(p, map, key);
	const char *v;

	*out = def;
	if (!n)
		return 0;
	v = n->kind == YTREE_SCALAR ? n->value : "";
	if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0)
		*out = true;
	else if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0)
		*out = false;
	else
		return scenario_fail_at(p, n, "'%s' must be true or false", key);
	return 0;
}

/* The items of a sequence value (NULL/0 when absent). */
int scenario_seq(struct parse *p, struct ytree *map, const char *key, struct ytree ***items,
		   size_t *n)
{
	struct ytree *s = scenario_get(p, map, key);

	*items = NULL;
	*n = 0;
	if (!s)
		return 0;
	if (s->kind != YTREE_SEQ)
		return scenario_fail_at(p, s, "'%s' must be a list", key);
	*items = s->items;
	*n = s->n;
	return 0;
}

/* A 16-hex-digit suffix for an ARN, from the world's stream. */
void scenario_hex16(struct sim_world *w, char out[17])
{
	char id[32];

	sim_world_new_id(w, "", id, sizeof(id));
	snprintf(out, 17, "%s", id + 1);
}

/* Parse the timing block. */
static int parse_timing(struct parse *p, struct ytree *n)
{
	static const char *const keys[] = { "boot_s", "drain_s", "health_interval_s",
		"healthy_threshold", "unhealthy_threshold", "promote_s", "r53_interval_s",
		"r53_failure_threshold", "dns_ttl_s", "error_rate_healthy", NULL };
	struct sim_timing *t = &p->w->timing;

	if (!n)
		return 0;
	if (scenario_keys(p, n, keys) < 0 ||
	    scenario_num(p, n, "boot_s", 0, 86400, t->boot_s, &t->boot_s) < 0 ||
	    scenario_num(p, n, "drain_s", 0, 3600, t->drain_s, &t->drain_s) < 0 ||
	    scenario_num(p, n, "health_interval_s", 0.05, 300, t->health_interval_s, &t->health_interval_s) < 0 ||
	    scenario_int(p, n, "healthy_threshold", 1, 10, t->healthy_threshold, &t->healthy_threshold) < 0 ||
	    scenario_int(p, n, "unhealthy_threshold", 1, 10, t->unhealthy_threshold, &t->unhealthy_threshold) < 0 ||
	    scenario_num(p, n, "promote_s", 0, 86400, t->promote_s, &t->promote_s) < 0 ||
	    scenario_num(p, n, "r53_interval_s", 0.05, 300, t->r53_interval_s, &t->r53_interval_s) < 0 ||
	    scenario_int(p, n, "r53_failure_threshold", 1, 10, t->r53_failure_threshold, &t->r53_failure_threshold) < 0 ||
	    scenario_num(p, n, "dns_ttl_s", 0, 86400, t->dns_ttl_s, &t->dns_ttl_s) < 0 ||
	    scenario_num(p, n, "error_rate_healthy", 0, 1, t->error_rate_healthy, &t->error_rate_healthy) < 0)
		return -1;
	return 0;
}

/* Generated extras for the scale scenario: target groups with instances, checks. */
static int parse_scale(struct parse *p, struct ytree *root)
{
	static const char *const keys[] = { "target_groups", "instances", "health_checks", NULL };
	struct ytree *n = scenario_get(p, root, "scale");
	struct sim_world *w = p->w;
	int ntg, ninst, nhc, i;

	if (!n)
		return 0;
	if (scenario_keys(p, n, keys) < 0 ||
	    scenario_int(p, n, "target_groups", 0, 10000, 0, &ntg) < 0 ||
	    scenario_int(p, n, "instances", 0, 100000, 0, &ninst) < 0 ||
	    scenario_int(p, n, "health_checks", 0, 10000, 0, &nhc) < 0)
		return -1;
	if (!w->n_regions)
		return scenario_fail_at(p, n, "scale needs at least one region");
	if (ninst && !ntg)
		return scenario_fail_at(p, n, "scale: instances need target_groups");
	for (i = 0; i < ntg; i++) {
		int ri = i % (int)w->n_regions, per;
		char name[SIM_NAME_MAX];
		struct sim_target_group *tg;
		struct sim_asg *g;
		snprintf(name, sizeof(name), "scale-tg-%03d", i + 1);
		tg = scenario_add_tg(w, ri, name, 8080);
		snprintf(tg->asg, sizeof(tg->asg), "scale-asg-%03d", i + 1);
		per = ninst / ntg + (i < ninst % ntg ? 1 : 0);
		g = scenario_add_asg(w, ri, tg->asg);
		snprintf(g->tg, sizeof(g->tg), "%s", name);
		snprintf(g->launch_template, sizeof(g->launch_template), "scale-lt");
		g->min_size = 0;
		g->max_size = per + 10;
		g->desired = per;
		scenario_asg_populate(w, g);
	}
	for (i = 0; i < nhc; i++) {
		char fqdn[128];
		snprintf(fqdn, sizeof(fqdn), "svc-%03d.example.com", i + 1);
		r53health_init(w, scenario_add_check(w, i % (int)w->n_regions, fqdn, "/health"));
	}
	return 0;
}

/* Parse `paging: {Operation: size}`: page sizes in place of AWS's defaults. */
static int parse_paging(struct parse *p, struct ytree *root)
{
	struct ytree *n = scenario_get(p, root, "paging");

	if (!n)
		return 0;
	if (n->kind != YTREE_MAP)
		return scenario_fail_at(p, n, "'paging' must be a mapping of operation: page size");
	for (size_t i = 0; i < n->n; i++) {
		const char *op = n->keys[i]->value;
		const struct sim_page_rule *rule = sim_page_rule_find(op);
		struct sim_page_setting *ps;
		int size;
		if (!rule)
			return scenario_fail_at(p, n->keys[i], "paging: '%s' is not an operation that pages", op);
		if (scenario_int(p, n, op, (int)rule->min, (int)rule->max, (int)rule->def, &size) < 0)
			return -1;
		ps = GROW(p->w->paging, p->w->n_paging);
		snprintf(ps->operation, sizeof(ps->operation), "%s", op);
		ps->size = size;
	}
	return 0;
}

/* Parse a whole scenario document into p->w. */
static int parse_root(struct parse *p)
{
	static const char *const keys[] = { "scenario", "account", "timing", "regions",
		"health_checks", "zones", "scale", "paging", "routing_controls", NULL };
	struct ytree *root = p->root;
	struct ytree **it;
	size_t n, i;

	if (!root)
		return scenario_fail_at(p, NULL, "empty scenario");
	if (scenario_keys(p, root, keys) < 0 ||
	    scenario_str(p, root, "scenario", p->w->scenario, sizeof(p->w->scenario), "custom", false) < 0 ||
	    scenario_str(p, root, "account", p->w->account, sizeof(p->w->account), "123456789012", false) < 0 ||
	    parse_timing(p, scenario_get(p, root, "timing")) < 0 ||
	    scenario_seq(p, root, "regions", &it, &n) < 0)
		return -1;
	if (n == 0)
		return scenario_fail_at(p, root, "a scenario needs 'regions'");
	for (i = 0; i < n; i++)
		if (scenario_parse_region(p, it[i]) < 0)
			return -1;
	if (scenario_parse_checks(p, root) < 0 || scenario_parse_zones(p, root) < 0 || parse_scale(p, root) < 0 ||
	    parse_paging(p, root) < 0)
		return -1;
	return 0;
}

/* Build a world from YAML text; file names it in errors. */
static struct sim_world *world_from_yaml(const char *text, size_t len, const char *file,
					 uint64_t seed, double now_s, double time_scale,
					 struct fd_error *err)
{
	struct parse *p = xcalloc(1, sizeof(*p));
	struct sim_world *w = xcalloc(1, sizeof(*w));
	int rc;

	w->seed = seed;
	w->rng = seed * 0x2545f4914f6cdd1dULL + 1;
	w->now_s = w->start_s = now_s;
	w->time_scale = time_scale > 0 ? time_scale : SIM_TIME_SCALE_DEFAULT;
	/* AWS's defaults: ALB HealthCheckIntervalSeconds 30, HealthyThresholdCount 5,
	 * UnhealthyThresholdCount 2, deregistration delay 300 s; Route 53
	 * RequestInterval 30, FailureThreshold 3. Boot and promotion: typical minutes. */
	w->timing = (struct sim_timing){
		.boot_s = 120, .drain_s = 300, .health_interval_s = 30, .healthy_threshold = 5,
		.unhealthy_threshold = 2, .promote_s = 300, .r53_interval_s = 30,
		.r53_failure_threshold = 3, .dns_ttl_s = 60, .error_rate_healthy = 0.2,
	};
	p->file = file;
	p->err = err;
	p->w = w;
	if (ytree_parse(text, len, &(struct ytree_opts){ .file = file, .code = "ScenarioError", .no_context = true },
			&p->root, err)) {
		free(p);
		sim_world_destroy(w);
		return NULL;
	}
	rc = parse_root(p);
	ytree_free(p->root);
	free(p);
	if (rc < 0) {
		sim_world_destroy(w);
		return NULL;
	}
	return w;
}

struct sim_world *sim_world_new(const char *scenario, uint64_t seed, double now_s,
				double time_scale, struct fd_error *err)
{
	struct sim_world *w;
	struct strbuf sb;
	FILE *f;
	char buf[4096];
	size_t n;

	if (!scenario || strcmp(scenario, "petclinic") == 0)
		return world_from_yaml(petclinic_yaml, sizeof(petclinic_yaml) - 1, "petclinic",
				       seed, now_s, time_scale, err);
	if (strcmp(scenario, "scale") == 0) {
		w = world_from_yaml(scale_yaml, sizeof(scale_yaml) - 1, "scale", seed, now_s, time_scale, err);
		if (w)
			snprintf(w->scenario, sizeof(w->scenario), "scale");
		return w;
	}
	f = fopen(scenario, "r");
	if (!f) {
		fd_error_set(err, "ScenarioError", "%s: %s (built-in scenarios: petclinic, scale)",
			     scenario, strerror(errno));
		return NULL;
	}
	strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	w = world_from_yaml(sb.data, sb.len, scenario, seed, now_s, time_scale, err);
	strbuf_clean_up(&sb);
	return w;
}
