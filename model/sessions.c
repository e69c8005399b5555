/* sessions.c — the Redis session store in words (see sessions.h). */
#include "model/sessions.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/panel.h"

/* Set out's severity and words when sev is worse than what it holds. */
static void worse(struct sessions_view *out, enum model_sev sev, const char *brief, const char *why)
{
	if (sev <= out->sev && out->brief[0])
		return;
	out->sev = sev;
	snprintf(out->brief, sizeof(out->brief), "%s", brief);
	snprintf(out->why, sizeof(out->why), "%s", why);
}

void sessions_of_region(const struct model *m, size_t r, time_t now, struct sessions_view *out)
{
	const struct model_region *rg = &m->regions[r];
	const struct model_sessions *s = &rg->sessions;
	char b[40], w[120];
	size_t g, n, i;

	memset(out, 0, sizeof(*out));
	out->evictions = out->hit_rate = out->loss = NAN;
	if (!rg->status[MODEL_PANEL_SESSIONS].enabled) {
		worse(out, MODEL_SEV_OK, "off (stack.sessions)", "the sessions panel is off in the config");
		return;
	}
	if (!rg->status[MODEL_PANEL_SESSIONS].fetched_at) {
		worse(out, MODEL_SEV_UNKNOWN, "-", "the session store has not been read");
		return;
	}
	if (!s->n_groups) {
		worse(out, MODEL_SEV_OK, "no Redis group", "no ElastiCache replication group in the region");
		return;
	}
	for (i = 0; i < s->n_events; i++)
		if (s->events[i].failover && s->events[i].at > out->last_failover)
			out->last_failover = s->events[i].at;
	if (out->last_failover && now - out->last_failover < SESSIONS_RECENT_S) {
		long ago = (long)(now - out->last_failover);
		snprintf(b, sizeof(b), "FAILOVER %ldm ago", ago / 60);
		struct tm tm;
		gmtime_r(&out->last_failover, &tm);
		snprintf(w, sizeof(w), "a failover or node replacement at %02d:%02dZ (UTC)", tm.tm_hour, tm.tm_min);
		worse(out, MODEL_SEV_WARN, b, w);
	}
	for (g = 0; g < s->n_groups; g++) {
		const struct model_cache_group *grp = &s->groups[g];
		size_t replicas = 0;
		for (n = 0; n < grp->n_nodes; n++) {
			const struct model_cache_node *nd = &grp->nodes[n];
			double ev = nd->figures[MODEL_CACHE_EVICTIONS], lag = nd->figures[MODEL_CACHE_REPLICATION_LAG];
			replicas += panel_same(nd->role, "replica");
			if (!isnan(ev))
				out->evictions = (isnan(out->evictions) ? 0 : out->evictions) + ev;
			if (nd->status && strcmp(nd->status, "available") != 0) {
				snprintf(w, sizeof(w), "node %.40s is %.24s", nd->cluster_id ? nd->cluster_id : "?", nd->status);
				snprintf(b, sizeof(b), "node %.24s", nd->status);
				worse(out, MODEL_SEV_WARN, b, w);
			}
			if (panel_same(nd->role, "replica") && !isnan(lag) && lag > SESSIONS_LAG_WARN_S) {
				snprintf(w, sizeof(w), "replica %.40s is %.0f s behind", nd->cluster_id ? nd->cluster_id : "?", lag);
				snprintf(b, sizeof(b), "replica %.0f s behind", lag);
				worse(out, MODEL_SEV_WARN, b, w);
			}
		}
		if (grp->status && strcmp(grp->status, "available") != 0) {
			snprintf(w, sizeof(w), "replication group %.40s is %.24s", grp->id ? grp->id : "?", grp->status);
			snprintf(b, sizeof(b), "group %.24s", grp->status);
			worse(out, MODEL_SEV_WARN, b, w);
		}
		const struct model_cache_node *p = panel_sessions_primary(grp);
		if (p && !isnan(p->figures[MODEL_CACHE_HIT_RATE]))
			out->hit_rate = p->figures[MODEL_CACHE_HIT_RATE];
		if (!p) {
			snprintf(w, sizeof(w), "replication group %.40s has no primary node: sessions cannot be written",
				 grp->id ? grp->id : "?");
			worse(out, MODEL_SEV_BAD, "NO PRIMARY NODE", w);
		}
		if (!out->brief[0]) {
			snprintf(b, sizeof(b), "%s + %zu replica%s", grp->global_role && strcmp(grp->global_role, "secondary") == 0
				 ? "secondary" : "primary", replicas, replicas == 1 ? "" : "s");
			worse(out, MODEL_SEV_OK, b, "the session store is available");
		}
	}
	if (!isnan(out->evictions) && out->evictions > 0) {
		snprintf(b, sizeof(b), "EVICTING %.0f/min", out->evictions);
		snprintf(w, sizeof(w), "%.0f keys evicted in the last minute: sessions are being lost", out->evictions);
		worse(out, MODEL_SEV_BAD, b, w);
	}
	if (!isnan(out->hit_rate) && out->hit_rate < SESSIONS_HIT_LOW_PCT) {
		snprintf(b, sizeof(b), "SESSIONS LOST hit %.0f%%", out->hit_rate);
		snprintf(w, sizeof(w), "the primary's CacheHitRate is %.0f %% (below %.0f %%): sessions are missing, lost "
			 "in a failover or evicted", out->hit_rate, SESSIONS_HIT_LOW_PCT);
		worse(out, MODEL_SEV_BAD, b, w);
	}
	if (!isnan(out->evictions) || !isnan(out->hit_rate))
		out->loss = fmax(isnan(out->evictions) ? 0 : out->evictions,
				 !isnan(out->hit_rate) && out->hit_rate < SESSIONS_HIT_LOW_PCT ? 100.0 - out->hit_rate : 0);
}

