/* codec_xml.c — XML elements <-> botocore-shaped JSON by shape, both ways, as
 * botocore's XML parsers and RestXMLSerializer read and write them (see
 * codec_impl.h). Decoding: a structure's members are found by element name
 * (locationName), unknown elements are ignored; a list's items are all its child
 * elements whatever their name, a flattened list's items repeat in the parent;
 * map entries are <entry><key/><value/></entry> (or repeat, flattened); text is
 * the element's character data (CDATA and character references resolved).
 * Encoding writes with libxml2's xmlTextWriter, which escapes. */
#include "aws/codec_impl.h"
#include "base/xalloc.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

xmlDoc *codec_xml_parse(const char *body, size_t len)
{
	if (len == 0 || len > 64u * 1024 * 1024)
		return NULL;
	return xmlReadMemory(body, (int)len, "body.xml", NULL,
			     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

xmlNode *codec_xml_child(xmlNode *node, const char *name)
{
	xmlNode *c;

	if (!node)
		return NULL;
	for (c = node->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

/* ---- decoding ----------------------------------------------------------------- */

/* The member of structure r an element named name stands for: its locationName,
 * or, for a flattened list whose items have a locationName, the items' name. */
static const struct shapes_ref *member_for(const struct shapes_ref *r, const char *name)
{
	const struct shapes_ref *m = shapes_member_wire(r, name, strlen(name));
	const struct shapes_shape *s = shapes_of(r);
	size_t i;

	if (m && !((m->flags & SHAPES_FLATTENED) && shapes_type_of(m) == SHAPES_LIST &&
		   (shapes_item(m)->flags & SHAPES_HAS_NAME)))
		return m;
	for (i = 0; i < s->n; i++) {
		const struct shapes_ref *f = &shapes_refs[s->first + i];
		if ((f->flags & SHAPES_FLATTENED) && shapes_type_of(f) == SHAPES_LIST &&
		    (shapes_item(f)->flags & SHAPES_HAS_NAME) &&
		    strcmp(shapes_str(shapes_item(f)->wire), name) == 0)
			return f;
	}
	return NULL;
}

/* One map entry element (<key/> and <value/> children) into obj. */
static int map_entry(const struct shapes_ref *r, xmlNode *entry, json_t *obj, struct codec_path *p,
		     int depth, struct fd_error *err)
{
	const struct shapes_ref *kr = shapes_item(r), *vr = shapes_map_value(r);
	xmlNode *kn = codec_xml_child(entry, shapes_str(kr->wire));
	xmlNode *vn = codec_xml_child(entry, shapes_str(vr->wire));
	xmlChar *key;
	json_t *v;
	size_t old;

	if (!kn)
		return 0;   /* an entry without a key carries nothing botocore could name */
	key = xmlNodeGetContent(kn);
	old = codec_path_push(p, key ? (const char *)key : "");
	v = vn ? codec_xml_decode(vr, vn, p, depth + 1, err) : json_null();
	codec_path_pop(p, old);
	if (!v) {
		xmlFree(key);
		return -1;
	}
	json_object_set_new(obj, key ? (const char *)key : "", v);
	xmlFree(key);
	return 0;
}

/* The attributes of node that are members of structure r. */
static int attribute_members(const struct shapes_ref *r, xmlNode *node, json_t *obj,
			     struct codec_path *p, struct fd_error *err)
{
	const struct shapes_shape *s = shapes_of(r);
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct shapes_ref *m = &shapes_refs[s->first + i];
		const char *want = shapes_str(m->wire), *colon = strchr(want, ':');
		xmlAttr *a;
		if (!(m->flags & SHAPES_XML_ATTRIBUTE))
			continue;
		for (a = node->properties; a; a = a->next) {
			bool prefixed = a->ns && a->ns->prefix;
			xmlChar *text;
			json_t *v;
			size_t old;
			if (colon ? !prefixed || strncmp(want, (const char *)a->ns->prefix,
							  (size_t)(colon - want)) != 0 ||
					    strcmp(colon + 1, (const char *)a->name) != 0
				  : prefixed || strcmp(want, (const char *)a->name) != 0)
				continue;
			text = xmlNodeGetContent((xmlNode *)a);
			old = codec_path_push(p, shapes_str(m->name));
			v = codec_scalar_decode(m, text ? (const char *)text : "",
						text ? strlen((const char *)text) : 0, p, err);
			codec_path_pop(p, old);
			xmlFree(text);
			if (!v)
				return -1;
			json_object_set_new(obj, shapes_str(m->name), v);
		}
	}
	return 0;
}

static json_t *structure(const struct shapes_ref *r, xmlNode *node, struct codec_path *p, int depth,
			 struct fd_error *err)
{
	json_t *obj = json_object();
	xmlNode *c;

	for (c = node->children; c; c = c->next) {
		const struct shapes_ref *m;
		const char *name;
		json_t *v, *have;
		size_t old;
		int rc = 0;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		m = member_for(r, (const char *)c->name);
		if (!m || m->location != SHAPES_IN_BODY || (m->flags & SHAPES_XML_ATTRIBUTE))
			continue;
		name = shapes_str(m->name);
		have = json_object_get(obj, name);
		old = codec_path_push(p, name);
		if ((m->flags & SHAPES_FLATTENED) && shapes_type_of(m) == SHAPES_LIST) {
			if (!have)
				json_object_set_new_nocheck(obj, name, have = json_array());
			codec_path_index(p, json_array_size(have));
			v = codec_xml_decode(shapes_item(m), c, p, depth + 1, err);
			rc = v ? json_array_append_new(have, v) : -1;
		} else if ((m->flags & SHAPES_FLATTENED) && shapes_type_of(m) == SHAPES_MAP) {
			if (!have)
				json_object_set_new(obj, name, have = json_object());
			rc = map_entry(m, c, have, p, depth + 1, err);
		} else if (!have) {   /* a repeated element: the first one counts */
			v = codec_xml_decode(m, c, p, depth + 1, err);
			rc = v ? json_object_set_new_nocheck(obj, name, v) : -1;   /* names from the pool are ASCII */
		}
		codec_path_pop(p, old);
		if (rc < 0) {
			json_decref(obj);
			return NULL;
		}
	}
	if (attribute_members(r, node, obj, p, err) < 0) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

json_t *codec_xml_decode(const struct shapes_ref *r, xmlNode *node, struct codec_path *p,
			 int depth, struct fd_error *err)
{
	enum shapes_type t = shapes_type_of(r);
	xmlNode *c;
	xmlChar *text;
	json_t *v;

	if (depth > CODEC_MAX_DEPTH) {
		fd_error_set(err, "ParseError", "%s: nested too deeply", p->buf);
		return NULL;
	}
	if (t == SHAPES_STRUCTURE)
		return structure(r, node, p, depth, err);
	if (t == SHAPES_LIST) {
		json_t *arr = json_array();
		for (c = node->children; c; c = c->next) {
			size_t old;
			if (c->type != XML_ELEMENT_NODE)
				continue;
			old = codec_path_index(p, json_array_size(arr));
			v = codec_xml_decode(shapes_item(r), c, p, depth + 1, err);
			codec_path_pop(p, old);
			if (!v) {
				json_decref(arr);
				return NULL;
			}
			json_array_append_new(arr, v);
		}
		return arr;
	}
	if (t == SHAPES_MAP) {
		json_t *obj = json_object();
		for (c = node->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE && map_entry(r, c, obj, p, depth, err) < 0) {
				json_decref(obj);
				return NULL;
			}
		return obj;
	}
	text = xmlNodeGetContent(node);
	v = codec_scalar_decode(r, text ? (const char *)text : "", text ? strlen((const char *)text) : 0,
				p, err);
	xmlFree(text);
	return v;
}

/* ---- encoding ----------------------------------------------------------------- */

/* Whether s can be XML 1.0 character data (no control characters but tab, LF, CR). */
static bool xml_chars_ok(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			return false;
	}
	return true;
}

static int xml_fail(struct codec_path *p, struct fd_error *err)
{
	return fd_error_set(err, "Internal", "%s: the XML writer failed", p->buf);
}

/* One scalar as <name>text</name>. */
static int scalar_element(xmlTextWriterPtr w, const struct shapes_ref *r, json_t *v, const char *name,
			  struct codec_path *p, struct fd_error *err)
{
	struct strbuf text;
	int rc = 0;

	strbuf_init(&text);
	if (codec_scalar_encode(r, v, SHAPES_TS_ISO8601, &text, p, err) < 0) {
		rc = -1;
	} else if (!xml_chars_ok(text.data, text.len) || strlen(text.data) != text.len) {
		rc = fd_error_set(err, "InvalidInput", "%s: control characters cannot be sent in XML", p->buf);
	} else if (xmlTextWriterStartElement(w, BAD_CAST name) < 0 ||
		   xmlTextWriterWriteString(w, BAD_CAST text.data) < 0 ||
		   xmlTextWriterEndElement(w) < 0) {
		rc = xml_fail(p, err);
	}
	strbuf_wipe_clean_up(&text);
	return rc;
}

/* The attribute members of a structure, on the element just started. */
static int attributes(xmlTextWriterPtr w, const struct shapes_ref *r, json_t *v, struct codec_path *p,
		      struct fd_error *err)
{
	const struct shapes_shape *s = shapes_of(r);
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct shapes_ref *m = &shapes_refs[s->first + i];
		json_t *x = json_object_get(v, shapes_str(m->name));
		struct strbuf text;
		size_t old;
		int rc = 0;
		if (!(m->flags & SHAPES_XML_ATTRIBUTE) || !x || json_is_null(x))
			continue;
		strbuf_init(&text);
		old = codec_path_push(p, shapes_str(m->name));
		if (codec_scalar_encode(m, x, SHAPES_TS_ISO8601, &text, p, err) < 0)
			rc = -1;
		else if (xmlTextWriterWriteAttribute(w, BAD_CAST shapes_str(m->wire), BAD_CAST text.data) < 0)
			rc = xml_fail(p, err);
		codec_path_pop(p, old);
		strbuf_clean_up(&text);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int codec_xml_members(void *wp, const struct shapes_ref *r, json_t *v, bool request,
		      struct codec_path *p, int depth, struct fd_error *err)
{
	const char *key;
	json_t *x;

	if (!json_is_object(v))
		return fd_error_set(err, "InvalidInput", "%s: must be an object", p->buf);
	if (request && codec_check_required(r, v, p, err) < 0)
		return -1;
	json_object_foreach(v, key, x) {
		const struct shapes_ref *m = shapes_member(r, key);
		size_t old;
		int rc = 0;
		if (!m)
			return codec_unknown(r, key, p, err);
		old = codec_path_push(p, key);
		if (m->location == SHAPES_IN_BODY && !(m->flags & SHAPES_XML_ATTRIBUTE) && !json_is_null(x))
			rc = codec_xml_element(wp, m, x, shapes_str(m->wire), request, p, depth + 1, err);
		codec_path_pop(p, old);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int codec_xml_element(void *wp, const struct shapes_ref *r, json_t *v, const char *name, bool request,
		      struct codec_path *p, int depth, struct fd_error *err)
{
	xmlTextWriterPtr w = wp;
	enum shapes_type t = shapes_type_of(r);
	size_t i, old;
	const char *key;
	json_t *x;

	if (depth > CODEC_MAX_DEPTH)
		return fd_error_set(err, "InvalidInput", "%s: nested too deeply", p->buf);
	if (t == SHAPES_LIST) {
		const struct shapes_ref *item = shapes_item(r);
		bool flat = r->flags & SHAPES_FLATTENED;
		if (!json_is_array(v))
			return fd_error_set(err, "InvalidInput", "%s: must be an array", p->buf);
		if (!flat && xmlTextWriterStartElement(w, BAD_CAST name) < 0)
			return xml_fail(p, err);
		json_array_foreach(v, i, x) {
			old = codec_path_index(p, i);
			if (codec_xml_element(w, item, x, flat ? name : shapes_str(item->wire), request, p,
					      depth + 1, err) < 0)
				return -1;
			codec_path_pop(p, old);
		}
		return flat || xmlTextWriterEndElement(w) >= 0 ? 0 : xml_fail(p, err);
	}
	if (t == SHAPES_MAP) {
		bool flat = r->flags & SHAPES_FLATTENED;
		if (!json_is_object(v))
			return fd_error_set(err, "InvalidInput", "%s: must be an object", p->buf);
		if (!flat && xmlTextWriterStartElement(w, BAD_CAST name) < 0)
			return xml_fail(p, err);
		json_object_foreach(v, key, x) {
			json_t *k = json_string(key);
			int rc;
			old = codec_path_push(p, key);
			rc = xmlTextWriterStartElement(w, BAD_CAST (flat ? name : "entry")) < 0 ? xml_fail(p, err)
				: scalar_element(w, shapes_item(r), k, shapes_str(shapes_item(r)->wire), p, err);
			if (rc == 0)
				rc = codec_xml_element(w, shapes_map_value(r), x, shapes_str(shapes_map_value(r)->wire),
						       request, p, depth + 1, err);
			if (rc == 0 && xmlTextWriterEndElement(w) < 0)
				rc = xml_fail(p, err);
			json_decref(k);
			if (rc < 0)
				return -1;
			codec_path_pop(p, old);
		}
		return flat || xmlTextWriterEndElement(w) >= 0 ? 0 : xml_fail(p, err);
	}
	if (t == SHAPES_STRUCTURE) {
		if (!json_is_object(v))
			return fd_error_set(err, "InvalidInput", "%s: must be an object", p->buf);
		if (xmlTextWriterStartElement(w, BAD_CAST name) < 0 ||
		    (r->xmlns && *shapes_str(r->xmlns) &&
		     xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST shapes_str(r->xmlns)) < 0))
			return xml_fail(p, err);
		if (attributes(w, r, v, p, err) < 0 || codec_xml_members(w, r, v, request, p, depth, err) < 0)
			return -1;
		return xmlTextWriterEndElement(w) >= 0 ? 0 : xml_fail(p, err);
	}
	return scalar_element(w, r, v, name, p, err);
}

int codec_xml_document(struct strbuf *out, const char *root, const char *ns,
		       int (*fill)(void *w, void *ctx, struct fd_error *err), void *ctx,
		       struct fd_error *err)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	int rc = 0;

	if (!w) {
		xmlBufferFree(buf);
		return fd_error_set(err, "Internal", "cannot create an XML writer");
	}
	if (xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0 ||
	    (root && xmlTextWriterStartElement(w, BAD_CAST root) < 0) ||
	    (root && ns && *ns && xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST ns) < 0))
		rc = fd_error_set(err, "Internal", "the XML writer failed");
	if (rc == 0)
		rc = fill(w, ctx, err);
	if (rc == 0 && xmlTextWriterEndDocument(w) < 0)
		rc = fd_error_set(err, "Internal", "the XML writer failed");
	xmlFreeTextWriter(w);
	if (rc == 0) {
		size_t n = (size_t)xmlBufferLength(buf);
		const char *text = (const char *)xmlBufferContent(buf);
		while (n && text[n - 1] == '\n')   /* the writer ends the document with a newline */
			n--;
		strbuf_add(out, text, n);
	}
	xmlBufferFree(buf);
	return rc;
}
