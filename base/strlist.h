/* strlist.h — lists of strings as (char **v, size_t n) pairs.
 *
 * Ownership: a list built with strlist_push() owns copies of its strings;
 * strlist_free() frees them and the array. Lookups borrow.
 */
#ifndef FD_STRLIST_H
#define FD_STRLIST_H

#include <stdbool.h>
#include <stddef.h>

/* Append a copy of s (NULL appends nothing). */
void strlist_push(char ***v, size_t *n, const char *s);
/* Free every string and the array; v may be NULL. */
void strlist_free(char **v, size_t n);
/* Is s one of the list's strings? */
bool strlist_has(const char *const *v, size_t n, const char *s);
/* A filter list's answer: an empty list wants everything, else strlist_has(). */
bool strlist_wants(const char *const *v, size_t n, const char *s);
/* The strings joined with sep (caller frees). */
char *strlist_join(const char *const *v, size_t n, const char *sep);

#endif
