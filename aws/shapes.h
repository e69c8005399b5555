/* shapes.h — the shapes of AWS's service models as compact tables.
 *
 * scripts/gen-shapes writes aws/shapes_gen.c from botocore's JSON models for the
 * operations of aws/ops.c. A shape is a structure, list, map or scalar; a
 * reference (shapes_ref) is one use of a shape — a structure member, a list's
 * member, a map's key or value, an operation's input or output — and carries
 * the serialisation traits botocore resolves for that use (shape traits
 * overlaid by member traits): the wire name (locationName), EC2's request name,
 * where it travels (body, URI, query string, header), flattened, xmlAttribute,
 * xmlNamespace, timestampFormat, required. Strings are offsets into one pool.
 * A structure's members are sorted by name; shapes_by_wire orders them by wire
 * name. Everything here is static data, borrowed, never freed.
 */
#ifndef FD_SHAPES_H
#define FD_SHAPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum shapes_type {
	SHAPES_STRUCTURE,
	SHAPES_LIST,
	SHAPES_MAP,
	SHAPES_STRING,
	SHAPES_INTEGER,
	SHAPES_LONG,
	SHAPES_DOUBLE,
	SHAPES_FLOAT,
	SHAPES_BOOLEAN,
	SHAPES_TIMESTAMP,
	SHAPES_BLOB,
};

/* Where a member travels (rest protocols; everything else is in the body). */
enum shapes_location {
	SHAPES_IN_BODY,
	SHAPES_IN_URI,
	SHAPES_IN_QUERY,
	SHAPES_IN_HEADER,
};

/* A reference's timestamp format; DEFAULT is the protocol's and location's own. */
enum shapes_ts {
	SHAPES_TS_DEFAULT,
	SHAPES_TS_ISO8601,
	SHAPES_TS_EPOCH,
	SHAPES_TS_RFC822,
};

#define SHAPES_REQUIRED      0x01  /* the containing structure requires it */
#define SHAPES_FLATTENED     0x02  /* list / map items repeat in the parent (XML, query) */
#define SHAPES_XML_ATTRIBUTE 0x04  /* an attribute of the parent element */
#define SHAPES_HAS_NAME      0x08  /* the model gives a locationName */
#define SHAPES_IDEMPOTENCY   0x10  /* an idempotency token: filled with a UUID when absent */
#define SHAPES_TS_SHIFT      5     /* bits 5-6: enum shapes_ts */
#define SHAPES_LAST_PATH_PART 0x80 /* Route 53 ids: sent as their last path part (botocore fix_route53_ids) */

#define SHAPES_NONE 0xFFFF

struct shapes_shape {
	uint8_t type;         /* enum shapes_type */
	uint16_t n;           /* structure: number of members */
	uint16_t first;       /* structure: first member ref; list: member ref; map: key ref (value: +1) */
	uint16_t wire;        /* structure: index of its members in shapes_by_wire */
	uint16_t payload;     /* structure: payload member ref + 1, 0 when none */
};

struct shapes_ref {
	uint16_t name;        /* pool: the member's name in botocore's JSON */
	uint16_t wire;        /* pool: locationName (list member default "member", map "key"/"value") */
	uint16_t query;       /* pool: the request name of the ec2 protocol (others: = wire) */
	uint16_t xmlns;       /* pool: xmlNamespace uri, "" when none */
	uint16_t shape;       /* index in shapes_shapes */
	uint8_t location;     /* enum shapes_location */
	uint8_t flags;        /* SHAPES_REQUIRED ... */
};

struct shapes_op {
	uint16_t name;        /* pool */
	uint16_t method;      /* pool: GET, POST, ... */
	uint16_t uri;         /* pool: requestUri template, "/2013-04-01/hostedzone/{Id}/rrset" */
	uint16_t wrapper;     /* pool: query resultWrapper, "" when none */
	uint16_t input;       /* ref, SHAPES_NONE when the operation takes nothing */
	uint16_t output;      /* ref, SHAPES_NONE when it returns nothing */
	uint16_t status;      /* HTTP status of a success */
};

struct shapes_tables {
	size_t n_shapes, n_refs, n_ops, pool_size;
};

extern const char shapes_pool[];
extern const struct shapes_shape shapes_shapes[];
extern const struct shapes_ref shapes_refs[];
extern const uint16_t shapes_by_wire[];
extern const struct shapes_op shapes_ops[];
extern const struct shapes_tables shapes_tables;

/* A pool string (borrowed). */
static inline const char *shapes_str(uint16_t offset)
{
	return shapes_pool + offset;
}

static inline const struct shapes_ref *shapes_ref_at(uint16_t i)
{
	return i == SHAPES_NONE ? NULL : &shapes_refs[i];
}

static inline const struct shapes_shape *shapes_of(const struct shapes_ref *r)
{
	return &shapes_shapes[r->shape];
}

static inline enum shapes_type shapes_type_of(const struct shapes_ref *r)
{
	return (enum shapes_type)shapes_shapes[r->shape].type;
}

static inline enum shapes_ts shapes_ts_of(const struct shapes_ref *r)
{
	return (enum shapes_ts)((r->flags >> SHAPES_TS_SHIFT) & 3);
}

/* A list's member / a map's key or value reference. */
static inline const struct shapes_ref *shapes_item(const struct shapes_ref *r)
{
	return &shapes_refs[shapes_of(r)->first];
}

static inline const struct shapes_ref *shapes_map_value(const struct shapes_ref *r)
{
	return &shapes_refs[shapes_of(r)->first + 1];
}

/* The i-th member of a structure (sorted by name). */
static inline const struct shapes_ref *shapes_member_at(const struct shapes_ref *r, size_t i)
{
	return &shapes_refs[shapes_of(r)->first + i];
}

/* A structure's member by botocore name / by wire name (len bytes); NULL when none. */
const struct shapes_ref *shapes_member(const struct shapes_ref *r, const char *name);
const struct shapes_ref *shapes_member_wire(const struct shapes_ref *r, const char *wire, size_t len);
/* A structure's member by request name (ec2's queryName rules; others: wire name). */
const struct shapes_ref *shapes_member_query(const struct shapes_ref *r, const char *name, size_t len);

/* A structure's payload member (rest protocols); NULL when it has none. */
const struct shapes_ref *shapes_payload(const struct shapes_ref *r);
/* Whether a structure has members that travel in the body. */
bool shapes_has_body(const struct shapes_ref *r);

/* The type's name as the models spell it ("structure", "timestamp", ...). */
const char *shapes_type_name(enum shapes_type t);

#endif
