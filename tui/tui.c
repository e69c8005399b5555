/* tui.c — the dashboard's one poll() loop, the in-UI prompt and shared helpers. */
#include "tui/runform.h"
#include "tui/runhost.h"
#include "tui/view.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aws/creds.h"
#include "base/xalloc.h"

#define DRAW_BATCH_MS 150       /* how long a model change waits for the rest of its collection */

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

/* Milliseconds until text drawn from the clock changes (fmt_change_next); 0: it has;
 * -1: nothing drawn depends on the clock. The only timer of the loop at rest
 * besides the data source's next collection. */
static long text_change_ms(void)
{
	time_t at = fmt_change_next();
	struct timespec ts;
	long long left;

	if (!at)
		return -1;
	clock_gettime(CLOCK_REALTIME, &ts);
	left = (long long)at * 1000 - ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	return left <= 0 ? 0 : left > 3600L * 1000 ? 3600L * 1000 : (long)left;
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

/* A credentials question (an MFA code) asked by the credential provider's
 * refresh thread: the loop shows it on the status line like any other question
 * and hands the answer back, so nothing waits while it is up. Guarded by mu. */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int pipe[2];            /* a byte wakes the loop: a question is waiting */
	const char *prompt;     /* the asking thread's, while asked */
	char *buf;
	size_t size;
	bool asked, shown, done;
	int answer;             /* 0 answered, -1 cancelled (when done) */
	bool refused;           /* Esc: fail at once instead of asking again, until `r` */
	bool stopping;          /* the loop has ended: nobody will answer */
} ask = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER, .pipe = { -1, -1 } };
static pthread_t loop_thread;

/* The credentials' prompt (MFA codes) inside the dashboard, without echo: from a
 * refresh thread through the loop; on the loop's own thread with a nested prompt. */
static int tui_creds_prompt(void *ctx, const char *prompt, char *buf, size_t size, struct fd_error *err)
{
	int r;

	(void)ctx;
	if (size)
		buf[0] = '\0';
	pthread_mutex_lock(&ask.mu);
	if (ask.refused || ask.stopping) {
		pthread_mutex_unlock(&ask.mu);
		return fd_error_set(err, "PromptCancelled", "cancelled (r asks again): %s", prompt);
	}
	if (pthread_equal(pthread_self(), loop_thread) || ask.pipe[1] < 0) {
		pthread_mutex_unlock(&ask.mu);
		r = tui_prompt(prompt, false, buf, size);
		pthread_mutex_lock(&ask.mu);
		if (r < 0)
			ask.refused = true;
	} else {
		ssize_t w;
		ask.prompt = prompt;
		ask.buf = buf;
		ask.size = size;
		ask.asked = true;
		ask.done = false;
		do
			w = write(ask.pipe[1], "", 1);
		while (w < 0 && errno == EINTR);
		while (!ask.done && !ask.stopping)
			pthread_cond_wait(&ask.cv, &ask.mu);
		r = ask.done ? ask.answer : -1;
		ask.asked = ask.shown = ask.done = false;
		ask.prompt = NULL;
		ask.buf = NULL;
	}
	pthread_mutex_unlock(&ask.mu);
	if (r < 0) {
		if (tui_running && pthread_equal(pthread_self(), loop_thread))
			tui_message(tui_running, ROLE_WARN, " prompt cancelled; r asks again");
		return fd_error_set(err, "PromptCancelled", "cancelled (r asks again): %s", prompt);
	}
	return 0;
}

/* Show a waiting credentials question when nothing else is being typed. */
static void take_creds_question(struct tui *t)
{
	char drain[16];

	while (ask.pipe[0] >= 0 && read(ask.pipe[0], drain, sizeof(drain)) > 0)
		;
	if (t->mode != MODE_NORMAL)
		return;
	pthread_mutex_lock(&ask.mu);
	if (ask.asked && !ask.shown && !ask.done) {
		ask.shown = true;
		snprintf(t->prompt_label, sizeof(t->prompt_label), "%s", ask.prompt);
		t->mode = MODE_SECRET;
		t->flush_keys = true;   /* keys typed before the question never answer it */
		lineedit_start(&t->le, false);
		t->need_draw = true;
	}
	pthread_mutex_unlock(&ask.mu);
}

/* Hand a finished credentials answer (or Esc) to the thread that asked. */
static int secret_line(struct tui *t, enum lineedit_result r)
{
	if (r == LINEEDIT_MORE)
		return TUI_REDRAW;
	t->mode = MODE_NORMAL;
	pthread_mutex_lock(&ask.mu);
	if (ask.asked && ask.shown) {
		if (r == LINEEDIT_DONE) {
			lineedit_text(&t->le, ask.buf, ask.size);
			ask.answer = 0;
		} else {
			ask.answer = -1;
			ask.refused = true;
		}
		ask.done = true;
		pthread_cond_broadcast(&ask.cv);
	}
	pthread_mutex_unlock(&ask.mu);
	if (r != LINEEDIT_DONE)
		tui_message(t, ROLE_WARN, " prompt cancelled; r asks again");
	fd_wipe(t->le.buf, sizeof(t->le.buf));
	t->le.len = t->le.cur = 0;
	return TUI_REDRAW;
}

/* Answer a waiting credentials question with "cancelled" (without refusing the next
 * one): the provider that asked is about to be destroyed, and its destruction waits
 * for the refresh that is waiting for this answer. */
