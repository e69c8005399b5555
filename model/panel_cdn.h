/* panel_cdn.h — the CloudFront panel (global): the distributions in front of the
 * stack, their origins and status, and their AWS/CloudFront figures (us-east-1,
 * Region=Global). The additional metrics (CacheHitRate, OriginLatency) are only
 * asked for when the distribution's monitoring subscription is Enabled.
 */
#ifndef FD_PANEL_CDN_H
#define FD_PANEL_CDN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "base/error.h"

enum model_cdn_metric {
	MODEL_CDN_REQUESTS,             /* Sum per minute */
	MODEL_CDN_4XX,                  /* 4xxErrorRate (%) */
	MODEL_CDN_5XX,                  /* 5xxErrorRate (%) */
	MODEL_CDN_HIT_RATE,             /* CacheHitRate (%): additional */
	MODEL_CDN_ORIGIN_LATENCY,       /* OriginLatency (ms): additional */
	MODEL_CDN_METRIC_COUNT
};
#define MODEL_CDN_FIRST_ADDITIONAL MODEL_CDN_HIT_RATE

/* Whether the additional metrics are on (GetMonitoringSubscription). */
enum model_cdn_additional { MODEL_CDN_ADD_UNKNOWN, MODEL_CDN_ADD_ENABLED, MODEL_CDN_ADD_NOT_ENABLED };

struct model_cdn_origin {
	char *id;
	char *domain;               /* the ALB's DNS name */
	bool failover_primary;      /* the first member of an origin group */
	bool failover_secondary;    /* a later member */
};

struct model_distribution {
	char *id;
	char *domain;               /* d1....cloudfront.net */
	char *alias;                /* the first alternate domain name, NULL none */
	char *status;               /* Deployed, InProgress */
	bool enabled;
	int invalidations;          /* InProgressInvalidationBatches (GetDistribution), -1 unknown */
	struct model_cdn_origin *origins;
	size_t n_origins;
	enum model_cdn_additional additional;
	double figures[MODEL_CDN_METRIC_COUNT];   /* NAN: no datapoint (or not enabled) */
	time_t metrics_at;
	time_t metrics_newest;      /* the start of the figures' newest datapoint; 0 none */
};

struct model_cdn {
	struct model_distribution *dists;
	size_t n_dists;
};

/* ListDistributions: summaries with their origins and origin groups. */
int panel_cdn_parse_list(const json_t *res, struct model_distribution **out, size_t *n, struct fd_error *err);
/* GetMonitoringSubscription into d->additional. */
int panel_cdn_parse_monitoring(const json_t *res, struct model_distribution *d, struct fd_error *err);
/* The CloudWatch name of a figure ("5xxErrorRate"). */
const char *panel_cdn_metric_name(enum model_cdn_metric k);

void panel_cdn_free(struct model_distribution *v, size_t n);

#endif
