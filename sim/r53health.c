/* r53health.c — Route 53 health checks as Route 53 evaluates them (see world.h):
 *
 * - an endpoint check is observed by SIM_CHECKERS health checkers, each every
 *   RequestInterval (staggered: checkers do not coordinate); each changes its view
 *   of the endpoint after FailureThreshold consecutive results, and the check is
 *   healthy when more than 18% of the checkers see the endpoint healthy;
 * - a CALCULATED check is healthy when at least HealthThreshold children are;
 * - a RECOVERY_CONTROL check is healthy while its routing control is On;
 * - a disabled check is healthy; Inverted turns the result over, last.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html
 */
#include "sim/world.h"
#include "sim/elbv2_match.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ROUNDS_MAX 16       /* observations per checker and tick before skipping ahead */
#define DEPTH_MAX 4         /* CALCULATED children are never CALCULATED: one level suffices */

/* AWS's health checker regions (HealthCheckRegion) and an address in each. */
const char *const r53health_checker_regions[SIM_CHECKERS] = {
	"us-east-1", "us-west-1", "us-west-2", "eu-west-1",
	"ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1",
};
const char *const r53health_checker_ips[SIM_CHECKERS] = {
	"15.177.2.17", "15.177.10.29", "15.177.14.8", "15.177.50.73",
	"15.177.34.5", "15.177.38.61", "15.177.42.211", "15.177.58.9",
};

