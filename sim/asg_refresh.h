/* asg_refresh.h — Auto Scaling instance refreshes (sim/svc_asg_refresh.c), as rows
 * of sim/svc_autoscaling.c's operation table. */
#ifndef FD_SIM_ASG_REFRESH_H
#define FD_SIM_ASG_REFRESH_H

#include "sim/service.h"

int sim_asg_refresh_start(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp);
int sim_asg_refresh_cancel(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp);
int sim_asg_refresh_describe(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp);

#endif
