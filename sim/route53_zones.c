/* route53_zones.c — the simulated Route 53's hosted zones, record sets (listed in
 * Route 53's order, paged by name/type/identifier), changes (validated as a batch,
 * PENDING until propagated) and TestDNSAnswer (see route53.h). */
#include "sim/route53.h"

#include "base/xalloc.h"
#include "sim/svcstate.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NS_TTL 172800
#define SOA_TTL 900

static const char *const name_servers[4] = {
	"ns-1536.awsdns-00.co.uk.", "ns-0.awsdns-00.com.", "ns-1024.awsdns-00.org.", "ns-512.awsdns-00.net.",
};

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

static const char *zone_id(const struct sim_world *w, size_t i)
{
	return w->zones[i].id;
}

/* ListHostedZones, paged by marker (a zone id). */
int route53_op_list_hosted_zones(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct sim_world *w = ctx->world;
	const char *marker = sim_param(req, "marker");
	size_t start, i;
	long max;

	if (route53_page(ctx, req, resp, w->n_zones, zone_id, &start, &max) < 0)
		return 0;
	route53_doc_begin(resp, "ListHostedZonesResponse");
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
	route53_doc_end(resp, "ListHostedZonesResponse");
	return 0;
}

/* ListResourceRecordSets with name / type / identifier paging. */
int route53_op_list_rrsets(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct sim_zone *z = route53_find_zone(ctx->world, ctx->path_args[0]);
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
	if (route53_max_items(ctx, req, resp, &max) < 0)
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
	route53_doc_begin(resp, "ListResourceRecordSetsResponse");
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
	route53_doc_end(resp, "ListResourceRecordSetsResponse");
	free(rs);
	return 0;
}

/* Write the <InvalidChangeBatch> error with the messages of msgs (newline-separated). */
static int invalid_change_batch(struct sim_ctx *ctx, struct sim_resp *resp, const char *msgs)
{
	resp->status = 400;
	snprintf(resp->error_code, sizeof(resp->error_code), "InvalidChangeBatch");
	snprintf(resp->content_type, sizeof(resp->content_type), "text/xml");
	route53_doc_begin(resp, "InvalidChangeBatch");
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
	route53_doc_end(resp, "InvalidChangeBatch");
	return 0;
}

