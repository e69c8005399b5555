/* codec_rest.c — the parts of a rest-xml / rest-json request outside the body
 * (the requestUri template, query-string and header members) and header members
 * of responses, both ways, as botocore's BaseRestSerializer and BaseRestParser
 * handle them (see codec_impl.h). */
#include "aws/codec_impl.h"
#include "base/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The URI member of op whose wire name is label[0..len); NULL when none. */
static const struct shapes_ref *label_member(const struct shapes_ref *in, const char *label, size_t len)
{
	const struct shapes_shape *s;
	size_t i;

	if (!in)
		return NULL;
	s = shapes_of(in);
	for (i = 0; i < s->n; i++) {
		const struct shapes_ref *m = &shapes_refs[s->first + i];
		if (m->location == SHAPES_IN_URI && strlen(shapes_str(m->wire)) == len &&
		    strncmp(shapes_str(m->wire), label, len) == 0)
			return m;
	}
	return NULL;
}

/* Append one query-string pair to target ('?' or '&' first). */
static void query_pair(struct strbuf *target, const char *name, const char *value, size_t vlen)
{
	strbuf_addc(target, strchr(target->data, '?') ? '&' : '?');
	codec_percent_encode(target, name, strlen(name), NULL);
	strbuf_addc(target, '=');
	codec_percent_encode(target, value, vlen, NULL);
}

/* The query-string member m (value v) into target. */
static int put_query(const struct shapes_ref *m, json_t *v, struct strbuf *target, struct codec_path *p,
		     struct fd_error *err)
{
	enum shapes_type t = shapes_type_of(m);
	struct strbuf text;
	const char *key;
	json_t *x;
	size_t i;
	int rc = 0;

	strbuf_init(&text);
	if (t == SHAPES_LIST && json_is_array(v)) {
		json_array_foreach(v, i, x) {
			strbuf_reset(&text);
			if ((rc = codec_scalar_encode(shapes_item(m), x, SHAPES_TS_ISO8601, &text, p, err)) < 0)
				break;
			query_pair(target, shapes_str(m->wire), text.data, text.len);
		}
	} else if (t == SHAPES_MAP && json_is_object(v)) {
		json_object_foreach(v, key, x) {
			strbuf_reset(&text);
			if ((rc = codec_scalar_encode(shapes_map_value(m), x, SHAPES_TS_ISO8601, &text, p, err)) < 0)
				break;
			query_pair(target, key, text.data, text.len);
		}
	} else if (t == SHAPES_LIST || t == SHAPES_MAP || t == SHAPES_STRUCTURE) {
		rc = fd_error_set(err, "InvalidInput", "%s: must be %s", p->buf,
				  t == SHAPES_LIST ? "an array" : "an object");
	} else if ((rc = codec_scalar_encode(m, v, SHAPES_TS_ISO8601, &text, p, err)) == 0) {
		query_pair(target, shapes_str(m->wire), text.data, text.len);
	}
	strbuf_wipe_clean_up(&text);
	return rc;
}

/* The header member m (value v) as a request header. */
static int put_header(const struct shapes_ref *m, json_t *v, struct codec_request *req,
		      struct codec_path *p, struct fd_error *err)
{
	struct strbuf text;
	json_t *x;
	size_t i;
	int rc = 0;

	strbuf_init(&text);
	if (shapes_type_of(m) == SHAPES_LIST && json_is_array(v)) {
		json_array_foreach(v, i, x) {
			if (i)
				strbuf_addc(&text, ',');
			if ((rc = codec_scalar_encode(shapes_item(m), x, SHAPES_TS_RFC822, &text, p, err)) < 0)
				break;
		}
		if (!json_array_size(v)) {   /* botocore sets no header for an empty list */
			strbuf_wipe_clean_up(&text);
			return 0;
		}
	} else {
		rc = codec_scalar_encode(m, v, SHAPES_TS_RFC822, &text, p, err);
	}
	if (rc == 0 && (strpbrk(text.data, "\r\n") || strlen(text.data) != text.len))
		rc = fd_error_set(err, "InvalidInput", "%s: must be one line of text", p->buf);
	if (rc == 0)
		codec_request_add_header(req, shapes_str(m->wire), text.data);
	strbuf_wipe_clean_up(&text);
	return rc;
}

