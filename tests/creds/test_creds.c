/* test_creds.c — credentials, the environment and static profile keys, the chain. */
#include "aws/awsconf.h"
#include "aws/creds.h"
#include "aws/creds_http.h"
#include "aws/creds_providers.h"

#include <stdlib.h>
#include <string.h>

#include "tests/tap.h"
#include "tests/creds/helpers.h"

/* Resolve the default chain for profile; returns 0/-1, fills c and e. */
static int resolve(const char *profile, struct creds *c, struct fd_error *e)
{
	struct awsconf *conf;
	struct creds_provider *p;
	int r;

	fd_error_clear(e);
	memset(c, 0, sizeof(*c));
	conf = awsconf_load(profile, e);
	if (!conf)
		return -1;
	p = creds_chain_new(conf, e);
	r = p ? creds_provider_get(p, c, e) : -1;
	creds_provider_destroy(p);
	awsconf_destroy(conf);
	return r;
}

static void test_basics(void)
{
	struct creds a = { 0 }, b;
	struct creds_provider *p;
	struct fd_error e;
	time_t t;
	char buf[32];

	p = creds_static_new("AKID", "SECRET", NULL);
	is_int(creds_provider_get(p, &a, &e), 0, "static provider answers");
	is_str(a.access_key, "AKID", "static access key");
	is_str(a.secret_key, "SECRET", "static secret key");
	ok(a.session_token == NULL, "static: no token");
	is_str(a.source, "static", "static source");
	creds_copy(&b, &a);
	is_str(b.secret_key, "SECRET", "copy is deep");
	ok(b.secret_key != a.secret_key, "copy owns its strings");
	creds_clean_up(&a);
	ok(a.access_key == NULL && a.secret_key == NULL && a.source == NULL, "clean_up resets");
	creds_clean_up(&b);
	creds_provider_destroy(p);

	is_int(creds_parse_time("2026-11-24T06:30:00Z", &t), 0, "parse Z time");
	is_int(t, 1795501800, "Z time value");
	is_int(creds_parse_time("2026-11-24T15:30:00+09:00", &t), 0, "parse offset time");
	is_int(t, 1795501800, "offset time value");
	is_int(creds_parse_time("2026-11-24T06:30:00.123Z", &t), 0, "fractional seconds");
	is_int(creds_parse_time("yesterday", &t), -1, "garbage time");
	creds_format_time(1795501800, buf, sizeof(buf));
	is_str(buf, "2026-11-24T06:30:00Z", "format time");
}

static void test_env(void)
{
	struct creds c;
	struct fd_error e;
	struct creds_provider *p;

	th_clean_env();
	p = creds_env_new();
	fd_error_clear(&e);
	is_int(creds_provider_get(p, &c, &e), -1, "no env vars: fails");
	is_str(e.code, "CredentialsNotFound", "no env vars: chain moves on");
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	is_int(creds_provider_get(p, &c, &e), -1, "only the key id: fails");
	is_str(e.message, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is empty or unset",
	       "partial env message");
	setenv("AWS_SECRET_ACCESS_KEY", "", 1);
	is_int(creds_provider_get(p, &c, &e), -1, "empty secret counts as unset");
	setenv("AWS_SECRET_ACCESS_KEY", "SECRETENV", 1);
	setenv("AWS_SESSION_TOKEN", "TOKENENV", 1);
	setenv("AWS_CREDENTIAL_EXPIRATION", "2030-01-01T00:00:00Z", 1);
	is_int(creds_provider_get(p, &c, &e), 0, "env provider answers");
	is_str(c.access_key, "AKIDENV", "env key");
	is_str(c.secret_key, "SECRETENV", "env secret");
	is_str(c.session_token, "TOKENENV", "env token");
	is_int(c.expiration, 1893456000, "env expiration");
	is_str(c.source, "env", "env source");
	creds_clean_up(&c);
	unsetenv("AWS_SESSION_TOKEN");
	setenv("AWS_SECURITY_TOKEN", "LEGACY", 1);
	unsetenv("AWS_CREDENTIAL_EXPIRATION");
	is_int(creds_provider_get(p, &c, &e), 0, "legacy token");
	is_str(c.session_token, "LEGACY", "AWS_SECURITY_TOKEN is read");
	is_int(c.expiration, 0, "no expiration");
	creds_clean_up(&c);
	creds_provider_destroy(p);
	th_rm_home();
}

