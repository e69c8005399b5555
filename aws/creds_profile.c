/* creds_profile.c — credentials named by a profile of the shared files.
 *
 * One profile resolves, as botocore does, to: role_arn with source_profile
 * (chains, loops detected) or credential_source; role_arn with
 * web_identity_token_file; sso_session / sso_start_url; keys in the
 * credentials file; credential_process; keys in the config file.
 */
#include "aws/creds_providers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"

#define MAX_CHAIN 16

struct profile_provider {
	struct creds_provider base;
	struct awsconf *conf;
	char *profile;
	enum creds_profile_part part;
	struct creds_chain_options o;
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

/* Whether a profile has static keys in either file. */
static bool has_static(struct awsconf *conf, const char *profile)
{
	return awsconf_get(conf, profile, "aws_access_key_id") != NULL;
}

/* Run one provider to completion and destroy it. */
static int run_once(struct creds_provider *p, struct creds *out, struct fd_error *err)
{
	int r = creds_provider_get(p, out, err);

	creds_provider_destroy(p);
	return r;
}

static int resolve(struct profile_provider *pp, const char *name, const char **visited, int depth,
		   enum creds_profile_part part, struct creds *out, struct fd_error *err);

/* A fixed provider handing out already resolved credentials (the source of a role). */
static struct creds_provider *fixed(const struct creds *c)
{
	struct creds_provider *p = creds_static_new(c->access_key, c->secret_key, c->session_token);

	return p;
}

/* credential_source = Environment | Ec2InstanceMetadata | EcsContainer. */
static struct creds_provider *credential_source(struct profile_provider *pp, const char *name,
						const char *cs, struct fd_error *err)
{
	static const struct {
		const char *name;
		int kind;
	} sources[] = {
		{ .name = "Environment", .kind = 0 },
		{ .name = "Ec2InstanceMetadata", .kind = 1 },
		{ .name = "EcsContainer", .kind = 2 },
	};
	char where[600];
	size_t i;

	for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if (strcmp(cs, sources[i].name) == 0) {
			if (sources[i].kind == 0)
				return creds_env_new();
			if (sources[i].kind == 1)
				return creds_imds_new(pp->conf, &pp->o);
			return creds_container_new(&pp->o);
		}
	awsconf_where(pp->conf, name, "credential_source", where, sizeof(where));
	fd_error_set(err, "InvalidConfig",
		     "%s: profile %s: credential_source '%s' is not one of Environment, Ec2InstanceMetadata, EcsContainer",
		     where, name, cs);
	return NULL;
}

/* Assume the profile's role with credentials from its source. */
static int assume(struct profile_provider *pp, const char *name, const char **visited, int depth,
		  struct creds *out, struct fd_error *err)
{
	struct awsconf *conf = pp->conf;
	const char *role_arn = awsconf_get(conf, name, "role_arn");
	const char *src = awsconf_get(conf, name, "source_profile");
	const char *cs = awsconf_get(conf, name, "credential_source");
	const char *dur = awsconf_get(conf, name, "duration_seconds");
	struct creds_provider *source = NULL;
	struct creds sc;
	char where[600];
	int duration_s = 0, i;

