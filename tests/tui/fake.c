/* fake.c — the test-only data source (see fake.h); linked only into tests/tui/flightdeck-fake. */
#include "tests/tui/fake.h"

#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/client.h"
#include "base/xalloc.h"
#include "model/model.h"
#include "tui/internal.h"

struct fake {
	struct tui_source src;
	struct model m;
	int refresh_s;
	long next_ms;
	int tick;
	bool prompt_pending;    /* FLIGHTDECK_FAKE_PROMPT=1: ask like the MFA prompt would */
	struct client *client;  /* for runbook runs (e.g. the simulator's), borrowed */
};

#define S(x) xstrdup(x)

/* A series of n points, one a minute, ending now, shaped by phase. */
static void series_fill(struct model_series *s, size_t n, double base, double amp, int phase, time_t now)
{
	size_t i;

	s->n = n;
	s->ts = xcalloc(n, sizeof(*s->ts));
	s->values = xcalloc(n, sizeof(*s->values));
	for (i = 0; i < n; i++) {
		s->ts[i] = now - (time_t)(n - 1 - i) * 60;
		s->values[i] = base + amp * sin((double)(i + (size_t)phase) / 3.0);
	}
}

/* The five default success targets with some history. */
static void fill_targets(struct model *m, time_t now)
{
	static const struct {
		const char *name, *unit, *objective_text, *source;
		enum model_cmp cmp;
		double objective, value, spread;
	} rows[] = {
		{ "scale-out latency", "s", "< 60 s", "asg-activity", MODEL_CMP_LT, 60, 42, 8 },
		{ "session loss rate", "%", "== 0 %", "metric", MODEL_CMP_EQ, 0, 0, 0 },
		{ "read replica gain", "%", ">= 30 %", "rds-replica-latency", MODEL_CMP_GE, 30, 36.5, 3 },
		{ "blue-green downtime", "s", "== 0 s", "measurement", MODEL_CMP_EQ, 0, NAN, 0 },
		{ "deploy duration", "min", "< 15 min", "measurement", MODEL_CMP_LT, 15, 17.2, 2 },
	};
	size_t i, k;

	m->n_targets = sizeof(rows) / sizeof(rows[0]);
	m->targets = xcalloc(m->n_targets, sizeof(*m->targets));
	for (i = 0; i < m->n_targets; i++) {
		struct model_target *t = &m->targets[i];
		t->name = S(rows[i].name);
		t->unit = S(rows[i].unit);
		t->objective_text = S(rows[i].objective_text);
		t->source = S(rows[i].source);
		t->cmp = rows[i].cmp;
		t->objective = rows[i].objective;
		t->value = rows[i].value;
		t->n_history = isnan(rows[i].value) ? 0 : 24;
		for (k = 0; k < t->n_history; k++)
			t->history[k] = rows[i].value + rows[i].spread * sin((double)k / 2.0 + (double)i);
		t->status = isnan(t->value) ? MODEL_TARGET_NO_DATA :
			model_cmp_holds(t->cmp, t->value, t->objective) ? MODEL_TARGET_MET : MODEL_TARGET_MISSED;
		t->value_at = isnan(t->value) ? 0 : now - 120;
		t->fetched_at = now;
	}
}

/* One action forwarding to blue and green with the given weights. */
static void forward_action(struct model_action *a, const char *region, int blue, int green)
{
	char arn[160];

	a->type = S("forward");
	a->n_forwards = 2;
	a->forwards = xcalloc(2, sizeof(*a->forwards));
	snprintf(arn, sizeof(arn), "arn:aws:elasticloadbalancing:%s:123456789012:targetgroup/petclinic-tg-blue/1", region);
	a->forwards[0] = (struct model_forward){ S(arn), S("petclinic-tg-blue"), blue };
	snprintf(arn, sizeof(arn), "arn:aws:elasticloadbalancing:%s:123456789012:targetgroup/petclinic-tg-green/2", region);
	a->forwards[1] = (struct model_forward){ S(arn), S("petclinic-tg-green"), green };
}

