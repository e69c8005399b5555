/* test_providers.c — every provider against a fake IMDS / ECS / STS / SSO on loopback. */
#include "aws/awsconf.h"
#include "aws/creds.h"
#include "aws/creds_providers.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "base/xalloc.h"
#include "tests/tap.h"
#include "tests/creds/helpers.h"
#include "tests/creds/fixture.h"

static char base_url[64];

/* A clean HOME and environment that points STS and SSO at the fixture. */
static void fresh_env(void)
{
	th_clean_env();
	setenv("AWS_ENDPOINT_URL_STS", base_url, 1);
	setenv("AWS_ENDPOINT_URL_SSO", base_url, 1);
	setenv("USER", "oncall", 1);
}

/* Resolve the default chain for profile (NULL: default) into c / e. */
static int resolve(const char *profile, struct creds *c, struct fd_error *e)
{
	struct awsconf *conf;
	struct creds_provider *p;
	struct creds_chain_options o = { .region = "ap-northeast-2", .no_cache = 1 };
	int r;

	fd_error_clear(e);
	memset(c, 0, sizeof(*c));
	conf = awsconf_load(profile, e);
	if (!conf)
		return -1;
	p = creds_chain_new_opts(conf, &o, e);
	r = creds_provider_get(p, c, e);
	creds_provider_destroy(p);
	awsconf_destroy(conf);
	return r;
}

/* Expect resolution of profile to fail with code and a message containing want. */
static void fails_with(const char *profile, const char *code, const char *want, const char *what)
{
	struct creds c;
	struct fd_error e;

	is_int(resolve(profile, &c, &e), -1, "%s: fails", what);
	is_str(e.code, code, "%s: code", what);
	if (!ok(strstr(e.message, want) != NULL, "%s: message", what))
		printf("# got: %s\n# want inside: %s\n", e.message, want);
	creds_clean_up(&c);
}

static void test_imds(void)
{
	struct creds c;
	struct fd_error e;

	fresh_env();
	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", base_url, 1);
	is_int(resolve(NULL, &c, &e), 0, "IMDSv2: credentials");
	is_str(c.access_key, "ASIAIMDS", "IMDSv2: key");
	is_str(c.secret_key, FX_IMDS_SECRET, "IMDSv2: secret");
	is_str(c.session_token, "imdsTOKEN", "IMDSv2: token");
	is_str(c.source, "imds", "IMDSv2: source");
	ok(c.expiration > time(NULL) + 3000, "IMDSv2: expiration parsed");
	creds_clean_up(&c);
	fx_imds_fail_n = 1;
	fails_with(NULL, "NoCredentials", "Unable to locate credentials", "IMDS busy, one attempt");
	fx_imds_fail_n = 1;
	setenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2", 1);
	is_int(resolve(NULL, &c, &e), 0, "IMDS busy once, AWS_METADATA_SERVICE_NUM_ATTEMPTS=2");
	creds_clean_up(&c);
	unsetenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS");
	setenv("AWS_EC2_METADATA_DISABLED", "TRUE", 1);
	fails_with(NULL, "NoCredentials", "Unable to locate credentials", "IMDS disabled");
	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1/", 1);
	fails_with(NULL, "NoCredentials", "Unable to locate credentials", "no IMDS listening");
	th_rm_home();
}

