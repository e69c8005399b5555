/* elasticache.h — the simulator's Redis session store (sim/svc_elasticache.c): what
 * faults and metrics need from it. Call with the world locked. */
#ifndef FD_SIM_ELASTICACHE_H
#define FD_SIM_ELASTICACHE_H

#include <stdarg.h>

#include "base/error.h"
#include "sim/world.h"

/* redis-failover:REGION: promote the region's replica node and replace the old
 * primary's node; while the replica is still being replaced (not in sync) the
 * sessions are lost (redis.losses). -1 with InvalidFault when the region has no group. */
int sim_elasticache_failover(struct sim_world *w, int region, struct fd_error *err);
/* The index of the region's primary node (0: petclinic-redis-001), -1 for none. */
int sim_elasticache_primary(const struct sim_world *w, int region);

#endif
