/* fault.c — parse and apply injected faults (see fault.h): one row per kind in
 * kinds[], whose usage texts also make the message for an unknown kind. */
#include "sim/fault.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "sim/asg_lt.h"
#include "sim/elasticache.h"

/* One kind of fault: its name, how it applies (arg: what follows "KIND:", NULL when
 * nothing does; spec: the whole SPEC for messages) and its usage. */
struct fault_kind {
	const char *kind;
	int (*apply)(const struct fault_kind *k, struct sim_faults *f, struct sim_world *w, char *arg,
		     const char *spec, struct fd_error *err);
	const char *usage;
};

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

/* "fault 'SPEC': want USAGE". */
static int want(const struct fault_kind *k, const char *spec, struct fd_error *err)
{
	return fd_error_set(err, "InvalidFault", "fault '%s': want %s", spec, k->usage);
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

/* The region an argument names; -1 (with InvalidFault) when none. */
static int region_arg(struct sim_world *w, const char *arg, const char *spec, struct fd_error *err)
{
	int ri = arg ? sim_world_region(w, arg) : -1;

	if (ri < 0)
		fd_error_set(err, "InvalidFault", "fault '%s': no region '%s'", spec, arg ? arg : "");
	return ri;
}

/* Set a read replica's lag, saving the lag before the first fault (n: its flat index) for
 * sim_fault_clear(). */
static void set_lag(struct sim_faults *f, struct sim_db *db, long n, double secs)
{
	if (n < 64 && !f->db_saved[n]) {
		f->db_base_lag[n] = db->replica_lag_s;
		f->db_saved[n] = true;
	}
	db->replica_lag_s = secs;
}

/* region-outage:REGION. Replication from a source in that region stops (its replicas, in any
 * region, report ReplicaLag -1: "replication is currently not active",
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_MySQL.Replication.ReadReplicas.Monitor.html). */
static int apply_outage(const struct fault_kind *k, struct sim_faults *f, struct sim_world *w, char *arg,
			const char *spec, struct fd_error *err)
{
	int ri = region_arg(w, arg, spec, err);
	long n = 0;

	(void)k;
	if (ri < 0)
		return -1;
	w->regions[ri].up = false;
	for (size_t r = 0; r < w->n_regions; r++)
		for (size_t i = 0; i < w->regions[r].n_dbs; i++, n++)
			if (sim_world_db_source_region(w, &w->regions[r].dbs[i]) == ri)
				set_lag(f, &w->regions[r].dbs[i], n, -1);
	return 0;
}

/* redis-failover:REGION */
static int apply_redis(const struct fault_kind *k, struct sim_faults *f, struct sim_world *w, char *arg,
		       const char *spec, struct fd_error *err)
{
	int ri = region_arg(w, arg, spec, err);
	struct fd_error why;

	(void)k;
	(void)f;
	if (ri < 0)
		return -1;
	if (sim_elasticache_failover(w, ri, &why) < 0)
		return fd_error_set(err, "InvalidFault", "fault '%s': %s", spec, why.message);
	return 0;
}

/* Split "A:B" at its last ':' into a (before) and the returned b; NULL without one. */
static char *last_part(char *a)
{
	char *b = a ? strrchr(a, ':') : NULL;

	if (b)
		*b++ = '\0';
	return b;
}

/* slow-deploy:TARGETGROUP:SECONDS (a name: that name in every region, or an ARN) and
 * replica-lag:[DBINSTANCE:]SECONDS (every read replica of that identifier, or every
 * read replica; -1 stops replication). */
static int apply_seconds(const struct fault_kind *k, struct sim_faults *f, struct sim_world *w, char *a,
			 const char *spec, struct fd_error *err)
{
	bool slow = strcmp(k->kind, "slow-deploy") == 0;
	char *b = last_part(a), *end;
	double secs;
	long n = 0;
	int hits = 0;

	if (!b && !slow && a) {
		b = a;          /* replica-lag:SECONDS: every read replica */
		a = NULL;
	} else if (!b) {
		return want(k, spec, err);
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
		for (size_t i = 0; !slow && i < rg->n_dbs; i++, n++)
			if (rg->dbs[i].role == SIM_DB_REPLICA && (!a || strcmp(rg->dbs[i].id, a) == 0)) {
				set_lag(f, &rg->dbs[i], n, secs);
				hits++;
			}
	}
	if (!hits)
		return fd_error_set(err, "InvalidFault", "fault '%s': no %s '%s'", spec,
				    slow ? "target group" : "read replica", a ? a : "");
	return 0;
}

/* bad-deploy:TARGETGROUP:RATE (a name alone means that name in every region). */
static int apply_bad_deploy(const struct fault_kind *k, struct sim_faults *f, struct sim_world *w, char *a,
			    const char *spec, struct fd_error *err)
{
	char *b = last_part(a);
	double rate;

	if (!b)
		return want(k, spec, err);
	if (parse_rate(b, &rate) < 0)
		return fd_error_set(err, "InvalidFault", "fault '%s': '%s' is not a rate from 0 to 1", spec, b);
	if (!sim_world_tg(w, -1, a))
		return fd_error_set(err, "InvalidFault", "fault '%s': no target group '%s'", spec, a);
	for (size_t r = 0; r < w->n_regions; r++)
		for (size_t i = 0; i < w->regions[r].n_tgs; i++) {
			struct sim_target_group *t = &w->regions[r].tgs[i];
			long n;
			if (strcmp(t->arn, a) != 0 && strcmp(t->name, a) != 0)
				continue;
			n = tg_index(w, t);
			if (n >= 0 && n < 512 && !f->tg_saved[n]) {
				f->tg_base_rate[n] = t->error_rate;
				f->tg_saved[n] = true;
			}
			t->error_rate = rate;
		}
	return 0;
}

/* new-version:LAUNCHTEMPLATE:RATE: the pipeline built version N+1 of a launch template
 * (now $Latest); RATE: the 5xx rate of every target running it (sim/asg_lt.c). */
static int apply_new_version(const struct fault_kind *k, struct sim_faults *f, struct sim_world *w, char *a,
			     const char *spec, struct fd_error *err)
{
	char *b = last_part(a);
	double rate;

	(void)f;
	if (!b)
		return want(k, spec, err);
	if (parse_rate(b, &rate) < 0)
		return fd_error_set(err, "InvalidFault", "fault '%s': '%s' is not a rate from 0 to 1", spec, b);
	if (asg_lt_release(w, a, rate) < 0)
		return fd_error_set(err, "InvalidFault", "fault '%s': no launch template '%s' with room for a version",
				    spec, a);
	return 0;
}

/* throttle:OPERATION|*:RATE */
static int apply_throttle(const struct fault_kind *k, struct sim_faults *f, struct sim_world *w, char *a,
			  const char *spec, struct fd_error *err)
{
	char *b = last_part(a);
	double rate;

	(void)w;
	if (!b)
		return want(k, spec, err);
	if (parse_rate(b, &rate) < 0 || !*a)
		return fd_error_set(err, "InvalidFault", "fault '%s': '%s' is not a rate from 0 to 1", spec, b);
	if (f->n_throttle == SIM_THROTTLE_MAX)
		return fd_error_set(err, "InvalidFault", "fault '%s': too many throttle faults", spec);
	snprintf(f->throttle[f->n_throttle].operation, sizeof(f->throttle[0].operation), "%s", a);
	f->throttle[f->n_throttle++].rate = rate;
	return 0;
}

/* latency:MS */
static int apply_latency(const struct fault_kind *k, struct sim_faults *f, struct sim_world *w, char *a,
			 const char *spec, struct fd_error *err)
{
	char *end;
	long ms = a ? strtol(a, &end, 10) : -1;

	(void)w;
	if (!a || !*a || *end || ms < 0 || ms > 60000)
		return want(k, spec, err);
	f->latency_ms = (int)ms;
	return 0;
}

/* error5xx:RATE, drop:RATE and cloudfront-5xx:RATE: one rate. */
static int apply_rate(const struct fault_kind *k, struct sim_faults *f, struct sim_world *w, char *a,
		      const char *spec, struct fd_error *err)
{
	double rate;

	if (parse_rate(a, &rate) < 0)
		return want(k, spec, err);
	if (strcmp(k->kind, "error5xx") == 0)
		f->error5xx_rate = rate;
	else if (strcmp(k->kind, "drop") == 0)
		f->drop_rate = rate;
	else
		w->cdn_error_rate = rate;
	return 0;
}

/* expire-credentials */
static int apply_expire(const struct fault_kind *k, struct sim_faults *f, struct sim_world *w, char *a,
			const char *spec, struct fd_error *err)
{
	if (a)
		return want(k, spec, err);
	f->expired_before_s = w->now_s + 1e-6;
	return 0;
}

static const struct fault_kind kinds[] = {
	{ .kind = "region-outage", .apply = apply_outage, .usage = "region-outage:REGION" },
	{ .kind = "bad-deploy", .apply = apply_bad_deploy, .usage = "bad-deploy:TARGETGROUP:RATE" },
	{ .kind = "slow-deploy", .apply = apply_seconds, .usage = "slow-deploy:TARGETGROUP:SECONDS" },
	{ .kind = "replica-lag", .apply = apply_seconds, .usage = "replica-lag:[DBINSTANCE:]SECONDS" },
	{ .kind = "redis-failover", .apply = apply_redis, .usage = "redis-failover:REGION" },
	{ .kind = "cloudfront-5xx", .apply = apply_rate, .usage = "cloudfront-5xx:RATE" },
	{ .kind = "new-version", .apply = apply_new_version, .usage = "new-version:LAUNCHTEMPLATE:RATE" },
	{ .kind = "throttle", .apply = apply_throttle, .usage = "throttle:OPERATION|*:RATE" },
	{ .kind = "latency", .apply = apply_latency, .usage = "latency:MS (0 to 60000)" },
	{ .kind = "error5xx", .apply = apply_rate, .usage = "error5xx:RATE" },
	{ .kind = "drop", .apply = apply_rate, .usage = "drop:RATE" },
	{ .kind = "expire-credentials", .apply = apply_expire, .usage = "expire-credentials" },
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

/* The row of a kind, NULL when none. */
static const struct fault_kind *find_kind(const char *kind)
{
	for (size_t i = 0; i < N_KINDS; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return &kinds[i];
	return NULL;
}

void sim_fault_usage(struct strbuf *out)
{
	for (size_t i = 0; i < N_KINDS; i++)
		strbuf_addf(out, "%s%s", i ? ", " : "", kinds[i].usage);
}

int sim_fault_add(struct sim_faults *f, struct sim_world *w, const char *spec,
		  struct fd_error *err)
{
	const struct fault_kind *k;
	char buf[256], *a;

	if (!spec || strlen(spec) >= sizeof(buf))
		return fd_error_set(err, "InvalidFault", "fault '%.40s': too long", spec ? spec : "");
	snprintf(buf, sizeof(buf), "%s", spec);
	a = strchr(buf, ':');
	if (a)
		*a++ = '\0';
	k = find_kind(buf);
	if (!k) {
		struct strbuf sb;
		strbuf_init(&sb);
		sim_fault_usage(&sb);
		fd_error_set(err, "InvalidFault", "fault '%s': unknown kind '%s' (%s)", spec, buf, sb.data);
		strbuf_clean_up(&sb);
		return -1;
	}
	if (k->apply(k, f, w, a, spec, err) < 0)
		return -1;
	remember(f, spec);
	return 0;
}

void sim_fault_clear(struct sim_faults *f, struct sim_world *w)
{
	size_t r, i;
	long k = 0, d = 0;

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
	w->cdn_error_rate = 0;
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
