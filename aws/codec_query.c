/* codec_query.c — the query protocol (sts, monitoring, autoscaling, elbv2, rds,
 * elasticache) and EC2's variant: a form POST; XML responses, the query
 * protocol's in <OpResponse><OpResult>, EC2's members right under
 * <OpResponse> (see codec.h, codec_server.h). */
#include "aws/codec_impl.h"

#include <stdio.h>
#include <string.h>

#include <libxml/xmlwriter.h>

static int form_encode(const struct ops_operation *op, json_t *input, struct codec_request *req,
		       bool ec2, struct fd_error *err)
{
	const struct shapes_ref *in = ops_input(op);

	strbuf_adds(&req->target, "/");
	strbuf_addf(&req->body, "Action=%s&Version=%s", op->name, op->service->api_version);
	if (in && codec_form_encode(op->name, in, input, ec2, &req->body, err) < 0)
		return -1;
	req->content_type = "application/x-www-form-urlencoded; charset=utf-8";
	return 0;
}

static int query_encode(const struct ops_operation *op, json_t *input, struct codec_request *req,
			struct fd_error *err)
{
	return form_encode(op, input, req, false, err);
}

static int ec2_encode(const struct ops_operation *op, json_t *input, struct codec_request *req,
		      struct fd_error *err)
{
	return form_encode(op, input, req, true, err);
}

/* Whether an XML root is an error document. */
static bool error_root(xmlNode *root)
{
	const char *n = (const char *)root->name;

	return strcmp(n, "ErrorResponse") == 0 || strcmp(n, "InvalidChangeBatch") == 0 ||
	       (strcmp(n, "Response") == 0 && codec_xml_child(root, "Errors"));
}

static json_t *xml_decode(const struct ops_operation *op, const struct codec_response *resp, bool ec2,
			  struct fd_error *err)
{
	const struct shapes_ref *out = ops_output(op);
	char want[160];
	xmlDoc *doc;
	xmlNode *root, *node;
	json_t *r;
	struct codec_path p;

	if (resp->status < 200 || resp->status > 299) {
		codec_xml_error(resp, err);
		return NULL;
	}
	if (!resp->body_len) {
		fd_error_set(err, "ParseError", "%s: HTTP %ld with an empty body", op->name, resp->status);
		return NULL;
	}
	doc = codec_xml_parse(resp->body, resp->body_len);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root) {
		codec_parse_error(op, resp, "invalid or truncated XML", err);
		xmlFreeDoc(doc);
		return NULL;
	}
	if (error_root(root)) {
		codec_xml_error(resp, err);
		xmlFreeDoc(doc);
		return NULL;
	}
	snprintf(want, sizeof(want), "%sResponse", op->name);
	if (strcmp((const char *)root->name, want) != 0) {
		fd_error_set(err, "ParseError", "%s: unexpected XML document <%.80s>, want <%s>", op->name,
			     (const char *)root->name, want);
		codec_utf8_trim(err ? err->message : NULL);
		xmlFreeDoc(doc);
		return NULL;
	}
	node = ec2 ? root : codec_xml_child(root, shapes_str(op->shape->wrapper));
	codec_path_init(&p, op->name);
	r = out && node ? codec_xml_decode(out, node, &p, 0, err) : json_object();
	xmlFreeDoc(doc);
	return r;
}

static json_t *query_decode(const struct ops_operation *op, const struct codec_response *resp,
			    struct fd_error *err)
{
	return xml_decode(op, resp, false, err);
}

static json_t *ec2_decode(const struct ops_operation *op, const struct codec_response *resp,
			  struct fd_error *err)
{
	return xml_decode(op, resp, true, err);
}

/* ---- the simulator's side ---------------------------------------------------- */

/* The form of a request: the body of a POST, the query string otherwise. */
static struct codec_header *request_form(const struct codec_server_request *req, size_t *n)
{
	const char *q = strchr(req->target, '?');

	if (strcmp(req->method, "POST") == 0 && req->body_len)
		return codec_form_split(req->body, req->body_len, n);
	return codec_form_split(q ? q + 1 : "", q ? strlen(q + 1) : 0, n);
}

const char *codec_form_action(const struct codec_server_request *req, char *buf, size_t size)
{
	struct codec_header *pairs;
	size_t n, i;

	pairs = request_form(req, &n);
	buf[0] = '\0';
	for (i = 0; i < n; i++)
		if (strcmp(pairs[i].name, "Action") == 0)
			snprintf(buf, size, "%s", pairs[i].value);
	codec_pairs_free(pairs, n);
	return buf[0] ? buf : NULL;
}

static json_t *form_parse(const struct ops_operation *op, const struct codec_server_request *req,
			  bool ec2, struct fd_error *err)
{
	struct codec_header *pairs;
	json_t *input;
	size_t n;

	pairs = request_form(req, &n);
	input = codec_form_decode(op->name, ops_input(op), pairs, n, ec2, err);
	codec_pairs_free(pairs, n);
	return input;
}

static json_t *query_parse(const struct ops_operation *op, const struct codec_server_request *req,
			   struct fd_error *err)
{
	return form_parse(op, req, false, err);
}

static json_t *ec2_parse(const struct ops_operation *op, const struct codec_server_request *req,
			 struct fd_error *err)
{
	return form_parse(op, req, true, err);
}

struct reply_ctx {
	const struct ops_operation *op;
	json_t *output;
	const char *request_id;
	bool ec2;
};

