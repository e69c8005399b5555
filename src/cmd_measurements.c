/* cmd_measurements.c — `flightdeck measurements list [--stack NAME] | drop RUN-ID`:
 * the figures runbooks measured (RTO, downtime, deploy duration, ...), which the
 * dashboard's success targets read; drop removes a run's figures (a bad game day). */
#include "src/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/measure.h"

/* Copy s into out for a terminal: control bytes shown as '?' (the file is ours, its strings
 * come from runbook parameters). */
static void termtext_copy(char *out, size_t size, const char *s, int flags)
{
	size_t i;

	(void)flags;
	snprintf(out, size, "%s", s);
	for (i = 0; out[i]; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '?';
}

/* `measurements list`: one line per figure, oldest first. */
static int list(const char *stack)
{
	struct measure *ms;
	struct fd_error err;
	size_t n, skipped, i, shown = 0;
	char *path = measure_path();

	if (measure_load(path, &ms, &n, &skipped, &err) < 0) {
		fprintf(stderr, "flightdeck: %s\n", err.message);
		free(path);
		return 2;
	}
	printf("%-20s  %-12s  %-22s  %-20s  %10s  %s\n", "time", "stack", "runbook", "measurement", "value", "run");
	for (i = 0; i < n; i++) {
		char when[32], s[64], rb[64], name[64], run[160];
		struct tm tm;
		if (stack && (!ms[i].stack || strcmp(ms[i].stack, stack) != 0))
			continue;
		gmtime_r(&ms[i].at, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		termtext_copy(s, sizeof(s), ms[i].stack ? ms[i].stack : "-", 0);
		termtext_copy(rb, sizeof(rb), ms[i].runbook ? ms[i].runbook : "-", 0);
		termtext_copy(name, sizeof(name), ms[i].name, 0);
		termtext_copy(run, sizeof(run), ms[i].run_id ? ms[i].run_id : "-", 0);
		printf("%-20s  %-12s  %-22s  %-20s  %10.1f  %s\n", when, s, rb, name, ms[i].value, run);
		shown++;
	}
	if (skipped)
		fprintf(stderr, "flightdeck: %zu malformed line%s of %s skipped\n", skipped, skipped == 1 ? "" : "s", path);
	if (!shown)
		printf("(no measurements%s%s)\n", stack ? " of stack " : "", stack ? stack : "");
	measure_free(ms, n);
	free(path);
	return 0;
}

/* `measurements drop RUN-ID`: remove that run's figures. */
static int drop(const char *run_id)
{
	struct fd_error err;
	size_t removed;
	char *path = measure_path();
	int rc = 0;

	if (measure_drop(path, run_id, &removed, &err) < 0) {
		fprintf(stderr, "flightdeck: %s\n", err.message);
		rc = 2;
	} else if (removed == 0) {
		fprintf(stderr, "flightdeck: no measurements of run %s\n", run_id);
		rc = 1;
	} else
		printf("dropped %zu measurement%s of run %s\n", removed, removed == 1 ? "" : "s", run_id);
	free(path);
	return rc;
}

int cmd_measurements_main(int argc, char **argv, struct fd_globals *g)
{
	static const char usage[] = "usage: flightdeck measurements list [--stack NAME] | drop RUN-ID\n";

	(void)g;
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return list(NULL);
	if (argc == 4 && strcmp(argv[1], "list") == 0 && strcmp(argv[2], "--stack") == 0)
		return list(argv[3]);
	if (argc == 3 && strcmp(argv[1], "drop") == 0)
		return drop(argv[2]);
	fputs(usage, stderr);
	return 2;
}
