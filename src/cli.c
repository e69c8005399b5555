/* cli.c — options every command shares (see cli.h). */
#include "src/cli.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

int cli_take_global(struct fd_globals *g, int argc, char **argv, int *i)
{
	static const struct {
		const char *name;
		size_t offset;      /* of the const char * member */
	} valued[] = {
		{ "--profile", offsetof(struct fd_globals, profile) },
		{ "--region", offsetof(struct fd_globals, region) },
		{ "--endpoint-url", offsetof(struct fd_globals, endpoint_url) },
		{ "--config", offsetof(struct fd_globals, config) },
		{ "--debug", offsetof(struct fd_globals, debug_file) },
	};
	static const struct {
		const char *name;
		size_t offset;
	} flags[] = {
		{ "--read-only", offsetof(struct fd_globals, read_only) },
		{ "--demo", offsetof(struct fd_globals, demo) },
		{ "--no-color", offsetof(struct fd_globals, no_color) },
		{ "--ascii", offsetof(struct fd_globals, ascii) },
	};
	static const struct {
		const char *name;
		size_t offset;      /* of the int member */
		int min, max;
		const char *unit;
	} numeric[] = {
		{ "--refresh", offsetof(struct fd_globals, refresh_s), 1, 3600, "seconds" },
		{ "--exit-after", offsetof(struct fd_globals, exit_after_s), 1, 86400, "seconds" },
		{ "--max-call-mib", offsetof(struct fd_globals, max_call_mib), 1, 65536, "MiB" },
	};
	const char *a = argv[*i];
	size_t k;

	for (k = 0; k < sizeof(valued) / sizeof(valued[0]); k++) {
		size_t n = strlen(valued[k].name);
		const char *val = NULL;
		if (strncmp(a, valued[k].name, n) != 0)
			continue;
		if (a[n] == '=')
			val = a + n + 1;
		else if (a[n] == '\0') {
			if (*i + 1 >= argc) {
				fprintf(stderr, "flightdeck: %s needs a value\n", a);
				return -1;
			}
			val = argv[++*i];
		} else
			continue;
		*(const char **)((char *)g + valued[k].offset) = val;
		(*i)++;
		return 1;
	}
	for (k = 0; k < sizeof(flags) / sizeof(flags[0]); k++) {
		if (strcmp(a, flags[k].name) == 0) {
			*(bool *)((char *)g + flags[k].offset) = true;
			(*i)++;
			return 1;
		}
	}
	for (k = 0; k < sizeof(numeric) / sizeof(numeric[0]); k++) {
		size_t n = strlen(numeric[k].name);
		const char *val;
		char *end;
		long v;
		if (strncmp(a, numeric[k].name, n) != 0 || (a[n] != '\0' && a[n] != '='))
			continue;
		val = a[n] == '=' ? a + n + 1 : (*i + 1 < argc ? argv[++*i] : NULL);
		if (!val) {
			fprintf(stderr, "flightdeck: %s needs a value\n", numeric[k].name);
			return -1;
		}
		v = strtol(val, &end, 10);
		if (!*val || *end || v < numeric[k].min || v > numeric[k].max) {
			fprintf(stderr, "flightdeck: %s: '%s' is not a number of %s from %d to %d\n",
				numeric[k].name, val, numeric[k].unit, numeric[k].min, numeric[k].max);
			return -1;
		}
		*(int *)((char *)g + numeric[k].offset) = (int)v;
		(*i)++;
		return 1;
	}
	return 0;
}

void cli_discard_typeahead(void)
{
	if (isatty(STDIN_FILENO))
		tcflush(STDIN_FILENO, TCIFLUSH);
}

int cli_read_line(char *buf, size_t size, bool secret)
{
	struct termios old, quiet;
	bool restore = false;
	size_t n = 0;
	ssize_t r;
	char c;

	if (secret && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= (tcflag_t)~(ECHO | ECHONL);
		restore = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
	}
	for (;;) {
		r = read(STDIN_FILENO, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || c == '\n')
			break;
		if (c != '\r' && n + 1 < size)
			buf[n++] = c;
	}
	if (size)
		buf[n < size ? n : size - 1] = '\0';
	if (restore) {
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fputc('\n', stdout);
	}
	return r <= 0 && n == 0 ? -1 : 0;
}
