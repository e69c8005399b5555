/* ops.h — the operation table: one row per AWS operation flightdeck speaks.
 *
 * A service row says how to reach and sign for a service (aws-cli name,
 * signing name, endpoint prefix, SDK service id, API version, protocol, XML
 * namespace, global region) and carries the shape hints its responses need
 * (which element names are lists, integers, doubles, booleans, timestamps).
 * An operation row says how to build a call (method, path template, input
 * members and where each goes) and how to page it. Hint strings are names
 * separated by single spaces; ops_hint() looks a name up in one.
 * Everything here is static data: rows are borrowed, never freed.
 */
#ifndef FD_OPS_H
#define FD_OPS_H

#include <stdbool.h>
#include <stddef.h>

enum ops_protocol {
	OPS_QUERY,      /* form POST, XML response (sts, monitoring, autoscaling, elbv2, rds) */
	OPS_REST_XML,   /* route53 */
	OPS_REST_JSON,  /* xray, sso */
	OPS_JSON10,     /* route53-recovery-cluster */
};

/* Where an input member travels (rest protocols; query and json 1.0 put all in the body). */
enum ops_location {
	OPS_IN_BODY,
	OPS_IN_URI,
	OPS_IN_QUERY,
	OPS_IN_HEADER,
};

struct ops_service {
	const char *cli_name;         /* aws-cli: cloudwatch, elbv2, route53, ... */
	const char *signing_name;     /* SigV4 credential scope service: monitoring */
	const char *endpoint_prefix;  /* host prefix: monitoring, portal.sso */
	const char *service_id;       /* env-var form for AWS_ENDPOINT_URL_<ID> */
	const char *api_version;      /* 2010-08-01 */
	enum ops_protocol protocol;
	const char *xml_namespace;    /* query/rest-xml responses and rest-xml request bodies */
	const char *global_region;    /* route53: "us-east-1" (signing region, global host) */
	const char *global_host;      /* route53: "route53.amazonaws.com" */
	const char *target_prefix;    /* json 1.0: X-Amz-Target "PREFIX.Operation" */
	/* Response shape hints (element / member names). */
	const char *lists;            /* always arrays, even of zero or one */
	const char *ints;
	const char *doubles;
	const char *bools;
	const char *timestamps;       /* JSON protocols: epoch seconds <-> ISO 8601 */
	const char *xml_list_items;   /* rest-xml: "List:Item ..." element names of list members */
	const char *secret_fields;    /* field names whose values --debug redacts */
};

struct ops_paginator {
	const char *input_token[3];   /* NULL-terminated: Marker; StartRecordName, ... */
	const char *output_token[3];  /* the matching output members */
	const char *more_results;     /* IsTruncated, or NULL: more while the token is set */
	const char *result_keys[3];   /* lists merged across pages */
	const char *limit_key;        /* MaxRecords, PageSize, MaxItems, ... */
};

struct ops_operation {
	const struct ops_service *service;
	const char *name;             /* DescribeAutoScalingGroups */
	const char *method;           /* GET / POST */
	const char *path;             /* "/2013-04-01/hostedzone/{Id}/rrset"; "/" for query and json 1.0 */
	bool mutating;
	bool unsigned_call;           /* AssumeRoleWithWebIdentity, sso GetRoleCredentials */
	/* Input members: "Name" (body) or "Name@uri:wire", "Name@q:wire", "Name@h:wire",
	 * separated by spaces. Only these top-level members are accepted. */
	const char *inputs;
	const char *lists;            /* extra list hints for this operation's response */
	struct ops_paginator pager;   /* input_token[0] NULL: not paginated */
};

/* Find an operation by service (aws-cli name, signing name or endpoint prefix) and
 * operation (API name or kebab-case). NULL when unknown. */
const struct ops_operation *ops_find(const char *service, const char *operation);
/* Find a service by aws-cli name, signing name or endpoint prefix; NULL when unknown. */
const struct ops_service *ops_service_find(const char *service);

/* The whole table, NULL-terminated by name (for listing valid names). */
extern const struct ops_operation ops_table[];
/* Every service, NULL-terminated by cli_name. */
extern const struct ops_service *const ops_services[];

/* True when name is one of the space-separated names of hints (NULL: none). */
bool ops_hint(const char *hints, const char *name);

/* Look up a top-level input member of op: its location and wire name
 * (written to wire, at most size bytes). Returns false when op has no such member. */
bool ops_input(const struct ops_operation *op, const char *name, enum ops_location *where,
	       char *wire, size_t size);

/* The kebab-case form of an API name: DescribeDBInstances -> describe-db-instances. */
void ops_kebab(const char *api_name, char *out, size_t size);

/* The operation name as aws-cli writes it, for messages; true when it is paginated. */
bool ops_paginated(const struct ops_operation *op);

#endif
