/* world.h — the simulated AWS world: the stack a scenario describes, and its clock.
 *
 * Plain structs that services read and change while holding the server's lock
 * (every handler runs under it). Times are seconds since the epoch (double) on the
 * world's clock, which sim_world_tick() advances; names and ARNs are fixed-size
 * strings. Arrays are pointer + count, owned by the world. A region "down" flag and
 * a per-target-group application error rate are what faults set; sim_world_tick()
 * turns them into target health, and metrics (sim/services) read the same state.
 */
#ifndef FD_SIM_WORLD_H
#define FD_SIM_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/error.h"

#define SIM_NAME_MAX 64
#define SIM_ARN_MAX 256

/* The default --time-scale: AWS's durations run this many times faster, so a
 * 30 s Route 53 request interval takes 2 s and a DR drill well under 2 minutes. */
#define SIM_TIME_SCALE_DEFAULT 15.0

/* Durations and health-check settings of a scenario, in AWS's seconds (what
 * AWS takes); the world runs them time_scale times faster (sim_world_dur). */
struct sim_timing {
	double boot_s;              /* Pending -> InService */
	double drain_s;             /* deregistration delay: draining -> gone, Terminating -> Terminated */
	double health_interval_s;   /* ALB health-check interval */
	int healthy_threshold;      /* consecutive passes for healthy */
	int unhealthy_threshold;    /* consecutive failures for unhealthy */
	double promote_s;           /* RDS PromoteReadReplica: modifying -> available standalone */
	double r53_interval_s;      /* Route 53 health-check interval */
	int r53_failure_threshold;  /* Route 53 consecutive observations to change status */
	double dns_ttl_s;           /* TTL of the failover records */
	double error_rate_healthy;  /* app error rate (0..1) above which an ALB check fails */
};

enum sim_lifecycle {
	SIM_LC_PENDING,
	SIM_LC_INSERVICE,
	SIM_LC_TERMINATING,
	SIM_LC_TERMINATED,
};

/* One EC2 instance in an Auto Scaling group. */
struct sim_instance {
	char id[32];                 /* i-0123456789abcdef0 */
	char az[32];                 /* ap-northeast-2a */
	char instance_type[32];      /* t3.medium */
	enum sim_lifecycle lifecycle;
	double launched_s;           /* when it entered Pending */
	double state_since_s;        /* when it entered its current lifecycle state */
	bool healthy;                /* ASG health status Healthy / Unhealthy */
	int lt_version;              /* the launch template version it was launched from (sim/asg_lt.c) */
};

enum sim_target_state {
	SIM_TH_INITIAL,
	SIM_TH_HEALTHY,
	SIM_TH_UNHEALTHY,
	SIM_TH_UNUSED,
	SIM_TH_DRAINING,
};

/* One registered target of a target group (an instance id and port). */
struct sim_target {
	char id[32];
	int port;
	char az[32];
	enum sim_target_state state;
	char reason[64];             /* Elb.RegistrationInProgress, Target.FailedHealthChecks, ... ("" when healthy) */
	char description[128];
	int pass_streak, fail_streak;
	double next_check_s;
	double state_since_s;
};

struct sim_target_group {
	char name[SIM_NAME_MAX];
	char arn[SIM_ARN_MAX];
	int region;                  /* index into world->regions */
	char protocol[8];            /* HTTP */
	int port;
	char vpc_id[32];
	char health_path[64];
	char asg[SIM_NAME_MAX];      /* the ASG whose instances register here ("" none) */
	double error_rate;           /* application error rate 0..1 (bad-deploy fault, baseline) */
	double slow_s;               /* response time added to every request (slow-deploy fault) */
	struct sim_target *targets;
	size_t n_targets;
};

/* One target group of a forward action, with its weight. */
struct sim_forward {
	char tg_arn[SIM_ARN_MAX];
	int weight;
};

#define SIM_FORWARD_MAX 5

/* A listener rule's condition (ELBv2 RuleCondition): a field and its values. */
#define SIM_CONDITIONS_MAX 5
#define SIM_CONDITION_VALUES_MAX 5

struct sim_condition {
	char field[24];              /* path-pattern, host-header, http-header, http-request-method,
				      * query-string, source-ip */
	char header[64];             /* http-header: the header's name */
	char values[SIM_CONDITION_VALUES_MAX][128];   /* query-string: "key=value" ("=value": any key) */
	size_t n_values;
};

