/* panel.c — the table of panels and what every panel's parser uses (see panel.h). */
#include "model/panel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/isotime.h"
#include "base/strlist.h"
#include "base/xalloc.h"
#include "model/measure.h"

/* Each panel's row lives in its file (model/panel_NAME.c). */
extern const struct panel_def panel_lb_def, panel_asg_def, panel_alarms_def, panel_metrics_def,
	panel_rds_def, panel_xray_def, panel_route53_def, panel_targets_def, panel_sessions_def, panel_cdn_def, panel_deploys_def;

const struct panel_def *const panel_table[MODEL_PANEL_COUNT] = {
	[MODEL_PANEL_LB] = &panel_lb_def,
	[MODEL_PANEL_ASG] = &panel_asg_def,
	[MODEL_PANEL_ALARMS] = &panel_alarms_def,
	[MODEL_PANEL_METRICS] = &panel_metrics_def,
	[MODEL_PANEL_RDS] = &panel_rds_def,
	[MODEL_PANEL_XRAY] = &panel_xray_def,
	[MODEL_PANEL_ROUTE53] = &panel_route53_def,
	[MODEL_PANEL_TARGETS] = &panel_targets_def,
	[MODEL_PANEL_SESSIONS] = &panel_sessions_def,
	[MODEL_PANEL_CDN] = &panel_cdn_def,
	[MODEL_PANEL_DEPLOYS] = &panel_deploys_def,
};

/* The region of a job. */
struct model_region *panel_region(const struct panel_job *j)
{
	return j->region == PANEL_GLOBAL ? NULL : &j->m->regions[j->region];
}

/* Free the shared state. */
void panel_shared_clean_up(struct panel_shared *s)
{
	size_t i, k;

	for (i = 0; i < s->n_target_series; i++) {
		for (k = 0; k < s->target_series[i].n; k++)
			series_clean_up(&s->target_series[i].series[k]);
		free(s->target_series[i].series);
	}
	free(s->target_series);
	free(s->measure_file);
	free(s->focus_alarm);
	measure_free(s->ms, s->n_ms);
	memset(s, 0, sizeof(*s));
}

/* --- reading results -------------------------------------------------------------- */

char *panel_str(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

const char *panel_cstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

double panel_num(const json_t *o, const char *key, double def)
{
	const json_t *v = json_object_get(o, key);
	const char *s;
	char *end;
	double d;

	if (json_is_number(v))
		return json_number_value(v);
	s = json_string_value(v);
	if (!s || !*s)
		return def;
	d = strtod(s, &end);
	return *end ? def : d;
}

int panel_int(const json_t *o, const char *key, int def)
{
	double d = panel_num(o, key, NAN);

	return isnan(d) ? def : (int)d;
}

bool panel_bool(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	if (json_is_boolean(v))
		return json_is_true(v);
	return json_is_string(v) && strcasecmp(json_string_value(v), "true") == 0;
}

time_t panel_time(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	if (json_is_number(v))
		return (time_t)json_number_value(v);
	return isotime_seconds(json_string_value(v));
}

const json_t *panel_list(const json_t *o, const char *key, bool *bad)
{
	const json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		*bad = true;
		return NULL;
	}
	return v;
}

int panel_shape_error(struct fd_error *err, const char *op, const char *what)
{
	return fd_error_set(err, "ParseError", "%s: unexpected result shape: %s", op, what);
}

int panel_need_object(const json_t *res, const char *op, struct fd_error *err)
{
	return json_is_object(res) ? 0 : panel_shape_error(err, op, "not an object");
}

void panel_filter(json_t *res, const char *list, const char *key, char *const *names, size_t n)
{
	json_t *arr = json_object_get(res, list);
	size_t i;

	if (!n || !json_is_array(arr))
		return;
	for (i = json_array_size(arr); i-- > 0;)
		if (!strlist_has((const char *const *)names, n,
				 json_string_value(json_object_get(json_array_get(arr, i), key))))
			json_array_remove(arr, i);
}

bool panel_same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

time_t panel_cw_next(time_t newest_s)
{
	return newest_s + 120 + PANEL_CW_PUBLISH_S;
}

bool panel_cw_current(time_t newest_s, time_t now)
{
	return newest_s > 0 && newest_s + 60 <= now && now < panel_cw_next(newest_s);
}

time_t panel_series_newest(const struct model_series *s, time_t t)
{
	return s && s->n && s->ts[s->n - 1] > t ? s->ts[s->n - 1] : t;
}
