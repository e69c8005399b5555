/* series.h — a time series of the model (forecasts, charts, target metrics).
 *
 * Ownership: a struct model_series owns its two arrays; series_clean_up()
 * frees them. Points are oldest first; times are wall-clock seconds.
 */
#ifndef FD_SERIES_H
#define FD_SERIES_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

struct model_series {
	time_t *ts;
	double *values;
	size_t n;
};

/* Free a series' points (it is empty afterwards). */
void series_clean_up(struct model_series *s);
/* Build *s from parallel Timestamps / Values arrays (any order; sorted oldest
 * first; points without a time or a number are dropped). -1 when either is not an array. */
int series_from_json(const json_t *timestamps, const json_t *values, struct model_series *s);
/* The newest value, NAN when empty; *at gets its time when at is not NULL. */
double series_last(const struct model_series *s, time_t *at);
/* The value at time t, NAN when there is no point at t. */
double series_value_at(const struct model_series *s, time_t t);
/* s over [start, end) in n columns into out[0..n): the mean of the points in each
 * of n equal buckets, NAN for a bucket without a point — a whole range drawn in n
 * columns. With fewer periods than columns, each period's bucket spans several
 * columns instead of leaving gaps between them. */
void series_bucket(const struct model_series *s, time_t start, time_t end, int period_s, double *out, size_t n);
/* A copy of s with every value multiplied by f (empty when s is NULL or empty). */
struct model_series series_scaled(const struct model_series *s, double f);

#endif