static void test_container(void)
{
	struct creds c;
	struct fd_error e;
	struct creds_chain_options o = { .no_cache = 1 };
	struct creds_provider *p;
	char url[128];

	fresh_env();
	snprintf(url, sizeof(url), "%s/ecs/creds", base_url);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ecs-auth-1", 1);
	fx_ecs_want_authz = "ecs-auth-1";
	is_int(resolve(NULL, &c, &e), 0, "ECS FULL_URI: credentials");
	is_str(c.secret_key, FX_ECS_SECRET, "ECS: secret");
	is_str(c.session_token, "ecsTOKEN", "ECS: token");
	is_str(c.source, "container", "ECS: source");
	is_str(fx_ecs_authz, "ecs-auth-1", "ECS: authorization token sent");
	creds_clean_up(&c);
	th_write("ecs-token", "ecs-auth-2\n", 0600);
	snprintf(url, sizeof(url), "%s/ecs-token", th_home);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", url, 1);
	fx_ecs_want_authz = "ecs-auth-2";
	is_int(resolve(NULL, &c, &e), 0, "ECS: token file");
	is_str(fx_ecs_authz, "ecs-auth-2", "ECS: the token file wins over the variable");
	creds_clean_up(&c);
	fx_ecs_fail_n = 2;
	is_int(resolve(NULL, &c, &e), 0, "ECS busy twice: the third attempt answers");
	creds_clean_up(&c);
	fx_ecs_fail_n = 3;
	fails_with(NULL, "ContainerCredentialsError", "answered HTTP 503", "ECS busy three times");
	fx_ecs_fail_n = 0;
	fx_ecs_want_authz = "something-else";
	fails_with(NULL, "ContainerCredentialsError", "answered HTTP 401", "ECS: refused token");
	fx_ecs_want_authz = NULL;
	unsetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	unsetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.99/creds", 1);
	fails_with(NULL, "ContainerCredentialsError",
		   "http only to a loopback address, 169.254.170.2 or 169.254.170.23", "ECS: other http host refused");
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://user@127.0.0.1@evil.example/", 1);
	fails_with(NULL, "ContainerCredentialsError", "is not allowed", "ECS: userinfo trick refused");
	unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");

	setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc", 1);
	o.ecs_base = base_url;
	p = creds_container_new(&o);
	is_int(creds_provider_get(p, &c, &e), 0, "ECS RELATIVE_URI: credentials");
	is_str(c.access_key, "ASIAECS", "ECS RELATIVE_URI: key");
	creds_clean_up(&c);
	creds_provider_destroy(p);
	th_rm_home();
}

static void test_web_identity(void)
{
	struct creds c;
	struct fd_error e;
	char path[300], v[256];

	fresh_env();
	th_write("web-token", "eyJ.web.identity\n", 0600);
	snprintf(path, sizeof(path), "%s/web-token", th_home);
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", path, 1);
	setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web", 1);
	setenv("AWS_ROLE_SESSION_NAME", "pod-1", 1);
	is_int(resolve(NULL, &c, &e), 0, "web identity from env");
	is_str(c.source, "web-identity", "web identity: source");
	ok(strncmp(c.access_key, "ASIAROLE", 8) == 0, "web identity: key from STS");
	is_str(fx_sts_authz, "", "AssumeRoleWithWebIdentity is unsigned");
	is_str(fx_form_get(fx_sts_form, "WebIdentityToken", v, sizeof(v)), "eyJ.web.identity", "token sent");
	is_str(fx_form_get(fx_sts_form, "RoleSessionName", v, sizeof(v)), "pod-1", "AWS_ROLE_SESSION_NAME");
	creds_clean_up(&c);
	unsetenv("AWS_ROLE_ARN");
	fails_with(NULL, "WebIdentityError", "without a role ARN", "web identity: no role");
	unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	unsetenv("AWS_ROLE_SESSION_NAME");
	th_write(".aws/config",
		 "[profile wi]\nrole_arn = arn:aws:iam::123456789012:role/wi\nweb_identity_token_file = ~/web-token\n", 0600);
	/* ~ is not expanded by botocore either; give an absolute path */
	{
		char cfg[600];
		snprintf(cfg, sizeof(cfg), "[profile wi]\nrole_arn = arn:aws:iam::123456789012:role/wi\n"
			 "web_identity_token_file = %s\n", path);
		th_write(".aws/config", cfg, 0600);
	}
	is_int(resolve("wi", &c, &e), 0, "web identity from the profile");
	is_str(c.source, "web-identity", "profile web identity: source");
	is_str(fx_form_get(fx_sts_form, "RoleArn", v, sizeof(v)), "arn:aws:iam::123456789012:role/wi",
	       "profile web identity: role");
	ok(strncmp(fx_form_get(fx_sts_form, "RoleSessionName", v, sizeof(v)), "oncall@", 7) == 0,
	   "profile web identity: default session name");
	creds_clean_up(&c);
	th_rm_home();
}

static const char *mfa_answer = "123456";
static int prompts;

/* A prompt that answers mfa_answer (the TUI's would ask in a dialog). */
static int fake_prompt(void *ctx, const char *prompt, char *buf, size_t size, struct fd_error *err)
{
	(void)ctx;
	(void)err;
	prompts++;
	if (!strstr(prompt, "arn:aws:iam::123456789012:mfa/oncall"))
		return fd_error_set(err, "PromptFailed", "unexpected prompt");
	snprintf(buf, size, "%s", mfa_answer);
	return 0;
}

