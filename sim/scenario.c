/* scenario.c — build a world from a scenario: YAML (base/ytree) or a built-in name. */
#include "sim/world.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "base/ytree.h"
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
	"      - {name: petclinic-asg-was-blue, min: 2, max: 10, desired: 2, target_group: petclinic-tg-blue, launch_template: petclinic-was-blue, predictive: true}\n" \
	"      - {name: petclinic-asg-was-green, min: 0, max: 10, desired: 2, target_group: petclinic-tg-green, launch_template: petclinic-was-green, predictive: true}\n" \
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
	"      - {name: petclinic-asg-was-blue, min: 1, max: 10, desired: 2, target_group: petclinic-tg-blue, launch_template: petclinic-was-blue, predictive: true}\n" \
	"      - {name: petclinic-asg-was-green, min: 0, max: 10, desired: 0, target_group: petclinic-tg-green, launch_template: petclinic-was-green, predictive: true}\n" \
	"    load_balancers:\n" \
	"      - name: petclinic-alb\n" \
	"        listeners:\n" \
	"          - port: 80\n" \
	"            forward: [{target_group: petclinic-tg-blue, weight: 100}, {target_group: petclinic-tg-green, weight: 0}]\n" \
	"    databases:\n" \
	"      - {id: petclinic-db, role: replica, source: ap-northeast-2/petclinic-db, class: db.r6g.large}\n" \
	"health_checks:\n" \
	"  - {ref: seoul, region: ap-northeast-2, path: /actuator/health}\n" \
	"  - {ref: tokyo, region: ap-northeast-1, path: /actuator/health}\n" \
	"zones:\n" \
	"  - name: example.com\n" \
	"    id: Z0FLIGHTDECKSIM01\n" \
	"    records:\n" \
	"      - {name: petclinic.example.com, type: A, set_id: seoul, failover: PRIMARY, alias_region: ap-northeast-2, health_check: seoul}\n" \
	"      - {name: petclinic.example.com, type: A, set_id: tokyo, failover: SECONDARY, alias_region: ap-northeast-1, health_check: tokyo}\n" \
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

/* Parsing state: the document and where error messages point. */
struct parse {
	struct ytree *root;
	const char *file;
	struct fd_error *err;
	struct sim_world *w;
	char check_refs[1024][32];   /* health check ref -> index in w->checks */
	size_t n_refs;
};

