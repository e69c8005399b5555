/* creds_chain.c — an ordered chain of providers, and the default chain as aws-cli builds it. */
#include "aws/creds_providers.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

struct chain_provider {
	struct creds_provider base;
	struct creds_provider **list;
	size_t n;
};

/* The first provider that applies answers; any other failure stops the chain. */
static int chain_get(struct creds_provider *p, struct creds *out, struct fd_error *err)
{
	struct chain_provider *c = (struct chain_provider *)p;
	struct fd_error e;
	size_t i;

	for (i = 0; i < c->n; i++) {
		fd_error_clear(&e);
		if (c->list[i]->vt->get(c->list[i], out, &e) == 0)
			return 0;
		creds_clean_up(out);
		if (strcmp(e.code, "CredentialsNotFound") != 0) {
			if (err)
				*err = e;
			return -1;
		}
	}
	return fd_error_set(err, "NoCredentials",
			    "Unable to locate credentials (environment, profile, web identity, container, instance metadata)");
}

/* Destroy every provider of the chain, then the chain. */
static void chain_destroy(struct creds_provider *p)
{
	struct chain_provider *c = (struct chain_provider *)p;
	size_t i;

	for (i = 0; i < c->n; i++)
		creds_provider_destroy(c->list[i]);
	free(c->list);
	free(c);
}

static const struct creds_provider_vtable chain_vt = {
	.name = "chain", .get = chain_get, .destroy = chain_destroy,
};

struct creds_provider *creds_chain_of(struct creds_provider **list, size_t n)
{
	struct chain_provider *c = xcalloc(1, sizeof(*c));

	c->base.vt = &chain_vt;
	c->list = xcalloc(n ? n : 1, sizeof(*c->list));
	memcpy(c->list, list, n * sizeof(*list));
	c->n = n;
	return &c->base;
}

struct creds_provider *creds_chain_new_opts(struct awsconf *conf, const struct creds_chain_options *o,
					    struct fd_error *err)
{
	struct creds_provider *list[8], *chain;
	const char *profile = awsconf_profile(conf);
	size_t n = 0;

	(void)err;
	if (!awsconf_profile_explicit(conf))
		list[n++] = creds_env_new();
	if (profile)
		list[n++] = creds_profile_new(conf, profile, CREDS_PROFILE_ROLE, o);
	list[n++] = creds_web_identity_new(conf, profile, NULL, NULL, NULL, o);
	if (profile)
		list[n++] = creds_profile_new(conf, profile, CREDS_PROFILE_OTHER, o);
	list[n++] = creds_container_new(o);
	list[n++] = creds_imds_new(conf, o);
	chain = creds_chain_of(list, n);
	if (o && o->no_cache)
		return chain;
	return creds_cache_new(chain, o ? o->clock : NULL, o ? o->clock_ctx : NULL);
}

struct creds_provider *creds_chain_new(struct awsconf *conf, struct fd_error *err)
{
	return creds_chain_new_opts(conf, NULL, err);
}
