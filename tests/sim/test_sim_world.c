/* test_sim_world.c — the simulator's world on a hand-driven clock, scenarios and their
 * errors, faults, requests handled without the network, and sim_spawn. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <signal.h>
#include <unistd.h>

#include <jansson.h>

#include "aws/ops.h"
#include "aws/sigv4.h"
#include "base/isotime.h"
#include "base/strbuf.h"
#include "sim/fault.h"
#include "sim/service.h"
#include "sim/sim.h"
#include "sim/world.h"
#include "tests/tap.h"

#define T0 1790000000.0

/* The target of an instance in a group, or NULL. */
static struct sim_target *target_of(struct sim_target_group *tg, const char *id)
{
	size_t i;

	for (i = 0; i < tg->n_targets; i++)
		if (strcmp(tg->targets[i].id, id) == 0)
			return &tg->targets[i];
	return NULL;
}

/* Write text to a temporary file; returns its name (static buffer). */
static const char *temp_yaml(const char *text)
{
	static char name[64];
	FILE *f;
	int fd;

	snprintf(name, sizeof(name), "/tmp/fd-sim-test-XXXXXX");
	fd = mkstemp(name);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return name;
}

/* The error message of loading a scenario text. */
static const char *scenario_error(const char *text, char *buf, size_t n)
{
	struct fd_error err;
	const char *file = temp_yaml(text);
	struct sim_world *w;

	fd_error_clear(&err);
	w = sim_world_new(file, 1, T0, SIM_TIME_SCALE_DEFAULT, &err);
	sim_world_destroy(w);
	unlink(file);
	if (w)
		return "(loaded)";
	/* strip the temporary name */
	snprintf(buf, n, "%s", strncmp(err.message, file, strlen(file)) == 0 ?
		 err.message + strlen(file) : err.message);
	return buf;
}

static void test_petclinic(void)
{
	struct fd_error err;
	struct sim_world *w = sim_world_new("petclinic", 1, T0, SIM_TIME_SCALE_DEFAULT, &err), *w2, *w3;
	struct sim_asg *g;

	ok(w != NULL, "petclinic loads");
	is_int(w->n_regions, 2, "two regions");
	is_str(w->regions[0].name, "ap-northeast-2", "Seoul first");
	ok(w->regions[0].primary && !w->regions[1].primary, "Seoul is primary");
	is_int(w->regions[1].n_tgs, 2, "Tokyo has blue and green");
	g = sim_world_asg(w, 1, "petclinic-asg-was-blue");
	ok(g && g->region == 1 && g->desired == 2 && g->n_instances == 2, "Tokyo blue ASG with 2 instances");
	ok(sim_world_tg(w, 0, "petclinic-tg-blue") != sim_world_tg(w, 1, "petclinic-tg-blue"),
	   "same name, one target group per region");
	is_str(sim_world_db(w, 1, "petclinic-db")->source_arn,
	       "arn:aws:rds:ap-northeast-2:123456789012:db:petclinic-db", "Tokyo replica of Seoul");
	is_int(w->n_checks, 4, "four Route 53 health checks: two routing controls', Seoul's and Tokyo's");
	is_int(w->checks[0].kind, SIM_HC_RECOVERY_CONTROL, "routing-control checks first");
	is_str(w->zones[0].name, "example.com.", "zone example.com.");
	is_str(w->zones[0].id, "Z0FLIGHTDECKSIM01", "zone id");
	is_str(w->zones[0].records[0].failover, "PRIMARY", "PRIMARY record");
	is_str(w->zones[0].records[0].health_check_id, w->checks[2].id, "PRIMARY record has Seoul's check");
	is_str(w->zones[0].records[2].health_check_id, w->checks[0].id, "Seoul's cell has Seoul's routing control");
	is_str(w->zones[0].records[1].failover, "SECONDARY", "SECONDARY record");
	ok(sim_world_region_serving(w, 0) && sim_world_region_serving(w, 1), "both regions serve");

	w2 = sim_world_new("petclinic", 1, T0, SIM_TIME_SCALE_DEFAULT, &err);
	w3 = sim_world_new("petclinic", 2, T0, SIM_TIME_SCALE_DEFAULT, &err);
	is_str(w2->regions[0].asgs[0].instances[0].id, w->regions[0].asgs[0].instances[0].id,
	       "same seed, same instance ids");
	ok(strcmp(w3->regions[0].asgs[0].instances[0].id, w->regions[0].asgs[0].instances[0].id) != 0,
	   "another seed, other ids");
	sim_world_destroy(w2);
	sim_world_destroy(w3);
	sim_world_destroy(w);
}

