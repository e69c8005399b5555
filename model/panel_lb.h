/* panel_lb.h — the ELBv2 panel: load balancers, listeners, rules, target groups, target health.
 *
 * Parsers read one operation's botocore-shaped result and build fresh arrays
 * the caller swaps in; a result of the wrong shape fails with "ParseError" and
 * leaves the outputs untouched. `now` stamps fetched_at. Arrays and strings
 * belong to whoever holds them and are freed with the _free functions here.
 */
#ifndef FD_PANEL_LB_H
#define FD_PANEL_LB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "base/error.h"

struct model;
struct model_region;

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
	time_t data_at;             /* end of the newest datapoint's period behind the figures; 0 none */
	int period_s;               /* the datapoints' period */
	time_t fetched_at;
	time_t metrics_at;          /* when the figures were collected */
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
	time_t data_at;             /* end of the newest datapoint's period behind the figures; 0 none */
	int period_s;
	time_t fetched_at;
	time_t health_at;
	time_t metrics_at;
};

/* One address of a load balancer: a network interface ELB made for it (EC2
 * DescribeNetworkInterfaces, description "ELB app/NAME/ID"); what an alias
 * record to the load balancer answers with is its public addresses. */
struct model_lb_address {
	char *lb_name;              /* from the description */
	char *eni_id;
	char *az;
	char *public_ip;            /* Association.PublicIp, NULL for an internal one */
	char *private_ip;
};


/* DescribeLoadBalancers. */
int panel_lb_parse_load_balancers(const json_t *res, time_t now, struct model_lb **out, size_t *n,
				  struct fd_error *err);
/* DescribeListeners. */
int panel_lb_parse_listeners(const json_t *res, time_t now, struct model_listener **out, size_t *n,
			     struct fd_error *err);
/* DescribeRules: replaces l->rules with the non-default rules, by priority. */
int panel_lb_parse_rules(const json_t *res, struct model_listener *l, struct fd_error *err);
/* DescribeTargetGroups. */
int panel_lb_parse_target_groups(const json_t *res, time_t now, struct model_tg **out, size_t *n,
				 struct fd_error *err);
/* DescribeTargetHealth of one target group: replaces tg->targets and the counts. */
int panel_lb_parse_target_health(const json_t *res, time_t now, struct model_tg *tg, struct fd_error *err);
/* Fill forward actions' tg_name from the region's target groups (or the ARN). */
void panel_lb_resolve_forwards(struct model_region *r);

void panel_lb_lbs_free(struct model_lb *v, size_t n);
void panel_lb_listeners_free(struct model_listener *v, size_t n);
void panel_lb_rules_free(struct model_rule *v, size_t n);
void panel_lb_tgs_free(struct model_tg *v, size_t n);
void panel_lb_target_health_free(struct model_target_health *v, size_t n);
void panel_lb_addresses_free(struct model_lb_address *v, size_t n);
/* DescribeNetworkInterfaces (model/panel_lb_eni.c): the interfaces ELB made, with the
 * load balancer's name from their description. */
int panel_lb_parse_network_interfaces(const json_t *res, struct model_lb_address **out, size_t *n,
				      struct fd_error *err);
/* "ELB app/NAME/ID" for a load balancer ARN (caller frees; NULL when it has no such part). */
char *panel_lb_eni_description(const char *lb_arn);

#endif
