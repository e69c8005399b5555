/* rb_run_impl.h — what the engine's files share (runbooks/rb_*.c that run a
 * runbook; nothing else includes it): the run's state and each part's entry points.
 *
 *   rb_run.c      a run's life (new, resume, destroy), the step machine, questions
 *   rb_outcome.c  how a step and a run end: retry, jump, roll back, the last line; plan
 *   rb_act.c      the aws, wait, assert/branch, approve and sleep actions
 *   rb_probe.c    the probe action and its HTTP checks
 *   rb_watch.c    the metric action (CloudWatch watches)
 *   rb_input.c    a step's inputs: templates, jq programs, typed values
 *   rb_call.c     AWS calls through rb_io
 *   rb_log.c      lines to the engineer, the journal, the audit log, figures
 */
#ifndef FD_RB_RUN_IMPL_H
#define FD_RB_RUN_IMPL_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/error.h"
#include "base/strbuf.h"
#include "runbooks/rb.h"
#include "runbooks/rb_confirm.h"
#include "runbooks/rb_run.h"

/* Where a step's execution stands. */
enum phase {
	PH_BEGIN,        /* expand inputs, decide the first move */
	PH_READ,         /* read the current state (aws: `current`) */
	PH_READ_WAIT,
	PH_CONFIRM,      /* show the change, ask for the token */
	PH_INPUT,        /* waiting for the typed answer */
	PH_ACT,          /* the step's own call */
	PH_ACT_WAIT,
	PH_EVAL,         /* evaluate a condition on what was read */
	PH_TIMER,        /* wait until due_ms, then go to timer_next */
	PH_END,          /* the step succeeded (sleep) */
	PH_ACT_AGAIN,    /* aws: read again after a transient failure */
	PH_ITEM,         /* aws for_each: begin the next item (inputs expanded) */
};

struct step_state {
	const char *status;      /* static: pending, running, done, failed, skipped */
	int attempts;
	int64_t started_ms, ended_ms;
	int64_t sent_ms;         /* when its first mutating call went out (measure_from counts from it), 0: none */
	bool mutation_sent;      /* journaled just before a mutating call went out */
};

struct probe {
	struct rb_run *run;
	int step;                /* the probe step (main section) */
	char *url;
	long interval_ms;
	json_t *during;          /* step names, borrowed from the step's inputs; NULL for a smoke test */
	long expect_lo, expect_hi;
	double max_failed;       /* failure rate above which the run is breached */
	long checks, failures;   /* while watching */
	long down_checks;        /* failed checks that were downtime (see probe_count_down) */
	long fail_run;           /* consecutive failed checks up to the last one */
	bool isolated;           /* the last check failed alone with an answer: downtime only if the next fails */
	long first_left;         /* baseline (or smoke) checks still to make */
	long first_checks, first_ok;
	char last_error[160];    /* what the last failed check got */
	int64_t next_due_ms;
	struct http *http;       /* its checks' transfers (aws/http.c), in the caller's poll loop */
	bool in_flight;          /* a check is under way */
	bool stopped, breached;
};

/* One call in flight; outlives an abandoned run step (r is then NULL). */
struct call_token {
	struct rb_run *r;
};

struct rb_run {
	const struct runbook *rb;
	const struct rb_io *io;
	struct rb_options opts;
	char *run_id, *state_dir, *stack, *lock_path, *journal_path;
	json_t *params;          /* resolved parameters */
	json_t *secrets;         /* the values of secret parameters: redacted wherever they are recorded or shown */
	json_t *outputs;         /* {step: {Output: value}} */
	json_t *measurements;    /* {name: value} */
	enum rb_status status;
	bool in_rollback;
	size_t idx;
	struct step_state *main, *back;
	int64_t started_ms;
	char *failure;           /* why the run aborted */
	bool refused_read_only;

	int identity;            /* 0 to ask, 1 asking, 2 known */
	char *caller_arn, *account;

