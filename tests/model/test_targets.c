/* test_targets.c — success targets from activities, metrics, RDS and the measurements file. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/isotime.h"
#include "base/xalloc.h"
#include "model/measure.h"
#include "model/panel.h"
#include "model/panel_sessions.h"
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

static int near(double a, double b)
{
	return fabs(a - b) < 1e-6;
}

static char dir[] = "/tmp/fd-targets-XXXXXX";

static void test_measure(void)
{
	char path[256], *p;
	struct measure *ms;
	size_t n, skipped;
	struct fd_error err;
	struct stat st;
	FILE *f;

	snprintf(path, sizeof(path), "%s/state/flightdeck/measurements.jsonl", dir);
	is_int(measure_load(path, &ms, &n, &skipped, &err), 0, "a missing file is no measurements");
	is_int(n, 0, "zero");
	is_int(measure_append_to(path, 1795497005, "downtime_s", 0, "blue-green-cutover", "run-1", &err), 0,
	       "append creates the file");
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "the file is 0600");
	is_int(measure_append_to(path, 1795497065, "deploy_duration_s", 642.5, "blue-green-cutover", "run-1", &err), 0,
	       "second append");
	is_int(measure_append_to(path, 1795497000, "downtime_s", 2, NULL, NULL, &err), 0,
	       "append without runbook and run id");
	is_int(measure_append_to(path, 1, "x", NAN, NULL, NULL, &err), -1, "NaN refused");
	is_str(err.message, "measurement x: value is not a finite number", "and says why");
	f = fopen(path, "a");
	fputs("not json\n{\"name\": \"downtime_s\"}\n\n{\"time\": \"2026-11-24T05:12:00Z\", \"name\": \"rto_s\", \"value\": 95}\n", f);
	fclose(f);
	{
		char line[512];
		f = fopen(path, "r");
		if (!fgets(line, sizeof(line), f))
			line[0] = 0;
		fclose(f);
		is_str(line, "{\"time\":\"2026-11-24T05:10:05Z\",\"run_id\":\"run-1\",\"runbook\":\"blue-green-cutover\","
			     "\"name\":\"downtime_s\",\"value\":0.0}\n", "exact line format");
	}
	is_int(measure_load(path, &ms, &n, &skipped, &err), 0, "load");
	is_int(n, 4, "four measurements");
	is_int(skipped, 2, "two bad lines skipped");
	is_str(ms[0].name, "downtime_s", "sorted by time: the older downtime first");
	ok(near(ms[0].value, 2), "its value");
	ok(ms[0].runbook == NULL, "no runbook");
	is_str(ms[1].run_id, "run-1", "run id");
	is_str(ms[3].name, "rto_s", "hand-written line");
	measure_free(ms, n);

	setenv("XDG_STATE_HOME", dir, 1);
	p = measure_path();
	snprintf(path, sizeof(path), "%s/flightdeck/measurements.jsonl", dir);
	is_str(p, path, "XDG_STATE_HOME path");
	free(p);
	unsetenv("XDG_STATE_HOME");
	setenv("HOME", "/home/op", 1);
	p = measure_path();
	is_str(p, "/home/op/.local/state/flightdeck/measurements.jsonl", "default path");
	free(p);
}

static void test_derive(void)
{
	struct fd_config cfg;
	struct model m;
	struct fd_error err;
	struct measure *ms;
	size_t n_ms;
	char path[256];
	json_t *j;
	struct targets_metric tm[5];
	struct model_series s1, s2, both[2];
	time_t ts[3] = { 100, 160, 220 };
	double vals[3] = { 0, 0.5, 0 };
	size_t i;

	config_defaults(&cfg, NULL);
	model_init(&m, cfg.primary, cfg.dr);
	targets_init(&m, &cfg);
	is_int(m.n_targets, 5, "five targets");
	is_str(m.targets[0].objective_text, "< 60 s", "objective text");
	is_str(m.targets[2].objective_text, ">= 30 %", "replica objective");
	is_str(m.targets[4].objective_text, "< 15 min", "deploy objective");
	is_str(m.targets[0].source, "asg-activity (every group)", "source text");
	is_str(m.targets[1].source, "metric PetClinic/SessionLossRate | sessions panel Evictions, CacheHitRate", "metric source text");
	is_str(m.targets[0].region, "ap-northeast-2", "measured in the primary");
	ok(m.targets[3].region == NULL, "measurements are global");

	targets_derive(&m, &cfg, NULL, NULL, 0, 1000);
	for (i = 0; i < 5; i++)
		is_str(model_target_status_name(m.targets[i].status), "no_data", "target %zu: no data yet", i);
	is_int(targets_exit_status(&m), 0, "no data is exit 0");

	/* scale-out latency from the fixtures: the newest successful launch took 42 s */
	j = fixture("autoscaling_describe_auto_scaling_groups.json");
	panel_asg_parse_groups(j, 1, &m.regions[0].asgs, &m.regions[0].n_asgs, &err);
	json_decref(j);
	j = fixture("autoscaling_describe_scaling_activities.json");
	panel_asg_parse_activities(j, 1, m.regions[0].asgs, m.regions[0].n_asgs, &err);
	json_decref(j);
	/* RDS: primary 10 ms, replica 6 ms -> 40 % better */
	j = fixture("rds_describe_db_instances.json");
	panel_rds_parse(j, 1, &m.regions[0].dbs, &m.regions[0].n_dbs, &err);
	json_decref(j);
	m.regions[0].dbs[0].read_latency_ms = 10;
	m.regions[0].dbs[1].read_latency_ms = 6;
	m.regions[0].dbs[1].metrics_at = 900;
	/* session loss: the first returned series with data counts */
	memset(&s1, 0, sizeof(s1));
	s2.ts = ts;
	s2.values = vals;
	s2.n = 3;
	memset(tm, 0, sizeof(tm));
	{
		both[0] = s1;
		both[1] = s2;
		tm[1].series = both;
		tm[1].n_series = 2;
		tm[1].fetched = true;
		/* measurements */
		snprintf(path, sizeof(path), "%s/state/flightdeck/measurements.jsonl", dir);
		measure_load(path, &ms, &n_ms, NULL, &err);
		targets_derive(&m, &cfg, tm, ms, n_ms, 2000);
	}
	ok(near(m.targets[0].value, 42), "scale-out latency 42 s");
	is_str(model_target_status_name(m.targets[0].status), "met", "met (< 60)");
	is_int(m.targets[0].n_history, 2, "history of two scale-outs");
	ok(near(m.targets[0].history[0], 90), "older scale-out took 90 s");
	is_int(m.targets[0].value_at, isotime_seconds("2026-11-24T05:10:05Z"), "value_at = activity start");
	ok(near(m.targets[1].value, 0), "session loss 0 from the series with data");
	is_str(model_target_status_name(m.targets[1].status), "met", "met (<= 0)");
	is_int(m.targets[1].n_history, 3, "sparkline from the series");
	ok(near(m.targets[1].history[1], 0.5), "history values");
	ok(near(m.targets[2].value, 40), "replica 40 %% faster");
	is_str(model_target_status_name(m.targets[2].status), "met", "met (>= 30)");
	ok(near(m.targets[3].value, 0), "downtime: newest measurement 0 s");
	is_str(model_target_status_name(m.targets[3].status), "met", "met (<= 0)");
	is_int(m.targets[3].n_history, 2, "two downtime measurements");
	ok(near(m.targets[3].history[0], 2), "the older one first");
	ok(near(m.targets[4].value, 642.5 / 60), "deploy duration in minutes");
	is_str(model_target_status_name(m.targets[4].status), "met", "met (< 15 min)");
	is_int(targets_exit_status(&m), 0, "all met: exit 0");
	is_int(m.targets[4].fetched_at, 2000, "fetched_at");

	/* now things go wrong */
	m.regions[0].dbs[1].read_latency_ms = 9;
	m.regions[0].dbs[1].metrics_at = 960;
	vals[2] = 1.5;
	{
		both[0] = s1;
		both[1] = s2;
		tm[1].series = both;
		measure_free(ms, n_ms);
		measure_append_to(path, 1795497999, "downtime_s", 3.2, "blue-green-cutover", "run-2", &err);
		measure_load(path, &ms, &n_ms, NULL, &err);
		targets_derive(&m, &cfg, tm, ms, n_ms, 3000);
	}
	ok(near(m.targets[2].value, 10), "replica only 10 %% faster");
	is_str(model_target_status_name(m.targets[2].status), "missed", "missed");
	is_int(m.targets[2].n_history, 2, "RDS history grows with new data");
	is_str(model_target_status_name(m.targets[1].status), "missed", "session loss 1.5 missed");
	ok(near(m.targets[3].value, 3.2), "newest downtime 3.2 s");
	is_str(model_target_status_name(m.targets[3].status), "missed", "downtime missed");
	is_int(targets_exit_status(&m), 1, "a miss: exit 1");
	targets_derive(&m, &cfg, tm, ms, n_ms, 3001);
	is_int(m.targets[2].n_history, 2, "same data: history does not grow");
	measure_free(ms, n_ms);
	/* a named group only */
	free(cfg.targets[0].asg);
	cfg.targets[0].asg = xstrdup("petclinic-asg-green");
	targets_derive(&m, &cfg, NULL, NULL, 0, 4000);
	is_str(model_target_status_name(m.targets[0].status), "no_data", "green never scaled out");

	/* session loss without the custom metric: the sessions panel's per-node
	 * Evictions (read per CacheClusterId; CloudWatch has no dimensionless
	 * AWS/ElastiCache series, so the fallback cannot be a metric query:
	 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Dimension) */
	{
		struct model_sessions *ss = &m.regions[0].sessions;
		struct model_cache_node *nd;
		size_t k, q;
		memset(&s1, 0, sizeof(s1));
		memset(tm, 0, sizeof(tm));
		tm[1].series = &s1;
		tm[1].n_series = 1;
		tm[1].fetched = true;
		m.targets[1].n_history = 0;
		targets_derive(&m, &cfg, tm, NULL, 0, 5000);
		is_str(model_target_status_name(m.targets[1].status), "no_data", "no metric, sessions panel off: no data");
		ss->groups = xcalloc(1, sizeof(*ss->groups));
		ss->n_groups = 1;
		ss->groups[0].nodes = nd = xcalloc(2, sizeof(*nd));
		ss->groups[0].n_nodes = 2;
		for (k = 0; k < 2; k++)
			for (q = 0; q < MODEL_CACHE_METRIC_COUNT; q++)
				nd[k].figures[q] = NAN;
		m.regions[0].status[MODEL_PANEL_SESSIONS].enabled = true;
		m.regions[0].status[MODEL_PANEL_SESSIONS].fetched_at = 5000;
		targets_derive(&m, &cfg, tm, NULL, 0, 5000);
		is_str(model_target_status_name(m.targets[1].status), "no_data",
		       "sessions read but no Evictions datapoint: no data, never 0");
		nd[0].figures[MODEL_CACHE_EVICTIONS] = 0;
		ss->metrics_at = 5000;
		targets_derive(&m, &cfg, tm, NULL, 0, 5000);
		ok(near(m.targets[1].value, 0), "0 evictions on the primary");
		is_str(model_target_status_name(m.targets[1].status), "met", "session loss met from the sessions panel");
		is_int(m.targets[1].value_at, 5000, "value_at = when the panel read the figures");
		nd[0].figures[MODEL_CACHE_EVICTIONS] = 3;
		nd[1].figures[MODEL_CACHE_EVICTIONS] = 4;
		ss->metrics_at = 5060;
		targets_derive(&m, &cfg, tm, NULL, 0, 5060);
		ok(near(m.targets[1].value, 7), "evictions summed over the nodes (%g)", m.targets[1].value);
		is_str(model_target_status_name(m.targets[1].status), "missed", "evictions: session loss missed");
		is_int(m.targets[1].n_history, 2, "the fallback's history grows per read");
		targets_derive(&m, &cfg, tm, NULL, 0, 5070);
		is_int(m.targets[1].n_history, 2, "same read: history does not grow");
		/* sessions lost without evictions (a failover to a replica not in sync): the
		 * primary's CacheHitRate below AWS's 0.8 ("a significant amount of keys are
		 * evicted, expired, or do not exist"); the loss is the share of lookups missed
		 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html */
		free(nd[0].role);
		nd[0].role = xstrdup("primary");
		nd[0].figures[MODEL_CACHE_EVICTIONS] = nd[1].figures[MODEL_CACHE_EVICTIONS] = 0;
		nd[0].figures[MODEL_CACHE_HIT_RATE] = 96;
		nd[1].figures[MODEL_CACHE_HIT_RATE] = 5;   /* a replica's figure does not count */
		ss->metrics_at = 5100;
		targets_derive(&m, &cfg, tm, NULL, 0, 5100);
		ok(near(m.targets[1].value, 0), "hit rate 96 %% on the primary, no evictions: no loss (%g)", m.targets[1].value);
		nd[0].figures[MODEL_CACHE_HIT_RATE] = 35;
		ss->metrics_at = 5160;
		targets_derive(&m, &cfg, tm, NULL, 0, 5160);
		ok(near(m.targets[1].value, 65), "hit rate 35 %%: 65 %% of lookups missed (%g)", m.targets[1].value);
		is_str(model_target_status_name(m.targets[1].status), "missed", "sessions lost: session loss missed");
		nd[0].figures[MODEL_CACHE_EVICTIONS] = NAN;
		nd[1].figures[MODEL_CACHE_EVICTIONS] = NAN;
		nd[0].figures[MODEL_CACHE_HIT_RATE] = NAN;
		ss->metrics_at = 5170;
		targets_derive(&m, &cfg, tm, NULL, 0, 5170);
		is_str(model_target_status_name(m.targets[1].status), "no_data", "neither figure: no data, never 0");
		s1.ts = ts;
		s1.values = vals;
		s1.n = 3;
		targets_derive(&m, &cfg, tm, NULL, 0, 5080);
		ok(near(m.targets[1].value, 1.5), "the custom metric wins when it has data");
		tm[1].series = NULL;
		tm[1].n_series = 0;
		m.regions[0].status[MODEL_PANEL_SESSIONS].enabled = false;
		targets_derive(&m, &cfg, tm, NULL, 0, 5090);
		is_str(model_target_status_name(m.targets[1].status), "no_data", "stack.sessions off: no fallback");
	}
	model_clean_up(&m);
	config_clean_up(&cfg);
}

int main(void)
{
	char cmd[300];

	if (!mkdtemp(dir))
		return 1;
	test_measure();
	test_derive();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		ok(0, "clean up");
	return done_testing();
}