static void test_chain_static(void)
{
	struct creds c;
	struct fd_error e;
	char want[600];

	th_clean_env();
	th_write(".aws/config",
		 "[default]\nregion = ap-northeast-2\n"
		 "[profile cfg]\naws_access_key_id = AKIDCFG\naws_secret_access_key = SECRETCFG\n"
		 "[profile half]\naws_access_key_id = AKIDHALF\n"
		 "[profile nokeys]\nregion = us-east-1\n",
		 0600);
	th_write(".aws/credentials",
		 "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = SECRETFILE\n"
		 "aws_session_token = TOKFILE\n"
		 "[empty]\naws_access_key_id =\naws_secret_access_key = S\n",
		 0600);
	is_int(resolve(NULL, &c, &e), 0, "default profile from the credentials file");
	is_str(c.access_key, "AKIDFILE", "credentials file key");
	is_str(c.session_token, "TOKFILE", "credentials file token");
	is_str(c.source, "shared-credentials", "source shared-credentials");
	creds_clean_up(&c);
	is_int(resolve("cfg", &c, &e), 0, "keys in the config file");
	is_str(c.access_key, "AKIDCFG", "config file key");
	is_str(c.source, "config-file", "source config-file");
	creds_clean_up(&c);

	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "SECRETENV", 1);
	is_int(resolve(NULL, &c, &e), 0, "env beats the default profile");
	is_str(c.source, "env", "env first");
	creds_clean_up(&c);
	setenv("AWS_PROFILE", "cfg", 1);
	is_int(resolve(NULL, &c, &e), 0, "AWS_PROFILE keeps env first");
	is_str(c.source, "env", "env still first with AWS_PROFILE");
	creds_clean_up(&c);
	unsetenv("AWS_PROFILE");
	is_int(resolve("cfg", &c, &e), 0, "--profile takes env out of the chain");
	is_str(c.access_key, "AKIDCFG", "explicit profile wins over env");
	creds_clean_up(&c);
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");

	is_int(resolve("half", &c, &e), -1, "half a key pair fails");
	snprintf(want, sizeof(want),
		 "%s/.aws/config:7: profile half has aws_access_key_id but no aws_secret_access_key", th_home);
	is_str(e.message, want, "half a key pair: FILE:LINE");
	is_int(resolve("empty", &c, &e), -1, "empty key fails");
	is_str(e.code, "EmptyCredentials", "empty key code");
	snprintf(want, sizeof(want), "%s/.aws/credentials:6: aws_access_key_id is empty in profile empty", th_home);
	is_str(e.message, want, "empty key: FILE:LINE");
	is_int(resolve("nokeys", &c, &e), -1, "a profile without credentials");
	is_str(e.code, "NoCredentials", "nothing found: NoCredentials");
	th_rm_home();
}

static void test_sts_endpoint_and_session(void)
{
	struct awsconf *conf;
	struct fd_error e;
	char *s, *n;
	size_t len;

	th_clean_env();
	th_write(".aws/config", "[default]\nregion = ap-northeast-2\n[profile legacy]\nsts_regional_endpoints = legacy\n", 0600);
	conf = awsconf_load(NULL, &e);
	s = creds_sts_endpoint(conf, "ap-northeast-2");
	is_str(s, "https://sts.ap-northeast-2.amazonaws.com", "STS: regional endpoint");
	free(s);
	s = creds_sts_endpoint(conf, NULL);
	is_str(s, "https://sts.amazonaws.com", "STS: no region, the global endpoint");
	free(s);
	s = creds_sts_endpoint(conf, "cn-north-1");
	is_str(s, "https://sts.cn-north-1.amazonaws.com.cn", "STS: China partition");
	free(s);
	setenv("AWS_STS_REGIONAL_ENDPOINTS", "legacy", 1);
	s = creds_sts_endpoint(conf, "us-east-1");
	is_str(s, "https://sts.amazonaws.com", "STS legacy: us-east-1 is global");
	free(s);
	s = creds_sts_endpoint(conf, "ap-northeast-2");
	is_str(s, "https://sts.ap-northeast-2.amazonaws.com", "STS legacy: a newer region stays regional");
	free(s);
	unsetenv("AWS_STS_REGIONAL_ENDPOINTS");
	setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9", 1);
	s = creds_sts_endpoint(conf, "ap-northeast-2");
	is_str(s, "http://127.0.0.1:9", "STS: AWS_ENDPOINT_URL_STS");
	free(s);
	unsetenv("AWS_ENDPOINT_URL_STS");
	awsconf_destroy(conf);
	conf = awsconf_load("legacy", &e);
	s = creds_sts_endpoint(conf, "eu-west-1");
	is_str(s, "https://sts.amazonaws.com", "STS: sts_regional_endpoints = legacy in the profile");
	free(s);
	{
		struct creds_sts_target t;
		creds_sts_target_init(&t, conf, "eu-west-1", NULL);
		is_str(t.endpoint, "https://sts.amazonaws.com", "STS target, legacy: the global endpoint");
		is_str(t.region, "us-east-1", "signed for us-east-1, as the global endpoint's credential scope is");
		creds_sts_target_clean_up(&t);
		creds_sts_target_init(&t, conf, "ap-northeast-2", NULL);
		is_str(t.region, "ap-northeast-2", "a regional STS endpoint signs for its region");
		creds_sts_target_clean_up(&t);
	}
	awsconf_destroy(conf);

	setenv("USER", "Jane Doe/ops:1", 1);
	n = creds_default_session_name();
	ok(strncmp(n, "Jane-Doe-ops-1@", 15) == 0, "session name: user sanitised (%s)", n);
	len = strlen(n);
	ok(len >= 2 && len <= 64 &&
	   strspn(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-") == len,
	   "session name: STS's charset and length");
	free(n);
	setenv("USER", "a-very-long-user-name-that-goes-on-and-on-and-on-and-on-for-ever-more", 1);
	n = creds_default_session_name();
	is_int(strlen(n), 64, "session name: cut to 64 characters");
	free(n);
	th_rm_home();
}

int main(void)
{
	test_basics();
	test_env();
	test_chain_static();
	test_sts_endpoint_and_session();
	return done_testing();
}
