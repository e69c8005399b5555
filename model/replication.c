/* replication.c — DB instance roles and replication state (see replication.h). */
#include "model/replication.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const role_names[] = {
	[REPLICATION_STANDALONE] = "standalone",
	[REPLICATION_WRITER] = "writer",
	[REPLICATION_REPLICA] = "replica",
};

static const char *const state_names[] = {
	[REPLICATION_NONE] = "none",
	[REPLICATION_OK] = "ok",
	[REPLICATION_LAGGING] = "lagging",
	[REPLICATION_BROKEN] = "broken",
	[REPLICATION_UNKNOWN] = "unknown",
};

const char *replication_role_name(enum replication_role r)
{
	return (unsigned)r <= REPLICATION_REPLICA ? role_names[r] : "?";
}

const char *replication_state_name(enum replication_state s)
{
	return (unsigned)s <= REPLICATION_UNKNOWN ? state_names[s] : "?";
}

/* arn:aws:rds:REGION:ACCOUNT:db:ID -> "ID@REGION"; anything else as it is. */
const char *replication_source_text(const char *source, char *buf, size_t size)
{
	const char *p = source;
	char region[32];
	int field;

	if (!source) {
		snprintf(buf, size, "?");
		return buf;
	}
	if (strncmp(source, "arn:", 4) != 0) {
		snprintf(buf, size, "%s", source);
		return buf;
	}
	for (field = 0; field < 3 && p; field++) {  /* past "arn:", "aws:", "rds:" */
		p = strchr(p, ':');
		if (p)
			p++;
	}
	if (!p || !strchr(p, ':') || (size_t)(strchr(p, ':') - p) >= sizeof(region) || !strrchr(p, ':')[1]) {
		snprintf(buf, size, "%s", source);
		return buf;
	}
	snprintf(region, sizeof(region), "%.*s", (int)(strchr(p, ':') - p), p);
	snprintf(buf, size, "%s@%s", strrchr(p, ':') + 1, region);
	return buf;
}

/* A replica: its StatusInfos first, then its lag. */
static void judge_replica(const struct model_db *d, struct replication *out)
{
	char src[96];

	replication_source_text(d->source_id, src, sizeof(src));
	out->role = REPLICATION_REPLICA;
	if (d->repl_status && (!d->repl_normal || strcmp(d->repl_status, "replicating") != 0)) {
		out->state = REPLICATION_BROKEN;
		out->sev = MODEL_SEV_BAD;
		snprintf(out->text, sizeof(out->text), "NOT REPLICATING (%.24s) from %s", d->repl_status, src);
		snprintf(out->brief, sizeof(out->brief), "NOT REPLICATING (%.10s)", d->repl_status);
	} else if (!isnan(d->replica_lag_s) && d->replica_lag_s < 0) {
		out->state = REPLICATION_BROKEN;
		out->sev = MODEL_SEV_BAD;
		snprintf(out->text, sizeof(out->text), "NOT REPLICATING (lag -1) from %s", src);
		snprintf(out->brief, sizeof(out->brief), "NOT REPLICATING (lag -1)");
	} else if (!d->repl_status || isnan(d->replica_lag_s)) {
		out->state = REPLICATION_UNKNOWN;
		out->sev = MODEL_SEV_UNKNOWN;
		snprintf(out->text, sizeof(out->text), "replica of %s, %s", src,
			 d->repl_status ? "lag unknown" : "state unknown");
		snprintf(out->brief, sizeof(out->brief), "replica, %s", d->repl_status ? "lag unknown" : "state unknown");
	} else {
		out->state = d->replica_lag_s > REPLICATION_LAG_WARN_S ? REPLICATION_LAGGING : REPLICATION_OK;
		out->sev = d->replica_lag_s > REPLICATION_LAG_BAD_S ? MODEL_SEV_BAD
			   : d->replica_lag_s > REPLICATION_LAG_WARN_S ? MODEL_SEV_WARN : MODEL_SEV_OK;
		snprintf(out->text, sizeof(out->text), "replica of %s, %.1f s behind", src, d->replica_lag_s);
		snprintf(out->brief, sizeof(out->brief), "replica, %.1f s behind", d->replica_lag_s);
	}
}

