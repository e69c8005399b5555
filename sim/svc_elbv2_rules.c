/* svc_elbv2_rules.c — ELBv2 listener rules: their actions (forward with weights and
 * stickiness, redirect, fixed-response) and conditions (path-pattern, host-header,
 * http-header, http-request-method, query-string, source-ip), read from a
 * ModifyListener / ModifyRule request and written back as AWS does.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Action.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RuleCondition.html
 */
#include "sim/svc_elbv2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One condition's values as JSON strings (query-string: Key / Value pairs). */
static json_t *values_json(const struct sim_condition *c, bool pairs)
{
	json_t *a = json_array();

	for (size_t v = 0; v < c->n_values; v++) {
		const char *eq = strchr(c->values[v], '=');
		json_t *o;
		if (!pairs) {
			json_array_append_new(a, json_string(c->values[v]));
			continue;
		}
		o = json_pack("{s:s}", "Value", eq ? eq + 1 : c->values[v]);
		if (eq && eq > c->values[v])
			json_object_set_new(o, "Key", json_stringn(c->values[v], (size_t)(eq - c->values[v])));
		json_array_append_new(a, o);
	}
	return a;
}

static const struct {
	const char *field, *config;
	bool legacy, pairs, header;
} condition_fields[] = {
	{ "path-pattern", "PathPatternConfig", true, false, false },
	{ "host-header", "HostHeaderConfig", true, false, false },
	{ "http-header", "HttpHeaderConfig", false, false, true },
	{ "http-request-method", "HttpRequestMethodConfig", false, false, false },
	{ "query-string", "QueryStringConfig", false, true, false },
	{ "source-ip", "SourceIpConfig", false, false, false },
};
#define N_FIELDS (sizeof(condition_fields) / sizeof(condition_fields[0]))

json_t *elbv2_conditions_json(const struct sim_rule *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->n_conditions; i++) {
		const struct sim_condition *c = &r->conditions[i];
		json_t *o = json_pack("{s:s}", "Field", c->field), *cfg;
		size_t k;
		for (k = 0; k < N_FIELDS && strcmp(condition_fields[k].field, c->field) != 0; k++)
			;
		if (k < N_FIELDS) {
			if (condition_fields[k].legacy)   /* the older Values, which AWS still returns for these */
				json_object_set_new(o, "Values", values_json(c, false));
			cfg = json_pack("{s:o}", "Values", values_json(c, condition_fields[k].pairs));
			if (condition_fields[k].header)
				json_object_set_new(cfg, "HttpHeaderName", json_string(c->header));
			json_object_set_new(o, condition_fields[k].config, cfg);
		}
		json_array_append_new(a, o);
	}
	return a;
}

json_t *elbv2_actions_json(const struct sim_rule *r)
{
	json_t *o;

	if (r->action == SIM_ACTION_REDIRECT) {
		o = json_pack("{s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s}}", "Type", "redirect", "RedirectConfig",
			      "Protocol", r->redirect.protocol, "Port", r->redirect.port, "Host", r->redirect.host,
			      "Path", r->redirect.path, "Query", r->redirect.query, "StatusCode", r->redirect.status);
	} else if (r->action == SIM_ACTION_FIXED_RESPONSE) {
		json_t *f = json_pack("{s:s}", "StatusCode", r->fixed.status);
		if (r->fixed.body[0])
			json_object_set_new(f, "MessageBody", json_string(r->fixed.body));
		if (r->fixed.content_type[0])
			json_object_set_new(f, "ContentType", json_string(r->fixed.content_type));
		o = json_pack("{s:s, s:o}", "Type", "fixed-response", "FixedResponseConfig", f);
	} else {
		json_t *tgs = json_array(), *sticky = json_pack("{s:b}", "Enabled", r->stickiness);
		for (size_t f = 0; f < r->n_fwd; f++)
			json_array_append_new(tgs, json_pack("{s:s, s:i}", "TargetGroupArn", r->fwd[f].tg_arn,
							     "Weight", r->fwd[f].weight));
		if (r->stickiness)
			json_object_set_new(sticky, "DurationSeconds", json_integer(r->stickiness_s));
		o = json_pack("{s:s, s:{s:o, s:o}}", "Type", "forward", "ForwardConfig", "TargetGroups", tgs,
			      "TargetGroupStickinessConfig", sticky);
		if (r->n_fwd == 1)
			json_object_set_new(o, "TargetGroupArn", json_string(r->fwd[0].tg_arn));
	}
	json_object_set_new(o, "Order", json_integer(1));
	return json_pack("[o]", o);
}

