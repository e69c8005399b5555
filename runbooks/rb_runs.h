/* rb_runs.h — the runs journaled under a state directory (rb_journal.h): listed
 * for the dashboard, and opened for resuming by `runbook resume` and the
 * dashboard alike, so both continue a run through the same code (this, then
 * rb_run_resume(), which re-reads state before it acts again).
 */
#ifndef FD_RB_RUNS_H
#define FD_RB_RUNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/error.h"
#include "runbooks/rb.h"

/* One journaled run, as its journal last said. */
struct rb_runs_entry {
	char *id;
	char *runbook;
	char *stack;
	char *status;            /* running (unfinished), done, failed, rolled_back, rollback_failed */
	char *step;              /* the step it was at ("rollback NAME" in the rollback section), or NULL */
	size_t step_number;      /* 1-based, 0 when unknown */
	char *failure;           /* why it failed, or NULL */
	int64_t started_ms, updated_ms;
	json_t *measurements;    /* {"name": value, ...} (owned) */
	json_t *parameters;      /* {"name": value, ...} it ran with (owned; secret ones are not journaled) */
};

/* Every run journaled under state_dir/runs, newest first (by its last journal
 * write); *n is set. A journal that cannot be read is skipped. Free with
 * rb_runs_free(). NULL with *n = 0 when there is none. */
struct rb_runs_entry *rb_runs_list(const char *state_dir, size_t *n);
void rb_runs_free(struct rb_runs_entry *runs, size_t n);
/* Whether the run has not ended (resume continues it). */
bool rb_runs_unfinished(const struct rb_runs_entry *e);
/* The id of the most recent unfinished run (caller frees), or NULL with err "NoSuchRun". */
char *rb_runs_last_unfinished(const char *state_dir, struct fd_error *err);

/* Open run id for resuming: its journal (*journal, caller decrefs) and the
 * runbook it ran, loaded again from the file it was loaded from or, when that
 * is gone, found by name on the search path. NULL with err ("NoSuchRun",
 * "StateError", "NoSuchRunbook", "InvalidRunbook"). */
struct runbook *rb_runs_open(const char *state_dir, const char *id, json_t **journal, struct fd_error *err);

#endif