/* Load balancer, listener and target groups of one region. */
static void fill_lb(struct model_region *r, int idx, time_t now)
{
	static const char *const colours[2] = { "blue", "green" };
	int c, k;

	r->n_lbs = 1;
	r->lbs = xcalloc(1, sizeof(*r->lbs));
	r->lbs[0].name = S("petclinic-alb");
	r->lbs[0].arn = S("arn:aws:elasticloadbalancing:lb/app/petclinic-alb/50dc6c495c0c9188");
	r->lbs[0].dns_name = S(idx ? "petclinic-alb-77.ap-northeast-1.elb.amazonaws.com"
				    : "petclinic-alb-42.ap-northeast-2.elb.amazonaws.com");
	r->lbs[0].type = S("application");
	r->lbs[0].scheme = S("internet-facing");
	r->lbs[0].state = S("active");
	r->lbs[0].requests_per_s = idx ? 0.4 : 412.5;
	r->lbs[0].http_5xx_pct = idx ? 0 : 0.12;
	r->lbs[0].p99_ms = idx ? 95 : 184;
	r->lbs[0].fetched_at = now;
	r->lbs[0].metrics_at = now;
	/* its network interfaces: Seoul's public addresses are the DNS answer below */
	r->n_addresses = 2;
	r->addresses = xcalloc(2, sizeof(*r->addresses));
	for (k = 0; k < 2; k++) {
		r->addresses[k].lb_name = S("petclinic-alb");
		r->addresses[k].eni_id = S(k ? "eni-0b7c1d2e3f4a5b6c8" : "eni-0b7c1d2e3f4a5b6c7");
		r->addresses[k].az = S(idx ? (k ? "ap-northeast-1c" : "ap-northeast-1a") : (k ? "ap-northeast-2c" : "ap-northeast-2a"));
		r->addresses[k].public_ip = S(idx ? (k ? "54.65.20.12" : "54.65.20.11") : (k ? "13.124.10.22" : "13.124.10.21"));
		r->addresses[k].private_ip = S(k ? "10.0.17.5" : "10.0.1.5");
	}
	r->lbs[0].n_listeners = 1;
	r->lbs[0].listeners = xcalloc(1, sizeof(struct model_listener));
	r->lbs[0].listeners[0].arn = S("arn:aws:elasticloadbalancing:listener/app/petclinic-alb/1/80");
	r->lbs[0].listeners[0].protocol = S("HTTP");
	r->lbs[0].listeners[0].port = 80;
	r->lbs[0].listeners[0].n_default_actions = 1;
	r->lbs[0].listeners[0].default_actions = xcalloc(1, sizeof(struct model_action));
	forward_action(&r->lbs[0].listeners[0].default_actions[0], r->name, idx ? 100 : 90, idx ? 0 : 10);
	r->lbs[0].listeners[0].fetched_at = now;
	r->n_tgs = 2;
	r->tgs = xcalloc(2, sizeof(*r->tgs));
	for (c = 0; c < 2; c++) {
		struct model_tg *tg = &r->tgs[c];
		char name[64];
		int n = idx ? 1 : 2;
		snprintf(name, sizeof(name), "petclinic-tg-%s", colours[c]);
		tg->name = S(name);
		tg->arn = S(name);
		tg->protocol = S("HTTP");
		tg->port = 8080;
		tg->target_type = S("instance");
		tg->health_check_path = S("/actuator/health");
		tg->n_targets = (size_t)n;
		tg->targets = xcalloc((size_t)n, sizeof(*tg->targets));
		for (k = 0; k < n; k++) {
			char id[32], az[32];
			snprintf(id, sizeof(id), "i-0%d%d%da1b2c3d4", idx, c, k);
			snprintf(az, sizeof(az), "%s%c", r->name, 'a' + k);
			tg->targets[k].id = S(id);
			tg->targets[k].port = 8080;
			tg->targets[k].az = S(az);
			bool bad = idx == 0 && c == 1 && k == 1;
			tg->targets[k].state = S(bad ? "unhealthy" : "healthy");
			tg->targets[k].reason = bad ? S("Target.ResponseCodeMismatch") : NULL;
			tg->targets[k].description = bad ? S("Health checks failed with these codes: [503]") : NULL;
		}
		tg->healthy = n - (idx == 0 && c == 1);
		tg->unhealthy = idx == 0 && c == 1;
		tg->requests_per_s = idx ? (c ? 0 : 0.4) : (c ? 41.2 : 371.3);
		tg->http_5xx_pct = idx == 0 && c == 1 ? 1.2 : 0;
		tg->p99_ms = c ? 210 : 176;
		tg->fetched_at = tg->health_at = tg->metrics_at = now;
	}
}

