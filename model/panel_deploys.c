/* panel_deploys.c — launch template versions of the region's groups (see panel_deploys.h). */
#include "model/panel_deploys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "model/collector.h"
#include "model/model.h"
#include "model/panel.h"

#define LTS_MAX 16

int panel_deploys_parse_versions(const json_t *res, struct model_lt *lt, struct fd_error *err)
{
	const json_t *arr, *v;
	bool bad = false;
	size_t i;
	long newest = -1;

	if (panel_need_object(res, "DescribeLaunchTemplateVersions", err))
		return -1;
	arr = panel_list(res, "LaunchTemplateVersions", &bad);
	if (bad)
		return panel_shape_error(err, "DescribeLaunchTemplateVersions", "LaunchTemplateVersions is not a list");
	lt->latest = lt->default_version = -1;
	json_array_foreach(arr, i, v) {
		long n = (long)panel_num(v, "VersionNumber", -1);
		if (panel_bool(v, "DefaultVersion"))
			lt->default_version = n;
		if (n > newest) {
			newest = n;
			free(lt->latest_description);
			free(lt->latest_image);
			lt->latest_description = panel_str(v, "VersionDescription");
			lt->latest_image = panel_str(json_object_get(v, "LaunchTemplateData"), "ImageId");
			lt->latest_created = panel_time(v, "CreateTime");
		}
	}
	lt->latest = newest;
	return 0;
}

int panel_deploys_parse_refreshes(const json_t *res, struct model_refresh *out, struct fd_error *err)
{
	const json_t *arr, *v;
	bool bad = false;

	if (panel_need_object(res, "DescribeInstanceRefreshes", err))
		return -1;
	arr = panel_list(res, "InstanceRefreshes", &bad);
	if (bad)
		return panel_shape_error(err, "DescribeInstanceRefreshes", "InstanceRefreshes is not a list");
	v = json_array_get(arr, 0);   /* newest first */
	if (!v)
		return 1;
	if (!json_is_object(v) || !json_is_string(json_object_get(v, "Status")))
		return panel_shape_error(err, "DescribeInstanceRefreshes", "an instance refresh without a Status");
	memset(out, 0, sizeof(*out));
	out->group = panel_str(v, "AutoScalingGroupName");
	out->id = panel_str(v, "InstanceRefreshId");
	out->status = panel_str(v, "Status");
	out->percent = (long)panel_num(v, "PercentageComplete", -1);
	out->to_update = (long)panel_num(v, "InstancesToUpdate", -1);
	out->start = panel_time(v, "StartTime");
	out->end = panel_time(v, "EndTime");
	return 0;
}

const struct model_refresh *panel_deploys_refresh(const struct model_region *r, const char *group)
{
	for (size_t i = 0; group && i < r->n_refreshes; i++)
		if (panel_same(r->refreshes[i].group, group))
			return &r->refreshes[i];
	return NULL;
}

void panel_deploys_refreshes_free(struct model_refresh *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].group);
		free(v[i].id);
		free(v[i].status);
	}
	free(v);
}

const struct model_lt *panel_deploys_find(const struct model_region *r, const char *name)
{
	for (size_t i = 0; name && i < r->n_lts; i++)
		if (panel_same(r->lts[i].name, name))
			return &r->lts[i];
	return NULL;
}

const char *panel_deploys_version_text(const struct model_region *r, const char *name_version, char *buf,
				       size_t size)
{
	const char *colon = name_version ? strrchr(name_version, ':') : NULL;
	char name[128];
	const struct model_lt *lt;

	if (!colon || (size_t)(colon - name_version) >= sizeof(name)) {
		snprintf(buf, size, "?");
		return buf;
	}
	snprintf(name, sizeof(name), "%.*s", (int)(colon - name_version), name_version);
	lt = panel_deploys_find(r, name);
	if (strcmp(colon + 1, "$Latest") == 0)
		snprintf(buf, size, lt && lt->latest >= 0 ? "v%ld" : "?", lt ? lt->latest : 0);
	else if (strcmp(colon + 1, "$Default") == 0)
		snprintf(buf, size, lt && lt->default_version >= 0 ? "v%ld" : "?", lt ? lt->default_version : 0);
	else
		snprintf(buf, size, "v%.20s", colon + 1);
	return buf;
}