/* What a rule does (its one terminal action). */
enum sim_action_type {
	SIM_ACTION_FORWARD,
	SIM_ACTION_REDIRECT,
	SIM_ACTION_FIXED_RESPONSE,
};

struct sim_rule {
	char arn[SIM_ARN_MAX];
	char priority[16];           /* "default" or a number */
	bool is_default;
	struct sim_condition conditions[SIM_CONDITIONS_MAX];   /* none for the default rule */
	size_t n_conditions;
	enum sim_action_type action;
	struct sim_forward fwd[SIM_FORWARD_MAX];   /* forward */
	size_t n_fwd;
	bool stickiness;
	int stickiness_s;
	struct {                     /* redirect: "#{...}" keywords kept as given */
		char protocol[12], port[12], host[128], path[128], query[128], status[12];
	} redirect;
	struct {                     /* fixed-response */
		char status[4], content_type[32], body[1024];
	} fixed;
};

struct sim_listener {
	char arn[SIM_ARN_MAX];
	char lb_arn[SIM_ARN_MAX];
	char protocol[8];
	int port;
	struct sim_rule *rules;      /* rules[0] is the default rule (the listener's default actions) */
	size_t n_rules;
};

struct sim_load_balancer {
	char name[SIM_NAME_MAX];
	char arn[SIM_ARN_MAX];
	int region;
	char dns_name[128];
	char zone_id[32];            /* canonical hosted zone id of the ALB */
	char vpc_id[32];
	char scheme[24];             /* internet-facing */
	double created_s;
	struct sim_listener *listeners;
	size_t n_listeners;
};

/* A scaling activity: what SetDesiredCapacity and friends leave behind. */
struct sim_activity {
	char id[40];                 /* uuid */
	char description[160];
	char cause[320];
	char status[24];             /* InProgress, Successful, Failed */
	int progress;                /* 0..100 */
	double start_s;
	double end_s;                /* 0 while in progress */
	char instance_id[32];        /* the instance it launches / terminates */
	bool launch;                 /* launching (true) or terminating */
};

struct sim_policy {
	char name[SIM_NAME_MAX];
	char arn[SIM_ARN_MAX];
	char type[32];               /* PredictiveScaling */
	char metric_type[48];        /* ASGCPUUtilization */
	double target_value;
	char mode[32];               /* ForecastAndScale / ForecastOnly */
	int buffer_s;                /* SchedulingBufferTime */
};

/* A tag of an Auto Scaling group. */
struct sim_tag {
	char key[128];
	char value[256];
	bool propagate;              /* PropagateAtLaunch */
};

#define SIM_TAGS_MAX 10
#define SIM_ACTIVITIES_MAX 500   /* scaling activities kept per group (the newest) */
#define SIM_GROUP_MAX 1000       /* the largest MaxSize the simulator accepts */
#define SIM_LT_VERSIONS_MAX 16   /* launch template versions kept per template */
#define SIM_REFRESHES_MAX 8      /* instance refreshes kept per group (the newest) */

/* An instance refresh of a group (sim/svc_asg_refresh.c starts it, sim/asg_lt.c moves it):
 * the instances launched before it are replaced one at a time, each replacement
 * counting once it is InService and its warmup has passed. */
struct sim_refresh {
	char id[40];
	double start_s, end_s;       /* end_s 0 while in progress */
	double warmup_s;             /* world seconds */
	int total, done;             /* instances to replace, replaced */
	char current[32];            /* the replacement in flight ("" none) */
	double current_ready_s;      /* when it is warm (0: not InService yet) */
	char status[24];             /* InProgress, Successful, Failed, Cancelling, Cancelled */
};

struct sim_asg {
	char name[SIM_NAME_MAX];
	char arn[SIM_ARN_MAX];
	int region;
	int min_size, max_size, desired;
	int default_cooldown_s;
	int grace_s;                 /* HealthCheckGracePeriod */
	char launch_template[SIM_NAME_MAX];
	char tg[SIM_NAME_MAX];       /* target group name ("" none) */
	double created_s;
	double baseline_load;        /* predicted load units per instance (forecast) */
	struct sim_instance *instances;
	size_t n_instances;
	struct sim_activity *activities;   /* oldest first */
	size_t n_activities;
	struct sim_policy *policies;
	size_t n_policies;
	struct sim_tag tags[SIM_TAGS_MAX];
	size_t n_tags;
	/* its launch template (sim/asg_lt.c): the version it is set to ("" is $Latest),
	 * and, for the template it owns (launch_template), the versions that exist (0: 2),
	 * the $Default (0: 2) and each version's 5xx rate (new-version fault) */
	char lt_spec[16];
	int lt_versions, lt_default;
	double lt_bad_rate[SIM_LT_VERSIONS_MAX + 1];
	struct sim_refresh refreshes[SIM_REFRESHES_MAX];   /* oldest first */
	size_t n_refreshes;
};