/* Two groups with instances, activities and a forecast. */
static void fill_asg(struct model_region *r, int idx, time_t now)
{
	static const char *const colours[2] = { "blue", "green" };
	int c, k;

	r->n_asgs = 2;
	r->asgs = xcalloc(2, sizeof(*r->asgs));
	for (c = 0; c < 2; c++) {
		struct model_asg *a = &r->asgs[c];
		char name[64];
		int n = idx ? 1 : 2;
		snprintf(name, sizeof(name), "petclinic-asg-%s", colours[c]);
		a->name = S(name);
		a->min = idx ? 1 : 2;
		a->desired = n;
		a->max = idx ? 4 : 8;
		a->in_service = n;
		a->n_instances = (size_t)n;
		a->instances = xcalloc((size_t)n, sizeof(*a->instances));
		for (k = 0; k < n; k++) {
			char id[32], az[32];
			snprintf(id, sizeof(id), "i-0%d%d%da1b2c3d4", idx, c, k);
			snprintf(az, sizeof(az), "%s%c", r->name, 'a' + k);
			a->instances[k].id = S(id);
			a->instances[k].az = S(az);
			a->instances[k].lifecycle_state = S("InService");
			a->instances[k].health_status = S("Healthy");
			a->instances[k].instance_type = S("t3.medium");
			a->instances[k].launch_template = S("petclinic-lt:7");
		}
		a->n_activities = 2;
		a->activities = xcalloc(2, sizeof(*a->activities));
		a->activities[0] = (struct model_activity){
			S("act-1"), S("Successful"), S("Launching a new EC2 instance: i-0001a1b2c3d4"),
			S("At 05:10:00Z a user request update of AutoScalingGroup constraints"),
			now - 1800, now - 1800 + 42, 100, true, false };
		a->activities[1] = (struct model_activity){
			S("act-2"), S("Successful"), S("Terminating EC2 instance: i-0009a1b2c3d4"),
			S("At 04:30:00Z an instance was taken out of service"), now - 5400, now - 5400 + 95, 100,
			false, true };
		a->n_policies = 1;
		a->policies = xcalloc(1, sizeof(*a->policies));
		a->policies[0].name = S("cpu-predictive");
		a->policies[0].type = S("PredictiveScaling");
		a->policies[0].summary = S("ASGCPUUtilization 50");
		a->n_forecasts = 1;
		a->forecasts = xcalloc(1, sizeof(*a->forecasts));
		a->forecasts[0].policy = S("cpu-predictive");
		a->forecasts[0].metric = S("ASGCPUUtilization");
		series_fill(&a->forecasts[0].load, 24, 45, 15, 0, now);
		series_fill(&a->forecasts[0].capacity, 24, 3, 1, 0, now);
		series_fill(&a->forecasts[0].actual, 24, 43, 14, 1, now);
		a->forecasts[0].fetched_at = now;
		a->fetched_at = a->activities_at = now;
	}
}

