/* rb_journal.h — run journals, run locks and the audit log, under a state directory.
 *
 * Layout under state_dir ($XDG_STATE_HOME/flightdeck): runs/<run-id>.json (one
 * journal per run, replaced atomically and fsync'ed on every write),
 * locks/<runbook>@<stack>.lock (pid and process start time, so a lock left by
 * a dead process is recognised as stale) and audit.jsonl (one JSON object per
 * AWS call). Every file is created 0600, every directory 0700.
 */
#ifndef FD_RB_JOURNAL_H
#define FD_RB_JOURNAL_H

#include <jansson.h>

#include "base/error.h"

/* $XDG_STATE_HOME/flightdeck, or ~/.local/state/flightdeck. Caller frees; NULL without HOME. */
char *rb_journal_state_dir(void);

/* Write journal (borrowed) to state_dir/runs/<run_id>.json atomically (temp
 * file, fsync, rename, fsync of the directory). */
int rb_journal_save(const char *state_dir, const char *run_id, json_t *journal, struct fd_error *err);
/* Read a journal back; NULL with err "NoSuchRun". */
json_t *rb_journal_load(const char *state_dir, const char *run_id, struct fd_error *err);
/* The id of the most recent run whose status is still running (caller frees), or NULL with err. */
char *rb_journal_last_unfinished(const char *state_dir, struct fd_error *err);

/* Take the lock for runbook on stack; NULL with err "LockHeld" naming the
 * holder, unless the holder is gone (then the stale lock is taken over).
 * Returns the lock's path (caller frees, passes to rb_journal_unlock). */
char *rb_journal_lock(const char *state_dir, const char *runbook, const char *stack, const char *run_id,
		      struct fd_error *err);
void rb_journal_unlock(const char *lock_path);

/* Append one record (borrowed) as a line to state_dir/audit.jsonl (fsync'ed). */
int rb_journal_audit(const char *state_dir, json_t *record, struct fd_error *err);
/* A deep copy of an operation's input with secret-looking values replaced by "<redacted>". */
json_t *rb_journal_redact(json_t *input);

#endif
