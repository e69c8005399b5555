/* shapes.c — lookups in the generated shape tables (see shapes.h). */
#include "aws/shapes.h"

#include <string.h>

/* Compare the len bytes of s with the NUL-terminated pool string p, as strcmp. */
static int cmp_n(const char *s, size_t len, const char *p)
{
	int c = strncmp(s, p, len);

	if (c)
		return c;
	return p[len] ? -1 : 0;
}

/* Binary search of a structure's members by name (by_wire: by wire name). */
static const struct shapes_ref *search(const struct shapes_ref *r, const char *key, size_t len,
				       bool by_wire)
{
	const struct shapes_shape *s = shapes_of(r);
	size_t lo = 0, hi = s->n;

	if (s->type != SHAPES_STRUCTURE)
		return NULL;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct shapes_ref *m = by_wire ? &shapes_refs[shapes_by_wire[s->wire + mid]]
						     : &shapes_refs[s->first + mid];
		int c = cmp_n(key, len, shapes_str(by_wire ? m->wire : m->name));
		if (c == 0)
			return m;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct shapes_ref *shapes_member(const struct shapes_ref *r, const char *name)
{
	return search(r, name, strlen(name), false);
}

const struct shapes_ref *shapes_member_wire(const struct shapes_ref *r, const char *wire, size_t len)
{
	return search(r, wire, len, true);
}

const struct shapes_ref *shapes_member_query(const struct shapes_ref *r, const char *name, size_t len)
{
	const struct shapes_shape *s = shapes_of(r);
	size_t i;

	if (s->type != SHAPES_STRUCTURE)
		return NULL;
	for (i = 0; i < s->n; i++) {
		const struct shapes_ref *m = &shapes_refs[s->first + i];
		if (cmp_n(name, len, shapes_str(m->query)) == 0)
			return m;
	}
	return NULL;
}

const struct shapes_ref *shapes_payload(const struct shapes_ref *r)
{
	return r && shapes_of(r)->payload ? &shapes_refs[shapes_of(r)->payload - 1] : NULL;
}

bool shapes_has_body(const struct shapes_ref *r)
{
	const struct shapes_shape *s = shapes_of(r);
	size_t i;

	for (i = 0; i < s->n; i++)
		if (shapes_refs[s->first + i].location == SHAPES_IN_BODY)
			return true;
	return false;
}

const char *shapes_type_name(enum shapes_type t)
{
	static const char *const names[] = {
		[SHAPES_STRUCTURE] = "structure", [SHAPES_LIST] = "list", [SHAPES_MAP] = "map",
		[SHAPES_STRING] = "string", [SHAPES_INTEGER] = "integer", [SHAPES_LONG] = "long",
		[SHAPES_DOUBLE] = "double", [SHAPES_FLOAT] = "float", [SHAPES_BOOLEAN] = "boolean",
		[SHAPES_TIMESTAMP] = "timestamp", [SHAPES_BLOB] = "blob",
	};

	return (size_t)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}
