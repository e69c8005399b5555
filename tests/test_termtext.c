/* test_termtext.c — the terminal-text sanitiser (base/termtext.h): what a
 * terminal would act on is shown as escapes, text of any script passes, JSON
 * stays JSON, cuts fall on UTF-8 boundaries (RFC 3629 decoding). C0/C1 and
 * the control functions are those of ECMA-48; the bidi controls those of
 * Unicode UAX #9 (https://www.unicode.org/reports/tr9/#Explicit_Directional_Formatting_Characters). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/error.h"
#include "base/termtext.h"
#include "tests/tap.h"

static char *t(const char *s, unsigned flags)
{
	static char *last;

	free(last);
	last = termtext_dup(s, flags);
	return last;
}

/* Whether s holds a byte a terminal acts on or that reorders/hides text. */
static int raw_control(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 1;
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return 1;   /* C1 */
		if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae)
			return 1;   /* U+202A..U+202E */
		if (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
			return 1;   /* U+2066..U+2069 */
	}
	return 0;
}

int main(void)
{
	char buf[16];
	json_t *j;
	char *dump;
	struct fd_error err;

	is_str(t("petclinic-alb", 0), "petclinic-alb", "plain ASCII passes");
	is_str(t("\xed\x8e\xab\xed\x81\xb4\xeb\xa6\xac\xeb\x8b\x89 \xe6\x9d\xb1\xe4\xba\xac \xf0\x9f\x9a\x80", 0),
	       "\xed\x8e\xab\xed\x81\xb4\xeb\xa6\xac\xeb\x8b\x89 \xe6\x9d\xb1\xe4\xba\xac \xf0\x9f\x9a\x80",
	       "Korean, Japanese and emoji pass");
	is_str(t("a\x1b]0;pwned\x07z", 0), "a\\x1b]0;pwned\\x07z", "an OSC title sequence is shown, not sent");
	is_str(t("\x1b]52;c;cm0gLXJmIH4=\x1b\\", 0), "\\x1b]52;c;cm0gLXJmIH4=\\x1b\\", "OSC 52 (clipboard) is shown");
	is_str(t("3\x1b[2K\r    change: 3 -> 3 (no change, safe to confirm)", 0),
	       "3\\x1b[2K\\x0d    change: 3 -> 3 (no change, safe to confirm)", "erase-line and CR cannot rewrite a line");
	is_str(t("a\xc2\x9b" "31mb", 0), "a\\u009b31mb", "C1 CSI (U+009B) is shown");
	is_str(t("a\xc2\x9d" "0;x\xc2\x9c", 0), "a\\u009d0;x\\u009c", "C1 OSC and ST are shown");
	is_str(t("admin\xe2\x80\xae" "nimda", 0), "admin\\u202enimda", "U+202E RIGHT-TO-LEFT OVERRIDE is neutralised");
	is_str(t("x\xe2\x81\xa6y\xe2\x81\xa9", 0), "x\\u2066y\\u2069", "bidi isolates are neutralised");
	is_str(t("a\xe2\x80\x8b" "b", 0), "a\\u200bb", "a zero-width space is shown");
	is_str(t("tag\xf3\xa0\x80\x81", 0), "tag\\U000e0001", "tag characters are shown");
	is_str(t("del\x7f", 0), "del\\x7f", "DEL is shown");
	is_str(t("bad\xff\xfe", 0), "bad\\xff\\xfe", "bytes that are not UTF-8 are shown");
	is_str(t("\xc0\xaf", 0), "\\xc0\\xaf", "an overlong '/' is not UTF-8");
	is_str(t("\xed\xa0\x80", 0), "\\xed\\xa0\\x80", "a surrogate is not UTF-8");
	is_str(t("\xf4\x90\x80\x80", 0), "\\xf4\\x90\\x80\\x80", "past U+10FFFF is not UTF-8");
	is_str(t("cut\xe2\x82", 0), "cut\\xe2\\x82", "a truncated sequence is shown");
	is_str(t("two\nlines\tx", 0), "two\\x0alines\\x09x", "one-line text: newline and tab are shown");
	is_str(t("two\nlines\tx", TERMTEXT_MULTILINE), "two\nlines\tx", "multi-line text keeps them");
	is_str(t("a\r\n", TERMTEXT_MULTILINE), "a\\x0d\n", "but never a bare CR");
	ok(!raw_control(t("\x1b\x07\x7f\xc2\x85\xe2\x80\xae\xe2\x81\xa6\r", 0)), "nothing raw is left");

	/* JSON mode: escapes are JSON escapes inside the strings, the value is the same. */
	j = json_pack("{s:s}", "Name", "a\xc2\x9b" "b\xe2\x80\xae" "c\x7f" "d\xf3\xa0\x80\x81");
	dump = json_dumps(j, JSON_COMPACT);
	is_str(t(dump, TERMTEXT_JSON), "{\"Name\":\"a\\u009bb\\u202ec\\u007fd\\udb40\\udc01\"}", "JSON: \\u escapes");
	{
		json_t *back = json_loads(t(dump, TERMTEXT_JSON), 0, NULL);
		ok(back && json_equal(back, j), "JSON: the escaped text decodes to the same value");
		json_decref(back);
	}
	free(dump);
	json_decref(j);

	/* Cutting on UTF-8 boundaries. */
	is_int(termtext_cut("ab\xe2\x82\xac", 5, 4), 2, "a cut inside a 3-byte sequence backs up to its start");
	is_int(termtext_cut("ab\xe2\x82\xac", 5, 5), 5, "a string that fits is not cut");
	is_int(termtext_cut("\xf0\x9f\x9a\x80x", 5, 1), 0, "a cut after the first byte of a 4-byte sequence");
	is_int(termtext_cut("abcd", 4, 2), 2, "ASCII cuts anywhere");
	termtext_copy(buf, sizeof(buf), "0123456789abc\xe2\x82\xac", 0);
	is_str(buf, "0123456789abc", "termtext_copy cuts before a sequence that does not fit");

	/* fd_error messages: one safe line, cut on a boundary. */
	{
		char big[1200];
		size_t i;
		for (i = 0; i + 3 < sizeof(big); i += 3)
			memcpy(big + i, "\xe2\x82\xac", 3);
		big[i] = '\0';
		fd_error_set(&err, "Throttling", "%s", big);
		ok(strlen(err.message) % 3 == 0 && strlen(err.message) > 0, "a long AWS message is cut on a UTF-8 boundary (%zu bytes)",
		   strlen(err.message));
	}
	fd_error_set(&err, "Code\x1b[31m", "msg \x1b]52;c;AAAA\x07 \xe2\x80\xae");
	is_str(err.message, "msg \\x1b]52;c;AAAA\\x07 \\u202e", "an error message never carries a raw escape");
	is_str(err.code, "Code\\x1b[31m", "nor its code");
	fd_error_set_request_id(&err, "req\x1b[2J\xc2\x9b");
	is_str(err.request_id, "req\\x1b[2J\\u009b", "a request id is stored safe for a terminal");
	snprintf(err.request_id, sizeof(err.request_id), "req\x1b[2J");
	{
		char out[600];
		fd_error_str(&err, out, sizeof(out));
		ok(!raw_control(out), "fd_error_str makes a request id copied from a response safe too: %s", out);
	}
	return done_testing();
}
