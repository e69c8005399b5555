/* arc.c — the simulated Route 53 ARC cluster data plane (route53-recovery-cluster,
 * json 1.0, X-Amz-Target ToggleCustomerAPI.*): the world's routing controls (one
 * per region when the scenario has them). A control's RECOVERY_CONTROL health
 * check follows its state; it moves DNS only through the records that use that
 * check (r53health.c, r53dns.c). A safety rule (an assertion "at least one
 * control On") refuses to turn every control Off unless it is overridden. */
#include "sim/service.h"

#include "sim/svcstate.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* The safety rule's ARN in w. */
static void safety_rule_arn(const struct sim_world *w, char *out, size_t n)
{
	snprintf(out, n, "%s/safetyrule/at-least-one-region-on", w->control_panel_arn);
}

/* The routing control called arn; NULL after writing ResourceNotFoundException. */
static struct sim_routing_control *find_control(struct sim_ctx *ctx, struct sim_resp *resp,
						json_t *body)
{
	const char *arn = json_string_value(json_object_get(body, "RoutingControlArn"));

	if (!arn) {
		sim_error(ctx, resp, 400, "ValidationException",
			  "1 validation error detected: Value null at 'routingControlArn' failed to satisfy "
			  "constraint: Member must not be null");
		return NULL;
	}
	for (size_t i = 0; i < ctx->world->n_controls; i++)
		if (strcmp(ctx->world->controls[i].arn, arn) == 0)
			return &ctx->world->controls[i];
	sim_error(ctx, resp, 404, "ResourceNotFoundException", "Routing control %s was not found.", arn);
	return NULL;
}

/* GetRoutingControlState. */
static int op_get_state(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct sim_routing_control *rc = find_control(ctx, resp, in);

	if (rc)
		*out = json_pack("{s:s, s:s, s:s}", "RoutingControlArn", rc->arn,
				 "RoutingControlState", rc->on ? "On" : "Off", "RoutingControlName", rc->name);
	return 0;
}

/* ListRoutingControls with NextToken / MaxResults paging. */
static int op_list(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const struct sim_world *w = ctx->world;
	const char *panel = sim_in_str(in, "ControlPanelArn");
	struct sim_pager pg;
	char panel_name[SIM_NAME_MAX + 8];
	json_t *list;

	if (sim_in_pager(ctx, resp, in, "NextToken", "ValidationException", "MaxResults", &pg) < 0)
		return 0;
	snprintf(panel_name, sizeof(panel_name), "%s-panel", w->scenario);
	list = json_array();
	for (size_t i = 0; (!panel || strcmp(panel, w->control_panel_arn) == 0) && i < w->n_controls; i++) {
		const struct sim_routing_control *rc = &w->controls[i];
		if (sim_pager_take(&pg))   /* no Owner: botocore's model has none */
			json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s}",
							      "ControlPanelArn", w->control_panel_arn,
							      "ControlPanelName", panel_name,
							      "RoutingControlArn", rc->arn, "RoutingControlName", rc->name,
							      "RoutingControlState", rc->on ? "On" : "Off"));
	}
	*out = json_pack("{s:o}", "RoutingControls", list);
	sim_out_token(*out, &pg, "NextToken");
	return 0;
}

/* UpdateRoutingControlState: On / Off, within the safety rule. */
static int op_update_state(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct sim_world *w = ctx->world;
	json_t *overrides;
	struct sim_routing_control *rc;
	const char *state;
	char rule[SIM_ARN_MAX + 64];
	bool on, overridden = false;
	size_t n_on = 0, i;

	(void)out;
	if (!(rc = find_control(ctx, resp, in)))
		return 0;
	state = sim_in_str(in, "RoutingControlState");
	if (!state || (strcmp(state, "On") != 0 && strcmp(state, "Off") != 0))
		return sim_error(ctx, resp, 400, "ValidationException",
				 "1 validation error detected: Value '%s' at 'routingControlState' failed to satisfy "
				 "constraint: Member must satisfy enum value set: [On, Off]", state ? state : "null");
	on = strcmp(state, "On") == 0;
	safety_rule_arn(w, rule, sizeof(rule));
	overrides = json_object_get(in, "SafetyRulesToOverride");
	for (i = 0; i < json_array_size(overrides); i++) {
		const char *r = json_string_value(json_array_get(overrides, i));
		overridden |= r && strcmp(r, rule) == 0;
	}
	for (i = 0; i < w->n_controls; i++)
		n_on += &w->controls[i] == rc ? on : w->controls[i].on;
	if (n_on == 0 && !overridden)
		return sim_error(ctx, resp, 409, "ConflictException",
				 "The routing control state change violates safety rule %s (at least one routing "
				 "control must be On).", rule);
	if (rc->on != on) {
		rc->on = on;
		rc->changed_s = ctx->now_s;
	}
	r53health_tick(w, w->now_s);     /* its RECOVERY_CONTROL check follows at once */
	sim_services_tick(w);            /* and DNS: the data plane */
	return 0;
}

static const struct sim_shaped_op arc_ops[] = {
	{ .name = "GetRoutingControlState", .fn = op_get_state },
	{ .name = "ListRoutingControls", .fn = op_list },
	{ .name = "UpdateRoutingControlState", .fn = op_update_state },
	{ .name = NULL },
};

int sim_arc_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	sim_services_tick(ctx->world);
	return sim_dispatch_shaped(ctx, req, resp, arc_ops);
}
