/* traffic.h — the simulator's traffic model: what the metrics of the world are.
 *
 * Client traffic follows a daily shape (peak 14:00 in Seoul), deterministic noise
 * and short spikes, all derived from the seed and the sample index, so any
 * moment of the past can be recomputed without storing it. What the world looks
 * like (regions up, DNS shares, listener weights, target health, error rates,
 * ASG sizes, database roles) is kept as a log of snapshots, one per change, so a
 * sample at time t uses the state in effect at t. Time is cut into samples of
 * TRAFFIC_SAMPLE_S seconds; metrics.c aggregates samples into periods.
 */
#ifndef FD_SIM_TRAFFIC_H
#define FD_SIM_TRAFFIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/world.h"

#define TRAFFIC_SAMPLE_S 10
#define TRAFFIC_LOG_MAX 1024       /* snapshots kept (the oldest go first) */
#define TRAFFIC_LAT_SIGMA 0.45     /* log-normal spread of response times */

/* Every metric the model knows; the entity is a global index of the kind. */
enum traffic_metric {
	TM_LB_REQUESTS,       /* entity: load balancer */
	TM_LB_ELB5XX,
	TM_LB_TARGET5XX,
	TM_LB_LATENCY,
	TM_TG_REQUESTS,       /* entity: target group */
	TM_TG_TARGET5XX,
	TM_TG_LATENCY,
	TM_TG_HEALTHY,
	TM_TG_UNHEALTHY,
	TM_ASG_INSERVICE,     /* entity: auto scaling group */
	TM_ASG_DESIRED,
	TM_ASG_CPU,           /* AWS/EC2 CPUUtilization by AutoScalingGroupName */
	TM_DB_READLATENCY,    /* entity: database instance */
	TM_DB_REPLICALAG,
	TM_CACHE_CONNECTIONS, /* entity: region * 2 + node (two Redis nodes per region) */
	TM_CACHE_EVICTIONS,
	TM_CACHE_REPLICATION_LAG,   /* s, replicas only */
	TM_CACHE_ENGINE_CPU,        /* EngineCPUUtilization % */
	TM_CACHE_MEMORY,            /* DatabaseMemoryUsagePercentage */
	TM_CACHE_HITRATE,           /* CacheHitRate %, the primary only */
	TM_CF_REQUESTS,       /* entity: 0 (the one distribution) */
	TM_CF_HITRATE,
	TM_CF_4XX,            /* 4xxErrorRate (%) */
	TM_CF_5XX,            /* 5xxErrorRate (%): the origin group retries a failing origin on the other */
	TM_SESSION_LOSS,      /* entity: 0 */
	TM_COUNT
};

/* One sample of a metric: a datapoint (value) or, for response times, a set
 * of `count` requests with log-normal times (median exp(lat_mu)). */
struct traffic_point {
	bool present;
	bool latency;
	double value;
	double count;
	double lat_mu;
};

struct traffic;

/* A model for seed; free with traffic_destroy(). */
struct traffic *traffic_new(uint64_t seed);
void traffic_destroy(struct traffic *t);

/* Record the state of w at time now_s when it differs from the last record.
 * region_share[r] is the fraction of client traffic DNS sends to region r. */
void traffic_observe(struct traffic *t, const struct sim_world *w, double now_s,
		     const double *region_share);

/* Time of the last record (-1 when none). */
double traffic_last_s(const struct traffic *t);

/* Number of records in the log (tests). */
size_t traffic_log_len(const struct traffic *t);

/* The metric `m` of entity `e` for sample k (covering [k*S, (k+1)*S)). */
void traffic_sample(const struct traffic *t, enum traffic_metric m, size_t e, int64_t k,
		    struct traffic_point *out);

/* Client requests per second reaching CloudFront during sample k. */
double traffic_client_rate(const struct traffic *t, int64_t k);

/* Global indices of a world's entities (region-major order); -1 when absent. */
long traffic_tg_index(const struct sim_world *w, const struct sim_target_group *tg);
long traffic_lb_index(const struct sim_world *w, const struct sim_load_balancer *lb);
long traffic_asg_index(const struct sim_world *w, const struct sim_asg *g);
long traffic_db_index(const struct sim_world *w, const struct sim_db *db);

/* A deterministic uniform number in [0, 1) from the seed and three keys. */
double traffic_hash(uint64_t seed, uint64_t a, uint64_t b, uint64_t c);

#endif
