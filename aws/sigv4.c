/* sigv4.c — AWS Signature Version 4 in stages (see sigv4.h).
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

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <pthread.h>
#include <stdio.h>

#define ALGORITHM "AWS4-HMAC-SHA256"

/* Headers botocore never signs (proxies and clients change them). */
static const char *const unsigned_headers[] = {
	"authorization", "expect", "user-agent", "x-amzn-trace-id",
};

static const char hexdigits[] = "0123456789ABCDEF";
static const char hexlower[] = "0123456789abcdef";

/* ---- parsing the test-suite request format ---------------------------- */

/* True for a byte that may appear in a header name (an RFC 7230 token). */
static int is_tchar(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("\"(),/:;<=>?@[\\]{}", c);
}

int sigv4_request_parse(const char *raw, size_t len, struct sigv4_request *out,
			struct fd_error *err)
{
	const char *p = raw, *end = raw + len;
	const char *line, *eol, *sp1, *sp2;
	size_t line_len, cap = 0;
	int lineno = 1;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return fd_error_set(err, "ParseError", "line 1: empty request");
	/* request line: split at the first and the last space */
	eol = memchr(p, '\n', len);
	line = p;
	line_len = eol ? (size_t)(eol - p) : len;
	p = eol ? eol + 1 : end;
	if (line_len && line[line_len - 1] == '\r')
		line_len--;
	if (memchr(line, '\0', line_len))
		return fd_error_set(err, "ParseError", "line 1: NUL byte in the request line");
	sp1 = memchr(line, ' ', line_len);
	sp2 = NULL;
	for (size_t i = line_len; i > 0; i--)
		if (line[i - 1] == ' ') {
			sp2 = line + i - 1;
			break;
		}
	if (!sp1 || sp2 == sp1 || sp1 == line || sp2 - sp1 < 2 || sp2 + 1 == line + line_len)
		return fd_error_set(err, "ParseError",
				    "line 1: request line is not 'METHOD TARGET HTTP/VERSION'");
	if ((size_t)(line + line_len - sp2 - 1) < 6 || memcmp(sp2 + 1, "HTTP/", 5) != 0)
		return fd_error_set(err, "ParseError",
				    "line 1: request line does not end with HTTP/VERSION");
	for (const char *c = line; c < sp1; c++)
		if (!is_tchar((unsigned char)*c))
			return fd_error_set(err, "ParseError", "line 1: invalid character in the method");
	out->method = xstrndup(line, (size_t)(sp1 - line));
	out->target = xstrndup(sp1 + 1, (size_t)(sp2 - sp1 - 1));

	/* headers, with obs-fold continuation lines, up to an empty line */
	while (p < end) {
		const char *colon;
		lineno++;
		eol = memchr(p, '\n', (size_t)(end - p));
		line = p;
		line_len = eol ? (size_t)(eol - p) : (size_t)(end - p);
		p = eol ? eol + 1 : end;
		if (line_len && line[line_len - 1] == '\r')
			line_len--;
		if (line_len == 0)
			break;      /* the body follows */
		if (memchr(line, '\0', line_len)) {
			fd_error_set(err, "ParseError", "line %d: NUL byte in a header", lineno);
			goto fail;
		}
		if (line[0] == ' ' || line[0] == '\t') {
			struct sigv4_header *h;
			size_t old;
			if (out->n_headers == 0) {
				fd_error_set(err, "ParseError",
					     "line %d: continuation line without a header before it", lineno);
				goto fail;
			}
			h = &out->headers[out->n_headers - 1];
			old = strlen(h->value);
			h->value = xrealloc(h->value, old + 1 + line_len + 1);
			h->value[old] = '\n';
			memcpy(h->value + old + 1, line, line_len);
			h->value[old + 1 + line_len] = '\0';
			continue;
		}
		colon = memchr(line, ':', line_len);
		if (!colon) {
			fd_error_set(err, "ParseError", "line %d: header without ':'", lineno);
			goto fail;
		}
		if (colon == line) {
			fd_error_set(err, "ParseError", "line %d: header with an empty name", lineno);
			goto fail;
		}
		for (const char *c = line; c < colon; c++)
			if (!is_tchar((unsigned char)*c)) {
				fd_error_set(err, "ParseError",
					     "line %d: invalid character in the header name", lineno);
				goto fail;
			}
		if (out->n_headers == cap) {
			cap = cap ? cap * 2 : 8;
			out->headers = xrealloc(out->headers, cap * sizeof(*out->headers));
		}
		out->headers[out->n_headers].name = xstrndup(line, (size_t)(colon - line));
		out->headers[out->n_headers].value =
			xstrndup(colon + 1, (size_t)(line + line_len - colon - 1));
		out->n_headers++;
	}
	/* the body: the rest, byte for byte */
	out->body_len = (size_t)(end - p);
	out->body = xmalloc(out->body_len + 1);
	memcpy(out->body, p, out->body_len);
	out->body[out->body_len] = '\0';
	return 0;
fail:
	sigv4_request_clean_up(out);
	return -1;
}

