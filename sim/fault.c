/* fault.c — parse and apply injected faults (see fault.h). */
#include "sim/fault.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/xalloc.h"
#include "sim/asg_lt.h"
#include "sim/elasticache.h"

void sim_fault_init(struct sim_faults *f)
{
	memset(f, 0, sizeof(*f));
}

/* A rate "0.25" or "25%" into [0, 1]; -1 when it is neither. */
static int parse_rate(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	v = strtod(s, &end);
	if (end == s)
		return -1;
	if (*end == '%') {
		v /= 100.0;
		end++;
	}
	if (*end || v < 0 || v > 1)
		return -1;
	*out = v;
	return 0;
}

/* Remember the active SPEC for /_sim/state. */
static void remember(struct sim_faults *f, const char *spec)
{
	size_t n = strlen(f->specs);

	snprintf(f->specs + n, sizeof(f->specs) - n, "%s%s", n ? " " : "", spec);
}

/* Index of a target group in the world's flat order (for saving its rate). */
static long tg_index(const struct sim_world *w, const struct sim_target_group *tg)
{
	size_t r, i;
	long k = 0;

	for (r = 0; r < w->n_regions; r++)
		for (i = 0; i < w->regions[r].n_tgs; i++, k++)
			if (&w->regions[r].tgs[i] == tg)
				return k;
	return -1;
}

/* slow-deploy:TARGETGROUP:SECONDS (a name: that name in every region, or an ARN) and
 * replica-lag:[DBINSTANCE:]SECONDS (every read replica of that identifier, or every
 * read replica; -1 stops replication); a is "NAME:SECONDS" or "SECONDS". */
static int world_extra_fault(struct sim_world *w, struct sim_faults *f, const char *kind, char *a,
			     const char *spec, struct fd_error *err)
{
	bool slow = strcmp(kind, "slow-deploy") == 0;
	char *b = a ? strrchr(a, ':') : NULL, *end;
	double secs;
	long k = 0;
	int hits = 0;

	if (!b && !slow && a) {
		b = a;          /* replica-lag:SECONDS: every read replica */
		a = NULL;
	} else if (!b) {
		return fd_error_set(err, "InvalidFault", "fault '%s': want %s:%s:SECONDS", spec, kind,
				    slow ? "TARGETGROUP" : "DBINSTANCE");
	} else {
		*b++ = '\0';
	}
	secs = strtod(b, &end);
	/* -1: replication stopped (RDS reports ReplicaLag -1 when it is not running) */
	if (!*b || *end || (secs < 0 && (slow || secs != -1)) || secs > 86400)
		return fd_error_set(err, "InvalidFault", "fault '%s': '%s' is not a number of seconds (0 to 86400%s)",
				    spec, b, slow ? "" : ", or -1: replication stopped");
	for (size_t r = 0; r < w->n_regions; r++) {
		struct sim_region *rg = &w->regions[r];
		for (size_t i = 0; slow && i < rg->n_tgs; i++)
			if (strcmp(rg->tgs[i].arn, a) == 0 || strcmp(rg->tgs[i].name, a) == 0) {
				rg->tgs[i].slow_s = secs;
				hits++;
			}
		for (size_t i = 0; !slow && i < rg->n_dbs; i++, k++)
			if (rg->dbs[i].role == SIM_DB_REPLICA && (!a || strcmp(rg->dbs[i].id, a) == 0)) {
				if (k < 64 && !f->db_saved[k]) {
					f->db_base_lag[k] = rg->dbs[i].replica_lag_s;
					f->db_saved[k] = true;
				}
				rg->dbs[i].replica_lag_s = secs;
				hits++;
			}
	}
	if (!hits)
		return fd_error_set(err, "InvalidFault", "fault '%s': no %s '%s'", spec,
				    slow ? "target group" : "read replica", a ? a : "");
	return 0;
}

int sim_fault_add(struct sim_faults *f, struct sim_world *w, const char *spec,
		  struct fd_error *err)
{
	char buf[256], *kind, *a, *b;
	double rate;

