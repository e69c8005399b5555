/* termtext.h — text that is safe to show on a terminal.
 *
 * AWS data and runbooks are not trusted: a name, an error message or a
 * description may hold escape sequences that move the cursor, set the window
 * title, write the clipboard (OSC 52) or reorder what is shown (bidi
 * overrides). Every text flightdeck prints — the dashboard's cells, runbook
 * lines, confirmations, `call`, `snapshot`, `whoami`, error messages — goes
 * through termtext_add() first. It decodes UTF-8 itself (whatever the locale)
 * and shows visibly, as backslash escapes, what a terminal would act on or
 * what hides text:
 *   - C0 controls (ESC, CR, BEL, ...), DEL, C1 controls (U+0080..U+009F);
 *   - bidi controls: U+061C, U+200E/F, U+202A..U+202E, U+2066..U+2069;
 *   - invisible format characters: U+200B..U+200D, U+2028/9, U+2060..U+206F,
 *     U+FEFF, U+FFF9..U+FFFB, tags U+E0000..U+E007F, U+FFFE/U+FFFF;
 *   - bytes that are not UTF-8 (overlong forms, surrogates, past U+10FFFF).
 * Text mode writes \xHH for bytes and \uXXXX / \UXXXXXXXX for code points;
 * JSON mode writes \u escapes only, so JSON text stays valid JSON with the
 * same value. Everything else (letters of any script, emoji) passes as is.
 */
#ifndef FD_TERMTEXT_H
#define FD_TERMTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/strbuf.h"

enum {
	TERMTEXT_MULTILINE = 1 << 0,  /* \n and \t pass (text of several lines); else escaped */
	TERMTEXT_JSON = 1 << 1,       /* the text is JSON: escapes as \uXXXX (inside its strings) */
};

/* Append s[0..len) to out, made safe for a terminal. */
void termtext_add(struct strbuf *out, const char *s, size_t len, unsigned flags);
/* A safe copy of the NUL-terminated s (NULL: ""); caller frees. */
char *termtext_dup(const char *s, unsigned flags);
/* Write the NUL-terminated s to f, made safe (NULL writes nothing). */
void termtext_fputs(const char *s, unsigned flags, FILE *f);
/* Whether code point cp may reach a terminal as it is (\n and \t: only with multiline). */
bool termtext_safe_cp(uint32_t cp, unsigned flags);
/* The longest prefix of s[0..len), at most max bytes, that does not end inside
 * a UTF-8 sequence: where to cut a string that must fit. */
size_t termtext_cut(const char *s, size_t len, size_t max);
/* Copy s into buf[size] safely for a terminal, cut on a UTF-8 boundary; returns buf. */
char *termtext_copy(char *buf, size_t size, const char *s, unsigned flags);

#endif
