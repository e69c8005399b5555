/* svc_ec2_lt.c — EC2 DescribeLaunchTemplateVersions (the ec2 protocol) through the
 * shape-driven codec: every Auto Scaling group's launch template has two versions,
 * 1 (the AMI the stack was built with, thirty days old) and 2 (a day old, the
 * default and $Latest), which the groups' instances run; the new-version fault
 * releases more (sim/asg_lt.c).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplateVersions.html */
#include <fnmatch.h>
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

/* The filters the API reference lists; those naming data the sim's versions do not
 * have (no kernel, no instance profile, ...) match none, as in EC2. */
static const char *const lt_filters[] = {
	"create-time", "ebs-optimized", "http-endpoint", "http-protocol-ipv4", "host-resource-group-arn",
	"http-tokens", "iam-instance-profile", "image-id", "instance-type", "is-default", "kernel-id",
	"license-configuration-arn", "network-card-index", "ram-disk-id",
};

#define LT_FILTERS_MAX 10

/* A version's value for a filter (NULL: it has none). */
static const char *lt_field(const char *filter, const char *ami, bool is_default, const char *created)
{
	return strcmp(filter, "image-id") == 0 ? ami : strcmp(filter, "instance-type") == 0 ? "t3.medium" :
	       strcmp(filter, "is-default") == 0 ? (is_default ? "true" : "false") :
	       strcmp(filter, "create-time") == 0 ? created : NULL;
}

/* Filters ANDed, a filter's values ORed, values with the * and ? wildcards. */
static bool lt_matches(const struct sim_filter *f, size_t nf, const char *ami, bool is_default, const char *created)
{
	for (size_t i = 0; i < nf; i++) {
		const char *v = lt_field(f[i].name, ami, is_default, created);
		bool any = false;
		for (size_t j = 0; v && j < f[i].n_values && !any; j++)
			any = fnmatch(f[i].values[j], v, 0) == 0;
		if (!any)
			return false;
	}
	return true;
}

/* DescribeLaunchTemplateVersions (a row of sim/svc_ec2.c's table). */
int sim_ec2_lt_describe_versions(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *name = sim_in_str(in, "LaunchTemplateName"), *id = sim_in_str(in, "LaunchTemplateId");
	int r = ctx->region ? sim_world_region(ctx->world, ctx->region) : -1;
	const struct sim_asg *g;
	json_t *list;
	char lid[40], desc[64], ami[32], created[32];
	struct sim_filter filters[LT_FILTERS_MAX];
	size_t nf = sim_in_filters(in, "Filters", filters, LT_FILTERS_MAX), f;
	struct sim_pager pg;
	long lo = 0, hi = 0;

	if (!name && !id)
		return sim_error(ctx, resp, 400, "MissingParameter",
				 "The request must contain the parameter LaunchTemplateName or LaunchTemplateId");
	if (json_array_size(json_object_get(in, "Filters")) > LT_FILTERS_MAX)
		return sim_error(ctx, resp, 400, "FilterLimitExceeded", "The maximum number of filters is %d", LT_FILTERS_MAX);
	for (size_t i = 0; i < nf; i++) {
		for (f = 0; f < sizeof(lt_filters) / sizeof(lt_filters[0]) && strcmp(filters[i].name, lt_filters[f]); f++)
			;
		if (f == sizeof(lt_filters) / sizeof(lt_filters[0]))
			return sim_error(ctx, resp, 400, "InvalidParameterValue", "The filter '%.64s' is invalid",
					 filters[i].name);
	}
	if (sim_in_pager(ctx, resp, in, "NextToken", "InvalidPaginationToken", "MaxResults", &pg) < 0)
		return 0;
	if ((sim_in_str(in, "MinVersion") && (lo = atol(sim_in_str(in, "MinVersion"))) < 1) ||
	    (sim_in_str(in, "MaxVersion") && (hi = atol(sim_in_str(in, "MaxVersion"))) < 1))
		return sim_error(ctx, resp, 400, "InvalidParameterValue", "MinVersion and MaxVersion must be version numbers");
	g = asg_lt_owner(ctx->world, r, name, id);
	if (!g)
		return sim_error(ctx, resp, 400, "InvalidLaunchTemplateName.NotFoundException",
				 "At least one of the launch templates specified in the request does not exist.");
	list = json_array();
	asg_lt_id(g, lid);
	for (long v = asg_lt_count(g); v >= 1; v--) {   /* newest first, as EC2 lists them */
		double t = v == 1 ? ctx->world->start_s - 30 * 86400.0 : v == 2 ? ctx->world->start_s - 86400.0 :
			   ctx->world->start_s + (double)(v - 2);
		snprintf(ami, sizeof(ami), "ami-0a1b2c3d4e5f6%04ld", v);
		sim_time_iso(t, created);
		if (!wanted(g, in, v) || (lo && v < lo) || (hi && v > hi) ||
		    !lt_matches(filters, nf, ami, v == asg_lt_default(g), created) || !sim_pager_take(&pg))
			continue;
		snprintf(desc, sizeof(desc), v == 1 ? "initial build" : "petclinic release %ld", v);
		json_array_append_new(list, json_pack(
			"{s:s, s:s, s:I, s:s, s:o, s:s, s:b, s:{s:s, s:s}}", "LaunchTemplateId", lid,
			"LaunchTemplateName", g->launch_template, "VersionNumber", (json_int_t)v, "VersionDescription", desc,
			"CreateTime", sim_out_time(t),
			"CreatedBy", "arn:aws:iam::123456789012:role/deployer", "DefaultVersion", v == asg_lt_default(g),
			"LaunchTemplateData", "ImageId", ami,
			"InstanceType", "t3.medium"));
	}
	*out = json_pack("{s:o}", "LaunchTemplateVersions", list);
	sim_out_token(*out, &pg, "NextToken");
	return 0;
}
