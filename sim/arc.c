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

#define ARC_CT "application/x-amz-json-1.0"

/* The safety rule's ARN in w. */
static void safety_rule_arn(const struct sim_world *w, char *out, size_t n)
{
	snprintf(out, n, "%s/safetyrule/at-least-one-region-on", w->control_panel_arn);
}

/* The request body as a JSON object; NULL after writing an error. */
static json_t *body_json(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	json_t *j = req->body_len ? json_loadb((const char *)req->body, req->body_len, 0, NULL) : json_object();

	if (!json_is_object(j)) {
		json_decref(j);
		sim_error(ctx, resp, 400, "ValidationException", "The request body is not a JSON object.");
		return NULL;
	}
	return j;
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
static int op_get_state(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	json_t *body = body_json(ctx, req, resp);
	struct sim_routing_control *rc;

	if (!body)
		return 0;
	rc = find_control(ctx, resp, body);
	json_decref(body);
	if (!rc)
		return 0;
	sim_resp_json(resp, 200, ARC_CT, json_pack("{s:s, s:s, s:s}", "RoutingControlArn", rc->arn,
						   "RoutingControlState", rc->on ? "On" : "Off",
						   "RoutingControlName", rc->name));
	return 0;
}

/* ListRoutingControls with NextToken / MaxResults paging. */
static int op_list(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	const struct sim_world *w = ctx->world;
	json_t *body = body_json(ctx, req, resp), *list, *out;
	const char *panel, *token;
	json_int_t max = sim_page_default(ctx->world, "ListRoutingControls");
	size_t start = 0, i;

	if (!body)
		return 0;
	panel = json_string_value(json_object_get(body, "ControlPanelArn"));
	token = json_string_value(json_object_get(body, "NextToken"));
	if (json_object_get(body, "MaxResults"))
		max = json_integer_value(json_object_get(body, "MaxResults"));
	if (max < 1 || (token && sim_marker_decode(token, &start) < 0)) {
		json_decref(body);
		return sim_error(ctx, resp, 400, "ValidationException",
				 token ? "The NextToken is not valid." : "MaxResults must be at least 1.");
	}
	list = json_array();
	for (i = start; i < w->n_controls && i < start + (size_t)max; i++) {
		const struct sim_routing_control *rc = &w->controls[i];
		char panel_name[SIM_NAME_MAX + 8];
		if (panel && strcmp(panel, w->control_panel_arn) != 0)
			break;
		snprintf(panel_name, sizeof(panel_name), "%s-panel", w->scenario);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}",
						      "ControlPanelArn", w->control_panel_arn,
						      "ControlPanelName", panel_name,
						      "RoutingControlArn", rc->arn, "RoutingControlName", rc->name,
						      "RoutingControlState", rc->on ? "On" : "Off",
						      "Owner", ctx->world->account));
	}
	out = json_pack("{s:o}", "RoutingControls", list);
	if (i < w->n_controls && !(panel && strcmp(panel, w->control_panel_arn) != 0)) {
		char next[32];
		sim_marker_encode(i, next);
		json_object_set_new(out, "NextToken", json_string(next));
	}
	json_decref(body);
	sim_resp_json(resp, 200, ARC_CT, out);
	return 0;
}

/* UpdateRoutingControlState: On / Off, within the safety rule. */
static int op_update_state(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct sim_world *w = ctx->world;
	json_t *body = body_json(ctx, req, resp), *overrides;
	struct sim_routing_control *rc;
	const char *state;
	char rule[SIM_ARN_MAX + 64];
	bool on, overridden = false;
	size_t n_on = 0, i;

	if (!body)
		return 0;
	if (!(rc = find_control(ctx, resp, body)))
		goto done;
	state = json_string_value(json_object_get(body, "RoutingControlState"));
	if (!state || (strcmp(state, "On") != 0 && strcmp(state, "Off") != 0)) {
		sim_error(ctx, resp, 400, "ValidationException",
			  "1 validation error detected: Value '%s' at 'routingControlState' failed to satisfy "
			  "constraint: Member must satisfy enum value set: [On, Off]", state ? state : "null");
		goto done;
	}
	on = strcmp(state, "On") == 0;
	safety_rule_arn(w, rule, sizeof(rule));
	overrides = json_object_get(body, "SafetyRulesToOverride");
	for (i = 0; i < json_array_size(overrides); i++) {
		const char *r = json_string_value(json_array_get(overrides, i));
		overridden |= r && strcmp(r, rule) == 0;
	}
	for (i = 0; i < w->n_controls; i++)
		n_on += &w->controls[i] == rc ? on : w->controls[i].on;
	if (n_on == 0 && !overridden) {
		sim_error(ctx, resp, 409, "ConflictException",
			  "The routing control state change violates safety rule %s (at least one routing "
			  "control must be On).", rule);
		goto done;
	}
	if (rc->on != on) {
		rc->on = on;
		rc->changed_s = ctx->now_s;
	}
	sim_resp_json(resp, 200, ARC_CT, json_object());
	r53health_tick(w, w->now_s);     /* its RECOVERY_CONTROL check follows at once */
	sim_services_tick(w);            /* and DNS: the data plane */
done:
	json_decref(body);
	return 0;
}

static const struct sim_op arc_ops[] = {
	{ .name = "GetRoutingControlState", .mutating = false, .fn = op_get_state },
	{ .name = "ListRoutingControls", .mutating = false, .fn = op_list },
	{ .name = "UpdateRoutingControlState", .mutating = true, .fn = op_update_state },
	{ .name = NULL },
};

int sim_arc_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	sim_services_tick(ctx->world);
	return sim_dispatch_json10(ctx, req, resp, arc_ops);
}
