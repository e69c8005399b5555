/* xray.c — the simulated X-Ray (rest-json): GetServiceGraph, GetTraceSummaries
 * and BatchGetTraces, all derived from the traffic model, so the graph and the
 * traces follow the same requests, faults and response times as the metrics.
 * Trace ids encode their region and sample, so a trace is recomputed, not kept. */
#include "sim/service.h"

#include "base/xalloc.h"
#include "sim/svcstate.h"
#include "sim/traffic.h"
#include "sim/xray_filter.h"

#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RANGE_S (24 * 3600.0)
#define ERROR_RATE 0.004      /* share of requests answered 4xx */
#define REDIS_LATENCY_S 0.0008

/* An X-Ray error: status, X-Amzn-ErrorType header and a JSON body. */
static int xray_error(struct sim_ctx *ctx, struct sim_resp *resp, int status, const char *code, const char *msg)
{
	sim_error(ctx, resp, status, code, "%s", msg);
	sim_resp_header(resp, "X-Amzn-ErrorType", code);
	return 0;
}

/* Read StartTime / EndTime; -1 after writing an error. */
static int time_range(struct sim_ctx *ctx, struct sim_resp *resp, json_t *in, double *start, double *end)
{
	if (sim_in_time(in, "StartTime", start) != 0 || sim_in_time(in, "EndTime", end) != 0) {
		xray_error(ctx, resp, 400, "InvalidRequestException", "StartTime and EndTime are required.");
		return -1;
	}
	if (*end <= *start) {
		xray_error(ctx, resp, 400, "InvalidRequestException", "EndTime must be after StartTime.");
		return -1;
	}
	if (*end - *start > MAX_RANGE_S) {
		xray_error(ctx, resp, 400, "InvalidRequestException", "The time range must be 24 hours or less.");
		return -1;
	}
	return 0;
}

/* What one region served over a time range. */
struct region_stats {
	double requests, elb5xx, target5xx, lat_sum, lat_count, db_lat_sum, db_count;
};

/* Global index of region r's first load balancer, -1 when none. */
static long region_lb(const struct sim_world *w, size_t r)
{
	return w->regions[r].n_lbs ? traffic_lb_index(w, &w->regions[r].lbs[0]) : -1;
}

/* Global index of the database of region r (-1 none). */
static long region_db(const struct sim_world *w, size_t r)
{
	return w->regions[r].n_dbs ? traffic_db_index(w, &w->regions[r].dbs[0]) : -1;
}

/* Sum region r's traffic over the samples of [start, end) that ended by now. */
static void region_sum(const struct traffic *t, const struct sim_world *w, size_t r, double start,
		       double end, double now, struct region_stats *s)
{
	long lb = region_lb(w, r), db = region_db(w, r);
	int64_t k0 = (int64_t)floor(start / TRAFFIC_SAMPLE_S), k;

	memset(s, 0, sizeof(*s));
	if (lb < 0)
		return;
	for (k = k0; (double)(k * TRAFFIC_SAMPLE_S) < end && (double)((k + 1) * TRAFFIC_SAMPLE_S) <= now; k++) {
		struct traffic_point p;
		traffic_sample(t, TM_LB_REQUESTS, (size_t)lb, k, &p);
		s->requests += p.value;
		traffic_sample(t, TM_LB_ELB5XX, (size_t)lb, k, &p);
		s->elb5xx += p.value;
		traffic_sample(t, TM_LB_TARGET5XX, (size_t)lb, k, &p);
		s->target5xx += p.value;
		traffic_sample(t, TM_LB_LATENCY, (size_t)lb, k, &p);
		if (p.present) {
			s->lat_sum += p.value * p.count;
			s->lat_count += p.count;
		}
		if (db >= 0) {
			traffic_sample(t, TM_DB_READLATENCY, (size_t)db, k, &p);
			if (p.present) {
				s->db_lat_sum += p.value;
				s->db_count++;
			}
		}
	}
}

