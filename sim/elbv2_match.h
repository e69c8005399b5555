/* elbv2_match.h — which rule of an ALB listener a request takes (the application
 * endpoint, /_sim/app/). */
#ifndef FD_SIM_ELBV2_MATCH_H
#define FD_SIM_ELBV2_MATCH_H

#include "sim/service.h"
#include "sim/world.h"

/* The rule of l whose conditions all hold for req (path: the request's path, with its
 * leading slash), lowest priority number first; the default rule when none does. */
const struct sim_rule *elbv2_match_rule(const struct sim_listener *l, const struct sim_req *req, const char *path);

#endif
