/* strbuf.h — a growable byte string, always NUL-terminated.
 *
 * Ownership: strbuf_init() on caller storage, strbuf_clean_up() frees the
 * data; strbuf_detach() hands the data to the caller (free() it). Allocation
 * failure aborts (xalloc.h): flightdeck does not try to run out of memory
 * gracefully. strbuf_wipe_clean_up() zeroes before freeing (for secrets).
 */
#ifndef FD_STRBUF_H
#define FD_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *data;   /* never NULL after init */
	size_t len;
	size_t cap;
};

void strbuf_init(struct strbuf *sb);
void strbuf_clean_up(struct strbuf *sb);
void strbuf_wipe_clean_up(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
/* Make room for n more bytes and the NUL (before many small appends). */
void strbuf_grow(struct strbuf *sb, size_t n);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addc(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
char *strbuf_detach(struct strbuf *sb, size_t *len);

#endif
