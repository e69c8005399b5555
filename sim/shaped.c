/* shaped.c — services served through the shape-driven codec (aws/codec_server.h):
 * find the operation, parse its input, call the handler, encode its output (see
 * service.h, "Shaped operations"). */
#include "sim/service.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/codec_server.h"
#include "base/isotime.h"
#include "base/xalloc.h"

/* The client's code for a request that does not fit the shapes, per protocol. */
static const char *validation_code(const struct sim_service *svc)
{
	if (svc->invalid_code)
		return svc->invalid_code;
	switch (svc->protocol) {
	case SIM_PROTO_REST_XML:
		return "InvalidInput";
	case SIM_PROTO_REST_JSON:
	case SIM_PROTO_JSON10:
		return "ValidationException";
	default:
		return "ValidationError";
	}
}

static const struct sim_shaped_op *shaped_find(const struct sim_shaped_op *ops, const char *name)
{
	for (; ops->name; ops++)
		if (strcmp(ops->name, name) == 0)
			return ops;
	return NULL;
}

/* Does the service name its operation with Action in a form body (query, ec2)? */
static bool form_body(const struct sim_service *svc)
{
	return svc->protocol == SIM_PROTO_QUERY || svc->protocol == SIM_PROTO_EC2;
}

/* The operation not found: AWS's answer in the service's protocol. */
static int unknown_op(struct sim_ctx *ctx, struct sim_resp *resp, const char *name, int status)
{
	const struct ops_service *svc = ops_service_find(ctx->svc->signing_name);

	if (form_body(ctx->svc))
		return sim_error(ctx, resp, 400, "InvalidAction", "Could not find operation %.64s for version %s",
				 name, svc ? svc->api_version : "");
	if (ctx->svc->protocol == SIM_PROTO_REST_XML)
		return sim_error(ctx, resp, status ? status : 404, "InvalidAction", "Unknown operation");
	return sim_error(ctx, resp, status ? status : 400, "UnknownOperationException", "Unknown operation %.64s", name);
}

/* Move an encoded reply into resp. */
static void take_reply(struct codec_reply *reply, struct sim_resp *resp)
{
	size_t i;

	resp->status = reply->status;
	snprintf(resp->content_type, sizeof(resp->content_type), "%s",
		 reply->content_type[0] ? reply->content_type : "text/xml");
	strbuf_reset(&resp->body);
	strbuf_add(&resp->body, reply->body.data ? reply->body.data : "", reply->body.len);
	for (i = 0; i < reply->n_headers; i++)
		if (strcasecmp(reply->headers[i].name, "Content-Type") != 0 &&
		    strcasecmp(reply->headers[i].name, "Content-Length") != 0)
			sim_resp_header(resp, reply->headers[i].name, reply->headers[i].value);
}

int sim_error_svc(const struct sim_service *s, const char *request_id, struct sim_resp *resp, int status,
		  const char *code, const char *message)
{
	const struct ops_service *svc = s ? ops_service_find(s->signing_name) : NULL;
	struct codec_reply reply;

	if (!svc)
		return sim_error_proto(s ? s->protocol : SIM_PROTO_QUERY, NULL, request_id, resp, status, code,
				       message);
	codec_reply_init(&reply);
	codec_server_error(svc, status, code, message, request_id, &reply);
	take_reply(&reply, resp);
	codec_reply_clean_up(&reply);
	snprintf(resp->error_code, sizeof(resp->error_code), "%s", code);
	if (request_id && request_id[0] && svc->protocol != OPS_REST_JSON && svc->protocol != OPS_JSON)
		sim_resp_header(resp, "x-amzn-RequestId", request_id);   /* the codec's XML errors carry it in the body only */
	return 0;
}

int sim_dispatch_shaped(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp,
			const struct sim_shaped_op *ops)
{
	const struct ops_service *svc = ops_service_find(ctx->svc->signing_name);
	struct codec_header *headers = xcalloc(req->n_headers + 1, sizeof(*headers));
	struct codec_server_request creq = {
		.method = req->method, .target = req->target, .headers = headers,
		.n_headers = req->n_headers, .body = (const char *)req->body, .body_len = req->body_len,
	};
	const struct ops_operation *op;
	const struct sim_shaped_op *sop;
	struct fd_error err;
	struct codec_reply reply;
	json_t *in = NULL, *out = NULL;

	ctx->region = req->region;
	for (size_t i = 0; i < req->n_headers; i++) {
		headers[i].name = req->headers[i].name;
		headers[i].value = req->headers[i].value;
	}
	fd_error_clear(&err);
	op = svc ? codec_server_find(svc, &creq, &err) : NULL;
	if (!op) {
		if (strcmp(err.code, "MissingAction") == 0)
			sim_error(ctx, resp, 400, "MissingAction", "Missing Action");
		else
			unknown_op(ctx, resp, form_body(ctx->svc) && sim_param(req, "Action") ?
				   sim_param(req, "Action") : req->path, err.http_status);
		goto done;
	}
	sop = shaped_find(ops, op->name);
	if (!sop) {   /* in the operation table, not simulated */
		unknown_op(ctx, resp, op->name, 0);
		goto done;
	}
	if (sim_begin_op(ctx, resp, op->name, op->mutating))
		goto done;
	fd_error_clear(&err);
	in = codec_server_parse(op, &creq, &err);
	if (!in) {
		sim_error(ctx, resp, 400, strcmp(err.code, "MissingParameter") == 0 &&
			  ctx->svc->protocol == SIM_PROTO_QUERY ? "MissingParameter" : validation_code(ctx->svc),
			  "%s", err.message);
		goto done;
	}
	sop->fn(ctx, in, &out, resp);
	if (resp->drop || resp->status >= 300 || resp->error_code[0])
		goto done;
	codec_reply_init(&reply);
	fd_error_clear(&err);
	if (codec_server_reply(op, out, ctx->request_id, &reply, &err) < 0)
		sim_error(ctx, resp, 500, "InternalFailure", "the simulator's %s reply does not fit its shape: %s",
			  op->name, err.message);
	else
		take_reply(&reply, resp);
	codec_reply_clean_up(&reply);
done:
	json_decref(in);
	json_decref(out);
	free(headers);
	return 0;
}

