/* traffic.c — the traffic model behind the simulator's metrics (see traffic.h). */
#include "sim/traffic.h"
#include "sim/asg_lt.h"

#include "base/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BASE_RATE 150.0          /* client requests/s at the daily mean */
#define CHECKER_RATE 1.5         /* Route 53 / ALB health-check requests/s per region */
#define CAPACITY_PER_HOST 40.0   /* requests/s a healthy host serves comfortably */
#define BASE_LATENCY_S 0.045     /* median response time at low load */
#define SESSION_RETURN_S 120.0   /* lost sessions: the mean time until their user comes back (wall clock) */
#define SESSION_TTL_S 1800.0     /* a session's idle timeout: the store refills over it after a loss */

/* Fields of a region (its Redis primary node, the node being replaced or -1, how
 * often its sessions were lost), a target group, an ASG, a database and the world
 * in a snapshot. */
enum { R_UP, R_SHARE, R_REDIS_PRIMARY, R_REDIS_REPLACING, R_REDIS_LOSSES, R_N };
enum { T_LB_SHARE, T_HEALTHY, T_UNHEALTHY, T_ERR, T_LB, T_SLOW, T_N };
enum { A_INSERVICE, A_DESIRED, A_N };
enum { D_ROLE, D_LAG, D_N };
enum { G_CDN_ERR, G_N };

struct snapshot {
	double t_s;
	float *v;
};

/* Which entity belongs where; fixed while the world's shape stays. */
struct shape {
	size_t n_regions, n_lbs, n_tgs, n_asgs, n_dbs;
	int *lb_region, *tg_region, *asg_region, *db_region;
	long *asg_tg;             /* the target group an ASG registers in (global index, -1 none) */
	size_t *lbs_in_region;
	size_t n_vals;
};

struct traffic {
	uint64_t seed;
	struct shape shape;
	struct snapshot *log;
	size_t n_log, cap_log;
};

/* Keys of traffic_hash so that each quantity gets its own noise. */
enum { H_NOISE = 1, H_SPIKE, H_SPIKE_AT, H_SPIKE_SIZE, H_ROUND, H_HIT, H_DB, H_LAG, H_CONN, H_LAT };

double traffic_hash(uint64_t seed, uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t z = seed ^ (a * 0x9e3779b97f4a7c15ULL) ^ (b * 0xc2b2ae3d27d4eb4fULL) ^
		     (c * 0x165667b19e3779f9ULL);

	/* splitmix64's finaliser, twice */
	for (int i = 0; i < 2; i++) {
		z += 0x9e3779b97f4a7c15ULL;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		z ^= z >> 31;
	}
	return (double)(z >> 11) * (1.0 / 9007199254740992.0);
}

struct traffic *traffic_new(uint64_t seed)
{
	struct traffic *t = xcalloc(1, sizeof(*t));

	t->seed = seed;
	return t;
}

/* Free the shape's arrays. */
static void shape_clean_up(struct shape *s)
{
	free(s->lb_region);
	free(s->tg_region);
	free(s->asg_region);
	free(s->asg_tg);
	free(s->db_region);
	free(s->lbs_in_region);
	memset(s, 0, sizeof(*s));
}

/* Drop every snapshot. */
static void log_clear(struct traffic *t)
{
	for (size_t i = 0; i < t->n_log; i++)
		free(t->log[i].v);
	t->n_log = 0;
}

void traffic_destroy(struct traffic *t)
{
	if (!t)
		return;
	log_clear(t);
	free(t->log);
	shape_clean_up(&t->shape);
	free(t);
}

double traffic_last_s(const struct traffic *t)
{
	return t->n_log ? t->log[t->n_log - 1].t_s : -1;
}

size_t traffic_log_len(const struct traffic *t)
{
	return t->n_log;
}