	/* The step in progress. */
	enum phase phase, timer_next;
	json_t *in;              /* expanded inputs */
	json_t *result;          /* the last call's result */
	struct fd_error call_err;
	bool call_failed, call_done;
	struct call_token *token;
	int64_t due_ms, deadline_ms, window_end_ms;
	char *current_text, *new_text, *confirm_token, *prompt;
	int tries;               /* wrong answers given to the confirmation being asked */
	int64_t asked_ms;        /* when it was asked: answering does not count against the step's timeout */
	const char *ask_what;    /* static: what the token does ("to send it ...") */
	bool mutating, said_waiting;
	bool must_ask;           /* resume: the step may have been sent and cannot be re-read: --yes does not answer */
	int next;                /* branch target, -1 for the next step */
	int read_retries;        /* transient failures of the step's reads so far */
	int mutations_done;      /* mutating calls completed by this process */

	struct probe **probes;   /* owned; stable addresses (a check in flight points at its probe) */
	size_t nprobes;
	long probe_results;      /* checks counted so far (rb_probe_tick: did a tick count any) */

	bool changed;            /* a mutating call went out (or may have: resume) */
	bool step_unknown;       /* plan: the step in progress is not evaluated */
	json_t *unknown;         /* plan: {step: why} of steps a plan cannot evaluate */
	bool plan_changed;       /* plan: a mutating step came before (its change is not there) */
	int plan_worst;          /* plan: 0 the run would go through, 1 a check would stop it, 2 errors */
	char *plan_stop;         /* plan: the first step that would stop the run, and why */
	size_t plan_checked;     /* plan: steps evaluated */
	json_t *items;           /* for_each: the items, or NULL */
	size_t item_idx;
	int64_t judged_t;        /* metric: the newest timestamp judged (s) */
	json_t *metric_last;     /* metric: the newest complete datapoint judged */
};

/* The step running now, its state, the length of its section, whether the run ended. */
static inline const struct rb_step *rb_run_cur_step(const struct rb_run *r)
{
	return r->in_rollback ? &r->rb->rollback[r->idx] : &r->rb->steps[r->idx];
}

static inline struct step_state *rb_run_cur_state(struct rb_run *r)
{
	return r->in_rollback ? &r->back[r->idx] : &r->main[r->idx];
}

static inline size_t rb_run_section_len(const struct rb_run *r)
{
	return r->in_rollback ? r->rb->nrollback : r->rb->nsteps;
}

static inline bool rb_run_finished(const struct rb_run *r)
{
	return r->status != RB_RUNNING && r->status != RB_WAITING_INPUT;
}

#define PLAN_NOT_SENT "a plan does not send it"

