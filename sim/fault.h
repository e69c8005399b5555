/* fault.h — injected faults: what `--fault SPEC` and POST /_sim/fault set.
 *
 * SPECs (one row each in fault.c's table, which sim_fault_usage() lists): region-outage:REGION
 * (also stops replication from its instances: their replicas' lag -1), bad-deploy:TARGETGROUP:RATE, slow-deploy:TARGETGROUP:SECONDS, replica-lag:[DBINSTANCE:]SECONDS
 * (-1: replication stopped), redis-failover:REGION, cloudfront-5xx:RATE,
 * new-version:LAUNCHTEMPLATE:RATE (a released version, its targets' 5xx rate), throttle:OPERATION|*:RATE,
 * latency:MS, error5xx:RATE, drop:RATE, expire-credentials. World faults (region-outage,
 * bad-deploy, slow-deploy, replica-lag, cloudfront-5xx) change the world (region->up,
 * tg->error_rate, tg->slow_s, db->replica_lag_s, w->cdn_error_rate) and are undone by
 * sim_fault_clear() (redis-failover is not: it happened; a new version stays, made good); request faults are read by the
 * server and by sim_begin_op().
 */
#ifndef FD_SIM_FAULT_H
#define FD_SIM_FAULT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "base/strbuf.h"
#include "sim/world.h"

#define SIM_THROTTLE_MAX 16

struct sim_faults {
	struct {
		char operation[64];  /* "*" for every operation */
		double rate;         /* 0..1 */
	} throttle[SIM_THROTTLE_MAX];
	size_t n_throttle;
	int latency_ms;
	double error5xx_rate;
	double drop_rate;
	double expired_before_s;   /* temp credentials issued before this are expired (0: none) */
	double tg_base_rate[512];  /* error rates before bad-deploy, to restore */
	bool tg_saved[512];        /* which of tg_base_rate hold a saved rate */
	double db_base_lag[64];    /* replica lags before replica-lag / region-outage, to restore */
	bool db_saved[64];
	char specs[1024];          /* the active SPECs, space-separated, for /_sim/state */
};

void sim_fault_init(struct sim_faults *f);
/* Apply one SPEC to f and w; -1 with InvalidFault naming the SPEC. */
int sim_fault_add(struct sim_faults *f, struct sim_world *w, const char *spec,
		  struct fd_error *err);
/* The usage of every kind, comma-separated ("region-outage:REGION, ..."), appended to out. */
void sim_fault_usage(struct strbuf *out);
/* Remove every fault: regions up, error rates restored. */
void sim_fault_clear(struct sim_faults *f, struct sim_world *w);
/* The throttle rate for an operation (the largest matching), 0 when none. */
double sim_fault_throttle_rate(const struct sim_faults *f, const char *operation);

#endif
