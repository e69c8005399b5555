/* verdict.h — the model's state in words, worst first: what the dashboard's status
 * line and `flightdeck snapshot` (its text, JSON and exit status) say.
 *
 * Items, in this order (what an on-call engineer must know first): a region down,
 * a region that cannot be read or has no load balancer, where DNS answers (on the
 * DR, unknown, or the answer and Route 53's rules disagreeing), database replication
 * (a replica not replicating or lagging, a writer without a replica), the Redis
 * session store (no primary, evicting, a failover in the last hour), success targets
 * missed, alarms in ALARM, panels failing, stale metrics. With none of them: "ALL OK" once data has arrived,
 * "NO DATA YET" before. Plain words, so they work without colour.
 */
#ifndef FD_VERDICT_H
#define FD_VERDICT_H

#include <stddef.h>
#include <time.h>

#include "base/strbuf.h"
#include "model/model.h"

#define VERDICT_MAX 12

struct verdict_item {
	enum model_sev sev;
	char text[48];              /* "PRIMARY DOWN", "3 ALARMS" */
};

struct verdict {
	enum model_sev sev;         /* the worst item's */
	struct verdict_item items[VERDICT_MAX];
	size_t n;
};

/* The verdict of the model at now. */
void verdict_build(const struct model *m, time_t now, struct verdict *v);

/* The items joined by sep, worst first, into buf ("PRIMARY DOWN · DNS ON DR · 3 ALARMS"). */
const char *verdict_line(const struct verdict *v, const char *sep, char *buf, size_t size);

/* The items that fit in cols columns (sep is sep_cols wide; items are ASCII), joined
 * by sep into buf: whole items, worst first, never one cut; when some do not fit,
 * the last shown says "+N MORE". Only when the worst alone is wider than cols is it cut. */
const char *verdict_line_fit(const struct verdict *v, const char *sep, int sep_cols, int cols, char *buf, size_t size);

/* The exit status of a snapshot: 2 when anything could not be read (a panel of a
 * region or a global one failed), else 1 when a success target is missed or a
 * region is down, else 0. One line per reason is appended to why. */
int verdict_exit_status(const struct model *m, struct strbuf *why);

#endif
