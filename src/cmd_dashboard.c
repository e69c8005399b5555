/* cmd_dashboard.c — `flightdeck` without a command: the live dashboard.
 *
 * Wires the parts together: config -> model -> collector on the signed client,
 * handed to the TUI as its data source; with --demo, the simulator first.
 */
#include "src/cli.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aws/client.h"
#include "aws/creds.h"
#include "base/error.h"
#include "base/xalloc.h"
#include "model/collector.h"
#include "model/config.h"
#include "model/model.h"
#include "sim/sim.h"
#include "tui/tui.h"

/* The live data source: a client, a config, the model and its collector. */
struct live {
	struct tui_source src;
	struct fd_globals *g;
	const char *endpoint_url;          /* the simulator's with --demo */
	struct creds_provider *creds;      /* the simulator's keys with --demo, else NULL */
	struct client *client;
	struct fd_config cfg;
	bool have_cfg;
	struct model model;
	struct collector *coll;
	int refresh_s;
	char profile[64];                  /* what is in use now ("" : the default) */
	char region[64];
	char sim_endpoint[256];            /* --demo */
	pid_t sim_pid;
	bool want_traces;                  /* the X-Ray view is open */
};

/* Free the client, collector, model and config of l (the order the collector asks for). */
static void live_clean_up(struct live *l)
{
	if (l->coll)
		collector_destroy(l->coll);
	if (l->client)
		client_destroy(l->client);
	model_clean_up(&l->model);
	if (l->have_cfg)
		config_clean_up(&l->cfg);
	l->coll = NULL;
	l->client = NULL;
	l->have_cfg = false;
}

/* Load the config for region and set up an empty model; 0 or -1 with err. */
static int live_config(struct live *l, const char *region, struct fd_error *err)
{
	memset(&l->model, 0, sizeof(l->model));
	if (config_load(&l->cfg, l->g->config, region, err) < 0)
		return -1;
	l->have_cfg = true;
	model_init(&l->model, l->cfg.primary, l->cfg.dr);
	return 0;
}

/* The client and the collector for profile and region; 0 or -1 with err. */
static int live_connect(struct live *l, const char *profile, const char *region, struct fd_error *err)
{
	struct client_options co = {
		.profile = profile,
		.region = region,
		.endpoint_url = l->endpoint_url,
		.debug_file = l->g->debug_file,
		.read_only = l->g->read_only,
		.max_call_bytes = CLI_MAX_CALL_BYTES(l->g),
		.creds = l->creds,
	};

	l->client = client_new(&co, err);
	if (!l->client)
		return -1;
	l->coll = collector_new(l->client, &l->cfg, &l->model, err);
	if (!l->coll)
		return -1;
	collector_want_traces(l->coll, l->want_traces);
	collector_set_refresh(l->coll, l->refresh_s);
	return 0;
}

/* Config, model, client and collector for profile and region; 0 or -1 with err. */
static int live_build(struct live *l, const char *profile, const char *region, struct fd_error *err)
{
	if (live_config(l, region, err) < 0)
		return -1;
	return live_connect(l, profile, region, err);
}

/* Queue what is due, then the client's sockets. */
static int live_poll_fds(void *ctx, struct pollfd *fds, int max)
{
	struct live *l = ctx;

	if (!l->coll)
		return 0;
	collector_due(l->coll, time(NULL));
	return collector_poll_fds(l->coll, fds, max);
}

/* Until the next panel is due or a transfer needs attention. */
static long live_timeout_ms(void *ctx)
{
	struct live *l = ctx;

	return l->coll ? collector_timeout_ms(l->coll, time(NULL)) : -1;
}

/* Drive the transfers; completed calls update the model. */
static void live_perform(void *ctx, const struct pollfd *fds, int nfds)
{
	struct live *l = ctx;

	if (l->coll)
		collector_perform(l->coll, fds, nfds);
}

/* `r`: everything is due now. */
static void live_refresh_now(void *ctx)
{
	struct live *l = ctx;

	if (l->coll)
		collector_refresh_now(l->coll);
}

/* The metrics view's statistic, period and range go to the collector. */
static void live_metric_options(void *ctx, const char *stat, int period_s, int range_s)
{
	struct live *l = ctx;

	if (l->coll)
		collector_set_metric_options(l->coll, stat, period_s, range_s);
}

/* The alarm opened in the alarms view: its metric is read with its region's metrics. */
static void live_focus_alarm(void *ctx, const char *region, const char *alarm)
{
	struct live *l = ctx;

	if (l->coll)
		collector_set_focus_alarm(l->coll, region, alarm);
}

/* Calls in flight: the dashboard draws one frame per burst of answers. */
static int live_in_flight(void *ctx)
{
	struct live *l = ctx;

	return l->coll ? collector_in_flight(l->coll) : 0;
}

/* The X-Ray view opened or left: its trace list is read only while it is open. */
static void live_want_traces(void *ctx, bool on)
{
	struct live *l = ctx;

	l->want_traces = on;
	if (l->coll)
		collector_want_traces(l->coll, on);
}

/* The client runbook runs use: the collector's. */
static struct client *live_client(void *ctx)
{
	return ((struct live *)ctx)->client;
}

