/* fuzz_request.c — libFuzzer target: the raw-request reader and everything the
 * signer does with what it reads (canonicalisation with and without path
 * normalisation, signing, formatting, Authorization parsing, verification).
 * Seeds: the AWS SigV4 test suite's requests (tests/fuzz/corpus/request/,
 * Apache-2.0, see the NOTICE there). */
#include "aws/sigv4.h"
#include "base/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigv4_params p = {
		.access_key = "AKIDEXAMPLE", .secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
		.session_token = "token", .region = "us-east-1", .service = "service",
		.amz_date = "20150830T123600Z", .normalize_path = true,
	};
	struct sigv4_request req;
	struct sigv4_authz az;
	struct fd_error err;
	char *creq = NULL, *sh = NULL, *text, *s;
	size_t len;

	/* the input as an Authorization value */
	s = xstrndup((const char *)data, size);
	sigv4_authz_parse(s, &az, &err);
	free(s);

	if (sigv4_request_parse((const char *)data, size, &req, &err) < 0)
		return 0;
	/* an incoming request verified as the simulator does */
	if (sigv4_authz_parse(sigv4_request_header(&req, "Authorization"), &az, &err) == 0)
		sigv4_verify(&req, &az, p.secret_key, &err);
	for (int normalize = 0; normalize < 2; normalize++) {
		p.normalize_path = normalize;
		if (sigv4_canonical_request(&req, &p, &creq, &sh, &err) == 0) {
			char *sts = sigv4_string_to_sign(creq, &p);
			free(sts);
			free(creq);
			free(sh);
		}
	}
	p.sign_body = size & 1;
	p.omit_session_token = size & 2;
	if (sigv4_sign(&req, &p, &err) == 0) {
		if (sigv4_authz_parse(sigv4_request_header(&req, "Authorization"), &az, &err) != 0 ||
		    (!p.omit_session_token && sigv4_verify(&req, &az, p.secret_key, &err) != 0))
			abort();   /* what we sign must parse and verify */
		text = sigv4_request_format(&req, &len);
		free(text);
	}
	sigv4_request_clean_up(&req);
	return 0;
}
