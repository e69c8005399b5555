/* codec_impl.h — what the codec files share (aws/codec*.c only; the rest of the
 * tree uses codec.h and codec_server.h).
 *
 * Values are JSON in botocore's shape on one side and wire text on the other,
 * typed by the shape tables: codec_value.c converts scalars and timestamps,
 * codec_xml.c, codec_body.c (JSON bodies), codec_form.c (query and ec2 forms)
 * and codec_rest.c (URI, query string, headers) walk structures, lists and maps
 * both ways. Every walker names the place of a problem with a codec_path.
 */
#ifndef FD_CODEC_IMPL_H
#define FD_CODEC_IMPL_H

#include <stdbool.h>

#include <jansson.h>
#include <libxml/tree.h>

#include "aws/codec.h"
#include "aws/codec_server.h"
#include "aws/shapes.h"

#define CODEC_MAX_DEPTH 48

/* Where in an input or output a walker is, for messages: "Filters[0].Values[2]". */
struct codec_path {
	char buf[240];
	size_t len;
	size_t base;   /* the root's length: "DescribeX" before "DescribeX: Filters[0]" */
};
/* Start at root (the operation's name, or the parameter's). */
void codec_path_init(struct codec_path *p, const char *root);
/* Append ".name" / "[i]"; return the previous length for codec_path_pop. */
size_t codec_path_push(struct codec_path *p, const char *name);
size_t codec_path_index(struct codec_path *p, size_t i);
void codec_path_pop(struct codec_path *p, size_t len);

/* An instant: seconds since the epoch and microseconds (botocore's precision). */
struct codec_time {
	long long s;
	int us;
};
/* ISO 8601 (fraction and offset optional), epoch seconds or RFC 822 text; -1 when none. */
int codec_time_parse(const char *text, size_t len, struct codec_time *t);
/* A JSON number (epoch seconds) or string as above; -1 when neither. */
int codec_time_json(json_t *v, struct codec_time *t);
/* ISO 8601 UTC. send: as botocore's serializers write it (".123456" when there is a
 * fraction); else as decoded results carry it (".123" for whole milliseconds). */
void codec_time_iso(const struct codec_time *t, bool send, char out[40]);
void codec_time_rfc822(const struct codec_time *t, char out[40]);
/* Epoch seconds: an integer, or a real when fraction and there are microseconds. */
json_t *codec_time_epoch(const struct codec_time *t, bool fraction);

/* A double as Python's repr writes it: the shortest text that reads back the same. */
void codec_double_text(double d, char out[40]);

/* Wire text of a scalar -> its JSON value by the reference's type (timestamps
 * become ISO 8601 strings). NULL with "ParseError" naming the path. */
json_t *codec_scalar_decode(const struct shapes_ref *r, const char *text, size_t len,
			    const struct codec_path *p, struct fd_error *err);
/* A JSON scalar -> wire text by the reference's type; timestamps in the reference's
 * format or dflt. -1 with "InvalidInput" naming the path. */
int codec_scalar_encode(const struct shapes_ref *r, json_t *v, enum shapes_ts dflt,
			struct strbuf *out, const struct codec_path *p, struct fd_error *err);
/* A JSON value checked and converted for a scalar member of a JSON body:
 * numbers for numbers, epoch seconds for timestamps (fraction kept when frac).
 * New reference, or NULL with "InvalidInput". */
json_t *codec_scalar_json(const struct shapes_ref *r, json_t *v, enum shapes_ts dflt, bool frac,
			  const struct codec_path *p, struct fd_error *err);

/* "PATH has no parameter 'key'; valid: A, B" (p: the structure r's own path). */
int codec_unknown(const struct shapes_ref *r, const char *key, const struct codec_path *p,
		  struct fd_error *err);
