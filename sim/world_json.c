/* world_json.c — the world as /_sim/state shows it (sim_world_to_json, sim/world.h). */
#include "sim/world.h"

#include <string.h>

#include "sim/asg_lt.h"
#include "sim/service.h"

/* A JSON string of a time. */
static json_t *jtime(double t_s)
{
	char buf[32];

	if (t_s <= 0)
		return json_null();
	sim_time_iso(t_s, buf);
	return json_string(buf);
}

/* The JSON of one region. */
static json_t *region_json(const struct sim_world *w, const struct sim_region *r)
{
	json_t *o = json_object(), *a;
	size_t i, k, l;

	(void)w;
	json_object_set_new(o, "name", json_string(r->name));
	json_object_set_new(o, "up", json_boolean(r->up));
	json_object_set_new(o, "primary", json_boolean(r->primary));
	a = json_array();
	for (i = 0; i < r->n_lbs; i++) {
		const struct sim_load_balancer *lb = &r->lbs[i];
		json_t *jl = json_array();
		for (l = 0; l < lb->n_listeners; l++) {
			const struct sim_listener *li = &lb->listeners[l];
			json_t *jr = json_array();
			for (k = 0; k < li->n_rules; k++) {
				const struct sim_rule *ru = &li->rules[k];
				json_t *jf = json_array();
				size_t f;
				for (f = 0; f < ru->n_fwd; f++)
					json_array_append_new(jf, json_pack("{s:s,s:i}", "target_group",
									    ru->fwd[f].tg_arn, "weight", ru->fwd[f].weight));
				static const char *const types[] = {
					[SIM_ACTION_FORWARD] = "forward", [SIM_ACTION_REDIRECT] = "redirect",
					[SIM_ACTION_FIXED_RESPONSE] = "fixed-response",
				};
				json_t *jc = json_array();
				for (size_t c = 0; c < ru->n_conditions; c++) {
					json_t *jv = json_array();
					for (size_t v = 0; v < ru->conditions[c].n_values; v++)
						json_array_append_new(jv, json_string(ru->conditions[c].values[v]));
					json_array_append_new(jc, json_pack("{s:s,s:o}", "field", ru->conditions[c].field,
									    "values", jv));
				}
				json_t *jru = json_pack("{s:s,s:s,s:s,s:o,s:o}", "arn", ru->arn, "priority", ru->priority,
							"action", types[ru->action], "conditions", jc, "forward", jf);
				/* "path": the first path pattern, as the scenario's rules name it */
				for (size_t c = 0; c < ru->n_conditions; c++)
					if (strcmp(ru->conditions[c].field, "path-pattern") == 0 && ru->conditions[c].n_values) {
						json_object_set_new(jru, "path", json_string(ru->conditions[c].values[0]));
						break;
					}
				json_array_append_new(jr, jru);
			}
			json_array_append_new(jl, json_pack("{s:s,s:i,s:o}", "arn", li->arn,
							    "port", li->port, "rules", jr));
		}
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:o}", "name", lb->name, "arn", lb->arn,
						   "dns_name", lb->dns_name, "listeners", jl));
	}
	json_object_set_new(o, "load_balancers", a);
	a = json_array();
	for (i = 0; i < r->n_tgs; i++) {
		const struct sim_target_group *tg = &r->tgs[i];
		json_t *jt = json_array();
		for (k = 0; k < tg->n_targets; k++) {
			const struct sim_target *t = &tg->targets[k];
			json_array_append_new(jt, json_pack("{s:s,s:i,s:s,s:s}", "id", t->id, "port", t->port,
							    "state", sim_target_state_name(t->state),
							    "reason", t->reason));
		}
		json_array_append_new(a, json_pack("{s:s,s:s,s:f,s:f,s:o}", "name", tg->name, "arn", tg->arn,
						   "error_rate", tg->error_rate, "slow_s", tg->slow_s, "targets", jt));
	}
	json_object_set_new(o, "target_groups", a);
	a = json_array();
	for (i = 0; i < r->n_asgs; i++) {
		const struct sim_asg *g = &r->asgs[i];
		json_t *ji = json_array(), *ja = json_array();
		for (k = 0; k < g->n_instances; k++)
			json_array_append_new(ji, json_pack("{s:s,s:s,s:s,s:i}", "id", g->instances[k].id,
							    "az", g->instances[k].az, "lifecycle",
							    sim_lifecycle_name(g->instances[k].lifecycle),
							    "lt_version", asg_lt_instance_version(&g->instances[k])));
		for (k = 0; k < g->n_activities; k++) {
			const struct sim_activity *ac = &g->activities[k];
			json_array_append_new(ja, json_pack("{s:s,s:s,s:s,s:o,s:o}", "id", ac->id,
							    "description", ac->description, "status", ac->status,
							    "start", jtime(ac->start_s), "end", jtime(ac->end_s)));
		}
		json_array_append_new(a, json_pack("{s:s,s:i,s:i,s:i,s:o,s:o}", "name", g->name,
						   "min", g->min_size, "max", g->max_size, "desired", g->desired,
						   "instances", ji, "activities", ja));
	}
	json_object_set_new(o, "auto_scaling_groups", a);
	a = json_array();
	for (i = 0; i < r->n_dbs; i++) {
		static const char *const roles[] = { "primary", "replica", "standalone" };
		const struct sim_db *db = &r->dbs[i];
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:f}", "id", db->id, "role", roles[db->role],
						   "status", db->status, "source", db->source_arn,
						   "replica_lag_s", db->replica_lag_s));
	}
	json_object_set_new(o, "databases", a);
	json_object_set_new(o, "redis", json_pack("{s:i,s:i,s:I}", "primary_node", r->redis.primary + 1, "replacing_node",
						  r->redis.replaced_until_s > w->now_s ? r->redis.replaced + 1 : 0,
						  "sessions_lost", (json_int_t)r->redis.losses));
	return o;
}

