/* codec_value.c — scalars and timestamps between wire text and JSON, by shape
 * (see codec_impl.h). */
#include "aws/codec_impl.h"
#include "base/isotime.h"
#include "base/termtext.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void codec_path_init(struct codec_path *p, const char *root)
{
	p->len = (size_t)snprintf(p->buf, sizeof(p->buf) / 2, "%s", root ? root : "");
	if (p->len >= sizeof(p->buf) / 2)
		p->len = sizeof(p->buf) / 2 - 1;
	p->base = p->len;
}

/* Append the n bytes of s, cut to the buffer (walkers push on every element: no printf). */
static void path_add(struct codec_path *p, const char *s, size_t n)
{
	if (n > sizeof(p->buf) - 1 - p->len)
		n = sizeof(p->buf) - 1 - p->len;
	memcpy(p->buf + p->len, s, n);
	p->len += n;
	p->buf[p->len] = '\0';
}

size_t codec_path_push(struct codec_path *p, const char *name)
{
	size_t old = p->len;

	if (p->len == p->base && p->base)
		path_add(p, ": ", 2);
	else if (p->len != p->base)
		path_add(p, ".", 1);
	path_add(p, name, strlen(name));
	return old;
}

size_t codec_path_index(struct codec_path *p, size_t i)
{
	char num[24], *d = num + sizeof(num);
	size_t old = p->len;

	*--d = ']';
	do {
		*--d = (char)('0' + i % 10);
		i /= 10;
	} while (i);
	*--d = '[';
	if (p->len == p->base && p->base)
		path_add(p, ": ", 2);
	path_add(p, d, (size_t)(num + sizeof(num) - d));
	return old;
}

void codec_path_pop(struct codec_path *p, size_t len)
{
	p->len = len;
	p->buf[len] = '\0';
}

/* ---- time ------------------------------------------------------------------ */

/* Epoch seconds as a double -> whole seconds and microseconds (rounded). */
static void from_double(double v, struct codec_time *t)
{
	t->s = (long long)floor(v);
	t->us = (int)llround((v - floor(v)) * 1e6);
	if (t->us >= 1000000) {
		t->s++;
		t->us -= 1000000;
	}
}

int codec_time_parse(const char *text, size_t len, struct codec_time *t)
{
	const char *end = text + len;
	char buf[64];
	double v;

	while (text < end && isspace((unsigned char)*text))
		text++;
	while (end > text && isspace((unsigned char)end[-1]))
		end--;
	if (text < end && (size_t)(end - text) < sizeof(buf)) {
		memcpy(buf, text, (size_t)(end - text));
		buf[end - text] = '\0';
		if (isotime_parse_or_epoch(buf, &v) == 0 ||   /* ISO 8601 or epoch seconds */
		    isotime_parse_http(buf, &v) == 0) {     /* or RFC 822 */
			from_double(v, t);
			return 0;
		}
	}
	return -1;
}

int codec_time_json(json_t *v, struct codec_time *t)
{
	if (json_is_string(v))
		return codec_time_parse(json_string_value(v), json_string_length(v), t);
	if (json_is_integer(v)) {
		t->s = json_integer_value(v);
		t->us = 0;
		return 0;
	}
	if (json_is_real(v) && isfinite(json_real_value(v))) {
		from_double(json_real_value(v), t);
		return 0;
	}
	return -1;
}

void codec_time_iso(const struct codec_time *t, bool send, char out[40])
{
	char buf[ISOTIME_MAX];
	int digits_ = !t->us ? 0 : (send || t->us % 1000) ? 6 : 3;

	isotime_format((double)t->s + t->us / 1e6, digits_, buf);
	memcpy(out, buf, strlen(buf) + 1);      /* ISOTIME_MAX <= 40 */
}

void codec_time_rfc822(const struct codec_time *t, char out[40])
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t s = (time_t)t->s;
	struct tm tm;

	gmtime_r(&s, &tm);
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