/* Alarms: one in ALARM in the primary, with history. */
static void fill_alarms(struct model_region *r, int idx, time_t now)
{
	r->n_alarms = 2;
	r->alarms = xcalloc(2, sizeof(*r->alarms));
	r->alarms[0].name = S(idx ? "petclinic-dr-5xx-high" : "petclinic-green-5xx-high");
	r->alarms[0].state = S(idx ? "OK" : "ALARM");
	r->alarms[0].reason = S(idx ? "Threshold Crossed: 1 datapoint [0.0] was not greater than the threshold (1.0)."
				    : "Threshold Crossed: 1 datapoint [1.2] was greater than the threshold (1.0).");
	r->alarms[0].since = now - 720;
	r->alarms[0].namespace_ = S("AWS/ApplicationELB");
	r->alarms[0].metric = S("HTTPCode_Target_5XX_Count");
	r->alarms[0].statistic = S("Sum");
	r->alarms[0].period_s = 60;
	r->alarms[0].evaluation_periods = 1;
	r->alarms[0].threshold = 1.0;
	r->alarms[0].comparison = S("GreaterThanThreshold");
	r->alarms[0].dimensions = S("TargetGroup=targetgroup/petclinic-tg-green/5e6f, LoadBalancer=app/petclinic-alb/1a2b");
	r->alarms[0].n_history = 2;
	r->alarms[0].history = xcalloc(2, sizeof(struct model_alarm_event));
	r->alarms[0].history[0] = (struct model_alarm_event){ now - 720, S("StateUpdate"),
		S(idx ? "Alarm updated from ALARM to OK" : "Alarm updated from OK to ALARM"),
		S(idx ? "ALARM" : "OK"), S(idx ? "OK" : "ALARM") };
	r->alarms[0].history[1] = (struct model_alarm_event){ now - 86400, S("ConfigurationUpdate"),
		S("Alarm \"petclinic-5xx-high\" updated"), NULL, NULL };
	r->alarms[0].fetched_at = now;
	r->alarms[1].name = S("petclinic-cpu-high");
	r->alarms[1].state = S("OK");
	r->alarms[1].reason = S("Threshold Crossed: 3 datapoints were not greater than the threshold (80.0).");
	r->alarms[1].since = now - 7200;
	r->alarms[1].namespace_ = S("AWS/EC2");
	r->alarms[1].metric = S("CPUUtilization");
	r->alarms[1].fetched_at = now;
}

/* A small service map and a few traces. */
static void fill_xray(struct model_region *r, int idx, time_t now)
{
	static const struct { const char *name, *type; double rps, err, fault, p99; } nodes[] = {
		{ "client", "client", 412.5, 0, 0, NAN },
		{ "petclinic-alb", "AWS::ElasticLoadBalancingV2::LoadBalancer", 412.5, 0.1, 0.1, 190 },
		{ "petclinic-app", "AWS::EC2::Instance", 412.5, 0.4, 0.12, 180 },
		{ "petclinic-db", "AWS::RDS::DBInstance", 803.1, 0, 0, 14 },
		{ "petclinic-redis", "AWS::ElastiCache::Cluster", 620.7, 0, 0, 2.1 },
	};
	static const int edges[][2] = { { 0, 1 }, { 1, 2 }, { 2, 3 }, { 2, 4 } };
	size_t i;

	r->xray.n_nodes = 5;
	r->xray.nodes = xcalloc(5, sizeof(*r->xray.nodes));
	for (i = 0; i < 5; i++) {
		struct model_xray_node *n = &r->xray.nodes[i];
		double f = idx ? 0.001 : 1;
		n->ref_id = (int)i;
		n->name = S(nodes[i].name);
		n->type = S(nodes[i].type);
		n->requests_per_s = nodes[i].rps * f;
		n->requests = n->requests_per_s * 600;   /* the service graph's 10 minutes */
		n->error_pct = nodes[i].err;
		n->fault_pct = nodes[i].fault;
		n->p99_ms = nodes[i].p99;
		n->avg_ms = isnan(nodes[i].p99) ? NAN : nodes[i].p99 / 4;
	}
	r->xray.n_edges = 4;
	r->xray.edges = xcalloc(4, sizeof(*r->xray.edges));
	for (i = 0; i < 4; i++)
		r->xray.edges[i] = (struct model_xray_edge){ .from = edges[i][0], .to = edges[i][1],
			.requests_per_s = r->xray.nodes[edges[i][1]].requests_per_s,
			.requests = r->xray.nodes[edges[i][1]].requests, .error_pct = 0.1, .fault_pct = 0.05,
			.avg_ms = 10, .p99_ms = r->xray.nodes[edges[i][1]].p99_ms };
	r->xray.n_traces = 3;
	r->xray.traces = xcalloc(3, sizeof(*r->xray.traces));
	for (i = 0; i < 3; i++) {
		char id[64];
		snprintf(id, sizeof(id), "1-674a%04zx-%024zx", i, i + 1);
		r->xray.traces[i] = (struct model_trace){ S(id), now - 30 * (time_t)(i + 1), 0.05 + 0.1 * (double)i,
			0.05 + 0.1 * (double)i, i == 1, i == 2, false, i == 2 ? 502 : 200, S("GET"),
			S(i == 0 ? "http://app.petclinic.example.com/owners" : "http://app.petclinic.example.com/vets") };
	}
	r->xray.start = now - 300;
	r->xray.end = now;
}

