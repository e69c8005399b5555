/* codec_form.c — query and ec2 request forms <-> botocore-shaped JSON by shape,
 * as botocore's QuerySerializer and EC2Serializer write them (see
 * codec_impl.h): structures as Prefix.Member, lists as Prefix.member.N (or the
 * list member's locationName, "Filters.Filter.1"; flattened: Prefix.N; ec2:
 * Prefix.N with capitalised locationNames or queryName), an empty query list as
 * "Prefix=", maps as Prefix.entry.N.key / .value, timestamps ISO 8601. */
#include "aws/codec_impl.h"
#include "base/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Append "&name=value", both percent-encoded. */
static void add_pair(struct strbuf *body, const char *name, size_t nlen, const char *value, size_t vlen)
{
	strbuf_addc(body, '&');
	codec_percent_encode(body, name, nlen, NULL);
	strbuf_addc(body, '=');
	codec_percent_encode(body, value, vlen, NULL);
}

struct form {
	struct strbuf *body;
	struct strbuf prefix;
	struct codec_path path;
	bool ec2;
};

static int put(struct form *f, const struct shapes_ref *r, json_t *v, int depth, struct fd_error *err);

/* prefix += ".name" (no dot when it is empty); returns the old length. */
static size_t push(struct strbuf *prefix, const char *name)
{
	size_t old = prefix->len;

	if (prefix->len)
		strbuf_addc(prefix, '.');
	strbuf_adds(prefix, name);
	return old;
}

static void pop(struct strbuf *prefix, size_t len)
{
	prefix->len = len;
	prefix->data[len] = '\0';
}

static int put_list(struct form *f, const struct shapes_ref *r, json_t *v, int depth,
		    struct fd_error *err)
{
	const struct shapes_ref *item = shapes_item(r);
	size_t base = f->prefix.len, i;
	json_t *x;

	if (!json_is_array(v))
		return fd_error_set(err, "InvalidInput", "%s: must be an array", f->path.buf);
	if (!json_array_size(v)) {
		if (!f->ec2)   /* the query protocol sends an empty list as "Name=" */
			add_pair(f->body, f->prefix.data, f->prefix.len, "", 0);
		return 0;
	}
	if (!f->ec2 && (r->flags & SHAPES_FLATTENED) && (item->flags & SHAPES_HAS_NAME)) {
		/* botocore replaces the last part of the prefix with the item's name */
		char *dot = strrchr(f->prefix.data, '.');
		pop(&f->prefix, dot ? (size_t)(dot - f->prefix.data) : 0);
		push(&f->prefix, shapes_str(item->query));
	} else if (!f->ec2 && !(r->flags & SHAPES_FLATTENED)) {
		push(&f->prefix, shapes_str(item->query));
	}
	json_array_foreach(v, i, x) {
		size_t old = f->prefix.len, pold = codec_path_index(&f->path, i);
		strbuf_addf(&f->prefix, ".%zu", i + 1);
		if (put(f, item, x, depth + 1, err) < 0)
			return -1;
		pop(&f->prefix, old);
		codec_path_pop(&f->path, pold);
	}
	pop(&f->prefix, base);
	return 0;
}

static int put_map(struct form *f, const struct shapes_ref *r, json_t *v, int depth, struct fd_error *err)
{
	const struct shapes_ref *kr = shapes_item(r), *vr = shapes_map_value(r);
	size_t base = f->prefix.len, i = 0;
	const char *key;
	json_t *x;

	if (!json_is_object(v))
		return fd_error_set(err, "InvalidInput", "%s: must be an object", f->path.buf);
	if (!(r->flags & SHAPES_FLATTENED))
		push(&f->prefix, "entry");
	json_object_foreach(v, key, x) {
		size_t entry = f->prefix.len, pold = codec_path_push(&f->path, key);
		strbuf_addf(&f->prefix, ".%zu", ++i);
		push(&f->prefix, shapes_str(kr->query));
		add_pair(f->body, f->prefix.data, f->prefix.len, key, strlen(key));
		pop(&f->prefix, entry);
		strbuf_addf(&f->prefix, ".%zu", i);
		push(&f->prefix, shapes_str(vr->query));
		if (put(f, vr, x, depth + 1, err) < 0)
			return -1;
		pop(&f->prefix, entry);
		codec_path_pop(&f->path, pold);
	}
	pop(&f->prefix, base);
	return 0;
}

