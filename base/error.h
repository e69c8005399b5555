/* error.h — the one error convention of flightdeck.
 *
 * A function that can fail returns 0 (or a pointer) on success and -1 (or NULL)
 * on failure, and fills the caller's struct fd_error when one is given (it may
 * be NULL). Only main() exits. The message is one line meant for a person:
 * for bad files it starts with "FILE:LINE: ", for AWS errors `code` is the AWS
 * error code and request_id is set. No secret ever goes into an fd_error.
 */
#ifndef FD_ERROR_H
#define FD_ERROR_H

#include <stddef.h>

struct fd_error {
	int http_status;        /* HTTP status of the response, 0 when there was none */
	char code[64];          /* AWS error code, or a local one: "ParseError", "Timeout", ... */
	char message[512];      /* one line, no trailing newline */
	char request_id[128];   /* x-amzn-RequestId / RequestId, "" when unknown */
	int transient;          /* set when retrying could help (throttling, 5xx, network) */
	int timed_out;          /* the request may or may not have reached AWS */
};

/* Reset err to "no error"; err may be NULL. */
void fd_error_clear(struct fd_error *err);

/* Fill err with code and a printf-style message; returns -1 so callers can
 * write `return fd_error_set(err, "ParseError", "...")`. err may be NULL. */
int fd_error_set(struct fd_error *err, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix err->message with "prefix: " (e.g. a file name); err may be NULL. */
void fd_error_prefix(struct fd_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Store an AWS request id in err, made safe for a terminal like the message. */
void fd_error_set_request_id(struct fd_error *err, const char *request_id);

/* The exit status err deserves: 2 when the input is wrong (options, files,
 * variables, a profile: a local error whose code is in the one table of input
 * codes), else 1 (the operation failed: AWS answered with an error, the network,
 * the clock ...). An error that came with an HTTP response is never the input's. */
int fd_error_exit_status(const struct fd_error *err);

/* Format err for a person as "Code: Message (request id ID)" into buf. */
const char *fd_error_str(const struct fd_error *err, char *buf, size_t size);

#endif
