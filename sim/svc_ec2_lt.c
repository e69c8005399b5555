/* svc_ec2_lt.c — EC2 DescribeLaunchTemplateVersions (the ec2 protocol) through the
 * shape-driven codec: every Auto Scaling group's launch template has two versions,
 * 1 (the AMI the stack was built with, thirty days old) and 2 (a day old, the
 * default and $Latest), which the groups' instances run; the new-version fault
 * releases more (sim/asg_lt.c).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplateVersions.html */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/asg_lt.h"
#include "sim/service.h"


/* Does the Versions list ask for version v of g's template? */
static bool wanted(const struct sim_asg *g, json_t *in, long v)
{
	json_t *list = json_object_get(in, "Versions"), *x;
	size_t i;

	if (!json_array_size(list))
		return true;
	json_array_foreach(list, i, x) {
		const char *s = json_string_value(x);
		if (s && ((strcmp(s, "$Latest") == 0 || strcmp(s, "$Default") == 0) ? asg_lt_version_of(g, s) == v : atol(s) == v))
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
	char lid[40], desc[64], ami[32];

	if (!name && !id) {
		json_decref(list);
		return sim_error(ctx, resp, 400, "MissingParameter",
				 "The request must contain the parameter LaunchTemplateName or LaunchTemplateId");
	}
	g = asg_lt_owner(ctx->world, r, name, id);
	if (!g) {
		json_decref(list);
		return sim_error(ctx, resp, 400, "InvalidLaunchTemplateName.NotFoundException",
				 "At least one of the launch templates specified in the request does not exist.");
	}
	asg_lt_id(g, lid);
	for (long v = asg_lt_count(g); v >= 1; v--) {   /* newest first, as EC2 lists them */
		if (!wanted(g, in, v))
			continue;
		snprintf(desc, sizeof(desc), v == 1 ? "initial build" : "petclinic release %ld", v);
		snprintf(ami, sizeof(ami), "ami-0a1b2c3d4e5f6%04ld", v);
		json_array_append_new(list, json_pack(
			"{s:s, s:s, s:I, s:s, s:o, s:s, s:b, s:{s:s, s:s}}", "LaunchTemplateId", lid,
			"LaunchTemplateName", g->launch_template, "VersionNumber", (json_int_t)v, "VersionDescription", desc,
			"CreateTime", sim_out_time(v == 1 ? ctx->world->start_s - 30 * 86400.0 : v == 2 ? ctx->world->start_s - 86400.0 :
					   ctx->world->start_s + (double)(v - 2)),
			"CreatedBy", "arn:aws:iam::123456789012:role/deployer", "DefaultVersion", v == asg_lt_default(g),
			"LaunchTemplateData", "ImageId", ami,
			"InstanceType", "t3.medium"));
	}
	*out = json_pack("{s:o}", "LaunchTemplateVersions", list);
	return 0;
}
