/* test_expired.c — credentials AWS calls expired before their local expiry
 * (issue 10): the client drops the cached credentials, fetches new ones once and
 * sends the call again; a second refusal fails the call (never a loop). Against
 * the simulator's container credentials (6 h) and its expire-credentials fault,
 * which makes every temporary credential issued so far ExpiredToken (query
 * protocols) / ExpiredTokenException (JSON), as STS documents:
 * https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
 * ("ExpiredTokenException: The security token included in the request is expired"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "aws/creds.h"
#include "sim/sim.h"
#include "tests/tap.h"

/* How many requests the simulator logged for operation (NULL: any) with error code
 * (NULL: any). (It logs no operation for a JSON request refused before dispatch.) */
static int logged(struct sim *s, const char *operation, const char *error)
{
	json_t *log = sim_requests_json(s), *r;
	size_t i;
	int n = 0;

	json_array_foreach(log, i, r) {
		const char *op = json_string_value(json_object_get(r, "operation"));
		const char *e = json_string_value(json_object_get(r, "error"));
		if ((!operation || (op && strcmp(op, operation) == 0)) && (!error || (e && strcmp(e, error) == 0)))
			n++;
	}
	json_decref(log);
	return n;
}

/* One blocking call; its "Arn" (caller frees) or NULL with err. */
static char *caller(struct client *c, const char *service, const char *op, struct fd_error *err)
{
	json_t *in = json_object(), *out = client_call(c, service, op, NULL, in, 0, err);
	char *arn = NULL;

	json_decref(in);
	if (out && json_string_value(json_object_get(out, "Arn")))
		arn = strdup(json_string_value(json_object_get(out, "Arn")));
	else if (out)
		arn = strdup("");
	json_decref(out);
	return arn;
}

int main(void)
{
	struct sim_options so = { .listen = "127.0.0.1:0" };
	struct client_options co = { .region = "ap-northeast-2", .max_attempts = 1 };
	struct fd_error err;
	char url[64], uri[128], *arn;
	struct creds_provider *fixed;
	struct client *c;
	struct creds cr;
	struct sim *s;
	json_t *in, *out;

	setenv("HOME", "/nonexistent", 1);
	setenv("AWS_CONFIG_FILE", "/nonexistent", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent", 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	unsetenv("AWS_PROFILE");
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	unsetenv("AWS_SESSION_TOKEN");
	unsetenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	unsetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	s = sim_new(&so, &err);
	if (!s || sim_start(s, &err)) {
		printf("Bail out! sim: %s\n", err.message);
		return 1;
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", sim_port(s));
	snprintf(uri, sizeof(uri), "%s/v2/credentials/test-task", url);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri, 1);
	co.endpoint_url = url;

	/* The default chain (container credentials, cached 6 h). */
	c = client_new(&co, &err);
	ok(c != NULL, "client with the default chain: %s", c ? "" : err.message);
	arn = caller(c, "sts", "GetCallerIdentity", &err);
	is_str(arn, "arn:aws:sts::123456789012:assumed-role/flightdeck-sim-task-role/flightdeck-sim",
	       "the container's role answers");
	free(arn);
	is_int(logged(s, "GetContainerCredentials", NULL), 1, "credentials fetched once");
	ok(sim_add_fault(s, "expire-credentials", &err) == 0, "AWS now calls them expired");
	arn = caller(c, "sts", "GetCallerIdentity", &err);
	ok(arn != NULL, "the call succeeds anyway: %s", arn ? "" : err.message);
	free(arn);
	is_int(logged(s, "GetCallerIdentity", "ExpiredToken"), 1, "after one ExpiredToken (query protocol)");
	is_int(logged(s, "GetContainerCredentials", NULL), 2, "new credentials fetched, once");
	is_int(logged(s, "GetCallerIdentity", NULL), 3, "and the call sent again, once");
	/* a JSON-protocol service: ExpiredTokenException */
	ok(sim_add_fault(s, "expire-credentials", &err) == 0, "expired again");
	in = json_pack("{s:s}", "RoutingControlArn",
		       "arn:aws:route53-recovery-control::123456789012:controlpanel/petclinic/routingcontrol/seoul");
	out = client_call(c, "route53-recovery-cluster", "GetRoutingControlState", NULL, in, 0, &err);
	ok(out != NULL, "ExpiredTokenException (JSON protocol) is renewed too: %s", out ? "" : err.message);
	json_decref(out);
	json_decref(in);
	is_int(logged(s, NULL, "ExpiredTokenException"), 1, "one ExpiredTokenException");
	is_int(logged(s, "GetRoutingControlState", NULL), 1, "then the call, sent again, answered");
	is_int(logged(s, "GetContainerCredentials", NULL), 3, "one more credential fetch");
	client_destroy(c);

	/* Credentials that cannot be renewed (fixed session credentials, cached): the
	 * refetch gives the same ones, the second refusal fails the call. */
	sim_clear_faults(s);
	c = client_new(&co, &err);
	in = json_pack("{s:s,s:s}", "RoleArn", "arn:aws:iam::123456789012:role/ops", "RoleSessionName", "fixed");
	out = client_call(c, "sts", "AssumeRole", NULL, in, 0, &err);
	json_decref(in);
	ok(out != NULL, "AssumeRole for fixed session credentials");
	memset(&cr, 0, sizeof(cr));
	fixed = creds_cache_new(creds_static_new(
		json_string_value(json_object_get(json_object_get(out, "Credentials"), "AccessKeyId")),
		json_string_value(json_object_get(json_object_get(out, "Credentials"), "SecretAccessKey")),
		json_string_value(json_object_get(json_object_get(out, "Credentials"), "SessionToken"))), NULL, NULL);
	json_decref(out);
	client_destroy(c);
	co.creds = fixed;
	co.max_attempts = 3;
	c = client_new(&co, &err);
	arn = caller(c, "sts", "GetCallerIdentity", &err);
	is_str(arn, "arn:aws:sts::123456789012:assumed-role/ops/fixed", "the fixed credentials work");
	free(arn);
	ok(sim_add_fault(s, "expire-credentials", &err) == 0, "AWS calls them expired");
	fd_error_clear(&err);
	arn = caller(c, "sts", "GetCallerIdentity", &err);
	ok(arn == NULL, "the call fails");
	is_str(err.code, "ExpiredToken", "with AWS's ExpiredToken");
	free(arn);
	is_int(logged(s, "GetCallerIdentity", "ExpiredToken"), 3, "two more refusals: one renewal, then the call fails (no loop)");
	client_destroy(c);
	creds_provider_destroy(fixed);
	sim_destroy(s);
	return done_testing();
}
