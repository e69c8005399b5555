/* cmd_runbook.c — placeholder until the runbook command lands; replaced by its owner. */
#include "src/cli.h"

#include <stdio.h>

int cmd_runbook_main(int argc, char **argv, struct fd_globals *g)
{
	(void)argc; (void)argv; (void)g;
	fprintf(stderr, "flightdeck: 'runbook' is not built yet\n");
	return 2;
}
