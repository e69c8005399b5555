/* cmd_dashboard.c — placeholder until the dashboard command lands; replaced by its owner. */
#include "src/cli.h"

#include <stdio.h>

int cmd_dashboard_main(int argc, char **argv, struct fd_globals *g)
{
	(void)argc; (void)argv; (void)g;
	fprintf(stderr, "flightdeck: 'dashboard' is not built yet\n");
	return 2;
}
