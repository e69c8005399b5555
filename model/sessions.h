/* sessions.h — what the Redis session store looks like in one region, in words and
 * a severity: no primary node (sessions cannot be written), evictions and a primary
 * whose CacheHitRate fell below 80 % (sessions lost: "a significant amount of keys are
 * evicted, expired, or do not exist", AWS's threshold) are bad; a failover or node
 * replacement in the last hour, a group or node
 * that is not available, and a replica far behind are warnings; nothing read yet
 * is unknown; a panel the config turns off (stack.sessions: false) is "off". Pure
 * functions of the model (the sessions panel fills it).
 */
#ifndef FD_SESSIONS_H
#define FD_SESSIONS_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

#include "model/model.h"

#define SESSIONS_RECENT_S 3600          /* a failover this recent is shown as a warning */
#define SESSIONS_LAG_WARN_S 10.0        /* ElastiCache ReplicationLag above this is a warning */
#define SESSIONS_HIT_LOW_PCT 80.0       /* a primary's CacheHitRate below this: sessions are missing
					 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html */

struct sessions_view {
	enum model_sev sev;
	char brief[40];             /* for a 28-column cell: "primary + 1 replica", "FAILOVER 4m ago" */
	char why[120];              /* the worst thing in a sentence */
	double evictions;           /* the region's evictions in the newest minute; NAN unknown */
	double hit_rate;            /* the primary's CacheHitRate (%); NAN unknown */
	double loss;                /* sessions lost: 0 none, > 0 the evictions of the newest minute or, when
				     * the primary's hit rate is below SESSIONS_HIT_LOW_PCT, the share of
				     * lookups that missed (%), whichever is larger; NAN when both unknown */
	time_t last_failover;       /* the newest failover / replacement event; 0 none */
};

/* Judge region r at now. */
void sessions_of_region(const struct model *m, size_t r, time_t now, struct sessions_view *out);
/* The snapshot's "sessions" section (docs/snapshot-schema.md). New reference. */
json_t *sessions_json(const struct model *m, time_t now);

#endif
