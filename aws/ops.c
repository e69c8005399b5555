/* ops.c — the operation table (see ops.h). */
#include "aws/ops.h"
#include "aws/shapes_gen.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Credential fields redacted from --debug logs wherever they appear. */
#define SECRETS "SecretAccessKey SessionToken AccessKeyId WebIdentityToken TokenCode " \
	"secretAccessKey sessionToken accessKeyId accessToken"

/* A service row: the generated model part, the hand-written rest. */
static const struct ops_service svc_sts = {
	SHAPES_SERVICE_sts, .cli_name = "sts", .secret_fields = SECRETS,
};
static const struct ops_service svc_cloudwatch = {
	SHAPES_SERVICE_cloudwatch, .cli_name = "cloudwatch", .secret_fields = SECRETS,
};
static const struct ops_service svc_autoscaling = {
	SHAPES_SERVICE_autoscaling, .cli_name = "autoscaling", .secret_fields = SECRETS,
};
static const struct ops_service svc_elbv2 = {
	SHAPES_SERVICE_elbv2, .cli_name = "elbv2", .secret_fields = SECRETS,
};
static const struct ops_service svc_rds = {
	SHAPES_SERVICE_rds, .cli_name = "rds", .secret_fields = SECRETS,
};
static const struct ops_service svc_route53 = {
	SHAPES_SERVICE_route53, .cli_name = "route53",
	.global_region = "us-east-1", .global_host = "route53.amazonaws.com", .secret_fields = SECRETS,
};
static const struct ops_service svc_xray = {
	SHAPES_SERVICE_xray, .cli_name = "xray", .secret_fields = SECRETS,
};
static const struct ops_service svc_route53_recovery_cluster = {
	SHAPES_SERVICE_route53_recovery_cluster, .cli_name = "route53-recovery-cluster",
	.secret_fields = SECRETS,
};
static const struct ops_service svc_sso = {
	SHAPES_SERVICE_sso, .cli_name = "sso", .secret_fields = SECRETS,
};
static const struct ops_service svc_ec2 = {
	SHAPES_SERVICE_ec2, .cli_name = "ec2", .secret_fields = SECRETS,
};
static const struct ops_service svc_elasticache = {
	SHAPES_SERVICE_elasticache, .cli_name = "elasticache", .secret_fields = SECRETS,
};
static const struct ops_service svc_cloudfront = {
	SHAPES_SERVICE_cloudfront, .cli_name = "cloudfront",
	.global_region = "us-east-1", .global_host = "cloudfront.amazonaws.com", .secret_fields = SECRETS,
};

const struct ops_service *const ops_services[] = {
	&svc_cloudwatch, &svc_autoscaling, &svc_elbv2, &svc_route53, &svc_xray, &svc_sts,
	&svc_rds, &svc_route53_recovery_cluster, &svc_sso, &svc_ec2, &svc_elasticache,
	&svc_cloudfront, NULL,
};

/* One operation: its service's model name (with '_' for '-'), its API name, and
 * the flags a person decides; shapes and paginator come from scripts/gen-shapes. */