void replication_of_db(const struct model_db *d, size_t n_regions, struct replication *out)
{
	memset(out, 0, sizeof(*out));
	if (d->is_replica) {
		judge_replica(d, out);
		return;
	}
	out->state = REPLICATION_NONE;
	if (d->n_replicas) {
		out->role = REPLICATION_WRITER;
		out->sev = MODEL_SEV_OK;
		snprintf(out->text, sizeof(out->text), "writer, %zu replica%s", d->n_replicas,
			 d->n_replicas == 1 ? "" : "s");
		snprintf(out->brief, sizeof(out->brief), "writer, %zu replica%s", d->n_replicas,
			 d->n_replicas == 1 ? "" : "s");
	} else {
		out->role = REPLICATION_STANDALONE;
		out->sev = n_regions > 1 ? MODEL_SEV_WARN : MODEL_SEV_OK;
		snprintf(out->text, sizeof(out->text), "writer, NO REPLICA");
		snprintf(out->brief, sizeof(out->brief), "writer, NO REPLICA");
	}
}

void replication_of_region(const struct model *m, size_t r, struct replication *out)
{
	const struct model_region *rg = &m->regions[r];
	struct replication one, *best = NULL;
	struct replication worst_replica, writer;
	bool have_replica = false, have_writer = false;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!rg->status[MODEL_PANEL_RDS].fetched_at) {
		out->state = REPLICATION_UNKNOWN;
		out->sev = MODEL_SEV_UNKNOWN;
		snprintf(out->text, sizeof(out->text), "-");
		snprintf(out->brief, sizeof(out->brief), "-");
		return;
	}
	for (i = 0; i < rg->n_dbs; i++) {
		replication_of_db(&rg->dbs[i], m->n_regions, &one);
		if (one.role == REPLICATION_REPLICA) {
			if (!have_replica || one.sev > worst_replica.sev)
				worst_replica = one;
			have_replica = true;
		} else if (!have_writer || one.sev > writer.sev) {
			writer = one;
			have_writer = true;
		}
	}
	best = have_replica ? &worst_replica : have_writer ? &writer : NULL;
	if (!best) {
		out->state = REPLICATION_NONE;
		out->sev = MODEL_SEV_OK;
		snprintf(out->text, sizeof(out->text), "no database");
		snprintf(out->brief, sizeof(out->brief), "no database");
		return;
	}
	*out = *best;
}

/* A number, null when unknown. */
static json_t *num_or_null(double v)
{
	return isnan(v) || isinf(v) ? json_null() : json_real(round(v * 10000.0) / 10000.0);
}

/* A string, null when absent. */
static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *replication_json(const struct model *m, time_t now)
{
	json_t *out = json_array();
	struct replication rp;
	size_t r, i;

	for (r = 0; r < m->n_regions; r++)
		for (i = 0; i < m->regions[r].n_dbs; i++) {
			const struct model_db *d = &m->regions[r].dbs[i];
			replication_of_db(d, m->n_regions, &rp);
			json_array_append_new(out, json_pack(
				"{s:s, s:o, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:o, s:s}",
				"region", m->regions[r].name, "instance", str_or_null(d->id),
				"role", replication_role_name(rp.role), "state", replication_state_name(rp.state),
				"severity", model_sev_name(rp.sev), "source", str_or_null(d->source_id),
				"lag_s", rp.role == REPLICATION_REPLICA ? num_or_null(d->replica_lag_s) : json_null(),
				"status", str_or_null(d->repl_status), "message", str_or_null(d->repl_message),
				"replicas", (json_int_t)d->n_replicas,
				"lag_age_s", d->metrics_at && rp.role == REPLICATION_REPLICA
					? json_integer((json_int_t)(now - d->metrics_at)) : json_null(),
				"text", rp.text));
		}
	return out;
}
