/* panel_targets.c — the success targets panel (global, derived): recomputed from the model,
 * the metric targets' series and the runbook measurements file after every other refresh. */
#include <stdlib.h>

#include "base/xalloc.h"
#include "model/measure.h"
#include "model/panel.h"
#include "model/targets.h"

/* Derive every target; reload rereads the measurements file. */
static void derive(struct panel_job *j, bool reload)
{
	struct panel_shared *sh = j->shared;
	struct model_status *st = &j->m->targets_status;
	struct targets_metric *tm = xcalloc(j->cfg->n_targets + 1, sizeof(*tm));
	struct fd_error e;
	size_t i;

	if (reload) {
		measure_free(sh->ms, sh->n_ms);
		sh->ms = NULL;
		sh->n_ms = 0;
		if (measure_load(sh->measure_file, &sh->ms, &sh->n_ms, NULL, &e)) {
			st->error = e;
			st->error_at = j->now;
		} else {
			fd_error_clear(&st->error);
			st->error_at = 0;
		}
	}
	for (i = 0; i < j->cfg->n_targets; i++) {
		tm[i].series = sh->target_series[i].series;
		tm[i].n_series = sh->target_series[i].n;
		tm[i].fetched = sh->target_series[i].fetched;
	}
	targets_derive(j->m, j->cfg, tm, sh->ms, sh->n_ms, j->now);
	free(tm);
	st->fetched_at = j->now;
	model_touch(j->m, st);
}

/* Free the model's targets. */
static void model_part_clean_up(struct model *m, size_t region)
{
	(void)region;
	model_targets_free(m->targets, m->n_targets);
	m->targets = NULL;
	m->n_targets = 0;
}

const struct panel_def panel_targets_def = {
	.panel = MODEL_PANEL_TARGETS,
	.name = "targets",
	.global = true,
	.interval_mult = 1,
	.derive = derive,
	.model_clean_up = model_part_clean_up,
};
