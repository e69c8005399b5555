/* route53.c — the simulated Route 53 (rest-xml 2013-04-01): health checks, what
 * their checkers report, and the route table of every Route 53 operation (zones,
 * record sets and DNS answers: route53_zones.c, r53dns.c; see route53.h). */
#include "sim/route53.h"

#include "base/xalloc.h"
#include "sim/svcstate.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers -------------------------------------------------------------- */

void route53_doc_begin(struct sim_resp *resp, const char *root)
{
	strbuf_reset(&resp->body);
	strbuf_addf(&resp->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%s xmlns=\"%s\">", root,
		    ROUTE53_XMLNS);
}

void route53_doc_end(struct sim_resp *resp, const char *root)
{
	strbuf_addf(&resp->body, "</%s>\n", root);
}

struct sim_zone *route53_find_zone(struct sim_world *w, const char *id)
{
	if (strncmp(id, "/hostedzone/", 12) == 0)
		id += 12;
	return sim_world_zone(w, id);
}

int route53_max_items(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp, long *out)
{
	const char *v = sim_param(req, "maxitems");
	const struct sim_page_rule *rule = sim_page_rule_find(resp->operation);
	long max = rule ? rule->max : 100;
	char *end;

	*out = sim_page_default(ctx->world, resp->operation);
	if (!v)
		return 0;
	*out = strtol(v, &end, 10);
	if (!*v || *end || *out < 1) {
		sim_error(ctx, resp, 400, "InvalidInput", "1 validation error detected: Value '%s' at 'maxItems' "
			  "failed to satisfy constraint: Member must be a positive integer", v);
		return -1;
	}
	if (*out > max)
		*out = max;
	return 0;
}

int route53_page(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp, size_t n,
		 const char *(*id)(const struct sim_world *w, size_t i), size_t *start, long *max)
{
	const char *marker = sim_param(req, "marker");

	*start = 0;
	if (route53_max_items(ctx, req, resp, max) < 0)
		return -1;
	if (!marker)
		return 0;
	while (*start < n && strcmp(id(ctx->world, *start), marker) != 0)
		(*start)++;
	if (*start == n) {
		sim_error(ctx, resp, 400, "InvalidInput", "The marker %s is not valid.", marker);
		return -1;
	}
	return 0;
}

xmlDocPtr route53_parse_body(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	xmlDocPtr doc = NULL;

	if (req->body_len > 0 && req->body_len < 1 << 20)
		doc = xmlReadMemory((const char *)req->body, (int)req->body_len, "request.xml", NULL,
				    XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc || !xmlDocGetRootElement(doc)) {
		xmlFreeDoc(doc);
		sim_error(ctx, resp, 400, "InvalidInput", "The XML document is malformed or missing.");
		return NULL;
	}
	return doc;
}

xmlNodePtr route53_child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

bool route53_child_text(xmlNodePtr n, const char *name, char *out, size_t size)
{
	xmlNodePtr c = route53_child(n, name);
	xmlChar *s;

	out[0] = '\0';
	if (!c)
		return false;
	s = xmlNodeGetContent(c);
	snprintf(out, size, "%s", s ? (const char *)s : "");
	xmlFree(s);
	return true;
}

/* ---- health checks -------------------------------------------------------- */

/* The health check named by the path, NULL after NoSuchHealthCheck. */
static struct sim_health_check *path_check(struct sim_ctx *ctx, struct sim_resp *resp)
{
	struct sim_health_check *c = sim_world_check(ctx->world, ctx->path_args[0]);

	if (!c)
		sim_error(ctx, resp, 404, "NoSuchHealthCheck", "A health check with id %s does not exist.",
			  ctx->path_args[0]);
	return c;
}