/* Copy v (or def) into out; -1 after ValidationError when it does not fit. */
static int take(struct sim_ctx *ctx, struct sim_resp *resp, const char *what, const char *v, const char *def,
		char *out, size_t size)
{
	if (!v)
		v = def;
	if (strlen(v) >= size)
		return sim_error(ctx, resp, 400, "ValidationError", "%s is too long", what), -1;
	snprintf(out, size, "%s", v);
	return 0;
}

/* A redirect action: "#{protocol}", "#{port}", "#{host}", "/#{path}", "#{query}" by
 * default (URI components kept from the request); StatusCode HTTP_301 or HTTP_302. */
static int parse_redirect(struct sim_ctx *ctx, struct sim_resp *resp, json_t *action, struct sim_rule *out)
{
	json_t *rc = json_object_get(action, "RedirectConfig");
	const char *status = sim_in_str(rc, "StatusCode"), *proto = sim_in_str(rc, "Protocol");

	if (!status || (strcmp(status, "HTTP_301") != 0 && strcmp(status, "HTTP_302") != 0))
		return sim_error(ctx, resp, 400, "ValidationError",
				 "A redirect action needs RedirectConfig.StatusCode HTTP_301 or HTTP_302"), -1;
	if (proto && strcmp(proto, "HTTP") != 0 && strcmp(proto, "HTTPS") != 0 && strcmp(proto, "#{protocol}") != 0)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "RedirectConfig.Protocol must be HTTP, HTTPS or #{protocol}"), -1;
	if (take(ctx, resp, "RedirectConfig.Protocol", proto, "#{protocol}", out->redirect.protocol,
		 sizeof(out->redirect.protocol)) < 0 ||
	    take(ctx, resp, "RedirectConfig.Port", sim_in_str(rc, "Port"), "#{port}",
		 out->redirect.port, sizeof(out->redirect.port)) < 0 ||
	    take(ctx, resp, "RedirectConfig.Host", sim_in_str(rc, "Host"), "#{host}",
		 out->redirect.host, sizeof(out->redirect.host)) < 0 ||
	    take(ctx, resp, "RedirectConfig.Path", sim_in_str(rc, "Path"), "/#{path}",
		 out->redirect.path, sizeof(out->redirect.path)) < 0 ||
	    take(ctx, resp, "RedirectConfig.Query", sim_in_str(rc, "Query"), "#{query}",
		 out->redirect.query, sizeof(out->redirect.query)) < 0)
		return -1;
	snprintf(out->redirect.status, sizeof(out->redirect.status), "%s", status);
	out->action = SIM_ACTION_REDIRECT;
	out->n_fwd = 0;
	return 1;
}

/* A fixed-response action: StatusCode 2XX, 4XX or 5XX; ContentType and MessageBody
 * (at most 1024 characters) optional. */
static int parse_fixed(struct sim_ctx *ctx, struct sim_resp *resp, json_t *action, struct sim_rule *out)
{
	static const char *const types[] = { "text/plain", "text/css", "text/html", "application/javascript",
		"application/json", NULL };
	json_t *fc = json_object_get(action, "FixedResponseConfig");
	const char *status = sim_in_str(fc, "StatusCode"), *type = sim_in_str(fc, "ContentType");
	const char *body = sim_in_str(fc, "MessageBody");
	size_t k;

	if (!status || strlen(status) != 3 || (status[0] != '2' && status[0] != '4' && status[0] != '5') ||
	    strspn(status, "0123456789") != 3)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "A fixed-response action needs a FixedResponseConfig.StatusCode of 2XX, 4XX or 5XX"), -1;
	for (k = 0; type && types[k] && strcmp(types[k], type) != 0; k++)
		;
	if (type && !types[k])
		return sim_error(ctx, resp, 400, "ValidationError",
				 "FixedResponseConfig.ContentType '%.64s' is not valid", type), -1;
	if (body && strlen(body) > 1024)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "FixedResponseConfig.MessageBody is longer than 1024 characters"), -1;
	snprintf(out->fixed.status, sizeof(out->fixed.status), "%s", status);
	snprintf(out->fixed.content_type, sizeof(out->fixed.content_type), "%s", type ? type : "");
	snprintf(out->fixed.body, sizeof(out->fixed.body), "%s", body ? body : "");
	out->action = SIM_ACTION_FIXED_RESPONSE;
	out->n_fwd = 0;
	return 1;
}

