/* codec_restxml.c — the rest-xml protocol (Route 53): members in the URI, the
 * query string and an XML body; XML responses (see codec.h). */
#include "aws/codec.h"

#include <stdio.h>
#include <string.h>

/* Route 53 ids may be given as returned ("/hostedzone/Z1"): keep the last part. */
static const char *strip_route53_id(const char *name, const char *value)
{
	static const char *const prefixes[] = { "/hostedzone/", "/change/", "/delegationset/",
						"/healthcheck/" };
	size_t i;

	if (strcmp(name, "Id") && strcmp(name, "HostedZoneId") && strcmp(name, "DelegationSetId") &&
	    strcmp(name, "HealthCheckId"))
		return value;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(value, prefixes[i], strlen(prefixes[i])) == 0)
			return value + strlen(prefixes[i]);
	return value;
}

/* Append s with XML's five special characters escaped. */
static void xml_escape(struct strbuf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&': strbuf_adds(out, "&amp;"); break;
		case '<': strbuf_adds(out, "&lt;"); break;
		case '>': strbuf_adds(out, "&gt;"); break;
		case '"': strbuf_adds(out, "&quot;"); break;
		case '\'': strbuf_adds(out, "&apos;"); break;
		case '\r': strbuf_adds(out, "&#xD;"); break;
		default: strbuf_addc(out, s[i]);
		}
	}
}

/* The element name of a list's items ("Changes" -> "Change"); "member" when unknown. */
static void item_name(const struct ops_service *s, const char *list, char *out, size_t size)
{
	const char *p = s->xml_list_items;
	size_t n = strlen(list);

	snprintf(out, size, "member");
	while (p && *p) {
		size_t len = strcspn(p, " ");
		if (len > n + 1 && strncmp(p, list, n) == 0 && p[n] == ':') {
			snprintf(out, size, "%.*s", (int)(len - n - 1), p + n + 1);
			return;
		}
		p += len;
		while (*p == ' ')
			p++;
	}
}

/* Append <name>value</name>, recursing into structures and lists. */
static int add_element(const struct ops_service *s, struct strbuf *out, const char *name,
		       json_t *v, int depth, struct fd_error *err)
{
	const char *key;
	json_t *m;
	size_t i;

	if (depth > 32)
		return fd_error_set(err, "InvalidInput", "%s: nested too deeply", name);
	if (json_is_null(v))
		return 0;
	strbuf_addf(out, "<%s>", name);
	if (json_is_object(v)) {
		json_object_foreach(v, key, m)
			if (add_element(s, out, key, m, depth + 1, err) < 0)
				return -1;
	} else if (json_is_array(v)) {
		char item[64];
		item_name(s, name, item, sizeof(item));
		json_array_foreach(v, i, m)
			if (add_element(s, out, item, m, depth + 1, err) < 0)
				return -1;
	} else {
		struct strbuf text;
		strbuf_init(&text);
		codec_scalar_text(v, &text);
		xml_escape(out, text.data, text.len);
		strbuf_clean_up(&text);
	}
	strbuf_addf(out, "</%s>", name);
	return 0;
}

/* Replace {Label} in the path template with the encoded member values. */
static int expand_path(const struct ops_operation *op, json_t *input, struct strbuf *target,
		       struct fd_error *err)
{
	const char *p = op->path;

	while (*p) {
		const char *open = strchr(p, '{'), *close;
		char label[64];
		const char *key, *val = NULL;
		json_t *v;
		if (!open) {
			strbuf_adds(target, p);
			break;
		}
		close = strchr(open, '}');
		if (!close)
			return fd_error_set(err, "Internal", "bad path template %s", op->path);
		strbuf_add(target, p, (size_t)(open - p));
		snprintf(label, sizeof(label), "%.*s", (int)(close - open - 1), open + 1);
		json_object_foreach(input, key, v) {
			enum ops_location where;
			char wire[64];
			if (ops_input(op, key, &where, wire, sizeof(wire)) && where == OPS_IN_URI &&
			    strcmp(wire, label) == 0) {
				if (!json_is_string(v) || !json_string_length(v))
					return fd_error_set(err, "InvalidInput",
							    "%s: %s must be a non-empty string",
							    op->name, key);
				val = strip_route53_id(key, json_string_value(v));
			}
		}
		if (!val)
			return fd_error_set(err, "MissingParameter", "%s needs the parameter %s",
					    op->name, label);
		codec_percent_encode(target, val, strlen(val));
		p = close + 1;
	}
	return 0;
}

