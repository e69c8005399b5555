/* codec_json.c — the json 1.0 / 1.1 protocols (ARC's cluster endpoints): POST /
 * with X-Amz-Target "Prefix.Operation" and the whole input as a JSON body;
 * errors named by the body's __type (see codec.h, codec_server.h). */
#include "aws/codec_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* application/x-amz-json-1.0 or -1.1, as the model says. */
static void content_type(const struct ops_service *svc, char *out, size_t size)
{
	snprintf(out, size, "application/x-amz-json-%s", svc->json_version ? svc->json_version : "1.0");
}

static int json_encode(const struct ops_operation *op, json_t *input, struct codec_request *req,
		       struct fd_error *err)
{
	const struct shapes_ref *in = ops_input(op);
	struct codec_path p;
	char target[160];
	json_t *doc;
	char *s;

	strbuf_adds(&req->target, "/");
	codec_path_init(&p, op->name);
	doc = in ? codec_body_encode(in, input, false, false, &p, 0, err) : json_object();
	if (!doc)
		return -1;
	s = codec_body_dumps(doc);
	strbuf_adds(&req->body, s);
	free(s);
	json_decref(doc);
	snprintf(target, sizeof(target), "%s.%s", op->service->target_prefix, op->name);
	codec_request_add_header(req, "X-Amz-Target", target);
	req->content_type = op->service->json_version && strcmp(op->service->json_version, "1.1") == 0 ?
		"application/x-amz-json-1.1" : "application/x-amz-json-1.0";
	return 0;
}

static json_t *json_decode(const struct ops_operation *op, const struct codec_response *resp,
			   struct fd_error *err)
{
	const struct shapes_ref *out = ops_output(op);
	struct codec_path p;
	json_t *doc, *r;

	if (resp->status < 200 || resp->status > 299) {
		codec_json_error(resp, false, err);
		return NULL;
	}
	doc = codec_json_object(resp->body, resp->body_len, err);
	if (!doc) {
		char what[160];
		snprintf(what, sizeof(what), "%s", err ? err->message : "not a JSON object");
		codec_parse_error(op, resp, what, err);
		return NULL;
	}
	codec_path_init(&p, op->name);
	r = out ? codec_body_decode(out, doc, &p, 0, err) : json_object();
	json_decref(doc);
	return r;
}

static json_t *json_parse(const struct ops_operation *op, const struct codec_server_request *req,
			  struct fd_error *err)
{
	const struct shapes_ref *in = ops_input(op);
	struct codec_path p;
	json_t *doc, *r;

	doc = codec_json_object(req->body, req->body_len, err);
	if (!doc)
		return NULL;
	codec_path_init(&p, op->name);
	r = in ? codec_body_decode(in, doc, &p, 0, err) : json_object();
	json_decref(doc);
	return r;
}

static int json_reply(const struct ops_operation *op, json_t *output, const char *request_id,
		      struct codec_reply *reply, struct fd_error *err)
{
	const struct shapes_ref *out = ops_output(op);
	struct codec_path p;
	json_t *doc;
	char *s;

	codec_path_init(&p, op->name);
	if (!out && output && json_object_size(output))
		return fd_error_set(err, "UnknownParameter", "%s returns nothing", op->name);
	doc = out && output ? codec_body_encode(out, output, true, false, &p, 0, err) : json_object();
	if (!doc)
		return -1;
	reply->status = op->shape->status;
	content_type(op->service, reply->content_type, sizeof(reply->content_type));
	codec_reply_add_header(reply, "x-amzn-RequestId", request_id);
	s = codec_body_dumps(doc);
	strbuf_adds(&reply->body, s);
	free(s);
	json_decref(doc);
	return 0;
}

const struct codec_protocol codec_json_protocol = {
	.encode = json_encode, .decode = json_decode, .parse = json_parse, .reply = json_reply,
	.error = codec_json_error_reply,
};
