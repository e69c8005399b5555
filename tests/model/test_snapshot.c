/* test_snapshot.c — the snapshot document and text from a model built from fixtures. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "model/panel.h"
#include "model/snapshot.h"
#include "model/targets.h"
#include "tests/tap.h"

static json_t *fixture(const char *name)
{
	char path[1024];
	json_t *j;

	snprintf(path, sizeof(path), "%s/tests/model/fixtures/%s", FD_SRCDIR, name);
	j = json_load_file(path, 0, NULL);
	if (!j)
		exit(1);
	return j;
}

/* Read a golden file; NULL when absent. */
static char *golden(const char *name)
{
	char path[1024], buf[4096];
	struct strbuf sb;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/model/golden/%s", FD_SRCDIR, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb, NULL);
}

/* Build the model the way the collector would after one round. */
static void build(struct model *m, struct fd_config *cfg)
{
	struct model_region *r = &m->regions[0];
	struct fd_error err;
	struct measure ms[1];
	json_t *j;
	size_t l;

	j = fixture("elbv2_describe_load_balancers.json");
	panel_lb_parse_load_balancers(j, 1000, &r->lbs, &r->n_lbs, &err);
	json_decref(j);
	j = fixture("elbv2_describe_listeners.json");
	panel_lb_parse_listeners(j, 1000, &r->lbs[0].listeners, &r->lbs[0].n_listeners, &err);
	json_decref(j);
	for (l = 0; l < r->lbs[0].n_listeners; l++) {
		j = fixture("elbv2_describe_rules.json");
		panel_lb_parse_rules(j, &r->lbs[0].listeners[l], &err);
		json_decref(j);
	}
	j = fixture("elbv2_describe_target_groups.json");
	panel_lb_parse_target_groups(j, 1000, &r->tgs, &r->n_tgs, &err);
	json_decref(j);
	j = fixture("elbv2_describe_target_health.json");
	panel_lb_parse_target_health(j, 1000, &r->tgs[0], &err);
	json_decref(j);
	panel_lb_resolve_forwards(r);
	r->lbs[0].requests_per_s = 100;
	r->lbs[0].http_5xx_pct = 0.25;
	r->lbs[0].p99_ms = 125;
	j = fixture("autoscaling_describe_auto_scaling_groups.json");
	panel_asg_parse_groups(j, 1000, &r->asgs, &r->n_asgs, &err);
	json_decref(j);
	j = fixture("autoscaling_describe_scaling_activities.json");
	panel_asg_parse_activities(j, 1000, r->asgs, r->n_asgs, &err);
	json_decref(j);
	j = fixture("cloudwatch_describe_alarms.json");
	panel_alarms_parse(j, 1000, &r->alarms, &r->n_alarms, &err);
	json_decref(j);
	j = fixture("rds_describe_db_instances.json");
	panel_rds_parse(j, 1000, &r->dbs, &r->n_dbs, &err);
	json_decref(j);
	r->dbs[0].read_latency_ms = 10;
	r->dbs[1].read_latency_ms = 8;
	j = fixture("route53_list_health_checks.json");
	panel_route53_parse_health_checks(j, 1000, &m->route53.checks, &m->route53.n_checks, &err);
	json_decref(j);
	j = fixture("route53_get_health_check_status.json");
	panel_route53_parse_health_check_status(j, 1000, &m->route53.checks[0], &err);
	json_decref(j);
	j = fixture("route53_list_hosted_zones.json");
	panel_route53_parse_hosted_zones(j, 1000, &m->route53.zones, &m->route53.n_zones, &err);
	json_decref(j);
	j = fixture("route53_list_resource_record_sets.json");
	panel_route53_parse_record_sets(j, 1000, &m->route53.zones[0], &err);
	json_decref(j);
	j = fixture("route53_test_dns_answer.json");
	panel_route53_parse_dns_answer(j, 1000, &m->route53.dns, &err);
	json_decref(j);
	panel_route53_resolve_regions(m);
	m->regions[0].status[MODEL_PANEL_LB].enabled = true;
	m->regions[0].status[MODEL_PANEL_LB].fetched_at = 990;
	m->regions[0].status[MODEL_PANEL_ASG].fetched_at = 990;
	m->regions[0].status[MODEL_PANEL_ALARMS].fetched_at = 990;
	m->regions[0].status[MODEL_PANEL_XRAY].enabled = true;
	fd_error_set(&m->regions[0].status[MODEL_PANEL_XRAY].error, "ThrottlingException", "Rate exceeded");
	model_summarize(m);
	targets_init(m, cfg);
	ms[0].at = 900;
	ms[0].name = (char *)"downtime_s";
	ms[0].value = 1.5;
	ms[0].run_id = ms[0].runbook = NULL;
	targets_derive(m, cfg, NULL, ms, 1, 1000);
}

