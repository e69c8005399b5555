/* route53.h — the simulated Route 53: DNS answers (r53dns.c; what traffic, ARC and
 * the application endpoint follow) and the helpers its handlers share (route53.c:
 * health checks and the operation table; route53_zones.c: zones, record sets, changes,
 * TestDNSAnswer), all served through the shape-driven codec (sim/shaped.c).
 *
 * A record is healthy when its health check is (r53health.c: Inverted, Disabled,
 * calculated and routing-control checks included) and, when it evaluates target
 * health, when its alias target is: a load balancer whose every target group
 * holds a healthy target, or a record set of the zone with a healthy record.
 * DNS answers a failover name with the PRIMARY when it is healthy, else with the
 * SECONDARY when it is healthy, else with the PRIMARY.
 */
#ifndef FD_SIM_ROUTE53_H
#define FD_SIM_ROUTE53_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/service.h"
#include "sim/world.h"

#define ROUTE53_XMLNS "https://route53.amazonaws.com/doc/2013-04-01/"

/* ---- DNS answers (r53dns.c) ---- */

/* Do two DNS names match (case-insensitive, trailing dot optional)? */
bool route53_name_eq(const char *a, const char *b);
/* Is rec healthy for DNS now? */
bool route53_record_healthy(const struct sim_world *w, const struct sim_record *rec);
/* The records of z DNS answers name/type with (failover picks one); returns
 * how many were put in out (borrowed). */
size_t route53_answer(const struct sim_world *w, const struct sim_zone *z, const char *name, const char *type,
		      const struct sim_record **out, size_t max);
/* The values DNS answers name/type with, aliases resolved (load balancers to
 * their addresses, records of the zone to their answers); returns how many. */
size_t route53_dns_values(const struct sim_world *w, const struct sim_zone *z, const char *name, const char *type,
			  char out[][256], size_t max);
/* The region of the record DNS answers with for the first failover record set of
 * the world's first zone with one; -1 when there is none. */
int route53_answer_region(const struct sim_world *w);
/* The region a record points at (the load balancer its alias chain ends at,
 * else its health check's region); -1 when none. */
int route53_record_region(const struct sim_world *w, const struct sim_record *rec);
/* The A-record addresses the load balancers of region r answer with, written
 * as "a.b.c.d" into out[0..n) (2 per region). Returns how many. */
size_t route53_region_ips(const struct sim_world *w, int r, char out[][16], size_t n);

/* ---- shared by the handlers (route53.c) ---- */

/* The zone with id (an optional /hostedzone/ prefix is ignored), NULL when none or NULL. */
struct sim_zone *route53_find_zone(struct sim_world *w, const char *id);
/* The MaxItems member: the operation's page size when absent, a larger value cut
 * to the most Route 53 returns; -1 after writing InvalidInput. */
int route53_max_items(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in, long *out);
/* A marker-paged list of n items: *start is the index of the item whose id is the
 * input's Marker (0 without one), *max its MaxItems; -1 after an error answer (a bad
 * MaxItems, a marker that names nothing). */
int route53_page(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in, size_t n,
		 const char *(*id)(const struct sim_world *w, size_t i), size_t *start, long *max);
/* Set out's list member (stealing items) and MaxItems (a string in Route 53's
 * model); returns out. */
json_t *route53_page_out(json_t *out, const char *list, json_t *items, long max);

/* ---- the zone operations (route53_zones.c; struct sim_shaped_op handlers) ---- */
int route53_list_hosted_zones(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp);
int route53_list_rrsets(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp);
int route53_change_rrsets(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp);
int route53_get_change(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp);
int route53_test_dns_answer(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp);

#endif
