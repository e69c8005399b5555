/* wrap.c — text wrapped to a width without cutting anything (see wrap.h). */
#include "tui/wrap.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base/strbuf.h"
#include "base/xalloc.h"

void wrap_init(struct wrap *w)
{
	memset(w, 0, sizeof(*w));
}

void wrap_clean_up(struct wrap *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->line[i]);
	free(w->line);
	wrap_init(w);
}

/* Append one row: hang spaces, then s[from, to). */
static void push(struct wrap *w, const wchar_t *s, size_t from, size_t to, int hang)
{
	struct strbuf sb;
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t i, k;

	strbuf_init(&sb);
	memset(&st, 0, sizeof(st));
	while (hang-- > 0)
		strbuf_addc(&sb, ' ');
	for (i = from; i < to; i++) {
		k = wcrtomb(mb, s[i], &st);
		if (k == (size_t)-1) {
			memset(&st, 0, sizeof(st));
			strbuf_addc(&sb, '?');
		} else
			strbuf_add(&sb, mb, k);
	}
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->line = xrealloc(w->line, w->cap * sizeof(*w->line));
	}
	w->line[w->n++] = strbuf_detach(&sb, NULL);
}

/* Columns of one character (a control or unknown one counts one). */
static int cols_of(wchar_t c)
{
	int cw = wcwidth(c);

	return cw < 0 ? 1 : cw;
}

/* Where continuation rows start: under the value after a short "label: ",
 * else under the first word after the leading spaces. */
static int hang_of(const wchar_t *s, size_t n, int width)
{
	size_t lead = 0, i;
	int hang;

	while (lead < n && s[lead] == L' ')
		lead++;
	hang = (int)lead;
	for (i = lead; i < n && i < lead + 20; i++) {
		if (s[i] == L':' && i + 1 < n && s[i + 1] == L' ') {
			size_t v = i + 1;
			while (v < n && s[v] == L' ')
				v++;
			hang = (int)v;
			break;
		}
	}
	if (hang > width / 2)
		hang = lead <= (size_t)width / 2 ? (int)lead : 0;
	return hang;
}

/* The break priority of a position after character c: 3 space, 2 list
 * separator, 1 other punctuation, 0 none. */
static int break_after(wchar_t c)
{
	if (c == L' ')
		return 3;
	if (c == L',' || c == L';')
		return 2;
	if (c == L'/' || c == L':' || c == L'=' || c == L'&' || c == L'-')
		return 1;
	return 0;
}

void wrap_add(struct wrap *w, const char *text, int width)
{
	size_t len = strlen(text), n = 0, pos = 0;
	wchar_t *s = xmalloc((len + 1) * sizeof(wchar_t));
	mbstate_t st;
	const char *p = text;
	int hang;

	if (width < 10)
		width = 10;
	memset(&st, 0, sizeof(st));
	while (*p) {
		wchar_t wc;
		size_t r = mbrtowc(&wc, p, strlen(p), &st);
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			memset(&st, 0, sizeof(st));
			wc = L'?';
			r = 1;
		}
		s[n++] = wc;
		p += r;
	}
	hang = hang_of(s, n, width);
	for (bool first = true; first || pos < n; first = false) {
		int room = width - (first ? 0 : hang), used = 0, best_pri = 0;
		size_t end = pos, best = 0;

		while (end < n && used + cols_of(s[end]) <= room) {
			used += cols_of(s[end]);
			end++;
		}
		if (end == pos && end < n)
			end++;   /* one character wider than the room: it still goes out */
		if (end < n) {
			/* the last break at least a third into the row, of the highest priority */
			size_t i, min = pos + (size_t)(room / 3);
			for (i = end; i > min; i--) {
				int pri = break_after(s[i - 1]);
				if (pri > best_pri) {
					best_pri = pri;
					best = i;
					if (pri == 3)
						break;
				}
			}
			if (best_pri)
				end = best;
		}
		{
			size_t stop = end;
			while (stop > pos && s[stop - 1] == L' ' && end < n)
				stop--;   /* no trailing spaces where a row breaks */
			push(w, s, pos, stop, first ? 0 : hang);
		}
		pos = end;
		while (pos < n && s[pos] == L' ')
			pos++;
	}
	free(s);
}
