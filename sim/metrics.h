/* metrics.h — CloudWatch's view of the traffic model: metric names and
 * dimensions as AWS publishes them, and statistics over periods.
 *
 * AWS/ApplicationELB (LoadBalancer; TargetGroup+LoadBalancer): RequestCount,
 * HTTPCode_Target_5XX_Count, HTTPCode_ELB_5XX_Count, TargetResponseTime,
 * HealthyHostCount, UnHealthyHostCount. AWS/AutoScaling (AutoScalingGroupName):
 * GroupInServiceInstances, GroupDesiredCapacity; AWS/EC2 CPUUtilization by
 * AutoScalingGroupName. AWS/RDS (DBInstanceIdentifier): ReadLatency, ReplicaLag.
 * AWS/ElastiCache (CacheClusterId petclinic-redis-001 or -002, with or without
 * CacheNodeId 0001): CurrConnections, Evictions, ReplicationLag (replicas),
 * EngineCPUUtilization, DatabaseMemoryUsagePercentage, CacheHitRate (the primary).
 * AWS/CloudFront in us-east-1 (DistributionId, Region=Global): Requests,
 * CacheHitRate, 4xxErrorRate, 5xxErrorRate. PetClinic (no dimension):
 * SessionLossRate. Nothing is stored: every value is recomputed from the model.
 */
#ifndef FD_SIM_METRICS_H
#define FD_SIM_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/traffic.h"
#include "sim/world.h"

#define METRICS_DISTRIBUTION_ID "E1PC7QW5TZ0K9X"
#define METRICS_CACHE_CLUSTER "petclinic-redis-001"     /* node 0 of each region's group */
#define METRICS_CACHE_CLUSTER_2 "petclinic-redis-002"

struct metrics_dim {
	const char *name;
	const char *value;
};

/* A resolved metric: which model metric of which entity, its unit, and when its
 * data is published. AWS services publish one-minute data 60-120 s after the
 * minute ends (publish_min_s, publish_span_s: those seconds over the world's time
 * scale); a custom metric (PetClinic) is put by the application as it goes. */
struct metrics_ref {
	enum traffic_metric metric;
	size_t entity;
	const char *unit;   /* Count, Seconds, Percent */
	bool per_minute;    /* published a minute at a time, after a delay */
	bool events;        /* each event a datapoint of 1 (ALB request and HTTP code counts) */
	double publish_min_s, publish_span_s;
	uint64_t seed;
};

/* AWS's publishing delay of one-minute service metrics, in AWS's seconds. */
#define METRICS_PUBLISH_MIN_S 60.0
#define METRICS_PUBLISH_MAX_S 120.0

/* When sample k of ref is published (visible to GetMetricData and alarms). */
double metrics_published_s(const struct metrics_ref *ref, int64_t k);

/* Find the metric ns/name with exactly these dimensions in region; false when
 * CloudWatch would have no such metric (a query for it returns no data). */
bool metrics_resolve(const struct sim_world *w, const char *region, const char *ns,
		     const char *name, const struct metrics_dim *dims, size_t n_dims,
		     struct metrics_ref *out);

/* Is stat a statistic we compute (Sum, Average, Minimum, Maximum, SampleCount, pNN[.N])? */
bool metrics_stat_valid(const char *stat);

/* The statistic over [start_s, start_s + period_s), using only samples published
 * by now_s. Returns true and sets *out, or false when there is no data. */
bool metrics_stat(const struct traffic *t, const struct metrics_ref *ref, const char *stat,
		  int64_t start_s, int period_s, double now_s, double *out);

/* The value (CloudWatch dimension) of a load balancer / target group: the part
 * of the ARN after "loadbalancer/" / after the last ':' ("targetgroup/...").
 * Borrowed pointers into the ARN. */
const char *metrics_lb_dim(const char *lb_arn);
const char *metrics_tg_dim(const char *tg_arn);

#endif
