/* draw.c — the one place that draws: the frame, and the primitives views use.
 *
 * A frame is drawn into stdscr after erase() and sent with wnoutrefresh() +
 * doupdate(), so curses sends only the cells that changed; the whole screen
 * is repainted only after Ctrl-L or a resize.
 */
#include "tui/internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/termtext.h"

#include "model/verdict.h"
#include "tui/view.h"

/* Decode UTF-8 s into at most w columns of wide characters (ASCII mode: '?'
 * for anything else); returns the number of characters and the width used.
 * s is made safe first by the one terminal-text sanitiser (base/termtext.h):
 * controls, C1, bidi overrides and bytes that are not UTF-8 show as escapes. */
static size_t to_wide(const struct tui *t, const char *raw, int w, wchar_t *out, size_t max, int *used)
{
	char *safe = termtext_dup(raw, 0);
	const char *s = safe;
	mbstate_t st;
	size_t n = 0;
	int cols = 0;

	memset(&st, 0, sizeof(st));
	while (*s && n + 1 < max) {
		wchar_t wc;
		size_t r = mbrtowc(&wc, s, strlen(s), &st);
		int cw;
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			memset(&st, 0, sizeof(st));
			wc = (unsigned char)*s < 0x80 ? (wchar_t)*s : L'?';
			r = 1;
		}
		if (!t->utf8 && (wc >= 0x80 || wc < 0x20))
			wc = L'?';
		if (wc < 0x20 || wc == 0x7f)
			wc = L' ';
		cw = wcwidth(wc);
		if (cw < 0) {
			wc = L'?';
			cw = 1;
		}
		if (cols + cw > w)
			break;
		out[n++] = wc;
		cols += cw;
		s += r;
	}
	out[n] = L'\0';
	*used = cols;
	free(safe);
	return n;
}

/* Draw s at (y, x) in at most w columns (clipped to the screen) in role. */
void draw_text(struct tui *t, int y, int x, int w, enum color_role role, const char *s)
{
	wchar_t wbuf[512];
	int used;
	size_t n;

	if (y < 0 || y >= t->rows || x < 0 || x >= t->cols || w <= 0)
		return;
	if (x + w > t->cols)
		w = t->cols - x;
	n = to_wide(t, s ? s : "", w, wbuf, sizeof(wbuf) / sizeof(wbuf[0]), &used);
	attr_set(color_attr(role), color_pair(role), NULL);
	mvaddnwstr(y, x, wbuf, (int)n);
	attr_set(A_NORMAL, 0, NULL);
}

/* draw_text with a printf-style format. */
void draw_textf(struct tui *t, int y, int x, int w, enum color_role role, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	draw_text(t, y, x, w, role, buf);
}

/* Fill w columns at (y, x) with spaces in role (bars of the title and status lines). */
static void fill(struct tui *t, int y, int x, int w, enum color_role role)
{
	char buf[512];

	if (w <= 0)
		return;
	if (w > (int)sizeof(buf) - 1)
		w = (int)sizeof(buf) - 1;
	memset(buf, ' ', (size_t)w);
	buf[w] = '\0';
	draw_text(t, y, x, w, role, buf);
}

/* A horizontal rule (box-drawing line, '-' in ASCII; never the ACS set). */
void draw_hline(struct tui *t, int y, int x, int w, enum color_role role)
{
	char buf[2048];
	size_t len = 0;
	const char *seg = t->utf8 ? "\xe2\x94\x80" : "-";
	size_t sl = strlen(seg);

	while (w-- > 0 && len + sl < sizeof(buf)) {
		memcpy(buf + len, seg, sl);
		len += sl;
	}
	buf[len] = '\0';
	draw_text(t, y, x, t->cols, role, buf);
}

/* A sparkline of the last values of v in w columns. */
void draw_spark(struct tui *t, int y, int x, int w, enum color_role role, const double *v, size_t n)
{
	char buf[1024];

	if (w > 200)
		w = 200;
	fmt_spark(buf, sizeof(buf), v, n, w, t->glyphs);
	draw_text(t, y, x, w, role, buf);
}

/* A bar w columns wide, frac of it filled. */
void draw_bar(struct tui *t, int y, int x, int w, enum color_role role, double frac)
{
	char buf[1024];

	if (w > 200)
		w = 200;
	fmt_bar(buf, sizeof(buf), frac, w, t->glyphs == FMT_ASCII ? FMT_ASCII : FMT_BLOCK);
	draw_text(t, y, x, w, role, buf);
}

