/* svc_elbv2.c — placeholder, replaced in the next commit. */
#include "sim/service.h"

int sim_elbv2_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	(void)req;
	return sim_error(ctx, resp, 501, "NotImplemented", "not simulated yet");
}
