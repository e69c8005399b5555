/* model.h — the typed dashboard state: plain structs with a timestamp per item.
 *
 * The collectors (model/collector.h) fill it from AWS results; the TUI (tui/)
 * and `flightdeck snapshot` read it. Nothing here includes curses or builds an
 * HTTP request. All strings and arrays belong to the model (model_clean_up frees
 * them); readers treat everything as borrowed and never keep pointers across a
 * collector_perform() call, which may replace whole arrays.
 *
 * Numbers that may be unknown are doubles holding NAN until data arrives
 * (test with isnan()); counts are ints (-1 when unknown where it matters).
 * Times are wall-clock seconds (time_t); 0 means "never / unknown".
 *
 * Change tracking: every panel has a `changed` generation counter that the
 * collectors bump whenever that panel's data, age or error changes, and
 * model->generation is bumped with any of them; a view redraws when the
 * counter it last drew differs.
 */
#ifndef FD_MODEL_H
#define FD_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "base/error.h"

#define MODEL_MAX_REGIONS 2
#define MODEL_HISTORY 32        /* recent values kept per target for sparklines */

/* The panels collectors refresh separately; each has its own interval, age and error. */
enum model_panel {
	MODEL_PANEL_LB,         /* elbv2: load balancers, listeners, rules, target groups, health */
	MODEL_PANEL_ASG,        /* autoscaling: groups, instances, activities, policies, forecast */
	MODEL_PANEL_ALARMS,     /* cloudwatch: alarms and their history */
	MODEL_PANEL_METRICS,    /* cloudwatch GetMetricData: per-LB/TG figures, config panels, target metrics */
	MODEL_PANEL_RDS,        /* rds: DB instances */
	MODEL_PANEL_XRAY,       /* xray: service graph and trace summaries */
	MODEL_PANEL_ROUTE53,    /* route53 (global): health checks, zones, failover records, DNS answer */
	MODEL_PANEL_TARGETS,    /* derived success targets (+ the runbook measurements file) */
	MODEL_PANEL_SESSIONS,   /* elasticache: the Redis session store's groups, nodes, events, figures */
	MODEL_PANEL_CDN,        /* cloudfront (global): distributions, origins, figures */
	MODEL_PANEL_DEPLOYS,    /* ec2: launch template versions of the groups' instances */
	MODEL_PANEL_COUNT
};

/* Freshness and error of one panel (of one region, or global). */
struct model_status {
	time_t fetched_at;          /* last fully successful refresh; 0 never */
	time_t error_at;            /* when `error` happened; 0 when the last refresh succeeded */
	struct fd_error error;      /* the last error (error.code[0] == 0: none) */
	unsigned long changed;      /* generation: bumped on any change of this panel */
	int interval_s;             /* current refresh interval, after throttling back-off */
	time_t next_due;            /* when the collector will refresh it next */
	bool source_bound;          /* next_due is later than the interval because the source can
				     * have nothing new before (CloudWatch's next period): its age
				     * is as young as the source allows until then */
	bool in_flight;             /* a refresh is running now */
	bool enabled;               /* false: nothing to collect (e.g. no X-Ray in config) */
};

/* Each panel's own types (model/panel_NAME.h); model_series is shared. */
#include "model/series.h"
#include "model/panel_lb.h"
#include "model/panel_asg.h"
#include "model/panel_alarms.h"
#include "model/panel_rds.h"
#include "model/panel_route53.h"
#include "model/panel_xray.h"
#include "model/panel_metrics.h"
#include "model/panel_sessions.h"
#include "model/panel_cdn.h"
#include "model/panel_deploys.h"

/* --- success targets ------------------------------------------------------ */

enum model_cmp { MODEL_CMP_LT, MODEL_CMP_LE, MODEL_CMP_GT, MODEL_CMP_GE, MODEL_CMP_EQ };

enum model_target_status { MODEL_TARGET_NO_DATA, MODEL_TARGET_MET, MODEL_TARGET_MISSED };

struct model_target {
	char *name;
	char *source;               /* what it is measured from, one line ("asg-activity petclinic-blue") */
	char *unit;                 /* "s", "%", "min" ... */
	enum model_cmp cmp;
	double objective;
	char *objective_text;       /* "< 60 s" */
	double value;               /* NAN: no data */
	enum model_target_status status;
	double history[MODEL_HISTORY]; /* recent values, oldest first */
	size_t n_history;
	time_t value_at;            /* when the measured value was taken (for age) */
	time_t fetched_at;          /* when it was derived */
	char *region;               /* region it was measured in, NULL when global */
};

/* --- regions and the whole model ------------------------------------------- */

/* How much a figure or a state needs the engineer, least first: what cannot be
 * told ranks above what is fine (fail closed), below what is wrong. */
enum model_sev { MODEL_SEV_OK, MODEL_SEV_UNKNOWN, MODEL_SEV_WARN, MODEL_SEV_BAD };

/* The figures of a region's summary (overview rows, snapshot members). */
enum model_fig {
	MODEL_FIG_RPS, MODEL_FIG_5XX, MODEL_FIG_P99, MODEL_FIG_HOSTS, MODEL_FIG_ASG, MODEL_FIG_ALARMS,
	MODEL_FIG_DNS, MODEL_FIG_REPL, MODEL_FIG_SESSIONS, MODEL_FIG_CDN, MODEL_FIG_COUNT
};

