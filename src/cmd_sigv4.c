/* cmd_sigv4.c — `flightdeck sigv4`: sign a raw HTTP request and print one artefact.
 *
 * The request is in the AWS test-suite format (request line, headers with
 * continuation lines, an empty line, the body byte for byte). The artefact is
 * printed exactly as the suite's files hold it, then one newline. This is the
 * tool to reach for when AWS answers SignatureDoesNotMatch: its message shows
 * the canonical request and string to sign AWS computed.
 */
#include "src/cli.h"
#include "aws/awsconf.h"
#include "aws/creds.h"
#include "aws/sigv4.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define USAGE "usage: flightdeck sigv4 [--access-key K] [--secret-key S] [--session-token T]\n" \
	"                        [--region R] [--service S] [--time YYYYMMDDTHHMMSSZ]\n" \
	"                        [--no-normalize] [--omit-session-token] [--sign-body]\n" \
	"                        [--print authz|creq|sts|sreq] FILE|-\n"

struct sigv4_opts {
	const char *access_key;
	const char *secret_key;
	const char *session_token;
	const char *region;
	const char *service;
	const char *time;
	const char *print;
	bool no_normalize;
	bool omit_session_token;
	bool sign_body;
};

/* Options with a value, by the offset of their const char * member. */
static const struct {
	const char *name;
	size_t offset;
} valued_opts[] = {
	{ .name = "--access-key", .offset = offsetof(struct sigv4_opts, access_key) },
	{ .name = "--secret-key", .offset = offsetof(struct sigv4_opts, secret_key) },
	{ .name = "--session-token", .offset = offsetof(struct sigv4_opts, session_token) },
	{ .name = "--region", .offset = offsetof(struct sigv4_opts, region) },
	{ .name = "--service", .offset = offsetof(struct sigv4_opts, service) },
	{ .name = "--time", .offset = offsetof(struct sigv4_opts, time) },
	{ .name = "--print", .offset = offsetof(struct sigv4_opts, print) },
};

/* Flags, by the offset of their bool member. */
static const struct {
	const char *name;
	size_t offset;
} flag_opts[] = {
	{ .name = "--no-normalize", .offset = offsetof(struct sigv4_opts, no_normalize) },
	{ .name = "--omit-session-token", .offset = offsetof(struct sigv4_opts, omit_session_token) },
	{ .name = "--sign-body", .offset = offsetof(struct sigv4_opts, sign_body) },
};

enum artefact { ART_AUTHZ, ART_CREQ, ART_STS, ART_SREQ };

static const struct {
	const char *name;
	enum artefact what;
} artefacts[] = {
	{ .name = "authz", .what = ART_AUTHZ },
	{ .name = "creq", .what = ART_CREQ },
	{ .name = "sts", .what = ART_STS },
	{ .name = "sreq", .what = ART_SREQ },
};

/* Take one of the command's own options at argv[*i]; 1 taken, 0 not ours, -1 error. */
static int take_opt(struct sigv4_opts *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i];

	for (size_t k = 0; k < sizeof(valued_opts) / sizeof(valued_opts[0]); k++) {
		size_t n = strlen(valued_opts[k].name);
		const char *val;
		if (strncmp(a, valued_opts[k].name, n) != 0 || (a[n] != '\0' && a[n] != '='))
			continue;
		if (a[n] == '=') {
			val = a + n + 1;
		} else if (*i + 1 < argc) {
			val = argv[++*i];
		} else {
			fprintf(stderr, "flightdeck sigv4: %s needs a value\n", a);
			return -1;
		}
		memcpy((char *)o + valued_opts[k].offset, &val, sizeof(val));
		(*i)++;
		return 1;
	}
	for (size_t k = 0; k < sizeof(flag_opts) / sizeof(flag_opts[0]); k++)
		if (strcmp(a, flag_opts[k].name) == 0) {
			*(bool *)((char *)o + flag_opts[k].offset) = true;
			(*i)++;
			return 1;
		}
	return 0;
}

/* True when s is YYYYMMDDTHHMMSSZ. */
static int valid_amz_date(const char *s)
{
	static const char shape[] = "ddddddddTddddddZ";

	if (!s || strlen(s) != 16)
		return 0;
	for (int i = 0; i < 16; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return 0;
	return 1;
}

/* Read a whole file, or stdin for "-"; NULL with errno set on failure. */
static char *read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct strbuf sb;
	char buf[8192];
	size_t n;
	int failed;

	if (!f)
		return NULL;
	strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	failed = ferror(f);
	if (f != stdin)
		fclose(f);
	if (failed) {
		strbuf_clean_up(&sb);
		errno = EIO;
		return NULL;
	}
	return strbuf_detach(&sb, len);
}

