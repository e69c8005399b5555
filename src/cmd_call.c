/* cmd_call.c — placeholder until the call command lands; replaced by its owner. */
#include "src/cli.h"

#include <stdio.h>

int cmd_call_main(int argc, char **argv, struct fd_globals *g)
{
	(void)argc; (void)argv; (void)g;
	fprintf(stderr, "flightdeck: 'call' is not built yet\n");
	return 2;
}
