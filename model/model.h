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
	bool in_flight;             /* a refresh is running now */
	bool enabled;               /* false: nothing to collect (e.g. no X-Ray in config) */
};

/* A time series, oldest point first. */
struct model_series {
	time_t *ts;
	double *values;
	size_t n;
};

/* --- elbv2 ------------------------------------------------------------- */

/* One target group a forward action sends to, with its weight. */
struct model_forward {
	char *tg_arn;
	char *tg_name;              /* resolved from the target groups; may be the ARN's name part */
	int weight;                 /* ForwardConfig weight; 1 for a plain TargetGroupArn forward */
};

/* One listener or rule action (forward / redirect / fixed-response / authenticate-*). */
struct model_action {
	char *type;
	int order;                  /* 0 when absent */
	struct model_forward *forwards;
	size_t n_forwards;
	char *detail;               /* redirect / fixed-response summary, NULL otherwise */
};

struct model_rule {
	char *arn;
	char *priority;             /* "default" for the default rule */
	bool is_default;
	char *conditions;           /* a one-line summary, "" when none */
	struct model_action *actions;
	size_t n_actions;
};

struct model_listener {
	char *arn;
	char *lb_arn;
	char *protocol;
	int port;
	struct model_action *default_actions;
	size_t n_default_actions;
	struct model_rule *rules;   /* non-default rules by priority (DescribeRules) */
	size_t n_rules;
	time_t fetched_at;
};

struct model_lb {
	char *name;
	char *arn;
	char *dns_name;
	char *type;                 /* application / network */
	char *scheme;
	char *state;                /* active / provisioning / failed ... */
	char *vpc_id;
	struct model_listener *listeners;
	size_t n_listeners;
	double requests_per_s;      /* RequestCount / period (NAN unknown) */
	double http_5xx_pct;        /* (ELB 5xx + target 5xx) / requests * 100 */
	double p99_ms;              /* TargetResponseTime p99 */
	time_t fetched_at;
	time_t metrics_at;
};

/* One registered target and its health (DescribeTargetHealth). */
struct model_target_health {
	char *id;                   /* instance id or IP */
	int port;
	char *az;
	char *state;                /* healthy / unhealthy / initial / draining / unused / unavailable */
	char *reason;               /* Target.ResponseCodeMismatch ..., NULL when healthy */
	char *description;
};

struct model_tg {
	char *name;
	char *arn;
	char *protocol;
	int port;
	char *target_type;
	char *health_check_path;
	char **lb_arns;
	size_t n_lb_arns;
	struct model_target_health *targets;
	size_t n_targets;
	int healthy, unhealthy, other; /* counts from targets */
	double requests_per_s;
	double http_5xx_pct;        /* HTTPCode_Target_5XX_Count / RequestCount * 100 */
	double p99_ms;
	time_t fetched_at;
	time_t health_at;
	time_t metrics_at;
};

/* --- autoscaling ------------------------------------------------------- */

struct model_instance {
	char *id;
	char *az;
	char *lifecycle_state;      /* Pending / InService / Terminating ... */
	char *health_status;        /* Healthy / Unhealthy */
	char *instance_type;
	char *launch_template;      /* name:version or launch configuration name, NULL when none */
	bool protected_from_scale_in;
};

struct model_activity {
	char *id;
	char *status_code;          /* Successful / InProgress / Failed ... */
	char *description;
	char *cause;
	time_t start;
	time_t end;                 /* 0 while in progress */
	int progress;
	bool scale_out;             /* a launch ("Launching a new EC2 instance") */
	bool scale_in;              /* a termination */
};

struct model_policy {
	char *name;
	char *type;                 /* TargetTrackingScaling / PredictiveScaling / StepScaling ... */
	char *summary;              /* e.g. "ASGAverageCPUUtilization 50", NULL when none */
};

/* Predictive scaling forecast against actual, for one policy. */
struct model_forecast {
	char *policy;
	char *metric;               /* e.g. ASGCPUUtilization */
	struct model_series load;   /* forecast load */
	struct model_series capacity; /* forecast capacity */
	struct model_series actual; /* actual load (GetMetricData), may be empty */
	time_t fetched_at;
};

