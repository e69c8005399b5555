/* codec.h — protocol codecs: JSON input -> HTTP request parts, HTTP response -> JSON.
 *
 * One codec per protocol of AWS's models (query, ec2, rest-xml, rest-json,
 * json 1.0/1.1), driven by the shape tables generated from botocore's service
 * models (aws/shapes.h): types, list-ness, member and element names, where a
 * member travels, timestamp formats. Results are JSON in botocore's shape:
 * structures are objects of the modelled members (others are dropped, as
 * botocore drops them), lists are arrays even of zero or one, numbers and
 * booleans typed by the shape, timestamps ISO 8601 UTC strings (microseconds
 * kept), blobs base64 text. Inputs are checked against the input shape: unknown
 * members ("UnknownParameter"), missing required ones ("MissingParameter") and
 * values of the wrong type ("InvalidInput") fail before anything is sent;
 * scalars given as text ("5", "true") are accepted for numbers and booleans.
 * Errors become an fd_error with the AWS code, message (cut on a UTF-8
 * character boundary), request id and HTTP status. The simulator's side — a
 * received request to JSON, JSON to a response — is codec_server.h.
 */
#ifndef FD_CODEC_H
#define FD_CODEC_H

#include <stddef.h>

#include <jansson.h>

#include "aws/ops.h"
#include "base/error.h"
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

/* Serialise input (an object, borrowed; NULL means {}) for op. */
int codec_encode(const struct ops_operation *op, json_t *input, struct codec_request *req,
		 struct fd_error *err);
/* Turn a response into a result object, or NULL with err filled (AWS error,
 * "ParseError" for a body that is not what the protocol and shape promise). */
json_t *codec_decode(const struct ops_operation *op, const struct codec_response *resp,
		     struct fd_error *err);
/* Check input against op's input shape without building a request (unknown,
 * missing and mistyped members); -1 with err. */
int codec_check_input(const struct ops_operation *op, json_t *input, struct fd_error *err);

/* A command-line Name=Value's value typed by the top-level member's shape:
 * numbers and booleans by type, lists as comma-separated items, the text
 * otherwise (new reference). */
json_t *codec_cli_value(const struct ops_operation *op, const char *name, const char *value);

/* A JSON document as text (json_dumps flags), every double written as the
 * shortest text that reads back the same (0.1, not 0.10000000000000001). */
char *codec_json_dumps(json_t *v, size_t flags);

/* A response header by name, case-insensitive; NULL when absent. Borrowed. */
const char *codec_header_get(const struct codec_response *resp, const char *name);
/* Percent-encode s with the RFC 3986 unreserved set kept (and the bytes of keep). */
void codec_percent_encode(struct strbuf *out, const char *s, size_t len, const char *keep);
/* Epoch seconds as ISO 8601 UTC ("2026-11-24T05:00:00Z", ".250" when fractional). */
void codec_iso8601(double epoch_s, char out[40]);
/* ISO 8601, RFC 822 or epoch seconds (a number or its text) to epoch seconds; -1 when none. */
int codec_parse_time(json_t *v, double *epoch_s);

#endif
