/* rb.h — runbooks: load and validate a YAML runbook, and the jq helpers.
 *
 * A runbook (see ../shared/DESIGN.md "Runbooks") is a YAML mapping with
 * `description`, typed `parameters`, `steps` and an optional `rollback`
 * section. rb_load() parses it with libyaml, keeping line and column marks so
 * every complaint reads "FILE:LINE:COLUMN: message", checks the schema, every
 * step reference, every `{{ step.Output }}` / `{{ parameters.x }}` template
 * and compiles every jq program with libjq. The engine (rb_run.h) executes a
 * loaded runbook.
 */
#ifndef FD_RB_H
#define FD_RB_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/error.h"

enum rb_on_failure {
	RB_ON_FAILURE_ABORT,     /* stop; run the rollback section */
	RB_ON_FAILURE_CONTINUE,  /* go on with the next step */
	RB_ON_FAILURE_STEP,      /* jump to a named step */
};

struct rb_action;

struct rb_param {
	char *name;
	char *type;              /* string, integer, number, boolean */
	json_t *def;             /* default, NULL when the parameter is required */
	char *description;       /* may be NULL */
	bool secret;             /* `secret: true`: redacted in the journal, the audit log and what is shown */
	json_t *min, *max;       /* bounds of an integer or number parameter (inclusive), NULL: none */
	json_t *bound;           /* set by an include (a value, or a template of other parameters); NULL: given */
	char *bound_at;          /* where: "FILE:LINE (include NAME)"; NULL when not bound */
};

/* Whether a parameter is one a run is given (not set by an include). */
static inline bool rb_param_given(const struct rb_param *p)
{
	return p->bound == NULL;
}

/* The value of a parameter an include sets (p->bound), from the run's parameters
 * so far: a new reference, or NULL with err "InvalidParameter". */
json_t *rb_include_bind(const struct rb_param *p, json_t *params, struct fd_error *err);

/* The value of parameter p given as given (a string typed on the command line
 * or in the dashboard's form, or a JSON value), converted to p's type and
 * checked against its bounds: a new reference, or NULL with err
 * "InvalidParameter" saying what is wrong ("parameter n: '4x' is not an integer"). */
json_t *rb_param_value(const struct rb_param *p, json_t *given, struct fd_error *err);

struct rb_step {
	char *name;
	const struct rb_action *action;
	int line, col;           /* where the step's mapping starts */
	json_t *inputs;          /* templates not yet expanded; an object */
	json_t *outputs;         /* {"Name": "jq program"}; an object */
	long timeout_ms;         /* 0: the action's default */
	int max_attempts;        /* >= 1 */
	bool max_attempts_given; /* set in the runbook: also bounds how often a loop comes back here */
	enum rb_on_failure on_failure;
	int on_failure_step;     /* index in the same section for RB_ON_FAILURE_STEP */
	char *print;             /* template printed when the step succeeds, or NULL */
	char *measure;           /* measurement recorded when the step succeeds, or NULL */
	int measure_from;        /* step index whose start the measurement counts from; -1: the run's start */
	bool rollback;           /* belongs to the rollback section */
	json_t *marks;           /* {"until": LINE, "outputs.Name": LINE, ...}: where each jq program is */
	char *for_each;          /* aws: a jq program giving the items the step acts on, one by one, or NULL */
	char *file;              /* the runbook file it comes from when included (rb_include.c), else NULL */
	int gate;                /* an included rollback step: the main step that starts its include (it runs
				    only when that one started); -1 otherwise */
};

/* The file a step is written in: its included runbook's, or the runbook's. */
#define rb_step_file(rb, st) ((st)->file ? (st)->file : (rb)->path)

/* The line of the runbook where step st's jq program key ("until",
 * "current.value", "outputs.Name", ...) is written; the step's line if unknown. */
int rb_step_line(const struct rb_step *st, const char *key);

struct runbook {
	char *name;              /* file name without directory and .yaml */
	char *path;
	char *description;
	size_t nparams;
	struct rb_param *params;
	size_t nsteps;
	struct rb_step *steps;
	size_t nrollback;
	struct rb_step *rollback;
};

enum rb_action_kind {
	RB_ACTION_AWS, RB_ACTION_WAIT, RB_ACTION_ASSERT, RB_ACTION_APPROVE,
	RB_ACTION_SLEEP, RB_ACTION_PROBE, RB_ACTION_BRANCH, RB_ACTION_METRIC,
};

