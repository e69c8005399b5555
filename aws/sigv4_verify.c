/* sigv4_verify.c — the simulator's side of SigV4: an incoming Authorization header
 * parsed and a request's signature checked (see sigv4.h). */
#include "aws/sigv4.h"
#include "base/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

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
	if (strncmp(p, SIGV4_ALGORITHM, strlen(SIGV4_ALGORITHM)) != 0 || p[strlen(SIGV4_ALGORITHM)] != ' ')
		return fd_error_set(err, "IncompleteSignature",
				    "Authorization does not start with '" SIGV4_ALGORITHM " '");
	p += strlen(SIGV4_ALGORITHM);
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
