/* test_parse.c — botocore-shaped fixtures into the model, field by field. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/isotime.h"
#include "base/xalloc.h"
#include "model/panel.h"
#include "tests/tap.h"

/* Load a fixture from tests/model/fixtures. */
static json_t *fixture(const char *name)
{
	char path[1024];
	json_error_t e;
	json_t *j;

	snprintf(path, sizeof(path), "%s/tests/model/fixtures/%s", FD_SRCDIR, name);
	j = json_load_file(path, 0, &e);
	if (!j) {
		printf("# cannot load %s: %s\n", path, e.text);
		exit(1);
	}
	return j;
}

static int near(double a, double b)
{
	return fabs(a - b) < 1e-6;
}

static void test_time(void)
{
	is_int(isotime_seconds("1970-01-01T00:00:00Z"), 0, "epoch");
	is_int(isotime_seconds("2026-11-24T05:10:05.123000+00:00"), 1795497005, "fractions and +00:00");
	is_int(isotime_seconds("2026-11-24T14:10:05+09:00"), 1795497005, "offset +09:00");
	is_int(isotime_seconds("2026-11-24T05:10:05Z"), 1795497005, "Z");
	is_int(isotime_seconds("2024-02-29T00:00:00Z"), 1709164800, "leap day");
	is_int(isotime_seconds("2026-13-01T00:00:00Z"), 0, "month 13 rejected");
	is_int(isotime_seconds("yesterday"), 0, "garbage rejected");
	is_int(isotime_seconds("2026-11-24T05:10:05Zjunk"), 0, "trailing junk rejected");
	{
		json_t *n = json_pack("{s:f}", "T", 1795497005.5);
		is_int(panel_time(n, "T"), 1795497005, "epoch number");
		json_decref(n);
	}
}

