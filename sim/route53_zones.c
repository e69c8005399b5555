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

/* The value of the apex's NS (i of 4) or SOA record. */
static void apex_value(const char *type, int i, char *out, size_t size)
{
	if (strcmp(type, "NS") == 0)
		snprintf(out, size, "%s", name_servers[i]);
	else
		snprintf(out, size, "%s awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400", name_servers[0]);
}

/* ResourceRecords of newline-separated values. */
static json_t *records_json(const char *values)
{
	json_t *a = json_array();

	for (const char *p = values; *p;) {
		size_t len = strcspn(p, "\n");
		json_array_append_new(a, json_pack("{s:s%}", "Value", p, len));
		p += len;
		if (*p)
			p++;
	}
	return a;
}

/* A ResourceRecordSet. */
static json_t *rrset_json(const struct rrset *r)
{
	const struct sim_record *rec = r->rec;
	json_t *o = json_pack("{s:s, s:s}", "Name", r->name, "Type", r->type);
	char v[160];

	if (!rec) {
		json_t *a = json_array();
		for (int i = 0; i < (strcmp(r->type, "NS") == 0 ? 4 : 1); i++) {
			apex_value(r->type, i, v, sizeof(v));
			json_array_append_new(a, json_pack("{s:s}", "Value", v));
		}
		json_object_set_new(o, "TTL", json_integer(strcmp(r->type, "NS") == 0 ? NS_TTL : SOA_TTL));
		json_object_set_new(o, "ResourceRecords", a);
		return o;
	}
	if (rec->set_id[0])
		json_object_set_new(o, "SetIdentifier", json_string(rec->set_id));
	if (rec->failover[0])
		json_object_set_new(o, "Failover", json_string(rec->failover));
	if (rec->alias_dns[0]) {
		json_object_set_new(o, "AliasTarget", json_pack("{s:s, s:s, s:b}", "HostedZoneId", rec->alias_zone,
								"DNSName", rec->alias_dns, "EvaluateTargetHealth",
								rec->evaluate_health));
	} else {
		json_object_set_new(o, "TTL", json_integer(rec->ttl));
		json_object_set_new(o, "ResourceRecords", records_json(rec->value));
	}
	if (rec->health_check_id[0])
		json_object_set_new(o, "HealthCheckId", json_string(rec->health_check_id));
	return o;
}

static const char *zone_id(const struct sim_world *w, size_t i)
{
	return w->zones[i].id;
}

/* The hosted zone the input's HostedZoneId names, NULL after NoSuchHostedZone. */
static struct sim_zone *input_zone(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in)
{
	const char *id = sim_in_str(in, "HostedZoneId");
	struct sim_zone *z = route53_find_zone(ctx->world, id);

	if (!z)
		sim_error(ctx, resp, 404, "NoSuchHostedZone", "No hosted zone found with ID: %.64s", id ? id : "");
	return z;
}

/* ListHostedZones, paged by marker (a zone id). */
int route53_list_hosted_zones(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct sim_world *w = ctx->world;
	const char *marker = sim_in_str(in, "Marker");
	json_t *items;
	size_t start, i;
	long max;
	char id[48];

	if (route53_page(ctx, resp, in, w->n_zones, zone_id, &start, &max) < 0)
		return 0;
	items = json_array();
	for (i = start; i < w->n_zones && i < start + (size_t)max; i++) {
		const struct sim_zone *z = &w->zones[i];
		snprintf(id, sizeof(id), "/hostedzone/%s", z->id);
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:{s:b}, s:I}", "Id", id, "Name", z->name,
						       "CallerReference", z->caller_ref, "Config", "PrivateZone", false,
						       "ResourceRecordSetCount", (json_int_t)(z->n_records + 2)));
	}
	*out = route53_page_out(json_pack("{s:b}", "IsTruncated", i < w->n_zones), "HostedZones", items, max);
	sim_out_set(*out, "Marker", marker);
	if (i < w->n_zones)
		json_object_set_new(*out, "NextMarker", json_string(w->zones[i].id));
	return 0;
}

