/* test_error.c — the error convention and the string buffer. */
#include "base/error.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "tests/tap.h"

#include <stdlib.h>

int main(void)
{
	struct fd_error err;
	struct strbuf sb;
	char buf[700], *s;
	size_t len;
	int i;

	fd_error_clear(&err);
	is_int(fd_error_set(&err, "ParseError", "line %d: bad\nthing", 3), -1, "fd_error_set returns -1");
	is_str(err.message, "line 3: bad thing", "messages stay on one line");
	fd_error_prefix(&err, "%s:%d", "config", 7);
	is_str(err.message, "config:7: line 3: bad thing", "prefix names the file");
	is_str(fd_error_str(&err, buf, sizeof(buf)), "ParseError: config:7: line 3: bad thing",
	       "code and message without request id");
	snprintf(err.request_id, sizeof(err.request_id), "abc-123");
	is_str(fd_error_str(&err, buf, sizeof(buf)),
	       "ParseError: config:7: line 3: bad thing (request id abc-123)", "with request id");
	is_int(fd_error_set(NULL, "X", "y"), -1, "a NULL error is allowed");

	/* one table of exit statuses: input errors 2, the rest 1; never 2 with a response */
	fd_error_set(&err, "ProfileNotFound", "no profile x");
	is_int(fd_error_exit_status(&err), 2, "a missing profile is the input's error: exit 2");
	fd_error_set(&err, "UnknownParameter", "no such parameter");
	is_int(fd_error_exit_status(&err), 2, "an unknown parameter: exit 2 (call and whoami agree)");
	fd_error_set(&err, "ParseError", "config:3: bad");
	is_int(fd_error_exit_status(&err), 2, "a file that does not parse: exit 2");
	err.http_status = 200;
	is_int(fd_error_exit_status(&err), 1, "a response that does not parse is AWS's: exit 1");
	fd_error_set(&err, "InvalidInput", "You can't use GetHealthCheckStatus ...");
	err.http_status = 400;
	is_int(fd_error_exit_status(&err), 1, "AWS's own InvalidInput answer: the operation failed, exit 1");
	fd_error_clear(&err);
	fd_error_set(&err, "Timeout", "no answer");
	is_int(fd_error_exit_status(&err), 1, "a timeout: exit 1");
	fd_error_clear(&err);
	is_int(fd_error_exit_status(&err), 1, "no code is never success nor the input's: exit 1");

	strbuf_init(&sb);
	for (i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i % 10);
	is_int(sb.len, 2000, "strbuf grows across many appends");
	ok(sb.data[sb.len] == '\0', "strbuf stays NUL-terminated");
	strbuf_reset(&sb);
	strbuf_adds(&sb, "ab");
	strbuf_addc(&sb, 'c');
	strbuf_add(&sb, "d\0e", 3);
	is_int(sb.len, 6, "binary bytes are kept");
	s = strbuf_detach(&sb, &len);
	is_str(s, "abcd", "detach hands over the data");
	is_int(len, 6, "detach reports the length");
	free(s);
	s = xstrdup("secret");
	fd_free_secret(s);
	return done_testing();
}