/* Append a <HealthCheck> element: its configuration as its kind has it. */
static void write_check(const struct sim_world *w, struct strbuf *sb, const struct sim_health_check *c)
{
	strbuf_adds(sb, "<HealthCheck>");
	sim_xml_elem(sb, "Id", c->id);
	sim_xml_elem(sb, "CallerReference", c->caller_ref);
	strbuf_adds(sb, "<HealthCheckConfig>");
	if (c->kind == SIM_HC_ENDPOINT) {
		sim_xml_elemf(sb, "Port", "%d", c->port);
		sim_xml_elem(sb, "Type", c->type);
		if (strcmp(c->type, "TCP") != 0)
			sim_xml_elem(sb, "ResourcePath", c->path);
		sim_xml_elem(sb, "FullyQualifiedDomainName", c->fqdn);
		sim_xml_elemf(sb, "RequestInterval", "%d", c->interval_s);
		sim_xml_elemf(sb, "FailureThreshold", "%d", c->failure_threshold);
		sim_xml_elem(sb, "MeasureLatency", "false");
	} else {
		sim_xml_elem(sb, "Type", c->type);
	}
	sim_xml_elem(sb, "Inverted", c->inverted ? "true" : "false");
	sim_xml_elem(sb, "Disabled", c->disabled ? "true" : "false");
	if (c->kind == SIM_HC_CALCULATED) {
		sim_xml_elemf(sb, "HealthThreshold", "%d", c->health_threshold);
		strbuf_adds(sb, "<ChildHealthChecks>");
		for (size_t i = 0; i < c->n_children; i++)
			sim_xml_elem(sb, "ChildHealthCheck", c->children[i]);
		strbuf_adds(sb, "</ChildHealthChecks>");
	} else if (c->kind == SIM_HC_ENDPOINT) {
		sim_xml_elem(sb, "EnableSNI", strcmp(c->type, "HTTPS") == 0 ? "true" : "false");
	} else if (c->control >= 0 && (size_t)c->control < w->n_controls) {
		sim_xml_elem(sb, "RoutingControlArn", w->controls[c->control].arn);
	}
	strbuf_adds(sb, "</HealthCheckConfig>");
	sim_xml_elemf(sb, "HealthCheckVersion", "%ld", c->version);
	strbuf_adds(sb, "</HealthCheck>");
}

static const char *check_id(const struct sim_world *w, size_t i)
{
	return w->checks[i].id;
}

/* ListHealthChecks, paged by marker (a health check id). */
static int op_list_health_checks(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct sim_world *w = ctx->world;
	const char *marker = sim_param(req, "marker");
	size_t start, i;
	long max;

	if (route53_page(ctx, req, resp, w->n_checks, check_id, &start, &max) < 0)
		return 0;
	route53_doc_begin(resp, "ListHealthChecksResponse");
	strbuf_adds(&resp->body, "<HealthChecks>");
	for (i = start; i < w->n_checks && i < start + (size_t)max; i++)
		write_check(w, &resp->body, &w->checks[i]);
	strbuf_adds(&resp->body, "</HealthChecks>");
	sim_xml_elem(&resp->body, "Marker", marker ? marker : "");
	sim_xml_elem(&resp->body, "IsTruncated", i < w->n_checks ? "true" : "false");
	if (i < w->n_checks)
		sim_xml_elem(&resp->body, "NextMarker", w->checks[i].id);
	sim_xml_elemf(&resp->body, "MaxItems", "%ld", max);
	route53_doc_end(resp, "ListHealthChecksResponse");
	return 0;
}

/* GetHealthCheck. */
static int op_get_health_check(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct sim_health_check *c = path_check(ctx, resp);

	(void)req;
	if (!c)
		return 0;
	route53_doc_begin(resp, "GetHealthCheckResponse");
	write_check(ctx->world, &resp->body, c);
	route53_doc_end(resp, "GetHealthCheckResponse");
	return 0;
}

/* GetHealthCheckStatus: what each health checker last saw (Inverted included).
 * "You can't use GetHealthCheckStatus to get the status of a calculated health
 * check." (API reference). A routing-control check reports its control. */