enum sim_db_role {
	SIM_DB_PRIMARY,
	SIM_DB_REPLICA,
	SIM_DB_STANDALONE,
};

struct sim_db {
	char id[SIM_NAME_MAX];
	char arn[SIM_ARN_MAX];
	int region;
	char instance_class[32];     /* db.r6g.large */
	char engine[24];             /* mysql */
	char engine_version[16];
	char status[24];             /* available, modifying, rebooting */
	enum sim_db_role role;
	char source_arn[SIM_ARN_MAX];    /* replica: ReadReplicaSourceDBInstanceIdentifier (ARN if cross-region) */
	char az[32];
	char endpoint[160];
	int port;
	bool multi_az;
	int storage_gb;
	double created_s;
	double promote_done_s;       /* while promoting: when it becomes standalone; else 0 */
	double create_done_s;        /* while creating: when it becomes available; else 0 */
	double replica_lag_s;
};

/* Route 53 health checks (sim/r53health.c): an endpoint check is observed by
 * SIM_CHECKERS health checkers, each every RequestInterval, each flipping its
 * view of the endpoint after FailureThreshold consecutive results; a CALCULATED
 * check counts healthy children against HealthThreshold; a RECOVERY_CONTROL
 * check follows an ARC routing control. Disabled means healthy; Inverted
 * applies last. */
#define SIM_CHECKERS 8
#define SIM_CHILDREN_MAX 16

enum sim_hc_kind {
	SIM_HC_ENDPOINT,          /* HTTP, HTTPS, TCP */
	SIM_HC_CALCULATED,
	SIM_HC_RECOVERY_CONTROL,
};

/* Why an endpoint observation failed (or that it did not). */
enum sim_obs {
	SIM_OBS_OK,
	SIM_OBS_TIMEOUT,          /* the region is down */
	SIM_OBS_503,              /* no healthy target behind the load balancer */
};

/* One Route 53 health checker's view of an endpoint check. */
struct sim_checker {
	double next_s;            /* its next observation (world clock) */
	double last_s;            /* its last observation */
	enum sim_obs last;        /* what the endpoint answered then */
	bool endpoint_ok;         /* its status of the endpoint (before Inverted) */
	int streak;               /* consecutive results disagreeing with endpoint_ok */
};

struct sim_health_check {
	char id[40];                 /* uuid */
	char caller_ref[64];
	enum sim_hc_kind kind;
	char type[20];               /* HTTPS, HTTP, TCP, CALCULATED, RECOVERY_CONTROL */
	char fqdn[128];
	int port;
	char path[64];
	int interval_s;              /* RequestInterval in AWS's seconds (10 or 30) */
	int failure_threshold;
	int region;                  /* the region whose ALB an endpoint check watches, -1 none */
	bool inverted;
	bool disabled;
	char children[SIM_CHILDREN_MAX][40];   /* CALCULATED: child check ids */
	size_t n_children;
	int health_threshold;        /* CALCULATED: healthy children needed */
	int control;                 /* RECOVERY_CONTROL: index into world->controls */
	long version;                /* HealthCheckVersion: 1, + 1 per update */
	struct sim_checker checkers[SIM_CHECKERS];
	bool healthy;                /* the status at the last tick (Inverted applied) */
	double changed_s;            /* when healthy last changed */
};

/* An ARC routing control (one per region when the scenario has routing controls). */
struct sim_routing_control {
	char name[SIM_NAME_MAX];     /* petclinic-ap-northeast-2 */
	char arn[SIM_ARN_MAX];
	int region;
	bool on;
	double changed_s;
	char check_id[40];           /* its RECOVERY_CONTROL health check */
};

