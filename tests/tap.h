/* tap.h — a tiny TAP producer for C unit tests (automake's tap-driver reads it).
 *
 * ok(cond, fmt, ...) reports one test point; is_str/is_int compare and show
 * both sides on failure; like(got, regex, name) matches an extended regular
 * expression; done_testing() prints the plan and returns the exit status for main().
 */
#ifndef FD_TAP_H
#define FD_TAP_H

#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline __attribute__((format(printf, 2, 3))) int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%s %d - ", cond ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

#define is_str(got, want, ...) \
	tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) \
	tap_is_int((long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)

static inline void tap_diag_block(const char *label, const char *s)
{
	printf("# %s: ", label);
	for (; s && *s; s++) {
		putchar(*s);
		if (*s == '\n')
			fputs("#   ", stdout);
	}
	putchar('\n');
}

static inline int tap_is_str(const char *got, const char *want, const char *file, int line,
			     const char *name, ...)
{
	char buf[512];
	va_list ap;
	int c = got && want && strcmp(got, want) == 0;

	va_start(ap, name);
	vsnprintf(buf, sizeof(buf), name, ap);
	va_end(ap);
	ok(c, "%s", buf);
	if (!c) {
		printf("# at %s:%d\n", file, line);
		tap_diag_block("got ", got ? got : "(null)");
		tap_diag_block("want", want ? want : "(null)");
	}
	return c;
}

static inline int tap_is_int(long long got, long long want, const char *file, int line,
			     const char *name, ...)
{
	char buf[512];
	va_list ap;
	int c = got == want;

	va_start(ap, name);
	vsnprintf(buf, sizeof(buf), name, ap);
	va_end(ap);
	ok(c, "%s", buf);
	if (!c)
		printf("# at %s:%d: got %lld, want %lld\n", file, line, got, want);
	return c;
}

/* One point: got (not NULL) matches the extended regular expression re. */
static inline int like(const char *got, const char *re, const char *name)
{
	regex_t rx;
	int hit = 0;

	if (got && regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) == 0) {
		hit = regexec(&rx, got, 0, NULL, 0) == 0;
		regfree(&rx);
	}
	if (!ok(hit, "%s", name)) {
		tap_diag_block("got ", got ? got : "(null)");
		tap_diag_block("want match", re);
	}
	return hit;
}

static inline int done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