/* Read a <ResourceRecordSet> into rec; returns a message when it is not valid. */
static const char *read_rrset(xmlNodePtr n, struct sim_record *rec)
{
	xmlNodePtr rr = route53_child(n, "ResourceRecords"), alias = route53_child(n, "AliasTarget");
	char v[256];
	size_t len = 0;

	memset(rec, 0, sizeof(*rec));
	if (!route53_child_text(n, "Name", rec->name, sizeof(rec->name)) || !route53_child_text(n, "Type", rec->type, sizeof(rec->type)))
		return "Invalid request: Missing field 'Name' or 'Type' in ResourceRecordSet.";
	if (rec->name[0] && rec->name[strlen(rec->name) - 1] != '.' && strlen(rec->name) + 1 < sizeof(rec->name))
		strcat(rec->name, ".");
	route53_child_text(n, "SetIdentifier", rec->set_id, sizeof(rec->set_id));
	route53_child_text(n, "Failover", rec->failover, sizeof(rec->failover));
	route53_child_text(n, "HealthCheckId", rec->health_check_id, sizeof(rec->health_check_id));
	if (route53_child_text(n, "TTL", v, sizeof(v)))
		rec->ttl = atoi(v);
	if (rec->failover[0] && strcmp(rec->failover, "PRIMARY") != 0 && strcmp(rec->failover, "SECONDARY") != 0)
		return "Invalid request: Failover must be PRIMARY or SECONDARY.";
	if (rec->failover[0] && !rec->set_id[0])
		return "Invalid request: Missing field 'SetIdentifier' in Change.ResourceRecordSet (failover records need one).";
	if (alias && rr)
		return "Invalid request: a record set cannot have both ResourceRecords and AliasTarget.";
	if (alias) {
		route53_child_text(alias, "HostedZoneId", rec->alias_zone, sizeof(rec->alias_zone));
		route53_child_text(alias, "DNSName", rec->alias_dns, sizeof(rec->alias_dns));
		if (route53_child_text(alias, "EvaluateTargetHealth", v, sizeof(v)))
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
		if (r->type != XML_ELEMENT_NODE || !route53_child_text(r, "Value", v, sizeof(v)))
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
	return route53_name_eq(a->name, b->name) && strcmp(a->type, b->type) == 0 && strcmp(a->set_id, b->set_id) == 0;
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
int route53_op_change_rrsets(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct sim_world *w = ctx->world;
	struct sim_zone *z = route53_find_zone(w, ctx->path_args[0]);
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
	if (!(doc = route53_parse_body(ctx, req, resp)))
		return 0;
	batch = route53_child(xmlDocGetRootElement(doc), "ChangeBatch");
	changes = route53_child(batch, "Changes");
	if (!changes) {
		xmlFreeDoc(doc);
		return sim_error(ctx, resp, 400, "InvalidInput", "Invalid request: Missing field 'ChangeBatch.Changes'.");
	}
	route53_child_text(batch, "Comment", comment, sizeof(comment));
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
		route53_child_text(ch, "Action", action, sizeof(action));
		if ((bad = read_rrset(route53_child(ch, "ResourceRecordSet"), &rec))) {
			strbuf_addf(&msgs, "%s%s", msgs.len ? "\n" : "", bad);
			continue;
		}
		describe(&rec, desc, sizeof(desc));
		if (!in_zone(rec.name, z->name)) {
			strbuf_addf(&msgs, "%sRRSet with DNS name %s is not permitted in zone %s", msgs.len ? "\n" : "",
				    rec.name, z->name);
			continue;
		}
		if (rec.health_check_id[0] && !sim_world_check(w, rec.health_check_id)) {
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
	route53_doc_begin(resp, "ChangeResourceRecordSetsResponse");
	write_change(ctx, &resp->body, c);
	route53_doc_end(resp, "ChangeResourceRecordSetsResponse");
	sim_services_tick(w);
	return 0;
}

/* GetChange. */
int route53_op_get_change(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	const char *id = ctx->path_args[0];

	(void)req;
	if (strncmp(id, "/change/", 8) == 0)
		id += 8;
	for (size_t i = 0; i < ctx->world->n_changes; i++) {
		if (strcmp(ctx->world->changes[i].id, id) != 0)
			continue;
		route53_doc_begin(resp, "GetChangeResponse");
		write_change(ctx, &resp->body, &ctx->world->changes[i]);
		route53_doc_end(resp, "GetChangeResponse");
		return 0;
	}
	return sim_error(ctx, resp, 404, "NoSuchChange", "A change with the specified change ID does not exist.");
}

/* TestDNSAnswer: what Route 53 answers for a name and type now. */
int route53_op_test_dns_answer(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct sim_world *w = ctx->world;
	const char *zid = sim_param(req, "hostedzoneid"), *name = sim_param(req, "recordname");
	const char *type = sim_param(req, "recordtype");
	char values[32][256];
	struct sim_zone *z;
	size_t n;
	bool exists = false;

	if (!zid || !name || !type)
		return sim_error(ctx, resp, 400, "InvalidInput",
				 "The input is not valid: hostedzoneid, recordname and recordtype are required.");
	if (!(z = route53_find_zone(w, zid)))
		return sim_error(ctx, resp, 404, "NoSuchHostedZone", "No hosted zone found with ID: %s", zid);
	for (size_t i = 0; i < z->n_records; i++)
		exists |= route53_name_eq(z->records[i].name, name);
	exists |= route53_name_eq(z->name, name);
	n = route53_dns_values(w, z, name, type, values, 32);
	route53_doc_begin(resp, "TestDNSAnswerResponse");
	sim_xml_elem(&resp->body, "Nameserver", "ns-1536.awsdns-00.co.uk");
	sim_xml_elem(&resp->body, "RecordName", name);
	sim_xml_elem(&resp->body, "RecordType", type);
	strbuf_adds(&resp->body, "<RecordData>");
	if (route53_name_eq(z->name, name) && (strcmp(type, "NS") == 0 || strcmp(type, "SOA") == 0)) {
		for (int i = 0; i < (strcmp(type, "NS") == 0 ? 4 : 1); i++) {
			char v[160];
			if (strcmp(type, "NS") == 0)
				snprintf(v, sizeof(v), "%s", name_servers[i]);
			else
				snprintf(v, sizeof(v), "%s awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400", name_servers[0]);
			sim_xml_elem(&resp->body, "RecordDataEntry", v);
		}
	}
	for (size_t i = 0; i < n; i++)
		sim_xml_elem(&resp->body, "RecordDataEntry", values[i]);
	strbuf_adds(&resp->body, "</RecordData>");
	sim_xml_elem(&resp->body, "ResponseCode", exists ? "NOERROR" : "NXDOMAIN");
	sim_xml_elem(&resp->body, "Protocol", "UDP");
	route53_doc_end(resp, "TestDNSAnswerResponse");
	return 0;
}

