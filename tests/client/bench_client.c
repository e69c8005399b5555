/* bench_client.c — wall time of N calls one after another vs all at once through
 * the client's multi interface, against the fixture server answering after a
 * fixed latency. Prints TSV rows for bench/run.sh (medians of several runs). */
#include "aws/client.h"
#include "tests/client/fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char *GCI =
	"<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/b</Arn>"
	"<UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult>"
	"</GetCallerIdentityResponse>";

static int done_ok;

/* Count successful completions. */
static void on_done(void *ctx, json_t *result, const struct fd_error *err)
{
	(void)ctx;
	(void)err;
	if (result)
		done_ok++;
	json_decref(result);
}

/* Milliseconds on the monotonic clock. */
static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int calls = argc > 1 ? atoi(argv[1]) : 20, latency = argc > 2 ? atoi(argv[2]) : 50;
	int runs = 5, r, i;
	double seq[5], con[5];
	struct fixture *fx = fixture_start();
	struct creds_provider *creds = creds_static_new("AKIDBENCH", "benchsecret", NULL);
	struct fd_error err;
	struct client *c;

	setenv("AWS_CONFIG_FILE", "/nonexistent", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent", 1);
	if (!fx)
		return 1;
	fixture_set_default(fx, 200, NULL, GCI, latency);
	c = client_new(&(struct client_options){ .region = "us-east-1",
		.endpoint_url = fixture_url(fx), .creds = creds }, &err);
	if (!c)
		return 1;
	for (r = 0; r < runs; r++) {
		double t0 = now_ms();
		for (i = 0; i < calls; i++)
			json_decref(client_call(c, "sts", "GetCallerIdentity", NULL, NULL, 0, &err));
		seq[r] = now_ms() - t0;
		done_ok = 0;
		t0 = now_ms();
		for (i = 0; i < calls; i++)
			client_call_async(c, "sts", "GetCallerIdentity", NULL, NULL, 0, on_done, NULL, &err);
		while (client_perform(c, NULL, 0) > 0) {
			struct pollfd fds[64];
			int n = client_poll_fds(c, fds, 64);
			long t = client_timeout_ms(c);
			poll(fds, (nfds_t)n, (int)(t < 0 || t > 100 ? 100 : t));
		}
		con[r] = now_ms() - t0;
		if (done_ok != calls)
			return 1;
	}
	qsort(seq, (size_t)runs, sizeof(double), cmp);
	qsort(con, (size_t)runs, sizeof(double), cmp);
	printf("client: %d calls at %d ms latency, one after another\t%.0f\tms\n", calls, latency,
	       seq[runs / 2]);
	printf("client: %d calls at %d ms latency, concurrent (multi)\t%.0f\tms, %.1fx faster\n", calls,
	       latency, con[runs / 2], seq[runs / 2] / con[runs / 2]);
	client_destroy(c);
	creds_provider_destroy(creds);
	fixture_stop(fx);
	return 0;
}
