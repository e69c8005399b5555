/* rb_run.h — the runbook engine: a step state machine that never blocks.
 *
 * A run walks a loaded runbook (rb.h) step by step. It never waits itself:
 * rb_run_step() does everything it can right now and returns; the caller (the
 * CLI's line-by-line loop or the TUI's poll loop) calls it again after an AWS
 * call completed, when a socket of rb_run_poll_fds() is ready, after
 * rb_run_timeout_ms() passed, or after handing it the engineer's typed answer
 * with rb_run_answer() while rb_run_prompt() is set. A probe's HTTP checks run
 * on aws/http.c (libcurl's multi interface) in that same loop.
 *
 * AWS calls, the clock and output go through struct rb_io, so tests inject a
 * fake client and a fake clock. Before every mutating call the run shows the
 * operation, its parameters, the account, the region, current -> new and
 * whether it is a control-plane call (rb_confirm.h), then asks for the exact
 * token (three tries; or takes --yes, logged as such; without a terminal and
 * without --yes the step fails and nothing is sent). Plan mode sends no mutating call; read-only mode
 * refuses them. Every step is journaled (0600, fsync) before and after it
 * acts; rb_run_resume() continues an interrupted run without repeating a
 * mutation (it re-reads state to see whether the last call took effect).
 * Every AWS call is appended to the audit log.
 */
#ifndef FD_RB_RUN_H
#define FD_RB_RUN_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/error.h"
#include "runbooks/rb.h"
#include "runbooks/rb_confirm.h"

/* Completion of one call: result owned by the callee (json_decref it), NULL on error. */
typedef void (*rb_call_done_fn)(void *done_ctx, json_t *result, const struct fd_error *err);

struct rb_io {
	void *ctx;
	/* Start one AWS call (input borrowed; region NULL for the default). done
	 * runs exactly once, possibly before call returns — unless call returns
	 * -1, with err filled, and done never runs. */
	int (*call)(void *ctx, const char *service, const char *operation, const char *region,
		    json_t *input, rb_call_done_fn done, void *done_ctx, struct fd_error *err);
	/* Whether an operation changes anything; NULL: the operation table's flag. */
	bool (*is_mutating)(void *ctx, const char *service, const char *operation);
	/* Wall-clock time in ms; NULL: the system clock (tests inject one). */
	int64_t (*now_ms)(void *ctx);
	/* One line for the engineer (no newline). */
	void (*print)(void *ctx, const char *line);
	/* A measurement for the dashboard's targets, of the run's stack; may be NULL. */
	void (*measure)(void *ctx, const char *name, double value, const char *runbook, const char *run_id,
			const char *stack);
	/* A secret parameter's value, never to be logged (the client's --debug log
	 * redacts it); may be NULL. */
	void (*secret)(void *ctx, const char *value);
	const char *default_region;   /* shown when a step names none */
};

struct rb_options {
	bool plan;               /* read state, print every call with current -> new, send no mutating call */
	bool read_only;          /* refuse every mutating call (the run fails) */
	bool yes;                /* answer confirmations (logged as "confirmed by --yes") */
	bool no_terminal;        /* nobody can type an answer: a confirmation fails the step (saying --yes),
	                          * or stops the run unfinished once it has changed something */
	const char *break_lock_host; /* what the person typed to break a lock held by another host */
	const char *state_dir;   /* journal (runs/), locks (locks/), audit.jsonl; NULL: none */
	const char *run_id;      /* NULL: generated */
	const char *stack;       /* lock scope; NULL: the `stack` parameter, else "default" */
};

enum rb_status {
	RB_RUNNING,              /* call rb_run_step() again (after a call, a timeout or an answer) */
	RB_WAITING_INPUT,        /* rb_run_prompt() says what to type */
	RB_DONE,                 /* every step succeeded */
	RB_PLANNED,              /* plan mode finished */
	RB_FAILED,               /* aborted (no rollback, or none defined) */
	RB_ROLLED_BACK,          /* aborted and the rollback section succeeded */
	RB_ROLLBACK_FAILED,      /* aborted and the rollback section failed too */
	RB_STOPPED,              /* unfinished: a step must be asked and nobody can type here;
	                          * the journal stays resumable (`runbook resume` in a terminal) */
};

