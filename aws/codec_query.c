/* codec_query.c — the query protocol: a form POST body, XML responses (see codec.h). */
#include "aws/codec.h"

#include <stdio.h>
#include <string.h>

/* Append "&name=value" for one value, recursing into structures and lists. */
static int add_param(struct strbuf *body, const char *prefix, json_t *v, int depth,
		     struct fd_error *err)
{
	struct strbuf text;
	const char *key;
	json_t *m;
	size_t i;

	if (depth > 32)
		return fd_error_set(err, "InvalidInput", "%s: nested too deeply", prefix);
	if (json_is_null(v))
		return 0;
	if (json_is_object(v)) {
		json_object_foreach(v, key, m) {
			struct strbuf name;
			int r;
			strbuf_init(&name);
			strbuf_addf(&name, "%s.%s", prefix, key);
			r = add_param(body, name.data, m, depth + 1, err);
			strbuf_clean_up(&name);
			if (r < 0)
				return -1;
		}
		return 0;
	}
	if (json_is_array(v)) {
		if (json_array_size(v) == 0) {
			strbuf_addc(body, '&');
			codec_percent_encode(body, prefix, strlen(prefix));
			strbuf_addc(body, '=');
			return 0;
		}
		json_array_foreach(v, i, m) {
			struct strbuf name;
			int r;
			strbuf_init(&name);
			strbuf_addf(&name, "%s.member.%zu", prefix, i + 1);
			r = add_param(body, name.data, m, depth + 1, err);
			strbuf_clean_up(&name);
			if (r < 0)
				return -1;
		}
		return 0;
	}
	strbuf_init(&text);
	codec_scalar_text(v, &text);
	strbuf_addc(body, '&');
	codec_percent_encode(body, prefix, strlen(prefix));
	strbuf_addc(body, '=');
	codec_percent_encode(body, text.data, text.len);
	strbuf_wipe_clean_up(&text);
	return 0;
}

int codec_query_encode(const struct ops_operation *op, json_t *input, struct codec_request *req,
		       struct fd_error *err)
{
	const char *key;
	json_t *v;

	strbuf_adds(&req->target, "/");
	strbuf_addf(&req->body, "Action=%s&Version=%s", op->name, op->service->api_version);
	if (input) {
		json_object_foreach(input, key, v) {
			if (add_param(&req->body, key, v, 0, err) < 0)
				return -1;
		}
	}
	req->content_type = "application/x-www-form-urlencoded; charset=utf-8";
	return 0;
}

json_t *codec_query_decode(const struct ops_operation *op, const struct codec_response *resp,
			   struct fd_error *err)
{
	char result[160];

	if (resp->status < 200 || resp->status > 299) {
		codec_xml_error(op, resp, err);
		return NULL;
	}
	snprintf(result, sizeof(result), "%sResult", op->name);
	return codec_xml_result(op, resp, result, err);
}
