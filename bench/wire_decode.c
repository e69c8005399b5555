/* wire_decode.c — bench/wire.sh's harness: decode response bodies with
 * codec_decode() ROUNDS times and print the median CPU milliseconds of one pass over
 * all files. It uses only what the codec API had before the shape tables too, so
 * bench/wire.sh builds it against both trees.
 *
 *   wire_decode SERVICE OPERATION ROUNDS FILE...
 */
#include "aws/codec.h"
#include "aws/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);   /* CPU time: a busy machine does not count */
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const struct ops_operation *op;
	char **bodies;
	size_t *lens;
	double *ms;
	int rounds, n, i, r;

	if (argc < 5) {
		fprintf(stderr, "usage: wire_decode SERVICE OPERATION ROUNDS FILE...\n");
		return 2;
	}
	op = ops_find(argv[1], argv[2]);
	rounds = atoi(argv[3]);
	n = argc - 4;
	if (!op || rounds < 1) {
		fprintf(stderr, "wire_decode: no operation %s %s\n", argv[1], argv[2]);
		return 2;
	}
	bodies = calloc((size_t)n, sizeof(*bodies));
	lens = calloc((size_t)n, sizeof(*lens));
	ms = calloc((size_t)rounds, sizeof(*ms));
	for (i = 0; i < n; i++) {
		FILE *f = fopen(argv[4 + i], "rb");
		long len;
		if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
			fprintf(stderr, "wire_decode: cannot read %s\n", argv[4 + i]);
			return 2;
		}
		bodies[i] = malloc((size_t)len + 1);
		lens[i] = fread(bodies[i], 1, (size_t)len, f);
		bodies[i][lens[i]] = '\0';
		fclose(f);
	}
	for (r = 0; r < rounds; r++) {
		double t0 = now_ms();
		for (i = 0; i < n; i++) {
			struct codec_response resp = { .status = 200, .body = bodies[i], .body_len = lens[i] };
			struct fd_error err;
			json_t *v = codec_decode(op, &resp, &err);
			if (!v) {
				fprintf(stderr, "wire_decode: %s: %s: %s\n", argv[4 + i], err.code, err.message);
				return 1;
			}
			json_decref(v);
		}
		ms[r] = now_ms() - t0;
	}
	qsort(ms, (size_t)rounds, sizeof(*ms), cmp);
	printf("%.2f\n", ms[rounds / 2]);
	for (i = 0; i < n; i++)
		free(bodies[i]);
	free(bodies);
	free(lens);
	free(ms);
	return 0;
}
