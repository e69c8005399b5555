/* svc_elbv2.h — shared by svc_elbv2.c (the operations) and svc_elbv2_rules.c (rule
 * actions and conditions). Not for other parts. */
#ifndef FD_SIM_SVC_ELBV2_H
#define FD_SIM_SVC_ELBV2_H

#include "sim/service.h"

/* Append a rule's Actions / DefaultActions list (list names the element). */
void elbv2_actions_xml(struct strbuf *b, const char *list, const struct sim_rule *r);
/* Append a rule's <Conditions>. */
void elbv2_conditions_xml(struct strbuf *b, const struct sim_rule *r);
/* Read "PREFIX.member.1" (the one action a rule takes: forward with target groups of
 * region, redirect or fixed-response) into out. 1 when the request has an action,
 * 0 when it has none, -1 after writing an error. */
int elbv2_parse_actions(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp,
			const char *prefix, int region, struct sim_rule *out);
/* Read Conditions.member.N into out (replacing its conditions): 1 when the request
 * has conditions, 0 when it has none, -1 after writing an error. */
int elbv2_parse_conditions(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp,
			   struct sim_rule *out);

#endif