json_t *sim_world_to_json(const struct sim_world *w)
{
	json_t *o = json_object(), *a;
	size_t i, k;

	json_object_set_new(o, "scenario", json_string(w->scenario));
	json_object_set_new(o, "account", json_string(w->account));
	json_object_set_new(o, "seed", json_integer((json_int_t)w->seed));
	json_object_set_new(o, "now", jtime(w->now_s));
	json_object_set_new(o, "elapsed_s", json_real(w->now_s - w->start_s));
	json_object_set_new(o, "time_scale", json_real(w->time_scale));
	a = json_array();
	for (i = 0; i < w->n_regions; i++)
		json_array_append_new(a, region_json(w, &w->regions[i]));
	json_object_set_new(o, "regions", a);
	a = json_array();
	for (i = 0; i < w->n_zones; i++) {
		const struct sim_zone *z = &w->zones[i];
		json_t *jr = json_array();
		for (k = 0; k < z->n_records; k++) {
			const struct sim_record *rec = &z->records[k];
			json_array_append_new(jr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "name", rec->name,
							    "type", rec->type, "set_id", rec->set_id,
							    "failover", rec->failover, "alias_dns", rec->alias_dns,
							    "health_check_id", rec->health_check_id));
		}
		json_array_append_new(a, json_pack("{s:s,s:s,s:o}", "id", z->id, "name", z->name,
						   "records", jr));
	}
	json_object_set_new(o, "zones", a);
	a = json_array();
	for (i = 0; i < w->n_checks; i++) {
		const struct sim_health_check *c = &w->checks[i];
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:b,s:b,s:b}", "id", c->id, "type", c->type,
						   "fqdn", c->fqdn,
						   "region", c->region >= 0 ? w->regions[c->region].name : "",
						   "inverted", c->inverted, "disabled", c->disabled,
						   "healthy", c->healthy));
	}
	json_object_set_new(o, "health_checks", a);
	a = json_array();
	for (i = 0; i < w->n_controls; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "name", w->controls[i].name,
						   "arn", w->controls[i].arn, "on", w->controls[i].on));
	json_object_set_new(o, "routing_controls", a);
	return o;
}