json_t *codec_time_epoch(const struct codec_time *t, bool fraction)
{
	char buf[48];

	if (!fraction || !t->us)
		return json_integer(t->s);
	snprintf(buf, sizeof(buf), "%lld.%06d", t->s, t->us);
	return json_real(strtod(buf, NULL));
}

/* ---- numbers ---------------------------------------------------------------- */

void codec_double_text(double d, char out[40])
{
	char buf[40], mant[24];
	int prec, exp10, n = 0, i;
	const char *p;

	if (!isfinite(d)) {
		snprintf(out, 40, "%s", isnan(d) ? "nan" : d < 0 ? "-inf" : "inf");
		return;
	}
	if (d == 0) {
		snprintf(out, 40, "%s", signbit(d) ? "-0.0" : "0.0");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec - 1, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	/* buf: [-]d[.ddd]e[+-]XX -> digits and exponent, then Python's layout:
	 * positional for exponents -4..15, scientific otherwise. */
	p = buf;
	if (*p == '-')
		p++;
	for (; *p && *p != 'e'; p++)
		if (isdigit((unsigned char)*p) && n < (int)sizeof(mant) - 1)
			mant[n++] = *p;
	mant[n] = '\0';
	exp10 = atoi(p + 1);
	while (n > 1 && mant[n - 1] == '0')
		mant[--n] = '\0';
	i = 0;
	if (d < 0)
		out[i++] = '-';
	if (exp10 >= -4 && exp10 < 16) {
		if (exp10 < 0) {
			i += snprintf(out + i, (size_t)(40 - i), "0.");
			while (++exp10 < 0)
				out[i++] = '0';
			i += snprintf(out + i, (size_t)(40 - i), "%s", mant);
		} else {
			int k;
			for (k = 0; k <= exp10; k++)
				out[i++] = k < n ? mant[k] : '0';
			out[i++] = '.';
			if (n > exp10 + 1)
				i += snprintf(out + i, (size_t)(40 - i), "%s", mant + exp10 + 1);
			else
				out[i++] = '0';
		}
		out[i] = '\0';
		return;
	}
	out[i++] = mant[0];
	if (n > 1) {
		out[i++] = '.';
		i += snprintf(out + i, (size_t)(40 - i), "%s", mant + 1);
	}
	snprintf(out + i, (size_t)(40 - i), "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
}

/* Text with surrounding ASCII spaces removed, as Python's int() and float() allow. */
static void trim(const char **s, size_t *len)
{
	while (*len && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/* A whole integer / finite double in text; false when it is not one. */
static bool text_int(const char *s, size_t len, long long *v)
{
	char buf[32], *e;

	trim(&s, &len);
	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!isdigit((unsigned char)buf[buf[0] == '-' || buf[0] == '+']))
		return false;
	*v = strtoll(buf, &e, 10);
	return *e == '\0';
}

static bool text_double(const char *s, size_t len, double *v)
{
	char buf[400], *e;

	trim(&s, &len);
	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (strpbrk(buf, "xXpP"))   /* no C hex floats: AWS writes decimal */
		return false;
	*v = strtod(buf, &e);
	return *e == '\0' && isfinite(*v);
}

json_t *codec_scalar_decode(const struct shapes_ref *r, const char *text, size_t len,
			    const struct codec_path *p, struct fd_error *err)
{
	enum shapes_type t = shapes_type_of(r);
	struct codec_time tm;
	long long iv;
	double dv;
	json_t *v;
	char iso[40];
	const char *s = text;
	size_t n = len;

	switch (t) {
	case SHAPES_STRING:
	case SHAPES_BLOB:
		v = json_stringn(text, len);
		if (!v)
			fd_error_set(err, "ParseError", "%s: not UTF-8 text", p->buf);
		return v;
	case SHAPES_INTEGER:
	case SHAPES_LONG:
		if (text_int(text, len, &iv))
			return json_integer(iv);
		break;
	case SHAPES_DOUBLE:
	case SHAPES_FLOAT:
		if (text_double(text, len, &dv))
			return json_real(dv);
		break;
	case SHAPES_BOOLEAN:
		trim(&s, &n);
		if (n == 4 && memcmp(s, "true", 4) == 0)
			return json_true();
		if (n == 5 && memcmp(s, "false", 5) == 0)
			return json_false();
		break;
	case SHAPES_TIMESTAMP:
		if (codec_time_parse(text, len, &tm) == 0) {
			codec_time_iso(&tm, false, iso);
			return json_string(iso);
		}
		break;
	default:
		fd_error_set(err, "ParseError", "%s: a %s where a value was expected", p->buf,
			     shapes_type_name(t));
		return NULL;
	}
	fd_error_set(err, "ParseError", "%s: '%.*s' is not a %s", p->buf, (int)termtext_cut(text, len, 60),
		     text, shapes_type_name(t));
	return NULL;
}

/* The JSON type name of v, for messages. */
static const char *json_kind(json_t *v)
{
	static const char *const kinds[] = {
		[JSON_OBJECT] = "an object", [JSON_ARRAY] = "an array", [JSON_STRING] = "a string",
		[JSON_INTEGER] = "an integer", [JSON_REAL] = "a number", [JSON_TRUE] = "true",
		[JSON_FALSE] = "false", [JSON_NULL] = "null",
	};

	return kinds[json_typeof(v)];
}

/* v as an integer (numbers with no fraction, or their text); false otherwise. */
static bool json_as_int(json_t *v, long long *out)
{
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return true;
	}
	if (json_is_real(v) && json_real_value(v) == floor(json_real_value(v)) &&
	    fabs(json_real_value(v)) < 9.2e18) {
		*out = (long long)json_real_value(v);
		return true;
	}
	return json_is_string(v) && text_int(json_string_value(v), json_string_length(v), out);
}

static bool json_as_double(json_t *v, double *out)
{
	if (json_is_number(v)) {
		*out = json_number_value(v);
		return true;
	}
	return json_is_string(v) && text_double(json_string_value(v), json_string_length(v), out);
}

static bool json_as_bool(json_t *v, bool *out)
{
	const char *s = json_string_value(v);

	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return true;
	}
	if (s && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)) {
		*out = strcmp(s, "true") == 0;
		return true;
	}
	return false;
}

