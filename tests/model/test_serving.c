/* test_serving.c — which region DNS serves, and Route 53's failover rules as the model applies them.
 *
 * The rules come from botocore's route53 model (ResourceRecordSet.Failover,
 * AliasTarget.EvaluateTargetHealth, HealthCheckConfig.Disabled / Inverted),
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html and
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html;
 * an alias to an ALB answers with the load balancer's addresses (TestDNSAnswer's
 * RecordDataEntry, https://docs.aws.amazon.com/Route53/latest/APIReference/API_TestDNSAnswer.html),
 * which are the public IPs of the network interfaces ELB describes as "ELB app/NAME/ID"
 * (https://repost.aws/knowledge-center/elb-find-load-balancer-ip).
 */
#include <jansson.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "model/panel.h"
#include "model/serving.h"
#include "tests/tap.h"

#define SEOUL_LB "petclinic-alb-1.ap-northeast-2.elb.amazonaws.com"
#define TOKYO_LB "petclinic-alb-2.ap-northeast-1.elb.amazonaws.com"

/* A two-region model with one ALB per region, its target groups (healthy counts
 * given) and the failover pair seoul (PRIMARY, check hc-seoul) / tokyo (SECONDARY). */
static void build(struct model *m, int seoul_healthy, int tokyo_healthy)
{
	static const char *const names[2] = { SEOUL_LB, TOKYO_LB };
	static const char *const checks_json =
		"{\"HealthChecks\": ["
		" {\"Id\": \"hc-seoul\", \"HealthCheckConfig\": {\"Type\": \"HTTPS\", \"FullyQualifiedDomainName\": \"" SEOUL_LB "\"}},"
		" {\"Id\": \"hc-tokyo\", \"HealthCheckConfig\": {\"Type\": \"HTTPS\", \"FullyQualifiedDomainName\": \"" TOKYO_LB "\"}},"
		" {\"Id\": \"rc-seoul\", \"CallerReference\": \"arc-petclinic-ap-northeast-2\", \"HealthCheckConfig\": {\"Type\": \"RECOVERY_CONTROL\","
		"  \"RoutingControlArn\": \"arn:aws:route53-recovery-control::123456789012:controlpanel/p/routingcontrol/seoul\"}},"
		" {\"Id\": \"rc-tokyo\", \"HealthCheckConfig\": {\"Type\": \"RECOVERY_CONTROL\","
		"  \"RoutingControlArn\": \"arn:aws:route53-recovery-control::123456789012:controlpanel/p/routingcontrol/tokyo\"}}]}";
	static const char *const records_json =
		"{\"ResourceRecordSets\": ["
		" {\"Name\": \"app.example.com.\", \"Type\": \"A\", \"SetIdentifier\": \"seoul\", \"Failover\": \"PRIMARY\","
		"  \"HealthCheckId\": \"hc-seoul\", \"AliasTarget\": {\"HostedZoneId\": \"Z1\", \"DNSName\": \"dualstack." SEOUL_LB ".\","
		"  \"EvaluateTargetHealth\": true}},"
		" {\"Name\": \"app.example.com.\", \"Type\": \"A\", \"SetIdentifier\": \"tokyo\", \"Failover\": \"SECONDARY\","
		"  \"HealthCheckId\": \"hc-tokyo\", \"AliasTarget\": {\"HostedZoneId\": \"Z2\", \"DNSName\": \"dualstack." TOKYO_LB ".\","
		"  \"EvaluateTargetHealth\": true}}]}";
	int healthy[2] = { seoul_healthy, tokyo_healthy };
	struct fd_error err;
	json_t *j;
	size_t r;

	model_init(m, "ap-northeast-2", "ap-northeast-1");
	for (r = 0; r < 2; r++) {
		struct model_region *rg = &m->regions[r];
		char arn[128];
		snprintf(arn, sizeof(arn), "arn:aws:elasticloadbalancing:%s:1:loadbalancer/app/petclinic-alb/%zu", rg->name, r);
		rg->n_lbs = 1;
		rg->lbs = xcalloc(1, sizeof(*rg->lbs));
		rg->lbs[0].name = xstrdup("petclinic-alb");
		rg->lbs[0].arn = xstrdup(arn);
		rg->lbs[0].dns_name = xstrdup(names[r]);
		rg->n_tgs = 1;
		rg->tgs = xcalloc(1, sizeof(*rg->tgs));
		rg->tgs[0].name = xstrdup("petclinic-tg-blue");
		rg->tgs[0].lb_arns = xcalloc(2, sizeof(char *));
		rg->tgs[0].lb_arns[0] = xstrdup(arn);
		rg->tgs[0].n_lb_arns = 1;
		rg->tgs[0].n_targets = 2;
		rg->tgs[0].targets = xcalloc(2, sizeof(*rg->tgs[0].targets));
		rg->tgs[0].healthy = healthy[r];
		rg->tgs[0].unhealthy = 2 - healthy[r];
		rg->status[MODEL_PANEL_LB].fetched_at = 100;
	}
	j = json_loads(checks_json, 0, NULL);
	panel_route53_parse_health_checks(j, 100, &m->route53.checks, &m->route53.n_checks, &err);
	json_decref(j);
	m->route53.n_zones = 1;
	m->route53.zones = xcalloc(1, sizeof(*m->route53.zones));
	m->route53.zones[0].id = xstrdup("Z0");
	j = json_loads(records_json, 0, NULL);
	panel_route53_parse_record_sets(j, 100, &m->route53.zones[0], &err);
	json_decref(j);
}

