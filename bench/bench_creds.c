/* bench_creds.c — time awsconf_load on big config/credentials files and a cached
 * credentials get. Usage: bench_creds DIR (with DIR/config, DIR/credentials);
 * prints "load_ms<TAB>MEDIAN" and "cached_get_ns<TAB>MEDIAN". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/awsconf.h"
#include "aws/creds.h"

/* Monotonic seconds. */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* qsort comparator for doubles. */
static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	char path[512];
	double t[15], t0;
	int i, j;
	struct fd_error e;
	struct creds_provider *p;
	struct creds c;

	if (argc != 2)
		return 2;
	snprintf(path, sizeof(path), "%s/config", argv[1]);
	setenv("AWS_CONFIG_FILE", path, 1);
	snprintf(path, sizeof(path), "%s/credentials", argv[1]);
	setenv("AWS_SHARED_CREDENTIALS_FILE", path, 1);
	for (i = 0; i < 15; i++) {
		struct awsconf *conf;
		t0 = now_s();
		conf = awsconf_load("p1999", &e);
		t[i] = (now_s() - t0) * 1000;
		if (!conf) {
			fprintf(stderr, "%s\n", e.message);
			return 1;
		}
		awsconf_destroy(conf);
	}
	qsort(t, 15, sizeof(t[0]), cmp);
	printf("load_ms\t%.2f\n", t[7]);
	p = creds_cache_new(creds_static_new("AKID", "SECRET", NULL), NULL, NULL);
	for (i = 0; i < 15; i++) {
		t0 = now_s();
		for (j = 0; j < 10000; j++) {
			creds_provider_get(p, &c, &e);
			creds_clean_up(&c);
		}
		t[i] = (now_s() - t0) * 1e9 / 10000;
	}
	qsort(t, 15, sizeof(t[0]), cmp);
	printf("cached_get_ns\t%.0f\n", t[7]);
	creds_provider_destroy(p);
	return 0;
}
