/* test_r53_calls.c — how many GetHealthCheckStatus calls a Route 53 refresh makes, counted
 * in the simulator's request log: the scale scenario (500 generated checks) and the demo.
 * Route 53 takes 5 API requests a second per account
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-requests):
 * the checks the failover records use are asked every refresh, the others take turns. */
#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "aws/creds.h"
#include "model/collector.h"
#include "model/config.h"
#include "model/model.h"
#include "model/panel_route53.h"
#include "sim/sim.h"
#include "tests/tap.h"

static time_t fake_now = 1795497600;

static time_t fake_clock(void *ctx)
{
	(void)ctx;
	return fake_now;
}

struct rig {
	struct sim *s;
	struct creds_provider *cp;
	struct client *cl;
	struct collector *c;
	struct fd_config cfg;
	struct model m;
	size_t seen;                /* request log entries already counted */
	size_t r53_calls;           /* Route 53 requests of the last refresh, of every operation */
};

static int rig_start(struct rig *r, const char *scenario)
{
	struct sim_options so = { .listen = "127.0.0.1:0", .scenario = scenario };
	struct client_options co = { .region = "ap-northeast-2", .max_attempts = 1 };
	struct fd_error err;
	char url[64];

	memset(r, 0, sizeof(*r));
	r->s = sim_new(&so, &err);
	if (!r->s || sim_start(r->s, &err)) {
		printf("# sim: %s\n", err.message);
		return -1;
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", sim_port(r->s));
	r->cp = creds_static_new(SIM_ACCESS_KEY, SIM_SECRET_KEY, NULL);
	co.endpoint_url = url;
	co.creds = r->cp;
	r->cl = client_new(&co, &err);
	config_defaults(&r->cfg, NULL);
	model_init(&r->m, r->cfg.primary, r->cfg.dr);
	r->c = r->cl ? collector_new(r->cl, &r->cfg, &r->m, &err) : NULL;
	if (!r->c)
		return -1;
	collector_set_clock(r->c, fake_clock, NULL);
	collector_set_measure_file(r->c, "/nonexistent/measurements.jsonl");
	return 0;
}

static void rig_stop(struct rig *r)
{
	collector_destroy(r->c);
	model_clean_up(&r->m);
	config_clean_up(&r->cfg);
	client_destroy(r->cl);
	creds_provider_destroy(r->cp);
	sim_destroy(r->s);
}

/* One refresh of everything; the paths of its GetHealthCheckStatus calls into *paths. */
static size_t refresh(struct rig *r, json_t **paths)
{
	struct pollfd fds[64];
	int n, guard = 0;
	json_t *log, *e;
	size_t i, calls = 0;

	fake_now += 60;
	collector_refresh_now(r->c);
	collector_due(r->c, fake_now);
	while (collector_in_flight(r->c) > 0 && guard++ < 100000) {
		n = collector_poll_fds(r->c, fds, 64);
		poll(fds, (nfds_t)n, 20);
		collector_perform(r->c, fds, n);
	}
	*paths = json_array();
	log = sim_requests_json(r->s);
	r->r53_calls = 0;
	json_array_foreach(log, i, e) {
		static const char *const r53_ops[] = { "ListHealthChecks", "GetHealthCheckStatus", "ListHostedZones",
						       "ListResourceRecordSets", "TestDNSAnswer", NULL };
		const char *op = json_string_value(json_object_get(e, "operation"));
		for (size_t k = 0; i >= r->seen && op && r53_ops[k]; k++)
			r->r53_calls += strcmp(op, r53_ops[k]) == 0;
		if (i < r->seen || strcmp(op, "GetHealthCheckStatus"))
			continue;
		json_array_append(*paths, json_object_get(e, "path"));
		calls++;
	}
	r->seen = json_array_size(log);
	json_decref(log);
	return calls;
}

static bool asked(const json_t *paths, const char *id)
{
	const json_t *p;
	size_t i;

	json_array_foreach(paths, i, p)
		if (strstr(json_string_value(p), id))
			return true;
	return false;
}

static const char *type_of(const struct model_route53 *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->n_checks; i++)
		if (!strcmp(r->checks[i].id, id))
			return r->checks[i].type ? r->checks[i].type : "(no type)";
	return "(not listed)";
}

