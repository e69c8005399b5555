/* codec_restjson.c — the rest-json protocol (X-Ray, the SSO portal): members in
 * the URI, the query string, headers and a JSON body (see codec.h). */
#include "aws/codec.h"

#include <stdlib.h>
#include <string.h>

/* Timestamp members given as ISO 8601 become epoch seconds, recursively. */
static int epoch_timestamps(const struct ops_service *s, json_t *v, int depth,
			    struct fd_error *err)
{
	const char *key;
	json_t *m;
	size_t i;

	if (depth > 32)
		return fd_error_set(err, "InvalidInput", "input nested too deeply");
	if (json_is_array(v)) {
		json_array_foreach(v, i, m)
			if (epoch_timestamps(s, m, depth + 1, err) < 0)
				return -1;
		return 0;
	}
	if (!json_is_object(v))
		return 0;
	json_object_foreach(v, key, m) {
		double t;
		if (ops_hint(s->timestamps, key) && json_is_string(m)) {
			if (codec_parse_time(m, &t) < 0)
				return fd_error_set(err, "InvalidInput",
						    "%s: '%s' is not an ISO 8601 time or epoch seconds",
						    key, json_string_value(m));
			json_object_set_new(v, key, t == (double)(long long)t ?
					    json_integer((long long)t) : json_real(t));
		} else if (epoch_timestamps(s, m, depth + 1, err) < 0) {
			return -1;
		}
	}
	return 0;
}

/* The JSON body of the members that travel in the body, as a compact string. */
int codec_json_body(const struct ops_operation *op, json_t *input, struct strbuf *body,
		    struct fd_error *err)
{
	json_t *doc = json_object();
	const char *key;
	json_t *v;
	char *s;

	if (input) {
		json_object_foreach(input, key, v) {
			enum ops_location where = OPS_IN_BODY;
			ops_input(op, key, &where, NULL, 0);
			if (where == OPS_IN_BODY)
				json_object_set_new(doc, key, json_deep_copy(v));
		}
	}
	if (epoch_timestamps(op->service, doc, 0, err) < 0) {
		json_decref(doc);
		return -1;
	}
	s = json_dumps(doc, JSON_COMPACT);
	strbuf_adds(body, s);
	free(s);
	json_decref(doc);
	return 0;
}

int codec_restjson_encode(const struct ops_operation *op, json_t *input,
			  struct codec_request *req, struct fd_error *err)
{
	if (codec_rest_parts(op, input, req, err) < 0)
		return -1;
	if (strcmp(op->method, "GET") == 0)
		return 0;
	if (codec_json_body(op, input, &req->body, err) < 0)
		return -1;
	req->content_type = "application/json";
	return 0;
}

json_t *codec_restjson_decode(const struct ops_operation *op, const struct codec_response *resp,
			      struct fd_error *err)
{
	if (resp->status < 200 || resp->status > 299) {
		codec_json_error(op, resp, err);
		return NULL;
	}
	return codec_json_result(op, resp, err);
}