/* One row of the action table: its schema (rb_run.c has the behaviour, by kind). */
struct rb_action {
	const char *name;
	enum rb_action_kind kind;
	const char *const *inputs;    /* the keys `inputs` may have, NULL-terminated */
	const char *const *required;  /* keys it must have, NULL-terminated */
	const char *const *jq_keys;   /* keys holding jq programs, NULL-terminated */
	long default_timeout_ms;      /* 0: none */
	const char *summary;
};

/* The action table (NULL-terminated by name) and lookup by name (NULL if unknown). */
extern const struct rb_action rb_actions[];
const struct rb_action *rb_action_find(const char *name);

/* One run.* template field, {{ run.NAME }}: the loader accepts the names of this
 * table (rb_check.c), the run expands them with value (rb_input.c). */
struct rb_run;
struct rb_run_field {
	const char *name;
	json_t *(*value)(struct rb_run *r);   /* a new reference */
};

/* The run fields (NULL-terminated by name) and lookup by name (NULL if unknown). */
extern const struct rb_run_field rb_run_fields[];
const struct rb_run_field *rb_run_field_find(const char *name);

/* Load and validate the runbook in path. NULL with err ("InvalidRunbook",
 * "FILE:LINE:COLUMN: message") when it is not valid. */
struct runbook *rb_load(const char *path, struct fd_error *err);
/* Same, from a buffer; name is used in messages in place of a file name. */
struct runbook *rb_load_buffer(const char *name, const char *data, size_t len, struct fd_error *err);
void rb_destroy(struct runbook *rb);

/* Index of the step called name in steps (or rollback when rollback is set), -1 if none. */
int rb_step_index(const struct runbook *rb, const char *name, bool rollback);

/* The directories searched for runbooks, in order, each once: the directories
 * of $FD_RUNBOOK_PATH (colon separated), the user's
 * $XDG_CONFIG_HOME/flightdeck/runbooks (~/.config/flightdeck/runbooks), then
 * the shipped runbooks — from the source tree when this binary runs from its
 * build tree, else beside the binary (/proc/self/exe, BINDIR/../share/flightdeck/runbooks
 * for the usual layout: a moved or DESTDIR install) and in the configured
 * prefix (PKGDATADIR/runbooks). Returns a NULL-terminated array the caller
 * frees with rb_dirs_free(). */
#define RB_DIRS_MAX 64
char **rb_dirs(void);
void rb_dirs_free(char **dirs);
/* "A, B, C": the directories for a message. Caller frees. */
char *rb_dirs_text(char **dirs);
/* A runbook found on the search path: its name, the directory that holds it
 * (borrowed from the dirs given to rb_list) and its file. */
struct rb_found {
	char *name;
	const char *dir;
	char *path;
};
/* Every NAME.yaml in dirs, the first directory holding a name winning, sorted
 * by name; *n is set. Free with rb_list_free(). */
struct rb_found *rb_list(char **dirs, size_t *n);
void rb_list_free(struct rb_found *found, size_t n);
/* True for a runbook, step or parameter name: letters, digits, '_' and '-'. */
bool rb_name_ok(const char *s, size_t len);

/* Find a runbook by name (or path when it contains a '/' or ends in .yaml).
 * Returns the path (caller frees) or NULL with err "NoSuchRunbook". */
char *rb_find(const char *name, struct fd_error *err);

/* Parse "30s", "5m", "500ms", "1h" or a number of seconds into ms; -1 if malformed. */
long rb_parse_duration_ms(const char *s);

/* The shortest interval a wait or assert may poll AWS at, and a probe its URL. */
#define RB_MIN_INTERVAL_MS 1000
#define RB_MIN_PROBE_INTERVAL_MS 10
/* Whether a probe URL may be fetched: http:// or https:// with a host, nothing else. */
bool rb_probe_url_ok(const char *url);

/* jq: compile program with $parameters and $steps defined; 0 or -1 with err
 * "jq: what is wrong". Templates must have been expanded already. */
int rb_jq_check(const char *program, struct fd_error *err);
/* jq: run program on input with $parameters and $steps bound (vars: an object
 * {"parameters": ..., "steps": ...}, borrowed; NULL for empty); the first
 * output, or NULL with err (code "JqError"). input is borrowed. */
json_t *rb_jq_eval(const char *program, json_t *input, json_t *vars, struct fd_error *err);
/* jq truthiness: everything but false and null. */
bool rb_jq_truthy(const json_t *v);

#endif
