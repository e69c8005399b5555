/* collector.c — panels refreshed on their own timers through async calls (see collector.h).
 *
 * A refresh of one panel is a job: it queues its first calls, each completion
 * may queue more (load balancers -> listeners -> rules), and when the last call
 * of the job completes the staged data is swapped into the model. A failed
 * list call keeps the model's old data; a failed sub-call (one target group's
 * health) carries the old sub-data over. Call kinds are a table of handlers.
 */
#include "model/collector.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "model/measure.h"
#include "model/parse.h"
#include "model/targets.h"

#define MAX_BACKOFF 8           /* throttling multiplies an interval up to this */
#define METRIC_BATCH 100        /* GetMetricData queries per call */
#define MAX_ZONES 5             /* zones read when none is configured */
#define MAX_SENDING 16          /* calls handed to the client at once: bounds memory and API rate */
#define JOB_GLOBAL ((size_t)-1)

enum call_kind {
	K_LBS, K_LISTENERS, K_RULES, K_TGS, K_HEALTH,
	K_ASGS, K_ACTIVITIES, K_POLICIES, K_FORECAST,
	K_ALARMS, K_HISTORY,
	K_DBS,
	K_GRAPH, K_TRACES,
	K_MET_BUILTIN, K_MET_PANEL, K_MET_TARGET,
	K_HCS, K_HC_STATUS, K_ZONES, K_RRSETS, K_DNS,
	K_COUNT
};

struct job;

/* One call in flight. */
struct call_ctx {
	struct job *job;
	enum call_kind kind;
	size_t idx, sub;
	const char *service, *op;   /* static strings */
	json_t *input;              /* owned while queued */
	unsigned flags;
	bool sent;                  /* handed to the client (else waiting in the queue) */
	struct call_ctx *prev, *next;   /* every call of the collector */
	struct call_ctx *qnext;         /* the send queue */
};

/* What a built-in metric query measures. */
enum mq_field { MQ_LB_REQ, MQ_LB_ELB5XX, MQ_LB_TGT5XX, MQ_LB_P99, MQ_TG_REQ, MQ_TG_5XX, MQ_TG_P99,
		MQ_DB_READ, MQ_DB_LAG, MQ_ASG_CPU };

struct mq {
	char id[16];
	enum mq_field field;
	char *key;              /* LB/TG ARN, DB id or ASG name */
};

/* One panel refresh and its staged data. */
struct job {
	struct collector *c;
	enum model_panel panel;
	size_t region;
	bool running;
	bool queued_once;       /* run_once: it has started in this round */
	int completions;
	int pending;
	int n_errors;
	bool throttled;
	bool primary_failed;
	struct fd_error err;
	int mult;               /* back-off multiplier */
	/* elbv2 */
	struct model_lb *lbs; size_t n_lbs; bool have_lbs; unsigned char *lb_fail;
	struct model_tg *tgs; size_t n_tgs; bool have_tgs; unsigned char *tg_fail;
	/* autoscaling */
	struct model_asg *asgs; size_t n_asgs; bool have_asgs; unsigned char *asg_fail;
	/* alarms */
	struct model_alarm *alarms; size_t n_alarms; bool have_alarms; json_t *history;
	/* rds */
	struct model_db *dbs; size_t n_dbs; bool have_dbs;
	/* xray */
	struct model_xray xray; bool have_graph, have_traces;
	/* route53 */
	struct model_health_check *checks; size_t n_checks; bool have_checks; unsigned char *hc_fail;
	struct model_zone *zones; size_t n_zones; bool have_zones; size_t rrsets_pending;
	struct model_dns_answer dns; bool have_dns;
	/* metrics */
	struct mq *mq; size_t n_mq;
	struct parse_metric *res; size_t n_res; bool have_builtin;
	struct model_chart *charts; size_t n_charts; unsigned char *chart_ok;
	size_t *chart_panel;    /* config panel index of each config chart */
	time_t window_end;
};

/* A metric/expression target's latest series (in query order, returned ones only). */
struct tseries {
	struct model_series *series;
	size_t n;
	bool fetched;
};

struct collector {
	struct client *cl;
	const struct fd_config *cfg;
	struct model *m;
	int refresh_s;
	time_t (*clock)(void *ctx);
	void *clock_ctx;
	struct job jobs[MODEL_MAX_REGIONS][MODEL_PANEL_COUNT];
	struct job r53;
	struct job targets;
	struct call_ctx *calls;
	struct call_ctx *queue, *queue_tail;
	int in_flight;              /* queued + sent */
	int sending;
	struct tseries *tseries;     /* cfg->n_targets */
	struct measure *ms;
	size_t n_ms;
	char *measure_file;
	char metric_stat[32];        /* "" or the metrics view's statistic */
	int metric_period_s;         /* 0 or the metrics view's period */
	int metric_range_s;          /* 0 or the metrics view's range */
};

/* --- helpers ------------------------------------------------------------------- */

/* Default wall clock. */
static time_t wall_clock(void *ctx)
{
	(void)ctx;
	return time(NULL);
}

/* Now on the collector's clock. */
static time_t now_of(const struct collector *c)
{
	return c->clock(c->clock_ctx);
}

/* Is this error code a throttling one? */
bool collector_is_throttle(const char *code)
{
	static const char *const codes[] = {
		"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
		"TooManyRequestsException", "ProvisionedThroughputExceededException",
		"TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
		"LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
		"EC2ThrottledException",
	};
	size_t i;

	for (i = 0; code && i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(code, codes[i]) == 0)
			return true;
	return false;
}

