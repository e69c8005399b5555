/* panel_route53_pick.c — which health checks a Route 53 refresh asks GetHealthCheckStatus
 * for. One call per check per refresh is ~100 calls/s with 500 checks, and Route 53 takes
 * 5 API requests a second per account
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-requests):
 * the checks the watched zones' records use (which region serves) are asked every refresh,
 * and so are the ones the route53 view shows; the rest take turns, PANEL_ROUTE53_SPREAD a
 * refresh. */
#include "model/panel_route53.h"

#include <stdlib.h>
#include <string.h>

#include "base/strlist.h"
#include "base/xalloc.h"

#include "model/panel.h"

/* Mark the check with this id needed, and a CALCULATED check's children (depth bounds cycles). */
static void mark(const struct model_health_check *v, size_t n, const char *id, unsigned char *ask, int depth)
{
	size_t i, k;

	if (!id || depth > 4)
		return;
	for (i = 0; i < n; i++)
		if (v[i].id && strcmp(v[i].id, id) == 0) {
			ask[i] = PANEL_ROUTE53_NEEDED;
			for (k = 0; k < v[i].n_children; k++)
				mark(v, n, v[i].children[k], ask, depth + 1);
		}
}

/* Mark the checks the records of these zones name. */
static void mark_zones(const struct model_health_check *v, size_t n, const struct model_zone *zs, size_t nz,
		       unsigned char *ask)
{
	size_t z, r;

	for (z = 0; zs && z < nz; z++)
		for (r = 0; r < zs[z].n_records; r++)
			mark(v, n, zs[z].records[r].health_check_id, ask, 0);
}

size_t panel_route53_pick(const struct model_health_check *v, size_t n, const struct model_zone *za, size_t na,
			  const struct model_zone *zb, size_t nb, char *const *shown, size_t n_shown, bool all,
			  size_t *turn, unsigned char *ask)
{
	size_t i, others = 0, start, j = 0, asked = 0;

	memset(ask, 0, n);
	mark_zones(v, n, za, na, ask);
	mark_zones(v, n, zb, nb, ask);
	for (i = 0; i < n_shown; i++)
		mark(v, n, shown[i], ask, 0);
	for (i = 0; i < n; i++) {
		if (panel_same(v[i].type, "CALCULATED")) {
			ask[i] = PANEL_ROUTE53_NONE;  /* Route 53 keeps no observations for these */
			continue;
		}
		if (all)
			ask[i] = PANEL_ROUTE53_NEEDED;
		others += ask[i] == 0;
	}
	start = others ? *turn % others : 0;
	for (i = 0; i < n; i++) {
		if (ask[i] == 0) {
			if (others <= PANEL_ROUTE53_SPREAD || (j + others - start) % others < PANEL_ROUTE53_SPREAD)
				ask[i] = PANEL_ROUTE53_TURN;
			j++;
		}
		asked += ask[i] == PANEL_ROUTE53_NEEDED || ask[i] == PANEL_ROUTE53_TURN;
	}
	*turn = others > PANEL_ROUTE53_SPREAD ? (start + PANEL_ROUTE53_SPREAD) % others : 0;
	return asked;
}

void panel_route53_set_shown(struct model_route53 *r, const char *const *ids, size_t n)
{
	size_t i;

	for (i = 0; i < n && n == r->n_shown && ids[i] && strcmp(ids[i], r->shown[i]) == 0; i++)
		;
	if (i == n && n == r->n_shown)
		return;         /* the same list: most draws */
	strlist_free(r->shown, r->n_shown);
	r->shown = xcalloc(n + 1, sizeof(char *));
	for (r->n_shown = 0; r->n_shown < n; r->n_shown++)
		r->shown[r->n_shown] = xstrdup(ids[r->n_shown] ? ids[r->n_shown] : "");
}
