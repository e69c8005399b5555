/* runhost.h — runbook runs hosted in the dashboard's poll loop.
 *
 * One run at a time, driven by the engine's non-blocking API (rb_run.h): its
 * AWS calls go through the data source's client (the collector's sockets are
 * the same), its timers set the loop's timeout, its questions (missing
 * parameters, typed confirmations) are answered on the status line without
 * stopping the loop, and its output lines are kept for the runbooks view.
 */
#ifndef FD_TUI_RUNHOST_H
#define FD_TUI_RUNHOST_H

#include <stdbool.h>

struct tui;
struct tui_runbook;
struct runhost;

/* Start a run (plan: dry-run) of r: asks for missing parameters first.
 * Returns loop flags; an error goes to the status line. */
int runhost_start(struct tui *t, const struct tui_runbook *r, bool plan);
/* Milliseconds until the run needs runhost_service() (-1: none). */
long runhost_timeout_ms(struct tui *t);
/* Advance the run when a call completed or its timer passed; returns flags. */
int runhost_service(struct tui *t);
/* The line typed for the run's question (NULL: Esc). Returns flags. */
int runhost_answer(struct tui *t, const char *text);
/* What the status line asks now, or NULL. Borrowed. */
const char *runhost_question(const struct tui *t);
/* Changes to show (for the view's generation). */
unsigned long runhost_generation(const struct tui *t);
/* Draw the run: steps with their state, then the newest output lines. */
void runhost_draw(struct tui *t, int top, int height);
bool runhost_active(const struct tui *t);
void runhost_free(struct tui *t);

#endif
