/* test_sigv4.c — the signer's rules beyond the AWS suite: parse errors naming
 * the line, double encoding of '%', query re-encoding, the headers botocore
 * never signs, re-signing, Authorization parsing and verification. */
#include "aws/sigv4.h"
#include "base/xalloc.h"
#include "tests/tap.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

static const struct sigv4_params base = {
	.access_key = "AKIDEXAMPLE", .secret_key = SECRET, .region = "us-east-1",
	.service = "service", .amz_date = "20150830T123600Z", .normalize_path = true,
};

/* Parse raw[0..len) and return its error message ("" when it parsed). */
static const char *parse_error_n(const char *raw, size_t len)
{
	static struct fd_error err;
	struct sigv4_request req;

	memset(&err, 0, sizeof(err));
	if (sigv4_request_parse(raw, len, &req, &err) == 0) {
		sigv4_request_clean_up(&req);
		return "";
	}
	return err.message;
}

/* Parse a NUL-terminated raw request; see parse_error_n. */
static const char *parse_error(const char *raw)
{
	return parse_error_n(raw, strlen(raw));
}

/* The canonical request's line n (0-based) for raw signed with p. */
static char *creq_line(const char *raw, const struct sigv4_params *p, int n)
{
	struct sigv4_request req;
	char *creq = NULL, *sh = NULL, *line, *s, *e;

	if (sigv4_request_parse(raw, strlen(raw), &req, NULL) < 0)
		return xstrdup("(parse error)");
	if (sigv4_canonical_request(&req, p, &creq, &sh, NULL) < 0) {
		sigv4_request_clean_up(&req);
		return xstrdup("(creq error)");
	}
	s = creq;
	while (n-- > 0 && s)
		s = strchr(s, '\n') ? strchr(s, '\n') + 1 : NULL;
	e = s ? strchr(s, '\n') : NULL;
	line = s ? xstrndup(s, e ? (size_t)(e - s) : strlen(s)) : xstrdup("(no such line)");
	free(creq);
	free(sh);
	sigv4_request_clean_up(&req);
	return line;
}

static void check_line(const char *raw, const struct sigv4_params *p, int n, const char *want,
		       const char *name)
{
	char *got = creq_line(raw, p, n);
	is_str(got, want, "%s", name);
	free(got);
}

/* Sign get-vanilla 200 times on a thread (keys cached per thread); NULL when
 * every Authorization was the suite's. */
static void *sign_on_thread(void *arg)
{
	const char *raw = "GET / HTTP/1.1\nHost:example.amazonaws.com";
	const char *want = arg;
	struct sigv4_request req;

	for (int i = 0; i < 200; i++) {
		int same;
		sigv4_request_parse(raw, strlen(raw), &req, NULL);
		sigv4_sign(&req, &base, NULL);
		same = strcmp(sigv4_request_header(&req, "Authorization"), want) == 0;
		sigv4_request_clean_up(&req);
		if (!same)
			return (void *)"mismatch";
	}
	return NULL;
}

