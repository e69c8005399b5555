/* cmd_snapshot.c — placeholder until the snapshot command lands; replaced by its owner. */
#include "src/cli.h"

#include <stdio.h>

int cmd_snapshot_main(int argc, char **argv, struct fd_globals *g)
{
	(void)argc; (void)argv; (void)g;
	fprintf(stderr, "flightdeck: 'snapshot' is not built yet\n");
	return 2;
}