void sigv4_request_clean_up(struct sigv4_request *req)
{
	for (size_t i = 0; i < req->n_headers; i++) {
		free(req->headers[i].name);
		/* values may hold a session token or a signature */
		fd_free_secret(req->headers[i].value);
	}
	free(req->headers);
	free(req->method);
	free(req->target);
	free(req->body);
	memset(req, 0, sizeof(*req));
}

void sigv4_request_add_header(struct sigv4_request *req, const char *name, const char *value)
{
	/* grow one at a time: the array's capacity is not part of the struct */
	req->headers = xrealloc(req->headers, (req->n_headers + 1) * sizeof(*req->headers));
	req->headers[req->n_headers].name = xstrdup(name);
	req->headers[req->n_headers].value = xstrdup(value);
	req->n_headers++;
}

const char *sigv4_request_header(const struct sigv4_request *req, const char *name)
{
	for (size_t i = 0; i < req->n_headers; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

void sigv4_request_set_header(struct sigv4_request *req, const char *name, const char *value)
{
	for (size_t i = 0; i < req->n_headers; i++)
		if (strcasecmp(req->headers[i].name, name) == 0) {
			if (req->headers[i].value && strcmp(req->headers[i].value, value) == 0)
				return;
			fd_free_secret(req->headers[i].value);
			req->headers[i].value = xstrdup(value);
			return;
		}
	sigv4_request_add_header(req, name, value);
}

void sigv4_request_remove_header(struct sigv4_request *req, const char *name)
{
	size_t j = 0;

	for (size_t i = 0; i < req->n_headers; i++) {
		if (strcasecmp(req->headers[i].name, name) == 0) {
			free(req->headers[i].name);
			fd_free_secret(req->headers[i].value);
			continue;
		}
		req->headers[j++] = req->headers[i];
	}
	req->n_headers = j;
}

char *sigv4_request_format(const struct sigv4_request *req, size_t *len)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_addf(&sb, "%s %s HTTP/1.1", req->method ? req->method : "",
		    req->target ? req->target : "");
	for (size_t i = 0; i < req->n_headers; i++) {
		const struct sigv4_header *h = &req->headers[i];
		strbuf_addc(&sb, '\n');
		strbuf_adds(&sb, h->name);
		strbuf_adds(&sb, strcasecmp(h->name, "Authorization") == 0 ? ": " : ":");
		strbuf_adds(&sb, h->value ? h->value : "");
	}
	if (req->body_len) {
		strbuf_adds(&sb, "\n\n");
		strbuf_add(&sb, req->body, req->body_len);
	}
	return strbuf_detach(&sb, len);
}

/* ---- encoding --------------------------------------------------------- */

/* True for the RFC 3986 unreserved set: A-Z a-z 0-9 - . _ ~ */
static int is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

/* Make room for n more bytes (and the NUL) in sb. */
static void reserve(struct strbuf *sb, size_t n)
{
	size_t cap = sb->cap;

	if (sb->len + n + 1 <= cap)
		return;
	while (sb->len + n + 1 > cap)
		cap *= 2;
	sb->data = xrealloc(sb->data, cap);
	sb->cap = cap;
}

/* Append s[0..n) URI-encoded (uppercase hex); '/' kept when keep_slash. */
static void uri_encode(struct strbuf *sb, const char *s, size_t n, int keep_slash)
{
	char *o;

	reserve(sb, 3 * n);
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

	reserve(sb, 3 * n);
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
	reserve(&arena, n + n / 2 + 16);
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
	reserve(sb, arena.len + np);
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

	reserve(sb, strlen(v));
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

	reserve(sb, 1024);
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

/* ---- string to sign, key, signature ----------------------------------- */

/* OpenSSL's SHA-256 and HMAC, fetched once per process. */
static EVP_MD *sha256_md;
static EVP_MAC *hmac_mac;
static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;
static pthread_key_t thread_exit_key;   /* runs sigv4_forget_keys when a thread ends */

#define KEY_CACHE_SIZE 32   /* 8 services x 2 regions, twice over */

/* A signing key sigv4_sign derived, kept as an HMAC context primed with it. */
struct cached_key {
	EVP_MAC_CTX *mac;                /* NULL when the slot is empty */
	unsigned char secret_hash[32];   /* SHA-256 of the secret key, never the key */
	char scope[8 + 1 + 64 + 1 + 64 + 1];
};

/* Per-thread contexts, reused from one signature to the next (the simulator
 * may verify on several threads), and the signing keys sigv4_sign derived
 * (one per secret, date, region and service, as the AWS SDKs cache them). */
static _Thread_local struct {
	EVP_MD_CTX *md;
	EVP_MAC_CTX *mac;
	struct cached_key keys[KEY_CACHE_SIZE];
	unsigned next_slot;
	unsigned last_hit;
} tl;

/* At a thread's end: wipe its cached keys and free its contexts. */
static void thread_exit(void *unused)
{
	(void)unused;
	sigv4_forget_keys();
}

static void crypto_init(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
	hmac_mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!sha256_md || !hmac_mac || pthread_key_create(&thread_exit_key, thread_exit) != 0) {
		fputs("flightdeck: OpenSSL has no SHA256/HMAC\n", stderr);
		abort();
	}
}

/* The thread's digest and MAC contexts, created on first use. */
static void crypto_ready(void)
{
	OSSL_PARAM params[2];

	if (tl.mac)
		return;
	pthread_once(&crypto_once, crypto_init);
	tl.md = EVP_MD_CTX_new();
	tl.mac = EVP_MAC_CTX_new(hmac_mac);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	pthread_setspecific(thread_exit_key, &tl);
	if (!tl.md || !tl.mac || !EVP_MAC_CTX_set_params(tl.mac, params)) {
		fputs("flightdeck: OpenSSL cannot set up SHA256/HMAC\n", stderr);
		abort();
	}
}

/* out = SHA-256(data). */
static void sha256(const void *data, size_t len, unsigned char out[32])
{
	unsigned int n = 32;

	crypto_ready();
	EVP_DigestInit_ex(tl.md, sha256_md, NULL);
	EVP_DigestUpdate(tl.md, data, len);
	EVP_DigestFinal_ex(tl.md, out, &n);
}

/* Lower-case hex of 32 bytes. */
static void to_hex(const unsigned char md[32], char hex[65])
{
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = hexlower[md[i] >> 4];
		hex[2 * i + 1] = hexlower[md[i] & 15];
	}
	hex[64] = '\0';
}

