/* debuglog.h — the --debug log: every request, response and retry decision as
 * one JSON object per line.
 *
 * Strings are JSON-escaped with every non-ASCII character and DEL as \uXXXX, so the
 * log never holds a raw escape sequence, C1 control or bidi override from an
 * AWS response (viewing it with cat or less is safe), and each event is one
 * line whatever a body contains. Secrets never reach it: the Authorization,
 * X-Amz-Security-Token and SSO bearer headers and the credential fields of
 * bodies (debuglog_redact) are replaced by "[redacted]". The file is created
 * 0600, never through a symlink.
 */
#ifndef FD_DEBUGLOG_H
#define FD_DEBUGLOG_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/codec.h"
#include "base/error.h"

struct debuglog;

/* Open (append to) path; NULL with err "DebugFile". */
struct debuglog *debuglog_open(const char *path, struct fd_error *err);
void debuglog_close(struct debuglog *log);

/* An attempt going out. */
void debuglog_request(struct debuglog *log, const char *service, const char *operation, int attempt,
		      int max_attempts, const char *method, const char *url, const struct codec_header *h,
		      size_t n, const char *body, size_t body_len);
/* What came back: status > 0 with headers and body, or no response (neterr). */
void debuglog_response(struct debuglog *log, const char *service, const char *operation, long status,
		       const struct fd_error *neterr, const struct codec_header *h, size_t n,
		       const char *body, size_t body_len);
/* A failed attempt and what the retry policy decided. */
void debuglog_retry(struct debuglog *log, const char *service, const char *operation, int attempt,
		    const char *code, bool retry, const char *reason);

/* A value (a secret runbook parameter) never to be written: the log redacts
 * it wherever it appears, as is or as a query, form, XML or JSON body writes it. */
void debuglog_add_secret(struct debuglog *log, const char *value);

/* A copy of text with the values of credential fields (SecretAccessKey,
 * SessionToken, AccessKeyId, WebIdentityToken, ...) replaced by "[redacted]"
 * in XML, JSON and form bodies. Caller frees. */
char *debuglog_redact(const char *text, size_t len);

#endif
