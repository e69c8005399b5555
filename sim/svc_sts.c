/* svc_sts.c — STS: GetCallerIdentity, AssumeRole, AssumeRoleWithWebIdentity (query 2011-06-15). */
#include "sim/service.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/auth.h"

/* GetCallerIdentity: who signed the request. */
static int get_caller_identity(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	struct strbuf *b = &resp->body;

	(void)req;
	sim_query_begin(ctx, resp, "GetCallerIdentity");
	strbuf_adds(b, "    ");
	sim_xml_elem(b, "Arn", ctx->caller_arn);
	strbuf_adds(b, "\n    ");
	sim_xml_elem(b, "UserId", ctx->caller_user_id);
	strbuf_adds(b, "\n    ");
	sim_xml_elem(b, "Account", ctx->world->account);
	sim_query_end(ctx, resp, "GetCallerIdentity");
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

/* Expiration as STS spells it: 2026-11-24T12:00:00Z. */
static void sts_time(double t_s, char out[32])
{
	time_t t = (time_t)t_s;
	struct tm tm;

	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
}

/* AssumeRole and AssumeRoleWithWebIdentity share their checks and result. */
static int assume(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp,
		  const char *action, bool web)
{
	const char *arn = sim_require(ctx, req, resp, "RoleArn", "ValidationError");
	const char *session, *role, *serial, *code, *token = NULL;
	const struct sim_cred *c;
	char assumed[SIM_ARN_MAX], uid[160], exp[32];
	struct strbuf *b = &resp->body;
	long duration;

	if (!arn)
		return 0;
	session = sim_require(ctx, req, resp, "RoleSessionName", "ValidationError");
	if (!session)
		return 0;
	if (web && !(token = sim_require(ctx, req, resp, "WebIdentityToken", "ValidationError")))
		return 0;
	if (sim_param_int(ctx, req, resp, "DurationSeconds", 900, 43200, 3600, &duration) < 0)
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
	serial = sim_param(req, "SerialNumber");
	code = sim_param(req, "TokenCode");
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
	sts_time(c->expires_s, exp);
	sim_query_begin(ctx, resp, action);
	if (web) {
		strbuf_adds(b, "    ");
		sim_xml_elem(b, "SubjectFromWebIdentityToken", "system:serviceaccount:petclinic:flightdeck");
		strbuf_adds(b, "\n    ");
		sim_xml_elem(b, "Audience", "sts.amazonaws.com");
		strbuf_adds(b, "\n    ");
		sim_xml_elem(b, "Provider", "oidc.flightdeck.sim");
		strbuf_adds(b, "\n");
	}
	strbuf_adds(b, "    <AssumedRoleUser>\n      ");
	sim_xml_elem(b, "Arn", c->arn);
	strbuf_adds(b, "\n      ");
	sim_xml_elem(b, "AssumedRoleId", c->user_id);
	strbuf_adds(b, "\n    </AssumedRoleUser>\n    <Credentials>\n      ");
	sim_xml_elem(b, "AccessKeyId", c->access_key);
	strbuf_adds(b, "\n      ");
	sim_xml_elem(b, "SecretAccessKey", c->secret_key);
	strbuf_adds(b, "\n      ");
	sim_xml_elem(b, "SessionToken", c->session_token);
	strbuf_adds(b, "\n      ");
	sim_xml_elem(b, "Expiration", exp);
	strbuf_adds(b, "\n    </Credentials>\n    <PackedPolicySize>0</PackedPolicySize>");
	sim_query_end(ctx, resp, action);
	return 0;
}

static int assume_role(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	return assume(ctx, req, resp, "AssumeRole", false);
}

static int assume_role_web(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	return assume(ctx, req, resp, "AssumeRoleWithWebIdentity", true);
}

static const struct sim_op sts_ops[] = {
	{ .name = "GetCallerIdentity", .mutating = false, .fn = get_caller_identity },
	{ .name = "AssumeRole", .mutating = false, .fn = assume_role },
	{ .name = "AssumeRoleWithWebIdentity", .mutating = false, .fn = assume_role_web },
	{ .name = NULL },
};

int sim_sts_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	return sim_dispatch_query(ctx, req, resp, sts_ops);
}
