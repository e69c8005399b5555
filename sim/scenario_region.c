/* scenario_region.c — a scenario's regions: target groups, Auto Scaling groups
 * (started in service), load balancers with listeners and rules, databases. */
#include "sim/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parse a forward list into fwd[] (target group names resolved in region ri). */
static int parse_forward(struct parse *p, struct ytree *owner, int ri, struct sim_rule *rule)
{
	static const char *const keys[] = { "target_group", "weight", NULL };
	struct ytree **it;
	size_t n, i;

	if (scenario_seq(p, owner, "forward", &it, &n) < 0)
		return -1;
	if (n > SIM_FORWARD_MAX)
		return scenario_fail_at(p, scenario_get(p, owner, "forward"), "at most %d target groups", SIM_FORWARD_MAX);
	for (i = 0; i < n; i++) {
		struct ytree *f = it[i];
		char name[SIM_NAME_MAX];
		struct sim_target_group *tg;
		if (scenario_keys(p, f, keys) < 0 ||
		    scenario_str(p, f, "target_group", name, sizeof(name), NULL, true) < 0 ||
		    scenario_int(p, f, "weight", 0, 999, 1, &rule->fwd[i].weight) < 0)
			return -1;
		tg = sim_world_tg(p->w, ri, name);
		if (!tg)
			return scenario_fail_at(p, f, "no target group '%s' in %s", name, p->w->regions[ri].name);
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
	if (scenario_keys(p, n, keys) < 0 ||
	    scenario_str(p, n, "name", lb->name, sizeof(lb->name), NULL, true) < 0 ||
	    scenario_str(p, n, "scheme", lb->scheme, sizeof(lb->scheme), "internet-facing", false) < 0 ||
	    scenario_seq(p, n, "listeners", &li, &nl) < 0)
		return -1;
	scenario_hex16(w, lbhex);
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
		if (scenario_keys(p, ln, lkeys) < 0 ||
		    scenario_int(p, ln, "port", 1, 65535, 80, &l->port) < 0 ||
		    scenario_str(p, ln, "protocol", l->protocol, sizeof(l->protocol), "HTTP", false) < 0 ||
		    scenario_seq(p, ln, "rules", &ri_items, &nr) < 0)
			return -1;
		scenario_hex16(w, lhex);
		snprintf(l->arn, sizeof(l->arn), "arn:aws:elasticloadbalancing:%s:%s:listener/app/%s/%s/%s",
			 r->name, w->account, lb->name, lbhex, lhex);
		snprintf(l->lb_arn, sizeof(l->lb_arn), "%s", lb->arn);
		def = GROW(l->rules, l->n_rules);
		def->is_default = true;
		snprintf(def->priority, sizeof(def->priority), "default");
		scenario_hex16(w, rhex);
		snprintf(def->arn, sizeof(def->arn), "arn:aws:elasticloadbalancing:%s:%s:listener-rule/app/%s/%s/%s/%s",
			 r->name, w->account, lb->name, lbhex, lhex, rhex);
		if (parse_forward(p, ln, ri, def) < 0)
			return -1;
		for (k = 0; k < nr; k++) {
			struct ytree *rn = ri_items[k];
			struct sim_rule *ru = GROW(l->rules, l->n_rules);
			int prio;
			if (scenario_keys(p, rn, rkeys) < 0 ||
			    scenario_int(p, rn, "priority", 1, 50000, (int)k + 1, &prio) < 0 ||
			    scenario_str(p, rn, "path", ru->conditions[0].values[0], sizeof(ru->conditions[0].values[0]),
					 "/*", false) < 0 ||
			    parse_forward(p, rn, ri, ru) < 0)
				return -1;
			snprintf(ru->priority, sizeof(ru->priority), "%d", prio);
			snprintf(ru->conditions[0].field, sizeof(ru->conditions[0].field), "path-pattern");
			ru->conditions[0].n_values = 1;
			ru->n_conditions = 1;
			scenario_hex16(w, rhex);
			snprintf(ru->arn, sizeof(ru->arn), "arn:aws:elasticloadbalancing:%s:%s:listener-rule/app/%s/%s/%s/%s",
				 r->name, w->account, lb->name, lbhex, lhex, rhex);
		}
	}
	return 0;
}

/* Add a target group to region ri. */
struct sim_target_group *scenario_add_tg(struct sim_world *w, int ri, const char *name, int port)
{
	struct sim_region *r = &w->regions[ri];
	struct sim_target_group *tg = GROW(r->tgs, r->n_tgs);
	char hex[17];

	scenario_hex16(w, hex);
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

	if (scenario_keys(p, n, keys) < 0 ||
	    scenario_str(p, n, "name", name, sizeof(name), NULL, true) < 0 ||
	    scenario_int(p, n, "port", 1, 65535, 80, &port) < 0)
		return -1;
	if (sim_world_tg(p->w, ri, name))
		return scenario_fail_at(p, n, "target group '%s' defined twice", name);
	tg = scenario_add_tg(p->w, ri, name, port);
	if (scenario_str(p, n, "health_path", tg->health_path, sizeof(tg->health_path), "/", false) < 0 ||
	    scenario_num(p, n, "error_rate", 0, 1, 0, &tg->error_rate) < 0 ||
	    scenario_str(p, n, "asg", tg->asg, sizeof(tg->asg), "", false) < 0)
		return -1;
	return 0;
}