/* Fail at a node: "FILE:LINE:COLUMN: message". */
static int fail_at(struct parse *p, const struct ytree *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_at(struct parse *p, const struct ytree *n, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ytree_error(p->err, "ScenarioError", p->file, n, "%s", msg);
}

/* The value node of key in a mapping node; NULL when absent. */
static struct ytree *get(struct parse *p, struct ytree *map, const char *key)
{
	(void)p;
	return ytree_get(map, key);
}

/* Check that every key of a mapping is one of the allowed (NULL-terminated). */
static int check_keys(struct parse *p, struct ytree *map, const char *const *allowed)
{
	size_t i;

	if (map->kind != YTREE_MAP)
		return fail_at(p, map, "expected a mapping");
	for (i = 0; i < map->n; i++) {
		const struct ytree *k = map->keys[i];
		const char *const *a;
		for (a = allowed; *a; a++)
			if (strcmp(*a, k->value) == 0)
				break;
		if (!*a)
			return fail_at(p, k, "unknown key '%s'", k->value);
	}
	return 0;
}

/* A scalar value as a string into out; def when absent; -1 when not a scalar. */
static int get_str(struct parse *p, struct ytree *map, const char *key, char *out, size_t size,
		   const char *def, bool required)
{
	struct ytree *n = get(p, map, key);

	if (!n) {
		if (required)
			return fail_at(p, map, "missing '%s'", key);
		snprintf(out, size, "%s", def ? def : "");
		return 0;
	}
	if (n->kind != YTREE_SCALAR)
		return fail_at(p, n, "'%s' must be a scalar", key);
	if (strlen(n->value) >= size)
		return fail_at(p, n, "'%s' is longer than %zu characters", key, size - 1);
	snprintf(out, size, "%s", n->value);
	return 0;
}

/* A number value in [lo, hi]; def when absent. */
static int get_num(struct parse *p, struct ytree *map, const char *key, double lo, double hi,
		   double def, double *out)
{
	struct ytree *n = get(p, map, key);
	char *end;
	double v;

	if (!n) {
		*out = def;
		return 0;
	}
	if (n->kind != YTREE_SCALAR)
		return fail_at(p, n, "'%s' must be a number", key);
	errno = 0;
	v = strtod(n->value, &end);
	if (errno || end == n->value || *end || v < lo || v > hi)
		return fail_at(p, n, "'%s' must be a number from %g to %g", key, lo, hi);
	*out = v;
	return 0;
}

/* An integer value in [lo, hi]. */
static int get_int(struct parse *p, struct ytree *map, const char *key, int lo, int hi, int def,
		   int *out)
{
	double v;

	if (get_num(p, map, key, lo, hi, def, &v) < 0)
		return -1;
	if (v != (double)(int)v)
		return fail_at(p, get(p, map, key), "'%s' must be a whole number", key);
	*out = (int)v;
	return 0;
}

/* A boolean value. */
static int get_bool(struct parse *p, struct ytree *map, const char *key, bool def, bool *out)
{
	struct ytree *n = get(p, map, key);
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
		return fail_at(p, n, "'%s' must be true or false", key);
	return 0;
}

/* The items of a sequence value (NULL/0 when absent). */
static int get_seq(struct parse *p, struct ytree *map, const char *key, struct ytree ***items,
		   size_t *n)
{
	struct ytree *s = get(p, map, key);

	*items = NULL;
	*n = 0;
	if (!s)
		return 0;
	if (s->kind != YTREE_SEQ)
		return fail_at(p, s, "'%s' must be a list", key);
	*items = s->items;
	*n = s->n;
	return 0;
}

#define GROW(arr, n) (arr = xrealloc(arr, ((n) + 1) * sizeof(*(arr))), \
		      memset(&(arr)[n], 0, sizeof(*(arr))), &(arr)[(n)++])

/* A 16-hex-digit suffix for an ARN, from the world's stream. */
static void hex16(struct sim_world *w, char out[17])
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
	if (check_keys(p, n, keys) < 0 ||
	    get_num(p, n, "boot_s", 0, 86400, t->boot_s, &t->boot_s) < 0 ||
	    get_num(p, n, "drain_s", 0, 3600, t->drain_s, &t->drain_s) < 0 ||
	    get_num(p, n, "health_interval_s", 0.05, 300, t->health_interval_s, &t->health_interval_s) < 0 ||
	    get_int(p, n, "healthy_threshold", 1, 10, t->healthy_threshold, &t->healthy_threshold) < 0 ||
	    get_int(p, n, "unhealthy_threshold", 1, 10, t->unhealthy_threshold, &t->unhealthy_threshold) < 0 ||
	    get_num(p, n, "promote_s", 0, 86400, t->promote_s, &t->promote_s) < 0 ||
	    get_num(p, n, "r53_interval_s", 0.05, 300, t->r53_interval_s, &t->r53_interval_s) < 0 ||
	    get_int(p, n, "r53_failure_threshold", 1, 10, t->r53_failure_threshold, &t->r53_failure_threshold) < 0 ||
	    get_num(p, n, "dns_ttl_s", 0, 86400, t->dns_ttl_s, &t->dns_ttl_s) < 0 ||
	    get_num(p, n, "error_rate_healthy", 0, 1, t->error_rate_healthy, &t->error_rate_healthy) < 0)
		return -1;
	return 0;
}

/* Parse a forward list into fwd[] (target group names resolved in region ri). */
static int parse_forward(struct parse *p, struct ytree *owner, int ri, struct sim_rule *rule)
{
	static const char *const keys[] = { "target_group", "weight", NULL };
	struct ytree **it;
	size_t n, i;

	if (get_seq(p, owner, "forward", &it, &n) < 0)
		return -1;
	if (n > SIM_FORWARD_MAX)
		return fail_at(p, get(p, owner, "forward"), "at most %d target groups", SIM_FORWARD_MAX);
	for (i = 0; i < n; i++) {
		struct ytree *f = it[i];
		char name[SIM_NAME_MAX];
		struct sim_target_group *tg;
		if (check_keys(p, f, keys) < 0 ||
		    get_str(p, f, "target_group", name, sizeof(name), NULL, true) < 0 ||
		    get_int(p, f, "weight", 0, 999, 1, &rule->fwd[i].weight) < 0)
			return -1;
		tg = sim_world_tg(p->w, ri, name);
		if (!tg)
			return fail_at(p, f, "no target group '%s' in %s", name, p->w->regions[ri].name);
		snprintf(rule->fwd[i].tg_arn, sizeof(rule->fwd[i].tg_arn), "%s", tg->arn);
	}
	rule->n_fwd = n;
	return 0;
}