/* rb_log.c */
/* Print one or more lines to the engineer (made safe for a terminal). */
void rb_log_say(struct rb_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Write the journal (before and after every step); a failure is reported, not fatal. */
void rb_log_journal(struct rb_run *r);
/* Append one record to the audit log. */
void rb_log_audit(struct rb_run *r, const char *service, const char *operation, const char *region,
		  json_t *input, const char *outcome, const char *request_id);
/* Record a measurement: the run's figures, the dashboard's targets. */
void rb_log_record(struct rb_run *r, const char *name, double secs);
/* ", RTO 14.6 s, downtime 0.0 s": the figures this run measured, for its last line. */
void rb_log_figures(struct rb_run *r, struct strbuf *sb);

/* rb_input.c */
/* A string input of the expanded inputs, or NULL. */
const char *rb_input_str(const struct rb_run *r, const char *key);
/* A number input given as a number or as text; def when absent. */
double rb_input_number(const struct rb_run *r, const char *key, double def);
/* A duration input in ms (text or seconds); def when absent, -1 when malformed. */
long rb_input_duration_ms(const struct rb_run *r, const char *key, long def);
/* A JSON value as display text (caller frees): strings bare, the rest compact JSON. */
char *rb_input_display(json_t *v);
/* Expand every template under v (a new value); NULL with err. */
json_t *rb_input_expand(struct rb_run *r, json_t *v, struct fd_error *err);
/* Expand a string to text (caller frees; json: values as JSON); NULL with err. */
char *rb_input_text(struct rb_run *r, const char *s, bool json, struct fd_error *err);
char *rb_input_lines(struct rb_run *r, const char *s, struct fd_error *err);
/* Evaluate the step's jq program at key on input; errors carry FILE:LINE. */
json_t *rb_input_jq(struct rb_run *r, const char *key, const char *program, json_t *input, struct fd_error *err);
/* The step's `interval` in ms, at least min_ms; -1 after failing the step. */
long rb_input_interval_ms(struct rb_run *r, long def_ms, long min_ms);

/* rb_call.c */
/* Whether an operation changes anything (an unknown one does). */
bool rb_call_is_mutating(struct rb_run *r, const char *service, const char *operation);
/* Start a call; the step's phase becomes wait_phase until it completes. */
void rb_call_start(struct rb_run *r, const char *service, const char *operation, const char *region,
		   json_t *input, enum phase wait_phase);
/* Forget the call in flight (its completion will be dropped). */
void rb_call_abandon(struct rb_run *r);
/* The region a step's call goes to (NULL: the client's). */
const char *rb_call_region(const struct rb_run *r, json_t *obj);
int rb_call_check_regions(struct rb_run *r, struct fd_error *err);
/* Start the step's own call (service, operation, region, input of r->in). */
void rb_call_own(struct rb_run *r);
/* A transient read failure: read again shortly (up to three times a step); false when the step must fail. */
bool rb_call_retry_read(struct rb_run *r, enum phase again);

/* rb_outcome.c */
void rb_outcome_reset(struct rb_run *r);
void rb_outcome_goto(struct rb_run *r, size_t next);
void rb_outcome_plan_unknown(struct rb_run *r, const char *why);
void rb_outcome_succeed(struct rb_run *r, json_t *result);
void rb_outcome_plan_skip(struct rb_run *r, const char *why);
void rb_outcome_fail(struct rb_run *r, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void rb_outcome_finish(struct rb_run *r, enum rb_status st);
void rb_outcome_stop(struct rb_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* rb_act.c: the actions' handlers (true when the run moved). */
bool rb_act_aws(struct rb_run *r);
bool rb_act_wait(struct rb_run *r);
bool rb_act_condition(struct rb_run *r);
bool rb_act_approve(struct rb_run *r);
bool rb_act_sleep(struct rb_run *r);
/* The confirmation of the current aws step. */
void rb_act_confirm_of(const struct rb_run *r, struct rb_confirm *c);

/* rb_probe.c */
bool rb_probe_act(struct rb_run *r);
/* Collect finished checks, start due ones, stop probes whose steps are over.
 * Returns how many checks it counted: each may have moved the run (a baseline
 * done, a breach), which then needs stepping again (rb_run_step). */
int rb_probe_tick(struct rb_run *r);
/* Whether the step running now is one probe p watches. */
bool rb_probe_active(const struct rb_run *r, const struct probe *p);
/* The probes' sockets to poll (rb_run_poll_fds), and when they are next due (ms since the epoch, -1: never). */
int rb_probe_poll_fds(struct rb_run *r, struct pollfd *fds, int max);
int64_t rb_probe_due_ms(struct rb_run *r);
/* Resume: the journal's probes whose steps are not over start again, with their counts. */
void rb_probe_resume(struct rb_run *r, json_t *journal_probes);
/* Free every probe (no check's completion runs after this). */
void rb_probe_destroy_all(struct rb_run *r);

/* rb_watch.c */
bool rb_watch_act(struct rb_run *r);
/* Every metric watch of the runbook with these parameters: a valid period, a long enough window. */
int rb_watch_check_windows(struct rb_run *r, struct fd_error *err);

#endif
