/* parse.h — botocore-shaped JSON results into the typed model (pure functions).
 *
 * Each parser reads one operation's result (as aws/client.h returns it: lists
 * are always arrays; timestamps ISO 8601 strings or epoch numbers; numbers may
 * arrive as numbers or numeric strings) and builds fresh model arrays that the
 * caller swaps in. A result that is not the expected shape fails with code
 * "ParseError" and leaves the outputs untouched. `now` stamps fetched_at.
 */
#ifndef FD_PARSE_H
#define FD_PARSE_H

#include <jansson.h>
#include <time.h>

#include "base/error.h"
#include "model/model.h"

/* ISO 8601 ("2026-11-24T05:00:00Z", fractions and +hh:mm allowed) or epoch number; 0 when neither. */
time_t parse_time(const json_t *v);
time_t parse_time_str(const char *s);

/* elbv2 */
int parse_load_balancers(const json_t *res, time_t now, struct model_lb **out, size_t *n,
			 struct fd_error *err);
int parse_listeners(const json_t *res, time_t now, struct model_listener **out, size_t *n,
		    struct fd_error *err);
/* DescribeRules: replaces l->rules with the non-default rules, by priority. */
int parse_rules(const json_t *res, struct model_listener *l, struct fd_error *err);
int parse_target_groups(const json_t *res, time_t now, struct model_tg **out, size_t *n,
			struct fd_error *err);
/* DescribeTargetHealth of one target group: replaces tg->targets and the counts. */
int parse_target_health(const json_t *res, time_t now, struct model_tg *tg, struct fd_error *err);
/* Fill forward actions' tg_name from the region's target groups (or the ARN). */
void parse_resolve_forwards(struct model_region *r);

/* autoscaling */
int parse_asgs(const json_t *res, time_t now, struct model_asg **out, size_t *n,
	       struct fd_error *err);
/* DescribeScalingActivities (any groups): replaces the activities of each group present in v. */
int parse_activities(const json_t *res, time_t now, struct model_asg *v, size_t n,
		     struct fd_error *err);
/* DescribePolicies: replaces the policies of each group in v. */
int parse_policies(const json_t *res, struct model_asg *v, size_t n, struct fd_error *err);
/* GetPredictiveScalingForecast into f (load and capacity; actual untouched). */
int parse_forecast(const json_t *res, time_t now, struct model_forecast *f, struct fd_error *err);

/* cloudwatch */
int parse_alarms(const json_t *res, time_t now, struct model_alarm **out, size_t *n,
		 struct fd_error *err);
/* DescribeAlarmHistory: replaces the history of each alarm named in it (newest first). */
int parse_alarm_history(const json_t *res, struct model_alarm *v, size_t n, struct fd_error *err);

/* One GetMetricData result, oldest point first. */
struct parse_metric {
	char *id;
	char *label;
	struct model_series series;
};
int parse_metric_data(const json_t *res, struct parse_metric **out, size_t *n, struct fd_error *err);
void parse_metrics_free(struct parse_metric *v, size_t n);
/* The result with this id, NULL when absent. Borrowed. */
const struct parse_metric *parse_metric_find(const struct parse_metric *v, size_t n, const char *id);
/* The newest value of a series, NAN when empty; *at gets its time when at is not NULL. */
double parse_series_last(const struct model_series *s, time_t *at);

/* rds */
int parse_db_instances(const json_t *res, time_t now, struct model_db **out, size_t *n,
		       struct fd_error *err);

/* route53 */
int parse_health_checks(const json_t *res, time_t now, struct model_health_check **out,
			size_t *n, struct fd_error *err);
int parse_health_check_status(const json_t *res, time_t now, struct model_health_check *hc,
			      struct fd_error *err);
int parse_hosted_zones(const json_t *res, time_t now, struct model_zone **out, size_t *n,
		       struct fd_error *err);
/* ListResourceRecordSets: keeps failover/latency/weighted records and, when the
 * zone has none, its A/AAAA/CNAME records. Replaces z->records. */
int parse_record_sets(const json_t *res, time_t now, struct model_zone *z, struct fd_error *err);
int parse_dns_answer(const json_t *res, time_t now, struct model_dns_answer *d, struct fd_error *err);
/* Which region the DNS answer (and each failover record / health check) points at,
 * from the regions' LB DNS names, the failover role, or region names in the value. */
void parse_resolve_dns_region(struct model *m);

/* xray */
int parse_service_graph(const json_t *res, struct model_xray *x, struct fd_error *err);
int parse_trace_summaries(const json_t *res, struct model_xray *x, struct fd_error *err);

#endif
