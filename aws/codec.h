/* codec.h — protocol codecs: JSON input -> HTTP request parts, HTTP response -> JSON.
 *
 * One encoder and one decoder per protocol (query, rest-xml, rest-json,
 * json 1.0), chosen by the operation's service. Decoded results are in
 * botocore's shape: lists are arrays even of zero or one, numbers and booleans
 * typed by the service's hints, timestamps ISO 8601 strings. Errors become an
 * fd_error with the AWS code, message, request id and HTTP status.
 */
#ifndef FD_CODEC_H
#define FD_CODEC_H

#include <stddef.h>

#include <jansson.h>

#include "base/error.h"
#include "aws/ops.h"
#include "base/strbuf.h"

struct codec_header {
	char *name;
	char *value;
};

/* The protocol part of a request; the client adds host, date and signature. */
struct codec_request {
	const char *method;           /* borrowed from the operation */
	struct strbuf target;         /* encoded path and "?query" */
	struct strbuf body;
	const char *content_type;     /* NULL when there is no body */
	struct codec_header *headers; /* X-Amz-Target, header members */
	size_t n_headers;
};

/* A received response (all borrowed; body is NUL-terminated after body_len). */
struct codec_response {
	long status;
	const struct codec_header *headers;
	size_t n_headers;
	const char *body;
	size_t body_len;
};

void codec_request_init(struct codec_request *req);
/* Wipe and free (bodies may carry tokens). */
void codec_request_clean_up(struct codec_request *req);
void codec_request_add_header(struct codec_request *req, const char *name, const char *value);

/* Serialise input (an object, borrowed; NULL means {}) for op. Unknown top-level
 * members fail with code "UnknownParameter" naming the valid ones. */
int codec_encode(const struct ops_operation *op, json_t *input, struct codec_request *req,
		 struct fd_error *err);
/* Turn a response into a result object, or NULL with err filled (AWS error,
 * "ParseError" for a body that is not what the protocol promises). */
json_t *codec_decode(const struct ops_operation *op, const struct codec_response *resp,
		     struct fd_error *err);

/* Per protocol (codec_encode/codec_decode dispatch to these). */
int codec_query_encode(const struct ops_operation *op, json_t *input, struct codec_request *req,
		       struct fd_error *err);
json_t *codec_query_decode(const struct ops_operation *op, const struct codec_response *resp,
			   struct fd_error *err);
int codec_restxml_encode(const struct ops_operation *op, json_t *input,
			 struct codec_request *req, struct fd_error *err);
json_t *codec_restxml_decode(const struct ops_operation *op, const struct codec_response *resp,
			     struct fd_error *err);
int codec_restjson_encode(const struct ops_operation *op, json_t *input,
			  struct codec_request *req, struct fd_error *err);
json_t *codec_restjson_decode(const struct ops_operation *op, const struct codec_response *resp,
			      struct fd_error *err);
int codec_json10_encode(const struct ops_operation *op, json_t *input, struct codec_request *req,
			struct fd_error *err);
json_t *codec_json10_decode(const struct ops_operation *op, const struct codec_response *resp,
			    struct fd_error *err);

/* Shared helpers. */
/* A response header by name, case-insensitive; NULL when absent. Borrowed. */
const char *codec_header_get(const struct codec_response *resp, const char *name);
/* Percent-encode s with the RFC 3986 unreserved set kept. */
void codec_percent_encode(struct strbuf *out, const char *s, size_t len);
/* A JSON scalar as query/XML text ("true", "3", "1.5", the string); false for
 * objects, arrays and null. */
bool codec_scalar_text(json_t *v, struct strbuf *out);
/* Fill err from an XML error body (query ErrorResponse, Route 53 ErrorResponse or
 * InvalidChangeBatch) or, when it is not one, from the HTTP status. */
void codec_xml_error(const struct ops_operation *op, const struct codec_response *resp,
		     struct fd_error *err);
/* Parse an XML body and convert the element named root_child under the root
 * (NULL: the root itself) to JSON by op's hints; a missing child gives {}. */
json_t *codec_xml_result(const struct ops_operation *op, const struct codec_response *resp,
			 const char *root_child, struct fd_error *err);
/* Fill err from a JSON error (X-Amzn-ErrorType header or __type, message). */
void codec_json_error(const struct ops_operation *op, const struct codec_response *resp,
		      struct fd_error *err);
/* Parse a JSON response body into an object ({} when empty), converting
 * timestamp members by the service's hints. */
json_t *codec_json_result(const struct ops_operation *op, const struct codec_response *resp,
			  struct fd_error *err);
/* The URI ({Label} expanded), query-string and header members of a rest protocol. */
int codec_rest_parts(const struct ops_operation *op, json_t *input, struct codec_request *req,
		     struct fd_error *err);
/* The members that travel in a JSON body, compact (timestamps as epoch seconds). */
int codec_json_body(const struct ops_operation *op, json_t *input, struct strbuf *body,
		    struct fd_error *err);
/* Check input's top-level member names against op; -1 with "UnknownParameter". */
int codec_check_input(const struct ops_operation *op, json_t *input, struct fd_error *err);
/* Epoch seconds as ISO 8601 UTC ("2026-11-24T05:00:00Z", ".123" when fractional). */
void codec_iso8601(double epoch_s, char out[40]);
/* ISO 8601 (or a number) to epoch seconds; -1 when it is neither. */
int codec_parse_time(json_t *v, double *epoch_s);

#endif
