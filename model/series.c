/* series.c — time series of the model (see series.h). */
#include "model/series.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/isotime.h"
#include "base/xalloc.h"

void series_clean_up(struct model_series *s)
{
	free(s->ts);
	free(s->values);
	memset(s, 0, sizeof(*s));
}

/* A timestamp element: ISO 8601 text or epoch number; 0 when neither. */
static time_t point_time(const json_t *v)
{
	if (json_is_number(v))
		return (time_t)json_number_value(v);
	return isotime_seconds(json_string_value(v));
}

/* A value element: a number or a numeric string; NAN otherwise. */
static double point_value(const json_t *v)
{
	const char *s = json_string_value(v);
	char *end;
	double d;

	if (json_is_number(v))
		return json_number_value(v);
	if (!s || !*s)
		return NAN;
	d = strtod(s, &end);
	return *end ? NAN : d;
}

int series_from_json(const json_t *timestamps, const json_t *values, struct model_series *s)
{
	size_t n, i, j;

	memset(s, 0, sizeof(*s));
	if (!json_is_array(timestamps) || !json_is_array(values))
		return -1;
	n = json_array_size(timestamps) < json_array_size(values) ? json_array_size(timestamps)
								   : json_array_size(values);
	if (!n)
		return 0;
	s->ts = xcalloc(n, sizeof(*s->ts));
	s->values = xcalloc(n, sizeof(*s->values));
	for (i = 0; i < n; i++) {
		s->ts[s->n] = point_time(json_array_get(timestamps, i));
		s->values[s->n] = point_value(json_array_get(values, i));
		if (s->ts[s->n] && !isnan(s->values[s->n]))
			s->n++;
	}
	/* insertion sort: results come newest first or oldest first, nearly sorted */
	for (i = 1; i < s->n; i++) {
		time_t t = s->ts[i];
		double v = s->values[i];
		for (j = i; j > 0 && s->ts[j - 1] > t; j--) {
			s->ts[j] = s->ts[j - 1];
			s->values[j] = s->values[j - 1];
		}
		s->ts[j] = t;
		s->values[j] = v;
	}
	return 0;
}

double series_last(const struct model_series *s, time_t *at)
{
	if (!s->n)
		return NAN;
	if (at)
		*at = s->ts[s->n - 1];
	return s->values[s->n - 1];
}

double series_value_at(const struct model_series *s, time_t t)
{
	size_t i;

	for (i = s->n; i-- > 0;)
		if (s->ts[i] == t)
			return s->values[i];
	return NAN;
}

struct model_series series_scaled(const struct model_series *s, double f)
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

/* The mean of the points in each of nb equal buckets of [start, end). */
static void bucket(const struct model_series *s, time_t start, time_t end, double *out, size_t nb)
{
	double width = (double)(end - start) / (double)nb;
	size_t i, b, *count = xcalloc(nb, sizeof(*count));

	for (b = 0; b < nb; b++)
		out[b] = 0;
	for (i = 0; s && width > 0 && i < s->n; i++) {
		if (s->ts[i] < start || s->ts[i] >= end || !isfinite(s->values[i]))
			continue;
		b = (size_t)((double)(s->ts[i] - start) / width);
		if (b >= nb)
			b = nb - 1;
		out[b] += s->values[i];
		count[b]++;
	}
	for (b = 0; b < nb; b++)
		out[b] = count[b] ? out[b] / (double)count[b] : NAN;
	free(count);
}

/* The series over [start, end) in n columns (see series.h). */
void series_bucket(const struct model_series *s, time_t start, time_t end, int period_s, double *out, size_t n)
{
	size_t nb = n, c;
	double *tmp;

	if (!n || end <= start)
		return;
	if (period_s > 0 && (size_t)((end - start) / period_s) < nb)
		nb = (size_t)((end - start) / period_s);   /* no column narrower than a period */
	if (nb < 1)
		nb = 1;
	if (nb == n) {
		bucket(s, start, end, out, n);
		return;
	}
	tmp = xcalloc(nb, sizeof(*tmp));
	bucket(s, start, end, tmp, nb);
	for (c = 0; c < n; c++)
		out[c] = tmp[c * nb / n];
	free(tmp);
}