void sigv4_sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[32];

	sha256(data, len, md);
	to_hex(md, hex);
}

void sigv4_forget_keys(void)
{
	/* freeing an HMAC context cleanses the key it holds */
	for (int i = 0; i < KEY_CACHE_SIZE; i++) {
		EVP_MAC_CTX_free(tl.keys[i].mac);
		memset(&tl.keys[i], 0, sizeof(tl.keys[i]));
	}
	EVP_MAC_CTX_free(tl.mac);
	EVP_MD_CTX_free(tl.md);
	tl.mac = NULL;
	tl.md = NULL;
}

char *sigv4_string_to_sign(const char *creq, const struct sigv4_params *p)
{
	struct strbuf sb;
	char hash[65];

	sigv4_sha256_hex(creq, strlen(creq), hash);
	strbuf_init(&sb);
	reserve(&sb, 200);
	strbuf_adds(&sb, ALGORITHM "\n");
	strbuf_adds(&sb, p->amz_date);
	strbuf_addc(&sb, '\n');
	strbuf_add(&sb, p->amz_date, strnlen(p->amz_date, 8));
	strbuf_addc(&sb, '/');
	strbuf_adds(&sb, p->region);
	strbuf_addc(&sb, '/');
	strbuf_adds(&sb, p->service);
	strbuf_adds(&sb, "/aws4_request\n");
	strbuf_add(&sb, hash, 64);
	return strbuf_detach(&sb, NULL);
}

