/* panel_asg.h — the Auto Scaling panel: groups, instances, activities, policies, forecasts.
 *
 * Parsers read one operation's botocore-shaped result and build fresh arrays
 * the caller swaps in; a result of the wrong shape fails with "ParseError" and
 * leaves the outputs untouched. `now` stamps fetched_at. Arrays and strings
 * belong to whoever holds them and are freed with the _free functions here.
 */
#ifndef FD_PANEL_ASG_H
#define FD_PANEL_ASG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "base/error.h"
#include "model/series.h"

struct model;
struct model_region;

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


/* DescribeAutoScalingGroups. */
int panel_asg_parse_groups(const json_t *res, time_t now, struct model_asg **out, size_t *n,
			   struct fd_error *err);
/* DescribeScalingActivities (any groups): replaces the activities of each group in v. */
int panel_asg_parse_activities(const json_t *res, time_t now, struct model_asg *v, size_t n,
			       struct fd_error *err);
/* DescribePolicies: replaces the policies of each group in v. */
int panel_asg_parse_policies(const json_t *res, struct model_asg *v, size_t n, struct fd_error *err);
/* GetPredictiveScalingForecast into f (load and capacity; actual untouched). */
int panel_asg_parse_forecast(const json_t *res, time_t now, struct model_forecast *f, struct fd_error *err);

void panel_asg_groups_free(struct model_asg *v, size_t n);
void panel_asg_activities_free(struct model_activity *v, size_t n);
void panel_asg_policies_free(struct model_policy *v, size_t n);
void panel_asg_forecasts_free(struct model_forecast *v, size_t n);

#endif
