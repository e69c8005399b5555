/* services_pending.c — stand-ins for the services of sim/services.mk until they land.
 * The simsvc helper deletes this file when its real handlers arrive. */
#include "sim/service.h"

/* Answer every operation of a service that is not simulated yet. */
static int pending(struct sim_ctx *ctx, struct sim_resp *resp)
{
	return sim_error(ctx, resp, 501, "NotImplemented", "%s is not simulated yet",
			 ctx->svc ? ctx->svc->signing_name : "this service");
}

int sim_cloudwatch_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{ (void)req; return pending(ctx, resp); }
int sim_xray_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{ (void)req; return pending(ctx, resp); }
int sim_route53_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{ (void)req; return pending(ctx, resp); }
int sim_arc_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{ (void)req; return pending(ctx, resp); }
