/* metrics.c — CloudWatch metric names, dimensions and statistics (see metrics.h). */
#include "sim/metrics.h"

#include "base/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum entity { E_LB, E_TG, E_ASG, E_DB, E_CACHE, E_CF, E_NONE };

/* One metric CloudWatch publishes: its name, what entity its dimensions name,
 * the model metric, the unit, and whether each event is a datapoint of 1 (ALB's
 * request and HTTP code counts: "Minimum, Maximum, and Average all return 1",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html). */
struct metric_def {
	const char *ns;
	const char *name;
	enum entity entity;
	enum traffic_metric metric;
	const char *unit;
	bool events;
};

static const struct metric_def defs[] = {
	{ "AWS/ApplicationELB", "RequestCount", E_LB, TM_LB_REQUESTS, "Count", true },
	{ "AWS/ApplicationELB", "RequestCount", E_TG, TM_TG_REQUESTS, "Count", true },
	{ "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", E_LB, TM_LB_TARGET5XX, "Count", true },
	{ "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", E_TG, TM_TG_TARGET5XX, "Count", true },
	{ "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", E_LB, TM_LB_ELB5XX, "Count", true },
	{ "AWS/ApplicationELB", "TargetResponseTime", E_LB, TM_LB_LATENCY, "Seconds", false },
	{ "AWS/ApplicationELB", "TargetResponseTime", E_TG, TM_TG_LATENCY, "Seconds", false },
	{ "AWS/ApplicationELB", "HealthyHostCount", E_TG, TM_TG_HEALTHY, "Count", false },
	{ "AWS/ApplicationELB", "UnHealthyHostCount", E_TG, TM_TG_UNHEALTHY, "Count", false },
	{ "AWS/AutoScaling", "GroupInServiceInstances", E_ASG, TM_ASG_INSERVICE, "None", false },
	{ "AWS/AutoScaling", "GroupDesiredCapacity", E_ASG, TM_ASG_DESIRED, "None", false },
	{ "AWS/EC2", "CPUUtilization", E_ASG, TM_ASG_CPU, "Percent", false },
	{ "AWS/RDS", "ReadLatency", E_DB, TM_DB_READLATENCY, "Seconds", false },
	{ "AWS/RDS", "ReplicaLag", E_DB, TM_DB_REPLICALAG, "Seconds", false },
	{ "AWS/ElastiCache", "CurrConnections", E_CACHE, TM_CACHE_CONNECTIONS, "Count", false },
	{ "AWS/ElastiCache", "Evictions", E_CACHE, TM_CACHE_EVICTIONS, "Count", false },
	{ "AWS/ElastiCache", "ReplicationLag", E_CACHE, TM_CACHE_REPLICATION_LAG, "Seconds", false },
	{ "AWS/ElastiCache", "EngineCPUUtilization", E_CACHE, TM_CACHE_ENGINE_CPU, "Percent", false },
	{ "AWS/ElastiCache", "DatabaseMemoryUsagePercentage", E_CACHE, TM_CACHE_MEMORY, "Percent", false },
	{ "AWS/ElastiCache", "CacheHitRate", E_CACHE, TM_CACHE_HITRATE, "Percent", false },
	{ "AWS/CloudFront", "Requests", E_CF, TM_CF_REQUESTS, "None", false },
	{ "AWS/CloudFront", "CacheHitRate", E_CF, TM_CF_HITRATE, "Percent", false },
	{ "AWS/CloudFront", "4xxErrorRate", E_CF, TM_CF_4XX, "Percent", false },
	{ "AWS/CloudFront", "5xxErrorRate", E_CF, TM_CF_5XX, "Percent", false },
	{ "PetClinic", "SessionLossRate", E_NONE, TM_SESSION_LOSS, "Percent", false },
	{ NULL, NULL, E_NONE, TM_COUNT, NULL, false },
};

const char *metrics_lb_dim(const char *lb_arn)
{
	const char *p = strstr(lb_arn, ":loadbalancer/");

	return p ? p + strlen(":loadbalancer/") : lb_arn;
}

const char *metrics_tg_dim(const char *tg_arn)
{
	const char *p = strrchr(tg_arn, ':');

	return p ? p + 1 : tg_arn;
}

/* The value of dimension name in dims, NULL when absent. */
static const char *dim(const struct metrics_dim *dims, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (dims[i].name && strcmp(dims[i].name, name) == 0)
			return dims[i].value ? dims[i].value : "";
	return NULL;
}

/* Find the load balancer of region r whose dimension value is v; -1 when none. */
static long find_lb(const struct sim_world *w, int r, const char *v)
{
	const struct sim_region *rg = &w->regions[r];

	for (size_t i = 0; v && i < rg->n_lbs; i++)
		if (strcmp(metrics_lb_dim(rg->lbs[i].arn), v) == 0)
			return traffic_lb_index(w, &rg->lbs[i]);
	return -1;
}

