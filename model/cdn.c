/* cdn.c — CloudFront in words (see cdn.h). */
#include "model/cdn.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/panel.h"

void cdn_of_distribution(const struct model_distribution *d, struct cdn_view *out)
{
	double e5 = d->figures[MODEL_CDN_5XX];

	memset(out, 0, sizeof(*out));
	out->sev = MODEL_SEV_OK;
	if (!isnan(e5) && e5 >= 1) {
		out->sev = e5 >= 5 ? MODEL_SEV_BAD : MODEL_SEV_WARN;
		snprintf(out->brief, sizeof(out->brief), "5XX %.1f %%", e5);
		snprintf(out->why, sizeof(out->why), "%.20s answers %.1f %% of requests with a 5xx", d->id ? d->id : "?", e5);
	} else if (!d->enabled) {
		out->sev = MODEL_SEV_WARN;
		snprintf(out->brief, sizeof(out->brief), "DISABLED");
		snprintf(out->why, sizeof(out->why), "distribution %.20s is disabled", d->id ? d->id : "?");
	} else if (!panel_same(d->status, "Deployed")) {
		out->sev = MODEL_SEV_WARN;
		snprintf(out->brief, sizeof(out->brief), "%.20s", d->status ? d->status : "status unknown");
		snprintf(out->why, sizeof(out->why), "distribution %.20s is %.20s: changes are still propagating",
			 d->id ? d->id : "?", d->status ? d->status : "in an unknown state");
	} else if (isnan(e5)) {
		out->sev = MODEL_SEV_UNKNOWN;
		snprintf(out->brief, sizeof(out->brief), "Deployed, 5xx unknown");
		snprintf(out->why, sizeof(out->why), "no 5xxErrorRate datapoint for %.20s", d->id ? d->id : "?");
	} else {
		snprintf(out->brief, sizeof(out->brief), "Deployed, 5xx %.2f %%", e5);
		snprintf(out->why, sizeof(out->why), "%.20s is deployed and answering", d->id ? d->id : "?");
	}
}

void cdn_of_model(const struct model *m, struct cdn_view *out)
{
	struct cdn_view one;

	memset(out, 0, sizeof(*out));
	if (!m->cdn_status.enabled) {
		snprintf(out->brief, sizeof(out->brief), "off (stack.cdn)");
		snprintf(out->why, sizeof(out->why), "the CloudFront panel is off in the config");
		return;
	}
	if (!m->cdn_status.fetched_at) {
		out->sev = MODEL_SEV_UNKNOWN;
		snprintf(out->brief, sizeof(out->brief), "-");
		snprintf(out->why, sizeof(out->why), "CloudFront has not been read");
		return;
	}
	if (!m->cdn.n_dists) {
		snprintf(out->brief, sizeof(out->brief), "no distribution");
		snprintf(out->why, sizeof(out->why), "no CloudFront distribution");
		return;
	}
	for (size_t i = 0; i < m->cdn.n_dists; i++) {
		cdn_of_distribution(&m->cdn.dists[i], &one);
		if (i == 0 || one.sev > out->sev)
			*out = one;
	}
}

int cdn_origin_region(const struct model *m, const struct model_cdn_origin *o)
{
	for (size_t r = 0; o->domain && r < m->n_regions; r++) {
		for (size_t i = 0; i < m->regions[r].n_lbs; i++)
			if (panel_same(m->regions[r].lbs[i].dns_name, o->domain))
				return (int)r;
		if (m->regions[r].name && strstr(o->domain, m->regions[r].name))
			return (int)r;
	}
	return -1;
}