/* Edge / node statistics: total, faults, the mean response time. */
static json_t *summary(double total, double faults, double mean_s)
{
	double errors = round(total * ERROR_RATE);

	if (errors > total - faults)
		errors = total - faults > 0 ? total - faults : 0;
	return json_pack("{s:I, s:{s:I, s:I, s:I}, s:{s:I, s:I}, s:I, s:f}",
			 "OkCount", (json_int_t)(total - faults - errors),
			 "ErrorStatistics", "ThrottleCount", (json_int_t)0, "OtherCount", (json_int_t)errors,
			 "TotalCount", (json_int_t)errors,
			 "FaultStatistics", "OtherCount", (json_int_t)faults, "TotalCount", (json_int_t)faults,
			 "TotalCount", (json_int_t)total, "TotalResponseTime", mean_s * total);
}

/* A response-time histogram of total requests with log-normal times of this mean. */
static json_t *histogram(double total, double mean_s)
{
	static const double edges[] = { 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10 };
	json_t *h = json_array();
	double mu = log(mean_s > 0 ? mean_s : 0.001) - TRAFFIC_LAT_SIGMA * TRAFFIC_LAT_SIGMA / 2, prev = 0;

	if (total <= 0)
		return h;
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		double cdf = 0.5 * erfc(-(log(edges[i]) - mu) / (TRAFFIC_LAT_SIGMA * M_SQRT2));
		double n = round(total * (cdf - prev));
		prev = cdf;
		if (n >= 1)
			json_array_append_new(h, json_pack("{s:f, s:I}", "Value", edges[i], "Count", (json_int_t)n));
	}
	return h;
}

/* An edge to reference id ref. */
static json_t *edge(int ref, double start, double end, double total, double faults, double mean_s)
{
	return json_pack("{s:i, s:f, s:f, s:o, s:o, s:[]}", "ReferenceId", ref, "StartTime", start, "EndTime", end,
			 "SummaryStatistics", summary(total, faults, mean_s),
			 "ResponseTimeHistogram", histogram(total, mean_s), "Aliases");
}

/* A service node. */
static json_t *node(int ref, const char *name, const char *type, const char *account, double start,
		    double end, json_t *edges, double total, double faults, double mean_s)
{
	json_t *n = json_pack("{s:i, s:s, s:[s], s:b, s:s, s:s, s:s, s:f, s:f, s:o}", "ReferenceId", ref,
			      "Name", name, "Names", name, "Root", 0, "AccountId", account, "Type", type,
			      "State", "active", "StartTime", start, "EndTime", end, "Edges", edges);

	json_object_set_new(n, "SummaryStatistics", summary(total, faults, mean_s));
	json_object_set_new(n, "DurationHistogram", histogram(total, mean_s));
	json_object_set_new(n, "ResponseTimeHistogram", histogram(total, mean_s));
	return n;
}

