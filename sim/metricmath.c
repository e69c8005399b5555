/* metricmath.c — CloudWatch metric math parser and evaluator (see metricmath.h).
 *
 * A recursive-descent parser that evaluates while it parses: every rule
 * returns a metricmath_value. Precedence, lowest first: OR, AND, comparison,
 * + -, * /, ^, unary - ! NOT, primary.
 */
#include "sim/metricmath.h"

#include "base/xalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
	const char *s;     /* whole expression */
	size_t pos;        /* next character */
	int depth;
	metricmath_lookup_fn lookup;
	void *ctx;
	size_t dropped;
	struct fd_error *err;
	int failed;
};

typedef double (*binop_fn)(double a, double b);

static int parse_or(struct parser *p, struct metricmath_value *out);

/* Record a syntax or evaluation error at the current position (first one wins). */
static int fail(struct parser *p, const char *fmt, const char *arg)
{
	char msg[300];

	if (p->failed)
		return -1;
	p->failed = 1;
	snprintf(msg, sizeof(msg), fmt, arg ? arg : "");
	fd_error_set(p->err, "ValidationError", "%s", msg);
	return -1;
}

/* Skip blanks. */
static void skip_ws(struct parser *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
	       p->s[p->pos] == '\r')
		p->pos++;
}

/* Consume the operator tok when it comes next. */
static int accept(struct parser *p, const char *tok)
{
	size_t n = strlen(tok);

	skip_ws(p);
	if (strncmp(p->s + p->pos, tok, n) != 0)
		return 0;
	p->pos += n;
	return 1;
}

/* Consume the keyword kw (a whole word, any case) when it comes next. */
static int accept_word(struct parser *p, const char *kw)
{
	size_t n = strlen(kw);
	char c;

	skip_ws(p);
	if (strncasecmp(p->s + p->pos, kw, n) != 0)
		return 0;
	c = p->s[p->pos + n];
	if (isalnum((unsigned char)c) || c == '_')
		return 0;
	p->pos += n;
	return 1;
}

/* Describe the token at the current position for an error message. */
static const char *here(struct parser *p, char *buf, size_t size)
{
	skip_ws(p);
	if (!p->s[p->pos])
		snprintf(buf, size, "end of expression");
	else
		snprintf(buf, size, "'%c' at position %zu", p->s[p->pos], p->pos + 1);
	return buf;
}

void metricmath_value_clean_up(struct metricmath_value *v)
{
	size_t i;

	free(v->ts);
	free(v->v);
	for (i = 0; i < v->count; i++)
		metricmath_value_clean_up(&v->items[i]);
	free(v->items);
	memset(v, 0, sizeof(*v));
}

void metricmath_value_set_series(struct metricmath_value *v, size_t n,
				 const int64_t *ts, const double *vals)
{
	memset(v, 0, sizeof(*v));
	v->kind = METRICMATH_SERIES;
	v->n = n;
	v->ts = xmalloc((n ? n : 1) * sizeof(*v->ts));
	v->v = xmalloc((n ? n : 1) * sizeof(*v->v));
	if (n) {
		memcpy(v->ts, ts, n * sizeof(*ts));
		memcpy(v->v, vals, n * sizeof(*vals));
	}
}

void metricmath_value_copy(struct metricmath_value *dst, const struct metricmath_value *src)
{
	size_t i;

	if (src->kind == METRICMATH_SERIES) {
		metricmath_value_set_series(dst, src->n, src->ts, src->v);
		dst->period_s = src->period_s;
		return;
	}
	memset(dst, 0, sizeof(*dst));
	dst->kind = src->kind;
	dst->scalar = src->scalar;
	if (src->kind == METRICMATH_ARRAY) {
		dst->count = src->count;
		dst->items = xcalloc(src->count ? src->count : 1, sizeof(*dst->items));
		for (i = 0; i < src->count; i++)
			metricmath_value_copy(&dst->items[i], &src->items[i]);
	}
}

