/* asg_lt.c — launch template versions in the world: every group owns one template
 * (named in the scenario) with versions 1 and 2 ($Default and $Latest) to start
 * with; the new-version fault releases version N+1 ($Latest, $Default unchanged),
 * as a pipeline's build does, and a bad build answers 5xx at its rate on every
 * target running it. A group is set to a version ($Latest unless
 * UpdateAutoScalingGroup said otherwise); an instance runs the version it was
 * launched from until it is replaced: by scale-out, or by an instance refresh,
 * which replaces the instances launched before it one at a time, each counting
 * once InService, healthy in its target group and warm.
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-instance-refresh.html */
#include "sim/asg_lt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LT_START_VERSIONS 2

int asg_lt_count(const struct sim_asg *g)
{
	return g->lt_versions > 0 ? g->lt_versions : LT_START_VERSIONS;
}

int asg_lt_default(const struct sim_asg *g)
{
	return g->lt_default > 0 ? g->lt_default : LT_START_VERSIONS;
}

int asg_lt_instance_version(const struct sim_instance *in)
{
	return in->lt_version > 0 ? in->lt_version : LT_START_VERSIONS;
}

const char *asg_lt_spec(const struct sim_asg *g)
{
	return g->lt_spec[0] ? g->lt_spec : "$Latest";
}

void asg_lt_id(const struct sim_asg *g, char out[40])
{
	snprintf(out, 40, "lt-0%.16s", g->arn + strlen(g->arn) - 16);
}

struct sim_asg *asg_lt_owner(const struct sim_world *w, int r, const char *name, const char *id)
{
	char have[40];

	for (size_t i = 0; r >= 0 && (size_t)r < w->n_regions && i < w->regions[r].n_asgs; i++) {
		struct sim_asg *g = &w->regions[r].asgs[i];
		asg_lt_id(g, have);
		if ((name && strcmp(g->launch_template, name) == 0) || (id && strcmp(have, id) == 0))
			return g;
	}
	return NULL;
}

int asg_lt_version_of(const struct sim_asg *owner, const char *spec)
{
	char *end;
	long v;

	if (strcmp(spec, "$Latest") == 0)
		return asg_lt_count(owner);
	if (strcmp(spec, "$Default") == 0)
		return asg_lt_default(owner);
	v = strtol(spec, &end, 10);
	return *spec && !*end && v >= 1 && v <= asg_lt_count(owner) ? (int)v : 0;
}

int asg_lt_resolve(const struct sim_world *w, const struct sim_asg *g)
{
	const struct sim_asg *owner = asg_lt_owner(w, g->region, g->launch_template, NULL);
	int v = owner ? asg_lt_version_of(owner, asg_lt_spec(g)) : 0;

	return v > 0 ? v : LT_START_VERSIONS;
}

double asg_lt_target_error_rate(const struct sim_world *w, const struct sim_target_group *tg, const char *id)
{
	const struct sim_region *r = &w->regions[tg->region];
	double rate = tg->error_rate;

	for (size_t i = 0; tg->asg[0] && i < r->n_asgs; i++) {
		const struct sim_asg *g = &r->asgs[i], *owner;
		if (strcmp(g->name, tg->asg) != 0)
			continue;
		owner = asg_lt_owner(w, g->region, g->launch_template, NULL);
		for (size_t k = 0; owner && k < g->n_instances; k++)
			if (strcmp(g->instances[k].id, id) == 0) {
				double bad = owner->lt_bad_rate[asg_lt_instance_version(&g->instances[k])];
				return bad > rate ? bad : rate;
			}
	}
	return rate;
}

double asg_lt_tg_error_rate(const struct sim_world *w, const struct sim_target_group *tg)
{
	double sum = 0;
	int n = 0;

	for (size_t i = 0; i < tg->n_targets; i++)
		if (tg->targets[i].state == SIM_TH_HEALTHY) {
			sum += asg_lt_target_error_rate(w, tg, tg->targets[i].id);
			n++;
		}
	return n ? sum / n : tg->error_rate;
}

int asg_lt_release(struct sim_world *w, const char *template_name, double rate)
{
	int done = 0;

	/* a name alone means that template in every region */
	for (size_t r = 0; r < w->n_regions; r++) {
		struct sim_asg *g = asg_lt_owner(w, (int)r, template_name, NULL);
		int v;
		if (!g || asg_lt_count(g) >= SIM_LT_VERSIONS_MAX)
			continue;
		v = asg_lt_count(g) + 1;
		g->lt_default = asg_lt_default(g);
		g->lt_versions = v;
		g->lt_bad_rate[v] = rate;
		done++;
	}
	return done ? 0 : -1;
}

void asg_lt_clear(struct sim_world *w)
{
	for (size_t r = 0; r < w->n_regions; r++)
		for (size_t i = 0; i < w->regions[r].n_asgs; i++)
			memset(w->regions[r].asgs[i].lt_bad_rate, 0, sizeof(w->regions[r].asgs[i].lt_bad_rate));
}

/* The index of instance id in g, or -1. */
static long instance_index(const struct sim_asg *g, const char *id)
{
	for (size_t i = 0; i < g->n_instances; i++)
		if (strcmp(g->instances[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* The state of instance id's target in g's target group; SIM_TH_HEALTHY without one. */
static enum sim_target_state target_state(struct sim_world *w, const struct sim_asg *g, const char *id)
{
	struct sim_target_group *tg = g->tg[0] ? sim_world_tg(w, g->region, g->tg) : NULL;

	if (!tg)
		return SIM_TH_HEALTHY;
	for (size_t i = 0; i < tg->n_targets; i++)
		if (strcmp(tg->targets[i].id, id) == 0)
			return tg->targets[i].state;
	return SIM_TH_INITIAL;
}

void asg_lt_tick(struct sim_world *w, struct sim_asg *g, double now_s)
{
	struct sim_refresh *f = g->n_refreshes ? &g->refreshes[g->n_refreshes - 1] : NULL;
	long k;

	if (f && strcmp(f->status, "Cancelling") == 0) {   /* cancelled: no more replacements */
		snprintf(f->status, sizeof(f->status), "Cancelled");
		f->end_s = now_s;
		return;
	}
	if (!f || strcmp(f->status, "InProgress") != 0)
		return;
	if (f->current[0]) {
		k = instance_index(g, f->current);
		if (k < 0 || g->instances[k].lifecycle != SIM_LC_INSERVICE) {
			if (k < 0)
				f->current[0] = '\0';   /* gone: replace the next one */
			return;
		}
		switch (target_state(w, g, f->current)) {
		case SIM_TH_UNHEALTHY:
			snprintf(f->status, sizeof(f->status), "Failed");
			f->end_s = now_s;
			return;
		case SIM_TH_HEALTHY:
			break;
		default:
			return;
		}
		if (f->current_ready_s == 0)
			f->current_ready_s = now_s + f->warmup_s;
		if (now_s < f->current_ready_s)
			return;
		f->done++;
		f->current[0] = '\0';
	}
	for (k = 0; k < (long)g->n_instances; k++) {
		const struct sim_instance *in = &g->instances[k];
		if (in->launched_s < f->start_s &&
		    (in->lifecycle == SIM_LC_PENDING || in->lifecycle == SIM_LC_INSERVICE))
			break;
	}
	if (k == (long)g->n_instances || f->done >= f->total) {
		snprintf(f->status, sizeof(f->status), "Successful");
		f->end_s = now_s;
		return;
	}
	snprintf(f->current, sizeof(f->current), "%s",
		 sim_world_replace(w, g, (size_t)k, "an instance refresh")->id);
	f->current_ready_s = 0;
}
