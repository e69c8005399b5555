/* cdn.h — CloudFront in words: each distribution's state (not Deployed or disabled:
 * warning; 5xxErrorRate >= 5 %: bad, >= 1 %: warning; nothing read: unknown), and
 * for a region whether a distribution's origin group sends to it first (primary)
 * or on failover (secondary). The additional metrics read "not enabled" when the
 * monitoring subscription is off, never 0; the panel turned off (stack.cdn: false)
 * is "off". Pure functions of the model.
 */
#ifndef FD_CDN_H
#define FD_CDN_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

#include "model/model.h"

struct cdn_view {
	enum model_sev sev;
	char brief[40];             /* "Deployed, 5xx 0.2 %", "5XX 7.1 %" */
	char why[120];
};

/* One distribution. */
void cdn_of_distribution(const struct model_distribution *d, struct cdn_view *out);
/* Every distribution: the worst; unknown before the cdn panel has data. */
void cdn_of_model(const struct model *m, struct cdn_view *out);
/* Region r's part: which origin role its load balancer has ("primary origin",
 * "failover origin", "not an origin"), with the distribution's severity. */
void cdn_of_region(const struct model *m, size_t r, struct cdn_view *out);
/* The region an origin points at (its DNS name is a load balancer's of the
 * model, or names the region); -1 when none. */
int cdn_origin_region(const struct model *m, const struct model_cdn_origin *o);
/* A figure as text ("not enabled" for an additional metric that is off, "-" no data). */
const char *cdn_figure_text(const struct model_distribution *d, enum model_cdn_metric k, char *buf, size_t size);
/* The snapshot's "cdn" section. New reference. */
json_t *cdn_json(const struct model *m, time_t now);

#endif
