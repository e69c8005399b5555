/* debuglog.c — the --debug log as JSON lines (see debuglog.h). */
#include "aws/debuglog.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "base/strbuf.h"
#include "base/termtext.h"
#include "base/xalloc.h"

struct debuglog {
	FILE *f;
	char **secrets;          /* values never to log, each as it may be written (debuglog_add_secret) */
	size_t n_secrets;
};

/* Whether the field name at p (length n) is a credential field. */
static bool secret_name(const char *p, size_t n)
{
	static const char *const names[] = {
		"SecretAccessKey", "SessionToken", "AccessKeyId", "WebIdentityToken", "TokenCode",
		"secretAccessKey", "sessionToken", "accessKeyId", "accessToken", "SerialNumberToken",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && strncmp(p, names[i], n) == 0)
			return true;
	return false;
}

char *debuglog_redact(const char *text, size_t len)
{
	struct strbuf out;
	size_t i = 0;

	strbuf_init(&out);
	while (i < len) {
		char ch = text[i];
		size_t j, n;
		/* XML: <Name>value</Name> */
		if (ch == '<' && i + 1 < len && isalpha((unsigned char)text[i + 1])) {
			for (j = i + 1; j < len && (isalnum((unsigned char)text[j]) || text[j] == '_'); j++)
				;
			n = j - i - 1;
			if (j < len && text[j] == '>' && secret_name(text + i + 1, n)) {
				strbuf_add(&out, text + i, j - i + 1);
				strbuf_adds(&out, "[redacted]");
				for (i = j + 1; i < len && text[i] != '<'; i++)
					;
				continue;
			}
		}
		/* JSON: "Name": "value" */
		if (ch == '"') {
			for (j = i + 1; j < len && text[j] != '"' && text[j] != '\\'; j++)
				;
			n = j - i - 1;
			if (j < len && text[j] == '"' && secret_name(text + i + 1, n)) {
				size_t k = j + 1;
				while (k < len && isspace((unsigned char)text[k]))
					k++;
				if (k < len && text[k] == ':') {
					k++;
					while (k < len && isspace((unsigned char)text[k]))
						k++;
					if (k < len && text[k] == '"') {
						strbuf_add(&out, text + i, k - i + 1);
						strbuf_adds(&out, "[redacted]\"");
						for (k++; k < len && text[k] != '"'; k++)
							if (text[k] == '\\')
								k++;
						i = k + 1;
						continue;
					}
				}
			}
		}
		/* form: Name=value (at the start or after '&') */
		if ((i == 0 || text[i - 1] == '&') && isalpha((unsigned char)ch)) {
			for (j = i; j < len && text[j] != '=' && text[j] != '&' && text[j] != '\n'; j++)
				;
			if (j < len && text[j] == '=') {
				const char *dot = NULL;
				size_t k;
				for (k = i; k < j; k++)
					if (text[k] == '.')
						dot = text + k;
				{
					const char *nm = dot ? dot + 1 : text + i;
					if (secret_name(nm, (size_t)(text + j - nm))) {
						strbuf_add(&out, text + i, j - i + 1);
						strbuf_adds(&out, "[redacted]");
						for (i = j + 1; i < len && text[i] != '&' && text[i] != '\n'; i++)
							;
						continue;
					}
				}
			}
		}
		strbuf_addc(&out, ch);
		i++;
	}
	return strbuf_detach(&out, NULL);
}

/* Whether a header's value must not be logged. */
static bool secret_header(const char *name)
{
	return strcasecmp(name, "Authorization") == 0 ||
	       strcasecmp(name, "X-Amz-Security-Token") == 0 ||
	       strcasecmp(name, "x-amz-sso_bearer_token") == 0;
}

struct debuglog *debuglog_open(const char *path, struct fd_error *err)
{
	struct debuglog *log;
	struct stat st;
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
	FILE *f;