static void test_elbv2(void)
{
	struct model_region r;
	struct fd_error err;
	json_t *j;
	struct model_listener *ls;
	size_t nls;

	memset(&r, 0, sizeof(r));
	r.name = (char *)"ap-northeast-2";
	j = fixture("elbv2_describe_load_balancers.json");
	is_int(panel_lb_parse_load_balancers(j, 100, &r.lbs, &r.n_lbs, &err), 0, "DescribeLoadBalancers parses");
	json_decref(j);
	is_int(r.n_lbs, 1, "one LB");
	is_str(r.lbs[0].name, "petclinic-alb", "LB name");
	is_str(r.lbs[0].state, "active", "LB state from State.Code");
	is_str(r.lbs[0].dns_name, "petclinic-alb-1234567890.ap-northeast-2.elb.amazonaws.com", "DNS name");
	ok(isnan(r.lbs[0].requests_per_s), "no metrics yet");
	is_int(r.lbs[0].fetched_at, 100, "fetched_at stamped");

	j = fixture("elbv2_describe_listeners.json");
	is_int(panel_lb_parse_listeners(j, 100, &ls, &nls, &err), 0, "DescribeListeners parses");
	json_decref(j);
	is_int(nls, 2, "two listeners");
	is_int(ls[0].port, 80, "port");
	is_int(ls[0].n_default_actions, 1, "one default action");
	is_str(ls[0].default_actions[0].type, "forward", "forward action");
	is_int(ls[0].default_actions[0].n_forwards, 2, "weighted forward to two groups");
	is_int(ls[0].default_actions[0].forwards[0].weight, 80, "blue weight");
	is_int(ls[0].default_actions[0].forwards[1].weight, 20, "green weight");
	is_str(ls[1].default_actions[0].type, "redirect", "redirect action");
	is_str(ls[1].default_actions[0].detail, "HTTP_301 to HTTPS://#{host}:443/#{path}", "redirect detail");
	is_int(ls[1].default_actions[0].order, 1, "action order");
	r.lbs[0].listeners = ls;
	r.lbs[0].n_listeners = nls;

	j = fixture("elbv2_describe_rules.json");
	is_int(panel_lb_parse_rules(j, &ls[0], &err), 0, "DescribeRules parses");
	json_decref(j);
	is_int(ls[0].n_rules, 2, "default rule left out");
	is_str(ls[0].rules[0].priority, "10", "sorted by priority");
	is_str(ls[0].rules[0].conditions, "path-pattern=/api/*,/v2/*", "path conditions");
	is_str(ls[0].rules[1].conditions, "host-header=green.petclinic.example.com", "host header from HostHeaderConfig");
	is_str(ls[0].rules[1].actions[0].detail, "503 text/plain", "fixed response detail");
	is_int(ls[0].rules[0].actions[0].n_forwards, 1, "plain TargetGroupArn forward");
	is_int(ls[0].rules[0].actions[0].forwards[0].weight, 1, "plain forward weight 1");
	j = fixture("elbv2_describe_rules.json");
	is_int(panel_lb_parse_rules(j, &ls[0], &err), 0, "rules replaced on refresh (no leak under ASan)");
	json_decref(j);

	j = fixture("elbv2_describe_target_groups.json");
	is_int(panel_lb_parse_target_groups(j, 100, &r.tgs, &r.n_tgs, &err), 0, "DescribeTargetGroups parses");
	json_decref(j);
	is_int(r.n_tgs, 2, "two TGs");
	is_str(r.tgs[1].name, "petclinic-tg-green", "TG name");
	is_int(r.tgs[0].n_lb_arns, 1, "blue is attached");
	is_int(r.tgs[1].n_lb_arns, 0, "green is not");
	is_str(r.tgs[0].health_check_path, "/actuator/health", "health check path");

	j = fixture("elbv2_describe_target_health.json");
	is_int(panel_lb_parse_target_health(j, 101, &r.tgs[0], &err), 0, "DescribeTargetHealth parses");
	json_decref(j);
	is_int(r.tgs[0].n_targets, 3, "three targets");
	is_int(r.tgs[0].healthy, 1, "one healthy");
	is_int(r.tgs[0].unhealthy, 1, "one unhealthy");
	is_int(r.tgs[0].other, 1, "one initial");
	is_str(r.tgs[0].targets[1].reason, "Target.ResponseCodeMismatch", "reason");
	is_str(r.tgs[0].targets[1].description, "Health checks failed with these codes: [502]", "description");
	ok(r.tgs[0].targets[0].reason == NULL, "healthy has no reason");
	is_int(r.tgs[0].health_at, 101, "health_at stamped");

	panel_lb_resolve_forwards(&r);
	is_str(ls[0].default_actions[0].forwards[1].tg_name, "petclinic-tg-green", "forward name resolved");
	is_str(ls[0].rules[0].actions[0].forwards[0].tg_name, "petclinic-tg-green", "rule forward name resolved");

	j = json_pack("{s:s}", "LoadBalancers", "oops");
	is_int(panel_lb_parse_load_balancers(j, 1, &r.lbs, &r.n_lbs, &err), -1, "a non-list fails");
	is_str(err.code, "ParseError", "with ParseError");
	is_str(err.message, "DescribeLoadBalancers: unexpected result shape: LoadBalancers is not a list", "and says what");
	is_int(r.n_lbs, 1, "old data kept");
	json_decref(j);
	j = json_pack("{}");
	{
		struct model_lb *none;
		size_t n = 9;
		is_int(panel_lb_parse_load_balancers(j, 1, &none, &n, &err), 0, "missing list is empty");
		is_int(n, 0, "zero LBs");
		panel_lb_lbs_free(none, n);
	}
	json_decref(j);
	panel_lb_lbs_free(r.lbs, r.n_lbs);
	panel_lb_tgs_free(r.tgs, r.n_tgs);
}

/* EC2 DescribeNetworkInterfaces: the interfaces ELB made (description "ELB app/NAME/ID",
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInterfaces.html),
 * decoded by aws-cli from the simulator, with an instance's interface and an internal
 * load balancer's (no public address) added. */
