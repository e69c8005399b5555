/* codec_server.c — the simulator's side of the wire: find a request's
 * operation, parse its input, write replies and errors (see codec_server.h). */
#include "aws/codec_impl.h"
#include "base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void codec_reply_init(struct codec_reply *reply)
{
	memset(reply, 0, sizeof(*reply));
	reply->status = 200;
	strbuf_init(&reply->body);
}

void codec_reply_clean_up(struct codec_reply *reply)
{
	size_t i;

	strbuf_wipe_clean_up(&reply->body);
	for (i = 0; i < reply->n_headers; i++) {
		free(reply->headers[i].name);
		fd_free_secret(reply->headers[i].value);
	}
	free(reply->headers);
	reply->headers = NULL;
	reply->n_headers = 0;
}

void codec_reply_add_header(struct codec_reply *reply, const char *name, const char *value)
{
	reply->headers = xrealloc(reply->headers, (reply->n_headers + 1) * sizeof(*reply->headers));
	reply->headers[reply->n_headers].name = xstrdup(name);
	reply->headers[reply->n_headers].value = xstrdup(value ? value : "");
	reply->n_headers++;
}

/* The row of svc named name; NULL when none. */
static const struct ops_operation *by_name(const struct ops_service *svc, const char *name, size_t len)
{
	const struct ops_operation *op;

	for (op = ops_table; op->name; op++)
		if (op->service == svc && strlen(op->name) == len && strncmp(op->name, name, len) == 0)
			return op;
	return NULL;
}

/* How many literal bytes a requestUri template has (more: more specific). */
static size_t literal_len(const char *t)
{
	size_t n = 0;

	while (*t) {
		if (*t == '{') {
			t += strcspn(t, "}");
			if (*t)
				t++;
			continue;
		}
		n++;
		t++;
	}
	return n;
}

static const struct ops_operation *find_rest(const struct ops_service *svc,
					     const struct codec_server_request *req)
{
	const struct ops_operation *op, *best = NULL;

	for (op = ops_table; op->name; op++) {
		if (op->service != svc || strcmp(ops_method(op), req->method) != 0 ||
		    !codec_rest_match(op, req->target, NULL, NULL))
			continue;
		if (!best || literal_len(ops_uri(op)) > literal_len(ops_uri(best)))
			best = op;
	}
	return best;
}

const struct ops_operation *codec_server_find(const struct ops_service *svc,
					      const struct codec_server_request *req,
					      struct fd_error *err)
{
	const struct ops_operation *op = NULL;
	char action[128];
	const char *target, *dot;
	struct codec_response fake = { .headers = req->headers, .n_headers = req->n_headers };

	switch (svc->protocol) {
	case OPS_QUERY:
	case OPS_EC2:
		if (!codec_form_action(req, action, sizeof(action))) {
			fd_error_set(err, "MissingAction", "the request names no Action");
			if (err)
				err->http_status = 400;
			return NULL;
		}
		op = by_name(svc, action, strlen(action));
		if (!op) {
			fd_error_set(err, "InvalidAction", "%.100s is not a valid action of %s", action,
				     svc->cli_name);
			if (err)
				err->http_status = 400;
		}
		return op;
	case OPS_JSON:
		target = codec_header_get(&fake, "X-Amz-Target");
		dot = target ? strrchr(target, '.') : NULL;
		if (dot && (size_t)(dot - target) == strlen(svc->target_prefix) &&
		    strncmp(target, svc->target_prefix, (size_t)(dot - target)) == 0)
			op = by_name(svc, dot + 1, strlen(dot + 1));
		if (!op) {
			fd_error_set(err, "UnknownOperationException", "unknown operation %.100s",
				     target ? target : "(no X-Amz-Target)");
			if (err)
				err->http_status = 400;
		}
		return op;
	case OPS_REST_XML:
	case OPS_REST_JSON:
		op = find_rest(svc, req);
		if (!op) {
			fd_error_set(err, svc->protocol == OPS_REST_XML ? "InvalidAction" : "UnknownOperationException",
				     "no operation of %s is %s %.200s", svc->cli_name, req->method, req->target);
			if (err)
				err->http_status = 404;
		}
		return op;
	}
	return NULL;
}

json_t *codec_server_parse(const struct ops_operation *op, const struct codec_server_request *req,
			   struct fd_error *err)
{
	return codec_protocol_of(op->service)->parse(op, req, err);
}

int codec_server_reply(const struct ops_operation *op, json_t *output, const char *request_id,
		       struct codec_reply *reply, struct fd_error *err)
{
	if (output && !json_is_object(output))
		return fd_error_set(err, "InvalidInput", "%s output must be a JSON object", op->name);
	return codec_protocol_of(op->service)->reply(op, output, request_id ? request_id : "", reply, err);
}

void codec_server_error(const struct ops_service *svc, int status, const char *code,
			const char *message, const char *request_id, struct codec_reply *reply)
{
	codec_protocol_of(svc)->error(svc, status, code, message, request_id, reply);
}