static void test_scaling(void)
{
	struct fd_error err;
	struct sim_world *w = sim_world_new("petclinic", 1, T0, SIM_TIME_SCALE_DEFAULT, &err);
	struct sim_asg *g = sim_world_asg(w, 0, "petclinic-asg-was-blue");
	struct sim_target_group *tg = sim_world_tg(w, 0, "petclinic-tg-blue");
	struct sim_target *t;
	char id[32];

	ok(sim_world_set_desired(w, g, 11, "test", &err) < 0, "desired above max refused");
	is_str(err.code, "ValidationError", "... ValidationError");
	ok(sim_world_set_desired(w, g, 3, "a user request explicitly set group desired capacity", &err) == 0,
	   "desired 2 -> 3");
	is_int(g->n_instances, 3, "an instance launched");
	snprintf(id, sizeof(id), "%s", g->instances[2].id);
	is_str(sim_lifecycle_name(g->instances[2].lifecycle), "Pending", "Pending");
	is_int(g->n_activities, 1, "one scaling activity");
	ok(g->activities[0].start_s == T0 && g->activities[0].end_s == 0, "activity started, not ended");
	sim_world_tick(w, T0 + 7.9);
	is_str(sim_lifecycle_name(g->instances[2].lifecycle), "Pending", "still Pending before boot_s");
	ok(target_of(tg, id) == NULL, "not registered while Pending");
	sim_world_tick(w, T0 + 8.5);
	is_str(sim_lifecycle_name(g->instances[2].lifecycle), "InService", "InService after boot_s");
	ok(g->activities[0].end_s == T0 + 8, "activity EndTime = StartTime + boot_s");
	is_str(g->activities[0].status, "Successful", "activity Successful");
	t = target_of(tg, id);
	ok(t && t->state == SIM_TH_INITIAL, "registered: initial");
	is_str(t ? t->reason : "", "Elb.RegistrationInProgress", "reason Elb.RegistrationInProgress");
	sim_world_tick(w, T0 + 10.1);
	is_str(sim_target_state_name(target_of(tg, id)->state), "initial", "one pass: still initial");
	sim_world_tick(w, T0 + 12.1);
	is_str(sim_target_state_name(target_of(tg, id)->state), "healthy", "healthy after healthy_threshold passes");

	ok(sim_world_set_desired(w, g, 2, "scale in", &err) == 0, "desired 3 -> 2");
	is_str(sim_lifecycle_name(g->instances[2].lifecycle), "Terminating", "newest instance Terminating");
	is_str(sim_target_state_name(target_of(tg, id)->state), "draining", "its target draining");
	is_str(target_of(tg, id)->reason, "Target.DeregistrationInProgress", "reason Target.DeregistrationInProgress");
	sim_world_tick(w, T0 + 16.2);
	ok(g->n_instances == 2 && target_of(tg, id) == NULL, "gone after the deregistration delay");
	is_int(g->n_activities, 2, "a second activity");
	ok(g->activities[1].end_s > 0 && strstr(g->activities[1].description, "Terminating"),
	   "terminate activity ended");
	sim_world_destroy(w);
}