static void test_enis(void)
{
	struct model_lb_address *v;
	struct fd_error err;
	size_t n = 0;
	char *d;
	json_t *j = fixture("ec2_describe_network_interfaces.json");

	is_int(panel_lb_parse_network_interfaces(j, &v, &n, &err), 0, "DescribeNetworkInterfaces parses");
	json_decref(j);
	is_int(n, 3, "the three ELB interfaces; the instance's is skipped");
	is_str(v[0].lb_name, "petclinic-alb", "the load balancer's name from the description");
	is_str(v[0].eni_id, "eni-08264ad17d83ef74d", "interface id");
	is_str(v[0].az, "ap-northeast-2a", "its zone");
	is_str(v[0].public_ip, "3.34.246.10", "public address (Association.PublicIp)");
	is_str(v[0].private_ip, "10.0.1.211", "private address");
	is_str(v[1].public_ip, "3.34.246.47", "the other zone's address");
	is_str(v[2].lb_name, "petclinic-internal", "an internal load balancer's interface");
	ok(v[2].public_ip == NULL, "has no public address");
	panel_lb_addresses_free(v, n);
	j = json_pack("{s:i}", "NetworkInterfaces", 3);
	is_int(panel_lb_parse_network_interfaces(j, &v, &n, &err), -1, "a non-list fails");
	is_str(err.message, "DescribeNetworkInterfaces: unexpected result shape: NetworkInterfaces is not a list", "saying what");
	json_decref(j);
	d = panel_lb_eni_description("arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/petclinic-alb/50dc6c495c0c9188");
	is_str(d, "ELB app/petclinic-alb/50dc6c495c0c9188", "the description ELB gives an ALB's interfaces");
	free(d);
	ok(panel_lb_eni_description("arn:aws:elasticloadbalancing:x:1:targetgroup/tg/1") == NULL, "none for a target group ARN");
}

static void test_asg(void)
{
	struct model_asg *v;
	size_t n;
	struct fd_error err;
	json_t *j;

	j = fixture("autoscaling_describe_auto_scaling_groups.json");
	is_int(panel_asg_parse_groups(j, 5, &v, &n, &err), 0, "DescribeAutoScalingGroups parses");
	json_decref(j);
	is_int(n, 2, "two groups");
	is_int(v[0].min, 2, "min");
	is_int(v[0].desired, 4, "desired");
	is_int(v[0].max, 10, "max");
	is_int(v[0].in_service, 2, "in service");
	is_int(v[0].pending, 1, "Pending:Wait counts as pending");
	is_int(v[0].other, 1, "terminating");
	is_str(v[0].instances[0].launch_template, "petclinic-lt:3", "launch template");
	is_str(v[0].instances[3].launch_template, "petclinic-lc", "launch configuration");
	ok(v[0].instances[1].protected_from_scale_in, "scale-in protection");
	is_int(v[0].n_tg_arns, 1, "TG ARNs");
	is_int(v[1].n_instances, 0, "empty group");

	j = fixture("autoscaling_describe_scaling_activities.json");
	is_int(panel_asg_parse_activities(j, 6, v, n, &err), 0, "DescribeScalingActivities parses");
	json_decref(j);
	is_int(v[0].n_activities, 3, "other groups' activities dropped");
	is_str(v[0].activities[0].id, "aaaa-0001", "newest first");
	ok(v[0].activities[0].scale_in, "termination is scale-in");
	is_int(v[0].activities[0].end, 0, "in progress: no end");
	ok(v[0].activities[1].scale_out, "launch is scale-out");
	is_int(v[0].activities[1].end - v[0].activities[1].start, 42, "scale-out took 42 s");
	is_int(v[0].activities[1].progress, 100, "progress");
	is_int(v[1].n_activities, 0, "green has none");

	j = fixture("autoscaling_describe_policies.json");
	is_int(panel_asg_parse_policies(j, v, n, &err), 0, "DescribePolicies parses");
	json_decref(j);
	is_int(v[0].n_policies, 2, "two policies");
	is_str(v[0].policies[0].summary, "ASGAverageCPUUtilization 50", "target tracking summary");
	is_str(v[0].policies[1].summary, "ASGCPUUtilization 40 ForecastAndScale", "predictive summary");

	v[0].forecasts = xcalloc(1, sizeof(*v[0].forecasts));
	v[0].n_forecasts = 1;
	v[0].forecasts[0].policy = xstrdup("predictive-cpu");
	j = fixture("autoscaling_get_predictive_scaling_forecast.json");
	is_int(panel_asg_parse_forecast(j, 7, &v[0].forecasts[0], &err), 0, "GetPredictiveScalingForecast parses");
	json_decref(j);
	is_int(v[0].forecasts[0].load.n, 3, "three load points");
	ok(near(v[0].forecasts[0].load.values[0], 30.25), "load sorted oldest first");
	ok(near(v[0].forecasts[0].capacity.values[2], 5), "capacity");
	is_str(v[0].forecasts[0].metric, "ASGCPUUtilization", "forecast metric");
	panel_asg_groups_free(v, n);
}

