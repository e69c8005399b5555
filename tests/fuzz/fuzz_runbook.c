/* fuzz_runbook.c — libFuzzer target for the YAML runbook loader and validator. */
#include <stddef.h>
#include <stdint.h>

#include "runbooks/rb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/* libjq 1.6 leaks when a program fails to compile inside a string
 * interpolation ("\(...)"); that leak is libjq's, not the loader's. */
const char *__lsan_default_suppressions(void)
{
	return "leak:libjq.so\n";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fd_error err;
	struct runbook *rb = rb_load_buffer("fuzz.yaml", (const char *)data, size, &err);

	rb_destroy(rb);
	return 0;
}
