/* error.c — the fd_error convention (see error.h). */
#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/termtext.h"
#include "base/xalloc.h"

void fd_error_clear(struct fd_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

/* Store text in dst[size] as one line safe for a terminal (controls, C1 and
 * bidi shown as escapes), cut on a UTF-8 boundary when it does not fit. */
static void one_line(char *dst, size_t size, const char *text)
{
	char *flat = xstrdup(text), *p;

	for (p = flat; *p; p++)   /* line breaks read best as spaces; other controls are shown */
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	termtext_copy(dst, size, flat, 0);
	free(flat);
}

int fd_error_set(struct fd_error *err, const char *code, const char *fmt, ...)
{
	va_list ap;
	struct strbuf sb;

	if (!err)
		return -1;
	one_line(err->code, sizeof(err->code), code ? code : "");
	strbuf_init(&sb);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	one_line(err->message, sizeof(err->message), sb.data);
	strbuf_clean_up(&sb);
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
	{
		struct strbuf sb;
		strbuf_init(&sb);
		strbuf_addf(&sb, "%s: %s", prefix, old);
		one_line(err->message, sizeof(err->message), sb.data);
		strbuf_clean_up(&sb);
	}
}

void fd_error_set_request_id(struct fd_error *err, const char *request_id)
{
	if (err)
		one_line(err->request_id, sizeof(err->request_id), request_id ? request_id : "");
}

const char *fd_error_str(const struct fd_error *err, char *buf, size_t size)
{
	struct strbuf sb;

	/* code and request id may have been copied in from a response as they were */
	strbuf_init(&sb);
	if (err->request_id[0])
		strbuf_addf(&sb, "%s: %s (request id %s)", err->code, err->message, err->request_id);
	else if (err->code[0])
		strbuf_addf(&sb, "%s: %s", err->code, err->message);
	else
		strbuf_adds(&sb, err->message);
	one_line(buf, size, sb.data);
	strbuf_clean_up(&sb);
	return buf;
}

/* Local error codes that mean the input (options, files, variables, profiles) is wrong. */
static const char *const input_codes[] = {
	"ConfigError", "DebugFile", "EmptyCredentials", "InvalidConfig", "InvalidEndpoint",
	"InvalidExpiration", "InvalidInput", "InvalidRegion", "MissingParameter", "NoCredentials",
	"NoRegion", "ParseError", "PartialCredentials", "ProfileNotFound", "PromptFailed",
	"SourceProfileLoop", "SSOTokenExpired", "SSOTokenInvalid", "SSOTokenMissing",
	"UnknownOperation", "UnknownParameter", "UnknownService", "WebIdentityError",
	"ContainerCredentialsError",
};

int fd_error_exit_status(const struct fd_error *err)
{
	size_t i;

	if (!err || err->http_status)
		return 1;
	for (i = 0; i < sizeof(input_codes) / sizeof(input_codes[0]); i++)
		if (strcmp(err->code, input_codes[i]) == 0)
			return 2;
	return 1;
}
