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

/* Write one condition's values as <member>s (query-string: Key / Value pairs). */
static void values_xml(struct strbuf *b, const struct sim_condition *c, bool pairs)
{
	for (size_t v = 0; v < c->n_values; v++) {
		if (!pairs) {
			sim_xml_elem(b, "member", c->values[v]);
			continue;
		}
		const char *eq = strchr(c->values[v], '=');
		strbuf_adds(b, "<member>");
		if (eq && eq > c->values[v])
			sim_xml_elemf(b, "Key", "%.*s", (int)(eq - c->values[v]), c->values[v]);
		sim_xml_elem(b, "Value", eq ? eq + 1 : c->values[v]);
		strbuf_adds(b, "</member>");
	}
}

void elbv2_conditions_xml(struct strbuf *b, const struct sim_rule *r)
{
	static const struct {
		const char *field, *config;
	} configs[] = {
		{ "path-pattern", "PathPatternConfig" }, { "host-header", "HostHeaderConfig" },
		{ "http-header", "HttpHeaderConfig" }, { "http-request-method", "HttpRequestMethodConfig" },
		{ "query-string", "QueryStringConfig" }, { "source-ip", "SourceIpConfig" },
	};

	strbuf_adds(b, "<Conditions>");
	for (size_t i = 0; i < r->n_conditions; i++) {
		const struct sim_condition *c = &r->conditions[i];
		const char *config = NULL;
		for (size_t k = 0; k < sizeof(configs) / sizeof(configs[0]); k++)
			if (strcmp(configs[k].field, c->field) == 0)
				config = configs[k].config;
		strbuf_adds(b, "<member>");
		sim_xml_elem(b, "Field", c->field);
		if (strcmp(c->field, "path-pattern") == 0 || strcmp(c->field, "host-header") == 0) {
			strbuf_adds(b, "<Values>");   /* the older Values, which AWS still returns for these */
			values_xml(b, c, false);
			strbuf_adds(b, "</Values>");
		}
		if (config) {
			strbuf_addf(b, "<%s>", config);
			if (strcmp(c->field, "http-header") == 0)
				sim_xml_elem(b, "HttpHeaderName", c->header);
			strbuf_adds(b, "<Values>");
			values_xml(b, c, strcmp(c->field, "query-string") == 0);
			strbuf_addf(b, "</Values></%s>", config);
		}
		strbuf_adds(b, "</member>");
	}
	strbuf_adds(b, "</Conditions>");
}

void elbv2_actions_xml(struct strbuf *b, const char *list, const struct sim_rule *r)
{
	strbuf_addf(b, "<%s><member>", list);
	if (r->action == SIM_ACTION_REDIRECT) {
		sim_xml_elem(b, "Type", "redirect");
		strbuf_adds(b, "<RedirectConfig>");
		sim_xml_elem(b, "Protocol", r->redirect.protocol);
		sim_xml_elem(b, "Port", r->redirect.port);
		sim_xml_elem(b, "Host", r->redirect.host);
		sim_xml_elem(b, "Path", r->redirect.path);
		sim_xml_elem(b, "Query", r->redirect.query);
		sim_xml_elem(b, "StatusCode", r->redirect.status);
		strbuf_adds(b, "</RedirectConfig>");
	} else if (r->action == SIM_ACTION_FIXED_RESPONSE) {
		sim_xml_elem(b, "Type", "fixed-response");
		strbuf_adds(b, "<FixedResponseConfig>");
		if (r->fixed.body[0])
			sim_xml_elem(b, "MessageBody", r->fixed.body);
		sim_xml_elem(b, "StatusCode", r->fixed.status);
		if (r->fixed.content_type[0])
			sim_xml_elem(b, "ContentType", r->fixed.content_type);
		strbuf_adds(b, "</FixedResponseConfig>");
	} else {
		sim_xml_elem(b, "Type", "forward");
		if (r->n_fwd == 1)
			sim_xml_elem(b, "TargetGroupArn", r->fwd[0].tg_arn);
		strbuf_adds(b, "<ForwardConfig><TargetGroups>");
		for (size_t f = 0; f < r->n_fwd; f++) {
			strbuf_adds(b, "<member>");
			sim_xml_elem(b, "TargetGroupArn", r->fwd[f].tg_arn);
			sim_xml_elemf(b, "Weight", "%d", r->fwd[f].weight);
			strbuf_adds(b, "</member>");
		}
		strbuf_adds(b, "</TargetGroups><TargetGroupStickinessConfig>");
		sim_xml_elem(b, "Enabled", r->stickiness ? "true" : "false");
		if (r->stickiness)
			sim_xml_elemf(b, "DurationSeconds", "%d", r->stickiness_s);
		strbuf_adds(b, "</TargetGroupStickinessConfig></ForwardConfig>");
	}
	sim_xml_elem(b, "Order", "1");
	strbuf_addf(b, "</member></%s>", list);
}