struct model_asg {
	char *name;
	char *arn;
	int min, desired, max;
	int in_service, pending, other; /* instance counts by lifecycle state */
	char **tg_arns;
	size_t n_tg_arns;
	struct model_instance *instances;
	size_t n_instances;
	struct model_activity *activities; /* most recent first */
	size_t n_activities;
	struct model_policy *policies;
	size_t n_policies;
	struct model_forecast *forecasts;
	size_t n_forecasts;
	time_t fetched_at;
	time_t activities_at;
};

/* --- cloudwatch alarms --------------------------------------------------- */

struct model_alarm_event {
	time_t at;
	char *type;                 /* StateUpdate / ConfigurationUpdate / Action */
	char *summary;
	char *old_state, *new_state; /* from HistoryData, NULL when absent */
};

struct model_alarm {
	char *name;
	char *state;                /* OK / ALARM / INSUFFICIENT_DATA */
	char *reason;
	time_t since;               /* StateUpdatedTimestamp */
	char *namespace_;           /* NULL for composite alarms */
	char *metric;
	bool composite;
	char *description;
	struct model_alarm_event *history; /* newest first */
	size_t n_history;
	time_t fetched_at;
};

/* --- rds ---------------------------------------------------------------- */

struct model_db {
	char *id;
	char *engine;
	char *status;
	char *instance_class;
	char *az;
	char *endpoint;
	char *source_id;            /* ReadReplicaSourceDBInstanceIdentifier: set on replicas */
	bool is_replica;
	bool multi_az;
	double read_latency_ms;     /* CloudWatch ReadLatency (seconds in AWS) * 1000 */
	double replica_lag_s;
	time_t fetched_at;
	time_t metrics_at;
};

/* --- route53 (global) ---------------------------------------------------- */

struct model_checker {
	char *region;               /* the checker's region, e.g. us-east-1 */
	char *ip;
	char *status;               /* "Success: HTTP Status Code 200, OK" / "Failure: ..." */
	bool healthy;               /* status starts with "Success" */
	time_t checked_at;
};

struct model_health_check {
	char *id;
	char *type;                 /* HTTP / HTTPS / CALCULATED / CLOUDWATCH_METRIC ... */
	char *target;               /* FQDN or IP:port + resource path, one line */
	char *caller_reference;
	bool inverted, disabled;
	struct model_checker *checkers;
	size_t n_checkers;
	int healthy_checkers;
	bool healthy;               /* more than half the checkers report success (inverted honoured) */
	char *region;               /* region of the stack this check guards, when known */
	time_t fetched_at;
};

struct model_record {
	char *name;
	char *type;
	char *set_identifier;
	char *failover;             /* PRIMARY / SECONDARY / NULL */
	char *region;               /* latency record's Region, or the stack region we derived */
	char *health_check_id;
	char *value;                /* alias DNSName or the values joined by ", " */
	bool alias;
	long ttl;                   /* -1 for aliases */
};

struct model_zone {
	char *id;                   /* without "/hostedzone/" */
	char *name;
	bool private_zone;
	struct model_record *records; /* the records of interest (failover set, or all when few) */
	size_t n_records;
	time_t fetched_at;
};

/* What DNS answers now (TestDNSAnswer). */
struct model_dns_answer {
	char *record_name;
	char *record_type;
	char *nameserver;
	char *response_code;        /* NOERROR ... */
	char **answers;             /* RecordData */
	size_t n_answers;
	char *region;               /* the stack region the answer points at, NULL when unknown */
	bool region_inferred;       /* region from the failover records' health, not matched from the answer */
	time_t fetched_at;
};

struct model_route53 {
	struct model_health_check *checks;
	size_t n_checks;
	struct model_zone *zones;
	size_t n_zones;
	struct model_dns_answer dns;
};

/* --- x-ray -------------------------------------------------------------- */