/* Offsets of a target group's, an ASG's and a database's fields in a snapshot. */
static size_t off_tg(const struct shape *s, size_t g) { return s->n_regions * R_N + g * T_N; }
static size_t off_asg(const struct shape *s, size_t a) { return s->n_regions * R_N + s->n_tgs * T_N + a * A_N; }
static size_t off_db(const struct shape *s, size_t d)
{
	return s->n_regions * R_N + s->n_tgs * T_N + s->n_asgs * A_N + d * D_N;
}
static size_t off_glob(const struct shape *s) { return off_db(s, s->n_dbs); }

long traffic_tg_index(const struct sim_world *w, const struct sim_target_group *tg)
{
	long n = 0;

	for (size_t r = 0; r < w->n_regions; r++)
		for (size_t i = 0; i < w->regions[r].n_tgs; i++, n++)
			if (&w->regions[r].tgs[i] == tg)
				return n;
	return -1;
}

long traffic_lb_index(const struct sim_world *w, const struct sim_load_balancer *lb)
{
	long n = 0;

	for (size_t r = 0; r < w->n_regions; r++)
		for (size_t i = 0; i < w->regions[r].n_lbs; i++, n++)
			if (&w->regions[r].lbs[i] == lb)
				return n;
	return -1;
}

long traffic_asg_index(const struct sim_world *w, const struct sim_asg *g)
{
	long n = 0;

	for (size_t r = 0; r < w->n_regions; r++)
		for (size_t i = 0; i < w->regions[r].n_asgs; i++, n++)
			if (&w->regions[r].asgs[i] == g)
				return n;
	return -1;
}

long traffic_db_index(const struct sim_world *w, const struct sim_db *db)
{
	long n = 0;

	for (size_t r = 0; r < w->n_regions; r++)
		for (size_t i = 0; i < w->regions[r].n_dbs; i++, n++)
			if (&w->regions[r].dbs[i] == db)
				return n;
	return -1;
}

/* Build the shape of w into s. */
static void shape_build(struct shape *s, const struct sim_world *w)
{
	size_t r, i, l = 0, g = 0, a = 0, d = 0;

	memset(s, 0, sizeof(*s));
	s->n_regions = w->n_regions;
	for (r = 0; r < w->n_regions; r++) {
		s->n_lbs += w->regions[r].n_lbs;
		s->n_tgs += w->regions[r].n_tgs;
		s->n_asgs += w->regions[r].n_asgs;
		s->n_dbs += w->regions[r].n_dbs;
	}
	s->lb_region = xcalloc(s->n_lbs + 1, sizeof(int));
	s->tg_region = xcalloc(s->n_tgs + 1, sizeof(int));
	s->asg_region = xcalloc(s->n_asgs + 1, sizeof(int));
	s->asg_tg = xcalloc(s->n_asgs + 1, sizeof(long));
	s->db_region = xcalloc(s->n_dbs + 1, sizeof(int));
	s->lbs_in_region = xcalloc(s->n_regions + 1, sizeof(size_t));
	for (r = 0; r < w->n_regions; r++) {
		const struct sim_region *rg = &w->regions[r];
		s->lbs_in_region[r] = rg->n_lbs;
		for (i = 0; i < rg->n_lbs; i++)
			s->lb_region[l++] = (int)r;
		for (i = 0; i < rg->n_tgs; i++)
			s->tg_region[g++] = (int)r;
		for (i = 0; i < rg->n_asgs; i++) {
			s->asg_tg[a] = -1;
			for (size_t k = 0; rg->asgs[i].tg[0] && k < rg->n_tgs; k++)
				if (strcmp(rg->tgs[k].name, rg->asgs[i].tg) == 0)
					s->asg_tg[a] = traffic_tg_index(w, &rg->tgs[k]);
			s->asg_region[a++] = (int)r;
		}
		for (i = 0; i < rg->n_dbs; i++)
			s->db_region[d++] = (int)r;
	}
	s->n_vals = off_glob(s) + G_N;
}

