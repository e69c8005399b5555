/* wire_server.c — the simulator's side of the wire (aws/codec_server.h), many
 * cases in one process, for tests/client/wire_diff.py's round trips with botocore.
 *
 * One JSON case per line on stdin, one answer per line on stdout:
 *   {"id", "mode": "reply", "service", "operation", "output"}
 *       -> {"id", "status", "headers": {...}, "body"}
 *   {"id", "mode": "parse", "service", "method", "target", "headers": {...}, "body"}
 *       -> {"id", "operation", "input"} or {"id", "error": {"code", "message", "status"}}
 *   {"id", "mode": "error", "service", "status", "code", "message"}
 *       -> {"id", "status", "headers", "body"}
 */
#include "aws/codec_server.h"
#include "aws/ops.h"
#include "base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A reply as a JSON answer (adds to out). */
static void reply_json(json_t *out, const struct codec_reply *r)
{
	json_t *h = json_object();
	size_t i;

	for (i = 0; i < r->n_headers; i++)
		json_object_set_new(h, r->headers[i].name, json_string(r->headers[i].value));
	if (r->content_type[0])
		json_object_set_new(h, "Content-Type", json_string(r->content_type));
	json_object_set_new(out, "status", json_integer(r->status));
	json_object_set_new(out, "headers", h);
	json_object_set_new(out, "body", json_stringn(r->body.data, r->body.len));
}

static void error_json(json_t *out, const struct fd_error *err)
{
	json_object_set_new(out, "error", json_pack("{s:s, s:s, s:i}", "code", err->code, "message",
						    err->message, "status", err->http_status));
}

static void run_case(json_t *c, json_t *out)
{
	const char *mode = json_string_value(json_object_get(c, "mode"));
	const char *svc_name = json_string_value(json_object_get(c, "service"));
	const struct ops_service *svc = ops_service_find(svc_name);
	struct codec_reply reply;
	struct fd_error err;

	fd_error_clear(&err);
	codec_reply_init(&reply);
	if (!svc || !mode) {
		fd_error_set(&err, "BadCase", "no such service or mode");
		error_json(out, &err);
	} else if (strcmp(mode, "reply") == 0) {
		const struct ops_operation *op =
			ops_find(svc_name, json_string_value(json_object_get(c, "operation")));
		if (op && codec_server_reply(op, json_object_get(c, "output"), "req-wire", &reply, &err) == 0)
			reply_json(out, &reply);
		else
			error_json(out, &err);
	} else if (strcmp(mode, "error") == 0) {
		codec_server_error(svc, (int)json_integer_value(json_object_get(c, "status")),
				   json_string_value(json_object_get(c, "code")),
				   json_string_value(json_object_get(c, "message")), "req-wire", &reply);
		reply_json(out, &reply);
	} else {
		json_t *hs = json_object_get(c, "headers"), *v, *input;
		struct codec_header *h = xcalloc(json_object_size(hs) + 1, sizeof(*h));
		const struct ops_operation *op;
		const char *key;
		size_t n = 0;
		json_object_foreach(hs, key, v) {
			h[n].name = (char *)key;
			h[n].value = (char *)json_string_value(v);
			n++;
		}
		struct codec_server_request req = {
			.method = json_string_value(json_object_get(c, "method")),
			.target = json_string_value(json_object_get(c, "target")),
			.headers = h, .n_headers = n,
			.body = json_string_value(json_object_get(c, "body")),
			.body_len = json_string_length(json_object_get(c, "body")),
		};
		op = codec_server_find(svc, &req, &err);
		input = op ? codec_server_parse(op, &req, &err) : NULL;
		if (input) {
			json_object_set_new(out, "operation", json_string(op->name));
			json_object_set_new(out, "input", input);
		} else {
			error_json(out, &err);
		}
		free(h);
	}
	codec_reply_clean_up(&reply);
}

int main(void)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&buf, &cap, stdin)) > 0) {
		json_error_t jerr;
		json_t *c = json_loadb(buf, (size_t)n, 0, &jerr), *out;
		char *line;
		if (!json_is_object(c)) {
			fprintf(stderr, "wire_server: bad case line: %s\n", jerr.text);
			json_decref(c);
			free(buf);
			return 2;
		}
		out = json_object();
		json_object_set(out, "id", json_object_get(c, "id"));
		run_case(c, out);
		line = json_dumps(out, JSON_COMPACT | JSON_REAL_PRECISION(17));
		printf("%s\n", line);
		free(line);
		json_decref(out);
		json_decref(c);
	}
	free(buf);
	return 0;
}