struct model_xray_node {
	int ref_id;
	char *name;
	char *type;                 /* client / AWS::ElasticLoadBalancingV2::LoadBalancer / ... */
	double requests_per_s;
	double error_pct, fault_pct, throttle_pct;
	double avg_ms, p99_ms;      /* p99 from the response time histogram, NAN when none */
};

struct model_xray_edge {
	int from, to;               /* ref ids */
	double requests_per_s;
	double error_pct, fault_pct;
	double avg_ms, p99_ms;
};

struct model_trace {
	char *id;
	time_t at;                  /* StartTime when present, else from the trace id */
	double duration_s;
	double response_time_s;
	bool has_error, has_fault, has_throttle;
	int http_status;            /* 0 unknown */
	char *method;
	char *url;
};

struct model_xray {
	struct model_xray_node *nodes;
	size_t n_nodes;
	struct model_xray_edge *edges;
	size_t n_edges;
	struct model_trace *traces; /* newest first */
	size_t n_traces;
	time_t start, end;          /* the graph's window */
};

/* --- metric panels (from config) ---------------------------------------- */

struct model_line {
	char *id;
	char *label;
	struct model_series series;
};

struct model_chart {
	char *title;
	char *unit;
	char *stat;
	int period_s;
	int range_s;
	struct model_line *lines;
	size_t n_lines;
	time_t fetched_at;
};

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

/* The overview figures of one region, derived from the panels above. */
struct model_summary {
	double requests_per_s;
	double http_5xx_pct;
	double p99_ms;
	int healthy_hosts, unhealthy_hosts;
	int asg_in_service, asg_desired, asg_min, asg_max;
	int alarms_in_alarm;
	bool dns_answering;         /* DNS answers with this region now */
};

struct model_region {
	char *name;                 /* ap-northeast-2 */
	char *role;                 /* "primary" / "dr" */
	struct model_lb *lbs;
	size_t n_lbs;
	struct model_tg *tgs;
	size_t n_tgs;
	struct model_asg *asgs;
	size_t n_asgs;
	struct model_alarm *alarms; /* ALARM first, then by name */
	size_t n_alarms;
	struct model_db *dbs;
	size_t n_dbs;
	struct model_xray xray;
	struct model_chart *charts;
	size_t n_charts;
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

/* Recompute every region's summary from its panels and the DNS answer. */
void model_summarize(struct model *m);

/* Region index by name, -1 when not one of the model's. */
int model_region_index(const struct model *m, const char *name);

/* Short names for tables and JSON. */
const char *model_panel_name(enum model_panel p);
const char *model_target_status_name(enum model_target_status s);
const char *model_cmp_text(enum model_cmp c);  /* "<", "<=", ">", ">=", "==" */
/* Does value satisfy "value CMP objective"? */
bool model_cmp_holds(enum model_cmp c, double value, double objective);

/* Free helpers for each array type (used by parsers replacing data). */
void model_lbs_free(struct model_lb *v, size_t n);
void model_tgs_free(struct model_tg *v, size_t n);
void model_asgs_free(struct model_asg *v, size_t n);
void model_alarms_free(struct model_alarm *v, size_t n);
void model_dbs_free(struct model_db *v, size_t n);
void model_xray_clean_up(struct model_xray *x);
void model_charts_free(struct model_chart *v, size_t n);
void model_route53_clean_up(struct model_route53 *r);
void model_targets_free(struct model_target *v, size_t n);
void model_series_clean_up(struct model_series *s);
void model_alarm_events_free(struct model_alarm_event *v, size_t n);
void model_activities_free(struct model_activity *v, size_t n);
void model_target_health_free(struct model_target_health *v, size_t n);
void model_listeners_free(struct model_listener *v, size_t n);
void model_rules_free(struct model_rule *v, size_t n);
void model_checkers_free(struct model_checker *v, size_t n);
void model_records_free(struct model_record *v, size_t n);
void model_dns_answer_clean_up(struct model_dns_answer *d);
void model_forecasts_free(struct model_forecast *v, size_t n);
void model_policies_free(struct model_policy *v, size_t n);

#endif
