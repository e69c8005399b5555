/* fuzz_metricmath.c — libFuzzer target: metric math expressions never crash or leak. */
#include "sim/metricmath.h"

#include "base/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every id is a short series, except "bad" which fails. */
static int lookup(void *ctx, const char *id, struct metricmath_value *out, struct fd_error *err)
{
	static const int64_t ts[3] = { 60, 120, 180 };
	static const double v[3] = { 1, 0, 2.5 };

	(void)ctx;
	if (strcmp(id, "bad") == 0)
		return fd_error_set(err, "ValidationError", "unknown id");
	metricmath_value_set_series(out, id[0] == 'e' ? 2 : 3, ts, v);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct metricmath_value v;
	struct fd_error err;
	char *s = xstrndup((const char *)data, size);

	if (metricmath_eval(s, lookup, NULL, &v, NULL, &err) == 0)
		metricmath_value_clean_up(&v);
	free(s);
	return 0;
}
