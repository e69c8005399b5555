/* codec.c — what the protocol codecs share: dispatch by protocol, the request
 * and reply structures, input preparation, error bodies (see codec.h). */
#include "aws/codec_impl.h"
#include "base/termtext.h"
#include "base/xalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>

static const struct codec_protocol *const protocols[] = {
	[OPS_QUERY] = &codec_query_protocol,
	[OPS_EC2] = &codec_ec2_protocol,
	[OPS_REST_XML] = &codec_restxml_protocol,
	[OPS_REST_JSON] = &codec_restjson_protocol,
	[OPS_JSON] = &codec_json_protocol,
};

const struct codec_protocol *codec_protocol_of(const struct ops_service *svc)
{
	return protocols[svc->protocol];
}

void codec_request_init(struct codec_request *req)
{
	memset(req, 0, sizeof(*req));
	strbuf_init(&req->target);
	strbuf_init(&req->body);
}

void codec_request_clean_up(struct codec_request *req)
{
	size_t i;

	strbuf_wipe_clean_up(&req->target);
	strbuf_wipe_clean_up(&req->body);
	for (i = 0; i < req->n_headers; i++) {
		free(req->headers[i].name);
		fd_free_secret(req->headers[i].value);
	}
	free(req->headers);
	req->headers = NULL;
	req->n_headers = 0;
}

void codec_request_add_header(struct codec_request *req, const char *name, const char *value)
{
	req->headers = xrealloc(req->headers, (req->n_headers + 1) * sizeof(*req->headers));
	req->headers[req->n_headers].name = xstrdup(name);
	req->headers[req->n_headers].value = xstrdup(value);
	req->n_headers++;
}

/* The input as botocore's handlers leave it before serialisation: Route 53 ids
 * cut to their last path part (fix_route53_ids), absent idempotency tokens
 * filled (generate_idempotent_uuid). A new reference. */
static json_t *prepared_input(const struct ops_operation *op, json_t *input, struct fd_error *err)
{
	const struct shapes_ref *in = ops_input(op);
	const struct shapes_shape *s;
	json_t *copy;
	size_t i;

	if (input && !json_is_object(input)) {
		fd_error_set(err, "InvalidInput", "%s input must be a JSON object", op->name);
		return NULL;
	}
	copy = input ? json_copy(input) : json_object();
	if (!in)
		return copy;
	s = shapes_of(in);
	for (i = 0; i < s->n; i++) {
		const struct shapes_ref *m = &shapes_refs[s->first + i];
		const char *v = json_string_value(json_object_get(copy, shapes_str(m->name)));
		if ((m->flags & SHAPES_LAST_PATH_PART) && v && strrchr(v, '/'))
			json_object_set_new(copy, shapes_str(m->name), json_string(strrchr(v, '/') + 1));
	}
	if (codec_fill_tokens(in, copy, err) < 0) {
		json_decref(copy);
		return NULL;
	}
	return copy;
}

int codec_encode(const struct ops_operation *op, json_t *input, struct codec_request *req,
		 struct fd_error *err)
{
	json_t *in = prepared_input(op, input, err);
	int rc;

	if (!in)
		return -1;
	if (!ops_input(op) && json_object_size(in)) {
		const char *key = json_object_iter_key(json_object_iter(in));
		json_decref(in);
		return fd_error_set(err, "UnknownParameter", "%s has no parameter '%s'; it takes none",
				    op->name, key);
	}
	req->method = ops_method(op);
	rc = protocols[op->service->protocol]->encode(op, in, req, err);
	json_decref(in);
	return rc;
}

int codec_check_input(const struct ops_operation *op, json_t *input, struct fd_error *err)
{
	struct codec_request req;
	int rc;

	codec_request_init(&req);
	rc = codec_encode(op, input, &req, err);
	codec_request_clean_up(&req);
	return rc;
}

json_t *codec_decode(const struct ops_operation *op, const struct codec_response *resp,
		     struct fd_error *err)
{
	const char *rid;
	json_t *r;

	fd_error_clear(err);
	r = protocols[op->service->protocol]->decode(op, resp, err);

	if (!r && err) {
		err->http_status = (int)resp->status;
		rid = codec_header_get(resp, "x-amzn-RequestId");
		if (!rid)
			rid = codec_header_get(resp, "x-amz-request-id");
		if (rid && !err->request_id[0])
			fd_error_set_request_id(err, rid);
	}
	return r;
}

