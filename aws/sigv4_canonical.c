/* sigv4_canonical.c — SigV4 stage 1, the canonical request (see sigv4.h).
 *
 * Non-S3 rules, as botocore's SigV4Auth and aws-c-auth apply them: the path
 * (as sent, so already encoded once) has its dot segments and empty segments
 * removed and is URI-encoded again; query keys and values are decoded and
 * re-encoded with the RFC 3986 unreserved set, then sorted by key and value;
 * header names are lower-cased and sorted, values trimmed with inner
 * whitespace runs collapsed, duplicates joined with ',' in order.
 */
#include "aws/sigv4.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Headers botocore never signs (proxies and clients change them). */
static const char *const unsigned_headers[] = {
	"authorization", "expect", "user-agent", "x-amzn-trace-id",
};

static const char hexdigits[] = "0123456789ABCDEF";

/* True for the RFC 3986 unreserved set: A-Z a-z 0-9 - . _ ~ */
static int is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

/* Append s[0..n) URI-encoded (uppercase hex); '/' kept when keep_slash. */
static void uri_encode(struct strbuf *sb, const char *s, size_t n, int keep_slash)
{
	char *o;

	strbuf_grow(sb, 3 * n);
	o = sb->data + sb->len;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_unreserved(c) || (keep_slash && c == '/')) {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hexdigits[c >> 4];
			*o++ = hexdigits[c & 15];
		}
	}
	sb->len = (size_t)(o - sb->data);
	*o = '\0';
}

/* Value of a hex digit, or -1. */
static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append s[0..n) percent-decoded then URI-encoded: any wire form of a query
 * component gives the same canonical form. A '%' not followed by two hex
 * digits stands for itself. */
static void query_reencode(struct strbuf *sb, const char *s, size_t n)
{
	char *o;

	strbuf_grow(sb, 3 * n);
	o = sb->data + sb->len;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int hi, lo;
		if (c == '%' && i + 2 < n &&
		    (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hexval((unsigned char)s[i + 2])) >= 0) {
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		}
		if (is_unreserved(c)) {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hexdigits[c >> 4];
			*o++ = hexdigits[c & 15];
		}
	}
	sb->len = (size_t)(o - sb->data);
	*o = '\0';
}

/* ---- canonical request ------------------------------------------------ */

/* Append the path with dot segments and empty segments removed, as botocore's
 * remove_dot_segments does (leading and trailing '/' kept). */
static void normalize_path(struct strbuf *out, const char *path, size_t n)
{
	struct seg { const char *s; size_t n; } *segs;
	size_t nseg = 0, i = 0;

	if (n == 0) {
		strbuf_addc(out, '/');
		return;
	}
	segs = xmalloc((n / 2 + 2) * sizeof(*segs));
	while (i <= n) {
		size_t j = i;
		while (j < n && path[j] != '/')
			j++;
		if (j > i && !(j - i == 1 && path[i] == '.')) {
			if (j - i == 2 && path[i] == '.' && path[i + 1] == '.') {
				if (nseg)
					nseg--;
			} else {
				segs[nseg].s = path + i;
				segs[nseg].n = j - i;
				nseg++;
			}
		}
		i = j + 1;
	}
	if (path[0] == '/')
		strbuf_addc(out, '/');
	for (i = 0; i < nseg; i++) {
		if (i)
			strbuf_addc(out, '/');
		strbuf_add(out, segs[i].s, segs[i].n);
	}
	if (path[n - 1] == '/' && nseg)
		strbuf_addc(out, '/');
	free(segs);
}

/* Append the canonical URI of a path as sent. */
static void canonical_uri(struct strbuf *sb, const char *path, size_t n, bool normalize)
{
	if (normalize) {
		struct strbuf norm;
		strbuf_init(&norm);
		normalize_path(&norm, path, n);
		uri_encode(sb, norm.data, norm.len, 1);
		strbuf_clean_up(&norm);
	} else if (n == 0) {
		strbuf_addc(sb, '/');
	} else {
		uri_encode(sb, path, n, 1);
	}
}

struct qparam {
	const char *key;     /* into the arena, NUL-terminated */
	const char *value;
	size_t key_off, value_off;
};