/* GetServiceGraph: client -> ALB -> app -> RDS / Redis in the caller's region. */
static int op_service_graph(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct svcstate *st = svcstate_get(ctx->world);
	const struct sim_world *w = ctx->world;
	json_t *services, *client_edges, *client;
	double start, end;

	if (time_range(ctx, resp, in, &start, &end) < 0)
		return 0;
	services = json_array();
	client_edges = json_array();
	for (size_t r = 0; r < w->n_regions; r++) {   /* X-Ray is regional: the caller's region only */
		struct region_stats s;
		const struct sim_region *rg = &w->regions[r];
		int base = 1 + (int)r * 4;
		double served, mean, db_mean, faults;
		char app[80], dbname[200], redis[120];
		if (strcmp(rg->name, ctx->region) != 0 || region_lb(w, r) < 0)
			continue;
		region_sum(st->traffic, w, r, start, end, ctx->now_s, &s);
		served = s.requests - s.elb5xx;
		mean = s.lat_count > 0 ? s.lat_sum / s.lat_count : 0;
		db_mean = s.db_count > 0 ? s.db_lat_sum / s.db_count : 0.005;
		faults = s.elb5xx + s.target5xx;
		snprintf(app, sizeof(app), "petclinic-%s", rg->name);
		snprintf(dbname, sizeof(dbname), "petclinic@%s", rg->n_dbs && rg->dbs[0].endpoint[0] ?
			 rg->dbs[0].endpoint : "petclinic-db");
		snprintf(redis, sizeof(redis), "petclinic-redis-001.%s.cache.amazonaws.com", rg->name);
		json_array_append_new(client_edges, edge(base, start, end, s.requests, faults, mean));
		json_array_append_new(services, node(base, rg->lbs[0].name, "AWS::ElasticLoadBalancingV2::LoadBalancer",
						     w->account, start, end,
						     json_pack("[o]", edge(base + 1, start, end, served, s.target5xx, mean)),
						     s.requests, faults, mean));
		json_array_append_new(services, node(base + 1, app, "AWS::EC2::Instance", w->account, start, end,
						     json_pack("[o, o]",
							       edge(base + 2, start, end, 2 * served, 0, db_mean),
							       edge(base + 3, start, end, served, 0, REDIS_LATENCY_S)),
						     served, s.target5xx, mean));
		json_array_append_new(services, node(base + 2, dbname, "Database::SQL", w->account, start, end,
						     json_array(), 2 * served, 0, db_mean));
		json_array_append_new(services, node(base + 3, redis, "remote", w->account, start, end,
						     json_array(), served, 0, REDIS_LATENCY_S));
	}
	client = json_pack("{s:i, s:s, s:[], s:b, s:s, s:s, s:f, s:f, s:o}", "ReferenceId", 0, "Name", "client",
			   "Names", "Root", 1, "Type", "client", "State", "unknown", "StartTime", start,
			   "EndTime", end, "Edges", client_edges);
	json_array_insert_new(services, 0, client);
	*out = json_pack("{s:f, s:f, s:o, s:b}", "StartTime", start, "EndTime", end, "Services", services,
			 "ContainsOldGroupVersions", 0);
	return 0;
}

#define TRACES_MAX 10          /* sampled traces per region and sample */

/* One sampled trace, recomputed from its region, sample and index in the sample. */
struct trace {
	char id[40];
	size_t region;
	int64_t k;
	unsigned index;
	double start_s;
	double response_s;
	bool fault, error;
	int status;
	const char *url;
};

/* The 64-bit key of trace i of region r in sample k. */
static uint64_t trace_key(uint64_t seed, size_t r, int64_t k, unsigned i)
{
	uint64_t hi = (uint64_t)(traffic_hash(seed, 0x7ace, r * 16 + i, (uint64_t)k) * 4294967296.0);
	uint64_t lo = (uint64_t)(traffic_hash(seed, 0x7ac0, r * 16 + i, (uint64_t)k) * 4294967296.0);

	return hi << 32 | lo;
}

/* Build trace i of region r in sample k; false when that sample has no such trace.
 * A sample has one trace per 40 requests (up to TRACES_MAX); the first ones of a
 * sample are the faulted ones, as many as the sample's fault rate makes. */
