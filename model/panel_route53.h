/* panel_route53.h — the Route 53 panel (global): health checks, zones, failover records, the DNS answer.
 *
 * Parsers read one operation's botocore-shaped result and build fresh arrays
 * the caller swaps in; a result of the wrong shape fails with "ParseError" and
 * leaves the outputs untouched. `now` stamps fetched_at. Arrays and strings
 * belong to whoever holds them and are freed with the _free functions here.
 */
#ifndef FD_PANEL_ROUTE53_H
#define FD_PANEL_ROUTE53_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "base/error.h"

struct model;
struct model_region;

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
	char **children;            /* CALCULATED: ChildHealthChecks */
	size_t n_children;
	int health_threshold;       /* CALCULATED: HealthThreshold */
	char *routing_control_arn;  /* RECOVERY_CONTROL */
	struct model_checker *checkers;
	size_t n_checkers;
	int healthy_checkers;       /* reports whose status starts with "Success" */
	bool reports_inverted;      /* the reports say "Inverted health check": their verdict is already inverted */
	int state;                  /* derived (model/serving.c): 1 healthy, 0 unhealthy, -1 cannot tell */
	bool healthy;               /* state == 1 */
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
	bool evaluate_target_health; /* alias: the record inherits its load balancer's health */
	long ttl;                   /* -1 for aliases */
	int state;                  /* derived (model/serving.c): 1 healthy, 0 unhealthy, -1 cannot tell */
	char *why;                  /* derived: what made it unhealthy or unknown, NULL when healthy */
};

struct model_zone {
	char *id;                   /* without "/hostedzone/" */
	char *name;
	bool private_zone;
	struct model_record *records; /* the records of interest (failover set, or all when few) */
	size_t n_records;
	time_t fetched_at;
};

/* How the serving region was found (model/serving.c). */
enum model_serving_method {
	MODEL_SERVING_NONE,         /* no answer, or nothing ties it to a region */
	MODEL_SERVING_ADDRESS,      /* the answer's addresses are a region's load balancer addresses (ENIs) */
	MODEL_SERVING_RECORD,       /* the answer is a region's load balancer name or a record's own value */
	MODEL_SERVING_INFERRED,     /* only Route 53's failover rules applied to the health we read */
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
	enum model_serving_method method; /* how region was found */
	char *evaluated_region;     /* the region Route 53's failover rules pick from the health we read; NULL: cannot tell */
	char *evaluation;           /* one line: why the rules pick it ("seoul: routing control Off") */
	bool disagree;              /* the answer's region and the rules' differ */
	time_t fetched_at;
};

struct model_route53 {
	struct model_health_check *checks;
	size_t n_checks;
	struct model_zone *zones;
	size_t n_zones;
	struct model_dns_answer dns;
	size_t status_turn[2];      /* where the next refresh's turns start: shown checks, the others */
	char **shown;               /* ids of the checks the route53 view shows (tui/view_route53.c) */
	size_t n_shown;
};


/* ListHealthChecks. */
int panel_route53_parse_health_checks(const json_t *res, time_t now, struct model_health_check **out,
				      size_t *n, struct fd_error *err);
/* GetHealthCheckStatus into one health check. */
int panel_route53_parse_health_check_status(const json_t *res, time_t now, struct model_health_check *hc,
					    struct fd_error *err);
/* ListHostedZones ("/hostedzone/" stripped from ids). */
int panel_route53_parse_hosted_zones(const json_t *res, time_t now, struct model_zone **out, size_t *n,
				     struct fd_error *err);
/* ListResourceRecordSets: keeps failover/latency/weighted records and, when the
 * zone has none, its A/AAAA/CNAME records. Replaces z->records. */
int panel_route53_parse_record_sets(const json_t *res, time_t now, struct model_zone *z, struct fd_error *err);
/* TestDNSAnswer. */
int panel_route53_parse_dns_answer(const json_t *res, time_t now, struct model_dns_answer *d,
				   struct fd_error *err);
/* Which region each failover record and health check points at, from the regions'
 * LB DNS names, the failover role, or region names in the value (the DNS answer's
 * region is model/serving.c's). */
void panel_route53_resolve_regions(struct model *m);
/* A health check's state with Inverted applied: 1 healthy, 0 unhealthy, -1 cannot
 * tell (no reports yet, a CALCULATED check whose children are unknown; r53 NULL:
 * CALCULATED checks cannot be told). Disabled checks are healthy, as Route 53 has it. */
int panel_route53_check_state(const struct model_route53 *r53, const struct model_health_check *h);
int panel_route53_check_state_at(const struct model_route53 *r53, const struct model_health_check *h, int depth);
/* "On" / "Off" from a RECOVERY_CONTROL check's reports, NULL when none says. Borrowed. */
const char *panel_route53_control_state(const struct model_health_check *h);
/* Which checks a refresh asks GetHealthCheckStatus for (model/panel_route53_pick.c): ask[i]
 * is NEEDED for a check the records of zones za/zb name and its CALCULATED children (every
 * check when `all`); within `budget` calls, TURN for the `shown` ones in turn from turns[0]
 * (at least PANEL_ROUTE53_MIN_SHOWN) and then up to PANEL_ROUTE53_SPREAD others in turn from
 * turns[1] (both advanced); NONE for a CALCULATED check, 0 for a check that keeps its last
 * status. Returns the number of calls. */
#define PANEL_ROUTE53_SPREAD 5
#define PANEL_ROUTE53_MIN_SHOWN 5
/* Route 53 takes 5 API requests a second per account, shared with every other tool
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-requests):
 * the panel aims at 3 on average over its interval. */
#define PANEL_ROUTE53_RATE 3
#define PANEL_ROUTE53_FIXED_CALLS 4  /* record listings and DNS questions a refresh makes besides the pages */
enum { PANEL_ROUTE53_NEEDED = 1, PANEL_ROUTE53_TURN, PANEL_ROUTE53_NONE };
size_t panel_route53_pick(const struct model_health_check *v, size_t n, const struct model_zone *za, size_t na,
			  const struct model_zone *zb, size_t nb, char *const *shown, size_t n_shown, bool all,
			  size_t budget, size_t turns[2], unsigned char *ask);
/* The GetHealthCheckStatus calls a refresh every interval_s may make: PANEL_ROUTE53_RATE a
 * second, less the listing pages of n_checks checks and n_zones zones and the fixed calls. */
size_t panel_route53_budget(int interval_s, size_t n_checks, size_t n_zones);
/* The checks a view shows (ids copied; n 0: none): asked in turn, within the budget. */
void panel_route53_set_shown(struct model_route53 *r, const char *const *ids, size_t n);
/* Same DNS name, ignoring case, a trailing dot and a "dualstack." prefix? */
bool panel_route53_dns_same(const char *a, const char *b);
/* The region a DNS value points at, NULL when unknown. Borrowed. */
const char *panel_route53_region_of_value(const struct model *m, const char *value);

void panel_route53_clean_up(struct model_route53 *r);
void panel_route53_checkers_free(struct model_checker *v, size_t n);
void panel_route53_records_free(struct model_record *v, size_t n);
void panel_route53_dns_answer_clean_up(struct model_dns_answer *d);

#endif