static void test_assume_role(void)
{
	struct creds c;
	struct fd_error e;
	char v[256], want[700];
	int before;

	fresh_env();
	th_write(".aws/credentials",
		 "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = baseSECRET\n"
		 "[self]\naws_access_key_id = AKIDSELF\naws_secret_access_key = selfSECRET\n", 0600);
	th_write(".aws/config",
		 "[profile base]\nregion = ap-northeast-2\n"
		 "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = base\n"
		 "external_id = ext-42\nduration_seconds = 1800\n"
		 "[profile role2]\nrole_arn = arn:aws:iam::123456789012:role/second\nsource_profile = role\n"
		 "role_session_name = named-session\n"
		 "[profile self]\nrole_arn = arn:aws:iam::123456789012:role/self\nsource_profile = self\n"
		 "[profile loop-a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = loop-b\n"
		 "[profile loop-b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = loop-a\n"
		 "[profile selfloop]\nrole_arn = arn:aws:iam::123456789012:role/s\nsource_profile = selfloop\n"
		 "[profile nosource]\nrole_arn = arn:aws:iam::123456789012:role/n\n"
		 "[profile missing]\nrole_arn = arn:aws:iam::123456789012:role/m\nsource_profile = ghost\n"
		 "[profile envsrc]\nrole_arn = arn:aws:iam::123456789012:role/e\ncredential_source = Environment\n"
		 "[profile badsrc]\nrole_arn = arn:aws:iam::123456789012:role/e\ncredential_source = Laptop\n"
		 "[profile both]\nrole_arn = arn:aws:iam::123456789012:role/e\ncredential_source = Environment\n"
		 "source_profile = base\n"
		 "[profile denied]\nrole_arn = arn:aws:iam::123456789012:role/denied\nsource_profile = base\n"
		 "[profile longdur]\nrole_arn = arn:aws:iam::123456789012:role/l\nsource_profile = base\n"
		 "duration_seconds = 99999\n"
		 "[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/mfa\nsource_profile = base\n"
		 "mfa_serial = arn:aws:iam::123456789012:mfa/oncall\n"
		 "[profile imdssrc]\nrole_arn = arn:aws:iam::123456789012:role/i\ncredential_source = Ec2InstanceMetadata\n"
		 "[profile ecssrc]\nrole_arn = arn:aws:iam::123456789012:role/c\ncredential_source = EcsContainer\n"
		 "[profile nocreds]\nregion = us-east-1\n"
		 "[profile fromnocreds]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = nocreds\n",
		 0600);
	is_int(resolve("role", &c, &e), 0, "role_arn + source_profile");
	is_str(c.source, "assume-role", "assume-role source");
	ok(strncmp(c.access_key, "ASIAROLE", 8) == 0, "role credentials from STS");
	ok(c.expiration > time(NULL), "role expiration");
	ok(strstr(fx_sts_authz, "Credential=AKIDBASE/") != NULL, "AssumeRole signed with the source profile's key");
	ok(strstr(fx_sts_authz, "/ap-northeast-2/sts/aws4_request") != NULL, "signed for the regional STS");
	is_str(fx_form_get(fx_sts_form, "RoleArn", v, sizeof(v)), "arn:aws:iam::123456789012:role/ops", "RoleArn");
	is_str(fx_form_get(fx_sts_form, "ExternalId", v, sizeof(v)), "ext-42", "ExternalId");
	is_str(fx_form_get(fx_sts_form, "DurationSeconds", v, sizeof(v)), "1800", "DurationSeconds");
	fx_form_get(fx_sts_form, "RoleSessionName", v, sizeof(v));
	ok(strncmp(v, "oncall@", 7) == 0 && strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-") == strlen(v),
	   "default session name is user@host in STS's charset (%s)", v);
	creds_clean_up(&c);

	before = fx_hits_sts;
	is_int(resolve("role2", &c, &e), 0, "a chain of two roles");
	is_int(fx_hits_sts - before, 2, "two AssumeRole calls");
	ok(strstr(fx_sts_authz, "Credential=ASIAROLE") != NULL, "the second is signed with the first role");
	is_str(fx_form_get(fx_sts_form, "RoleSessionName", v, sizeof(v)), "named-session", "role_session_name");
	creds_clean_up(&c);

	is_int(resolve("self", &c, &e), 0, "a profile that sources itself with keys");
	ok(strstr(fx_sts_authz, "Credential=AKIDSELF/") != NULL, "... signs with its own keys");
	creds_clean_up(&c);

	fails_with("loop-a", "SourceProfileLoop", "source_profile loop: loop-a -> loop-b -> loop-a", "loop");
	snprintf(want, sizeof(want), "%s/.aws/config:20: source_profile loop", th_home);
	fails_with("loop-a", "SourceProfileLoop", want, "loop names FILE:LINE");
	fails_with("selfloop", "SourceProfileLoop", "source_profile loop: selfloop -> selfloop", "self loop without keys");
	snprintf(want, sizeof(want),
		 "%s/.aws/config:25: profile nosource has role_arn but no source_profile, credential_source or web_identity_token_file",
		 th_home);
	fails_with("nosource", "InvalidConfig", want, "role without source");
	fails_with("missing", "InvalidConfig", "the source_profile \"ghost\" referenced in the profile \"missing\" does not exist",
		   "missing source profile");
	fails_with("badsrc", "InvalidConfig", "credential_source 'Laptop' is not one of Environment, Ec2InstanceMetadata, EcsContainer",
		   "unknown credential_source");
	fails_with("both", "InvalidConfig", "has both source_profile and credential_source", "both sources");
	fails_with("longdur", "InvalidConfig", "duration_seconds must be a number from 900 to 43200", "bad duration");
	fails_with("fromnocreds", "InvalidConfig", "the source profile \"nocreds\" must have credentials",
		   "source profile without credentials");
	fails_with("denied", "AccessDenied", "User is not authorized", "STS refuses");
	{
		struct creds c2;
		resolve("denied", &c2, &e);
		is_str(e.request_id, "req-denied", "STS error keeps the request id");
		is_int(e.http_status, 403, "STS error keeps the status");
		creds_clean_up(&c2);
	}
	fails_with("envsrc", "NoSourceCredentials", "", "credential_source Environment without variables");
	setenv("AWS_ACCESS_KEY_ID", "AKIDENVSRC", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsrcSECRET", 1);
	is_int(resolve("envsrc", &c, &e), 0, "credential_source Environment");
	ok(strstr(fx_sts_authz, "Credential=AKIDENVSRC/") != NULL, "... signs with the environment's key");
	creds_clean_up(&c);
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");

	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", base_url, 1);
	is_int(resolve("imdssrc", &c, &e), 0, "credential_source Ec2InstanceMetadata");
	is_str(c.source, "assume-role", "... assumes the role");
	ok(strstr(fx_sts_authz, "Credential=ASIAIMDS/") != NULL, "... signed with the instance's credentials");
	creds_clean_up(&c);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	{
		char url[128];
		snprintf(url, sizeof(url), "%s/ecs/creds", base_url);
		setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	}
	is_int(resolve("ecssrc", &c, &e), 0, "credential_source EcsContainer");
	ok(strstr(fx_sts_authz, "Credential=ASIAECS/") != NULL, "... signed with the container's credentials");
	creds_clean_up(&c);
	unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");

	creds_set_prompt(fake_prompt, NULL);
	prompts = 0;
	is_int(resolve("mfa", &c, &e), 0, "mfa_serial: prompt answered");
	is_int(prompts, 1, "one prompt");
	is_str(fx_form_get(fx_sts_form, "SerialNumber", v, sizeof(v)), "arn:aws:iam::123456789012:mfa/oncall", "SerialNumber");
	is_str(fx_form_get(fx_sts_form, "TokenCode", v, sizeof(v)), "123456", "TokenCode");
	creds_clean_up(&c);
	creds_set_prompt(NULL, NULL);

	/* the default prompt reads one line from stdin when it is not a terminal */
	{
		int fds[2], saved = dup(STDIN_FILENO);
		if (pipe(fds) == 0) {
			if (write(fds[1], "654321\nrest\n", 12) != 12)
				perror("write");
			close(fds[1]);
			dup2(fds[0], STDIN_FILENO);
			close(fds[0]);
		}
		is_int(resolve("mfa", &c, &e), 0, "mfa_serial: code read from stdin");
		is_str(fx_form_get(fx_sts_form, "TokenCode", v, sizeof(v)), "654321", "stdin TokenCode");
		creds_clean_up(&c);
		is_int(resolve("mfa", &c, &e), 0, "mfa_serial: a second code");
		is_str(fx_form_get(fx_sts_form, "TokenCode", v, sizeof(v)), "rest",
		       "the prompt read exactly one line before");
		creds_clean_up(&c);
		dup2(saved, STDIN_FILENO);
		close(saved);
	}
	th_rm_home();
}

/* Write a shell script under HOME and return its path in buf. */
static void script(const char *name, const char *body, char *buf, size_t size)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "%s", name);
	th_write(rel, body, 0700);
	snprintf(buf, size, "%s/%s", th_home, name);
}