/* Blue/green weights as "blue  90 [bar] 10  green": blue cells solid, green shaded. */
void draw_weights(struct tui *t, int y, int x, int w, double blue, double green)
{
	char buf[16];
	int bw = w - 18, nb, i;
	double sum = blue + green;
	const char *solid = t->utf8 ? "\xe2\x96\x88" : "#";
	const char *shade = t->utf8 ? "\xe2\x96\x92" : "=";

	if (bw < 4)
		return;
	snprintf(buf, sizeof(buf), "blue %3.0f ", blue);
	draw_text(t, y, x, 9, ROLE_BLUE, buf);
	nb = sum > 0 ? (int)(blue / sum * bw + 0.5) : 0;
	for (i = 0; i < bw; i++) {
		if (sum <= 0)
			draw_text(t, y, x + 9 + i, 1, ROLE_DIM, t->utf8 ? "\xc2\xb7" : ".");
		else
			draw_text(t, y, x + 9 + i, 1, i < nb ? ROLE_BLUE : ROLE_GREEN, i < nb ? solid : shade);
	}
	snprintf(buf, sizeof(buf), " %3.0f green", green);
	draw_text(t, y, x + 9 + bw, 10, ROLE_GREEN, buf);
}

/* "1m", "3h", "7d" for a duration in seconds. */
const char *draw_dur(char *buf, size_t size, int s)
{
	if (s > 0 && s % 86400 == 0)
		snprintf(buf, size, "%dd", s / 86400);
	else if (s > 0 && s % 3600 == 0)
		snprintf(buf, size, "%dh", s / 3600);
	else if (s % 60 == 0)
		snprintf(buf, size, "%dm", s / 60);
	else
		snprintf(buf, size, "%ds", s);
	return buf;
}

/* The time axis under a chart of w columns from x: "-7d", the middle, the end's clock time. */
void draw_time_axis(struct tui *t, int y, int x, int w, int range_s, time_t end)
{
	char a[16], b[24];
	struct tm tm;

	snprintf(b, sizeof(b), "-%s", draw_dur(a, sizeof(a), range_s));
	draw_text(t, y, x, w, ROLE_DIM, b);
	snprintf(b, sizeof(b), "-%s", draw_dur(a, sizeof(a), range_s / 2));
	draw_text(t, y, x + (w - fmt_width(b)) / 2, fmt_width(b), ROLE_DIM, b);
	if (gmtime_r(&end, &tm))
		strftime(b, sizeof(b), "%H:%MZ", &tm);
	else
		snprintf(b, sizeof(b), "now");
	draw_text(t, y, x + w - fmt_width(b), fmt_width(b), ROLE_DIM, b);
}

/* A series over [end - range, end) as a bar chart h rows high in columns [x + 8, cols - 1),
 * its scale on the left and a time axis below (h + 1 rows); a horizontal mark (an
 * alarm's threshold) is drawn where the bars leave room, labelled on the left. */
int draw_chart(struct tui *t, int y, int h, const struct model_series *s, time_t end, int range_s, int period_s,
	       enum color_role role, double mark)
{
	double v[512], lo, hi, all[514];
	char row[2048], num[16];
	int x = 8, w = t->cols - x - 1, k, col, mark_row = -1;
	size_t n;