/* The parameter PREFIX.member.1.SUFFIX, NULL when absent. */
static const char *aparam(const struct sim_req *req, const char *prefix, const char *suffix)
{
	char name[200];

	snprintf(name, sizeof(name), "%s.member.1.%s", prefix, suffix);
	return sim_param(req, name);
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
static int parse_redirect(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp,
			  const char *prefix, struct sim_rule *out)
{
	const char *status = aparam(req, prefix, "RedirectConfig.StatusCode");
	const char *proto = aparam(req, prefix, "RedirectConfig.Protocol");

	if (!status || (strcmp(status, "HTTP_301") != 0 && strcmp(status, "HTTP_302") != 0))
		return sim_error(ctx, resp, 400, "ValidationError",
				 "A redirect action needs RedirectConfig.StatusCode HTTP_301 or HTTP_302"), -1;
	if (proto && strcmp(proto, "HTTP") != 0 && strcmp(proto, "HTTPS") != 0 && strcmp(proto, "#{protocol}") != 0)
		return sim_error(ctx, resp, 400, "ValidationError",
				 "RedirectConfig.Protocol must be HTTP, HTTPS or #{protocol}"), -1;
	if (take(ctx, resp, "RedirectConfig.Protocol", proto, "#{protocol}", out->redirect.protocol,
		 sizeof(out->redirect.protocol)) < 0 ||
	    take(ctx, resp, "RedirectConfig.Port", aparam(req, prefix, "RedirectConfig.Port"), "#{port}",
		 out->redirect.port, sizeof(out->redirect.port)) < 0 ||
	    take(ctx, resp, "RedirectConfig.Host", aparam(req, prefix, "RedirectConfig.Host"), "#{host}",
		 out->redirect.host, sizeof(out->redirect.host)) < 0 ||
	    take(ctx, resp, "RedirectConfig.Path", aparam(req, prefix, "RedirectConfig.Path"), "/#{path}",
		 out->redirect.path, sizeof(out->redirect.path)) < 0 ||
	    take(ctx, resp, "RedirectConfig.Query", aparam(req, prefix, "RedirectConfig.Query"), "#{query}",
		 out->redirect.query, sizeof(out->redirect.query)) < 0)
		return -1;
	snprintf(out->redirect.status, sizeof(out->redirect.status), "%s", status);
	out->action = SIM_ACTION_REDIRECT;
	out->n_fwd = 0;
	return 1;
}

/* A fixed-response action: StatusCode 2XX, 4XX or 5XX; ContentType and MessageBody
 * (at most 1024 characters) optional. */
static int parse_fixed(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp,
		       const char *prefix, struct sim_rule *out)
{
	static const char *const types[] = { "text/plain", "text/css", "text/html", "application/javascript",
		"application/json", NULL };
	const char *status = aparam(req, prefix, "FixedResponseConfig.StatusCode");
	const char *type = aparam(req, prefix, "FixedResponseConfig.ContentType");
	const char *body = aparam(req, prefix, "FixedResponseConfig.MessageBody");
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
static int parse_forward(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp,
			 const char *prefix, int region, struct sim_rule *out)
{
	char name[200];
	const char *single = aparam(req, prefix, "TargetGroupArn"), *v;
	size_t k, n = 0;

	for (k = 1; k <= SIM_FORWARD_MAX + 1; k++) {
		const char *arn;
		long weight = 1;
		snprintf(name, sizeof(name), "%s.member.1.ForwardConfig.TargetGroups.member.%zu.TargetGroupArn",
			 prefix, k);
		if (!(arn = sim_param(req, name)))
			break;
		if (k > SIM_FORWARD_MAX)
			return sim_error(ctx, resp, 400, "TooManyTargetGroups",
					 "You have reached the maximum number of target groups per action (%d)",
					 SIM_FORWARD_MAX), -1;
		snprintf(name, sizeof(name), "%s.member.1.ForwardConfig.TargetGroups.member.%zu.Weight",
			 prefix, k);
		if (sim_param_int(ctx, req, resp, name, 0, 999, 1, &weight) < 0)
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
	v = aparam(req, prefix, "ForwardConfig.TargetGroupStickinessConfig.Enabled");
	out->stickiness = v && strcmp(v, "true") == 0;
	if (out->stickiness) {
		long d;
		snprintf(name, sizeof(name), "%s.member.1.ForwardConfig.TargetGroupStickinessConfig.DurationSeconds", prefix);
		if (sim_param_int(ctx, req, resp, name, 1, 604800, 3600, &d) < 0)
			return -1;
		out->stickiness_s = (int)d;
	}
	return 1;
}

int elbv2_parse_actions(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp,
			const char *prefix, int region, struct sim_rule *out)
{
	char name[160];
	const char *type;

	snprintf(name, sizeof(name), "%s.member.1.Type", prefix);
	type = sim_param(req, name);
	if (!type)
		return 0;
	snprintf(name, sizeof(name), "%s.member.2.Type", prefix);
	if (sim_param(req, name))
		return sim_error(ctx, resp, 400, "ValidationError",
				 "The simulator takes one action per rule (authenticate actions are not simulated)"), -1;
	if (strcmp(type, "forward") == 0)
		return parse_forward(ctx, req, resp, prefix, region, out);
	if (strcmp(type, "redirect") == 0)
		return parse_redirect(ctx, req, resp, prefix, out);
	if (strcmp(type, "fixed-response") == 0)
		return parse_fixed(ctx, req, resp, prefix, out);
	return sim_error(ctx, resp, 400, "ValidationError",
			 "Action type '%.32s' must be one of forward, redirect, fixed-response (authenticate-oidc "
			 "and authenticate-cognito are not simulated)", type), -1;
}

/* The values of PARAM.member.N (or, for query-string, Key=Value of PARAM.member.N.Key /
 * .Value) into c; -1 after an error. */
static int read_values(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp,
		       const char *param, bool pairs, struct sim_condition *c)
{
	char name[240];

	for (size_t k = 1;; k++) {
		const char *v, *key = NULL;
		if (pairs) {
			snprintf(name, sizeof(name), "%s.member.%zu.Key", param, k);
			key = sim_param(req, name);
			snprintf(name, sizeof(name), "%s.member.%zu.Value", param, k);
		} else {
			snprintf(name, sizeof(name), "%s.member.%zu", param, k);
		}
		if (!(v = sim_param(req, name)))
			return 0;
		if (c->n_values == SIM_CONDITION_VALUES_MAX)
			return sim_error(ctx, resp, 400, "TooManyConditionValues",
					 "A rule can have at most %d condition values", SIM_CONDITION_VALUES_MAX), -1;
		if (strlen(v) + (key ? strlen(key) : 0) + 2 > sizeof(c->values[0]))
			return sim_error(ctx, resp, 400, "ValidationError", "A condition value is too long"), -1;
		snprintf(c->values[c->n_values++], sizeof(c->values[0]), "%s%s%s", key ? key : "",
			 pairs ? "=" : "", v);
	}
}

int elbv2_parse_conditions(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp,
			   struct sim_rule *out)
{
	static const struct {
		const char *field, *config;
		bool legacy, pairs, header;
	} fields[] = {
		{ "path-pattern", "PathPatternConfig", true, false, false },
		{ "host-header", "HostHeaderConfig", true, false, false },
		{ "http-header", "HttpHeaderConfig", false, false, true },
		{ "http-request-method", "HttpRequestMethodConfig", false, false, false },
		{ "query-string", "QueryStringConfig", false, true, false },
		{ "source-ip", "SourceIpConfig", false, false, false },
	};
	char name[160];
	size_t n, total = 0;

	snprintf(name, sizeof(name), "Conditions.member.1.Field");
	if (!sim_param(req, name))
		return 0;
	out->n_conditions = 0;
	for (n = 1; n <= SIM_CONDITIONS_MAX + 1; n++) {
		struct sim_condition *c;
		const char *field, *header;
		size_t k;
		char param[120];
		snprintf(name, sizeof(name), "Conditions.member.%zu.Field", n);
		if (!(field = sim_param(req, name)))
			break;
		if (n > SIM_CONDITIONS_MAX)
			return sim_error(ctx, resp, 400, "TooManyConditionValues",
					 "A rule can have at most %d conditions", SIM_CONDITIONS_MAX), -1;
		for (k = 0; k < sizeof(fields) / sizeof(fields[0]) && strcmp(fields[k].field, field) != 0; k++)
			;
		if (k == sizeof(fields) / sizeof(fields[0]))
			return sim_error(ctx, resp, 400, "ValidationError",
					 "Condition field '%.32s' must be one of path-pattern, host-header, http-header, "
					 "http-request-method, query-string, source-ip", field), -1;
		c = &out->conditions[out->n_conditions++];
		memset(c, 0, sizeof(*c));
		snprintf(c->field, sizeof(c->field), "%s", field);
		snprintf(param, sizeof(param), "Conditions.member.%zu.%s.Values", n, fields[k].config);
		if (read_values(ctx, req, resp, param, fields[k].pairs, c) < 0)
			return -1;
		if (fields[k].legacy) {   /* the older Values, not both */
			snprintf(param, sizeof(param), "Conditions.member.%zu.Values", n);
			snprintf(name, sizeof(name), "%s.member.1", param);
			if (c->n_values && sim_param(req, name))
				return sim_error(ctx, resp, 400, "ValidationError",
						 "You cannot specify both Values and %s for a condition", fields[k].config), -1;
			if (read_values(ctx, req, resp, param, false, c) < 0)
				return -1;
		}
		if (fields[k].header) {
			snprintf(name, sizeof(name), "Conditions.member.%zu.HttpHeaderConfig.HttpHeaderName", n);
			header = sim_param(req, name);
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