/* Parse one load balancer with its listeners and rules. */
static int parse_lb(struct parse *p, struct ytree *n, int ri)
{
	static const char *const keys[] = { "name", "scheme", "listeners", NULL };
	static const char *const lkeys[] = { "port", "protocol", "forward", "rules", NULL };
	static const char *const rkeys[] = { "priority", "path", "forward", NULL };
	struct sim_world *w = p->w;
	struct sim_region *r = &w->regions[ri];
	struct sim_load_balancer *lb = GROW(r->lbs, r->n_lbs);
	struct ytree **li;
	size_t nl, i, k;
	char lbhex[17];

	lb->region = ri;
	if (check_keys(p, n, keys) < 0 ||
	    get_str(p, n, "name", lb->name, sizeof(lb->name), NULL, true) < 0 ||
	    get_str(p, n, "scheme", lb->scheme, sizeof(lb->scheme), "internet-facing", false) < 0 ||
	    get_seq(p, n, "listeners", &li, &nl) < 0)
		return -1;
	hex16(w, lbhex);
	snprintf(lb->arn, sizeof(lb->arn), "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%s",
		 r->name, w->account, lb->name, lbhex);
	snprintf(lb->dns_name, sizeof(lb->dns_name), "%s-%u.%s.elb.amazonaws.com", lb->name,
		 (unsigned)(sim_world_rand(w) * 1e9) + 100000000u, r->name);
	snprintf(lb->zone_id, sizeof(lb->zone_id), "%s",
		 strcmp(r->name, "ap-northeast-2") == 0 ? "ZWKZPGTI48KDX" :
		 strcmp(r->name, "ap-northeast-1") == 0 ? "Z14GRHDCWA56QT" : "Z35SXDOTRQ7X7K");
	snprintf(lb->vpc_id, sizeof(lb->vpc_id), "vpc-0%s", lbhex);
	lb->created_s = w->now_s - 86400 * 30;
	lb->vpc_id[20] = '\0';
	for (i = 0; i < nl; i++) {
		struct ytree *ln = li[i];
		struct sim_listener *l = GROW(lb->listeners, lb->n_listeners);
		struct sim_rule *def;
		struct ytree **ri_items;
		size_t nr;
		char lhex[17], rhex[17];
		if (check_keys(p, ln, lkeys) < 0 ||
		    get_int(p, ln, "port", 1, 65535, 80, &l->port) < 0 ||
		    get_str(p, ln, "protocol", l->protocol, sizeof(l->protocol), "HTTP", false) < 0 ||
		    get_seq(p, ln, "rules", &ri_items, &nr) < 0)
			return -1;
		hex16(w, lhex);
		snprintf(l->arn, sizeof(l->arn), "arn:aws:elasticloadbalancing:%s:%s:listener/app/%s/%s/%s",
			 r->name, w->account, lb->name, lbhex, lhex);
		snprintf(l->lb_arn, sizeof(l->lb_arn), "%s", lb->arn);
		def = GROW(l->rules, l->n_rules);
		def->is_default = true;
		snprintf(def->priority, sizeof(def->priority), "default");
		hex16(w, rhex);
		snprintf(def->arn, sizeof(def->arn), "arn:aws:elasticloadbalancing:%s:%s:listener-rule/app/%s/%s/%s/%s",
			 r->name, w->account, lb->name, lbhex, lhex, rhex);
		if (parse_forward(p, ln, ri, def) < 0)
			return -1;
		for (k = 0; k < nr; k++) {
			struct ytree *rn = ri_items[k];
			struct sim_rule *ru = GROW(l->rules, l->n_rules);
			int prio;
			if (check_keys(p, rn, rkeys) < 0 ||
			    get_int(p, rn, "priority", 1, 50000, (int)k + 1, &prio) < 0 ||
			    get_str(p, rn, "path", ru->path_pattern, sizeof(ru->path_pattern), "/*", false) < 0 ||
			    parse_forward(p, rn, ri, ru) < 0)
				return -1;
			snprintf(ru->priority, sizeof(ru->priority), "%d", prio);
			hex16(w, rhex);
			snprintf(ru->arn, sizeof(ru->arn), "arn:aws:elasticloadbalancing:%s:%s:listener-rule/app/%s/%s/%s/%s",
				 r->name, w->account, lb->name, lbhex, lhex, rhex);
		}
	}
	return 0;
}