/* Does w still have the shape s? */
static bool shape_same(const struct shape *s, const struct sim_world *w)
{
	size_t nl = 0, ng = 0, na = 0, nd = 0;

	if (s->n_regions != w->n_regions)
		return false;
	for (size_t r = 0; r < w->n_regions; r++) {
		nl += w->regions[r].n_lbs;
		ng += w->regions[r].n_tgs;
		na += w->regions[r].n_asgs;
		nd += w->regions[r].n_dbs;
	}
	return nl == s->n_lbs && ng == s->n_tgs && na == s->n_asgs && nd == s->n_dbs;
}

/* The share of its load balancer's traffic that tg gets (default rule weights),
 * and that load balancer's global index (the region's first when none). */
static void tg_forwarding(const struct sim_world *w, int region, const struct sim_target_group *tg,
			  double *share, long *lb_index)
{
	const struct sim_region *rg = &w->regions[region];

	*share = 0;
	*lb_index = rg->n_lbs ? traffic_lb_index(w, &rg->lbs[0]) : -1;
	for (size_t i = 0; i < rg->n_lbs; i++) {
		for (size_t j = 0; j < rg->lbs[i].n_listeners; j++) {
			const struct sim_listener *ls = &rg->lbs[i].listeners[j];
			const struct sim_rule *rule;
			double total = 0, mine = 0;
			bool found = false;
			if (ls->n_rules == 0)
				continue;
			rule = &ls->rules[0];
			for (size_t k = 0; k < rule->n_fwd; k++) {
				total += rule->fwd[k].weight;
				if (strcmp(rule->fwd[k].tg_arn, tg->arn) == 0) {
					mine += rule->fwd[k].weight;
					found = true;
				}
			}
			if (!found)
				continue;
			*lb_index = traffic_lb_index(w, &rg->lbs[i]);
			/* a single forward target with weight 0 still gets everything */
			*share = total > 0 ? mine / total : (rule->n_fwd == 1 ? 1.0 : 0.0);
			return;
		}
	}
}

/* Counts of tg's targets that are healthy and not healthy (initial, unhealthy, draining). */
static void tg_counts(const struct sim_target_group *tg, int *healthy, int *unhealthy)
{
	*healthy = *unhealthy = 0;
	for (size_t i = 0; i < tg->n_targets; i++) {
		if (tg->targets[i].state == SIM_TH_HEALTHY)
			(*healthy)++;
		else if (tg->targets[i].state != SIM_TH_UNUSED)
			(*unhealthy)++;
	}
}

/* Fill v with the state of w. */
static void capture(const struct shape *s, const struct sim_world *w, const double *region_share,
		    float *v)
{
	size_t r, i, g = 0, a = 0, d = 0;

	for (r = 0; r < w->n_regions; r++) {
		const struct sim_region *rg = &w->regions[r];
		v[r * R_N + R_UP] = rg->up ? 1.0f : 0.0f;
		v[r * R_N + R_SHARE] = region_share ? (float)region_share[r] : (rg->primary ? 1.0f : 0.0f);
		v[r * R_N + R_REDIS_PRIMARY] = (float)rg->redis.primary;
		v[r * R_N + R_REDIS_REPLACING] = rg->redis.replaced_until_s > w->now_s ? (float)rg->redis.replaced : -1.0f;
		v[r * R_N + R_REDIS_LOSSES] = (float)rg->redis.losses;
		for (i = 0; i < rg->n_tgs; i++, g++) {
			float *x = v + off_tg(s, g);
			int h, u;
			double share;
			long lb;
			tg_counts(&rg->tgs[i], &h, &u);
			tg_forwarding(w, (int)r, &rg->tgs[i], &share, &lb);
			x[T_LB_SHARE] = (float)share;
			x[T_HEALTHY] = (float)h;
			x[T_UNHEALTHY] = (float)u;
			x[T_ERR] = (float)asg_lt_tg_error_rate(w, &rg->tgs[i]);
			x[T_LB] = (float)lb;
			x[T_SLOW] = (float)rg->tgs[i].slow_s;
		}
		for (i = 0; i < rg->n_asgs; i++, a++) {
			float *x = v + off_asg(s, a);
			int in = 0;
			for (size_t k = 0; k < rg->asgs[i].n_instances; k++)
				in += rg->asgs[i].instances[k].lifecycle == SIM_LC_INSERVICE;
			x[A_INSERVICE] = (float)in;
			x[A_DESIRED] = (float)rg->asgs[i].desired;
		}
		for (i = 0; i < rg->n_dbs; i++, d++) {
			float *x = v + off_db(s, d);
			x[D_ROLE] = (float)rg->dbs[i].role;
			x[D_LAG] = (float)rg->dbs[i].replica_lag_s;
		}
	}
	v[off_glob(s) + G_CDN_ERR] = (float)w->cdn_error_rate;
}

