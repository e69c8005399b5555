/* runhost.h — runbook runs hosted in the dashboard's poll loop.
 *
 * One run at a time, driven by the engine's non-blocking API (rb_run.h): its
 * AWS calls go through the data source's client (the collector's sockets are
 * the same), its timers set the loop's timeout, its typed confirmations are
 * answered in the confirmation panel (confirm.c) without stopping the loop,
 * and its output lines are kept for the runbooks view. A probe's checks
 * (aws/http.c) are polled in the same loop (runhost_poll_fds).
 */
#ifndef FD_TUI_RUNHOST_H
#define FD_TUI_RUNHOST_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct tui;
struct tui_runbook;
struct runhost;

/* Start a run (plan: dry-run) of r with params (the parameters form's
 * values as strings, borrowed; missing ones take their defaults). Returns
 * loop flags; an error goes to the status line. */
int runhost_start(struct tui *t, const struct tui_runbook *r, bool plan, json_t *params);
/* Resume journaled run id (rb_runs_open, then rb_run_resume: the state is
 * read again before anything is sent again), as `runbook resume ID` does. */
int runhost_resume(struct tui *t, const char *id);
/* How to resume the run when the dashboard is left while it is unfinished
 * (into buf); false when there is nothing to resume. */
bool runhost_leave_hint(const struct tui *t, char *buf, size_t size);
/* The sockets of the run's probe checks for the loop's poll() (at most
 * RUNHOST_MAX_FDS), and after poll(): any of them ready makes the run due. */
#define RUNHOST_MAX_FDS 8
int runhost_poll_fds(struct tui *t, struct pollfd *fds, int max);
void runhost_ready(struct tui *t, const struct pollfd *fds, int n);
/* Milliseconds until the run needs runhost_service() (-1: none). */
long runhost_timeout_ms(struct tui *t);
/* Advance the run when a call completed or its timer passed; returns flags. */
int runhost_service(struct tui *t);
/* The answer typed for the waiting run's confirmation. Returns flags. */
int runhost_answer(struct tui *t, const char *text);
/* Whether the run waits for a typed confirmation or approval. */
bool runhost_waiting(const struct tui *t);
/* While waiting: what to type (rb_run_prompt), borrowed; else NULL. */
const char *runhost_prompt(const struct tui *t);
/* While waiting: the lines the question stands on (rb_run_question). */
void runhost_question_lines(const struct tui *t, void (*line)(void *ctx, const char *text), void *ctx);
/* Which run waits, and where: "scale step 8 set_desired" into buf; the run id
 * (borrowed, "" before the run exists) in *run_id; whether the step is an
 * approval rather than a change. */
const char *runhost_where(const struct tui *t, char *buf, size_t size, const char **run_id, bool *approval);
/* Changes to show (for the view's generation). */
unsigned long runhost_generation(const struct tui *t);
/* The run's log keys (j/k, PgUp/PgDn, g/G); 0 when not taken. */
int runhost_key(struct tui *t, int ch);
/* Draw the run: steps with their state, then its log (wrapped, scrolled). */
void runhost_draw(struct tui *t, int top, int height);
bool runhost_active(const struct tui *t);
void runhost_free(struct tui *t);

#endif
