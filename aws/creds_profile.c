/* creds_profile.c — credentials named by a profile of the shared files. */
#include "aws/creds_providers.h"

#include <stdlib.h>
#include <string.h>

#include "aws/xalloc.h"

struct profile_provider {
	struct creds_provider base;
	struct awsconf *conf;
	char *profile;
};

/* Static keys of one file's profile: 1 found, 0 none there, -1 error. */
static int static_keys(struct awsconf *conf, int which, const char *profile, struct creds *out,
		       struct fd_error *err)
{
	const char *ak = awsconf_get_file(conf, which, profile, "aws_access_key_id");
	const char *sk = awsconf_get_file(conf, which, profile, "aws_secret_access_key");
	const char *tok = awsconf_get_file(conf, which, profile, "aws_session_token");
	char where[600];

	if (!ak && !sk)
		return 0;
	if (!ak || !sk) {
		awsconf_where(conf, profile, ak ? "aws_access_key_id" : "aws_secret_access_key",
			      where, sizeof(where));
		return fd_error_set(err, "PartialCredentials",
				    "%s: profile %s has %s but no %s", where, profile,
				    ak ? "aws_access_key_id" : "aws_secret_access_key",
				    ak ? "aws_secret_access_key" : "aws_access_key_id");
	}
	if (!ak[0] || !sk[0]) {
		awsconf_where(conf, profile, !ak[0] ? "aws_access_key_id" : "aws_secret_access_key",
			      where, sizeof(where));
		return fd_error_set(err, "EmptyCredentials", "%s: %s is empty in profile %s", where,
				    !ak[0] ? "aws_access_key_id" : "aws_secret_access_key", profile);
	}
	if (!tok)
		tok = awsconf_get_file(conf, which, profile, "aws_security_token");
	out->access_key = xstrdup(ak);
	out->secret_key = xstrdup(sk);
	out->session_token = tok && tok[0] ? xstrdup(tok) : NULL;
	out->expiration = 0;
	out->source = which == AWSCONF_CREDENTIALS ? "shared-credentials" : "config-file";
	return 1;
}

/* Credentials file keys, then config file keys. */
static int profile_get(struct creds_provider *p, struct creds *out, struct fd_error *err)
{
	struct profile_provider *pp = (struct profile_provider *)p;
	int r;

	memset(out, 0, sizeof(*out));
	r = static_keys(pp->conf, AWSCONF_CREDENTIALS, pp->profile, out, err);
	if (r == 0)
		r = static_keys(pp->conf, AWSCONF_CONFIG, pp->profile, out, err);
	if (r < 0)
		return -1;
	if (r == 0)
		return fd_error_set(err, "CredentialsNotFound", "profile %s has no credentials",
				    pp->profile);
	return 0;
}

/* Free the provider (conf is borrowed). */
static void profile_destroy(struct creds_provider *p)
{
	struct profile_provider *pp = (struct profile_provider *)p;

	free(pp->profile);
	free(pp);
}

static const struct creds_provider_vtable profile_vt = {
	.name = "profile", .get = profile_get, .destroy = profile_destroy,
};

struct creds_provider *creds_profile_new(struct awsconf *conf, const char *profile)
{
	struct profile_provider *pp = xcalloc(1, sizeof(*pp));

	pp->base.vt = &profile_vt;
	pp->conf = conf;
	pp->profile = xstrdup(profile);
	return &pp->base;
}
