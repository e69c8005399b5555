/* resolve.c — test helper: resolve credentials as flightdeck does and print
 * "SOURCE ACCESS_KEY" (the key only for sources whose key is known without STS;
 * "-" otherwise) or "ERROR CODE". Usage: resolve [PROFILE]  (a named profile
 * is explicit, like --profile). Never prints a secret. */
#include <stdio.h>
#include <string.h>

#include "aws/awsconf.h"
#include "aws/creds.h"
#include "aws/creds_providers.h"

int main(int argc, char **argv)
{
	static const char *const via_sts[] = { "assume-role", "web-identity", "sso" };
	struct creds_chain_options o = { .no_cache = 1 };
	struct fd_error e;
	struct awsconf *conf;
	struct creds_provider *p;
	struct creds c;
	size_t i;
	int r;

	fd_error_clear(&e);
	conf = awsconf_load(argc > 1 && argv[1][0] ? argv[1] : NULL, &e);
	if (!conf) {
		printf("ERROR %s\n", e.code);
		return 0;
	}
	p = creds_chain_new_opts(conf, &o, &e);
	r = creds_provider_get(p, &c, &e);
	if (r < 0)
		printf("ERROR %s\n", e.code);
	else {
		const char *key = c.access_key;
		for (i = 0; i < sizeof(via_sts) / sizeof(via_sts[0]); i++)
			if (strcmp(c.source, via_sts[i]) == 0)
				key = "-";
		printf("%s %s\n", c.source, key);
	}
	creds_clean_up(&c);
	creds_provider_destroy(p);
	awsconf_destroy(conf);
	return 0;
}
