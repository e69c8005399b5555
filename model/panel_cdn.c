/* panel_cdn.c — the CloudFront panel (see panel_cdn.h).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html */
#include "model/panel_cdn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/isotime.h"
#include "base/xalloc.h"
#include "model/collector.h"
#include "model/panel.h"
#include "model/panel_metrics.h"

#define FIGURES_RANGE_S 900
#define DISTS_MAX 8                 /* distributions read in detail */

static const struct {
	const char *name, *stat;
} metrics[MODEL_CDN_METRIC_COUNT] = {
	[MODEL_CDN_REQUESTS] = { "Requests", "Sum" },
	[MODEL_CDN_4XX] = { "4xxErrorRate", "Average" },
	[MODEL_CDN_5XX] = { "5xxErrorRate", "Average" },
	[MODEL_CDN_HIT_RATE] = { "CacheHitRate", "Average" },
	[MODEL_CDN_ORIGIN_LATENCY] = { "OriginLatency", "Average" },
};

const char *panel_cdn_metric_name(enum model_cdn_metric k)
{
	return (unsigned)k < MODEL_CDN_METRIC_COUNT ? metrics[k].name : "?";
}

/* The Items of a {Quantity, Items} member; *bad when Items is not a list. */
static const json_t *items(const json_t *o, const char *key, bool *bad)
{
	return panel_list(json_object_get(o, key), "Items", bad);
}

/* Mark the origins of d's origin groups: the first member is the primary. */
static void mark_groups(const json_t *e, struct model_distribution *d, bool *bad)
{
	const json_t *groups = items(e, "OriginGroups", bad), *g, *members, *m;
	size_t i, k, o;

	json_array_foreach(groups, i, g) {
		members = items(g, "Members", bad);
		json_array_foreach(members, k, m)
			for (o = 0; o < d->n_origins; o++)
				if (panel_same(d->origins[o].id, panel_cstr(m, "OriginId"))) {
					d->origins[o].failover_primary |= k == 0;
					d->origins[o].failover_secondary |= k > 0;
				}
	}
}

int panel_cdn_parse_list(const json_t *res, struct model_distribution **out, size_t *n, struct fd_error *err)
{
	const json_t *list, *arr, *e, *origins, *o, *aliases;
	struct model_distribution *v;
	bool bad = false;
	size_t i, k;

	if (panel_need_object(res, "ListDistributions", err))
		return -1;
	list = json_object_get(res, "DistributionList");
	arr = panel_list(list, "Items", &bad);
	if (bad)
		return panel_shape_error(err, "ListDistributions", "DistributionList.Items is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		struct model_distribution *d = &v[i];
		d->id = panel_str(e, "Id");
		d->domain = panel_str(e, "DomainName");
		d->status = panel_str(e, "Status");
		d->enabled = panel_bool(e, "Enabled");
		d->invalidations = -1;
		aliases = items(e, "Aliases", &bad);
		d->alias = json_array_size(aliases) ? xstrdup(json_string_value(json_array_get(aliases, 0)) ?
							      json_string_value(json_array_get(aliases, 0)) : "")
						    : NULL;
		origins = items(e, "Origins", &bad);
		d->origins = xcalloc(json_array_size(origins) + 1, sizeof(*d->origins));
		json_array_foreach(origins, k, o) {
			d->origins[k].id = panel_str(o, "Id");
			d->origins[k].domain = panel_str(o, "DomainName");
		}
		d->n_origins = json_array_size(origins);
		mark_groups(e, d, &bad);
		for (k = 0; k < MODEL_CDN_METRIC_COUNT; k++)
			d->figures[k] = NAN;
		if (bad) {
			panel_cdn_free(v, i + 1);
			return panel_shape_error(err, "ListDistributions", "Aliases, Origins or OriginGroups not lists");
		}
	}
	*out = v;
	*n = json_array_size(arr);
	return 0;
}

int panel_cdn_parse_monitoring(const json_t *res, struct model_distribution *d, struct fd_error *err)
{
	const char *s;

	if (panel_need_object(res, "GetMonitoringSubscription", err))
		return -1;
	s = panel_cstr(json_object_get(json_object_get(res, "MonitoringSubscription"), "RealtimeMetricsSubscriptionConfig"),
		       "RealtimeMetricsSubscriptionStatus");
	d->additional = panel_same(s, "Enabled") ? MODEL_CDN_ADD_ENABLED : s ? MODEL_CDN_ADD_NOT_ENABLED
					    : MODEL_CDN_ADD_UNKNOWN;
	return 0;
}

