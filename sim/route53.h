/* route53.h — DNS answers of the simulated Route 53 (what traffic and ARC use).
 *
 * A failover record is healthy when its health check (the world's, debounced by
 * the failure threshold) is healthy, its alias target's region serves when it
 * evaluates target health, and the ARC routing control of its region is On (the
 * routing control acts as a RECOVERY_CONTROL health check on the record). DNS
 * answers with the PRIMARY record when it is healthy, else the SECONDARY when
 * it is healthy, else the PRIMARY (Route 53 fails open).
 */
#ifndef FD_SIM_ROUTE53_H
#define FD_SIM_ROUTE53_H

#include <stddef.h>

#include "sim/world.h"

struct svcstate;

/* The region of the record DNS answers with for the first failover record set
 * of the world's first zone; -1 when there is none. */
int route53_answer_region(const struct sim_world *w, const struct svcstate *st);

/* The region a record points at (its health check's region, else the region of
 * the load balancer its alias names); -1 when none. */
int route53_record_region(const struct sim_world *w, const struct sim_record *rec);

/* The A-record addresses the load balancers of region r answer with, written
 * as "a.b.c.d" into out[0..n) (2 per region). Returns how many. */
size_t route53_region_ips(const struct sim_world *w, int r, char out[][16], size_t n);

#endif