void traffic_observe(struct traffic *t, const struct sim_world *w, double now_s,
		     const double *region_share)
{
	float *v;

	if (!t->shape.lb_region || !shape_same(&t->shape, w)) {
		log_clear(t);
		shape_clean_up(&t->shape);
		shape_build(&t->shape, w);
	}
	v = xmalloc((t->shape.n_vals + 1) * sizeof(*v));
	capture(&t->shape, w, region_share, v);
	if (t->n_log && (memcmp(t->log[t->n_log - 1].v, v, t->shape.n_vals * sizeof(*v)) == 0 ||
			 now_s < t->log[t->n_log - 1].t_s)) {
		free(v);
		return;
	}
	if (t->n_log && now_s == t->log[t->n_log - 1].t_s) {
		free(t->log[t->n_log - 1].v);
		t->log[t->n_log - 1].v = v;
		return;
	}
	if (t->n_log == TRAFFIC_LOG_MAX) {
		free(t->log[0].v);
		memmove(t->log, t->log + 1, (t->n_log - 1) * sizeof(*t->log));
		t->n_log--;
	}
	if (t->n_log == t->cap_log) {
		t->cap_log = t->cap_log ? t->cap_log * 2 : 16;
		t->log = xrealloc(t->log, t->cap_log * sizeof(*t->log));
	}
	t->log[t->n_log].t_s = now_s;
	t->log[t->n_log].v = v;
	t->n_log++;
}

/* The snapshot in effect at time t_s (the first one for earlier times). */
static const float *state_at(const struct traffic *t, double t_s)
{
	size_t lo = 0, hi = t->n_log;

	if (!t->n_log)
		return NULL;
	while (lo < hi) {   /* first snapshot later than t_s */
		size_t mid = (lo + hi) / 2;
		if (t->log[mid].t_s <= t_s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return t->log[lo ? lo - 1 : 0].v;
}

/* When field idx of the snapshots took the value it has at t_s: the time of the
 * first snapshot of that streak (-1 without snapshots). */
static double value_since(const struct traffic *t, size_t idx, double t_s)
{
	size_t lo = 0, hi = t->n_log, i;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t->log[mid].t_s <= t_s)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!t->n_log)
		return -1;
	i = lo ? lo - 1 : 0;
	while (i > 0 && t->log[i - 1].v[idx] == t->log[i].v[idx])
		i--;
	return t->log[i].t_s;
}

/* When region r went down, if it is down at t_s; -1 when r is up at t_s. */
static double down_since(const struct traffic *t, size_t r, double t_s)
{
	const float *st = state_at(t, t_s);

	if (!st || st[r * R_N + R_UP] != 0)
		return -1;
	return value_since(t, r * R_N + R_UP, t_s);
}

/* The share (0..1) of region r's requests during sample k whose session was lost
 * in its Redis store: everyone whose session the store held when it was lost, as
 * they come back (mean SESSION_RETURN_S later); *since_s: how long ago (-1 never). */
static double sessions_lost(const struct traffic *t, const float *st, size_t r, int64_t k, double *since_s)
{
	double at, dt;

	*since_s = -1;
	if (st[r * R_N + R_REDIS_LOSSES] <= 0)
		return 0;
	at = value_since(t, r * R_N + R_REDIS_LOSSES, (double)k * TRAFFIC_SAMPLE_S);
	dt = (double)(k + 1) * TRAFFIC_SAMPLE_S - at;
	if (at < 0 || dt <= 0)
		return 0;
	*since_s = dt;
	dt -= TRAFFIC_SAMPLE_S / 2.0;   /* the middle of the sample */
	/* nine requests in ten come from users who had a session */
	return dt > 8 * SESSION_RETURN_S ? 0 : 0.9 * exp(-(dt > 0 ? dt : 0) / SESSION_RETURN_S);
}