/* Resolve the entity of def from the dimensions; -1 when they name none. */
static long resolve_entity(const struct sim_world *w, int r, const char *region,
			   const struct metric_def *d, const struct metrics_dim *dims, size_t n)
{
	const struct sim_region *rg = &w->regions[r];
	const char *v;
	size_t i;

	switch (d->entity) {
	case E_LB:
		if (n != 1 || !(v = dim(dims, n, "LoadBalancer")))
			return -1;
		return find_lb(w, r, v);
	case E_TG:
		v = dim(dims, n, "TargetGroup");
		if (!v || (n == 2 && find_lb(w, r, dim(dims, n, "LoadBalancer")) < 0) || n > 2)
			return -1;
		for (i = 0; i < rg->n_tgs; i++)
			if (strcmp(metrics_tg_dim(rg->tgs[i].arn), v) == 0)
				return traffic_tg_index(w, &rg->tgs[i]);
		return -1;
	case E_ASG:
		if (n != 1 || !(v = dim(dims, n, "AutoScalingGroupName")))
			return -1;
		for (i = 0; i < rg->n_asgs; i++)
			if (strcmp(rg->asgs[i].name, v) == 0)
				return traffic_asg_index(w, &rg->asgs[i]);
		return -1;
	case E_DB:
		if (n != 1 || !(v = dim(dims, n, "DBInstanceIdentifier")))
			return -1;
		for (i = 0; i < rg->n_dbs; i++)
			if (strcmp(rg->dbs[i].id, v) == 0)
				return traffic_db_index(w, &rg->dbs[i]);
		return -1;
	case E_CACHE:
		/* a node's series: its CacheClusterId, alone or with its CacheNodeId (0001);
		 * as CloudWatch, a dimensionless query names no series (no datapoints) */
		v = dim(dims, n, "CacheNodeId");
		if (n > 2 || (n == 2 && (!v || strcmp(v, "0001") != 0)) || !(v = dim(dims, n, "CacheClusterId")))
			return -1;
		for (i = 0; i < 2; i++)
			if (strcmp(v, i ? METRICS_CACHE_CLUSTER_2 : METRICS_CACHE_CLUSTER) == 0)
				return (long)r * 2 + (long)i;
		return -1;
	case E_CF:
		(void)region;
		return -1;
	case E_NONE:
		return n == 0 ? 0 : -1;
	}
	return -1;
}

/* Index of the region called name, -1 when none. */
static int region_index(const struct sim_world *w, const char *name)
{
	for (size_t i = 0; i < w->n_regions; i++)
		if (strcmp(w->regions[i].name, name) == 0)
			return (int)i;
	return -1;
}

bool metrics_resolve(const struct sim_world *w, const char *region, const char *ns,
		     const char *name, const struct metrics_dim *dims, size_t n_dims,
		     struct metrics_ref *out)
{
	int r = region_index(w, region);

	for (const struct metric_def *d = defs; d->ns; d++) {
		long e;
		if (strcmp(d->ns, ns) != 0 || strcmp(d->name, name) != 0)
			continue;
		if (d->entity == E_CF) {
			const char *id = dim(dims, n_dims, "DistributionId");
			const char *rv = dim(dims, n_dims, "Region");
			if (strcmp(region, "us-east-1") != 0 || n_dims != 2 || !id || !rv ||
			    strcmp(id, METRICS_DISTRIBUTION_ID) != 0 || strcmp(rv, "Global") != 0)
				continue;
			e = 0;
		} else if (d->entity == E_NONE) {
			e = resolve_entity(w, 0, region, d, dims, n_dims);
		} else {
			if (r < 0)
				continue;
			e = resolve_entity(w, r, region, d, dims, n_dims);
		}
		if (e < 0)
			continue;
		out->metric = d->metric;
		out->entity = (size_t)e;
		out->unit = d->unit;
		out->per_minute = d->entity != E_NONE;
		out->events = d->events;
		out->publish_min_s = sim_world_dur(w, METRICS_PUBLISH_MIN_S);
		out->publish_span_s = sim_world_dur(w, METRICS_PUBLISH_MAX_S - METRICS_PUBLISH_MIN_S);
		out->seed = w->seed;
		return true;
	}
	return false;
}

/* Parse "pNN" / "pNN.N" into a fraction; -1 when stat is not a percentile. */
static double percentile_of(const char *stat)
{
	char *end;
	double p;

	if (stat[0] != 'p' || !(stat[1] >= '0' && stat[1] <= '9'))
		return -1;
	p = strtod(stat + 1, &end);
	if (*end || p < 0 || p > 100)
		return -1;
	return p / 100.0;
}

