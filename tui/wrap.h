/* wrap.h — lines of text wrapped to a width in terminal columns, computed
 * without curses (unit-testable). Nothing is ever cut: a line wider than the
 * width goes on over as many rows as it needs, each row a whole number of
 * characters; continuation rows are indented under the line's value.
 */
#ifndef FD_TUI_WRAP_H
#define FD_TUI_WRAP_H

#include <stddef.h>

struct wrap {
	char **line;             /* owned UTF-8 rows */
	size_t n, cap;
};

void wrap_init(struct wrap *w);
/* Append text (one line, UTF-8, no newline; made safe for a terminal
 * already) wrapped to width columns (at least 10). A row breaks after a
 * space, else after ',' or ';', else after '/', ':', '=', '&' or '-', else
 * where the width ends. Continuation rows are indented to where the line's
 * value starts: after "label: " when the line starts with a short label, else
 * under its first word; never by more than half the width. */
void wrap_add(struct wrap *w, const char *text, int width);
void wrap_clean_up(struct wrap *w);

#endif