static int put(struct form *f, const struct shapes_ref *r, json_t *v, int depth, struct fd_error *err)
{
	enum shapes_type t = shapes_type_of(r);
	struct strbuf text;
	const char *key;
	json_t *x;
	int rc;

	if (depth > CODEC_MAX_DEPTH)
		return fd_error_set(err, "InvalidInput", "%s: nested too deeply", f->path.buf);
	if (t == SHAPES_LIST)
		return put_list(f, r, v, depth, err);
	if (t == SHAPES_MAP)
		return put_map(f, r, v, depth, err);
	if (t == SHAPES_STRUCTURE) {
		if (!json_is_object(v))
			return fd_error_set(err, "InvalidInput", "%s: must be an object", f->path.buf);
		if (codec_check_required(r, v, &f->path, err) < 0)
			return -1;
		json_object_foreach(v, key, x) {
			const struct shapes_ref *m = shapes_member(r, key);
			size_t old, pold;
			if (!m)
				return codec_unknown(r, key, &f->path, err);
			pold = codec_path_push(&f->path, key);
			if (!json_is_null(x)) {
				old = push(&f->prefix, shapes_str(m->query));
				if (put(f, m, x, depth + 1, err) < 0)
					return -1;
				pop(&f->prefix, old);
			}
			codec_path_pop(&f->path, pold);
		}
		return 0;
	}
	strbuf_init(&text);
	rc = codec_scalar_encode(r, v, SHAPES_TS_ISO8601, &text, &f->path, err);
	if (rc == 0)
		add_pair(f->body, f->prefix.data, f->prefix.len, text.data, text.len);
	strbuf_wipe_clean_up(&text);
	return rc;
}

int codec_form_encode(const char *root, const struct shapes_ref *r, json_t *input, bool ec2,
		      struct strbuf *body, struct fd_error *err)
{
	struct form f = { .body = body, .ec2 = ec2 };
	int rc;

	strbuf_init(&f.prefix);
	strbuf_adds(&f.prefix, "");
	codec_path_init(&f.path, root);
	rc = put(&f, r, input, 0, err);
	strbuf_wipe_clean_up(&f.prefix);
	return rc;
}

/* ---- decoding (the simulator's side) ----------------------------------------- */

/* The member of structure r a form name part stands for (its request name, or a
 * flattened query list's item name). */
static const struct shapes_ref *form_member(const struct shapes_ref *r, const char *part, size_t len,
					    bool ec2)
{
	const struct shapes_ref *m = shapes_member_query(r, part, len);
	const struct shapes_shape *s = shapes_of(r);
	size_t i;

	if (m || ec2)
		return m;
	for (i = 0; i < s->n; i++) {
		const struct shapes_ref *f = &shapes_refs[s->first + i];
		const struct shapes_ref *item = shapes_type_of(f) == SHAPES_LIST ? shapes_item(f) : NULL;
		if (item && (f->flags & SHAPES_FLATTENED) && (item->flags & SHAPES_HAS_NAME) &&
		    strlen(shapes_str(item->query)) == len && strncmp(shapes_str(item->query), part, len) == 0)
			return f;
	}
	return NULL;
}

/* The next dotted part of *name (advancing past it and its dot). */
static const char *next_part(const char **name, size_t *len)
{
	const char *p = *name, *dot = strchr(p, '.');

	*len = dot ? (size_t)(dot - p) : strlen(p);
	*name = dot ? dot + 1 : p + *len;
	return p;
}

/* A list index part "N" (1-based, at most 10000); 0 when it is not one. */
static size_t index_part(const char *p, size_t len)
{
	size_t v = 0, i;

	if (!len || len > 5)
		return 0;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)p[i]))
			return 0;
		v = v * 10 + (size_t)(p[i] - '0');
	}
	return v <= 10000 ? v : 0;
}

/* The slot N of array arr (grown with nulls), borrowed. */
static json_t *slot(json_t *arr, size_t n)
{
	while (json_array_size(arr) < n)
		json_array_append_new(arr, json_null());
	return json_array_get(arr, n - 1);
}

struct unform {
	const char *full;   /* the whole parameter name, for messages */
	const char *value;
	bool ec2;
	struct codec_path path;
};

static int place(struct unform *u, const struct shapes_ref *r, json_t **slotp, const char *rest,
		 int depth, struct fd_error *err);

/* Place a value under a list (rest: "member.N..." or "N..."). */
static int place_list(struct unform *u, const struct shapes_ref *r, json_t **slotp, const char *rest,
		      bool named, int depth, struct fd_error *err)
{
	const struct shapes_ref *item = shapes_item(r);
	const char *part;
	size_t len, n;
	json_t *item_v;

	if (!*slotp || json_is_null(*slotp)) {
		json_decref(*slotp);
		*slotp = json_array();
	}
	if (!json_is_array(*slotp))
		return fd_error_set(err, "ParseError", "%s: a list and a value at once", u->full);
	if (!*rest)
		return *u->value ? fd_error_set(err, "ParseError", "%s: a list needs item numbers", u->full) : 0;
	if (named) {
		part = next_part(&rest, &len);
		if (strlen(shapes_str(item->query)) != len || strncmp(part, shapes_str(item->query), len) != 0)
			return fd_error_set(err, "UnknownParameter", "%s: want .%s.N", u->full,
					    shapes_str(item->query));
	}
	part = next_part(&rest, &len);
	n = index_part(part, len);
	if (!n)
		return fd_error_set(err, "ParseError", "%s: '%.*s' is not an item number", u->full, (int)len,
				    part);
	slot(*slotp, n);
	item_v = json_incref(json_array_get(*slotp, n - 1));
	if (place(u, item, &item_v, rest, depth + 1, err) < 0) {
		json_decref(item_v);
		return -1;
	}
	json_array_set_new(*slotp, n - 1, item_v);
	return 0;
}