/* Order query parameters by encoded key, then encoded value. */
static int qparam_cmp(const void *a, const void *b)
{
	const struct qparam *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->value, y->value);
}

/* Append the canonical query string of a raw query (without '?'). */
static void canonical_query(struct strbuf *sb, const char *q, size_t n)
{
	struct qparam *params;
	size_t np = 0, i = 0;
	struct strbuf arena;

	if (n == 0)
		return;
	params = xmalloc((n / 2 + 2) * sizeof(*params));
	strbuf_init(&arena);
	strbuf_grow(&arena, n + n / 2 + 16);
	while (i <= n) {
		size_t j = i;
		const char *eq;
		while (j < n && q[j] != '&')
			j++;
		if (j > i) {
			eq = memchr(q + i, '=', j - i);
			params[np].key_off = arena.len;
			query_reencode(&arena, q + i, (size_t)((eq ? eq : q + j) - (q + i)));
			strbuf_addc(&arena, '\0');      /* ends the key inside the arena */
			params[np].value_off = arena.len;
			if (eq)
				query_reencode(&arena, eq + 1, (size_t)(q + j - eq - 1));
			strbuf_addc(&arena, '\0');
			np++;
		}
		i = j + 1;
	}
	for (i = 0; i < np; i++) {
		params[i].key = arena.data + params[i].key_off;
		params[i].value = arena.data + params[i].value_off;
	}
	if (np > 1)
		qsort(params, np, sizeof(*params), qparam_cmp);
	strbuf_grow(sb, arena.len + np);
	for (i = 0; i < np; i++) {
		if (i)
			strbuf_addc(sb, '&');
		strbuf_adds(sb, params[i].key);
		strbuf_addc(sb, '=');
		strbuf_adds(sb, params[i].value);
	}
	free(params);
	strbuf_clean_up(&arena);
}

struct cheader {
	char *name;          /* lower-cased */
	const char *value;   /* borrowed from the request */
	size_t order;        /* position in the request, for a stable sort */
};

/* Order headers by lower-cased name, then by their position in the request. */
static int cheader_cmp(const void *a, const void *b)
{
	const struct cheader *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* True for the whitespace botocore's str.split() collapses (ASCII part). */
static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
	       (c >= 0x1c && c <= 0x1f);
}

/* Append a header value trimmed, with inner whitespace runs as one space. */
static void trim_all(struct strbuf *sb, const char *v)
{
	char *o;

	strbuf_grow(sb, strlen(v));
	o = sb->data + sb->len;
	while (is_ws((unsigned char)*v))
		v++;
	while (*v) {
		/* a run without whitespace (every whitespace byte is <= 0x20) */
		const char *run = v;
		while ((unsigned char)*v > 0x20 || (*v && !is_ws((unsigned char)*v)))
			v++;
		memcpy(o, run, (size_t)(v - run));
		o += v - run;
		while (is_ws((unsigned char)*v))
			v++;
		if (*v)
			*o++ = ' ';
	}
	sb->len = (size_t)(o - sb->data);
	*o = '\0';
}

/* True when the lower-cased name is in the ';'-separated list. */
static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while (*p) {
		const char *e = strchr(p, ';');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && strncasecmp(p, name, n) == 0)
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

/* True when botocore would not sign a header of this (lower-case) name. */
static int never_signed(const char *lname)
{
	if (!strchr("aeux", lname[0]))
		return 0;       /* the first letters of the list below */
	for (size_t i = 0; i < sizeof(unsigned_headers) / sizeof(unsigned_headers[0]); i++)
		if (strcmp(lname, unsigned_headers[i]) == 0)
			return 1;
	return 0;
}

/* The canonical request, signing either the headers botocore would sign
 * (only == NULL) or exactly those of the list `only` (verification). */
static int build_creq(const struct sigv4_request *req, const struct sigv4_params *p,
		      const char *only, struct strbuf *creq, struct strbuf *signed_headers,
		      struct fd_error *err)
{
	struct strbuf *sb = creq, *sh = signed_headers;
	struct cheader hs_small[32], *hs = hs_small;
	char names_small[1024], *names = names_small, *ln;
	size_t nh = 0, i, names_len;
	const char *target, *q, *payload = NULL;
	char hash[65];

