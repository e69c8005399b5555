/* svc_cloudfront.c — CloudFront (rest-xml 2020-05-31, global: signed for us-east-1)
 * through the shape-driven codec: ListDistributions, GetDistribution,
 * GetMonitoringSubscription.
 *
 * One distribution in front of both regions' load balancers: an origin per region
 * (the ALB's DNS name, https-only) and an origin group that fails over from the
 * primary's to the DR's on 500, 502, 503 and 504; Deployed and enabled, with the
 * additional metrics (CacheHitRate, OriginLatency) subscribed, so AWS/CloudFront
 * in us-east-1 (Region=Global) has them (sim/metrics.c: Requests, CacheHitRate).
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ListDistributions.html
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_GetMonitoringSubscription.html */
#include <stdio.h>
#include <string.h>

#include "sim/metrics.h"
#include "sim/service.h"

#define DOMAIN "d1pc7qw5tz0k9x.cloudfront.net"

/* The origins: one per region with a load balancer. */
static json_t *origins(const struct sim_world *w, json_t **ids)
{
	json_t *items = json_array();
	char id[64];

	*ids = json_array();
	for (size_t r = 0; r < w->n_regions; r++) {
		if (!w->regions[r].n_lbs)
			continue;
		snprintf(id, sizeof(id), "alb-%s", w->regions[r].name);
		json_array_append_new(*ids, json_pack("{s:s}", "OriginId", id));
		json_array_append_new(items, json_pack(
			"{s:s, s:s, s:s, s:{s:i, s:[]}, s:{s:i, s:i, s:s, s:{s:i, s:[s]}, s:i, s:i}, s:i, s:i}",
			"Id", id, "DomainName", w->regions[r].lbs[0].dns_name, "OriginPath", "",
			"CustomHeaders", "Quantity", 0, "Items",
			"CustomOriginConfig", "HTTPPort", 80, "HTTPSPort", 443, "OriginProtocolPolicy", "https-only",
			"OriginSslProtocols", "Quantity", 1, "Items", "TLSv1.2", "OriginReadTimeout", 30,
			"OriginKeepaliveTimeout", 5, "ConnectionAttempts", 3, "ConnectionTimeout", 10));
	}
	return json_pack("{s:I, s:o}", "Quantity", (json_int_t)json_array_size(items), "Items", items);
}

/* What a summary and a configuration share. */
static void common(const struct sim_world *w, json_t *o)
{
	json_t *ids, *orig = origins(w, &ids);

	json_object_set_new(o, "Aliases", json_pack("{s:i, s:[s]}", "Quantity", 1, "Items", "petclinic.example.com"));
	json_object_set_new(o, "Origins", orig);
	json_object_set_new(o, "OriginGroups", json_pack(
		"{s:i, s:[{s:s, s:{s:{s:i, s:[i, i, i, i]}}, s:{s:I, s:o}}]}", "Quantity", 1, "Items", "Id", "petclinic-failover",
		"FailoverCriteria", "StatusCodes", "Quantity", 4, "Items", 500, 502, 503, 504,
		"Members", "Quantity", (json_int_t)json_array_size(ids), "Items", ids));
	json_object_set_new(o, "DefaultCacheBehavior", json_pack(
		"{s:s, s:s, s:{s:b, s:i}}", "TargetOriginId", "petclinic-failover", "ViewerProtocolPolicy", "redirect-to-https",
		"TrustedSigners", "Enabled", false, "Quantity", 0));
	json_object_set_new(o, "Comment", json_string("petclinic in front of both regions"));
	json_object_set_new(o, "PriceClass", json_string("PriceClass_200"));
	json_object_set_new(o, "Enabled", json_true());
	json_object_set_new(o, "HttpVersion", json_string("http2"));
	json_object_set_new(o, "IsIPV6Enabled", json_true());
}

/* The distribution's ARN. */
static void arn(const struct sim_world *w, char out[SIM_ARN_MAX])
{
	snprintf(out, SIM_ARN_MAX, "arn:aws:cloudfront::%s:distribution/%s", w->account, METRICS_DISTRIBUTION_ID);
}

/* ListDistributions: the one distribution, MaxItems a page; Marker is the id of the
 * last distribution of the previous page (NextMarker), as CloudFront pages. */
static int list_distributions(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *marker = sim_in_str(in, "Marker");
	json_t *d;
	char a[SIM_ARN_MAX];
	long max;

	if (sim_in_int(ctx, resp, in, "MaxItems", 1, 100, sim_page_default(ctx->world, "ListDistributions"), &max) < 0)
		return 0;
	if (marker && marker[0]) {   /* after the one distribution there is none */
		*out = json_pack("{s:{s:s, s:i, s:b, s:i}}", "DistributionList", "Marker", marker, "MaxItems", (int)max,
				 "IsTruncated", false, "Quantity", 0);
		return 0;
	}
	d = json_object();
	arn(ctx->world, a);
	json_object_set_new(d, "Id", json_string(METRICS_DISTRIBUTION_ID));
	json_object_set_new(d, "ARN", json_string(a));
	json_object_set_new(d, "Status", json_string("Deployed"));
	json_object_set_new(d, "LastModifiedTime", sim_out_time(ctx->world->start_s - 86400));
	json_object_set_new(d, "DomainName", json_string(DOMAIN));
	common(ctx->world, d);
	json_object_set_new(d, "Staging", json_false());
	*out = json_pack("{s:{s:s, s:i, s:b, s:i, s:[o]}}", "DistributionList", "Marker", "", "MaxItems", (int)max,
			 "IsTruncated", false, "Quantity", 1, "Items", d);
	return 0;
}

/* GetDistribution: the distribution and its configuration. */
static int get_distribution(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *id = sim_in_str(in, "Id");
	json_t *cfg = json_object();
	char a[SIM_ARN_MAX];

	if (!id || strcmp(id, METRICS_DISTRIBUTION_ID) != 0) {
		json_decref(cfg);
		return sim_error(ctx, resp, 404, "NoSuchDistribution", "The specified distribution does not exist.");
	}
	arn(ctx->world, a);
	json_object_set_new(cfg, "CallerReference", json_string("flightdeck-sim"));
	common(ctx->world, cfg);
	*out = json_pack("{s:{s:s, s:s, s:s, s:o, s:i, s:s, s:o}, s:s}", "Distribution", "Id", METRICS_DISTRIBUTION_ID,
			 "ARN", a, "Status", "Deployed", "LastModifiedTime", sim_out_time(ctx->world->start_s - 86400),
			 "InProgressInvalidationBatches", 0, "DomainName", DOMAIN, "DistributionConfig", cfg,
			 "ETag", "E2QWRUHEXAMPLE");
	return 0;
}

/* GetMonitoringSubscription: the additional metrics are on. */
static int get_monitoring(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *id = sim_in_str(in, "DistributionId");

	if (!id || strcmp(id, METRICS_DISTRIBUTION_ID) != 0)
		return sim_error(ctx, resp, 404, "NoSuchDistribution", "The specified distribution does not exist.");
	*out = json_pack("{s:{s:{s:s}}}", "MonitoringSubscription", "RealtimeMetricsSubscriptionConfig",
			 "RealtimeMetricsSubscriptionStatus", "Enabled");
	return 0;
}

static const struct sim_shaped_op cf_ops[] = {
	{ .name = "ListDistributions", .fn = list_distributions },
	{ .name = "GetDistribution", .fn = get_distribution },
	{ .name = "GetMonitoringSubscription", .fn = get_monitoring },
	{ .name = NULL },
};

int sim_cloudfront_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	return sim_dispatch_shaped(ctx, req, resp, cf_ops);
}