/* ListResourceRecordSets with name / type / identifier paging. */
int route53_list_rrsets(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct sim_zone *z = input_zone(ctx, resp, in);
	const char *name = sim_in_str(in, "StartRecordName"), *type = sim_in_str(in, "StartRecordType");
	const char *ident = sim_in_str(in, "StartRecordIdentifier");
	struct rrset *rs, probe;
	json_t *items;
	size_t n, i = 0, end;
	long max;

	if (!z)
		return 0;
	if (type && !name)
		return sim_error(ctx, resp, 400, "InvalidInput",
				 "The input is not valid: StartRecordType requires StartRecordName.");
	if (ident && !type)
		return sim_error(ctx, resp, 400, "InvalidInput",
				 "The input is not valid: StartRecordIdentifier requires StartRecordType.");
	if (route53_max_items(ctx, resp, in, &max) < 0)
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
	items = json_array();
	for (; i < end; i++)
		json_array_append_new(items, rrset_json(&rs[i]));
	*out = route53_page_out(json_pack("{s:b}", "IsTruncated", end < n), "ResourceRecordSets", items, max);
	if (end < n) {
		json_object_set_new(*out, "NextRecordName", json_string(rs[end].name));
		json_object_set_new(*out, "NextRecordType", json_string(rs[end].type));
		if (rs[end].rec && rs[end].rec->set_id[0])
			json_object_set_new(*out, "NextRecordIdentifier", json_string(rs[end].rec->set_id));
	}
	free(rs);
	return 0;
}

/* The InvalidChangeBatch error with the messages of msgs (newline-separated): its own
 * document, not <ErrorResponse>
 * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html). */
static void invalid_change_batch(struct sim_ctx *ctx, struct sim_resp *resp, const char *msgs)
{
	resp->status = 400;
	snprintf(resp->error_code, sizeof(resp->error_code), "InvalidChangeBatch");
	snprintf(resp->content_type, sizeof(resp->content_type), "text/xml");
	strbuf_reset(&resp->body);
	strbuf_addf(&resp->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InvalidChangeBatch xmlns=\"%s\"><Messages>",
		    ROUTE53_XMLNS);
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
	strbuf_adds(&resp->body, "</InvalidChangeBatch>\n");
}

/* Copy member name of o into out (size bytes); false when absent. */
static bool member(json_t *o, const char *name, char *out, size_t size)
{
	const char *v = sim_in_str(o, name);

	snprintf(out, size, "%s", v ? v : "");
	return v != NULL;
}

/* Add a trailing dot to a DNS name that has none. */
static void dot_terminate(char *name, size_t size)
{
	size_t n = strlen(name);

	if (n && name[n - 1] != '.' && n + 1 < size)
		strcat(name, ".");
}