static bool trace_make(const struct traffic *t, const struct sim_world *w, uint64_t seed, size_t r, int64_t k,
		       unsigned i, struct trace *tr)
{
	unsigned n, faults;
	double f;
	static const char *const urls[] = { "/", "/owners", "/owners/find", "/owners/7", "/owners/7/pets/new", "/vets.html" };
	long lb = region_lb(w, r);
	struct traffic_point req, e5, t5, lat;
	double u, z;

	if (lb < 0 || r >= 16)
		return false;
	traffic_sample(t, TM_LB_REQUESTS, (size_t)lb, k, &req);
	if (!req.present || req.value < 40)   /* health checkers alone are not traced */
		return false;
	n = (unsigned)fmin(TRACES_MAX, 1 + floor(req.value / 40));
	if (i >= n)
		return false;
	traffic_sample(t, TM_LB_ELB5XX, (size_t)lb, k, &e5);
	traffic_sample(t, TM_LB_TARGET5XX, (size_t)lb, k, &t5);
	traffic_sample(t, TM_LB_LATENCY, (size_t)lb, k, &lat);
	memset(tr, 0, sizeof(*tr));
	tr->region = r;
	tr->k = k;
	tr->index = i;
	u = traffic_hash(seed, 0x7ace1, r * 16 + i, (uint64_t)k);
	tr->start_s = (double)(k * TRAFFIC_SAMPLE_S) + floor(u * 10000) / 1000;
	snprintf(tr->id, sizeof(tr->id), "1-%08x-%02zx%06" PRIx64 "%016" PRIx64, (unsigned)(k * TRAFFIC_SAMPLE_S),
		 r * 16 + i, (uint64_t)k & 0xffffff, trace_key(seed, r, k, i));
	f = n * (e5.value + t5.value) / req.value;
	faults = (unsigned)floor(f) + (traffic_hash(seed, 0x7ace2, r, (uint64_t)k) < f - floor(f) ? 1 : 0);
	tr->fault = i < faults;
	tr->error = !tr->fault && traffic_hash(seed, 0x7ace3, r * 16 + i, (uint64_t)k) < ERROR_RATE * 10;
	z = 2 * (traffic_hash(seed, 0x7ace4, r * 16 + i, (uint64_t)k) + traffic_hash(seed, 0x7ace6, r * 16 + i, (uint64_t)k) +
		 traffic_hash(seed, 0x7ace7, r * 16 + i, (uint64_t)k) - 1.5);   /* ~ a standard normal draw */
	tr->response_s = lat.present ? exp(lat.lat_mu + TRAFFIC_LAT_SIGMA * z) : 0.001;
	tr->response_s = floor(tr->response_s * 1000 + 1) / 1000;
	tr->status = tr->fault ? (e5.value > 0 ? 503 : 500) : tr->error ? 404 : 200;
	tr->url = urls[(size_t)(traffic_hash(seed, 0x7ace5, r * 16 + i, (uint64_t)k) * 6) % 6];
	return true;
}

/* Parse a trace id back into region, sample and index; false when it is not ours. */
static bool trace_parse(const char *id, size_t *r, int64_t *k, unsigned *i)
{
	unsigned epoch, reg, low;
	uint64_t key;
	int n = 0;

	if (sscanf(id, "1-%8x-%2x%6x%16" SCNx64 "%n", &epoch, &reg, &low, &key, &n) != 4 || id[n])
		return false;
	*r = reg >> 4;
	*i = reg & 15;
	*k = (int64_t)epoch / TRAFFIC_SAMPLE_S;
	return ((uint64_t)*k & 0xffffff) == low;
}

/* The JSON of a trace summary. */
static json_t *trace_summary(const struct sim_world *w, const struct trace *tr)
{
	char app[80], url[160];
	const char *region = w->regions[tr->region].name;

	snprintf(app, sizeof(app), "petclinic-%s", region);
	snprintf(url, sizeof(url), "https://petclinic.example.com%s", tr->url);
	/* no StartTime: botocore's model of TraceSummary has none (newer APIs do) */
	return json_pack("{s:s, s:f, s:f, s:b, s:b, s:b, s:b, s:{s:s, s:i, s:s, s:s, s:s}, "
			 "s:[{s:s, s:[s], s:s, s:s}, {s:s, s:[s], s:s, s:s}], s:{s:s, s:[s], s:s, s:s}, s:i}",
			 "Id", tr->id, "Duration", tr->response_s,
			 "ResponseTime", tr->response_s, "HasFault", tr->fault, "HasError", tr->error,
			 "HasThrottle", 0, "IsPartial", 0,
			 "Http", "HttpURL", url, "HttpStatus", tr->status, "HttpMethod", "GET",
			 "ClientIp", "203.0.113.10", "UserAgent", "Mozilla/5.0",
			 "ServiceIds", "Name", app, "Names", app, "AccountId", w->account, "Type", "AWS::EC2::Instance",
			 "Name", "petclinic-alb", "Names", "petclinic-alb", "AccountId", w->account,
			 "Type", "AWS::ElasticLoadBalancingV2::LoadBalancer",
			 "EntryPoint", "Name", app, "Names", app, "AccountId", w->account, "Type", "AWS::EC2::Instance",
			 "Revision", 1);
}