	if (fd < 0) {
		fd_error_set(err, "DebugFile", "%s: %s%s", path, strerror(errno),
			     errno == ELOOP ? " (a symlink: refused)" : "");
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		fd_error_set(err, "DebugFile", "%s: not a regular file of yours: refused", path);
		close(fd);
		return NULL;
	}
	if (!(f = fdopen(fd, "a"))) {
		fd_error_set(err, "DebugFile", "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	log = xcalloc(1, sizeof(*log));
	log->f = f;
	return log;
}

void debuglog_close(struct debuglog *log)
{
	size_t i;

	if (!log)
		return;
	fclose(log->f);
	for (i = 0; i < log->n_secrets; i++)
		fd_free_secret(log->secrets[i]);
	free(log->secrets);
	free(log);
}

/* Keep one form of a secret to redact (a copy), unless empty or kept already. */
static void keep_secret(struct debuglog *log, const char *form)
{
	size_t i;

	if (!*form)
		return;
	for (i = 0; i < log->n_secrets; i++)
		if (strcmp(log->secrets[i], form) == 0)
			return;
	log->secrets = xrealloc(log->secrets, (log->n_secrets + 1) * sizeof(*log->secrets));
	log->secrets[log->n_secrets++] = xstrdup(form);
}

void debuglog_add_secret(struct debuglog *log, const char *value)
{
	static const char unreserved[] = "-_.~";
	struct strbuf sb;
	json_t *j;
	size_t i;
	char *s;

	if (!log || !value || !*value)
		return;
	keep_secret(log, value);
	strbuf_init(&sb);             /* as a query or form body, or a path, sends it (SigV4's encoding) */
	for (i = 0; value[i]; i++) {
		unsigned char c = (unsigned char)value[i];
		if (isalnum(c) || strchr(unreserved, c))
			strbuf_addc(&sb, (char)c);
		else
			strbuf_addf(&sb, "%%%02X", c);
	}
	keep_secret(log, sb.data);
	strbuf_reset(&sb);            /* inside an XML body */
	for (i = 0; value[i]; i++) {
		const char *e = value[i] == '&' ? "&amp;" : value[i] == '<' ? "&lt;" : value[i] == '>' ? "&gt;" :
				value[i] == '"' ? "&quot;" : value[i] == '\'' ? "&apos;" : NULL;
		if (e)
			strbuf_adds(&sb, e);
		else
			strbuf_addc(&sb, value[i]);
	}
	keep_secret(log, sb.data);
	strbuf_wipe_clean_up(&sb);
	j = json_string(value);       /* inside a JSON body, as jansson writes it */
	for (i = 0; j && i < 2; i++) {
		s = json_dumps(j, JSON_ENCODE_ANY | (i ? JSON_ENSURE_ASCII : 0));
		if (s && strlen(s) >= 2) {
			s[strlen(s) - 1] = '\0';
			keep_secret(log, s + 1);
		}
		fd_free_secret(s);
	}
	json_decref(j);
}

/* text with every kept secret replaced by [redacted] (caller frees). */
static char *scrub(const struct debuglog *log, const char *text, size_t len)
{
	struct strbuf out;
	size_t i, k;

	strbuf_init(&out);
	for (i = 0; i < len;) {
		for (k = 0; k < log->n_secrets; k++) {
			size_t n = strlen(log->secrets[k]);
			if (n <= len - i && memcmp(text + i, log->secrets[k], n) == 0)
				break;
		}
		if (k < log->n_secrets) {
			strbuf_adds(&out, "[redacted]");
			i += strlen(log->secrets[k]);
		} else
			strbuf_addc(&out, text[i++]);
	}
	return strbuf_detach(&out, NULL);
}

/* A JSON string of text with the kept secrets redacted. */
static json_t *text(const char *s, size_t len);
static json_t *scrubbed(const struct debuglog *log, const char *s, size_t len)
{
	char *clean = scrub(log, s, len);
	json_t *j = text(clean, strlen(clean));

	free(clean);
	return j;
}

/* An event object with its time, kind, service and operation (new). */
static json_t *event(const char *kind, const char *service, const char *operation)
{
	struct timespec ts;
	struct tm tm;
	char when[40];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + strlen(when), sizeof(when) - strlen(when), ".%03ldZ", ts.tv_nsec / 1000000);
	return json_pack("{s:s,s:s,s:s,s:s}", "time", when, "event", kind, "service", service, "operation", operation);
}

/* A JSON string of arbitrary bytes (invalid UTF-8 kept visible as \\xHH). */
static json_t *text(const char *s, size_t len)
{
	json_t *j = json_stringn(s, len);
	struct strbuf sb;
	size_t i;

	if (j)
		return j;
	strbuf_init(&sb);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x80)
			strbuf_addc(&sb, s[i]);
		else
			strbuf_addf(&sb, "\\x%02x", (unsigned char)s[i]);
	j = json_stringn(sb.data, sb.len);
	strbuf_clean_up(&sb);
	return j ? j : json_string("");
}

