/* codec.c — what the protocol codecs share: dispatch, encoding helpers, XML and
 * JSON result conversion, error bodies (see codec.h). */
#include "aws/codec.h"
#include "base/isotime.h"
#include "base/xalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

static const struct {
	int (*encode)(const struct ops_operation *, json_t *, struct codec_request *,
		      struct fd_error *);
	json_t *(*decode)(const struct ops_operation *, const struct codec_response *,
			  struct fd_error *);
} codecs[] = {
	[OPS_QUERY] = { codec_query_encode, codec_query_decode },
	[OPS_REST_XML] = { codec_restxml_encode, codec_restxml_decode },
	[OPS_REST_JSON] = { codec_restjson_encode, codec_restjson_decode },
	[OPS_JSON10] = { codec_json10_encode, codec_json10_decode },
};

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

int codec_check_input(const struct ops_operation *op, json_t *input, struct fd_error *err)
{
	const char *key;
	json_t *v;

	if (!input)
		return 0;
	if (!json_is_object(input))
		return fd_error_set(err, "InvalidInput", "%s input must be a JSON object", op->name);
	json_object_foreach(input, key, v) {
		struct strbuf names;
		const char *p;
		if (ops_input(op, key, NULL, NULL, 0))
			continue;
		strbuf_init(&names);
		for (p = op->inputs; *p;) {
			size_t n = strcspn(p, " @");
			if (names.len)
				strbuf_adds(&names, ", ");
			strbuf_add(&names, p, n);
			p += strcspn(p, " ");
			while (*p == ' ')
				p++;
		}
		fd_error_set(err, "UnknownParameter", "%s has no parameter '%s'; valid: %s",
			     op->name, key, names.len ? names.data : "(none)");
		strbuf_clean_up(&names);
		return -1;
	}
	return 0;
}

int codec_encode(const struct ops_operation *op, json_t *input, struct codec_request *req,
		 struct fd_error *err)
{
	if (codec_check_input(op, input, err) < 0)
		return -1;
	req->method = op->method;
	return codecs[op->service->protocol].encode(op, input, req, err);
}

json_t *codec_decode(const struct ops_operation *op, const struct codec_response *resp,
		     struct fd_error *err)
{
	json_t *r = codecs[op->service->protocol].decode(op, resp, err);
	const char *rid;

	if (!r && err) {
		err->http_status = (int)resp->status;
		rid = codec_header_get(resp, "x-amzn-RequestId");
		if (!rid)
			rid = codec_header_get(resp, "x-amz-request-id");
		if (rid && !err->request_id[0])
			snprintf(err->request_id, sizeof(err->request_id), "%s", rid);
	}
	return r;
}

const char *codec_header_get(const struct codec_response *resp, const char *name)
{
	size_t i;

	for (i = 0; i < resp->n_headers; i++)
		if (strcasecmp(resp->headers[i].name, name) == 0)
			return resp->headers[i].value;
	return NULL;
}

void codec_percent_encode(struct strbuf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
			strbuf_addc(out, (char)c);
		} else {
			strbuf_addc(out, '%');
			strbuf_addc(out, hex[c >> 4]);
			strbuf_addc(out, hex[c & 15]);
		}
	}
}

bool codec_scalar_text(json_t *v, struct strbuf *out)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		strbuf_add(out, json_string_value(v), json_string_length(v));
		return true;
	case JSON_INTEGER:
		strbuf_addf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return true;
	case JSON_REAL: {
		char *s = json_dumps(v, JSON_ENCODE_ANY);
		strbuf_adds(out, s);
		free(s);
		return true;
	}
	case JSON_TRUE:
		strbuf_adds(out, "true");
		return true;
	case JSON_FALSE:
		strbuf_adds(out, "false");
		return true;
	default:
		return false;
	}
}

