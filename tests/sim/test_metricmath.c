/* test_metricmath.c — metric math parser and evaluator: exact results and errors. */
#include "sim/metricmath.h"

#include "tests/tap.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const int64_t ts[4] = { 60, 120, 180, 240 };
static const double m1[4] = { 10, 20, NAN, 40 };
static const double m2[4] = { 5, 0, 3, 8 };
static const int64_t ts_b[2] = { 120, 300 };
static const double m3[2] = { 1, 2 };

/* The queries m1, m2 (same timestamps) and m3 (other timestamps). */
static int lookup(void *ctx, const char *id, struct metricmath_value *out, struct fd_error *err)
{
	(void)ctx;
	if (strcmp(id, "m1") == 0)
		metricmath_value_set_series(out, 4, ts, m1);
	else if (strcmp(id, "m2") == 0)
		metricmath_value_set_series(out, 4, ts, m2);
	else if (strcmp(id, "m3") == 0)
		metricmath_value_set_series(out, 2, ts_b, m3);
	else
		return fd_error_set(err, "ValidationError", "Error in expression: Unrecognized identifier %s", id);
	return 0;
}

/* Render a value as text: "3.5", "[60:10 120:- ...]" or "{[...] [...]}". */
static void render(const struct metricmath_value *v, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	if (v->kind == METRICMATH_SCALAR) {
		if (isnan(v->scalar))
			snprintf(buf, size, "-");
		else
			snprintf(buf, size, "%g", v->scalar);
		return;
	}
	if (v->kind == METRICMATH_ARRAY) {
		len += (size_t)snprintf(buf + len, size - len, "{");
		for (i = 0; i < v->count; i++) {
			render(&v->items[i], buf + len, size - len);
			len = strlen(buf);
			len += (size_t)snprintf(buf + len, size - len, i + 1 < v->count ? " " : "");
		}
		snprintf(buf + len, size - len, "}");
		return;
	}
	len += (size_t)snprintf(buf + len, size - len, "[");
	for (i = 0; i < v->n; i++) {
		if (isnan(v->v[i]))
			len += (size_t)snprintf(buf + len, size - len, "%s%lld:-", i ? " " : "", (long long)v->ts[i]);
		else
			len += (size_t)snprintf(buf + len, size - len, "%s%lld:%g", i ? " " : "", (long long)v->ts[i], v->v[i]);
	}
	snprintf(buf + len, size - len, "]");
}

/* Evaluate expr and compare its rendering (or "ERR: message") with want. */
static void check(const char *expr, const char *want, size_t want_dropped)
{
	struct metricmath_value v;
	struct fd_error err;
	size_t dropped = 0;
	char buf[1024];

	fd_error_clear(&err);
	if (metricmath_eval(expr, lookup, NULL, &v, &dropped, &err) < 0) {
		snprintf(buf, sizeof(buf), "ERR %s: %s", err.code, err.message);
		is_str(buf, want, "%s", expr);
		return;
	}
	render(&v, buf, sizeof(buf));
	is_str(buf, want, "%s", expr);
	if (want_dropped)
		is_int(dropped, want_dropped, "%s drops %zu", expr, want_dropped);
	metricmath_value_clean_up(&v);
}

