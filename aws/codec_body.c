/* codec_body.c — JSON bodies (json 1.0/1.1, rest-json) <-> botocore-shaped JSON
 * by shape, as botocore's JSONSerializer and JSON parsers do, and JSON text with
 * shortest doubles (see codec_impl.h). */
#include "aws/codec_impl.h"
#include "base/xalloc.h"

#include <stdlib.h>
#include <string.h>

json_t *codec_body_decode(const struct shapes_ref *r, json_t *v, struct codec_path *p, int depth,
			  struct fd_error *err)
{
	enum shapes_type t = shapes_type_of(r);
	const char *key;
	json_t *x, *out;
	size_t i, old;

	if (depth > CODEC_MAX_DEPTH) {
		fd_error_set(err, "ParseError", "%s: nested too deeply", p->buf);
		return NULL;
	}
	if (json_is_null(v))
		return json_null();
	switch (t) {
	case SHAPES_STRUCTURE:
		if (!json_is_object(v))
			break;
		out = json_object();
		json_object_foreach(v, key, x) {
			const struct shapes_ref *m = shapes_member_wire(r, key, strlen(key));
			json_t *d;
			if (!m || m->location != SHAPES_IN_BODY || json_is_null(x))
				continue;   /* botocore keeps only modelled members */
			old = codec_path_push(p, shapes_str(m->name));
			d = codec_body_decode(m, x, p, depth + 1, err);
			codec_path_pop(p, old);
			if (!d) {
				json_decref(out);
				return NULL;
			}
			json_object_set_new(out, shapes_str(m->name), d);
		}
		return out;
	case SHAPES_LIST:
		if (!json_is_array(v))
			break;
		out = json_array();
		json_array_foreach(v, i, x) {
			json_t *d;
			old = codec_path_index(p, i);
			d = codec_body_decode(shapes_item(r), x, p, depth + 1, err);
			codec_path_pop(p, old);
			if (!d) {
				json_decref(out);
				return NULL;
			}
			json_array_append_new(out, d);
		}
		return out;
	case SHAPES_MAP:
		if (!json_is_object(v))
			break;
		out = json_object();
		json_object_foreach(v, key, x) {
			json_t *d;
			old = codec_path_push(p, key);
			d = codec_body_decode(shapes_map_value(r), x, p, depth + 1, err);
			codec_path_pop(p, old);
			if (!d) {
				json_decref(out);
				return NULL;
			}
			json_object_set_new(out, key, d);
		}
		return out;
	case SHAPES_STRING:
	case SHAPES_BLOB:
		if (json_is_string(v))
			return json_incref(v);
		break;
	case SHAPES_INTEGER:
	case SHAPES_LONG:
		if (json_is_integer(v))
			return json_incref(v);
		break;
	case SHAPES_DOUBLE:
	case SHAPES_FLOAT:
		if (json_is_number(v))
			return json_real(json_number_value(v));
		break;
	case SHAPES_BOOLEAN:
		if (json_is_boolean(v))
			return json_incref(v);
		break;
	case SHAPES_TIMESTAMP: {
		struct codec_time tm;
		char iso[40];
		if (codec_time_json(v, &tm) < 0)
			break;
		codec_time_iso(&tm, false, iso);
		return json_string(iso);
	}
	}
	fd_error_set(err, "ParseError", "%s: a JSON %s where the model has a %s", p->buf,
		     json_is_object(v) ? "object" : json_is_array(v) ? "array" : json_is_string(v) ? "string" :
		     json_is_number(v) ? "number" : "boolean", shapes_type_name(t));
	return NULL;
}

/* A new UUID v4 text, for idempotency tokens botocore would fill in. */
static json_t *uuid4(void)
{
	unsigned char b[16];
	char s[40];
	FILE *f = fopen("/dev/urandom", "rb");
	size_t n = f ? fread(b, 1, sizeof(b), f) : 0;

	if (f)
		fclose(f);
	if (n != sizeof(b))
		return NULL;
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
	snprintf(s, sizeof(s), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
		 b[14], b[15]);
	return json_string(s);
}

int codec_check_required(const struct shapes_ref *r, json_t *v, const struct codec_path *p,
			 struct fd_error *err)
{
	const struct shapes_shape *s = shapes_of(r);
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct shapes_ref *m = &shapes_refs[s->first + i];
		json_t *x = json_object_get(v, shapes_str(m->name));
		if ((m->flags & SHAPES_REQUIRED) && (!x || json_is_null(x)) && !(m->flags & SHAPES_IDEMPOTENCY))
			return fd_error_set(err, "MissingParameter", "%s: missing required parameter %s",
					    p->buf, shapes_str(m->name));
	}
	return 0;
}

int codec_fill_tokens(const struct shapes_ref *r, json_t *v, struct fd_error *err)
{
	const struct shapes_shape *s = shapes_of(r);
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct shapes_ref *m = &shapes_refs[s->first + i];
		json_t *x = json_object_get(v, shapes_str(m->name));
		if ((m->flags & SHAPES_IDEMPOTENCY) && (!x || json_is_null(x))) {
			json_t *u = uuid4();
			if (!u)
				return fd_error_set(err, "Internal", "no random source for an idempotency token");
			json_object_set_new(v, shapes_str(m->name), u);
		}
	}
	return 0;
}

json_t *codec_body_encode(const struct shapes_ref *r, json_t *v, bool frac, bool skip_located,
			  struct codec_path *p, int depth, struct fd_error *err)
{
	enum shapes_type t = shapes_type_of(r);
	const char *key;
	json_t *x, *out;
	size_t i, old;

