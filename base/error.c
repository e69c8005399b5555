/* error.c — the fd_error convention (see error.h). */
#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void fd_error_clear(struct fd_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

/* Replace control characters so a message always stays one line. */
static void one_line(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

int fd_error_set(struct fd_error *err, const char *code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	snprintf(err->code, sizeof(err->code), "%s", code ? code : "");
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	one_line(err->message);
	return -1;
}

void fd_error_prefix(struct fd_error *err, const char *fmt, ...)
{
	char prefix[256], old[sizeof(err->message)];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->message, sizeof(old));
	snprintf(err->message, sizeof(err->message), "%s: %s", prefix, old);
	one_line(err->message);
}

const char *fd_error_str(const struct fd_error *err, char *buf, size_t size)
{
	if (err->request_id[0])
		snprintf(buf, size, "%s: %s (request id %s)", err->code, err->message,
			 err->request_id);
	else if (err->code[0])
		snprintf(buf, size, "%s: %s", err->code, err->message);
	else
		snprintf(buf, size, "%s", err->message);
	return buf;
}
