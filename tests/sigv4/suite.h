/* suite.h — helpers shared by the SigV4 tests: find and read the AWS test suite.
 *
 * The suite (Apache-2.0; NOTICE: "AWS Signature Version 4 Test Suite, Copyright
 * 2019 Amazon.com, Inc. or its affiliates. All Rights Reserved." and "AWS C Auth,
 * Copyright Amazon.com, Inc. or its affiliates. All Rights Reserved.") is not
 * copied into the tree: tests read it from FD_SIGV4_TESTSUITE, else
 * FD_SRCDIR/../shared/sigv4-testsuite (CI: main with ../shared beside it), else
 * FD_SRCDIR/../../shared/sigv4-testsuite (a worktree under a folder beside shared).
 */
#ifndef FD_TESTS_SIGV4_SUITE_H
#define FD_TESTS_SIGV4_SUITE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/xalloc.h"

/* The suite's directory (a static buffer), or NULL when it cannot be found. */
static const char *suite_dir(void)
{
	static char buf[4096];
	const char *env = getenv("FD_SIGV4_TESTSUITE");
	const char *src = getenv("FD_SRCDIR");
	const char *rel[] = { "/../shared/sigv4-testsuite", "/../../shared/sigv4-testsuite" };
	struct stat st;

	if (env && *env) {
		snprintf(buf, sizeof(buf), "%s", env);
		return stat(buf, &st) == 0 && S_ISDIR(st.st_mode) ? buf : NULL;
	}
	if (!src || !*src)
		src = FD_SRCDIR;
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s", src, rel[i]);
		if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
			return buf;
	}
	return NULL;
}

/* Read a whole file (NUL-terminated, *len without it); NULL when unreadable. */
static char *suite_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	size_t cap = 4096, n = 0, r;

	if (!f)
		return NULL;
	data = xmalloc(cap);
	while ((r = fread(data + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (cap - n - 1 == 0)
			data = xrealloc(data, cap *= 2);
	}
	fclose(f);
	data[n] = '\0';
	if (len)
		*len = n;
	return data;
}

/* Read an expected-output file with one trailing newline removed. */
static char *suite_read_expected(const char *path)
{
	size_t n;
	char *s = suite_read(path, &n);

	if (s && n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[n - 1] = '\0';
	return s;
}

#endif
