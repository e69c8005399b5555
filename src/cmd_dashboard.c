/* cmd_dashboard.c — `flightdeck` without a command: the live dashboard.
 *
 * Wires the parts together for the TUI: with --demo, the simulator first;
 * the signed client (runbook runs use it); the data source.
 */
#include "src/cli.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/client.h"
#include "aws/creds.h"
#include "aws/error.h"
#include "sim/sim.h"
#include "tui/fake.h"
#include "tui/tui.h"

/* Start the simulator with its stderr kept off the screen; 0 or -1 with err. */
static int demo_start(char *endpoint, size_t size, pid_t *pid, struct fd_error *err)
{
	const char *scenario = getenv("FLIGHTDECK_DEMO_SCENARIO");
	int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY), rc;

	if (null >= 0)
		dup2(null, STDERR_FILENO);
	rc = sim_spawn(scenario && *scenario ? scenario : "petclinic", endpoint, size, pid, err);
	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
	if (null >= 0)
		close(null);
	return rc;
}

int cmd_dashboard_main(int argc, char **argv, struct fd_globals *g)
{
	struct tui_options o = {
		.profile = g->profile,
		.region = g->region,
		.read_only = g->read_only,
		.no_color = g->no_color,
		.ascii = g->ascii,
		.refresh_s = g->refresh_s,
	};
	struct client_options co = {
		.profile = g->profile,
		.region = g->region,
		.endpoint_url = g->endpoint_url,
		.debug_file = g->debug_file,
		.read_only = g->read_only,
	};
	struct creds_provider *creds = NULL;
	struct client *client = NULL;
	struct tui_source *src;
	struct fd_error err;
	char buf[700], endpoint[256];
	pid_t sim_pid = 0;
	int rc = 0;

	(void)argc; (void)argv;
	fd_error_clear(&err);
	if (g->demo) {
		if (demo_start(endpoint, sizeof(endpoint), &sim_pid, &err) < 0) {
			fprintf(stderr, "flightdeck: --demo: %s\n", fd_error_str(&err, buf, sizeof(buf)));
			return 1;
		}
		co.endpoint_url = endpoint;
		co.creds = creds = creds_static_new(SIM_ACCESS_KEY, SIM_SECRET_KEY, NULL);
		if (!co.region)
			co.region = o.region = "ap-northeast-2";
		if (!o.profile)
			o.profile = "demo";
	}
	client = client_new(&co, &err);
	if (!client) {
		fprintf(stderr, "flightdeck: %s\n", fd_error_str(&err, buf, sizeof(buf)));
		rc = 1;
		goto out;
	}
	/* the collectors fill the model once they land; until then the fake shows the frame */
	src = fake_source_new(g->refresh_s);
	fake_source_set_client(src, client);
	o.source = src;
	if (!o.region)
		o.region = client_region(client);
	if (tui_run(&o, &err) < 0) {
		fprintf(stderr, "flightdeck: %s\n", fd_error_str(&err, buf, sizeof(buf)));
		rc = 1;
	}
	fake_source_destroy(src);
out:
	client_destroy(client);
	if (creds)
		creds_provider_destroy(creds);
	if (sim_pid > 0)
		sim_stop(sim_pid);
	return rc;
}
