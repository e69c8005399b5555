/* targets.h — success targets derived from the model, metrics and runbook measurements.
 *
 * The targets are data (config): targets_init() builds m->targets from cfg once;
 * targets_derive() recomputes each value, status and sparkline history from
 * what the collectors gathered. Pure functions of their inputs: tests feed
 * them fixtures and a fixed `now`.
 *
 * Sources:
 *   asg-activity         last successful scale-out activity: EndTime - StartTime (s)
 *   metric / expression  newest value of the first returned query with data (× scale)
 *   measurement          newest value named `measurement` in the measurements file (× scale)
 *   rds-replica-latency  (primary ReadLatency - mean replica ReadLatency) / primary × 100
 */
#ifndef FD_TARGETS_H
#define FD_TARGETS_H

#include <time.h>

#include "model/config.h"
#include "model/measure.h"
#include "model/model.h"

/* The metric data gathered for one metric/expression target: the series of
 * each returned query, in the target's query order (NULL / n 0 when none). */
struct targets_metric {
	const struct model_series *series;  /* borrowed */
	size_t n_series;
	bool fetched;                        /* a GetMetricData for it succeeded */
};

/* Build m->targets (names, units, objectives; no data yet) from cfg. */
void targets_init(struct model *m, const struct fd_config *cfg);

/* Recompute every target. metrics has cfg->n_targets entries (or is NULL);
 * ms are the measurements, oldest first. */
void targets_derive(struct model *m, const struct fd_config *cfg,
		    const struct targets_metric *metrics, const struct measure *ms, size_t n_ms,
		    time_t now);

/* "< 60 s", ">= 30 %", "<= 0 s" (caller frees). */
char *targets_objective_text(enum model_cmp cmp, double objective, const char *unit);

/* 1 when a target is missed, else 0 (met or no data): snapshot's exit status. */
int targets_exit_status(const struct model *m);

#endif
