/* panel_alarms.h — the CloudWatch alarms panel: alarms and their state history.
 *
 * Parsers read one operation's botocore-shaped result and build fresh arrays
 * the caller swaps in; a result of the wrong shape fails with "ParseError" and
 * leaves the outputs untouched. `now` stamps fetched_at. Arrays and strings
 * belong to whoever holds them and are freed with the _free functions here.
 */
#ifndef FD_PANEL_ALARMS_H
#define FD_PANEL_ALARMS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "base/error.h"

struct model;
struct model_region;

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
	time_t since;               /* StateTransitionedTimestamp, else StateUpdatedTimestamp */
	time_t updated;             /* StateUpdatedTimestamp: a state update writes a history item */
	char *namespace_;           /* NULL for composite alarms */
	char *metric;
	bool composite;
	char *description;
	/* how it evaluates (metric alarms; NAN / 0 / NULL when absent) */
	char *statistic;            /* Statistic or ExtendedStatistic ("Sum", "p99") */
	int period_s;
	int evaluation_periods;
	int datapoints_to_alarm;    /* 0: as many as evaluation_periods */
	double threshold;
	char *comparison;           /* ComparisonOperator */
	char *treat_missing;        /* TreatMissingData */
	char *dimensions;           /* "LoadBalancer=app/x/1, TargetGroup=..." */
	char *queries;              /* the MetricDataQuery list that computes it, as JSON (GetMetricData input) */
	char *rule;                 /* composite: AlarmRule */
	struct model_alarm_event *history; /* newest first */
	size_t n_history;
	time_t fetched_at;
};


/* DescribeAlarms (metric and composite): ALARM first, then by name. */
int panel_alarms_parse(const json_t *res, time_t now, struct model_alarm **out, size_t *n,
		       struct fd_error *err);
/* DescribeAlarmHistory: replaces the history of each alarm named in it (newest first). */
int panel_alarms_parse_history(const json_t *res, struct model_alarm *v, size_t n, struct fd_error *err);

void panel_alarms_free(struct model_alarm *v, size_t n);
void panel_alarms_events_free(struct model_alarm_event *v, size_t n);

#endif
