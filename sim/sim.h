/* sim.h — flightdeck's simulated AWS: start, stop, and spawn as a process.
 *
 * A struct sim owns a world (sim/world.h), its faults (sim/fault.h), the request
 * log and a libmicrohttpd server on ADDR:PORT (port 0: the kernel picks; sim_port()
 * says which). Every request is SigV4-verified against the accepted keys
 * (SIM_ACCESS_KEY / SIM_SECRET_KEY unless the scenario names others) and routed by
 * the credential scope's service (sim/service.h). Plain endpoints: IMDSv2, ECS
 * container credentials, SSO portal, and /_sim/{state,requests,fault,clear}.
 */
#ifndef FD_SIM_SIM_H
#define FD_SIM_SIM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "base/error.h"

#define SIM_ACCESS_KEY "AKIDFLIGHTDECKSIM"
#define SIM_SECRET_KEY "flightdeck/sim/secret"
#define SIM_DEFAULT_LISTEN "127.0.0.1:4566"
/* The Authorization value ECS container credentials accept (when one is sent). */
#define SIM_ECS_TOKEN "flightdeck-sim-ecs-token"

struct sim_options {
	const char *listen;          /* "ADDR:PORT"; NULL for SIM_DEFAULT_LISTEN */
	const char *scenario;        /* "petclinic" (NULL), "scale", or a YAML file */
	uint64_t seed;
	const char *const *faults;   /* fault SPECs applied at start */
	size_t n_faults;
	int threads;                 /* server threads; 0 for the default (2) */
	size_t log_max;              /* request log entries kept (0: all; the fuzzer bounds it) */
	double time_scale;           /* AWS seconds per second (0: SIM_TIME_SCALE_DEFAULT; 1: AWS's timing) */
};

struct sim;

/* Build the world and the faults of opt (no socket yet); NULL on error
 * (scenario errors are FILE:LINE:COLUMN: ..., bad faults name the SPEC). */
struct sim *sim_new(const struct sim_options *opt, struct fd_error *err);
/* Listen and serve on a thread of libmicrohttpd's; returns 0 or -1. */
int sim_start(struct sim *s, struct fd_error *err);
/* The port bound by sim_start() (useful with port 0). */
int sim_port(const struct sim *s);
/* The address as given, e.g. "127.0.0.1". Borrowed. */
const char *sim_addr(const struct sim *s);
/* Stop serving (when started) and free everything. s may be NULL. */
void sim_destroy(struct sim *s);

/* Add / clear faults at run time (what POST /_sim/fault and /_sim/clear do). */
int sim_add_fault(struct sim *s, const char *spec, struct fd_error *err);
void sim_clear_faults(struct sim *s);

/* Handle one request without the network (tests and the fuzzer): a raw HTTP/1.1
 * request (request line, headers, body). Returns the status (0 for a dropped
 * connection) and puts the response body into *body_out when not NULL (free it). */
int sim_handle_raw(struct sim *s, const char *raw, size_t len, char **body_out);

/* The world as JSON, and the request log as a JSON array (oldest first). */
json_t *sim_state_json(struct sim *s);
json_t *sim_requests_json(struct sim *s);

/* Start `flightdeck sim --listen 127.0.0.1:0 --scenario SCENARIO` as a child
 * process (this same binary, /proc/self/exe) and read its endpoint
 * ("http://127.0.0.1:PORT") into endpoint_out. Returns 0 or -1. */
int sim_spawn(const char *scenario, char *endpoint_out, size_t n, pid_t *pid,
	      struct fd_error *err);
/* Stop a spawned simulator (SIGTERM, then wait). */
void sim_stop(pid_t pid);

#endif