/* The first label of the Host header ("sts" of sts.amazonaws.com), or NULL. */
static char *service_from_host(const struct sigv4_request *req)
{
	const char *h = sigv4_request_header(req, "Host");
	size_t n;

	if (!h)
		return NULL;
	while (*h == ' ' || *h == '\t')
		h++;
	n = strcspn(h, ".: \t");
	return n ? xstrndup(h, n) : NULL;
}

/* Replace the token after each "x-amz-security-token:" (any case) in s, a heap
 * string, by "<redacted>". */
static char *redact(char *s, const char *token)
{
	static const char field[] = "x-amz-security-token:";
	struct strbuf sb;
	const char *p = s, *hit;
	size_t n = strlen(token), f = strlen(field);

	if (!n)
		return s;
	strbuf_init(&sb);
	while ((hit = strcasestr(p, field))) {
		strbuf_add(&sb, p, (size_t)(hit - p) + f);
		p = hit + f;
		if (strncmp(p, token, n) == 0) {
			strbuf_adds(&sb, "<redacted>");
			p += n;
		}
	}
	strbuf_adds(&sb, p);
	fd_free_secret(s);
	return strbuf_detach(&sb, NULL);
}

int cmd_sigv4_main(int argc, char **argv, struct fd_globals *g)
{
	struct sigv4_opts o = { 0 };
	struct sigv4_params p = { 0 };
	struct sigv4_request req;
	struct fd_error err = { 0 };
	const char *file = NULL, *display;
	enum artefact what = ART_AUTHZ;
	struct creds creds = { 0 };
	struct awsconf *conf = NULL;
	char amz_date[17], *raw, *out = NULL, *creq = NULL, *sh = NULL, *service = NULL;
	char *region = NULL;
	size_t raw_len, out_len = 0;
	int i = 1, r, token_from_chain = 0, status = 0;

	while (i < argc) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(USAGE, stdout);
			return 0;
		}
		if (argv[i][0] != '-' || strcmp(argv[i], "-") == 0) {
			if (file) {
				fprintf(stderr, "flightdeck sigv4: one FILE only ('%s')\n%s", argv[i], USAGE);
				return 2;
			}
			file = argv[i++];
			continue;
		}
		if ((r = take_opt(&o, argc, argv, &i)) == 0)
			r = cli_take_global(g, argc, argv, &i);
		if (r < 0)
			return 2;
		if (r == 0) {
			fprintf(stderr, "flightdeck sigv4: unknown option '%s'\n%s", argv[i], USAGE);
			return 2;
		}
	}
	if (!file) {
		fprintf(stderr, "flightdeck sigv4: no FILE (use - for stdin)\n%s", USAGE);
		return 2;
	}
	if (o.print) {
		size_t k, n = sizeof(artefacts) / sizeof(artefacts[0]);
		for (k = 0; k < n && strcmp(o.print, artefacts[k].name) != 0; k++)
			;
		if (k == n) {
			fprintf(stderr, "flightdeck sigv4: --print: '%s' is not one of authz, creq, sts, sreq\n", o.print);
			return 2;
		}
		what = artefacts[k].what;
	}
	if (o.time && !valid_amz_date(o.time)) {
		fprintf(stderr, "flightdeck sigv4: --time: '%s' is not YYYYMMDDTHHMMSSZ\n", o.time);
		return 2;
	}

	display = strcmp(file, "-") == 0 ? "<stdin>" : file;
	raw = read_all(file, &raw_len);
	if (!raw) {
		fprintf(stderr, "flightdeck sigv4: %s: %s\n", display, strerror(errno));
		return 2;
	}
	if (sigv4_request_parse(raw, raw_len, &req, &err) < 0) {
		int line = 0, off = 0;
		/* "line N: message" becomes "FILE:N: message" */
		if (sscanf(err.message, "line %d: %n", &line, &off) == 1 && off > 0)
			fprintf(stderr, "%s:%d: %s\n", display, line, err.message + off);
		else
			fprintf(stderr, "%s: %s\n", display, err.message);
		free(raw);
		return 2;
	}
	free(raw);

	/* time: --time, else the request's own X-Amz-Date (to reproduce a
	 * signature), else now */
	if (o.time) {
		snprintf(amz_date, sizeof(amz_date), "%s", o.time);
	} else {
		const char *d = sigv4_request_header(&req, "X-Amz-Date");
		while (d && (*d == ' ' || *d == '\t'))
			d++;
		if (d && valid_amz_date(d)) {
			snprintf(amz_date, sizeof(amz_date), "%s", d);
		} else {
			time_t now = time(NULL);
			struct tm tm;
			gmtime_r(&now, &tm);
			strftime(amz_date, sizeof(amz_date), "%Y%m%dT%H%M%SZ", &tm);
		}
	}

	/* credentials: the options, else the default chain (environment, profile...) */
	if (!o.access_key != !o.secret_key) {
		fprintf(stderr, "flightdeck sigv4: give both --access-key and --secret-key, or neither\n");
		status = 2;
		goto out;
	}
	conf = awsconf_load(g->profile, &err);
	if (!conf) {
		fprintf(stderr, "flightdeck sigv4: %s\n", err.message);
		status = 2;
		goto out;
	}
	if (o.access_key) {
		p.access_key = o.access_key;
		p.secret_key = o.secret_key;
		p.session_token = o.session_token;
	} else {
		struct creds_provider *chain = creds_chain_new(conf, &err);
		int got = chain ? creds_provider_get(chain, &creds, &err) : -1;
		if (chain)
			creds_provider_destroy(chain);
		if (got < 0) {
			fprintf(stderr, "flightdeck sigv4: no credentials (give --access-key and --secret-key): %s\n",
				err.message);
			status = 1;
			goto out;
		}
		p.access_key = creds.access_key;
		p.secret_key = creds.secret_key;
		p.session_token = o.session_token ? o.session_token : creds.session_token;
		token_from_chain = !o.session_token && p.session_token && p.session_token[0];
	}

	region = awsconf_region(conf, o.region ? o.region : g->region, &err);
	if (!region) {
		fprintf(stderr, "flightdeck sigv4: no region: give --region or set AWS_REGION\n");
		status = 2;
		goto out;
	}
	p.region = region;
	if (!o.service)
		service = service_from_host(&req);
	p.service = o.service ? o.service : service;
	if (!p.service) {
		fprintf(stderr, "flightdeck sigv4: no --service and no Host header to take it from\n");
		status = 2;
		goto out;
	}
	p.amz_date = amz_date;
	p.normalize_path = !o.no_normalize;
	p.omit_session_token = o.omit_session_token;
	p.sign_body = o.sign_body;

	switch (what) {
	case ART_SREQ:
		if (sigv4_sign(&req, &p, &err) == 0)
			out = sigv4_request_format(&req, &out_len);
		break;
	default:
		sigv4_request_remove_header(&req, "Authorization");
		sigv4_prepare(&req, &p);
		if (sigv4_canonical_request(&req, &p, &creq, &sh, &err) == 0) {
			if (what == ART_CREQ) {
				out = creq;
				creq = NULL;
			} else {
				char *sts = sigv4_string_to_sign(creq, &p);
				if (what == ART_STS) {
					out = sts;
				} else {
					unsigned char key[32];
					char sig[65];
					sigv4_signing_key(&p, key);
					sigv4_signature(key, sts, sig);
					fd_wipe(key, sizeof(key));
					out = sigv4_authorization(&p, sh, sig);
					free(sts);
				}
			}
			out_len = strlen(out);
		}
		break;
	}
	if (!out) {
		fprintf(stderr, "flightdeck sigv4: %s: %s\n", display, err.message);
		status = 1;
	} else {
		if (token_from_chain && (what == ART_CREQ || what == ART_SREQ)) {
			/* a token found by the chain is a secret the user did not type */
			out = redact(out, p.session_token);
			out_len = strlen(out);
			fprintf(stderr, "flightdeck sigv4: the session token (%s) is shown as <redacted>; "
					"pass --session-token to show it\n", creds.source ? creds.source : "credentials");
		}
		fwrite(out, 1, out_len, stdout);
		fputc('\n', stdout);
		if (fflush(stdout) != 0)
			status = 1;
	}
out:
	fd_free_secret(out);
	free(creq);
	free(sh);
	free(service);
	free(region);
	creds_clean_up(&creds);
	awsconf_destroy(conf);
	sigv4_request_clean_up(&req);
	return status;
}
