/* sigv4_request.c — the request to sign: its headers, and the AWS test-suite text
 * format (.req/.sreq files) read and written (see sigv4.h). */
#include "aws/sigv4.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* True for a byte that may appear in a header name (an RFC 7230 token). */
static int is_tchar(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("\"(),/:;<=>?@[\\]{}", c);
}

int sigv4_request_parse(const char *raw, size_t len, struct sigv4_request *out,
			struct fd_error *err)
{
	const char *p = raw, *end = raw + len;
	const char *line, *eol, *sp1, *sp2;
	size_t line_len, cap = 0;
	int lineno = 1;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return fd_error_set(err, "ParseError", "line 1: empty request");
	/* request line: split at the first and the last space */
	eol = memchr(p, '\n', len);
	line = p;
	line_len = eol ? (size_t)(eol - p) : len;
	p = eol ? eol + 1 : end;
	if (line_len && line[line_len - 1] == '\r')
		line_len--;
	if (memchr(line, '\0', line_len))
		return fd_error_set(err, "ParseError", "line 1: NUL byte in the request line");
	sp1 = memchr(line, ' ', line_len);
	sp2 = NULL;
	for (size_t i = line_len; i > 0; i--)
		if (line[i - 1] == ' ') {
			sp2 = line + i - 1;
			break;
		}
	if (!sp1 || sp2 == sp1 || sp1 == line || sp2 - sp1 < 2 || sp2 + 1 == line + line_len)
		return fd_error_set(err, "ParseError",
				    "line 1: request line is not 'METHOD TARGET HTTP/VERSION'");
	if ((size_t)(line + line_len - sp2 - 1) < 6 || memcmp(sp2 + 1, "HTTP/", 5) != 0)
		return fd_error_set(err, "ParseError",
				    "line 1: request line does not end with HTTP/VERSION");
	for (const char *c = line; c < sp1; c++)
		if (!is_tchar((unsigned char)*c))
			return fd_error_set(err, "ParseError", "line 1: invalid character in the method");
	out->method = xstrndup(line, (size_t)(sp1 - line));
	out->target = xstrndup(sp1 + 1, (size_t)(sp2 - sp1 - 1));

	/* headers, with obs-fold continuation lines, up to an empty line */
	while (p < end) {
		const char *colon;
		lineno++;
		eol = memchr(p, '\n', (size_t)(end - p));
		line = p;
		line_len = eol ? (size_t)(eol - p) : (size_t)(end - p);
		p = eol ? eol + 1 : end;
		if (line_len && line[line_len - 1] == '\r')
			line_len--;
		if (line_len == 0)
			break;      /* the body follows */
		if (memchr(line, '\0', line_len)) {
			fd_error_set(err, "ParseError", "line %d: NUL byte in a header", lineno);
			goto fail;
		}
		if (line[0] == ' ' || line[0] == '\t') {
			struct sigv4_header *h;
			size_t old;
			if (out->n_headers == 0) {
				fd_error_set(err, "ParseError",
					     "line %d: continuation line without a header before it", lineno);
				goto fail;
			}
			h = &out->headers[out->n_headers - 1];
			old = strlen(h->value);
			h->value = xrealloc(h->value, old + 1 + line_len + 1);
			h->value[old] = '\n';
			memcpy(h->value + old + 1, line, line_len);
			h->value[old + 1 + line_len] = '\0';
			continue;
		}
		colon = memchr(line, ':', line_len);
		if (!colon) {
			fd_error_set(err, "ParseError", "line %d: header without ':'", lineno);
			goto fail;
		}
		if (colon == line) {
			fd_error_set(err, "ParseError", "line %d: header with an empty name", lineno);
			goto fail;
		}
		for (const char *c = line; c < colon; c++)
			if (!is_tchar((unsigned char)*c)) {
				fd_error_set(err, "ParseError",
					     "line %d: invalid character in the header name", lineno);
				goto fail;
			}
		if (out->n_headers == cap) {
			cap = cap ? cap * 2 : 8;
			out->headers = xrealloc(out->headers, cap * sizeof(*out->headers));
		}
		out->headers[out->n_headers].name = xstrndup(line, (size_t)(colon - line));
		out->headers[out->n_headers].value =
			xstrndup(colon + 1, (size_t)(line + line_len - colon - 1));
		out->n_headers++;
	}
	/* the body: the rest, byte for byte */
	out->body_len = (size_t)(end - p);
	out->body = xmalloc(out->body_len + 1);
	memcpy(out->body, p, out->body_len);
	out->body[out->body_len] = '\0';
	return 0;
fail:
	sigv4_request_clean_up(out);
	return -1;
}

void sigv4_request_clean_up(struct sigv4_request *req)
{
	for (size_t i = 0; i < req->n_headers; i++) {
		free(req->headers[i].name);
		/* values may hold a session token or a signature */
		fd_free_secret(req->headers[i].value);
	}
	free(req->headers);
	free(req->method);
	free(req->target);
	free(req->body);
	memset(req, 0, sizeof(*req));
}

void sigv4_request_add_header(struct sigv4_request *req, const char *name, const char *value)
{
	/* grow one at a time: the array's capacity is not part of the struct */
	req->headers = xrealloc(req->headers, (req->n_headers + 1) * sizeof(*req->headers));
	req->headers[req->n_headers].name = xstrdup(name);
	req->headers[req->n_headers].value = xstrdup(value);
	req->n_headers++;
}

const char *sigv4_request_header(const struct sigv4_request *req, const char *name)
{
	for (size_t i = 0; i < req->n_headers; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

void sigv4_request_set_header(struct sigv4_request *req, const char *name, const char *value)
{
	for (size_t i = 0; i < req->n_headers; i++)
		if (strcasecmp(req->headers[i].name, name) == 0) {
			if (req->headers[i].value && strcmp(req->headers[i].value, value) == 0)
				return;
			fd_free_secret(req->headers[i].value);
			req->headers[i].value = xstrdup(value);
			return;
		}
	sigv4_request_add_header(req, name, value);
}

void sigv4_request_remove_header(struct sigv4_request *req, const char *name)
{
	size_t j = 0;

	for (size_t i = 0; i < req->n_headers; i++) {
		if (strcasecmp(req->headers[i].name, name) == 0) {
			free(req->headers[i].name);
			fd_free_secret(req->headers[i].value);
			continue;
		}
		req->headers[j++] = req->headers[i];
	}
	req->n_headers = j;
}

char *sigv4_request_format(const struct sigv4_request *req, size_t *len)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_addf(&sb, "%s %s HTTP/1.1", req->method ? req->method : "",
		    req->target ? req->target : "");
	for (size_t i = 0; i < req->n_headers; i++) {
		const struct sigv4_header *h = &req->headers[i];
		strbuf_addc(&sb, '\n');
		strbuf_adds(&sb, h->name);
		strbuf_adds(&sb, strcasecmp(h->name, "Authorization") == 0 ? ": " : ":");
		strbuf_adds(&sb, h->value ? h->value : "");
	}
	if (req->body_len) {
		strbuf_adds(&sb, "\n\n");
		strbuf_add(&sb, req->body, req->body_len);
	}
	return strbuf_detach(&sb, len);
}
