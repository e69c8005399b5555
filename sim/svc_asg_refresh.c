/* svc_asg_refresh.c — Auto Scaling instance refreshes (query protocol) through the
 * shape-driven codec: StartInstanceRefresh starts one per group (a second while one
 * is in progress is InstanceRefreshInProgress), DescribeInstanceRefreshes lists a
 * group's, newest first, with a PercentageComplete that grows one instance per
 * InstanceWarmup (default REFRESH_WARMUP_S AWS seconds) until Successful.
 * The sim does not replace the instances themselves (they already run $Latest).
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeInstanceRefreshes.html */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/asg_refresh.h"

#define REFRESH_WARMUP_S 120     /* AWS seconds per instance when InstanceWarmup is absent */
#define REFRESH_MAX 32

struct refresh {
	const struct sim_world *w;
	double world_start_s;
	char group[SIM_NAME_MAX];
	int region;
	char id[40];
	double start_s;              /* world clock */
	double per_instance_s;       /* world seconds per instance */
	int instances;
};

/* Every world's refreshes, oldest first (the oldest is dropped when full). */
static struct refresh refreshes[REFRESH_MAX];
static size_t n_refreshes;
static unsigned long refresh_seq;

static bool same_world(const struct refresh *f, const struct sim_world *w)
{
	return f->w == w && f->world_start_s == w->start_s;
}

/* Percentage complete of f at the world's clock (0..100). */
static int percent(const struct refresh *f, const struct sim_world *w)
{
	double total = f->per_instance_s * (f->instances > 0 ? f->instances : 1);
	double p = floor((w->now_s - f->start_s) / total * 100.0);

	return p < 0 ? 0 : p > 100 ? 100 : (int)p;
}

static const struct sim_asg *group_named(struct sim_ctx *ctx, json_t *in, struct sim_resp *resp, int *r)
{
	const char *name = sim_in_require(ctx, resp, in, "AutoScalingGroupName", "ValidationError");
	const struct sim_asg *g;

	if (!name)
		return NULL;
	*r = ctx->region ? sim_world_region(ctx->world, ctx->region) : -1;
	g = *r < 0 ? NULL : sim_world_asg(ctx->world, *r, name);
	if (!g)
		sim_error(ctx, resp, 400, "ValidationError", "AutoScalingGroup name not found - "
			  "AutoScalingGroup '%.64s' not found", name);
	return g;
}

int sim_asg_refresh_start(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const struct sim_asg *g;
	json_t *prefs = json_object_get(in, "Preferences");
	long warmup = REFRESH_WARMUP_S;
	struct refresh *f;
	int r;

	if (!(g = group_named(ctx, in, resp, &r)))
		return -1;
	if (prefs && sim_in_int(ctx, resp, prefs, "InstanceWarmup", 0, 86400, REFRESH_WARMUP_S, &warmup) < 0)
		return -1;
	for (size_t i = 0; i < n_refreshes; i++) {
		f = &refreshes[i];
		if (same_world(f, ctx->world) && f->region == r && strcmp(f->group, g->name) == 0 &&
		    percent(f, ctx->world) < 100)
			return sim_error(ctx, resp, 400, "InstanceRefreshInProgress",
					 "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.");
	}
	if (n_refreshes == REFRESH_MAX)
		memmove(refreshes, refreshes + 1, --n_refreshes * sizeof(*refreshes));
	f = &refreshes[n_refreshes++];
	memset(f, 0, sizeof(*f));
	f->w = ctx->world;
	f->world_start_s = ctx->world->start_s;
	snprintf(f->group, sizeof(f->group), "%s", g->name);
	f->region = r;
	refresh_seq++;
	snprintf(f->id, sizeof(f->id), "%08lx-5eed-4a5b-9c1d-%012lx", refresh_seq, (unsigned long)(ctx->world->seed & 0xffffffffffUL));
	f->start_s = ctx->world->now_s;
	f->per_instance_s = sim_world_dur(ctx->world, warmup > 0 ? (double)warmup : 1.0);
	f->instances = g->desired;
	*out = json_pack("{s:s}", "InstanceRefreshId", f->id);
	return 0;
}

int sim_asg_refresh_describe(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const struct sim_asg *g;
	json_t *list = json_array();
	int r;

	if (!(g = group_named(ctx, in, resp, &r))) {
		json_decref(list);
		return -1;
	}
	for (size_t i = n_refreshes; i-- > 0;) {   /* newest first */
		const struct refresh *f = &refreshes[i];
		int p;
		json_t *o;
		if (!same_world(f, ctx->world) || f->region != r || strcmp(f->group, g->name) != 0)
			continue;
		p = percent(f, ctx->world);
		o = json_pack("{s:s, s:s, s:s, s:o, s:i, s:i}", "InstanceRefreshId", f->id,
			      "AutoScalingGroupName", f->group, "Status", p < 100 ? "InProgress" : "Successful",
			      "StartTime", sim_out_time(f->start_s), "PercentageComplete", p,
			      "InstancesToUpdate", f->instances - f->instances * p / 100);
		if (p == 100)
			json_object_set_new(o, "EndTime", sim_out_time(f->start_s + f->per_instance_s * f->instances));
		json_array_append_new(list, o);
	}
	*out = json_pack("{s:o}", "InstanceRefreshes", list);
	return 0;
}