json_t *codec_cli_value(const struct ops_operation *op, const char *name, const char *value)
{
	const struct shapes_ref *in = ops_input(op);
	const struct shapes_ref *m = in ? shapes_member(in, name) : NULL;
	struct codec_path p;
	json_t *v;

	if (m && shapes_type_of(m) == SHAPES_LIST) {
		json_t *arr = json_array();
		const char *s = value;
		while (*s) {
			size_t n = strcspn(s, ",");
			json_array_append_new(arr, json_stringn(s, n));
			s += n;
			if (*s == ',')
				s++;
		}
		return arr;
	}
	if (!m || shapes_type_of(m) == SHAPES_STRING || shapes_type_of(m) == SHAPES_TIMESTAMP)
		return json_string(value);
	codec_path_init(&p, name);
	v = codec_scalar_decode(m, value, strlen(value), &p, NULL);
	return v ? v : json_string(value);   /* the encoder names the problem */
}

const char *codec_header_get(const struct codec_response *resp, const char *name)
{
	size_t i;

	for (i = 0; i < resp->n_headers; i++)
		if (strcasecmp(resp->headers[i].name, name) == 0)
			return resp->headers[i].value;
	return NULL;
}

void codec_percent_encode(struct strbuf *out, const char *s, size_t len, const char *keep)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep && c && strchr(keep, c))) {
			strbuf_addc(out, (char)c);
		} else {
			strbuf_addc(out, '%');
			strbuf_addc(out, hex[c >> 4]);
			strbuf_addc(out, hex[c & 15]);
		}
	}
}

void codec_iso8601(double epoch_s, char out[40])
{
	struct codec_time t = { .s = (long long)floor(epoch_s) };

	t.us = (int)llround((epoch_s - floor(epoch_s)) * 1e6);
	if (t.us >= 1000000) {
		t.s++;
		t.us -= 1000000;
	}
	codec_time_iso(&t, false, out);
}

int codec_parse_time(json_t *v, double *epoch_s)
{
	struct codec_time t;

	if (codec_time_json(v, &t) < 0)
		return -1;
	*epoch_s = (double)t.s + t.us / 1e6;
	return 0;
}

/* ---- errors ----------------------------------------------------------------- */

/* A short description of a body that is not what was expected (first line, or the HTML title). */
static void describe_body(const struct codec_response *resp, char *out, size_t size)
{
	const char *ct = codec_header_get(resp, "Content-Type");
	const char *b = resp->body, *t;
	size_t n, i;
	char snippet[120];

	if (!resp->body_len) {
		snprintf(out, size, "an empty body");
		return;
	}
	t = b ? strstr(b, "<title>") : NULL;
	if (t && (size_t)(t - b) < resp->body_len) {
		t += 7;
		n = strcspn(t, "<");
	} else {
		t = b;
		n = resp->body_len;
	}
	n = termtext_cut(t, n, sizeof(snippet) - 1);   /* on a UTF-8 boundary */
	for (i = 0; i < n; i++)
		snippet[i] = (t[i] == '\n' || t[i] == '\r' || t[i] == '\t' ||
			      (unsigned char)t[i] < 0x20) ? ' ' : t[i];
	snippet[n] = '\0';
	snprintf(out, size, "%s body (%zu bytes): %s", ct ? ct : "a", resp->body_len, snippet);
}

void codec_status_error(const struct codec_response *resp, struct fd_error *err)
{
	static const struct {
		long status;
		const char *code;
	} codes[] = {
		{ 400, "BadRequest" }, { 403, "Forbidden" }, { 404, "NotFound" },
		{ 413, "RequestEntityTooLarge" }, { 429, "TooManyRequestsException" },
		{ 500, "InternalFailure" }, { 502, "BadGateway" }, { 503, "ServiceUnavailable" },
		{ 504, "GatewayTimeout" },
	};
	char desc[200], code[32];
	size_t i;

	snprintf(code, sizeof(code), "HTTP%ld", resp->status);
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].status == resp->status)
			snprintf(code, sizeof(code), "%s", codes[i].code);
	describe_body(resp, desc, sizeof(desc));
	fd_error_set(err, code, "HTTP %ld with %s", resp->status, desc);
}

void codec_parse_error(const struct ops_operation *op, const struct codec_response *resp,
		       const char *what, struct fd_error *err)
{
	char desc[200];

	describe_body(resp, desc, sizeof(desc));
	fd_error_set(err, "ParseError", "%s: %s: %s", op->name, what, desc);
}

/* The text of node's child name (malloc'd; "" when missing). */
static char *child_text(xmlNode *node, const char *name)
{
	xmlNode *c = codec_xml_child(node, name);
	xmlChar *t = c ? xmlNodeGetContent(c) : NULL;
	char *s = xstrdup(t ? (const char *)t : "");

	xmlFree(t);
	return s;
}

