/* awsconf.h — the shared AWS config and credentials files, resolved as aws-cli v2 does.
 *
 * awsconf_load() reads AWS_CONFIG_FILE (~/.aws/config) and
 * AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials) once; the getters answer for
 * the chosen profile (--profile, AWS_PROFILE, "default"). A malformed file fails
 * with "FILE:LINE: what is wrong".
 */
#ifndef FD_AWSCONF_H
#define FD_AWSCONF_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/creds.h"
#include "base/error.h"

struct awsconf;

/* profile NULL: AWS_PROFILE, then "default". An explicitly named profile that
 * exists in neither file fails with code "ProfileNotFound". */
struct awsconf *awsconf_load(const char *profile, struct fd_error *err);
void awsconf_destroy(struct awsconf *conf);

/* The resolved profile name, or NULL when none was asked for and no [default] exists. Borrowed. */
const char *awsconf_profile(const struct awsconf *conf);
/* A key of a profile (config file, or credentials file for keys), NULL when unset. Borrowed. */
const char *awsconf_get(const struct awsconf *conf, const char *profile, const char *key);

/* Region: cli_region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region.
 * NULL with code "NoRegion" when none. Caller frees. */
char *awsconf_region(const struct awsconf *conf, const char *cli_region, struct fd_error *err);

/* Endpoint URL for a service, by its SDK service id in env-var form (CLOUDWATCH,
 * AUTO_SCALING, ELASTIC_LOAD_BALANCING_V2, ROUTE_53, XRAY, STS, RDS,
 * ROUTE53_RECOVERY_CLUSTER, SSO): cli_url, AWS_ENDPOINT_URL_<ID>, AWS_ENDPOINT_URL,
 * the profile's [services] section, the profile's endpoint_url — unless
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS. NULL: use the AWS default. Caller frees. */
char *awsconf_endpoint_url(const struct awsconf *conf, const char *service_id,
			   const char *cli_url);

/* max_attempts: AWS_MAX_ATTEMPTS, then the profile's; 0 when unset. */
int awsconf_max_attempts(const struct awsconf *conf);
/* sts_regional_endpoints = legacy: AWS_STS_REGIONAL_ENDPOINTS, then the profile's. */
bool awsconf_sts_legacy(const struct awsconf *conf);
/* CA bundle: AWS_CA_BUNDLE, then the profile's ca_bundle; NULL when unset. Borrowed. */
const char *awsconf_ca_bundle(const struct awsconf *conf);

/* The default credential chain for conf's profile (env -> profile -> web identity
 * -> container -> IMDS), wrapped in the caching provider. conf must outlive it.
 * STS calls the chain makes go to the profile's region (AWS_ENDPOINT_URL_STS,
 * AWS_ENDPOINT_URL, config); creds_chain_new_opts (aws/creds_providers.h)
 * takes the region, STS endpoint and clock explicitly. */
struct creds_provider *creds_chain_new(struct awsconf *conf, struct fd_error *err);

/* ---- additions beyond the first contract ---- */

enum { AWSCONF_CONFIG = 0, AWSCONF_CREDENTIALS = 1 };

/* A conf with no files and no profile (tests, --demo). */
struct awsconf *awsconf_new_empty(void);
/* Whether a profile of that name exists in either file. */
bool awsconf_has_profile(const struct awsconf *conf, const char *profile);
/* Whether the profile was named by the caller (--profile) rather than AWS_PROFILE:
 * as in botocore, an explicit profile takes the environment provider out of the chain. */
bool awsconf_profile_explicit(const struct awsconf *conf);
/* A warning the user should see (credentials file readable by others), or NULL. Borrowed. */
const char *awsconf_warning(const struct awsconf *conf);
/* A key of a profile in one file only (AWSCONF_CONFIG or AWSCONF_CREDENTIALS). Borrowed. */
const char *awsconf_get_file(const struct awsconf *conf, int which, const char *profile,
			     const char *key);
/* A nested key ("s3 =" followed by indented "k = v" lines) of a profile. Borrowed. */
const char *awsconf_get_sub(const struct awsconf *conf, const char *profile, const char *key,
			    const char *subkey);
/* A key of a config-file section of another kind ("sso-session", "services"). Borrowed. */
const char *awsconf_section_get(const struct awsconf *conf, const char *kind, const char *name,
				const char *key);
bool awsconf_section_exists(const struct awsconf *conf, const char *kind, const char *name);
/* "FILE:LINE" of a profile's key (or of the profile's header when the key is
 * unset) into buf; 0, or -1 when the profile is in no file. */
int awsconf_where(const struct awsconf *conf, const char *profile, const char *key,
		  char *buf, size_t size);
/* As botocore does for AWS_CONFIG_FILE: $NAME / ${NAME} from the environment
 * (left as they are when unset), then "~/x" -> "$HOME/x". Caller frees. */
char *awsconf_expand_path(const char *path);
/* Parse an INI buffer as a config (is_config) or credentials file; 0 or -1
 * with "input:LINE: ..." (the fuzz target and tests use it). */
int awsconf_parse_check(const char *buf, size_t len, int is_config, struct fd_error *err);

#endif
