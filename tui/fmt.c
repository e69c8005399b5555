/* fmt.c — sparklines, charts, bars, ages and numbers as text (see fmt.h). */
#include "tui/fmt.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

/* ASCII stand-ins for the eight block heights, lowest first. */
static const char ascii_levels[8] = { '_', '.', ',', '-', '~', '=', '*', '#' };

/* Braille dot bits filled from the bottom, for the left and the right value. */
static const unsigned braille_left[4] = { 0x40, 0x04, 0x02, 0x01 };
static const unsigned braille_right[4] = { 0x80, 0x20, 0x10, 0x08 };

/* Append code point cp as UTF-8 if it fits (keeping room for the NUL). */
static void put_cp(char *buf, size_t size, size_t *len, unsigned cp)
{
	char t[4];
	size_t n;

	if (cp < 0x80) {
		t[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		t[0] = (char)(0xc0 | (cp >> 6));
		t[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else {
		t[0] = (char)(0xe0 | (cp >> 12));
		t[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		t[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	}
	if (*len + n < size) {
		memcpy(buf + *len, t, n);
		*len += n;
	}
	if (size)
		buf[*len < size ? *len : size - 1] = '\0';
}

/* The range shown: smallest to largest finite value; a flat series is drawn
 * against zero (full when positive, empty when zero). */
static void range_of(const double *v, size_t n, double *lo, double *hi)
{
	size_t i;
	bool any = false;

	*lo = 0;
	*hi = 0;
	for (i = 0; i < n; i++) {
		if (!isfinite(v[i]))
			continue;
		if (!any || v[i] > *hi)
			*hi = v[i];
		if (!any || v[i] < *lo)
			*lo = v[i];
		any = true;
	}
	if (*hi == *lo) {
		if (*lo > 0)
			*lo = 0;
		else if (*hi < 0)
			*hi = 0;
	}
}

/* The y-axis range for a chart of v[0..n): padded below the smallest finite value
 * so the lowest point still shows, but never below 0 when no value is negative;
 * a flat positive series starts at 0; 0..0 when there is no finite value. */
void fmt_axis(const double *v, size_t n, double *lo, double *hi)
{
	size_t i;

	*lo = INFINITY;
	*hi = -INFINITY;
	for (i = 0; i < n; i++)
		if (isfinite(v[i])) {
			if (v[i] < *lo)
				*lo = v[i];
			if (v[i] > *hi)
				*hi = v[i];
		}
	if (!isfinite(*hi)) {
		*lo = *hi = 0;
	} else if (*hi > *lo) {
		bool nonneg = *lo >= 0;

		*lo -= (*hi - *lo) / 8;  /* the lowest point still shows */
		if (nonneg && *lo < 0)
			*lo = 0;  /* data that is never negative: no axis below 0 */
	} else if (*lo > 0) {
		*lo = 0;
	}
}

/* Scale x from [lo, hi] to 0..levels (rounded); -1 for a gap. */
static int level_of(double x, double lo, double hi, int levels)
{
	double f;

	if (!isfinite(x))
		return -1;
	if (hi <= lo)
		return 0;
	f = (x - lo) / (hi - lo);
	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	return (int)lround(f * levels);
}

/* Sparkline of the newest values, one glyph per column (see fmt.h). */
size_t fmt_spark(char *buf, size_t size, const double *v, size_t n, int width,
		 enum fmt_glyphs g)
{
	size_t len = 0, per = g == FMT_BRAILLE ? 2 : 1, want, first, i;
	double lo, hi;
	int col;

	if (size)
		buf[0] = '\0';
	if (width <= 0)
		return 0;
	want = (size_t)width * per;
	first = n > want ? n - want : 0;
	range_of(v + first, n - first, &lo, &hi);
	/* leading columns without data are blank, so the newest value is at the right */
	for (col = 0; (size_t)col < (want - (n - first)) / per; col++)
		put_cp(buf, size, &len, ' ');
	i = first;
	if ((want - (n - first)) % per && i < n) {
		/* braille with an odd count: the first value takes the right half */
		int r = level_of(v[i], lo, hi, 3);
		unsigned bits = 0;
		for (int d = 0; r >= 0 && d <= r; d++)
			bits |= braille_right[d];
		put_cp(buf, size, &len, 0x2800 + bits);
		i++;
	}
	for (; i < n; i += per) {
		if (g == FMT_BRAILLE) {
			unsigned bits = 0;
			int a = level_of(v[i], lo, hi, 3);
			int b = i + 1 < n ? level_of(v[i + 1], lo, hi, 3) : -1;
			for (int d = 0; a >= 0 && d <= a; d++)
				bits |= braille_left[d];
			for (int d = 0; b >= 0 && d <= b; d++)
				bits |= braille_right[d];
			put_cp(buf, size, &len, bits ? 0x2800 + bits : ' ');
		} else {
			int l = level_of(v[i], lo, hi, 7);
			if (l < 0)
				put_cp(buf, size, &len, ' ');
			else if (g == FMT_ASCII)
				put_cp(buf, size, &len, (unsigned char)ascii_levels[l]);
			else
				put_cp(buf, size, &len, 0x2581 + (unsigned)l);
		}
	}
	return len;
}

/* The scale of a sparkline (see fmt.h). */
void fmt_spark_range(const double *v, size_t n, int width, enum fmt_glyphs g, double *lo, double *hi)
{
	size_t want = width > 0 ? (size_t)width * (g == FMT_BRAILLE ? 2 : 1) : 0, first = n > want ? n - want : 0;

	range_of(v + first, n - first, lo, hi);
}

/* The glyph for a chart cell filled `fill` eighths (block/ASCII). */
static unsigned chart_cell(int fill, enum fmt_glyphs g)
{
	if (fill <= 0)
		return ' ';
	if (g == FMT_ASCII)
		return fill >= 8 ? '#' : fill >= 4 ? '+' : '.';
	return fill >= 8 ? 0x2588 : 0x2580 + (unsigned)fill;
}

/* One row of a multi-row bar chart (see fmt.h). */
size_t fmt_chart_row(char *buf, size_t size, const double *v, size_t n, int width,
		     int height, int row, double lo, double hi, enum fmt_glyphs g)
{
	size_t len = 0, per = g == FMT_BRAILLE ? 2 : 1, want, first, i;
	int dots = g == FMT_BRAILLE ? 4 : 8, below = (height - 1 - row) * dots, col;

	if (size)
		buf[0] = '\0';
	if (width <= 0 || height <= 0 || row < 0 || row >= height)
		return 0;
	want = (size_t)width * per;
	first = n > want ? n - want : 0;
	if (hi <= lo)
		range_of(v + first, n - first, &lo, &hi);
	for (col = 0; (size_t)col < (want - (n - first) + per - 1) / per; col++)
		put_cp(buf, size, &len, ' ');
	i = first;
	if (per == 2 && (want - (n - first)) % 2)
		i++;  /* keep braille pairs aligned on the newest value */
	for (; i < n; i += per) {
		int a = level_of(v[i], lo, hi, height * dots) - below;
		if (g != FMT_BRAILLE) {
			put_cp(buf, size, &len, chart_cell(a, g));
			continue;
		}
		int b = i + 1 < n ? level_of(v[i + 1], lo, hi, height * dots) - below : 0;
		unsigned bits = 0;
		for (int d = 0; d < 4 && d < a; d++)
			bits |= braille_left[d];
		for (int d = 0; d < 4 && d < b; d++)
			bits |= braille_right[d];
		put_cp(buf, size, &len, bits ? 0x2800 + bits : ' ');
	}
	return len;
}

/* A horizontal bar filled to frac (see fmt.h). */
size_t fmt_bar(char *buf, size_t size, double frac, int width, enum fmt_glyphs g)
{
	size_t len = 0;
	int eighths, col;

	if (size)
		buf[0] = '\0';
	if (width <= 0)
		return 0;
	if (!isfinite(frac) || frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	eighths = (int)lround(frac * width * 8);
	for (col = 0; col < width; col++) {
		int fill = eighths - col * 8;
		if (g == FMT_ASCII)
			put_cp(buf, size, &len, fill >= 4 ? '#' : '.');
		else if (fill >= 8)
			put_cp(buf, size, &len, 0x2588);
		else if (fill > 0)
			put_cp(buf, size, &len, 0x2590 - (unsigned)fill); /* left blocks: U+258F is 1/8 */
		else
			put_cp(buf, size, &len, 0x00b7);
	}
	return len;
}

/* Coarse age text (see fmt.h). */
const char *fmt_age(char *buf, size_t size, long age_s)
{
	long step;

	if (age_s < 0) {
		snprintf(buf, size, "-");
		return buf;
	}
	if (age_s < 10)
		snprintf(buf, size, "<10s"), step = 10;
	else if (age_s < 60)
		snprintf(buf, size, "%lds", age_s / 10 * 10), step = 10;
	else if (age_s < 3600)
		snprintf(buf, size, "%ldm", age_s / 60), step = 60;
	else if (age_s < 86400)
		snprintf(buf, size, "%ldh", age_s / 3600), step = 3600;
	else
		snprintf(buf, size, "%ldd", age_s / 86400), step = 86400;
	fmt_change_in(step - age_s % step);
	return buf;
}

/* The soonest time (s since the epoch) a drawn text changes; 0: none. One loop
 * draws, on one thread: a file-level value, reset before each frame. */
static time_t change_at;

void fmt_change_reset(void)
{
	change_at = 0;
}

void fmt_change_in(long s)
{
	time_t at;

	if (s <= 0)
		return;
	at = time(NULL) + s;
	if (!change_at || at < change_at)
		change_at = at;
}

time_t fmt_change_next(void)
{
	return change_at;
}

/* Duration text precise to the second under an hour. */
const char *fmt_duration(char *buf, size_t size, long s)
{
	if (s < 0)
		snprintf(buf, size, "-");
	else if (s < 60)
		snprintf(buf, size, "%lds", s);
	else if (s < 3600)
		snprintf(buf, size, "%ldm%02lds", s / 60, s % 60);
	else
		snprintf(buf, size, "%ldh%02ldm", s / 3600, s % 3600 / 60);
	return buf;
}

/* Compact number text (see fmt.h). */
const char *fmt_num(char *buf, size_t size, double v)
{
	static const struct { double at; double div; const char *suffix; } scale[] = {
		{ 1e12, 1e12, "T" }, { 1e9, 1e9, "G" }, { 1e6, 1e6, "M" }, { 1e4, 1e3, "k" },
	};
	double a = fabs(v);
	size_t k;

	if (!isfinite(v)) {
		snprintf(buf, size, "-");
		return buf;
	}
	for (k = 0; k < sizeof(scale) / sizeof(scale[0]); k++)
		if (a >= scale[k].at) {
			snprintf(buf, size, "%.*f%s", a / scale[k].div >= 100 ? 0 : 1, v / scale[k].div,
				 scale[k].suffix);
			return buf;
		}
	if (a >= 100 || v == floor(v))
		snprintf(buf, size, "%.0f", v);
	else if (a >= 10)
		snprintf(buf, size, "%.1f", v);
	else
		snprintf(buf, size, "%.2f", v);
	return buf;
}

/* Byte length of the longest prefix of s that takes at most w columns. */
static size_t prefix_bytes(const char *s, int w)
{
	mbstate_t st;
	size_t off = 0, len = strlen(s);
	int used = 0;

	memset(&st, 0, sizeof(st));
	while (off < len) {
		wchar_t wc;
		size_t r = mbrtowc(&wc, s + off, len - off, &st);
		int cw;
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			memset(&st, 0, sizeof(st));
			r = 1;
			cw = 1;
		} else {
			cw = wcwidth(wc) < 0 ? 1 : wcwidth(wc);
		}
		if (used + cw > w)
			break;
		used += cw;
		off += r;
	}
	return off;
}

/* Shorten in the middle (see fmt.h). */
const char *fmt_middle(char *buf, size_t size, const char *s, int width, bool ascii)
{
	const char *ell = ascii ? ".." : "\xe2\x80\xa6";
	int ew = ascii ? 2 : 1, total, head, tail;
	size_t hb, skip;

	if (!size)
		return buf;
	s = s ? s : "";
	total = fmt_width(s);
	if (total <= width || width <= ew + 1) {
		snprintf(buf, size, "%.*s", (int)prefix_bytes(s, width), s);
		return buf;
	}
	head = (width - ew) * 2 / 5;
	tail = width - ew - head;
	hb = prefix_bytes(s, head);
	skip = prefix_bytes(s, total - tail);
	while (s[skip] && fmt_width(s + skip) > tail)   /* a wide character at the cut */
		skip++;
	snprintf(buf, size, "%.*s%s%s", (int)hb, s, ell, s + skip);
	return buf;
}

/* Display columns of a UTF-8 string. */
int fmt_width(const char *s)
{
	mbstate_t st;
	int w = 0;

	memset(&st, 0, sizeof(st));
	while (*s) {
		wchar_t wc;
		size_t r = mbrtowc(&wc, s, strlen(s), &st);
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			memset(&st, 0, sizeof(st));
			w++;
			s++;
			continue;
		}
		int cw = wcwidth(wc);
		w += cw < 0 ? 1 : cw;
		s += r;
	}
	return w;
}

/* Case-insensitive substring match for filters. */
bool fmt_match(const char *hay, const char *needle)
{
	size_t n = needle ? strlen(needle) : 0, i;

	if (n == 0)
		return true;
	if (!hay)
		return false;
	for (; *hay; hay++) {
		for (i = 0; i < n && hay[i]; i++)
			if (tolower((unsigned char)hay[i]) != tolower((unsigned char)needle[i]))
				break;
		if (i == n)
			return true;
	}
	return false;
}