void panel_cdn_free(struct model_distribution *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		for (size_t k = 0; k < v[i].n_origins; k++) {
			free(v[i].origins[k].id);
			free(v[i].origins[k].domain);
		}
		free(v[i].origins);
		free(v[i].id);
		free(v[i].domain);
		free(v[i].alias);
		free(v[i].status);
	}
	free(v);
}

/* --- refreshing ---------------------------------------------------------------------- */

enum { K_LIST, K_GET, K_MONITORING, K_FIGURES, K_COUNT };

struct cdn_stage {
	struct model_distribution *dists;
	size_t n_dists;
	bool have_list;
	struct panel_metrics_result *figures[DISTS_MAX];
	size_t n_figures[DISTS_MAX];
	bool have_figures[DISTS_MAX];
	bool keep_figures[DISTS_MAX];   /* CloudWatch has nothing newer: the model's stay */
};

/* The model's distribution with this id, NULL when none. */
static const struct model_distribution *old_dist(const struct model_cdn *m, const char *id)
{
	for (size_t i = 0; i < m->n_dists; i++)
		if (panel_same(m->dists[i].id, id))
			return &m->dists[i];
	return NULL;
}

static void start_cdn(struct panel_job *j)
{
	collector_call(j, K_LIST, json_object(), 0, 0);
}

static void done_list(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct cdn_stage *s = j->stage;
	struct fd_error e;

	(void)idx;
	(void)sub;
	if (panel_cdn_parse_list(res, &s->dists, &s->n_dists, &e)) {
		collector_job_error(j, &e, true);
		return;
	}
	s->have_list = true;
	for (size_t i = 0; i < s->n_dists && i < DISTS_MAX; i++) {
		if (!s->dists[i].id)
			continue;
		collector_call(j, K_GET, json_pack("{s:s}", "Id", s->dists[i].id), i, 0);
		collector_call(j, K_MONITORING, json_pack("{s:s}", "DistributionId", s->dists[i].id), i, 0);
	}
}

static void done_get(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct cdn_stage *s = j->stage;
	const json_t *d = json_object_get(res, "Distribution");

	(void)sub;
	if (idx >= s->n_dists || !json_is_object(d))
		return;
	free(s->dists[idx].status);
	s->dists[idx].status = panel_str(d, "Status");
	s->dists[idx].invalidations = panel_int(d, "InProgressInvalidationBatches", -1);
}

/* The figures of distribution idx: the additional ones only when enabled. */
static void ask_figures(struct panel_job *j, size_t idx)
{
	struct cdn_stage *s = j->stage;
	struct model_distribution *d = &s->dists[idx];
	const struct model_distribution *o = old_dist(&j->m->cdn, d->id);
	json_t *queries;
	char id[16], from[ISOTIME_MAX], to[ISOTIME_MAX];

	if (o && o->metrics_at && o->additional == d->additional && panel_cw_current(o->metrics_newest, j->now)) {
		/* one-minute data published once a minute: the same answer again */
		s->keep_figures[idx] = true;
		return;
	}
	queries = json_array();
	for (int k = 0; k < MODEL_CDN_METRIC_COUNT; k++) {
		if (k >= MODEL_CDN_FIRST_ADDITIONAL && d->additional != MODEL_CDN_ADD_ENABLED)
			continue;
		snprintf(id, sizeof(id), "m%d", k);
		json_array_append_new(queries, json_pack(
			"{s:s, s:{s:{s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}]}, s:i, s:s}, s:b}", "Id", id, "MetricStat",
			"Metric", "Namespace", "AWS/CloudFront", "MetricName", metrics[k].name, "Dimensions",
			"Name", "DistributionId", "Value", d->id, "Name", "Region", "Value", "Global",
			"Period", 60, "Stat", metrics[k].stat, "ReturnData", true));
	}
	isotime_format((double)(j->now - FIGURES_RANGE_S), 0, from);
	isotime_format((double)j->now, 0, to);
	collector_call(j, K_FIGURES, json_pack("{s:o, s:s, s:s, s:s}", "MetricDataQueries", queries, "StartTime", from,
					       "EndTime", to, "ScanBy", "TimestampDescending"), idx, 0);
}

static void done_monitoring(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct cdn_stage *s = j->stage;
	struct fd_error e;

	(void)sub;
	if (idx >= s->n_dists)
		return;
	if (panel_cdn_parse_monitoring(res, &s->dists[idx], &e))
		collector_job_error(j, &e, false);
	ask_figures(j, idx);
}