/* "PATH: must be a TYPE, not KIND"; returns -1. */
static int type_error(const struct shapes_ref *r, json_t *v, const struct codec_path *p,
		      struct fd_error *err)
{
	const char *t = shapes_type_name(shapes_type_of(r));

	return fd_error_set(err, "InvalidInput", "%s: must be %s %s, not %s", p->buf,
			    strchr("aeiou", t[0]) ? "an" : "a", t, json_kind(v));
}

/* Format t as enum shapes_ts fmt for text. */
static void time_text(const struct codec_time *t, enum shapes_ts fmt, struct strbuf *out)
{
	char buf[48];

	if (fmt == SHAPES_TS_EPOCH)
		snprintf(buf, sizeof(buf), "%lld", t->s);
	else if (fmt == SHAPES_TS_RFC822)
		codec_time_rfc822(t, buf);
	else
		codec_time_iso(t, true, buf);
	strbuf_adds(out, buf);
}

int codec_scalar_encode(const struct shapes_ref *r, json_t *v, enum shapes_ts dflt,
			struct strbuf *out, const struct codec_path *p, struct fd_error *err)
{
	enum shapes_type t = shapes_type_of(r);
	enum shapes_ts fmt = shapes_ts_of(r) ? shapes_ts_of(r) : dflt;
	struct codec_time tm;
	long long iv;
	double dv;
	bool bv;
	char buf[48];