int main(void)
{
	struct sigv4_params nonorm = base;
	struct sigv4_request req;
	struct sigv4_authz az;
	struct fd_error err = { 0 };
	const char *raw;
	char *first, hex[65];

	nonorm.normalize_path = false;

	/* parse errors name the line */
	is_str(parse_error(""), "line 1: empty request", "empty input");
	is_str(parse_error("GET /\nHost:x"), "line 1: request line is not 'METHOD TARGET HTTP/VERSION'",
	       "request line without a version");
	is_str(parse_error("GET / FTP/1\nHost:x"), "line 1: request line does not end with HTTP/VERSION",
	       "request line with a bad version");
	is_str(parse_error("GET / HTTP/1.1\nHost:x\nNoColon\n"), "line 3: header without ':'",
	       "header without colon names line 3");
	is_str(parse_error("GET / HTTP/1.1\n value\n"), "line 2: continuation line without a header before it",
	       "continuation first");
	is_str(parse_error("GET / HTTP/1.1\nHost:x\n:v\n"), "line 3: header with an empty name",
	       "empty header name");
	is_str(parse_error("GET / HTTP/1.1\nHost:x\nBad Name:v\n"), "line 3: invalid character in the header name",
	       "space in header name");
	is_str(parse_error("GET / HTTP/1.1\nHost:x\n\nbody\nwith: colon\n"), "", "body after the empty line is not parsed");
	{
		/* found by fuzz_request: the input need not end in NUL */
		char *nonul = xmalloc(9);
		memcpy(nonul, "GET / HTT", 9);
		is_str(parse_error_n(nonul, 9), "line 1: request line does not end with HTTP/VERSION",
		       "truncated version, input without NUL");
		free(nonul);
	}

	/* the body is byte for byte, CRLF tolerated in headers */
	raw = "POST /a b/c HTTP/1.1\r\nHost:example.com\r\n\r\nx\r\ny\n";
	ok(sigv4_request_parse(raw, strlen(raw), &req, &err) == 0, "CRLF request parses");
	is_str(req.target, "/a b/c", "target keeps inner spaces");
	is_str(req.headers[0].value, "example.com", "CR stripped from header");
	is_int(req.body_len, 5, "body length");
	ok(memcmp(req.body, "x\r\ny\n", 5) == 0, "body bytes kept");
	sigv4_request_clean_up(&req);

	/* canonical URI: encode the wire path again (non-S3), normalise or not */
	check_line("GET /a%20b HTTP/1.1\nHost:h\nX-Amz-Date:20150830T123600Z", &base, 1, "/a%2520b",
		   "percent in the path is encoded again");
	check_line("GET /a/./b/../c//d/ HTTP/1.1\nHost:h", &base, 1, "/a/c/d/", "dot segments and // removed");
	check_line("GET /a/./b/../c//d/ HTTP/1.1\nHost:h", &nonorm, 1, "/a/./b/../c//d/",
		   "no normalisation when normalize_path is false");
	check_line("GET /../.. HTTP/1.1\nHost:h", &base, 1, "/", "dot-dot above the root");
	check_line("GET /$&+,;=:@!*'() HTTP/1.1\nHost:h", &base, 1,
		   "/%24%26%2B%2C%3B%3D%3A%40%21%2A%27%28%29", "reserved characters encoded, uppercase hex");
	check_line("GET ?a=b HTTP/1.1\nHost:h", &base, 1, "/", "empty path is /");

	/* canonical query */
	check_line("GET /?b=2&a=1&a=0&c HTTP/1.1\nHost:h", &base, 2, "a=0&a=1&b=2&c=",
		   "sorted by key then value, repeated kept, bare key gets =");
	check_line("GET /?k=a%20b&k=a+b&%e1%88%b4=%7E HTTP/1.1\nHost:h", &base, 2, "%E1%88%B4=~&k=a%20b&k=a%2Bb",
		   "query decoded and re-encoded (plus is a plus)");
	check_line("GET /?x=%zz&y=% HTTP/1.1\nHost:h", &base, 2, "x=%25zz&y=%25",
		   "a stray percent stands for itself");
	check_line("GET /?a=1&&b=2& HTTP/1.1\nHost:h", &base, 2, "a=1&b=2", "empty query segments skipped");

	/* headers */
	check_line("GET / HTTP/1.1\nHost:h\nUser-Agent:x\nExpect:100-continue\nX-Amzn-Trace-Id:t\nX-B:\t a \t b \n", &base,
		   3, "host:h", "user-agent, expect, x-amzn-trace-id not signed");
	check_line("GET / HTTP/1.1\nHost:h\nX-B:\t a \t b \n", &base, 4, "x-b:a b", "tabs trimmed and collapsed");

	/* payload hash from x-amz-content-sha256 when present */
	check_line("PUT / HTTP/1.1\nHost:h\nX-Amz-Content-SHA256:UNSIGNED-PAYLOAD\n\nbody", &base, 7,
		   "UNSIGNED-PAYLOAD", "x-amz-content-sha256 is the payload hash");
	sigv4_sha256_hex("", 0, hex);
	is_str(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sha256 of nothing");

	/* re-signing a retry replaces date and Authorization */
	raw = "GET / HTTP/1.1\nHost:example.amazonaws.com";
	sigv4_request_parse(raw, strlen(raw), &req, NULL);
	ok(sigv4_sign(&req, &base, &err) == 0, "sign");
	is_str(sigv4_request_header(&req, "Authorization"),
	       "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
	       "get-vanilla signed from a request without X-Amz-Date");
	first = xstrdup(sigv4_request_header(&req, "Authorization"));
	{
		struct sigv4_params later = base;
		later.amz_date = "20150830T123700Z";
		ok(sigv4_sign(&req, &later, &err) == 0, "re-sign");
		is_str(sigv4_request_header(&req, "X-Amz-Date"), "20150830T123700Z", "date updated");
		is_int(req.n_headers, 3, "one Authorization, one X-Amz-Date after re-signing");
		ok(strcmp(first, sigv4_request_header(&req, "Authorization")) != 0, "new signature");
	}
	free(first);

	/* several threads signing at once (the signing key cache is per thread) */
	{
		pthread_t t[4];
		void *res;
		int bad = 0;
		const char *want = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
		for (int i = 0; i < 4; i++)
			pthread_create(&t[i], NULL, sign_on_thread, (void *)want);
		for (int i = 0; i < 4; i++) {
			pthread_join(t[i], &res);
			bad += res != NULL;
		}
		is_int(bad, 0, "4 threads x 200 signatures all equal the suite's");
	}
	/* the cache hands back the same key, and forgetting it changes nothing */
	{
		struct sigv4_request r2;
		const char *raw2 = "GET / HTTP/1.1\nHost:example.amazonaws.com";
		sigv4_forget_keys();
		sigv4_request_parse(raw2, strlen(raw2), &r2, NULL);
		sigv4_sign(&r2, &base, NULL);
		sigv4_sign(&r2, &base, NULL);
		is_str(sigv4_request_header(&r2, "Authorization"),
		       "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		       "signed twice after sigv4_forget_keys: same Authorization, once");
		is_int(r2.n_headers, 3, "one Authorization header after re-signing");
		sigv4_request_clean_up(&r2);
	}

	/* parse and verify an Authorization */
	is_int(sigv4_authz_parse(sigv4_request_header(&req, "Authorization"), &az, &err), 0, "authz parses");
	is_str(az.access_key, "AKIDEXAMPLE", "access key");
	is_str(az.date, "20150830", "date");
	is_str(az.region, "us-east-1", "region");
	is_str(az.service, "service", "service");
	is_str(az.signed_headers, "host;x-amz-date", "signed headers");
	is_int(sigv4_verify(&req, &az, SECRET, &err), 0, "verifies with the right secret");
	is_int(sigv4_verify(&req, &az, "wrong", &err), -1, "fails with a wrong secret");
	is_str(err.code, "SignatureDoesNotMatch", "code SignatureDoesNotMatch");
	sigv4_request_add_header(&req, "X-Extra", "unsigned headers do not matter");
	is_int(sigv4_verify(&req, &az, SECRET, &err), 0, "an extra unsigned header is fine");
	free(req.target);
	req.target = xstrdup("/other");
	is_int(sigv4_verify(&req, &az, SECRET, &err), -1, "a changed path fails");
	sigv4_request_clean_up(&req);

	is_int(sigv4_authz_parse("AWS4-HMAC-SHA256 Credential=A/2015083/r/s/aws4_request, SignedHeaders=host, Signature=00", &az, &err),
	       -1, "bad date refused");
	is_str(err.code, "IncompleteSignature", "IncompleteSignature");
	is_int(sigv4_authz_parse("AWS4-HMAC-SHA256 Credential=A/20150830/r/s/aws4_request, SignedHeaders=host", &az, &err),
	       -1, "missing Signature refused");
	is_str(err.message, "Authorization needs Credential, SignedHeaders and Signature", "message names what is missing");
	is_int(sigv4_authz_parse("AWS4-HMAC-SHA256 Credential=A/20150830/r/s/aws4_request,SignedHeaders=host,Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", &az, &err),
	       0, "no spaces after commas accepted");
	is_int(sigv4_authz_parse("AWS4-HMAC-SHA1 Credential=A", &az, &err), -1, "other algorithms refused");
	return done_testing();
}
