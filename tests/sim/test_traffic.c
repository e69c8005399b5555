/* test_traffic.c — the traffic model and CloudWatch statistics on a fixed world and seed. */
#include "sim/metrics.h"
#include "sim/traffic.h"

#include "tests/tap.h"
#include "tests/sim/miniworld.h"

#include <math.h>
#include <stdio.h>

#define T0 1764000000.0   /* 2025-11-24T16:00:00Z, a multiple of 60 */

static const double share_seoul[2] = { 1, 0 }, share_tokyo[2] = { 0, 1 };

/* A statistic of ns/name with dims in region over [start, start+period); NAN when none. */
static double stat(struct traffic *t, struct sim_world *w, const char *region, const char *ns,
		   const char *name, const struct metrics_dim *dims, size_t n, const char *st,
		   double start, int period)
{
	struct metrics_ref ref;
	double v;

	if (!metrics_resolve(w, region, ns, name, dims, n, &ref))
		return NAN;
	if (!metrics_stat(t, &ref, st, (int64_t)start, period, INFINITY, &v))   /* the model, published or not */
		return NAN;
	return v;
}

int main(void)
{
	struct sim_world *w = miniworld(T0);
	struct traffic *t = traffic_new(42), *t2 = traffic_new(42), *t3 = traffic_new(7);
	const char *lbdim = "app/petclinic-alb/00dc6c495c0c9188";
	struct metrics_dim lb[1] = { { "LoadBalancer", lbdim } };
	struct metrics_dim blue[2] = { { "TargetGroup", "targetgroup/petclinic-tg-blue/003a9b1c2d4e5f6a" },
				       { "LoadBalancer", lbdim } };
	struct metrics_dim green[2] = { { "TargetGroup", "targetgroup/petclinic-tg-green/013a9b1c2d4e5f6a" },
					{ "LoadBalancer", lbdim } };
	struct metrics_dim db1[1] = { { "DBInstanceIdentifier", "petclinic-db" } };
	struct metrics_dim db2[1] = { { "DBInstanceIdentifier", "petclinic-db-replica" } };
	struct metrics_dim cf[2] = { { "DistributionId", METRICS_DISTRIBUTION_ID }, { "Region", "Global" } };
	struct metrics_dim asg[1] = { { "AutoScalingGroupName", "petclinic-asg-was-blue" } };
	struct metrics_ref ref;
	double a, b, c, p50, p99, avg;
	char buf[64];

	traffic_observe(t, w, T0 - 3600, share_seoul);
	traffic_observe(t2, w, T0 - 3600, share_seoul);
	traffic_observe(t3, w, T0 - 3600, share_seoul);
	is_int(traffic_log_len(t), 1, "one snapshot");
	traffic_observe(t, w, T0 - 1800, share_seoul);
	is_int(traffic_log_len(t), 1, "an unchanged world adds no snapshot");

	/* golden values of the seeded model */
	snprintf(buf, sizeof(buf), "%.4f", traffic_client_rate(t, (int64_t)(T0 / 10)));
	is_str(buf, "91.5082", "client rate at T0 (seed 42)");
	a = stat(t, w, "us-east-1", "AWS/CloudFront", "Requests", cf, 2, "Sum", T0 - 600, 60);
	is_int((long)a, 5315, "CloudFront Requests Sum of a minute (seed 42)");
	ok(fabs(traffic_client_rate(t, 12345) - traffic_client_rate(t2, 12345)) == 0, "same seed, same traffic");
	ok(traffic_client_rate(t, 12345) != traffic_client_rate(t3, 12345), "another seed, other traffic");
	ok(isnan(stat(t, w, "ap-northeast-2", "AWS/CloudFront", "Requests", cf, 2, "Sum", T0 - 600, 60)),
	   "CloudFront metrics only in us-east-1");

	/* the load balancer's requests are the sum of its target groups' */
	a = stat(t, w, "ap-northeast-2", "AWS/ApplicationELB", "RequestCount", lb, 1, "Sum", T0 - 600, 300);
	b = stat(t, w, "ap-northeast-2", "AWS/ApplicationELB", "RequestCount", blue, 2, "Sum", T0 - 600, 300);
	c = stat(t, w, "ap-northeast-2", "AWS/ApplicationELB", "RequestCount", green, 2, "Sum", T0 - 600, 300);
	is_int((long)a, (long)(b + c), "LB RequestCount = blue + green");
	is_int((long)c, 0, "green gets nothing at weight 0");
	ok(a > 1000, "Seoul serves traffic (%g in 5 min)", a);
	a = stat(t, w, "ap-northeast-1", "AWS/ApplicationELB", "RequestCount",
		 (struct metrics_dim[]){ { "LoadBalancer", "app/petclinic-alb/10dc6c495c0c9188" } }, 1,
		 "Sum", T0 - 600, 300);
	is_int((long)a, 450, "Tokyo sees only health checkers (1.5/s)");
	a = stat(t, w, "ap-northeast-2", "AWS/ApplicationELB", "HealthyHostCount", blue, 2, "Minimum", T0 - 600, 60);
	is_int((long)a, 2, "HealthyHostCount");
	a = stat(t, w, "ap-northeast-2", "AWS/AutoScaling", "GroupInServiceInstances", asg, 1, "Average", T0 - 600, 60);
	is_int((long)a, 2, "GroupInServiceInstances");
	a = stat(t, w, "ap-northeast-2", "AWS/EC2", "CPUUtilization", asg, 1, "Average", T0 - 600, 300);
	b = stat(t, w, "ap-northeast-2", "AWS/EC2", "CPUUtilization",
		 (struct metrics_dim[]){ { "AutoScalingGroupName", "petclinic-asg-was-green" } }, 1, "Average", T0 - 600, 300);
	ok(a > 15 && a < 100 && b > 4 && b < 8, "CPU follows the served requests: blue %g %%, idle green %g %%", a, b);
	/* CloudWatch names a series by namespace, name and every dimension: Evictions
	 * exists only per CacheClusterId (and CacheNodeId), never without dimensions.
	 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Dimension
	 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html */
	ok(!metrics_resolve(w, "ap-northeast-2", "AWS/ElastiCache", "Evictions", NULL, 0, &ref),
	   "Evictions without a dimension: no such series");
	ok(!isnan(stat(t, w, "ap-northeast-2", "AWS/ElastiCache", "Evictions",
		       (struct metrics_dim[]){ { "CacheClusterId", "petclinic-redis-001" } }, 1, "Sum", T0 - 600, 60)),
	   "Evictions of the region's cluster by CacheClusterId");
	ok(!metrics_resolve(w, "ap-northeast-2", "AWS/ApplicationELB", "RequestCount",
			    (struct metrics_dim[]){ { "LoadBalancer", "app/nope/1" } }, 1, &ref), "unknown LB: no metric");
	ok(!metrics_resolve(w, "ap-northeast-2", "AWS/ApplicationELB", "HealthyHostCount", lb, 1, &ref),
	   "HealthyHostCount has no LB-only dimension set");

	/* latency statistics are ordered */
	p50 = stat(t, w, "ap-northeast-2", "AWS/ApplicationELB", "TargetResponseTime", lb, 1, "p50", T0 - 600, 60);
	p99 = stat(t, w, "ap-northeast-2", "AWS/ApplicationELB", "TargetResponseTime", lb, 1, "p99", T0 - 600, 60);
	avg = stat(t, w, "ap-northeast-2", "AWS/ApplicationELB", "TargetResponseTime", lb, 1, "Average", T0 - 600, 60);
	ok(p50 > 0.03 && p50 < 0.2, "p50 plausible (%g)", p50);
	ok(p99 > 2.5 * p50 && p99 < 3.2 * p50, "p99 ~ p50 * exp(2.33 sigma) (%g)", p99);
	ok(avg > p50 && avg < p99, "p50 < avg < p99");

	/* read replica is >= 30% faster than the primary */
	a = stat(t, w, "ap-northeast-2", "AWS/RDS", "ReadLatency", db1, 1, "Average", T0 - 3600, 3600);
	b = stat(t, w, "ap-northeast-1", "AWS/RDS", "ReadLatency", db2, 1, "Average", T0 - 3600, 3600);
	ok(b <= 0.7 * a, "replica ReadLatency %g <= 70%% of primary %g", b, a);
	ok(isnan(stat(t, w, "ap-northeast-2", "AWS/RDS", "ReplicaLag", db1, 1, "Maximum", T0 - 600, 60)),
	   "no ReplicaLag on the primary");
	a = stat(t, w, "ap-northeast-1", "AWS/RDS", "ReplicaLag", db2, 1, "Maximum", T0 - 600, 60);
	ok(a >= 0.2 && a < 0.8, "ReplicaLag of the replica (%g)", a);

	/* cutover: 50/50 weights split requests; no session is lost */
	mw_rules[0].fwd[0].weight = 50;
	mw_rules[0].fwd[1].weight = 50;
	traffic_observe(t, w, T0, share_seoul);
	is_int(traffic_log_len(t), 2, "a changed world adds a snapshot");
	b = stat(t, w, "ap-northeast-2", "AWS/ApplicationELB", "RequestCount", blue, 2, "Sum", T0, 300);
	c = stat(t, w, "ap-northeast-2", "AWS/ApplicationELB", "RequestCount", green, 2, "Sum", T0, 300);
	ok(fabs(b - c) < 0.1 * (b + c), "weighted forward splits requests (%g / %g)", b, c);
	a = stat(t, w, "ap-northeast-2", "PetClinic", "SessionLossRate", NULL, 0, "Maximum", T0 - 60, 120);
	is_int((long)(a * 1000), 0, "no session lost in a blue-green cutover");

	/* bad deploy on green: its 5xx follow the error rate */
	mw_tgs[0][1].error_rate = 0.5;
	traffic_observe(t, w, T0 + 600, share_seoul);
	a = stat(t, w, "ap-northeast-2", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", green, 2, "Sum", T0 + 600, 300);
	c = stat(t, w, "ap-northeast-2", "AWS/ApplicationELB", "RequestCount", green, 2, "Sum", T0 + 600, 300);
	ok(fabs(a / c - 0.5) < 0.05, "green 5xx ~ 50%% of its requests (%g / %g)", a, c);
	b = stat(t, w, "ap-northeast-2", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, 1, "Sum", T0 + 600, 300);
	ok(b >= a, "LB target 5xx include green's");

	/* outage: Seoul down, targets unhealthy: ELB 5xx, no healthy hosts */
	mw_regions[0].up = false;
	for (int c2 = 0; c2 < 2; c2++)
		for (int i = 0; i < 2; i++)
			mw_targets[0][c2][i].state = SIM_TH_UNHEALTHY;
	traffic_observe(t, w, T0 + 1200, share_seoul);
	a = stat(t, w, "ap-northeast-2", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, 1, "Sum", T0 + 1200, 60);
	b = stat(t, w, "ap-northeast-2", "AWS/ApplicationELB", "RequestCount", lb, 1, "Sum", T0 + 1200, 60);
	is_int((long)a, (long)b, "every request fails with an ELB 5xx during the outage");
	a = stat(t, w, "ap-northeast-1", "AWS/RDS", "ReplicaLag", db2, 1, "Maximum", T0 + 1200 + 240, 60);
	ok(a >= 300 && a < 301, "the replica falls behind while its source is down (%g s after 5 min)", a);
	a = stat(t, w, "ap-northeast-2", "AWS/ApplicationELB", "HealthyHostCount", blue, 2, "Maximum", T0 + 1200, 60);
	is_int((long)a, 0, "no healthy host during the outage");
	ok(isnan(stat(t, w, "ap-northeast-2", "AWS/ApplicationELB", "TargetResponseTime", lb, 1, "p99", T0 + 1200, 60)),
	   "no response times when nothing answers");

	/* failover: DNS moves to Tokyo: Tokyo serves, sessions are lost once */
	traffic_observe(t, w, T0 + 1800, share_tokyo);
	a = stat(t, w, "ap-northeast-1", "AWS/ApplicationELB", "RequestCount",
		 (struct metrics_dim[]){ { "LoadBalancer", "app/petclinic-alb/10dc6c495c0c9188" } }, 1,
		 "Sum", T0 + 1800, 300);
	ok(a > 1000, "Tokyo serves after failover (%g)", a);
	a = stat(t, w, "ap-northeast-2", "PetClinic", "SessionLossRate", NULL, 0, "Maximum", T0 + 1800, 60);
	is_int((long)a, 100, "sessions of the moved requests are lost");
	a = stat(t, w, "ap-northeast-2", "PetClinic", "SessionLossRate", NULL, 0, "Maximum", T0 + 1860, 60);
	is_int((long)a, 0, "and only once");

	/* Tokyo's Redis fails over to a replica not in sync: its sessions are lost; the
	 * users come back over minutes, the store refills over the session lifetime
	 * https://docs.aws.amazon.com/AmazonElastiCache/latest/red-ug/CacheMetrics.Redis.html */
	{
		struct metrics_dim n1[1] = { { "CacheClusterId", "petclinic-redis-001" } };
		struct metrics_dim n2[2] = { { "CacheClusterId", "petclinic-redis-002" }, { "CacheNodeId", "0001" } };
		double before = stat(t, w, "ap-northeast-1", "AWS/ElastiCache", "DatabaseMemoryUsagePercentage", n1, 1,
				     "Average", T0 + 1860, 60);
		ok(stat(t, w, "ap-northeast-1", "AWS/ElastiCache", "CacheHitRate", n1, 1, "Average", T0 + 1860, 60) > 90,
		   "the primary's CacheHitRate above 90 %% before");
		ok(isnan(stat(t, w, "ap-northeast-1", "AWS/ElastiCache", "CacheHitRate", n2, 2, "Average", T0 + 1860, 60)),
		   "none on the replica");
		ok(isnan(stat(t, w, "ap-northeast-1", "AWS/ElastiCache", "ReplicationLag", n1, 1, "Maximum", T0 + 1860, 60)) &&
		   stat(t, w, "ap-northeast-1", "AWS/ElastiCache", "ReplicationLag", n2, 2, "Maximum", T0 + 1860, 60) < 1,
		   "ReplicationLag on the replica only");
		mw_regions[1].redis.losses = 1;
		traffic_observe(t, w, T0 + 2400, share_tokyo);
		a = stat(t, w, "ap-northeast-2", "PetClinic", "SessionLossRate", NULL, 0, "Maximum", T0 + 2400, 60);
		ok(a > 50 && a <= 90, "a Redis store losing its sessions: SessionLossRate %g %%", a);
		a = stat(t, w, "ap-northeast-2", "PetClinic", "SessionLossRate", NULL, 0, "Maximum", T0 + 2400 + 1200, 60);
		is_int((long)(a * 1000), 0, "none 20 minutes later");
		a = stat(t, w, "ap-northeast-1", "AWS/ElastiCache", "CacheHitRate", n1, 1, "Average", T0 + 2400, 60);
		ok(a < 80, "the primary's CacheHitRate below 80 %% that minute (%g)", a);
		a = stat(t, w, "ap-northeast-1", "AWS/ElastiCache", "DatabaseMemoryUsagePercentage", n1, 1, "Average",
			 T0 + 2460, 60);
		ok(a < before / 2, "its memory emptied (%g %%, %g %% before)", a, before);
		is_int((long)stat(t, w, "ap-northeast-1", "AWS/ElastiCache", "Evictions", n1, 1, "Sum", T0 + 2400, 60), 0,
		       "no evictions: the keys were lost, not evicted");
		/* cloudfront-5xx: CloudFront's own errors are in 5xxErrorRate from then on */
		w->cdn_error_rate = 0.4;
		traffic_observe(t, w, T0 + 3000, share_tokyo);
		a = stat(t, w, "us-east-1", "AWS/CloudFront", "5xxErrorRate", cf, 2, "Average", T0 + 3000, 60);
		ok(a >= 40 && a < 40.1, "cloudfront-5xx:0.4: 5xxErrorRate %g %%", a);
		a = stat(t, w, "us-east-1", "AWS/CloudFront", "5xxErrorRate", cf, 2, "Average", T0 + 2940, 60);
		ok(a < 0.1, "not the minute before (%g %%)", a);
	}

	/* the past stays as it was */
	c = stat(t, w, "ap-northeast-2", "AWS/ApplicationELB", "RequestCount", green, 2, "Sum", T0 - 600, 300);
	is_int((long)c, 0, "history before the cutover is unchanged");
	ok(!metrics_stat_valid("p1000") && metrics_stat_valid("p99.9") && !metrics_stat_valid("Avg"),
	   "statistic names");

	traffic_destroy(t);
	traffic_destroy(t2);
	traffic_destroy(t3);
	return done_testing();
}