/* Place a value under a map: entries gather as [{"key": k, "value": v}, ...] until
 * finish() turns them into an object. */
static int place_map(struct unform *u, const struct shapes_ref *r, json_t **slotp, const char *rest,
		     int depth, struct fd_error *err)
{
	const struct shapes_ref *kr = shapes_item(r), *vr = shapes_map_value(r);
	const char *part;
	size_t len, n;
	json_t *entry, *v;

	if (!*slotp || json_is_null(*slotp)) {
		json_decref(*slotp);
		*slotp = json_array();
	}
	if (!(r->flags & SHAPES_FLATTENED)) {
		part = next_part(&rest, &len);
		if (len != 5 || strncmp(part, "entry", 5) != 0)
			return fd_error_set(err, "UnknownParameter", "%s: want .entry.N", u->full);
	}
	part = next_part(&rest, &len);
	n = index_part(part, len);
	if (!n)
		return fd_error_set(err, "ParseError", "%s: '%.*s' is not an entry number", u->full,
				    (int)len, part);
	entry = slot(*slotp, n);
	if (json_is_null(entry)) {
		json_array_set_new(*slotp, n - 1, json_object());
		entry = json_array_get(*slotp, n - 1);
	}
	part = next_part(&rest, &len);
	if (strlen(shapes_str(kr->query)) == len && strncmp(part, shapes_str(kr->query), len) == 0 && !*rest) {
		json_object_set_new(entry, "key", json_string(u->value));
		return 0;
	}
	if (strlen(shapes_str(vr->query)) != len || strncmp(part, shapes_str(vr->query), len) != 0)
		return fd_error_set(err, "UnknownParameter", "%s: want .%s or .%s", u->full,
				    shapes_str(kr->query), shapes_str(vr->query));
	v = json_incref(json_object_get(entry, "value"));
	if (place(u, vr, &v, rest, depth + 1, err) < 0) {
		json_decref(v);
		return -1;
	}
	json_object_set_new(entry, "value", v);
	return 0;
}

static int place(struct unform *u, const struct shapes_ref *r, json_t **slotp, const char *rest,
		 int depth, struct fd_error *err)
{
	enum shapes_type t = shapes_type_of(r);
	const struct shapes_ref *m;
	const char *part;
	size_t len;
	json_t *child;

	if (depth > CODEC_MAX_DEPTH)
		return fd_error_set(err, "ParseError", "%s: nested too deeply", u->full);
	if (t == SHAPES_LIST)
		return place_list(u, r, slotp, rest, !u->ec2 && !(r->flags & SHAPES_FLATTENED), depth, err);
	if (t == SHAPES_MAP)
		return place_map(u, r, slotp, rest, depth, err);
	if (t != SHAPES_STRUCTURE) {
		json_t *v;
		if (*rest)
			return fd_error_set(err, "UnknownParameter", "%s: %s has no members", u->full,
					    shapes_type_name(t));
		if (*slotp && !json_is_null(*slotp))
			return fd_error_set(err, "ParseError", "%s: given twice", u->full);
		codec_path_init(&u->path, u->full);
		v = codec_scalar_decode(r, u->value, strlen(u->value), &u->path, err);
		if (!v)
			return -1;
		json_decref(*slotp);
		*slotp = v;
		return 0;
	}
	if (!*slotp || json_is_null(*slotp)) {
		json_decref(*slotp);
		*slotp = json_object();
	}
	if (!json_is_object(*slotp) || !*rest)
		return fd_error_set(err, "ParseError", "%s: a structure needs member names", u->full);
	part = next_part(&rest, &len);
	m = form_member(r, part, len, u->ec2);
	if (!m)
		return fd_error_set(err, "UnknownParameter", "%s: '%.*s' is not a member", u->full, (int)len,
				    part);
	/* a flattened query list named by its item: the item number follows directly */
	child = json_incref(json_object_get(*slotp, shapes_str(m->name)));
	if (shapes_type_of(m) == SHAPES_LIST && (m->flags & SHAPES_FLATTENED) && !u->ec2) {
		if (place_list(u, m, &child, rest, false, depth + 1, err) < 0) {
			json_decref(child);
			return -1;
		}
	} else if (place(u, m, &child, rest, depth + 1, err) < 0) {
		json_decref(child);
		return -1;
	}
	json_object_set_new(*slotp, shapes_str(m->name), child);
	return 0;
}