static int op_get_health_check_status(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct sim_world *w = ctx->world;
	struct sim_health_check *c = path_check(ctx, resp);
	char status[400];
	double at;

	(void)req;
	if (!c)
		return 0;
	if (c->kind == SIM_HC_CALCULATED)
		return sim_error(ctx, resp, 400, "InvalidInput",
				 "The health check %s is a calculated health check: GetHealthCheckStatus does not "
				 "report the status of calculated health checks.", c->id);
	route53_doc_begin(resp, "GetHealthCheckStatusResponse");
	strbuf_adds(&resp->body, "<HealthCheckObservations>");
	for (size_t i = 0; i < SIM_CHECKERS; i++) {
		if (c->kind == SIM_HC_ENDPOINT) {
			r53health_report(w, c, i, status, sizeof(status), &at);
		} else {
			const struct sim_routing_control *rc = c->control >= 0 && (size_t)c->control < w->n_controls ?
							       &w->controls[c->control] : NULL;
			bool on = rc && rc->on;
			snprintf(status, sizeof(status), "%s: %sRouting control %s is %s",
				 on != c->inverted ? "Success" : "Failure", c->inverted ? "Inverted health check. " : "",
				 rc ? rc->name : "(none)", on ? "On" : "Off");
			at = rc ? rc->changed_s : w->start_s;
		}
		strbuf_adds(&resp->body, "<HealthCheckObservation>");
		sim_xml_elem(&resp->body, "Region", r53health_checker_regions[i]);
		sim_xml_elem(&resp->body, "IPAddress", r53health_checker_ips[i]);
		strbuf_adds(&resp->body, "<StatusReport>");
		sim_xml_elem(&resp->body, "Status", status);
		sim_xml_time(&resp->body, "CheckedTime", at);
		strbuf_adds(&resp->body, "</StatusReport></HealthCheckObservation>");
	}
	strbuf_adds(&resp->body, "</HealthCheckObservations>");
	route53_doc_end(resp, "GetHealthCheckStatusResponse");
	return 0;
}

/* Parse "true"/"false" into *b; false when v is neither. */
static bool parse_bool(const char *v, bool *b)
{
	if (strcmp(v, "true") == 0)
		*b = true;
	else if (strcmp(v, "false") == 0)
		*b = false;
	else
		return false;
	return true;
}

/* The ChildHealthChecks of an update into upd; a message when one is not valid. */
static const char *read_children(struct sim_world *w, xmlNodePtr list, struct sim_health_check *upd)
{
	upd->n_children = 0;
	for (xmlNodePtr n = list->children; n; n = n->next) {
		xmlChar *id;
		const struct sim_health_check *child;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (upd->n_children == SIM_CHILDREN_MAX)
			return "Invalid parameter: too many child health checks.";
		id = xmlNodeGetContent(n);
		child = sim_world_check(w, id ? (const char *)id : "");
		snprintf(upd->children[upd->n_children++], sizeof(upd->children[0]), "%s", id ? (const char *)id : "");
		xmlFree(id);
		if (!child)
			return "Invalid parameter: a child health check does not exist.";
		if (child->kind == SIM_HC_CALCULATED)
			return "Invalid parameter: a calculated health check cannot monitor other calculated health checks.";
	}
	return NULL;
}

/* UpdateHealthCheck: Inverted, Disabled, FailureThreshold, ResourcePath, Port,
 * FullyQualifiedDomainName, HealthThreshold, ChildHealthChecks. The status follows
 * at once (Inverted, Disabled) or at the checkers' next observations. */