void codec_iso8601(double epoch_s, char out[40])
{
	char buf[ISOTIME_MAX];

	/* milliseconds only when there are any, as botocore serialises them */
	isotime_format(epoch_s, lround(epoch_s * 1000.0) % 1000 ? 3 : 0, buf);
	snprintf(out, 40, "%s", buf);
}

int codec_parse_time(json_t *v, double *epoch_s)
{
	if (json_is_number(v)) {
		*epoch_s = json_number_value(v);
		return 0;
	}
	return isotime_parse_or_epoch(json_string_value(v), epoch_s);
}

/* The hint strings that apply to op (service-wide first, then the operation's). */
static bool is_list(const struct ops_operation *op, const char *name)
{
	return ops_hint(op->service->lists, name) || ops_hint(op->lists, name);
}

/* Whether an element has element children. */
static bool has_element_children(xmlNode *n)
{
	for (n = n->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return true;
	return false;
}

/* A leaf's text typed by the hints for key. */
static json_t *typed_leaf(const struct ops_operation *op, const char *key, const char *text)
{
	const struct ops_service *s = op->service;
	char *end;

	if (ops_hint(s->ints, key)) {
		long long v = strtoll(text, &end, 10);
		if (end != text && *end == '\0')
			return json_integer(v);
	} else if (ops_hint(s->doubles, key)) {
		double v = strtod(text, &end);
		if (end != text && *end == '\0')
			return json_real(v);
	} else if (ops_hint(s->bools, key)) {
		if (strcmp(text, "true") == 0)
			return json_true();
		if (strcmp(text, "false") == 0)
			return json_false();
	}
	return json_string(text);
}

static json_t *xml_convert(const struct ops_operation *op, xmlNode *node, const char *list_name,
			   int depth);

/* The items of a list element as an array (each child element is one item). */
static json_t *xml_list(const struct ops_operation *op, xmlNode *node, int depth)
{
	json_t *arr = json_array();
	xmlNode *c;

	for (c = node->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			json_array_append_new(arr, xml_convert(op, c, (const char *)node->name,
							       depth + 1));
	return arr;
}

/* Whether every child element is named "member" (query lists) and there is one. */
static bool all_members(xmlNode *node)
{
	xmlNode *c;
	int n = 0;

	for (c = node->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)c->name, "member") != 0)
			return false;
		n++;
	}
	return n > 0;
}

/* An element as a structure: one member per child, repeated names become arrays. */
static json_t *xml_struct(const struct ops_operation *op, xmlNode *node, int depth)
{
	json_t *obj = json_object();
	xmlNode *c;

	for (c = node->children; c; c = c->next) {
		const char *key = (const char *)c->name;
		json_t *v, *old;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		v = xml_convert(op, c, NULL, depth + 1);
		old = json_object_get(obj, key);
		if (old && json_is_array(old) && json_is_array(v) && is_list(op, key)) {
			json_array_extend(old, v);   /* a flattened list split in parts */
			json_decref(v);
			continue;
		}
		if (old && json_is_array(old) && !is_list(op, key)) {
			json_array_append_new(old, v);
			continue;
		}
		if (old) {
			json_t *arr = json_array();
			json_array_append(arr, old);
			json_array_append_new(arr, v);
			json_object_set_new(obj, key, arr);
			continue;
		}
		json_object_set_new(obj, key, v);
	}
	return obj;
}

/* One element to JSON; list_name is set when the element is an item of that list. */
static json_t *xml_convert(const struct ops_operation *op, xmlNode *node, const char *list_name,
			   int depth)
{
	const char *name = (const char *)node->name;
	const char *key = list_name ? list_name : name;
	json_t *v;
	xmlChar *text;

	if (depth > 64)
		return json_null();
	if (!list_name && is_list(op, name))
		return xml_list(op, node, depth);
	if (has_element_children(node)) {
		if (all_members(node))
			return xml_list(op, node, depth);
		return xml_struct(op, node, depth);
	}
	text = xmlNodeGetContent(node);
	v = typed_leaf(op, key, text ? (const char *)text : "");
	xmlFree(text);
	return v;
}

