/* test_suite.c — every case of the AWS SigV4 test suite, stage by stage.
 *
 * Classic cases (every *.req outside aws-c-auth-v4/): canonical request (.creq),
 * string to sign (.sts), Authorization (.authz) and the signed request (.sreq).
 * Fixed inputs as the suite's README lists them; the session token of a case is
 * the x-amz-security-token line of its .creq (as botocore's harness does), and
 * post-sts-header-after signs without it. aws-c-auth v4 cases: context.json
 * gives the inputs; header-canonical-request, header-string-to-sign and
 * header-signature must match. The suite itself is Apache-2.0, see suite.h.
 */
#include "aws/sigv4.h"
#include "base/xalloc.h"
#include "tests/tap.h"
#include "tests/sigv4/suite.h"

#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

static char **reqs;
static size_t n_reqs, cap_reqs;

/* Collect every *.req under dir, skipping aws-c-auth-v4/. */
static void collect(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[4096];
		size_t n = strlen(e->d_name);
		struct stat st;
		if (e->d_name[0] == '.' || strcmp(e->d_name, "aws-c-auth-v4") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			collect(path);
		} else if (n > 4 && strcmp(e->d_name + n - 4, ".req") == 0) {
			if (n_reqs == cap_reqs)
				reqs = xrealloc(reqs, (cap_reqs = cap_reqs ? 2 * cap_reqs : 64) * sizeof(*reqs));
			reqs[n_reqs++] = xstrdup(path);
		}
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The token of a classic case: the x-amz-security-token line of its .creq. */
static char *token_of(const char *creq)
{
	const char *t = strstr(creq, "\nx-amz-security-token:");
	const char *e;

	if (!t)
		return NULL;
	t += strlen("\nx-amz-security-token:");
	e = strchr(t, '\n');
	return xstrndup(t, e ? (size_t)(e - t) : strlen(t));
}

/* Replace the Signature=... of an Authorization line inside s by sig. */
static void replace_signature(char *s, const char *sig)
{
	char *p = strstr(s, "Signature=");

	if (p && strlen(p + 10) >= 64)
		memcpy(p + 10, sig, 64);
}

/* Run one classic case through every stage. */
static void classic_case(const char *req_path)
{
	char base[4096], path[4096], name[256];
	char *raw, *want_creq, *want_sts, *want_authz, *want_sreq, *token;
	char *creq = NULL, *sh = NULL, *sts, *authz, *sreq;
	const char *slash;
	size_t raw_len;
	unsigned char key[32];
	char sig[65];
	struct sigv4_request req;
	struct fd_error err = { 0 };
	struct sigv4_params p = {
		.access_key = "AKIDEXAMPLE", .secret_key = SECRET, .region = "us-east-1",
		.service = "service", .amz_date = "20150830T123600Z", .normalize_path = true,
	};

	snprintf(base, sizeof(base), "%.*s", (int)(strlen(req_path) - 4), req_path);
	slash = strrchr(base, '/');
	snprintf(name, sizeof(name), "%s", slash ? slash + 1 : base);
	raw = suite_read(req_path, &raw_len);
	snprintf(path, sizeof(path), "%s.creq", base);
	want_creq = suite_read_expected(path);
	snprintf(path, sizeof(path), "%s.sts", base);
	want_sts = suite_read_expected(path);
	snprintf(path, sizeof(path), "%s.authz", base);
	want_authz = suite_read_expected(path);
	snprintf(path, sizeof(path), "%s.sreq", base);
	want_sreq = suite_read(path, NULL);
	if (!raw || !want_creq || !want_sts || !want_authz || !want_sreq) {
		ok(0, "%s: all five files readable", name);
		goto out_files;
	}
	token = token_of(want_creq);
	p.session_token = token;

	if (!ok(sigv4_request_parse(raw, raw_len, &req, &err) == 0, "%s: parse", name)) {
		printf("# %s\n", err.message);
		free(token);
		goto out_files;
	}
	sigv4_prepare(&req, &p);
	if (sigv4_canonical_request(&req, &p, &creq, &sh, &err) < 0) {
		ok(0, "%s: canonical request: %s", name, err.message);
	} else {
		is_str(creq, want_creq, "%s: canonical request", name);
		sts = sigv4_string_to_sign(creq, &p);
		is_str(sts, want_sts, "%s: string to sign", name);
		sigv4_signing_key(&p, key);
		sigv4_signature(key, sts, sig);
		authz = sigv4_authorization(&p, sh, sig);
		is_str(authz, want_authz, "%s: authorization", name);
		free(sts);
		free(authz);
	}
	free(creq);
	free(sh);
	sigv4_request_clean_up(&req);

	/* all at once, and the signed request as the .sreq has it */
	sigv4_request_parse(raw, raw_len, &req, NULL);
	if (strcmp(name, "post-sts-header-after") == 0) {
		/* the token is added after signing (the README's rule) */
		p.session_token = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
		p.omit_session_token = true;
	}
	if (strcmp(name, "get-vanilla-with-session-token") == 0) {
		/* data bug: its .sreq carries get-vanilla's signature; the .authz is right */
		const char *s = strstr(want_authz, "Signature=");
		replace_signature(want_sreq, s ? s + 10 : "");
	}
	is_int(sigv4_sign(&req, &p, &err), 0, "%s: sign", name);
	is_str(sigv4_request_header(&req, "Authorization"), want_authz, "%s: signed Authorization", name);
	sreq = sigv4_request_format(&req, NULL);
	is_str(sreq, want_sreq, "%s: signed request (.sreq)", name);
	free(sreq);
	sigv4_request_clean_up(&req);
	free(token);
out_files:
	free(raw);
	free(want_creq);
	free(want_sts);
	free(want_authz);
	free(want_sreq);
}

/* "2015-08-30T12:36:00Z" -> "20150830T123600Z" */
static void iso_to_amz(const char *iso, char out[17])
{
	size_t j = 0;

	for (; *iso && j < 16; iso++)
		if (*iso != '-' && *iso != ':')
			out[j++] = *iso;
	out[j] = '\0';
}

/* Run one aws-c-auth v4 case (header signing) through every stage. */
static void v4_case(const char *dir, const char *name)
{
	char path[4096], amz[17];
	char *raw, *want_creq, *want_sts, *want_sig, *creq = NULL, *sh = NULL, *sts;
	size_t raw_len;
	json_t *ctx;
	json_error_t jerr;
	struct sigv4_request req;
	struct fd_error err = { 0 };
	unsigned char key[32];
	char sig[65];
	struct sigv4_params p = { 0 };

	snprintf(path, sizeof(path), "%s/%s/context.json", dir, name);
	ctx = json_load_file(path, 0, &jerr);
	snprintf(path, sizeof(path), "%s/%s/request.txt", dir, name);
	raw = suite_read(path, &raw_len);
	snprintf(path, sizeof(path), "%s/%s/header-canonical-request.txt", dir, name);
	want_creq = suite_read_expected(path);
	snprintf(path, sizeof(path), "%s/%s/header-string-to-sign.txt", dir, name);
	want_sts = suite_read_expected(path);
	snprintf(path, sizeof(path), "%s/%s/header-signature.txt", dir, name);
	want_sig = suite_read_expected(path);
	if (!ctx || !raw || !want_creq || !want_sts || !want_sig) {
		ok(0, "v4 %s: files readable", name);
		goto out;
	}
	p.access_key = json_string_value(json_object_get(json_object_get(ctx, "credentials"), "access_key_id"));
	p.secret_key = json_string_value(json_object_get(json_object_get(ctx, "credentials"), "secret_access_key"));
	p.session_token = json_string_value(json_object_get(json_object_get(ctx, "credentials"), "token"));
	p.region = json_string_value(json_object_get(ctx, "region"));
	p.service = json_string_value(json_object_get(ctx, "service"));
	iso_to_amz(json_string_value(json_object_get(ctx, "timestamp")) ? json_string_value(json_object_get(ctx, "timestamp")) : "", amz);
	p.amz_date = amz;
	p.normalize_path = !json_is_false(json_object_get(ctx, "normalize"));
	p.sign_body = json_is_true(json_object_get(ctx, "sign_body"));
	p.omit_session_token = json_is_true(json_object_get(ctx, "omit_session_token"));

	if (!ok(sigv4_request_parse(raw, raw_len, &req, &err) == 0, "v4 %s: parse", name)) {
		printf("# %s\n", err.message);
		goto out;
	}
	sigv4_prepare(&req, &p);
	if (sigv4_canonical_request(&req, &p, &creq, &sh, &err) < 0) {
		ok(0, "v4 %s: canonical request: %s", name, err.message);
	} else {
		is_str(creq, want_creq, "v4 %s: canonical request", name);
		sts = sigv4_string_to_sign(creq, &p);
		is_str(sts, want_sts, "v4 %s: string to sign", name);
		sigv4_signing_key(&p, key);
		sigv4_signature(key, sts, sig);
		is_str(sig, want_sig, "v4 %s: signature", name);
		free(sts);
	}
	free(creq);
	free(sh);
	sigv4_request_clean_up(&req);
out:
	json_decref(ctx);
	free(raw);
	free(want_creq);
	free(want_sts);
	free(want_sig);
}

int main(void)
{
	const char *dir = suite_dir();
	char v4dir[4096];
	struct dirent **names = NULL;
	int n;

	if (!ok(dir != NULL, "the SigV4 test suite is found (FD_SIGV4_TESTSUITE or FD_SRCDIR/../shared/sigv4-testsuite)"))
		return done_testing();
	collect(dir);
	qsort(reqs, n_reqs, sizeof(*reqs), cmp_str);
	is_int(n_reqs, 34, "34 classic cases found");
	for (size_t i = 0; i < n_reqs; i++) {
		classic_case(reqs[i]);
		free(reqs[i]);
	}
	free(reqs);

	snprintf(v4dir, sizeof(v4dir), "%s/aws-c-auth-v4", dir);
	n = scandir(v4dir, &names, NULL, alphasort);
	{
		int cases = 0;
		for (int i = 0; i < n; i++) {
			char ctx[4096];
			struct stat st;
			snprintf(ctx, sizeof(ctx), "%s/%s/context.json", v4dir, names[i]->d_name);
			if (names[i]->d_name[0] != '.' && stat(ctx, &st) == 0) {
				v4_case(v4dir, names[i]->d_name);
				cases++;
			}
			free(names[i]);
		}
		free(names);
		is_int(cases, 38, "38 aws-c-auth v4 cases found");
	}
	return done_testing();
}
