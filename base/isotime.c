/* isotime.c — ISO 8601 parse and format without the C library's time zone state (see isotime.h). */
#include "base/isotime.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian calendar). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

/* The civil date of a day count from 1970-01-01. */
static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long)yoe + era * 400 + (*m <= 2);
}

/* Read exactly n digits at *p into *out, advancing *p. */
static int digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

/* Days in month mo of year y. */
static int month_days(int y, int mo)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return mo == 2 && leap ? 29 : days[mo - 1];
}

int isotime_parse(const char *s, double *epoch_s)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0;
	double frac = 0, off = 0;
	const char *p = s;

	if (!s || digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d))
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) || *p++ != ':' || digits(&p, 2, &sec))
			return -1;
		if (*p == '.' || *p == ',') {
			double scale = 0.1;
			if (p[1] < '0' || p[1] > '9')
				return -1;
			for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
				frac += (*p - '0') * scale;
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (strcmp(p, "UTC") == 0) {
			p += 3;
		} else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1;
			if (digits(&p, 2, &oh))
				return -1;
			if (*p == ':')
				p++;
			if (digits(&p, 2, &om) || oh > 23 || om > 59)
				return -1;
			off = sign * (oh * 3600.0 + om * 60.0);
		}
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23 || mi > 59 || sec > 60)
		return -1;
	*epoch_s = (double)days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400.0 + h * 3600.0 + mi * 60.0 +
		   sec + frac - off;
	return 0;
}

int isotime_parse_http(const char *s, double *epoch_s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *p = s, *m;
	int d, y, h, mi, sec, mo;

	if (!s)
		return -1;
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == ',')
		p++;
	while (*p == ' ')
		p++;
	if (digits(&p, p[0] && p[1] >= '0' && p[1] <= '9' ? 2 : 1, &d) || *p++ != ' ')
		return -1;
	for (m = months, mo = 1; *m; m += 3, mo++)
		if (strncmp(p, m, 3) == 0)
			break;
	if (!*m || p[3] != ' ')
		return -1;
	p += 4;
	if (digits(&p, 4, &y) || *p++ != ' ' || digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) ||
	    *p++ != ':' || digits(&p, 2, &sec))
		return -1;
	while (*p == ' ')
		p++;
	if (strcmp(p, "GMT") == 0 || strcmp(p, "UTC") == 0)
		p += 3;
	if (*p || d < 1 || d > month_days(y, mo) || h > 23 || mi > 59 || sec > 60)
		return -1;
	*epoch_s = (double)days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400.0 + h * 3600.0 + mi * 60.0 + sec;
	return 0;
}

int isotime_parse_or_epoch(const char *s, double *epoch_s)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	if (strspn(s, "0123456789.") == strlen(s)) {
		v = strtod(s, &end);
		if (*end || end == s)
			return -1;
		*epoch_s = v;
		return 0;
	}
	return isotime_parse(s, epoch_s);
}

time_t isotime_seconds(const char *s)
{
	double t;

	return isotime_parse(s, &t) ? 0 : (time_t)floor(t);
}

/* n decimal digits of v (0 <= v < 10^n), zero-padded, no terminator. */
static void put_digits(char *out, long v, int n)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

char *isotime_format(double epoch_s, int frac_digits, char out[ISOTIME_MAX])
{
	double whole = floor(epoch_s), scale = 1;
	long secs, days, rem, y;
	unsigned mo, d;
	long frac;
	int i;

	if (frac_digits < 0)
		frac_digits = 0;
	if (frac_digits > 9)
		frac_digits = 9;
	for (i = 0; i < frac_digits; i++)
		scale *= 10;
	frac = lround((epoch_s - whole) * scale);
	if (frac >= (long)scale) {      /* .9996 with 3 digits rounds into the next second */
		whole += 1;
		frac = 0;
	}
	secs = (long)whole;
	days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	rem = secs - days * 86400;
	civil_from_days(days, &y, &mo, &d);
	if (y < 0 || y > 9999) {        /* outside four digits: the general form */
		if (frac_digits)
			snprintf(out, ISOTIME_MAX, "%04ld-%02u-%02uT%02ld:%02ld:%02ld.%0*ldZ", y, mo, d, rem / 3600,
				 rem / 60 % 60, rem % 60, frac_digits, frac);
		else
			snprintf(out, ISOTIME_MAX, "%04ld-%02u-%02uT%02ld:%02ld:%02ldZ", y, mo, d, rem / 3600,
				 rem / 60 % 60, rem % 60);
		return out;
	}
	/* the same text written digit by digit: decoding a CloudWatch answer formats
	 * every datapoint's time, and snprintf was a tenth of the dashboard's CPU */
	put_digits(out, y, 4);
	out[4] = '-';
	put_digits(out + 5, mo, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = 'T';
	put_digits(out + 11, rem / 3600, 2);
	out[13] = ':';
	put_digits(out + 14, rem / 60 % 60, 2);
	out[16] = ':';
	put_digits(out + 17, rem % 60, 2);
	i = 19;
	if (frac_digits) {
		out[i++] = '.';
		put_digits(out + i, frac, frac_digits);
		i += frac_digits;
	}
	out[i++] = 'Z';
	out[i] = '\0';
	return out;
}
