/* test_fmt.c — sparklines, charts, bars, ages, numbers; `:` prefix matching; line editing. */
#include <locale.h>
#include <math.h>
#include <string.h>

#include "tests/tap.h"
#include "tui/fmt.h"
#include "tui/internal.h"

static void test_spark(void)
{
	double up[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	double gap[4] = { 1, NAN, 3, 2 };
	double flat[3] = { 5, 5, 5 };
	double zero[3] = { 0, 0, 0 };
	char buf[256];
	size_t n;

	n = fmt_spark(buf, sizeof(buf), up, 8, 8, FMT_ASCII);
	is_str(buf, "_.,-~=*#", "ASCII sparkline of a ramp uses every level");
	is_int(n, 8, "one byte per column in ASCII");
	fmt_spark(buf, sizeof(buf), up, 8, 8, FMT_BLOCK);
	is_str(buf, "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588", "block sparkline of a ramp");
	fmt_spark(buf, sizeof(buf), up, 8, 4, FMT_ASCII);
	is_str(buf, "_,=#", "narrower than the data: the newest values, rescaled");
	fmt_spark(buf, sizeof(buf), up + 6, 2, 5, FMT_ASCII);
	is_str(buf, "   _#", "fewer values than columns: right-aligned");
	fmt_spark(buf, sizeof(buf), gap, 4, 4, FMT_ASCII);
	is_str(buf, "_ #~", "NaN is a gap");
	fmt_spark(buf, sizeof(buf), flat, 3, 3, FMT_ASCII);
	is_str(buf, "###", "a flat positive series is drawn against zero");
	fmt_spark(buf, sizeof(buf), zero, 3, 3, FMT_ASCII);
	is_str(buf, "___", "all zero is the lowest level");
	fmt_spark(buf, sizeof(buf), up, 8, 4, FMT_BRAILLE);
	is_str(buf, "\u28c0\u28e4\u28f6\u28ff", "braille: two values per column, filled from the bottom");
	is_int(fmt_width(buf), 4, "braille sparkline is 4 columns wide");
	fmt_spark(buf, 4, up, 8, 8, FMT_BLOCK);
	is_int(strlen(buf), 3, "output is truncated at whole glyphs");
}

static void test_chart(void)
{
	double v[4] = { 0, 4, 8, 16 };
	char top[64], bottom[64];

	fmt_chart_row(top, sizeof(top), v, 4, 4, 2, 0, 0, 16, FMT_ASCII);
	fmt_chart_row(bottom, sizeof(bottom), v, 4, 4, 2, 1, 0, 16, FMT_ASCII);
	is_str(top, "   #", "chart top row: only the maximum reaches it");
	is_str(bottom, " +##", "chart bottom row: half, full, full");
	fmt_chart_row(top, sizeof(top), v, 4, 4, 2, 0, 0, 16, FMT_BLOCK);
	is_str(top, "   \u2588", "block chart top row");
	fmt_chart_row(bottom, sizeof(bottom), v, 4, 4, 2, 1, 0, 16, FMT_BLOCK);
	is_str(bottom, " \u2584\u2588\u2588", "block chart bottom row uses eighths");
}

static void test_bar(void)
{
	char buf[128];

	fmt_bar(buf, sizeof(buf), 0.5, 10, FMT_ASCII);
	is_str(buf, "#####.....", "ASCII bar at 50 %");
	fmt_bar(buf, sizeof(buf), 1.5, 4, FMT_ASCII);
	is_str(buf, "####", "a bar is clamped at 100 %");
	fmt_bar(buf, sizeof(buf), 0.55, 2, FMT_BLOCK);
	is_str(buf, "\u2588\u258f", "block bar with a partial cell");
	fmt_bar(buf, sizeof(buf), NAN, 3, FMT_ASCII);
	is_str(buf, "...", "NaN is an empty bar");
}

/* Does the soonest noted change fall s seconds after a moment in [lo, hi]? */
static bool change_in(time_t lo, time_t hi, long s)
{
	time_t at = fmt_change_next();

	return at >= lo + s && at <= hi + s;
}

/* An age notes when its text changes next, and nothing sooner: the dashboard
 * sleeps until then (no wake-up each second to redraw "5s" as "6s"). */
static void test_change(void)
{
	char buf[32];
	time_t lo, hi;

	fmt_change_reset();
	ok(fmt_change_next() == 0, "nothing noted after a reset");
	fmt_age(buf, sizeof(buf), -1);
	ok(fmt_change_next() == 0, "an unknown age never changes by itself");
	lo = time(NULL);
	fmt_age(buf, sizeof(buf), 3);
	hi = time(NULL);
	ok(change_in(lo, hi, 7), "\"<10s\" changes when the age reaches 10 s");
	fmt_change_reset();
	lo = time(NULL);
	fmt_age(buf, sizeof(buf), 125);
	hi = time(NULL);
	ok(change_in(lo, hi, 55), "\"2m\" changes at 3 minutes");
	lo = time(NULL);
	fmt_age(buf, sizeof(buf), 42);
	hi = time(NULL);
	ok(change_in(lo, hi, 8), "the soonest change wins (\"40s\" -> \"50s\")");
	fmt_change_in(0);
	fmt_change_in(-5);
	ok(change_in(lo, hi, 8), "a change now or past is not a wake-up (it was drawn)");
	fmt_change_in(2);
	ok(fmt_change_next() <= time(NULL) + 2 && fmt_change_next() >= lo + 2, "a staleness threshold sooner wins");
}

static void test_text(void)
{
	char buf[32];

	is_str(fmt_age(buf, sizeof(buf), -1), "-", "unknown age");
	is_str(fmt_age(buf, sizeof(buf), 0), "<10s", "under ten seconds");
	is_str(fmt_age(buf, sizeof(buf), 9), "<10s", "still under ten seconds");
	is_str(fmt_age(buf, sizeof(buf), 10), "10s", "ten-second steps");
	is_str(fmt_age(buf, sizeof(buf), 59), "50s", "seconds round down to their ten");
	is_str(fmt_age(buf, sizeof(buf), 600), "10m", "minutes");
	is_str(fmt_age(buf, sizeof(buf), 7300), "2h", "hours");
	is_str(fmt_age(buf, sizeof(buf), 3 * 86400), "3d", "days");
	is_str(fmt_duration(buf, sizeof(buf), 42), "42s", "duration in seconds");
	is_str(fmt_duration(buf, sizeof(buf), 95), "1m35s", "duration in minutes and seconds");
	is_str(fmt_duration(buf, sizeof(buf), 7500), "2h05m", "duration in hours and minutes");
	is_str(fmt_num(buf, sizeof(buf), NAN), "-", "NaN number");
	is_str(fmt_num(buf, sizeof(buf), 412.5), "412", "hundreds without decimals");
	is_str(fmt_num(buf, sizeof(buf), 41.25), "41.2", "tens with one decimal");
	is_str(fmt_num(buf, sizeof(buf), 0.123), "0.12", "small numbers with two decimals");
	is_str(fmt_num(buf, sizeof(buf), 7), "7", "integers as they are");
	is_str(fmt_num(buf, sizeof(buf), 12345), "12.3k", "thousands");
	is_str(fmt_num(buf, sizeof(buf), 3.4e6), "3.4M", "millions");
	is_int(fmt_width("abc"), 3, "ASCII width");
	is_int(fmt_width("\u2581\u2588"), 2, "block glyphs are one column each");
	ok(fmt_match("petclinic-CPU-high", "cpu"), "filters ignore case");
	ok(!fmt_match("petclinic-5xx", "cpu"), "filters reject what does not match");
	ok(fmt_match("anything", ""), "an empty filter matches");
}

static void test_cmds(void)
{
	char why[256];
	const struct tui_cmd *c;

	c = cmds_find("al", why, sizeof(why));
	is_str(c ? c->name : "(none)", "alarms", ":al is :alarms");
	c = cmds_find("xray", why, sizeof(why));
	is_str(c ? c->name : "(none)", "xray", "a full name matches");
	c = cmds_find("r", why, sizeof(why));
	ok(c == NULL, ":r is ambiguous");
	is_str(why, "ambiguous: r (route53 runbooks region refresh redraw)", "the candidates are listed");
	c = cmds_find("re", why, sizeof(why));
	ok(c == NULL, ":re is ambiguous too");
	is_str(why, "ambiguous: re (region refresh redraw)", "the candidates of :re");
	c = cmds_find("ref", why, sizeof(why));
	is_str(c ? c->name : "(none)", "refresh", ":ref is :refresh");
	{
		int v, w, named = 0, clash = 0;
		for (v = 0; v < VIEW_COUNT; v++) {
			named += views_table[v].name && views_table[v].draw;
			for (w = v + 1; w < VIEW_COUNT; w++)   /* a view may have no key (:cdn), never a shared one */
				clash += views_table[v].key && views_table[v].key == views_table[w].key;
		}
		is_int(named, VIEW_COUNT, "every enum view_id has its row in views_table (name, draw)");
		is_int(clash, 0, "no two views share a key");
		ok(views_table[VIEW_COUNT].name == NULL, "and the table ends after them");
		is_int(views_by_key('8'), VIEW_RUNBOOKS, "key 8 is the runbooks view");
		is_int(views_by_key('?'), VIEW_HELP, "? is the help, the last view");
		c = cmds_find("runbooks", why, sizeof(why));
		is_str(c ? c->name : "(none)", "runbooks", ":runbooks comes from the view's row");
	}
	c = cmds_find("zzz", why, sizeof(why));
	ok(c == NULL, "unknown command");
	is_str(why, "unknown command: zzz", "the unknown command is named");
}

static void test_lineedit(void)
{
	struct lineedit le;
	char out[64];
	const wchar_t *w;

	lineedit_start(&le, true);
	for (w = L"regoin"; *w; w++)
		lineedit_key(&le, (wint_t)*w, false);
	lineedit_key(&le, KEY_LEFT, true);
	lineedit_key(&le, KEY_LEFT, true);
	lineedit_key(&le, 127, false);
	lineedit_key(&le, L'i', false);
	lineedit_key(&le, KEY_RIGHT, true);
	lineedit_key(&le, KEY_BACKSPACE, true);
	lineedit_key(&le, L'o', false);
	lineedit_key(&le, KEY_END, true);
	lineedit_key(&le, L'n', false);
	lineedit_text(&le, out, sizeof(out));
	is_str(out, "regionn", "cursor movement, insert and backspace");
	lineedit_key(&le, 23, false);
	lineedit_text(&le, out, sizeof(out));
	is_str(out, "", "Ctrl-W deletes the word");
	is_int(lineedit_key(&le, 127, false), LINEEDIT_CANCEL, "backspace on an empty line cancels");
	lineedit_key(&le, L'a', false);
	is_int(lineedit_key(&le, L'\r', false), LINEEDIT_DONE, "Enter finishes");
	is_int(lineedit_key(&le, 27, false), LINEEDIT_CANCEL, "Esc cancels");
	lineedit_key(&le, 21, false);
	lineedit_text(&le, out, sizeof(out));
	is_str(out, "", "Ctrl-U clears");
}

/* The chart y-axis: 0 at the bottom for data that is never negative. */
static void test_axis(void)
{
	double pct[5] = { 0, 1.12, NAN, 0.9, 1.1 };  /* was drawn from -0.14 */
	double neg[3] = { -2, 0, 6 };
	double high[2] = { 145, 225 };
	double flat[3] = { 4, 4, 4 };
	double none[2] = { NAN, NAN };
	double lo, hi;

	fmt_axis(pct, 5, &lo, &hi);
	ok(lo == 0 && hi == 1.12, "non-negative data: axis from 0 (got %g..%g)", lo, hi);
	fmt_axis(neg, 3, &lo, &hi);
	ok(lo == -3 && hi == 6, "negative data: padded below the minimum (got %g..%g)", lo, hi);
	fmt_axis(high, 2, &lo, &hi);
	ok(lo == 135 && hi == 225, "data far above 0: padded, not from 0 (got %g..%g)", lo, hi);
	fmt_axis(flat, 3, &lo, &hi);
	ok(lo == 0 && hi == 4, "flat positive data: axis from 0 (got %g..%g)", lo, hi);
	fmt_axis(none, 2, &lo, &hi);
	ok(lo == 0 && hi == 0, "no finite value: 0..0 (got %g..%g)", lo, hi);
}

/* Names shortened in the middle keep both ends; ports and short names whole. */
static void test_middle(void)
{
	char buf[128];
	const double flat[4] = { 1.5, 1.5, 1.5, 1.5 }, up[3] = { 2, 4, 8 };
	double lo, hi;

	is_str(fmt_middle(buf, sizeof(buf), "petclinic-ap-northeast-2-petclinic-tg-blue-unhealthy", 28, false),
	       "petclinic-\xe2\x80\xa6tg-blue-unhealthy", "the distinct end survives");
	is_str(fmt_middle(buf, sizeof(buf), "petclinic-ap-northeast-2-petclinic-tg-green-unhealthy", 28, false),
	       "petclinic-\xe2\x80\xa6g-green-unhealthy", "so blue and green stay apart");
	ok(fmt_width(buf) == 28, "28 columns");
	is_str(fmt_middle(buf, sizeof(buf), "petclinic-ap-northeast-2-petclinic-tg-blue-unhealthy", 28, true),
	       "petclinic-..g-blue-unhealthy", "ASCII: two dots");
	is_str(fmt_middle(buf, sizeof(buf), "petclinic-alb", 28, false), "petclinic-alb", "a name that fits is whole");
	is_str(fmt_middle(buf, sizeof(buf), "abc", 2, false), "ab", "no room for an ellipsis: cut");
	fmt_spark_range(flat, 4, 4, FMT_BLOCK, &lo, &hi);
	ok(lo == 0 && hi == 1.5, "a flat 1.5 is drawn against 0..1.5, and its scale says so (got %g..%g)", lo, hi);
	fmt_spark_range(up, 3, 2, FMT_BLOCK, &lo, &hi);
	ok(lo == 4 && hi == 8, "the scale is of the values shown (got %g..%g)", lo, hi);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	test_middle();
	test_spark();
	test_chart();
	test_axis();
	test_bar();
	test_text();
	test_cmds();
	test_lineedit();
	test_change();
	return done_testing();
}
