/* limits.h — the process's resource limits, set once before any credential is read.
 *
 * Every command: no core dumps (RLIMIT_CORE 0, soft and hard) and not dumpable
 * (prctl PR_SET_DUMPABLE 0: no core, and no ptrace attach or /proc/PID/mem read
 * by other processes of the same user), since credentials, MFA codes and secret
 * runbook parameters live in memory. Every command but the simulator: at most
 * LIMITS_MEMORY_BYTES of heap and private writable mappings (RLIMIT_DATA's
 * soft limit; never raised above what it was); not in AddressSanitizer builds, whose shadow memory needs
 * far more. Why these values: docs/security.md.
 */
#ifndef FD_LIMITS_H
#define FD_LIMITS_H

#include <stdbool.h>

#define LIMITS_MEMORY_BYTES (1024L * 1024 * 1024)

/* Apply the limits for command (argv's subcommand; NULL: the dashboard). */
void limits_apply(const char *command);
/* Whether this build caps memory (false in AddressSanitizer builds). */
bool limits_memory_capped(void);

#endif
