/* measure.h — figures runbooks measure (downtime, deploy duration, ...), kept as JSON Lines.
 *
 * The file is $XDG_STATE_HOME/flightdeck/measurements.jsonl (default
 * ~/.local/state/flightdeck/measurements.jsonl), mode 0600, one object per line:
 *   {"time": "2026-11-24T05:10:00Z", "run_id": "...", "runbook": "...",
 *    "stack": "petclinic", "name": "downtime_s", "value": 0}
 * Names in use: downtime_s, deploy_duration_s, scale_out_latency_s, rto_s.
 * The success targets of source "measurement" read the newest value of a name.
 */
#ifndef FD_MEASURE_H
#define FD_MEASURE_H

#include <stddef.h>
#include <time.h>

#include "base/error.h"

struct measure {
	time_t at;
	char *run_id;      /* NULL when absent */
	char *runbook;     /* NULL when absent */
	char *stack;       /* the stack the run acted on; NULL when absent (older lines) */
	char *name;
	double value;
};

/* The measurements file's path (XDG_STATE_HOME, else HOME/.local/state: base/statefile.h);
 * NULL when there is no home (then every function below fails with "NoHome"). Caller frees. */
char *measure_path(void);

/* Append one measurement now (creating the directory 0700 and the file 0600).
 * runbook, run_id and stack may be NULL. 0, or -1 with err. */
int measure_append(const char *name, double value, const char *runbook, const char *run_id,
		   const char *stack, struct fd_error *err);
/* Same, to an explicit path at an explicit time (tests), without a stack. */
int measure_append_to(const char *path, time_t at, const char *name, double value,
		      const char *runbook, const char *run_id, struct fd_error *err);
/* Same, with a stack. */
int measure_append_stack(const char *path, time_t at, const char *name, double value,
			 const char *runbook, const char *run_id, const char *stack, struct fd_error *err);

/* Remove every measurement of run_id from path (rewritten atomically, 0600);
 * *removed says how many. 0, or -1 with err. */
int measure_drop(const char *path, const char *run_id, size_t *removed, struct fd_error *err);

/* Read every well-formed line of path, oldest first (lines that are not a JSON
 * object with a name, a numeric value and a valid time are skipped and counted
 * in *skipped when it is not NULL). A missing file is zero measurements. */
int measure_load(const char *path, struct measure **out, size_t *n, size_t *skipped,
		 struct fd_error *err);
void measure_free(struct measure *v, size_t n);

#endif
