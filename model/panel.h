/* panel.h — one dashboard panel = one file (model/panel_NAME.c) + one row in panel_table[].
 *
 * A panel owns what it collects: the calls it makes, how it parses their
 * results, the model types it fills (model/panel_NAME.h) and how it frees them.
 * The collector (model/collector.c) only schedules: it starts a panel's refresh
 * when it is due, sends the calls the panel queues (bounded concurrency),
 * hands each result to the call's handler, and when the last call of the
 * refresh has completed asks the panel to swap what it staged into the model;
 * then it records age, error and throttling back-off.
 *
 * One refresh of one panel (of one region, or global) is a struct panel_job:
 *   start(j)          queue the first calls (collector_call); a derived panel queues none
 *   calls[k].done     a result of call kind k (borrowed): parse it into j->stage, maybe queue more
 *   calls[k].failed   call kind k failed (the error is already recorded): mark what to carry over
 *   finish(j)         swap the staged data into the model, carrying over what failed
 *   stage_clean_up    free whatever the staging area still holds (then it is zeroed)
 * A failure of a call marked `primary` keeps the panel's old data and its age.
 */
#ifndef FD_PANEL_H
#define FD_PANEL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "base/error.h"
#include "model/config.h"
#include "model/model.h"

#define PANEL_GLOBAL ((size_t)-1)       /* the region of a global panel's job */
#define PANEL_BIT(p) (1u << (p))

struct collector;
struct panel_job;
struct measure;

/* One kind of call a panel makes (a row of its calls[] table, indexed by the
 * panel's own enum). */
struct panel_call {
	const char *service, *op;
	unsigned flags;                 /* CLIENT_ALL_PAGES ... */
	bool primary;                   /* its failure keeps the panel's old data */
	void (*done)(struct panel_job *j, size_t idx, size_t sub, json_t *res);
	void (*failed)(struct panel_job *j, size_t idx, size_t sub); /* NULL: nothing to mark */
	const char *region;             /* NULL: the job's region; else this one (CloudFront's
					 * metrics are in us-east-1) */
	const char *answer_code;        /* an AWS error code that answers rather than fails
					 * (NoSuchMonitoringSubscription): to `failed`, not recorded */
};

/* The latest series of one metric/expression target, in the target's query
 * order (returned queries only). */
struct panel_target_series {
	struct model_series *series;
	size_t n;
	bool fetched;                   /* a GetMetricData for it succeeded */
};

/* What panels keep across refreshes, one per collector (owned by it). */
struct panel_shared {
	char metric_stat[32];           /* "" or the metrics view's statistic */
	int metric_period_s;            /* 0 or the metrics view's period */
	int metric_range_s;             /* 0 or the metrics view's range */
	char *focus_alarm;              /* the alarm the engineer opened, NULL: none */
	bool traces_wanted;             /* the X-Ray view is open: read its trace list */
	size_t focus_region;
	struct panel_target_series *target_series; /* one per config target */
	size_t n_target_series;
	char *measure_file;             /* runbook measurements (model/measure.h) */
	struct measure *ms;
	size_t n_ms;
};

/* One refresh of one panel: what a panel's handlers may use. */
struct panel_job {
	const struct panel_def *def;
	struct collector *c;            /* the scheduler: collector_call(), collector_job_error() */
	const struct fd_config *cfg;
	struct model *m;
	size_t region;                  /* index in m->regions, PANEL_GLOBAL for a global panel */
	void *stage;                    /* def->stage_size bytes, zeroed when a refresh starts */
	struct panel_shared *shared;
	time_t now;                     /* the collector's clock when the handler was called */
	const struct fd_error *failure; /* in a `failed` handler: why the call failed (borrowed) */
};

/* A panel: one row of panel_table[]. */
struct panel_def {
	enum model_panel panel;
	const char *name;               /* "lb": snapshot JSON, error lines */
	bool global;                    /* one for every region (route53, targets) */
	int interval_mult;              /* its interval = the refresh interval × this */
	unsigned after;                 /* PANEL_BITs of panels of its region that must have completed once */
	bool (*enabled)(const struct fd_config *cfg); /* NULL: always */
	const struct panel_call *calls; /* indexed by the panel's call kinds */
	size_t n_calls;
	size_t stage_size;
	void (*start)(struct panel_job *j);
	void (*finish)(struct panel_job *j);
	void (*stage_clean_up)(void *stage);
	/* A derived panel makes no calls: derive(j, reload) recomputes it from the
	 * model after every refresh of another panel (reload false) and when it is
	 * due (reload true: reread its outside inputs). */
	void (*derive)(struct panel_job *j, bool reload);
	/* NULL: due again one interval after a refresh. Else, after a refresh without
	 * errors, when the next one is worth making (never before now + interval_s): the
	 * metrics panel waits for CloudWatch's next period (model/panel_metrics.c). */
	time_t (*next_due)(const struct panel_job *j, time_t now, int interval_s);
	/* Free the panel's part of the model (region index, or PANEL_GLOBAL). */
	void (*model_clean_up)(struct model *m, size_t region);
};

/* Every panel, indexed by enum model_panel. */
extern const struct panel_def *const panel_table[MODEL_PANEL_COUNT];

/* The model region of a job (NULL for a global panel). Borrowed. */
struct model_region *panel_region(const struct panel_job *j);

/* Free what panel_shared holds. */
void panel_shared_clean_up(struct panel_shared *s);

/* --- reading botocore-shaped results (lists are arrays; numbers may be strings) --- */

/* A member's string copied, NULL when absent or not a string. */
char *panel_str(const json_t *o, const char *key);
/* A member's string, borrowed; NULL when absent. */
const char *panel_cstr(const json_t *o, const char *key);
/* A member as a double (number or numeric string); def when absent or not numeric. */
double panel_num(const json_t *o, const char *key, double def);
/* A member as an int; def when absent or not numeric. */
int panel_int(const json_t *o, const char *key, int def);
/* A member as a bool ("true" strings accepted). */
bool panel_bool(const json_t *o, const char *key);
/* A timestamp member (ISO 8601 text or epoch number); 0 when neither. */
time_t panel_time(const json_t *o, const char *key);
/* A member that must be a list: NULL when absent (an empty list to jansson),
 * *bad set when it is another type. */
const json_t *panel_list(const json_t *o, const char *key, bool *bad);
/* The top-level result must be an object: 0, or -1 with a ParseError. */
int panel_need_object(const json_t *res, const char *op, struct fd_error *err);
/* Fail with "OP: unexpected result shape: WHAT" (ParseError); returns -1. */
int panel_shape_error(struct fd_error *err, const char *op, const char *what);
/* Keep only the entries of res[list] whose key is wanted (an empty list wants all). */
void panel_filter(json_t *res, const char *list, const char *key, char *const *names, size_t n);
/* Same non-NULL string? */
bool panel_same(const char *a, const char *b);

/* CloudWatch publishes a minute's datapoint some seconds after the minute ends: a
 * refresh waits this long after a minute before asking for it. */
#define PANEL_CW_PUBLISH_S 10
/* Is a figure whose newest one-minute datapoint starts at newest_s as new as CloudWatch
 * can have at now: that minute has ended and the next one cannot have been published
 * yet? Then asking again returns the same datapoints. */
bool panel_cw_current(time_t newest_s, time_t now);
/* When CloudWatch can first have a newer one-minute datapoint than the one starting at
 * newest_s: the next minute's end plus the publishing delay. */
time_t panel_cw_next(time_t newest_s);
/* The start of the newest datapoint of a series (0 when empty) or t, whichever is newer. */
time_t panel_series_newest(const struct model_series *s, time_t t);

#endif
