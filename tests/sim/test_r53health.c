/* test_r53health.c — Route 53 health checks and DNS answers as Route 53 evaluates them
 * (sim/r53health.c, sim/r53dns.c), on a small world ticked by hand. Each case names the
 * documented behaviour it checks:
 *   [DET]  https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
 *   [VAL]  https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html
 *   [API]  https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html
 *   [CHO]  https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
 *   [ETH]  https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/fault.h"
#include "sim/route53.h"
#include "sim/world.h"
#include "tests/tap.h"

#define T0 1790000000.0

/* Two regions, each an ALB over one target group; r1 also has an empty group "spare"
 * behind its listener (weight 0). Checks: endpoint checks a1 (r1) and b1 (r2) with
 * FailureThreshold 3, RequestInterval 10 (1 s at time scale 10), their inverted,
 * disabled and calculated variants; records for failover, aliases and target health. */
static const char world_yaml[] =
	"scenario: r53\n"
	"timing: {health_interval_s: 10, healthy_threshold: 2, unhealthy_threshold: 2}\n"
	"regions:\n"
	"  - name: r1\n"
	"    primary: true\n"
	"    target_groups: [{name: web, asg: web-asg}, {name: spare}]\n"
	"    auto_scaling_groups: [{name: web-asg, min: 1, max: 4, desired: 2, target_group: web}]\n"
	"    load_balancers:\n"
	"      - {name: lb1, listeners: [{port: 80, forward: [{target_group: web, weight: 1}, {target_group: spare, weight: 0}]}]}\n"
	"  - name: r2\n"
	"    target_groups: [{name: web, asg: web-asg}]\n"
	"    auto_scaling_groups: [{name: web-asg, min: 1, max: 4, desired: 2, target_group: web}]\n"
	"    load_balancers:\n"
	"      - {name: lb2, listeners: [{port: 80, forward: [{target_group: web, weight: 1}]}]}\n"
	"health_checks:\n"
	"  - {ref: a1, region: r1, request_interval: 10, failure_threshold: 3}\n"
	"  - {ref: b1, region: r2, request_interval: 10, failure_threshold: 3}\n"
	"  - {ref: a1-inverted, region: r1, request_interval: 10, failure_threshold: 3, inverted: true}\n"
	"  - {ref: a1-disabled, region: r1, disabled: true}\n"
	"  - {ref: a1-disabled-inverted, region: r1, disabled: true, inverted: true}\n"
	"  - {ref: both, type: CALCULATED, children: [a1, b1], health_threshold: 2}\n"
	"  - {ref: any, type: CALCULATED, children: [a1, b1], health_threshold: 1}\n"
	"  - {ref: none-needed, type: CALCULATED, children: [a1], health_threshold: 0}\n"
	"  - {ref: too-many, type: CALCULATED, children: [a1, b1], health_threshold: 3}\n"
	"  - {ref: rc1-inverted, type: RECOVERY_CONTROL, routing_control: r1, inverted: true}\n"
	"zones:\n"
	"  - name: example.org\n"
	"    records:\n"
	"      - {name: app.example.org, set_id: p, failover: PRIMARY, value: 10.0.0.1, health_check: a1}\n"
	"      - {name: app.example.org, set_id: s, failover: SECONDARY, value: 10.0.0.2, health_check: b1}\n"
	"      - {name: open.example.org, set_id: p, failover: PRIMARY, value: 10.0.1.1, health_check: a1}\n"
	"      - {name: open.example.org, set_id: s, failover: SECONDARY, value: 10.0.1.2}\n"
	"      - {name: eth.example.org, set_id: p, failover: PRIMARY, alias_region: r1}\n"
	"      - {name: eth.example.org, set_id: s, failover: SECONDARY, alias_region: r2}\n"
	"      - {name: noeth.example.org, set_id: p, failover: PRIMARY, alias_region: r1, evaluate_target_health: false}\n"
	"      - {name: noeth.example.org, set_id: s, failover: SECONDARY, alias_region: r2}\n"
	"      - {name: cell1.example.org, set_id: c, failover: PRIMARY, alias_region: r1, evaluate_target_health: false, health_check: arc-r1}\n"
	"      - {name: chain.example.org, set_id: p, failover: PRIMARY, alias_target: cell1.example.org}\n"
	"      - {name: chain.example.org, set_id: s, failover: SECONDARY, value: 10.0.2.2}\n";

