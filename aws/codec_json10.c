/* codec_json10.c — the JSON 1.0 protocol (ARC cluster): POST / with X-Amz-Target
 * and the whole input as a JSON body (see codec.h). */
#include "aws/codec.h"

#include <stdio.h>

int codec_json10_encode(const struct ops_operation *op, json_t *input, struct codec_request *req,
			struct fd_error *err)
{
	char target[160];

	strbuf_adds(&req->target, "/");
	if (codec_json_body(op, input, &req->body, err) < 0)
		return -1;
	snprintf(target, sizeof(target), "%s.%s", op->service->target_prefix, op->name);
	codec_request_add_header(req, "X-Amz-Target", target);
	req->content_type = "application/x-amz-json-1.0";
	return 0;
}

json_t *codec_json10_decode(const struct ops_operation *op, const struct codec_response *resp,
			    struct fd_error *err)
{
	if (resp->status < 200 || resp->status > 299) {
		codec_json_error(op, resp, err);
		return NULL;
	}
	return codec_json_result(op, resp, err);
}