/* Give a health check checker reports: n of 6 say Success, with status texts. */
static void reports(struct model *m, const char *id, int n_ok, const char *ok_text, const char *bad_text)
{
	json_t *obs = json_array();
	size_t h;
	int k;

	for (k = 0; k < 6; k++)
		json_array_append_new(obs, json_pack("{s:s, s:s, s:{s:s, s:s}}", "Region", "us-east-1", "IPAddress",
						     "15.177.2.1", "StatusReport", "Status", k < n_ok ? ok_text : bad_text,
						     "CheckedTime", "2026-11-24T05:20:00Z"));
	for (h = 0; h < m->route53.n_checks; h++)
		if (strcmp(m->route53.checks[h].id, id) == 0) {
			json_t *res = json_pack("{s:o}", "HealthCheckObservations", obs);
			struct fd_error err;
			ok(panel_route53_parse_health_check_status(res, 100, &m->route53.checks[h], &err) == 0,
			   "reports for %s parse", id);
			json_decref(res);
			return;
		}
	json_decref(obs);
	ok(0, "no check %s", id);
}

/* Routing control states, as their RECOVERY_CONTROL checks report them. */
static void controls(struct model *m, const char *seoul, const char *tokyo)
{
	char a[96], b[96];

	snprintf(a, sizeof(a), "%s: Routing control petclinic-ap-northeast-2 is %s",
		 strcmp(seoul, "On") == 0 ? "Success" : "Failure", seoul);
	snprintf(b, sizeof(b), "%s: Routing control petclinic-ap-northeast-1 is %s",
		 strcmp(tokyo, "On") == 0 ? "Success" : "Failure", tokyo);
	reports(m, "rc-seoul", 6, a, a);
	reports(m, "rc-tokyo", 6, b, b);
}

/* What TestDNSAnswer said. */
static void answer(struct model *m, const char *a1, const char *a2)
{
	json_t *res = json_pack("{s:s, s:s, s:s, s:[s,s], s:s}", "Nameserver", "ns-1.awsdns-01.org", "RecordName",
				"app.example.com", "RecordType", "A", "RecordData", a1, a2, "ResponseCode", "NOERROR");
	struct fd_error err;

	panel_route53_parse_dns_answer(res, 100, &m->route53.dns, &err);
	json_decref(res);
}

/* The load balancers' ENI addresses (what EC2 DescribeNetworkInterfaces gives). */
static void addresses(struct model *m)
{
	static const char *const ips[2][2] = { { "3.34.1.10", "3.34.1.47" }, { "54.65.1.11", "54.65.1.48" } };
	size_t r, k;

	for (r = 0; r < 2; r++) {
		m->regions[r].n_addresses = 2;
		m->regions[r].addresses = xcalloc(2, sizeof(*m->regions[r].addresses));
		for (k = 0; k < 2; k++) {
			m->regions[r].addresses[k].lb_name = xstrdup("petclinic-alb");
			m->regions[r].addresses[k].public_ip = xstrdup(ips[r][k]);
			m->regions[r].addresses[k].private_ip = xstrdup("10.0.1.5");
		}
	}
}

#define OK200 "Success: HTTP Status Code 200, OK"
#define TIMEOUT "Failure: Connection timed out."

