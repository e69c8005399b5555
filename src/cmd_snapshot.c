/* cmd_snapshot.c — `flightdeck snapshot [--json]`: one full collection, printed.
 *
 * Exit 0 when everything was read and every target is met (or has no data), 1
 * when a target is missed or a region is down, 2 when something could not be
 * read (any panel of any region, or a global one) or on a usage error; the
 * reasons go to stderr, one line each (model/verdict.h).
 */
#include "src/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include <jansson.h>

#include "aws/client.h"
#include "aws/creds.h"
#include "base/strbuf.h"
#include "base/termtext.h"
#include "model/collector.h"
#include "model/config.h"
#include "model/model.h"
#include "model/snapshot.h"
#include "model/targets.h"
#include "model/verdict.h"
#include "sim/sim.h"

#define DEFAULT_TIMEOUT_S 60

/* Print usage. */
static void usage(FILE *out)
{
	fprintf(out, "usage: flightdeck snapshot [--json] [--timeout SECONDS]\n"
		     "  one full collection of both regions, printed as text or JSON\n"
		     "  (schema: docs/snapshot-schema.md); exit 0 when everything was read and\n"
		     "  every target is met, 1 when a target is missed or a region is down, 2\n"
		     "  when something could not be read (reasons on stderr) or on a usage error\n");
}

int cmd_snapshot_main(int argc, char **argv, struct fd_globals *g)
{
	struct client_options co = { 0 };
	struct fd_config cfg;
	struct model m;
	struct client *cl = NULL;
	struct collector *col = NULL;
	struct creds_provider *demo_creds = NULL;
	struct fd_error err;
	char buf[1024], endpoint[256];
	pid_t sim_pid = 0;
	long timeout_s = DEFAULT_TIMEOUT_S;
	int json = 0, i = 1, r, status = 2;

	fd_error_clear(&err);
	while (i < argc) {
		if (strcmp(argv[i], "--json") == 0) {
			json = 1;
			i++;
			continue;
		}
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
			char *end;
			timeout_s = strtol(argv[i + 1], &end, 10);
			if (*end || timeout_s < 1 || timeout_s > 3600) {
				fprintf(stderr, "flightdeck: snapshot: --timeout: '%s' is not a number of seconds from 1 to 3600\n",
					argv[i + 1]);
				return 2;
			}
			i += 2;
			continue;
		}
		r = cli_take_global(g, argc, argv, &i);
		if (r < 0)
			return 2;
		if (r == 0) {
			fprintf(stderr, "flightdeck: snapshot: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (config_load(&cfg, g->config, g->region, &err)) {
		fprintf(stderr, "flightdeck: %s\n", err.message);
		return 2;
	}
	if (g->demo) {
		if (sim_spawn("petclinic", endpoint, sizeof(endpoint), &sim_pid, &err)) {
			fprintf(stderr, "flightdeck: snapshot: --demo: %s\n", fd_error_str(&err, buf, sizeof(buf)));
			config_clean_up(&cfg);
			return 2;
		}
		demo_creds = creds_static_new(SIM_ACCESS_KEY, SIM_SECRET_KEY, NULL);
		co.endpoint_url = endpoint;
		co.creds = demo_creds;
	} else {
		co.endpoint_url = g->endpoint_url;
		co.profile = g->profile;
	}
	co.region = cfg.primary;
	co.debug_file = g->debug_file;
	co.read_only = true;            /* a snapshot only reads */
	co.max_call_bytes = CLI_MAX_CALL_BYTES(g);
	model_init(&m, cfg.primary, cfg.dr);
	cl = client_new(&co, &err);
	if (cl)
		col = collector_new(cl, &cfg, &m, &err);
	if (!cl || !col) {
		fprintf(stderr, "flightdeck: snapshot: %s\n", fd_error_str(&err, buf, sizeof(buf)));
		goto out;
	}
	if (collector_run_once(col, timeout_s * 1000, &err)) {
		fprintf(stderr, "flightdeck: snapshot: %s\n", fd_error_str(&err, buf, sizeof(buf)));
		goto out;
	}
	if (json) {
		json_t *doc = snapshot_json(&m, time(NULL));
		char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		/* AWS data: C1 controls and bidi overrides become \u escapes (same JSON value) */
		termtext_fputs(text, TERMTEXT_JSON | TERMTEXT_MULTILINE, stdout);
		putchar('\n');
		free(text);
		json_decref(doc);
	} else {
		struct strbuf sb;
		strbuf_init(&sb);
		snapshot_text(&m, time(NULL), &sb);
		termtext_fputs(sb.data, TERMTEXT_MULTILINE, stdout);   /* names and messages are AWS data */
		strbuf_clean_up(&sb);
	}
	{
		struct strbuf why;
		char *p, *nl;
		strbuf_init(&why);
		status = verdict_exit_status(&m, &why);
		if (snapshot_all_failed(&m))
			fputs("flightdeck: snapshot: no data from any API\n", stderr);
		for (p = why.data; p && *p; p = nl + 1) {
			nl = p + strcspn(p, "\n");
			if (*nl)
				*nl = '\0';
			else
				nl--;   /* the last line: p = nl + 1 ends the loop */
			fputs("flightdeck: snapshot: ", stderr);
			termtext_fputs(p, 0, stderr);
			fputc('\n', stderr);
		}
		strbuf_clean_up(&why);
	}
out:
	collector_destroy(col);
	client_destroy(cl);
	model_clean_up(&m);
	config_clean_up(&cfg);
	if (demo_creds)
		creds_provider_destroy(demo_creds);
	if (sim_pid > 0)
		sim_stop(sim_pid);
	return status;
}
