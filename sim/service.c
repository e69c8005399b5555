/* service.c — the registration table and the helpers every service uses (see service.h). */
#include "sim/service.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/xalloc.h"
#include "sim/fault.h"

const struct sim_service sim_services[] = {
	{ .signing_name = "sts", .protocol = SIM_PROTO_QUERY,
	  .throttle_code = "Throttling", .throttle_status = 400,
	  .handle = sim_sts_handle },
	{ .signing_name = "autoscaling", .protocol = SIM_PROTO_QUERY,
	  .throttle_code = "Throttling", .throttle_status = 400,
	  .handle = sim_autoscaling_handle },
	{ .signing_name = "elasticloadbalancing", .protocol = SIM_PROTO_QUERY,
	  .throttle_code = "Throttling", .throttle_status = 400,
	  .handle = sim_elbv2_handle },
	{ .signing_name = "rds", .protocol = SIM_PROTO_QUERY,
	  .throttle_code = "Throttling", .throttle_status = 400,
	  .handle = sim_rds_handle },
	{ .signing_name = "ec2", .protocol = SIM_PROTO_EC2,
	  .throttle_code = "RequestLimitExceeded", .throttle_status = 503,
	  .handle = sim_ec2_handle },
	{ .signing_name = "monitoring", .protocol = SIM_PROTO_QUERY,
	  .throttle_code = "Throttling", .throttle_status = 400,
	  .handle = sim_cloudwatch_handle },
	{ .signing_name = "xray", .protocol = SIM_PROTO_REST_JSON,
	  .throttle_code = "ThrottledException", .throttle_status = 429,
	  .handle = sim_xray_handle, .invalid_code = "InvalidRequestException" },
	{ .signing_name = "route53", .protocol = SIM_PROTO_REST_XML,
	  .throttle_code = "Throttling", .throttle_status = 400,
	  .handle = sim_route53_handle },
	{ .signing_name = "cloudfront", .protocol = SIM_PROTO_REST_XML,
	  .throttle_code = "Throttling", .throttle_status = 400,
	  .handle = sim_cloudfront_handle },
	{ .signing_name = "elasticache", .protocol = SIM_PROTO_QUERY,
	  .throttle_code = "Throttling", .throttle_status = 400,
	  .handle = sim_elasticache_handle },
	{ .signing_name = "awsssoportal", .protocol = SIM_PROTO_REST_JSON,   /* /federation/credentials only */
	  .throttle_code = "TooManyRequestsException", .throttle_status = 429,
	  .handle = sim_sso_handle, .invalid_code = "InvalidRequestException" },
	{ .signing_name = "route53-recovery-cluster", .protocol = SIM_PROTO_JSON10,
	  .handle = sim_arc_handle,
	  .throttle_code = "ThrottlingException", .throttle_status = 429 },
	{ .signing_name = NULL },
};

const struct sim_service *sim_service_find(const char *signing_name)
{
	const struct sim_service *s;

	if (!signing_name)
		return NULL;
	for (s = sim_services; s->signing_name; s++)
		if (strcmp(s->signing_name, signing_name) == 0)
			return s;
	return NULL;
}

void sim_resp_init(struct sim_resp *resp)
{
	memset(resp, 0, sizeof(*resp));
	resp->status = 200;
	snprintf(resp->content_type, sizeof(resp->content_type), "text/xml");
	strbuf_init(&resp->body);
}

void sim_resp_clean_up(struct sim_resp *resp)
{
	size_t i;

	strbuf_clean_up(&resp->body);
	for (i = 0; i < resp->n_headers; i++) {
		free(resp->headers[i].name);
		free(resp->headers[i].value);
	}
	resp->n_headers = 0;
}

void sim_resp_header(struct sim_resp *resp, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < resp->n_headers; i++)
		if (strcasecmp(resp->headers[i].name, name) == 0) {
			free(resp->headers[i].value);
			resp->headers[i].value = xstrdup(value);
			return;
		}
	if (resp->n_headers == SIM_RESP_HEADERS_MAX)
		return;
	resp->headers[resp->n_headers].name = xstrdup(name);
	resp->headers[resp->n_headers].value = xstrdup(value);
	resp->n_headers++;
}