/* The multiplier of a spike during sample k (1 outside spikes): in each
 * 10-minute window, with probability 0.1, a 3-minute burst of 1.5x to 3x. */
static double spike(uint64_t seed, int64_t k)
{
	int64_t win = k / 60, at;

	if (traffic_hash(seed, H_SPIKE, (uint64_t)win, 0) >= 0.1)
		return 1.0;
	at = (int64_t)(traffic_hash(seed, H_SPIKE_AT, (uint64_t)win, 0) * 42);
	if (k % 60 < at || k % 60 >= at + 18)
		return 1.0;
	return 1.5 + 1.5 * traffic_hash(seed, H_SPIKE_SIZE, (uint64_t)win, 0);
}

double traffic_client_rate(const struct traffic *t, int64_t k)
{
	double secs = (double)k * TRAFFIC_SAMPLE_S;
	double hour_kst = fmod(secs + 9 * 3600.0, 86400.0) / 3600.0;
	double daily = 1.0 + 0.45 * sin(2 * M_PI * (hour_kst - 8.0) / 24.0);
	double noise = 1.0 + 0.16 * (traffic_hash(t->seed, H_NOISE, (uint64_t)k, 0) - 0.5);

	return BASE_RATE * daily * noise * spike(t->seed, k);
}

/* CloudFront's cache hit rate (percent) during sample k. */
static double hit_rate(const struct traffic *t, int64_t k)
{
	return 82.0 + 6.0 * (traffic_hash(t->seed, H_HIT, (uint64_t)k, 0) - 0.5);
}

/* x rounded to a whole count, up or down by a seeded coin (keyed by a, b). */
static double count_round(const struct traffic *t, double x, uint64_t a, uint64_t b, int64_t k)
{
	double f = floor(x);

	return f + (traffic_hash(t->seed, H_ROUND + a * 131, b, (uint64_t)k) < x - f ? 1.0 : 0.0);
}

/* Requests (per sample) that reach the load balancers of region r: client
 * traffic past CloudFront's cache, by DNS share, plus health checkers. */
static double region_requests(const struct traffic *t, const float *st, size_t r, int64_t k)
{
	double origin = traffic_client_rate(t, k) * (1.0 - hit_rate(t, k) / 100.0);

	return (origin * st[r * R_N + R_SHARE] + CHECKER_RATE) * TRAFFIC_SAMPLE_S;
}

/* Per-sample figures of target group g. */
struct tg_figures {
	double requests, target5xx, elb5xx, lat_mu;
};

/* Compute what target group g sees during sample k. */
static void tg_compute(const struct traffic *t, const float *st, size_t g, int64_t k,
		       struct tg_figures *f)
{
	const struct shape *s = &t->shape;
	const float *x = st + off_tg(s, g);
	size_t r = (size_t)s->tg_region[g];
	double lb_req = region_requests(t, st, r, k) / (double)(s->lbs_in_region[r] ? s->lbs_in_region[r] : 1);
	double req = count_round(t, lb_req * x[T_LB_SHARE], 1, g, k);
	double util, err;

	memset(f, 0, sizeof(*f));
	if (st[r * R_N + R_UP] == 0 || x[T_HEALTHY] == 0) {
		f->elb5xx = req;    /* nobody to answer: 502/503 from the load balancer */
		f->requests = req;
		return;
	}
	f->requests = req;
	err = x[T_ERR];
	f->target5xx = count_round(t, req * err, 2, g, k);
	util = req / TRAFFIC_SAMPLE_S / (x[T_HEALTHY] * CAPACITY_PER_HOST);
	f->lat_mu = log(BASE_LATENCY_S * (1.0 + 1.5 * util * util) *
			(1.0 + 0.1 * (traffic_hash(t->seed, H_LAT, g, (uint64_t)k) - 0.5)) + x[T_SLOW]);
}

