/* rb_journal.h — run journals, run locks and the audit log, under a state directory.
 *
 * Layout under state_dir ($XDG_STATE_HOME/flightdeck): runs/<run-id>.json (one
 * journal per run, replaced atomically and fsync'ed on every write),
 * locks/<runbook>@<stack>.lock (see rb_journal_lock) and audit.jsonl (one JSON object per
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

/* Take the lock for runbook on stack: state_dir/locks/<runbook>@<stack>.lock
 * holds host, boot id, pid and its start time, start time, run id and
 * operator, written to a temporary file first and link()ed into place, so a
 * lock is never seen half written and exactly one of many simultaneous
 * starters wins. A lock left by a dead process of this host and boot is moved
 * aside and taken over; one from another host or boot only when break_host
 * names that host (what the person typed), else NULL with err
 * "LockHeldElsewhere". A live holder: NULL with err "LockHeld" naming it.
 * Returns the lock's path (caller frees, passes to rb_journal_unlock). */
char *rb_journal_lock(const char *state_dir, const char *runbook, const char *stack, const char *run_id,
		      const char *break_host, struct fd_error *err);
/* Remove the lock at lock_path if this process holds it. */
void rb_journal_unlock(const char *lock_path);

/* Append one record (borrowed) as a line to state_dir/audit.jsonl (fsync'ed). */
int rb_journal_audit(const char *state_dir, json_t *record, struct fd_error *err);
/* A deep copy of an operation's input with secret-looking values replaced by
 * "<redacted>": values of keys named like secrets, and strings holding one of
 * secrets (an array of strings, borrowed; may be NULL). */
json_t *rb_journal_redact(json_t *input, json_t *secrets);

#endif