/* Add a target group to region ri. */
static struct sim_target_group *add_tg(struct sim_world *w, int ri, const char *name, int port)
{
	struct sim_region *r = &w->regions[ri];
	struct sim_target_group *tg = GROW(r->tgs, r->n_tgs);
	char hex[17];

	hex16(w, hex);
	tg->region = ri;
	snprintf(tg->name, sizeof(tg->name), "%s", name);
	snprintf(tg->arn, sizeof(tg->arn), "arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/%s",
		 r->name, w->account, name, hex);
	snprintf(tg->protocol, sizeof(tg->protocol), "HTTP");
	snprintf(tg->health_path, sizeof(tg->health_path), "/");
	snprintf(tg->vpc_id, sizeof(tg->vpc_id), "vpc-0%.16s", hex);
	tg->port = port;
	return tg;
}

/* Parse one target group. */
static int parse_tg(struct parse *p, struct ytree *n, int ri)
{
	static const char *const keys[] = { "name", "port", "health_path", "error_rate", "asg", NULL };
	char name[SIM_NAME_MAX];
	struct sim_target_group *tg;
	int port;

	if (check_keys(p, n, keys) < 0 ||
	    get_str(p, n, "name", name, sizeof(name), NULL, true) < 0 ||
	    get_int(p, n, "port", 1, 65535, 80, &port) < 0)
		return -1;
	if (sim_world_tg(p->w, ri, name))
		return fail_at(p, n, "target group '%s' defined twice", name);
	tg = add_tg(p->w, ri, name, port);
	if (get_str(p, n, "health_path", tg->health_path, sizeof(tg->health_path), "/", false) < 0 ||
	    get_num(p, n, "error_rate", 0, 1, 0, &tg->error_rate) < 0 ||
	    get_str(p, n, "asg", tg->asg, sizeof(tg->asg), "", false) < 0)
		return -1;
	return 0;
}

/* Add an ASG with desired instances already in service (and healthy in its TG). */
static struct sim_asg *add_asg(struct sim_world *w, int ri, const char *name)
{
	struct sim_region *r = &w->regions[ri];
	struct sim_asg *g = GROW(r->asgs, r->n_asgs);
	char uuid[37];

	sim_world_uuid(w, uuid);
	g->region = ri;
	snprintf(g->name, sizeof(g->name), "%s", name);
	snprintf(g->arn, sizeof(g->arn), "arn:aws:autoscaling:%s:%s:autoScalingGroup:%s:autoScalingGroupName/%s",
		 r->name, w->account, uuid, name);
	g->default_cooldown_s = 300;
	g->grace_s = 300;
	g->created_s = w->now_s - 86400 * 7;
	return g;
}

/* Start an ASG's instances in service, registered and healthy. */
static void asg_populate(struct sim_world *w, struct sim_asg *g)
{
	struct sim_target_group *tg = g->tg[0] ? sim_world_tg(w, g->region, g->tg) : NULL;
	static const char azs[] = "ac";
	int i;

	g->baseline_load = 40.0 * (g->desired > 0 ? g->desired : 1);

	for (i = 0; i < g->desired; i++) {
		struct sim_instance *in = GROW(g->instances, g->n_instances);
		sim_world_new_id(w, "i-", in->id, sizeof(in->id));
		snprintf(in->az, sizeof(in->az), "%s%c", w->regions[g->region].name, azs[i % 2]);
		snprintf(in->instance_type, sizeof(in->instance_type), "t3.medium");
		in->lifecycle = SIM_LC_INSERVICE;
		in->launched_s = in->state_since_s = w->now_s - 3600;
		in->healthy = true;
		if (tg) {
			struct sim_target *t = GROW(tg->targets, tg->n_targets);
			snprintf(t->id, sizeof(t->id), "%s", in->id);
			snprintf(t->az, sizeof(t->az), "%s", in->az);
			t->port = tg->port;
			t->state = SIM_TH_HEALTHY;
			t->pass_streak = w->timing.healthy_threshold;
			t->state_since_s = in->launched_s;
			t->next_check_s = w->now_s + sim_world_dur(w, w->timing.health_interval_s) * sim_world_rand(w);
		}
	}
}

