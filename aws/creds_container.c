/* creds_container.c — ECS / container credentials (RELATIVE_URI or FULL_URI, with an authorization token). */
#include "aws/creds_providers.h"
#include "aws/creds_http.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/strbuf.h"
#include "base/xalloc.h"

struct container_provider {
	struct creds_provider base;
	char *ecs_base;
	long timeout_ms;
};

/* Whether an http:// FULL_URI may be used: loopback or the ECS agent addresses. */
static bool host_allowed(const char *url)
{
	static const char *const fixed[] = {
		"169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "localhost", "[::1]",
	};
	const char *h = url + strlen("http://");
	size_t n, i;
	char host[128];

	if (*h == '[')
		n = strcspn(h, "]") + 1;
	else
		n = strcspn(h, ":/?#");
	if (n == 0 || n >= sizeof(host) || memchr(h, '@', strcspn(h, "/?#")))
		return false;
	memcpy(host, h, n);
	host[n] = '\0';
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strcasecmp(host, fixed[i]) == 0)
			return true;
	if (strncmp(host, "127.", 4) == 0) {
		unsigned a, b, c, d;
		char extra;
		return sscanf(host, "%u.%u.%u.%u%c", &a, &b, &c, &d, &extra) == 4 && b < 256 && c < 256 &&
		       d < 256;
	}
	return false;
}

/* The authorization token: the file named by ..._TOKEN_FILE, else ..._TOKEN; NULL when none. */
static int auth_token(char **out, struct fd_error *err)
{
	const char *file = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *tok = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	struct strbuf sb;
	char buf[512];
	size_t n;
	FILE *f;

	*out = NULL;
	if (file && file[0]) {
		f = fopen(file, "re");
		if (!f)
			return fd_error_set(err, "ContainerCredentialsError",
					    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s: %s", file, strerror(errno));
		strbuf_init(&sb);
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			strbuf_add(&sb, buf, n);
		fclose(f);
		fd_wipe(buf, sizeof(buf));
		while (sb.len && (sb.data[sb.len - 1] == '\n' || sb.data[sb.len - 1] == '\r'))
			sb.data[--sb.len] = '\0';
		*out = strbuf_detach(&sb, NULL);
	} else if (tok && tok[0])
		*out = xstrdup(tok);
	if (*out && strpbrk(*out, "\r\n")) {
		fd_free_secret(*out);
		*out = NULL;
		return fd_error_set(err, "ContainerCredentialsError",
				    "the container authorization token contains a line break");
	}
	return 0;
}

/* GET the credentials URL with the authorization token. */
static int container_get(struct creds_provider *p, struct creds *out, struct fd_error *err)
{
	struct container_provider *cp = (struct container_provider *)p;
	const char *rel = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	struct creds_http_request rq;
	struct strbuf url, body, hdr;
	const char *hdrs[2] = { NULL, NULL };
	char *token = NULL;
	long status = 0;
	int rc = -1, r = -1, attempt;

	memset(out, 0, sizeof(*out));
	strbuf_init(&url);
	if (rel && rel[0])
		strbuf_addf(&url, "%s%s%s", cp->ecs_base, rel[0] == '/' ? "" : "/", rel);
	else if (full && full[0]) {
		if (strncasecmp(full, "https://", 8) != 0 &&
		    (strncasecmp(full, "http://", 7) != 0 || !host_allowed(full))) {
			strbuf_clean_up(&url);
			return fd_error_set(err, "ContainerCredentialsError",
					    "AWS_CONTAINER_CREDENTIALS_FULL_URI %s is not allowed: http only to a loopback address, 169.254.170.2 or 169.254.170.23",
					    full);
		}
		strbuf_adds(&url, full);
	} else {
		strbuf_clean_up(&url);
		return fd_error_set(err, "CredentialsNotFound", "no container credentials variables");
	}
	if (auth_token(&token, err) < 0) {
		strbuf_clean_up(&url);
		return -1;
	}
	strbuf_init(&hdr);
	strbuf_init(&body);
	if (token) {
		strbuf_addf(&hdr, "Authorization: %s", token);
		hdrs[0] = hdr.data;
	}
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.url = url.data;
	rq.headers = hdrs;
	rq.timeout_ms = cp->timeout_ms;
	for (attempt = 0; attempt < 3; attempt++) {   /* botocore: 3 attempts */
		struct timespec pause = { 0, 200 * 1000 * 1000 };
		if (attempt)
			nanosleep(&pause, NULL);
		strbuf_reset(&body);
		r = creds_http_do(&rq, &status, &body, err);
		if (r == 0 && status < 500)
			break;
	}
	if (r < 0)
		fd_error_prefix(err, "container credentials");
	else if (status != 200)
		fd_error_set(err, "ContainerCredentialsError",
			     "container credentials endpoint %s answered HTTP %ld", url.data, status);
	else
		rc = creds_from_json(body.data, body.len, "Token", "container", out, err);
	strbuf_wipe_clean_up(&hdr);
	strbuf_wipe_clean_up(&body);
	strbuf_clean_up(&url);
	fd_free_secret(token);
	return rc;
}

/* Free the provider. */
static void container_destroy(struct creds_provider *p)
{
	struct container_provider *cp = (struct container_provider *)p;

	free(cp->ecs_base);
	free(cp);
}

static const struct creds_provider_vtable container_vt = {
	.name = "container", .get = container_get, .destroy = container_destroy,
};

struct creds_provider *creds_container_new(const struct creds_chain_options *o)
{
	struct container_provider *cp = xcalloc(1, sizeof(*cp));

	cp->base.vt = &container_vt;
	cp->ecs_base = xstrdup(o && o->ecs_base ? o->ecs_base : "http://169.254.170.2");
	cp->timeout_ms = o && o->metadata_timeout_ms > 0 ? o->metadata_timeout_ms * 2 : 2000;
	return &cp->base;
}