/* Set out to a plain datapoint. */
static void point(struct traffic_point *out, double v)
{
	out->present = true;
	out->value = v;
	out->count = 1;
}

/* Load-balancer metrics: sums over its target groups. */
static void lb_sample(const struct traffic *t, const float *st, enum traffic_metric m, size_t e,
		      int64_t k, struct traffic_point *out)
{
	const struct shape *s = &t->shape;
	double req = 0, t5 = 0, e5 = 0, wmu = 0, nmu = 0;
	bool any = false;
	size_t r = (size_t)s->lb_region[e];

	for (size_t g = 0; g < s->n_tgs; g++) {
		struct tg_figures f;
		if ((long)st[off_tg(s, g) + T_LB] != (long)e || st[off_tg(s, g) + T_LB_SHARE] == 0)
			continue;
		any = true;
		tg_compute(t, st, g, k, &f);
		req += f.requests;
		t5 += f.target5xx;
		e5 += f.elb5xx;
		if (f.requests > f.elb5xx) {
			wmu += f.lat_mu * (f.requests - f.elb5xx);
			nmu += f.requests - f.elb5xx;
		}
	}
	if (!any) {   /* nothing behind the listener: the load balancer answers 503 */
		req = count_round(t, region_requests(t, st, r, k), 3, e, k);
		e5 = req;
	}
	switch (m) {
	case TM_LB_REQUESTS: point(out, req); break;
	case TM_LB_ELB5XX: point(out, e5); break;
	case TM_LB_TARGET5XX: point(out, t5); break;
	default:
		if (nmu > 0) {
			out->present = out->latency = true;
			out->count = nmu;
			out->lat_mu = wmu / nmu;
			out->value = exp(out->lat_mu + TRAFFIC_LAT_SIGMA * TRAFFIC_LAT_SIGMA / 2);
		}
		break;
	}
}

/* Sum over every load balancer of region r of what its target groups serve. */
static double region_served(const struct traffic *t, const float *st, size_t r, int64_t k)
{
	double served = 0;

	for (size_t g = 0; g < t->shape.n_tgs; g++) {
		struct tg_figures f;
		if ((size_t)t->shape.tg_region[g] != r)
			continue;
		tg_compute(t, st, g, k, &f);
		served += f.requests - f.elb5xx;
	}
	return served;
}

/* In-service instances of region r. */
static double region_instances(const struct traffic *t, const float *st, size_t r)
{
	double n = 0;

	for (size_t a = 0; a < t->shape.n_asgs; a++)
		if ((size_t)t->shape.asg_region[a] == r)
			n += st[off_asg(&t->shape, a) + A_INSERVICE];
	return n;
}

/* AWS/ElastiCache of node e % 2 of region e / 2 (traffic.h); no datapoint while the
 * region is down or the node is being replaced. The application keeps one session per
 * user (a GET and a SET a request) on the primary; the replica applies its writes. */