int main(void)
{
	struct model m;

	/* The game day: an ARC failover (the Seoul routing control Off), then the
	 * primary recovered (its health check healthy again), no failback yet. DNS answers
	 * with Tokyo's addresses; the primary's health check alone would say Seoul. */
	build(&m, 2, 2);
	reports(&m, "hc-seoul", 6, OK200, TIMEOUT);
	reports(&m, "hc-tokyo", 6, OK200, TIMEOUT);
	controls(&m, "Off", "On");
	answer(&m, "54.65.1.11", "54.65.1.48");
	model_summarize(&m);
	is_str(m.route53.dns.evaluated_region, "ap-northeast-1", "ARC: the failover rules pick Tokyo");
	like(m.route53.dns.evaluation, "PRIMARY seoul unhealthy \\(routing control seoul Off\\)", "and say why");
	is_str(m.route53.dns.region, "ap-northeast-1", "without addresses: Tokyo serves");
	is_int(m.route53.dns.method, MODEL_SERVING_INFERRED, "inferred: only the rules tell");
	is_str(serving_method_name(m.route53.dns.method), "inferred", "the method's name says so");
	ok(m.regions[1].summary.dns_answering && !m.regions[0].summary.dns_answering, "Tokyo answering, Seoul not");
	addresses(&m);
	model_summarize(&m);
	is_str(m.route53.dns.region, "ap-northeast-1", "with the ENI addresses: Tokyo serves");
	is_int(m.route53.dns.method, MODEL_SERVING_ADDRESS, "by address match");
	ok(!m.route53.dns.disagree, "and the rules agree");
	is_int(m.regions[1].summary.sev[MODEL_FIG_DNS], MODEL_SEV_WARN, "DNS on the DR is a warning");
	ok(!m.regions[0].summary.down, "the recovered primary is not down");
	/* failback: the control On again, but DNS (say, cached) still answers Tokyo: the two disagree */
	controls(&m, "On", "On");
	model_summarize(&m);
	is_str(m.route53.dns.evaluated_region, "ap-northeast-2", "control On: the rules pick Seoul");
	is_str(m.route53.dns.region, "ap-northeast-1", "the answer still says Tokyo");
	ok(m.route53.dns.disagree, "the disagreement is reported");
	model_clean_up(&m);

	/* Region outage: Seoul's checkers time out and it has no healthy target. */
	build(&m, 0, 2);
	reports(&m, "hc-seoul", 0, OK200, TIMEOUT);
	reports(&m, "hc-tokyo", 6, OK200, TIMEOUT);
	controls(&m, "On", "On");
	answer(&m, "54.65.1.11", "54.65.1.48");
	addresses(&m);
	model_summarize(&m);
	is_str(m.route53.dns.region, "ap-northeast-1", "outage: Tokyo by address");
	is_str(m.route53.dns.evaluated_region, "ap-northeast-1", "the rules agree");
	ok(m.regions[0].summary.down, "Seoul is down");
	is_str(m.regions[0].summary.down_why, "0/2 healthy hosts", "because no host is healthy");
	is_int(m.regions[0].summary.sev[MODEL_FIG_HOSTS], MODEL_SEV_BAD, "0/2 healthy hosts is bad, not a warning");
	model_clean_up(&m);

	/* More than 18 % of checkers healthy is healthy; 1 of 6 (17 %) is not. */
	build(&m, 2, 2);
	reports(&m, "hc-seoul", 2, OK200, TIMEOUT);
	model_summarize(&m);
	is_int(m.route53.checks[0].state, 1, "2 of 6 checkers (33 %%): healthy");
	reports(&m, "hc-seoul", 1, OK200, TIMEOUT);
	model_summarize(&m);
	is_int(m.route53.checks[0].state, 0, "1 of 6 checkers (17 %%): unhealthy");
	model_clean_up(&m);

	/* Inverted: reports that say "Inverted health check" carry the inverted verdict
	 * already; plain reports are inverted by the model. */
	build(&m, 2, 2);
	m.route53.checks[0].inverted = true;
	reports(&m, "hc-seoul", 6, "Success: Inverted health check. Failure: HTTP Status Code 503, Service Unavailable",
		TIMEOUT);
	model_summarize(&m);
	is_int(m.route53.checks[0].state, 1, "inverted, reported inverted: healthy as reported");
	reports(&m, "hc-seoul", 6, OK200, TIMEOUT);
	model_summarize(&m);
	is_int(m.route53.checks[0].state, 0, "inverted, plain Success reports: unhealthy");
	/* Disabled: "Route 53 considers the status of the health check to always be healthy";
	 * with Inverted it stops routing. */
	m.route53.checks[0].disabled = true;
	m.route53.checks[0].inverted = false;
	reports(&m, "hc-seoul", 0, OK200, TIMEOUT);
	model_summarize(&m);
	is_int(m.route53.checks[0].state, 1, "disabled: healthy whatever the checkers say");
	m.route53.checks[0].inverted = true;
	model_summarize(&m);
	is_int(m.route53.checks[0].state, 0, "disabled and inverted: unhealthy");
	model_clean_up(&m);

	/* "When the secondary resource record set is unhealthy, Route 53 responds ... with the
	 * primary ... regardless of the health of the primary." */
	build(&m, 2, 2);
	reports(&m, "hc-seoul", 0, OK200, TIMEOUT);
	reports(&m, "hc-tokyo", 0, OK200, TIMEOUT);
	controls(&m, "On", "On");
	answer(&m, "3.34.1.10", "3.34.1.47");
	model_summarize(&m);
	is_str(m.route53.dns.evaluated_region, "ap-northeast-2", "both unhealthy: the PRIMARY answers");
	like(m.route53.dns.evaluation, "SECONDARY tokyo unhealthy", "because the SECONDARY is unhealthy");
	model_clean_up(&m);

	/* EvaluateTargetHealth: "every target group that contains targets must contain at
	 * least one healthy target". Seoul's checks are fine but its targets are not. */
	build(&m, 0, 2);
	reports(&m, "hc-seoul", 6, OK200, TIMEOUT);
	reports(&m, "hc-tokyo", 6, OK200, TIMEOUT);
	controls(&m, "On", "On");
	answer(&m, "54.65.1.11", "54.65.1.48");
	model_summarize(&m);
	is_int(m.route53.zones[0].records[0].state, 0, "the alias inherits its ALB's target health");
	like(m.route53.zones[0].records[0].why, "no healthy target", "and says so");
	is_str(m.route53.dns.evaluated_region, "ap-northeast-1", "so the rules pick Tokyo");
	model_clean_up(&m);

	/* A CALCULATED check from its children (HealthThreshold), associated with the record:
	 * its routing control then counts through it, not as an unassociated one. */
	build(&m, 2, 2);
	{
		json_t *j = json_loads("{\"HealthChecks\": [{\"Id\": \"calc\", \"HealthCheckConfig\": {\"Type\": \"CALCULATED\","
				       " \"ChildHealthChecks\": [\"hc-seoul\", \"rc-seoul\"], \"HealthThreshold\": 2}}]}", 0, NULL);
		struct model_health_check *c;
		size_t n;
		struct fd_error err;
		panel_route53_parse_health_checks(j, 100, &c, &n, &err);
		json_decref(j);
		m.route53.checks = xrealloc(m.route53.checks, (m.route53.n_checks + 1) * sizeof(*c));
		m.route53.checks[m.route53.n_checks++] = c[0];
		free(c);
		free(m.route53.zones[0].records[0].health_check_id);
		m.route53.zones[0].records[0].health_check_id = xstrdup("calc");
	}
	reports(&m, "hc-seoul", 6, OK200, TIMEOUT);
	reports(&m, "hc-tokyo", 6, OK200, TIMEOUT);
	controls(&m, "On", "On");
	answer(&m, "3.34.1.10", "3.34.1.47");
	model_summarize(&m);
	is_int(m.route53.checks[4].state, 1, "calculated: 2 of 2 children healthy");
	is_str(m.route53.dns.evaluated_region, "ap-northeast-2", "Seoul");
	controls(&m, "Off", "On");
	model_summarize(&m);
	is_int(m.route53.checks[4].state, 0, "calculated: the routing control child Off");
	is_str(m.route53.dns.evaluated_region, "ap-northeast-1", "Tokyo");
	model_clean_up(&m);

	/* Nothing read about the checks: the model cannot tell and says no region. */
	build(&m, 2, 2);
	answer(&m, "198.51.100.1", "198.51.100.2");
	model_summarize(&m);
	ok(m.route53.dns.region == NULL, "unknown answer, unknown health: no region");
	is_int(m.route53.dns.method, MODEL_SERVING_NONE, "method none");
	like(m.route53.dns.evaluation, "^cannot tell", "the rules cannot tell");
	is_int(m.regions[0].summary.sev[MODEL_FIG_DNS], MODEL_SEV_UNKNOWN, "DNS severity unknown");
	model_clean_up(&m);
	return done_testing();
}