/* One metric panel with two lines. */
static void fill_charts(struct model_region *r, int idx, time_t now)
{
	r->n_charts = 2;
	r->charts = xcalloc(2, sizeof(*r->charts));
	r->charts[0].kind = MODEL_CHART_REQUESTS;   /* the overview draws the built-in kinds at 200x50 */
	r->charts[0].title = S("Requests");
	r->charts[0].unit = S("count/s");
	r->charts[0].stat = S("Sum");
	r->charts[0].period_s = 60;
	r->charts[0].range_s = 3600;
	r->charts[0].n_lines = 1;
	r->charts[0].lines = xcalloc(1, sizeof(struct model_line));
	r->charts[0].lines[0].id = S("e1");
	r->charts[0].lines[0].label = S("req/s");
	series_fill(&r->charts[0].lines[0].series, 60, idx ? 0.4 : 400, idx ? 0.2 : 80, 0, now);
	r->charts[0].fetched_at = now;
	r->charts[1].kind = MODEL_CHART_LATENCY;
	r->charts[1].title = S("Latency p99");
	r->charts[1].unit = S("ms");
	r->charts[1].stat = S("p99");
	r->charts[1].period_s = 60;
	r->charts[1].range_s = 3600;
	r->charts[1].n_lines = 2;
	r->charts[1].lines = xcalloc(2, sizeof(struct model_line));
	r->charts[1].lines[0].id = S("m1");
	r->charts[1].lines[0].label = S("blue");
	series_fill(&r->charts[1].lines[0].series, 60, 170, 20, 2, now);
	r->charts[1].lines[1].id = S("m2");
	r->charts[1].lines[1].label = S("green");
	series_fill(&r->charts[1].lines[1].series, 60, 200, 30, 5, now);
	r->charts[1].fetched_at = now;
}

/* The database: the writer in Seoul, its cross-region read replica in Tokyo. */
static void fill_db(struct model_region *r, int idx, time_t now)
{
	struct model_db *d;

	r->n_dbs = 1;
	r->dbs = d = xcalloc(1, sizeof(*d));
	d->id = S("petclinic-db");
	d->engine = S("mysql");
	d->status = S("available");
	d->instance_class = S("db.r6g.large");
	d->az = S(idx ? "ap-northeast-1a" : "ap-northeast-2a");
	d->fetched_at = d->metrics_at = now;
	d->read_latency_ms = idx ? 3.7 : 6.1;
	d->replica_lag_s = NAN;
	if (idx == 0) {
		d->n_replicas = 1;
		d->multi_az = true;
		return;
	}
	d->source_id = S("arn:aws:rds:ap-northeast-2:123456789012:db:petclinic-db");
	d->is_replica = true;
	d->repl_status = S("replicating");
	d->repl_normal = true;
	d->replica_lag_s = 0.6;
}

/* The Redis session store: a Global Datastore, primary in Seoul; a failover in Seoul
 * 20 minutes ago. */
static void fill_sessions(struct model_region *r, int idx, time_t now)
{
	static const double figs[2][MODEL_CACHE_METRIC_COUNT] = {
		{ 0, 48, NAN, 11.5, 21.3, 97.2 },
		{ 0, 2, 0.02, 3.1, 21.1, NAN },
	};
	struct model_sessions *s = &r->sessions;
	struct model_cache_group *g;

	s->n_groups = 1;
	s->groups = g = xcalloc(1, sizeof(*g));
	g->id = S("petclinic-sessions");
	g->status = S("available");
	g->global_id = S("ldgnf-petclinic-sessions");
	g->global_role = S(idx ? "secondary" : "primary");
	g->auto_failover = g->multi_az = true;
	g->n_nodes = 2;
	g->nodes = xcalloc(2, sizeof(*g->nodes));
	for (int k = 0; k < 2; k++) {
		char id[32];
		snprintf(id, sizeof(id), "petclinic-redis-%03d", k + 1);
		g->nodes[k].cluster_id = S(id);
		g->nodes[k].node_id = S("0001");
		g->nodes[k].role = S((idx == 0) == (k == 1) ? "primary" : "replica");
		g->nodes[k].status = S("available");
		g->nodes[k].node_status = S("available");
		g->nodes[k].az = S(r->name);
		memcpy(g->nodes[k].figures, figs[(idx == 0) == (k == 1) ? 0 : 1], sizeof(figs[0]));
	}
	s->metrics_at = now;
	if (idx)
		return;
	s->n_events = 2;
	s->events = xcalloc(2, sizeof(*s->events));
	s->events[0] = (struct model_cache_event){ now - 1140, S("petclinic-redis-001"), S("cache-cluster"),
		S("Finished replacement of cache node 0001"), true };
	s->events[1] = (struct model_cache_event){ now - 1200, S("petclinic-sessions"), S("replication-group"),
		S("Failover from primary node petclinic-redis-001 to replica node petclinic-redis-002 completed"), true };
}

