/* spawn.c — run `flightdeck sim` as a child process and stop it (see sim.h). */
#include "sim/sim.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int sim_spawn(const char *scenario, char *endpoint_out, size_t n, pid_t *pid,
	      struct fd_error *err)
{
	const char *exe = getenv("FD_SIM_EXE") ? getenv("FD_SIM_EXE") : "/proc/self/exe";
	char line[512];
	size_t len = 0;
	int fds[2];
	pid_t child;
	char *p, *e;

	if (pipe(fds) < 0)
		return fd_error_set(err, "SpawnError", "pipe: %s", strerror(errno));
	child = fork();
	if (child < 0) {
		close(fds[0]);
		close(fds[1]);
		return fd_error_set(err, "SpawnError", "fork: %s", strerror(errno));
	}
	if (child == 0) {
		int devnull = open("/dev/null", 0);
		dup2(fds[1], 1);
		dup2(fds[1], 2);   /* errors come back to the parent, not onto its screen */
		if (devnull >= 0)
			dup2(devnull, 0);
		close(fds[0]);
		close(fds[1]);
		execl(exe, "flightdeck", "sim", "--listen", "127.0.0.1:0", "--scenario",
		      scenario ? scenario : "petclinic", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (len < sizeof(line) - 1) {
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		ssize_t r;
		if (poll(&pfd, 1, 10000) <= 0)
			break;
		r = read(fds[0], line + len, sizeof(line) - 1 - len);
		if (r <= 0)
			break;
		len += (size_t)r;
		line[len] = '\0';
		if (memchr(line, '\n', len))
			break;
	}
	close(fds[0]);
	line[len] = '\0';
	p = strstr(line, "http://");
	if (!p) {
		sim_stop(child);
		line[strcspn(line, "\n")] = '\0';
		return fd_error_set(err, "SpawnError", "the simulator did not start: %s",
				    len ? line : "no output");
	}
	e = p + strcspn(p, " \n");
	*e = '\0';
	snprintf(endpoint_out, n, "%s", p);
	*pid = child;
	return 0;
}

void sim_stop(pid_t pid)
{
	int status, i;

	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	for (i = 0; i < 200; i++) {
		struct timespec ts = { 0, 10 * 1000000L };
		if (waitpid(pid, &status, WNOHANG) == pid)
			return;
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}