	switch (t) {
	case SHAPES_STRING:
	case SHAPES_BLOB:
		if (json_is_string(v)) {
			strbuf_add(out, json_string_value(v), json_string_length(v));
			return 0;
		}
		if (t == SHAPES_STRING && json_is_integer(v)) {
			strbuf_addf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
			return 0;
		}
		if (t == SHAPES_STRING && json_is_real(v)) {
			codec_double_text(json_real_value(v), buf);
			strbuf_adds(out, buf);
			return 0;
		}
		break;
	case SHAPES_INTEGER:
	case SHAPES_LONG:
		if (json_as_int(v, &iv)) {
			strbuf_addf(out, "%lld", iv);
			return 0;
		}
		break;
	case SHAPES_DOUBLE:
	case SHAPES_FLOAT:
		if (json_as_double(v, &dv)) {
			codec_double_text(dv, buf);
			strbuf_adds(out, buf);
			return 0;
		}
		break;
	case SHAPES_BOOLEAN:
		if (json_as_bool(v, &bv)) {
			strbuf_adds(out, bv ? "true" : "false");
			return 0;
		}
		break;
	case SHAPES_TIMESTAMP:
		if (codec_time_json(v, &tm) == 0) {
			time_text(&tm, fmt, out);
			return 0;
		}
		return fd_error_set(err, "InvalidInput",
				    "%s: %s is not a time (ISO 8601 or epoch seconds)", p->buf,
				    json_kind(v));
	default:
		break;
	}
	return type_error(r, v, p, err);
}

json_t *codec_scalar_json(const struct shapes_ref *r, json_t *v, enum shapes_ts dflt, bool frac,
			  const struct codec_path *p, struct fd_error *err)
{
	enum shapes_type t = shapes_type_of(r);
	enum shapes_ts fmt = shapes_ts_of(r) ? shapes_ts_of(r) : dflt;
	struct codec_time tm;
	struct strbuf sb;
	json_t *s = NULL;
	long long iv;
	double dv;
	bool bv;

	switch (t) {
	case SHAPES_INTEGER:
	case SHAPES_LONG:
		if (json_as_int(v, &iv))
			return json_integer(iv);
		break;
	case SHAPES_DOUBLE:
	case SHAPES_FLOAT:
		if (json_as_double(v, &dv))
			return json_real(dv);
		break;
	case SHAPES_BOOLEAN:
		if (json_as_bool(v, &bv))
			return json_boolean(bv);
		break;
	case SHAPES_TIMESTAMP:
		if (codec_time_json(v, &tm) < 0)
			break;
		if (fmt != SHAPES_TS_ISO8601 && fmt != SHAPES_TS_RFC822)
			return codec_time_epoch(&tm, frac);
		strbuf_init(&sb);
		time_text(&tm, fmt, &sb);
		s = json_string(sb.data);
		strbuf_clean_up(&sb);
		return s;
	default:
		strbuf_init(&sb);
		if (codec_scalar_encode(r, v, dflt, &sb, p, err) == 0)
			s = json_stringn(sb.data, sb.len);
		strbuf_clean_up(&sb);
		return s;
	}
	if (t == SHAPES_TIMESTAMP)
		fd_error_set(err, "InvalidInput", "%s: %s is not a time (ISO 8601 or epoch seconds)",
			     p->buf, json_kind(v));
	else
		type_error(r, v, p, err);
	return NULL;
}

int codec_unknown(const struct shapes_ref *r, const char *key, const struct codec_path *p,
		  struct fd_error *err)
{
	const struct shapes_shape *s = shapes_of(r);
	struct strbuf names;
	size_t i;

	strbuf_init(&names);
	for (i = 0; i < s->n; i++)
		strbuf_addf(&names, "%s%s", i ? ", " : "", shapes_str(shapes_refs[s->first + i].name));
	fd_error_set(err, "UnknownParameter", "%s has no parameter '%s'; valid: %s", p->buf, key,
		     names.len ? names.data : "(none)");
	strbuf_clean_up(&names);
	return -1;
}

void codec_aws_error(struct fd_error *err, const char *code, size_t code_len, const char *message)
{
	char c[sizeof(err->code)];

	if (!err)
		return;
	code_len = termtext_cut(code, code_len, sizeof(c) - 1);
	memcpy(c, code, code_len);
	c[code_len] = '\0';
	fd_error_set(err, c, "%s", message ? message : "");
}