/* CloudFront in front of both load balancers, Seoul's first in the origin group. */
static void fill_cdn(struct model *m, time_t now)
{
	struct model_distribution *d;
	static const double figs[MODEL_CDN_METRIC_COUNT] = { 5359, 0.71, 0.04, 82.1, NAN };

	m->cdn.n_dists = 1;
	m->cdn.dists = d = xcalloc(1, sizeof(*d));
	d->id = S("E1PC7QW5TZ0K9X");
	d->domain = S("d1pc7qw5tz0k9x.cloudfront.net");
	d->alias = S("petclinic.example.com");
	d->status = S("Deployed");
	d->enabled = true;
	d->invalidations = 0;
	d->additional = MODEL_CDN_ADD_ENABLED;
	memcpy(d->figures, figs, sizeof(figs));
	d->metrics_at = now;
	d->n_origins = 2;
	d->origins = xcalloc(2, sizeof(*d->origins));
	for (size_t i = 0; i < 2; i++) {
		d->origins[i].id = S(i ? "alb-ap-northeast-1" : "alb-ap-northeast-2");
		d->origins[i].domain = S(m->regions[i].n_lbs && m->regions[i].lbs[0].dns_name ? m->regions[i].lbs[0].dns_name
											   : "?");
		d->origins[i].failover_primary = i == 0;
		d->origins[i].failover_secondary = i == 1;
	}
}

/* The launch template the fake instances run: version 8 is $Latest, 7 the default
 * (a new version not rolled out yet). */
static void fill_lts(struct model_region *r, time_t now)
{
	r->n_lts = 1;
	r->lts = xcalloc(1, sizeof(*r->lts));
	r->lts[0].name = S("petclinic-lt");
	r->lts[0].latest = 8;
	r->lts[0].default_version = 7;
	r->lts[0].latest_description = S("petclinic release 8");
	r->lts[0].latest_image = S("ami-0a1b2c3d4e5f60008");
	r->lts[0].latest_created = now - 3600;
}

