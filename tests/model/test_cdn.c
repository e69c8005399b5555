/* test_cdn.c — the CloudFront panel's parsers on fixtures aws-cli read from the
 * simulator (botocore-checked by test_fixtures.sh) and CloudFront in words: the
 * additional metrics "not enabled" when the subscription is off (never 0), 5xx
 * rates, origin roles per region, and a region that is no origin.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/viewing-cloudfront-metrics.html */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "model/cdn.h"
#include "model/model.h"
#include "model/verdict.h"
#include "tests/model/says.h"
#include "tests/tap.h"

static json_t *fixture(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/tests/model/fixtures/%s", FD_SRCDIR, name);
	return json_load_file(path, 0, NULL);
}

int main(void)
{
	struct model m;
	struct model_distribution *d;
	struct cdn_view cv;
	struct fd_error err;
	char buf[32];
	json_t *j;

	model_init(&m, "ap-northeast-2", "ap-northeast-1");
	j = fixture("cloudfront_list_distributions.json");
	is_int(panel_cdn_parse_list(j, &m.cdn.dists, &m.cdn.n_dists, &err), 0, "ListDistributions parses");
	json_decref(j);
	is_int(m.cdn.n_dists, 1, "one distribution");
	d = &m.cdn.dists[0];
	is_str(d->id, "E1PC7QW5TZ0K9X", "its id");
	is_str(d->status, "Deployed", "status");
	ok(d->enabled, "enabled");
	is_str(d->alias, "petclinic.example.com", "alias");
	is_int(d->n_origins, 2, "two origins");
	ok(d->origins[0].failover_primary && d->origins[1].failover_secondary, "the origin group: Seoul first, Tokyo on failover");
	j = fixture("cloudfront_get_monitoring_subscription.json");
	is_int(panel_cdn_parse_monitoring(j, d, &err), 0, "GetMonitoringSubscription parses");
	json_decref(j);
	is_int(d->additional, MODEL_CDN_ADD_ENABLED, "additional metrics enabled");
	ok(isnan(d->figures[MODEL_CDN_5XX]), "no figure before CloudWatch");

	cdn_of_model(&m, &cv);
	is_str(cv.brief, "off (stack.cdn)", "a panel the config turned off says so");
	m.cdn_status.enabled = true;
	cdn_of_model(&m, &cv);
	ok(cv.sev == MODEL_SEV_UNKNOWN, "before the panel has fetched: unknown");
	m.cdn_status.fetched_at = 100;
	is_int(cdn_origin_region(&m, &d->origins[1]), 1, "an origin's region from its DNS name");
	cdn_of_region(&m, 1, &cv);
	is_str(cv.brief, "failover origin, 5xx unknown", "Tokyo: the failover origin; no 5xx datapoint is unknown, not 0");
	d->figures[MODEL_CDN_5XX] = 0.04;
	cdn_of_region(&m, 0, &cv);
	ok(cv.sev == MODEL_SEV_OK && strcmp(cv.brief, "primary origin") == 0, "Seoul: the primary origin, fine");
	d->figures[MODEL_CDN_5XX] = 7.5;
	cdn_of_model(&m, &cv);
	ok(cv.sev == MODEL_SEV_BAD && strcmp(cv.brief, "5XX 7.5 %") == 0, "7.5 %% 5xx: bad");
	ok(says(&m, 0, "CLOUDFRONT 5XX 7.5 %"), "the verdict says it");
	d->figures[MODEL_CDN_5XX] = 0.04;
	d->additional = MODEL_CDN_ADD_NOT_ENABLED;
	is_str(cdn_figure_text(d, MODEL_CDN_HIT_RATE, buf, sizeof(buf)), "not enabled", "CacheHitRate: not enabled");
	is_str(cdn_figure_text(d, MODEL_CDN_ORIGIN_LATENCY, buf, sizeof(buf)), "not enabled", "OriginLatency: not enabled");
	is_str(cdn_figure_text(d, MODEL_CDN_5XX, buf, sizeof(buf)), "0.04 %", "5xxErrorRate is always there");
	{
		json_t *js = cdn_json(&m, 200);
		is_str(json_string_value(json_object_get(json_object_get(json_array_get(js, 0), "metrics"), "CacheHitRate")),
		       "not enabled", "snapshot: not enabled in words");
		json_decref(js);
	}
	/* Tokyo's origin removed: CloudFront cannot follow a failover there */
	free(d->origins[1].domain);
	d->origins[1].domain = xstrdup("elsewhere.example.com");
	cdn_of_region(&m, 1, &cv);
	ok(cv.sev == MODEL_SEV_WARN && strcmp(cv.brief, "NOT AN ORIGIN") == 0, "a region that is no origin: warning");
	ok(says(&m, 0, "DR NOT A CLOUDFRONT ORIGIN"), "the verdict says it");
	j = json_pack("{s:{s:{}}}", "DistributionList", "Items");
	ok(panel_cdn_parse_list(j, &d, &m.cdn.n_dists, &err) == -1, "Items that is not a list fails");
	json_decref(j);
	model_clean_up(&m);
	return done_testing();
}