static void test_cloudwatch(void)
{
	struct model_alarm *a;
	struct panel_metrics_result *pm;
	const struct panel_metrics_result *m;
	size_t n;
	struct fd_error err;
	json_t *j;
	time_t at;

	j = fixture("cloudwatch_describe_alarms.json");
	is_int(panel_alarms_parse(j, 9, &a, &n, &err), 0, "DescribeAlarms parses");
	json_decref(j);
	is_int(n, 3, "metric and composite alarms");
	is_str(a[0].name, "petclinic-5xx", "ALARM first");
	is_str(a[1].name, "petclinic-p99-latency", "then by name");
	is_int(a[1].since, isotime_seconds("2026-11-24T04:30:00Z"), "since = state transition");
	is_int(a[0].since, isotime_seconds("2026-11-24T05:15:00Z"), "since = state update when no transition");
	ok(a[2].composite, "composite alarm");
	is_str(a[1].namespace_, "AWS/ApplicationELB", "namespace");

	j = fixture("cloudwatch_describe_alarm_history.json");
	is_int(panel_alarms_parse_history(j, a, n, &err), 0, "DescribeAlarmHistory parses");
	json_decref(j);
	is_int(a[0].n_history, 2, "two events for 5xx");
	is_str(a[0].history[0].new_state, "ALARM", "newest first, new state from HistoryData");
	is_str(a[0].history[0].old_state, "OK", "old state");
	is_str(a[1].history[0].type, "ConfigurationUpdate", "type");
	ok(a[1].history[0].new_state == NULL, "bad HistoryData: no states");
	panel_alarms_free(a, n);

	j = fixture("cloudwatch_get_metric_data.json");
	is_int(panel_metrics_parse(j, &pm, &n, &err), 0, "GetMetricData parses");
	json_decref(j);
	is_int(n, 3, "three results");
	m = panel_metrics_find(pm, n, "req0");
	ok(m && m->series.n == 3, "req0 found with 3 points");
	ok(m && near(m->series.values[0], 4800), "oldest first");
	ok(m && near(series_last(&m->series, &at), 6000), "last value");
	is_int(at, isotime_seconds("2026-11-24T05:02:00Z"), "last timestamp");
	m = panel_metrics_find(pm, n, "e1");
	ok(m && isnan(series_last(&m->series, NULL)), "empty series has no value");
	ok(panel_metrics_find(pm, n, "nope") == NULL, "unknown id");
	panel_metrics_results_free(pm, n);
}