struct sim_record {
	char name[128];              /* petclinic.example.com. */
	char type[8];                /* A, CNAME, ... */
	char set_id[SIM_NAME_MAX];   /* SetIdentifier ("" none) */
	char failover[12];           /* PRIMARY / SECONDARY / "" */
	int ttl;                     /* 0 for alias records */
	char value[256];             /* plain record value ("" for alias) */
	char alias_dns[160];         /* alias target dns name: a load balancer or a record of the zone ("" none) */
	char alias_zone[32];
	bool evaluate_health;
	char health_check_id[40];    /* "" none */
};

struct sim_zone {
	char id[32];                 /* Z0123456789ABCDEFGHIJ (no /hostedzone/ prefix) */
	char name[128];              /* example.com. */
	char caller_ref[64];
	struct sim_record *records;
	size_t n_records;
};

/* A Route 53 change (ChangeResourceRecordSets): PENDING until insync_s. */
struct sim_change {
	char id[32];
	double submitted_s;
	double insync_s;
	char comment[128];
};

/* A region's Redis session store (sim/svc_elasticache.c: the replication group
 * petclinic-sessions, nodes 0 and 1 = petclinic-redis-001 and -002). */
struct sim_redis {
	int primary;                 /* the primary node */
	int replaced;                /* the node being replaced while replaced_until_s is ahead */
	double replaced_until_s;     /* 0: none */
	unsigned long losses;        /* times its sessions were lost (a failover to an unsynced replica) */
	double lost_s;               /* when they were last lost */
};

struct sim_region {
	char name[32];               /* ap-northeast-2 */
	bool up;                     /* false during a region-outage fault */
	bool primary;
	struct sim_load_balancer *lbs;
	size_t n_lbs;
	struct sim_target_group *tgs;
	size_t n_tgs;
	struct sim_asg *asgs;
	size_t n_asgs;
	struct sim_db *dbs;
	size_t n_dbs;
	struct sim_redis redis;
};

/* A scenario's page size for one operation (`paging:`), in place of AWS's default. */
struct sim_page_setting {
	char operation[64];
	long size;
};

struct sim_world {
	char scenario[SIM_NAME_MAX];
	char account[16];            /* 123456789012 */
	uint64_t seed;
	uint64_t rng;                /* state of sim_world_rand() */
	double now_s;                /* the world's clock */
	double time_scale;           /* AWS seconds per second of the world (--time-scale) */
	double start_s;              /* when the world began */
	struct sim_timing timing;
	struct sim_region *regions;
	size_t n_regions;
	struct sim_zone *zones;
	size_t n_zones;
	struct sim_health_check *checks;
	size_t n_checks;
	struct sim_routing_control *controls;
	size_t n_controls;
	char cluster_arn[SIM_ARN_MAX];         /* the ARC cluster and control panel */
	char control_panel_arn[SIM_ARN_MAX];
	struct sim_change *changes;
	size_t n_changes;
	unsigned long serial;        /* for ids: instances, activities, changes */
	struct sim_page_setting *paging;   /* the scenario's page sizes (tests that need many pages) */
	size_t n_paging;
	double cdn_error_rate;       /* CloudFront answers viewers 5xx at this rate (cloudfront-5xx) */
};

/* Build the world of a scenario: "petclinic", "scale" (built in) or a YAML file
 * (sim/scenario.c; errors name FILE:LINE:COLUMN). now_s starts the clock;
 * time_scale (> 0) is how much faster than AWS the world moves. */
struct sim_world *sim_world_new(const char *scenario, uint64_t seed, double now_s,
				double time_scale, struct fd_error *err);
/* How long an AWS duration takes in the world: aws_s / time_scale. */
double sim_world_dur(const struct sim_world *w, double aws_s);
void sim_world_destroy(struct sim_world *w);
/* The YAML of a built-in scenario (borrowed), NULL for another name. */
const char *sim_scenario_builtin(const char *name);

/* Advance the world's clock to now_s (never backwards) and move everything:
 * instances boot and drain, health checks pass or fail, promotions finish. */
void sim_world_tick(struct sim_world *w, double now_s);

/* A deterministic pseudo-random number in [0, 1) from the world's seed. */
double sim_world_rand(struct sim_world *w);
/* A fresh id with a prefix, e.g. "i-" -> "i-0a1b2c3d4e5f60718" (deterministic). */
void sim_world_new_id(struct sim_world *w, const char *prefix, char *out, size_t size);
/* A fresh deterministic UUID (8-4-4-4-12 lower-case hex). */
void sim_world_uuid(struct sim_world *w, char out[37]);