static int op_update_health_check(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct sim_health_check *c = path_check(ctx, resp), upd;
	xmlDocPtr doc;
	xmlNodePtr root, list;
	const char *bad;
	char v[256];
	long n;
	int rc = 0;

	if (!c || !(doc = route53_parse_body(ctx, req, resp)))
		return 0;
	root = xmlDocGetRootElement(doc);
	upd = *c;
	if (route53_child_text(root, "HealthCheckVersion", v, sizeof(v)) && atol(v) != c->version) {
		rc = sim_error(ctx, resp, 409, "HealthCheckVersionMismatch",
			       "The value of HealthCheckVersion in the request doesn't match the value of "
			       "HealthCheckVersion in the health check.");
		goto done;
	}
	if ((route53_child_text(root, "Inverted", v, sizeof(v)) && !parse_bool(v, &upd.inverted)) ||
	    (route53_child_text(root, "Disabled", v, sizeof(v)) && !parse_bool(v, &upd.disabled))) {
		rc = sim_error(ctx, resp, 400, "InvalidInput", "Invalid boolean value '%s'.", v);
		goto done;
	}
	if (route53_child_text(root, "FailureThreshold", v, sizeof(v))) {
		n = atol(v);
		if (n < 1 || n > 10) {
			rc = sim_error(ctx, resp, 400, "InvalidInput", "1 validation error detected: Value '%s' at "
				       "'failureThreshold' failed to satisfy constraint: Member must have value less "
				       "than or equal to 10", v);
			goto done;
		}
		upd.failure_threshold = (int)n;
	}
	if (route53_child_text(root, "HealthThreshold", v, sizeof(v))) {
		n = atol(v);
		if (n < 0 || n > 256) {
			rc = sim_error(ctx, resp, 400, "InvalidInput", "1 validation error detected: Value '%s' at "
				       "'healthThreshold' failed to satisfy constraint: Member must have value less "
				       "than or equal to 256", v);
			goto done;
		}
		upd.health_threshold = (int)n;
	}
	if ((list = route53_child(root, "ChildHealthChecks")) && (bad = read_children(ctx->world, list, &upd))) {
		rc = sim_error(ctx, resp, 400, "InvalidInput", "%s", bad);
		goto done;
	}
	if (route53_child_text(root, "Port", v, sizeof(v)))
		upd.port = atoi(v);
	if (route53_child_text(root, "ResourcePath", v, sizeof(v)))
		snprintf(upd.path, sizeof(upd.path), "%s", v);
	if (route53_child_text(root, "FullyQualifiedDomainName", v, sizeof(v)))
		snprintf(upd.fqdn, sizeof(upd.fqdn), "%s", v);
	upd.version++;
	*c = upd;
	r53health_tick(ctx->world, ctx->world->now_s);   /* Inverted and Disabled apply at once */
	route53_doc_begin(resp, "UpdateHealthCheckResponse");
	write_check(ctx->world, &resp->body, c);
	route53_doc_end(resp, "UpdateHealthCheckResponse");
	sim_services_tick(ctx->world);   /* DNS follows the new status */
done:
	xmlFreeDoc(doc);
	return rc;
}

static const struct sim_route route53_routes[] = {
	{ "GET", "/2013-04-01/healthcheck", { "ListHealthChecks", false, op_list_health_checks } },
	{ "GET", "/2013-04-01/healthcheck/{HealthCheckId}/status",
	  { "GetHealthCheckStatus", false, op_get_health_check_status } },
	{ "GET", "/2013-04-01/healthcheck/{HealthCheckId}", { "GetHealthCheck", false, op_get_health_check } },
	{ "POST", "/2013-04-01/healthcheck/{HealthCheckId}", { "UpdateHealthCheck", true, op_update_health_check } },
	{ "GET", "/2013-04-01/hostedzone", { "ListHostedZones", false, route53_op_list_hosted_zones } },
	{ "GET", "/2013-04-01/hostedzone/{Id}/rrset", { "ListResourceRecordSets", false, route53_op_list_rrsets } },
	{ "POST", "/2013-04-01/hostedzone/{Id}/rrset", { "ChangeResourceRecordSets", true, route53_op_change_rrsets } },
	{ "GET", "/2013-04-01/hostedzone/{Id}/rrset/", { "ListResourceRecordSets", false, route53_op_list_rrsets } },
	{ "POST", "/2013-04-01/hostedzone/{Id}/rrset/", { "ChangeResourceRecordSets", true, route53_op_change_rrsets } },
	{ "GET", "/2013-04-01/change/{Id}", { "GetChange", false, route53_op_get_change } },
	{ "GET", "/2013-04-01/testdnsanswer", { "TestDNSAnswer", false, route53_op_test_dns_answer } },
	{ NULL, NULL, { NULL, false, NULL } },
};

int sim_route53_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	sim_services_tick(ctx->world);
	return sim_dispatch_rest(ctx, req, resp, route53_routes);
}