/* Health checks, the failover records and the DNS answer. */
static void fill_route53(struct model *m, time_t now)
{
	static const char *const checker_regions[] = { "us-east-1", "us-west-1", "eu-west-1",
		"ap-southeast-1", "ap-northeast-1", "sa-east-1" };
	struct model_route53 *r = &m->route53;
	size_t i, k;

	r->n_checks = 2;
	r->checks = xcalloc(2, sizeof(*r->checks));
	for (i = 0; i < 2; i++) {
		struct model_health_check *h = &r->checks[i];
		h->id = S(i ? "hc-tokyo-0002" : "hc-seoul-0001");
		h->type = S("HTTPS");
		h->target = S(i ? "petclinic-alb-77.ap-northeast-1.elb.amazonaws.com:443/health"
				: "petclinic-alb-42.ap-northeast-2.elb.amazonaws.com:443/health");
		h->region = S(m->regions[i].name);
		h->n_checkers = 6;
		h->checkers = xcalloc(6, sizeof(*h->checkers));
		for (k = 0; k < 6; k++) {
			bool fail = i == 0 && k == 2;
			h->checkers[k].region = S(checker_regions[k]);
			h->checkers[k].ip = S("15.177.0.1");
			h->checkers[k].status = S(fail ? "Failure: Connection timed out." : "Success: HTTP Status Code 200, OK");
			h->checkers[k].healthy = !fail;
			h->checkers[k].checked_at = now - 10;
		}
		h->healthy_checkers = i == 0 ? 5 : 6;
		h->healthy = true;
		h->fetched_at = now;
	}
	r->n_zones = 1;
	r->zones = xcalloc(1, sizeof(*r->zones));
	r->zones[0].id = S("Z0PETCLINIC");
	r->zones[0].name = S("petclinic.example.com.");
	r->zones[0].n_records = 2;
	r->zones[0].records = xcalloc(2, sizeof(struct model_record));
	for (i = 0; i < 2; i++) {
		struct model_record *rec = &r->zones[0].records[i];
		rec->name = S("app.petclinic.example.com.");
		rec->type = S("A");
		rec->set_identifier = S(i ? "tokyo" : "seoul");
		rec->failover = S(i ? "SECONDARY" : "PRIMARY");
		rec->region = S(m->regions[i].name);
		rec->health_check_id = S(i ? "hc-tokyo-0002" : "hc-seoul-0001");
		rec->value = S(i ? "petclinic-alb-77.ap-northeast-1.elb.amazonaws.com."
				 : "petclinic-alb-42.ap-northeast-2.elb.amazonaws.com.");
		rec->alias = true;
		rec->ttl = -1;
	}
	r->zones[0].fetched_at = now;
	r->dns.record_name = S("app.petclinic.example.com.");
	r->dns.record_type = S("A");
	r->dns.nameserver = S("ns-1.awsdns-01.org");
	r->dns.response_code = S("NOERROR");
	r->dns.n_answers = 2;
	r->dns.answers = xcalloc(2, sizeof(char *));
	r->dns.answers[0] = S("13.124.10.21");
	r->dns.answers[1] = S("13.124.10.22");
	r->dns.region = S(m->regions[0].name);
	r->dns.fetched_at = now;
}

/* Mark every panel fresh at now. */
static void touch_all(struct model *m, time_t now)
{
	size_t i;
	int p;

	for (i = 0; i < m->n_regions; i++)
		for (p = 0; p < MODEL_PANEL_COUNT; p++) {
			struct model_status *st = model_status_of(m, i, (enum model_panel)p);
			st->fetched_at = now;
			st->enabled = true;
			model_touch(m, st);
		}
}

/* Change a few figures, as a refresh would. */
static void tick(struct fake *f)
{
	time_t now = time(NULL);
	struct model_region *r = &f->m.regions[0];
	struct model_target *t = &f->m.targets[0];

	f->tick++;
	r->lbs[0].requests_per_s = 412.5 + (f->tick % 5) * 3.5;
	r->lbs[0].p99_ms = 184 + (f->tick % 3);
	memmove(t->history, t->history + 1, (t->n_history - 1) * sizeof(double));
	t->history[t->n_history - 1] = 40 + (f->tick % 7);
	t->value = t->history[t->n_history - 1];
	model_summarize(&f->m);
	touch_all(&f->m, now);
}

/* Timeout: until the next tick. */
static long fake_timeout(void *ctx)
{
	struct fake *f = ctx;
	long now = term_now_ms();

	long t = -1, ct = f->client ? client_timeout_ms(f->client) : -1;

	if (f->prompt_pending)
		return 0;
	if (f->refresh_s > 0)
		t = f->next_ms > now ? f->next_ms - now : 0;
	if (ct >= 0 && (t < 0 || ct < t))
		t = ct;
	return t;
}

/* After poll: tick when due. */
static void fake_perform(void *ctx, const struct pollfd *fds, int nfds)
{
	struct fake *f = ctx;
	long now = term_now_ms();

	if (f->client)
		client_perform(f->client, fds, nfds);
	if (f->prompt_pending) {
		char code[64];
		f->prompt_pending = false;
		if (tui_prompt("MFA code for arn:aws:iam::123456789012:mfa/oncall: ", false, code, sizeof(code)) == 0)
			fd_error_set(&f->m.targets_status.error, "Prompt", "answered with %zu characters", strlen(code));
		else
			fd_error_set(&f->m.targets_status.error, "Prompt", "cancelled");
		fd_wipe(code, sizeof(code));
		model_touch(&f->m, &f->m.targets_status);
		return;
	}
	if (f->refresh_s <= 0 || now < f->next_ms)
		return;
	tick(f);
	f->next_ms = now + f->refresh_s * 1000L;
}

