/* tui.h — the ncurses dashboard: views of the model, one poll() loop.
 *
 * tui_run() owns the terminal from start to end: it sets it up, runs the
 * loop (terminal, the model's sockets and timers, a self-pipe for signals)
 * and restores it on q, Ctrl-C, SIGTERM, SIGHUP and on a crash.
 */
#ifndef FD_TUI_H
#define FD_TUI_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

struct client;
struct model;
struct pollfd;

/* Where the views' data comes from: the model, and the object that fills it
 * (the collector, or a test-only fake), driven by the dashboard's poll loop.
 * Every function may be NULL. */
struct tui_source {
	struct model *model;       /* borrowed; read by the views, never written */
	void *ctx;
	/* Called once after the first frame is on screen (slow set-up: the
	 * simulator, connections); 0, or -1 with err and the dashboard ends. */
	int (*start)(void *ctx, struct fd_error *err);
	/* Queue what is due and fill up to max pollfds; returns how many. */
	int (*poll_fds)(void *ctx, struct pollfd *fds, int max);
	/* Milliseconds until the source needs perform() again (-1: only on fd activity). */
	long (*timeout_ms)(void *ctx);
	/* Drive transfers after poll() and update the model. */
	void (*perform)(void *ctx, const struct pollfd *fds, int nfds);
	/* `r`: collect everything now. */
	void (*refresh_now)(void *ctx);
	/* :profile / :region: use these from now on; 0, or -1 with err (kept as is). */
	int (*switch_to)(void *ctx, const char *profile, const char *region, struct fd_error *err);
	/* The signed client runbook runs use (the collector's), or NULL: no runs. */
	struct client *(*client)(void *ctx);
	/* The metrics view's statistic, period and range (applied at the next refresh). */
	void (*metric_options)(void *ctx, const char *stat, int period_s, int range_s);
	/* The alarm the engineer opened (its metric is read at once); "" alarm: none. */
	void (*focus_alarm)(void *ctx, const char *region, const char *alarm);
	/* Calls in flight (a collection is under way); NULL: never. */
	int (*in_flight)(void *ctx);
	/* Whether the X-Ray view is open (its trace list is read only then); NULL: always read. */
	void (*want_traces)(void *ctx, bool on);
	/* --demo: the simulator's keys sign every call, so :profile does not apply. */
	bool fixed_credentials;
};

struct tui_options {
	const char *profile;       /* shown in the status line; :profile changes it */
	const char *region;        /* primary region shown; :region changes it */
	bool read_only;            /* banner: every mutating call is refused */
	bool no_color;             /* NO_COLOR / --no-color: no colour at all */
	bool ascii;                /* --ascii (a non-UTF-8 locale implies it) */
	int refresh_s;             /* default panel interval */
	long exit_after_ms;        /* > 0: quit after this long (unattended runs) */
	const struct tui_source *source; /* NULL: no data (frame only) */
};


/* Run the dashboard until the user quits; 0, or -1 with err when the terminal
 * cannot be used. */
int tui_run(const struct tui_options *opts, struct fd_error *err);

/* Ask for one line inside the running dashboard (e.g. an MFA code), echoing
 * '*' instead of the text when echo is false. Blocks the caller until Enter
 * (0) or Esc (-1, buf empty); -1 when no dashboard is running. */
int tui_prompt(const char *label, bool echo, char *buf, size_t size);

#endif
