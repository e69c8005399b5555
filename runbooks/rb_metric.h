/* rb_metric.h — the arithmetic of the runbook `metric` action: which CloudWatch
 * datapoints are complete, and what a check on them sees.
 *
 * GetMetricData returns the newest datapoint first by default (ScanBy
 * TimestampDescending), a datapoint at T aggregates [T, T + period), and
 * standard metrics are published some time after their period ends. A
 * datapoint counts only when its period lies inside the window being watched
 * (T >= since, rounded up to the period) and has been published
 * (T + period + delay <= now). The values of every query that returns data are
 * judged together, per timestamp: a timestamp where one of them has no value
 * is not complete. No complete timestamp is "no data", never zero.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 */
#ifndef FD_RB_METRIC_H
#define FD_RB_METRIC_H

#include <stdint.h>

#include <jansson.h>

#include "base/error.h"

#define RB_METRIC_PERIOD_S 60       /* the default period: standard-resolution metrics */
#define RB_METRIC_DELAY_MS 120000   /* the default publishing delay: ALB metrics appear 60-120 s late */

struct rb_metric_window {
	long period_s;           /* 1, 5, 10, 30 or a multiple of 60 */
	long delay_ms;           /* publishing delay */
	int64_t since_ms;        /* periods starting before this do not count */
	int64_t now_ms;
};

/* Whether CloudWatch accepts period_s as a Period (1, 5, 10, 30 or a multiple of 60). */
int rb_metric_period_ok(long period_s);
/* The shortest watch window that must contain one complete datapoint: two
 * periods plus the publishing delay, in ms. */
long rb_metric_min_window_ms(long period_s, long delay_ms);

/* The GetMetricData input for queries (a MetricDataQueries array, borrowed)
 * over the window: StartTime and EndTime aligned to the period, Period set on
 * every MetricStat, ScanBy TimestampDescending. NULL with err ("InvalidRunbook")
 * when a query is not an object with an Id, or a MetricStat already has a Period. */
json_t *rb_metric_input(json_t *queries, const struct rb_metric_window *w, struct fd_error *err);

/* The complete timestamps of a GetMetricData result, oldest first: an array of
 * {"t": epoch seconds, "at": "HH:MM:SSZ", "values": {Id: value, ...}} for every
 * query of queries that returns data (ReturnData absent or true). An empty
 * array means no data. NULL with err ("MetricError") when the result lacks a
 * returned query, or a query's StatusCode is an error. */
json_t *rb_metric_complete(json_t *result, json_t *queries, const struct rb_metric_window *w,
			   struct fd_error *err);

#endif