/* CloudWatch publishes a minute's datapoint some time after the minute ends; a
 * figure is stale when its newest datapoint ended more than two periods plus
 * this allowance ago. */
#define MODEL_CW_DELAY_S 120

/* The overview figures of one region, derived from the panels above. */
struct model_summary {
	double requests_per_s;
	double http_5xx_pct;
	double p99_ms;
	int healthy_hosts, unhealthy_hosts;
	int asg_in_service, asg_desired, asg_min, asg_max;
	int alarms_in_alarm;
	bool dns_answering;         /* DNS answers with this region now */
	enum model_sev sev[MODEL_FIG_COUNT];   /* each figure's severity */
	time_t data_at[MODEL_FIG_COUNT];       /* CloudWatch figures: end of the oldest newest datapoint behind it; 0 none */
	int period_s[MODEL_FIG_COUNT];         /* the datapoints' period, 0 for figures not from CloudWatch */
	bool down;                  /* the region cannot serve (see down_why) */
	char down_why[96];
	bool unreadable;            /* every panel of the region had an error in its last refresh */
};

struct model_region {
	char *name;                 /* ap-northeast-2 */
	char *role;                 /* "primary" / "dr" */
	struct model_lb *lbs;
	size_t n_lbs;
	struct model_tg *tgs;
	size_t n_tgs;
	struct model_lb_address *addresses; /* the load balancers' network interfaces */
	size_t n_addresses;
	struct model_asg *asgs;
	size_t n_asgs;
	struct model_alarm *alarms; /* ALARM first, then by name */
	size_t n_alarms;
	time_t alarms_history_at;   /* when DescribeAlarmHistory was last read; 0 never */
	struct model_db *dbs;
	size_t n_dbs;
	struct model_xray xray;
	struct model_chart *charts;
	size_t n_charts;
	struct model_alarm_chart alarm_chart; /* the opened alarm's metric (metrics panel) */
	struct model_sessions sessions;       /* the Redis session store (sessions panel) */
	struct model_lt *lts;                 /* launch templates the instances run (deploys panel) */
	size_t n_lts;
	struct model_refresh *refreshes;      /* each group's newest instance refresh (deploys panel) */
	size_t n_refreshes;
	struct model_summary summary;
	struct model_status status[MODEL_PANEL_COUNT]; /* ROUTE53 and TARGETS unused here */
};

struct model {
	struct model_region regions[MODEL_MAX_REGIONS]; /* [0] primary, [1] DR */
	size_t n_regions;
	struct model_route53 route53;
	struct model_target *targets;
	size_t n_targets;
	struct model_status route53_status;
	struct model_status targets_status;
	struct model_cdn cdn;
	struct model_status cdn_status;
	unsigned long generation;   /* bumped with every panel's `changed` */
};

/* Set up an empty model for the given regions (primary first; dr may be NULL). */
void model_init(struct model *m, const char *primary, const char *dr);
/* Free everything the model holds. */
void model_clean_up(struct model *m);

/* The status of a panel: per region for regional panels, global for ROUTE53/TARGETS
 * (region ignored then). Borrowed; never NULL for a valid panel. */
struct model_status *model_status_of(struct model *m, size_t region, enum model_panel panel);
/* Mark a panel changed (bumps its counter and the model's generation). */
void model_touch(struct model *m, struct model_status *st);

/* Derive what the model says: the serving region (model/serving.h), then every
 * region's summary and the severity of each figure. */
void model_summarize(struct model *m);

/* Severity of pct % of requests failing: it must rest on enough failures to mean
 * something (an idle region's 2 errors in 90 requests is noise, not an outage): bad
 * from 5 % and 10 failures, a warning from 1 % and 5; unknown when either is NAN. The
 * one rule for 5xx figures and X-Ray faults. */
enum model_sev model_sev_failures(double pct, double requests);
/* Is the figure's newest datapoint older than two periods plus MODEL_CW_DELAY_S
 * at now? (false for figures not from CloudWatch or without data) */
bool model_fig_stale(const struct model_summary *s, enum model_fig f, time_t now);
/* Seconds from now until the figure turns stale; -1 when it is already, or has no data. */
long model_fig_stale_in(const struct model_summary *s, enum model_fig f, time_t now);
/* The age at now of the figure's newest datapoint, -1 when none. */
long model_fig_data_age(const struct model_summary *s, enum model_fig f, time_t now);
/* "ok", "unknown", "warning", "bad". */
const char *model_sev_name(enum model_sev s);

/* Region index by name, -1 when not one of the model's. */
int model_region_index(const struct model *m, const char *name);

/* Short names for tables and JSON. */
const char *model_panel_name(enum model_panel p);
const char *model_target_status_name(enum model_target_status s);
const char *model_cmp_text(enum model_cmp c);  /* "<", "<=", ">", ">=", "==" */
/* Does value satisfy "value CMP objective"? */
bool model_cmp_holds(enum model_cmp c, double value, double objective);

/* Free targets (model->targets). */
void model_targets_free(struct model_target *v, size_t n);

#endif