json_t *panel_deploys_json(const struct model *m)
{
	json_t *out = json_array();
	char ver[32];

	for (size_t r = 0; r < m->n_regions; r++) {
		const struct model_region *rg = &m->regions[r];
		json_t *lts = json_array(), *groups = json_array();
		for (size_t i = 0; i < rg->n_lts; i++) {
			const struct model_lt *lt = &rg->lts[i];
			json_array_append_new(lts, json_pack("{s:s?, s:o, s:o, s:s?, s:s?}", "name", lt->name,
							     "latest", lt->latest >= 0 ? json_integer(lt->latest) : json_null(),
							     "default", lt->default_version >= 0 ? json_integer(lt->default_version)
												  : json_null(),
							     "latest_description", lt->latest_description,
							     "latest_image", lt->latest_image));
		}
		for (size_t g = 0; g < rg->n_asgs; g++) {
			json_t *inst = json_array();
			for (size_t i = 0; i < rg->asgs[g].n_instances; i++)
				json_array_append_new(inst, json_pack("{s:s?, s:s?, s:s}", "id", rg->asgs[g].instances[i].id,
					"launch_template", rg->asgs[g].instances[i].launch_template, "version",
					panel_deploys_version_text(rg, rg->asgs[g].instances[i].launch_template, ver, sizeof(ver))));
			const struct model_refresh *f = panel_deploys_refresh(rg, rg->asgs[g].name);
			json_t *fj = f ? json_pack("{s:s?, s:s?, s:o, s:o, s:o, s:o}", "id", f->id, "status", f->status,
						   "percent_complete", f->percent >= 0 ? json_integer(f->percent) : json_null(),
						   "instances_to_update", f->to_update >= 0 ? json_integer(f->to_update) : json_null(),
						   "start_epoch_s", f->start ? json_integer((json_int_t)f->start) : json_null(),
						   "end_epoch_s", f->end ? json_integer((json_int_t)f->end) : json_null())
				       : json_null();
			json_array_append_new(groups, json_pack("{s:s?, s:o, s:o}", "group", rg->asgs[g].name, "instances", inst,
								"refresh", fj));
		}
		json_array_append_new(out, json_pack("{s:s, s:o, s:o}", "region", rg->name, "launch_templates", lts,
						     "groups", groups));
	}
	return out;
}

void panel_deploys_free(struct model_lt *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].name);
		free(v[i].latest_description);
		free(v[i].latest_image);
	}
	free(v);
}

/* --- refreshing ---------------------------------------------------------------------- */

enum { K_VERSIONS, K_REFRESHES, K_COUNT };
#define GROUPS_MAX 32

struct deploys_stage {
	struct model_lt lts[LTS_MAX];
	size_t n_lts;
	bool ok[LTS_MAX];
	struct model_refresh refreshes[GROUPS_MAX];   /* by group index; group NULL: none */
	size_t n_groups;
	bool refreshes_ok;          /* every group's refreshes were read */
};

/* Every launch template name the region's instances run. */
static void start_deploys(struct panel_job *j)
{
	struct deploys_stage *s = j->stage;
	const struct model_region *r = panel_region(j);
	char name[128];

	s->n_groups = r->n_asgs < GROUPS_MAX ? r->n_asgs : GROUPS_MAX;
	s->refreshes_ok = true;
	for (size_t g = 0; g < s->n_groups; g++)
		if (r->asgs[g].name)
			collector_call(j, K_REFRESHES, json_pack("{s:s, s:i}", "AutoScalingGroupName", r->asgs[g].name,
								 "MaxRecords", 1), g, 0);
	for (size_t g = 0; g < r->n_asgs; g++)
		for (size_t i = 0; i < r->asgs[g].n_instances && s->n_lts < LTS_MAX; i++) {
			const char *lt = r->asgs[g].instances[i].launch_template, *colon = lt ? strrchr(lt, ':') : NULL;
			bool have = false;
			if (!colon || (size_t)(colon - lt) >= sizeof(name))
				continue;
			snprintf(name, sizeof(name), "%.*s", (int)(colon - lt), lt);
			for (size_t k = 0; k < s->n_lts; k++)
				have |= strcmp(s->lts[k].name, name) == 0;
			if (have)
				continue;
			s->lts[s->n_lts].name = xstrdup(name);
			collector_call(j, K_VERSIONS, json_pack("{s:s, s:[s, s]}", "LaunchTemplateName", name, "Versions",
								"$Latest", "$Default"), s->n_lts, 0);
			s->n_lts++;
		}
}

