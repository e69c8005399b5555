/* svc_sso.c — the SSO portal's GetRoleCredentials (rest-json 2019-06-10) through the
 * shape-driven codec: unsigned, the bearer token is the proof. */
#include "sim/service.h"

#include <stdio.h>

#include "sim/auth.h"

/* GetRoleCredentials: GET /federation/credentials?role_name=&account_id=. */
static int get_role_credentials(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const char *token = sim_in_str(in, "accessToken");
	const char *role = sim_in_str(in, "roleName"), *account = sim_in_str(in, "accountId");
	const struct sim_cred *c;
	char arn[SIM_ARN_MAX];

	if (!token || !token[0])
		return sim_error(ctx, resp, 401, "UnauthorizedException", "Session token not found or invalid");
	if (!role || !account || !role[0] || !account[0])
		return sim_error(ctx, resp, 400, "InvalidRequestException", "role_name and account_id are required");
	snprintf(arn, sizeof(arn), "arn:aws:sts::%s:assumed-role/AWSReservedSSO_%s/flightdeck-sim",
		 ctx->world->account, role);
	c = sim_auth_issue(ctx->auth, ctx->world, arn, "AROAFLIGHTDECKSIMROLE:flightdeck-sim", 3600);
	*out = json_pack("{s:{s:s, s:s, s:s, s:I}}", "roleCredentials", "accessKeyId", c->access_key,
			 "secretAccessKey", c->secret_key, "sessionToken", c->session_token,
			 "expiration", (json_int_t)(c->expires_s * 1000));
	return 0;
}

static const struct sim_shaped_op sso_ops[] = {
	{ "GetRoleCredentials", get_role_credentials },
	{ NULL, NULL },
};

int sim_sso_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	return sim_dispatch_shaped(ctx, req, resp, sso_ops);
}