/* NoSuchMonitoringSubscription: never subscribed, so not enabled; other errors: unknown. */
static void failed_monitoring(struct panel_job *j, size_t idx, size_t sub)
{
	struct cdn_stage *s = j->stage;

	(void)sub;
	if (idx >= s->n_dists)
		return;
	s->dists[idx].additional = j->failure && strcmp(j->failure->code, "NoSuchMonitoringSubscription") == 0
					   ? MODEL_CDN_ADD_NOT_ENABLED : MODEL_CDN_ADD_UNKNOWN;
	ask_figures(j, idx);
}

static void done_figures(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct cdn_stage *s = j->stage;
	struct fd_error e;

	(void)sub;
	if (idx >= DISTS_MAX)
		return;
	if (panel_metrics_parse(res, &s->figures[idx], &s->n_figures[idx], &e))
		collector_job_error(j, &e, false);
	else
		s->have_figures[idx] = true;
}

static void finish_cdn(struct panel_job *j)
{
	struct cdn_stage *s = j->stage;
	struct model_cdn *m = &j->m->cdn;
	char id[16];

	if (!s->have_list)
		return;
	for (size_t i = 0; i < s->n_dists && i < DISTS_MAX; i++) {
		const struct model_distribution *o = old_dist(m, s->dists[i].id);
		if (s->keep_figures[i] && o) {
			memcpy(s->dists[i].figures, o->figures, sizeof(o->figures));
			s->dists[i].metrics_at = o->metrics_at;
			s->dists[i].metrics_newest = o->metrics_newest;
		}
		if (!s->have_figures[i])
			continue;
		s->dists[i].metrics_newest = 0;
		for (int k = 0; k < MODEL_CDN_METRIC_COUNT; k++) {
			const struct panel_metrics_result *r;
			snprintf(id, sizeof(id), "m%d", k);
			r = panel_metrics_find(s->figures[i], s->n_figures[i], id);
			s->dists[i].figures[k] = r ? series_last(&r->series, NULL) : NAN;
			s->dists[i].metrics_newest = panel_series_newest(r ? &r->series : NULL, s->dists[i].metrics_newest);
		}
		s->dists[i].metrics_at = j->now;
	}
	panel_cdn_free(m->dists, m->n_dists);
	m->dists = s->dists;
	m->n_dists = s->n_dists;
	s->dists = NULL;
	s->n_dists = 0;
}

static void stage_clean_up(void *stage)
{
	struct cdn_stage *s = stage;

	panel_cdn_free(s->dists, s->n_dists);
	for (size_t i = 0; i < DISTS_MAX; i++)
		panel_metrics_results_free(s->figures[i], s->n_figures[i]);
}

static void model_part_clean_up(struct model *m, size_t region)
{
	(void)region;
	panel_cdn_free(m->cdn.dists, m->cdn.n_dists);
	m->cdn.dists = NULL;
	m->cdn.n_dists = 0;
}

static const struct panel_call cdn_calls[K_COUNT] = {
	[K_LIST] = { "cloudfront", "ListDistributions", CLIENT_ALL_PAGES, true, done_list, NULL, NULL, NULL },
	[K_GET] = { "cloudfront", "GetDistribution", 0, false, done_get, NULL, NULL, NULL },
	[K_MONITORING] = { "cloudfront", "GetMonitoringSubscription", 0, false, done_monitoring, failed_monitoring,
			   NULL, "NoSuchMonitoringSubscription" },
	/* CloudFront publishes its metrics in us-east-1 with Region=Global */
	[K_FIGURES] = { "cloudwatch", "GetMetricData", CLIENT_ALL_PAGES, false, done_figures, NULL, "us-east-1", NULL },
};

/* stack.cdn: false turns the panel off (no CloudFront in front of the stack). */
static bool cdn_enabled(const struct fd_config *cfg)
{
	return cfg->cdn;
}

const struct panel_def panel_cdn_def = {
	.panel = MODEL_PANEL_CDN,
	.name = "cdn",
	.global = true,
	.interval_mult = 2,
	.enabled = cdn_enabled,
	.calls = cdn_calls,
	.n_calls = K_COUNT,
	.stage_size = sizeof(struct cdn_stage),
	.start = start_cdn,
	.finish = finish_cdn,
	.stage_clean_up = stage_clean_up,
	.model_clean_up = model_part_clean_up,
};