/* Parse one ASG. */
static int parse_asg(struct parse *p, struct ytree *n, int ri)
{
	static const char *const keys[] = { "name", "min", "max", "desired", "target_group",
		"launch_template", "predictive", "instance_type", NULL };
	struct sim_world *w = p->w;
	char name[SIM_NAME_MAX];
	struct sim_asg *g;
	bool predictive;

	if (check_keys(p, n, keys) < 0 ||
	    get_str(p, n, "name", name, sizeof(name), NULL, true) < 0)
		return -1;
	if (sim_world_asg(w, ri, name))
		return fail_at(p, n, "auto scaling group '%s' defined twice", name);
	g = add_asg(w, ri, name);
	if (get_int(p, n, "min", 0, SIM_GROUP_MAX, 1, &g->min_size) < 0 ||
	    get_int(p, n, "max", 0, SIM_GROUP_MAX, 10, &g->max_size) < 0 ||
	    get_int(p, n, "desired", 0, SIM_GROUP_MAX, g->min_size, &g->desired) < 0 ||
	    get_str(p, n, "target_group", g->tg, sizeof(g->tg), "", false) < 0 ||
	    get_str(p, n, "launch_template", g->launch_template, sizeof(g->launch_template), name, false) < 0 ||
	    get_bool(p, n, "predictive", false, &predictive) < 0)
		return -1;
	if (g->min_size > g->max_size || g->desired < g->min_size || g->desired > g->max_size)
		return fail_at(p, n, "need min <= desired <= max");
	if (g->tg[0] && !sim_world_tg(w, ri, g->tg))
		return fail_at(p, get(p, n, "target_group"), "no target group '%s' in %s (define target groups first)",
			       g->tg, w->regions[ri].name);
	if (predictive) {
		struct sim_policy *pol = GROW(g->policies, g->n_policies);
		char uuid[37];
		sim_world_uuid(w, uuid);
		snprintf(pol->name, sizeof(pol->name), "%s-predictive", name);
		snprintf(pol->arn, sizeof(pol->arn), "arn:aws:autoscaling:%s:%s:scalingPolicy:%s:autoScalingGroupName/%s:policyName/%s",
			 w->regions[ri].name, w->account, uuid, name, pol->name);
		snprintf(pol->type, sizeof(pol->type), "PredictiveScaling");
		snprintf(pol->metric_type, sizeof(pol->metric_type), "ASGCPUUtilization");
		snprintf(pol->mode, sizeof(pol->mode), "ForecastAndScale");
		pol->target_value = 50;
		pol->buffer_s = 300;
	}
	asg_populate(w, g);
	return 0;
}

/* Add a database. */
static struct sim_db *add_db(struct sim_world *w, int ri, const char *id)
{
	struct sim_region *r = &w->regions[ri];
	struct sim_db *db = GROW(r->dbs, r->n_dbs);

	db->region = ri;
	snprintf(db->id, sizeof(db->id), "%s", id);
	snprintf(db->arn, sizeof(db->arn), "arn:aws:rds:%s:%s:db:%s", r->name, w->account, id);
	snprintf(db->engine, sizeof(db->engine), "mysql");
	snprintf(db->engine_version, sizeof(db->engine_version), "8.0.35");
	snprintf(db->status, sizeof(db->status), "available");
	snprintf(db->az, sizeof(db->az), "%sa", r->name);
	snprintf(db->endpoint, sizeof(db->endpoint), "%s.c%010llx.%s.rds.amazonaws.com", id,
		 (unsigned long long)(sim_world_rand(w) * 1e12), r->name);
	db->port = 3306;
	db->storage_gb = 100;
	db->created_s = w->now_s - 86400 * 90;
	return db;
}