int codec_rest_encode(const struct ops_operation *op, json_t *input, struct codec_request *req,
		      struct fd_error *err)
{
	const struct shapes_ref *in = ops_input(op);
	const char *t = ops_uri(op);
	struct codec_path p;
	const char *key;
	json_t *v;

	codec_path_init(&p, op->name);
	/* the requestUri template, {Label} and greedy {Label+} expanded */
	while (*t) {
		const char *open = strchr(t, '{'), *close;
		const struct shapes_ref *m;
		struct strbuf text;
		bool greedy;
		size_t n, old;
		if (!open) {
			strbuf_adds(&req->target, t);
			break;
		}
		close = strchr(open, '}');
		if (!close)
			return fd_error_set(err, "Internal", "bad requestUri %s", ops_uri(op));
		strbuf_add(&req->target, t, (size_t)(open - t));
		n = (size_t)(close - open - 1);
		greedy = n && open[n] == '+';
		m = label_member(in, open + 1, greedy ? n - 1 : n);
		v = m ? json_object_get(input, shapes_str(m->name)) : NULL;
		if (!m || !v || json_is_null(v))
			return fd_error_set(err, "MissingParameter", "%s needs the parameter %s", op->name,
					    m ? shapes_str(m->name) : "(a URI label)");
		strbuf_init(&text);
		old = codec_path_push(&p, shapes_str(m->name));
		if (codec_scalar_encode(m, v, SHAPES_TS_ISO8601, &text, &p, err) < 0) {
			strbuf_clean_up(&text);
			return -1;
		}
		codec_path_pop(&p, old);
		if (!text.len) {
			strbuf_clean_up(&text);
			return fd_error_set(err, "InvalidInput", "%s: %s must not be empty", op->name,
					    shapes_str(m->name));
		}
		codec_percent_encode(&req->target, text.data, text.len, greedy ? "/" : NULL);
		strbuf_clean_up(&text);
		t = close + 1;
	}
	if (!input)
		return 0;
	json_object_foreach(input, key, v) {
		const struct shapes_ref *m = in ? shapes_member(in, key) : NULL;
		size_t old;
		int rc = 0;
		if (!m)
			return in ? codec_unknown(in, key, &p, err) :
				fd_error_set(err, "UnknownParameter", "%s has no parameter '%s'", op->name, key);
		if (json_is_null(v))
			continue;
		old = codec_path_push(&p, key);
		if (m->location == SHAPES_IN_QUERY)
			rc = put_query(m, v, &req->target, &p, err);
		else if (m->location == SHAPES_IN_HEADER)
			rc = put_header(m, v, req, &p, err);
		codec_path_pop(&p, old);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* A header value (or comma-separated list) typed by m; NULL with err. */
static json_t *header_value(const struct shapes_ref *m, const char *value, struct codec_path *p,
			    struct fd_error *err)
{
	if (shapes_type_of(m) == SHAPES_LIST) {
		json_t *arr = json_array();
		const char *s = value;
		while (*s) {
			size_t n = strcspn(s, ",");
			const char *a = s, *b = s + n;
			json_t *x;
			while (a < b && isspace((unsigned char)*a))
				a++;
			while (b > a && isspace((unsigned char)b[-1]))
				b--;
			x = codec_scalar_decode(shapes_item(m), a, (size_t)(b - a), p, err);
			if (!x) {
				json_decref(arr);
				return NULL;
			}
			json_array_append_new(arr, x);
			s += n;
			if (*s == ',')
				s++;
		}
		return arr;
	}
	return codec_scalar_decode(m, value, strlen(value), p, err);
}

int codec_rest_decode_headers(const struct ops_operation *op, const struct codec_response *resp,
			      json_t *result, struct fd_error *err)
{
	const struct shapes_shape *s = shapes_of(ops_output(op));
	struct codec_path p;
	size_t i;

	codec_path_init(&p, op->name);
	for (i = 0; i < s->n; i++) {
		const struct shapes_ref *m = &shapes_refs[s->first + i];
		const char *h;
		json_t *v;
		size_t old;
		if (m->location != SHAPES_IN_HEADER || !(h = codec_header_get(resp, shapes_str(m->wire))))
			continue;
		old = codec_path_push(&p, shapes_str(m->name));
		v = header_value(m, h, &p, err);
		codec_path_pop(&p, old);
		if (!v)
			return -1;
		json_object_set_new(result, shapes_str(m->name), v);
	}
	return 0;
}

/* ---- the simulator's side -------------------------------------------------------- */

/* Percent-decode s[0..len) into a new string. */
static char *pct_decode(const char *s, size_t len)
{
	char *out = xmalloc(len + 1);
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = { s[i + 1], s[i + 2], '\0' };
			out[o++] = (char)strtol(hex, NULL, 16);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

/* Set the URI member labelled label[0..n) from the raw text v[0..vn). */
static int set_label(const struct ops_operation *op, const char *label, size_t n, const char *v,
		     size_t vn, json_t *input, struct fd_error *err)
{
	const struct shapes_ref *m = label_member(ops_input(op), label, n);
	struct codec_path p;
	char *text;
	json_t *x;

	if (!m || !input)
		return m ? 0 : fd_error_set(err, "Internal", "%s: no member for a URI label", op->name);
	text = pct_decode(v, vn);
	codec_path_init(&p, shapes_str(m->name));
	x = codec_scalar_decode(m, text, strlen(text), &p, err);
	free(text);
	if (!x)
		return -1;
	json_object_set_new(input, shapes_str(m->name), x);
	return 0;
}

bool codec_rest_match(const struct ops_operation *op, const char *path, json_t *input,
		      struct fd_error *err)
{
	const char *t = ops_uri(op), *q = path;
	const char *tend = t + strcspn(t, "?"), *pend = path + strcspn(path, "?");

	/* a trailing slash does not tell two operations apart (botocore sends the model's) */
	if (tend > t + 1 && tend[-1] == '/')
		tend--;
	if (pend > path + 1 && pend[-1] == '/')
		pend--;
	while (t < tend) {
		if (*t == '{') {
			const char *close = memchr(t, '}', (size_t)(tend - t));
			size_t n;
			const char *seg_end;
			if (!close)
				return false;
			n = (size_t)(close - t - 1);
			if (n && t[n] == '+') {
				seg_end = pend;   /* greedy: the rest of the path */
				n--;
			} else {
				seg_end = q + strcspn(q, "/?");
				if (seg_end > pend)
					seg_end = pend;
			}
			if (seg_end == q || set_label(op, t + 1, n, q, (size_t)(seg_end - q), input, err) < 0)
				return false;
			q = seg_end;
			t = close + 1;
			continue;
		}
		if (q >= pend || *q != *t)
			return false;
		q++;
		t++;
	}
	return q == pend;
}

/* One query-string parameter into the query member it names. */
static int query_param(const struct shapes_ref *in, const char *name, const char *value, json_t *input,
		       struct fd_error *err)
{
	const struct shapes_shape *s = shapes_of(in);
	const struct shapes_ref *m = NULL, *map = NULL;
	struct codec_path p;
	json_t *x, *have;
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct shapes_ref *c = &shapes_refs[s->first + i];
		if (c->location != SHAPES_IN_QUERY)
			continue;
		if (shapes_type_of(c) == SHAPES_MAP)
			map = c;
		else if (strcmp(shapes_str(c->wire), name) == 0)
			m = c;
	}
	if (!m && !map)
		return fd_error_set(err, "UnknownParameter", "query parameter '%s' is not one of the operation's",
				    name);
	codec_path_init(&p, m ? shapes_str(m->name) : name);
	if (!m) {
		x = codec_scalar_decode(shapes_map_value(map), value, strlen(value), &p, err);
		if (!x)
			return -1;
		if (!(have = json_object_get(input, shapes_str(map->name))))
			json_object_set_new(input, shapes_str(map->name), have = json_object());
		json_object_set_new(have, name, x);
		return 0;
	}
	x = codec_scalar_decode(shapes_type_of(m) == SHAPES_LIST ? shapes_item(m) : m, value, strlen(value),
				&p, err);
	if (!x)
		return -1;
	if (shapes_type_of(m) == SHAPES_LIST) {
		if (!(have = json_object_get(input, shapes_str(m->name))))
			json_object_set_new(input, shapes_str(m->name), have = json_array());
		json_array_append_new(have, x);
	} else {
		json_object_set_new(input, shapes_str(m->name), x);
	}
	return 0;
}

int codec_rest_parse(const struct ops_operation *op, const struct codec_server_request *req,
		     json_t *input, struct fd_error *err)
{
	const struct shapes_ref *in = ops_input(op);
	const char *query = strchr(req->target, '?');
	const struct shapes_shape *s;
	struct codec_header *pairs;
	size_t n, i;
	int rc = 0;

	if (!codec_rest_match(op, req->target, input, err))
		return err && err->code[0] ? -1 : fd_error_set(err, "Internal", "%s: the path does not match",
							       op->name);
	if (!in)
		return 0;
	pairs = query ? codec_form_split(query + 1, strlen(query + 1), &n) : NULL;
	for (i = 0; pairs && i < n && rc == 0; i++)
		rc = query_param(in, pairs[i].name, pairs[i].value, input, err);
	if (pairs)
		codec_pairs_free(pairs, n);
	s = shapes_of(in);
	for (i = 0; i < s->n && rc == 0; i++) {
		const struct shapes_ref *m = &shapes_refs[s->first + i];
		struct codec_response fake = { .headers = req->headers, .n_headers = req->n_headers };
		struct codec_path p;
		const char *h;
		json_t *v;
		if (m->location != SHAPES_IN_HEADER || !(h = codec_header_get(&fake, shapes_str(m->wire))))
			continue;
		codec_path_init(&p, shapes_str(m->name));
		v = header_value(m, h, &p, err);
		if (!v)
			rc = -1;
		else
			json_object_set_new(input, shapes_str(m->name), v);
	}
	return rc;
}

/* Header members of output as reply headers. */
static int reply_headers(const struct ops_operation *op, json_t *output, struct codec_reply *reply,
			 struct fd_error *err)
{
	const struct shapes_ref *out = ops_output(op);
	struct codec_request tmp;
	struct codec_path p;
	const char *key;
	json_t *v;
	size_t i;
	int rc = 0;

	codec_request_init(&tmp);
	codec_path_init(&p, op->name);
	json_object_foreach(output, key, v) {
		const struct shapes_ref *m = shapes_member(out, key);
		size_t old;
		if (!m || m->location != SHAPES_IN_HEADER || json_is_null(v))
			continue;
		old = codec_path_push(&p, key);
		rc = put_header(m, v, &tmp, &p, err);
		codec_path_pop(&p, old);
		if (rc < 0)
			break;
	}
	for (i = 0; rc == 0 && i < tmp.n_headers; i++)
		codec_reply_add_header(reply, tmp.headers[i].name, tmp.headers[i].value);
	codec_request_clean_up(&tmp);
	return rc;
}

json_t *codec_rest_parse_request(const struct ops_operation *op, const struct codec_server_request *req,
				 codec_rest_parse_body_fn body, struct fd_error *err)
{
	const struct shapes_ref *in = ops_input(op);
	json_t *input = json_object();

	if (codec_rest_parse(op, req, input, err) < 0 ||
	    (in && body(op, in, req->body, req->body_len, input, err) < 0)) {
		json_decref(input);
		return NULL;
	}
	return input;
}

int codec_rest_reply(const struct ops_operation *op, json_t *output, const char *request_id,
		     const char *content_type, codec_rest_reply_body_fn body, struct codec_reply *reply,
		     struct fd_error *err)
{
	const struct shapes_ref *out = ops_output(op);
	json_t *empty = NULL;
	int rc = 0;

	if (!output)
		output = empty = json_object();
	reply->status = op->shape->status;
	snprintf(reply->content_type, sizeof(reply->content_type), "%s", content_type);
	codec_reply_add_header(reply, "x-amzn-RequestId", request_id);
	if (!out && json_object_size(output))
		rc = fd_error_set(err, "UnknownParameter", "%s returns nothing", op->name);
	else if (out && (reply_headers(op, output, reply, err) < 0 || body(op, out, output, &reply->body, err) < 0))
		rc = -1;
	json_decref(empty);
	return rc;
}
