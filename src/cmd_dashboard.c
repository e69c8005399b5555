/* cmd_dashboard.c — `flightdeck` without a command: the live dashboard. */
#include "src/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/error.h"
#include "tui/fake.h"
#include "tui/tui.h"

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
	struct fd_error err;
	char buf[700];
	const char *fake = getenv("FLIGHTDECK_FAKE_MODEL");
	int rc;

	(void)argc; (void)argv;
	fd_error_clear(&err);
	if (g->demo) {
		fprintf(stderr, "flightdeck: --demo needs the simulator, which is not built yet\n");
		return 2;
	}
	if (fake && strcmp(fake, "1") == 0)
		o.source = fake_source_new(g->refresh_s);
	rc = tui_run(&o, &err);
	fake_source_destroy((struct tui_source *)o.source);
	if (rc < 0) {
		fprintf(stderr, "flightdeck: %s\n", fd_error_str(&err, buf, sizeof(buf)));
		return 1;
	}
	return 0;
}