static void test_rds(void)
{
	struct model_db *v;
	size_t n;
	struct fd_error err;
	json_t *j = fixture("rds_describe_db_instances.json");

	is_int(panel_rds_parse(j, 3, &v, &n, &err), 0, "DescribeDBInstances parses");
	json_decref(j);
	is_int(n, 3, "three instances");
	ok(!v[0].is_replica, "primary");
	ok(v[1].is_replica, "replica");
	is_str(v[1].source_id, "petclinic-db", "replica source");
	is_str(v[0].endpoint, "petclinic-db.abc.ap-northeast-2.rds.amazonaws.com", "endpoint");
	ok(v[0].multi_az, "multi-AZ");
	is_int(v[0].n_replicas, 2, "the writer's replicas, one in another region");
	is_int(v[1].n_replicas, 0, "a replica without replicas");
	ok(!v[0].repl_status, "no StatusInfos on the writer");
	is_str(v[1].repl_status, "replicating", "StatusInfos read replication status");
	ok(v[1].repl_normal, "Normal true");
	is_str(v[2].repl_status, "error", "a replica whose replication stopped");
	ok(!v[2].repl_normal, "Normal false");
	is_str(v[2].repl_message, "Error 1062 on the replica: duplicate entry", "its Message");
	is_str(v[2].source_id, "arn:aws:rds:ap-northeast-2:123456789012:db:petclinic-db", "cross-region source ARN");
	ok(isnan(v[2].replica_lag_s), "lag unknown until the metrics panel reads it");
	panel_rds_free(v, n);
	/* StatusInfos of another type fails the parse rather than being read as none */
	j = json_pack("{s:[{s:s, s:s, s:{}}]}", "DBInstances", "DBInstanceIdentifier", "x",
		      "ReadReplicaSourceDBInstanceIdentifier", "y", "StatusInfos");
	is_int(panel_rds_parse(j, 3, &v, &n, &err), -1, "StatusInfos that is not a list is refused");
	ok(strstr(err.message, "StatusInfos is not a list") != NULL, "and named (%s)", err.message);
	json_decref(j);
}

static void test_route53(void)
{
	struct model m;
	struct fd_error err;
	json_t *j;

	model_init(&m, "ap-northeast-2", "ap-northeast-1");
	j = fixture("route53_list_health_checks.json");
	is_int(panel_route53_parse_health_checks(j, 4, &m.route53.checks, &m.route53.n_checks, &err), 0, "ListHealthChecks parses");
	json_decref(j);
	is_int(m.route53.n_checks, 2, "two checks");
	is_str(m.route53.checks[0].target, "petclinic-alb-1234567890.ap-northeast-2.elb.amazonaws.com:443/actuator/health", "target line");
	is_str(m.route53.checks[1].target, "CALCULATED", "calculated check");
	ok(m.route53.checks[1].inverted, "inverted");

	j = fixture("route53_get_health_check_status.json");
	is_int(panel_route53_parse_health_check_status(j, 5, &m.route53.checks[0], &err), 0, "GetHealthCheckStatus parses");
	json_decref(j);
	is_int(m.route53.checks[0].n_checkers, 3, "three checkers");
	is_int(m.route53.checks[0].healthy_checkers, 2, "two report success");
	ok(m.route53.checks[0].healthy, "healthy overall");
	is_str(m.route53.checks[0].checkers[1].region, "eu-west-1", "checker region");
	ok(!m.route53.checks[0].checkers[1].healthy, "failing checker");

	j = fixture("route53_list_hosted_zones.json");
	is_int(panel_route53_parse_hosted_zones(j, 4, &m.route53.zones, &m.route53.n_zones, &err), 0, "ListHostedZones parses");
	json_decref(j);
	is_str(m.route53.zones[0].id, "Z0123456789ABCDEFGHIJ", "/hostedzone/ stripped");
	j = fixture("route53_list_resource_record_sets.json");
	is_int(panel_route53_parse_record_sets(j, 4, &m.route53.zones[0], &err), 0, "ListResourceRecordSets parses");
	json_decref(j);
	is_int(m.route53.zones[0].n_records, 2, "only the failover records");
	is_str(m.route53.zones[0].records[0].failover, "PRIMARY", "primary record");
	ok(m.route53.zones[0].records[0].alias, "alias");
	is_int(m.route53.zones[0].records[0].ttl, -1, "alias has no TTL");
	is_str(m.route53.zones[0].records[1].value, "203.0.113.10, 203.0.113.11", "values joined");
	is_int(m.route53.zones[0].records[1].ttl, 60, "TTL");

	j = fixture("route53_test_dns_answer.json");
	is_int(panel_route53_parse_dns_answer(j, 6, &m.route53.dns, &err), 0, "TestDNSAnswer parses");
	json_decref(j);
	is_str(m.route53.dns.response_code, "NOERROR", "response code");
	is_int(m.route53.dns.n_answers, 1, "one answer");

	/* the primary LB's DNS name ties the PRIMARY record to Seoul */
	m.regions[0].lbs = xcalloc(1, sizeof(*m.regions[0].lbs));
	m.regions[0].n_lbs = 1;
	m.regions[0].lbs[0].dns_name = xstrdup("petclinic-alb-1234567890.ap-northeast-2.elb.amazonaws.com");
	model_summarize(&m);
	is_str(m.route53.zones[0].records[0].region, "ap-northeast-2", "primary record -> Seoul (by LB name)");
	is_str(m.route53.zones[0].records[1].region, "ap-northeast-1", "secondary record -> Tokyo (by role)");
	is_str(m.route53.checks[0].region, "ap-northeast-2", "health check guards Seoul");
	is_str(m.route53.dns.region, "ap-northeast-1", "DNS answers with Tokyo (failed over)");
	is_int(m.route53.dns.method, MODEL_SERVING_RECORD, "the answer is the SECONDARY record's own value");
	ok(!m.route53.dns.disagree && !m.route53.dns.evaluated_region,
	   "the PRIMARY alias evaluates its ALB's targets, never read here: the rules cannot tell, no disagreement");
	ok(m.regions[1].summary.dns_answering && !m.regions[0].summary.dns_answering, "summary marks Tokyo answering");
	model_clean_up(&m);
}