/* out = HMAC-SHA256(key, data). */
static void hmac256(const void *key, size_t key_len, const void *data, size_t len,
		    unsigned char out[32])
{
	size_t n = 32;

	crypto_ready();
	EVP_MAC_init(tl.mac, key, key_len, NULL);
	EVP_MAC_update(tl.mac, data, len);
	EVP_MAC_final(tl.mac, out, &n, 32);
}

void sigv4_signing_key(const struct sigv4_params *p, unsigned char key[32])
{
	unsigned char k[32];
	size_t slen = strlen(p->secret_key);
	char *seed = xmalloc(slen + 5);

	memcpy(seed, "AWS4", 4);
	memcpy(seed + 4, p->secret_key, slen + 1);
	hmac256(seed, slen + 4, p->amz_date, strnlen(p->amz_date, 8), k);
	fd_wipe(seed, slen + 4);
	free(seed);
	hmac256(k, 32, p->region, strlen(p->region), key);
	hmac256(key, 32, p->service, strlen(p->service), k);
	hmac256(k, 32, "aws4_request", 12, key);
	fd_wipe(k, sizeof(k));
}

void sigv4_signature(const unsigned char key[32], const char *sts, char hex[65])
{
	unsigned char md[32];

	hmac256(key, 32, sts, strlen(sts), md);
	to_hex(md, hex);
}

/* The signature of sts, with the signing key reused while secret, date,
 * region and service stay the same: most signatures then cost one HMAC. */