static int reply_fill(void *wp, void *vctx, struct fd_error *err)
{
	struct reply_ctx *c = vctx;
	xmlTextWriterPtr w = wp;
	const struct shapes_ref *out = ops_output(c->op);
	struct codec_path p;

	codec_path_init(&p, c->op->name);
	if (c->ec2) {
		if (xmlTextWriterWriteElement(w, BAD_CAST "requestId", BAD_CAST c->request_id) < 0)
			return fd_error_set(err, "Internal", "the XML writer failed");
		return out ? codec_xml_members(w, out, c->output, false, &p, 0, err) : 0;
	}
	if (out && codec_xml_element(w, out, c->output, shapes_str(c->op->shape->wrapper), false, &p, 0,
				     err) < 0)
		return -1;
	if (xmlTextWriterStartElement(w, BAD_CAST "ResponseMetadata") < 0 ||
	    xmlTextWriterWriteElement(w, BAD_CAST "RequestId", BAD_CAST c->request_id) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		return fd_error_set(err, "Internal", "the XML writer failed");
	return 0;
}

static int form_reply(const struct ops_operation *op, json_t *output, const char *request_id,
		      struct codec_reply *reply, bool ec2, struct fd_error *err)
{
	struct reply_ctx c = { .op = op, .output = output, .request_id = request_id, .ec2 = ec2 };
	char root[160];
	json_t *empty = NULL;
	int rc;

	if (!output)
		c.output = empty = json_object();
	if (!ops_output(op) && json_object_size(c.output)) {
		json_decref(empty);
		return fd_error_set(err, "UnknownParameter", "%s returns nothing", op->name);
	}
	snprintf(root, sizeof(root), "%sResponse", op->name);
	reply->status = op->shape->status;
	snprintf(reply->content_type, sizeof(reply->content_type), "text/xml");
	rc = codec_xml_document(&reply->body, root, op->service->xml_namespace, reply_fill, &c, err);
	json_decref(empty);
	return rc;
}

static int query_reply(const struct ops_operation *op, json_t *output, const char *request_id,
		       struct codec_reply *reply, struct fd_error *err)
{
	return form_reply(op, output, request_id, reply, false, err);
}

static int ec2_reply(const struct ops_operation *op, json_t *output, const char *request_id,
		     struct codec_reply *reply, struct fd_error *err)
{
	return form_reply(op, output, request_id, reply, true, err);
}

struct error_ctx {
	int status;
	const char *code, *message, *request_id;
	bool ec2;
};

static int error_fill(void *wp, void *vctx, struct fd_error *err)
{
	struct error_ctx *c = vctx;
	xmlTextWriterPtr w = wp;
	int rc;

	if (c->ec2)
		rc = xmlTextWriterStartElement(w, BAD_CAST "Errors") < 0 ||
		     xmlTextWriterStartElement(w, BAD_CAST "Error") < 0 ||
		     xmlTextWriterWriteElement(w, BAD_CAST "Code", BAD_CAST c->code) < 0 ||
		     xmlTextWriterWriteElement(w, BAD_CAST "Message", BAD_CAST c->message) < 0 ||
		     xmlTextWriterEndElement(w) < 0 || xmlTextWriterEndElement(w) < 0 ||
		     xmlTextWriterWriteElement(w, BAD_CAST "RequestID", BAD_CAST c->request_id) < 0;
	else
		rc = xmlTextWriterStartElement(w, BAD_CAST "Error") < 0 ||
		     xmlTextWriterWriteElement(w, BAD_CAST "Type",
					       BAD_CAST (c->status >= 500 ? "Receiver" : "Sender")) < 0 ||
		     xmlTextWriterWriteElement(w, BAD_CAST "Code", BAD_CAST c->code) < 0 ||
		     xmlTextWriterWriteElement(w, BAD_CAST "Message", BAD_CAST c->message) < 0 ||
		     xmlTextWriterEndElement(w) < 0 ||
		     xmlTextWriterWriteElement(w, BAD_CAST "RequestId", BAD_CAST c->request_id) < 0;
	return rc ? fd_error_set(err, "Internal", "the XML writer failed") : 0;
}

void codec_xml_error_reply(const struct ops_service *svc, int status, const char *code,
			   const char *message, const char *request_id, struct codec_reply *reply)
{
	struct error_ctx c = { .status = status, .code = code, .message = message ? message : "",
			       .request_id = request_id ? request_id : "",
			       .ec2 = svc->protocol == OPS_EC2 };

	reply->status = status;
	snprintf(reply->content_type, sizeof(reply->content_type), "text/xml");
	strbuf_reset(&reply->body);
	if (codec_xml_document(&reply->body, c.ec2 ? "Response" : "ErrorResponse",
			       c.ec2 ? NULL : svc->xml_namespace, error_fill, &c, NULL) < 0)
		strbuf_adds(&reply->body, "<ErrorResponse><Error><Code>InternalFailure</Code></Error></ErrorResponse>");
}

const struct codec_protocol codec_query_protocol = {
	.encode = query_encode, .decode = query_decode, .parse = query_parse, .reply = query_reply,
	.error = codec_xml_error_reply,
};

const struct codec_protocol codec_ec2_protocol = {
	.encode = ec2_encode, .decode = ec2_decode, .parse = ec2_parse, .reply = ec2_reply,
	.error = codec_xml_error_reply,
};