	if (depth > CODEC_MAX_DEPTH) {
		fd_error_set(err, "InvalidInput", "%s: nested too deeply", p->buf);
		return NULL;
	}
	if (t == SHAPES_STRUCTURE || t == SHAPES_MAP) {
		if (!json_is_object(v)) {
			fd_error_set(err, "InvalidInput", "%s: must be an object", p->buf);
			return NULL;
		}
		if (t == SHAPES_STRUCTURE && !frac && codec_check_required(r, v, p, err) < 0)
			return NULL;
		out = json_object();
		json_object_foreach(v, key, x) {
			const struct shapes_ref *m = t == SHAPES_MAP ? shapes_map_value(r) : shapes_member(r, key);
			json_t *e;
			if (!m) {
				codec_unknown(r, key, p, err);
				json_decref(out);
				return NULL;
			}
			old = codec_path_push(p, key);
			if (json_is_null(x) || (skip_located && m->location != SHAPES_IN_BODY))
				e = json_null();
			else
				e = codec_body_encode(m, x, frac, false, p, depth + 1, err);
			codec_path_pop(p, old);
			if (!e) {
				json_decref(out);
				return NULL;
			}
			if (json_is_null(e))
				json_decref(e);
			else
				json_object_set_new(out, t == SHAPES_MAP ? key : shapes_str(m->wire), e);
		}
		return out;
	}
	if (t == SHAPES_LIST) {
		if (!json_is_array(v)) {
			fd_error_set(err, "InvalidInput", "%s: must be an array", p->buf);
			return NULL;
		}
		out = json_array();
		json_array_foreach(v, i, x) {
			json_t *e;
			old = codec_path_index(p, i);
			e = codec_body_encode(shapes_item(r), x, frac, false, p, depth + 1, err);
			codec_path_pop(p, old);
			if (!e) {
				json_decref(out);
				return NULL;
			}
			json_array_append_new(out, e);
		}
		return out;
	}
	return codec_scalar_json(r, v, SHAPES_TS_EPOCH, frac, p, err);
}

json_t *codec_json_object(const char *body, size_t len, struct fd_error *err)
{
	json_error_t jerr;
	json_t *v;

	if (!len)
		return json_object();
	v = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(v)) {
		fd_error_set(err, "ParseError", "not a JSON object (%s)", v ? "other JSON" : jerr.text);
		json_decref(v);
		return NULL;
	}
	return v;
}

/* ---- JSON text with shortest doubles ---------------------------------------- */

static void dump(struct strbuf *out, json_t *v, size_t flags, int depth);

static void newline(struct strbuf *out, size_t flags, int depth)
{
	int n = (int)(flags & 0x1F) * depth;

	if (!(flags & 0x1F))
		return;
	strbuf_addc(out, '\n');
	while (n-- > 0)
		strbuf_addc(out, ' ');
}

static void dump_scalar(struct strbuf *out, json_t *v, size_t flags)
{
	char *s;

	if (json_is_real(v)) {
		char buf[40];
		codec_double_text(json_real_value(v), buf);
		strbuf_adds(out, buf);
		return;
	}
	s = json_dumps(v, JSON_ENCODE_ANY | (flags & JSON_ENSURE_ASCII));
	if (s)
		strbuf_adds(out, s);
	free(s);
}

/* One object member "key": value. */
static void dump_member(struct strbuf *out, const char *key, json_t *m, size_t flags, int depth)
{
	json_t *k = json_string(key);

	dump_scalar(out, k, flags);
	json_decref(k);
	strbuf_adds(out, (flags & JSON_COMPACT) ? ":" : ": ");
	dump(out, m, flags, depth);
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void dump(struct strbuf *out, json_t *v, size_t flags, int depth)
{
	const char *sep = (flags & JSON_COMPACT) || (flags & 0x1F) ? "," : ", ";
	const char *key;
	json_t *m;
	size_t i, n;

	if (json_is_array(v)) {
		if (!json_array_size(v)) {
			strbuf_adds(out, "[]");
			return;
		}
		strbuf_addc(out, '[');
		json_array_foreach(v, i, m) {
			if (i)
				strbuf_adds(out, sep);
			newline(out, flags, depth + 1);
			dump(out, m, flags, depth + 1);
		}
		newline(out, flags, depth);
		strbuf_addc(out, ']');
	} else if (json_is_object(v)) {
		if (!json_object_size(v)) {
			strbuf_adds(out, "{}");
			return;
		}
		strbuf_addc(out, '{');
		if (flags & JSON_SORT_KEYS) {
			const char **keys = xmalloc(json_object_size(v) * sizeof(*keys));
			n = 0;
			json_object_foreach(v, key, m)
				keys[n++] = key;
			qsort(keys, n, sizeof(*keys), cmp_keys);
			for (i = 0; i < n; i++) {
				if (i)
					strbuf_adds(out, sep);
				newline(out, flags, depth + 1);
				dump_member(out, keys[i], json_object_get(v, keys[i]), flags, depth + 1);
			}
			free(keys);
		} else {
			i = 0;
			json_object_foreach(v, key, m) {
				if (i++)
					strbuf_adds(out, sep);
				newline(out, flags, depth + 1);
				dump_member(out, key, m, flags, depth + 1);
			}
		}
		newline(out, flags, depth);
		strbuf_addc(out, '}');
	} else {
		dump_scalar(out, v, flags);
	}
}

char *codec_json_dumps(json_t *v, size_t flags)
{
	struct strbuf out;

	strbuf_init(&out);
	dump(&out, v, flags, 0);
	return strbuf_detach(&out, NULL);
}

char *codec_body_dumps(json_t *v)
{
	return codec_json_dumps(v, JSON_COMPACT);
}