static void signature_cached(const struct sigv4_params *p, const char *sts, char hex[65])
{
	struct cached_key *slot = NULL;
	unsigned char h[32], key[32], md[32];
	char scope[sizeof(slot->scope)];
	size_t n = 32;
	int len;

	len = (int)(strnlen(p->amz_date, 8) + strlen(p->region) + strlen(p->service) + 2);
	if ((size_t)len < sizeof(scope)) {
		char *o = scope;
		memcpy(o, p->amz_date, strnlen(p->amz_date, 8));
		o += strnlen(p->amz_date, 8);
		*o++ = '/';
		memcpy(o, p->region, strlen(p->region));
		o += strlen(p->region);
		*o++ = '/';
		memcpy(o, p->service, strlen(p->service) + 1);
	} else {
		sigv4_signing_key(p, key);           /* too long to cache */
		sigv4_signature(key, sts, hex);
		fd_wipe(key, sizeof(key));
		return;
	}
	sha256(p->secret_key, strlen(p->secret_key), h);
	for (unsigned k = 0; k < KEY_CACHE_SIZE && !slot; k++) {
		unsigned i = (tl.last_hit + k) % KEY_CACHE_SIZE;   /* the last one first */
		if (tl.keys[i].mac &&
		    strcmp(scope, tl.keys[i].scope) == 0 &&
		    CRYPTO_memcmp(h, tl.keys[i].secret_hash, 32) == 0) {
			slot = &tl.keys[i];
			tl.last_hit = i;
		}
	}
	if (slot) {
		EVP_MAC_init(slot->mac, NULL, 0, NULL);      /* same key again */
	} else {
		slot = &tl.keys[tl.next_slot++ % KEY_CACHE_SIZE];
		if (!slot->mac)
			slot->mac = EVP_MAC_CTX_dup(tl.mac);
		if (!slot->mac) {
			fputs("flightdeck: OpenSSL cannot copy an HMAC context\n", stderr);
			abort();
		}
		sigv4_signing_key(p, key);
		EVP_MAC_init(slot->mac, key, sizeof(key), NULL);
		fd_wipe(key, sizeof(key));
		memcpy(slot->secret_hash, h, sizeof(h));
		memcpy(slot->scope, scope, (size_t)len + 1);
	}
	fd_wipe(h, sizeof(h));
	EVP_MAC_update(slot->mac, (const unsigned char *)sts, strlen(sts));
	EVP_MAC_final(slot->mac, md, &n, sizeof(md));
	to_hex(md, hex);
}

char *sigv4_authorization(const struct sigv4_params *p, const char *signed_headers,
			  const char *signature_hex)
{
	struct strbuf sb;

	strbuf_init(&sb);
	reserve(&sb, 256 + strlen(signed_headers));
	strbuf_adds(&sb, ALGORITHM " Credential=");
	strbuf_adds(&sb, p->access_key);
	strbuf_addc(&sb, '/');
	strbuf_add(&sb, p->amz_date, strnlen(p->amz_date, 8));
	strbuf_addc(&sb, '/');
	strbuf_adds(&sb, p->region);
	strbuf_addc(&sb, '/');
	strbuf_adds(&sb, p->service);
	strbuf_adds(&sb, "/aws4_request, SignedHeaders=");
	strbuf_adds(&sb, signed_headers);
	strbuf_adds(&sb, ", Signature=");
	strbuf_adds(&sb, signature_hex);
	return strbuf_detach(&sb, NULL);
}

/* ---- whole signing ---------------------------------------------------- */

/* True when the params carry a session token. */
static int has_token(const struct sigv4_params *p)
{
	return p->session_token && p->session_token[0];
}

void sigv4_prepare(struct sigv4_request *req, const struct sigv4_params *p)
{
	sigv4_request_set_header(req, "X-Amz-Date", p->amz_date);
	if (has_token(p) && !p->omit_session_token)
		sigv4_request_set_header(req, "X-Amz-Security-Token", p->session_token);
	if (p->sign_body && !sigv4_request_header(req, "x-amz-content-sha256")) {
		char hash[65];
		sigv4_sha256_hex(req->body ? (const void *)req->body : "", req->body_len, hash);
		sigv4_request_add_header(req, "X-Amz-Content-SHA256", hash);
	}
}

