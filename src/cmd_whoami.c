/* cmd_whoami.c — `flightdeck whoami [--json]`: profile, region, credential source, caller identity. */
#include "src/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/awsconf.h"
#include "aws/client.h"
#include "aws/creds.h"
#include "aws/creds_providers.h"
#include "base/termtext.h"
#include "base/xalloc.h"

/* Print err for a person and return the exit status it deserves. */
static int fail(const struct fd_error *err)
{
	char buf[1024];

	if (fd_error_exit_status(err) == 2) {
		fprintf(stderr, "flightdeck: whoami: %s\n", err->message);
		return 2;
	}
	fprintf(stderr, "flightdeck: whoami: %s\n", fd_error_str(err, buf, sizeof(buf)));
	return 1;
}

/* STS GetCallerIdentity through the client, signed by chain; {Account, Arn, UserId}.
 * Without a region the global endpoint's us-east-1 answers. */
static json_t *caller_identity(struct fd_globals *g, const char *region,
			       struct creds_provider *chain, struct fd_error *err)
{
	static const char *const fields[] = { "Account", "Arn", "UserId" };
	struct client_options co = {
		.profile = g->profile, .region = region ? region : "us-east-1", .endpoint_url = g->endpoint_url,
		.debug_file = g->debug_file, .creds = chain,
	};
	struct client *c = client_new(&co, err);
	json_t *in, *res, *id = NULL;
	size_t i;

	if (!c)
		return NULL;
	in = json_object();
	res = client_call(c, "sts", "GetCallerIdentity", NULL, in, 0, err);
	if (res) {
		id = json_object();
		for (i = 0; i < 3; i++) {
			json_t *v = json_object_get(res, fields[i]);
			json_object_set(id, fields[i], json_is_string(v) ? v : json_null());
		}
	}
	json_decref(res);
	json_decref(in);
	client_destroy(c);
	return id;
}

/* Print the result as aligned "label  value" lines. */
static void print_text(json_t *out)
{
	static const struct {
		const char *label;
		const char *key;
		const char *sub;
	} rows[] = {
		{ .label = "profile", .key = "profile" },
		{ .label = "region", .key = "region" },
		{ .label = "credential source", .key = "credential_source" },
		{ .label = "expiration", .key = "expiration" },
		{ .label = "account", .key = "identity", .sub = "Account" },
		{ .label = "arn", .key = "identity", .sub = "Arn" },
		{ .label = "user id", .key = "identity", .sub = "UserId" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *v = json_object_get(out, rows[i].key);
		if (rows[i].sub)
			v = json_object_get(v, rows[i].sub);
		printf("%-19s", rows[i].label);
		termtext_fputs(json_is_string(v) ? json_string_value(v) : "-", 0, stdout);   /* an ARN is AWS data */
		putchar('\n');
	}
}

int cmd_whoami_main(int argc, char **argv, struct fd_globals *g)
{
	struct creds_chain_options o;
	struct awsconf *conf;
	struct creds_provider *chain = NULL;
	struct creds c;
	struct fd_error err;
	json_t *out = NULL, *id;
	char *region = NULL, when[32];
	int json = 0, i = 1, r, status = 0;

	while (i < argc) {
		if (strcmp(argv[i], "--json") == 0) {
			json = 1;
			i++;
			continue;
		}
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("usage: flightdeck whoami [--json]\n"
			       "  profile, region, credential source, expiration and the STS caller identity\n");
			return 0;
		}
		r = cli_take_global(g, argc, argv, &i);
		if (r < 0)
			return 2;
		if (r == 0) {
			fprintf(stderr, "flightdeck: whoami: unknown argument '%s' (usage: flightdeck whoami [--json])\n",
				argv[i]);
			return 2;
		}
	}
	fd_error_clear(&err);
	memset(&c, 0, sizeof(c));
	conf = awsconf_load(g->profile, &err);
	if (!conf)
		return fail(&err);
	if (awsconf_warning(conf))
		fprintf(stderr, "flightdeck: %s\n", awsconf_warning(conf));
	region = awsconf_region(conf, g->region, &err);
	if (!region && strcmp(err.code, "InvalidRegion") == 0) {
		status = fail(&err);
		goto out;
	}
	fd_error_clear(&err);
	memset(&o, 0, sizeof(o));
	o.region = region;
	o.sts_endpoint = g->endpoint_url;
	chain = creds_chain_new_opts(conf, &o, &err);
	if (!chain || creds_provider_get(chain, &c, &err) < 0) {
		status = fail(&err);
		goto out;
	}
	id = caller_identity(g, region, chain, &err);
	if (!id) {
		status = fail(&err);
		goto out;
	}
	out = json_object();
	json_object_set_new(out, "profile", awsconf_profile(conf) ? json_string(awsconf_profile(conf)) : json_null());
	json_object_set_new(out, "region", region ? json_string(region) : json_null());
	json_object_set_new(out, "credential_source", json_string(c.source ? c.source : "static"));
	if (c.expiration) {
		creds_format_time(c.expiration, when, sizeof(when));
		json_object_set_new(out, "expiration", json_string(when));
	} else
		json_object_set_new(out, "expiration", json_null());
	json_object_set_new(out, "identity", id);
	if (json) {
		char *s = json_dumps(out, JSON_INDENT(2));
		termtext_fputs(s, TERMTEXT_JSON | TERMTEXT_MULTILINE, stdout);
		putchar('\n');
		free(s);
	} else
		print_text(out);
out:
	json_decref(out);
	creds_clean_up(&c);
	creds_provider_destroy(chain);
	awsconf_destroy(conf);
	free(region);
	return status;
}
