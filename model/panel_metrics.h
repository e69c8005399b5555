/* panel_metrics.h — the metrics panel: CloudWatch GetMetricData for the built-in figures
 * of the LB, RDS and ASG panels, the config's chart panels and metric targets.
 *
 * Parsers read one operation's botocore-shaped result and build fresh arrays
 * the caller swaps in; a result of the wrong shape fails with "ParseError" and
 * leaves the outputs untouched. `now` stamps fetched_at. Arrays and strings
 * belong to whoever holds them and are freed with the _free functions here.
 */
#ifndef FD_PANEL_METRICS_H
#define FD_PANEL_METRICS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "base/error.h"
#include "model/series.h"

struct model;
struct model_region;

struct model_line {
	char *id;
	char *label;
	struct model_series series;
};

/* What a chart shows: a config panel, or one of the built-in charts of the load balancers. */
enum model_chart_kind { MODEL_CHART_CONFIG, MODEL_CHART_REQUESTS, MODEL_CHART_5XX, MODEL_CHART_LATENCY };

struct model_chart {
	char *title;
	char *unit;
	char *stat;
	int period_s;               /* the period asked for (fitted to GetMetricData's datapoint limit) */
	int range_s;
	enum model_chart_kind kind;
	struct model_line *lines;
	size_t n_lines;
	time_t fetched_at;          /* when its data was read */
	char *error;                /* why its last refresh failed (its data is from fetched_at), NULL: it did not */
};

/* The metric of the alarm the engineer opened, with its threshold (alarms view). */
struct model_alarm_chart {
	char *alarm;                /* its name; NULL: none opened */
	struct model_series series;
	int period_s;
	int range_s;
	time_t fetched_at;
	char *error;                /* why it could not be read, NULL when it was */
};

/* GetMetricData returns "a total of as many as 100,800 data points" per call. */
#define PANEL_METRICS_MAX_POINTS 100800


/* One GetMetricData result, oldest point first. */
struct panel_metrics_result {
	char *id;
	char *label;
	struct model_series series;
};


/* GetMetricData. */
int panel_metrics_parse(const json_t *res, struct panel_metrics_result **out, size_t *n, struct fd_error *err);
void panel_metrics_results_free(struct panel_metrics_result *v, size_t n);
/* The result with this id, NULL when absent. Borrowed. */
const struct panel_metrics_result *panel_metrics_find(const struct panel_metrics_result *v, size_t n,
							const char *id);

void panel_metrics_charts_free(struct model_chart *v, size_t n);
void panel_metrics_alarm_chart_clean_up(struct model_alarm_chart *c);

/* The period for n_queries over range_s seconds: at least want_s, a multiple of 60,
 * and long enough that n_queries * range_s / period fits PANEL_METRICS_MAX_POINTS. */
int panel_metrics_period(size_t n_queries, int range_s, int want_s);

#endif