static void test_faults(void)
{
	struct fd_error err;
	struct sim_world *w = sim_world_new("petclinic", 1, T0, SIM_TIME_SCALE_DEFAULT, &err);
	struct sim_faults f;
	struct sim_target_group *tokyo = sim_world_tg(w, 1, "petclinic-tg-blue");
	struct sim_target_group *green = sim_world_tg(w, 0, "petclinic-tg-green");
	struct sim_db *replica = sim_world_db(w, 1, "petclinic-db");
	int h, u;

	sim_fault_init(&f);
	ok(sim_fault_add(&f, w, "region-outage:mars-1", &err) < 0, "unknown region refused");
	is_str(err.message, "fault 'region-outage:mars-1': no region 'mars-1'", "... with a message");
	ok(sim_fault_add(&f, w, "throttle:DescribeTargetHealth", &err) < 0, "throttle without a rate refused");
	ok(sim_fault_add(&f, w, "error5xx:1.5", &err) < 0, "rate above 1 refused");
	ok(sim_fault_add(&f, w, "latency:50", &err) == 0 && f.latency_ms == 50, "latency:50");
	ok(sim_fault_add(&f, w, "throttle:*:25%", &err) == 0, "throttle:*:25%%");
	ok(sim_fault_throttle_rate(&f, "Anything") == 0.25, "throttle rate for any operation");
	ok(sim_fault_add(&f, w, "region-outage:ap-northeast-1", &err) == 0, "region-outage:ap-northeast-1");
	ok(replica->replica_lag_s == 0.4, "an outage of the replica's own region: its source (Seoul) replicates on");
	ok(sim_fault_add(&f, w, "bad-deploy:petclinic-tg-green:0.5", &err) == 0, "bad-deploy green");
	sim_world_tick(w, T0 + 6);
	sim_world_tg_counts(tokyo, &h, &u);
	ok(h == 0 && u == 2, "Tokyo targets unhealthy");
	is_str(tokyo->targets[0].reason, "Target.Timeout", "reason Target.Timeout");
	is_str(green->targets[0].reason, "Target.ResponseCodeMismatch", "bad deploy: Target.ResponseCodeMismatch");
	ok(!sim_world_region_serving(w, 1) && sim_world_region_serving(w, 0), "Tokyo not serving, Seoul serving");
	ok(w->checks[2].healthy && !w->checks[3].healthy, "Route 53: Seoul healthy, Tokyo unhealthy");
	sim_fault_clear(&f, w);
	ok(f.latency_ms == 0 && f.n_throttle == 0, "clear: request faults gone");
	is_str(f.specs, "", "clear: no specs");
	sim_world_tick(w, T0 + 12);
	sim_world_tg_counts(tokyo, &h, &u);
	ok(h == 2 && u == 0, "Tokyo healthy again");
	ok(w->checks[3].healthy, "Route 53 Tokyo healthy again");
	ok(green->error_rate == 0.002, "green error rate restored");
	/* an outage of the source's region stops replication: ReplicaLag -1 ("replication is currently
	 * not active", https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_MySQL.Replication.ReadReplicas.Monitor.html) */
	ok(sim_fault_add(&f, w, "region-outage:ap-northeast-2", &err) == 0, "region-outage:ap-northeast-2");
	ok(replica->replica_lag_s == -1, "the Tokyo replica of Seoul: replication stopped (lag -1)");
	sim_fault_clear(&f, w);
	ok(replica->replica_lag_s == 0.4, "clear: its lag restored");
	ok(sim_fault_add(&f, w, "replica-lag:7", &err) == 0 && sim_fault_add(&f, w, "region-outage:ap-northeast-2", &err) == 0,
	   "replica-lag:7, then region-outage:ap-northeast-2");
	ok(replica->replica_lag_s == -1, "the outage stops it whatever its lag");
	sim_fault_clear(&f, w);
	ok(replica->replica_lag_s == 0.4, "clear: the lag from before both faults");

	ok(sim_world_promote(w, sim_world_db(w, 0, "petclinic-db"), &err) < 0, "promoting a primary refused");
	is_str(err.code, "InvalidDBInstanceState", "... InvalidDBInstanceState");
	ok(sim_world_promote(w, replica, &err) == 0, "promote the Tokyo replica");
	is_str(replica->status, "modifying", "modifying");
	sim_world_tick(w, T0 + 12 + sim_world_dur(w, w->timing.promote_s));
	ok(replica->role == SIM_DB_STANDALONE && replica->source_arn[0] == '\0', "standalone");
	is_str(replica->status, "available", "available");
	sim_world_destroy(w);
}

