/* svc_elbv2.h — shared by svc_elbv2.c (the operations) and svc_elbv2_rules.c (rule
 * actions and conditions). Not for other parts. */
#ifndef FD_SIM_SVC_ELBV2_H
#define FD_SIM_SVC_ELBV2_H

#include "sim/service.h"

/* A rule's Actions / DefaultActions list, and its Conditions, as botocore shapes them. */
json_t *elbv2_actions_json(const struct sim_rule *r);
json_t *elbv2_conditions_json(const struct sim_rule *r);
/* Read the input's action list `member` (the one action a rule takes: forward with
 * target groups of region, redirect or fixed-response) into out. 1 when the request
 * has an action, 0 when it has none, -1 after writing an error. */
int elbv2_parse_actions(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in, const char *member,
			int region, struct sim_rule *out);
/* Read the input's Conditions into out (replacing its conditions): 1 when the request
 * has conditions, 0 when it has none, -1 after writing an error. */
int elbv2_parse_conditions(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in, struct sim_rule *out);

#endif