static void cache_sample(const struct traffic *t, const float *st, enum traffic_metric m, size_t e,
			 int64_t k, struct traffic_point *out)
{
	size_t r = e / 2;
	int node = (int)(e % 2);
	bool primary;
	double rps, u, lost, since, full;

	if (r >= t->shape.n_regions || st[r * R_N + R_UP] == 0 || (int)st[r * R_N + R_REDIS_REPLACING] == node)
		return;
	primary = (int)st[r * R_N + R_REDIS_PRIMARY] == node;
	rps = region_served(t, st, r, k) / TRAFFIC_SAMPLE_S;
	u = traffic_hash(t->seed, H_CONN + 13 + (uint64_t)m, e, (uint64_t)k);
	lost = sessions_lost(t, st, r, k, &since);
	switch (m) {
	case TM_CACHE_CONNECTIONS:   /* the instances' pools; ElastiCache's own 2 to 4 */
		point(out, (primary ? 12 * region_instances(t, st, r) : 0) + 2 + floor(3 * u));
		break;
	case TM_CACHE_EVICTIONS:     /* the sessions stay far below maxmemory */
		point(out, 0);
		break;
	case TM_CACHE_REPLICATION_LAG:   /* replicas only */
		if (!primary)
			point(out, (0.002 + 0.00004 * rps) * (1.0 + 0.5 * u));
		break;
	case TM_CACHE_ENGINE_CPU:
		point(out, (primary ? 1.2 + 0.03 * rps : 0.8 + 0.01 * rps) * (1.0 + 0.1 * (u - 0.5)));
		break;
	case TM_CACHE_MEMORY:        /* a session lives SESSION_TTL_S: memory follows the load */
		full = 6.0 + 0.12 * rps;
		if (since >= 0 && since < SESSION_TTL_S)   /* emptied, refilling */
			full = 1.5 + (full - 1.5) * since / SESSION_TTL_S;
		point(out, full * (1.0 + 0.02 * (u - 0.5)));
		break;
	default:                     /* CacheHitRate: lookups are the primary's; new visitors miss */
		if (primary)
			point(out, (96.0 + 2.0 * (u - 0.5)) * (1.0 - lost));
		break;
	}
}

void traffic_sample(const struct traffic *t, enum traffic_metric m, size_t e, int64_t k,
		    struct traffic_point *out)
{
	const struct shape *s = &t->shape;
	const float *st = state_at(t, (double)k * TRAFFIC_SAMPLE_S);
	struct tg_figures f;