static void test_process(void)
{
	struct creds c;
	struct fd_error e;
	char path[300], cfg[2048];
	char **argv;
	FILE *f;
	char line[256];

	fresh_env();
	mkdir(strcat(strcpy(path, th_home), "/with space"), 0700);
	script("with space/helper",
	       "#!/bin/sh\n"
	       "printf '%s|' \"$@\" > \"$HOME/args\"\n"
	       "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"procSECRET\",'\n"
	       "echo ' \"SessionToken\": \"procTOKEN\", \"Expiration\": \"2030-01-01T00:00:00Z\"}'\n",
	       path, sizeof(path));
	script("fail", "#!/bin/sh\necho 'token expired, run login' >&2\nexit 3\n", path, sizeof(path));
	script("notjson", "#!/bin/sh\necho 'hello'\necho 'warning: something' >&2\n", path, sizeof(path));
	script("v2", "#!/bin/sh\necho '{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\"}'\n",
	       path, sizeof(path));
	snprintf(cfg, sizeof(cfg),
		 "[profile proc]\ncredential_process = \"%s/with space/helper\" --role 'read only' plain\\ arg \"q\\\"x\"\n"
		 "[profile fail]\ncredential_process = %s/fail\n"
		 "[profile notjson]\ncredential_process = %s/notjson\n"
		 "[profile v2]\ncredential_process = %s/v2\n"
		 "[profile absent]\ncredential_process = %s/does-not-exist\n"
		 "[profile unbalanced]\ncredential_process = \"%s/fail\n",
		 th_home, th_home, th_home, th_home, th_home, th_home);
	th_write(".aws/config", cfg, 0600);
	is_int(resolve("proc", &c, &e), 0, "credential_process");
	is_str(c.access_key, "AKIDPROC", "process: key");
	is_str(c.secret_key, "procSECRET", "process: secret");
	is_str(c.session_token, "procTOKEN", "process: token");
	is_int(c.expiration, 1893456000, "process: expiration");
	is_str(c.source, "process", "process: source");
	creds_clean_up(&c);
	snprintf(path, sizeof(path), "%s/args", th_home);
	f = fopen(path, "r");
	line[0] = '\0';
	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
	}
	is_str(line, "--role|read only|plain arg|q\"x|", "arguments split as shlex does, no shell");
	fails_with("fail", "ProcessError", "exited with status 3: token expired, run login", "non-zero exit quotes stderr");
	fails_with("notjson", "ProcessError", "printed no JSON object; its stderr: warning: something", "bad JSON");
	fails_with("v2", "ProcessError", "unsupported Version", "Version 2");
	fails_with("absent", "ProcessError", "exited with status 127: cannot run", "missing program");
	fails_with("unbalanced", "ProcessError", "unbalanced quote", "unbalanced quote");

	argv = creds_split_command("a  'b c'  \"d\\\\e\" f\\ g ''");
	ok(argv && argv[0] && argv[1] && argv[2] && argv[3] && argv[4] && !argv[5], "split: five words");
	if (argv && argv[4]) {
		is_str(argv[1], "b c", "split: single quotes");
		is_str(argv[2], "d\\e", "split: escaped backslash in double quotes");
		is_str(argv[3], "f g", "split: escaped space");
		is_str(argv[4], "", "split: empty quotes make an empty word");
	}
	creds_argv_free(argv);
	th_rm_home();
}

