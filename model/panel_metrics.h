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

struct model_chart {
	char *title;
	char *unit;
	char *stat;
	int period_s;
	int range_s;
	struct model_line *lines;
	size_t n_lines;
	time_t fetched_at;
};


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

#endif
