/* svc_autoscaling.c — placeholder, replaced in the next commit. */
#include "sim/service.h"

int sim_autoscaling_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	(void)req;
	return sim_error(ctx, resp, 501, "NotImplemented", "not simulated yet");
}