	if (!spec || strlen(spec) >= sizeof(buf))
		return fd_error_set(err, "InvalidFault", "fault '%.40s': too long", spec ? spec : "");
	snprintf(buf, sizeof(buf), "%s", spec);
	kind = buf;
	a = strchr(kind, ':');
	if (a)
		*a++ = '\0';
	if (strcmp(kind, "region-outage") == 0) {
		int ri = a ? sim_world_region(w, a) : -1;
		if (ri < 0)
			return fd_error_set(err, "InvalidFault", "fault '%s': no region '%s'", spec, a ? a : "");
		w->regions[ri].up = false;
	} else if (strcmp(kind, "redis-failover") == 0) {
		int ri = a ? sim_world_region(w, a) : -1;
		struct fd_error why;
		if (ri < 0)
			return fd_error_set(err, "InvalidFault", "fault '%s': no region '%s'", spec, a ? a : "");
		if (sim_elasticache_failover(w, ri, &why) < 0)
			return fd_error_set(err, "InvalidFault", "fault '%s': %s", spec, why.message);
	} else if (strcmp(kind, "slow-deploy") == 0 || strcmp(kind, "replica-lag") == 0) {
		if (world_extra_fault(w, f, kind, a, spec, err) < 0)
			return -1;
	} else if (strcmp(kind, "bad-deploy") == 0) {
		struct sim_target_group *tg;
		long k;
		b = a ? strrchr(a, ':') : NULL;
		if (!b)
			return fd_error_set(err, "InvalidFault", "fault '%s': want bad-deploy:TARGETGROUP:RATE", spec);
		*b++ = '\0';
		if (parse_rate(b, &rate) < 0)
			return fd_error_set(err, "InvalidFault", "fault '%s': '%s' is not a rate from 0 to 1", spec, b);
		tg = sim_world_tg(w, -1, a);
		if (!tg)
			return fd_error_set(err, "InvalidFault", "fault '%s': no target group '%s'", spec, a);
		/* a name alone means that name in every region */
		for (size_t r = 0; r < w->n_regions; r++)
			for (size_t i = 0; i < w->regions[r].n_tgs; i++) {
				struct sim_target_group *t = &w->regions[r].tgs[i];
				if (strcmp(t->arn, a) != 0 && strcmp(t->name, a) != 0)
					continue;
				k = tg_index(w, t);
				if (k >= 0 && k < 512 && !f->tg_saved[k]) {
					f->tg_base_rate[k] = t->error_rate;
					f->tg_saved[k] = true;
				}
				t->error_rate = rate;
			}
	} else if (strcmp(kind, "new-version") == 0) {
		/* the pipeline built version N+1 of a launch template ($Latest); RATE: its 5xx rate */
		b = a ? strrchr(a, ':') : NULL;
		if (!b)
			return fd_error_set(err, "InvalidFault", "fault '%s': want new-version:LAUNCHTEMPLATE:RATE", spec);
		*b++ = '\0';
		if (parse_rate(b, &rate) < 0)
			return fd_error_set(err, "InvalidFault", "fault '%s': '%s' is not a rate from 0 to 1", spec, b);
		if (asg_lt_release(w, a, rate) < 0)
			return fd_error_set(err, "InvalidFault", "fault '%s': no launch template '%s' with room for a version",
					    spec, a);
	} else if (strcmp(kind, "throttle") == 0) {
		b = a ? strrchr(a, ':') : NULL;
		if (!b)
			return fd_error_set(err, "InvalidFault", "fault '%s': want throttle:OPERATION|*:RATE", spec);
		*b++ = '\0';
		if (parse_rate(b, &rate) < 0 || !*a)
			return fd_error_set(err, "InvalidFault", "fault '%s': '%s' is not a rate from 0 to 1", spec, b);
		if (f->n_throttle == SIM_THROTTLE_MAX)
			return fd_error_set(err, "InvalidFault", "fault '%s': too many throttle faults", spec);
		snprintf(f->throttle[f->n_throttle].operation, sizeof(f->throttle[0].operation), "%s", a);
		f->throttle[f->n_throttle++].rate = rate;
	} else if (strcmp(kind, "latency") == 0) {
		char *end;
		long ms = a ? strtol(a, &end, 10) : -1;
		if (!a || !*a || *end || ms < 0 || ms > 60000)
			return fd_error_set(err, "InvalidFault", "fault '%s': want latency:MS (0 to 60000)", spec);
		f->latency_ms = (int)ms;
	} else if (strcmp(kind, "error5xx") == 0) {
		if (parse_rate(a, &rate) < 0)
			return fd_error_set(err, "InvalidFault", "fault '%s': want error5xx:RATE", spec);
		f->error5xx_rate = rate;
	} else if (strcmp(kind, "drop") == 0) {
		if (parse_rate(a, &rate) < 0)
			return fd_error_set(err, "InvalidFault", "fault '%s': want drop:RATE", spec);
		f->drop_rate = rate;
	} else if (strcmp(kind, "expire-credentials") == 0) {
		if (a)
			return fd_error_set(err, "InvalidFault", "fault '%s': expire-credentials takes no value", spec);
		f->expired_before_s = w->now_s + 1e-6;
	} else {
		return fd_error_set(err, "InvalidFault",
				    "fault '%s': unknown kind '%s' (region-outage, bad-deploy, slow-deploy, "
				    "replica-lag, redis-failover, new-version, throttle, latency, error5xx, drop, expire-credentials)", spec, kind);
	}
	remember(f, spec);
	return 0;
}

void sim_fault_clear(struct sim_faults *f, struct sim_world *w)
{
	size_t r, i;
	long k = 0;

	long d = 0;

	for (r = 0; r < w->n_regions; r++) {
		w->regions[r].up = true;
		for (i = 0; i < w->regions[r].n_tgs; i++, k++) {
			if (k < 512 && f->tg_saved[k])
				w->regions[r].tgs[i].error_rate = f->tg_base_rate[k];
			w->regions[r].tgs[i].slow_s = 0;
		}
		for (i = 0; i < w->regions[r].n_dbs; i++, d++)
			if (d < 64 && f->db_saved[d] && w->regions[r].dbs[i].role == SIM_DB_REPLICA)
				w->regions[r].dbs[i].replica_lag_s = f->db_base_lag[d];
	}
	asg_lt_clear(w);
	sim_fault_init(f);
}

double sim_fault_throttle_rate(const struct sim_faults *f, const char *operation)
{
	double rate = 0;
	size_t i;

	for (i = 0; i < f->n_throttle; i++)
		if ((strcmp(f->throttle[i].operation, "*") == 0 ||
		     strcmp(f->throttle[i].operation, operation) == 0) && f->throttle[i].rate > rate)
			rate = f->throttle[i].rate;
	return rate;
}