/* Append s XML-escaped. */
static void xml_text(struct strbuf *sb, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *rep = NULL;
		switch (*s) {
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '&': rep = "&amp;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		default:
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t' && *s != '\r')
				rep = "\xef\xbf\xbd";   /* not representable in XML 1.0 */
			break;
		}
		if (rep) {
			strbuf_add(sb, run, (size_t)(s - run));
			strbuf_adds(sb, rep);
			run = s + 1;
		}
	}
	strbuf_add(sb, run, (size_t)(s - run));
}

void sim_xml_elem(struct strbuf *sb, const char *name, const char *value)
{
	if (!value)
		return;
	strbuf_addf(sb, "<%s>", name);
	xml_text(sb, value);
	strbuf_addf(sb, "</%s>", name);
}

void sim_time_iso(double t_s, char out[32])
{
	long long total_ms = llround(t_s * 1000.0);
	time_t t = (time_t)(total_ms / 1000);
	int ms = (int)(total_ms % 1000);
	struct tm tm;

	if (ms < 0) {
		ms += 1000;
		t--;
	}
	gmtime_r(&t, &tm);
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

void sim_resp_json(struct sim_resp *resp, int status, const char *content_type, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT);

	resp->status = status;
	snprintf(resp->content_type, sizeof(resp->content_type), "%s",
		 content_type ? content_type : "application/json");
	strbuf_reset(&resp->body);
	strbuf_adds(&resp->body, s ? s : "{}");
	free(s);
	json_decref(body);
}

int sim_error_proto(enum sim_protocol proto, const char *xmlns, const char *request_id,
		    struct sim_resp *resp, int status, const char *code, const char *message)
{
	const char *type = status < 500 ? "Sender" : "Receiver";

	resp->status = status;
	snprintf(resp->error_code, sizeof(resp->error_code), "%s", code);
	strbuf_reset(&resp->body);
	switch (proto) {
	case SIM_PROTO_QUERY:
	case SIM_PROTO_REST_XML:
		snprintf(resp->content_type, sizeof(resp->content_type), "text/xml");
		if (xmlns && xmlns[0])
			strbuf_addf(&resp->body, "<ErrorResponse xmlns=\"%s\">\n", xmlns);
		else
			strbuf_adds(&resp->body, "<ErrorResponse>\n");
		strbuf_addf(&resp->body, "  <Error>\n    <Type>%s</Type>\n    ", type);
		sim_xml_elem(&resp->body, "Code", code);
		strbuf_adds(&resp->body, "\n    ");
		sim_xml_elem(&resp->body, "Message", message);
		strbuf_adds(&resp->body, "\n  </Error>\n  ");
		sim_xml_elem(&resp->body, "RequestId", request_id);
		strbuf_adds(&resp->body, "\n</ErrorResponse>\n");
		break;
	case SIM_PROTO_EC2:   /* https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html */
		snprintf(resp->content_type, sizeof(resp->content_type), "text/xml;charset=UTF-8");
		strbuf_adds(&resp->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>");
		sim_xml_elem(&resp->body, "Code", code);
		sim_xml_elem(&resp->body, "Message", message);
		strbuf_adds(&resp->body, "</Error></Errors>");
		sim_xml_elem(&resp->body, "RequestID", request_id);
		strbuf_adds(&resp->body, "</Response>\n");
		break;
	case SIM_PROTO_REST_JSON:
	case SIM_PROTO_JSON10:
	case SIM_PROTO_PLAIN: {
		json_t *o = json_object();
		if (proto == SIM_PROTO_JSON10) {
			json_object_set_new(o, "__type", json_string(code));
		} else {
			sim_resp_header(resp, "X-Amzn-ErrorType", code);
			if (proto == SIM_PROTO_PLAIN)
				json_object_set_new(o, "code", json_string(code));
		}
		json_object_set_new(o, "message", json_string(message));
		sim_resp_json(resp, status, proto == SIM_PROTO_JSON10 ?
			      "application/x-amz-json-1.0" : "application/json", o);
		break;
	}
	}
	if (request_id && request_id[0])
		sim_resp_header(resp, "x-amzn-RequestId", request_id);
	return 0;
}

int sim_error(struct sim_ctx *ctx, struct sim_resp *resp, int status, const char *code,
	      const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ctx->svc)
		return sim_error_svc(ctx->svc, ctx->request_id, resp, status, code, msg);
	return sim_error_proto(SIM_PROTO_PLAIN, NULL, ctx->request_id, resp, status, code, msg);
}