	memset(out, 0, sizeof(*out));
	if (!st)
		return;
	switch (m) {
	case TM_LB_REQUESTS: case TM_LB_ELB5XX: case TM_LB_TARGET5XX: case TM_LB_LATENCY:
		if (e < s->n_lbs)
			lb_sample(t, st, m, e, k, out);
		break;
	case TM_TG_REQUESTS: case TM_TG_TARGET5XX: case TM_TG_LATENCY:
		if (e >= s->n_tgs)
			break;
		tg_compute(t, st, e, k, &f);
		if (m == TM_TG_REQUESTS)
			point(out, f.requests);
		else if (m == TM_TG_TARGET5XX)
			point(out, f.target5xx);
		else if (f.requests > f.elb5xx) {
			out->present = out->latency = true;
			out->count = f.requests - f.elb5xx;
			out->lat_mu = f.lat_mu;
			out->value = exp(f.lat_mu + TRAFFIC_LAT_SIGMA * TRAFFIC_LAT_SIGMA / 2);
		}
		break;
	case TM_TG_HEALTHY: case TM_TG_UNHEALTHY:
		if (e < s->n_tgs)
			point(out, st[off_tg(s, e) + (m == TM_TG_HEALTHY ? T_HEALTHY : T_UNHEALTHY)]);
		break;
	case TM_ASG_INSERVICE: case TM_ASG_DESIRED:
		if (e < s->n_asgs)
			point(out, st[off_asg(s, e) + (m == TM_ASG_INSERVICE ? A_INSERVICE : A_DESIRED)]);
		break;
	case TM_ASG_CPU: {
		/* idle instances sit near 6 %; served requests add up to 60 % at capacity */
		double in, cpu = 6.0, u;
		if (e >= s->n_asgs || (in = st[off_asg(s, e) + A_INSERVICE]) <= 0 ||
		    st[(size_t)s->asg_region[e] * R_N + R_UP] == 0)
			break;
		if (s->asg_tg[e] >= 0) {
			tg_compute(t, st, (size_t)s->asg_tg[e], k, &f);
			cpu += 60.0 * (f.requests - f.elb5xx) / TRAFFIC_SAMPLE_S / (in * CAPACITY_PER_HOST);
		}
		u = traffic_hash(t->seed, H_CONN + 7, e, (uint64_t)k);
		point(out, fmin(100.0, cpu * (1.0 + 0.1 * (u - 0.5))));
		break;
	}
	case TM_DB_READLATENCY: case TM_DB_REPLICALAG: {
		size_t r;
		int role;
		double load, u;
		if (e >= s->n_dbs)
			break;
		r = (size_t)s->db_region[e];
		role = (int)st[off_db(s, e) + D_ROLE];
		if (st[r * R_N + R_UP] == 0)
			break;
		u = traffic_hash(t->seed, m == TM_DB_READLATENCY ? H_DB : H_LAG, e, (uint64_t)k);
		if (m == TM_DB_REPLICALAG) {
			double lag = st[off_db(s, e) + D_LAG] + 0.2 + 0.6 * u;
			if (role != SIM_DB_REPLICA)
				break;
			if (st[off_db(s, e) + D_LAG] < 0) {   /* replication stopped: RDS says -1 */
				point(out, -1);
				break;
			}
			/* the source is unreachable: the replica falls behind by the outage */
			for (size_t d = 0; d < s->n_dbs; d++) {
				double since;
				if ((int)st[off_db(s, d) + D_ROLE] != SIM_DB_PRIMARY)
					continue;
				/* writes follow the source's load: 0.5 s more per 100 requests/s */
				lag += 0.5 * region_served(t, st, (size_t)s->db_region[d], k) / TRAFFIC_SAMPLE_S / 100.0;
				since = down_since(t, (size_t)s->db_region[d], (double)k * TRAFFIC_SAMPLE_S);
				if (since >= 0 && (double)(k + 1) * TRAFFIC_SAMPLE_S > since)
					lag += (double)(k + 1) * TRAFFIC_SAMPLE_S - since;
				break;
			}
			point(out, floor(lag * 1000) / 1000);
			break;
		}
		load = region_served(t, st, r, k) / TRAFFIC_SAMPLE_S / 100.0;
		/* a replica answers reads ~40% faster than the loaded primary */
		point(out, (role == SIM_DB_REPLICA ? 0.0036 : 0.0060) * (1.0 + 0.3 * load) *
			   (1.0 + 0.1 * (u - 0.5)));
		break;
	}
	case TM_CACHE_CONNECTIONS: case TM_CACHE_EVICTIONS: case TM_CACHE_REPLICATION_LAG: case TM_CACHE_ENGINE_CPU:
	case TM_CACHE_MEMORY: case TM_CACHE_HITRATE:
		cache_sample(t, st, m, e, k, out);
		break;
	case TM_CF_REQUESTS:
		point(out, count_round(t, traffic_client_rate(t, k) * TRAFFIC_SAMPLE_S, 4, 0, k));
		break;
	case TM_CF_HITRATE:
		point(out, hit_rate(t, k));
		break;
	case TM_CF_4XX:   /* bots and stale links */
		point(out, 0.6 + 0.4 * traffic_hash(t->seed, H_HIT + 11, (uint64_t)k, 0));
		break;
	case TM_CF_5XX: {
		/* origin failover hides a failing region's 5xx from viewers; CloudFront's own
		 * errors (cloudfront-5xx) do not */
		double base = 0.02 + 0.05 * traffic_hash(t->seed, H_HIT + 12, (uint64_t)k, 0);
		double err = st[off_glob(s) + G_CDN_ERR];
		point(out, 100.0 * err + base * (1.0 - err));
		break;
	}
	case TM_SESSION_LOSS: {
		/* requests DNS moved to another region since the last sample lose their
		 * session (Redis is per region); a blue-green cutover moves none */
		const float *prev = state_at(t, (double)(k - 1) * TRAFFIC_SAMPLE_S);
		double moved = 0, since;
		for (size_t r = 0; r < s->n_regions; r++) {
			double d = st[r * R_N + R_SHARE] - prev[r * R_N + R_SHARE];
			if (d > 0)
				moved += d;
			/* and those whose region's Redis lost its sessions, as they come back */
			moved += st[r * R_N + R_SHARE] * sessions_lost(t, st, r, k, &since);
		}
		point(out, 100.0 * fmin(1.0, moved));
		break;
	}
	case TM_COUNT:
		break;
	}
}
