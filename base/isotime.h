/* isotime.h — ISO 8601 timestamps: the one parser and formatter of flightdeck.
 *
 * AWS sends timestamps as ISO 8601 with or without fractions and offsets
 * ("2026-11-24T05:10:05.123+09:00"), or as epoch seconds; config files,
 * credential files and the simulator's query parameters do the same. Times
 * are seconds since the epoch as a double, so fractions survive a round trip.
 */
#ifndef FD_ISOTIME_H
#define FD_ISOTIME_H

#include <time.h>

#define ISOTIME_MAX 40          /* room for any isotime_format() result */

/* Parse "YYYY-MM-DD[(T| )hh:mm:ss[.fraction]][Z|±hh:mm|±hhmm|UTC]" (no zone
 * means UTC) into *epoch_s. 0, or -1 when s is malformed or out of range. */
int isotime_parse(const char *s, double *epoch_s);

/* Like isotime_parse, but a plain decimal number is taken as epoch seconds. */
int isotime_parse_or_epoch(const char *s, double *epoch_s);

/* Parse an HTTP date (RFC 822 / 1123, as AWS sends in Date headers and rest-xml
 * timestamps): "Tue, 24 Nov 2026 05:00:00 GMT" (day name optional, "GMT", "UTC" or
 * no zone) into *epoch_s. 0, or -1 when s is malformed or out of range. */
int isotime_parse_http(const char *s, double *epoch_s);

/* The whole seconds of an ISO 8601 string (fraction dropped); 0 when malformed
 * or absent — for fields where 0 already means "unknown". */
time_t isotime_seconds(const char *s);

/* "YYYY-MM-DDThh:mm:ss[.f…]Z" of epoch_s with frac_digits (0..9) digits of
 * fraction; returns out. */
char *isotime_format(double epoch_s, int frac_digits, char out[ISOTIME_MAX]);

#endif
