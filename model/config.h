/* config.h — the dashboard's YAML config: the stack, metric panels and success targets.
 *
 * config_load() reads --config FILE, or $XDG_CONFIG_HOME/flightdeck/config.yaml
 * (~/.config/flightdeck/config.yaml) when it exists; with neither, config_defaults()
 * gives petclinic-friendly defaults that discover what the regions contain.
 * A bad file fails with code "ConfigError" and "FILE:LINE:COLUMN: message"
 * (the caller exits 2).
 *
 *   stack:
 *     regions: { primary: ap-northeast-2, dr: ap-northeast-1 }
 *     load_balancers: [petclinic-alb]         # names; absent: all (discovery)
 *     target_groups: [petclinic-tg-blue, petclinic-tg-green]
 *     auto_scaling_groups: [petclinic-asg-blue, petclinic-asg-green]
 *     db_instances: [petclinic-db, petclinic-db-replica-1]
 *     tags: { app: petclinic }                 # filter for discovered resources
 *     hosted_zone: petclinic.example.com.      # name or id
 *     record_name: app.petclinic.example.com.
 *     health_checks: [hc-id, ...]              # absent: discovery
 *     xray: true
 *     sessions: true                           # ElastiCache Redis session store panel
 *     cdn: true                                # CloudFront panel
 *   refresh: 10                                # seconds (--refresh overrides)
 *   panels:
 *     - title: Requests
 *       unit: count/s
 *       stat: Sum
 *       period: 60
 *       range: 3600
 *       region: primary | dr | both
 *       queries:
 *         - { id: m1, namespace: AWS/ApplicationELB, metric: RequestCount,
 *             dimensions: { LoadBalancer: app/petclinic-alb/abc }, stat: Sum, label: requests }
 *         - { id: e1, expression: "m1/PERIOD(m1)", label: req/s }
 *   targets:
 *     - name: scale-out latency
 *       source: asg-activity | metric | expression | measurement | rds-replica-latency
 *       objective: "< 60"                      # or { comparison: LessThan, value: 60 }
 *       unit: s
 *       ...source fields (see docs/config.md)
 */
#ifndef FD_CONFIG_H
#define FD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "model/model.h"

struct fd_config_dim {
	char *name;
	char *value;
};

/* One GetMetricData query: a metric (namespace + metric + dimensions + stat) or an expression. */
struct fd_config_query {
	char *id;                  /* [a-z][A-Za-z0-9_]* as CloudWatch wants */
	char *label;
	char *namespace_;
	char *metric;
	struct fd_config_dim *dims;
	size_t n_dims;
	char *stat;                /* NULL: the panel's / target's */
	char *expression;          /* set: an expression, the metric fields are NULL */
	bool return_data;          /* default true */
};

struct fd_config_panel {
	char *title;
	char *unit;
	char *stat;                /* default Average */
	int period_s;              /* default 60 */
	int range_s;               /* default 3600 */
	char *region;              /* "primary" / "dr" / "both" (default) */
	struct fd_config_query *queries;
	size_t n_queries;
};

enum fd_target_source {
	FD_TARGET_METRIC,          /* last value of one metric */
	FD_TARGET_EXPRESSION,      /* last value of the query with return_data (metric math) */
	FD_TARGET_ASG_ACTIVITY,    /* duration of the last successful scale-out activity */
	FD_TARGET_MEASUREMENT,     /* last value `name` in the runbook measurements file */
	FD_TARGET_RDS_REPLICA,     /* ReadLatency improvement of replicas vs the primary, % */
};

struct fd_config_target {
	char *name;
	enum fd_target_source source;
	enum model_cmp cmp;
	double objective;
	char *unit;
	char *region;              /* "primary" (default) / "dr" */
	/* metric / expression */
	struct fd_config_query *queries;
	size_t n_queries;
	char *stat;                /* default Average */
	int period_s;              /* default 60 */
	int range_s;               /* default 900 */
	/* asg-activity: group name (NULL: every group) */
	char *asg;
	/* measurement: the measurement's name (downtime_s, deploy_duration_s ...) */
	char *measurement;
	double scale;              /* value = raw * scale (default 1), e.g. s -> min */
};

struct fd_config {
	char *file;                /* the file read, NULL for defaults */
	char *primary;             /* region names */
	char *dr;                  /* NULL: one region only */
	char **lbs;   size_t n_lbs;      /* n == 0: discover all */
	char **tgs;   size_t n_tgs;
	char **asgs;  size_t n_asgs;
	char **dbs;   size_t n_dbs;
	struct fd_config_dim *tags; size_t n_tags;
	char *hosted_zone;         /* NULL: discover (the zone holding failover records) */
	char *record_name;         /* NULL: the first failover record's name */
	char **health_checks; size_t n_health_checks; /* n == 0: discover all */
	bool xray;                 /* default true */
	bool sessions;             /* the ElastiCache panel; default true */
	bool cdn;                  /* the CloudFront panel; default true */
	int refresh_s;             /* 0: --refresh / 10 */
	struct fd_config_panel *panels;
	size_t n_panels;
	struct fd_config_target *targets;
	size_t n_targets;
};

/* Fill cfg with the defaults: regions primary/dr (region overrides the primary
 * when given; the DR stays ap-northeast-1 unless it equals the primary, then
 * there is none), discovery, the default panels and the five default targets. */
void config_defaults(struct fd_config *cfg, const char *region);

/* Load path (NULL: the XDG default when it exists, else defaults). region, when
 * given, overrides the file's primary region. 0, or -1 with err
 * ("FILE:LINE:COLUMN: message", code "ConfigError"). */
int config_load(struct fd_config *cfg, const char *path, const char *region, struct fd_error *err);

/* Parse YAML text (name is used in messages). Same as config_load otherwise. */
int config_parse(struct fd_config *cfg, const char *name, const char *text, size_t len,
		 const char *region, struct fd_error *err);

void config_clean_up(struct fd_config *cfg);

/* The default config path ($XDG_CONFIG_HOME or ~/.config: base/statefile.h); caller frees;
 * NULL when there is no home (the defaults apply). */
char *config_default_path(void);

#endif