/* Turn gathered map entries into objects and refuse lists with gaps. */
static int finish(const struct shapes_ref *r, json_t **v, struct codec_path *p, int depth,
		  struct fd_error *err)
{
	enum shapes_type t = shapes_type_of(r);
	const char *key;
	json_t *x, *obj;
	size_t i, old;

	if (depth > CODEC_MAX_DEPTH)
		return 0;
	if (t == SHAPES_STRUCTURE && json_is_object(*v)) {
		json_object_foreach(*v, key, x) {
			json_t *c = json_incref(x);
			old = codec_path_push(p, key);
			if (finish(shapes_member(r, key), &c, p, depth + 1, err) < 0) {
				json_decref(c);
				return -1;
			}
			codec_path_pop(p, old);
			json_object_set_new(*v, key, c);
		}
	} else if (t == SHAPES_LIST && json_is_array(*v)) {
		json_array_foreach(*v, i, x) {
			json_t *c = json_incref(x);
			old = codec_path_index(p, i);
			if (json_is_null(c) && shapes_type_of(shapes_item(r)) == SHAPES_STRUCTURE) {
				/* an item with no members set sends no parameter at all */
				json_decref(c);
				c = json_object();
			} else if (json_is_null(c)) {
				json_decref(c);
				return fd_error_set(err, "ParseError", "%s: item %zu is missing", p->buf, i + 1);
			}
			if (finish(shapes_item(r), &c, p, depth + 1, err) < 0) {
				json_decref(c);
				return -1;
			}
			codec_path_pop(p, old);
			json_array_set_new(*v, i, c);
		}
	} else if (t == SHAPES_MAP && json_is_array(*v)) {
		obj = json_object();
		json_array_foreach(*v, i, x) {
			const char *k = json_string_value(json_object_get(x, "key"));
			json_t *c = json_incref(json_object_get(x, "value"));
			if (k && !c && shapes_type_of(shapes_map_value(r)) == SHAPES_STRUCTURE)
				c = json_object();   /* a value with no members set sends nothing */
			if (!k || !c) {
				json_decref(c);
				json_decref(obj);
				return fd_error_set(err, "ParseError", "%s: entry %zu needs a key and a value",
						    p->buf, i + 1);
			}
			old = codec_path_push(p, k);
			if (finish(shapes_map_value(r), &c, p, depth + 1, err) < 0) {
				json_decref(c);
				json_decref(obj);
				return -1;
			}
			codec_path_pop(p, old);
			json_object_set_new(obj, k, c);
		}
		json_decref(*v);
		*v = obj;
	}
	return 0;
}

json_t *codec_form_decode(const char *root, const struct shapes_ref *r,
			  const struct codec_header *pairs, size_t n, bool ec2, struct fd_error *err)
{
	json_t *input = json_object();
	struct codec_path p;
	size_t i;

	for (i = 0; i < n; i++) {
		struct unform u = { .full = pairs[i].name, .value = pairs[i].value, .ec2 = ec2 };
		if (!strcmp(pairs[i].name, "Action") || !strcmp(pairs[i].name, "Version"))
			continue;
		if (!r || place(&u, r, &input, pairs[i].name, 0, err) < 0) {
			if (!r)
				fd_error_set(err, "UnknownParameter", "%s: the operation takes no input",
					     pairs[i].name);
			json_decref(input);
			return NULL;
		}
	}
	codec_path_init(&p, root);
	if (r && finish(r, &input, &p, 0, err) < 0) {
		json_decref(input);
		return NULL;
	}
	return input;
}

/* The value of a hex digit; -1 when c is none. */
static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent- and plus-decode s[0..len) into a new string. */
static char *unescape(const char *s, size_t len)
{
	char *out = xmalloc(len + 1);
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%' && i + 2 < len && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

struct codec_header *codec_form_split(const char *text, size_t len, size_t *n)
{
	struct codec_header *pairs = NULL;
	const char *p = text, *end = text + len;

	*n = 0;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p)), *eq;
		const char *stop = amp ? amp : end;
		if (stop > p) {
			eq = memchr(p, '=', (size_t)(stop - p));
			pairs = xrealloc(pairs, (*n + 1) * sizeof(*pairs));
			pairs[*n].name = unescape(p, (size_t)((eq ? eq : stop) - p));
			pairs[*n].value = eq ? unescape(eq + 1, (size_t)(stop - eq - 1)) : xstrdup("");
			(*n)++;
		}
		p = stop + 1;
	}
	return pairs;
}

void codec_pairs_free(struct codec_header *pairs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(pairs[i].name);
		fd_free_secret(pairs[i].value);
	}
	free(pairs);
}
