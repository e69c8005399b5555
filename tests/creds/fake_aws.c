/* fake_aws.c — the credential fixture (IMDS, ECS, STS, SSO) as a process for shell tests:
 * prints its endpoint URL, serves until SIGTERM. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "tests/creds/fixture.h"

int main(void)
{
	unsigned port = fx_start();
	sigset_t set;
	int sig;

	if (!port) {
		fprintf(stderr, "fake_aws: cannot start\n");
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("http://127.0.0.1:%u\n", port);
	fflush(stdout);
	sigwait(&set, &sig);
	fx_stop();
	return 0;
}
