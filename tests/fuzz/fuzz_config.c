/* fuzz_config.c — libFuzzer target: the dashboard YAML config never crashes or leaks. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse the input as a config file; on success check it and free it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fd_config c;
	struct fd_error e;

	if (config_parse(&c, "fuzz.yaml", (const char *)data, size, NULL, &e) == 0) {
		if (!c.primary)
			__builtin_trap();
		config_clean_up(&c);
	} else if (strncmp(e.message, "fuzz.yaml", 9) != 0) {
		__builtin_trap();   /* every error names the file */
	}
	return 0;
}
