/* route53.c — the simulated Route 53 (rest-xml 2013-04-01): health checks and
 * their status, hosted zones, record sets and changes, and DNS answers that
 * follow health (see route53.h). */
#include "sim/route53.h"

#include "base/xalloc.h"
#include "sim/service.h"
#include "sim/svcstate.h"
#include "sim/traffic.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define R53_XMLNS "https://route53.amazonaws.com/doc/2013-04-01/"
#define NS_TTL 172800
#define SOA_TTL 900

/* The Route 53 health checkers that report observations. */
static const struct checker {
	const char *region;
	const char *ip;
} checkers[] = {
	{ "us-east-1", "15.177.2.17" },
	{ "us-west-1", "15.177.10.29" },
	{ "eu-west-1", "15.177.50.73" },
	{ "ap-southeast-1", "15.177.34.5" },
	{ "ap-northeast-1", "15.177.42.211" },
	{ "sa-east-1", "15.177.58.9" },
};

static const char *const name_servers[4] = {
	"ns-1536.awsdns-00.co.uk.", "ns-0.awsdns-00.com.", "ns-1024.awsdns-00.org.", "ns-512.awsdns-00.net.",
};

/* ---- DNS answers ---------------------------------------------------------- */

int route53_record_region(const struct sim_world *w, const struct sim_record *rec)
{
	for (size_t i = 0; rec->health_check_id[0] && i < w->n_checks; i++)
		if (strcmp(w->checks[i].id, rec->health_check_id) == 0 && w->checks[i].region >= 0)
			return w->checks[i].region;
	for (size_t r = 0; rec->alias_dns[0] && r < w->n_regions; r++)
		for (size_t l = 0; l < w->regions[r].n_lbs; l++)
			if (strncasecmp(w->regions[r].lbs[l].dns_name, rec->alias_dns,
					strlen(w->regions[r].lbs[l].dns_name)) == 0)
				return (int)r;
	return -1;
}

size_t route53_region_ips(const struct sim_world *w, int r, char out[][16], size_t n)
{
	const char *name;
	int a = 52, b = 0;
	size_t k;

	if (r < 0 || (size_t)r >= w->n_regions)
		return 0;
	name = w->regions[r].name;
	if (strcmp(name, "ap-northeast-2") == 0)
		a = 3, b = 34;
	else if (strcmp(name, "ap-northeast-1") == 0)
		a = 54, b = 65;
	else
		b = 20 + r;
	for (k = 0; k < n && k < 2; k++)
		snprintf(out[k], 16, "%d.%d.%d.%d", a, b,
			 (int)(traffic_hash(w->seed, (uint64_t)r, 1, 0) * 250) + 1, (int)(10 + k * 37 + r));
	return k;
}

/* Is the routing control of region r On (true when there is none)? */
static bool control_on(const struct svcstate *st, int r)
{
	return !st || r < 0 || (size_t)r >= st->n_controls || st->controls[r].on;
}

/* Is rec healthy for DNS (see route53.h)? */
static bool record_healthy(const struct sim_world *w, const struct svcstate *st,
			   const struct sim_record *rec)
{
	int r = route53_record_region(w, rec);

	if (!control_on(st, r))
		return false;
	for (size_t i = 0; rec->health_check_id[0] && i < w->n_checks; i++)
		if (strcmp(w->checks[i].id, rec->health_check_id) == 0 && !w->checks[i].healthy)
			return false;
	if (rec->alias_dns[0] && rec->evaluate_health && r >= 0 && !sim_world_region_serving(w, r))
		return false;
	return true;
}