/* What a filter looks at in tr. */
static struct xray_filter_subject filter_subject(const struct trace *tr)
{
	return (struct xray_filter_subject){ .fault = tr->fault, .error = tr->error, .response_s = tr->response_s,
					     .duration_s = tr->response_s, .status = tr->status };
}

/* GetTraceSummaries: the sampled traces of the caller's region, oldest first. */
static int op_trace_summaries(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct svcstate *st = svcstate_get(ctx->world);
	const struct sim_world *w = ctx->world;
	json_t *list;
	const char *token = sim_in_str(in, "NextToken");
	struct xray_filter filter;
	char msg[400];
	double start, end;
	size_t offset = 0, idx = 0, processed = 0;
	int64_t k;

	if (time_range(ctx, resp, in, &start, &end) < 0)
		return 0;
	if (token && sim_marker_decode(token, &offset) < 0)
		return xray_error(ctx, resp, 400, "InvalidRequestException", "The NextToken is not valid.");
	if (xray_filter_parse(sim_in_str(in, "FilterExpression"), &filter, msg, sizeof(msg)) < 0)
		return xray_error(ctx, resp, 400, "InvalidRequestException", msg);
	list = json_array();
	*out = json_object();
	for (k = (int64_t)ceil(start / TRAFFIC_SAMPLE_S); (double)((k + 1) * TRAFFIC_SAMPLE_S) <= end &&
	     (double)((k + 1) * TRAFFIC_SAMPLE_S) <= ctx->now_s; k++) {
		for (size_t r = 0; r < w->n_regions * TRACES_MAX; r++) {
			struct trace tr;
			if (strcmp(w->regions[r / TRACES_MAX].name, ctx->region) != 0 ||
			    !trace_make(st->traffic, w, w->seed, r / TRACES_MAX, k, (unsigned)(r % TRACES_MAX), &tr))
				continue;
			processed++;
			struct xray_filter_subject subj = filter_subject(&tr);
			if (!xray_filter_match(&filter, &subj))
				continue;
			if (idx++ < offset)
				continue;
			if (json_array_size(list) == (size_t)sim_page_default(w, "GetTraceSummaries")) {
				char next[32];
				sim_marker_encode(idx - 1, next);
				json_object_set_new(*out, "NextToken", json_string(next));
				goto page;
			}
			json_array_append_new(list, trace_summary(w, &tr));
		}
	}
page:
	json_object_set_new(*out, "TraceSummaries", list);
	json_object_set_new(*out, "ApproximateTime", json_real(floor(ctx->now_s)));
	json_object_set_new(*out, "TracesProcessedCount", json_integer((json_int_t)processed));
	return 0;
}

