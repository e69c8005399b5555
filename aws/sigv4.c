/* sigv4.c — AWS Signature Version 4 (see sigv4.h): the string to sign, the signing
 * key (cached per thread), the signature, the Authorization header and whole
 * signing. The request and its test-suite text are in sigv4_request.c, the
 * canonical request in sigv4_canonical.c, the simulator's side in sigv4_verify.c.
 */
#include "aws/sigv4.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <pthread.h>
#include <stdio.h>

static const char hexlower[] = "0123456789abcdef";

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
	strbuf_grow(&sb, 200);
	strbuf_adds(&sb, SIGV4_ALGORITHM "\n");
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
	strbuf_grow(&sb, 256 + strlen(signed_headers));
	strbuf_adds(&sb, SIGV4_ALGORITHM " Credential=");
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
	char *creq, *sh, *sts, sig[65];
	size_t i;

	if (!p->access_key || !p->secret_key || !p->region || !p->service || !p->amz_date ||
	    strlen(p->amz_date) != 16)
		return fd_error_set(err, "InvalidParameter",
				    "signing needs an access key, a secret key, a region, a service and a YYYYMMDDTHHMMSSZ time");
	/* an old Authorization (a retry) is never signed, and replaced below */
	sigv4_prepare(req, p);
	if (sigv4_canonical_request(req, p, &creq, &sh, err) < 0)
		return -1;
	sts = sigv4_string_to_sign(creq, p);
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
	req->headers[i].value = sigv4_authorization(p, sh, sig);
	/* duplicates of Authorization after the first would be sent too */
	for (size_t j = req->n_headers; j-- > i + 1;)
		if (strcasecmp(req->headers[j].name, "Authorization") == 0) {
			free(req->headers[j].name);
			fd_free_secret(req->headers[j].value);
			memmove(&req->headers[j], &req->headers[j + 1],
				(req->n_headers - j - 1) * sizeof(*req->headers));
			req->n_headers--;
		}
	free(creq);
	free(sh);
	free(sts);
	return 0;
}