/* Is name wanted by a configured list (an empty list wants everything)? */
static bool wanted(char *const *names, size_t n, const char *name)
{
	size_t i;

	if (!n)
		return true;
	for (i = 0; name && i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* Keep only the entries of res[list] whose key is wanted (in place). */
static void filter_list(json_t *res, const char *list, const char *key, char *const *names, size_t n)
{
	json_t *arr = json_object_get(res, list);
	size_t i;

	if (!n || !json_is_array(arr))
		return;
	for (i = json_array_size(arr); i-- > 0;)
		if (!wanted(names, n, json_string_value(json_object_get(json_array_get(arr, i), key))))
			json_array_remove(arr, i);
}

/* Does an ASG entry carry every configured tag? */
static bool tags_match(const struct fd_config *cfg, const json_t *asg)
{
	const json_t *tags = json_object_get(asg, "Tags"), *t;
	size_t i, k;

	for (i = 0; i < cfg->n_tags; i++) {
		bool found = false;
		json_array_foreach(tags, k, t) {
			const char *key = json_string_value(json_object_get(t, "Key"));
			const char *val = json_string_value(json_object_get(t, "Value"));
			if (key && val && strcmp(key, cfg->tags[i].name) == 0 && strcmp(val, cfg->tags[i].value) == 0)
				found = true;
		}
		if (!found)
			return false;
	}
	return true;
}

/* ISO 8601 UTC text of t. */
static void iso(time_t t, char out[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The region name of a job (NULL for global ones). */
static const char *job_region(const struct job *j)
{
	return j->region == JOB_GLOBAL ? NULL : j->c->m->regions[j->region].name;
}

/* The model status a job reports to. */
static struct model_status *job_status(struct job *j)
{
	return model_status_of(j->c->m, j->region == JOB_GLOBAL ? 0 : j->region, j->panel);
}

/* Record an error of a job (the first one is kept; throttling noted). */
static void job_error(struct job *j, const struct fd_error *e, bool primary)
{
	if (!j->n_errors++)
		j->err = *e;
	if (collector_is_throttle(e->code))
		j->throttled = true;
	if (primary)
		j->primary_failed = true;
}

static void job_finish(struct job *j);
static void on_done(void *ctx, json_t *result, const struct fd_error *err);

/* Hand a call to the client; a refusal completes it at once with the error. */
static void send_call(struct collector *c, struct call_ctx *k)
{
	struct job *j = k->job;
	struct fd_error e;
	json_t *input = k->input;

	fd_error_clear(&e);
	k->input = NULL;
	k->sent = true;
	c->sending++;
	if (client_call_async(c->cl, k->service, k->op, j->panel == MODEL_PANEL_ROUTE53 ? NULL : job_region(j),
			      input, k->flags, on_done, k, &e) < 0)
		on_done(k, NULL, &e);
	json_decref(input);
}

/* Send queued calls while fewer than MAX_SENDING are out. */
static void pump(struct collector *c)
{
	while (c->queue && c->sending < MAX_SENDING) {
		struct call_ctx *k = c->queue;
		c->queue = k->qnext;
		if (!c->queue)
			c->queue_tail = NULL;
		send_call(c, k);
	}
}

/* Queue one call for a job (sent at once when few are out); input is taken. */
static void job_call(struct job *j, const char *service, const char *op, json_t *input, unsigned flags,
		     enum call_kind kind, size_t idx, size_t sub)
{
	struct collector *c = j->c;
	struct call_ctx *k = xcalloc(1, sizeof(*k));

	k->job = j;
	k->kind = kind;
	k->idx = idx;
	k->sub = sub;
	k->service = service;
	k->op = op;
	k->input = input;
	k->flags = flags;
	k->next = c->calls;
	if (c->calls)
		c->calls->prev = k;
	c->calls = k;
	j->pending++;
	c->in_flight++;
	if (c->sending < MAX_SENDING && !c->queue) {
		send_call(c, k);
		return;
	}
	if (c->queue_tail)
		c->queue_tail->qnext = k;
	else
		c->queue = k;
	c->queue_tail = k;
}

/* --- elbv2 --------------------------------------------------------------------------- */

/* Start: load balancers and target groups. */
static void start_lb(struct job *j)
{
	job_call(j, "elbv2", "DescribeLoadBalancers", json_object(), CLIENT_ALL_PAGES, K_LBS, 0, 0);
	job_call(j, "elbv2", "DescribeTargetGroups", json_object(), CLIENT_ALL_PAGES, K_TGS, 0, 0);
}

static void done_lbs(struct job *j, struct call_ctx *k, json_t *res)
{
	struct fd_error e;
	size_t i;

	(void)k;
	filter_list(res, "LoadBalancers", "LoadBalancerName", j->c->cfg->lbs, j->c->cfg->n_lbs);
	if (parse_load_balancers(res, now_of(j->c), &j->lbs, &j->n_lbs, &e)) {
		job_error(j, &e, true);
		return;
	}
	j->have_lbs = true;
	j->lb_fail = xcalloc(j->n_lbs + 1, 1);
	for (i = 0; i < j->n_lbs; i++)
		job_call(j, "elbv2", "DescribeListeners", json_pack("{s:s}", "LoadBalancerArn", j->lbs[i].arn),
			 CLIENT_ALL_PAGES, K_LISTENERS, i, 0);
}

static void done_listeners(struct job *j, struct call_ctx *k, json_t *res)
{
	struct model_lb *lb = &j->lbs[k->idx];
	struct fd_error e;
	size_t i;

	if (parse_listeners(res, now_of(j->c), &lb->listeners, &lb->n_listeners, &e)) {
		j->lb_fail[k->idx] = 1;
		job_error(j, &e, false);
		return;
	}
	for (i = 0; i < lb->n_listeners; i++)
		job_call(j, "elbv2", "DescribeRules", json_pack("{s:s}", "ListenerArn", lb->listeners[i].arn),
			 CLIENT_ALL_PAGES, K_RULES, k->idx, i);
}

static void done_rules(struct job *j, struct call_ctx *k, json_t *res)
{
	struct model_listener *l = &j->lbs[k->idx].listeners[k->sub];
	struct fd_error e;

	if (parse_rules(res, l, &e)) {
		l->fetched_at = 0;      /* marks "rules failed": carried over at the swap */
		job_error(j, &e, false);
	}
}

static void done_tgs(struct job *j, struct call_ctx *k, json_t *res)
{
	struct fd_error e;
	size_t i;

	(void)k;
	filter_list(res, "TargetGroups", "TargetGroupName", j->c->cfg->tgs, j->c->cfg->n_tgs);
	if (parse_target_groups(res, now_of(j->c), &j->tgs, &j->n_tgs, &e)) {
		job_error(j, &e, true);
		return;
	}
	j->have_tgs = true;
	j->tg_fail = xcalloc(j->n_tgs + 1, 1);
	for (i = 0; i < j->n_tgs; i++)
		job_call(j, "elbv2", "DescribeTargetHealth", json_pack("{s:s}", "TargetGroupArn", j->tgs[i].arn),
			 0, K_HEALTH, i, 0);
}

static void done_health(struct job *j, struct call_ctx *k, json_t *res)
{
	struct fd_error e;

	if (parse_target_health(res, now_of(j->c), &j->tgs[k->idx], &e)) {
		j->tg_fail[k->idx] = 1;
		job_error(j, &e, false);
	}
}

/* Same ARN/name? */
static bool same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Swap staged LBs and TGs in, carrying over metrics and failed sub-data. */
static void finish_lb(struct job *j)
{
	struct model_region *r = &j->c->m->regions[j->region];
	size_t i, o, l, ol;

	if (j->have_lbs) {
		for (i = 0; i < j->n_lbs; i++) {
			struct model_lb *n = &j->lbs[i];
			for (o = 0; o < r->n_lbs; o++) {
				struct model_lb *old = &r->lbs[o];
				if (!same(old->arn, n->arn))
					continue;
				n->requests_per_s = old->requests_per_s;
				n->http_5xx_pct = old->http_5xx_pct;
				n->p99_ms = old->p99_ms;
				n->metrics_at = old->metrics_at;
				if (j->lb_fail[i]) {
					model_listeners_free(n->listeners, n->n_listeners);
					n->listeners = old->listeners;
					n->n_listeners = old->n_listeners;
					old->listeners = NULL;
					old->n_listeners = 0;
					continue;
				}
				for (l = 0; l < n->n_listeners; l++) {
					if (n->listeners[l].fetched_at)
						continue;
					for (ol = 0; ol < old->n_listeners; ol++)
						if (same(old->listeners[ol].arn, n->listeners[l].arn)) {
							struct model_listener *a = &n->listeners[l], *b = &old->listeners[ol];
							model_rules_free(a->rules, a->n_rules);
							a->rules = b->rules;
							a->n_rules = b->n_rules;
							b->rules = NULL;
							b->n_rules = 0;
						}
				}
			}
		}
		model_lbs_free(r->lbs, r->n_lbs);
		r->lbs = j->lbs;
		r->n_lbs = j->n_lbs;
		j->lbs = NULL;
		j->n_lbs = 0;
	}
	if (j->have_tgs) {
		for (i = 0; i < j->n_tgs; i++) {
			struct model_tg *n = &j->tgs[i];
			for (o = 0; o < r->n_tgs; o++) {
				struct model_tg *old = &r->tgs[o];
				if (!same(old->arn, n->arn))
					continue;
				n->requests_per_s = old->requests_per_s;
				n->http_5xx_pct = old->http_5xx_pct;
				n->p99_ms = old->p99_ms;
				n->metrics_at = old->metrics_at;
				if (j->tg_fail[i]) {
					n->targets = old->targets;
					n->n_targets = old->n_targets;
					n->healthy = old->healthy;
					n->unhealthy = old->unhealthy;
					n->other = old->other;
					n->health_at = old->health_at;
					old->targets = NULL;
					old->n_targets = 0;
				}
			}
		}
		model_tgs_free(r->tgs, r->n_tgs);
		r->tgs = j->tgs;
		r->n_tgs = j->n_tgs;
		j->tgs = NULL;
		j->n_tgs = 0;
	}
	parse_resolve_forwards(r);
}

/* --- autoscaling ---------------------------------------------------------------------- */

static void start_asg(struct job *j)
{
	job_call(j, "autoscaling", "DescribeAutoScalingGroups", json_object(), CLIENT_ALL_PAGES, K_ASGS, 0, 0);
}

static void done_asgs(struct job *j, struct call_ctx *k, json_t *res)
{
	const struct fd_config *cfg = j->c->cfg;
	json_t *arr = json_object_get(res, "AutoScalingGroups");
	struct fd_error e;
	size_t i;

	(void)k;
	filter_list(res, "AutoScalingGroups", "AutoScalingGroupName", cfg->asgs, cfg->n_asgs);
	for (i = json_array_size(arr); cfg->n_tags && i-- > 0;)
		if (!tags_match(cfg, json_array_get(arr, i)))
			json_array_remove(arr, i);
	if (parse_asgs(res, now_of(j->c), &j->asgs, &j->n_asgs, &e)) {
		job_error(j, &e, true);
		return;
	}
	j->have_asgs = true;
	j->asg_fail = xcalloc(j->n_asgs + 1, 1);
	for (i = 0; i < j->n_asgs; i++) {
		job_call(j, "autoscaling", "DescribeScalingActivities",
			 json_pack("{s:s, s:i}", "AutoScalingGroupName", j->asgs[i].name, "MaxRecords", 20),
			 0, K_ACTIVITIES, i, 0);
		job_call(j, "autoscaling", "DescribePolicies",
			 json_pack("{s:s}", "AutoScalingGroupName", j->asgs[i].name), CLIENT_ALL_PAGES,
			 K_POLICIES, i, 0);
	}
}

static void done_activities(struct job *j, struct call_ctx *k, json_t *res)
{
	struct fd_error e;

	if (parse_activities(res, now_of(j->c), &j->asgs[k->idx], 1, &e)) {
		j->asg_fail[k->idx] |= 1;
		job_error(j, &e, false);
	}
}

static void done_policies(struct job *j, struct call_ctx *k, json_t *res)
{
	struct model_asg *a = &j->asgs[k->idx];
	time_t now = now_of(j->c);
	char start[32], end[32];
	struct fd_error e;
	size_t i, n = 0;

	if (parse_policies(res, a, 1, &e)) {
		j->asg_fail[k->idx] |= 2;
		job_error(j, &e, false);
		return;
	}
	for (i = 0; i < a->n_policies; i++)
		if (same(a->policies[i].type, "PredictiveScaling"))
			n++;
	if (!n)
		return;
	a->forecasts = xcalloc(n, sizeof(*a->forecasts));
	iso(now - 6 * 3600, start);
	iso(now + 24 * 3600, end);
	for (i = 0; i < a->n_policies; i++) {
		if (!same(a->policies[i].type, "PredictiveScaling"))
			continue;
		a->forecasts[a->n_forecasts].policy = xstrdup(a->policies[i].name);
		job_call(j, "autoscaling", "GetPredictiveScalingForecast",
			 json_pack("{s:s, s:s, s:s, s:s}", "AutoScalingGroupName", a->name, "PolicyName",
				   a->policies[i].name, "StartTime", start, "EndTime", end),
			 0, K_FORECAST, k->idx, a->n_forecasts);
		a->n_forecasts++;
	}
}

static void done_forecast(struct job *j, struct call_ctx *k, json_t *res)
{
	struct fd_error e;

	if (parse_forecast(res, now_of(j->c), &j->asgs[k->idx].forecasts[k->sub], &e)) {
		j->asg_fail[k->idx] |= 4;
		job_error(j, &e, false);
	}
}

/* Swap staged groups in, carrying over failed sub-data and the actual load. */
static void finish_asg(struct job *j)
{
	struct model_region *r = &j->c->m->regions[j->region];
	size_t i, o, f, of;

	if (!j->have_asgs)
		return;
	for (i = 0; i < j->n_asgs; i++) {
		struct model_asg *n = &j->asgs[i];
		for (o = 0; o < r->n_asgs; o++) {
			struct model_asg *old = &r->asgs[o];
			if (!same(old->name, n->name))
				continue;
			if (j->asg_fail[i] & 1) {
				model_activities_free(n->activities, n->n_activities);
				n->activities = old->activities;
				n->n_activities = old->n_activities;
				n->activities_at = old->activities_at;
				old->activities = NULL;
				old->n_activities = 0;
			}
			if (j->asg_fail[i] & 2) {
				model_policies_free(n->policies, n->n_policies);
				n->policies = old->policies;
				n->n_policies = old->n_policies;
				old->policies = NULL;
				old->n_policies = 0;
			}
			if (j->asg_fail[i] & 6) {
				model_forecasts_free(n->forecasts, n->n_forecasts);
				n->forecasts = old->forecasts;
				n->n_forecasts = old->n_forecasts;
				old->forecasts = NULL;
				old->n_forecasts = 0;
				continue;
			}
			for (f = 0; f < n->n_forecasts; f++)
				for (of = 0; of < old->n_forecasts; of++)
					if (same(n->forecasts[f].policy, old->forecasts[of].policy)) {
						n->forecasts[f].actual = old->forecasts[of].actual;
						memset(&old->forecasts[of].actual, 0, sizeof(old->forecasts[of].actual));
					}
		}
	}
	model_asgs_free(r->asgs, r->n_asgs);
	r->asgs = j->asgs;
	r->n_asgs = j->n_asgs;
	j->asgs = NULL;
	j->n_asgs = 0;
}

/* --- alarms ------------------------------------------------------------------------------ */

static void start_alarms(struct job *j)
{
	char start[32];

	iso(now_of(j->c) - 24 * 3600, start);
	job_call(j, "cloudwatch", "DescribeAlarms",
		 json_pack("{s:[s,s]}", "AlarmTypes", "MetricAlarm", "CompositeAlarm"),
		 CLIENT_ALL_PAGES, K_ALARMS, 0, 0);
	job_call(j, "cloudwatch", "DescribeAlarmHistory",
		 json_pack("{s:s, s:s, s:i}", "HistoryItemType", "StateUpdate", "StartDate", start,
			   "MaxRecords", 100),
		 0, K_HISTORY, 0, 0);
}

static void done_alarms(struct job *j, struct call_ctx *k, json_t *res)
{
	struct fd_error e;

	(void)k;
	if (parse_alarms(res, now_of(j->c), &j->alarms, &j->n_alarms, &e))
		job_error(j, &e, true);
	else
		j->have_alarms = true;
}

static void done_history(struct job *j, struct call_ctx *k, json_t *res)
{
	(void)k;
	j->history = json_incref(res);
}

/* Swap alarms in with their history (old history kept when it failed). */
static void finish_alarms(struct job *j)
{
	struct model_region *r = &j->c->m->regions[j->region];
	struct fd_error e;
	size_t i, o;

	if (!j->have_alarms)
		return;
	if (j->history && parse_alarm_history(j->history, j->alarms, j->n_alarms, &e))
		job_error(j, &e, false);
	if (!j->history)
		for (i = 0; i < j->n_alarms; i++)
			for (o = 0; o < r->n_alarms; o++)
				if (same(j->alarms[i].name, r->alarms[o].name) && !j->alarms[i].history) {
					j->alarms[i].history = r->alarms[o].history;
					j->alarms[i].n_history = r->alarms[o].n_history;
					r->alarms[o].history = NULL;
					r->alarms[o].n_history = 0;
				}
	model_alarms_free(r->alarms, r->n_alarms);
	r->alarms = j->alarms;
	r->n_alarms = j->n_alarms;
	j->alarms = NULL;
	j->n_alarms = 0;
}

/* --- rds ------------------------------------------------------------------------------------ */

static void start_rds(struct job *j)
{
	job_call(j, "rds", "DescribeDBInstances", json_object(), CLIENT_ALL_PAGES, K_DBS, 0, 0);
}

static void done_dbs(struct job *j, struct call_ctx *k, json_t *res)
{
	struct fd_error e;

	(void)k;
	filter_list(res, "DBInstances", "DBInstanceIdentifier", j->c->cfg->dbs, j->c->cfg->n_dbs);
	if (parse_db_instances(res, now_of(j->c), &j->dbs, &j->n_dbs, &e))
		job_error(j, &e, true);
	else
		j->have_dbs = true;
}

static void finish_rds(struct job *j)
{
	struct model_region *r = &j->c->m->regions[j->region];
	size_t i, o;

	if (!j->have_dbs)
		return;
	for (i = 0; i < j->n_dbs; i++)
		for (o = 0; o < r->n_dbs; o++)
			if (same(j->dbs[i].id, r->dbs[o].id)) {
				j->dbs[i].read_latency_ms = r->dbs[o].read_latency_ms;
				j->dbs[i].replica_lag_s = r->dbs[o].replica_lag_s;
				j->dbs[i].metrics_at = r->dbs[o].metrics_at;
			}
	model_dbs_free(r->dbs, r->n_dbs);
	r->dbs = j->dbs;
	r->n_dbs = j->n_dbs;
	j->dbs = NULL;
	j->n_dbs = 0;
}

/* --- xray ------------------------------------------------------------------------------------ */

static void start_xray(struct job *j)
{
	time_t now = now_of(j->c);

	job_call(j, "xray", "GetServiceGraph",
		 json_pack("{s:I, s:I}", "StartTime", (json_int_t)(now - 600), "EndTime", (json_int_t)now),
		 CLIENT_ALL_PAGES, K_GRAPH, 0, 0);
	job_call(j, "xray", "GetTraceSummaries",
		 json_pack("{s:I, s:I, s:b}", "StartTime", (json_int_t)(now - 300), "EndTime", (json_int_t)now,
			   "Sampling", 0),
		 0, K_TRACES, 0, 0);
}

static void done_graph(struct job *j, struct call_ctx *k, json_t *res)
{
	struct fd_error e;

	(void)k;
	if (parse_service_graph(res, &j->xray, &e))
		job_error(j, &e, true);
	else
		j->have_graph = true;
}

static void done_traces(struct job *j, struct call_ctx *k, json_t *res)
{
	struct fd_error e;

	(void)k;
	if (parse_trace_summaries(res, &j->xray, &e))
		job_error(j, &e, false);
	else
		j->have_traces = true;
}

static void finish_xray(struct job *j)
{
	struct model_xray *x = &j->c->m->regions[j->region].xray;
	struct model_xray tmp;

	if (j->have_graph) {
		tmp = *x;
		x->nodes = j->xray.nodes;
		x->n_nodes = j->xray.n_nodes;
		x->edges = j->xray.edges;
		x->n_edges = j->xray.n_edges;
		x->start = j->xray.start;
		x->end = j->xray.end;
		j->xray.nodes = tmp.nodes;
		j->xray.n_nodes = tmp.n_nodes;
		j->xray.edges = tmp.edges;
		j->xray.n_edges = tmp.n_edges;
	}
	if (j->have_traces) {
		tmp = *x;
		x->traces = j->xray.traces;
		x->n_traces = j->xray.n_traces;
		j->xray.traces = tmp.traces;
		j->xray.n_traces = tmp.n_traces;
	}
}

/* --- metrics -------------------------------------------------------------------------------- */

/* The dimension value of an ELBv2 ARN: "app/name/id" or "targetgroup/name/id". */
static const char *arn_dim(const char *arn, const char *marker)
{
	const char *p = arn ? strstr(arn, marker) : NULL;

	return p ? p + strlen(marker) : NULL;
}

/* Append one MetricStat query to a JSON list. */
static void add_metric_query(json_t *list, const char *id, const char *ns, const char *metric,
			     json_t *dims, int period_s, const char *stat, bool ret, const char *label)
{
	json_t *q = json_pack("{s:s, s:{s:{s:s, s:s, s:o}, s:i, s:s}, s:b}", "Id", id, "MetricStat", "Metric",
			      "Namespace", ns, "MetricName", metric, "Dimensions", dims, "Period", period_s,
			      "Stat", stat, "ReturnData", ret);

	if (label)
		json_object_set_new(q, "Label", json_string(label));
	json_array_append_new(list, q);
}

/* One dimension list [{Name, Value}] (two when name2 is set). */
static json_t *dims2(const char *name, const char *value, const char *name2, const char *value2)
{
	json_t *d = json_pack("[{s:s, s:s}]", "Name", name, "Value", value);

	if (name2)
		json_array_append_new(d, json_pack("{s:s, s:s}", "Name", name2, "Value", value2));
	return d;
}

/* Record a built-in query. */
static void mq_add(struct job *j, json_t *list, enum mq_field f, const char *key, const char *prefix,
		   size_t i, const char *ns, const char *metric, json_t *dims, const char *stat)
{
	struct mq *q;

	j->mq = xrealloc(j->mq, (j->n_mq + 1) * sizeof(*j->mq));
	q = &j->mq[j->n_mq++];
	snprintf(q->id, sizeof(q->id), "%s%zu", prefix, i);
	q->field = f;
	q->key = xstrdup(key);
	add_metric_query(list, q->id, ns, metric, dims, 60, stat, true, NULL);
}

/* The GetMetricData input for queries over [end - range, end]. */
static json_t *mdata_input(json_t *queries, time_t end, int range_s)
{
	char s[32], e[32];

	iso(end - range_s, s);
	iso(end, e);
	return json_pack("{s:o, s:s, s:s, s:s}", "MetricDataQueries", queries, "StartTime", s, "EndTime", e,
			 "ScanBy", "TimestampAscending");
}

/* The config queries of a panel or target as GetMetricData queries. */
static json_t *config_queries(const struct fd_config_query *qs, size_t n, const char *stat, int period_s)
{
	json_t *list = json_array();
	size_t i, d;

	for (i = 0; i < n; i++) {
		const struct fd_config_query *q = &qs[i];
		if (q->expression) {
			json_t *o = json_pack("{s:s, s:s, s:b}", "Id", q->id, "Expression", q->expression,
					      "ReturnData", q->return_data);
			if (q->label)
				json_object_set_new(o, "Label", json_string(q->label));
			json_array_append_new(list, o);
			continue;
		}
		{
			json_t *dims = json_array();
			for (d = 0; d < q->n_dims; d++)
				json_array_append_new(dims, json_pack("{s:s, s:s}", "Name", q->dims[d].name,
								      "Value", q->dims[d].value));
			add_metric_query(list, q->id, q->namespace_, q->metric, dims, period_s,
					 q->stat ? q->stat : stat, q->return_data, q->label);
		}
	}
	return list;
}

/* Does a config selector ("primary"/"dr"/"both"/NULL) include region index r? */
static bool region_selected(const char *sel, size_t r, bool default_both)
{
	if (!sel)
		return default_both || r == 0;
	if (strcmp(sel, "both") == 0)
		return true;
	return (strcmp(sel, "dr") == 0) == (r == 1);
}

/* Start: built-in queries in batches, one call per config panel and per metric target. */
static void start_metrics(struct job *j)
{
	const struct fd_config *cfg = j->c->cfg;
	struct model_region *r = &j->c->m->regions[j->region];
	time_t end = now_of(j->c) / 60 * 60;
	json_t *list = json_array();
	size_t i, batch = 0, n_panels = 0;

	j->window_end = end;
	for (i = 0; i < r->n_lbs; i++) {
		const char *dim = arn_dim(r->lbs[i].arn, ":loadbalancer/");
		if (!dim || strncmp(dim, "app/", 4) != 0)
			continue;
		mq_add(j, list, MQ_LB_REQ, r->lbs[i].arn, "lr", i, "AWS/ApplicationELB", "RequestCount",
		       dims2("LoadBalancer", dim, NULL, NULL), "Sum");
		mq_add(j, list, MQ_LB_ELB5XX, r->lbs[i].arn, "le", i, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count",
		       dims2("LoadBalancer", dim, NULL, NULL), "Sum");
		mq_add(j, list, MQ_LB_TGT5XX, r->lbs[i].arn, "lt", i, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
		       dims2("LoadBalancer", dim, NULL, NULL), "Sum");
		mq_add(j, list, MQ_LB_P99, r->lbs[i].arn, "lp", i, "AWS/ApplicationELB", "TargetResponseTime",
		       dims2("LoadBalancer", dim, NULL, NULL), "p99");
	}
	for (i = 0; i < r->n_tgs; i++) {
		const char *tg, *lb;
		tg = r->tgs[i].arn ? strstr(r->tgs[i].arn, "targetgroup/") : NULL;
		lb = r->tgs[i].n_lb_arns ? arn_dim(r->tgs[i].lb_arns[0], ":loadbalancer/") : NULL;
		if (!tg || !lb)
			continue;
		mq_add(j, list, MQ_TG_REQ, r->tgs[i].arn, "gr", i, "AWS/ApplicationELB", "RequestCount",
		       dims2("TargetGroup", tg, "LoadBalancer", lb), "Sum");
		mq_add(j, list, MQ_TG_5XX, r->tgs[i].arn, "gt", i, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
		       dims2("TargetGroup", tg, "LoadBalancer", lb), "Sum");
		mq_add(j, list, MQ_TG_P99, r->tgs[i].arn, "gp", i, "AWS/ApplicationELB", "TargetResponseTime",
		       dims2("TargetGroup", tg, "LoadBalancer", lb), "p99");
	}
	for (i = 0; i < r->n_dbs; i++) {
		mq_add(j, list, MQ_DB_READ, r->dbs[i].id, "dl", i, "AWS/RDS", "ReadLatency",
		       dims2("DBInstanceIdentifier", r->dbs[i].id, NULL, NULL), "Average");
		if (r->dbs[i].is_replica)
			mq_add(j, list, MQ_DB_LAG, r->dbs[i].id, "dg", i, "AWS/RDS", "ReplicaLag",
			       dims2("DBInstanceIdentifier", r->dbs[i].id, NULL, NULL), "Average");
	}
	for (i = 0; i < r->n_asgs; i++)
		if (r->asgs[i].n_forecasts)
			mq_add(j, list, MQ_ASG_CPU, r->asgs[i].name, "ac", i, "AWS/EC2", "CPUUtilization",
			       dims2("AutoScalingGroupName", r->asgs[i].name, NULL, NULL), "Average");
	/* send in batches */
	while (json_array_size(list)) {
		json_t *chunk = json_array();
		while (json_array_size(list) && json_array_size(chunk) < METRIC_BATCH) {
			json_array_append(chunk, json_array_get(list, 0));
			json_array_remove(list, 0);
		}
		job_call(j, "cloudwatch", "GetMetricData",
			 mdata_input(chunk, end, j->c->metric_range_s ? j->c->metric_range_s : 3600), 0,
			 K_MET_BUILTIN, batch++, 0);
	}
	json_decref(list);
	for (i = 0; i < cfg->n_panels; i++)
		if (region_selected(cfg->panels[i].region, j->region, true))
			n_panels++;
	j->charts = xcalloc(n_panels + 4, sizeof(*j->charts));
	j->chart_ok = xcalloc(n_panels + 4, 1);
	j->chart_panel = xcalloc(n_panels + 4, sizeof(size_t));
	j->n_charts = 3;        /* built-in: requests/s, 5xx %, p99 */
	for (i = 0; i < cfg->n_panels; i++) {
		const struct fd_config_panel *p = &cfg->panels[i];
		struct model_chart *ch;
		if (!region_selected(p->region, j->region, true))
			continue;
		ch = &j->charts[j->n_charts];
		ch->title = xstrdup(p->title);
		ch->unit = xstrdup(p->unit ? p->unit : "");
		ch->stat = xstrdup(j->c->metric_stat[0] ? j->c->metric_stat : p->stat ? p->stat : "Average");
		ch->period_s = j->c->metric_period_s ? j->c->metric_period_s : p->period_s;
		ch->range_s = j->c->metric_range_s ? j->c->metric_range_s : p->range_s;
		j->chart_panel[j->n_charts] = i;
		job_call(j, "cloudwatch", "GetMetricData",
			 mdata_input(config_queries(p->queries, p->n_queries, ch->stat, ch->period_s),
				     (now_of(j->c) / ch->period_s) * ch->period_s, ch->range_s),
			 0, K_MET_PANEL, j->n_charts, 0);
		j->n_charts++;
	}
	for (i = 0; i < cfg->n_targets; i++) {
		const struct fd_config_target *t = &cfg->targets[i];
		if ((t->source != FD_TARGET_METRIC && t->source != FD_TARGET_EXPRESSION) ||
		    !region_selected(t->region, j->region, false))
			continue;
		job_call(j, "cloudwatch", "GetMetricData",
			 mdata_input(config_queries(t->queries, t->n_queries, t->stat ? t->stat : "Average",
						    t->period_s),
				     (now_of(j->c) / t->period_s) * t->period_s, t->range_s),
			 0, K_MET_TARGET, i, 0);
	}
}

static void done_met_builtin(struct job *j, struct call_ctx *k, json_t *res)
{
	struct parse_metric *v;
	size_t n;
	struct fd_error e;

	(void)k;
	if (parse_metric_data(res, &v, &n, &e)) {
		job_error(j, &e, true);
		return;
	}
	j->res = xrealloc(j->res, (j->n_res + n + 1) * sizeof(*j->res));
	memcpy(j->res + j->n_res, v, n * sizeof(*v));
	j->n_res += n;
	free(v);
	j->have_builtin = true;
}

/* The lines of a chart from parsed results (returned queries, in order). */
static void chart_lines(struct model_chart *ch, struct parse_metric *v, size_t n)
{
	size_t i;

	ch->lines = xcalloc(n + 1, sizeof(*ch->lines));
	for (i = 0; i < n; i++) {
		struct model_line *l = &ch->lines[ch->n_lines++];
		l->id = v[i].id;
		l->label = v[i].label ? v[i].label : xstrdup(v[i].id ? v[i].id : "?");
		l->series = v[i].series;
		v[i].id = v[i].label = NULL;
		memset(&v[i].series, 0, sizeof(v[i].series));
	}
}

static void done_met_panel(struct job *j, struct call_ctx *k, json_t *res)
{
	struct parse_metric *v;
	size_t n;
	struct fd_error e;

	if (parse_metric_data(res, &v, &n, &e)) {
		job_error(j, &e, false);
		return;
	}
	chart_lines(&j->charts[k->idx], v, n);
	j->charts[k->idx].fetched_at = now_of(j->c);
	j->chart_ok[k->idx] = 1;
	parse_metrics_free(v, n);
}

static void done_met_target(struct job *j, struct call_ctx *k, json_t *res)
{
	const struct fd_config_target *t = &j->c->cfg->targets[k->idx];
	struct tseries *ts = &j->c->tseries[k->idx];
	struct parse_metric *v;
	size_t n, i, q;
	struct fd_error e;

	if (parse_metric_data(res, &v, &n, &e)) {
		job_error(j, &e, false);
		return;
	}
	for (i = 0; i < ts->n; i++)
		model_series_clean_up(&ts->series[i]);
	free(ts->series);
	ts->series = xcalloc(t->n_queries + 1, sizeof(*ts->series));
	ts->n = 0;
	for (q = 0; q < t->n_queries; q++) {
		const struct parse_metric *pm;
		if (!t->queries[q].return_data)
			continue;
		pm = parse_metric_find(v, n, t->queries[q].id);
		if (pm) {
			ts->series[ts->n] = pm->series;
			memset((void *)&pm->series, 0, sizeof(pm->series));
		}
		ts->n++;
	}
	ts->fetched = true;
	parse_metrics_free(v, n);
}

/* The value of a series at time t (NAN when absent). */
static double value_at(const struct model_series *s, time_t t)
{
	size_t i;

	for (i = s->n; i-- > 0;)
		if (s->ts[i] == t)
			return s->values[i];
	return NAN;
}

/* A copy of s with every value multiplied by f. */
static struct model_series series_scaled(const struct model_series *s, double f)
{
	struct model_series o = { 0 };
	size_t i;

	if (!s || !s->n)
		return o;
	o.ts = xcalloc(s->n, sizeof(*o.ts));
	o.values = xcalloc(s->n, sizeof(*o.values));
	for (i = 0; i < s->n; i++) {
		o.ts[i] = s->ts[i];
		o.values[i] = s->values[i] * f;
	}
	o.n = s->n;
	return o;
}

/* 5xx % per point of a request series (missing 5xx points count as 0). */
static struct model_series series_5xx(const struct model_series *req, const struct model_series *a,
				      const struct model_series *b)
{
	struct model_series o = { 0 };
	size_t i;

	if (!req || !req->n)
		return o;
	o.ts = xcalloc(req->n, sizeof(*o.ts));
	o.values = xcalloc(req->n, sizeof(*o.values));
	for (i = 0; i < req->n; i++) {
		double x = a ? value_at(a, req->ts[i]) : NAN, y = b ? value_at(b, req->ts[i]) : NAN;
		double errs = (isnan(x) ? 0 : x) + (isnan(y) ? 0 : y);
		o.ts[o.n] = req->ts[i];
		o.values[o.n++] = req->values[i] > 0 ? errs * 100.0 / req->values[i] : 0;
	}
	return o;
}

/* The series of the built-in query for (field, key), NULL when none. */
static const struct model_series *mq_series(const struct job *j, enum mq_field f, const char *key)
{
	const struct parse_metric *pm;
	size_t i;

	for (i = 0; i < j->n_mq; i++)
		if (j->mq[i].field == f && same(j->mq[i].key, key)) {
			pm = parse_metric_find(j->res, j->n_res, j->mq[i].id);
			return pm && pm->series.n ? &pm->series : NULL;
		}
	return NULL;
}

/* Request rate, 5xx % and p99 from three series at the newest request point. */
static void figures(const struct model_series *req, const struct model_series *e1,
		    const struct model_series *e2, const struct model_series *p99,
		    double *rps, double *pct, double *p99_ms)
{
	time_t at = 0;
	double r = req ? parse_series_last(req, &at) : NAN;

	*rps = isnan(r) ? NAN : r / 60.0;
	if (!isnan(r)) {
		double x = e1 ? value_at(e1, at) : NAN, y = e2 ? value_at(e2, at) : NAN;
		double errs = (isnan(x) ? 0 : x) + (isnan(y) ? 0 : y);
		*pct = r > 0 ? errs * 100.0 / r : 0;
	} else {
		*pct = NAN;
	}
	*p99_ms = p99 ? parse_series_last(p99, NULL) * 1000.0 : NAN;
}

/* Put a built-in chart line for an LB. */
static void chart_add(struct model_chart *ch, const char *label, struct model_series s)
{
	struct model_line *l;

	ch->lines = xrealloc(ch->lines, (ch->n_lines + 1) * sizeof(*ch->lines));
	l = &ch->lines[ch->n_lines++];
	l->id = xstrdup(label);
	l->label = xstrdup(label);
	l->series = s;
}

/* Apply the built-in figures to the model and swap charts in. */
static void finish_metrics(struct job *j)
{
	struct model_region *r = &j->c->m->regions[j->region];
	time_t now = now_of(j->c);
	size_t i, f, o;
	static const char *const titles[3] = { "requests/s", "5xx %", "p99 latency" };
	static const char *const units[3] = { "req/s", "%", "ms" };

	if (j->have_builtin) {
		for (i = 0; i < 3; i++) {
			j->charts[i].title = xstrdup(titles[i]);
			j->charts[i].unit = xstrdup(units[i]);
			j->charts[i].stat = xstrdup(i == 2 ? "p99" : "Sum");
			j->charts[i].period_s = 60;
			j->charts[i].range_s = j->c->metric_range_s ? j->c->metric_range_s : 3600;
			j->charts[i].fetched_at = now;
			j->chart_ok[i] = 1;
		}
		for (i = 0; i < r->n_lbs; i++) {
			struct model_lb *lb = &r->lbs[i];
			const struct model_series *req = mq_series(j, MQ_LB_REQ, lb->arn);
			const struct model_series *e1 = mq_series(j, MQ_LB_ELB5XX, lb->arn);
			const struct model_series *e2 = mq_series(j, MQ_LB_TGT5XX, lb->arn);
			const struct model_series *p = mq_series(j, MQ_LB_P99, lb->arn);
			figures(req, e1, e2, p, &lb->requests_per_s, &lb->http_5xx_pct, &lb->p99_ms);
			lb->metrics_at = now;
			if (req) {
				chart_add(&j->charts[0], lb->name, series_scaled(req, 1.0 / 60));
				chart_add(&j->charts[1], lb->name, series_5xx(req, e1, e2));
			}
			if (p)
				chart_add(&j->charts[2], lb->name, series_scaled(p, 1000.0));
		}
		for (i = 0; i < r->n_tgs; i++) {
			struct model_tg *tg = &r->tgs[i];
			figures(mq_series(j, MQ_TG_REQ, tg->arn), mq_series(j, MQ_TG_5XX, tg->arn), NULL,
				mq_series(j, MQ_TG_P99, tg->arn), &tg->requests_per_s, &tg->http_5xx_pct, &tg->p99_ms);
			tg->metrics_at = now;
		}
		for (i = 0; i < r->n_dbs; i++) {
			const struct model_series *s = mq_series(j, MQ_DB_READ, r->dbs[i].id);
			const struct model_series *g = mq_series(j, MQ_DB_LAG, r->dbs[i].id);
			r->dbs[i].read_latency_ms = s ? parse_series_last(s, NULL) * 1000.0 : NAN;
			r->dbs[i].replica_lag_s = g ? parse_series_last(g, NULL) : NAN;
			r->dbs[i].metrics_at = now;
		}
		for (i = 0; i < r->n_asgs; i++) {
			const struct model_series *s = mq_series(j, MQ_ASG_CPU, r->asgs[i].name);
			for (f = 0; f < r->asgs[i].n_forecasts; f++) {
				model_series_clean_up(&r->asgs[i].forecasts[f].actual);
				r->asgs[i].forecasts[f].actual = series_scaled(s, 1.0);
			}
		}
	}
	/* charts: keep the old one where a refresh failed */
	for (i = 0; i < j->n_charts; i++) {
		if (j->chart_ok[i])
			continue;
		for (o = 0; o < r->n_charts; o++)
			if (same(r->charts[o].title, i < 3 ? titles[i] : j->charts[i].title)) {
				struct model_chart t = j->charts[i];
				j->charts[i] = r->charts[o];
				r->charts[o] = t;
				break;
			}
		if (o == r->n_charts && i < 3) {
			j->charts[i].title = xstrdup(titles[i]);
			j->charts[i].unit = xstrdup(units[i]);
		}
	}
	model_charts_free(r->charts, r->n_charts);
	r->charts = j->charts;
	r->n_charts = j->n_charts;
	j->charts = NULL;
	j->n_charts = 0;
}

/* --- route53 ------------------------------------------------------------------------------ */

static void start_r53(struct job *j)
{
	job_call(j, "route53", "ListHealthChecks", json_object(), CLIENT_ALL_PAGES, K_HCS, 0, 0);
	job_call(j, "route53", "ListHostedZones", json_object(), CLIENT_ALL_PAGES, K_ZONES, 0, 0);
}

static void done_hcs(struct job *j, struct call_ctx *k, json_t *res)
{
	const struct fd_config *cfg = j->c->cfg;
	struct fd_error e;
	size_t i;

	(void)k;
	filter_list(res, "HealthChecks", "Id", cfg->health_checks, cfg->n_health_checks);
	if (parse_health_checks(res, now_of(j->c), &j->checks, &j->n_checks, &e)) {
		job_error(j, &e, true);
		return;
	}
	j->have_checks = true;
	j->hc_fail = xcalloc(j->n_checks + 1, 1);
	for (i = 0; i < j->n_checks; i++) {
		/* Route 53 keeps no checker observations for calculated checks; a
		 * RECOVERY_CONTROL check has them (they report its routing control) */
		if (same(j->checks[i].type, "CALCULATED"))
			continue;
		job_call(j, "route53", "GetHealthCheckStatus", json_pack("{s:s}", "HealthCheckId", j->checks[i].id),
			 0, K_HC_STATUS, i, 0);
	}
}

static void done_hc_status(struct job *j, struct call_ctx *k, json_t *res)
{
	struct fd_error e;

	if (parse_health_check_status(res, now_of(j->c), &j->checks[k->idx], &e)) {
		j->hc_fail[k->idx] = 1;
		job_error(j, &e, false);
	}
}

/* Does zone z match the configured zone (name with or without the dot, or id)? */
static bool zone_match(const struct model_zone *z, const char *want)
{
	size_t n = strlen(want), zn = z->name ? strlen(z->name) : 0;

	if (same(z->id, want) || same(z->name, want))
		return true;
	return z->name && zn == n + 1 && strncasecmp(z->name, want, n) == 0 && z->name[n] == '.';
}

static void done_zones(struct job *j, struct call_ctx *k, json_t *res)
{
	const struct fd_config *cfg = j->c->cfg;
	struct model_zone *all;
	size_t n, i;
	struct fd_error e;

	(void)k;
	if (parse_hosted_zones(res, now_of(j->c), &all, &n, &e)) {
		job_error(j, &e, true);
		return;
	}
	j->zones = xcalloc(n + 1, sizeof(*j->zones));
	for (i = 0; i < n; i++) {
		bool keep = cfg->hosted_zone ? zone_match(&all[i], cfg->hosted_zone)
					     : !all[i].private_zone && j->n_zones < MAX_ZONES;
		if (keep) {
			j->zones[j->n_zones++] = all[i];
			memset(&all[i], 0, sizeof(all[i]));
		}
	}
	for (i = 0; i < n; i++) {
		free(all[i].id);
		free(all[i].name);
	}
	free(all);
	j->have_zones = true;
	j->rrsets_pending = j->n_zones;
	for (i = 0; i < j->n_zones; i++)
		job_call(j, "route53", "ListResourceRecordSets", json_pack("{s:s}", "HostedZoneId", j->zones[i].id),
			 CLIENT_ALL_PAGES, K_RRSETS, i, 0);
}

/* The record to ask DNS about: the configured name, else the PRIMARY failover record. */
static void ask_dns(struct job *j)
{
	const char *want = j->c->cfg->record_name;
	const struct model_record *pick = NULL;
	size_t z, i, zone = 0;

	for (z = 0; z < j->n_zones && !pick; z++)
		for (i = 0; i < j->zones[z].n_records && !pick; i++) {
			const struct model_record *r = &j->zones[z].records[i];
			if (want ? (same(r->name, want) || (r->name && strncasecmp(r->name, want, strlen(want)) == 0 &&
							     strcmp(r->name + strlen(want), ".") == 0))
				 : same(r->failover, "PRIMARY")) {
				pick = r;
				zone = z;
			}
		}
	if (!pick && (!want || !j->n_zones))
		return;
	job_call(j, "route53", "TestDNSAnswer",
		 json_pack("{s:s, s:s, s:s}", "HostedZoneId", j->zones[zone].id, "RecordName",
			   pick ? pick->name : want, "RecordType", pick && pick->type ? pick->type : "A"),
		 0, K_DNS, 0, 0);
}

static void done_rrsets(struct job *j, struct call_ctx *k, json_t *res)
{
	struct fd_error e;

	if (res && parse_record_sets(res, now_of(j->c), &j->zones[k->idx], &e))
		job_error(j, &e, false);
	if (--j->rrsets_pending == 0)
		ask_dns(j);
}

static void done_dns(struct job *j, struct call_ctx *k, json_t *res)
{
	struct fd_error e;

	(void)k;
	if (parse_dns_answer(res, now_of(j->c), &j->dns, &e))
		job_error(j, &e, false);
	else
		j->have_dns = true;
}

static void finish_r53(struct job *j)
{
	struct model_route53 *r = &j->c->m->route53;
	size_t i, o;

	if (j->have_checks) {
		for (i = 0; i < j->n_checks; i++)
			for (o = 0; j->hc_fail[i] && o < r->n_checks; o++)
				if (same(j->checks[i].id, r->checks[o].id)) {
					j->checks[i].checkers = r->checks[o].checkers;
					j->checks[i].n_checkers = r->checks[o].n_checkers;
					j->checks[i].healthy = r->checks[o].healthy;
					j->checks[i].healthy_checkers = r->checks[o].healthy_checkers;
					r->checks[o].checkers = NULL;
					r->checks[o].n_checkers = 0;
				}
		{
			struct model_route53 old = { .checks = r->checks, .n_checks = r->n_checks };
			model_route53_clean_up(&old);
		}
		r->checks = j->checks;
		r->n_checks = j->n_checks;
		j->checks = NULL;
		j->n_checks = 0;
	}
	if (j->have_zones) {
		struct model_route53 old = { .zones = r->zones, .n_zones = r->n_zones };
		model_route53_clean_up(&old);
		r->zones = j->zones;
		r->n_zones = j->n_zones;
		j->zones = NULL;
		j->n_zones = 0;
	}
	if (j->have_dns) {
		model_dns_answer_clean_up(&r->dns);
		r->dns = j->dns;
		memset(&j->dns, 0, sizeof(j->dns));
	}
	parse_resolve_dns_region(j->c->m);
}

/* --- the tables ------------------------------------------------------------------------------ */

/* How a panel refreshes. */
static const struct {
	void (*start)(struct job *j);
	void (*finish)(struct job *j);
	int interval_mult;      /* × the refresh interval */
} panels[MODEL_PANEL_COUNT] = {
	[MODEL_PANEL_LB] = { .start = start_lb, .finish = finish_lb, .interval_mult = 1 },
	[MODEL_PANEL_ASG] = { .start = start_asg, .finish = finish_asg, .interval_mult = 1 },
	[MODEL_PANEL_ALARMS] = { .start = start_alarms, .finish = finish_alarms, .interval_mult = 1 },
	[MODEL_PANEL_METRICS] = { .start = start_metrics, .finish = finish_metrics, .interval_mult = 1 },
	[MODEL_PANEL_RDS] = { .start = start_rds, .finish = finish_rds, .interval_mult = 3 },
	[MODEL_PANEL_XRAY] = { .start = start_xray, .finish = finish_xray, .interval_mult = 1 },
	[MODEL_PANEL_ROUTE53] = { .start = start_r53, .finish = finish_r53, .interval_mult = 1 },
	[MODEL_PANEL_TARGETS] = { .start = NULL, .finish = NULL, .interval_mult = 1 },
};

/* What to do with each call kind's result; primary kinds' failures keep the old data. */
static const struct {
	void (*done)(struct job *j, struct call_ctx *k, json_t *res);
	bool primary;
} kinds[K_COUNT] = {
	[K_LBS] = { done_lbs, true },
	[K_LISTENERS] = { done_listeners, false },
	[K_RULES] = { done_rules, false },
	[K_TGS] = { done_tgs, true },
	[K_HEALTH] = { done_health, false },
	[K_ASGS] = { done_asgs, true },
	[K_ACTIVITIES] = { done_activities, false },
	[K_POLICIES] = { done_policies, false },
	[K_FORECAST] = { done_forecast, false },
	[K_ALARMS] = { done_alarms, true },
	[K_HISTORY] = { done_history, false },
	[K_DBS] = { done_dbs, true },
	[K_GRAPH] = { done_graph, true },
	[K_TRACES] = { done_traces, false },
	[K_MET_BUILTIN] = { done_met_builtin, true },
	[K_MET_PANEL] = { done_met_panel, false },
	[K_MET_TARGET] = { done_met_target, false },
	[K_HCS] = { done_hcs, true },
	[K_HC_STATUS] = { done_hc_status, false },
	[K_ZONES] = { done_zones, true },
	[K_RRSETS] = { done_rrsets, false },
	[K_DNS] = { done_dns, false },
};

/* Mark a per-item failure for kinds whose handler would have marked it. */
static void mark_sub_failure(struct job *j, struct call_ctx *k)
{
	switch (k->kind) {
	case K_LISTENERS: j->lb_fail[k->idx] = 1; break;
	case K_RULES: j->lbs[k->idx].listeners[k->sub].fetched_at = 0; break;
	case K_HEALTH: j->tg_fail[k->idx] = 1; break;
	case K_ACTIVITIES: j->asg_fail[k->idx] |= 1; break;
	case K_POLICIES: j->asg_fail[k->idx] |= 2; break;
	case K_FORECAST: j->asg_fail[k->idx] |= 4; break;
	case K_HC_STATUS: j->hc_fail[k->idx] = 1; break;
	case K_RRSETS: done_rrsets(j, k, NULL); break;
	default: break;
	}
}

/* A call completed: hand the result to its kind, finish the job when it was the last. */
static void on_done(void *ctx, json_t *result, const struct fd_error *err)
{
	struct call_ctx *k = ctx;
	struct job *j = k->job;
	struct collector *c = j->c;

	if (k->prev)
		k->prev->next = k->next;
	else
		c->calls = k->next;
	if (k->next)
		k->next->prev = k->prev;
	c->in_flight--;
	if (k->sent)
		c->sending--;
	if (err || !result) {
		struct fd_error e;
		if (err)
			e = *err;
		else
			fd_error_set(&e, "ParseError", "empty result");
		job_error(j, &e, kinds[k->kind].primary);
		mark_sub_failure(j, k);
	} else {
		kinds[k->kind].done(j, k, result);
	}
	json_decref(result);
	free(k);
	if (--j->pending == 0)
		job_finish(j);
	pump(c);
}

/* --- jobs ---------------------------------------------------------------------------------------- */

/* Free whatever a job staged and reset it for the next refresh. */
static void job_reset(struct job *j)
{
	model_lbs_free(j->lbs, j->n_lbs);
	model_tgs_free(j->tgs, j->n_tgs);
	model_asgs_free(j->asgs, j->n_asgs);
	model_alarms_free(j->alarms, j->n_alarms);
	json_decref(j->history);
	model_dbs_free(j->dbs, j->n_dbs);
	model_xray_clean_up(&j->xray);
	{
		struct model_route53 r = { .checks = j->checks, .n_checks = j->n_checks,
					   .zones = j->zones, .n_zones = j->n_zones, .dns = j->dns };
		model_route53_clean_up(&r);
	}
	free(j->lb_fail);
	free(j->tg_fail);
	free(j->asg_fail);
	free(j->hc_fail);
	for (size_t i = 0; i < j->n_mq; i++)
		free(j->mq[i].key);
	free(j->mq);
	parse_metrics_free(j->res, j->n_res);
	model_charts_free(j->charts, j->n_charts);
	free(j->chart_ok);
	free(j->chart_panel);
	{
		struct collector *c = j->c;
		enum model_panel p = j->panel;
		size_t r = j->region;
		bool once = j->queued_once;
		int comp = j->completions, mult = j->mult;
		memset(j, 0, sizeof(*j));
		j->c = c;
		j->panel = p;
		j->region = r;
		j->queued_once = once;
		j->completions = comp;
		j->mult = mult ? mult : 1;
	}
}

/* Load the measurements file and derive every target. */
static void derive_targets(struct collector *c, bool reload)
{
	const struct fd_config *cfg = c->cfg;
	struct targets_metric *tm = xcalloc(cfg->n_targets + 1, sizeof(*tm));
	struct fd_error e;
	size_t i;

	if (reload) {
		measure_free(c->ms, c->n_ms);
		c->ms = NULL;
		c->n_ms = 0;
		if (measure_load(c->measure_file, &c->ms, &c->n_ms, NULL, &e)) {
			c->m->targets_status.error = e;
			c->m->targets_status.error_at = now_of(c);
		} else {
			fd_error_clear(&c->m->targets_status.error);
			c->m->targets_status.error_at = 0;
		}
	}
	for (i = 0; i < cfg->n_targets; i++) {
		tm[i].series = c->tseries[i].series;
		tm[i].n_series = c->tseries[i].n;
		tm[i].fetched = c->tseries[i].fetched;
	}
	targets_derive(c->m, cfg, tm, c->ms, c->n_ms, now_of(c));
	free(tm);
	c->m->targets_status.fetched_at = now_of(c);
	model_touch(c->m, &c->m->targets_status);
}

/* The refresh interval of a panel before back-off. */
static int base_interval(const struct collector *c, enum model_panel p)
{
	return c->refresh_s * panels[p].interval_mult;
}

/* The last call of a job finished: swap data in, record age/error, schedule the next. */
static void job_finish(struct job *j)
{
	struct collector *c = j->c;
	struct model_status *st = job_status(j);
	time_t now = now_of(c);

	if (panels[j->panel].finish)
		panels[j->panel].finish(j);
	if (j->throttled)
		j->mult = j->mult * 2 > MAX_BACKOFF ? MAX_BACKOFF : j->mult * 2;
	else if (!j->n_errors)
		j->mult = 1;
	if (!j->primary_failed)
		st->fetched_at = now;
	if (j->n_errors) {
		st->error = j->err;
		st->error_at = now;
	} else {
		fd_error_clear(&st->error);
		st->error_at = 0;
	}
	st->interval_s = base_interval(c, j->panel) * j->mult;
	st->next_due = now + st->interval_s;
	st->in_flight = false;
	j->running = false;
	j->completions++;
	job_reset(j);
	model_summarize(c->m);
	model_touch(c->m, st);
	derive_targets(c, false);
}

/* Are the panels the metrics of region r depend on done at least once? */
static bool metrics_ready(struct collector *c, size_t r)
{
	static const enum model_panel deps[] = { MODEL_PANEL_LB, MODEL_PANEL_RDS, MODEL_PANEL_ASG };
	size_t i;

	for (i = 0; i < sizeof(deps) / sizeof(deps[0]); i++) {
		const struct job *d = &c->jobs[r][deps[i]];
		if (!d->completions)
			return false;
	}
	return true;
}

/* Start one job. */
static void job_start(struct job *j)
{
	struct model_status *st = job_status(j);

	j->running = true;
	j->queued_once = true;
	j->pending = 1;             /* held while starting, so a synchronous failure cannot finish it early */
	st->in_flight = true;
	panels[j->panel].start(j);
	if (--j->pending == 0)
		job_finish(j);
}

/* --- public ---------------------------------------------------------------------------------------- */

/* Create a collector over a client, config and model. */
struct collector *collector_new(struct client *cl, const struct fd_config *cfg, struct model *m,
				struct fd_error *err)
{
	struct collector *c;
	size_t r, p;

	if (!cl || !cfg || !m || !m->n_regions) {
		fd_error_set(err, "InvalidParameter", "collector needs a client, a config and a model");
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->cl = cl;
	c->cfg = cfg;
	c->m = m;
	c->refresh_s = cfg->refresh_s > 0 ? cfg->refresh_s : 10;
	c->clock = wall_clock;
	c->tseries = xcalloc(cfg->n_targets + 1, sizeof(*c->tseries));
	c->measure_file = measure_path();
	for (r = 0; r < m->n_regions; r++)
		for (p = 0; p < MODEL_PANEL_COUNT; p++) {
			struct job *j = &c->jobs[r][p];
			struct model_status *st = &m->regions[r].status[p];
			j->c = c;
			j->panel = (enum model_panel)p;
			j->region = r;
			j->mult = 1;
			st->enabled = p != MODEL_PANEL_ROUTE53 && p != MODEL_PANEL_TARGETS &&
				      (p != MODEL_PANEL_XRAY || cfg->xray);
			st->interval_s = base_interval(c, (enum model_panel)p);
			st->next_due = 0;
		}
	c->r53.c = c;
	c->r53.panel = MODEL_PANEL_ROUTE53;
	c->r53.region = JOB_GLOBAL;
	c->r53.mult = 1;
	m->route53_status.enabled = true;
	m->route53_status.interval_s = c->refresh_s;
	c->targets.c = c;
	c->targets.panel = MODEL_PANEL_TARGETS;
	c->targets.region = JOB_GLOBAL;
	m->targets_status.enabled = true;
	m->targets_status.interval_s = c->refresh_s;
	if (m->n_targets != cfg->n_targets)
		targets_init(m, cfg);
	return c;
}

/* Free the collector (see the header about calls in flight). */
void collector_destroy(struct collector *c)
{
	struct call_ctx *k, *next;
	size_t r, p, i;

	if (!c)
		return;
	for (k = c->calls; k; k = next) {
		next = k->next;
		json_decref(k->input);
		free(k);
	}
	for (r = 0; r < c->m->n_regions; r++)
		for (p = 0; p < MODEL_PANEL_COUNT; p++)
			job_reset(&c->jobs[r][p]);
	job_reset(&c->r53);
	for (i = 0; i < c->cfg->n_targets; i++) {
		size_t s;
		for (s = 0; s < c->tseries[i].n; s++)
			model_series_clean_up(&c->tseries[i].series[s]);
		free(c->tseries[i].series);
	}
	free(c->tseries);
	measure_free(c->ms, c->n_ms);
	free(c->measure_file);
	free(c);
}

/* Set the default refresh interval. */
void collector_set_refresh(struct collector *c, int refresh_s)
{
	size_t r, p;

	if (refresh_s < 1)
		return;
	c->refresh_s = refresh_s;
	for (r = 0; r < c->m->n_regions; r++)
		for (p = 0; p < MODEL_PANEL_COUNT; p++)
			c->m->regions[r].status[p].interval_s = base_interval(c, (enum model_panel)p) * c->jobs[r][p].mult;
	c->m->route53_status.interval_s = refresh_s * c->r53.mult;
	c->m->targets_status.interval_s = refresh_s;
}

/* Replace the clock (tests). */
void collector_set_clock(struct collector *c, time_t (*clock)(void *ctx), void *ctx)
{
	c->clock = clock ? clock : wall_clock;
	c->clock_ctx = ctx;
}

/* Use another measurements file (tests; NULL: the default). */
void collector_set_measure_file(struct collector *c, const char *path)
{
	free(c->measure_file);
	c->measure_file = path ? xstrdup(path) : measure_path();
}

/* Queue every panel that is due. */
int collector_due(struct collector *c, time_t now)
{
	struct model *m = c->m;
	size_t r, p;
	int n = 0;

	for (r = 0; r < m->n_regions; r++)
		for (p = 0; p < MODEL_PANEL_COUNT; p++) {
			struct job *j = &c->jobs[r][p];
			struct model_status *st = &m->regions[r].status[p];
			if (!st->enabled || j->running || st->next_due > now)
				continue;
			if (p == MODEL_PANEL_METRICS && !metrics_ready(c, r))
				continue;
			job_start(j);
			n++;
		}
	if (!c->r53.running && m->route53_status.next_due <= now) {
		job_start(&c->r53);
		n++;
	}
	if (m->targets_status.next_due <= now) {
		derive_targets(c, true);
		m->targets_status.next_due = now + c->refresh_s;
		n++;
	}
	return n;
}

/* Make every panel due now. */
void collector_refresh_now(struct collector *c)
{
	size_t r, p;

	for (r = 0; r < c->m->n_regions; r++)
		for (p = 0; p < MODEL_PANEL_COUNT; p++)
			c->m->regions[r].status[p].next_due = 0;
	c->m->route53_status.next_due = 0;
	c->m->targets_status.next_due = 0;
}

void collector_set_metric_options(struct collector *c, const char *stat, int period_s, int range_s)
{
	size_t r;

	snprintf(c->metric_stat, sizeof(c->metric_stat), "%s", stat ? stat : "");
	c->metric_period_s = period_s > 0 ? period_s : 0;
	c->metric_range_s = range_s > 0 ? range_s : 0;
	for (r = 0; r < c->m->n_regions; r++)
		c->m->regions[r].status[MODEL_PANEL_METRICS].next_due = 0;
}

int collector_poll_fds(struct collector *c, struct pollfd *fds, int max)
{
	return client_poll_fds(c->cl, fds, max);
}

/* Sleep allowance: the client's timers or the next due panel. */
long collector_timeout_ms(struct collector *c, time_t now)
{
	long t = client_timeout_ms(c->cl), due_ms = -1;
	time_t next = 0;
	size_t r, p;
	bool any = false;

	for (r = 0; r < c->m->n_regions; r++)
		for (p = 0; p < MODEL_PANEL_COUNT; p++) {
			const struct model_status *st = &c->m->regions[r].status[p];
			if (!st->enabled || c->jobs[r][p].running)
				continue;
			if (p == MODEL_PANEL_METRICS && !metrics_ready(c, r))
				continue;
			if (!any || st->next_due < next)
				next = st->next_due;
			any = true;
		}
	if (!c->r53.running && (!any || c->m->route53_status.next_due < next)) {
		next = c->m->route53_status.next_due;
		any = true;
	}
	if (!any || c->m->targets_status.next_due < next)
		next = c->m->targets_status.next_due;
	due_ms = next <= now ? 0 : (long)(next - now) * 1000;
	return t < 0 || due_ms < t ? due_ms : t;
}

/* Drive transfers and completions. */
int collector_perform(struct collector *c, const struct pollfd *fds, int nfds)
{
	client_perform(c->cl, fds, nfds);
	return c->in_flight;
}

/* Calls in flight. */
int collector_in_flight(const struct collector *c)
{
	return c->in_flight;
}

/* Has every enabled panel completed since the marks? */
static bool all_done(struct collector *c, const int *marks)
{
	size_t r, p, i = 0;

	for (r = 0; r < c->m->n_regions; r++)
		for (p = 0; p < MODEL_PANEL_COUNT; p++, i++) {
			if (!c->m->regions[r].status[p].enabled)
				continue;
			if (c->jobs[r][p].running || c->jobs[r][p].completions <= marks[i])
				return false;
		}
	return !c->r53.running && c->r53.completions > marks[i];
}

/* One full collection, blocking. */
int collector_run_once(struct collector *c, long timeout_ms, struct fd_error *err)
{
	int marks[MODEL_MAX_REGIONS * MODEL_PANEL_COUNT + 1];
	struct pollfd fds[64];
	time_t start = now_of(c);
	size_t r, p, i = 0;

	for (r = 0; r < c->m->n_regions; r++)
		for (p = 0; p < MODEL_PANEL_COUNT; p++)
			marks[i++] = c->jobs[r][p].completions;
	marks[i] = c->r53.completions;
	collector_refresh_now(c);
	for (;;) {
		long t;
		int n;
		/* queue what has not run in this round yet */
		for (r = 0; r < c->m->n_regions; r++)
			for (p = 0; p < MODEL_PANEL_COUNT; p++) {
				struct job *j = &c->jobs[r][p];
				if (j->completions > marks[r * MODEL_PANEL_COUNT + p])
					c->m->regions[r].status[p].next_due = INT64_MAX;
			}
		if (c->r53.completions > marks[i])
			c->m->route53_status.next_due = INT64_MAX;
		collector_due(c, now_of(c));
		if (all_done(c, marks))
			break;
		if (timeout_ms >= 0 && (long)(now_of(c) - start) * 1000 > timeout_ms)
			return fd_error_set(err, "Timeout", "the collection did not finish within %ld ms", timeout_ms);
		n = collector_poll_fds(c, fds, (int)(sizeof(fds) / sizeof(fds[0])));
		t = client_timeout_ms(c->cl);
		if (t < 0 || t > 100)
			t = 100;
		if (n > 0 || t > 0)
			poll(fds, (nfds_t)n, (int)t);
		collector_perform(c, fds, n);
	}
	/* leave the schedule as a TUI would have it */
	for (r = 0; r < c->m->n_regions; r++)
		for (p = 0; p < MODEL_PANEL_COUNT; p++)
			if (c->m->regions[r].status[p].next_due == INT64_MAX)
				c->m->regions[r].status[p].next_due = now_of(c) + c->m->regions[r].status[p].interval_s;
	if (c->m->route53_status.next_due == INT64_MAX)
		c->m->route53_status.next_due = now_of(c) + c->m->route53_status.interval_s;
	derive_targets(c, true);
	return 0;
}