void cdn_of_region(const struct model *m, size_t r, struct cdn_view *out)
{
	const char *role = NULL;

	cdn_of_model(m, out);
	if (!m->cdn_status.fetched_at || !m->cdn.n_dists)
		return;
	for (size_t i = 0; i < m->cdn.n_dists && !role; i++)
		for (size_t k = 0; k < m->cdn.dists[i].n_origins && !role; k++) {
			const struct model_cdn_origin *o = &m->cdn.dists[i].origins[k];
			if (cdn_origin_region(m, o) != (int)r)
				continue;
			role = o->failover_primary ? "primary origin" : o->failover_secondary ? "failover origin" : "origin";
		}
	if (!role) {
		snprintf(out->brief, sizeof(out->brief), "NOT AN ORIGIN");
		snprintf(out->why, sizeof(out->why), "no distribution sends to %s: CloudFront cannot follow a failover",
			 m->regions[r].name);
		if (out->sev < MODEL_SEV_WARN)
			out->sev = MODEL_SEV_WARN;
		return;
	}
	if (out->sev == MODEL_SEV_OK)
		snprintf(out->brief, sizeof(out->brief), "%s", role);
	else if (out->sev == MODEL_SEV_UNKNOWN)
		snprintf(out->brief, sizeof(out->brief), "%s, 5xx unknown", role);
}

const char *cdn_figure_text(const struct model_distribution *d, enum model_cdn_metric k, char *buf, size_t size)
{
	double v = d->figures[k];

	if (k >= MODEL_CDN_FIRST_ADDITIONAL && d->additional == MODEL_CDN_ADD_NOT_ENABLED)
		snprintf(buf, size, "not enabled");
	else if (isnan(v))
		snprintf(buf, size, "-");
	else if (k == MODEL_CDN_REQUESTS)
		snprintf(buf, size, "%.0f/min", v);
	else if (k == MODEL_CDN_ORIGIN_LATENCY)
		snprintf(buf, size, "%.0f ms", v);
	else
		snprintf(buf, size, "%.2f %%", v);
	return buf;
}

static json_t *num(double v)
{
	return isnan(v) || isinf(v) ? json_null() : json_real(round(v * 10000.0) / 10000.0);
}

static json_t *str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *cdn_json(const struct model *m, time_t now)
{
	static const char *const additional[] = { "unknown", "enabled", "not_enabled" };
	json_t *out = json_array();
	struct cdn_view cv;

	for (size_t i = 0; i < m->cdn.n_dists; i++) {
		const struct model_distribution *d = &m->cdn.dists[i];
		json_t *origins = json_array(), *fig = json_object();
		for (size_t k = 0; k < d->n_origins; k++) {
			int r = cdn_origin_region(m, &d->origins[k]);
			json_array_append_new(origins, json_pack("{s:o, s:o, s:o, s:s}", "id", str(d->origins[k].id),
								 "domain", str(d->origins[k].domain),
								 "region", r >= 0 ? json_string(m->regions[r].name) : json_null(),
								 "failover", d->origins[k].failover_primary ? "primary"
									     : d->origins[k].failover_secondary ? "secondary" : "none"));
		}
		for (int k = 0; k < MODEL_CDN_METRIC_COUNT; k++)
			json_object_set_new(fig, panel_cdn_metric_name((enum model_cdn_metric)k),
					    k >= MODEL_CDN_FIRST_ADDITIONAL && d->additional == MODEL_CDN_ADD_NOT_ENABLED
						    ? json_string("not enabled") : num(d->figures[k]));
		cdn_of_distribution(d, &cv);
		json_array_append_new(out, json_pack("{s:o, s:o, s:o, s:o, s:b, s:o, s:s, s:s, s:s, s:o, s:o, s:o}",
						     "id", str(d->id), "domain", str(d->domain), "alias", str(d->alias),
						     "status", str(d->status), "enabled", d->enabled,
						     "invalidations_in_progress", d->invalidations >= 0 ? json_integer(d->invalidations) : json_null(),
						     "severity", model_sev_name(cv.sev), "summary", cv.brief,
						     "additional_metrics", additional[d->additional], "metrics", fig,
						     "metrics_age_s", d->metrics_at ? json_integer((json_int_t)(now - d->metrics_at)) : json_null(),
						     "origins", origins));
	}
	return out;
}
