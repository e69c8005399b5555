/* world.c — the simulated world's state and how it moves (see world.h). */
#include "sim/world.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "sim/asg_lt.h"
#include "sim/service.h"

/* splitmix64: the world's deterministic random stream. */
static uint64_t next_u64(struct sim_world *w)
{
	uint64_t z = (w->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

double sim_world_rand(struct sim_world *w)
{
	return (double)(next_u64(w) >> 11) / 9007199254740992.0;
}

void sim_world_new_id(struct sim_world *w, const char *prefix, char *out, size_t size)
{
	snprintf(out, size, "%s%017llx", prefix, (unsigned long long)(next_u64(w) & 0xfffffffffffffffULL));
}

void sim_world_uuid(struct sim_world *w, char out[37])
{
	uint64_t a = next_u64(w), b = next_u64(w);

	snprintf(out, 37, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
		 (unsigned)((a >> 16) & 0xffff), (unsigned)(a & 0xfff),
		 (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
		 (unsigned long long)(b & 0xffffffffffffULL));
}

double sim_world_dur(const struct sim_world *w, double aws_s)
{
	return w->time_scale > 0 ? aws_s / w->time_scale : aws_s;
}

int sim_world_region(const struct sim_world *w, const char *name)
{
	size_t i;

	if (!name)
		return -1;
	for (i = 0; i < w->n_regions; i++)
		if (strcmp(w->regions[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Does a name or ARN given in a region (or -1) designate an object of region r? */
static bool names(int region, size_t r, const char *name, const char *arn, const char *key)
{
	if (strcmp(arn, key) == 0)
		return true;
	return (region < 0 || (size_t)region == r) && strcmp(name, key) == 0;
}

struct sim_target_group *sim_world_tg(struct sim_world *w, int region, const char *name_or_arn)
{
	size_t r, i;

	for (r = 0; r < w->n_regions; r++)
		for (i = 0; i < w->regions[r].n_tgs; i++) {
			struct sim_target_group *tg = &w->regions[r].tgs[i];
			if (names(region, r, tg->name, tg->arn, name_or_arn))
				return tg;
		}
	return NULL;
}

struct sim_asg *sim_world_asg(struct sim_world *w, int region, const char *name)
{
	size_t r, i;

	for (r = 0; r < w->n_regions; r++)
		for (i = 0; i < w->regions[r].n_asgs; i++)
			if (names(region, r, w->regions[r].asgs[i].name, w->regions[r].asgs[i].arn, name))
				return &w->regions[r].asgs[i];
	return NULL;
}

struct sim_load_balancer *sim_world_lb(struct sim_world *w, int region, const char *name_or_arn)
{
	size_t r, i;

	for (r = 0; r < w->n_regions; r++)
		for (i = 0; i < w->regions[r].n_lbs; i++) {
			struct sim_load_balancer *lb = &w->regions[r].lbs[i];
			if (names(region, r, lb->name, lb->arn, name_or_arn))
				return lb;
		}
	return NULL;
}

struct sim_listener *sim_world_listener(struct sim_world *w, const char *arn)
{
	size_t r, i, l;

	for (r = 0; r < w->n_regions; r++)
		for (i = 0; i < w->regions[r].n_lbs; i++)
			for (l = 0; l < w->regions[r].lbs[i].n_listeners; l++)
				if (strcmp(w->regions[r].lbs[i].listeners[l].arn, arn) == 0)
					return &w->regions[r].lbs[i].listeners[l];
	return NULL;
}

struct sim_rule *sim_world_rule(struct sim_world *w, const char *arn)
{
	size_t r, i, l, k;

	for (r = 0; r < w->n_regions; r++)
		for (i = 0; i < w->regions[r].n_lbs; i++)
			for (l = 0; l < w->regions[r].lbs[i].n_listeners; l++) {
				struct sim_listener *li = &w->regions[r].lbs[i].listeners[l];
				for (k = 0; k < li->n_rules; k++)
					if (strcmp(li->rules[k].arn, arn) == 0)
						return &li->rules[k];
			}
	return NULL;
}

int sim_world_db_source_region(const struct sim_world *w, const struct sim_db *db)
{
	size_t r, i;

	for (r = 0; db->role == SIM_DB_REPLICA && r < w->n_regions; r++)
		for (i = 0; i < w->regions[r].n_dbs; i++) {
			const struct sim_db *s = &w->regions[r].dbs[i];
			if (strcmp(db->source_arn, s->arn) == 0 ||
			    (s->region == db->region && strcmp(db->source_arn, s->id) == 0))
				return (int)r;
		}
	return -1;
}

struct sim_db *sim_world_db(struct sim_world *w, int region, const char *id_or_arn)
{
	size_t r, i;

	for (r = 0; r < w->n_regions; r++)
		for (i = 0; i < w->regions[r].n_dbs; i++) {
			struct sim_db *db = &w->regions[r].dbs[i];
			if (names(region, r, db->id, db->arn, id_or_arn))
				return db;
		}
	return NULL;
}

struct sim_zone *sim_world_zone(struct sim_world *w, const char *id)
{
	size_t i;

	for (i = 0; i < w->n_zones; i++)
		if (strcmp(w->zones[i].id, id) == 0)
			return &w->zones[i];
	return NULL;
}

struct sim_health_check *sim_world_check(struct sim_world *w, const char *id)
{
	size_t i;

	for (i = 0; i < w->n_checks; i++)
		if (strcmp(w->checks[i].id, id) == 0)
			return &w->checks[i];
	return NULL;
}

const char *sim_lifecycle_name(enum sim_lifecycle lc)
{
	static const char *const names[] = {
		[SIM_LC_PENDING] = "Pending",
		[SIM_LC_INSERVICE] = "InService",
		[SIM_LC_TERMINATING] = "Terminating",
		[SIM_LC_TERMINATED] = "Terminated",
	};
	return names[lc];
}

const char *sim_target_state_name(enum sim_target_state st)
{
	static const char *const names[] = {
		[SIM_TH_INITIAL] = "initial",
		[SIM_TH_HEALTHY] = "healthy",
		[SIM_TH_UNHEALTHY] = "unhealthy",
		[SIM_TH_UNUSED] = "unused",
		[SIM_TH_DRAINING] = "draining",
	};
	return names[st];
}

void sim_world_tg_counts(const struct sim_target_group *tg, int *healthy, int *unhealthy)
{
	size_t i;

	*healthy = *unhealthy = 0;
	for (i = 0; i < tg->n_targets; i++) {
		if (tg->targets[i].state == SIM_TH_HEALTHY)
			(*healthy)++;
		else if (tg->targets[i].state != SIM_TH_UNUSED)
			(*unhealthy)++;
	}
}

bool sim_world_region_serving(const struct sim_world *w, int region)
{
	const struct sim_region *r;
	size_t i, l, k;

	if (region < 0 || (size_t)region >= w->n_regions)
		return false;
	r = &w->regions[region];
	if (!r->up)
		return false;
	for (i = 0; i < r->n_lbs; i++)
		for (l = 0; l < r->lbs[i].n_listeners; l++) {
			const struct sim_rule *def = &r->lbs[i].listeners[l].rules[0];
			for (k = 0; k < def->n_fwd; k++) {
				struct sim_target_group *tg;
				int h, u;
				if (def->fwd[k].weight <= 0)
					continue;
				tg = sim_world_tg((struct sim_world *)w, region, def->fwd[k].tg_arn);
				if (!tg)
					continue;
				sim_world_tg_counts(tg, &h, &u);
				if (h > 0)
					return true;
			}
		}
	return false;
}

/* Set a target's state with the reason and description AWS gives for it. */
static void target_set(struct sim_target *t, enum sim_target_state st, const char *reason,
		       const char *desc, double at_s)
{
	if (t->state != st)
		t->state_since_s = at_s;
	t->state = st;
	snprintf(t->reason, sizeof(t->reason), "%s", reason ? reason : "");
	snprintf(t->description, sizeof(t->description), "%s", desc ? desc : "");
}

/* Register an instance with a target group: state initial until it passes checks. */
static void tg_register(struct sim_world *w, struct sim_target_group *tg,
			const struct sim_instance *in, double at_s)
{
	struct sim_target *t;
	size_t i;

	for (i = 0; i < tg->n_targets; i++)
		if (strcmp(tg->targets[i].id, in->id) == 0)
			return;
	tg->targets = xrealloc(tg->targets, (tg->n_targets + 1) * sizeof(*tg->targets));
	t = &tg->targets[tg->n_targets++];
	memset(t, 0, sizeof(*t));
	snprintf(t->id, sizeof(t->id), "%s", in->id);
	snprintf(t->az, sizeof(t->az), "%s", in->az);
	t->port = tg->port;
	target_set(t, SIM_TH_INITIAL, "Elb.RegistrationInProgress",
		   "Target registration is in progress", at_s);
	t->next_check_s = at_s + sim_world_dur(w, w->timing.health_interval_s);
}

/* The target of an instance in a target group, or NULL. */
static struct sim_target *tg_target(struct sim_target_group *tg, const char *id)
{
	size_t i;

	for (i = 0; i < tg->n_targets; i++)
		if (strcmp(tg->targets[i].id, id) == 0)
			return &tg->targets[i];
	return NULL;
}

/* Remove a target from its group. */
static void tg_remove(struct sim_target_group *tg, const char *id)
{
	size_t i;

	for (i = 0; i < tg->n_targets; i++)
		if (strcmp(tg->targets[i].id, id) == 0) {
			memmove(&tg->targets[i], &tg->targets[i + 1],
				(tg->n_targets - i - 1) * sizeof(*tg->targets));
			tg->n_targets--;
			return;
		}
}

/* Append a scaling activity to an ASG and return it (valid until the next append). */
static struct sim_activity *activity_add(struct sim_world *w, struct sim_asg *g, bool launch,
					 const char *instance_id, const char *cause, int from, int to)
{
	struct sim_activity *a;
	char when[32];

	if (g->n_activities >= SIM_ACTIVITIES_MAX) {   /* keep the newest */
		memmove(&g->activities[0], &g->activities[1], (g->n_activities - 1) * sizeof(*g->activities));
		g->n_activities--;
	}
	g->activities = xrealloc(g->activities, (g->n_activities + 1) * sizeof(*g->activities));
	a = &g->activities[g->n_activities++];
	memset(a, 0, sizeof(*a));
	sim_world_uuid(w, a->id);
	a->launch = launch;
	a->start_s = w->now_s;
	a->progress = 0;
	snprintf(a->status, sizeof(a->status), "%s", launch ? "PreInService" : "WaitingForELBConnectionDraining");
	snprintf(a->instance_id, sizeof(a->instance_id), "%s", instance_id);
	snprintf(a->description, sizeof(a->description), "%s EC2 instance: %s",
		 launch ? "Launching a new" : "Terminating", instance_id);
	sim_time_iso(w->now_s, when);
	snprintf(a->cause, sizeof(a->cause), "At %s %s changing the desired capacity from %d to %d.  "
		 "At %s an instance was %s in response to a difference between desired and actual capacity, "
		 "%s the capacity from %d to %d.", when, cause, from, to, when,
		 launch ? "started" : "taken out of service",
		 launch ? "increasing" : "shrinking", from, to);
	return a;
}

/* Launch one instance into an ASG (Pending). */
static struct sim_instance *instance_launch(struct sim_world *w, struct sim_asg *g, bool in_service)
{
	struct sim_instance *in;
	static const char azs[] = "acbd";
	const struct sim_region *r = &w->regions[g->region];

	g->instances = xrealloc(g->instances, (g->n_instances + 1) * sizeof(*g->instances));
	in = &g->instances[g->n_instances++];
	memset(in, 0, sizeof(*in));
	sim_world_new_id(w, "i-", in->id, sizeof(in->id));
	snprintf(in->az, sizeof(in->az), "%s%c", r->name, azs[(g->n_instances - 1) % 2]);
	snprintf(in->instance_type, sizeof(in->instance_type), "t3.medium");
	in->lifecycle = in_service ? SIM_LC_INSERVICE : SIM_LC_PENDING;
	in->launched_s = in->state_since_s = w->now_s;
	in->healthy = true;
	in->lt_version = asg_lt_resolve(w, g);
	return in;
}

/* Take an instance out of service: draining, then terminated (tick_asg). */
static void instance_terminate(struct sim_world *w, struct sim_asg *g, struct sim_instance *in,
			       const char *cause, int from, int to)
{
	struct sim_target_group *tg = g->tg[0] ? sim_world_tg(w, g->region, g->tg) : NULL;
	struct sim_target *t = tg ? tg_target(tg, in->id) : NULL;

	in->lifecycle = SIM_LC_TERMINATING;
	in->state_since_s = w->now_s;
	if (t)
		target_set(t, SIM_TH_DRAINING, "Target.DeregistrationInProgress",
			   "Target deregistration is in progress", w->now_s);
	activity_add(w, g, false, in->id, cause, from, to);
}

struct sim_instance *sim_world_replace(struct sim_world *w, struct sim_asg *g, size_t i, const char *cause)
{
	struct sim_instance *in;
	char id[32];

	instance_terminate(w, g, &g->instances[i], cause, g->desired, g->desired);
	in = instance_launch(w, g, false);
	snprintf(id, sizeof(id), "%s", in->id);
	activity_add(w, g, true, id, cause, g->desired, g->desired);
	return in;
}

/* Count instances that are not on their way out. */
static int asg_live(const struct sim_asg *g)
{
	size_t i;
	int n = 0;

	for (i = 0; i < g->n_instances; i++)
		if (g->instances[i].lifecycle == SIM_LC_PENDING ||
		    g->instances[i].lifecycle == SIM_LC_INSERVICE)
			n++;
	return n;
}

int sim_world_set_desired(struct sim_world *w, struct sim_asg *g, int desired,
			  const char *cause, struct fd_error *err)
{
	int live, from;

	if (desired < g->min_size || desired > g->max_size)
		return fd_error_set(err, "ValidationError",
				    "New SetDesiredCapacity value %d is %s %s value %d for the AutoScalingGroup.",
				    desired, desired < g->min_size ? "below" : "above",
				    desired < g->min_size ? "min" : "max",
				    desired < g->min_size ? g->min_size : g->max_size);
	from = g->desired;
	g->desired = desired;
	live = asg_live(g);
	while (live < desired) {
		struct sim_instance *in = instance_launch(w, g, false);
		char id[32];
		snprintf(id, sizeof(id), "%s", in->id);
		activity_add(w, g, true, id, cause, from, desired);
		live++;
	}
	while (live > desired) {
		/* terminate the newest live instance */
		size_t i = g->n_instances;
		while (i-- > 0) {
			struct sim_instance *in = &g->instances[i];
			if (in->lifecycle == SIM_LC_PENDING || in->lifecycle == SIM_LC_INSERVICE) {
				instance_terminate(w, g, in, cause, from, desired);
				break;
			}
		}
		live--;
	}
	return 0;
}

int sim_world_create_replica(struct sim_world *w, int ri, const char *id, const struct sim_db *src,
			     const char *instance_class, struct fd_error *err)
{
	struct sim_region *r = &w->regions[ri];
	struct sim_db copy = *src, *db;   /* src may live in the array that grows */
	size_t i;

	for (i = 0; i < r->n_dbs; i++)
		if (strcmp(r->dbs[i].id, id) == 0)
			return fd_error_set(err, "DBInstanceAlreadyExists", "DB instance already exists");
	if (strcmp(copy.status, "available") != 0)
		return fd_error_set(err, "InvalidDBInstanceState",
				    "DB Instance %s is not in available state.", copy.id);
	r->dbs = xrealloc(r->dbs, (r->n_dbs + 1) * sizeof(*r->dbs));
	db = &r->dbs[r->n_dbs++];
	*db = copy;
	db->region = ri;
	snprintf(db->id, sizeof(db->id), "%s", id);
	snprintf(db->arn, sizeof(db->arn), "arn:aws:rds:%s:%s:db:%s", r->name, w->account, id);
	if (instance_class && *instance_class)
		snprintf(db->instance_class, sizeof(db->instance_class), "%s", instance_class);
	snprintf(db->az, sizeof(db->az), "%sa", r->name);
	snprintf(db->endpoint, sizeof(db->endpoint), "%s.c%010llx.%s.rds.amazonaws.com", id,
		 (unsigned long long)(sim_world_rand(w) * 1e12), r->name);
	snprintf(db->status, sizeof(db->status), "creating");
	snprintf(db->source_arn, sizeof(db->source_arn), "%s", copy.region == ri ? copy.id : copy.arn);
	db->role = SIM_DB_REPLICA;
	db->multi_az = false;
	db->created_s = w->now_s;
	db->promote_done_s = 0;
	db->create_done_s = w->now_s + sim_world_dur(w, w->timing.promote_s);
	db->replica_lag_s = 0.4;
	return 0;
}

int sim_world_promote(struct sim_world *w, struct sim_db *db, struct fd_error *err)
{
	if (db->role != SIM_DB_REPLICA)
		return fd_error_set(err, "InvalidDBInstanceState",
				    "DB Instance is not a read replica.");
	if (db->promote_done_s > 0)
		return fd_error_set(err, "InvalidDBInstanceState",
				    "DB Instance %s is already being promoted.", db->id);
	snprintf(db->status, sizeof(db->status), "modifying");
	db->promote_done_s = w->now_s + sim_world_dur(w, w->timing.promote_s);
	return 0;
}

/* The activity of an ASG that concerns an instance, still open; NULL when none. */
static struct sim_activity *open_activity(struct sim_asg *g, const char *id)
{
	size_t i;

	for (i = 0; i < g->n_activities; i++)
		if (g->activities[i].end_s == 0 && strcmp(g->activities[i].instance_id, id) == 0)
			return &g->activities[i];
	return NULL;
}

/* Move the instances of one ASG: boot, register, drain, terminate. */
static void tick_asg(struct sim_world *w, struct sim_asg *g, double now_s)
{
	struct sim_target_group *tg = g->tg[0] ? sim_world_tg(w, g->region, g->tg) : NULL;
	size_t i = 0;

	while (i < g->n_instances) {
		struct sim_instance *in = &g->instances[i];
		struct sim_activity *a;
		if (in->lifecycle == SIM_LC_PENDING) {
			double at = in->state_since_s + sim_world_dur(w, w->timing.boot_s);
			a = open_activity(g, in->id);
			if (a && a->progress < 30) {
				a->progress = 30;
				snprintf(a->status, sizeof(a->status), "MidLifecycleAction");
			}
			if (at <= now_s) {
				in->lifecycle = SIM_LC_INSERVICE;
				in->state_since_s = at;
				if (tg)
					tg_register(w, tg, in, at);
				if (a) {
					a->end_s = at;
					a->progress = 100;
					snprintf(a->status, sizeof(a->status), "Successful");
				}
			}
		} else if (in->lifecycle == SIM_LC_TERMINATING) {
			double at = in->state_since_s + sim_world_dur(w, w->timing.drain_s);
			if (at <= now_s) {
				a = open_activity(g, in->id);
				if (tg)
					tg_remove(tg, in->id);
				if (a) {
					a->end_s = at;
					a->progress = 100;
					snprintf(a->status, sizeof(a->status), "Successful");
				}
				memmove(&g->instances[i], &g->instances[i + 1],
					(g->n_instances - i - 1) * sizeof(*g->instances));
				g->n_instances--;
				continue;
			}
		}
		i++;
	}
	asg_lt_tick(w, g, now_s);
}

/* Is the instance behind a target in service (so it can answer checks)? */
static bool target_instance_up(struct sim_world *w, struct sim_target_group *tg, const char *id)
{
	struct sim_asg *g = tg->asg[0] ? sim_world_asg(w, tg->region, tg->asg) : NULL;
	size_t i;

	if (!g)
		return true;
	for (i = 0; i < g->n_instances; i++)
		if (strcmp(g->instances[i].id, id) == 0)
			return g->instances[i].lifecycle == SIM_LC_INSERVICE;
	return false;
}

/* Run the ALB health checks of one target group that are due by now_s. */
static void tick_tg(struct sim_world *w, struct sim_target_group *tg, double now_s)
{
	const struct sim_timing *tm = &w->timing;
	double interval_s = sim_world_dur(w, tm->health_interval_s);
	bool region_up = w->regions[tg->region].up;
	bool app_ok;
	size_t i;

	for (i = 0; i < tg->n_targets; i++) {
		struct sim_target *t = &tg->targets[i];
		int rounds = 0;
		app_ok = asg_lt_target_error_rate(w, tg, t->id) < tm->error_rate_healthy;
		if (t->state == SIM_TH_DRAINING || t->state == SIM_TH_UNUSED)
			continue;
		while (t->next_check_s <= now_s && rounds < 16) {
			double at = t->next_check_s;
			bool pass = region_up && app_ok && target_instance_up(w, tg, t->id);
			t->next_check_s += interval_s;
			rounds++;
			if (pass) {
				t->pass_streak++;
				t->fail_streak = 0;
				if (t->state != SIM_TH_HEALTHY && t->pass_streak >= tm->healthy_threshold)
					target_set(t, SIM_TH_HEALTHY, "", "", at);
			} else {
				t->fail_streak++;
				t->pass_streak = 0;
				if (t->state != SIM_TH_UNHEALTHY && t->fail_streak >= tm->unhealthy_threshold) {
					if (!region_up)
						target_set(t, SIM_TH_UNHEALTHY, "Target.Timeout",
							   "Request timed out", at);
					else if (!app_ok)
						target_set(t, SIM_TH_UNHEALTHY, "Target.ResponseCodeMismatch",
							   "Health checks failed with these codes: [500]", at);
					else
						target_set(t, SIM_TH_UNHEALTHY, "Target.FailedHealthChecks",
							   "Health checks failed", at);
				}
			}
		}
		if (t->next_check_s <= now_s)   /* a long gap: skip ahead */
			t->next_check_s = now_s + interval_s;
	}
}

void sim_world_tick(struct sim_world *w, double now_s)
{
	size_t r, i;

	if (now_s < w->now_s)
		now_s = w->now_s;
	for (r = 0; r < w->n_regions; r++) {
		struct sim_region *reg = &w->regions[r];
		for (i = 0; i < reg->n_asgs; i++)
			tick_asg(w, &reg->asgs[i], now_s);
		for (i = 0; i < reg->n_tgs; i++)
			tick_tg(w, &reg->tgs[i], now_s);
		for (i = 0; i < reg->n_dbs; i++) {
			struct sim_db *db = &reg->dbs[i];
			if (db->create_done_s > 0 && db->create_done_s <= now_s) {
				db->create_done_s = 0;
				snprintf(db->status, sizeof(db->status), "available");
			}
			if (db->promote_done_s > 0 && db->promote_done_s <= now_s) {
				db->role = SIM_DB_STANDALONE;
				db->source_arn[0] = '\0';
				db->promote_done_s = 0;
				db->replica_lag_s = 0;
				snprintf(db->status, sizeof(db->status), "available");
			}
		}
	}
	r53health_tick(w, now_s);
	w->now_s = now_s;
}

/* Free one region's arrays. */
static void region_clean_up(struct sim_region *r)
{
	size_t i, l;

	for (i = 0; i < r->n_lbs; i++) {
		for (l = 0; l < r->lbs[i].n_listeners; l++)
			free(r->lbs[i].listeners[l].rules);
		free(r->lbs[i].listeners);
	}
	free(r->lbs);
	for (i = 0; i < r->n_tgs; i++)
		free(r->tgs[i].targets);
	free(r->tgs);
	for (i = 0; i < r->n_asgs; i++) {
		free(r->asgs[i].instances);
		free(r->asgs[i].activities);
		free(r->asgs[i].policies);
	}
	free(r->asgs);
	free(r->dbs);
}

void sim_world_destroy(struct sim_world *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; i < w->n_regions; i++)
		region_clean_up(&w->regions[i]);
	free(w->regions);
	for (i = 0; i < w->n_zones; i++)
		free(w->zones[i].records);
	free(w->zones);
	free(w->checks);
	free(w->controls);
	free(w->changes);
	free(w->paging);
	free(w);
}