int sigv4_sign(struct sigv4_request *req, const struct sigv4_params *p, struct fd_error *err)
{
	struct strbuf creq, sh;
	char *sts, sig[65];
	size_t i;

	if (!p->access_key || !p->secret_key || !p->region || !p->service || !p->amz_date ||
	    strlen(p->amz_date) != 16)
		return fd_error_set(err, "InvalidParameter",
				    "signing needs an access key, a secret key, a region, a service and a YYYYMMDDTHHMMSSZ time");
	/* an old Authorization (a retry) is never signed, and replaced below */
	sigv4_prepare(req, p);
	strbuf_init(&creq);
	strbuf_init(&sh);
	if (build_creq(req, p, NULL, &creq, &sh, err) < 0) {
		strbuf_clean_up(&creq);
		strbuf_clean_up(&sh);
		return -1;
	}
	sts = sigv4_string_to_sign(creq.data, p);
	signature_cached(p, sts, sig);
	if (has_token(p) && p->omit_session_token)
		sigv4_request_set_header(req, "X-Amz-Security-Token", p->session_token);
	for (i = 0; i < req->n_headers && strcasecmp(req->headers[i].name, "Authorization") != 0; i++)
		;
	if (i == req->n_headers) {
		req->headers = xrealloc(req->headers, (req->n_headers + 1) * sizeof(*req->headers));
		req->headers[i].name = xstrdup("Authorization");
		req->n_headers++;
	} else {
		fd_free_secret(req->headers[i].value);
	}
	req->headers[i].value = sigv4_authorization(p, sh.data, sig);
	/* duplicates of Authorization after the first would be sent too */
	for (size_t j = req->n_headers; j-- > i + 1;)
		if (strcasecmp(req->headers[j].name, "Authorization") == 0) {
			free(req->headers[j].name);
			fd_free_secret(req->headers[j].value);
			memmove(&req->headers[j], &req->headers[j + 1],
				(req->n_headers - j - 1) * sizeof(*req->headers));
			req->n_headers--;
		}
	strbuf_clean_up(&creq);
	strbuf_clean_up(&sh);
	free(sts);
	return 0;
}

/* ---- verification (the simulator's side) ------------------------------ */