/* Add an ASG with desired instances already in service (and healthy in its TG). */
struct sim_asg *scenario_add_asg(struct sim_world *w, int ri, const char *name)
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
void scenario_asg_populate(struct sim_world *w, struct sim_asg *g)
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
		"launch_template", "predictive", "instance_type", "tags", NULL };
	struct sim_world *w = p->w;
	char name[SIM_NAME_MAX];
	struct sim_asg *g;
	struct ytree *tags;
	bool predictive;

	if (scenario_keys(p, n, keys) < 0 ||
	    scenario_str(p, n, "name", name, sizeof(name), NULL, true) < 0)
		return -1;
	if (sim_world_asg(w, ri, name))
		return scenario_fail_at(p, n, "auto scaling group '%s' defined twice", name);
	g = scenario_add_asg(w, ri, name);
	if (scenario_int(p, n, "min", 0, SIM_GROUP_MAX, 1, &g->min_size) < 0 ||
	    scenario_int(p, n, "max", 0, SIM_GROUP_MAX, 10, &g->max_size) < 0 ||
	    scenario_int(p, n, "desired", 0, SIM_GROUP_MAX, g->min_size, &g->desired) < 0 ||
	    scenario_str(p, n, "target_group", g->tg, sizeof(g->tg), "", false) < 0 ||
	    scenario_str(p, n, "launch_template", g->launch_template, sizeof(g->launch_template), name, false) < 0 ||
	    scenario_bool(p, n, "predictive", false, &predictive) < 0)
		return -1;
	if (g->min_size > g->max_size || g->desired < g->min_size || g->desired > g->max_size)
		return scenario_fail_at(p, n, "need min <= desired <= max");
	if ((tags = scenario_get(p, n, "tags"))) {   /* {Key: Value, ...}, propagated at launch */
		if (tags->kind != YTREE_MAP)
			return scenario_fail_at(p, tags, "'tags' must be a mapping of key: value");
		if (tags->n > SIM_TAGS_MAX)
			return scenario_fail_at(p, tags, "at most %d tags", SIM_TAGS_MAX);
		for (size_t t = 0; t < tags->n; t++) {
			struct sim_tag *tag = &g->tags[g->n_tags++];
			if (tags->items[t]->kind != YTREE_SCALAR || strlen(tags->keys[t]->value) >= sizeof(tag->key) ||
			    strlen(tags->items[t]->value) >= sizeof(tag->value))
				return scenario_fail_at(p, tags->items[t], "tag '%s' must be a short scalar", tags->keys[t]->value);
			snprintf(tag->key, sizeof(tag->key), "%s", tags->keys[t]->value);
			snprintf(tag->value, sizeof(tag->value), "%s", tags->items[t]->value);
			tag->propagate = true;
		}
	}
	if (g->tg[0] && !sim_world_tg(w, ri, g->tg))
		return scenario_fail_at(p, scenario_get(p, n, "target_group"), "no target group '%s' in %s (define target groups first)",
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
	scenario_asg_populate(w, g);
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

	if (scenario_keys(p, n, keys) < 0 ||
	    scenario_str(p, n, "id", id, sizeof(id), NULL, true) < 0 ||
	    scenario_str(p, n, "role", role, sizeof(role), "primary", false) < 0 ||
	    scenario_str(p, n, "source", source, sizeof(source), "", false) < 0)
		return -1;
	if (strcmp(role, "primary") != 0 && strcmp(role, "replica") != 0 && strcmp(role, "standalone") != 0)
		return scenario_fail_at(p, scenario_get(p, n, "role"), "role must be primary, replica or standalone");
	if (sim_world_db(w, ri, id))
		return scenario_fail_at(p, n, "database '%s' defined twice", id);
	db = add_db(w, ri, id);
	db->role = role[0] == 'p' ? SIM_DB_PRIMARY : role[0] == 'r' ? SIM_DB_REPLICA : SIM_DB_STANDALONE;
	if (scenario_str(p, n, "class", db->instance_class, sizeof(db->instance_class), "db.r6g.large", false) < 0 ||
	    scenario_bool(p, n, "multi_az", db->role == SIM_DB_PRIMARY, &db->multi_az) < 0)
		return -1;
	if (db->role == SIM_DB_REPLICA) {
		char *slash = strchr(source, '/');
		int sr = ri;
		struct sim_db *src;
		if (!source[0])
			return scenario_fail_at(p, n, "a replica needs 'source' (REGION/ID or ID)");
		if (slash) {
			*slash = '\0';
			sr = sim_world_region(w, source);
			if (sr < 0)
				return scenario_fail_at(p, scenario_get(p, n, "source"), "no region '%s' (define it first)", source);
		}
		src = sim_world_db(w, sr, slash ? slash + 1 : source);
		if (!src)
			return scenario_fail_at(p, scenario_get(p, n, "source"), "no database '%s' (define it first)",
				       slash ? slash + 1 : source);
		snprintf(db->source_arn, sizeof(db->source_arn), "%s", sr == ri ? src->id : src->arn);
		db->replica_lag_s = 0.4;
	}
	return 0;
}

/* Parse one region. */
int scenario_parse_region(struct parse *p, struct ytree *n)
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

	if (scenario_keys(p, n, keys) < 0 || scenario_str(p, n, "name", name, sizeof(name), NULL, true) < 0)
		return -1;
	if (sim_world_region(w, name) >= 0)
		return scenario_fail_at(p, n, "region '%s' defined twice", name);
	r = GROW(w->regions, w->n_regions);
	ri = (int)(w->n_regions - 1);
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->up = true;
	if (scenario_bool(p, n, "primary", false, &r->primary) < 0)
		return -1;
	for (k = 0; k < sizeof(parts) / sizeof(parts[0]); k++) {
		struct ytree **it;
		size_t cnt;
		if (scenario_seq(p, n, parts[k].key, &it, &cnt) < 0)
			return -1;
		for (i = 0; i < cnt; i++)
			if (parts[k].fn(p, it[i], ri) < 0)
				return -1;
	}
	return 0;
}

