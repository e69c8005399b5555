/* panel_route53_pick.c — which health checks a Route 53 refresh asks GetHealthCheckStatus
 * for. One call per check per refresh is ~100 calls/s with 500 checks, and Route 53 takes
 * 5 API requests a second per account
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-requests):
 * the checks the watched zones' records use (which region serves) are asked every refresh;
 * within a budget of PANEL_ROUTE53_RATE requests a second over the refresh interval, the
 * ones the route53 view shows take turns (a tall view shows ~45), then the rest,
 * PANEL_ROUTE53_SPREAD a refresh. */
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

/* Give up to limit of the checks with ask[i] == 0 and want[i] == sel a TURN, in turn from
 * *turn (advanced); returns how many. */
static size_t take_turn(unsigned char *ask, const unsigned char *want, size_t n, unsigned char sel, size_t limit,
			size_t *turn)
{
	size_t i, m = 0, j = 0, start, taken = 0;

	for (i = 0; i < n; i++)
		m += ask[i] == 0 && want[i] == sel;
	start = m ? *turn % m : 0;
	for (i = 0; i < n; i++) {
		if (ask[i] != 0 || want[i] != sel)
			continue;
		if ((j + m - start) % m < limit) {
			ask[i] = PANEL_ROUTE53_TURN;
			taken++;
		}
		j++;
	}
	*turn = m > limit ? (start + limit) % m : 0;
	return taken;
}

size_t panel_route53_budget(int interval_s, size_t n_checks, size_t n_zones)
{
	size_t total = (size_t)(interval_s > 0 ? interval_s : 1) * PANEL_ROUTE53_RATE;
	size_t lists = n_checks / 100 + 1 + n_zones / 100 + 1 + PANEL_ROUTE53_FIXED_CALLS;

	return total > lists ? total - lists : 0;
}

size_t panel_route53_pick(const struct model_health_check *v, size_t n, const struct model_zone *za, size_t na,
			  const struct model_zone *zb, size_t nb, char *const *shown, size_t n_shown, bool all,
			  size_t budget, size_t turns[2], unsigned char *ask)
{
	unsigned char *want = xcalloc(n + 1, 1);
	size_t i, asked = 0, room;

	memset(ask, 0, n);
	mark_zones(v, n, za, na, ask);
	mark_zones(v, n, zb, nb, ask);
	for (i = 0; i < n_shown; i++)
		mark(v, n, shown[i], want, 0);
	for (i = 0; i < n; i++) {
		if (panel_same(v[i].type, "CALCULATED")) {
			ask[i] = PANEL_ROUTE53_NONE;  /* Route 53 keeps no observations for these */
			continue;
		}
		if (all)
			ask[i] = PANEL_ROUTE53_NEEDED;
		asked += ask[i] == PANEL_ROUTE53_NEEDED;
	}
	/* what is left of the budget: the shown checks in turn (at least a few, so the view
	 * fills in), then the others */
	room = budget > asked ? budget - asked : 0;
	take_turn(ask, want, n, PANEL_ROUTE53_NEEDED, room > PANEL_ROUTE53_MIN_SHOWN ? room : PANEL_ROUTE53_MIN_SHOWN,
		  &turns[0]);
	for (i = 0, asked = 0; i < n; i++)
		asked += ask[i] == PANEL_ROUTE53_NEEDED || ask[i] == PANEL_ROUTE53_TURN;
	room = budget > asked ? budget - asked : 0;
	take_turn(ask, want, n, 0, room < PANEL_ROUTE53_SPREAD ? room : PANEL_ROUTE53_SPREAD, &turns[1]);
	for (i = 0, asked = 0; i < n; i++)
		asked += ask[i] == PANEL_ROUTE53_NEEDED || ask[i] == PANEL_ROUTE53_TURN;
	free(want);
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