/* The checks the watched zones' records name (the ones that decide which region serves). */
static size_t used_checks(const struct model_route53 *r, char **ids, size_t max)
{
	size_t z, k, n = 0, o;

	for (z = 0; z < r->n_zones; z++)
		for (k = 0; k < r->zones[z].n_records; k++) {
			const char *id = r->zones[z].records[k].health_check_id;
			for (o = 0; id && o < n && strcmp(ids[o], id); o++)
				;
			if (id && o == n && n < max)
				ids[n++] = strdup(id);  /* the next refresh replaces the model's */
		}
	return n;
}

static size_t plain_checks(const struct model_route53 *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->n_checks; i++)
		n += !(r->checks[i].type && strcmp(r->checks[i].type, "CALCULATED") == 0);
	return n;
}

int main(void)
{
	struct rig r;
	json_t *p1, *p2, *p3;
	char *ids[16];
	size_t c1, c2, c3, n_used, i, unknown = 0, overlap = 0;
	bool fresh = true;

	setenv("HOME", "/nonexistent", 1);
	unsetenv("AWS_PROFILE");

	/* the scale scenario: 500 generated checks besides the demo's */
	if (rig_start(&r, "scale")) {
		ok(0, "scale rig");
		return done_testing();
	}
	c1 = refresh(&r, &p1);
	is_str(r.m.route53_status.error.code, "", "route53 refreshed without error");
	ok(r.m.route53.n_checks >= 500, "all %zu checks listed", r.m.route53.n_checks);
	n_used = used_checks(&r.m.route53, ids, 16);
	ok(n_used >= 2, "the failover records name %zu checks", n_used);
	printf("# GetHealthCheckStatus per refresh: %zu (one per check before: %zu)\n", c1, plain_checks(&r.m.route53));
	ok(c1 <= n_used + PANEL_ROUTE53_SPREAD, "first refresh: %zu calls, the records' %zu checks + %d in turn", c1,
	   n_used, PANEL_ROUTE53_SPREAD);
	ok(c1 * 10 < plain_checks(&r.m.route53), "far fewer than one per check (%zu)", plain_checks(&r.m.route53));
	c2 = refresh(&r, &p2);
	c3 = refresh(&r, &p3);
	is_int((long)c2, (long)c1, "second refresh: as many");
	is_int((long)c3, (long)c1, "third refresh: as many");
	for (i = 0; i < n_used; i++)
		if (!(asked(p1, ids[i]) && asked(p2, ids[i]) && asked(p3, ids[i]))) {
			printf("# %s not asked every refresh (%s)\n", ids[i], type_of(&r.m.route53, ids[i]));
			fresh = false;
		}
	ok(fresh, "the checks that decide which region serves are asked every refresh");
	for (i = 0; i < n_used; i++) {
		size_t h;
		for (h = 0; h < r.m.route53.n_checks; h++)
			if (!strcmp(r.m.route53.checks[h].id, ids[i]))
				fresh = fresh && r.m.route53.checks[h].state >= 0 && r.m.route53.checks[h].n_checkers > 0;
	}
	ok(fresh, "and their state is known");
	{
		const json_t *p;
		json_array_foreach(p2, i, p)
			overlap += asked(p1, json_string_value(p));
	}
	is_int((long)overlap, (long)n_used, "the others take turns: refresh 2 asks other checks than refresh 1");
	for (i = 0; i < r.m.route53.n_checks; i++)
		unknown += r.m.route53.checks[i].state < 0;
	ok(unknown > 0, "a check not asked yet is unknown (%zu), not healthy", unknown);
	ok(r.m.route53.dns.region != NULL, "DNS still answers with a region");
	/* the route53 view names the checks on screen: asked every refresh too */
	{
		char *want[3];
		size_t k = 0, h;
		for (h = r.m.route53.n_checks; h-- > 0 && k < 3;)
			if (r.m.route53.checks[h].state < 0 && strcmp(r.m.route53.checks[h].type, "CALCULATED"))
				want[k++] = strdup(r.m.route53.checks[h].id);
		is_int((long)k, 3, "three checks not read yet");
		panel_route53_set_shown(&r.m.route53, (const char *const *)want, k);
		json_decref(p1);
		json_decref(p2);
		c1 = refresh(&r, &p1);
		c2 = refresh(&r, &p2);
		is_int((long)c1, (long)(n_used + 3 + PANEL_ROUTE53_SPREAD), "shown checks: %zu calls a refresh", c1);
		is_int((long)c2, (long)c1, "and as many the next");
		for (h = 0, fresh = true; h < k; h++)
			fresh = fresh && asked(p1, want[h]) && asked(p2, want[h]);
		ok(fresh, "the shown checks are asked every refresh");
		for (h = 0; h < r.m.route53.n_checks; h++)
			for (i = 0; i < k; i++)
				if (!strcmp(r.m.route53.checks[h].id, want[i]) && r.m.route53.checks[h].state < 0)
					fresh = false;
		ok(fresh, "and their state is known");
		panel_route53_set_shown(&r.m.route53, NULL, 0);
		json_decref(p3);
		c3 = refresh(&r, &p3);
		is_int((long)c3, (long)(n_used + PANEL_ROUTE53_SPREAD), "the view closed: back to %zu", c3);
		for (h = 0; h < k; h++)
			free(want[h]);
	}
	/* a tall route53 view (200x50) shows ~45 checks: Route 53 takes 5 requests a second per
	 * account, so they take turns within the panel's budget (3 a second over its interval)
	 * instead of 45 calls a refresh; each is read within a few refreshes */
	{
		char *want[45];
		size_t k = 0, h, max_calls = 0, rounds = 0, interval = r.cfg.refresh_s > 0 ? (size_t)r.cfg.refresh_s : 10;
		bool all_read = false;
		for (h = r.m.route53.n_checks; h-- > 0 && k < 45;)
			if (strcmp(r.m.route53.checks[h].type, "CALCULATED")) {
				bool used = false;
				for (i = 0; i < n_used; i++)
					used = used || !strcmp(r.m.route53.checks[h].id, ids[i]);
				if (!used)
					want[k++] = strdup(r.m.route53.checks[h].id);
			}
		is_int((long)k, 45, "45 checks to show");
		panel_route53_set_shown(&r.m.route53, (const char *const *)want, k);
		while (!all_read && rounds++ < 12) {
			json_decref(p3);
			refresh(&r, &p3);
			max_calls = r.r53_calls > max_calls ? r.r53_calls : max_calls;
			all_read = true;
			for (h = 0; h < r.m.route53.n_checks; h++)
				for (i = 0; i < k; i++)
					if (!strcmp(r.m.route53.checks[h].id, want[i]) && r.m.route53.checks[h].state < 0)
						all_read = false;
		}
		printf("# 45 shown checks: at most %zu Route 53 requests a refresh every %zu s; all read after %zu refreshes\n",
		       max_calls, interval, rounds);
		ok(max_calls <= PANEL_ROUTE53_RATE * interval, "45 shown checks: at most %zu Route 53 requests a refresh (%d a second over %zu s)",
		   max_calls, PANEL_ROUTE53_RATE, interval);
		ok(all_read && rounds <= 6, "every shown check read within %zu refreshes", rounds);
		panel_route53_set_shown(&r.m.route53, NULL, 0);
		for (h = 0; h < k; h++)
			free(want[h]);
	}
	json_decref(p1);
	json_decref(p2);
	json_decref(p3);
	for (i = 0; i < n_used; i++)
		free(ids[i]);
	rig_stop(&r);

	/* the demo: few checks, every one asked every refresh as before */
	if (rig_start(&r, NULL)) {
		ok(0, "demo rig");
		return done_testing();
	}
	fresh = true;
	c1 = refresh(&r, &p1);
	is_int((long)c1, (long)plain_checks(&r.m.route53), "demo: every check's status asked (%zu)", c1);
	c2 = refresh(&r, &p2);
	is_int((long)c2, (long)c1, "demo: every refresh");
	for (i = 0; i < r.m.route53.n_checks; i++)
		if (r.m.route53.checks[i].state < 0 && strcmp(r.m.route53.checks[i].type, "CALCULATED"))
			fresh = false;
	ok(fresh, "demo: every check's state known");
	json_decref(p1);
	json_decref(p2);
	rig_stop(&r);
	return done_testing();
}
