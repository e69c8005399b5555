/* sign_stream.c — sign a stream of raw requests with the C API (for the
 * differential test against botocore and the signing benchmark).
 *
 * Input, repeated: six lines (access key, secret key, session token or empty,
 * region, service, YYYYMMDDTHHMMSSZ), a line with the raw request's length,
 * then the raw request (test-suite format). Output per request: "LEN\n" and
 * the canonical request, "LEN\n" and the Authorization value; or "ERR
 * message\n". With `--bench N`, the requests are read once and then signed N
 * times each with sigv4_sign(); it prints "SIGNATURES SECONDS" instead.
 */
#include "aws/sigv4.h"
#include "base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct job {
	char *field[6];
	char *raw;
	size_t raw_len;
};

/* Read one line without its newline into a heap string; NULL at EOF. */
static char *read_line(FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, f);

	if (n < 0) {
		free(line);
		return NULL;
	}
	if (n && line[n - 1] == '\n')
		line[n - 1] = '\0';
	return line;
}

/* Read one job; 0 at a clean EOF, -1 on a malformed stream. */
static int read_job(FILE *f, struct job *j)
{
	char *len;

	memset(j, 0, sizeof(*j));
	for (int i = 0; i < 6; i++)
		if (!(j->field[i] = read_line(f)))
			return i == 0 ? 0 : -1;
	if (!(len = read_line(f)))
		return -1;
	j->raw_len = strtoul(len, NULL, 10);
	free(len);
	j->raw = xmalloc(j->raw_len + 1);
	if (fread(j->raw, 1, j->raw_len, f) != j->raw_len)
		return -1;
	j->raw[j->raw_len] = '\0';
	return 1;
}

static void job_clean_up(struct job *j)
{
	for (int i = 0; i < 6; i++)
		free(j->field[i]);
	free(j->raw);
}

static void params_of(const struct job *j, struct sigv4_params *p)
{
	memset(p, 0, sizeof(*p));
	p->access_key = j->field[0];
	p->secret_key = j->field[1];
	p->session_token = j->field[2];
	p->region = j->field[3];
	p->service = j->field[4];
	p->amz_date = j->field[5];
	p->normalize_path = true;
}

/* Sign one job and write its canonical request and Authorization. */
static void sign_one(const struct job *j)
{
	struct sigv4_params p;
	struct sigv4_request req;
	struct fd_error err = { 0 };
	char *creq = NULL, *sh = NULL;
	char *authz;

	params_of(j, &p);
	if (sigv4_request_parse(j->raw, j->raw_len, &req, &err) < 0) {
		printf("ERR %s\n", err.message);
		return;
	}
	if (sigv4_sign(&req, &p, &err) < 0) {
		printf("ERR %s\n", err.message);
		sigv4_request_clean_up(&req);
		return;
	}
	authz = xstrdup(sigv4_request_header(&req, "Authorization"));
	/* the canonical request of what was signed (no token is added after
	 * signing here): the signed request without its Authorization */
	sigv4_request_remove_header(&req, "Authorization");
	if (sigv4_canonical_request(&req, &p, &creq, &sh, &err) < 0)
		printf("ERR %s\n", err.message);
	else
		printf("%zu\n%s%zu\n%s", strlen(creq), creq, strlen(authz), authz);
	free(authz);
	free(creq);
	free(sh);
	sigv4_request_clean_up(&req);
}

int main(int argc, char **argv)
{
	struct job *jobs = NULL;
	size_t n = 0, cap = 0;
	long rounds = 0;
	int r;

	if (argc == 3 && strcmp(argv[1], "--bench") == 0)
		rounds = strtol(argv[2], NULL, 10);
	for (;;) {
		if (n == cap)
			jobs = xrealloc(jobs, (cap = cap ? 2 * cap : 256) * sizeof(*jobs));
		r = read_job(stdin, &jobs[n]);
		if (r <= 0) {
			if (r < 0) {
				fprintf(stderr, "sign_stream: malformed input after %zu requests\n", n);
				job_clean_up(&jobs[n]);
				return 2;
			}
			break;
		}
		if (!rounds) {
			sign_one(&jobs[n]);
			job_clean_up(&jobs[n]);
		} else {
			n++;
		}
	}
	if (rounds) {
		/* parse each request once; sign copies, as a client signs each attempt */
		struct sigv4_request *parsed = xcalloc(n ? n : 1, sizeof(*parsed));
		struct sigv4_params *params = xcalloc(n ? n : 1, sizeof(*params));
		struct timespec t0, t1;
		long count = 0;

		for (size_t i = 0; i < n; i++) {
			params_of(&jobs[i], &params[i]);
			if (sigv4_request_parse(jobs[i].raw, jobs[i].raw_len, &parsed[i], NULL) < 0) {
				fprintf(stderr, "sign_stream: request %zu does not parse\n", i);
				return 2;
			}
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (long k = 0; k < rounds; k++)
			for (size_t i = 0; i < n; i++) {
				if (sigv4_sign(&parsed[i], &params[i], NULL) < 0)
					return 2;
				count++;
			}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("%ld %.6f\n", count,
		       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
		for (size_t i = 0; i < n; i++) {
			sigv4_request_clean_up(&parsed[i]);
			job_clean_up(&jobs[i]);
		}
		free(parsed);
		free(params);
	}
	free(jobs);
	return 0;
}