/* :profile / :region: build everything anew; on failure, rebuild what was there. */
static int live_switch_to(void *ctx, const char *profile, const char *region, struct fd_error *err)
{
	struct live *l = ctx;
	struct fd_error again;

	if (l->creds)
		profile = NULL;   /* --demo: the simulator's keys; the profile is only a label */
	live_clean_up(l);
	if (live_build(l, profile, region, err) == 0) {
		snprintf(l->profile, sizeof(l->profile), "%s", profile ? profile : "");
		snprintf(l->region, sizeof(l->region), "%s", region ? region : "");
		return 0;
	}
	live_clean_up(l);
	fd_error_clear(&again);
	live_build(l, l->profile[0] ? l->profile : NULL, l->region[0] ? l->region : NULL, &again);
	return -1;
}

/* Start the simulator with stderr kept off the screen; 0 or -1 with err. */
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

/* After the first frame: the simulator (--demo), then the client and the collector. */
static int live_start(void *ctx, struct fd_error *err)
{
	struct live *l = ctx;

	if (l->g->demo) {
		if (demo_start(l->sim_endpoint, sizeof(l->sim_endpoint), &l->sim_pid, err) < 0) {
			fd_error_prefix(err, "--demo");
			return -1;
		}
		l->endpoint_url = l->sim_endpoint;
		l->creds = creds_static_new(SIM_ACCESS_KEY, SIM_SECRET_KEY, NULL);
	}
	return live_connect(l, l->profile[0] && !l->g->demo ? l->profile : NULL, l->region[0] ? l->region : NULL, err);
}

/* NULL in flightdeck; the test binary sets it (see cli.h). */
const struct cli_test_source *cli_test_source;

/* `flightdeck` with no command: set up the source and run the dashboard. */
int cmd_dashboard_main(int argc, char **argv, struct fd_globals *g)
{
	struct tui_options o = {
		.profile = g->profile,
		.region = g->region,
		.read_only = g->read_only,
		.no_color = g->no_color,
		.ascii = g->ascii,
		.refresh_s = g->refresh_s,
		.exit_after_ms = g->exit_after_s * 1000L,
	};
	struct live *l = xcalloc(1, sizeof(*l));
	struct fd_error err;
	char buf[700];
	const char *fake = getenv("FLIGHTDECK_FAKE_MODEL");
	int rc = 0;

	(void)argc; (void)argv;
	fd_error_clear(&err);
	l->g = g;
	l->refresh_s = g->refresh_s;
	l->endpoint_url = g->endpoint_url;
	if (g->demo) {
		if (!o.region)
			o.region = "ap-northeast-2";
		if (!o.profile)
			o.profile = "demo";
	}
	if (cli_test_source && fake && strcmp(fake, "1") == 0) {
		/* the test binary's model; with --demo its runbook runs use the simulator */
		o.source = cli_test_source->create(g->refresh_s);
		if (g->demo) {
			struct client_options co = { .region = o.region, .read_only = g->read_only };
			if (demo_start(l->sim_endpoint, sizeof(l->sim_endpoint), &l->sim_pid, &err) < 0) {
				fprintf(stderr, "flightdeck: --demo: %s\n", fd_error_str(&err, buf, sizeof(buf)));
				rc = 1;
				goto out;
			}
			co.endpoint_url = l->sim_endpoint;
			co.creds = l->creds = creds_static_new(SIM_ACCESS_KEY, SIM_SECRET_KEY, NULL);
			l->client = client_new(&co, &err);
			if (l->client)
				cli_test_source->set_client((struct tui_source *)o.source, l->client);
		} else if (g->endpoint_url) {
			/* tests of runs against a simulator they started (its /_sim/requests) */
			struct client_options co = { .region = o.region, .read_only = g->read_only,
						     .endpoint_url = g->endpoint_url };
			l->client = client_new(&co, &err);
			if (l->client)
				cli_test_source->set_client((struct tui_source *)o.source, l->client);
		}
	} else {
		/* the config now (a bad file exits 2 before the screen changes); the rest after the first frame */
		snprintf(l->profile, sizeof(l->profile), "%s", g->profile ? g->profile : "");
		snprintf(l->region, sizeof(l->region), "%s", o.region ? o.region : "");
		if (live_config(l, o.region, &err) < 0) {
			fprintf(stderr, "flightdeck: %s\n", fd_error_str(&err, buf, sizeof(buf)));
			rc = fd_error_exit_status(&err);
			goto out;
		}
		l->src.model = &l->model;
		l->src.ctx = l;
		l->src.start = live_start;
		l->src.poll_fds = live_poll_fds;
		l->src.timeout_ms = live_timeout_ms;
		l->src.perform = live_perform;
		l->src.refresh_now = live_refresh_now;
		l->src.metric_options = live_metric_options;
		l->src.focus_alarm = live_focus_alarm;
		l->src.want_traces = live_want_traces;
		l->src.in_flight = live_in_flight;
		l->src.fixed_credentials = g->demo;
		l->src.switch_to = live_switch_to;
		l->src.client = live_client;
		o.source = &l->src;
		if (!o.region)
			o.region = l->cfg.primary;
	}
	if (tui_run(&o, &err) < 0) {
		fprintf(stderr, "flightdeck: %s\n", fd_error_str(&err, buf, sizeof(buf)));
		rc = 1;
	}
out:
	if (o.source && o.source != &l->src)
		cli_test_source->destroy((struct tui_source *)o.source);
	if (l->coll || l->have_cfg)
		live_clean_up(l);
	else if (l->client)
		client_destroy(l->client);
	if (l->creds)
		creds_provider_destroy(l->creds);
	if (l->sim_pid > 0)
		sim_stop(l->sim_pid);
	free(l);
	return rc;
}
