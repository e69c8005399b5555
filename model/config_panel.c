/* config_panel.c — the config's metric panels (`panels:`). */
#include "model/config_impl.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

static int p_title(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_str(w, v, "title", &((struct fd_config_panel *)o)->title);
}

static int p_unit(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_str(w, v, "unit", &((struct fd_config_panel *)o)->unit);
}

static int p_stat(struct config_walk *w, struct ytree *v, void *o)
{
	return config_query_stat(w, v, "stat", &((struct fd_config_panel *)o)->stat);
}

static int p_period(struct config_walk *w, struct ytree *v, void *o)
{
	struct fd_config_panel *p = o;

	if (config_walk_int(w, v, "period", 1, 86400, &p->period_s))
		return -1;
	if (p->period_s % 60 != 0 && p->period_s != 1 && p->period_s != 5 && p->period_s != 10 &&
	    p->period_s != 30)
		return config_walk_error(w, v, "period: %d is not 1, 5, 10, 30 or a multiple of 60", p->period_s);
	return 0;
}

static int p_range(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_int(w, v, "range", 60, 15 * 86400, &((struct fd_config_panel *)o)->range_s);
}

static int p_region(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_region_sel(w, v, "region", true, &((struct fd_config_panel *)o)->region);
}

static int p_queries(struct config_walk *w, struct ytree *v, void *o)
{
	struct fd_config_panel *p = o;
	return config_query_list(w, v, "panel", &p->queries, &p->n_queries);
}

static const struct config_field panel_fields[] = {
	{ .key = "title", .fn = p_title, .required = true },
	{ .key = "unit", .fn = p_unit },
	{ .key = "stat", .fn = p_stat },
	{ .key = "period", .fn = p_period },
	{ .key = "range", .fn = p_range },
	{ .key = "region", .fn = p_region },
	{ .key = "queries", .fn = p_queries, .required = true },
};

/* Parse the `panels:` list into c (appending). */
int config_panel_list(struct config_walk *w, struct ytree *v, struct fd_config *c)
{
	size_t it;

	if (!v || v->kind != YTREE_SEQ)
		return config_walk_error(w, v, "panels: expected a list, got %s", ytree_kind_name(v));
	c->panels = xcalloc(v->n + 1, sizeof(*c->panels));
	for (it = 0; it < v->n; it++) {
		struct fd_config_panel *p = &c->panels[c->n_panels++];
		p->period_s = 60;
		p->range_s = 3600;
		if (config_walk_map(w, v->items[it], "panel", panel_fields, NFIELDS(panel_fields), p))
			return -1;
	}
	return 0;
}

/* Free one panel. */
void config_panel_clean_up(struct fd_config_panel *p)
{
	size_t i;

	free(p->title);
	free(p->unit);
	free(p->stat);
	free(p->region);
	for (i = 0; i < p->n_queries; i++)
		config_query_clean_up(&p->queries[i]);
	free(p->queries);
}
