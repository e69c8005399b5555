/* svc_ec2_lt.c — EC2 DescribeLaunchTemplateVersions (the ec2 protocol) through the
 * shape-driven codec: every Auto Scaling group's launch template has two versions,
 * 1 (the AMI the stack was built with, thirty days old) and 2 (a day old, the
 * default and $Latest), which the groups' instances run.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplateVersions.html */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/service.h"

#define VERSIONS 2

/* The launch template id of a group (as sim/svc_autoscaling.c names it). */
static void lt_id(const struct sim_asg *g, char out[40])
{
	snprintf(out, 40, "lt-0%.16s", g->arn + strlen(g->arn) - 16);
}

/* The group of region r whose launch template has this name or id; NULL when none. */
static const struct sim_asg *group_of(const struct sim_world *w, int r, const char *name, const char *id)
{
	char have[40];

	for (size_t i = 0; r >= 0 && i < w->regions[r].n_asgs; i++) {
		const struct sim_asg *g = &w->regions[r].asgs[i];
		lt_id(g, have);
		if ((name && strcmp(g->launch_template, name) == 0) || (id && strcmp(have, id) == 0))
			return g;
	}
	return NULL;
}

/* Does the Versions list ask for version v ($Latest and $Default are 2)? */
static bool wanted(json_t *in, long v)
{
	json_t *list = json_object_get(in, "Versions"), *x;
	size_t i;

	if (!json_array_size(list))
		return true;
	json_array_foreach(list, i, x) {
		const char *s = json_string_value(x);
		if (s && ((strcmp(s, "$Latest") == 0 || strcmp(s, "$Default") == 0) ? v == VERSIONS : atol(s) == v))
			return true;
	}
	return false;
}

/* DescribeLaunchTemplateVersions (a row of sim/svc_ec2.c's table). */
int sim_ec2_lt_describe_versions(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *name = sim_in_str(in, "LaunchTemplateName"), *id = sim_in_str(in, "LaunchTemplateId");
	int r = ctx->region ? sim_world_region(ctx->world, ctx->region) : -1;
	const struct sim_asg *g;
	json_t *list = json_array();
	char lid[40], desc[64];

	if (!name && !id) {
		json_decref(list);
		return sim_error(ctx, resp, 400, "MissingParameter",
				 "The request must contain the parameter LaunchTemplateName or LaunchTemplateId");
	}
	g = group_of(ctx->world, r, name, id);
	if (!g) {
		json_decref(list);
		return sim_error(ctx, resp, 400, "InvalidLaunchTemplateName.NotFoundException",
				 "At least one of the launch templates specified in the request does not exist.");
	}
	lt_id(g, lid);
	for (long v = VERSIONS; v >= 1; v--) {   /* newest first, as EC2 lists them */
		if (!wanted(in, v))
			continue;
		snprintf(desc, sizeof(desc), v == 1 ? "initial build" : "petclinic release %ld", v);
		json_array_append_new(list, json_pack(
			"{s:s, s:s, s:I, s:s, s:o, s:s, s:b, s:{s:s, s:s}}", "LaunchTemplateId", lid,
			"LaunchTemplateName", g->launch_template, "VersionNumber", (json_int_t)v, "VersionDescription", desc,
			"CreateTime", sim_out_time(ctx->world->start_s - (v == 1 ? 30 : 1) * 86400.0),
			"CreatedBy", "arn:aws:iam::123456789012:role/deployer", "DefaultVersion", v == VERSIONS,
			"LaunchTemplateData", "ImageId", v == 1 ? "ami-0a1b2c3d4e5f60001" : "ami-0a1b2c3d4e5f60002",
			"InstanceType", "t3.medium"));
	}
	*out = json_pack("{s:o}", "LaunchTemplateVersions", list);
	return 0;
}
