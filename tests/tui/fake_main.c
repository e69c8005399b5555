/* fake_main.c — tests/tui/flightdeck-fake: flightdeck plus its test data source.
 * The same program (src/main.c compiled with main renamed), with cli_test_source
 * set so FLIGHTDECK_FAKE_MODEL=1 shows the fake model (tests/tui/fake.c) instead
 * of AWS. Test data stays out of the shipped binary. */
#define main flightdeck_main
int flightdeck_main(int argc, char **argv);
#include "src/main.c"
#undef main

#include "tests/tui/fake.h"

static struct tui_source *fake_main_create(int refresh_s)
{
	return fake_source_new(refresh_s);
}

static const struct cli_test_source fake_main_source = {
	.create = fake_main_create,
	.set_client = fake_source_set_client,
	.destroy = fake_source_destroy,
};

int main(int argc, char **argv);
int main(int argc, char **argv)
{
	cli_test_source = &fake_main_source;
	return flightdeck_main(argc, argv);
}
