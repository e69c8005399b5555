/* test_awsconf.c — the config and credentials files as aws-cli reads them. */
#include "aws/awsconf.h"

#include <stdlib.h>
#include <string.h>

#include "tests/tap.h"
#include "tests/creds/helpers.h"

/* Load with a fresh error; returns conf or NULL. */
static struct awsconf *load(const char *profile, struct fd_error *e)
{
	fd_error_clear(e);
	return awsconf_load(profile, e);
}

/* Expect loading to fail with code and exactly message (HOME-relative "~" expanded). */
static void load_fails(const char *what, const char *code, const char *msg_fmt)
{
	struct fd_error e;
	struct awsconf *c = load(NULL, &e);
	char want[1024];

	snprintf(want, sizeof(want), msg_fmt, th_home);
	ok(c == NULL, "%s: load fails", what);
	is_str(e.code, code, "%s: code", what);
	is_str(e.message, want, "%s: message", what);
	awsconf_destroy(c);
}

static void test_profiles(void)
{
	struct fd_error e;
	struct awsconf *c;

	th_clean_env();
	th_write(".aws/config",
		 "# comment\n"
		 "; another\n"
		 "[default]\n"
		 "region = ap-northeast-2\n"
		 "output=json\n"
		 "\n"
		 "[profile dev]\n"
		 "Region: eu-west-1\n"
		 "   # indented comment\n"
		 "s3 =\n"
		 "  max_concurrent_requests = 20\n"
		 "  addressing_style=path\n"
		 "source_profile = default\n"
		 "[profile \"with space\"]\n"
		 "region = us-west-2\n"
		 "[dev]\n"
		 "region = ignored-in-config\n"
		 "[sso-session corp]\n"
		 "sso_start_url = https://corp.awsapps.com/start\n"
		 "sso_region = us-east-1\n"
		 "[profile]\n"
		 "region = not-a-profile\n"
		 "[profile a b]\n"
		 "region = not-a-profile-either\n"
		 "[profiles tricky]\n"
		 "region = as-botocore-does\n"
		 "[profile multi]\n"
		 "note = first\n"
		 "   second line\n",
		 0600);
	th_write(".aws/credentials",
		 "[default]\n"
		 "aws_access_key_id = AKIDDEFAULT\n"
		 "aws_secret_access_key = SECRETDEFAULT\n"
		 "[dev]\n"
		 "region = from-credentials\n"
		 "[profile notdev]\n"
		 "x = 1\n",
		 0600);
	c = load(NULL, &e);
	ok(c != NULL, "files load");
	if (!c)
		return;
	is_str(awsconf_profile(c), "default", "no profile asked: default");
	ok(!awsconf_profile_explicit(c), "default is not explicit");
	is_str(awsconf_get(c, "default", "region"), "ap-northeast-2", "[default] in config");
	is_str(awsconf_get(c, "default", "output"), "json", "no spaces around '='");
	is_str(awsconf_get(c, "default", "aws_access_key_id"), "AKIDDEFAULT", "[default] in credentials");
	is_str(awsconf_get(c, "dev", "region"), "from-credentials", "credentials file overrides config");
	is_str(awsconf_get_file(c, AWSCONF_CONFIG, "dev", "region"), "eu-west-1",
	       "':' delimiter and key lower-cased; [dev] in config is no profile");
	is_str(awsconf_get_sub(c, "dev", "s3", "max_concurrent_requests"), "20", "nested key");
	is_str(awsconf_get_sub(c, "dev", "s3", "addressing_style"), "path", "nested key without spaces");
	is_str(awsconf_get(c, "dev", "s3"), "", "nested parent is empty");
	is_str(awsconf_get(c, "dev", "source_profile"), "default", "key after a nested block");
	is_str(awsconf_get(c, "with space", "region"), "us-west-2", "quoted profile name");
	ok(awsconf_has_profile(c, "notdev") == false, "[profile notdev] in credentials is 'profile notdev'");
	ok(awsconf_has_profile(c, "profile notdev"), "credentials sections are names verbatim");
	ok(!awsconf_has_profile(c, "a"), "[profile a b] is ignored");
	ok(!awsconf_has_profile(c, ""), "[profile] is ignored");
	is_str(awsconf_section_get(c, "sso-session", "corp", "sso_region"), "us-east-1", "sso-session section");
	is_str(awsconf_get(c, "multi", "note"), "first\nsecond line", "continuation line joins the value");
	is_str(awsconf_get(c, "tricky", "region"), "as-botocore-does", "[profiles x] is profile x, as in botocore");
	ok(awsconf_warning(c) == NULL, "0600 credentials file: no warning");
	awsconf_destroy(c);

	c = load("dev", &e);
	is_str(c ? awsconf_profile(c) : NULL, "dev", "explicit profile");
	ok(c && awsconf_profile_explicit(c), "explicit profile is marked");
	awsconf_destroy(c);

	setenv("AWS_PROFILE", "with space", 1);
	c = load(NULL, &e);
	is_str(c ? awsconf_profile(c) : NULL, "with space", "AWS_PROFILE");
	ok(c && !awsconf_profile_explicit(c), "AWS_PROFILE is not explicit");
	awsconf_destroy(c);

	setenv("AWS_PROFILE", "nosuch", 1);
	c = load(NULL, &e);
	ok(c == NULL, "AWS_PROFILE naming a missing profile fails");
	is_str(e.code, "ProfileNotFound", "missing profile code");
	is_str(e.message, "The config profile (nosuch) could not be found", "missing profile message");
	unsetenv("AWS_PROFILE");
	c = load("ghost", &e);
	is_str(e.message, "The config profile (ghost) could not be found", "--profile ghost");
	awsconf_destroy(c);

	th_write(".aws/credentials", "[default]\naws_access_key_id = A\n", 0644);
	c = load(NULL, &e);
	ok(c && awsconf_warning(c) && strstr(awsconf_warning(c), "readable by others"),
	   "0644 credentials file: warning");
	awsconf_destroy(c);
	th_write(".aws/credentials", "[default]\naws_access_key_id = A\n", 0640);
	c = load(NULL, &e);
	ok(c && awsconf_warning(c) && strstr(awsconf_warning(c), "readable by its group"),
	   "0640 credentials file: group warning");
	awsconf_destroy(c);

	/* no files at all: no profile, no error */
	th_remove(".aws/config");
	th_remove(".aws/credentials");
	c = load(NULL, &e);
	ok(c != NULL && awsconf_profile(c) == NULL, "no files: loads, no profile");
	awsconf_destroy(c);

	/* AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE with ~ */
	th_write(".aws/other-config", "[profile elsewhere]\nregion = sa-east-1\n", 0600);
	th_write(".aws/other-creds", "[elsewhere]\naws_access_key_id = K\n", 0600);
	setenv("AWS_CONFIG_FILE", "~/.aws/other-config", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/other-creds", 1);
	c = load("elsewhere", &e);
	is_str(c ? awsconf_get(c, "elsewhere", "region") : NULL, "sa-east-1", "AWS_CONFIG_FILE with ~");
	is_str(c ? awsconf_get(c, "elsewhere", "aws_access_key_id") : NULL, "K",
	       "AWS_SHARED_CREDENTIALS_FILE with ~");
	awsconf_destroy(c);
	th_rm_home();
}

static void test_malformed(void)
{
	th_clean_env();
	th_write(".aws/config", "region = x\n[default]\n", 0600);
	load_fails("key before section", "ParseError", "%s/.aws/config:1: a line before the first [section] header");
	th_write(".aws/config", "[default]\nregion = x\njust words\n", 0600);
	load_fails("no delimiter", "ParseError", "%s/.aws/config:3: expected '[section]', 'key = value' or a comment");
	th_write(".aws/config", "[default]\n[profile x\n", 0600);
	load_fails("unclosed header", "ParseError", "%s/.aws/config:2: expected '[section]', 'key = value' or a comment");
	th_write(".aws/config", "[default]\n = value\n", 0600);
	load_fails("empty key", "ParseError", "%s/.aws/config:2: a value without a key name");
	th_write(".aws/config", "[default]\na = 1\n[default]\n", 0600);
	load_fails("duplicate section", "ParseError", "%s/.aws/config:3: section [default] appears twice (first at line 1)");
	th_write(".aws/config", "[default]\na = 1\nA = 2\n", 0600);
	load_fails("duplicate key", "ParseError", "%s/.aws/config:3: key 'a' appears twice in [default] (first at line 2)");
	th_write(".aws/config", "[default]\ns3 =\n  no equals here\n", 0600);
	load_fails("bad nested", "ParseError", "%s/.aws/config:3: the line nested under 's3' is not 'key = value'");
	th_write(".aws/config", "[default]\n", 0600);
	th_write(".aws/credentials", "[default]\n\naws_access_key_id AKIA\n", 0600);
	load_fails("credentials file", "ParseError", "%s/.aws/credentials:3: expected '[section]', 'key = value' or a comment");
	th_rm_home();
}

static void test_region_endpoints(void)
{
	struct fd_error e;
	struct awsconf *c;
	char *s;

	th_clean_env();
	th_write(".aws/config",
		 "[default]\n"
		 "region = ap-northeast-2\n"
		 "services = local\n"
		 "endpoint_url = http://profile-wide\n"
		 "max_attempts = 7\n"
		 "ca_bundle = /etc/profile-ca.pem\n"
		 "[services local]\n"
		 "sts =\n"
		 "  endpoint_url = http://sts-from-services\n"
		 "elastic_load_balancing_v2 =\n"
		 "  endpoint_url = http://elb-from-services\n"
		 "[profile bare]\n"
		 "output = json\n"
		 "[profile ignoring]\n"
		 "endpoint_url = http://never\n"
		 "ignore_configured_endpoint_urls = true\n",
		 0600);
	c = load(NULL, &e);
	ok(c != NULL, "config loads");
	if (!c)
		return;
	s = awsconf_region(c, NULL, &e);
	is_str(s, "ap-northeast-2", "region from profile");
	free(s);
	setenv("AWS_DEFAULT_REGION", "us-east-2", 1);
	s = awsconf_region(c, NULL, &e);
	is_str(s, "us-east-2", "AWS_DEFAULT_REGION beats the profile");
	free(s);
	setenv("AWS_REGION", "eu-central-1", 1);
	s = awsconf_region(c, NULL, &e);
	is_str(s, "eu-central-1", "AWS_REGION beats AWS_DEFAULT_REGION");
	free(s);
	s = awsconf_region(c, "ap-northeast-1", &e);
	is_str(s, "ap-northeast-1", "--region beats everything");
	free(s);
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");

	s = awsconf_endpoint_url(c, "STS", NULL);
	is_str(s, "http://sts-from-services", "[services] section for STS");
	free(s);
	s = awsconf_endpoint_url(c, "ELASTIC_LOAD_BALANCING_V2", NULL);
	is_str(s, "http://elb-from-services", "[services] section for ELBv2");
	free(s);
	s = awsconf_endpoint_url(c, "CLOUDWATCH", NULL);
	is_str(s, "http://profile-wide", "profile endpoint_url for a service not in [services]");
	free(s);
	setenv("AWS_ENDPOINT_URL", "http://global-env", 1);
	s = awsconf_endpoint_url(c, "STS", NULL);
	is_str(s, "http://global-env", "AWS_ENDPOINT_URL beats [services]");
	free(s);
	setenv("AWS_ENDPOINT_URL_STS", "http://sts-env", 1);
	s = awsconf_endpoint_url(c, "STS", NULL);
	is_str(s, "http://sts-env", "AWS_ENDPOINT_URL_STS beats AWS_ENDPOINT_URL");
	free(s);
	s = awsconf_endpoint_url(c, "RDS", NULL);
	is_str(s, "http://global-env", "AWS_ENDPOINT_URL_STS is only for STS");
	free(s);
	s = awsconf_endpoint_url(c, "STS", "http://cli");
	is_str(s, "http://cli", "--endpoint-url beats everything");
	free(s);
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
	s = awsconf_endpoint_url(c, "STS", NULL);
	ok(s == NULL, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ignores env and config");
	free(s);
	s = awsconf_endpoint_url(c, "STS", "http://cli");
	is_str(s, "http://cli", "... but not --endpoint-url");
	free(s);
	unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_ENDPOINT_URL_STS");

	is_int(awsconf_max_attempts(c), 7, "max_attempts from profile");
	setenv("AWS_MAX_ATTEMPTS", "2", 1);
	is_int(awsconf_max_attempts(c), 2, "AWS_MAX_ATTEMPTS beats the profile");
	setenv("AWS_MAX_ATTEMPTS", "lots", 1);
	is_int(awsconf_max_attempts(c), 0, "a non-number is unset");
	unsetenv("AWS_MAX_ATTEMPTS");
	is_str(awsconf_ca_bundle(c), "/etc/profile-ca.pem", "ca_bundle from profile");
	setenv("AWS_CA_BUNDLE", "/env/ca.pem", 1);
	is_str(awsconf_ca_bundle(c), "/env/ca.pem", "AWS_CA_BUNDLE beats the profile");
	unsetenv("AWS_CA_BUNDLE");
	awsconf_destroy(c);

	c = load("bare", &e);
	s = c ? awsconf_region(c, NULL, &e) : NULL;
	ok(s == NULL, "no region anywhere: NULL");
	is_str(e.code, "NoRegion", "no region: code");
	free(s);
	is_int(c ? awsconf_max_attempts(c) : -1, 0, "max_attempts unset: 0");
	ok(c && awsconf_ca_bundle(c) == NULL, "ca_bundle unset: NULL");
	s = c ? awsconf_endpoint_url(c, "STS", NULL) : NULL;
	ok(s == NULL, "no endpoint configured: NULL");
	free(s);
	awsconf_destroy(c);

	c = load("ignoring", &e);
	s = c ? awsconf_endpoint_url(c, "STS", NULL) : NULL;
	ok(s == NULL, "ignore_configured_endpoint_urls in the profile");
	free(s);
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false", 1);
	s = c ? awsconf_endpoint_url(c, "STS", NULL) : NULL;
	is_str(s, "http://never", "the variable overrides the profile's setting");
	free(s);
	awsconf_destroy(c);
	th_rm_home();
}

static void test_expand(void)
{
	char *s, want[600];

	th_clean_env();
	setenv("FDDIR", "/srv/aws", 1);
	s = awsconf_expand_path("$FDDIR/config");
	is_str(s, "/srv/aws/config", "$VAR expanded");
	free(s);
	s = awsconf_expand_path("${FDDIR}x/$NOPE/${NOPE}/$/c$");
	is_str(s, "/srv/awsx/$NOPE/${NOPE}/$/c$", "unset and bare $ kept");
	free(s);
	s = awsconf_expand_path("~/.aws/config");
	snprintf(want, sizeof(want), "%s/.aws/config", th_home);
	is_str(s, want, "~ is HOME");
	free(s);
	s = awsconf_expand_path("~other/x");
	is_str(s, "~other/x", "~user is left alone");
	free(s);
	th_rm_home();
}

static void test_parse_check(void)
{
	struct fd_error e;
	static const char nul[] = "[a]\nk = v\0x\n";

	fd_error_clear(&e);
	is_int(awsconf_parse_check("[a]\nk=v\n", 8, 1, &e), 0, "parse_check accepts a good buffer");
	is_int(awsconf_parse_check(nul, sizeof(nul) - 1, 1, &e), -1, "a NUL byte is an error");
	is_str(e.message, "input:2: a NUL byte in the file", "NUL message");
	is_int(awsconf_parse_check("[a]\nk=v", 7, 0, &e), 0, "no final newline");
	/* fuzz finding: more words than kept, then an unbalanced quote (ASan checks the leak) */
	is_int(awsconf_parse_check("[profile a b c \"x]\n", 19, 1, &e), 0, "many words and a stray quote");
	is_int(awsconf_parse_check("[sso-session]\n[services a b]\n", 29, 1, &e), 0, "odd headers are ignored");
}

int main(void)
{
	test_profiles();
	test_malformed();
	test_region_endpoints();
	test_parse_check();
	test_expand();
	return done_testing();
}