int main(void)
{
	check("1 + 2 * 3", "7", 0);
	check("(1 + 2) * 3", "9", 0);
	check("2 ^ 3 * 2", "16", 0);
	check("-2 + 5", "3", 0);
	check("10 / 4 - 1", "1.5", 0);
	check("1e-3 * 1000", "1", 0);
	check("m1", "[60:10 120:20 180:- 240:40]", 0);
	check("m1 * 2 + 1", "[60:21 120:41 180:- 240:81]", 0);
	check("100 * m1 / m2", "[60:200 120:- 180:- 240:500]", 1);
	check("m1 + m2", "[60:15 120:20 180:- 240:48]", 0);
	check("m1 - m3", "[60:- 120:19 180:- 240:- 300:-]", 0);
	check("SUM(m1)", "70", 0);
	check("AVG(m1)", "23.3333", 0);
	check("MIN(m2)", "0", 0);
	check("MAX(m2)", "8", 0);
	check("SUM([m1, m2])", "[60:15 120:20 180:3 240:48]", 0);
	check("AVG([m1, m2])", "[60:7.5 120:10 180:3 240:24]", 0);
	check("MAX([m1, m2, m3])", "[60:10 120:20 180:3 240:40 300:2]", 0);
	check("MIN([m1,m2])", "[60:5 120:0 180:3 240:8]", 0);
	check("m1 / AVG(m1)", "[60:0.428571 120:0.857143 180:- 240:1.71429]", 0);
	check("FILL(m1, 0)", "[60:10 120:20 180:0 240:40]", 0);
	check("FILL(m1, m2)", "[60:10 120:20 180:3 240:40]", 0);
	check("FILL(m1, REPEAT)", "[60:10 120:20 180:20 240:40]", 0);
	check("FILL(m1, LINEAR)", "[60:10 120:20 180:30 240:40]", 0);
	check("IF(m2 > 4, m1, 0)", "[60:10 120:0 180:0 240:40]", 0);
	check("IF(m2 < 4, m1, 0)", "[60:0 120:20 180:- 240:0]", 0);
	check("IF(m2 > 4, 1)", "[60:1 120:- 180:- 240:1]", 0);
	check("IF(m2 >= 3 AND m2 < 8, m2, -1)", "[60:5 120:-1 180:3 240:-1]", 0);
	check("IF(m2 == 0 || m2 == 8, 1, 0)", "[60:0 120:1 180:0 240:1]", 0);
	check("IF(NOT (m2 != 0), 7, 9)", "[60:9 120:7 180:9 240:9]", 0);
	check("IF(!(m2 <= 3), 7, 9)", "[60:7 120:9 180:9 240:7]", 0);
	check("[m1, m2] * 10", "{[60:100 120:200 180:- 240:400] [60:50 120:0 180:30 240:80]}", 0);
	check("ABS(-3) + FLOOR(2.7) + CEIL(0.2)", "6", 0);
	check("1 / 0", "-", 1);
	/* errors */
	check("", "ERR ValidationError: Error in expression: the expression is empty", 0);
	check("m1 +", "ERR ValidationError: Error in expression: unexpected end of expression", 0);
	check("(m1 + 2", "ERR ValidationError: Error in expression: expected ')' but found end of expression", 0);
	check("m1 m2", "ERR ValidationError: Error in expression: unexpected 'm' at position 4", 0);
	check("m9 * 2", "ERR ValidationError: Error in expression: Unrecognized identifier m9", 0);
	check("FOO(m1)", "ERR ValidationError: Error in expression: Unrecognized function FOO", 0);
	check("M1 + 1", "ERR ValidationError: Error in expression: Unrecognized identifier M1", 0);
	check("SUM(m1, m2)", "ERR ValidationError: Error in expression: SUM takes exactly one argument", 0);
	check("SUM(3)", "ERR ValidationError: Error in expression: SUM expects a time series or an array of time series", 0);
	check("IF(m1)", "ERR ValidationError: Error in expression: IF takes 2 or 3 arguments", 0);
	check("[m1] + [m2]", "ERR ValidationError: Error in expression: an operator cannot combine two arrays of time series", 0);
	check("FILL(m1)", "ERR ValidationError: Error in expression: FILL takes 2 arguments", 0);
	check("m1 # 2", "ERR ValidationError: Error in expression: unexpected '#' at position 4", 0);
	{
		char deep[300];
		memset(deep, '(', 100);
		strcpy(deep + 100, "1");
		memset(deep + 101, ')', 100);
		deep[201] = '\0';
		check(deep, "ERR ValidationError: Error in expression: nesting deeper than 64 levels", 0);
	}
	return done_testing();
}