/* Headers (as [name, value] pairs, in order) and the redacted body. */
static void add_message(const struct debuglog *log, json_t *ev, const struct codec_header *h, size_t n,
			const char *body, size_t body_len)
{
	json_t *hs = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(hs, json_pack("[o,o]", text(h[i].name, strlen(h[i].name)),
						    secret_header(h[i].name) ? json_string("[redacted]") :
						    scrubbed(log, h[i].value, strlen(h[i].value))));
	json_object_set_new(ev, "headers", hs);
	if (body_len) {
		char *red = debuglog_redact(body, body_len);
		json_object_set_new(ev, "body", scrubbed(log, red, strlen(red)));
		free(red);
	}
}

/* Write one event as one line (every non-ASCII character escaped) and free it. */
static void emit(struct debuglog *log, json_t *ev)
{
	char *line = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);

	if (line) {
		termtext_fputs(line, TERMTEXT_JSON, log->f);   /* DEL too, which jansson leaves raw */
		fputc('\n', log->f);
		fflush(log->f);
		free(line);
	}
	json_decref(ev);
}

void debuglog_request(struct debuglog *log, const char *service, const char *operation, int attempt,
		      int max_attempts, const char *method, const char *url, const struct codec_header *h,
		      size_t n, const char *body, size_t body_len)
{
	json_t *ev;

	if (!log)
		return;
	ev = event("request", service, operation);
	json_object_set_new(ev, "attempt", json_integer(attempt));
	json_object_set_new(ev, "max_attempts", json_integer(max_attempts));
	json_object_set_new(ev, "method", text(method, strlen(method)));
	json_object_set_new(ev, "url", scrubbed(log, url, strlen(url)));
	add_message(log, ev, h, n, body, body_len);
	emit(log, ev);
}

void debuglog_response(struct debuglog *log, const char *service, const char *operation, long status,
		       const struct fd_error *neterr, const struct codec_header *h, size_t n,
		       const char *body, size_t body_len)
{
	json_t *ev;

	if (!log)
		return;
	ev = event("response", service, operation);
	if (status)
		json_object_set_new(ev, "status", json_integer(status));
	else
		json_object_set_new(ev, "error", json_pack("{s:s,s:o}", "code", neterr->code, "message",
							   scrubbed(log, neterr->message, strlen(neterr->message))));
	add_message(log, ev, h, n, body, body_len);
	emit(log, ev);
}

void debuglog_retry(struct debuglog *log, const char *service, const char *operation, int attempt,
		    const char *code, bool retry, const char *reason)
{
	json_t *ev;

	if (!log)
		return;
	ev = event("retry", service, operation);
	json_object_set_new(ev, "attempt", json_integer(attempt));
	json_object_set_new(ev, "code", text(code, strlen(code)));
	json_object_set_new(ev, "decision", json_string(retry ? "retrying" : "giving up"));
	json_object_set_new(ev, "reason", scrubbed(log, reason, strlen(reason)));
	emit(log, ev);
}