int main(void)
{
	struct fd_config cfg;
	struct model m;
	struct strbuf sb;
	json_t *doc, *t, *reg;
	char *want;

	config_defaults(&cfg, NULL);
	model_init(&m, cfg.primary, cfg.dr);
	build(&m, &cfg);
	doc = snapshot_json(&m, 1795497600);

	is_int(json_integer_value(json_object_get(doc, "schema_version")), 1, "schema version");
	is_str(json_string_value(json_object_get(doc, "time")), "2026-11-24T05:20:00Z", "time");
	t = json_object_get(doc, "targets");
	is_int(json_array_size(t), 5, "five targets");
	is_str(json_string_value(json_object_get(json_array_get(t, 0), "name")), "scale-out latency", "target name");
	ok(json_real_value(json_object_get(json_array_get(t, 0), "value")) == 42, "value 42");
	ok(json_real_value(json_object_get(json_array_get(t, 0), "objective")) == 60, "objective 60");
	is_str(json_string_value(json_object_get(json_array_get(t, 0), "comparison")), "<", "comparison");
	is_str(json_string_value(json_object_get(json_array_get(t, 0), "status")), "met", "status met");
	is_str(json_string_value(json_object_get(json_array_get(t, 0), "unit")), "s", "unit");
	ok(json_is_null(json_object_get(json_array_get(t, 1), "value")), "no data is null");
	is_str(json_string_value(json_object_get(json_array_get(t, 1), "status")), "no_data", "status no_data");
	ok(json_real_value(json_object_get(json_array_get(t, 2), "value")) == 20, "replica 20 %% better");
	is_str(json_string_value(json_object_get(json_array_get(t, 2), "status")), "missed", "missed");
	is_str(json_string_value(json_object_get(json_array_get(t, 3), "status")), "missed", "downtime 1.5 s missed");
	is_int(json_integer_value(json_object_get(json_array_get(t, 3), "age_s")), 1795497600 - 900, "age of the measurement");
	reg = json_array_get(json_object_get(doc, "regions"), 0);
	is_str(json_string_value(json_object_get(reg, "name")), "ap-northeast-2", "region name");
	is_str(json_string_value(json_object_get(reg, "role")), "primary", "role");
	ok(json_real_value(json_object_get(reg, "requests_per_s")) == 100, "requests/s");
	ok(json_real_value(json_object_get(reg, "http_5xx_pct")) == 0.25, "5xx %%");
	ok(json_real_value(json_object_get(reg, "p99_ms")) == 125, "p99");
	is_int(json_integer_value(json_object_get(reg, "healthy_hosts")), 1, "healthy hosts");
	is_int(json_integer_value(json_object_get(json_object_get(reg, "asg_capacity"), "desired")), 4, "ASG desired");
	is_int(json_integer_value(json_object_get(reg, "alarms_in_alarm")), 1, "alarms in ALARM");
	is_str(json_string_value(json_object_get(json_array_get(json_object_get(reg, "alarms"), 0), "name")),
	       "petclinic-5xx", "the alarm");
	ok(json_is_false(json_object_get(reg, "dns_answering")), "DNS does not answer with Seoul");
	{
		json_t *dr = json_array_get(json_object_get(doc, "regions"), 1);
		ok(json_is_null(json_object_get(dr, "healthy_hosts")), "never-fetched LB panel: healthy hosts null");
		ok(json_is_null(json_object_get(dr, "asg_capacity")), "never-fetched ASG panel: capacity null");
		ok(json_is_null(json_object_get(dr, "alarms_in_alarm")), "never-fetched alarms: null");
	}
	is_str(json_string_value(json_object_get(json_object_get(doc, "dns"), "region")), "ap-northeast-1",
	       "DNS answers with Tokyo");
	is_str(json_string_value(json_object_get(json_object_get(doc, "dns"), "method")), "record match",
	       "the answer is the SECONDARY record's own value");
	ok(json_is_true(json_object_get(json_object_get(doc, "dns"), "disagree")),
	   "the PRIMARY (health check and target health fine) would answer by the rules: a disagreement");
	is_str(json_string_value(json_object_get(json_object_get(reg, "severity"), "alarms_in_alarm")), "bad",
	       "an alarm in ALARM is bad");
	is_str(json_string_value(json_object_get(json_object_get(reg, "severity"), "healthy_hosts")), "warning",
	       "1/2 healthy hosts is a warning");
	{
		json_t *st = json_object_get(doc, "status");
		is_str(json_string_value(json_object_get(st, "summary")),
		       "DNS ON DR \xc2\xb7 DNS AND ROUTE 53 RULES DISAGREE \xc2\xb7 2 TARGETS MISSED \xc2\xb7 1 ALARM \xc2\xb7 1 PANEL FAILING",
		       "status summary, worst first");
		is_str(json_string_value(json_object_get(st, "severity")), "bad", "overall severity");
		is_int(json_integer_value(json_object_get(st, "exit_status")), 2, "exit status 2: xray could not be read");
		is_str(json_string_value(json_array_get(json_object_get(st, "reasons"), 0)),
		       "ap-northeast-2 xray could not be read: ThrottlingException: Rate exceeded", "first reason");
	}
	{
		json_t *lb = json_array_get(json_object_get(reg, "load_balancers"), 0);
		json_t *li = json_array_get(json_object_get(lb, "listeners"), 0);
		json_t *fw = json_object_get(li, "forward");
		json_t *db = json_array_get(json_object_get(reg, "db_instances"), 0);
		is_int(json_array_size(fw), 2, "weighted forward");
		is_str(json_string_value(json_object_get(json_array_get(fw, 1), "target_group")), "petclinic-tg-green",
		       "to green");
		is_int(json_integer_value(json_object_get(json_array_get(fw, 1), "weight")), 20, "green weight 20");
		ok(json_is_null(json_object_get(db, "replica_lag_s")), "unknown lag is null");
	}
	is_str(json_string_value(json_object_get(json_array_get(json_object_get(reg, "panels"), 1), "error_code")),
	       "ThrottlingException", "panel error");
	is_int(json_integer_value(json_object_get(json_array_get(json_object_get(reg, "panels"), 0), "age_s")),
	       1795497600 - 990, "panel age");
	json_decref(doc);

	strbuf_init(&sb);
	snapshot_text(&m, 1795497600, &sb);
	if (getenv("FD_UPDATE_GOLDEN")) {
		char path[1024];
		FILE *f;
		snprintf(path, sizeof(path), "%s/tests/model/golden/snapshot.txt", FD_SRCDIR);
		if ((f = fopen(path, "w"))) {
			fputs(sb.data, f);
			fclose(f);
		}
	}
	want = golden("snapshot.txt");
	if (!is_str(sb.data, want ? want : "(missing golden)", "text matches tests/model/golden/snapshot.txt"))
		fputs(sb.data, stderr);
	free(want);
	strbuf_clean_up(&sb);
	{
		/* issue 10: AWS text (an alarm's name and reason: anyone who can call
		 * SetAlarmState writes the reason) never adds a line to the report */
		struct model_alarm *al = NULL;
		size_t i;
		for (i = 0; i < m.regions[0].n_alarms && !al; i++)
			if (m.regions[0].alarms[i].state && strcmp(m.regions[0].alarms[i].state, "ALARM") == 0)
				al = &m.regions[0].alarms[i];
		ok(al != NULL, "an alarm in ALARM to make hostile");
		if (al) {
			free(al->reason);
			al->reason = strdup("x\nSTATUS healthy: nothing to do\r\tok");
			free(al->name);
			al->name = strdup("a\nb");
			strbuf_init(&sb);
			snapshot_text(&m, 1795497600, &sb);
			ok(strstr(sb.data, "\nSTATUS healthy") == NULL, "a newline in an alarm reason starts no line");
			ok(strstr(sb.data, "a\\x0ab since ") && strstr(sb.data, ": x\\x0aSTATUS healthy: nothing to do\\x0d\\x09ok\n"),
			   "it is shown as an escape, the alarm on one line");
			strbuf_clean_up(&sb);
		}
	}
	ok(!snapshot_all_failed(&m), "not all failed");
	m.regions[0].status[MODEL_PANEL_LB].fetched_at = 0;
	ok(snapshot_all_failed(&m), "all failed when no panel has data");
	model_clean_up(&m);
	config_clean_up(&cfg);
	return done_testing();
}
