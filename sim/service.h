/* service.h — how the simulator's services plug in: one row per signing name.
 *
 * The server (sim/server.c) verifies the SigV4 signature, picks the row whose
 * signing name is the credential scope's service, parses what the protocol needs
 * (query: the form body into params; rest: the query string into params) and calls
 * the row's handler with the world locked. A handler finds its operation
 * (sim_dispatch_shaped() below does it from a table), calls sim_begin_op() — which
 * records the operation for /_sim/requests and applies throttle / error5xx faults —
 * then answers from botocore's shapes, or writes an error with sim_error(), which
 * speaks the row's protocol. Handlers return 0; the status is in resp.
 */
#ifndef FD_SIM_SERVICE_H
#define FD_SIM_SERVICE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/strbuf.h"
#include "sim/world.h"

enum sim_protocol {
	SIM_PROTO_QUERY,     /* form POST, XML responses <XResponse><XResult> */
	SIM_PROTO_EC2,       /* form POST, <XResponse> without a result wrapper; <Response><Errors> errors */
	SIM_PROTO_REST_XML,  /* route53, cloudfront */
	SIM_PROTO_REST_JSON, /* xray: errors in X-Amzn-ErrorType */
	SIM_PROTO_JSON10,    /* route53-recovery-cluster: X-Amz-Target, __type errors */
	SIM_PROTO_PLAIN,     /* unsigned credential endpoints and /_sim (not in the table) */
};

struct sim_kv {
	char *name;
	char *value;
};

/* A request as the server received it (everything borrowed; valid during the call). */
struct sim_req {
	const char *method;          /* GET, POST, ... */
	const char *target;          /* raw request-target as received: path[?query] */
	const char *path;            /* percent-decoded path, without the query */
	const struct sim_kv *headers;   /* names as received */
	size_t n_headers;
	const unsigned char *body;
	size_t body_len;
	const char *service;         /* signing name from the credential scope */
	const char *region;          /* region from the credential scope */
	const char *access_key;      /* the caller's access key id */
	const struct sim_kv *params; /* query: the form body; others: the URL query (decoded) */
	size_t n_params;
};

#define SIM_RESP_HEADERS_MAX 8

struct sim_resp {
	int status;                  /* HTTP status, 200 by default */
	char content_type[48];       /* text/xml by default */
	struct strbuf body;
	struct sim_kv headers[SIM_RESP_HEADERS_MAX];   /* extra headers (owned) */
	size_t n_headers;
	char operation[64];          /* set by sim_begin_op (for /_sim/requests) */
	bool mutating;
	bool drop;                   /* close the connection without answering */
	char error_code[64];         /* set by sim_error */
};

/* What a handler gets besides the request. */
struct sim_ctx {
	struct sim_world *world;     /* locked for the duration of the call */
	struct sim_faults *faults;   /* sim/fault.h */
	struct sim_auth *auth;       /* sim/auth.h: accepted and issued credentials */
	const struct sim_service *svc;
	char request_id[40];         /* a uuid; x-amzn-RequestId / <RequestId> */
	char caller_arn[SIM_ARN_MAX];   /* arn of the caller (iam user or assumed role) */
	char caller_user_id[128];
	double now_s;                /* = world->now_s */
	const char *region;          /* sim_dispatch_shaped: the request's region (credential scope) */
};

/* One row of the registration table. */
struct sim_service {
	const char *signing_name;    /* "autoscaling", "route53", ...: names its aws/ops.c service row */
	enum sim_protocol protocol;  /* the model's protocol (tests/sim/test_sim_world checks) */
	const char *throttle_code;   /* the throttling error as the service spells it */
	int throttle_status;         /* and its HTTP status */
	int (*handle)(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp);
	const char *invalid_code;    /* sim_dispatch_shaped: the code of a request the model refuses
				      * (NULL: the protocol's, ValidationError / InvalidInput / ValidationException) */
};

/* The table (sim/service.c), terminated by a row with signing_name NULL. */
extern const struct sim_service sim_services[];
/* The row for a signing name; NULL when none. */
const struct sim_service *sim_service_find(const char *signing_name);

/* Core services (sim/svc_*.c). */
int sim_sts_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp);
int sim_autoscaling_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp);
int sim_elbv2_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp);
int sim_rds_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp);
int sim_ec2_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp);
int sim_sso_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp);
/* sim/svc_ec2_lt.c: DescribeLaunchTemplateVersions, a row of svc_ec2.c's shaped table. */
int sim_ec2_lt_describe_versions(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp);
/* Services of sim/services.mk (temporary stubs in sim/services_pending.c). */
int sim_cloudwatch_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp);
int sim_xray_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp);
int sim_route53_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp);
int sim_arc_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp);
int sim_elasticache_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp);
int sim_cloudfront_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp);

/* Record the operation and apply the faults that answer for it (throttle,
 * error5xx, expired credentials). Returns true when a fault wrote the response:
 * the handler must then return without doing anything. */
bool sim_begin_op(struct sim_ctx *ctx, struct sim_resp *resp, const char *operation,
		  bool mutating);

/* An error in the service's protocol; returns 0 so handlers can `return sim_error(...)`.
 * status 400 for client errors; "Sender"/"Receiver" follows from status < 500. */
