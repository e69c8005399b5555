/* xalloc.h — allocation that aborts on failure, and wiping of secrets. */
#ifndef FD_XALLOC_H
#define FD_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Zero n bytes in a way the compiler keeps (for keys, tokens, passwords). */
void fd_wipe(void *p, size_t n);
/* Wipe a NUL-terminated secret and free it; s may be NULL. */
void fd_free_secret(char *s);

#endif
