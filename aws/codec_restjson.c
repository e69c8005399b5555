/* codec_restjson.c — the rest-json protocol (X-Ray, the SSO portal): members in
 * the URI, the query string, headers and a JSON body; errors in
 * X-Amzn-ErrorType (see codec.h, codec_server.h). */
#include "aws/codec_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The JSON body of a structure's body members or payload into out. frac: a reply. */
static int json_body(const char *root, const struct shapes_ref *r, json_t *v, bool frac,
		     struct strbuf *out, struct fd_error *err)
{
	const struct shapes_ref *pm = shapes_payload(r);
	struct codec_path p;
	json_t *doc;
	char *s;

	codec_path_init(&p, root);
	if (pm) {
		json_t *x = json_object_get(v, shapes_str(pm->name));
		codec_path_push(&p, shapes_str(pm->name));
		doc = x && !json_is_null(x) ? codec_body_encode(pm, x, frac, false, &p, 0, err) : json_object();
	} else if (shapes_has_body(r)) {
		doc = codec_body_encode(r, v, frac, true, &p, 0, err);
	} else {
		return frac || codec_check_required(r, v, &p, err) == 0 ? 0 : -1;
	}
	if (!doc)
		return -1;
	s = codec_body_dumps(doc);
	strbuf_adds(out, s);
	free(s);
	json_decref(doc);
	return 0;
}

static int restjson_encode(const struct ops_operation *op, json_t *input, struct codec_request *req,
			   struct fd_error *err)
{
	const struct shapes_ref *in = ops_input(op);

	if (codec_rest_encode(op, input, req, err) < 0)
		return -1;
	if (in && json_body(op->name, in, input, false, &req->body, err) < 0)
		return -1;
	if (req->body.len)
		req->content_type = "application/json";
	return 0;
}

/* Decode a JSON body by r into result (the payload member, or merged). */
static int json_into(const char *root, const struct shapes_ref *r, const char *body, size_t len,
		     json_t *result, struct fd_error *err)
{
	const struct shapes_ref *pm = shapes_payload(r);
	json_t *doc, *v;
	struct codec_path p;

	if (!len || (!pm && !shapes_has_body(r)))
		return 0;
	doc = codec_json_object(body, len, err);
	if (!doc)
		return -1;
	codec_path_init(&p, root);
	if (pm)
		codec_path_push(&p, shapes_str(pm->name));
	v = codec_body_decode(pm ? pm : r, doc, &p, 0, err);
	json_decref(doc);
	if (!v)
		return -1;
	if (pm) {
		json_object_set_new(result, shapes_str(pm->name), v);
	} else {
		json_object_update(result, v);
		json_decref(v);
	}
	return 0;
}

static json_t *restjson_decode(const struct ops_operation *op, const struct codec_response *resp,
			       struct fd_error *err)
{
	const struct shapes_ref *out = ops_output(op);
	json_t *result;

	if (resp->status < 200 || resp->status > 299) {
		codec_json_error(resp, true, err);
		return NULL;
	}
	result = json_object();
	if (out && (codec_rest_decode_headers(op, resp, result, err) < 0 ||
		    json_into(op->name, out, resp->body, resp->body_len, result, err) < 0)) {
		if (err && strcmp(err->code, "ParseError") == 0) {
			char what[300];
			snprintf(what, sizeof(what), "%s", err->message);
			codec_parse_error(op, resp, what, err);
		}
		json_decref(result);
		return NULL;
	}
	return result;
}

/* ---- the simulator's side ---------------------------------------------------- */

/* The body of a received request or an output, as codec_rest_parse/reply want them. */
static int parse_body(const struct ops_operation *op, const struct shapes_ref *in, const char *body,
		      size_t len, json_t *input, struct fd_error *err)
{
	return json_into(op->name, in, body, len, input, err);
}

static int reply_body(const struct ops_operation *op, const struct shapes_ref *out, json_t *output,
		      struct strbuf *body, struct fd_error *err)
{
	if (json_body(op->name, out, output, true, body, err) < 0)
		return -1;
	if (!body->len)
		strbuf_adds(body, "{}");
	return 0;
}

static json_t *restjson_parse(const struct ops_operation *op, const struct codec_server_request *req,
			      struct fd_error *err)
{
	return codec_rest_parse_request(op, req, parse_body, err);
}

static int restjson_reply(const struct ops_operation *op, json_t *output, const char *request_id,
			  struct codec_reply *reply, struct fd_error *err)
{
	return codec_rest_reply(op, output, request_id, "application/json", reply_body, reply, err);
}

/* A JSON error reply: rest-json names the code in X-Amzn-ErrorType, json in __type. */
void codec_json_error_reply(const struct ops_service *svc, int status, const char *code,
			    const char *message, const char *request_id, struct codec_reply *reply)
{
	json_t *body = json_object();
	char *s;

	reply->status = status;
	strbuf_reset(&reply->body);
	if (svc->protocol == OPS_REST_JSON) {
		snprintf(reply->content_type, sizeof(reply->content_type), "application/json");
		codec_reply_add_header(reply, "X-Amzn-ErrorType", code);
	} else {
		snprintf(reply->content_type, sizeof(reply->content_type), "application/x-amz-json-%s",
			 svc->json_version ? svc->json_version : "1.0");
		json_object_set_new(body, "__type", json_string(code));
	}
	codec_reply_add_header(reply, "x-amzn-RequestId", request_id ? request_id : "");
	json_object_set_new(body, "message", json_string(message ? message : ""));
	s = codec_body_dumps(body);
	strbuf_adds(&reply->body, s);
	free(s);
	json_decref(body);
}

const struct codec_protocol codec_restjson_protocol = {
	.encode = restjson_encode, .decode = restjson_decode, .parse = restjson_parse,
	.reply = restjson_reply, .error = codec_json_error_reply,
};
