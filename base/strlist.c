/* strlist.c — lists of strings (see strlist.h). */
#include "base/strlist.h"

#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"

void strlist_push(char ***v, size_t *n, const char *s)
{
	if (!s)
		return;
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
}

void strlist_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

bool strlist_has(const char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s && i < n; i++)
		if (v[i] && strcmp(v[i], s) == 0)
			return true;
	return false;
}

bool strlist_wants(const char *const *v, size_t n, const char *s)
{
	return !n || strlist_has(v, n, s);
}

char *strlist_join(const char *const *v, size_t n, const char *sep)
{
	struct strbuf sb;
	size_t i;

	strbuf_init(&sb);
	for (i = 0; i < n; i++) {
		if (i)
			strbuf_adds(&sb, sep);
		strbuf_adds(&sb, v[i] ? v[i] : "");
	}
	return strbuf_detach(&sb, NULL);
}
