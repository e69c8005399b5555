/* metricmath.h — CloudWatch metric math: parse and evaluate an Expression.
 *
 * Supported: ids of other queries, numbers, + - * / ^ on series and scalars,
 * comparisons (== != < > <= >=), AND/OR/NOT (&& || !), parentheses, arrays
 * [a, b], SUM AVG MIN MAX (of a series: a scalar; of an array: a series),
 * FILL(s, v|REPEAT|LINEAR), IF(cond, a[, b]), ABS CEIL FLOOR, PERIOD(m) (the
 * period of a metric query in seconds; a metric, not an expression's result).
 * A missing datapoint is NAN. Arithmetic that yields NaN or an infinity drops
 * the datapoint and counts it in *dropped (CloudWatch's ArithmeticError).
 * Errors: code "ValidationError", message "Error in expression ID: ..." (the
 * caller prefixes the id with fd_error_prefix when it wants).
 */
#ifndef FD_SIM_METRICMATH_H
#define FD_SIM_METRICMATH_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define METRICMATH_MAX_LEN 1024   /* longest expression accepted */
#define METRICMATH_MAX_DEPTH 64   /* deepest nesting accepted */

enum metricmath_kind { METRICMATH_SCALAR, METRICMATH_SERIES, METRICMATH_ARRAY };

/* A scalar, one time series (ts ascending, v NAN when missing), or an array of
 * series. Owns its memory: metricmath_value_clean_up() frees it. */
struct metricmath_value {
	enum metricmath_kind kind;
	double scalar;
	size_t n;                       /* series: number of points */
	int64_t *ts;                    /* series: epoch seconds */
	double *v;                      /* series: values */
	int period_s;                   /* series of a metric query: its period (0: an expression's) */
	size_t count;                   /* array: number of series */
	struct metricmath_value *items; /* array: the series */
};

/* Fill out with (a copy of) the value of query `id`; return -1 with err set
 * when the id is unknown or its own evaluation fails. */
typedef int (*metricmath_lookup_fn)(void *ctx, const char *id,
				    struct metricmath_value *out, struct fd_error *err);

/* Evaluate expr, looking ids up through lookup; on success out owns the result
 * and *dropped (may be NULL) counts datapoints dropped as non-numeric. */
int metricmath_eval(const char *expr, metricmath_lookup_fn lookup, void *ctx,
		    struct metricmath_value *out, size_t *dropped, struct fd_error *err);

/* Make v a series holding (ts[i], v[i]) for i < n (both copied). */
void metricmath_value_set_series(struct metricmath_value *v, size_t n,
				 const int64_t *ts, const double *vals);

/* Free what v owns and make it the scalar 0. */
void metricmath_value_clean_up(struct metricmath_value *v);

/* Deep-copy src into dst (dst is overwritten, not freed). */
void metricmath_value_copy(struct metricmath_value *dst, const struct metricmath_value *src);

#endif
