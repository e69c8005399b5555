/* svcstate.h — what the CloudWatch and X-Ray simulations keep beside the world:
 * the traffic model's log and the alarms.
 *
 * One state per world, made on first use and found by the world's address (and
 * its start time and seed, so a new world at a recycled address starts afresh).
 * Call with the world locked (every handler is). sim_services_tick() brings the
 * state up to the world's clock: it records what changed and evaluates alarms;
 * the handlers call it first, and the server may call it after every tick.
 */
#ifndef FD_SIM_SVCSTATE_H
#define FD_SIM_SVCSTATE_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/alarms.h"
#include "sim/traffic.h"
#include "sim/world.h"

#define SVCSTATE_REGIONS_MAX 8

struct svcstate {
	const struct sim_world *world;
	double world_start_s;
	uint64_t world_seed;
	struct traffic *traffic;
	struct alarms *alarms;
	bool ready;
	double ticked_s;             /* the world's clock at the last sim_services_tick */
};

/* The state of w (created on first use). Borrowed. */
struct svcstate *svcstate_get(struct sim_world *w);

/* Record the world's state for the traffic model and evaluate alarms up to
 * w->now_s. */
void sim_services_tick(struct sim_world *w);

/* Free the state of w (sim_world_destroy may call it; tests do). */
void sim_services_forget(const struct sim_world *w);

/* The fraction of client traffic DNS sends to each region (shares has
 * w->n_regions slots): all of it to the region of the failover record DNS
 * answers with (route53.c decides). */
void svcstate_region_shares(struct sim_world *w, double *shares);

#endif
