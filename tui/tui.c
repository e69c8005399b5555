/* tui.c — the dashboard's one poll() loop, the in-UI prompt and shared helpers. */
#include "tui/runform.h"
#include "tui/runhost.h"
#include "tui/view.h"

#include <errno.h>
#include <langinfo.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/creds.h"
#include "base/xalloc.h"

/* The running dashboard (for tui_prompt), NULL when none. */
static struct tui *tui_running;
/* Flags a nested prompt loop could not act on (a quit signal). */
static int tui_pending;

/* Set the status line message. */
void tui_message(struct tui *t, enum color_role role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	va_end(ap);
	t->msg_role = role;
}

/* Apply a typed line (`:` command or `/` filter) when Enter was pressed. */
static int finish_line(struct tui *t, enum lineedit_result r)
{
	char text[512];
	enum tui_mode mode = t->mode;

	if (r == LINEEDIT_MORE)
		return TUI_REDRAW;
	t->mode = MODE_NORMAL;
	if (r == LINEEDIT_CANCEL)
		return TUI_REDRAW;
	lineedit_text(&t->le, text, sizeof(text));
	if (mode == MODE_COMMAND)
		return cmds_run(t, text) | TUI_REDRAW;
	snprintf(views_state(t)->filter, sizeof(views_state(t)->filter), "%s", text);
	views_state(t)->sel = 0;
	views_state(t)->scroll = 0;
	return TUI_REDRAW;
}

/* Read every key waiting on the terminal and dispatch it by mode. */
static int read_keys(struct tui *t)
{
	wint_t wc;
	int rc, flags = 0;

	while ((rc = wget_wch(stdscr, &wc)) != ERR) {
		bool is_key = rc == KEY_CODE_YES;
		if (is_key && wc == KEY_RESIZE) {
			term_update_size(t);
			flags |= TUI_CLEAR | TUI_REDRAW;
			continue;
		}
		if (t->mode == MODE_COMMAND || t->mode == MODE_FILTER) {
			flags |= finish_line(t, lineedit_key(&t->le, wc, is_key));
			continue;
		}
		if (t->mode == MODE_FIELD)
			flags |= runform_edit_key(t, wc, is_key);
		else if (t->mode == MODE_CONFIRM)
			flags |= confirm_key(t, wc, is_key);
		else
			flags |= keys_dispatch(t, (int)wc);
		if (flags & TUI_QUIT)
			break;
		if (t->flush_keys)
			break;   /* a question went on screen: the keys after this one are type-ahead */
	}
	return flags;
}

/* Set when the engineer pressed Esc on a credentials prompt: the calls that
 * follow fail at once instead of asking again, until `r` (refresh) retries. */
static bool creds_prompt_refused;

/* The credentials' prompt (MFA codes) inside the dashboard, without echo. */
static int tui_creds_prompt(void *ctx, const char *prompt, char *buf, size_t size, struct fd_error *err)
{
	(void)ctx;
	if (size)
		buf[0] = '\0';
	if (creds_prompt_refused)
		return fd_error_set(err, "PromptCancelled", "cancelled (r asks again): %s", prompt);
	if (tui_prompt(prompt, false, buf, size) < 0) {
		creds_prompt_refused = true;
		if (tui_running)
			tui_message(tui_running, ROLE_WARN, " prompt cancelled; r asks again");
		return fd_error_set(err, "PromptCancelled", "cancelled (r asks again): %s", prompt);
	}
	return 0;
}

/* Read the exit-after limit from FLIGHTDECK_EXIT_AFTER_MS when the caller gave none. */
static long exit_after_ms(const struct tui_options *o)
{
	const char *e = getenv("FLIGHTDECK_EXIT_AFTER_MS");
	char *end;
	long v;

	if (o->exit_after_ms > 0)
		return o->exit_after_ms;
	if (!e || !*e)
		return 0;
	v = strtol(e, &end, 10);
	return *end || v < 0 ? 0 : v;
}

/* Free what the dashboard state owns. */
static void tui_free(struct tui *t)
{
	runform_free(t);
	runhost_free(t);
	view_runbooks_free(t);
	free(t);
}

/* Act on what handlers asked for: repaint, redraw, refresh, switch profile/region. */
static void apply_flags(struct tui *t, const struct tui_source *src, int flags)
{
	struct fd_error e;

	if (flags & TUI_RECONFIG && src && src->switch_to) {
		fd_error_clear(&e);
		if (src->switch_to(src->ctx, t->profile, t->region, &e) < 0) {
			char buf[700];
			tui_message(t, ROLE_ERROR, " %s (still %s %s)", fd_error_str(&e, buf, sizeof(buf)),
				    t->old_profile, t->old_region);
			snprintf(t->profile, sizeof(t->profile), "%s", t->old_profile);
			snprintf(t->region, sizeof(t->region), "%s", t->old_region);
		}
	}
	if (flags & TUI_FOCUS && src && src->focus_alarm)
		src->focus_alarm(src->ctx, t->focus_region, t->focus_alarm);
	if (flags & TUI_METRICS && src && src->metric_options)
		src->metric_options(src->ctx, t->metric_stat, t->metric_period_s, t->metric_range_s);
	if (flags & TUI_REFRESH)
		creds_prompt_refused = false;
	if (flags & TUI_REFRESH && src && src->refresh_now)
		src->refresh_now(src->ctx);
	if (flags & TUI_CLEAR)
		t->need_clear = true;
	if (flags & (TUI_REDRAW | TUI_CLEAR))
		t->need_draw = true;
}

