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
			json_array_append_new(groups, json_pack("{s:s?, s:o}", "group", rg->asgs[g].name, "instances", inst));
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

enum { K_VERSIONS, K_COUNT };

struct deploys_stage {
	struct model_lt lts[LTS_MAX];
	size_t n_lts;
	bool ok[LTS_MAX];
};

/* Every launch template name the region's instances run. */
static void start_deploys(struct panel_job *j)
{
	struct deploys_stage *s = j->stage;
	const struct model_region *r = panel_region(j);
	char name[128];

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
}

static void stage_clean_up(void *stage)
{
	struct deploys_stage *s = stage;

	for (size_t i = 0; i < s->n_lts; i++) {
		free(s->lts[i].name);
		free(s->lts[i].latest_description);
		free(s->lts[i].latest_image);
	}
}

static void model_part_clean_up(struct model *m, size_t region)
{
	panel_deploys_free(m->regions[region].lts, m->regions[region].n_lts);
	m->regions[region].lts = NULL;
	m->regions[region].n_lts = 0;
}

static const struct panel_call deploys_calls[K_COUNT] = {
	[K_VERSIONS] = { "ec2", "DescribeLaunchTemplateVersions", 0, false, done_versions, NULL, NULL, NULL },
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