/* Parse one database (replica sources as REGION/ID, after their region). */
static int parse_db(struct parse *p, struct ytree *n, int ri)
{
	static const char *const keys[] = { "id", "role", "source", "class", "multi_az", NULL };
	struct sim_world *w = p->w;
	char id[SIM_NAME_MAX], role[16], source[SIM_ARN_MAX];
	struct sim_db *db;

	if (check_keys(p, n, keys) < 0 ||
	    get_str(p, n, "id", id, sizeof(id), NULL, true) < 0 ||
	    get_str(p, n, "role", role, sizeof(role), "primary", false) < 0 ||
	    get_str(p, n, "source", source, sizeof(source), "", false) < 0)
		return -1;
	if (strcmp(role, "primary") != 0 && strcmp(role, "replica") != 0 && strcmp(role, "standalone") != 0)
		return fail_at(p, get(p, n, "role"), "role must be primary, replica or standalone");
	if (sim_world_db(w, ri, id))
		return fail_at(p, n, "database '%s' defined twice", id);
	db = add_db(w, ri, id);
	db->role = role[0] == 'p' ? SIM_DB_PRIMARY : role[0] == 'r' ? SIM_DB_REPLICA : SIM_DB_STANDALONE;
	if (get_str(p, n, "class", db->instance_class, sizeof(db->instance_class), "db.r6g.large", false) < 0 ||
	    get_bool(p, n, "multi_az", db->role == SIM_DB_PRIMARY, &db->multi_az) < 0)
		return -1;
	if (db->role == SIM_DB_REPLICA) {
		char *slash = strchr(source, '/');
		int sr = ri;
		struct sim_db *src;
		if (!source[0])
			return fail_at(p, n, "a replica needs 'source' (REGION/ID or ID)");
		if (slash) {
			*slash = '\0';
			sr = sim_world_region(w, source);
			if (sr < 0)
				return fail_at(p, get(p, n, "source"), "no region '%s' (define it first)", source);
		}
		src = sim_world_db(w, sr, slash ? slash + 1 : source);
		if (!src)
			return fail_at(p, get(p, n, "source"), "no database '%s' (define it first)",
				       slash ? slash + 1 : source);
		snprintf(db->source_arn, sizeof(db->source_arn), "%s", sr == ri ? src->id : src->arn);
		db->replica_lag_s = 0.4;
	}
	return 0;
}

/* Parse one region. */
static int parse_region(struct parse *p, struct ytree *n)
{
	static const char *const keys[] = { "name", "primary", "target_groups",
		"auto_scaling_groups", "load_balancers", "databases", NULL };
	static const struct {
		const char *key;
		int (*fn)(struct parse *, struct ytree *, int);
	} parts[] = {
		{ "target_groups", parse_tg },
		{ "auto_scaling_groups", parse_asg },
		{ "load_balancers", parse_lb },
		{ "databases", parse_db },
	};
	struct sim_world *w = p->w;
	struct sim_region *r;
	char name[32];
	size_t k, i;
	int ri;

	if (check_keys(p, n, keys) < 0 || get_str(p, n, "name", name, sizeof(name), NULL, true) < 0)
		return -1;
	if (sim_world_region(w, name) >= 0)
		return fail_at(p, n, "region '%s' defined twice", name);
	r = GROW(w->regions, w->n_regions);
	ri = (int)(w->n_regions - 1);
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->up = true;
	if (get_bool(p, n, "primary", false, &r->primary) < 0)
		return -1;
	for (k = 0; k < sizeof(parts) / sizeof(parts[0]); k++) {
		struct ytree **it;
		size_t cnt;
		if (get_seq(p, n, parts[k].key, &it, &cnt) < 0)
			return -1;
		for (i = 0; i < cnt; i++)
			if (parts[k].fn(p, it[i], ri) < 0)
				return -1;
	}
	return 0;
}

