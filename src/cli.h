/* cli.h — the command table and the options every command shares. */
#ifndef FD_CLI_H
#define FD_CLI_H

#include <stdbool.h>
#include <stddef.h>

/* Options that may appear before the subcommand or among its own options. */
struct fd_globals {
	const char *profile;      /* --profile */
	const char *region;       /* --region */
	const char *endpoint_url; /* --endpoint-url */
	const char *config;       /* --config FILE (dashboard YAML) */
	const char *debug_file;   /* --debug FILE: requests and responses, secrets redacted */
	bool read_only;           /* --read-only: every mutating call is refused */
	bool demo;                /* --demo: start the simulator and use it */
	bool no_color;            /* --no-color or NO_COLOR */
	bool ascii;               /* --ascii or a non-UTF-8 locale */
	int refresh_s;            /* --refresh SECONDS (dashboard default interval) */
	int exit_after_s;         /* --exit-after SECONDS: the dashboard quits by itself (unattended runs) */
	int max_call_mib;         /* --max-call-mib N: response bytes one call (all pages) may bring; 0: 256 */
};

/* One subcommand: argv[0] is the subcommand's name. Returns the exit status. */
struct cli_command {
	const char *name;
	const char *usage;    /* one line, after "flightdeck " */
	const char *summary;  /* one line for --help */
	int (*main)(int argc, char **argv, struct fd_globals *g);
};

/* If argv[*i] is a shared option, consume it (and its value), advance *i past
 * it and return 1; return 0 when it is not one; -1 (message printed) when its
 * value is missing. */
int cli_take_global(struct fd_globals *g, int argc, char **argv, int *i);

/* Discard what was typed on stdin's terminal but not read yet (tcflush
 * TCIFLUSH), right before a prompt is shown: only what is typed after the
 * question is on screen answers it. Nothing happens when stdin is no terminal. */
void cli_discard_typeahead(void);
/* Read one line from stdin (fd 0, unbuffered, so nothing after it is taken);
 * echo off on a terminal when secret. 0, or -1 at end of input. */
int cli_read_line(char *buf, size_t size, bool secret);

/* --max-call-mib as client_options.max_call_bytes (0: the client's default). */
#define CLI_MAX_CALL_BYTES(g) ((long long)(g)->max_call_mib * 1024 * 1024)

/* The table of subcommands (src/main.c), NULL-terminated by name. */
extern const struct cli_command cli_commands[];

/* The dashboard's test data source: set only by the test binary
 * tests/tui/flightdeck-fake (tests/tui/fake_main.c) before it calls the real
 * main; NULL in flightdeck, which ships no test data. With it set,
 * FLIGHTDECK_FAKE_MODEL=1 picks it instead of AWS. */
struct tui_source;
struct client;
struct cli_test_source {
	struct tui_source *(*create)(int refresh_s);
	void (*set_client)(struct tui_source *s, struct client *client);   /* runbook runs */
	void (*destroy)(struct tui_source *s);
};
extern const struct cli_test_source *cli_test_source;

/* Subcommand entry points, one file each (src/cmd_NAME.c). */
int cmd_dashboard_main(int argc, char **argv, struct fd_globals *g);
int cmd_sigv4_main(int argc, char **argv, struct fd_globals *g);
int cmd_call_main(int argc, char **argv, struct fd_globals *g);
int cmd_whoami_main(int argc, char **argv, struct fd_globals *g);
int cmd_sim_main(int argc, char **argv, struct fd_globals *g);
int cmd_snapshot_main(int argc, char **argv, struct fd_globals *g);
int cmd_runbook_main(int argc, char **argv, struct fd_globals *g);
int cmd_measurements_main(int argc, char **argv, struct fd_globals *g);

#endif