const char *sim_param(const struct sim_req *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->n_params; i++)
		if (strcmp(req->params[i].name, name) == 0)
			return req->params[i].value;
	return NULL;
}

const char *sim_header(const struct sim_req *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->n_headers; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

bool sim_filter_has(const struct sim_filter *f, const char *v)
{
	for (size_t i = 0; i < f->n_values; i++)
		if (strcmp(f->values[i], v) == 0)
			return true;
	return false;
}

bool sim_pager_take(struct sim_pager *p)
{
	if (p->more)
		return false;
	if (p->k++ < p->start)
		return false;
	if (p->size && p->shown == p->size) {   /* size 0: no limit */
		p->more = true;
		return false;
	}
	p->shown++;
	return true;
}

void sim_marker_encode(size_t offset, char out[32])
{
	snprintf(out, 32, "fd-sim-page-%zu", offset);
}

int sim_marker_decode(const char *marker, size_t *offset)
{
	const char *p = "fd-sim-page-";
	char *end;
	unsigned long long v;

	if (!marker || strncmp(marker, p, strlen(p)) != 0)
		return -1;
	marker += strlen(p);
	if (!isdigit((unsigned char)marker[0]))
		return -1;
	v = strtoull(marker, &end, 10);
	if (*end || v > 100000000ULL)
		return -1;
	*offset = (size_t)v;
	return 0;
}

/* A per-request pseudo-random number in [0, 1) for faults (not the world's stream,
 * so that faults do not change the world's sequence). */
static double fault_rand(struct sim_ctx *ctx)
{
	static __thread unsigned long long x = 0x9e3779b97f4a7c15ULL;
	size_t i;

	if (ctx->world)
		x ^= ctx->world->seed;
	for (i = 0; ctx->request_id[i]; i++)
		x = (x ^ (unsigned char)ctx->request_id[i]) * 0x100000001b3ULL;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (double)(x >> 11) / 9007199254740992.0;
}

bool sim_begin_op(struct sim_ctx *ctx, struct sim_resp *resp, const char *operation,
		  bool mutating)
{
	double rate;

	snprintf(resp->operation, sizeof(resp->operation), "%s", operation);
	resp->mutating = mutating;
	if (!ctx->faults)
		return false;
	rate = sim_fault_throttle_rate(ctx->faults, operation);
	if (rate > 0 && fault_rand(ctx) < rate) {
		sim_error(ctx, resp, ctx->svc && ctx->svc->throttle_status ? ctx->svc->throttle_status : 400,
			  ctx->svc && ctx->svc->throttle_code ? ctx->svc->throttle_code : "Throttling",
			  "Rate exceeded");
		return true;
	}
	if (ctx->faults->error5xx_rate > 0 && fault_rand(ctx) < ctx->faults->error5xx_rate) {
		sim_error(ctx, resp, 500, "InternalFailure",
			  "The request processing has failed because of an unknown error, "
			  "exception or failure.");
		if (ctx->svc && ctx->svc->protocol != SIM_PROTO_QUERY && ctx->svc->protocol != SIM_PROTO_EC2 &&
		    ctx->svc->protocol != SIM_PROTO_REST_XML)
			sim_resp_header(resp, "X-Amzn-ErrorType", "InternalFailure");
		return true;
	}
	return false;
}
