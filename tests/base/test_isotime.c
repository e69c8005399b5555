/* test_isotime.c — the one ISO 8601 parser and formatter (every form the five old parsers took).
 * Expected values computed with Python's datetime.fromisoformat(). */
#include <math.h>

#include "base/isotime.h"
#include "tests/tap.h"

/* Parse s and compare with want (to the microsecond). */
static void parses(const char *s, double want)
{
	double t = NAN;

	ok(isotime_parse(s, &t) == 0 && fabs(t - want) < 1e-6, "%s -> %.6f (got %.6f)", s, want, t);
}

static void refuses(const char *s)
{
	double t;

	ok(isotime_parse(s, &t) < 0, "refused: %s", s ? s : "(null)");
}

int main(void)
{
	char buf[ISOTIME_MAX];
	double t;

	parses("2026-11-24T05:10:05Z", 1795497005.0);
	parses("2026-11-24T05:10:05.123+09:00", 1795464605.123);
	parses("2026-11-24T05:10:05+0930", 1795462805.0);
	parses("2026-11-24 05:10:05Z", 1795497005.0);
	parses("2026-11-24T05:10:05", 1795497005.0);               /* no zone: UTC */
	parses("2026-11-24T05:10:05UTC", 1795497005.0);            /* credential_process tools */
	parses("1969-12-31T23:59:59.5Z", -0.5);
	parses("2000-02-29T12:00:00Z", 951825600.0);
	parses("2026-11-24", 1795478400.0);
	refuses("2026-02-29T00:00:00Z");                            /* not a leap year */
	refuses("2026-13-01T00:00:00Z");
	refuses("2026-11-24T24:00:00Z");
	refuses("2026-11-24T05:10:05Zjunk");
	refuses("2026-11-24T05:10:05.Z");
	refuses("2026-11-24T05:10:05+25:00");
	refuses("yesterday");
	refuses("");
	refuses(NULL);
	ok(isotime_parse_or_epoch("1795497005.25", &t) == 0 && t == 1795497005.25, "epoch seconds as text");
	ok(isotime_parse_or_epoch("2026-11-24T05:10:05Z", &t) == 0 && t == 1795497005.0, "or ISO 8601");
	ok(isotime_parse_or_epoch("1.2.3", &t) < 0, "not a number");
	is_int(isotime_seconds("2026-11-24T05:10:05.999Z"), 1795497005, "whole seconds drop the fraction");
	is_int(isotime_seconds("nope"), 0, "malformed: 0");
	is_str(isotime_format(1795497005.0, 0, buf), "2026-11-24T05:10:05Z", "format seconds");
	is_str(isotime_format(1795497005.1236, 3, buf), "2026-11-24T05:10:05.124Z", "format milliseconds (rounded)");
	is_str(isotime_format(1795497005.9996, 3, buf), "2026-11-24T05:10:06.000Z", "rounding carries into the second");
	is_str(isotime_format(-0.5, 1, buf), "1969-12-31T23:59:59.5Z", "before the epoch");
	is_str(isotime_format(951825600.0, 0, buf), "2000-02-29T12:00:00Z", "leap day");
	ok(isotime_parse(isotime_format(1795464605.123, 3, buf), &t) == 0 && fabs(t - 1795464605.123) < 1e-6,
	   "format and parse round-trip the fraction");
	/* HTTP dates (RFC 822 / 1123): the one parser of the Date header and rest-xml timestamps */
	ok(isotime_parse_http("Tue, 24 Nov 2026 05:10:05 GMT", &t) == 0 && t == 1795497005.0, "an HTTP date");
	ok(isotime_parse_http("24 Nov 2026 05:10:05 GMT", &t) == 0 && t == 1795497005.0, "without the day name");
	ok(isotime_parse_http("Tue, 4 Nov 2026 05:10:05 UTC", &t) == 0, "a one-digit day, UTC");
	ok(isotime_parse_http("Tue, 24 Nov 2026 05:10:05", &t) == 0 && t == 1795497005.0, "no zone: GMT");
	ok(isotime_parse_http("Tue, 24 Noo 2026 05:10:05 GMT", &t) < 0, "an unknown month");
	ok(isotime_parse_http("Mon, 30 Feb 2026 05:10:05 GMT", &t) < 0, "30 February");
	ok(isotime_parse_http("Tue, 24 Nov 2026 25:10:05 GMT", &t) < 0, "hour 25");
	ok(isotime_parse_http("Tue, 24 Nov 2026 05:10:05 GMT+9", &t) < 0, "trailing text");
	ok(isotime_parse_http("2026-11-24T05:10:05Z", &t) < 0, "ISO 8601 is not an HTTP date");
	ok(isotime_parse_http(NULL, &t) < 0, "NULL");
	return done_testing();
}