/* Write the SSO token cache for key (session name or start URL). */
static void sso_cache(const char *hex, const char *expires)
{
	char rel[128], body[512], dir[400];

	snprintf(dir, sizeof(dir), "%s/.aws/sso", th_home);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/.aws/sso/cache", th_home);
	mkdir(dir, 0700);
	snprintf(rel, sizeof(rel), ".aws/sso/cache/%s.json", hex);
	snprintf(body, sizeof(body),
		 "{\"startUrl\": \"https://corp.awsapps.com/start\", \"region\": \"us-east-1\","
		 " \"accessToken\": \"sso-access-token\", \"expiresAt\": \"%s\"}", expires);
	th_write(rel, body, 0600);
}

static time_t fixed_now;
/* The injected clock. */
static time_t fake_clock(void *ctx)
{
	(void)ctx;
	return fixed_now;
}

static void test_sso(void)
{
	struct creds c;
	struct fd_error e;
	struct awsconf *conf;
	struct creds_provider *p;
	struct creds_chain_options o = { .clock = fake_clock };

	fresh_env();
	th_write(".aws/config",
		 "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n"
		 "region = ap-northeast-2\n"
		 "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n"
		 "[profile legacy]\nsso_start_url = https://legacy.awsapps.com/start\nsso_region = us-east-1\n"
		 "sso_account_id = 444455556666\nsso_role_name = Admin\n"
		 "[profile nosess]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n"
		 "[profile norole]\nsso_session = corp\nsso_account_id = 1\n",
		 0600);
	fails_with("dev", "SSOTokenMissing", "run `aws sso login --profile dev`", "SSO without a cached token");
	sso_cache("ee0bfd2552fbd840c02cc48b6e823320543c450f", "2030-01-01T00:00:00Z");   /* sha1("corp") */
	is_int(resolve("dev", &c, &e), 0, "sso_session: credentials");
	is_str(c.access_key, "ASIASSO", "SSO: key");
	is_str(c.secret_key, FX_SSO_SECRET, "SSO: secret");
	is_str(c.source, "sso", "SSO: source");
	ok(c.expiration > time(NULL), "SSO: expiration from milliseconds");
	is_str(fx_sso_query, "111122223333/ReadOnly", "GetRoleCredentials account and role");
	is_str(fx_sso_token, "sso-access-token", "bearer token sent");
	creds_clean_up(&c);

	conf = awsconf_load("dev", &e);
	fixed_now = 1893456000 + 60;   /* after the token's expiresAt */
	p = creds_sso_new(conf, "dev", &o);
	is_int(creds_provider_get(p, &c, &e), -1, "expired SSO token");
	is_str(e.code, "SSOTokenExpired", "expired: code");
	is_str(e.message, "the SSO session corp expired at 2030-01-01T00:00:00Z: run `aws sso login --profile dev`",
	       "expired: message");
	creds_provider_destroy(p);
	awsconf_destroy(conf);

	{
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int n = 0, i;
		char hex[41];
		const char *url = "https://legacy.awsapps.com/start";
		EVP_Digest(url, strlen(url), md, &n, EVP_sha1(), NULL);
		for (i = 0; i < 20; i++)
			snprintf(hex + 2 * i, 3, "%02x", md[i]);
		sso_cache(hex, "2030-01-01T00:00:00Z");
	}
	is_int(resolve("legacy", &c, &e), 0, "legacy sso_start_url");
	is_str(fx_sso_query, "444455556666/Admin", "legacy: account and role");
	creds_clean_up(&c);
	fails_with("nosess", "InvalidConfig", "sso_session nope has no [sso-session nope] section", "missing sso-session");
	fails_with("norole", "InvalidConfig", "SSO needs sso_role_name", "missing sso_role_name");
	th_rm_home();
}