/* `r`: tick at the next perform. */
static void fake_refresh_now(void *ctx)
{
	struct fake *f = ctx;

	f->next_ms = 0;
	if (f->refresh_s <= 0) {
		tick(f);
	}
}

/* The metrics view's switches: the fake's charts say what they would query. */
static void fake_metric_options(void *ctx, const char *stat, int period_s, int range_s)
{
	struct fake *f = ctx;
	size_t r, c;

	for (r = 0; r < f->m.n_regions; r++) {
		for (c = 0; c < f->m.regions[r].n_charts; c++) {
			struct model_chart *ch = &f->m.regions[r].charts[c];
			if (stat) {     /* NULL / 0: each chart's own */
				free(ch->stat);
				ch->stat = xstrdup(stat);
			}
			if (period_s)
				ch->period_s = period_s;
			ch->range_s = range_s;
		}
		model_touch(&f->m, model_status_of(&f->m, r, MODEL_PANEL_METRICS));
	}
}

/* A fake source with its own deterministic model. */
struct tui_source *fake_source_new(int refresh_s)
{
	struct fake *f = xcalloc(1, sizeof(*f));
	time_t now = time(NULL);
	size_t i;

	model_init(&f->m, "ap-northeast-2", "ap-northeast-1");
	for (i = 0; i < f->m.n_regions; i++) {
		fill_lb(&f->m.regions[i], (int)i, now);
		fill_asg(&f->m.regions[i], (int)i, now);
		fill_alarms(&f->m.regions[i], (int)i, now);
		fill_xray(&f->m.regions[i], (int)i, now);
		fill_charts(&f->m.regions[i], (int)i, now);
		fill_db(&f->m.regions[i], (int)i, now);
		fill_sessions(&f->m.regions[i], (int)i, now);
		fill_lts(&f->m.regions[i], now);
	}
	fill_route53(&f->m, now);
	fill_cdn(&f->m, now);
	fill_targets(&f->m, now);
	model_summarize(&f->m);
	touch_all(&f->m, now);
	if (getenv("FLIGHTDECK_FAKE_ERROR") && strcmp(getenv("FLIGHTDECK_FAKE_ERROR"), "1") == 0) {
		/* a failing API: the alarms of the primary keep their old data and age */
		struct model_status *st = model_status_of(&f->m, 0, MODEL_PANEL_ALARMS);
		fd_error_set(&st->error, "ThrottlingException", "Rate exceeded");
		st->error_at = now;
		st->fetched_at = now - 95;
		model_touch(&f->m, st);
	}
	f->refresh_s = refresh_s;
	f->prompt_pending = getenv("FLIGHTDECK_FAKE_PROMPT") && strcmp(getenv("FLIGHTDECK_FAKE_PROMPT"), "1") == 0;
	f->next_ms = term_now_ms() + refresh_s * 1000L;
	f->src.model = &f->m;
	f->src.ctx = f;
	f->src.timeout_ms = fake_timeout;
	f->src.perform = fake_perform;
	f->src.refresh_now = fake_refresh_now;
	f->src.metric_options = fake_metric_options;
	return &f->src;
}

/* The client's sockets (runbook runs). */
static int fake_poll_fds(void *ctx, struct pollfd *fds, int max)
{
	struct fake *f = ctx;

	return f->client ? client_poll_fds(f->client, fds, max) : 0;
}

/* The client runs use. */
static struct client *fake_client(void *ctx)
{
	return ((struct fake *)ctx)->client;
}

/* Give runbook runs a client (the fake then also drives its sockets). */
void fake_source_set_client(struct tui_source *s, struct client *client)
{
	struct fake *f = (struct fake *)s;

	f->client = client;
	s->client = fake_client;
	s->poll_fds = fake_poll_fds;
}

/* Free the fake and its model; s may be NULL. */
void fake_source_destroy(struct tui_source *s)
{
	struct fake *f = (struct fake *)s;

	if (!f)
		return;
	model_clean_up(&f->m);
	free(f);
}