/* A deterministic number in [0, 1) from the seed and three keys. */
static double mix(uint64_t seed, uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t z = seed ^ (a * 0x9e3779b97f4a7c15ULL) ^ (b * 0xc2b2ae3d27d4eb4fULL) ^ (c * 0x165667b19e3779f9ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

/* The check's index in the world (for the noise of its observations). */
static size_t check_index(const struct sim_world *w, const struct sim_health_check *c)
{
	return (size_t)(c - w->checks);
}

/* The rule of region r's listener a checker's GET ResourcePath takes (Host: the
 * check's domain name, when it has one). */
static const struct sim_rule *checked_rule(const struct sim_region *r, const struct sim_health_check *c)
{
	char name[] = "Host", fqdn[sizeof(c->fqdn)];
	struct sim_kv host = { .name = name, .value = fqdn };
	struct sim_req req = { .method = "GET", .headers = &host, .n_headers = c->fqdn[0] ? 1 : 0 };

	snprintf(fqdn, sizeof(fqdn), "%s", c->fqdn);
	return elbv2_match_rule(&r->lbs[0].listeners[0], &req, c->path[0] ? c->path : "/");
}

/* What checker k of endpoint check c sees at at_s: the region down times out;
 * else the listener's rule for GET ResourcePath (Host: the check's domain name)
 * answers: a redirect is healthy, a fixed response by its status, a forward goes to
 * a target group by the rule's weights, and a group without a healthy target
 * answers 503. */
static enum sim_obs observe(const struct sim_world *w, const struct sim_health_check *c, size_t k, double at_s)
{
	const struct sim_region *r;
	const struct sim_rule *def;
	int total = 0, pick;

	if (c->region < 0 || (size_t)c->region >= w->n_regions)
		return SIM_OBS_OK;
	r = &w->regions[c->region];
	if (!r->up)
		return SIM_OBS_TIMEOUT;
	if (!r->n_lbs || !r->lbs[0].n_listeners)
		return SIM_OBS_503;
	def = checked_rule(r, c);
	if (def->action == SIM_ACTION_REDIRECT)   /* 3xx: healthy for Route 53 */
		return SIM_OBS_OK;
	if (def->action == SIM_ACTION_FIXED_RESPONSE)
		return def->fixed.status[0] == '2' ? SIM_OBS_OK : SIM_OBS_503;
	for (size_t f = 0; f < def->n_fwd; f++)
		total += def->fwd[f].weight > 0 ? def->fwd[f].weight : 0;
	if (total == 0)
		return SIM_OBS_503;
	pick = (int)(mix(w->seed, check_index(w, c), k, (uint64_t)(at_s * 1000)) * total);
	for (size_t f = 0; f < def->n_fwd; f++) {
		struct sim_target_group *tg;
		int h, u;
		if (def->fwd[f].weight <= 0)
			continue;
		if (pick >= def->fwd[f].weight) {
			pick -= def->fwd[f].weight;
			continue;
		}
		tg = sim_world_tg((struct sim_world *)w, c->region, def->fwd[f].tg_arn);
		if (!tg)
			return SIM_OBS_503;
		sim_world_tg_counts(tg, &h, &u);
		return h > 0 ? SIM_OBS_OK : SIM_OBS_503;
	}
	return SIM_OBS_503;
}

void r53health_init(struct sim_world *w, struct sim_health_check *c)
{
	double interval = sim_world_dur(w, c->interval_s > 0 ? c->interval_s : 30);

	for (size_t k = 0; k < SIM_CHECKERS; k++) {
		struct sim_checker *ck = &c->checkers[k];
		double offset = interval * ((double)k + mix(w->seed, check_index(w, c), k, 7)) / SIM_CHECKERS;
		ck->last_s = w->now_s - interval + offset;
		ck->next_s = ck->last_s + interval;
		ck->last = observe(w, c, k, w->now_s);
		ck->endpoint_ok = ck->last == SIM_OBS_OK;
		ck->streak = 0;
	}
	c->healthy = r53health_status(w, c);
	c->changed_s = w->now_s;
}

/* The status of c before Disabled and Inverted. */
static bool raw_status(const struct sim_world *w, const struct sim_health_check *c, int depth);

/* The status of c (Disabled: healthy; Inverted last). */
static bool status_at(const struct sim_world *w, const struct sim_health_check *c, int depth)
{
	bool ok = c->disabled ? true : raw_status(w, c, depth);

	return c->inverted ? !ok : ok;
}

static bool raw_status(const struct sim_world *w, const struct sim_health_check *c, int depth)
{
	size_t healthy = 0;

	switch (c->kind) {
	case SIM_HC_ENDPOINT:
		/* "If more than 18% of health checkers report that an endpoint is healthy,
		 * Route 53 considers it healthy." */
		for (size_t k = 0; k < SIM_CHECKERS; k++)
			healthy += c->checkers[k].endpoint_ok;
		return healthy * 100 > 18 * SIM_CHECKERS;
	case SIM_HC_CALCULATED:
		if (depth >= DEPTH_MAX)
			return false;
		for (size_t i = 0; i < c->n_children; i++)
			for (size_t j = 0; j < w->n_checks; j++)
				if (strcmp(w->checks[j].id, c->children[i]) == 0) {
					healthy += status_at(w, &w->checks[j], depth + 1);
					break;
				}
		/* 0 is always healthy; more than there are children never */
		return (long)healthy >= c->health_threshold;
	case SIM_HC_RECOVERY_CONTROL:
		return c->control >= 0 && (size_t)c->control < w->n_controls && w->controls[c->control].on;
	}
	return false;
}

bool r53health_status(const struct sim_world *w, const struct sim_health_check *c)
{
	return status_at(w, c, 0);
}

/* Record a new status of c dated at_s when it changed. */
static void refresh(struct sim_world *w, struct sim_health_check *c, double at_s)
{
	bool now = r53health_status(w, c);

	if (now != c->healthy) {
		c->healthy = now;
		c->changed_s = at_s;
	}
}

/* Run the observations of endpoint check c due by now_s, in time order across
 * its checkers, so that a change of status is dated when it happened. */
static void tick_endpoint(struct sim_world *w, struct sim_health_check *c, double now_s)
{
	double interval = sim_world_dur(w, c->interval_s > 0 ? c->interval_s : 30);
	int rounds = 0;

	for (;;) {
		struct sim_checker *ck = NULL;
		size_t k, kk = 0;
		bool ok;
		for (k = 0; k < SIM_CHECKERS; k++)
			if (c->checkers[k].next_s <= now_s && (!ck || c->checkers[k].next_s < ck->next_s)) {
				ck = &c->checkers[k];
				kk = k;
			}
		if (!ck || rounds++ >= ROUNDS_MAX * SIM_CHECKERS)
			break;
		if (!c->disabled) {   /* a disabled check sends no request */
			ck->last_s = ck->next_s;
			ck->last = observe(w, c, kk, ck->last_s);
			ok = ck->last == SIM_OBS_OK;
			if (ok != ck->endpoint_ok) {
				if (++ck->streak >= (c->failure_threshold > 0 ? c->failure_threshold : 3)) {
					ck->endpoint_ok = ok;
					ck->streak = 0;
				}
			} else {
				ck->streak = 0;
			}
		}
		ck->next_s += interval;
		refresh(w, c, ck->next_s - interval);
	}
	for (size_t k = 0; k < SIM_CHECKERS; k++)   /* a long gap: skip ahead */
		while (c->checkers[k].next_s <= now_s)
			c->checkers[k].next_s += interval * (1 + (int)((now_s - c->checkers[k].next_s) / interval));
}

void r53health_tick(struct sim_world *w, double now_s)
{
	for (size_t i = 0; i < w->n_checks; i++)
		if (w->checks[i].kind == SIM_HC_ENDPOINT)
			tick_endpoint(w, &w->checks[i], now_s);
	for (size_t i = 0; i < w->n_checks; i++)   /* calculated and routing-control checks follow */
		refresh(w, &w->checks[i], now_s);
}

void r53health_report(const struct sim_world *w, const struct sim_health_check *c, size_t checker,
		      char *out, size_t n, double *checked_s)
{
	const struct sim_checker *ck = &c->checkers[checker < SIM_CHECKERS ? checker : 0];
	static const char *const what[] = {
		[SIM_OBS_OK] = "HTTP Status Code 200, OK",
		[SIM_OBS_TIMEOUT] = "Connection timed out. The endpoint or the internet connection is down, or "
				    "requests are being blocked by your firewall. See "
				    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/"
				    "dns-failover-determining-health-of-endpoints.html",
		[SIM_OBS_503] = "HTTP Status Code 503, Service Unavailable",
	};
	bool ok = ck->last == SIM_OBS_OK;

	(void)w;
	*checked_s = ck->last_s;
	if (c->disabled)
		snprintf(out, n, "%s: %sHealth checking is disabled.", c->inverted ? "Failure" : "Success",
			 c->inverted ? "Inverted health check. " : "");
	else if (c->inverted)
		snprintf(out, n, "%s: Inverted health check. %s: %s", ok ? "Failure" : "Success",
			 ok ? "Success" : "Failure", what[ck->last]);
	else
		snprintf(out, n, "%s: %s", ok ? "Success" : "Failure", what[ck->last]);
}

bool r53health_lb_healthy(const struct sim_world *w, const struct sim_load_balancer *lb)
{
	size_t used = 0;

	if (lb->region < 0 || (size_t)lb->region >= w->n_regions || !w->regions[lb->region].up)
		return false;
	for (size_t l = 0; l < lb->n_listeners; l++)
		for (size_t r = 0; r < lb->listeners[l].n_rules; r++)
			for (size_t f = 0; f < lb->listeners[l].rules[r].n_fwd; f++) {
				struct sim_target_group *tg = sim_world_tg((struct sim_world *)w, lb->region,
									   lb->listeners[l].rules[r].fwd[f].tg_arn);
				int h, u;
				if (!tg)
					continue;
				sim_world_tg_counts(tg, &h, &u);
				if (h == 0)   /* only unhealthy targets, or none registered */
					return false;
				used++;
			}
	return used > 0;
}
