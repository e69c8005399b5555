/* serving.h — which region DNS sends users to, read from the answer itself and
 * cross-checked with Route 53's own failover rules.
 *
 * The answer (TestDNSAnswer's RecordData) is matched against what each region
 * owns: the public addresses of its load balancers' network interfaces (an alias
 * to an ALB answers with those), its load balancers' DNS names, or a record's own
 * values. Independently, Route 53's failover rules are applied to what we read:
 * each failover record's health (its health check with Inverted and Disabled
 * applied, CALCULATED checks from their children, an alias with
 * EvaluateTargetHealth from its load balancer's target groups, the routing
 * controls that gate it) and the documented choice between PRIMARY and
 * SECONDARY. When the answer matches nothing, the rules' pick is the region,
 * marked "inferred"; when both exist and differ, the model says they disagree.
 * What cannot be told stays unknown (NULL), never a guess.
 */
#ifndef FD_SERVING_H
#define FD_SERVING_H

#include <stdbool.h>

#include "model/model.h"

/* Derive record and check states, the answer's region, the method and the rules'
 * pick (m->route53.dns and the records' state/why). Idempotent. */
void serving_resolve(struct model *m);

/* Route 53's health of an ALB with EvaluateTargetHealth: 1 when every target
 * group of it that contains targets has a healthy one, 0 when one has none (or
 * no group has targets), -1 when the load balancer panel has not read it. */
int serving_lb_health(const struct model_region *r, const struct model_lb *lb);

/* The load balancer interface the DNS answer matched (the first answer that is one's
 * address), with the answer in *addr; NULL when none did. Borrowed. */
const struct model_lb_address *serving_matched(const struct model *m, const char **addr);

/* The method as a few words ("address match", "record match", "inferred", "unknown"). */
const char *serving_method_name(enum model_serving_method method);

#endif