/* A forward action with its target groups (weights, stickiness). */
static int parse_forward(struct sim_ctx *ctx, struct sim_resp *resp, json_t *action, int region,
			 struct sim_rule *out)
{
	json_t *fc = json_object_get(action, "ForwardConfig");
	json_t *tgs = json_object_get(fc, "TargetGroups"), *sc = json_object_get(fc, "TargetGroupStickinessConfig");
	const char *single = sim_in_str(action, "TargetGroupArn");
	size_t k, n = 0;

	if (json_array_size(tgs) > SIM_FORWARD_MAX)
		return sim_error(ctx, resp, 400, "TooManyTargetGroups",
				 "You have reached the maximum number of target groups per action (%d)",
				 SIM_FORWARD_MAX), -1;
	for (k = 0; k < json_array_size(tgs); k++) {
		const char *arn = sim_in_str(json_array_get(tgs, k), "TargetGroupArn");
		long weight;
		if (!arn)
			break;
		if (sim_in_int(ctx, resp, json_array_get(tgs, k), "Weight", 0, 999, 1, &weight) < 0)
			return -1;
		snprintf(out->fwd[n].tg_arn, sizeof(out->fwd[n].tg_arn), "%s", arn);
		out->fwd[n++].weight = (int)weight;
	}
	if (n == 0 && single) {
		snprintf(out->fwd[0].tg_arn, sizeof(out->fwd[0].tg_arn), "%s", single);
		out->fwd[n++].weight = 1;
	} else if (n > 0 && single && (n != 1 || strcmp(single, out->fwd[0].tg_arn) != 0)) {
		return sim_error(ctx, resp, 400, "ValidationError",
				 "You cannot specify a target group ARN in both the action and its forward config"), -1;
	}
	if (n == 0)
		return sim_error(ctx, resp, 400, "ValidationError", "A forward action needs a target group"), -1;
	for (k = 0; k < n; k++) {
		struct sim_target_group *tg = sim_world_tg(ctx->world, region, out->fwd[k].tg_arn);
		if (!tg || tg->region != region || strcmp(tg->arn, out->fwd[k].tg_arn) != 0)
			return sim_error(ctx, resp, 400, "TargetGroupNotFound",
					 "Target groups '%.200s' not found", out->fwd[k].tg_arn), -1;
	}
	out->n_fwd = n;
	out->action = SIM_ACTION_FORWARD;
	out->stickiness = sim_in_bool(sc, "Enabled", false);
	if (out->stickiness) {
		long d;
		if (sim_in_int(ctx, resp, sc, "DurationSeconds", 1, 604800, 3600, &d) < 0)
			return -1;
		out->stickiness_s = (int)d;
	}
	return 1;
}

int elbv2_parse_actions(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in, const char *member,
			int region, struct sim_rule *out)
{
	json_t *actions = json_object_get(in, member), *action = json_array_get(actions, 0);
	const char *type = sim_in_str(action, "Type");

	if (!type)
		return 0;
	if (json_array_size(actions) > 1)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "The simulator takes one action per rule (authenticate actions are not simulated)"), -1;
	if (strcmp(type, "forward") == 0)
		return parse_forward(ctx, resp, action, region, out);
	if (strcmp(type, "redirect") == 0)
		return parse_redirect(ctx, resp, action, out);
	if (strcmp(type, "fixed-response") == 0)
		return parse_fixed(ctx, resp, action, out);
	return sim_error(ctx, resp, 400, "ValidationError",
			 "Action type '%.32s' must be one of forward, redirect, fixed-response (authenticate-oidc "
			 "and authenticate-cognito are not simulated)", type), -1;
}