int sim_error(struct sim_ctx *ctx, struct sim_resp *resp, int status, const char *code,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Same, but in an explicit protocol (used before a service is known). */
int sim_error_proto(enum sim_protocol proto, const char *xmlns, const char *request_id,
		    struct sim_resp *resp, int status, const char *code, const char *message);
/* Same, in service s's error format written by the codec (codec_server_error), the
 * writer botocore's parsers are checked against; sim_error_proto's when s is not
 * in the operation table (NULL: query). */
int sim_error_svc(const struct sim_service *s, const char *request_id, struct sim_resp *resp, int status,
		  const char *code, const char *message);

/* Request accessors (borrowed; NULL when absent). */
const char *sim_param(const struct sim_req *req, const char *name);
const char *sim_header(const struct sim_req *req, const char *name);   /* case-insensitive */
/* A describe call's Filters (sim_in_filters below): values of one filter are ORed,
 * filters ANDed. */
#define SIM_FILTERS_MAX 10
#define SIM_FILTER_VALUES_MAX 200
struct sim_filter {
	const char *name;
	const char *values[SIM_FILTER_VALUES_MAX];
	size_t n_values;
};
/* Is v one of a filter's values? */
bool sim_filter_has(const struct sim_filter *f, const char *v);

/* Response writing. */
void sim_resp_init(struct sim_resp *resp);
void sim_resp_clean_up(struct sim_resp *resp);
void sim_resp_header(struct sim_resp *resp, const char *name, const char *value);
/* Append <name>escaped value</name>; nothing when value is NULL. */
void sim_xml_elem(struct strbuf *sb, const char *name, const char *value);
/* Format t_s as ISO 8601 UTC with milliseconds ("2026-11-24T05:57:00.123Z"). */
void sim_time_iso(double t_s, char out[32]);
/* A JSON response (steals body). */
void sim_resp_json(struct sim_resp *resp, int status, const char *content_type, json_t *body);

/* Page sizes (sim/paging.c): one row per paginated operation with AWS's default
 * page size and the range its size parameter accepts (docs/sim.md cites each). */
struct sim_page_rule {
	const char *operation;
	long def, min, max;
};
extern const struct sim_page_rule sim_page_rules[];   /* terminated by operation NULL */
/* The row of an operation; NULL when it does not page. */
const struct sim_page_rule *sim_page_rule_find(const char *operation);
/* The page size of an operation when the caller gives none: the scenario's
 * `paging:` setting for it, else AWS's default. */
long sim_page_default(const struct sim_world *w, const char *operation);

/* A listing's page: sim_in_pager() (below) reads the marker and size members,
 * sim_pager_take() says whether the next matching item is on the page, and
 * sim_out_token() adds the next-page token when there is more. */
struct sim_pager {
	size_t start, size, k, shown;
	bool more;
};
bool sim_pager_take(struct sim_pager *p);

/* Shaped operations (sim/shaped.c): a service served through the shape-driven codec
 * (aws/codec_server.h), so it reads and writes exactly the shapes of botocore's model.
 * sim_dispatch_shaped() finds the operation among the service's rows of aws/ops.c
 * (query: Action, json: X-Amz-Target, rest: method and requestUri), applies the faults
 * (sim_begin_op, with the row's .mutating), parses the input (a request that does not
 * fit the shapes gets the protocol's validation error) and calls the handler. The
 * handler reads botocore-shaped JSON (`in`, borrowed: member names, lists as arrays,
 * timestamps ISO 8601) and sets *out to the output (a new reference; NULL is {}), or
 * writes an error with sim_error(). The output is encoded in the service's protocol
 * (an output that does not fit the shape is a 500 InternalFailure: a simulator bug). */
struct sim_shaped_op {
	const char *name;            /* the operation's name in aws/ops.c */
	int (*fn)(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp);
};
/* ops is terminated by name NULL; operations of the table it lacks are unknown. */
int sim_dispatch_shaped(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp,
			const struct sim_shaped_op *ops);
/* Input accessors (borrowed; NULL / def when absent). */
const char *sim_in_str(json_t *in, const char *name);
/* NULL after writing the validation error (code NULL: the protocol's). */
const char *sim_in_require(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in,
			   const char *name, const char *code);
/* An integer member (or a numeric string: route53's MaxItems) in [lo, hi]; -1 after
 * writing a validation error. */
int sim_in_int(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in, const char *name,
	       long lo, long hi, long def, long *out);
bool sim_in_bool(json_t *in, const char *name, bool def);
/* The strings of a list member, up to max. */
size_t sim_in_strs(json_t *in, const char *name, const char **out, size_t max);
/* Filters: [{Name, Values: [...]}] (any protocol's list shape). */
size_t sim_in_filters(json_t *in, const char *name, struct sim_filter *out, size_t max);
/* A timestamp member: 0 and *out_s, 1 when absent, -1 when not a time. */
int sim_in_time(json_t *in, const char *name, double *out_s);
/* sim_page / sim_pager_begin for shaped input; sim_out_token sets the next-page token. */
int sim_in_page(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in, const char *marker_member,
		const char *bad_marker_code, const char *size_member, size_t *start, size_t *size);
int sim_in_pager(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in, const char *marker_member,
		 const char *bad_marker_code, const char *size_member, struct sim_pager *p);
void sim_out_token(json_t *out, const struct sim_pager *p, const char *token_member);
/* Output helpers: a timestamp (ISO 8601 with milliseconds), a string member when not NULL. */
json_t *sim_out_time(double t_s);
void sim_out_set(json_t *o, const char *name, const char *value);

/* Paging: an opaque marker for an offset, and back (-1 for an invalid marker). */
void sim_marker_encode(size_t offset, char out[32]);
int sim_marker_decode(const char *marker, size_t *offset);

#endif
