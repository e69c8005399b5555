/* svc_asg_refresh.c — Auto Scaling instance refreshes (query protocol) through the
 * shape-driven codec: StartInstanceRefresh starts one per group (a second while one
 * is in progress is InstanceRefreshInProgress), DescribeInstanceRefreshes lists a
 * group's, newest first. The world replaces the instances (sim/asg_lt.c): one at a
 * time, each counting once InService, healthy and warm for InstanceWarmup (default
 * REFRESH_WARMUP_S AWS seconds); a replacement whose target fails its health checks
 * fails the refresh. CancelInstanceRefresh moves the active one to Cancelling (the
 * world makes it Cancelled, starting no more replacements); with none active it is
 * ActiveInstanceRefreshNotFound.
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CancelInstanceRefresh.html
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeInstanceRefreshes.html */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/asg_refresh.h"

#define REFRESH_WARMUP_S 120     /* AWS seconds per instance when InstanceWarmup is absent */

static unsigned long refresh_seq;

static struct sim_asg *group_named(struct sim_ctx *ctx, json_t *in, struct sim_resp *resp)
{
	const char *name = sim_in_require(ctx, resp, in, "AutoScalingGroupName", "ValidationError");
	int r;
	struct sim_asg *g;

	if (!name)
		return NULL;
	r = ctx->region ? sim_world_region(ctx->world, ctx->region) : -1;
	g = r < 0 ? NULL : sim_world_asg(ctx->world, r, name);
	if (!g)
		sim_error(ctx, resp, 400, "ValidationError", "AutoScalingGroup name not found - "
			  "AutoScalingGroup '%.64s' not found", name);
	return g;
}

int sim_asg_refresh_start(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct sim_asg *g;
	json_t *prefs = json_object_get(in, "Preferences");
	long warmup = REFRESH_WARMUP_S;
	struct sim_refresh *f;

	if (!(g = group_named(ctx, in, resp)))
		return -1;
	if (prefs && sim_in_int(ctx, resp, prefs, "InstanceWarmup", 0, 86400, REFRESH_WARMUP_S, &warmup) < 0)
		return -1;
	if (g->n_refreshes && (strcmp(g->refreshes[g->n_refreshes - 1].status, "InProgress") == 0 ||
				 strcmp(g->refreshes[g->n_refreshes - 1].status, "Cancelling") == 0))
		return sim_error(ctx, resp, 400, "InstanceRefreshInProgress",
				 "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.");
	if (g->n_refreshes == SIM_REFRESHES_MAX)
		memmove(g->refreshes, g->refreshes + 1, --g->n_refreshes * sizeof(*g->refreshes));
	f = &g->refreshes[g->n_refreshes++];
	memset(f, 0, sizeof(*f));
	refresh_seq++;
	snprintf(f->id, sizeof(f->id), "%08lx-5eed-4a5b-9c1d-%012lx", refresh_seq, (unsigned long)(ctx->world->seed & 0xffffffffffUL));
	f->start_s = ctx->world->now_s;
	f->warmup_s = sim_world_dur(ctx->world, (double)warmup);
	for (size_t i = 0; i < g->n_instances; i++)
		f->total += g->instances[i].lifecycle == SIM_LC_PENDING || g->instances[i].lifecycle == SIM_LC_INSERVICE;
	snprintf(f->status, sizeof(f->status), "InProgress");
	*out = json_pack("{s:s}", "InstanceRefreshId", f->id);
	return 0;
}

int sim_asg_refresh_cancel(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	struct sim_asg *g;
	struct sim_refresh *f;

	if (!(g = group_named(ctx, in, resp)))
		return -1;
	f = g->n_refreshes ? &g->refreshes[g->n_refreshes - 1] : NULL;
	if (!f || (strcmp(f->status, "InProgress") != 0 && strcmp(f->status, "Pending") != 0))
		return sim_error(ctx, resp, 400, "ActiveInstanceRefreshNotFound",
				 "No in progress or pending Instance Refresh found for Auto Scaling group %.64s", g->name);
	snprintf(f->status, sizeof(f->status), "Cancelling");
	*out = json_pack("{s:s}", "InstanceRefreshId", f->id);
	return 0;
}

#define REFRESH_IDS_MAX 50

/* Is id among the InstanceRefreshIds asked for (all when none)? */
static bool listed(const char *const *ids, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ids[i], id) == 0)
			return true;
	return n == 0;
}

int sim_asg_refresh_describe(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const struct sim_asg *g;
	json_t *list;
	struct sim_pager pg;
	const char *ids[REFRESH_IDS_MAX];
	size_t n_ids = sim_in_strs(in, "InstanceRefreshIds", ids, REFRESH_IDS_MAX);

	if (!(g = group_named(ctx, in, resp)))
		return -1;
	if (sim_in_pager(ctx, resp, in, "NextToken", "InvalidNextToken", "MaxRecords", &pg) < 0)
		return 0;
	list = json_array();
	for (size_t i = g->n_refreshes; i-- > 0;) {   /* newest first */
		const struct sim_refresh *f = &g->refreshes[i];
		int p = f->total > 0 ? f->done * 100 / f->total : 100;
		json_t *o;
		if (!listed(ids, n_ids, f->id) || !sim_pager_take(&pg))
			continue;
		if (strcmp(f->status, "Successful") == 0)
			p = 100;
		o = json_pack("{s:s, s:s, s:s, s:o, s:i, s:i}", "InstanceRefreshId", f->id,
			      "AutoScalingGroupName", g->name, "Status", f->status,
			      "StartTime", sim_out_time(f->start_s), "PercentageComplete", p,
			      "InstancesToUpdate", f->total - f->done);
		if (f->end_s > 0)
			json_object_set_new(o, "EndTime", sim_out_time(f->end_s));
		if (strcmp(f->status, "Failed") == 0)
			json_object_set_new(o, "StatusReason", json_string(
				"Instance refresh failed: a replacement instance failed its health checks in the target group."));
		json_array_append_new(list, o);
	}
	*out = json_pack("{s:o}", "InstanceRefreshes", list);
	sim_out_token(*out, &pg, "NextToken");
	return 0;
}