	if (src && cs) {
		awsconf_where(conf, name, "credential_source", where, sizeof(where));
		return fd_error_set(err, "InvalidConfig",
				    "%s: profile %s has both source_profile and credential_source; use one", where, name);
	}
	if (dur && dur[0]) {
		char *end;
		long v = strtol(dur, &end, 10);
		if (*end || v < 900 || v > 43200) {
			awsconf_where(conf, name, "duration_seconds", where, sizeof(where));
			return fd_error_set(err, "InvalidConfig",
					    "%s: profile %s: duration_seconds must be a number from 900 to 43200",
					    where, name);
		}
		duration_s = (int)v;
	}
	if (cs) {
		source = credential_source(pp, name, cs, err);
		if (!source)
			return -1;
	} else {
		memset(&sc, 0, sizeof(sc));
		if (!awsconf_has_profile(conf, src)) {
			awsconf_where(conf, name, "source_profile", where, sizeof(where));
			return fd_error_set(err, "InvalidConfig",
					    "%s: the source_profile \"%s\" referenced in the profile \"%s\" does not exist",
					    where, src, name);
		}
		if (strcmp(src, name) == 0) {
			/* a profile may name itself to use its own keys */
			int r = static_keys(conf, AWSCONF_CREDENTIALS, name, &sc, err);
			if (r == 0)
				r = static_keys(conf, AWSCONF_CONFIG, name, &sc, err);
			if (r <= 0) {
				if (r == 0) {
					awsconf_where(conf, name, "source_profile", where, sizeof(where));
					fd_error_set(err, "SourceProfileLoop",
						     "%s: source_profile loop: %s -> %s (a profile may only name itself when it has keys)",
						     where, name, name);
				}
				return -1;
			}
		} else {
			for (i = 0; i < depth; i++)
				if (strcmp(visited[i], src) == 0) {
					struct strbuf chain;
					int j;
					strbuf_init(&chain);
					for (j = 0; j < depth; j++)
						strbuf_addf(&chain, "%s -> ", visited[j]);
					strbuf_adds(&chain, src);
					awsconf_where(conf, name, "source_profile", where, sizeof(where));
					fd_error_set(err, "SourceProfileLoop", "%s: source_profile loop: %s", where,
						     chain.data);
					strbuf_clean_up(&chain);
					return -1;
				}
			if (depth + 1 >= MAX_CHAIN)
				return fd_error_set(err, "InvalidConfig", "profile %s: more than %d roles in a chain",
						    name, MAX_CHAIN);
			visited[depth] = src;
			if (resolve(pp, src, visited, depth + 1, CREDS_PROFILE_ALL, &sc, err) < 0) {
				if (err && (strcmp(err->code, "CredentialsNotFound") == 0)) {
					awsconf_where(conf, name, "source_profile", where, sizeof(where));
					fd_error_set(err, "InvalidConfig",
						     "%s: the source profile \"%s\" must have credentials", where, src);
				}
				return -1;
			}
		}
		source = fixed(&sc);
		creds_clean_up(&sc);
	}
	return run_once(creds_assume_role_new(source, conf, role_arn,
					      awsconf_get(conf, name, "role_session_name"),
					      awsconf_get(conf, name, "external_id"), duration_s,
					      awsconf_get(conf, name, "mfa_serial"), &pp->o),
			out, err);
}

/* Resolve profile name; visited[0..depth) is the path of profiles, name last. */
static int resolve(struct profile_provider *pp, const char *name, const char **visited, int depth,
		   enum creds_profile_part part, struct creds *out, struct fd_error *err)
{
	struct awsconf *conf = pp->conf;
	const char *role_arn = awsconf_get(conf, name, "role_arn");
	const char *src = awsconf_get(conf, name, "source_profile");
	const char *cs = awsconf_get(conf, name, "credential_source");
	const char *wit = awsconf_get(conf, name, "web_identity_token_file");
	const char *process = awsconf_get(conf, name, "credential_process");
	/* a source profile with keys uses them even when it has a role (botocore) */
	bool role_first = role_arn && (src || cs) && !(depth > 1 && has_static(conf, name));
	char where[600];
	int r;

	memset(out, 0, sizeof(*out));

	if (part != CREDS_PROFILE_OTHER) {
		if (role_first)
			return assume(pp, name, visited, depth, out, err);
		if (role_arn && !src && !cs && !wit && !has_static(conf, name) && !process &&
		    !awsconf_get(conf, name, "sso_session") && !awsconf_get(conf, name, "sso_start_url")) {
			awsconf_where(conf, name, "role_arn", where, sizeof(where));
			return fd_error_set(err, "InvalidConfig",
					    "%s: profile %s has role_arn but no source_profile, credential_source or web_identity_token_file",
					    where, name);
		}
		if (part == CREDS_PROFILE_ROLE)
			return fd_error_set(err, "CredentialsNotFound", "profile %s assumes no role", name);
	}
	if (role_arn && wit && !(src || cs)) {
		if (depth == 1 && part == CREDS_PROFILE_OTHER)   /* the chain's web identity provider did it */
			return fd_error_set(err, "CredentialsNotFound", "web identity profile");
		return run_once(creds_web_identity_new(conf, name, wit, role_arn,
						       awsconf_get(conf, name, "role_session_name"), &pp->o),
				out, err);
	}
	if (awsconf_get(conf, name, "sso_session") || awsconf_get(conf, name, "sso_start_url"))
		return run_once(creds_sso_new(conf, name, &pp->o), out, err);
	r = static_keys(conf, AWSCONF_CREDENTIALS, name, out, err);
	if (r != 0)
		return r < 0 ? -1 : 0;
	if (process)
		return run_once(creds_process_new(process, name), out, err);
	r = static_keys(conf, AWSCONF_CONFIG, name, out, err);
	if (r != 0)
		return r < 0 ? -1 : 0;
	return fd_error_set(err, "CredentialsNotFound", "profile %s has no credentials", name);
}

/* Resolve the profile afresh (the caching provider keeps the result). */
static int profile_get(struct creds_provider *p, struct creds *out, struct fd_error *err)
{
	struct profile_provider *pp = (struct profile_provider *)p;
	const char *visited[MAX_CHAIN];
	int r;

	visited[0] = pp->profile;
	r = resolve(pp, pp->profile, visited, 1, pp->part, out, err);
	if (r < 0)
		creds_clean_up(out);
	return r;
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

struct creds_provider *creds_profile_new(struct awsconf *conf, const char *profile,
					 enum creds_profile_part part,
					 const struct creds_chain_options *o)
{
	struct profile_provider *pp = xcalloc(1, sizeof(*pp));

	pp->base.vt = &profile_vt;
	pp->conf = conf;
	pp->profile = xstrdup(profile);
	pp->part = part;
	if (o)
		pp->o = *o;
	return &pp->base;
}