/* Copy [s, s+n) into a buffer of size cap; -1 when it does not fit or is empty. */
static int copy_field(char *dst, size_t cap, const char *s, size_t n)
{
	if (n == 0 || n >= cap)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

int sigv4_authz_parse(const char *value, struct sigv4_authz *out, struct fd_error *err)
{
	const char *p = value, *cred = NULL, *sh = NULL, *sig = NULL;
	size_t cred_n = 0, sh_n = 0, sig_n = 0;
	const char *parts[5];
	size_t part_n[5];
	int np = 0;

	memset(out, 0, sizeof(*out));
	if (!value)
		return fd_error_set(err, "MissingAuthenticationToken", "no Authorization header");
	while (*p == ' ')
		p++;
	if (strncmp(p, ALGORITHM, strlen(ALGORITHM)) != 0 || p[strlen(ALGORITHM)] != ' ')
		return fd_error_set(err, "IncompleteSignature",
				    "Authorization does not start with '" ALGORITHM " '");
	p += strlen(ALGORITHM);
	/* comma-separated Name=Value pairs, spaces allowed around them */
	while (*p) {
		const char *name, *val, *e;
		size_t name_n, val_n;
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		name = p;
		while (*p && *p != '=' && *p != ',' && *p != ' ')
			p++;
		name_n = (size_t)(p - name);
		if (*p != '=')
			return fd_error_set(err, "IncompleteSignature",
					    "Authorization element '%.*s' has no '='", (int)name_n, name);
		val = ++p;
		e = strchr(val, ',');
		if (!e)
			e = val + strlen(val);
		p = e;
		while (e > val && e[-1] == ' ')
			e--;
		val_n = (size_t)(e - val);
		if (name_n == 10 && strncmp(name, "Credential", 10) == 0)
			cred = val, cred_n = val_n;
		else if (name_n == 13 && strncmp(name, "SignedHeaders", 13) == 0)
			sh = val, sh_n = val_n;
		else if (name_n == 9 && strncmp(name, "Signature", 9) == 0)
			sig = val, sig_n = val_n;
		else
			return fd_error_set(err, "IncompleteSignature",
					    "unknown Authorization element '%.*s'", (int)name_n, name);
	}
	if (!cred || !sh || !sig)
		return fd_error_set(err, "IncompleteSignature",
				    "Authorization needs Credential, SignedHeaders and Signature");
	/* Credential=AKID/YYYYMMDD/region/service/aws4_request */
	parts[0] = cred;
	for (size_t i = 0; i < cred_n && np < 5; i++)
		if (cred[i] == '/') {
			part_n[np] = (size_t)(cred + i - parts[np]);
			if (++np < 5)
				parts[np] = cred + i + 1;
		}
	if (np != 4)
		return fd_error_set(err, "IncompleteSignature",
				    "Credential is not ACCESS_KEY/DATE/REGION/SERVICE/aws4_request");
	part_n[4] = (size_t)(cred + cred_n - parts[4]);
	if (part_n[4] != 12 || strncmp(parts[4], "aws4_request", 12) != 0)
		return fd_error_set(err, "IncompleteSignature",
				    "Credential does not end with aws4_request");
	if (part_n[1] != 8)
		return fd_error_set(err, "IncompleteSignature", "Credential date is not YYYYMMDD");
	for (int i = 0; i < 8; i++)
		if (!isdigit((unsigned char)parts[1][i]))
			return fd_error_set(err, "IncompleteSignature", "Credential date is not YYYYMMDD");
	if (copy_field(out->access_key, sizeof(out->access_key), parts[0], part_n[0]) < 0 ||
	    copy_field(out->date, sizeof(out->date), parts[1], part_n[1]) < 0 ||
	    copy_field(out->region, sizeof(out->region), parts[2], part_n[2]) < 0 ||
	    copy_field(out->service, sizeof(out->service), parts[3], part_n[3]) < 0)
		return fd_error_set(err, "IncompleteSignature", "Credential has an empty or too long part");
	if (copy_field(out->signed_headers, sizeof(out->signed_headers), sh, sh_n) < 0)
		return fd_error_set(err, "IncompleteSignature", "SignedHeaders is empty or too long");
	if (sig_n != 64)
		return fd_error_set(err, "IncompleteSignature", "Signature is not 64 hex digits");
	for (size_t i = 0; i < 64; i++)
		if (!isxdigit((unsigned char)sig[i]))
			return fd_error_set(err, "IncompleteSignature", "Signature is not 64 hex digits");
	memcpy(out->signature, sig, 64);
	out->signature[64] = '\0';
	return 0;
}

int sigv4_verify(const struct sigv4_request *req, const struct sigv4_authz *authz,
		 const char *secret_key, struct fd_error *err)
{
	const char *date = sigv4_request_header(req, "X-Amz-Date");
	struct sigv4_params p = {
		.access_key = authz->access_key,
		.secret_key = secret_key,
		.region = authz->region,
		.service = authz->service,
		.normalize_path = true,
	};
	char amz_date[17], *creq = NULL, *sts;
	unsigned char key[32];
	char sig[65];
	size_t n = 0;
	int diff;

	if (!date)
		return fd_error_set(err, "IncompleteSignature", "the request has no X-Amz-Date header");
	while (*date == ' ' || *date == '\t')
		date++;
	while (n < 16 && date[n] && date[n] != ' ' && date[n] != '\t')
		n++;
	if (n != 16 || (date[n] && date[n] != ' ' && date[n] != '\t'))
		return fd_error_set(err, "IncompleteSignature", "X-Amz-Date is not YYYYMMDDTHHMMSSZ");
	memcpy(amz_date, date, 16);
	amz_date[16] = '\0';
	if (strncmp(amz_date, authz->date, 8) != 0)
		return fd_error_set(err, "SignatureDoesNotMatch",
				    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%.8s'",
				    authz->date, amz_date);
	p.amz_date = amz_date;
	if (sigv4_canonical_request_signed(req, &p, authz->signed_headers, &creq, err) < 0)
		return -1;
	sts = sigv4_string_to_sign(creq, &p);
	sigv4_signing_key(&p, key);
	sigv4_signature(key, sts, sig);
	fd_wipe(key, sizeof(key));
	free(creq);
	free(sts);
	diff = CRYPTO_memcmp(sig, authz->signature, 64);
	fd_wipe(sig, sizeof(sig));
	if (diff)
		return fd_error_set(err, "SignatureDoesNotMatch",
				    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
	return 0;
}