	if (w > 512)
		w = 512;
	if (h < 2 || w < 10)
		return 0;
	n = (size_t)w;
	series_bucket(s, end - range_s, end, period_s, v, n);
	memcpy(all, v, n * sizeof(double));
	all[n] = isfinite(mark) ? mark : NAN;
	fmt_axis(all, n + 1, &lo, &hi);     /* the mark is inside the scale */
	if (isfinite(mark) && hi > lo)
		mark_row = h - 1 - (int)((mark - lo) / (hi - lo) * h - 0.5);
	if (mark_row >= h)
		mark_row = h - 1;
	for (k = 0; k < h; k++) {
		fmt_chart_row(row, sizeof(row), v, n, w, h, k, lo, hi, t->glyphs == FMT_ASCII ? FMT_ASCII : FMT_BLOCK);
		if (k == 0)
			draw_textf(t, y + k, 0, x - 1, ROLE_DIM, "%7s", fmt_num(num, sizeof(num), hi));
		if (k == h - 1)
			draw_textf(t, y + k, 0, x - 1, ROLE_DIM, "%7s", fmt_num(num, sizeof(num), lo));
		draw_text(t, y + k, x, w, role, row);
		if (k != mark_row)
			continue;
		draw_textf(t, y + k, 0, x - 1, ROLE_BAD, "%7s", fmt_num(num, sizeof(num), mark));
		for (col = 0; col < w; col++) {
			/* a cell the bar does not reach on this row: the mark shows */
			double f = isfinite(v[col]) && hi > lo ? (v[col] - lo) / (hi - lo) : 0;
			if (lround(f * h * 8) <= (h - 1 - k) * 8)
				draw_text(t, y + k, x + col, 1, ROLE_BAD, t->utf8 ? "\xe2\x94\x80" : "-");
		}
	}
	draw_time_axis(t, y + h, x, w, range_s, end);
	return h + 1;
}

/* A section title: "-- Title ---- age 5s" with the last error, if any, after it. */
void draw_section(struct tui *t, int y, const char *title, long age_s, const char *error)
{
	char age[16], right[64];
	int tw = fmt_width(title), rw = 0;

	draw_hline(t, y, 0, t->cols, ROLE_DIM);
	draw_textf(t, y, 1, t->cols - 2, ROLE_HEADER, " %s ", title);
	if (age_s != DRAW_NO_AGE) {
		snprintf(right, sizeof(right), " age %s ", fmt_age(age, sizeof(age), age_s));
		rw = (int)strlen(right);
		draw_text(t, y, t->cols - rw - 1, rw, age_s > 3L * t->opt.refresh_s ? ROLE_STALE : ROLE_DIM, right);
		if (age_s >= 0)
			fmt_change_in(3L * t->opt.refresh_s + 1 - age_s);   /* turns stale then */
	}
	if (error && *error) {
		int ex = 3 + tw;
		draw_textf(t, y, ex, t->cols - ex - rw - 1, ROLE_ERROR, "%s ", error);
	}
}

/* Row 0: the name, a tab per view ("!" after a view that holds something bad),
 * and the read-only banner. */
static void draw_tabs(struct tui *t)
{
	int x = 12, i, need = 0, cut = 0, room = t->cols - (t->opt.read_only ? 12 : 0);
	bool bads[VIEW_COUNT + 1] = { false };

	/* what the tabs need; when they do not fit beside the title (and the
	 * READ-ONLY banner), the title goes, then names are cut to their first letters */
	for (i = 0; views_table[i].name; i++) {
		if (!views_table[i].key || i == VIEW_HELP)
			continue;
		bads[i] = views_table[i].severity && views_table[i].severity(t) == MODEL_SEV_BAD;
		need += (int)strlen(views_table[i].name) + 1 + bads[i];
	}
	fill(t, 0, 0, t->cols, ROLE_TAB);
	if (x + need > room)
		x = 1;
	else
		draw_text(t, 0, 0, 11, ROLE_TITLE, " flightdeck");
	while (x + need > room && (cut == 0 || cut > 2)) {
		cut = cut ? cut - 1 : 8;
		need = 0;
		for (i = 0; views_table[i].name; i++)
			if (views_table[i].key && i != VIEW_HELP) {
				int n = (int)strlen(views_table[i].name);
				need += (n < cut ? n : cut) + 1 + bads[i];
			}
	}
	for (i = 0; views_table[i].name; i++) {
		int w = (int)strlen(views_table[i].name);
		if (!views_table[i].key || i == VIEW_HELP)
			continue;
		if (cut && w > cut)
			w = cut;
		draw_text(t, 0, x, w, i == t->view ? ROLE_TAB_ON : ROLE_TAB, views_table[i].name);
		if (bads[i])
			draw_text(t, 0, x + w, 1, ROLE_BAD, "!");
		x += w + 1 + bads[i];
	}
	if (t->opt.read_only)
		draw_text(t, 0, t->cols - 11, 11, ROLE_BANNER, " READ-ONLY ");
}

/* The oldest collection of an enabled panel, in seconds (-1: none yet). A panel
 * waiting for its source's next period (source_bound: the metrics) is as fresh as the
 * source allows until that refresh is due; its own section shows its age. */
