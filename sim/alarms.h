/* alarms.h — CloudWatch metric alarms of the simulated world and their history.
 *
 * The petclinic alarms are made from the world's shape (per region: target 5xx,
 * ELB 5xx, p99 response time, unhealthy hosts per target group; replica lag;
 * session loss). alarms_update() evaluates every alarm as CloudWatch does: every
 * minute (every 10 s for 10 s and 30 s periods) over the datapoints published by
 * then, M out of N with the documented treatment of missing data (the evaluation
 * range, "premature" ALARM), and records state transitions in the history.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
 */
#ifndef FD_SIM_ALARMS_H
#define FD_SIM_ALARMS_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/metrics.h"
#include "sim/traffic.h"
#include "sim/world.h"

#define ALARMS_DIMS_MAX 2
#define ALARMS_HISTORY_MAX 2000

struct alarm {
	char name[128];
	char arn[SIM_ARN_MAX];
	char region[32];
	char description[160];
	char ns[32];
	char metric[48];
	char dim_names[ALARMS_DIMS_MAX][32];
	char dim_values[ALARMS_DIMS_MAX][160];
	size_t n_dims;
	char stat[16];               /* Sum, Maximum, p99 ... */
	int period_s;
	int evaluation_periods;
	int datapoints_to_alarm;
	double threshold;
	char comparison[48];         /* GreaterThanThreshold, ... */
	char treat_missing[16];      /* missing, notBreaching, breaching, ignore */
	char unit[16];
	char state[20];              /* OK, ALARM, INSUFFICIENT_DATA */
	char reason[600];
	char reason_data[1200];      /* JSON */
	double state_updated_s;
	double state_transitioned_s;
	double config_updated_s;
	double evaluated_s;          /* the last evaluation */
	struct metrics_ref ref;
	bool resolved;
};

struct alarm_history {
	size_t alarm;                /* index into alarms */
	double t_s;
	char type[24];               /* StateUpdate, ConfigurationUpdate */
	char summary[200];
	char *data;                  /* JSON (owned) */
};

struct alarms {
	struct alarm *items;
	size_t n;
	struct alarm_history *history;   /* oldest first */
	size_t n_history, cap_history;
};

/* The petclinic alarms for w (account, regions, target groups, databases),
 * evaluated once at now_s. Free with alarms_destroy(). */
struct alarms *alarms_new(const struct sim_world *w, const struct traffic *t, double now_s);
void alarms_destroy(struct alarms *a);

/* Add one alarm (state INSUFFICIENT_DATA until evaluated); returns its index. */
size_t alarms_add(struct alarms *a, const struct sim_world *w, const struct alarm *def, double now_s);

/* Evaluate every alarm at each of its evaluation times in (evaluated_s, now_s]. */
void alarms_update(struct alarms *a, const struct traffic *t, double now_s);

/* The decision of one evaluation (CloudWatch's "how alarm state is evaluated when
 * data is missing"): dp[0..range) are the datapoints of the evaluation range,
 * newest first, each ALARMS_DP_MISSING, ALARMS_DP_OK or ALARMS_DP_BREACHING; n is
 * EvaluationPeriods, m DatapointsToAlarm. Returns "ALARM", "OK",
 * "INSUFFICIENT_DATA", or NULL to keep the current state. */
enum { ALARMS_DP_MISSING = -1, ALARMS_DP_OK = 0, ALARMS_DP_BREACHING = 1 };
const char *alarms_decide(const int *dp, int range, int n, int m, const char *treat_missing);

#endif
