/* creds.c — credentials, the provider vtable, fixed keys and the environment provider. */
#include "aws/creds.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/isotime.h"
#include "base/xalloc.h"

void creds_clean_up(struct creds *c)
{
	if (!c)
		return;
	fd_free_secret(c->access_key);
	fd_free_secret(c->secret_key);
	fd_free_secret(c->session_token);
	c->access_key = c->secret_key = c->session_token = NULL;
	c->expiration = 0;
	c->source = NULL;
}

void creds_copy(struct creds *dst, const struct creds *src)
{
	dst->access_key = src->access_key ? xstrdup(src->access_key) : NULL;
	dst->secret_key = src->secret_key ? xstrdup(src->secret_key) : NULL;
	dst->session_token = src->session_token ? xstrdup(src->session_token) : NULL;
	dst->expiration = src->expiration;
	dst->source = src->source;
}

int creds_provider_get(struct creds_provider *p, struct creds *out, struct fd_error *err)
{
	memset(out, 0, sizeof(*out));
	if (!p)
		return fd_error_set(err, "CredentialsNotFound", "no credential provider");
	return p->vt->get(p, out, err);
}

void creds_provider_destroy(struct creds_provider *p)
{
	if (p)
		p->vt->destroy(p);
}

/* ---- fixed keys ---- */

struct static_provider {
	struct creds_provider base;
	struct creds c;
};

/* Hand out a copy of the fixed keys. */
static int static_get(struct creds_provider *p, struct creds *out, struct fd_error *err)
{
	struct static_provider *s = (struct static_provider *)p;

	(void)err;
	creds_copy(out, &s->c);
	return 0;
}

/* Wipe the fixed keys and free the provider. */
static void static_destroy(struct creds_provider *p)
{
	struct static_provider *s = (struct static_provider *)p;

	creds_clean_up(&s->c);
	free(s);
}

static const struct creds_provider_vtable static_vt = {
	.name = "static", .get = static_get, .destroy = static_destroy,
};

struct creds_provider *creds_static_new(const char *access_key, const char *secret_key,
					const char *session_token)
{
	struct static_provider *s = xcalloc(1, sizeof(*s));

	s->base.vt = &static_vt;
	s->c.access_key = xstrdup(access_key ? access_key : "");
	s->c.secret_key = xstrdup(secret_key ? secret_key : "");
	s->c.session_token = session_token && session_token[0] ? xstrdup(session_token) : NULL;
	s->c.source = "static";
	return &s->base;
}

/* ---- environment ---- */

/* A variable's value, or NULL when unset or empty (botocore treats both alike). */
static const char *env_nonempty(const char *name)
{
	const char *v = getenv(name);

	return v && v[0] ? v : NULL;
}

/* AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN / AWS_SECURITY_TOKEN,
 * AWS_CREDENTIAL_EXPIRATION), as botocore's EnvProvider. */
static int env_get(struct creds_provider *p, struct creds *out, struct fd_error *err)
{
	const char *ak = env_nonempty("AWS_ACCESS_KEY_ID");
	const char *sk = env_nonempty("AWS_SECRET_ACCESS_KEY");
	const char *tok = env_nonempty("AWS_SESSION_TOKEN");
	const char *exp = env_nonempty("AWS_CREDENTIAL_EXPIRATION");

	(void)p;
	if (!tok)
		tok = env_nonempty("AWS_SECURITY_TOKEN");
	if (!ak && !sk)
		return fd_error_set(err, "CredentialsNotFound", "no credentials in the environment");
	if (!ak)
		return fd_error_set(err, "PartialCredentials",
				    "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is empty or unset");
	if (!sk)
		return fd_error_set(err, "PartialCredentials",
				    "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is empty or unset");
	memset(out, 0, sizeof(*out));
	if (exp && creds_parse_time(exp, &out->expiration) < 0)
		return fd_error_set(err, "InvalidExpiration",
				    "AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 time");
	out->access_key = xstrdup(ak);
	out->secret_key = xstrdup(sk);
	out->session_token = tok ? xstrdup(tok) : NULL;
	out->source = "env";
	return 0;
}

/* The environment provider keeps no state. */
static void env_destroy(struct creds_provider *p)
{
	free(p);
}

static const struct creds_provider_vtable env_vt = {
	.name = "env", .get = env_get, .destroy = env_destroy,
};

struct creds_provider *creds_env_new(void)
{
	struct creds_provider *p = xcalloc(1, sizeof(*p));

	p->vt = &env_vt;
	return p;
}

/* ---- time ---- */

int creds_parse_time(const char *s, time_t *out)
{
	double t;

	if (isotime_parse(s, &t) < 0)
		return -1;
	*out = (time_t)floor(t);
	return 0;
}

void creds_format_time(time_t t, char *buf, size_t size)
{
	char iso[ISOTIME_MAX];

	snprintf(buf, size, "%s", isotime_format((double)t, 0, iso));
}
