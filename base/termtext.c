/* termtext.c — text that is safe to show on a terminal (see termtext.h). */
#include "base/termtext.h"

#include <stdlib.h>
#include <string.h>

/* Code points a terminal acts on or that hide text (inclusive ranges), beyond C0/DEL. */
static const struct { uint32_t lo, hi; } unsafe[] = {
	{ 0x0080, 0x009f },     /* C1 controls (CSI, OSC, ST as single code points) */
	{ 0x061c, 0x061c },     /* ARABIC LETTER MARK */
	{ 0x180e, 0x180e },     /* MONGOLIAN VOWEL SEPARATOR */
	{ 0x200b, 0x200f },     /* zero-width space/joiners, LRM, RLM */
	{ 0x2028, 0x202e },     /* line/paragraph separators, bidi embeddings and overrides */
	{ 0x2060, 0x206f },     /* word joiner, invisible operators, bidi isolates, deprecated format */
	{ 0xfeff, 0xfeff },     /* zero-width no-break space (BOM) */
	{ 0xfff9, 0xfffb },     /* interlinear annotation */
	{ 0xfffe, 0xffff },     /* noncharacters */
	{ 0xe0000, 0xe007f },   /* tag characters */
};

bool termtext_safe_cp(uint32_t cp, unsigned flags)
{
	size_t i;

	if (cp == '\n' || cp == '\t')
		return (flags & TERMTEXT_MULTILINE) != 0;
	if (cp < 0x20 || cp == 0x7f)
		return false;
	for (i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++)
		if (cp >= unsafe[i].lo && cp <= unsafe[i].hi)
			return false;
	return true;
}

/* Decode one UTF-8 sequence at s (len > 0 bytes left): its length, or 0 when
 * the bytes are not UTF-8 (RFC 3629: no overlong forms, no surrogates, at most
 * U+10FFFF). */
static size_t decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2, c &= 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3, c &= 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4, c &= 0x07, min = 0x10000;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Append the visible escape of code point cp. */
static void escape_cp(struct strbuf *out, uint32_t cp, unsigned flags)
{
	if (flags & TERMTEXT_JSON) {
		if (cp >= 0x10000) {
			uint32_t v = cp - 0x10000;
			strbuf_addf(out, "\\u%04x\\u%04x", 0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
		} else
			strbuf_addf(out, "\\u%04x", cp);
	} else if (cp < 0x80)
		strbuf_addf(out, "\\x%02x", cp);
	else if (cp < 0x10000)
		strbuf_addf(out, "\\u%04x", cp);
	else
		strbuf_addf(out, "\\U%08x", cp);
}

void termtext_add(struct strbuf *out, const char *s, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		const unsigned char *run = p;
		uint32_t cp = 0;
		size_t n = 0;
		/* the common case: a run of safe bytes copied at once */
		while (p < end && (n = decode(p, (size_t)(end - p), &cp)) > 0 && termtext_safe_cp(cp, flags))
			p += n;
		if (p > run)
			strbuf_add(out, run, (size_t)(p - run));
		if (p >= end)
			break;
		if (n == 0) {   /* not UTF-8: one byte shown as it is */
			if (flags & TERMTEXT_JSON)
				strbuf_adds(out, "\\ufffd");
			else
				strbuf_addf(out, "\\x%02x", *p);
			p++;
			continue;
		}
		escape_cp(out, cp, flags);
		p += n;
	}
}

char *termtext_dup(const char *s, unsigned flags)
{
	struct strbuf sb;

	strbuf_init(&sb);
	if (s)
		termtext_add(&sb, s, strlen(s), flags);
	return strbuf_detach(&sb, NULL);
}

void termtext_fputs(const char *s, unsigned flags, FILE *f)
{
	char *t;

	if (!s)
		return;
	t = termtext_dup(s, flags);
	fputs(t, f);
	free(t);
}

size_t termtext_cut(const char *s, size_t len, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t at, start;
	uint32_t cp;

	if (len <= max)
		return len;
	/* back up to the start of the sequence that crosses max, if any */
	at = max;
	start = at;
	while (start > 0 && at - start < 3 && (p[start] & 0xc0) == 0x80)
		start--;
	if (start < at && decode(p + start, len - start, &cp) > at - start)
		return start;
	return at;
}

char *termtext_copy(char *buf, size_t size, const char *s, unsigned flags)
{
	struct strbuf sb;

	if (size == 0)
		return buf;
	strbuf_init(&sb);
	if (s)
		termtext_add(&sb, s, strlen(s), flags);
	sb.len = termtext_cut(sb.data, sb.len, size - 1);
	memcpy(buf, sb.data, sb.len);
	buf[sb.len] = '\0';
	strbuf_clean_up(&sb);
	return buf;
}