static long oldest_collection(struct model *m, time_t now)
{
	long worst = -1;
	size_t r;
	int p;

	for (p = 0; p < MODEL_PANEL_COUNT; p++)
		for (r = 0; r < m->n_regions; r++) {
			struct model_status *st = model_status_of(m, r, (enum model_panel)p);
			if (!st->enabled)
				continue;
			if (!st->fetched_at)
				return -1;
			if (st->source_bound && now <= st->next_due + st->interval_s)
				continue;
			if ((long)(now - st->fetched_at) > worst)
				worst = (long)(now - st->fetched_at);
		}
	return worst;
}

/* The state in words, worst first (all of it into line, the verdict into *v), and
 * how old the oldest collection is (*age_s, -1 none yet) (row 1). */
static void draw_verdict(struct tui *t, struct verdict *v, long *age_s, char *line, size_t size)
{
	struct model *m = tui_model(t);
	time_t now = time(NULL);
	long a;

	memset(v, 0, sizeof(*v));
	*age_s = -1;
	if (!m) {
		v->n = 1;
		v->sev = v->items[0].sev = MODEL_SEV_UNKNOWN;
		snprintf(v->items[0].text, sizeof(v->items[0].text), "NO DATA SOURCE");
		snprintf(line, size, "NO DATA SOURCE");
		return;
	}
	verdict_build(m, now, v);
	for (a = 0; a < (long)m->n_regions; a++)   /* "STALE METRICS" appears then */
		fmt_change_in(model_fig_stale_in(&m->regions[a].summary, MODEL_FIG_RPS, now));
	verdict_line(v, t->utf8 ? " \xc2\xb7 " : " | ", line, size);
	*age_s = oldest_collection(m, now);
	t->verdict_sev = v->sev;
}

/* A signature of what rows 0 and 1 show, so the frame is redrawn when they change. */
unsigned long draw_chrome_signature(struct tui *t)
{
	char line[400], age[16];
	struct verdict v;
	unsigned long h = 5381;
	const char *p;
	long a;
	int i;

	draw_verdict(t, &v, &a, line, sizeof(line));
	for (p = line; *p; p++)
		h = h * 33 + (unsigned char)*p;
	for (p = a < 0 ? "-" : fmt_age(age, sizeof(age), a); *p; p++)
		h = h * 33 + (unsigned char)*p;
	for (i = 0; views_table[i].name; i++)
		h = h * 33 + (unsigned long)(views_table[i].severity ? views_table[i].severity(t) : 0);
	return h * 33 + confirm_signature(t);
}

/* Row 1: the verdict, in the role of its worst item, and the collection's age. The
 * verdict has the room first: the age is said in fewer words, or not at all (each
 * section still shows its own), before an item is left out; items are never cut,
 * those that do not fit are counted ("+2 MORE"). */
static void draw_status_line(struct tui *t)
{
	char line[400], right[48], age[16];
	struct verdict v;
	long a;
	int rw = 0, tier, room = 0;

	draw_verdict(t, &v, &a, line, sizeof(line));
	draw_text(t, 1, 0, t->cols, ROLE_NORMAL, "");
	for (tier = 0; tier < 3; tier++) {
		if (tier == 2)
			right[0] = '\0';
		else if (a < 0)
			snprintf(right, sizeof(right), "%s", tier ? "" : "collecting ");
		else
			snprintf(right, sizeof(right), tier ? "%s ago " : "collected %s ago ", fmt_age(age, sizeof(age), a));
		rw = fmt_width(right);
		room = t->cols - 2 - (rw ? rw + 1 : 0);
		if (fmt_width(line) <= room)
			break;
	}
	if (tier == 3) {
		room = t->cols - 2;
		rw = 0;
		verdict_line_fit(&v, t->utf8 ? " \xc2\xb7 " : " | ", 3, room, line, sizeof(line));
	}
	draw_text(t, 1, 1, room, color_sev(t->verdict_sev), line);
	if (rw)
		draw_text(t, 1, t->cols - rw, rw, ROLE_DIM, right);
}