/* Run the dashboard until quit (see tui.h). */
int tui_run(const struct tui_options *opts, struct fd_error *err)
{
	const struct tui_source *src = opts->source;
	struct tui *t = xcalloc(1, sizeof(*t));
	long exit_at = 0, limit;
	int flags = 0, rc = 0;
	bool started = false, leave;
	char hint[600];

	t->opt = *opts;
	if (t->opt.refresh_s <= 0)
		t->opt.refresh_s = 10;
	snprintf(t->profile, sizeof(t->profile), "%s", opts->profile ? opts->profile : "default");
	snprintf(t->region, sizeof(t->region), "%s", opts->region ? opts->region : "ap-northeast-2");
	t->utf8 = !opts->ascii && strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	t->glyphs = t->utf8 ? FMT_BLOCK : FMT_ASCII;
	t->start_ms = term_now_ms();
	t->runbook_pending = -1;
	t->metric_stat = NULL;      /* each chart's own statistic and period */
	t->metric_period_s = 0;
	t->metric_range_s = 3600;
	limit = exit_after_ms(opts);
	if (limit > 0)
		exit_at = t->start_ms + limit;
	if (term_start(t, err) < 0) {
		tui_free(t);
		return -1;
	}
	tui_running = t;
	creds_set_prompt(tui_creds_prompt, NULL);
	t->need_draw = true;
	for (;;) {
		struct pollfd fds[64];
		long timeout = -1, now, st;
		int n = 2, ns = 0;
		unsigned long gen = views_current(t)->generation(t) + t->ui_gen + draw_chrome_signature(t);

		if (t->need_draw || gen != t->drawn_gen) {
			draw_frame(t);
			t->drawn_gen = gen;
		}
		if (t->flush_keys) {
			/* the question is on screen now: keys typed before it never answer it
			 * (curs_util(3X): flushinp throws away typeahead not yet read) */
			flushinp();
			t->flush_keys = false;
		}
		if (t->runbook_pending >= 0) {
			/* slow (rb_load compiles jq): after a frame that says "loading" */
			view_runbooks_load_pending(t);
			t->need_draw = true;
			continue;
		}
		if (!started) {
			started = true;
			if (src && src->start && src->start(src->ctx, err) < 0) {
				rc = -1;
				break;
			}
		}
		fds[0] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		fds[1] = (struct pollfd){ .fd = term_signal_fd(), .events = POLLIN };
		if (src && src->poll_fds)
			ns = src->poll_fds(src->ctx, fds + 2, (int)(sizeof(fds) / sizeof(fds[0])) - 2);
		n += ns;
		if (src && src->timeout_ms && (st = src->timeout_ms(src->ctx)) >= 0)
			timeout = st;
		if ((st = runhost_timeout_ms(t)) >= 0 && (timeout < 0 || st < timeout))
			timeout = st;
		if (exit_at) {
			now = term_now_ms();
			if (timeout < 0 || exit_at - now < timeout)
				timeout = exit_at > now ? exit_at - now : 0;
		}
		if (timeout > 3600L * 1000)
			timeout = 3600L * 1000;
		if (poll(fds, (nfds_t)n, (int)timeout) < 0 && errno != EINTR) {
			rc = fd_error_set(err, "SystemError", "poll: %s", strerror(errno));
			break;
		}
		flags = tui_pending;
		tui_pending = 0;
		if (fds[1].revents & POLLIN)
			flags |= term_take_signals(t);
		if (fds[0].revents & POLLIN)
			flags |= read_keys(t);
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			flags |= TUI_QUIT;
		if (src && src->perform)
			src->perform(src->ctx, fds + 2, ns);
		flags |= runhost_service(t);
		confirm_sync(t);
		if (exit_at && term_now_ms() >= exit_at)
			flags |= TUI_QUIT;
		if (flags & TUI_QUIT)
			break;
		apply_flags(t, src, flags);
	}
	tui_running = NULL;
	creds_set_prompt(NULL, NULL);
	leave = runhost_leave_hint(t, hint, sizeof(hint));
	term_stop();
	if (leave)
		fprintf(stderr, "%s\n", hint);   /* the run's journal stays: how to go on */
	tui_free(t);
	return rc;
}

/* Ask one line inside the running dashboard with a nested loop (see tui.h). */
int tui_prompt(const char *label, bool echo, char *buf, size_t size)
{
	struct tui *t = tui_running;
	enum tui_mode saved;
	int result = -1;

	if (size)
		buf[0] = '\0';
	if (!t || size == 0)
		return -1;
	saved = t->mode;
	t->mode = MODE_PROMPT;
	snprintf(t->prompt_label, sizeof(t->prompt_label), "%s", label);
	lineedit_start(&t->le, echo);
	for (;;) {
		struct pollfd fds[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = term_signal_fd(), .events = POLLIN },
		};
		wint_t wc;
		int rc, f;
		enum lineedit_result r = LINEEDIT_MORE;

		draw_frame(t);
		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			break;
		if (fds[1].revents & POLLIN) {
			f = term_take_signals(t);
			tui_pending |= f;
			if (f & TUI_QUIT)
				break;
		}
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			tui_pending |= TUI_QUIT;
			break;
		}
		while (r == LINEEDIT_MORE && (rc = wget_wch(stdscr, &wc)) != ERR)
			r = lineedit_key(&t->le, wc, rc == KEY_CODE_YES);
		if (r == LINEEDIT_CANCEL)
			break;
		if (r == LINEEDIT_DONE) {
			lineedit_text(&t->le, buf, size);
			result = 0;
			break;
		}
	}
	fd_wipe(t->le.buf, sizeof(t->le.buf));
	t->le.len = t->le.cur = 0;
	t->mode = saved;
	t->need_draw = true;
	return result;
}