/* Cut s so that it ends on a whole UTF-8 character (after a truncating copy). */
void codec_utf8_trim(char *s);
/* Fill err with an AWS error: code and message cut on UTF-8 boundaries. */
void codec_aws_error(struct fd_error *err, const char *code, size_t code_len, const char *message);

/* XML (codec_xml.c). */
/* Parse a body without network access or entity expansion; NULL when not XML. */
xmlDoc *codec_xml_parse(const char *body, size_t len);
/* The first child element of node with the local name name; NULL when none. */
xmlNode *codec_xml_child(xmlNode *node, const char *name);
/* An element to JSON by the reference. */
json_t *codec_xml_decode(const struct shapes_ref *r, xmlNode *node, struct codec_path *p,
			 int depth, struct fd_error *err);
/* A structure's body members (JSON object v) as child elements of the element
 * being written (w: an xmlTextWriter); URI, query and header members are left
 * out. request: check required members (replies are not checked). */
int codec_xml_members(void *w, const struct shapes_ref *r, json_t *v, bool request,
		      struct codec_path *p, int depth, struct fd_error *err);
/* A value as one element named name (a flattened list: one element per item). */
int codec_xml_element(void *w, const struct shapes_ref *r, json_t *v, const char *name, bool request,
		      struct codec_path *p, int depth, struct fd_error *err);
/* Write a whole document: <root xmlns=ns> + fill(ctx) + </root> into out. */
int codec_xml_document(struct strbuf *out, const char *root, const char *ns,
		       int (*fill)(void *w, void *ctx, struct fd_error *err), void *ctx,
		       struct fd_error *err);

/* JSON bodies (codec_body.c). */
/* A JSON value received -> botocore's shape (member names, ISO timestamps, only
 * modelled members). New reference, NULL with "ParseError". */
json_t *codec_body_decode(const struct shapes_ref *r, json_t *v, struct codec_path *p, int depth,
			  struct fd_error *err);
/* botocore-shaped JSON -> the JSON value to send (wire names, epoch timestamps);
 * only body members when skip_located. frac: a reply (epoch timestamps keep their
 * fraction, required members are not checked); else a request as botocore sends
 * it (whole seconds). New reference, NULL with "InvalidInput". */
json_t *codec_body_encode(const struct shapes_ref *r, json_t *v, bool frac, bool skip_located,
			  struct codec_path *p, int depth, struct fd_error *err);
/* The required members of structure r missing from object v: -1 with "MissingParameter". */
int codec_check_required(const struct shapes_ref *r, json_t *v, const struct codec_path *p,
			 struct fd_error *err);
/* Fill absent idempotency tokens of the structure v (owned by the caller) with UUIDs. */
int codec_fill_tokens(const struct shapes_ref *r, json_t *v, struct fd_error *err);
/* A JSON document as compact text, doubles as their shortest round-trip text. */
char *codec_body_dumps(json_t *v);

/* Forms (codec_form.c): query and ec2 request bodies. */
int codec_form_encode(const char *root, const struct shapes_ref *r, json_t *input, bool ec2,
		      struct strbuf *body, struct fd_error *err);
/* Decoded name/value pairs of a form -> the input (Action and Version skipped). */
json_t *codec_form_decode(const char *root, const struct shapes_ref *r,
			  const struct codec_header *pairs, size_t n, bool ec2, struct fd_error *err);
/* Split an application/x-www-form-urlencoded text into decoded pairs (caller frees
 * with codec_pairs_free). */
struct codec_header *codec_form_split(const char *text, size_t len, size_t *n);
void codec_pairs_free(struct codec_header *pairs, size_t n);

/* REST parts (codec_rest.c). */
/* URI, query string and header members of input into req (target, headers). */
int codec_rest_encode(const struct ops_operation *op, json_t *input, struct codec_request *req,
		      struct fd_error *err);
/* Header members of an output from a response's headers into result. */
int codec_rest_decode_headers(const struct ops_operation *op, const struct codec_response *resp,
			      json_t *result, struct fd_error *err);