void codec_xml_error(const struct codec_response *resp, struct fd_error *err)
{
	xmlDoc *doc = codec_xml_parse(resp->body, resp->body_len);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	xmlNode *e = NULL;
	char *code = NULL, *message = NULL, *rid = NULL;

	if (!err) {
		xmlFreeDoc(doc);
		return;
	}
	if (root && strcmp((const char *)root->name, "InvalidChangeBatch") == 0) {
		/* Route 53: <InvalidChangeBatch><Messages><Message>...</Message>... */
		struct strbuf msgs;
		xmlNode *m, *list = codec_xml_child(root, "Messages");
		strbuf_init(&msgs);
		for (m = list ? list->children : root->children; m; m = m->next) {
			xmlChar *t;
			if (m->type != XML_ELEMENT_NODE || strcmp((const char *)m->name, "Message"))
				continue;
			t = xmlNodeGetContent(m);
			if (msgs.len)
				strbuf_adds(&msgs, "; ");
			strbuf_adds(&msgs, t ? (const char *)t : "");
			xmlFree(t);
		}
		codec_aws_error(err, "InvalidChangeBatch", 18, msgs.data);
		strbuf_clean_up(&msgs);
		rid = child_text(root, "RequestId");
	} else {
		if (root && strcmp((const char *)root->name, "ErrorResponse") == 0)
			e = codec_xml_child(root, "Error");
		else if (root && strcmp((const char *)root->name, "Error") == 0)
			e = root;
		else if (root && codec_xml_child(codec_xml_child(root, "Errors"), "Error"))
			e = codec_xml_child(codec_xml_child(root, "Errors"), "Error");   /* ec2 */
		code = e ? child_text(e, "Code") : NULL;
		if (!code || !code[0]) {
			codec_status_error(resp, err);
		} else {
			message = child_text(e, "Message");
			codec_aws_error(err, code, strlen(code), message);
			rid = child_text(root, "RequestId");
			if (!rid[0]) {
				free(rid);
				rid = child_text(root, "RequestID");
			}
		}
	}
	if (rid)
		fd_error_set_request_id(err, rid);
	free(code);
	free(message);
	free(rid);
	xmlFreeDoc(doc);
}

/* An error code as AWS's SDKs read it: up to its first ':' (a URL may follow), after
 * the first '#' (a namespace may precede): "com.example#FooError:http://..." is FooError
 * (https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html, "Operation error
 * serialization"; aws-sdk-go-v2 restjson.SanitizeErrorCode). n: its length. */
static const char *sanitize_code(const char *code, size_t *n)
{
	size_t len = strcspn(code, ":");
	const char *hash = memchr(code, '#', len);

	if (hash) {
		len -= (size_t)(hash + 1 - code);
		code = hash + 1;
	}
	*n = len;
	return code;
}

void codec_json_error(const struct codec_response *resp, bool rest, struct fd_error *err)
{
	const char *header = codec_header_get(resp, "X-Amzn-ErrorType");
	const char *query = codec_header_get(resp, "x-amzn-query-error");
	json_t *body = NULL, *m;
	const char *code = NULL, *msg = "";
	size_t n;

	if (!err)
		return;
	if (resp->body_len)
		body = json_loadb(resp->body, resp->body_len, 0, NULL);
	if (!json_is_object(body)) {
		json_decref(body);
		body = NULL;
	}
	/* botocore: json takes the awsQueryCompatible header, then the body's __type;
	 * rest-json the X-Amzn-ErrorType header, then the body's code. */
	if (!rest && query && strchr(query, ';') && query[0] != ';' && !strchr(strchr(query, ';') + 1, ';')) {
		code = query;
		n = strcspn(query, ";");
	} else {
		if (rest && header && *header)
			code = header;
		if (!code && rest)
			code = json_string_value(json_object_get(body, "code"));
		if (!code && rest)
			code = json_string_value(json_object_get(body, "Code"));
		if (!code)
			code = json_string_value(json_object_get(body, "__type"));
		if (!code && header && *header)
			code = header;
		n = 0;
		if (code)
			code = sanitize_code(code, &n);
	}
	if (!code || !n) {
		json_decref(body);
		codec_status_error(resp, err);
		return;
	}
	m = json_object_get(body, "message");
	if (!json_is_string(m))
		m = json_object_get(body, "Message");
	if (!json_is_string(m))
		m = json_object_get(body, "errorMessage");
	if (json_is_string(m))
		msg = json_string_value(m);
	codec_aws_error(err, code, n, msg);
	json_decref(body);
}
