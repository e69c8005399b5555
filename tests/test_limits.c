/* test_limits.c — resource limits (issue 10): no core dumps and not dumpable while
 * credentials may be in memory (prctl(2) PR_SET_DUMPABLE:
 * https://man7.org/linux/man-pages/man2/prctl.2.html), the memory cap for every
 * command but the simulator, only ever lowered. */
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/limits.h"
#include "tests/tap.h"

/* Run limits_apply(command) in a child after setting RLIMIT_DATA's soft limit to
 * start; the child's soft limit after (as a long, -1 for unlimited), or -2. */
static long data_after(const char *command, rlim_t start)
{
	int fds[2], st;
	long v = -2;
	pid_t pid;

	if (pipe(fds) != 0)
		return -2;
	pid = fork();
	if (pid == 0) {
		struct rlimit r;
		getrlimit(RLIMIT_DATA, &r);
		r.rlim_cur = start;
		setrlimit(RLIMIT_DATA, &r);
		limits_apply(command);
		getrlimit(RLIMIT_DATA, &r);
		v = r.rlim_cur == RLIM_INFINITY ? -1 : (long)r.rlim_cur;
		if (write(fds[1], &v, sizeof(v)) != sizeof(v))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &v, sizeof(v)) != sizeof(v))
		v = -2;
	close(fds[0]);
	waitpid(pid, &st, 0);
	return v;
}

int main(void)
{
	struct rlimit core, data;

	ok(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1, "a test process starts dumpable");
	limits_apply("call");
	is_int(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0, "after limits_apply: not dumpable");
	ok(getrlimit(RLIMIT_CORE, &core) == 0, "getrlimit(RLIMIT_CORE)");
	is_int((long long)core.rlim_cur, 0, "core file size 0 (soft)");
	is_int((long long)core.rlim_max, 0, "core file size 0 (hard): a child cannot raise it");
	getrlimit(RLIMIT_DATA, &data);
	if (limits_memory_capped()) {
		ok(data.rlim_cur != RLIM_INFINITY && data.rlim_cur <= (rlim_t)LIMITS_MEMORY_BYTES,
		   "RLIMIT_DATA soft limit at most 1 GiB");
		is_int(data_after(NULL, RLIM_INFINITY), LIMITS_MEMORY_BYTES, "the dashboard: unlimited becomes 1 GiB");
		is_int(data_after("snapshot", RLIM_INFINITY), LIMITS_MEMORY_BYTES, "snapshot: 1 GiB");
		is_int(data_after("call", 64L << 20), 64L << 20, "a smaller limit the operator set stays");
	} else {
		printf("# an AddressSanitizer build: no memory cap (its shadow memory needs terabytes)\n");
		is_int(data_after("call", RLIM_INFINITY), -1, "ASan build: the memory is not capped");
	}
	is_int(data_after("sim", RLIM_INFINITY), -1, "the simulator: not capped");
	return done_testing();
}
