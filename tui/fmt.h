/* fmt.h — text the dashboard shows, computed without curses (unit-testable).
 *
 * Sparklines, charts, bars, ages and numbers are rendered into caller
 * buffers as UTF-8 (or pure ASCII when the glyph set is FMT_ASCII), one
 * terminal column per glyph. A value that is NaN is a gap (a space).
 */
#ifndef FD_TUI_FMT_H
#define FD_TUI_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum fmt_glyphs {
	FMT_ASCII,    /* bytes < 0x80 only */
	FMT_BLOCK,    /* U+2581..U+2588 lower blocks */
	FMT_BRAILLE,  /* U+2800.. two values per column */
};

/* Render the last values of v[0..n) as a one-line sparkline of width columns,
 * scaled between the minimum and maximum of what is shown; returns bytes written. */
size_t fmt_spark(char *buf, size_t size, const double *v, size_t n, int width,
		 enum fmt_glyphs g);

/* The scale fmt_spark draws the same arguments with: its bottom and top values
 * (0..0 when nothing is finite). Print it beside a sparkline so its height means something. */
void fmt_spark_range(const double *v, size_t n, int width, enum fmt_glyphs g, double *lo, double *hi);

/* Render row `row` (0 = top) of a chart `height` rows high of the last values of
 * v, scaled from lo to hi (hi <= lo: from the data); returns bytes written. */
size_t fmt_chart_row(char *buf, size_t size, const double *v, size_t n, int width,
		     int height, int row, double lo, double hi, enum fmt_glyphs g);

/* The y-axis range for a chart of v[0..n): padded below the smallest finite value
 * so the lowest point still shows, but never below 0 when no value is negative;
 * a flat positive series starts at 0; 0..0 when there is no finite value. */
void fmt_axis(const double *v, size_t n, double *lo, double *hi);

/* Render a bar of width columns, frac (0..1) of it filled; returns bytes written. */
size_t fmt_bar(char *buf, size_t size, double frac, int width, enum fmt_glyphs g);

/* Format an age in seconds coarsely, rounded down: "<10s", "20s" (10 s steps under
 * a minute), "12m", "3h", "2d"; "-" when negative. Notes when the text changes next
 * (fmt_change_in), so the dashboard sleeps until then and no longer. */
const char *fmt_age(char *buf, size_t size, long age_s);

/* What is drawn from the clock changes in s seconds (s > 0; others ignored): an
 * age's text, or a staleness threshold's role. fmt_change_next() is the soonest
 * such time since fmt_change_reset() (seconds since the epoch; 0: none). The
 * loop resets before each frame and wakes at the soonest, so nothing wakes at
 * rest unless what is shown would change. */
void fmt_change_reset(void);
void fmt_change_in(long s);
time_t fmt_change_next(void);

/* Format a duration precisely enough for scaling activities ("42s", "1m35s", "2h05m"). */
const char *fmt_duration(char *buf, size_t size, long s);

/* Format a number compactly in at most 6 columns ("12.3", "1.2k", "3.4M"; "-" for NaN). */
const char *fmt_num(char *buf, size_t size, double v);

/* s in at most width columns: whole when it fits, else cut in the middle so both
 * ends keep their meaning ("petclinic-…-tg-blue-unhealthy"; ASCII: ".."). Returns buf. */
const char *fmt_middle(char *buf, size_t size, const char *s, int width, bool ascii);

/* Number of terminal columns a UTF-8 string takes (invalid bytes count one). */
int fmt_width(const char *s);

/* Case-insensitive substring test used by `/` filters; an empty needle matches. */
bool fmt_match(const char *hay, const char *needle);

#endif