struct rb_run;

/* Start a run of rb with params (an object of overrides, borrowed; values are
 * checked against the parameter types). rb, io must outlive the run. NULL
 * with err: a missing or mistyped parameter ("InvalidParameter"), a held lock
 * ("LockHeld"), an unwritable state directory. */
struct rb_run *rb_run_new(const struct runbook *rb, json_t *params, const struct rb_io *io,
			  const struct rb_options *opts, struct fd_error *err);
/* Continue the run journaled in journal (as read by rb_journal_load; borrowed).
 * params (borrowed, may be NULL) gives the secret parameters again: the
 * journal does not keep them. A step that may have sent its change before the
 * interruption and has no `current` read is asked for by typing, --yes or not. */
struct rb_run *rb_run_resume(const struct runbook *rb, json_t *journal, json_t *params, const struct rb_io *io,
			     const struct rb_options *opts, struct fd_error *err);
void rb_run_destroy(struct rb_run *r);

/* Advance as far as possible without blocking. */
enum rb_status rb_run_step(struct rb_run *r);
/* Milliseconds until rb_run_step() is due again; -1 when only a call's
 * completion or an answer can move the run. */
long rb_run_timeout_ms(struct rb_run *r);
/* The sockets of the run's probe checks in flight, for the caller's poll(): up
 * to max into fds; returns how many. rb_run_step() drives them. */
int rb_run_poll_fds(struct rb_run *r, struct pollfd *fds, int max);
/* While waiting for input: what to type, e.g. "type petclinic-listener to send it"
 * (borrowed), else NULL. */
const char *rb_run_prompt(const struct rb_run *r);
/* While waiting for input: the lines the question stands on, one per call of
 * line(ctx, text), made safe for a terminal — the confirmation block of a
 * mutating call (rb_confirm.h) with, on resume, why it asks again; or an
 * approve step's message. The same lines the run printed before it asked, for
 * a screen that shows the question apart from the run's output. */
void rb_run_question(const struct rb_run *r, void (*line)(void *ctx, const char *text), void *ctx);
#define RB_RUN_MUST_ASK "  this step may already have been sent before the interruption, and it has no `current` " \
	"read to tell: check, then confirm by typing to send it again (--yes does not answer this)"
/* Hand over the engineer's answer (one line, no newline). */
void rb_run_answer(struct rb_run *r, const char *answer);

enum rb_status rb_run_status(const struct rb_run *r);
/* 0 done or planned, 1 failed, rolled back or stopped. */
int rb_run_exit_code(const struct rb_run *r);
const char *rb_run_id(const struct rb_run *r);                 /* borrowed */
const char *rb_run_journal_path(const struct rb_run *r);       /* borrowed; NULL without state_dir */
const char *rb_status_name(enum rb_status s);

/* For views: one step's state. */
struct rb_step_info {
	const char *name;        /* borrowed */
	const char *action;      /* borrowed */
	const char *status;      /* pending, running, done, failed, skipped; borrowed */
	int attempts;
	int64_t started_ms, ended_ms;   /* 0 when not yet */
};
/* Number of steps in the main (rollback false) or rollback section. */
size_t rb_run_step_count(const struct rb_run *r, bool rollback);
void rb_run_step_info(const struct rb_run *r, bool rollback, size_t i, struct rb_step_info *info);
/* The step being run: its section and index; false when none. */
bool rb_run_current(const struct rb_run *r, bool *rollback, size_t *index);

/* The run's clock (the io's, else the system's wall clock), in ms. */
int64_t rb_run_now_ms(struct rb_run *r);

#endif