static void test_scenario_errors(void)
{
	char buf[512];
	struct fd_error err;

	is_str(scenario_error("scenario: x\nregions:\n  - name: r1\n    bogus: 1\n", buf, sizeof(buf)),
	       ":4:5: unknown key 'bogus'", "unknown key at LINE:COLUMN");
	is_str(scenario_error("scenario: x\nregions: [\n", buf, sizeof(buf)),
	       ":3:1: did not find expected node content", "YAML syntax error at LINE:COLUMN");
	is_str(scenario_error("scenario: x\n", buf, sizeof(buf)), ":1:1: a scenario needs 'regions'",
	       "regions required");
	is_str(scenario_error("regions:\n  - name: r1\n    databases:\n      - {id: d, role: replica, source: nope}\n",
			      buf, sizeof(buf)),
	       ":4:40: no database 'nope' (define it first)", "unknown replica source");
	is_str(scenario_error("regions:\n  - name: r1\n    auto_scaling_groups:\n      - {name: a, min: 3, max: 1}\n",
			      buf, sizeof(buf)),
	       ":4:9: need min <= desired <= max", "bad ASG sizes");
	is_str(scenario_error("timing: {boot_s: -1}\nregions: [{name: r1}]\n", buf, sizeof(buf)),
	       ":1:18: 'boot_s' must be a number from 0 to 86400", "bad duration");
	fd_error_clear(&err);
	ok(sim_world_new("/nonexistent/scenario.yaml", 1, T0, SIM_TIME_SCALE_DEFAULT, &err) == NULL, "missing file");
	is_str(err.message, "/nonexistent/scenario.yaml: No such file or directory (built-in scenarios: petclinic, scale)",
	       "missing file message");
}