/* The last row: the line being typed, or the message and where we are. */
static void draw_status(struct tui *t)
{
	int y = t->rows - 1, x;
	char text[512], right[160];

	fill(t, y, 0, t->cols, ROLE_STATUS);
	if (t->mode == MODE_FIELD) {
		/* the value is typed in its row of the form; here, how to leave it */
		draw_text(t, y, 0, t->cols, ROLE_STATUS, " Enter keeps the value (once it is valid)  Esc leaves it as it was");
		move(t->cursor_y, t->cursor_x);
		return;
	}
	if (t->mode == MODE_CONFIRM) {
		draw_text(t, y, 0, t->cols, t->msg[0] ? t->msg_role : ROLE_STATUS,
			  t->msg[0] ? t->msg : " Enter sends what you typed  Esc closes, no answer  PgUp PgDn scroll");
		return;
	}
	if (t->mode != MODE_NORMAL) {
		const char *lead = t->mode == MODE_COMMAND ? ":" : t->mode == MODE_FILTER ? "/" : t->prompt_label;
		int room;
		int lw = fmt_width(lead);
		fill(t, y, 0, t->cols, ROLE_NORMAL);
		draw_text(t, y, 0, lw, ROLE_KEY, lead);
		if (t->le.echo)
			lineedit_text(&t->le, text, sizeof(text));
		else {
			size_t i;
			for (i = 0; i < t->le.len && i < sizeof(text) - 1; i++)
				text[i] = '*';
			text[i] = '\0';
		}
		room = t->cols - lw - 1;
		if (room < 8) {   /* a long question: keep room to type */
			lw = t->cols - 20;
			room = 19;
			draw_text(t, y, 0, lw, ROLE_KEY, lead);
		}
		draw_text(t, y, lw, room, ROLE_NORMAL, text);
		x = lw + (t->le.echo ? wcswidth(t->le.buf, t->le.cur) : (int)t->le.cur);
		if (x >= t->cols)
			x = t->cols - 1;
		move(y, x);
		return;
	}
	snprintf(right, sizeof(right), " %s %s  ? help ", t->profile, t->region);
	x = t->cols - fmt_width(right);
	if (t->msg[0] && fmt_width(t->msg) >= x)
		x = t->cols;   /* a long message wins over where we are */
	else
		draw_text(t, y, x, t->cols - x, ROLE_STATUS, right);
	if (t->msg[0])
		draw_text(t, y, 0, x - 1, t->msg_role, t->msg);
	else if (views_state(t)->filter[0])
		draw_textf(t, y, 0, x - 1, ROLE_STATUS, " filter: %s (Esc clears)", views_state(t)->filter);
	else
		draw_textf(t, y, 0, x - 1, ROLE_STATUS, " %s", views_current(t)->help);
}

/* The message shown instead of the dashboard while the terminal is too small. */
static void draw_too_small(struct tui *t)
{
	char line[96];
	int w;

	snprintf(line, sizeof(line), "terminal too small (need %dx%d, have %dx%d)", DRAW_MIN_COLS, DRAW_MIN_ROWS,
		 t->cols, t->rows);
	w = (int)strlen(line);
	draw_text(t, t->rows / 2, w < t->cols ? (t->cols - w) / 2 : 0, t->cols, ROLE_WARN, line);
	if (t->rows / 2 + 1 < t->rows)
		draw_text(t, t->rows / 2 + 1, t->cols > 7 ? (t->cols - 7) / 2 : 0, t->cols, ROLE_DIM, "q quits");
}

/* Draw the whole frame into stdscr and send what changed to the terminal. */
void draw_frame(struct tui *t)
{
	const struct view *v = views_current(t);

	fmt_change_reset();   /* the frame notes when its clock-drawn text changes next */
	if (t->need_clear) {
		clearok(curscr, TRUE);
		t->need_clear = false;
	}
	erase();
	if (t->rows < DRAW_MIN_ROWS || t->cols < DRAW_MIN_COLS) {
		leaveok(stdscr, TRUE);
		curs_set(0);
		draw_too_small(t);
	} else {
		int top = 2;
		draw_tabs(t);
		draw_status_line(t);
		if (confirm_waiting(t))
			confirm_draw_banner(t, top++);   /* on every view, until it is answered */
		v->draw(t, top, t->rows - 1 - top);
		leaveok(stdscr, t->mode == MODE_NORMAL);
		curs_set(t->mode == MODE_NORMAL ? 0 : 1);
		draw_status(t);
		if (t->mode == MODE_CONFIRM)
			confirm_draw(t);             /* over the view; it places the cursor */
	}
	wnoutrefresh(stdscr);
	doupdate();
	t->frames++;
	t->need_draw = false;
}