/* The segment document (a JSON string) of a trace. */
static char *segment_document(const struct sim_world *w, const struct trace *tr, const char *seg_id)
{
	const struct sim_region *rg = &w->regions[tr->region];
	const char *instance = "i-0000000000000000", *az = rg->name;
	char app[80], url[160], db[200], redis[120];
	double db_t = tr->start_s + 0.002, db_end = db_t + 0.004;
	json_t *doc;
	char *s;

	for (size_t a = 0; a < rg->n_asgs; a++)
		if (rg->asgs[a].n_instances) {
			instance = rg->asgs[a].instances[0].id;
			az = rg->asgs[a].instances[0].az;
			break;
		}
	snprintf(app, sizeof(app), "petclinic-%s", rg->name);
	snprintf(url, sizeof(url), "https://petclinic.example.com%s", tr->url);
	snprintf(db, sizeof(db), "petclinic@%s", rg->n_dbs && rg->dbs[0].endpoint[0] ? rg->dbs[0].endpoint : "petclinic-db");
	snprintf(redis, sizeof(redis), "petclinic-redis-001.%s.cache.amazonaws.com", rg->name);
	doc = json_pack("{s:s, s:s, s:f, s:f, s:s, s:{s:{s:s, s:s, s:s}, s:{s:i}}, s:{s:{s:s, s:s}}, s:s, "
			"s:b, s:b, s:[{s:s, s:s, s:f, s:f, s:s, s:{s:s, s:s, s:s}}, {s:s, s:s, s:f, s:f, s:s}]}",
			"id", seg_id, "name", app, "start_time", tr->start_s, "end_time", tr->start_s + tr->response_s,
			"trace_id", tr->id,
			"http", "request", "method", "GET", "url", url, "client_ip", "203.0.113.10",
			"response", "status", tr->status,
			"aws", "ec2", "instance_id", instance, "availability_zone", az,
			"origin", "AWS::EC2::Instance", "fault", tr->fault, "error", tr->error,
			"subsegments",
			"id", "a1b2c3d4e5f60001", "name", db, "start_time", db_t, "end_time", db_end,
			"namespace", "remote",
			"sql", "url", db, "database_type", "MySQL", "sanitized_query", "SELECT * FROM owners WHERE id = ?",
			"id", "a1b2c3d4e5f60002", "name", redis, "start_time", db_end, "end_time",
			db_end + REDIS_LATENCY_S, "namespace", "remote");
	s = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return s;
}

/* BatchGetTraces: up to 5 ids; unknown ids and other regions' come back unprocessed. */
static int op_batch_get_traces(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct svcstate *st = svcstate_get(ctx->world);
	const struct sim_world *w = ctx->world;
	json_t *ids = json_object_get(in, "TraceIds"), *traces, *unprocessed;
	size_t i;

	if (!json_is_array(ids) || json_array_size(ids) == 0 || json_array_size(ids) > 5)
		return xray_error(ctx, resp, 400, "InvalidRequestException", "TraceIds must hold 1 to 5 trace ids.");
	traces = json_array();
	unprocessed = json_array();
	for (i = 0; i < json_array_size(ids); i++) {
		const char *id = json_string_value(json_array_get(ids, i));
		struct trace tr;
		size_t r;
		int64_t k;
		unsigned ti;
		char seg_id[17], *doc;
		if (!id || !trace_parse(id, &r, &k, &ti) || r >= w->n_regions ||
		    strcmp(w->regions[r].name, ctx->region) != 0 ||
		    (double)((k + 1) * TRAFFIC_SAMPLE_S) > ctx->now_s ||
		    !trace_make(st->traffic, w, w->seed, r, k, ti, &tr) || strcmp(tr.id, id) != 0) {
			json_array_append_new(unprocessed, json_string(id ? id : ""));
			continue;
		}
		snprintf(seg_id, sizeof(seg_id), "%016" PRIx64, trace_key(w->seed, r, k, ti) ^ (uint64_t)0x5e65e65e65e65e6ULL);
		doc = segment_document(w, &tr, seg_id);
		json_array_append_new(traces, json_pack("{s:s, s:f, s:b, s:[{s:s, s:s}]}", "Id", tr.id,
							"Duration", tr.response_s, "LimitExceeded", 0,
							"Segments", "Id", seg_id, "Document", doc));
		free(doc);
	}
	*out = json_pack("{s:o, s:o}", "Traces", traces, "UnprocessedTraceIds", unprocessed);
	return 0;
}

static const struct sim_shaped_op xray_ops[] = {
	{ .name = "GetServiceGraph", .fn = op_service_graph },
	{ .name = "GetTraceSummaries", .fn = op_trace_summaries },
	{ .name = "BatchGetTraces", .fn = op_batch_get_traces },
	{ .name = NULL },
};

int sim_xray_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	sim_services_tick(ctx->world);
	return sim_dispatch_shaped(ctx, req, resp, xray_ops);
}