/* Sign a query request for the simulator and render it as raw HTTP. */
static char *signed_raw(const char *service, const char *body)
{
	struct sigv4_request req = { 0 };
	struct sigv4_params p = {
		.access_key = SIM_ACCESS_KEY, .secret_key = SIM_SECRET_KEY,
		.region = "ap-northeast-2", .service = service, .normalize_path = true,
	};
	struct fd_error err;
	struct strbuf sb;
	char date[17];
	time_t now = time(NULL);
	size_t i;

	strftime(date, sizeof(date), "%Y%m%dT%H%M%SZ", gmtime(&now));
	p.amz_date = date;
	req.method = strdup("POST");
	req.target = strdup("/");
	req.body = (unsigned char *)strdup(body);
	req.body_len = strlen(body);
	sigv4_request_add_header(&req, "Host", "127.0.0.1");
	sigv4_request_add_header(&req, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
	sigv4_sign(&req, &p, &err);
	strbuf_init(&sb);
	strbuf_addf(&sb, "POST / HTTP/1.1\r\n");
	for (i = 0; i < req.n_headers; i++)
		strbuf_addf(&sb, "%s: %s\r\n", req.headers[i].name, req.headers[i].value);
	strbuf_addf(&sb, "\r\n%s", body);
	sigv4_request_clean_up(&req);
	return strbuf_detach(&sb, NULL);
}

static void test_raw(void)
{
	struct sim_options opt = { .scenario = "petclinic", .seed = 1 };
	struct fd_error err;
	struct sim *s = sim_new(&opt, &err);
	char *body = NULL, *raw;
	json_t *log;
	int st;

	ok(s != NULL, "sim_new");
	st = sim_handle_raw(s, "GET /_sim/state HTTP/1.1\r\nHost: x\r\n\r\n", 37, &body);
	is_int(st, 200, "GET /_sim/state");
	ok(body && strstr(body, "\"scenario\":\"petclinic\""), "state names the scenario");
	free(body);
	st = sim_handle_raw(s, "NONSENSE", 8, &body);
	is_int(st, 400, "garbage: 400");
	free(body);
	st = sim_handle_raw(s, "POST / HTTP/1.1\r\n\r\nAction=DescribeTargetGroups", 46, &body);
	is_int(st, 403, "unsigned: 403");
	ok(body && strstr(body, "<Code>MissingAuthenticationToken</Code>"), "MissingAuthenticationToken");
	free(body);
	raw = signed_raw("elasticloadbalancing", "Action=DescribeLoadBalancers&Version=2015-12-01");
	st = sim_handle_raw(s, raw, strlen(raw), &body);
	is_int(st, 200, "signed DescribeLoadBalancers: 200");
	ok(body && strstr(body, "<LoadBalancerName>petclinic-alb</LoadBalancerName>"), "the ALB");
	free(body);
	free(raw);
	raw = signed_raw("autoscaling", "Action=SetDesiredCapacity&Version=2011-01-01&AutoScalingGroupName=petclinic-asg-was-green&DesiredCapacity=x");
	st = sim_handle_raw(s, raw, strlen(raw), &body);
	is_int(st, 400, "non-numeric DesiredCapacity: 400");
	ok(body && strstr(body, "<Code>ValidationError</Code>"), "ValidationError");
	free(body);
	free(raw);
	log = sim_requests_json(s);
	is_int(json_array_size(log), 3, "three requests logged (not /_sim, not unparsable)");
	is_str(json_string_value(json_object_get(json_array_get(log, 2), "operation")), "SetDesiredCapacity",
	       "operation logged");
	ok(json_is_true(json_object_get(json_array_get(log, 2), "mutating")), "mutating logged");
	json_decref(log);
	ok(sim_add_fault(s, "nope", &err) < 0, "sim_add_fault refuses a bad SPEC");
	sim_destroy(s);
	opt.listen = "localhost";
	ok(sim_new(&opt, &err) == NULL, "--listen without a port refused");
	is_str(err.message, "--listen 'localhost': want ADDR:PORT", "... message");
}

static void test_spawn(void)
{
	char endpoint[128];
	struct fd_error err;
	pid_t pid = 0;

	setenv("FD_SIM_EXE", FD_BUILDDIR "/flightdeck", 1);
	fd_error_clear(&err);
	ok(sim_spawn("petclinic", endpoint, sizeof(endpoint), &pid, &err) == 0, "sim_spawn");
	ok(strncmp(endpoint, "http://127.0.0.1:", 17) == 0 && atoi(endpoint + 17) > 0, "endpoint %s", endpoint);
	ok(pid > 0 && kill(pid, 0) == 0, "child running");
	sim_stop(pid);
	ok(kill(pid, 0) != 0, "child stopped");
	ok(sim_spawn("/nonexistent.yaml", endpoint, sizeof(endpoint), &pid, &err) < 0, "bad scenario: spawn fails");
	is_str(err.code, "SpawnError", "... SpawnError");
	is_str(err.message, "the simulator did not start: flightdeck sim: /nonexistent.yaml: No such file or "
	       "directory (built-in scenarios: petclinic, scale)", "... with the simulator's message");
}

static void test_helpers(void)
{
	struct strbuf sb;
	double t;
	size_t off;
	char buf[32];

	ok(isotime_parse_or_epoch("2026-11-24T05:57:00Z", &t) == 0 && t == 1795499820.0, "ISO 8601 Z");
	ok(isotime_parse_or_epoch("2026-11-24T05:57:00.250Z", &t) == 0 && t == 1795499820.25, "ISO 8601 with a fraction");
	ok(isotime_parse_or_epoch("2026-11-24T14:57:00+09:00", &t) == 0 && t == 1795499820.0, "ISO 8601 with an offset");
	ok(isotime_parse_or_epoch("1795499820", &t) == 0 && t == 1795499820.0, "epoch seconds");
	ok(isotime_parse_or_epoch("2026-13-01T00:00:00Z", &t) < 0, "month 13 refused");
	ok(isotime_parse_or_epoch("yesterday", &t) < 0, "words refused");
	sim_time_iso(1795499820.2496, buf);
	is_str(buf, "2026-11-24T05:57:00.250Z", "times round to the millisecond");
	sim_marker_encode(42, buf);
	ok(sim_marker_decode(buf, &off) == 0 && off == 42, "marker round trip");
	ok(sim_marker_decode("fd-sim-page-", &off) < 0 && sim_marker_decode("fd-sim-page-1x", &off) < 0 &&
	   sim_marker_decode("abc", &off) < 0, "foreign markers refused");
	strbuf_init(&sb);
	sim_xml_elem(&sb, "M", "a<b>&\"c'\x01");
	is_str(sb.data, "<M>a&lt;b&gt;&amp;&quot;c&apos;\xef\xbf\xbd</M>", "XML escaping");
	strbuf_clean_up(&sb);
}

/* docs/sim.md's page-size table says what sim/paging.c does: one row per operation
 * with its default and range. */
static void test_paging_doc(void)
{
	FILE *f = fopen(FD_SRCDIR "/docs/sim.md", "r");
	struct strbuf doc;
	char buf[4096], row[160];
	size_t n, missing = 0;

	strbuf_init(&doc);
	while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&doc, buf, n);
	if (f)
		fclose(f);
	ok(doc.len > 0, "docs/sim.md is there");
	for (const struct sim_page_rule *r = sim_page_rules; r->operation; r++) {
		if (r->max >= 100000)
			snprintf(row, sizeof(row), "| `%s` | %ld | %ld- |", r->operation, r->def, r->min);
		else if (r->def == 0)   /* EC2: no MaxResults, every result */
			snprintf(row, sizeof(row), "| `%s` | all | %ld-%ld |", r->operation, r->min, r->max);
		else if (strcmp(r->operation, "GetTraceSummaries") == 0)
			snprintf(row, sizeof(row), "| `%s` | %ld | - |", r->operation, r->def);
		else
			snprintf(row, sizeof(row), "| `%s` | %ld | %ld-%ld |", r->operation, r->def, r->min, r->max);
		if (!doc.data || !strstr(doc.data, row)) {
			printf("# docs/sim.md lacks the row: %s\n", row);
			missing++;
		}
	}
	ok(missing == 0, "docs/sim.md's page-size table matches sim/paging.c");
	strbuf_clean_up(&doc);
}

/* Every simulated service is a service of the operation table and speaks the protocol
 * of its model: the sim's row keeps only what the model does not say. */
static void test_service_rows(void)
{
	static const enum ops_protocol model_of[] = {
		[SIM_PROTO_QUERY] = OPS_QUERY, [SIM_PROTO_EC2] = OPS_EC2, [SIM_PROTO_REST_XML] = OPS_REST_XML,
		[SIM_PROTO_REST_JSON] = OPS_REST_JSON, [SIM_PROTO_JSON10] = OPS_JSON,
	};
	const struct sim_service *row;

	for (row = sim_services; row->signing_name; row++) {
		const struct ops_service *svc = ops_service_find(row->signing_name);
		ok(svc && row->protocol != SIM_PROTO_PLAIN && svc->protocol == model_of[row->protocol],
		   "sim service %s: a service of aws/ops.c, in its model's protocol", row->signing_name);
	}
}

int main(void)
{
	test_helpers();
	test_petclinic();
	test_scaling();
	test_faults();
	test_scenario_errors();
	test_raw();
	test_spawn();
	test_paging_doc();
	test_service_rows();
	return done_testing();
}
