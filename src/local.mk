# src/local.mk: the command line (one file per subcommand).
flightdeck_SOURCES += src/cli.h
libflightdeck_a_SOURCES += src/cli.c src/cmd_dashboard.c src/cmd_sigv4.c src/cmd_call.c src/cmd_whoami.c \
	src/cmd_sim.c src/cmd_snapshot.c src/cmd_runbook.c src/cmd_measurements.c src/limits.c src/limits.h