/* Do two DNS names match (case-insensitive, trailing dot optional)? */
static bool name_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la && a[la - 1] == '.')
		la--;
	if (lb && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

/* The records of z that DNS answers name/type with (failover picks one);
 * returns how many were put in out. */
static size_t answer(const struct sim_world *w, const struct svcstate *st, const struct sim_zone *z,
		     const char *name, const char *type, const struct sim_record **out, size_t max)
{
	const struct sim_record *primary = NULL, *secondary = NULL;
	size_t n = 0;

	for (size_t i = 0; i < z->n_records; i++) {
		const struct sim_record *rec = &z->records[i];
		if (!name_eq(rec->name, name) || strcmp(rec->type, type) != 0)
			continue;
		if (strcmp(rec->failover, "PRIMARY") == 0)
			primary = rec;
		else if (strcmp(rec->failover, "SECONDARY") == 0)
			secondary = rec;
		else if (n < max)
			out[n++] = rec;
	}
	if (primary || secondary) {
		const struct sim_record *pick = primary;
		if (!primary || (!record_healthy(w, st, primary) && secondary && record_healthy(w, st, secondary)))
			pick = secondary;
		if (max)
			out[0] = pick;
		return max ? 1 : 0;
	}
	return n;
}

int route53_answer_region(const struct sim_world *w, const struct svcstate *st)
{
	const struct sim_record *rec;

	for (size_t z = 0; z < w->n_zones; z++)
		for (size_t i = 0; i < w->zones[z].n_records; i++)
			if (strcmp(w->zones[z].records[i].failover, "PRIMARY") == 0) {
				if (answer(w, st, &w->zones[z], w->zones[z].records[i].name,
					   w->zones[z].records[i].type, &rec, 1) == 1)
					return route53_record_region(w, rec);
				return -1;
			}
	return -1;
}

/* ---- helpers -------------------------------------------------------------- */

/* Start a rest-xml response document <root xmlns=...>. */
static void doc_begin(struct sim_resp *resp, const char *root)
{
	strbuf_reset(&resp->body);
	strbuf_addf(&resp->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%s xmlns=\"%s\">", root, R53_XMLNS);
}

/* End the document. */
static void doc_end(struct sim_resp *resp, const char *root)
{
	strbuf_addf(&resp->body, "</%s>\n", root);
}

/* The health check with id, or NULL. */
static struct sim_health_check *find_check(struct sim_world *w, const char *id)
{
	for (size_t i = 0; i < w->n_checks; i++)
		if (strcmp(w->checks[i].id, id) == 0)
			return &w->checks[i];
	return NULL;
}

/* The routing control whose RECOVERY_CONTROL check has id, or NULL. */
static struct svc_routing_control *find_control_check(struct svcstate *st, const char *id)
{
	for (size_t i = 0; i < st->n_controls; i++)
		if (strcmp(st->controls[i].check_id, id) == 0)
			return &st->controls[i];
	return NULL;
}

/* The zone with id (an optional /hostedzone/ prefix is ignored), or NULL. */
static struct sim_zone *find_zone(struct sim_world *w, const char *id)
{
	if (strncmp(id, "/hostedzone/", 12) == 0)
		id += 12;
	for (size_t i = 0; i < w->n_zones; i++)
		if (strcmp(w->zones[i].id, id) == 0)
			return &w->zones[i];
	return NULL;
}

/* The version of health check id (1 until updated). */
static long check_version(struct svcstate *st, const char *id)
{
	for (size_t i = 0; i < st->n_hc_versions; i++)
		if (strcmp(st->hc_versions[i].id, id) == 0)
			return st->hc_versions[i].version;
	return 1;
}

/* Count an update of health check id. */
static void bump_version(struct svcstate *st, const char *id)
{
	for (size_t i = 0; i < st->n_hc_versions; i++)
		if (strcmp(st->hc_versions[i].id, id) == 0) {
			st->hc_versions[i].version++;
			return;
		}
	st->hc_versions = xrealloc(st->hc_versions, (st->n_hc_versions + 1) * sizeof(*st->hc_versions));
	snprintf(st->hc_versions[st->n_hc_versions].id, sizeof(st->hc_versions[0].id), "%s", id);
	st->hc_versions[st->n_hc_versions++].version = 2;
}

/* Append a <HealthCheck> element for a world check. */
static void write_check(struct strbuf *sb, struct svcstate *st, const struct sim_health_check *c)
{
	strbuf_adds(sb, "<HealthCheck>");
	sim_xml_elem(sb, "Id", c->id);
	sim_xml_elem(sb, "CallerReference", c->caller_ref);
	strbuf_adds(sb, "<HealthCheckConfig>");
	sim_xml_elemf(sb, "Port", "%d", c->port);
	sim_xml_elem(sb, "Type", c->type);
	sim_xml_elem(sb, "ResourcePath", c->path);
	sim_xml_elem(sb, "FullyQualifiedDomainName", c->fqdn);
	sim_xml_elemf(sb, "RequestInterval", "%d", c->interval_s);
	sim_xml_elemf(sb, "FailureThreshold", "%d", c->failure_threshold);
	sim_xml_elem(sb, "MeasureLatency", "false");
	sim_xml_elem(sb, "Inverted", c->inverted ? "true" : "false");
	sim_xml_elem(sb, "Disabled", c->disabled ? "true" : "false");
	sim_xml_elem(sb, "EnableSNI", strcmp(c->type, "HTTPS") == 0 ? "true" : "false");
	strbuf_adds(sb, "</HealthCheckConfig>");
	sim_xml_elemf(sb, "HealthCheckVersion", "%ld", check_version(st, c->id));
	strbuf_adds(sb, "</HealthCheck>");
}

/* Append a <HealthCheck> element for a routing control's RECOVERY_CONTROL check. */
static void write_control_check(struct strbuf *sb, const struct svc_routing_control *rc)
{
	strbuf_adds(sb, "<HealthCheck>");
	sim_xml_elem(sb, "Id", rc->check_id);
	sim_xml_elemf(sb, "CallerReference", "flightdeck-sim-%s", rc->name);
	strbuf_adds(sb, "<HealthCheckConfig><Type>RECOVERY_CONTROL</Type><Inverted>false</Inverted>"
		    "<Disabled>false</Disabled>");
	sim_xml_elem(sb, "RoutingControlArn", rc->arn);
	strbuf_adds(sb, "</HealthCheckConfig><HealthCheckVersion>1</HealthCheckVersion></HealthCheck>");
}

/* The maxitems query parameter: the operation's page size when absent, a larger
 * value cut to the most Route 53 returns; -1 after an error. */
static int max_items(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp, long *out)
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

/* ---- health checks -------------------------------------------------------- */

/* ListHealthChecks: world checks, then the routing controls' checks. */
static int op_list_health_checks(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct svcstate *st = svcstate_get(ctx->world);
	struct sim_world *w = ctx->world;
	const char *marker = sim_param(req, "marker");
	size_t total = w->n_checks + st->n_controls, start = 0, i;
	long max;

	if (max_items(ctx, req, resp, &max) < 0)
		return 0;
	if (marker) {
		for (start = 0; start < total; start++) {
			const char *id = start < w->n_checks ? w->checks[start].id : st->controls[start - w->n_checks].check_id;
			if (strcmp(id, marker) == 0)
				break;
		}
		if (start == total)
			return sim_error(ctx, resp, 400, "InvalidInput", "The marker %s is not valid.", marker);
	}
	doc_begin(resp, "ListHealthChecksResponse");
	strbuf_adds(&resp->body, "<HealthChecks>");
	for (i = start; i < total && i < start + (size_t)max; i++) {
		if (i < w->n_checks)
			write_check(&resp->body, st, &w->checks[i]);
		else
			write_control_check(&resp->body, &st->controls[i - w->n_checks]);
	}
	strbuf_adds(&resp->body, "</HealthChecks>");
	sim_xml_elem(&resp->body, "Marker", marker ? marker : "");
	sim_xml_elem(&resp->body, "IsTruncated", i < total ? "true" : "false");
	if (i < total)
		sim_xml_elem(&resp->body, "NextMarker", i < w->n_checks ? w->checks[i].id : st->controls[i - w->n_checks].check_id);
	sim_xml_elemf(&resp->body, "MaxItems", "%ld", max);
	doc_end(resp, "ListHealthChecksResponse");
	return 0;
}

/* GetHealthCheck. */
static int op_get_health_check(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct svcstate *st = svcstate_get(ctx->world);
	struct sim_health_check *c = find_check(ctx->world, ctx->path_args[0]);
	struct svc_routing_control *rc = c ? NULL : find_control_check(st, ctx->path_args[0]);

	(void)req;
	if (!c && !rc)
		return sim_error(ctx, resp, 404, "NoSuchHealthCheck", "A health check with id %s does not exist.",
				 ctx->path_args[0]);
	doc_begin(resp, "GetHealthCheckResponse");
	if (c)
		write_check(&resp->body, st, c);
	else
		write_control_check(&resp->body, rc);
	doc_end(resp, "GetHealthCheckResponse");
	return 0;
}

/* What a checker sees now: the status line of its StatusReport. */
static void observation(const struct sim_world *w, const struct sim_health_check *c, char *out, size_t n)
{
	const struct sim_region *rg = c->region >= 0 && (size_t)c->region < w->n_regions ? &w->regions[c->region] : NULL;
	bool serving = c->region < 0 || sim_world_region_serving(w, c->region);
	bool ok = c->inverted ? !serving : serving;

	if (c->disabled) {
		snprintf(out, n, "Success: Health checking is disabled. Route 53 considers the endpoint healthy.");
	} else if (ok && !c->inverted) {
		snprintf(out, n, "Success: HTTP Status Code 200, OK");
	} else if (ok) {
		snprintf(out, n, "Success: Inverted health check. Failure: HTTP Status Code 503, Service Unavailable");
	} else if (c->inverted) {
		snprintf(out, n, "Failure: Inverted health check. Success: HTTP Status Code 200, OK");
	} else if (rg && !rg->up) {
		snprintf(out, n, "Failure: Connection timed out. The endpoint or the internet connection is down, "
			 "or requests are being blocked by your firewall. See "
			 "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html");
	} else {
		snprintf(out, n, "Failure: HTTP Status Code 503, Service Unavailable. Resolved IP: %s",
			 rg ? "the load balancer" : "unknown");
	}
}

/* GetHealthCheckStatus: one observation per checker region. */
static int op_get_health_check_status(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct svcstate *st = svcstate_get(ctx->world);
	struct sim_health_check *c = find_check(ctx->world, ctx->path_args[0]);
	struct svc_routing_control *rc = c ? NULL : find_control_check(st, ctx->path_args[0]);
	char status[400];
	double interval;

	(void)req;
	if (!c && !rc)
		return sim_error(ctx, resp, 404, "NoSuchHealthCheck", "A health check with id %s does not exist.",
				 ctx->path_args[0]);
	if (rc) {
		snprintf(status, sizeof(status), "%s: Routing control %s is %s", rc->on ? "Success" : "Failure",
			 rc->name, rc->on ? "On" : "Off");
		interval = 10;
	} else {
		observation(ctx->world, c, status, sizeof(status));
		interval = c->interval_s > 0 ? c->interval_s : 30;
	}
	doc_begin(resp, "GetHealthCheckStatusResponse");
	strbuf_adds(&resp->body, "<HealthCheckObservations>");
	for (size_t i = 0; i < sizeof(checkers) / sizeof(checkers[0]); i++) {
		double at = floor((ctx->now_s - (double)i * 1.3) / interval) * interval + (double)i * 1.3;
		strbuf_adds(&resp->body, "<HealthCheckObservation>");
		sim_xml_elem(&resp->body, "Region", checkers[i].region);
		sim_xml_elem(&resp->body, "IPAddress", checkers[i].ip);
		strbuf_adds(&resp->body, "<StatusReport>");
		sim_xml_elem(&resp->body, "Status", status);
		sim_xml_time(&resp->body, "CheckedTime", at);
		strbuf_adds(&resp->body, "</StatusReport></HealthCheckObservation>");
	}
	strbuf_adds(&resp->body, "</HealthCheckObservations>");
	doc_end(resp, "GetHealthCheckStatusResponse");
	return 0;
}

/* Parse req's XML body; NULL after writing an error. */
static xmlDocPtr parse_body(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
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

/* The first child element of n called name, or NULL. */
static xmlNodePtr child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

/* The text of child element name of n into out ("" and false when absent). */
static bool child_text(xmlNodePtr n, const char *name, char *out, size_t size)
{
	xmlNodePtr c = child(n, name);
	xmlChar *s;

	out[0] = '\0';
	if (!c)
		return false;
	s = xmlNodeGetContent(c);
	snprintf(out, size, "%s", s ? (const char *)s : "");
	xmlFree(s);
	return true;
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

/* UpdateHealthCheck: Inverted, Disabled, FailureThreshold, ResourcePath, Port, FQDN. */
static int op_update_health_check(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct svcstate *st = svcstate_get(ctx->world);
	struct sim_health_check *c = find_check(ctx->world, ctx->path_args[0]), upd;
	xmlDocPtr doc;
	xmlNodePtr root;
	char v[256];
	long n;
	int rc = 0;

	if (!c)
		return sim_error(ctx, resp, 404, "NoSuchHealthCheck", "A health check with id %s does not exist.",
				 ctx->path_args[0]);
	if (!(doc = parse_body(ctx, req, resp)))
		return 0;
	root = xmlDocGetRootElement(doc);
	upd = *c;
	if (child_text(root, "HealthCheckVersion", v, sizeof(v)) && atol(v) != check_version(st, c->id)) {
		rc = sim_error(ctx, resp, 409, "HealthCheckVersionMismatch",
			       "The value of HealthCheckVersion in the request doesn't match the value of "
			       "HealthCheckVersion in the health check.");
		goto done;
	}
	if ((child_text(root, "Inverted", v, sizeof(v)) && !parse_bool(v, &upd.inverted)) ||
	    (child_text(root, "Disabled", v, sizeof(v)) && !parse_bool(v, &upd.disabled))) {
		rc = sim_error(ctx, resp, 400, "InvalidInput", "Invalid boolean value '%s'.", v);
		goto done;
	}
	if (child_text(root, "FailureThreshold", v, sizeof(v))) {
		n = atol(v);
		if (n < 1 || n > 10) {
			rc = sim_error(ctx, resp, 400, "InvalidInput", "1 validation error detected: Value '%s' at "
				       "'failureThreshold' failed to satisfy constraint: Member must have value less "
				       "than or equal to 10", v);
			goto done;
		}
		upd.failure_threshold = (int)n;
	}
	if (child_text(root, "Port", v, sizeof(v)))
		upd.port = atoi(v);
	if (child_text(root, "ResourcePath", v, sizeof(v)))
		snprintf(upd.path, sizeof(upd.path), "%s", v);
	if (child_text(root, "FullyQualifiedDomainName", v, sizeof(v)))
		snprintf(upd.fqdn, sizeof(upd.fqdn), "%s", v);
	*c = upd;   /* the status follows at the next checks (failure threshold) */
	bump_version(st, c->id);
	doc_begin(resp, "UpdateHealthCheckResponse");
	write_check(&resp->body, st, c);
	doc_end(resp, "UpdateHealthCheckResponse");
done:
	xmlFreeDoc(doc);
	return rc;
}

/* ---- zones and record sets ------------------------------------------------- */

/* A record set as listed: the world's records plus the zone's NS and SOA. */
struct rrset {
	const struct sim_record *rec;   /* NULL for NS / SOA */
	char name[128];
	char type[8];
	char key[160];                  /* sort key: reversed labels */
};

/* The sort key of a DNS name: its labels reversed, lower-case ("com.example.www"). */
static void sort_key(const char *name, char *out, size_t size)
{
	char tmp[160];
	size_t len = 0, n = strlen(name);

	snprintf(tmp, sizeof(tmp), "%.*s", (int)(n && name[n - 1] == '.' ? n - 1 : n), name);
	out[0] = '\0';
	for (;;) {
		char *dot = strrchr(tmp, '.');
		const char *label = dot ? dot + 1 : tmp;
		len += (size_t)snprintf(out + len, size > len ? size - len : 0, "%s%s", len ? "." : "", label);
		if (!dot)
			break;
		*dot = '\0';
	}
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

/* Compare record sets as Route 53 orders them: name (labels reversed), type, set id. */
static int rrset_cmp(const void *a, const void *b)
{
	const struct rrset *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	if ((c = strcmp(x->type, y->type)))
		return c;
	return strcmp(x->rec ? x->rec->set_id : "", y->rec ? y->rec->set_id : "");
}

/* The record sets of z, sorted; free() the result. */
static struct rrset *zone_rrsets(const struct sim_zone *z, size_t *n)
{
	struct rrset *rs = xcalloc(z->n_records + 2, sizeof(*rs));

	*n = 0;
	for (int k = 0; k < 2; k++) {
		snprintf(rs[*n].name, sizeof(rs[*n].name), "%s", z->name);
		snprintf(rs[*n].type, sizeof(rs[*n].type), "%s", k ? "SOA" : "NS");
		sort_key(z->name, rs[*n].key, sizeof(rs[*n].key));
		(*n)++;
	}
	for (size_t i = 0; i < z->n_records; i++) {
		rs[*n].rec = &z->records[i];
		snprintf(rs[*n].name, sizeof(rs[*n].name), "%s", z->records[i].name);
		snprintf(rs[*n].type, sizeof(rs[*n].type), "%s", z->records[i].type);
		sort_key(z->records[i].name, rs[*n].key, sizeof(rs[*n].key));
		(*n)++;
	}
	qsort(rs, *n, sizeof(*rs), rrset_cmp);
	return rs;
}

/* Append a <ResourceRecordSet>. */
static void write_rrset(struct strbuf *sb, const struct rrset *r)
{
	const struct sim_record *rec = r->rec;

	strbuf_adds(sb, "<ResourceRecordSet>");
	sim_xml_elem(sb, "Name", r->name);
	sim_xml_elem(sb, "Type", r->type);
	if (!rec) {
		sim_xml_elemf(sb, "TTL", "%d", strcmp(r->type, "NS") == 0 ? NS_TTL : SOA_TTL);
		strbuf_adds(sb, "<ResourceRecords>");
		if (strcmp(r->type, "NS") == 0) {
			for (int i = 0; i < 4; i++) {
				strbuf_adds(sb, "<ResourceRecord>");
				sim_xml_elem(sb, "Value", name_servers[i]);
				strbuf_adds(sb, "</ResourceRecord>");
			}
		} else {
			strbuf_addf(sb, "<ResourceRecord><Value>%s awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"
				    "</Value></ResourceRecord>", name_servers[0]);
		}
		strbuf_adds(sb, "</ResourceRecords></ResourceRecordSet>");
		return;
	}
	if (rec->set_id[0])
		sim_xml_elem(sb, "SetIdentifier", rec->set_id);
	if (rec->failover[0])
		sim_xml_elem(sb, "Failover", rec->failover);
	if (rec->alias_dns[0]) {
		strbuf_adds(sb, "<AliasTarget>");
		sim_xml_elem(sb, "HostedZoneId", rec->alias_zone);
		sim_xml_elem(sb, "DNSName", rec->alias_dns);
		sim_xml_elem(sb, "EvaluateTargetHealth", rec->evaluate_health ? "true" : "false");
		strbuf_adds(sb, "</AliasTarget>");
	} else {
		sim_xml_elemf(sb, "TTL", "%d", rec->ttl);
		strbuf_adds(sb, "<ResourceRecords>");
		for (const char *p = rec->value; *p;) {   /* values are newline-separated */
			size_t len = strcspn(p, "\n");
			char v[256];
			snprintf(v, sizeof(v), "%.*s", (int)len, p);
			strbuf_adds(sb, "<ResourceRecord>");
			sim_xml_elem(sb, "Value", v);
			strbuf_adds(sb, "</ResourceRecord>");
			p += len;
			if (*p)
				p++;
		}
		strbuf_adds(sb, "</ResourceRecords>");
	}
	if (rec->health_check_id[0])
		sim_xml_elem(sb, "HealthCheckId", rec->health_check_id);
	strbuf_adds(sb, "</ResourceRecordSet>");
}

/* ListHostedZones. */
static int op_list_hosted_zones(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct sim_world *w = ctx->world;
	const char *marker = sim_param(req, "marker");
	size_t start = 0, i;
	long max;

	if (max_items(ctx, req, resp, &max) < 0)
		return 0;
	if (marker) {
		for (start = 0; start < w->n_zones && strcmp(w->zones[start].id, marker) != 0; start++)
			;
		if (start == w->n_zones)
			return sim_error(ctx, resp, 400, "InvalidInput", "The marker %s is not valid.", marker);
	}
	doc_begin(resp, "ListHostedZonesResponse");
	strbuf_adds(&resp->body, "<HostedZones>");
	for (i = start; i < w->n_zones && i < start + (size_t)max; i++) {
		const struct sim_zone *z = &w->zones[i];
		strbuf_adds(&resp->body, "<HostedZone>");
		sim_xml_elemf(&resp->body, "Id", "/hostedzone/%s", z->id);
		sim_xml_elem(&resp->body, "Name", z->name);
		sim_xml_elem(&resp->body, "CallerReference", z->caller_ref);
		strbuf_adds(&resp->body, "<Config><PrivateZone>false</PrivateZone></Config>");
		sim_xml_elemf(&resp->body, "ResourceRecordSetCount", "%zu", z->n_records + 2);
		strbuf_adds(&resp->body, "</HostedZone>");
	}
	strbuf_adds(&resp->body, "</HostedZones>");
	if (marker)
		sim_xml_elem(&resp->body, "Marker", marker);
	sim_xml_elem(&resp->body, "IsTruncated", i < w->n_zones ? "true" : "false");
	if (i < w->n_zones)
		sim_xml_elem(&resp->body, "NextMarker", w->zones[i].id);
	sim_xml_elemf(&resp->body, "MaxItems", "%ld", max);
	doc_end(resp, "ListHostedZonesResponse");
	return 0;
}

/* ListResourceRecordSets with name / type / identifier paging. */
static int op_list_rrsets(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct sim_zone *z = find_zone(ctx->world, ctx->path_args[0]);
	const char *name = sim_param(req, "name"), *type = sim_param(req, "type");
	const char *ident = sim_param(req, "identifier");
	struct rrset *rs, probe;
	size_t n, i = 0, end;
	long max;

	if (!z)
		return sim_error(ctx, resp, 404, "NoSuchHostedZone", "No hosted zone found with ID: %s",
				 ctx->path_args[0]);
	if (type && !name)
		return sim_error(ctx, resp, 400, "InvalidInput",
				 "The input is not valid: StartRecordType requires StartRecordName.");
	if (ident && !type)
		return sim_error(ctx, resp, 400, "InvalidInput",
				 "The input is not valid: StartRecordIdentifier requires StartRecordType.");
	if (max_items(ctx, req, resp, &max) < 0)
		return 0;
	rs = zone_rrsets(z, &n);
	if (name) {   /* the first record set at or after (name, type, identifier) */
		struct sim_record fake;
		memset(&probe, 0, sizeof(probe));
		memset(&fake, 0, sizeof(fake));
		sort_key(name, probe.key, sizeof(probe.key));
		snprintf(probe.type, sizeof(probe.type), "%s", type ? type : "");
		snprintf(fake.set_id, sizeof(fake.set_id), "%s", ident ? ident : "");
		probe.rec = &fake;
		while (i < n && rrset_cmp(&rs[i], &probe) < 0)
			i++;
	}
	end = i + (size_t)max < n ? i + (size_t)max : n;
	doc_begin(resp, "ListResourceRecordSetsResponse");
	strbuf_adds(&resp->body, "<ResourceRecordSets>");
	for (; i < end; i++)
		write_rrset(&resp->body, &rs[i]);
	strbuf_adds(&resp->body, "</ResourceRecordSets>");
	sim_xml_elem(&resp->body, "IsTruncated", end < n ? "true" : "false");
	if (end < n) {
		sim_xml_elem(&resp->body, "NextRecordName", rs[end].name);
		sim_xml_elem(&resp->body, "NextRecordType", rs[end].type);
		if (rs[end].rec && rs[end].rec->set_id[0])
			sim_xml_elem(&resp->body, "NextRecordIdentifier", rs[end].rec->set_id);
	}
	sim_xml_elemf(&resp->body, "MaxItems", "%ld", max);
	doc_end(resp, "ListResourceRecordSetsResponse");
	free(rs);
	return 0;
}

/* Write the <InvalidChangeBatch> error with the messages of msgs (newline-separated). */
static int invalid_change_batch(struct sim_ctx *ctx, struct sim_resp *resp, const char *msgs)
{
	resp->status = 400;
	snprintf(resp->error_code, sizeof(resp->error_code), "InvalidChangeBatch");
	snprintf(resp->content_type, sizeof(resp->content_type), "text/xml");
	doc_begin(resp, "InvalidChangeBatch");
	strbuf_adds(&resp->body, "<Messages>");
	for (const char *p = msgs; *p;) {
		size_t len = strcspn(p, "\n");
		char m[600];
		snprintf(m, sizeof(m), "%.*s", (int)len, p);
		sim_xml_elem(&resp->body, "Message", m);
		p += len;
		if (*p)
			p++;
	}
	strbuf_adds(&resp->body, "</Messages>");
	sim_xml_elem(&resp->body, "RequestId", ctx->request_id);
	doc_end(resp, "InvalidChangeBatch");
	return 0;
}

/* Read a <ResourceRecordSet> into rec; returns a message when it is not valid. */
static const char *read_rrset(xmlNodePtr n, struct sim_record *rec)
{
	xmlNodePtr rr = child(n, "ResourceRecords"), alias = child(n, "AliasTarget");
	char v[256];
	size_t len = 0;

	memset(rec, 0, sizeof(*rec));
	if (!child_text(n, "Name", rec->name, sizeof(rec->name)) || !child_text(n, "Type", rec->type, sizeof(rec->type)))
		return "Invalid request: Missing field 'Name' or 'Type' in ResourceRecordSet.";
	if (rec->name[0] && rec->name[strlen(rec->name) - 1] != '.' && strlen(rec->name) + 1 < sizeof(rec->name))
		strcat(rec->name, ".");
	child_text(n, "SetIdentifier", rec->set_id, sizeof(rec->set_id));
	child_text(n, "Failover", rec->failover, sizeof(rec->failover));
	child_text(n, "HealthCheckId", rec->health_check_id, sizeof(rec->health_check_id));
	if (child_text(n, "TTL", v, sizeof(v)))
		rec->ttl = atoi(v);
	if (rec->failover[0] && strcmp(rec->failover, "PRIMARY") != 0 && strcmp(rec->failover, "SECONDARY") != 0)
		return "Invalid request: Failover must be PRIMARY or SECONDARY.";
	if (rec->failover[0] && !rec->set_id[0])
		return "Invalid request: Missing field 'SetIdentifier' in Change.ResourceRecordSet (failover records need one).";
	if (alias && rr)
		return "Invalid request: a record set cannot have both ResourceRecords and AliasTarget.";
	if (alias) {
		child_text(alias, "HostedZoneId", rec->alias_zone, sizeof(rec->alias_zone));
		child_text(alias, "DNSName", rec->alias_dns, sizeof(rec->alias_dns));
		if (child_text(alias, "EvaluateTargetHealth", v, sizeof(v)))
			rec->evaluate_health = strcmp(v, "true") == 0;
		if (!rec->alias_dns[0])
			return "Invalid request: Missing field 'DNSName' in AliasTarget.";
		if (rec->alias_dns[strlen(rec->alias_dns) - 1] != '.' && strlen(rec->alias_dns) + 1 < sizeof(rec->alias_dns))
			strcat(rec->alias_dns, ".");
		return NULL;
	}
	if (!rr)
		return "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=..., Name=...]";
	for (xmlNodePtr r = rr->children; r; r = r->next) {
		if (r->type != XML_ELEMENT_NODE || !child_text(r, "Value", v, sizeof(v)))
			continue;
		len += (size_t)snprintf(rec->value + len, len < sizeof(rec->value) ? sizeof(rec->value) - len : 0,
					"%s%s", len ? "\n" : "", v);
	}
	if (!rec->value[0])
		return "Invalid request: ResourceRecords must hold at least one ResourceRecord.";
	return NULL;
}

/* Do two records name the same record set (name, type, set identifier)? */
static bool same_set(const struct sim_record *a, const struct sim_record *b)
{
	return name_eq(a->name, b->name) && strcmp(a->type, b->type) == 0 && strcmp(a->set_id, b->set_id) == 0;
}

/* Does DNS name end with zone (is it inside the zone)? */
static bool in_zone(const char *name, const char *zone)
{
	size_t n = strlen(name), z = strlen(zone);

	if (n < z || strcasecmp(name + n - z, zone) != 0)
		return false;
	return n == z || name[n - z - 1] == '.';
}

/* Describe a record set as Route 53's messages do. */
static void describe(const struct sim_record *r, char *out, size_t size)
{
	if (r->set_id[0])
		snprintf(out, size, "[name='%s', type='%s', set-identifier='%s']", r->name, r->type, r->set_id);
	else
		snprintf(out, size, "[name='%s', type='%s']", r->name, r->type);
}

/* A fresh change id: C followed by 13 upper-case letters and digits. */
static void change_id(struct sim_world *w, char out[32])
{
	static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

	out[0] = 'C';
	for (int i = 1; i < 14; i++)
		out[i] = alnum[(int)(sim_world_rand(w) * 36) % 36];
	out[14] = '\0';
}

/* Append <ChangeInfo> for change c. */
static void write_change(struct sim_ctx *ctx, struct strbuf *sb, const struct sim_change *c)
{
	strbuf_adds(sb, "<ChangeInfo>");
	sim_xml_elemf(sb, "Id", "/change/%s", c->id);
	sim_xml_elem(sb, "Status", ctx->now_s >= c->insync_s ? "INSYNC" : "PENDING");
	sim_xml_time(sb, "SubmittedAt", c->submitted_s);
	if (c->comment[0])
		sim_xml_elem(sb, "Comment", c->comment);
	strbuf_adds(sb, "</ChangeInfo>");
}

/* ChangeResourceRecordSets: validate every change, then apply them all. */
static int op_change_rrsets(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct sim_world *w = ctx->world;
	struct sim_zone *z = find_zone(w, ctx->path_args[0]);
	struct sim_record *recs;
	struct sim_change *c;
	struct strbuf msgs;
	xmlDocPtr doc;
	xmlNodePtr batch, changes;
	size_t n;
	char comment[128];
	int n_changes = 0;

	if (!z)
		return sim_error(ctx, resp, 404, "NoSuchHostedZone", "No hosted zone found with ID: %s",
				 ctx->path_args[0]);
	if (!(doc = parse_body(ctx, req, resp)))
		return 0;
	batch = child(xmlDocGetRootElement(doc), "ChangeBatch");
	changes = child(batch, "Changes");
	if (!changes) {
		xmlFreeDoc(doc);
		return sim_error(ctx, resp, 400, "InvalidInput", "Invalid request: Missing field 'ChangeBatch.Changes'.");
	}
	child_text(batch, "Comment", comment, sizeof(comment));
	/* work on a copy so a failed batch changes nothing */
	n = z->n_records;
	recs = xmalloc((n + 1) * sizeof(*recs));
	memcpy(recs, z->records, n * sizeof(*recs));
	strbuf_init(&msgs);
	for (xmlNodePtr ch = changes->children; ch; ch = ch->next) {
		struct sim_record rec;
		char action[16], desc[300];
		const char *bad;
		size_t k;
		if (ch->type != XML_ELEMENT_NODE)
			continue;
		n_changes++;
		child_text(ch, "Action", action, sizeof(action));
		if ((bad = read_rrset(child(ch, "ResourceRecordSet"), &rec))) {
			strbuf_addf(&msgs, "%s%s", msgs.len ? "\n" : "", bad);
			continue;
		}
		describe(&rec, desc, sizeof(desc));
		if (!in_zone(rec.name, z->name)) {
			strbuf_addf(&msgs, "%sRRSet with DNS name %s is not permitted in zone %s", msgs.len ? "\n" : "",
				    rec.name, z->name);
			continue;
		}
		if (rec.health_check_id[0] && !find_check(w, rec.health_check_id) &&
		    !find_control_check(svcstate_get(w), rec.health_check_id)) {
			strbuf_addf(&msgs, "%sThe health check %s does not exist.", msgs.len ? "\n" : "", rec.health_check_id);
			continue;
		}
		for (k = 0; k < n && !same_set(&recs[k], &rec); k++)
			;
		if (strcmp(action, "CREATE") == 0) {
			if (k < n) {
				strbuf_addf(&msgs, "%sTried to create resource record set %s but it already exists",
					    msgs.len ? "\n" : "", desc);
				continue;
			}
		} else if (strcmp(action, "DELETE") == 0) {
			if (k == n) {
				strbuf_addf(&msgs, "%sTried to delete resource record set %s but it was not found",
					    msgs.len ? "\n" : "", desc);
			} else if (strcmp(recs[k].value, rec.value) != 0 || strcmp(recs[k].alias_dns, rec.alias_dns) != 0 ||
				   (!rec.alias_dns[0] && recs[k].ttl != rec.ttl)) {
				strbuf_addf(&msgs, "%sTried to delete resource record set %s but the values provided do "
					    "not match the current values", msgs.len ? "\n" : "", desc);
			} else {
				recs[k] = recs[--n];
			}
			continue;
		} else if (strcmp(action, "UPSERT") != 0) {
			strbuf_addf(&msgs, "%sInvalid request: Invalid Action '%s' (must be CREATE, DELETE or UPSERT)",
				    msgs.len ? "\n" : "", action);
			continue;
		}
		if (k == n) {
			recs = xrealloc(recs, (n + 2) * sizeof(*recs));
			n++;
		}
		recs[k] = rec;
	}
	xmlFreeDoc(doc);
	if (n_changes == 0 && !msgs.len)
		strbuf_adds(&msgs, "Invalid request: the change batch holds no change.");
	if (msgs.len) {
		invalid_change_batch(ctx, resp, msgs.data);
		strbuf_clean_up(&msgs);
		free(recs);
		return 0;
	}
	strbuf_clean_up(&msgs);
	free(z->records);
	z->records = recs;
	z->n_records = n;
	w->changes = xrealloc(w->changes, (w->n_changes + 1) * sizeof(*w->changes));
	c = &w->changes[w->n_changes++];
	memset(c, 0, sizeof(*c));
	change_id(w, c->id);
	c->submitted_s = ctx->now_s;
	/* "changes generally propagate to all Route 53 name servers within 60 seconds" */
	c->insync_s = ctx->now_s + sim_world_dur(w, 60);
	snprintf(c->comment, sizeof(c->comment), "%s", comment);
	doc_begin(resp, "ChangeResourceRecordSetsResponse");
	write_change(ctx, &resp->body, c);
	doc_end(resp, "ChangeResourceRecordSetsResponse");
	sim_services_tick(w);
	return 0;
}

/* GetChange. */
static int op_get_change(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	const char *id = ctx->path_args[0];

	(void)req;
	if (strncmp(id, "/change/", 8) == 0)
		id += 8;
	for (size_t i = 0; i < ctx->world->n_changes; i++) {
		if (strcmp(ctx->world->changes[i].id, id) != 0)
			continue;
		doc_begin(resp, "GetChangeResponse");
		write_change(ctx, &resp->body, &ctx->world->changes[i]);
		doc_end(resp, "GetChangeResponse");
		return 0;
	}
	return sim_error(ctx, resp, 404, "NoSuchChange", "A change with the specified change ID does not exist.");
}

/* TestDNSAnswer: what Route 53 answers for a name and type now. */
static int op_test_dns_answer(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct sim_world *w = ctx->world;
	struct svcstate *st = svcstate_get(w);
	const char *zid = sim_param(req, "hostedzoneid"), *name = sim_param(req, "recordname");
	const char *type = sim_param(req, "recordtype");
	const struct sim_record *recs[16];
	struct sim_zone *z;
	size_t n;
	bool exists = false;

	if (!zid || !name || !type)
		return sim_error(ctx, resp, 400, "InvalidInput",
				 "The input is not valid: hostedzoneid, recordname and recordtype are required.");
	if (!(z = find_zone(w, zid)))
		return sim_error(ctx, resp, 404, "NoSuchHostedZone", "No hosted zone found with ID: %s", zid);
	for (size_t i = 0; i < z->n_records; i++)
		exists |= name_eq(z->records[i].name, name);
	exists |= name_eq(z->name, name);
	n = answer(w, st, z, name, type, recs, 16);
	doc_begin(resp, "TestDNSAnswerResponse");
	sim_xml_elem(&resp->body, "Nameserver", "ns-1536.awsdns-00.co.uk");
	sim_xml_elem(&resp->body, "RecordName", name);
	sim_xml_elem(&resp->body, "RecordType", type);
	strbuf_adds(&resp->body, "<RecordData>");
	if (name_eq(z->name, name) && (strcmp(type, "NS") == 0 || strcmp(type, "SOA") == 0)) {
		for (int i = 0; i < (strcmp(type, "NS") == 0 ? 4 : 1); i++) {
			char v[160];
			if (strcmp(type, "NS") == 0)
				snprintf(v, sizeof(v), "%s", name_servers[i]);
			else
				snprintf(v, sizeof(v), "%s awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400", name_servers[0]);
			sim_xml_elem(&resp->body, "RecordDataEntry", v);
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (recs[i]->alias_dns[0]) {
			char ips[2][16];
			size_t k = route53_region_ips(w, route53_record_region(w, recs[i]), ips, 2);
			for (size_t j = 0; j < k; j++)
				sim_xml_elem(&resp->body, "RecordDataEntry", ips[j]);
		} else {
			for (const char *p = recs[i]->value; *p;) {
				size_t len = strcspn(p, "\n");
				char v[256];
				snprintf(v, sizeof(v), "%.*s", (int)len, p);
				sim_xml_elem(&resp->body, "RecordDataEntry", v);
				p += len;
				if (*p)
					p++;
			}
		}
	}
	strbuf_adds(&resp->body, "</RecordData>");
	sim_xml_elem(&resp->body, "ResponseCode", exists ? "NOERROR" : "NXDOMAIN");
	sim_xml_elem(&resp->body, "Protocol", "UDP");
	doc_end(resp, "TestDNSAnswerResponse");
	return 0;
}

static const struct sim_route route53_routes[] = {
	{ "GET", "/2013-04-01/healthcheck", { "ListHealthChecks", false, op_list_health_checks } },
	{ "GET", "/2013-04-01/healthcheck/{HealthCheckId}/status",
	  { "GetHealthCheckStatus", false, op_get_health_check_status } },
	{ "GET", "/2013-04-01/healthcheck/{HealthCheckId}", { "GetHealthCheck", false, op_get_health_check } },
	{ "POST", "/2013-04-01/healthcheck/{HealthCheckId}", { "UpdateHealthCheck", true, op_update_health_check } },
	{ "GET", "/2013-04-01/hostedzone", { "ListHostedZones", false, op_list_hosted_zones } },
	{ "GET", "/2013-04-01/hostedzone/{Id}/rrset", { "ListResourceRecordSets", false, op_list_rrsets } },
	{ "POST", "/2013-04-01/hostedzone/{Id}/rrset", { "ChangeResourceRecordSets", true, op_change_rrsets } },
	{ "GET", "/2013-04-01/hostedzone/{Id}/rrset/", { "ListResourceRecordSets", false, op_list_rrsets } },
	{ "POST", "/2013-04-01/hostedzone/{Id}/rrset/", { "ChangeResourceRecordSets", true, op_change_rrsets } },
	{ "GET", "/2013-04-01/change/{Id}", { "GetChange", false, op_get_change } },
	{ "GET", "/2013-04-01/testdnsanswer", { "TestDNSAnswer", false, op_test_dns_answer } },
	{ NULL, NULL, { NULL, false, NULL } },
};

int sim_route53_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	sim_services_tick(ctx->world);
	return sim_dispatch_rest(ctx, req, resp, route53_routes);
}
