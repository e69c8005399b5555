/* alarms.c — CloudWatch alarm evaluation and history (see alarms.h). */
#include "sim/alarms.h"

#include "base/xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CATCH_UP 360   /* boundaries evaluated at most per call and alarm */

/* A comparison operator: its name and how CloudWatch words it in reasons. */
struct comparison {
	const char *name;
	const char *words;
	int sign;       /* 1: value above, -1: value below */
	bool equal;     /* threshold itself breaches */
};

static const struct comparison comparisons[] = {
	{ "GreaterThanThreshold", "greater than", 1, false },
	{ "GreaterThanOrEqualToThreshold", "greater than or equal to", 1, true },
	{ "LessThanThreshold", "less than", -1, false },
	{ "LessThanOrEqualToThreshold", "less than or equal to", -1, true },
	{ NULL, NULL, 0, false },
};

/* The row of comparisons for name (the first when unknown). */
static const struct comparison *comparison_of(const char *name)
{
	for (const struct comparison *c = comparisons; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return comparisons;
}

/* Does v breach the alarm's threshold? */
static bool breaches(const struct alarm *al, double v)
{
	const struct comparison *c = comparison_of(al->comparison);

	if (v == al->threshold)
		return c->equal;
	return c->sign > 0 ? v > al->threshold : v < al->threshold;
}

/* ISO 8601 as CloudWatch writes it in reason data: 2026-11-24T06:30:00.000+0000. */
static void iso_reason(double t_s, char out[40])
{
	time_t t = (time_t)floor(t_s);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, 40, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+0000", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)((t_s - floor(t_s)) * 1000) % 1000);
}

/* "dd/MM/yy HH:mm:ss" as in CloudWatch's state reasons. */
static void short_time(double t_s, char out[24])
{
	time_t t = (time_t)t_s;
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, 24, "%02d/%02d/%02d %02d:%02d:%02d", tm.tm_mday, tm.tm_mon + 1, tm.tm_year % 100,
		 tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Record a history item for alarm i (data is stolen). */
static void history_add(struct alarms *a, size_t i, double t_s, const char *type,
			const char *summary, char *data)
{
	struct alarm_history *h;

	if (a->n_history == ALARMS_HISTORY_MAX) {
		free(a->history[0].data);
		memmove(a->history, a->history + 1, (a->n_history - 1) * sizeof(*a->history));
		a->n_history--;
	}
	if (a->n_history == a->cap_history) {
		a->cap_history = a->cap_history ? a->cap_history * 2 : 32;
		a->history = xrealloc(a->history, a->cap_history * sizeof(*a->history));
	}
	h = &a->history[a->n_history++];
	h->alarm = i;
	h->t_s = t_s;
	snprintf(h->type, sizeof(h->type), "%s", type);
	snprintf(h->summary, sizeof(h->summary), "%s", summary);
	h->data = data;
}

/* Move alarm i to state with reason and reason data, recording the transition. */
static void set_state(struct alarms *a, size_t i, const char *state, const char *reason,
		      const char *reason_data, double t_s)
{
	struct alarm *al = &a->items[i];
	json_t *d;
	char summary[200], *dump;

	if (strcmp(al->state, state) == 0)
		return;
	if (t_s < al->config_updated_s)   /* the first evaluation looks back before creation */
		t_s = al->config_updated_s;
	d = json_pack("{s:s, s:{s:s, s:s}, s:{s:s, s:s}}", "version", "1.0",
		      "oldState", "stateValue", al->state, "stateReason", al->reason,
		      "newState", "stateValue", state, "stateReason", reason);
	if (reason_data && *reason_data) {
		json_t *rd = json_loads(reason_data, 0, NULL);
		if (rd)
			json_object_set_new(json_object_get(d, "newState"), "stateReasonData", rd);
	}
	dump = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(d);
	snprintf(summary, sizeof(summary), "Alarm updated from %s to %s", al->state, state);
	history_add(a, i, t_s, "StateUpdate", summary, dump);
	snprintf(al->state, sizeof(al->state), "%s", state);
	snprintf(al->reason, sizeof(al->reason), "%s", reason);
	snprintf(al->reason_data, sizeof(al->reason_data), "%s", reason_data ? reason_data : "");
	al->state_updated_s = al->state_transitioned_s = t_s;
}

const char *alarms_decide(const int *dp, int range, int n, int m, const char *treat_missing)
{
	int present = 0, breach = 0, used = 0, used_breach = 0, oldest = -1;
	bool all_breach = true;

	for (int k = 0; k < range; k++) {
		if (dp[k] == ALARMS_DP_MISSING)
			continue;
		present++;
		breach += dp[k] == ALARMS_DP_BREACHING;
		all_breach &= dp[k] == ALARMS_DP_BREACHING;
		if (used < n) {   /* the n most recent real datapoints */
			used++;
			used_breach += dp[k] == ALARMS_DP_BREACHING;
		}
		if (k < n)
			oldest = k;
	}
	if (present >= n)   /* enough real datapoints: missing ones do not matter */
		return used_breach >= m ? "ALARM" : "OK";
	/* fewer real datapoints than EvaluationPeriods: fill in as few as possible */
	if (strcmp(treat_missing, "breaching") == 0)
		return breach + (n - present) >= m ? "ALARM" : "OK";
	if (strcmp(treat_missing, "notBreaching") == 0)
		return breach >= m ? "ALARM" : "OK";
	/* missing / ignore */
	if (present == 0)
		return strcmp(treat_missing, "ignore") == 0 ? NULL : "INSUFFICIENT_DATA";
	if (all_breach) {
		/* "premature" ALARM: the oldest breaching datapoint within the evaluation
		 * periods is at least DatapointsToAlarm old and the rest are missing */
		if (strcmp(treat_missing, "missing") == 0 && oldest + 1 >= m)
			return "ALARM";
		return breach >= m ? "ALARM" : NULL;
	}
	return breach >= m ? "ALARM" : "OK";
}

/* The evaluation range of an alarm: EvaluationPeriods and the extra datapoints
 * CloudWatch retrieves in case some are missing (2 in AWS's examples; 3 extra
 * minutes for 10 s and 30 s periods, whose one-minute data comes late). */
static int eval_range(const struct alarm *al)
{
	int r = al->evaluation_periods + (al->period_s >= 60 ? 2 : (180 + al->period_s - 1) / al->period_s);

	return r > 64 ? 64 : r;
}

/* Evaluate alarm i at time E over the datapoints published by then. */
static void evaluate(struct alarms *a, size_t i, const struct traffic *t, double E)
{
	struct alarm *al = &a->items[i];
	int n = al->evaluation_periods > 64 ? 64 : al->evaluation_periods, range = eval_range(al);
	int dp[64], present = 0, shown = 0, counted = 0;
	double vals[64], last_end = floor(E / al->period_s) * al->period_s;
	char reason[600], when[24], qdate[40], sdate[40], *rd;
	size_t len;
	json_t *data, *recent, *evaluated;
	const char *words = comparison_of(al->comparison)->words;
	const char *state;
	bool alarm;

	if (range < n)
		range = n;
	for (int k = 0; k < range; k++) {   /* k = 0 is the most recent period */
		double start = last_end - (double)(k + 1) * al->period_s;
		dp[k] = ALARMS_DP_MISSING;
		if (al->resolved && metrics_stat(t, &al->ref, al->stat, (int64_t)start, al->period_s, E, &vals[k])) {
			dp[k] = breaches(al, vals[k]) ? ALARMS_DP_BREACHING : ALARMS_DP_OK;
			present++;
		}
	}
	state = alarms_decide(dp, range, n, al->datapoints_to_alarm, al->treat_missing);
	if (!state)
		return;
	if (strcmp(state, "INSUFFICIENT_DATA") == 0) {
		snprintf(reason, sizeof(reason), "Insufficient Data: %d datapoint%s %s unknown.", n,
			 n == 1 ? "" : "s", n == 1 ? "was" : "were");
		set_state(a, i, state, reason, "", E);
		return;
	}
	alarm = strcmp(state, "ALARM") == 0;
	if (present == 0) {
		int filled = strcmp(al->treat_missing, "breaching") == 0;
		snprintf(reason, sizeof(reason), "Threshold Crossed: no datapoints were received for %d period%s and %d missing datapoint%s %s treated as [%s].",
			 n, n == 1 ? "" : "s", n, n == 1 ? "" : "s", n == 1 ? "was" : "were",
			 filled ? "Breaching" : "NonBreaching");
		set_state(a, i, state, reason, "", E);
		return;
	}
	/* reason: the real datapoints that made the decision, most recent first */
	for (int k = 0; k < range && shown < n; k++)
		if (dp[k] != ALARMS_DP_MISSING) {
			shown++;
			counted += (dp[k] == ALARMS_DP_BREACHING) == alarm;
		}
	len = (size_t)snprintf(reason, sizeof(reason), "Threshold Crossed: %d out of the last %d datapoints [",
			       counted, n);
	for (int k = 0, first = 1, listed = 0; k < range && listed < shown && len < sizeof(reason) - 64; k++) {
		if (dp[k] == ALARMS_DP_MISSING)
			continue;
		listed++;
		if ((dp[k] == ALARMS_DP_BREACHING) != alarm)
			continue;
		short_time(last_end - (double)(k + 1) * al->period_s, when);
		len += (size_t)snprintf(reason + len, sizeof(reason) - len, "%s%.1f (%s)", first ? "" : ", ",
					vals[k], when);
		first = 0;
	}
	snprintf(reason + len, sizeof(reason) - len, "] %s %s%s the threshold (%.1f) (minimum %d datapoint%s for %s transition).",
		 alarm ? "were" : "were not", words, "", al->threshold, alarm ? al->datapoints_to_alarm : 1,
		 (alarm ? al->datapoints_to_alarm : 1) == 1 ? "" : "s", alarm ? "OK -> ALARM" : "ALARM -> OK");
	iso_reason(E, qdate);
	iso_reason(last_end - (double)range * al->period_s, sdate);
	recent = json_array();
	evaluated = json_array();
	for (int k = range - 1; k >= 0; k--)
		if (dp[k] != ALARMS_DP_MISSING)
			json_array_append_new(recent, json_real(vals[k]));
	for (int k = 0, listed = 0; k < range && listed < shown; k++) {
		char ts[40];
		if (dp[k] == ALARMS_DP_MISSING)
			continue;
		listed++;
		iso_reason(last_end - (double)(k + 1) * al->period_s, ts);
		json_array_append_new(evaluated, json_pack("{s:s, s:f}", "timestamp", ts, "value", vals[k]));
	}
	data = json_pack("{s:s, s:s, s:s, s:s, s:i, s:o, s:f, s:o}", "version", "1.0", "queryDate", qdate,
			 "startDate", sdate, al->stat[0] == 'p' ? "extendedStatistic" : "statistic", al->stat,
			 "period", al->period_s, "recentDatapoints", recent, "threshold", al->threshold,
			 "evaluatedDatapoints", evaluated);
	rd = json_dumps(data, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(data);
	set_state(a, i, state, reason, rd, E);
	free(rd);
}

/* How often an alarm is evaluated: "For any period of one minute or longer, an
 * alarm is evaluated every minute"; "If the alarm period is 10 seconds or 30
 * seconds, the alarm is evaluated every 10 seconds." */
static double eval_every_s(const struct alarm *al)
{
	return al->period_s >= 60 ? 60 : 10;
}

void alarms_update(struct alarms *a, const struct traffic *t, double now_s)
{
	for (size_t i = 0; i < a->n; i++) {
		struct alarm *al = &a->items[i];
		double S = eval_every_s(al), E = floor(al->evaluated_s / S) * S + S;
		if ((now_s - E) / S > MAX_CATCH_UP)
			E = floor(now_s / S) * S - MAX_CATCH_UP * S;
		for (; E <= now_s; E += S) {
			evaluate(a, i, t, E);
			al->evaluated_s = E;
		}
	}
}

size_t alarms_add(struct alarms *a, const struct sim_world *w, const struct alarm *def, double now_s)
{
	struct alarm *al;
	struct metrics_dim dims[ALARMS_DIMS_MAX];
	char summary[200];
	json_t *d;
	size_t i = a->n;

	a->items = xrealloc(a->items, (a->n + 1) * sizeof(*a->items));
	al = &a->items[a->n++];
	*al = *def;
	snprintf(al->arn, sizeof(al->arn), "arn:aws:cloudwatch:%s:%s:alarm:%s", al->region, w->account, al->name);
	snprintf(al->state, sizeof(al->state), "INSUFFICIENT_DATA");
	snprintf(al->reason, sizeof(al->reason), "Unchecked: Initial alarm creation");
	al->reason_data[0] = '\0';
	al->state_updated_s = al->state_transitioned_s = al->config_updated_s = now_s;
	al->evaluated_s = floor(now_s / eval_every_s(al)) * eval_every_s(al) - eval_every_s(al);
	for (size_t k = 0; k < al->n_dims; k++) {
		dims[k].name = al->dim_names[k];
		dims[k].value = al->dim_values[k];
	}
	al->resolved = metrics_resolve(w, al->region, al->ns, al->metric, dims, al->n_dims, &al->ref);
	if (al->resolved)
		snprintf(al->unit, sizeof(al->unit), "%s", al->ref.unit);
	d = json_pack("{s:s, s:s, s:{s:s, s:s}}", "version", "1.0", "type", "Create", "createdAlarm",
		      "alarmName", al->name, "stateValue", al->state);
	snprintf(summary, sizeof(summary), "Alarm \"%s\" created", al->name);
	history_add(a, i, now_s, "ConfigurationUpdate", summary, json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER));
	json_decref(d);
	return i;
}

/* Fill def with an alarm on ns/metric with one or two dimensions. */
static void define(struct alarm *def, const char *region, const char *name, const char *description,
		   const char *ns, const char *metric, const char *stat, int period_s, int ep, int dta,
		   const char *cmp, double threshold, const char *treat_missing)
{
	memset(def, 0, sizeof(*def));
	snprintf(def->region, sizeof(def->region), "%s", region);
	snprintf(def->name, sizeof(def->name), "%s", name);
	snprintf(def->description, sizeof(def->description), "%s", description);
	snprintf(def->ns, sizeof(def->ns), "%s", ns);
	snprintf(def->metric, sizeof(def->metric), "%s", metric);
	snprintf(def->stat, sizeof(def->stat), "%s", stat);
	def->period_s = period_s;
	def->evaluation_periods = ep;
	def->datapoints_to_alarm = dta;
	snprintf(def->comparison, sizeof(def->comparison), "%s", cmp);
	def->threshold = threshold;
	snprintf(def->treat_missing, sizeof(def->treat_missing), "%s", treat_missing);
}

/* Add a dimension to def. */
static void add_dim(struct alarm *def, const char *name, const char *value)
{
	if (def->n_dims == ALARMS_DIMS_MAX)
		return;
	snprintf(def->dim_names[def->n_dims], sizeof(def->dim_names[0]), "%s", name);
	snprintf(def->dim_values[def->n_dims], sizeof(def->dim_values[0]), "%s", value);
	def->n_dims++;
}

struct alarms *alarms_new(const struct sim_world *w, const struct traffic *t, double now_s)
{
	struct alarms *a = xcalloc(1, sizeof(*a));
	struct alarm def;
	char name[128];

	for (size_t r = 0; r < w->n_regions; r++) {
		const struct sim_region *rg = &w->regions[r];
		const char *rn = rg->name;
		if (rg->n_lbs) {
			const char *lb = metrics_lb_dim(rg->lbs[0].arn);
			snprintf(name, sizeof(name), "petclinic-%s-target-5xx", rn);
			define(&def, rn, name, "Application errors behind the ALB", "AWS/ApplicationELB",
			       "HTTPCode_Target_5XX_Count", "Sum", 10, 3, 2, "GreaterThanThreshold", 10, "notBreaching");
			add_dim(&def, "LoadBalancer", lb);
			alarms_add(a, w, &def, now_s);
			snprintf(name, sizeof(name), "petclinic-%s-elb-5xx", rn);
			define(&def, rn, name, "The ALB answers 5xx itself (no healthy target)", "AWS/ApplicationELB",
			       "HTTPCode_ELB_5XX_Count", "Sum", 10, 3, 2, "GreaterThanThreshold", 10, "notBreaching");
			add_dim(&def, "LoadBalancer", lb);
			alarms_add(a, w, &def, now_s);
			snprintf(name, sizeof(name), "petclinic-%s-p99-latency", rn);
			define(&def, rn, name, "p99 response time above 1 s", "AWS/ApplicationELB",
			       "TargetResponseTime", "p99", 60, 3, 3, "GreaterThanThreshold", 1.0, "missing");
			add_dim(&def, "LoadBalancer", lb);
			alarms_add(a, w, &def, now_s);
			for (size_t i = 0; i < rg->n_tgs; i++) {
				snprintf(name, sizeof(name), "petclinic-%s-%s-unhealthy", rn, rg->tgs[i].name);
				define(&def, rn, name, "Targets failing ALB health checks", "AWS/ApplicationELB",
				       "UnHealthyHostCount", "Maximum", 10, 3, 3, "GreaterThanOrEqualToThreshold", 1,
				       "missing");
				add_dim(&def, "TargetGroup", metrics_tg_dim(rg->tgs[i].arn));
				add_dim(&def, "LoadBalancer", lb);
				alarms_add(a, w, &def, now_s);
			}
		}
		for (size_t i = 0; i < rg->n_dbs; i++) {
			if (rg->dbs[i].role != SIM_DB_REPLICA)
				continue;
			snprintf(name, sizeof(name), "petclinic-%s-%s-replica-lag", rn, rg->dbs[i].id);
			define(&def, rn, name, "Read replica more than 30 s behind", "AWS/RDS", "ReplicaLag",
			       "Maximum", 60, 3, 2, "GreaterThanThreshold", 30, "notBreaching");
			add_dim(&def, "DBInstanceIdentifier", rg->dbs[i].id);
			alarms_add(a, w, &def, now_s);
		}
		if (rg->primary) {
			define(&def, rn, "petclinic-session-loss", "Sessions lost (target: 0 %)", "PetClinic",
			       "SessionLossRate", "Maximum", 60, 1, 1, "GreaterThanThreshold", 0, "notBreaching");
			alarms_add(a, w, &def, now_s);
		}
	}
	alarms_update(a, t, now_s);
	return a;
}

void alarms_destroy(struct alarms *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n_history; i++)
		free(a->history[i].data);
	free(a->history);
	free(a->items);
	free(a);
}
