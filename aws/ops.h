/* ops.h — the operation table: one row per AWS operation flightdeck speaks.
 *
 * A service row says how to reach and sign for a service; what its model says
 * (signing name, endpoint prefix, SDK service id, API version, protocol, XML
 * namespace, json target prefix and version) comes from the generated
 * SHAPES_SERVICE_x macro, the rest (aws-cli name, global region and host) is
 * written by hand. An operation row is written by hand for what only a person
 * can judge — whether it changes state, whether it depends on a control plane,
 * whether it is sent unsigned — and takes its shapes (input, output, HTTP
 * binding) and paginator from the generated SHAPES_OP_x_Name macro. Adding an
 * operation of a modelled service is one OP() row plus `scripts/gen-shapes`.
 * Everything here is static data: rows are borrowed, never freed.
 */
#ifndef FD_OPS_H
#define FD_OPS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "aws/shapes.h"
#include "base/error.h"

enum ops_protocol {
	OPS_QUERY,      /* form POST, XML response in <OpResult> (sts, monitoring, autoscaling, elbv2, rds, elasticache) */
	OPS_EC2,        /* EC2's query: no .member., capitalised names, <item> lists, no result wrapper */
	OPS_REST_XML,   /* route53, cloudfront */
	OPS_REST_JSON,  /* xray, sso */
	OPS_JSON,       /* json 1.0 / 1.1: X-Amz-Target (route53-recovery-cluster) */
};

struct ops_service {
	const char *cli_name;         /* aws-cli: cloudwatch, elbv2, route53, ... */
	const char *model;            /* botocore's model name: cloudwatch, route53-recovery-cluster */
	const char *signing_name;     /* SigV4 credential scope service: monitoring */
	const char *endpoint_prefix;  /* host prefix: monitoring, portal.sso */
	const char *service_id;       /* env-var form for AWS_ENDPOINT_URL_<ID> */
	const char *api_version;      /* 2010-08-01 */
	enum ops_protocol protocol;
	const char *xml_namespace;    /* query responses */
	const char *target_prefix;    /* json: X-Amz-Target "PREFIX.Operation" */
	const char *json_version;     /* json: "1.0" / "1.1" */
	const char *global_region;    /* route53: "us-east-1" (signing region, global host) */
	const char *global_host;      /* route53: "route53.amazonaws.com" */
	const char *secret_fields;    /* field names whose values --debug redacts */
};

/* A paginator of paginators-1.json. Paths are member names, dotted for nested
 * members ("DistributionList.NextMarker"); arrays are NULL-terminated. */
struct ops_paginator {
	const char *input_token[4];   /* Marker; StartRecordName, StartRecordType, ... */
	const char *output_token[4];  /* the matching output members */
	const char *more_results;     /* IsTruncated, or NULL: more while a token is set */
	const char *result_keys[4];   /* lists merged across pages */
	const char *limit_key;        /* MaxRecords, PageSize, MaxItems, ... */
	const char *non_aggregate_keys[4];   /* kept from the first page */
};

struct ops_operation {
	const struct ops_service *service;
	const char *name;             /* DescribeAutoScalingGroups */
	const struct shapes_op *shape;   /* generated: input, output, HTTP binding */
	const struct ops_paginator *pager;   /* generated: NULL when not paginated */
	bool mutating;                /* changes state: read-only mode and plan refuse it */
	bool control_plane;           /* depends on a control plane outside the region (Route 53's, CloudFront's) */
	const char *plane_why;        /* a mutating call's confirmation: why it does (or does not) depend on a
	                                 control plane; NULL: said from control_plane (runbooks/rb_confirm.c) */
	bool unsigned_call;           /* AssumeRoleWithWebIdentity, sso GetRoleCredentials */
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
/* The generated paginators (aws/shapes_gen.c). */
extern const struct ops_paginator shapes_pagers[];

/* The operation's input / output reference (NULL when it has none). */
const struct shapes_ref *ops_input(const struct ops_operation *op);
const struct shapes_ref *ops_output(const struct ops_operation *op);
/* The HTTP method and requestUri template of op (borrowed). */
const char *ops_method(const struct ops_operation *op);
const char *ops_uri(const struct ops_operation *op);

/* The kebab-case form of an API name: DescribeDBInstances -> describe-db-instances. */
void ops_kebab(const char *api_name, char *out, size_t size);

/* True when op is paginated. */
bool ops_paginated(const struct ops_operation *op);

/* A member of v at a dotted path ("DistributionList.Items"); NULL when absent. Borrowed. */
json_t *ops_path_get(json_t *v, const char *path);

/* Merge one page (stolen) into *merged as botocore's build_full_result does:
 * result keys concatenated, non-aggregate keys from the first page. Set the next
 * input tokens in input. Returns 1 when another page is to be fetched, 0 when
 * this was the last, -1 with "PaginationError" when a token repeats. */
int ops_page_merge(const struct ops_operation *op, json_t **merged, json_t *page, json_t *input,
		   struct fd_error *err);

#endif
