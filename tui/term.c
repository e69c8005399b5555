/* term.c — the terminal: set-up, restore, signals through a self-pipe, size. */
#include "tui/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static int sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t term_active;
static SCREEN *term_screen;

/* Signals that end the dashboard cleanly, and the one that resizes it. */
static const int quit_signals[] = { SIGINT, SIGTERM, SIGHUP };
/* Signals of a crash: restore the terminal, then die of the same signal. */
static const int crash_signals[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL };

/* Write the signal's number to the self-pipe (async-signal-safe). */
static void on_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;

	if (write(sig_pipe[1], &c, 1) < 0) {
		/* a full pipe already holds a wake-up */
	}
	errno = saved;
}

/* Leave curses mode so the shell is usable, then re-raise the crash signal. */
static void on_crash(int sig)
{
	if (term_active) {
		term_active = 0;
		endwin();
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Install handler for each signal of list. */
static void install(const int *list, size_t n, void (*handler)(int), int flags)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < n; i++)
		sigaction(list[i], &sa, NULL);
}

/* Milliseconds on the monotonic clock. */
long term_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read the window size from the terminal and tell curses about it. */
void term_update_size(struct tui *t)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
	    (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	t->rows = LINES;
	t->cols = COLS;
}

/* Put the terminal in curses mode with colours, keys and signal handlers. */
int term_start(struct tui *t, struct fd_error *err)
{
	int i;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return fd_error_set(err, "NotATerminal",
				    "the dashboard needs a terminal (try `flightdeck snapshot`)");
	if (pipe(sig_pipe) < 0)
		return fd_error_set(err, "SystemError", "pipe: %s", strerror(errno));
	for (i = 0; i < 2; i++) {
		fcntl(sig_pipe[i], F_SETFL, fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	term_screen = newterm(NULL, stdout, stdin);
	if (!term_screen) {
		close(sig_pipe[0]);
		close(sig_pipe[1]);
		sig_pipe[0] = sig_pipe[1] = -1;
		return fd_error_set(err, "NoTerminal", "cannot use terminal type '%s'",
				    getenv("TERM") ? getenv("TERM") : "(unset)");
	}
	term_active = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	leaveok(stdscr, TRUE);
	color_init(t->opt.no_color);
	install(quit_signals, sizeof(quit_signals) / sizeof(quit_signals[0]), on_signal, 0);
	install((const int[]){ SIGWINCH }, 1, on_signal, SA_RESTART);
	install(crash_signals, sizeof(crash_signals) / sizeof(crash_signals[0]), on_crash, 0);
	t->rows = LINES;
	t->cols = COLS;
	return 0;
}

/* Restore the terminal and the default signal handlers. */
void term_stop(void)
{
	size_t i;

	for (i = 0; i < sizeof(quit_signals) / sizeof(quit_signals[0]); i++)
		signal(quit_signals[i], SIG_DFL);
	signal(SIGWINCH, SIG_DFL);
	if (term_active) {
		term_active = 0;
		endwin();
	}
	for (i = 0; i < sizeof(crash_signals) / sizeof(crash_signals[0]); i++)
		signal(crash_signals[i], SIG_DFL);
	if (term_screen) {
		delscreen(term_screen);
		term_screen = NULL;
	}
	if (sig_pipe[0] >= 0) {
		close(sig_pipe[0]);
		close(sig_pipe[1]);
		sig_pipe[0] = sig_pipe[1] = -1;
	}
}

/* The read end of the self-pipe, for poll(). */
int term_signal_fd(void)
{
	return sig_pipe[0];
}

/* Drain the self-pipe: quit signals give TUI_QUIT, SIGWINCH a resize. */
int term_take_signals(struct tui *t)
{
	unsigned char buf[64];
	ssize_t n, i;
	int flags = 0;

	while ((n = read(sig_pipe[0], buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++) {
			if (buf[i] == SIGWINCH) {
				term_update_size(t);
				flags |= TUI_CLEAR | TUI_REDRAW;
			} else
				flags |= TUI_QUIT;
		}
	return flags;
}