static void done_versions(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct deploys_stage *s = j->stage;
	struct fd_error e;

	(void)sub;
	if (idx >= s->n_lts)
		return;
	if (panel_deploys_parse_versions(res, &s->lts[idx], &e))
		collector_job_error(j, &e, false);
	else
		s->ok[idx] = true;
}

static void done_refreshes(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct deploys_stage *s = j->stage;
	struct fd_error e;
	int rc;

	(void)sub;
	if (idx >= s->n_groups)
		return;
	rc = panel_deploys_parse_refreshes(res, &s->refreshes[idx], &e);
	if (rc < 0) {
		s->refreshes_ok = false;
		collector_job_error(j, &e, false);
	}
}

/* Swap in the templates read; one that failed keeps what was read before. */
static void finish_deploys(struct panel_job *j)
{
	struct deploys_stage *s = j->stage;
	struct model_region *r = panel_region(j);
	struct model_lt *v = xcalloc(s->n_lts + 1, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < s->n_lts; i++) {
		const struct model_lt *old = panel_deploys_find(r, s->lts[i].name);
		if (s->ok[i]) {
			v[n++] = s->lts[i];
			memset(&s->lts[i], 0, sizeof(s->lts[i]));
		} else if (old) {
			v[n].name = xstrdup(old->name);
			v[n].latest = old->latest;
			v[n].default_version = old->default_version;
			v[n].latest_description = old->latest_description ? xstrdup(old->latest_description) : NULL;
			v[n].latest_image = old->latest_image ? xstrdup(old->latest_image) : NULL;
			v[n++].latest_created = old->latest_created;
		}
	}
	panel_deploys_free(r->lts, r->n_lts);
	r->lts = v;
	r->n_lts = n;
	if (!s->refreshes_ok)
		return;   /* keep what was read before */
	panel_deploys_refreshes_free(r->refreshes, r->n_refreshes);
	r->refreshes = xcalloc(s->n_groups + 1, sizeof(*r->refreshes));
	r->n_refreshes = 0;
	for (size_t g = 0; g < s->n_groups; g++)
		if (s->refreshes[g].status) {
			r->refreshes[r->n_refreshes++] = s->refreshes[g];
			memset(&s->refreshes[g], 0, sizeof(s->refreshes[g]));
		}
}

static void stage_clean_up(void *stage)
{
	struct deploys_stage *s = stage;

	for (size_t i = 0; i < s->n_lts; i++) {
		free(s->lts[i].name);
		free(s->lts[i].latest_description);
		free(s->lts[i].latest_image);
	}
	for (size_t g = 0; g < GROUPS_MAX; g++) {
		free(s->refreshes[g].group);
		free(s->refreshes[g].id);
		free(s->refreshes[g].status);
	}
}

static void model_part_clean_up(struct model *m, size_t region)
{
	panel_deploys_free(m->regions[region].lts, m->regions[region].n_lts);
	m->regions[region].lts = NULL;
	m->regions[region].n_lts = 0;
	panel_deploys_refreshes_free(m->regions[region].refreshes, m->regions[region].n_refreshes);
	m->regions[region].refreshes = NULL;
	m->regions[region].n_refreshes = 0;
}

static const struct panel_call deploys_calls[K_COUNT] = {
	[K_VERSIONS] = { "ec2", "DescribeLaunchTemplateVersions", 0, false, done_versions, NULL, NULL, NULL },
	[K_REFRESHES] = { "autoscaling", "DescribeInstanceRefreshes", 0, false, done_refreshes, NULL, NULL, NULL },
};

const struct panel_def panel_deploys_def = {
	.panel = MODEL_PANEL_DEPLOYS,
	.name = "deploys",
	.interval_mult = 3,
	.after = PANEL_BIT(MODEL_PANEL_ASG),
	.calls = deploys_calls,
	.n_calls = K_COUNT,
	.stage_size = sizeof(struct deploys_stage),
	.start = start_deploys,
	.finish = finish_deploys,
	.stage_clean_up = stage_clean_up,
	.model_clean_up = model_part_clean_up,
};