static void ask_cancel_pending(struct tui *t)
{
	pthread_mutex_lock(&ask.mu);
	if (ask.asked && !ask.done) {
		ask.answer = -1;
		ask.done = true;
		pthread_cond_broadcast(&ask.cv);
	}
	pthread_mutex_unlock(&ask.mu);
	if (t->mode == MODE_SECRET) {
		t->mode = MODE_NORMAL;
		fd_wipe(t->le.buf, sizeof(t->le.buf));
		t->le.len = t->le.cur = 0;
	}
}

/* Let the loop take credentials questions (once per process) or stop answering them. */
static void ask_open(bool open)
{
	pthread_mutex_lock(&ask.mu);
	if (open && ask.pipe[0] < 0 && pipe2(ask.pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		ask.pipe[0] = ask.pipe[1] = -1;   /* then the prompt is asked on the loop's thread */
	ask.stopping = !open;
	ask.refused = false;
	if (!open)
		pthread_cond_broadcast(&ask.cv);
	pthread_mutex_unlock(&ask.mu);
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
		if (t->mode == MODE_SECRET) {
			flags |= secret_line(t, lineedit_key(&t->le, wc, is_key));
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
		ask_cancel_pending(t);   /* the old client's refresh must not wait for it */
		fd_error_clear(&e);
		if (src->switch_to(src->ctx, t->profile, t->region, &e) < 0) {
			char buf[700];
			tui_message(t, ROLE_ERROR, " %s (still %s %s)", fd_error_str(&e, buf, sizeof(buf)),
				    t->old_profile, t->old_region);
			snprintf(t->profile, sizeof(t->profile), "%s", t->old_profile);
			snprintf(t->region, sizeof(t->region), "%s", t->old_region);
		}
	}
	/* the route53 view names the checks it shows (model/panel_route53_pick.c); elsewhere none */
	if (t->view != VIEW_ROUTE53 && tui_model(t))
		panel_route53_set_shown(&tui_model(t)->route53, NULL, 0);
	if (src && src->want_traces && (t->view == VIEW_XRAY) != t->traces_told) {
		t->traces_told = t->view == VIEW_XRAY;
		src->want_traces(src->ctx, t->traces_told);
	}
	if (flags & TUI_FOCUS && src && src->focus_alarm)
		src->focus_alarm(src->ctx, t->focus_region, t->focus_alarm);
	if (flags & TUI_METRICS && src && src->metric_options)
		src->metric_options(src->ctx, t->metric_stat, t->metric_period_s, t->metric_range_s);
	if (flags & TUI_REFRESH) {
		pthread_mutex_lock(&ask.mu);
		ask.refused = false;
		pthread_mutex_unlock(&ask.mu);
	}
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
	loop_thread = pthread_self();
	ask_open(true);
	creds_set_prompt(tui_creds_prompt, NULL);
	t->need_draw = true;
	for (;;) {
		struct pollfd fds[64];
		long timeout = -1, now, st;
		int n = 2, ns = 0, nr, rfirst;
		unsigned long gen = views_current(t)->generation(t) + t->ui_gen + draw_chrome_signature(t);
		bool defer = false;

		if (t->need_draw || gen != t->drawn_gen) {
			/* a change of the model alone, while its collection is still in flight,
			 * waits up to DRAW_BATCH_MS for the rest: one frame per burst of answers,
			 * not one per answer (keys, resizes and ages draw at once) */
			now = term_now_ms();
			if (!t->need_draw && src && src->in_flight && src->in_flight(src->ctx) > 0) {
				if (!t->batch_ms)
					t->batch_ms = now;
				defer = now - t->batch_ms < DRAW_BATCH_MS;
			}
			if (!defer) {
				draw_frame(t);
				t->drawn_gen = gen;
				t->batch_ms = 0;
			}
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
			ns = src->poll_fds(src->ctx, fds + 2, (int)(sizeof(fds) / sizeof(fds[0])) - 3 - RUNHOST_MAX_FDS);
		n += ns;
		if (ask.pipe[0] >= 0)
			fds[n++] = (struct pollfd){ .fd = ask.pipe[0], .events = POLLIN };
		rfirst = n;
		nr = runhost_poll_fds(t, fds + n, RUNHOST_MAX_FDS);   /* a runbook probe's checks */
		n += nr;
		if (src && src->timeout_ms && (st = src->timeout_ms(src->ctx)) >= 0)
			timeout = st;
		if ((st = runhost_timeout_ms(t)) >= 0 && (timeout < 0 || st < timeout))
			timeout = st;
		if ((st = text_change_ms()) >= 0 && (timeout < 0 || st < timeout))
			timeout = st;
		if (defer && (st = DRAW_BATCH_MS - (term_now_ms() - t->batch_ms)) >= 0 && (timeout < 0 || st < timeout))
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
		if (text_change_ms() == 0)
			t->need_draw = true;   /* an age or a staleness mark changes now */
		if (fds[1].revents & POLLIN)
			flags |= term_take_signals(t);
		if (fds[0].revents & POLLIN)
			flags |= read_keys(t);
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			flags |= TUI_QUIT;
		if (src && src->perform)
			src->perform(src->ctx, fds + 2, ns);
		runhost_ready(t, fds + rfirst, nr);
		flags |= runhost_service(t);
		confirm_sync(t);
		take_creds_question(t);
		if (exit_at && term_now_ms() >= exit_at)
			flags |= TUI_QUIT;
		if (flags & TUI_QUIT)
			break;
		apply_flags(t, src, flags);
	}
	tui_running = NULL;
	ask_open(false);
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
