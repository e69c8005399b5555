/* cmd_whoami.c — placeholder until the whoami command lands; replaced by its owner. */
#include "src/cli.h"

#include <stdio.h>

int cmd_whoami_main(int argc, char **argv, struct fd_globals *g)
{
	(void)argc; (void)argv; (void)g;
	fprintf(stderr, "flightdeck: 'whoami' is not built yet\n");
	return 2;
}