/* ---- the caching provider, with an injected clock ---- */

struct counting {
	struct creds_provider base;
	int calls;
	int fail;
	int prompt;    /* ask through creds_prompt like an MFA role would */
};

/* Hand out credentials valid for one hour from the fake clock. */
static int counting_get(struct creds_provider *p, struct creds *out, struct fd_error *err)
{
	struct counting *k = (struct counting *)p;
	char key[32], code[16];

	k->calls++;
	if (k->fail)
		return fd_error_set(err, "Boom", "inner provider failed");
	if (k->prompt && creds_prompt("code: ", code, sizeof(code), err) < 0)
		return -1;
	snprintf(key, sizeof(key), "AKID%d", k->calls);
	out->access_key = xstrdup(key);
	out->secret_key = xstrdup("s");
	out->session_token = NULL;
	out->expiration = fixed_now + 3600;
	out->source = "static";
	return 0;
}

/* The counting provider is freed by the cache. */
static void counting_destroy(struct creds_provider *p)
{
	free(p);
}

static const struct creds_provider_vtable counting_vt = {
	.name = "counting", .get = counting_get, .destroy = counting_destroy,
};

static void test_cache(void)
{
	struct counting *k = calloc(1, sizeof(*k));
	struct creds_provider *p;
	struct creds c;
	struct fd_error e;
	time_t exp;

	k->base.vt = &counting_vt;
	fixed_now = 1000000;
	p = creds_cache_new(&k->base, fake_clock, NULL);
	is_int(creds_provider_needs_refresh(p), CREDS_REFRESH_MANDATORY, "nothing cached: mandatory");
	is_int(creds_provider_get(p, &c, &e), 0, "first get");
	is_str(c.access_key, "AKID1", "first credentials");
	exp = c.expiration;
	creds_clean_up(&c);
	fixed_now = exp - 20 * 60;
	is_int(creds_provider_needs_refresh(p), CREDS_REFRESH_NONE, "20 min left: fresh");
	creds_provider_get(p, &c, &e);
	is_str(c.access_key, "AKID1", "20 min left: cached");
	is_int(k->calls, 1, "no refresh yet");
	creds_clean_up(&c);

	fixed_now = exp - 14 * 60;
	is_int(creds_provider_needs_refresh(p), CREDS_REFRESH_ADVISORY, "14 min left: advisory");
	creds_provider_get(p, &c, &e);
	is_str(c.access_key, "AKID1", "advisory: the cached credentials at once");
	creds_clean_up(&c);
	creds_provider_refresh_wait(p);
	is_int(k->calls, 2, "advisory: one background refresh");
	creds_provider_get(p, &c, &e);
	is_str(c.access_key, "AKID2", "advisory: the next get has the refreshed credentials");
	exp = c.expiration;
	creds_clean_up(&c);
	is_int(creds_provider_needs_refresh(p), CREDS_REFRESH_NONE, "refreshed: fresh again");

	fixed_now = exp - 12 * 60;
	k->fail = 1;
	creds_provider_get(p, &c, &e);
	creds_provider_refresh_wait(p);
	is_str(c.access_key, "AKID2", "advisory refresh fails: cached credentials");
	creds_clean_up(&c);
	is_int(creds_provider_get(p, &c, &e), 0, "failed background refresh is not an error");
	is_int(k->calls, 3, "no second attempt within 30 s");
	creds_clean_up(&c);

	fixed_now = exp - 5 * 60;
	is_int(creds_provider_needs_refresh(p), CREDS_REFRESH_MANDATORY, "5 min left: mandatory");
	is_int(creds_provider_get(p, &c, &e), -1, "mandatory refresh fails: error");
	is_str(e.code, "Boom", "mandatory failure code");
	k->fail = 0;
	k->prompt = 1;
	creds_set_prompt(fake_prompt, NULL);
	is_int(creds_provider_get(p, &c, &e), -1, "a prompt with the wrong text fails in the caller");
	is_str(e.message, "unexpected prompt", "the caller's thread may prompt");
	creds_set_prompt(NULL, NULL);
	k->prompt = 0;
	is_int(creds_provider_get(p, &c, &e), 0, "mandatory refresh in the caller");
	ok(strcmp(c.access_key, "AKID2") != 0, "mandatory: new credentials");
	exp = c.expiration;
	creds_clean_up(&c);

	/* a background refresh that would prompt fails quietly; the mandatory one prompts */
	k->prompt = 1;
	fixed_now = exp - 14 * 60;
	creds_provider_get(p, &c, &e);
	creds_clean_up(&c);
	creds_provider_refresh_wait(p);
	creds_provider_get(p, &c, &e);
	ok(c.expiration == exp, "a background refresh cannot prompt");
	creds_clean_up(&c);
	creds_provider_destroy(p);
}

int main(void)
{
	unsigned port = fx_start();

	if (!port) {
		printf("Bail out! cannot start the fixture server\n");
		return 1;
	}
	snprintf(base_url, sizeof(base_url), "http://127.0.0.1:%u", port);
	test_imds();
	test_container();
	test_web_identity();
	test_assume_role();
	test_process();
	test_sso();
	test_cache();
	fx_stop();
	return done_testing();
}