/* Lookups (borrowed pointers; NULL when absent). Names are per region (the same
 * name exists in both regions): region is an index, or -1 for any region; an ARN
 * matches in any region. */
int sim_world_region(const struct sim_world *w, const char *name);   /* index or -1 */
struct sim_target_group *sim_world_tg(struct sim_world *w, int region, const char *name_or_arn);
struct sim_asg *sim_world_asg(struct sim_world *w, int region, const char *name);
struct sim_load_balancer *sim_world_lb(struct sim_world *w, int region, const char *name_or_arn);
struct sim_listener *sim_world_listener(struct sim_world *w, const char *arn);
struct sim_rule *sim_world_rule(struct sim_world *w, const char *arn);
struct sim_db *sim_world_db(struct sim_world *w, int region, const char *id_or_arn);
/* The region index of a read replica's source instance; -1 when db is no replica or its source is gone. */
int sim_world_db_source_region(const struct sim_world *w, const struct sim_db *db);
struct sim_zone *sim_world_zone(struct sim_world *w, const char *id);
struct sim_health_check *sim_world_check(struct sim_world *w, const char *id);

/* Change an ASG's desired capacity: launches or terminates instances and records
 * a scaling activity (cause names the caller). Returns 0, or -1 with
 * ValidationError when out of [min, max]. */
int sim_world_set_desired(struct sim_world *w, struct sim_asg *g, int desired,
			  const char *cause, struct fd_error *err);
/* Replace instance i of g (an instance refresh): it drains and terminates, a new
 * one is launched from the group's launch template version; returns the new one. */
struct sim_instance *sim_world_replace(struct sim_world *w, struct sim_asg *g, size_t i, const char *cause);
/* Promote a read replica: status modifying, standalone after timing.promote_s.
 * -1 with InvalidDBInstanceState when it is not a replica. */
int sim_world_promote(struct sim_world *w, struct sim_db *db, struct fd_error *err);
/* CreateDBInstanceReadReplica: a read replica id of src in region ri, status creating,
 * available after timing.promote_s. -1 with DBInstanceAlreadyExists or
 * InvalidDBInstanceState (src not available); AWS takes longer than a promotion, the
 * simulator the same time. Adding a database restarts the traffic
 * model's history (its shape changed). */
int sim_world_create_replica(struct sim_world *w, int ri, const char *id, const struct sim_db *src,
			     const char *instance_class, struct fd_error *err);
/* Counts of a target group's targets that are healthy / not healthy (initial,
 * unhealthy, draining). */
void sim_world_tg_counts(const struct sim_target_group *tg, int *healthy, int *unhealthy);
/* Is the region whose ALB a Route 53 health check watches answering? (its region
 * up and at least one healthy target behind the listener). */
bool sim_world_region_serving(const struct sim_world *w, int region);

/* Route 53 health checks (sim/r53health.c). */
/* Start a new check's checkers: staggered over one interval, each having seen the
 * endpoint as it is now (a new check is healthy, an inverted one unhealthy, until
 * the checkers say otherwise). */
void r53health_init(struct sim_world *w, struct sim_health_check *c);
/* Run the checkers' observations due by now_s and refresh every check's status. */
void r53health_tick(struct sim_world *w, double now_s);
/* The status of a check now (Disabled, children, routing controls, Inverted). */
bool r53health_status(const struct sim_world *w, const struct sim_health_check *c);
/* The checker regions and addresses, SIM_CHECKERS of each. */
extern const char *const r53health_checker_regions[SIM_CHECKERS];
extern const char *const r53health_checker_ips[SIM_CHECKERS];
/* The StatusReport a checker gives for an endpoint check: what it last saw
 * (Inverted included) into out, its time into *checked_s. */
void r53health_report(const struct sim_world *w, const struct sim_health_check *c, size_t checker,
		      char *out, size_t n, double *checked_s);
/* Is a load balancer healthy for an alias record that evaluates target health?
 * Its region up and every target group its listeners use holding at least one
 * healthy target (an empty one counts as unhealthy). */
bool r53health_lb_healthy(const struct sim_world *w, const struct sim_load_balancer *lb);

/* Names for enums, as AWS spells them. */
const char *sim_lifecycle_name(enum sim_lifecycle lc);
const char *sim_target_state_name(enum sim_target_state st);

/* The world as JSON (GET /_sim/state). */
json_t *sim_world_to_json(const struct sim_world *w);

#endif
