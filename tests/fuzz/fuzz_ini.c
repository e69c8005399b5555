/* fuzz_ini.c — libFuzzer target for the config/credentials INI parser. */
#include <stddef.h>
#include <stdint.h>

#include "aws/awsconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse the input as a config file and as a credentials file. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fd_error e;

	awsconf_parse_check((const char *)data, size, 1, &e);
	awsconf_parse_check((const char *)data, size, 0, &e);
	return 0;
}
