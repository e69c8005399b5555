/* limits.c — core dumps off and the memory cap (see limits.h). */
#include "src/limits.h"

#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

/* AddressSanitizer reserves terabytes of shadow memory: no memory cap in its builds. */
#if defined(__SANITIZE_ADDRESS__)
#define FD_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FD_ASAN 1
#endif
#endif
#ifndef FD_ASAN
#define FD_ASAN 0
#endif

bool limits_memory_capped(void)
{
	return !FD_ASAN;
}

void limits_apply(const char *command)
{
	struct rlimit none = { 0, 0 }, cap;

	if (setrlimit(RLIMIT_CORE, &none) != 0)
		perror("flightdeck: setrlimit(RLIMIT_CORE)");
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		perror("flightdeck: prctl(PR_SET_DUMPABLE)");
	if (!limits_memory_capped() || (command && strcmp(command, "sim") == 0))
		return;
	if (getrlimit(RLIMIT_DATA, &cap) != 0)
		return;
	/* the soft limit, only ever lowered (a smaller one the operator set stays);
	 * the hard limit is left so a credential_process child may raise its own */
	if (cap.rlim_cur == RLIM_INFINITY || cap.rlim_cur > (rlim_t)LIMITS_MEMORY_BYTES)
		cap.rlim_cur = (rlim_t)LIMITS_MEMORY_BYTES;
	if (setrlimit(RLIMIT_DATA, &cap) != 0)
		perror("flightdeck: setrlimit(RLIMIT_DATA)");
}
