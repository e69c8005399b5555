/* cmd_sigv4.c — placeholder until the sigv4 command lands; replaced by its owner. */
#include "src/cli.h"

#include <stdio.h>

int cmd_sigv4_main(int argc, char **argv, struct fd_globals *g)
{
	(void)argc; (void)argv; (void)g;
	fprintf(stderr, "flightdeck: 'sigv4' is not built yet\n");
	return 2;
}