static void test_xray(void)
{
	struct model_xray x;
	struct fd_error err;
	json_t *j;

	memset(&x, 0, sizeof(x));
	j = fixture("xray_get_service_graph.json");
	is_int(panel_xray_parse_graph(j, &x, &err), 0, "GetServiceGraph parses");
	json_decref(j);
	is_int(x.n_nodes, 2, "two nodes");
	is_int(x.n_edges, 1, "one edge");
	ok(near(x.nodes[1].requests_per_s, 10), "6000 over 600 s = 10 req/s");
	ok(near(x.nodes[1].requests, 6000), "and 6000 requests, for its severities");
	ok(near(x.nodes[1].error_pct, 1), "1 %% errors");
	ok(near(x.nodes[1].fault_pct, 40.0 / 60), "fault %%");
	ok(near(x.nodes[1].throttle_pct, 0.1), "throttle %%");
	ok(near(x.nodes[1].avg_ms, 50), "average 50 ms");
	ok(near(x.nodes[1].p99_ms, 100), "p99 from histogram = 100 ms");
	ok(near(x.edges[0].p99_ms, 100), "edge p99 (unsorted histogram)");
	is_int(x.edges[0].from, 0, "edge from client");
	is_int(x.edges[0].to, 1, "to petclinic");
	ok(isnan(x.nodes[0].p99_ms), "client has no histogram");

	j = fixture("xray_get_trace_summaries.json");
	is_int(panel_xray_parse_traces(j, &x, &err), 0, "GetTraceSummaries parses");
	json_decref(j);
	is_int(x.n_traces, 2, "two traces");
	is_str(x.traces[0].id, "1-6742b3ff-000000000000000000000001", "newest first");
	is_int(x.traces[1].at, 0x6742b300, "time from the trace id");
	ok(x.traces[0].has_fault, "fault");
	is_int(x.traces[0].http_status, 502, "HTTP status");
	is_str(x.traces[1].method, "GET", "method");
	panel_xray_clean_up(&x);
}

int main(void)
{
	test_time();
	test_elbv2();
	test_enis();
	test_asg();
	test_cloudwatch();
	test_rds();
	test_route53();
	test_xray();
	return done_testing();
}