/* Whether path matches op's requestUri template (labels filled into input when set). */
bool codec_rest_match(const struct ops_operation *op, const char *path, json_t *input,
		      struct fd_error *err);
/* URI labels, query-string and header members of a received request into input. */
int codec_rest_parse(const struct ops_operation *op, const struct codec_server_request *req,
		     json_t *input, struct fd_error *err);
/* A rest protocol's body reader and writer (rest-xml, rest-json). */
typedef int (*codec_rest_parse_body_fn)(const struct ops_operation *op, const struct shapes_ref *in,
					const char *body, size_t len, json_t *input, struct fd_error *err);
typedef int (*codec_rest_reply_body_fn)(const struct ops_operation *op, const struct shapes_ref *out,
					json_t *output, struct strbuf *body, struct fd_error *err);
/* A received request's input: URI labels, query string, headers, then the body. */
json_t *codec_rest_parse_request(const struct ops_operation *op, const struct codec_server_request *req,
				 codec_rest_parse_body_fn body, struct fd_error *err);
/* A success reply: status, content type, x-amzn-RequestId, header members, body. */
int codec_rest_reply(const struct ops_operation *op, json_t *output, const char *request_id,
		     const char *content_type, codec_rest_reply_body_fn body, struct codec_reply *reply,
		     struct fd_error *err);

/* One protocol: the client's two directions and the server's three. */
struct codec_protocol {
	int (*encode)(const struct ops_operation *op, json_t *input, struct codec_request *req,
		      struct fd_error *err);
	json_t *(*decode)(const struct ops_operation *op, const struct codec_response *resp,
			  struct fd_error *err);
	json_t *(*parse)(const struct ops_operation *op, const struct codec_server_request *req,
			 struct fd_error *err);
	int (*reply)(const struct ops_operation *op, json_t *output, const char *request_id,
		     struct codec_reply *reply, struct fd_error *err);
	void (*error)(const struct ops_service *svc, int status, const char *code, const char *message,
		      const char *request_id, struct codec_reply *reply);
};
extern const struct codec_protocol codec_query_protocol, codec_ec2_protocol, codec_restxml_protocol,
	codec_restjson_protocol, codec_json_protocol;
const struct codec_protocol *codec_protocol_of(const struct ops_service *svc);

/* The Action parameter of a query / ec2 request into buf; NULL when none. */
const char *codec_form_action(const struct codec_server_request *req, char *buf, size_t size);
/* An XML error reply (query and rest-xml ErrorResponse, ec2 Response/Errors). */
void codec_xml_error_reply(const struct ops_service *svc, int status, const char *code,
			   const char *message, const char *request_id, struct codec_reply *reply);

/* A JSON error reply (rest-json: X-Amzn-ErrorType; json: __type). */
void codec_json_error_reply(const struct ops_service *svc, int status, const char *code,
			    const char *message, const char *request_id, struct codec_reply *reply);

/* Errors (codec.c). */
/* A generic error from the HTTP status when the body is no AWS error document. */
void codec_status_error(const struct codec_response *resp, struct fd_error *err);
/* "ParseError": "Op: what: <a description of the body>". */
void codec_parse_error(const struct ops_operation *op, const struct codec_response *resp,
		       const char *what, struct fd_error *err);
/* An XML error body (query ErrorResponse, ec2 Response/Errors, rest-xml Error,
 * Route 53 InvalidChangeBatch) or, when it is none, the HTTP status. */
void codec_xml_error(const struct codec_response *resp, struct fd_error *err);
/* A JSON error as botocore reads it (rest: the rest-json rules). */
void codec_json_error(const struct codec_response *resp, bool rest, struct fd_error *err);
/* The body of a received request or response parsed as a JSON object ({} when
 * empty); NULL with "ParseError". */
json_t *codec_json_object(const char *body, size_t len, struct fd_error *err);

#endif