/* Add a Route 53 health check watching region ri (-1 none). */
static struct sim_health_check *add_check(struct sim_world *w, int ri, const char *fqdn,
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
static int parse_checks(struct parse *p, struct ytree *root)
{
	static const char *const keys[] = { "ref", "region", "fqdn", "path", NULL };
	struct ytree **it;
	size_t n, i;

	if (get_seq(p, root, "health_checks", &it, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct ytree *c = it[i];
		char ref[32], region[32], fqdn[128], path[64];
		int ri = -1;
		if (check_keys(p, c, keys) < 0 ||
		    get_str(p, c, "ref", ref, sizeof(ref), NULL, true) < 0 ||
		    get_str(p, c, "region", region, sizeof(region), "", false) < 0 ||
		    get_str(p, c, "fqdn", fqdn, sizeof(fqdn), "", false) < 0 ||
		    get_str(p, c, "path", path, sizeof(path), "/", false) < 0)
			return -1;
		if (region[0] && (ri = sim_world_region(p->w, region)) < 0)
			return fail_at(p, get(p, c, "region"), "no region '%s'", region);
		if (!fqdn[0] && ri >= 0 && p->w->regions[ri].n_lbs)
			snprintf(fqdn, sizeof(fqdn), "%s", p->w->regions[ri].lbs[0].dns_name);
		if (p->n_refs == sizeof(p->check_refs) / sizeof(p->check_refs[0]))
			return fail_at(p, c, "too many health checks");
		snprintf(p->check_refs[p->n_refs++], sizeof(p->check_refs[0]), "%s", ref);
		add_check(p->w, ri, fqdn, path);
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
static int parse_zones(struct parse *p, struct ytree *root)
{
	static const char *const zkeys[] = { "name", "id", "records", NULL };
	static const char *const rkeys[] = { "name", "type", "set_id", "failover", "ttl", "value",
		"alias_region", "health_check", NULL };
	struct sim_world *w = p->w;
	struct ytree **it, **rit;
	size_t n, i, nr, k;

	if (get_seq(p, root, "zones", &it, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct ytree *zn = it[i];
		struct sim_zone *z = GROW(w->zones, w->n_zones);
		if (check_keys(p, zn, zkeys) < 0 ||
		    get_str(p, zn, "name", z->name, sizeof(z->name), NULL, true) < 0 ||
		    get_str(p, zn, "id", z->id, sizeof(z->id), "", false) < 0 ||
		    get_seq(p, zn, "records", &rit, &nr) < 0)
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
			if (check_keys(p, rn, rkeys) < 0 ||
			    get_str(p, rn, "name", rec->name, sizeof(rec->name), NULL, true) < 0 ||
			    get_str(p, rn, "type", rec->type, sizeof(rec->type), "A", false) < 0 ||
			    get_str(p, rn, "set_id", rec->set_id, sizeof(rec->set_id), "", false) < 0 ||
			    get_str(p, rn, "failover", rec->failover, sizeof(rec->failover), "", false) < 0 ||
			    get_int(p, rn, "ttl", 0, 604800, 0, &rec->ttl) < 0 ||
			    get_str(p, rn, "value", rec->value, sizeof(rec->value), "", false) < 0 ||
			    get_str(p, rn, "alias_region", region, sizeof(region), "", false) < 0 ||
			    get_str(p, rn, "health_check", hc, sizeof(hc), "", false) < 0)
				return -1;
			fqdn_dot(rec->name, sizeof(rec->name));
			if (rec->failover[0] && strcmp(rec->failover, "PRIMARY") != 0 &&
			    strcmp(rec->failover, "SECONDARY") != 0)
				return fail_at(p, get(p, rn, "failover"), "failover must be PRIMARY or SECONDARY");
			if (region[0]) {
				int ri = sim_world_region(w, region);
				if (ri < 0 || !w->regions[ri].n_lbs)
					return fail_at(p, get(p, rn, "alias_region"), "no load balancer in region '%s'", region);
				snprintf(rec->alias_dns, sizeof(rec->alias_dns), "%s.", w->regions[ri].lbs[0].dns_name);
				snprintf(rec->alias_zone, sizeof(rec->alias_zone), "%s", w->regions[ri].lbs[0].zone_id);
				rec->evaluate_health = true;
			} else if (!rec->value[0]) {
				return fail_at(p, rn, "a record needs 'value' or 'alias_region'");
			} else if (!rec->ttl) {
				rec->ttl = 300;
			}
			if (hc[0]) {
				size_t h;
				for (h = 0; h < p->n_refs; h++)
					if (strcmp(p->check_refs[h], hc) == 0)
						break;
				if (h == p->n_refs)
					return fail_at(p, get(p, rn, "health_check"), "no health check with ref '%s'", hc);
				snprintf(rec->health_check_id, sizeof(rec->health_check_id), "%s", w->checks[h].id);
			}
		}
	}
	return 0;
}

/* Generated extras for the scale scenario: target groups with instances, checks. */
static int parse_scale(struct parse *p, struct ytree *root)
{
	static const char *const keys[] = { "target_groups", "instances", "health_checks", NULL };
	struct ytree *n = get(p, root, "scale");
	struct sim_world *w = p->w;
	int ntg, ninst, nhc, i;

	if (!n)
		return 0;
	if (check_keys(p, n, keys) < 0 ||
	    get_int(p, n, "target_groups", 0, 10000, 0, &ntg) < 0 ||
	    get_int(p, n, "instances", 0, 100000, 0, &ninst) < 0 ||
	    get_int(p, n, "health_checks", 0, 10000, 0, &nhc) < 0)
		return -1;
	if (!w->n_regions)
		return fail_at(p, n, "scale needs at least one region");
	if (ninst && !ntg)
		return fail_at(p, n, "scale: instances need target_groups");
	for (i = 0; i < ntg; i++) {
		int ri = i % (int)w->n_regions, per;
		char name[SIM_NAME_MAX];
		struct sim_target_group *tg;
		struct sim_asg *g;
		snprintf(name, sizeof(name), "scale-tg-%03d", i + 1);
		tg = add_tg(w, ri, name, 8080);
		snprintf(tg->asg, sizeof(tg->asg), "scale-asg-%03d", i + 1);
		per = ninst / ntg + (i < ninst % ntg ? 1 : 0);
		g = add_asg(w, ri, tg->asg);
		snprintf(g->tg, sizeof(g->tg), "%s", name);
		snprintf(g->launch_template, sizeof(g->launch_template), "scale-lt");
		g->min_size = 0;
		g->max_size = per + 10;
		g->desired = per;
		asg_populate(w, g);
	}
	for (i = 0; i < nhc; i++) {
		char fqdn[128];
		snprintf(fqdn, sizeof(fqdn), "svc-%03d.example.com", i + 1);
		add_check(w, i % (int)w->n_regions, fqdn, "/health");
	}
	return 0;
}

/* Parse `paging: {Operation: size}`: page sizes in place of AWS's defaults. */
static int parse_paging(struct parse *p, struct ytree *root)
{
	struct ytree *n = get(p, root, "paging");

	if (!n)
		return 0;
	if (n->kind != YTREE_MAP)
		return fail_at(p, n, "'paging' must be a mapping of operation: page size");
	for (size_t i = 0; i < n->n; i++) {
		const char *op = n->keys[i]->value;
		const struct sim_page_rule *rule = sim_page_rule_find(op);
		struct sim_page_setting *ps;
		int size;
		if (!rule)
			return fail_at(p, n->keys[i], "paging: '%s' is not an operation that pages", op);
		if (get_int(p, n, op, (int)rule->min, (int)rule->max, (int)rule->def, &size) < 0)
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
		"health_checks", "zones", "scale", "paging", NULL };
	struct ytree *root = p->root;
	struct ytree **it;
	size_t n, i;

	if (!root)
		return fail_at(p, NULL, "empty scenario");
	if (check_keys(p, root, keys) < 0 ||
	    get_str(p, root, "scenario", p->w->scenario, sizeof(p->w->scenario), "custom", false) < 0 ||
	    get_str(p, root, "account", p->w->account, sizeof(p->w->account), "123456789012", false) < 0 ||
	    parse_timing(p, get(p, root, "timing")) < 0 ||
	    get_seq(p, root, "regions", &it, &n) < 0)
		return -1;
	if (n == 0)
		return fail_at(p, root, "a scenario needs 'regions'");
	for (i = 0; i < n; i++)
		if (parse_region(p, it[i]) < 0)
			return -1;
	if (parse_checks(p, root) < 0 || parse_zones(p, root) < 0 || parse_scale(p, root) < 0 ||
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
