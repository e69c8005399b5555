/* lineedit.c — one line of input inside the UI (`:`, `/`, prompts). */
#include "tui/internal.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

/* Start an empty line; echo false shows '*' for each character. */
void lineedit_start(struct lineedit *le, bool echo)
{
	memset(le, 0, sizeof(*le));
	le->echo = echo;
}

/* Remove n characters before the cursor. */
static void erase_back(struct lineedit *le, size_t n)
{
	if (n > le->cur)
		n = le->cur;
	memmove(le->buf + le->cur - n, le->buf + le->cur, (le->len - le->cur) * sizeof(wchar_t));
	le->cur -= n;
	le->len -= n;
}

/* Apply one key (is_key: a KEY_* code, else a character); say whether the line is done. */
enum lineedit_result lineedit_key(struct lineedit *le, wint_t ch, bool is_key)
{
	size_t w;

	if (is_key) {
		switch (ch) {
		case KEY_ENTER:
			return LINEEDIT_DONE;
		case KEY_BACKSPACE:
			if (le->len == 0)
				return LINEEDIT_CANCEL;
			erase_back(le, 1);
			break;
		case KEY_DC:
			if (le->cur < le->len) {
				le->cur++;
				erase_back(le, 1);
			}
			break;
		case KEY_LEFT:
			if (le->cur > 0)
				le->cur--;
			break;
		case KEY_RIGHT:
			if (le->cur < le->len)
				le->cur++;
			break;
		case KEY_HOME:
			le->cur = 0;
			break;
		case KEY_END:
			le->cur = le->len;
			break;
		}
		return LINEEDIT_MORE;
	}
	switch (ch) {
	case L'\r':
	case L'\n':
		return LINEEDIT_DONE;
	case 27:
	case 3:   /* Ctrl-C (when ISIG is off) */
	case 7:   /* Ctrl-G */
		return LINEEDIT_CANCEL;
	case 8:
	case 127:
		if (le->len == 0)
			return LINEEDIT_CANCEL;
		erase_back(le, 1);
		return LINEEDIT_MORE;
	case 1:   /* Ctrl-A */
		le->cur = 0;
		return LINEEDIT_MORE;
	case 5:   /* Ctrl-E */
		le->cur = le->len;
		return LINEEDIT_MORE;
	case 21:  /* Ctrl-U */
		erase_back(le, le->cur);
		return LINEEDIT_MORE;
	case 23:  /* Ctrl-W: the word before the cursor */
		w = le->cur;
		while (w > 0 && le->buf[w - 1] == L' ')
			w--;
		while (w > 0 && le->buf[w - 1] != L' ')
			w--;
		erase_back(le, le->cur - w);
		return LINEEDIT_MORE;
	}
	if (!iswprint(ch) || le->len + 1 >= sizeof(le->buf) / sizeof(le->buf[0]))
		return LINEEDIT_MORE;
	memmove(le->buf + le->cur + 1, le->buf + le->cur, (le->len - le->cur) * sizeof(wchar_t));
	le->buf[le->cur++] = (wchar_t)ch;
	le->len++;
	return LINEEDIT_MORE;
}

/* The line as a multibyte string (the current locale's encoding). */
void lineedit_text(const struct lineedit *le, char *out, size_t size)
{
	wchar_t tmp[sizeof(le->buf) / sizeof(le->buf[0]) + 1];
	size_t n;

	if (size == 0)
		return;
	memcpy(tmp, le->buf, le->len * sizeof(wchar_t));
	tmp[le->len] = L'\0';
	n = wcstombs(out, tmp, size - 1);
	if (n == (size_t)-1)
		n = 0;
	out[n < size ? n : size - 1] = '\0';
}
