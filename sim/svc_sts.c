/* svc_sts.c — STS: GetCallerIdentity, AssumeRole, AssumeRoleWithWebIdentity (query 2011-06-15). */
#include "sim/service.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/auth.h"

/* GetCallerIdentity: who signed the request. */
static int get_caller_identity(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	(void)in;
	(void)resp;
	*out = json_pack("{s:s, s:s, s:s}", "Arn", ctx->caller_arn, "UserId", ctx->caller_user_id,
			 "Account", ctx->world->account);
	return 0;
}

/* Check a role session name: [\w+=,.@-]{2,64}. */
static bool session_name_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 2 || n > 64)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_+=,.@-", s[i]))
			return false;
	return true;
}

/* The role name of arn:aws:iam::ACCOUNT:role/PATH/NAME, or NULL when malformed. */
static const char *role_name(const char *arn)
{
	const char *p = "arn:aws:iam::", *r;

	if (strncmp(arn, p, strlen(p)) != 0)
		return NULL;
	r = strstr(arn, ":role/");
	if (!r || !r[6])
		return NULL;
	r = strrchr(r, '/') + 1;
	return *r ? r : NULL;
}

/* AssumeRole and AssumeRoleWithWebIdentity share their checks and result. */
static int assume(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp, bool web)
{
	const char *arn = sim_in_require(ctx, resp, in, "RoleArn", "ValidationError");
	const char *session, *role, *serial, *code, *token = NULL;
	const struct sim_cred *c;
	char assumed[SIM_ARN_MAX], uid[160];
	long duration;

	if (!arn)
		return 0;
	session = sim_in_require(ctx, resp, in, "RoleSessionName", "ValidationError");
	if (!session)
		return 0;
	if (web && !(token = sim_in_require(ctx, resp, in, "WebIdentityToken", "ValidationError")))
		return 0;
	if (sim_in_int(ctx, resp, in, "DurationSeconds", 900, 43200, 3600, &duration) < 0)
		return 0;
	role = role_name(arn);
	if (!role || strlen(arn) < 20)
		return sim_error(ctx, resp, 400, "ValidationError", "%.200s is invalid", arn);
	if (!session_name_ok(session))
		return sim_error(ctx, resp, 400, "ValidationError",
				 "1 validation error detected: Value '%.64s' at 'roleSessionName' failed to "
				 "satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
				 session);
	if (web && strcmp(token, "invalid") == 0)
		return sim_error(ctx, resp, 400, "InvalidIdentityToken",
				 "Couldn't retrieve verification key from your identity provider");
	serial = sim_in_str(in, "SerialNumber");
	code = sim_in_str(in, "TokenCode");
	if (serial && (!code || strlen(code) != 6 || strspn(code, "0123456789") != 6 ||
		       strcmp(code, "000000") == 0))
		return sim_error(ctx, resp, 403, "AccessDenied",
				 "MultiFactorAuthentication failed with invalid MFA one time pass code. ");
	{
		const char *acct = arn + 13;
		int acct_n = (int)strcspn(acct, ":");
		if (acct_n == 0 || acct_n > 16)
			return sim_error(ctx, resp, 400, "ValidationError", "%.200s is invalid", arn);
		snprintf(assumed, sizeof(assumed), "arn:aws:sts::%.*s:assumed-role/%.64s/%.64s",
			 acct_n, acct, role, session);
	}
	snprintf(uid, sizeof(uid), "AROAFLIGHTDECKSIMROLE:%s", session);
	c = sim_auth_issue(ctx->auth, ctx->world, assumed, uid, (double)duration);
	/* STS writes Expiration in whole seconds (2026-11-24T12:00:00Z) */
	*out = json_pack("{s:{s:s, s:s}, s:{s:s, s:s, s:s, s:I}, s:i}",
			 "AssumedRoleUser", "Arn", c->arn, "AssumedRoleId", c->user_id,
			 "Credentials", "AccessKeyId", c->access_key, "SecretAccessKey", c->secret_key,
			 "SessionToken", c->session_token, "Expiration", (json_int_t)c->expires_s,
			 "PackedPolicySize", 0);
	if (web) {
		json_object_set_new(*out, "SubjectFromWebIdentityToken",
				    json_string("system:serviceaccount:petclinic:flightdeck"));
		json_object_set_new(*out, "Audience", json_string("sts.amazonaws.com"));
		json_object_set_new(*out, "Provider", json_string("oidc.flightdeck.sim"));
	}
	return 0;
}

static int assume_role(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	return assume(ctx, in, out, resp, false);
}

static int assume_role_web(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	return assume(ctx, in, out, resp, true);
}

static const struct sim_shaped_op sts_ops[] = {
	{ .name = "GetCallerIdentity", .fn = get_caller_identity },
	{ .name = "AssumeRole", .fn = assume_role },
	{ .name = "AssumeRoleWithWebIdentity", .fn = assume_role_web },
	{ .name = NULL },
};

int sim_sts_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	return sim_dispatch_shaped(ctx, req, resp, sts_ops);
}