#define OP(svc, opname, ...) \
	{ .service = &svc_##svc, .name = #opname, SHAPES_OP_##svc##_##opname, __VA_ARGS__ }
/* Route 53's and CloudFront's APIs are served by their control plane in us-east-1. */
#define GLOBAL_CONTROL_PLANE .control_plane = true
/* A Route 53 change, as a mutating call's confirmation says it (ARC's advice:
 * https://docs.aws.amazon.com/r53recovery/latest/dg/data-and-control-planes.html). */
#define R53_CHANGE(opname) .plane_why = "yes: Route 53 " #opname " is a control-plane call served from us-east-1, " \
	"not in the recommended recovery path"

const struct ops_operation ops_table[] = {
	OP(sts, GetCallerIdentity),
	OP(sts, AssumeRole),
	OP(sts, AssumeRoleWithWebIdentity, .unsigned_call = true),

	OP(cloudwatch, GetMetricData),
	OP(cloudwatch, DescribeAlarms),
	OP(cloudwatch, DescribeAlarmHistory),

	OP(xray, GetServiceGraph),
	OP(xray, GetTraceSummaries),
	OP(xray, BatchGetTraces),

	OP(route53, ListHealthChecks, GLOBAL_CONTROL_PLANE),
	OP(route53, GetHealthCheck, GLOBAL_CONTROL_PLANE),
	OP(route53, GetHealthCheckStatus, GLOBAL_CONTROL_PLANE),
	OP(route53, ListHostedZones, GLOBAL_CONTROL_PLANE),
	OP(route53, ListResourceRecordSets, GLOBAL_CONTROL_PLANE),
	OP(route53, ChangeResourceRecordSets, .mutating = true, GLOBAL_CONTROL_PLANE, R53_CHANGE(ChangeResourceRecordSets)),
	OP(route53, GetChange, GLOBAL_CONTROL_PLANE),
	OP(route53, UpdateHealthCheck, .mutating = true, GLOBAL_CONTROL_PLANE, R53_CHANGE(UpdateHealthCheck)),
	OP(route53, TestDNSAnswer, GLOBAL_CONTROL_PLANE),

	OP(autoscaling, DescribeAutoScalingGroups),
	OP(autoscaling, DescribeScalingActivities),
	OP(autoscaling, DescribePolicies),
	OP(autoscaling, GetPredictiveScalingForecast),
	OP(autoscaling, DescribeInstanceRefreshes),
	OP(autoscaling, SetDesiredCapacity, .mutating = true),
	OP(autoscaling, UpdateAutoScalingGroup, .mutating = true),
	OP(autoscaling, StartInstanceRefresh, .mutating = true),
	OP(autoscaling, CancelInstanceRefresh, .mutating = true),

	OP(elbv2, DescribeLoadBalancers),
	OP(elbv2, DescribeTargetGroups),
	OP(elbv2, DescribeTargetHealth),
	OP(elbv2, DescribeListeners),
	OP(elbv2, DescribeRules),
	OP(elbv2, ModifyListener, .mutating = true),
	OP(elbv2, ModifyRule, .mutating = true),

	OP(rds, DescribeDBInstances),
	OP(rds, PromoteReadReplica, .mutating = true),
	OP(rds, CreateDBInstanceReadReplica, .mutating = true),

	OP(route53_recovery_cluster, GetRoutingControlState),
	OP(route53_recovery_cluster, ListRoutingControls),
	OP(route53_recovery_cluster, UpdateRoutingControlState, .mutating = true,
	   .plane_why = "no: an ARC routing control is the data plane (cluster endpoints)"),

	/* the credential chain's portal call */
	OP(sso, GetRoleCredentials, .unsigned_call = true),

	OP(ec2, DescribeNetworkInterfaces),
	OP(ec2, DescribeLaunchTemplateVersions),

	OP(elasticache, DescribeReplicationGroups),
	OP(elasticache, DescribeCacheClusters),
	OP(elasticache, DescribeEvents),

	OP(cloudfront, ListDistributions, GLOBAL_CONTROL_PLANE),
	OP(cloudfront, GetDistribution, GLOBAL_CONTROL_PLANE),
	OP(cloudfront, GetMonitoringSubscription, GLOBAL_CONTROL_PLANE),

	{ .name = NULL },
};

void ops_kebab(const char *api_name, char *out, size_t size)
{
	size_t o = 0, i;

	if (!size)
		return;
	for (i = 0; api_name[i] && o + 2 < size; i++) {
		unsigned char c = (unsigned char)api_name[i];
		if (i > 0 && isupper(c)) {
			unsigned char prev = (unsigned char)api_name[i - 1];
			unsigned char next = (unsigned char)api_name[i + 1];
			if (islower(prev) || isdigit(prev) || (isupper(prev) && islower(next)))
				out[o++] = '-';
		}
		out[o++] = (char)tolower(c);
	}
	out[o] = '\0';
}

const struct ops_service *ops_service_find(const char *service)
{
	size_t i;

	if (!service)
		return NULL;
	for (i = 0; ops_services[i]; i++) {
		const struct ops_service *s = ops_services[i];
		if (strcmp(s->cli_name, service) == 0 || strcmp(s->signing_name, service) == 0 ||
		    strcmp(s->endpoint_prefix, service) == 0)
			return s;
	}
	return NULL;
}

const struct ops_operation *ops_find(const char *service, const char *operation)
{
	const struct ops_service *s = ops_service_find(service);
	const struct ops_operation *op;
	char kebab[128];

	if (!s || !operation)
		return NULL;
	for (op = ops_table; op->name; op++) {
		if (op->service != s)
			continue;
		if (strcmp(op->name, operation) == 0)
			return op;
		ops_kebab(op->name, kebab, sizeof(kebab));
		if (strcmp(kebab, operation) == 0)
			return op;
	}
	return NULL;
}

const struct shapes_ref *ops_input(const struct ops_operation *op)
{
	return shapes_ref_at(op->shape->input);
}

const struct shapes_ref *ops_output(const struct ops_operation *op)
{
	return shapes_ref_at(op->shape->output);
}

const char *ops_method(const struct ops_operation *op)
{
	return shapes_str(op->shape->method);
}

const char *ops_uri(const struct ops_operation *op)
{
	return shapes_str(op->shape->uri);
}

bool ops_paginated(const struct ops_operation *op)
{
	return op->pager != NULL;
}

json_t *ops_path_get(json_t *v, const char *path)
{
	char part[128];

	while (v && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof(part))
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		v = json_object_get(v, part);
		path += n;
		if (*path == '.')
			path++;
	}
	return v;
}

