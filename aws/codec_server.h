/* codec_server.h — the other side of the wire, for the simulator: the exact
 * reverse of codec.h, driven by the same shape tables.
 *
 * A server receives a request (codec_server_request), finds its operation
 * among a service's rows of the operation table (codec_server_find: query and
 * ec2 by the Action parameter, json by X-Amz-Target, rest protocols by method
 * and requestUri template), and parses it into the operation's input as
 * botocore-shaped JSON (codec_server_parse: typed by the input shape, lists as
 * arrays, timestamps ISO 8601 strings, URI labels, query-string and header
 * members in place; a parameter the shape does not know fails with
 * "UnknownParameter", a wrongly typed one with "ParseError" naming it).
 *
 * It answers with codec_server_reply: botocore-shaped JSON of the operation's
 * output (what a botocore client would get back) -> status, headers and body
 * in the protocol of the service (query: <OpResponse><OpResult>..., with
 * ResponseMetadata/RequestId; ec2: <OpResponse><requestId>... and <item>
 * lists; rest-xml: the output's root element or payload, header members as
 * headers; rest-json and json: a JSON body with epoch-second timestamps and
 * x-amzn-RequestId). An output member the shape does not know fails with
 * "UnknownParameter" (a handler bug, not something to send). Errors go out with
 * codec_server_error in the service's error format.
 *
 * Ownership: requests are borrowed; a reply is caller storage
 * (codec_reply_init / codec_reply_clean_up); returned JSON belongs to the caller.
 */
#ifndef FD_CODEC_SERVER_H
#define FD_CODEC_SERVER_H

#include <jansson.h>

#include "aws/codec.h"
#include "aws/ops.h"

/* A request as received (everything borrowed). target is the raw request-target:
 * the percent-encoded path and "?query". */
struct codec_server_request {
	const char *method;
	const char *target;
	const struct codec_header *headers;
	size_t n_headers;
	const char *body;
	size_t body_len;
};

struct codec_reply {
	int status;
	char content_type[48];
	struct codec_header *headers;   /* owned */
	size_t n_headers;
	struct strbuf body;
};

void codec_reply_init(struct codec_reply *reply);
void codec_reply_clean_up(struct codec_reply *reply);
void codec_reply_add_header(struct codec_reply *reply, const char *name, const char *value);

/* The operation of svc a request asks for; NULL with "InvalidAction" /
 * "UnknownOperationException" (and the HTTP status AWS answers with in
 * err->http_status) when it is none of the table's. */
const struct ops_operation *codec_server_find(const struct ops_service *svc,
					      const struct codec_server_request *req,
					      struct fd_error *err);
/* The request's input as botocore-shaped JSON (new reference); NULL with err. */
json_t *codec_server_parse(const struct ops_operation *op, const struct codec_server_request *req,
			   struct fd_error *err);
/* A success response carrying output (borrowed; NULL is {}). -1 with err when
 * output does not fit the shape. */
int codec_server_reply(const struct ops_operation *op, json_t *output, const char *request_id,
		       struct codec_reply *reply, struct fd_error *err);
/* An error response: status (400 client, 5xx server), AWS code and message, in
 * the service's format. */
void codec_server_error(const struct ops_service *svc, int status, const char *code,
			const char *message, const char *request_id, struct codec_reply *reply);

#endif
