/* collector.h — what to poll and when: fills a struct model from AWS, never blocking.
 *
 * One collector per model. It only schedules; what each panel calls and how it
 * parses is the panel's (model/panel.h, one file per panel). Each panel of each
 * region (and each global panel) has its own interval (config refresh, default
 * 10 s, times the panel's multiplier); a panel that is throttled (Throttling, ThrottlingException, RequestLimitExceeded, ...) doubles
 * its interval up to 8x and goes back on the first success. A failing call keeps
 * the panel's old data (its age shows it is stale) and records the error in the
 * panel's model_status. Calls go out through aws/client.h's async interface and
 * run concurrently.
 *
 * The TUI's single poll loop:
 *
 *     for (;;) {
 *         collector_due(c, time(NULL));                  // queue what is due
 *         n = collector_poll_fds(c, fds + 1, MAX - 1);   // fds[0]: the terminal
 *         t = collector_timeout_ms(c, time(NULL));       // -1: nothing pending
 *         poll(fds, n + 1, t);
 *         collector_perform(c, fds + 1, n);              // runs callbacks, updates the model
 *         if (m->generation != drawn) redraw();
 *     }
 *
 * `flightdeck snapshot` uses collector_run_once().
 *
 * Completion callbacks run only inside client_perform(); collector_destroy()
 * frees the bookkeeping of calls still in flight, so after it call
 * client_destroy() (which runs no callbacks), never client_perform() again.
 */
#ifndef FD_COLLECTOR_H
#define FD_COLLECTOR_H

#include <poll.h>
#include <stdbool.h>
#include <time.h>

#include "aws/client.h"
#include "base/error.h"
#include "model/config.h"
#include "model/model.h"

struct collector;

/* cl, cfg and m are borrowed and must outlive the collector. m must have been
 * model_init()ed with cfg's regions; m->targets is built from cfg when it is
 * not yet. The refresh interval is cfg->refresh_s, else 10 s (see
 * collector_set_refresh). The metrics panel of a region waits until its LB,
 * RDS and ASG panels have completed once (its queries name their resources). */
struct collector *collector_new(struct client *cl, const struct fd_config *cfg,
				struct model *m, struct fd_error *err);
void collector_destroy(struct collector *c);

/* Set the default refresh interval in seconds (--refresh). */
void collector_set_refresh(struct collector *c, int refresh_s);

/* Queue a refresh of every panel that is due at `now` and not in flight.
 * Returns how many panels were queued. */
int collector_due(struct collector *c, time_t now);

/* Make every panel due now (the `r` key); the next collector_due() queues them. */
void collector_refresh_now(struct collector *c);

/* The metrics view's choice: statistic, period and range apply to every chart (the
 * region figures keep their own Sum / p99 per minute); the period is lengthened
 * where the range would exceed GetMetricData's datapoint limit; NULL / 0 keep each
 * chart's own. Metrics are due at once. */
void collector_set_metric_options(struct collector *c, const char *stat, int period_s, int range_s);

/* The alarm the engineer opened (alarms view): its metric is read with the
 * metrics of its region, which are due at once; NULL alarm: none. */
void collector_set_focus_alarm(struct collector *c, const char *region, const char *alarm);
/* Read X-Ray's trace list (shown only by the X-Ray view) from now on, or stop; turned
 * on, the X-Ray panels are due at once. The service graph is read either way. */
void collector_want_traces(struct collector *c, bool on);

/* Poll integration (delegates to the client). */
int collector_poll_fds(struct collector *c, struct pollfd *fds, int max);
/* Milliseconds the caller may sleep: the sooner of the client's timers and the
 * next panel due time; never -1 while panels are enabled. */
long collector_timeout_ms(struct collector *c, time_t now);
/* Drive transfers and update the model; returns the calls still in flight. */
int collector_perform(struct collector *c, const struct pollfd *fds, int nfds);

/* Calls in flight now. */
int collector_in_flight(const struct collector *c);

/* One full collection, blocking until every panel has finished once (or
 * timeout_ms passed: code "Timeout"). Panel errors are recorded in the model,
 * not returned: -1 only when the collection could not run at all. */
int collector_run_once(struct collector *c, long timeout_ms, struct fd_error *err);

/* Replace the wall clock (tests); NULL restores time(). */
void collector_set_clock(struct collector *c, time_t (*clock)(void *ctx), void *ctx);
/* Read runbook measurements from path instead of measure_path() (tests; NULL: default). */
void collector_set_measure_file(struct collector *c, const char *path);

/* Is this error code a throttling one (back off)? */
bool collector_is_throttle(const char *code);

/* --- what panels (model/panel.h) call while a refresh runs --- */
struct panel_job;
/* Queue call kind `kind` (an index of the panel's calls[]) for this refresh; input is
 * taken. idx and sub come back to the row's done/failed handler. */
void collector_call(struct panel_job *j, size_t kind, json_t *input, size_t idx, size_t sub);
/* Record an error of the refresh (the first is kept, throttling noted); primary: the
 * panel keeps its old data and age. */
void collector_job_error(struct panel_job *j, const struct fd_error *e, bool primary);
/* The interval of j's panel in seconds, before back-off. */
int collector_interval_s(const struct panel_job *j);

#endif
