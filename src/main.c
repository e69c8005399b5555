/* main.c — flightdeck's entry point: shared options, then one subcommand. */
#include "src/cli.h"
#include "src/limits.h"

#include <locale.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct cli_command cli_commands[] = {
	{ .name = "sigv4", .usage = "sigv4 [options] FILE.req",
	  .summary = "sign a raw HTTP request; print authz|creq|sts|sreq",
	  .main = cmd_sigv4_main },
	{ .name = "call", .usage = "call SERVICE OPERATION [Name=Value ...] [--input-json FILE|-] [--all-pages] [--yes]",
	  .summary = "one signed AWS call, JSON out; a mutating one is confirmed (or --yes) and audited",
	  .main = cmd_call_main },
	{ .name = "whoami", .usage = "whoami [--json]",
	  .summary = "profile, region, credential source and caller identity",
	  .main = cmd_whoami_main },
	{ .name = "sim", .usage = "sim [--listen ADDR:PORT] [--scenario NAME|FILE] [--seed N] [--fault SPEC ...]",
	  .summary = "a simulated AWS on loopback", .main = cmd_sim_main },
	{ .name = "snapshot", .usage = "snapshot [--json]",
	  .summary = "one collection, printed; exit 0 targets met, 1 missed, 2 error",
	  .main = cmd_snapshot_main },
	{ .name = "runbook", .usage = "runbook list|show|validate|plan|run|resume ...",
	  .summary = "scripted, confirmed changes", .main = cmd_runbook_main },
	{ .name = "measurements", .usage = "measurements list [--stack NAME] | drop RUN-ID",
	  .summary = "the figures runbooks measured (RTO, downtime, ...), per stack and run", .main = cmd_measurements_main },
	{ .name = NULL },
};

static void usage(FILE *out)
{
	const struct cli_command *c;

	fprintf(out, "usage: flightdeck [--profile P] [--region R] [--endpoint-url URL] [--config FILE]\n"
		     "                  [--read-only] [--demo] [--refresh SECONDS] [--no-color] [--ascii]\n"
		     "                  [--debug FILE] [--exit-after SECONDS] [--max-call-mib N] [COMMAND ...]\n\n"
		     "Without a command, the dashboard. Commands:\n");
	for (c = cli_commands; c->name; c++)
		fprintf(out, "  flightdeck %-60s\n      %s\n", c->usage, c->summary);
}

int main(int argc, char **argv)
{
	struct fd_globals g = { .refresh_s = 10 };
	const struct cli_command *c;
	int i = 1, r;

	setlocale(LC_ALL, "");
	if (getenv("NO_COLOR") && getenv("NO_COLOR")[0])
		g.no_color = true;
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("flightdeck %s\n", PACKAGE_VERSION);
			return 0;
		}
		r = cli_take_global(&g, argc, argv, &i);
		if (r < 0)
			return 2;
		if (r == 0) {
			fprintf(stderr, "flightdeck: unknown option '%s' (see flightdeck --help)\n", argv[i]);
			return 2;
		}
	}
	limits_apply(i < argc ? argv[i] : NULL);
	if (i == argc)
		return cmd_dashboard_main(argc - i, argv + i, &g);
	for (c = cli_commands; c->name; c++)
		if (strcmp(c->name, argv[i]) == 0)
			return c->main(argc - i, argv + i, &g);
	fprintf(stderr, "flightdeck: unknown command '%s'; commands:", argv[i]);
	for (c = cli_commands; c->name; c++)
		fprintf(stderr, " %s", c->name);
	fputc('\n', stderr);
	return 2;
}