	if (!req->method || !req->method[0])
		return fd_error_set(err, "InvalidRequest", "request without a method");
	target = req->target ? req->target : "";
	q = strchr(target, '?');

	if (req->n_headers > sizeof(hs_small) / sizeof(hs_small[0]))
		hs = xmalloc(req->n_headers * sizeof(*hs));
	names_len = 0;
	for (i = 0; i < req->n_headers; i++)
		names_len += strlen(req->headers[i].name) + 1;
	if (names_len + 1 > sizeof(names_small))
		names = xmalloc(names_len + 1);
	ln = names;
	for (i = 0; i < req->n_headers; i++) {
		const char *c = req->headers[i].name;
		char *start = ln;
		for (; *c; c++)
			*ln++ = (char)tolower((unsigned char)*c);
		*ln++ = '\0';
		if (!payload && ln - start == 21 && strcmp(start, "x-amz-content-sha256") == 0)
			payload = req->headers[i].value;
		if (only ? !in_list(only, start) : never_signed(start))
			continue;
		hs[nh].name = start;
		hs[nh].value = req->headers[i].value ? req->headers[i].value : "";
		hs[nh].order = i;
		nh++;
	}
	if (nh > 1)
		qsort(hs, nh, sizeof(*hs), cheader_cmp);

	strbuf_grow(sb, 1024);
	strbuf_adds(sb, req->method);
	strbuf_addc(sb, '\n');
	canonical_uri(sb, target, q ? (size_t)(q - target) : strlen(target), p->normalize_path);
	strbuf_addc(sb, '\n');
	if (q)
		canonical_query(sb, q + 1, strlen(q + 1));
	strbuf_addc(sb, '\n');
	for (i = 0; i < nh; i++) {
		if (i > 0 && strcmp(hs[i].name, hs[i - 1].name) == 0) {
			strbuf_addc(sb, ',');
		} else {
			if (i > 0)
				strbuf_addc(sb, '\n');
			strbuf_adds(sb, hs[i].name);
			strbuf_addc(sb, ':');
			if (sh->len)
				strbuf_addc(sh, ';');
			strbuf_adds(sh, hs[i].name);
		}
		trim_all(sb, hs[i].value);
	}
	if (nh)
		strbuf_addc(sb, '\n');
	strbuf_addc(sb, '\n');
	strbuf_add(sb, sh->data, sh->len);
	strbuf_addc(sb, '\n');
	if (payload) {
		trim_all(sb, payload);
	} else {
		sigv4_sha256_hex(req->body ? (const void *)req->body : "", req->body_len, hash);
		strbuf_add(sb, hash, 64);
	}
	if (names != names_small)
		free(names);
	if (hs != hs_small)
		free(hs);

	if (only && strcmp(sh->data, only) != 0)
		/* a listed header is missing, or the list is not sorted lower-case */
		return fd_error_set(err, "SignatureDoesNotMatch",
				    "signed headers '%s' do not match the request's headers '%s'",
				    only, sh->data);
	return 0;
}

int sigv4_canonical_request(const struct sigv4_request *req, const struct sigv4_params *p,
			    char **creq, char **signed_headers, struct fd_error *err)
{
	struct strbuf sb, sh;

	strbuf_init(&sb);
	strbuf_init(&sh);
	if (build_creq(req, p, NULL, &sb, &sh, err) < 0) {
		strbuf_clean_up(&sb);
		strbuf_clean_up(&sh);
		return -1;
	}
	*creq = strbuf_detach(&sb, NULL);
	if (signed_headers)
		*signed_headers = strbuf_detach(&sh, NULL);
	else
		strbuf_clean_up(&sh);
	return 0;
}

int sigv4_canonical_request_signed(const struct sigv4_request *req,
				   const struct sigv4_params *p, const char *signed_headers,
				   char **creq, struct fd_error *err)
{
	struct strbuf sb, sh;
	int r;

	strbuf_init(&sb);
	strbuf_init(&sh);
	r = build_creq(req, p, signed_headers, &sb, &sh, err);
	strbuf_clean_up(&sh);
	if (r < 0) {
		strbuf_clean_up(&sb);
		return -1;
	}
	*creq = strbuf_detach(&sb, NULL);
	return 0;
}
