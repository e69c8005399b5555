/* creds_providers.h — the credential providers of the default chain, one small object each.
 *
 * Every constructor returns a provider to destroy with creds_provider_destroy().
 * A provider that does not apply fails with code "CredentialsNotFound" so the
 * chain moves on; any other failure stops the chain with a message for a person.
 *
 * The default chain, in botocore's order:
 *   env -> profile role (role_arn + source_profile / credential_source)
 *   -> web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, or the profile's keys)
 *   -> profile (sso_session / sso_start_url, credentials file keys,
 *      credential_process, config file keys)
 *   -> ECS container -> EC2 IMDSv2,
 * wrapped in the caching provider (creds_cache_new).
 *
 * An explicit --profile takes the environment provider out (botocore does the
 * same); AWS_PROFILE does not. Differences from aws-cli, on purpose: nothing
 * is ever written under ~/.aws (no ~/.aws/cli/cache for assumed roles, no
 * SSO token refresh through sso-oidc: an expired token asks for `aws sso
 * login`), and IMDS is v2 only (no v1 fallback). Strings in
 * creds_chain_options are borrowed and must outlive the providers.
 */
#ifndef FD_CREDS_PROVIDERS_H
#define FD_CREDS_PROVIDERS_H

#include <stddef.h>

#include "aws/awsconf.h"
#include "aws/creds.h"

/* What providers that call AWS (STS, SSO, IMDS, ECS) need to know. */
struct creds_chain_options {
	const char *region;         /* for STS and SSO calls; NULL: the profile's, else us-east-1 */
	const char *sts_endpoint;   /* NULL: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, config, regional */
	creds_clock_fn clock;       /* NULL: time() */
	void *clock_ctx;
	const char *ecs_base;       /* tests: replaces http://169.254.170.2 for RELATIVE_URI */
	long metadata_timeout_ms;   /* IMDS / ECS; 0: 1000 */
	int no_cache;               /* 1: do not wrap in the caching provider */
};

/* The default chain for conf's profile with options (o may be NULL). conf must
 * outlive it. */
struct creds_provider *creds_chain_new_opts(struct awsconf *conf, const struct creds_chain_options *o,
					    struct fd_error *err);

/* Try list[0..n) in order; takes ownership of the providers (not of list). */
struct creds_provider *creds_chain_of(struct creds_provider **list, size_t n);

enum creds_profile_part {
	CREDS_PROFILE_ROLE,         /* role_arn with source_profile / credential_source */
	CREDS_PROFILE_OTHER,        /* sso, credentials file keys, credential_process, config keys */
	CREDS_PROFILE_ALL,          /* both, role first */
};
/* A profile of conf (conf and o must outlive it). */
struct creds_provider *creds_profile_new(struct awsconf *conf, const char *profile,
					 enum creds_profile_part part,
					 const struct creds_chain_options *o);

/* STS AssumeRole with the credentials of source (owned). mfa_serial, external_id
 * may be NULL; duration_s 0 for STS's default. */
struct creds_provider *creds_assume_role_new(struct creds_provider *source, struct awsconf *conf,
					     const char *role_arn, const char *session_name,
					     const char *external_id, int duration_s,
					     const char *mfa_serial,
					     const struct creds_chain_options *o);

/* STS AssumeRoleWithWebIdentity. With all of token_file/role_arn NULL: from
 * AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME, then the
 * profile's web_identity_token_file, role_arn, role_session_name. */
struct creds_provider *creds_web_identity_new(struct awsconf *conf, const char *profile,
					      const char *token_file, const char *role_arn,
					      const char *session_name,
					      const struct creds_chain_options *o);

/* IAM Identity Center: the profile's sso_session (or legacy sso_start_url),
 * the token cache ~/.aws/sso/cache/<sha1>.json, GetRoleCredentials. */
struct creds_provider *creds_sso_new(struct awsconf *conf, const char *profile,
				     const struct creds_chain_options *o);

/* credential_process: command run without a shell (split as aws-cli does). */
struct creds_provider *creds_process_new(const char *command, const char *profile);

/* ECS / container credentials from AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI. */
struct creds_provider *creds_container_new(const struct creds_chain_options *o);

/* EC2 instance metadata (IMDSv2) unless AWS_EC2_METADATA_DISABLED=true. */
struct creds_provider *creds_imds_new(struct awsconf *conf, const struct creds_chain_options *o);

/* The default role session name: the operator as "user@host", in STS's
 * character set [\w+=,.@-], 2 to 64 characters. Caller frees. */
char *creds_default_session_name(void);

/* Inside a background refresh thread: make creds_prompt() fail instead of asking. */
void creds_prompt_set_background(int on);

/* Split a command line as aws-cli does (shlex, POSIX rules: quotes and
 * backslashes, no shell). NULL-terminated argv the caller frees with
 * creds_argv_free; NULL on an unbalanced quote. */
char **creds_split_command(const char *command);
void creds_argv_free(char **argv);

#endif