static struct sim_world *world(void)
{
	char name[64];
	struct fd_error err;
	struct sim_world *w;
	FILE *f;
	int fd;

	snprintf(name, sizeof(name), "/tmp/fd-r53-test-XXXXXX");
	fd = mkstemp(name);
	f = fdopen(fd, "w");
	fputs(world_yaml, f);
	fclose(f);
	fd_error_clear(&err);
	w = sim_world_new(name, 3, T0, 10, &err);
	unlink(name);
	if (!w)
		printf("# %s\n", err.message);
	return w;
}

/* The check with a ref's position (refs follow the two routing-control checks). */
static struct sim_health_check *check(struct sim_world *w, size_t ref_index)
{
	return &w->checks[2 + ref_index];
}

/* The first value DNS answers name with (A), "" when none. */
static const char *answer(struct sim_world *w, const char *name)
{
	static char v[32][256];

	return route53_dns_values(w, &w->zones[0], name, "A", v, 32) ? v[0] : "";
}

/* How many of c's checkers see the endpoint healthy. */
static int seeing_healthy(const struct sim_health_check *c)
{
	int n = 0;

	for (size_t k = 0; k < SIM_CHECKERS; k++)
		n += c->checkers[k].endpoint_ok;
	return n;
}

int main(void)
{
	struct sim_world *w = world();
	struct sim_faults f;
	struct fd_error err;
	struct sim_health_check *a1, *b1;
	double t;

	if (!ok(w != NULL, "the test world loads"))
		return done_testing();
	a1 = check(w, 0);
	b1 = check(w, 1);
	sim_fault_init(&f);

	/* [API] RequestInterval and FailureThreshold as given; defaults 30 and 3 */
	ok(a1->interval_s == 10 && a1->failure_threshold == 3, "RequestInterval 10, FailureThreshold 3 as configured");
	ok(check(w, 3)->interval_s == 30 && check(w, 3)->failure_threshold == 3,
	   "[API] defaults: RequestInterval 30, FailureThreshold 3");

	/* [DET] healthy at the start; an inverted check is unhealthy */
	ok(r53health_status(w, a1) && r53health_status(w, b1), "[DET] endpoint checks healthy at the start");
	ok(!r53health_status(w, check(w, 2)), "[VAL] Inverted: a healthy endpoint makes the check unhealthy");
	ok(r53health_status(w, check(w, 3)), "[VAL] Disabled: always healthy");
	ok(!r53health_status(w, check(w, 4)), "[VAL] Disabled and Inverted: unhealthy (Inverted is how to stop traffic)");

	/* [VAL] FailureThreshold: each checker flips after 3 consecutive failures. With a 1 s
	 * interval (10 s at time scale 10), the checkers have seen 2 failures by +2.0 s and all 3
	 * by +3.0 s (each observes once a second, staggered within the second). */
	sim_world_tick(w, T0 + 0.05);
	ok(sim_fault_add(&f, w, "region-outage:r1", &err) == 0, "region r1 goes down");
	sim_world_tick(w, T0 + 2.0);
	ok(seeing_healthy(a1) == SIM_CHECKERS, "[VAL] after 2 failed observations every checker still sees it healthy");
	ok(r53health_status(w, a1), "... and the check is healthy");
	is_str(answer(w, "app.example.org"), "10.0.0.1", "[CHO] so DNS still answers the primary");
	for (t = T0 + 2.0; t < T0 + 3.05; t += 0.05)
		sim_world_tick(w, t);
	is_int(seeing_healthy(a1), 0, "[VAL] after the third every checker sees it unhealthy");
	ok(!r53health_status(w, a1), "... the check is unhealthy");
	ok(r53health_status(w, check(w, 2)), "[VAL] the inverted check of a failing endpoint is healthy");
	is_str(answer(w, "app.example.org"), "10.0.0.2", "[CHO] primary unhealthy, secondary healthy: the secondary");

	/* [DET] more than 18% of the checkers seeing it healthy keeps it healthy */
	a1->checkers[0].endpoint_ok = true;
	ok(!r53health_status(w, a1), "[DET] 1 of 8 checkers (12.5%%) seeing healthy: unhealthy");
	a1->checkers[1].endpoint_ok = true;
	ok(r53health_status(w, a1), "[DET] 2 of 8 checkers (25%%) seeing healthy: healthy");
	a1->checkers[0].endpoint_ok = a1->checkers[1].endpoint_ok = false;

	/* [CHO] failover: both unhealthy answers the primary; a secondary without a health
	 * check is always healthy */
	ok(sim_fault_add(&f, w, "region-outage:r2", &err) == 0, "region r2 goes down too");
	for (t = T0 + 3.05; t < T0 + 6.5; t += 0.05)
		sim_world_tick(w, t);
	ok(!r53health_status(w, b1), "b1 unhealthy");
	is_str(answer(w, "app.example.org"), "10.0.0.1", "[CHO] primary and secondary unhealthy: the primary");
	is_str(answer(w, "open.example.org"), "10.0.1.2", "[CHO] a secondary without a health check answers");

	/* [VAL] calculated checks count healthy children */
	ok(!r53health_status(w, check(w, 5)) && !r53health_status(w, check(w, 6)),
	   "[VAL] CALCULATED 2 of 2 and 1 of 2: unhealthy with no healthy child");
	ok(r53health_status(w, check(w, 7)), "[API] HealthThreshold 0: always healthy");
	sim_fault_clear(&f, w);
	for (t = T0 + 6.5; t < T0 + 12; t += 0.05)
		sim_world_tick(w, t);
	ok(r53health_status(w, a1) && r53health_status(w, b1), "both healthy again after clear");
	ok(r53health_status(w, check(w, 5)) && r53health_status(w, check(w, 6)), "[VAL] CALCULATED healthy again");
	ok(!r53health_status(w, check(w, 8)), "[API] HealthThreshold above the children: always unhealthy");
	check(w, 5)->inverted = true;
	ok(!r53health_status(w, check(w, 5)), "[VAL] an inverted CALCULATED check turns over");
	check(w, 5)->inverted = false;
	a1->disabled = true;
	a1->inverted = true;
	ok(!r53health_status(w, check(w, 5)), "[VAL] a disabled, inverted child counts as unhealthy");
	a1->disabled = a1->inverted = false;

	/* routing controls: a RECOVERY_CONTROL check follows its control; Inverted applies */
	ok(r53health_status(w, &w->checks[0]) && !r53health_status(w, check(w, 9)),
	   "RECOVERY_CONTROL: On is healthy, its inverted check unhealthy");
	{
		char ips[2][16];
		route53_region_ips(w, 0, ips, 2);
		is_str(answer(w, "chain.example.org"), ips[0],
		       "[ETH] an alias to a record of the zone answers with that record's values (lb1's)");
	}
	w->controls[0].on = false;
	ok(!r53health_status(w, &w->checks[0]) && r53health_status(w, check(w, 9)), "routing control Off: unhealthy");
	is_str(answer(w, "chain.example.org"), "10.0.2.2",
	       "[ETH] an alias inherits its target record's health: the cell's control is Off, the secondary answers");
	w->controls[0].on = true;

	/* [ETH] an ALB is healthy for EvaluateTargetHealth only when every target group
	 * behind it has a healthy target; "A target group that has no registered targets is
	 * considered unhealthy" (r1's spare group is empty) */
	ok(!r53health_lb_healthy(w, &w->regions[0].lbs[0]), "[ETH] an empty target group behind lb1: unhealthy");
	ok(r53health_lb_healthy(w, &w->regions[1].lbs[0]), "[ETH] lb2 with a healthy target: healthy");
	{
		char ips[2][16];
		route53_region_ips(w, 1, ips, 2);
		is_str(answer(w, "eth.example.org"), ips[0], "[ETH] EvaluateTargetHealth: the secondary answers");
		route53_region_ips(w, 0, ips, 2);
		is_str(answer(w, "noeth.example.org"), ips[0], "[ETH] without it the primary answers");
	}
	sim_world_destroy(w);
	return done_testing();
}