/* Read a ResourceRecordSet into rec; returns a message when it is not valid. */
static const char *read_rrset(json_t *n, struct sim_record *rec)
{
	json_t *rr = json_object_get(n, "ResourceRecords"), *alias = json_object_get(n, "AliasTarget");
	size_t len = 0;

	memset(rec, 0, sizeof(*rec));
	if (!member(n, "Name", rec->name, sizeof(rec->name)) || !member(n, "Type", rec->type, sizeof(rec->type)))
		return "Invalid request: Missing field 'Name' or 'Type' in ResourceRecordSet.";
	dot_terminate(rec->name, sizeof(rec->name));
	member(n, "SetIdentifier", rec->set_id, sizeof(rec->set_id));
	member(n, "Failover", rec->failover, sizeof(rec->failover));
	member(n, "HealthCheckId", rec->health_check_id, sizeof(rec->health_check_id));
	rec->ttl = (int)json_integer_value(json_object_get(n, "TTL"));
	if (rec->failover[0] && strcmp(rec->failover, "PRIMARY") != 0 && strcmp(rec->failover, "SECONDARY") != 0)
		return "Invalid request: Failover must be PRIMARY or SECONDARY.";
	if (rec->failover[0] && !rec->set_id[0])
		return "Invalid request: Missing field 'SetIdentifier' in Change.ResourceRecordSet (failover records need one).";
	if (alias && rr)
		return "Invalid request: a record set cannot have both ResourceRecords and AliasTarget.";
	if (alias) {
		member(alias, "HostedZoneId", rec->alias_zone, sizeof(rec->alias_zone));
		member(alias, "DNSName", rec->alias_dns, sizeof(rec->alias_dns));
		rec->evaluate_health = sim_in_bool(alias, "EvaluateTargetHealth", false);
		if (!rec->alias_dns[0])
			return "Invalid request: Missing field 'DNSName' in AliasTarget.";
		dot_terminate(rec->alias_dns, sizeof(rec->alias_dns));
		return NULL;
	}
	if (!rr)
		return "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=..., Name=...]";
	for (size_t i = 0; i < json_array_size(rr); i++) {
		const char *v = sim_in_str(json_array_get(rr, i), "Value");
		if (v)
			len += (size_t)snprintf(rec->value + len, len < sizeof(rec->value) ? sizeof(rec->value) - len : 0,
						"%s%.255s", len ? "\n" : "", v);
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

/* The output of an operation that answers with the ChangeInfo of c. */
static json_t *change_json(struct sim_ctx *ctx, const struct sim_change *c)
{
	char id[48];
	json_t *info;

	snprintf(id, sizeof(id), "/change/%s", c->id);
	info = json_pack("{s:s, s:s, s:o}", "Id", id, "Status", ctx->now_s >= c->insync_s ? "INSYNC" : "PENDING",
			 "SubmittedAt", sim_out_time(c->submitted_s));
	if (c->comment[0])
		json_object_set_new(info, "Comment", json_string(c->comment));
	return json_pack("{s:o}", "ChangeInfo", info);
}

/* ChangeResourceRecordSets: validate every change, then apply them all. */
int route53_change_rrsets(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct sim_world *w = ctx->world;
	struct sim_zone *z = input_zone(ctx, resp, in);
	json_t *batch = json_object_get(in, "ChangeBatch"), *changes = json_object_get(batch, "Changes");
	struct sim_record *recs;
	struct sim_change *c;
	struct strbuf msgs;
	size_t n;

	if (!z)
		return 0;
	if (!json_is_array(changes))
		return sim_error(ctx, resp, 400, "InvalidInput", "Invalid request: Missing field 'ChangeBatch.Changes'.");
	/* work on a copy so a failed batch changes nothing */
	n = z->n_records;
	recs = xmalloc((n + 1) * sizeof(*recs));
	memcpy(recs, z->records, n * sizeof(*recs));
	strbuf_init(&msgs);
	for (size_t ci = 0; ci < json_array_size(changes); ci++) {
		json_t *ch = json_array_get(changes, ci);
		struct sim_record rec;
		const char *action = sim_in_str(ch, "Action"), *bad;
		char desc[300];
		size_t k;
		if (!action)
			action = "";
		if ((bad = read_rrset(json_object_get(ch, "ResourceRecordSet"), &rec))) {
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
			strbuf_addf(&msgs, "%sInvalid request: Invalid Action '%.32s' (must be CREATE, DELETE or UPSERT)",
				    msgs.len ? "\n" : "", action);
			continue;
		}
		if (k == n) {
			recs = xrealloc(recs, (n + 2) * sizeof(*recs));
			n++;
		}
		recs[k] = rec;
	}
	if (json_array_size(changes) == 0 && !msgs.len)
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
	snprintf(c->comment, sizeof(c->comment), "%s", sim_in_str(batch, "Comment") ? sim_in_str(batch, "Comment") : "");
	*out = change_json(ctx, c);
	sim_services_tick(w);
	return 0;
}

/* GetChange. */
int route53_get_change(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *id = sim_in_str(in, "Id");

	if (id && strncmp(id, "/change/", 8) == 0)
		id += 8;
	for (size_t i = 0; id && i < ctx->world->n_changes; i++)
		if (strcmp(ctx->world->changes[i].id, id) == 0) {
			*out = change_json(ctx, &ctx->world->changes[i]);
			return 0;
		}
	return sim_error(ctx, resp, 404, "NoSuchChange", "A change with the specified change ID does not exist.");
}

/* TestDNSAnswer: what Route 53 answers for a name and type now. */
int route53_test_dns_answer(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct sim_world *w = ctx->world;
	const char *zid = sim_in_str(in, "HostedZoneId"), *name = sim_in_str(in, "RecordName");
	const char *type = sim_in_str(in, "RecordType");
	char values[32][256], v[160];
	struct sim_zone *z;
	json_t *data;
	size_t n;
	bool exists = false;

	if (!zid || !name || !type)
		return sim_error(ctx, resp, 400, "InvalidInput",
				 "The input is not valid: hostedzoneid, recordname and recordtype are required.");
	if (!(z = route53_find_zone(w, zid)))
		return sim_error(ctx, resp, 404, "NoSuchHostedZone", "No hosted zone found with ID: %.64s", zid);
	for (size_t i = 0; i < z->n_records; i++)
		exists |= route53_name_eq(z->records[i].name, name);
	exists |= route53_name_eq(z->name, name);
	n = route53_dns_values(w, z, name, type, values, 32);
	data = json_array();
	if (route53_name_eq(z->name, name) && (strcmp(type, "NS") == 0 || strcmp(type, "SOA") == 0))
		for (int i = 0; i < (strcmp(type, "NS") == 0 ? 4 : 1); i++) {
			apex_value(type, i, v, sizeof(v));
			json_array_append_new(data, json_string(v));
		}
	for (size_t i = 0; i < n; i++)
		json_array_append_new(data, json_string(values[i]));
	*out = json_pack("{s:s, s:s, s:s, s:o, s:s, s:s}", "Nameserver", "ns-1536.awsdns-00.co.uk", "RecordName", name,
			 "RecordType", type, "RecordData", data, "ResponseCode", exists ? "NOERROR" : "NXDOMAIN",
			 "Protocol", "UDP");
	return 0;
}