const char *sim_in_str(json_t *in, const char *name)
{
	return json_string_value(json_object_get(in, name));
}

const char *sim_in_require(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in,
			   const char *name, const char *code)
{
	const char *v = sim_in_str(in, name);

	if (v)
		return v;
	if (!code || strcmp(code, "ValidationError") == 0 || strcmp(code, "ValidationException") == 0)
		sim_error(ctx, resp, 400, code ? code : validation_code(ctx->svc),
			  "1 validation error detected: Value null at '%c%s' failed to satisfy constraint: "
			  "Member must not be null", tolower((unsigned char)name[0]), name + 1);
	else
		sim_error(ctx, resp, 400, code, "The request must contain the parameter %s", name);
	return NULL;
}

int sim_in_int(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in, const char *name,
	       long lo, long hi, long def, long *out)
{
	json_t *v = json_object_get(in, name);
	long long x;
	char *end = NULL;
	char text[64];

	if (!v) {
		*out = def;
		return 0;
	}
	if (json_is_integer(v)) {
		x = json_integer_value(v);
		snprintf(text, sizeof(text), "%lld", x);
	} else if (json_is_string(v)) {   /* route53's MaxItems is a string */
		snprintf(text, sizeof(text), "%.60s", json_string_value(v));
		x = strtoll(json_string_value(v), &end, 10);
		if (!json_string_value(v)[0] || *end)
			x = LLONG_MIN;
	} else {
		x = LLONG_MIN;
		snprintf(text, sizeof(text), "?");
	}
	if (x < lo || x > hi) {
		sim_error(ctx, resp, 400, validation_code(ctx->svc),
			  "1 validation error detected: Value '%s' at '%c%s' failed to satisfy "
			  "constraint: Member must be a number between %ld and %ld", text,
			  tolower((unsigned char)name[0]), name + 1, lo, hi);
		return -1;
	}
	*out = (long)x;
	return 0;
}

bool sim_in_bool(json_t *in, const char *name, bool def)
{
	json_t *v = json_object_get(in, name);

	return json_is_boolean(v) ? json_is_true(v) : def;
}

size_t sim_in_strs(json_t *in, const char *name, const char **out, size_t max)
{
	json_t *a = json_object_get(in, name);
	size_t n = 0;

	for (size_t i = 0; i < json_array_size(a) && n < max; i++)
		if (json_is_string(json_array_get(a, i)))
			out[n++] = json_string_value(json_array_get(a, i));
	return n;
}

size_t sim_in_filters(json_t *in, const char *name, struct sim_filter *out, size_t max)
{
	json_t *a = json_object_get(in, name);
	size_t n = 0;

	for (size_t i = 0; i < json_array_size(a) && n < max; i++) {
		json_t *f = json_array_get(a, i);
		out[n].name = sim_in_str(f, "Name");
		if (!out[n].name)
			continue;
		out[n].n_values = sim_in_strs(f, "Values", out[n].values, SIM_FILTER_VALUES_MAX);
		n++;
	}
	return n;
}

int sim_in_time(json_t *in, const char *name, double *out_s)
{
	const char *s = sim_in_str(in, name);

	if (!s)
		return 1;
	return isotime_parse_or_epoch(s, out_s) < 0 ? -1 : 0;
}

int sim_in_page(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in, const char *marker_member,
		const char *bad_marker_code, const char *size_member, size_t *start, size_t *size)
{
	const char *marker = sim_in_str(in, marker_member);
	const struct sim_page_rule *rule = sim_page_rule_find(resp->operation);
	long n;

	*start = 0;
	if (marker && sim_marker_decode(marker, start) < 0) {
		sim_error(ctx, resp, 400, bad_marker_code, "Invalid %s: '%.64s'", marker_member, marker);
		return -1;
	}
	if (sim_in_int(ctx, resp, in, size_member, rule ? rule->min : 1, rule ? rule->max : 100,
		       sim_page_default(ctx->world, resp->operation), &n) < 0)
		return -1;
	*size = (size_t)n;
	return 0;
}

int sim_in_pager(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in, const char *marker_member,
		 const char *bad_marker_code, const char *size_member, struct sim_pager *p)
{
	memset(p, 0, sizeof(*p));
	return sim_in_page(ctx, resp, in, marker_member, bad_marker_code, size_member, &p->start, &p->size);
}

void sim_out_token(json_t *out, const struct sim_pager *p, const char *token_member)
{
	if (p->more) {
		char m[32];
		sim_marker_encode(p->start + p->size, m);
		json_object_set_new(out, token_member, json_string(m));
	}
}

json_t *sim_out_time(double t_s)
{
	char buf[32];

	sim_time_iso(t_s, buf);
	return json_string(buf);
}

void sim_out_set(json_t *o, const char *name, const char *value)
{
	if (value)
		json_object_set_new(o, name, json_string(value));
}