/* The values of a list (or, for query-string, Key=Value of its {Key, Value} items)
 * appended to c; -1 after an error. */
static int read_values(struct sim_ctx *ctx, struct sim_resp *resp, json_t *list, bool pairs,
		       struct sim_condition *c)
{
	for (size_t k = 0; k < json_array_size(list); k++) {
		json_t *item = json_array_get(list, k);
		const char *v = pairs ? sim_in_str(item, "Value") : json_string_value(item);
		const char *key = pairs ? sim_in_str(item, "Key") : NULL;
		if (!v)
			return 0;
		if (c->n_values == SIM_CONDITION_VALUES_MAX)
			return sim_error(ctx, resp, 400, "TooManyConditionValues",
					 "A rule can have at most %d condition values", SIM_CONDITION_VALUES_MAX), -1;
		if (strlen(v) + (key ? strlen(key) : 0) + 2 > sizeof(c->values[0]))
			return sim_error(ctx, resp, 400, "ValidationError", "A condition value is too long"), -1;
		snprintf(c->values[c->n_values++], sizeof(c->values[0]), "%s%s%s", key ? key : "",
			 pairs ? "=" : "", v);
	}
	return 0;
}

int elbv2_parse_conditions(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in, struct sim_rule *out)
{
	json_t *conds = json_object_get(in, "Conditions");
	size_t n, total = 0;

	if (!sim_in_str(json_array_get(conds, 0), "Field"))
		return 0;
	if (json_array_size(conds) > SIM_CONDITIONS_MAX)
		return sim_error(ctx, resp, 400, "TooManyConditionValues",
				 "A rule can have at most %d conditions", SIM_CONDITIONS_MAX), -1;
	out->n_conditions = 0;
	for (n = 0; n < json_array_size(conds); n++) {
		json_t *cj = json_array_get(conds, n), *cfg;
		const char *field = sim_in_str(cj, "Field"), *header;
		struct sim_condition *c;
		size_t k;
		if (!field)
			break;
		for (k = 0; k < N_FIELDS && strcmp(condition_fields[k].field, field) != 0; k++)
			;
		if (k == N_FIELDS)
			return sim_error(ctx, resp, 400, "ValidationError",
					 "Condition field '%.32s' must be one of path-pattern, host-header, http-header, "
					 "http-request-method, query-string, source-ip", field), -1;
		c = &out->conditions[out->n_conditions++];
		memset(c, 0, sizeof(*c));
		snprintf(c->field, sizeof(c->field), "%s", field);
		cfg = json_object_get(cj, condition_fields[k].config);
		if (read_values(ctx, resp, json_object_get(cfg, "Values"), condition_fields[k].pairs, c) < 0)
			return -1;
		if (condition_fields[k].legacy) {   /* the older Values, not both */
			if (c->n_values && json_array_size(json_object_get(cj, "Values")))
				return sim_error(ctx, resp, 400, "ValidationError",
						 "You cannot specify both Values and %s for a condition",
						 condition_fields[k].config), -1;
			if (read_values(ctx, resp, json_object_get(cj, "Values"), false, c) < 0)
				return -1;
		}
		if (condition_fields[k].header) {
			header = sim_in_str(cfg, "HttpHeaderName");
			if (!header || !header[0] || strlen(header) >= sizeof(c->header))
				return sim_error(ctx, resp, 400, "ValidationError",
						 "An http-header condition needs HttpHeaderConfig.HttpHeaderName"), -1;
			snprintf(c->header, sizeof(c->header), "%s", header);
		}
		if (c->n_values == 0)
			return sim_error(ctx, resp, 400, "ValidationError", "A %s condition needs at least one value",
					 field), -1;
		total += c->n_values;
	}
	/* "You can specify up to five match evaluations per rule" (values across conditions) */
	if (total > SIM_CONDITION_VALUES_MAX)
		return sim_error(ctx, resp, 400, "TooManyConditionValues",
				 "A rule can have at most %d condition values", SIM_CONDITION_VALUES_MAX), -1;
	return 1;
}
