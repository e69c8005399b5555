/* codec_restxml.c — the rest-xml protocol (Route 53, CloudFront): members in
 * the URI, the query string, headers and an XML body (the input's root element
 * or its payload member); XML responses with header members (see codec.h,
 * codec_server.h). */
#include "aws/codec_impl.h"

#include <stdio.h>
#include <string.h>

/* Whether object v has a non-null body member of structure r. */
static bool has_body_members(const struct shapes_ref *r, json_t *v)
{
	const char *key;
	json_t *x;

	json_object_foreach(v, key, x) {
		const struct shapes_ref *m = shapes_member(r, key);
		if (m && m->location == SHAPES_IN_BODY && !json_is_null(x))
			return true;
	}
	return false;
}

struct body_ctx {
	const char *root;
	const struct shapes_ref *r;
	json_t *v;
	const char *name;
	bool request;
};

static int element_fill(void *w, void *vctx, struct fd_error *err)
{
	struct body_ctx *c = vctx;
	struct codec_path p;

	codec_path_init(&p, c->root);
	return codec_xml_element(w, c->r, c->v, c->name, c->request, &p, 0, err);
}

static int members_fill(void *w, void *vctx, struct fd_error *err)
{
	struct body_ctx *c = vctx;
	struct codec_path p;

	codec_path_init(&p, c->root);
	return codec_xml_members(w, c->r, c->v, c->request, &p, 0, err);
}

/* The XML body of a structure's body members (or of its payload member) into out;
 * nothing when there are none. root_ns: the namespace of a root without its own. */
static int xml_body(const char *root, const struct shapes_ref *r, json_t *v, const char *root_ns,
		    bool request, struct strbuf *out, struct fd_error *err)
{
	const struct shapes_ref *pm = shapes_payload(r);
	struct body_ctx c = { .root = root, .r = r, .v = v, .request = request };

	if (pm) {
		c.r = pm;
		c.v = json_object_get(v, shapes_str(pm->name));
		c.name = shapes_str(pm->wire);
		if (!c.v || json_is_null(c.v))
			return 0;
		if (*shapes_str(pm->xmlns))
			return codec_xml_document(out, NULL, NULL, element_fill, &c, err);
		return codec_xml_document(out, c.name, root_ns, members_fill, &c, err);
	}
	if (!has_body_members(r, v)) {
		struct codec_path p;
		codec_path_init(&p, root);
		return request ? codec_check_required(r, v, &p, err) : 0;
	}
	return codec_xml_document(out, shapes_str(r->wire), *shapes_str(r->xmlns) ? shapes_str(r->xmlns) : root_ns,
				  members_fill, &c, err);
}

static int restxml_encode(const struct ops_operation *op, json_t *input, struct codec_request *req,
			  struct fd_error *err)
{
	const struct shapes_ref *in = ops_input(op);

	if (codec_rest_encode(op, input, req, err) < 0)
		return -1;
	if (!in)
		return 0;
	if (xml_body(op->name, in, input, NULL, true, &req->body, err) < 0)
		return -1;
	if (req->body.len)
		req->content_type = "application/xml";
	return 0;
}

/* Decode an XML body by out (into result), root checked against its name. */
static int xml_into(const struct ops_operation *op, const struct shapes_ref *out, const char *body,
		    size_t len, json_t *result, const struct codec_response *resp, struct fd_error *err)
{
	const struct shapes_ref *pm = shapes_payload(out);
	const char *want = shapes_str(pm ? pm->wire : out->wire);
	xmlDoc *doc;
	xmlNode *root;
	json_t *v;
	struct codec_path p;

	if (!len || (!pm && !shapes_has_body(out)))
		return 0;
	doc = codec_xml_parse(body, len);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root) {
		if (resp)
			codec_parse_error(op, resp, "invalid or truncated XML", err);
		else
			fd_error_set(err, "ParseError", "%s: invalid or truncated XML", op->name);
		xmlFreeDoc(doc);
		return -1;
	}
	if (strcmp((const char *)root->name, want) != 0) {
		if (resp && (strcmp((const char *)root->name, "ErrorResponse") == 0 ||
			     strcmp((const char *)root->name, "InvalidChangeBatch") == 0))
			codec_xml_error(resp, err);
		else
			fd_error_set(err, "ParseError", "%s: unexpected XML document <%.80s>, want <%s>",
				     op->name, (const char *)root->name, want);
		codec_utf8_trim(err ? err->message : NULL);
		xmlFreeDoc(doc);
		return -1;
	}
	codec_path_init(&p, op->name);
	if (pm)
		codec_path_push(&p, shapes_str(pm->name));
	v = codec_xml_decode(pm ? pm : out, root, &p, 0, err);
	xmlFreeDoc(doc);
	if (!v)
		return -1;
	if (pm) {
		json_object_set_new(result, shapes_str(pm->name), v);
	} else {
		json_object_update(result, v);
		json_decref(v);
	}
	return 0;
}

static json_t *restxml_decode(const struct ops_operation *op, const struct codec_response *resp,
			      struct fd_error *err)
{
	const struct shapes_ref *out = ops_output(op);
	json_t *result;

	if (resp->status < 200 || resp->status > 299) {
		codec_xml_error(resp, err);
		return NULL;
	}
	result = json_object();
	if (out && (codec_rest_decode_headers(op, resp, result, err) < 0 ||
		    xml_into(op, out, resp->body, resp->body_len, result, resp, err) < 0)) {
		json_decref(result);
		return NULL;
	}
	return result;
}

/* ---- the simulator's side ---------------------------------------------------- */

/* The body of a received request or an output, as codec_rest_parse/reply want them. */
static int parse_body(const struct ops_operation *op, const struct shapes_ref *in, const char *body,
		      size_t len, json_t *input, struct fd_error *err)
{
	return xml_into(op, in, body, len, input, NULL, err);
}

static int reply_body(const struct ops_operation *op, const struct shapes_ref *out, json_t *output,
		      struct strbuf *body, struct fd_error *err)
{
	return xml_body(op->name, out, output, op->service->xml_namespace, false, body, err);
}

static json_t *restxml_parse(const struct ops_operation *op, const struct codec_server_request *req,
			     struct fd_error *err)
{
	return codec_rest_parse_request(op, req, parse_body, err);
}

static int restxml_reply(const struct ops_operation *op, json_t *output, const char *request_id,
			 struct codec_reply *reply, struct fd_error *err)
{
	return codec_rest_reply(op, output, request_id, "text/xml", reply_body, reply, err);
}

const struct codec_protocol codec_restxml_protocol = {
	.encode = restxml_encode, .decode = restxml_decode, .parse = restxml_parse,
	.reply = restxml_reply, .error = codec_xml_error_reply,
};