/* Append the query-string members to target ("?a=1&b=2"). */
static int add_query(const struct ops_operation *op, json_t *input, struct strbuf *target,
		     struct fd_error *err)
{
	const char *key;
	json_t *v;
	bool first = true;

	json_object_foreach(input, key, v) {
		enum ops_location where;
		char wire[64];
		struct strbuf text;
		if (!ops_input(op, key, &where, wire, sizeof(wire)) || where != OPS_IN_QUERY ||
		    json_is_null(v))
			continue;
		strbuf_init(&text);
		if (!codec_scalar_text(v, &text)) {
			strbuf_clean_up(&text);
			return fd_error_set(err, "InvalidInput", "%s: %s must be a scalar",
					    op->name, key);
		}
		strbuf_addc(target, first ? '?' : '&');
		first = false;
		codec_percent_encode(target, wire, strlen(wire));
		strbuf_addc(target, '=');
		{
			const char *val = strip_route53_id(key, text.data);
			codec_percent_encode(target, val, strlen(val));
		}
		strbuf_clean_up(&text);
	}
	return 0;
}

/* Add header members as request headers. */
static int add_headers(const struct ops_operation *op, json_t *input, struct codec_request *req,
		       struct fd_error *err)
{
	const char *key;
	json_t *v;

	json_object_foreach(input, key, v) {
		enum ops_location where;
		char wire[64];
		struct strbuf text;
		if (!ops_input(op, key, &where, wire, sizeof(wire)) || where != OPS_IN_HEADER ||
		    json_is_null(v))
			continue;
		strbuf_init(&text);
		if (!codec_scalar_text(v, &text) || strpbrk(text.data, "\r\n")) {
			strbuf_wipe_clean_up(&text);
			return fd_error_set(err, "InvalidInput", "%s: %s must be a one-line scalar",
					    op->name, key);
		}
		codec_request_add_header(req, wire, text.data);
		strbuf_wipe_clean_up(&text);
	}
	return 0;
}

int codec_rest_parts(const struct ops_operation *op, json_t *input, struct codec_request *req,
		     struct fd_error *err)
{
	json_t *empty = NULL;
	int r;

	if (!input)
		input = empty = json_object();
	r = expand_path(op, input, &req->target, err);
	if (r == 0)
		r = add_query(op, input, &req->target, err);
	if (r == 0)
		r = add_headers(op, input, req, err);
	json_decref(empty);
	return r;
}

int codec_restxml_encode(const struct ops_operation *op, json_t *input,
			 struct codec_request *req, struct fd_error *err)
{
	const char *key;
	json_t *v;
	bool any = false;

	if (codec_rest_parts(op, input, req, err) < 0)
		return -1;
	if (strcmp(op->method, "POST") != 0 || !input)
		return 0;
	strbuf_addf(&req->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%sRequest xmlns=\"%s\">",
		    op->name, op->service->xml_namespace);
	json_object_foreach(input, key, v) {
		enum ops_location where;
		if (!ops_input(op, key, &where, NULL, 0) || where != OPS_IN_BODY)
			continue;
		if (add_element(op->service, &req->body, key, v, 0, err) < 0)
			return -1;
		any = true;
	}
	strbuf_addf(&req->body, "</%sRequest>", op->name);
	(void)any;
	req->content_type = "application/xml";
	return 0;
}

json_t *codec_restxml_decode(const struct ops_operation *op, const struct codec_response *resp,
			     struct fd_error *err)
{
	if (resp->status < 200 || resp->status > 299) {
		codec_xml_error(op, resp, err);
		return NULL;
	}
	return codec_xml_result(op, resp, NULL, err);
}
