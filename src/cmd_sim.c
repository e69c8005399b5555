/* cmd_sim.c — placeholder until the sim command lands; replaced by its owner. */
#include "src/cli.h"

#include <stdio.h>

int cmd_sim_main(int argc, char **argv, struct fd_globals *g)
{
	(void)argc; (void)argv; (void)g;
	fprintf(stderr, "flightdeck: 'sim' is not built yet\n");
	return 2;
}