/* Make v an empty series of n points with the timestamps of ts. */
static void series_alloc(struct metricmath_value *v, size_t n, const int64_t *ts)
{
	memset(v, 0, sizeof(*v));
	v->kind = METRICMATH_SERIES;
	v->n = n;
	v->ts = xmalloc((n ? n : 1) * sizeof(*v->ts));
	v->v = xmalloc((n ? n : 1) * sizeof(*v->v));
	if (n && ts)
		memcpy(v->ts, ts, n * sizeof(*ts));
}

/* Turn a non-finite result into a missing point, counting it. */
static double finite_or_drop(struct parser *p, double x, double a, double b)
{
	if (isfinite(x))
		return x;
	if (!isnan(a) && !isnan(b))
		p->dropped++;
	return NAN;
}

/* Index of the timestamp t in s, or -1. */
static long find_ts(const struct metricmath_value *s, int64_t t, size_t hint)
{
	size_t lo = 0, hi = s->n;

	if (hint < s->n && s->ts[hint] == t)
		return (long)hint;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->ts[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->ts[lo] == t ? (long)lo : -1;
}

/* The union of the timestamps of a and b, ascending, into out (series). */
static void ts_union(const struct metricmath_value *a, const struct metricmath_value *b,
		     struct metricmath_value *out)
{
	size_t i = 0, j = 0, k = 0;

	series_alloc(out, a->n + b->n, NULL);
	while (i < a->n || j < b->n) {
		int64_t t;
		if (j >= b->n || (i < a->n && a->ts[i] < b->ts[j]))
			t = a->ts[i++];
		else if (i >= a->n || b->ts[j] < a->ts[i])
			t = b->ts[j++];
		else {
			t = a->ts[i++];
			j++;
		}
		out->ts[k++] = t;
	}
	out->n = k;
}

/* Value of x at timestamp t (a scalar everywhere, a series where it has t). */
static double value_at(const struct metricmath_value *x, int64_t t, size_t hint)
{
	long i;

	if (x->kind == METRICMATH_SCALAR)
		return x->scalar;
	i = find_ts(x, t, hint);
	return i < 0 ? NAN : x->v[i];
}

/* Apply f pointwise to two values, neither an array. */
static void apply2_plain(struct parser *p, binop_fn f, const struct metricmath_value *a,
			 const struct metricmath_value *b, struct metricmath_value *out)
{
	size_t i;

	if (a->kind == METRICMATH_SCALAR && b->kind == METRICMATH_SCALAR) {
		memset(out, 0, sizeof(*out));
		out->kind = METRICMATH_SCALAR;
		out->scalar = finite_or_drop(p, f(a->scalar, b->scalar), a->scalar, b->scalar);
		return;
	}
	if (a->kind == METRICMATH_SERIES && b->kind == METRICMATH_SERIES &&
	    (a->n != b->n || (a->n && memcmp(a->ts, b->ts, a->n * sizeof(*a->ts)) != 0)))
		ts_union(a, b, out);
	else
		series_alloc(out, a->kind == METRICMATH_SERIES ? a->n : b->n,
			     a->kind == METRICMATH_SERIES ? a->ts : b->ts);
	for (i = 0; i < out->n; i++) {
		double x = value_at(a, out->ts[i], i), y = value_at(b, out->ts[i], i);
		out->v[i] = isnan(x) || isnan(y) ? NAN : finite_or_drop(p, f(x, y), x, y);
	}
}

/* Apply f to a and b, mapping over arrays; consumes a and b. */
static int apply2(struct parser *p, binop_fn f, struct metricmath_value *a,
		  struct metricmath_value *b, struct metricmath_value *out)
{
	size_t i;
	int rc = 0;

	if (a->kind == METRICMATH_ARRAY && b->kind == METRICMATH_ARRAY) {
		rc = fail(p, "Error in expression: an operator cannot combine two arrays of time series%s", NULL);
	} else if (a->kind == METRICMATH_ARRAY || b->kind == METRICMATH_ARRAY) {
		struct metricmath_value *arr = a->kind == METRICMATH_ARRAY ? a : b;
		memset(out, 0, sizeof(*out));
		out->kind = METRICMATH_ARRAY;
		out->count = arr->count;
		out->items = xcalloc(arr->count ? arr->count : 1, sizeof(*out->items));
		for (i = 0; i < arr->count; i++) {
			if (arr == a)
				apply2_plain(p, f, &a->items[i], b, &out->items[i]);
			else
				apply2_plain(p, f, a, &b->items[i], &out->items[i]);
		}
	} else {
		apply2_plain(p, f, a, b, out);
	}
	metricmath_value_clean_up(a);
	metricmath_value_clean_up(b);
	return rc;
}

/* The binary operators, pointwise. */
static double op_add(double a, double b) { return a + b; }
static double op_sub(double a, double b) { return a - b; }
static double op_mul(double a, double b) { return a * b; }
static double op_div(double a, double b) { return a / b; }
static double op_pow(double a, double b) { return pow(a, b); }
static double op_eq(double a, double b) { return a == b; }
static double op_ne(double a, double b) { return a != b; }
static double op_lt(double a, double b) { return a < b; }
static double op_gt(double a, double b) { return a > b; }
static double op_le(double a, double b) { return a <= b; }
static double op_ge(double a, double b) { return a >= b; }
static double op_and(double a, double b) { return a != 0 && b != 0; }
static double op_or(double a, double b) { return a != 0 || b != 0; }

/* One binary operator of a precedence level. */
struct binop {
	const char *tok;   /* symbol, or keyword when word is set */
	int word;
	binop_fn fn;
};

static const struct binop or_ops[] = { { "||", 0, op_or }, { "OR", 1, op_or }, { NULL, 0, NULL } };
static const struct binop and_ops[] = { { "&&", 0, op_and }, { "AND", 1, op_and }, { NULL, 0, NULL } };
static const struct binop cmp_ops[] = {
	{ "==", 0, op_eq }, { "!=", 0, op_ne }, { "<=", 0, op_le }, { ">=", 0, op_ge },
	{ "<", 0, op_lt }, { ">", 0, op_gt }, { NULL, 0, NULL },
};
static const struct binop add_ops[] = { { "+", 0, op_add }, { "-", 0, op_sub }, { NULL, 0, NULL } };
static const struct binop mul_ops[] = { { "*", 0, op_mul }, { "/", 0, op_div }, { NULL, 0, NULL } };

/* The operator of ops that comes next (consumed), or NULL. */
static const struct binop *next_op(struct parser *p, const struct binop *ops)
{
	for (; ops->tok; ops++)
		if (ops->word ? accept_word(p, ops->tok) : accept(p, ops->tok))
			return ops;
	return NULL;
}

/* Parse `sub (op sub)*` for one precedence level (once only when single). */
static int parse_level(struct parser *p, const struct binop *ops, int single,
		       int (*sub)(struct parser *, struct metricmath_value *),
		       struct metricmath_value *out)
{
	const struct binop *op;

	if (sub(p, out) < 0)
		return -1;
	while ((op = next_op(p, ops))) {
		struct metricmath_value rhs, res;
		if (sub(p, &rhs) < 0) {
			metricmath_value_clean_up(out);
			return -1;
		}
		if (apply2(p, op->fn, out, &rhs, &res) < 0)
			return -1;
		*out = res;
		if (single)
			break;
	}
	return 0;
}

static int parse_unary(struct parser *p, struct metricmath_value *out);

/* pow := unary ('^' unary)? */
static int parse_pow(struct parser *p, struct metricmath_value *out)
{
	static const struct binop pow_ops[] = { { "^", 0, op_pow }, { NULL, 0, NULL } };

	return parse_level(p, pow_ops, 1, parse_unary, out);
}

/* mul := pow (('*'|'/') pow)* */
static int parse_mul(struct parser *p, struct metricmath_value *out)
{
	return parse_level(p, mul_ops, 0, parse_pow, out);
}

/* add := mul (('+'|'-') mul)* */
static int parse_add(struct parser *p, struct metricmath_value *out)
{
	return parse_level(p, add_ops, 0, parse_mul, out);
}

/* cmp := add (cmpop add)? */
static int parse_cmp(struct parser *p, struct metricmath_value *out)
{
	return parse_level(p, cmp_ops, 1, parse_add, out);
}

/* and := cmp (AND cmp)* */
static int parse_and(struct parser *p, struct metricmath_value *out)
{
	return parse_level(p, and_ops, 0, parse_cmp, out);
}

/* or := and (OR and)* */
static int parse_or(struct parser *p, struct metricmath_value *out)
{
	int rc;

	if (++p->depth > METRICMATH_MAX_DEPTH) {
		p->depth--;
		return fail(p, "Error in expression: nesting deeper than 64 levels%s", NULL);
	}
	rc = parse_level(p, or_ops, 0, parse_and, out);
	p->depth--;
	return rc;
}

/* Apply f(x, 0) pointwise to a value in place (used for unary operators). */
static void map1(struct parser *p, struct metricmath_value *v, double (*f)(double))
{
	size_t i;

	if (v->kind == METRICMATH_SCALAR) {
		v->scalar = finite_or_drop(p, f(v->scalar), v->scalar, 0);
	} else if (v->kind == METRICMATH_SERIES) {
		for (i = 0; i < v->n; i++)
			if (!isnan(v->v[i]))
				v->v[i] = finite_or_drop(p, f(v->v[i]), v->v[i], 0);
	} else {
		for (i = 0; i < v->count; i++)
			map1(p, &v->items[i], f);
	}
}

/* The unary operators and functions, pointwise. */
static double neg1(double x) { return -x; }
static double not1(double x) { return x == 0; }
static double abs1(double x) { return fabs(x); }
static double ceil1(double x) { return ceil(x); }
static double floor1(double x) { return floor(x); }

static int parse_primary(struct parser *p, struct metricmath_value *out);

/* unary := ('-'|'+'|'!'|NOT) unary | primary */
static int parse_unary(struct parser *p, struct metricmath_value *out)
{
	double (*f)(double) = NULL;
	int rc;

	skip_ws(p);
	if (accept(p, "-"))
		f = neg1;
	else if (accept(p, "+"))
		f = NULL;
	else if (p->s[p->pos] == '!' && p->s[p->pos + 1] != '=' && accept(p, "!"))
		f = not1;
	else if (accept_word(p, "NOT"))
		f = not1;
	else
		return parse_primary(p, out);
	if (++p->depth > METRICMATH_MAX_DEPTH) {
		p->depth--;
		return fail(p, "Error in expression: nesting deeper than 64 levels%s", NULL);
	}
	rc = parse_unary(p, out);
	p->depth--;
	if (rc == 0 && f)
		map1(p, out, f);
	return rc;
}

/* Parse a comma-separated argument list up to ')' into args (at most max). */
static int parse_args(struct parser *p, const char *fname, struct metricmath_value *args,
		      size_t max, size_t *n)
{
	char buf[64];

	*n = 0;
	if (accept(p, ")"))
		return 0;
	for (;;) {
		if (*n == max) {
			fail(p, "Error in expression: too many arguments to %s", fname);
			goto fail;
		}
		if (parse_or(p, &args[*n]) < 0)
			goto fail;
		(*n)++;
		if (accept(p, ")"))
			return 0;
		if (!accept(p, ",")) {
			fail(p, "Error in expression: expected ',' or ')' but found %s",
			     here(p, buf, sizeof(buf)));
			goto fail;
		}
	}
fail:
	while (*n)
		metricmath_value_clean_up(&args[--(*n)]);
	return -1;
}

/* One aggregate (SUM, AVG, MIN, MAX) over the non-missing values of xs. */
static double aggregate(const char *fname, const double *xs, size_t n, size_t stride)
{
	double acc = NAN;
	size_t i, cnt = 0;

	for (i = 0; i < n; i++) {
		double x = xs[i * stride];
		if (isnan(x))
			continue;
		if (cnt++ == 0)
			acc = x;
		else if (fname[1] == 'U' || fname[0] == 'A')
			acc += x;
		else if (fname[1] == 'I')
			acc = x < acc ? x : acc;
		else
			acc = x > acc ? x : acc;
	}
	if (cnt && fname[0] == 'A')
		acc /= (double)cnt;
	return acc;
}

/* SUM/AVG/MIN/MAX: a series gives a scalar, an array a series. */
static int fn_aggregate(struct parser *p, const char *fname, struct metricmath_value *args,
			size_t n, struct metricmath_value *out)
{
	struct metricmath_value *a = &args[0];
	size_t i, j;

	if (n != 1)
		return fail(p, "Error in expression: %s takes exactly one argument", fname);
	memset(out, 0, sizeof(*out));
	if (a->kind == METRICMATH_SCALAR) {
		return fail(p, "Error in expression: %s expects a time series or an array of time series", fname);
	} else if (a->kind == METRICMATH_SERIES) {
		out->kind = METRICMATH_SCALAR;
		out->scalar = aggregate(fname, a->v, a->n, 1);
	} else {
		struct metricmath_value acc = { 0 }, tmp;
		double *col;
		if (a->count == 0)
			return fail(p, "Error in expression: %s of an empty array", fname);
		/* the union of all timestamps */
		metricmath_value_copy(&acc, &a->items[0]);
		for (i = 1; i < a->count; i++) {
			ts_union(&acc, &a->items[i], &tmp);
			metricmath_value_clean_up(&acc);
			acc = tmp;
		}
		col = xmalloc(a->count * sizeof(*col));
		for (j = 0; j < acc.n; j++) {
			for (i = 0; i < a->count; i++)
				col[i] = value_at(&a->items[i], acc.ts[j], j);
			acc.v[j] = aggregate(fname, col, a->count, 1);
		}
		free(col);
		*out = acc;
	}
	return 0;
}

/* FILL(series, value|REPEAT|LINEAR); the second argument was parsed by the caller. */
static void fill_series(struct metricmath_value *s, const struct metricmath_value *with, int mode)
{
	size_t i, j;
	double last = NAN;

	if (s->kind == METRICMATH_ARRAY) {
		for (i = 0; i < s->count; i++)
			fill_series(&s->items[i], with, mode);
		return;
	}
	for (i = 0; i < s->n; i++) {
		if (!isnan(s->v[i])) {
			last = s->v[i];
			continue;
		}
		if (mode == 0) {
			s->v[i] = value_at(with, s->ts[i], i);
		} else if (mode == 1) {
			s->v[i] = last;
		} else {
			for (j = i; j < s->n && isnan(s->v[j]); j++)
				;
			if (!isnan(last) && j < s->n) {
				double t0 = (double)s->ts[i - 1], t1 = (double)s->ts[j];
				size_t k;
				for (k = i; k < j; k++)
					s->v[k] = last + (s->v[j] - last) * ((double)s->ts[k] - t0) / (t1 - t0);
			}
			i = j - 1;
		}
	}
}

/* IF(cond, a[, b]) pointwise over cond's timestamps. */
static int fn_if(struct parser *p, struct metricmath_value *args, size_t n,
		 struct metricmath_value *out)
{
	struct metricmath_value *c = &args[0];
	size_t i;

	if (n < 2 || n > 3)
		return fail(p, "Error in expression: IF takes 2 or 3 arguments%s", NULL);
	for (i = 0; i < n; i++)
		if (args[i].kind == METRICMATH_ARRAY)
			return fail(p, "Error in expression: IF does not accept arrays of time series%s", NULL);
	if (c->kind == METRICMATH_SCALAR) {
		if (c->scalar != 0)
			metricmath_value_copy(out, &args[1]);
		else if (n == 3)
			metricmath_value_copy(out, &args[2]);
		else
			return fail(p, "Error in expression: IF with a false scalar condition and no false value%s", NULL);
		return 0;
	}
	series_alloc(out, c->n, c->ts);
	for (i = 0; i < c->n; i++) {
		if (isnan(c->v[i]))
			out->v[i] = NAN;
		else if (c->v[i] != 0)
			out->v[i] = value_at(&args[1], c->ts[i], i);
		else
			out->v[i] = n == 3 ? value_at(&args[2], c->ts[i], i) : NAN;
	}
	return 0;
}

/* Parse the arguments of function fname and evaluate it. */
static int parse_call(struct parser *p, const char *fname, struct metricmath_value *out)
{
	struct metricmath_value args[3];
	size_t n = 0, i;
	int rc = 0;

	memset(args, 0, sizeof(args));
	if (strcmp(fname, "FILL") == 0) {
		int mode = 0;
		if (parse_or(p, &args[0]) < 0)
			return -1;
		n = 1;
		if (!accept(p, ",")) {
			rc = fail(p, "Error in expression: FILL takes 2 arguments%s", NULL);
			goto done;
		}
		if (accept_word(p, "REPEAT"))
			mode = 1;
		else if (accept_word(p, "LINEAR"))
			mode = 2;
		else if (parse_or(p, &args[1]) < 0) {
			rc = -1;
			goto done;
		}
		n = 2;
		if (!accept(p, ")")) {
			rc = fail(p, "Error in expression: FILL takes 2 arguments%s", NULL);
			goto done;
		}
		if (args[0].kind == METRICMATH_SCALAR || args[1].kind == METRICMATH_ARRAY) {
			rc = fail(p, "Error in expression: FILL expects a time series and a scalar or a time series%s", NULL);
			goto done;
		}
		fill_series(&args[0], &args[1], mode);
		*out = args[0];
		memset(&args[0], 0, sizeof(args[0]));
		goto done;
	}
	if (parse_args(p, fname, args, 3, &n) < 0)
		return -1;
	if (strcmp(fname, "SUM") == 0 || strcmp(fname, "AVG") == 0 ||
	    strcmp(fname, "MIN") == 0 || strcmp(fname, "MAX") == 0) {
		rc = fn_aggregate(p, fname, args, n, out);
	} else if (strcmp(fname, "IF") == 0) {
		rc = fn_if(p, args, n, out);
	} else if (strcmp(fname, "PERIOD") == 0) {
		/* "Returns the period of the metric in seconds. Valid input is metrics, not
		 * the results of other expressions." */
		if (n != 1 || args[0].kind != METRICMATH_SERIES || args[0].period_s <= 0) {
			rc = fail(p, "Error in expression: PERIOD takes one metric, not the result of an expression%s", NULL);
			goto done;
		}
		memset(out, 0, sizeof(*out));
		out->kind = METRICMATH_SCALAR;
		out->scalar = args[0].period_s;
	} else {
		double (*f)(double) = strcmp(fname, "ABS") == 0 ? abs1 :
				      strcmp(fname, "CEIL") == 0 ? ceil1 : floor1;
		if (n != 1) {
			rc = fail(p, "Error in expression: %s takes exactly one argument", fname);
			goto done;
		}
		*out = args[0];
		memset(&args[0], 0, sizeof(args[0]));
		map1(p, out, f);
	}
done:
	for (i = 0; i < n; i++)
		metricmath_value_clean_up(&args[i]);
	return rc;
}

/* The functions this evaluator knows. */
static const char *const functions[] = { "SUM", "AVG", "MIN", "MAX", "FILL", "IF", "ABS", "CEIL", "FLOOR",
	"PERIOD", NULL };

/* primary := number | id | FUNC(args) | (expr) | [expr, ...] */
static int parse_primary(struct parser *p, struct metricmath_value *out)
{
	char buf[64], word[65];
	const char *s;
	size_t n = 0, i;

	skip_ws(p);
	s = p->s + p->pos;
	memset(out, 0, sizeof(*out));
	if (isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1]))) {
		char *end;
		out->kind = METRICMATH_SCALAR;
		out->scalar = strtod(s, &end);
		if (!isfinite(out->scalar))
			return fail(p, "Error in expression: number out of range%s", NULL);
		p->pos += (size_t)(end - s);
		return 0;
	}
	if (accept(p, "(")) {
		if (parse_or(p, out) < 0)
			return -1;
		if (!accept(p, ")")) {
			metricmath_value_clean_up(out);
			return fail(p, "Error in expression: expected ')' but found %s", here(p, buf, sizeof(buf)));
		}
		return 0;
	}
	if (accept(p, "[")) {
		out->kind = METRICMATH_ARRAY;
		for (;;) {
			struct metricmath_value item;
			if (parse_or(p, &item) < 0) {
				metricmath_value_clean_up(out);
				return -1;
			}
			if (item.kind != METRICMATH_SERIES) {
				metricmath_value_clean_up(&item);
				metricmath_value_clean_up(out);
				return fail(p, "Error in expression: an array may only hold time series%s", NULL);
			}
			out->items = xrealloc(out->items, (out->count + 1) * sizeof(*out->items));
			out->items[out->count++] = item;
			if (accept(p, "]"))
				return 0;
			if (!accept(p, ",")) {
				metricmath_value_clean_up(out);
				return fail(p, "Error in expression: expected ',' or ']' but found %s",
					    here(p, buf, sizeof(buf)));
			}
		}
	}
	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	if (n == 0)
		return fail(p, "Error in expression: unexpected %s", here(p, buf, sizeof(buf)));
	if (n >= sizeof(word))
		return fail(p, "Error in expression: identifier too long%s", NULL);
	memcpy(word, s, n);
	word[n] = '\0';
	p->pos += n;
	if (accept(p, "(")) {
		for (i = 0; functions[i]; i++)
			if (strcmp(word, functions[i]) == 0)
				return parse_call(p, word, out);
		return fail(p, "Error in expression: Unrecognized function %s", word);
	}
	if (!islower((unsigned char)word[0]))
		return fail(p, "Error in expression: Unrecognized identifier %s", word);
	if (p->lookup(p->ctx, word, out, p->err) < 0) {
		p->failed = 1;
		return -1;
	}
	return 0;
}

int metricmath_eval(const char *expr, metricmath_lookup_fn lookup, void *ctx,
		    struct metricmath_value *out, size_t *dropped, struct fd_error *err)
{
	struct parser p = { .s = expr, .lookup = lookup, .ctx = ctx, .err = err };
	char buf[64];

	memset(out, 0, sizeof(*out));
	if (dropped)
		*dropped = 0;
	if (strlen(expr) > METRICMATH_MAX_LEN)
		return fd_error_set(err, "ValidationError", "Error in expression: longer than %d characters",
				    METRICMATH_MAX_LEN);
	skip_ws(&p);
	if (!expr[p.pos])
		return fd_error_set(err, "ValidationError", "Error in expression: the expression is empty");
	if (parse_or(&p, out) < 0)
		return -1;
	skip_ws(&p);
	if (expr[p.pos]) {
		metricmath_value_clean_up(out);
		return fail(&p, "Error in expression: unexpected %s", here(&p, buf, sizeof(buf)));
	}
	if (dropped)
		*dropped = p.dropped;
	return 0;
}