/* Set the member at a dotted path of obj (intermediate objects created); steals value. */
static void path_set(json_t *obj, const char *path, json_t *value)
{
	char part[128];
	size_t n = strcspn(path, ".");

	if (n >= sizeof(part) || !json_is_object(obj)) {
		json_decref(value);
		return;
	}
	memcpy(part, path, n);
	part[n] = '\0';
	if (!path[n]) {
		json_object_set_new(obj, part, value);
		return;
	}
	if (!json_is_object(json_object_get(obj, part)))
		json_object_set_new(obj, part, json_object());
	path_set(json_object_get(obj, part), path + n + 1, value);
}

/* A token is there when botocore would take it: present and not empty. */
static bool token_set(json_t *t)
{
	return t && !json_is_null(t) && !(json_is_string(t) && !json_string_length(t));
}

int ops_page_merge(const struct ops_operation *op, json_t **merged, json_t *page, json_t *input,
		   struct fd_error *err)
{
	const struct ops_paginator *pg = op->pager;
	bool more = false, changed = false;
	size_t i;

	if (!*merged) {
		/* the first page: botocore keeps its non-aggregate keys and the results */
		*merged = json_object();
		for (i = 0; pg->non_aggregate_keys[i]; i++) {
			json_t *v = ops_path_get(page, pg->non_aggregate_keys[i]);
			if (v)
				path_set(*merged, pg->non_aggregate_keys[i], json_incref(v));
		}
	}
	for (i = 0; pg->result_keys[i]; i++) {
		json_t *add = ops_path_get(page, pg->result_keys[i]);
		json_t *have = ops_path_get(*merged, pg->result_keys[i]);
		if (!add || json_is_null(add))
			continue;
		if (json_is_array(have) && json_is_array(add))
			json_array_extend(have, add);
		else if (!have)         /* the page is dropped below: its list is taken, not copied */
			path_set(*merged, pg->result_keys[i], json_incref(add));
	}
	if (pg->more_results && !json_is_true(ops_path_get(page, pg->more_results))) {
		more = false;
	} else {
		for (i = 0; pg->output_token[i]; i++)
			if (token_set(ops_path_get(page, pg->output_token[i])))
				more = true;
	}
	if (more) {
		for (i = 0; pg->input_token[i]; i++) {
			json_t *t = ops_path_get(page, pg->output_token[i]);
			json_t *old = json_object_get(input, pg->input_token[i]);
			if (!token_set(t)) {
				if (old)
					changed = true;
				json_object_del(input, pg->input_token[i]);
				continue;
			}
			if (!old || !json_equal(t, old))
				changed = true;
			json_object_set(input, pg->input_token[i], t);
		}
	}
	json_decref(page);
	if (more && !changed)
		return fd_error_set(err, "PaginationError", "%s: the same next token was received twice",
				    op->name);
	return more ? 1 : 0;
}