bool metrics_stat_valid(const char *stat)
{
	static const char *const plain[] = { "Sum", "Average", "Minimum", "Maximum", "SampleCount", NULL };

	for (size_t i = 0; plain[i]; i++)
		if (strcmp(stat, plain[i]) == 0)
			return true;
	return percentile_of(stat) >= 0;
}

/* Standard normal CDF. */
static double phi(double x)
{
	return 0.5 * erfc(-x / M_SQRT2);
}

/* The p-quantile of a mixture of log-normals (counts c, medians exp(mu)). */
static double lognormal_mix_quantile(const double *c, const double *mu, size_t n, double p)
{
	double lo = INFINITY, hi = -INFINITY, total = 0;

	for (size_t i = 0; i < n; i++) {
		lo = fmin(lo, mu[i] - 6 * TRAFFIC_LAT_SIGMA);
		hi = fmax(hi, mu[i] + 6 * TRAFFIC_LAT_SIGMA);
		total += c[i];
	}
	for (int it = 0; it < 44; it++) {
		double mid = (lo + hi) / 2, f = 0;
		for (size_t i = 0; i < n; i++)
			f += c[i] * phi((mid - mu[i]) / TRAFFIC_LAT_SIGMA);
		if (f / total < p)
			lo = mid;
		else
			hi = mid;
	}
	return exp((lo + hi) / 2);
}

/* Compare doubles for qsort. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double metrics_published_s(const struct metrics_ref *ref, int64_t k)
{
	int64_t minute;

	if (!ref->per_minute)
		return (double)((k + 1) * TRAFFIC_SAMPLE_S);
	minute = (k * TRAFFIC_SAMPLE_S) / 60;
	return (double)((minute + 1) * 60) + ref->publish_min_s +
	       ref->publish_span_s * traffic_hash(ref->seed, (uint64_t)minute, 0x9b11c, (uint64_t)ref->metric);
}

bool metrics_stat(const struct traffic *t, const struct metrics_ref *ref, const char *stat,
		  int64_t start_s, int period_s, double now_s, double *out)
{
	int64_t k0 = start_s / TRAFFIC_SAMPLE_S, k1 = (start_s + period_s) / TRAFFIC_SAMPLE_S, k;
	size_t n = 0, cap = (size_t)(k1 - k0) + 1;
	double *vals, *counts, *mus, sum = 0, cnt = 0, mn = INFINITY, mx = -INFINITY, p;
	bool latency = false, ok = true;

	if (k1 <= k0)
		k1 = k0 + 1;
	vals = xmalloc(cap * sizeof(*vals));
	counts = xmalloc(cap * sizeof(*counts));
	mus = xmalloc(cap * sizeof(*mus));
	for (k = k0; k < k1; k++) {
		struct traffic_point pt;
		if (metrics_published_s(ref, k) > now_s)
			break;
		traffic_sample(t, ref->metric, ref->entity, k, &pt);
		if (!pt.present)
			continue;
		latency = pt.latency;
		if (pt.latency) {
			double lo = exp(pt.lat_mu - 3 * TRAFFIC_LAT_SIGMA), hi = exp(pt.lat_mu + 3.5 * TRAFFIC_LAT_SIGMA);
			sum += pt.value * pt.count;
			cnt += pt.count;
			mn = fmin(mn, lo);
			mx = fmax(mx, hi);
			counts[n] = pt.count;
			mus[n] = pt.lat_mu;
		} else {
			sum += pt.value;
			cnt += 1;
			mn = fmin(mn, pt.value);
			mx = fmax(mx, pt.value);
		}
		vals[n++] = pt.value;
	}
	if (n == 0 || cnt <= 0) {
		ok = false;
	} else if (strcmp(stat, "Sum") == 0) {
		*out = sum;
	} else if (ref->events && sum > 0 && strcmp(stat, "SampleCount") == 0) {
		*out = sum; /* one datapoint per event */
	} else if (ref->events && sum > 0 && percentile_of(stat) < 0) {
		*out = 1; /* Average, Minimum, Maximum of datapoints of 1 */
	} else if (strcmp(stat, "Average") == 0) {
		*out = sum / cnt;
	} else if (strcmp(stat, "Minimum") == 0) {
		*out = mn;
	} else if (strcmp(stat, "Maximum") == 0) {
		*out = mx;
	} else if (strcmp(stat, "SampleCount") == 0) {
		*out = cnt;
	} else if ((p = percentile_of(stat)) >= 0) {
		if (latency) {
			*out = lognormal_mix_quantile(counts, mus, n, p);
		} else {
			size_t rank;
			qsort(vals, n, sizeof(*vals), cmp_double);
			rank = (size_t)ceil(p * (double)n);
			*out = vals[rank ? rank - 1 : 0];
		}
	} else {
		ok = false;
	}
	free(vals);
	free(counts);
	free(mus);
	return ok;
}
