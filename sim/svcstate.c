/* svcstate.c — per-world state of the sim services (see svcstate.h). */
#include "sim/svcstate.h"

#include "base/xalloc.h"
#include "sim/route53.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct svcstate **registry;
static size_t n_registry;

/* Free one state. */
static void state_free(struct svcstate *st)
{
	traffic_destroy(st->traffic);
	alarms_destroy(st->alarms);
	free(st);
}

struct svcstate *svcstate_get(struct sim_world *w)
{
	struct svcstate *st = NULL;
	double shares[SVCSTATE_REGIONS_MAX * 4];

	pthread_mutex_lock(&registry_lock);
	for (size_t i = 0; i < n_registry; i++) {
		if (registry[i]->world != w)
			continue;
		if (registry[i]->world_start_s == w->start_s && registry[i]->world_seed == w->seed) {
			st = registry[i];
		} else {   /* a new world at a recycled address */
			state_free(registry[i]);
			registry[i] = registry[--n_registry];
		}
		break;
	}
	if (!st) {
		st = xcalloc(1, sizeof(*st));
		st->world = w;
		st->world_start_s = w->start_s;
		st->world_seed = w->seed;
		st->traffic = traffic_new(w->seed);
		registry = xrealloc(registry, (n_registry + 1) * sizeof(*registry));
		registry[n_registry++] = st;
	}
	pthread_mutex_unlock(&registry_lock);
	if (!st->ready) {   /* finish outside the registry lock */
		st->ready = true;
		svcstate_region_shares(w, shares);
		traffic_observe(st->traffic, w, w->start_s, shares);
		st->alarms = alarms_new(w, st->traffic, w->now_s);
	}
	return st;
}

void svcstate_region_shares(struct sim_world *w, double *shares)
{
	int r = route53_answer_region(w);

	for (size_t i = 0; i < w->n_regions; i++)
		shares[i] = (int)i == r ? 1.0 : 0.0;
	if (r < 0)   /* no failover records: the primary region takes the traffic */
		for (size_t i = 0; i < w->n_regions; i++)
			shares[i] = w->regions[i].primary ? 1.0 : 0.0;
}

/* The latest moment in (after_s, now_s] at which the world records a change
 * (targets, instances, Route 53 health checks), or now_s when none: when the
 * services were not called for a while, a change is dated when it happened
 * rather than when it was first seen. */
static double change_time(const struct sim_world *w, double after_s, double now_s)
{
	double t = -1;

	for (size_t r = 0; r < w->n_regions; r++) {
		const struct sim_region *rg = &w->regions[r];
		for (size_t g = 0; g < rg->n_tgs; g++)
			for (size_t i = 0; i < rg->tgs[g].n_targets; i++)
				if (rg->tgs[g].targets[i].state_since_s > t && rg->tgs[g].targets[i].state_since_s <= now_s)
					t = rg->tgs[g].targets[i].state_since_s;
		for (size_t a = 0; a < rg->n_asgs; a++)
			for (size_t i = 0; i < rg->asgs[a].n_instances; i++)
				if (rg->asgs[a].instances[i].state_since_s > t && rg->asgs[a].instances[i].state_since_s <= now_s)
					t = rg->asgs[a].instances[i].state_since_s;
	}
	for (size_t i = 0; i < w->n_checks; i++)
		if (w->checks[i].changed_s > t && w->checks[i].changed_s <= now_s)
			t = w->checks[i].changed_s;
	return t > after_s ? t : now_s;
}

void sim_services_tick(struct sim_world *w)
{
	struct svcstate *st = svcstate_get(w);
	double shares[SVCSTATE_REGIONS_MAX * 4], after, at;

	if (w->n_regions > sizeof(shares) / sizeof(shares[0]))
		return;
	svcstate_region_shares(w, shares);
	after = st->ticked_s > traffic_last_s(st->traffic) ? st->ticked_s : traffic_last_s(st->traffic);
	at = change_time(w, after, w->now_s);
	traffic_observe(st->traffic, w, at, shares);
	alarms_update(st->alarms, st->traffic, w->now_s);
	st->ticked_s = w->now_s;
}

void sim_services_forget(const struct sim_world *w)
{
	pthread_mutex_lock(&registry_lock);
	for (size_t i = 0; i < n_registry; i++) {
		if (registry[i]->world != w)
			continue;
		state_free(registry[i]);
		registry[i] = registry[--n_registry];
		break;
	}
	if (n_registry == 0) {
		free(registry);
		registry = NULL;
	}
	pthread_mutex_unlock(&registry_lock);
}
