/* creds_prompt.c — asking the person for an MFA code: the TUI's prompt, a terminal, or stdin. */
#include "aws/creds.h"
#include "aws/creds_providers.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "base/xalloc.h"

static creds_prompt_fn prompt_fn = creds_prompt_terminal;
static void *prompt_ctx;
static _Thread_local int prompt_forbidden;

void creds_set_prompt(creds_prompt_fn fn, void *ctx)
{
	prompt_fn = fn ? fn : creds_prompt_terminal;
	prompt_ctx = fn ? ctx : NULL;
}

void creds_prompt_set_background(int on)
{
	prompt_forbidden = on;
}

int creds_prompt(const char *prompt, char *buf, size_t size, struct fd_error *err)
{
	if (prompt_forbidden)
		return fd_error_set(err, "PromptUnavailable",
				    "cannot ask for an MFA code during a background refresh");
	return prompt_fn(prompt_ctx, prompt, buf, size, err);
}

/* Read one line from fd into buf without stdio buffering (so nothing more is consumed). */
static int read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;
	char c;
	ssize_t r;

	for (;;) {
		r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return n ? 0 : -1;
		if (c == '\n')
			break;
		if (c == '\r')
			continue;
		if (n + 1 < size)
			buf[n++] = c;
	}
	buf[n] = '\0';
	return 0;
}

int creds_prompt_terminal(void *ctx, const char *prompt, char *buf, size_t size,
			  struct fd_error *err)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO), r;

	(void)ctx;
	if (size == 0)
		return fd_error_set(err, "PromptFailed", "no room for the answer");
	buf[0] = '\0';
	if (tty && tcgetattr(STDIN_FILENO, &old) == 0) {
		/* echo off before the prompt shows, so nothing typed after it is echoed */
		quiet = old;
		quiet.c_lflag &= (tcflag_t)~(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		fputs(prompt, stderr);
		fflush(stderr);
		r = read_line(STDIN_FILENO, buf, size);
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fputc('\n', stderr);
	} else {
		fputs(prompt, stderr);
		fflush(stderr);
		r = read_line(STDIN_FILENO, buf, size);
	}
	if (r < 0) {
		fd_wipe(buf, size);
		return fd_error_set(err, "PromptFailed", "no answer to '%s' (end of input)", prompt);
	}
	return 0;
}