/* A number rounded to 4 decimals, null when unknown. */
static json_t *num(double v)
{
	return isnan(v) || isinf(v) ? json_null() : json_real(round(v * 10000.0) / 10000.0);
}

static json_t *str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *sessions_json(const struct model *m, time_t now)
{
	json_t *out = json_array();
	struct sessions_view sv;

	for (size_t r = 0; r < m->n_regions; r++) {
		const struct model_sessions *s = &m->regions[r].sessions;
		json_t *groups = json_array(), *events = json_array();
		sessions_of_region(m, r, now, &sv);
		for (size_t g = 0; g < s->n_groups; g++) {
			const struct model_cache_group *grp = &s->groups[g];
			json_t *nodes = json_array();
			for (size_t n = 0; n < grp->n_nodes; n++) {
				const struct model_cache_node *nd = &grp->nodes[n];
				json_t *fig = json_object();
				for (int k = 0; k < MODEL_CACHE_METRIC_COUNT; k++)
					json_object_set_new(fig, panel_sessions_metric_name((enum model_cache_metric)k),
							    num(nd->figures[k]));
				json_array_append_new(nodes, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "cluster",
								       str(nd->cluster_id), "role", str(nd->role),
								       "status", str(nd->status), "node_status",
								       str(nd->node_status), "az", str(nd->az), "metrics", fig));
			}
			json_array_append_new(groups, json_pack("{s:o, s:o, s:o, s:o, s:b, s:b, s:o}", "id", str(grp->id),
								"status", str(grp->status), "global_datastore",
								str(grp->global_id), "global_role", str(grp->global_role),
								"automatic_failover", grp->auto_failover, "multi_az",
								grp->multi_az, "nodes", nodes));
		}
		for (size_t i = 0; i < s->n_events; i++) {
			json_array_append_new(events, json_pack("{s:I, s:o, s:o, s:b}", "time_epoch_s",
								(json_int_t)s->events[i].at, "source",
								str(s->events[i].source), "message", str(s->events[i].message),
								"failover", s->events[i].failover));
		}
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "region",
						     m->regions[r].name, "severity", model_sev_name(sv.sev),
						     "summary", sv.brief, "why", sv.why, "evictions_per_min",
						     num(sv.evictions), "primary_hit_rate_pct", num(sv.hit_rate),
						     "session_loss", num(sv.loss), "last_failover_epoch_s",
						     sv.last_failover ? json_integer((json_int_t)sv.last_failover) : json_null(),
						     "groups", groups, "events", events));
	}
	return out;
}
