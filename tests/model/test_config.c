/* test_config.c — the YAML config: a full file, defaults, and many bad inputs with exact messages. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/config.h"
#include "tests/tap.h"

static const char good[] =
	"# the petclinic stack\n"
	"stack:\n"
	"  regions: { primary: us-west-2, dr: us-east-1 }\n"
	"  load_balancers: [petclinic-alb]\n"
	"  target_groups:\n"
	"    - petclinic-tg-blue\n"
	"    - petclinic-tg-green\n"
	"  auto_scaling_groups: [petclinic-asg-blue]\n"
	"  db_instances: [petclinic-db, petclinic-db-replica-1]\n"
	"  tags: { app: petclinic }\n"
	"  hosted_zone: petclinic.example.com.\n"
	"  record_name: app.petclinic.example.com.\n"
	"  health_checks: [abc]\n"
	"  xray: no\n"
	"refresh: 5\n"
	"panels:\n"
	"  - title: Requests\n"
	"    unit: req/s\n"
	"    stat: Sum\n"
	"    period: 300\n"
	"    range: 7200\n"
	"    region: dr\n"
	"    queries:\n"
	"      - id: m1\n"
	"        namespace: AWS/ApplicationELB\n"
	"        metric: RequestCount\n"
	"        dimensions: { LoadBalancer: app/petclinic-alb/abc }\n"
	"        return_data: false\n"
	"      - { id: e1, expression: \"m1/PERIOD(m1)\", label: req/s }\n"
	"targets:\n"
	"  - name: p99\n"
	"    source: metric\n"
	"    namespace: AWS/ApplicationELB\n"
	"    metric: TargetResponseTime\n"
	"    stat: p99\n"
	"    objective: \"<= 0.5\"\n"
	"    unit: s\n"
	"  - name: errors\n"
	"    source: expression\n"
	"    queries:\n"
	"      - { id: a, namespace: AWS/ApplicationELB, metric: HTTPCode_Target_5XX_Count, stat: Sum, return_data: false }\n"
	"      - { id: b, namespace: AWS/ApplicationELB, metric: RequestCount, stat: Sum, return_data: false }\n"
	"      - { id: pct, expression: \"100*a/b\" }\n"
	"    objective: { comparison: LessThan, value: 1 }\n"
	"  - name: rto\n"
	"    source: measurement\n"
	"    measurement: rto_s\n"
	"    objective: < 300\n"
	"    region: dr\n"
	"    scale: 0.5\n";

static void test_good(void)
{
	struct fd_config c;
	struct fd_error err;

	fd_error_clear(&err);
	if (!is_int(config_parse(&c, "good.yaml", good, strlen(good), NULL, &err), 0, "a full config parses"))
		printf("# %s\n", err.message);
	is_str(c.primary, "us-west-2", "primary region");
	is_str(c.dr, "us-east-1", "dr region");
	is_int(c.n_lbs, 1, "one LB");
	is_int(c.n_tgs, 2, "two TGs (block list)");
	is_str(c.tgs[1], "petclinic-tg-green", "TG name");
	is_int(c.n_tags, 1, "tags");
	is_str(c.tags[0].value, "petclinic", "tag value");
	is_str(c.record_name, "app.petclinic.example.com.", "record name");
	ok(!c.xray, "xray: no");
	is_int(c.refresh_s, 5, "refresh");
	is_int(c.n_panels, 1, "one panel");
	is_int(c.panels[0].period_s, 300, "period");
	is_int(c.panels[0].range_s, 7200, "range");
	is_str(c.panels[0].region, "dr", "panel region");
	is_int(c.panels[0].n_queries, 2, "two queries");
	ok(!c.panels[0].queries[0].return_data, "return_data false");
	ok(c.panels[0].queries[1].return_data, "return_data default true");
	is_str(c.panels[0].queries[1].expression, "m1/PERIOD(m1)", "expression");
	is_str(c.panels[0].queries[0].dims[0].name, "LoadBalancer", "dimension");
	is_int(c.n_targets, 3, "the file's targets replace the defaults");
	is_int(c.targets[0].cmp, MODEL_CMP_LE, "objective text <=");
	ok(fabs(c.targets[0].objective - 0.5) < 1e-12, "objective value");
	is_int(c.targets[0].n_queries, 1, "shorthand metric becomes one query");
	is_str(c.targets[0].queries[0].id, "m1", "with id m1");
	is_str(c.targets[0].stat, "p99", "percentile stat");
	is_int(c.targets[1].cmp, MODEL_CMP_LT, "objective mapping LessThan");
	is_int(c.targets[1].n_queries, 3, "expression queries");
	is_int(c.targets[2].source, FD_TARGET_MEASUREMENT, "measurement");
	is_str(c.targets[2].region, "dr", "target region");
	ok(fabs(c.targets[2].scale - 0.5) < 1e-12, "scale");
	is_int(c.targets[2].range_s, 900, "default range");
	config_clean_up(&c);

	if (!is_int(config_parse(&c, "good.yaml", good, strlen(good), "eu-west-1", &err), 0, "with --region"))
		printf("# %s\n", err.message);
	is_str(c.primary, "eu-west-1", "--region overrides the primary");
	config_clean_up(&c);
}

static void test_defaults(void)
{
	struct fd_config c;
	struct fd_error err;
	const char *empty = "", *only = "refresh: 30\n";

	config_defaults(&c, NULL);
	is_str(c.primary, "ap-northeast-2", "default primary Seoul");
	is_str(c.dr, "ap-northeast-1", "default DR Tokyo");
	is_int(c.n_targets, 5, "five default targets");
	is_str(c.targets[0].name, "scale-out latency", "target 1");
	is_int(c.targets[0].source, FD_TARGET_ASG_ACTIVITY, "from scaling activities");
	is_str(c.targets[1].queries[0].metric, "SessionLossRate", "session loss metric");
	is_int(c.targets[1].n_queries, 1, "one query: CloudWatch has no dimensionless ElastiCache series");
	ok(c.targets[1].sessions_fallback, "or the sessions panel's evictions");
	is_int(c.targets[2].source, FD_TARGET_RDS_REPLICA, "replica latency");
	is_int(c.targets[2].cmp, MODEL_CMP_GE, ">= 30");
	is_str(c.targets[3].measurement, "downtime_s", "downtime measurement");
	is_str(c.targets[4].unit, "min", "deploy duration in minutes");
	ok(fabs(c.targets[4].scale * 60 - 1) < 1e-12, "seconds scaled to minutes");
	ok(c.xray, "xray on by default");
	is_int(c.n_lbs, 0, "discovery: no names");
	config_clean_up(&c);

	config_defaults(&c, "ap-northeast-1");
	is_str(c.primary, "ap-northeast-1", "--region Tokyo");
	ok(c.dr == NULL, "no DR when the primary is Tokyo");
	config_clean_up(&c);
	config_defaults(&c, "us-east-1");
	is_str(c.dr, "ap-northeast-1", "other primary keeps the Tokyo DR");
	config_clean_up(&c);

	is_int(config_parse(&c, "e.yaml", empty, 0, NULL, &err), 0, "an empty file is the defaults");
	is_int(c.n_targets, 5, "with the default targets");
	config_clean_up(&c);
	is_int(config_parse(&c, "o.yaml", only, strlen(only), NULL, &err), 0, "refresh only");
	is_int(c.n_targets, 5, "keeps the default targets");
	is_int(c.refresh_s, 30, "refresh");
	config_clean_up(&c);
	{
		const char *none = "targets: []\n";
		is_int(config_parse(&c, "n.yaml", none, strlen(none), NULL, &err), 0, "targets: []");
		is_int(c.n_targets, 0, "no targets");
		config_clean_up(&c);
	}
	{
		const char *nodr = "stack:\n  regions:\n    primary: eu-west-1\n    dr: none\n";
		is_int(config_parse(&c, "n.yaml", nodr, strlen(nodr), NULL, &err), 0, "dr: none");
		ok(c.dr == NULL, "single region");
		config_clean_up(&c);
	}
}

static const struct {
	const char *yaml;
	const char *message;
} bad[] = {
	{ "stack: [1, 2]\n", "bad.yaml:1:8: stack: expected a mapping, got a list" },
	{ "stak: {}\n", "bad.yaml:1:1: config: unknown key 'stak' (expected one of: stack, refresh, panels, targets)" },
	{ "refresh: ten\n", "bad.yaml:1:10: refresh: expected a whole number, got 'ten'" },
	{ "refresh: 0\n", "bad.yaml:1:10: refresh: 0 is out of range (1 to 3600)" },
	{ "refresh: [1]\n", "bad.yaml:1:10: refresh: expected a whole number, got a list" },
	{ "refresh: 5\nrefresh: 6\n", "bad.yaml:2:1: config: duplicate key 'refresh'" },
	{ "stack:\n  regions: { primary: seoul }\n", "bad.yaml:2:23: regions.primary: 'seoul' is not an AWS region (like ap-northeast-2)" },
	{ "stack:\n  regions: { west: us-west-2 }\n", "bad.yaml:2:14: stack.regions: unknown key 'west' (expected one of: primary, dr)" },
	{ "stack:\n  load_balancers: petclinic-alb\n", "bad.yaml:2:19: stack.load_balancers: expected a list of names, got a scalar" },
	{ "stack:\n  load_balancers: [a, [b]]\n", "bad.yaml:2:23: stack.load_balancers: expected a name, got a list" },
	{ "stack:\n  xray: maybe\n", "bad.yaml:2:9: stack.xray: expected true or false, got 'maybe'" },
	{ "stack:\n  tags: [app]\n", "bad.yaml:2:9: stack.tags: expected a mapping of names to values, got a list" },
	{ "stack:\n\tregions: {}\n", "bad.yaml:2:1: tab character in indentation (YAML indents with spaces)" },
	{ "stack: {regions: {primary: a\n", "bad.yaml:2:1: did not find expected ',' or '}' while parsing a flow mapping" },
	{ "key: [unclosed\n", "bad.yaml:2:1: did not find expected ',' or ']' while parsing a flow sequence" },
	{ "a: b\n- c\n", "bad.yaml:2:1: did not find expected key while parsing a block mapping" },
	{ "hello\n", "bad.yaml:1:1: config: expected a mapping, got a scalar" },
	{ "refresh: 5\n---\nrefresh: 6\n", "bad.yaml:3:1: only one YAML document is allowed" },
	{ "panels: {}\n", "bad.yaml:1:9: panels: expected a list, got a mapping" },
	{ "panels:\n  - title: x\n", "bad.yaml:2:5: panel: missing 'queries'" },
	{ "panels:\n  - title: x\n    queries: []\n", "bad.yaml:3:14: panel.queries: must not be empty" },
	{ "panels:\n  - title: x\n    period: 7\n    queries: [{id: m1, expression: \"1\"}]\n", "bad.yaml:3:13: period: 7 is not 1, 5, 10, 30 or a multiple of 60" },
	{ "panels:\n  - title: x\n    stat: Median\n    queries: [{id: m1, expression: \"1\"}]\n", "bad.yaml:3:11: stat: 'Median' is not a statistic (Average, Sum, Minimum, Maximum, SampleCount, p99 ...)" },
	{ "panels:\n  - title: x\n    region: all\n    queries: [{id: m1, expression: \"1\"}]\n", "bad.yaml:3:13: region: 'all' is not primary, dr or both" },
	{ "panels:\n  - title: x\n    queries: [{id: M1, expression: \"1\"}]\n", "bad.yaml:3:20: id: 'M1' must start with a lower-case letter" },
	{ "panels:\n  - title: x\n    queries: [{id: m-1, expression: \"1\"}]\n", "bad.yaml:3:20: id: 'm-1' may hold only letters, digits and _" },
	{ "panels:\n  - title: x\n    queries: [{id: m1}]\n", "bad.yaml:3:15: query m1: needs namespace and metric, or an expression" },
	{ "panels:\n  - title: x\n    queries: [{id: m1, expression: \"1\", metric: M, namespace: N}]\n", "bad.yaml:3:15: query m1: give either expression or namespace/metric, not both" },
	{ "panels:\n  - title: x\n    queries: [{id: m1, expression: \"1\"}, {id: m1, expression: \"2\"}]\n", "bad.yaml:3:42: query m1: duplicate id" },
	{ "panels:\n  - title: x\n    queries: [{id: m1, expresion: \"1\"}]\n", "bad.yaml:3:24: query: unknown key 'expresion' (expected one of: id, label, namespace, metric, dimensions, stat, expression, return_data)" },
	{ "targets:\n  - name: a\n    source: measurement\n    measurement: x\n", "bad.yaml:2:5: target: missing 'objective'" },
	{ "targets:\n  - name: a\n    source: measurement\n    measurement: x\n    objective: about 5\n", "bad.yaml:5:16: objective: 'about 5' must start with a comparison (<, <=, >, >=, ==)" },
	{ "targets:\n  - name: a\n    source: measurement\n    measurement: x\n    objective: \"< five\"\n", "bad.yaml:5:16: objective: expected a number after '<'" },
	{ "targets:\n  - name: a\n    source: measurement\n    measurement: x\n    objective: \"< 5 min\"\n", "bad.yaml:5:16: objective: unexpected 'min' after the number (put units in 'unit')" },
	{ "targets:\n  - name: a\n    source: measurement\n    measurement: x\n    objective: { comparison: Below, value: 5 }\n", "bad.yaml:5:30: objective.comparison: 'Below' is not one of <, <=, >, >=, ==, LessThan, LessThanOrEqualTo, GreaterThan, GreaterThanOrEqualTo, EqualTo" },
	{ "targets:\n  - name: a\n    source: measurement\n    measurement: x\n    objective: { comparison: \"<\" }\n", "bad.yaml:5:16: objective: missing 'value'" },
	{ "targets:\n  - name: a\n    source: measurement\n    measurement: x\n    objective: { comparison: \"<\", value: lots }\n", "bad.yaml:5:42: objective.value: expected a number, got 'lots'" },
	{ "targets:\n  - name: a\n    source: guess\n    objective: < 1\n", "bad.yaml:3:13: source: 'guess' is not one of metric, expression, asg-activity, measurement, rds-replica-latency" },
	{ "targets:\n  - name: a\n    source: measurement\n    objective: < 1\n", "bad.yaml:2:5: target a: source measurement needs 'measurement' (e.g. downtime_s)" },
	{ "targets:\n  - name: a\n    source: metric\n    objective: < 1\n", "bad.yaml:2:5: target a: source metric needs namespace and metric, an expression, or queries" },
	{ "targets:\n  - name: a\n    source: metric\n    metric: CPU\n    objective: < 1\n", "bad.yaml:4:13: target a: needs both namespace and metric" },
	{ "targets:\n  - name: a\n    source: asg-activity\n    namespace: N\n    metric: M\n    objective: < 1\n", "bad.yaml:2:5: target a: this source takes no metric queries" },
	{ "targets:\n  - name: a\n    source: asg-activity\n    objective: < 1\n  - name: a\n    source: asg-activity\n    objective: < 2\n", "bad.yaml:5:5: target a: duplicate name" },
	{ "targets:\n  - name: a\n    source: asg-activity\n    objective: < 1\n    scale: 0\n", "bad.yaml:5:12: scale: must not be 0" },
	{ "targets:\n  - name: a\n    source: asg-activity\n    objective: < 1\n    colour: red\n", "bad.yaml:5:5: target: unknown key 'colour' (expected one of: name, source, objective, unit, region, namespace, metric, dimensions, expression, queries, stat, period, range, asg, measurement, scale)" },
	{ "targets:\n  - name: \"\"\n    source: asg-activity\n    objective: < 1\n", "bad.yaml:2:11: name: must not be empty" },
	{ "targets:\n  - just a string\n", "bad.yaml:2:5: target: expected a mapping, got a scalar" },
	{ "targets:\n  - name: a\n    source: asg-activity\n    objective: < 1\n    region: both\n", "bad.yaml:5:13: region: 'both' is not primary or dr" },
	{ "\"unterminated\n", "bad.yaml:2:1: found unexpected end of stream while scanning a quoted scalar" },
};

static void test_bad(void)
{
	struct fd_config c;
	struct fd_error err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fd_error_clear(&err);
		memset(&c, 0x5a, sizeof(c));
		is_int(config_parse(&c, "bad.yaml", bad[i].yaml, strlen(bad[i].yaml), NULL, &err), -1,
		       "bad input %zu fails", i);
		is_str(err.message, bad[i].message, "bad input %zu: message", i);
		is_str(err.code, "ConfigError", "bad input %zu: code", i);
		ok(c.primary == NULL && c.targets == NULL, "bad input %zu: nothing left to free", i);
	}
}

static void test_files(void)
{
	struct fd_config c;
	struct fd_error err;
	char dir[] = "/tmp/fd-config-XXXXXX", path[256];
	FILE *f;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/missing.yaml", dir);
	is_int(config_load(&c, path, NULL, &err), -1, "a missing --config fails");

	{
		char want[512];
		snprintf(want, sizeof(want), "%s: No such file or directory", path);
		is_str(err.message, want, "and names the file");
	}
	setenv("XDG_CONFIG_HOME", dir, 1);
	is_int(config_load(&c, NULL, "us-east-2", &err), 0, "no default file: defaults");
	is_str(c.primary, "us-east-2", "with --region");
	ok(c.file == NULL, "no file");
	config_clean_up(&c);
	snprintf(path, sizeof(path), "%s/flightdeck", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/flightdeck/config.yaml", dir);
	f = fopen(path, "w");
	fputs("refresh: 7\nstack: {regions: {primary: eu-central-1}}\n", f);
	fclose(f);
	is_int(config_load(&c, NULL, NULL, &err), 0, "the XDG default file is read");
	is_int(c.refresh_s, 7, "its refresh");
	is_str(c.primary, "eu-central-1", "its region");
	is_str(c.dr, "ap-northeast-1", "default DR kept");
	is_str(c.file, path, "file recorded");
	config_clean_up(&c);
	f = fopen(path, "w");
	fputs("refresh: 7\n  bad: indent\n", f);
	fclose(f);
	is_int(config_load(&c, NULL, NULL, &err), -1, "a bad default file fails");
	{
		char want[512];
		snprintf(want, sizeof(want), "%s:2:6: mapping values are not allowed in this context", path);
		is_str(err.message, want, "FILE:LINE:COLUMN");
	}
	unlink(path);
	snprintf(path, sizeof(path), "%s/flightdeck", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	test_good();
	test_defaults();
	test_bad();
	test_files();
	return done_testing();
}