/* The first child element of node named name, or NULL. */
static xmlNode *child(xmlNode *node, const char *name)
{
	xmlNode *c;

	if (!node)
		return NULL;
	for (c = node->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

/* The text of node's child name into out (empty when missing). */
static void child_text(xmlNode *node, const char *name, char *out, size_t size)
{
	xmlNode *c = child(node, name);
	xmlChar *t;

	out[0] = '\0';
	if (!c)
		return;
	t = xmlNodeGetContent(c);
	snprintf(out, size, "%s", t ? (const char *)t : "");
	xmlFree(t);
}

/* Parse body as XML without network access, entity expansion or error printing. */
static xmlDoc *parse_xml(const struct codec_response *resp)
{
	if (resp->body_len == 0 || resp->body_len > 64u * 1024 * 1024)
		return NULL;
	return xmlReadMemory(resp->body, (int)resp->body_len, "response.xml", NULL,
			     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

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
	if (n > sizeof(snippet) - 1)
		n = sizeof(snippet) - 1;
	for (i = 0; i < n; i++)
		snippet[i] = (t[i] == '\n' || t[i] == '\r' || t[i] == '\t' ||
			      (unsigned char)t[i] < 0x20) ? ' ' : t[i];
	snippet[n] = '\0';
	snprintf(out, size, "%s body (%zu bytes): %s", ct ? ct : "a", resp->body_len, snippet);
}

/* A generic error from the HTTP status when the body is no AWS error document. */
static void status_error(const struct codec_response *resp, struct fd_error *err)
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

void codec_xml_error(const struct ops_operation *op, const struct codec_response *resp,
		     struct fd_error *err)
{
	xmlDoc *doc = parse_xml(resp);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	char code[64], message[512], rid[128];
	xmlNode *e = NULL;

	(void)op;
	if (!err) {
		xmlFreeDoc(doc);
		return;
	}
	code[0] = message[0] = rid[0] = '\0';
	if (root && strcmp((const char *)root->name, "InvalidChangeBatch") == 0) {
		struct strbuf msgs;
		xmlNode *m, *list = child(root, "Messages");
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
		fd_error_set(err, "InvalidChangeBatch", "%s", msgs.data);
		strbuf_clean_up(&msgs);
		child_text(root, "RequestId", rid, sizeof(rid));
		snprintf(err->request_id, sizeof(err->request_id), "%s", rid);
		xmlFreeDoc(doc);
		return;
	}
	if (root && strcmp((const char *)root->name, "ErrorResponse") == 0)
		e = child(root, "Error");
	else if (root && strcmp((const char *)root->name, "Error") == 0)
		e = root;
	else if (root && child(child(root, "Errors"), "Error"))   /* <Response><Errors><Error> */
		e = child(child(root, "Errors"), "Error");
	if (e)
		child_text(e, "Code", code, sizeof(code));
	if (!e || !code[0]) {
		status_error(resp, err);
		xmlFreeDoc(doc);
		return;
	}
	child_text(e, "Message", message, sizeof(message));
	child_text(root, "RequestId", rid, sizeof(rid));
	if (!rid[0])
		child_text(root, "RequestID", rid, sizeof(rid));
	fd_error_set(err, code, "%s", message);
	snprintf(err->request_id, sizeof(err->request_id), "%s", rid);
	xmlFreeDoc(doc);
}

json_t *codec_xml_result(const struct ops_operation *op, const struct codec_response *resp,
			 const char *root_child, struct fd_error *err)
{
	xmlDoc *doc;
	xmlNode *root, *node;
	json_t *r;
	char desc[200];

	if (resp->body_len == 0) {
		fd_error_set(err, "ParseError", "%s: HTTP %ld with an empty body", op->name,
			     resp->status);
		return NULL;
	}
	doc = parse_xml(resp);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root) {
		describe_body(resp, desc, sizeof(desc));
		fd_error_set(err, "ParseError", "%s: invalid or truncated XML: %s", op->name, desc);
		xmlFreeDoc(doc);
		return NULL;
	}
	if (strcmp((const char *)root->name, "ErrorResponse") == 0 ||
	    strcmp((const char *)root->name, "InvalidChangeBatch") == 0) {
		codec_xml_error(op, resp, err);
		xmlFreeDoc(doc);
		return NULL;
	}
	snprintf(desc, sizeof(desc), "%sResponse", op->name);
	if (strcmp((const char *)root->name, desc) != 0) {
		fd_error_set(err, "ParseError", "%s: unexpected XML document <%.80s>, want <%s>",
			     op->name, (const char *)root->name, desc);
		xmlFreeDoc(doc);
		return NULL;
	}
	node = root_child ? child(root, root_child) : root;
	if (!node)
		r = json_object();
	else if (has_element_children(node))
		r = xml_struct(op, node, 0);
	else
		r = json_object();
	xmlFreeDoc(doc);
	return r;
}

/* Convert members named as timestamps from epoch seconds to ISO 8601, recursively. */
static void json_timestamps(const struct ops_service *s, json_t *v, int depth)
{
	const char *key;
	json_t *m;
	size_t i;

	if (depth > 64 || !s->timestamps)
		return;
	if (json_is_array(v)) {
		json_array_foreach(v, i, m)
			json_timestamps(s, m, depth + 1);
		return;
	}
	if (!json_is_object(v))
		return;
	json_object_foreach(v, key, m) {
		if (json_is_number(m) && ops_hint(s->timestamps, key)) {
			char iso[40];
			codec_iso8601(json_number_value(m), iso);
			json_object_set_new(v, key, json_string(iso));
		} else {
			json_timestamps(s, m, depth + 1);
		}
	}
}

json_t *codec_json_result(const struct ops_operation *op, const struct codec_response *resp,
			  struct fd_error *err)
{
	json_error_t jerr;
	json_t *r;
	char desc[200];

	if (resp->body_len == 0)
		return json_object();
	r = json_loadb(resp->body, resp->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!r || !json_is_object(r)) {
		describe_body(resp, desc, sizeof(desc));
		fd_error_set(err, "ParseError", "%s: not a JSON object (%s): %s", op->name,
			     r ? "other JSON" : jerr.text, desc);
		json_decref(r);
		return NULL;
	}
	json_timestamps(op->service, r, 0);
	return r;
}

void codec_json_error(const struct ops_operation *op, const struct codec_response *resp,
		      struct fd_error *err)
{
	const char *type = codec_header_get(resp, "X-Amzn-ErrorType");
	json_t *body = NULL, *m;
	char code[64] = "";
	const char *msg = "";
	size_t n;

	(void)op;
	if (!err)
		return;
	if (resp->body_len)
		body = json_loadb(resp->body, resp->body_len, 0, NULL);
	if (!type && json_is_object(body)) {
		type = json_string_value(json_object_get(body, "__type"));
		if (!type)
			type = json_string_value(json_object_get(body, "code"));
	}
	if (!type || !*type) {
		json_decref(body);
		status_error(resp, err);
		return;
	}
	if (strchr(type, '#'))
		type = strchr(type, '#') + 1;
	n = strcspn(type, ":");
	if (n >= sizeof(code))
		n = sizeof(code) - 1;
	memcpy(code, type, n);
	code[n] = '\0';
	if (json_is_object(body)) {
		m = json_object_get(body, "message");
		if (!json_is_string(m))
			m = json_object_get(body, "Message");
		if (!json_is_string(m))
			m = json_object_get(body, "errorMessage");
		if (json_is_string(m))
			msg = json_string_value(m);
	}
	fd_error_set(err, code, "%s", msg);
	json_decref(body);
}
