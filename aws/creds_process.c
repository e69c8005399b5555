/* creds_process.c — credential_process: run a helper without a shell and read its JSON. */
#include "aws/creds_providers.h"
#include "aws/creds_http.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "base/strbuf.h"
#include "base/xalloc.h"

struct process_provider {
	struct creds_provider base;
	char *command;
	char *profile;
};

char **creds_split_command(const char *s)
{
	char **argv = xcalloc(1, sizeof(char *));
	size_t n = 0;

	for (;;) {
		struct strbuf w;
		while (*s && isspace((unsigned char)*s))
			s++;
		if (!*s)
			return argv;
		strbuf_init(&w);
		while (*s && !isspace((unsigned char)*s)) {
			if (*s == '\'') {
				for (s++; *s && *s != '\''; s++)
					strbuf_addc(&w, *s);
				if (!*s)
					goto bad;
				s++;
			} else if (*s == '"') {
				for (s++; *s && *s != '"'; s++) {
					if (*s == '\\' && (s[1] == '"' || s[1] == '\\' || s[1] == '$' || s[1] == '`'))
						s++;
					else if (*s == '\\' && s[1] == '\n') {
						s++;
						continue;
					}
					strbuf_addc(&w, *s);
				}
				if (!*s)
					goto bad;
				s++;
			} else if (*s == '\\') {
				if (!s[1])
					goto bad;
				strbuf_addc(&w, s[1]);
				s += 2;
			} else
				strbuf_addc(&w, *s++);
		}
		argv = xrealloc(argv, (n + 2) * sizeof(char *));
		argv[n++] = strbuf_detach(&w, NULL);
		argv[n] = NULL;
		continue;
bad:
		strbuf_clean_up(&w);
		creds_argv_free(argv);
		return NULL;
	}
}

void creds_argv_free(char **argv)
{
	size_t i;

	for (i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* The first line of a helper's stderr, trimmed and cut at 200 bytes, for a message. */
static void first_line(const struct strbuf *sb, char *buf, size_t size)
{
	const char *s = sb->data, *e;
	size_t n;

	while (*s && isspace((unsigned char)*s))
		s++;
	e = s + strcspn(s, "\r\n");
	n = (size_t)(e - s);
	if (n > 200)
		n = 200;
	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

/* Run argv, collecting stdout and stderr; returns the wait status, or -1 with err. */
static int run(char **argv, struct strbuf *out, struct strbuf *errs, struct fd_error *err)
{
	int po[2], pe[2], status = 0;
	struct pollfd fds[2];
	pid_t pid;
	char buf[4096];

	if (pipe2(po, O_CLOEXEC) < 0)
		return fd_error_set(err, "ProcessError", "pipe: %s", strerror(errno));
	if (pipe2(pe, O_CLOEXEC) < 0) {
		close(po[0]);
		close(po[1]);
		return fd_error_set(err, "ProcessError", "pipe: %s", strerror(errno));
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(po[0]); close(po[1]); close(pe[0]); close(pe[1]);
		return fd_error_set(err, "ProcessError", "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		dup2(po[1], STDOUT_FILENO);
		dup2(pe[1], STDERR_FILENO);
		close(po[0]); close(po[1]); close(pe[0]); close(pe[1]);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv);
		dprintf(STDERR_FILENO, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	fds[0].fd = po[0];
	fds[1].fd = pe[0];
	fds[0].events = fds[1].events = POLLIN;
	while (fds[0].fd >= 0 || fds[1].fd >= 0) {
		int i;
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < 2; i++) {
			ssize_t n;
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(fds[i].fd, buf, sizeof(buf));
			if (n > 0) {
				struct strbuf *sb = i == 0 ? out : errs;
				if (sb->len < (1u << 20))
					strbuf_add(sb, buf, (size_t)n);
			} else if (n == 0 || errno != EINTR) {
				close(fds[i].fd);
				fds[i].fd = -1;
			}
		}
	}
	fd_wipe(buf, sizeof(buf));
	if (fds[0].fd >= 0)
		close(fds[0].fd);
	if (fds[1].fd >= 0)
		close(fds[1].fd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

/* Run the command and parse its Version 1 JSON. */
static int process_get(struct creds_provider *p, struct creds *out, struct fd_error *err)
{
	struct process_provider *pp = (struct process_provider *)p;
	struct strbuf o, e;
	char **argv = creds_split_command(pp->command), line[256];
	json_t *doc = NULL;
	json_error_t je;
	int status, rc = -1;

	memset(out, 0, sizeof(*out));
	if (!argv || !argv[0]) {
		creds_argv_free(argv);
		return fd_error_set(err, "ProcessError",
				    "profile %s: credential_process is empty or has an unbalanced quote",
				    pp->profile);
	}
	strbuf_init(&o);
	strbuf_init(&e);
	status = run(argv, &o, &e, err);
	if (status == -1)
		goto out;
	first_line(&e, line, sizeof(line));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (WIFEXITED(status))
			fd_error_set(err, "ProcessError", "credential_process %s exited with status %d%s%s",
				     argv[0], WEXITSTATUS(status), line[0] ? ": " : "", line);
		else
			fd_error_set(err, "ProcessError", "credential_process %s was killed by signal %d%s%s",
				     argv[0], WTERMSIG(status), line[0] ? ": " : "", line);
		goto out;
	}
	doc = json_loadb(o.data, o.len, 0, &je);
	if (!doc || !json_is_object(doc)) {
		fd_error_set(err, "ProcessError", "credential_process %s printed no JSON object%s%s",
			     argv[0], line[0] ? "; its stderr: " : "", line);
		goto out;
	}
	if (json_integer_value(json_object_get(doc, "Version")) != 1) {
		fd_error_set(err, "ProcessError",
			     "credential_process %s: unsupported Version (only 1 is known)%s%s",
			     argv[0], line[0] ? "; its stderr: " : "", line);
		goto out;
	}
	if (creds_from_json(o.data, o.len, "SessionToken", "process", out, err) < 0) {
		fd_error_prefix(err, "credential_process %s", argv[0]);
		goto out;
	}
	rc = 0;
out:
	if (doc) {
		const char *k;
		json_t *v;
		json_object_foreach(doc, k, v)
			if (json_is_string(v))
				fd_wipe((char *)json_string_value(v), json_string_length(v));
		json_decref(doc);
	}
	strbuf_wipe_clean_up(&o);
	strbuf_wipe_clean_up(&e);
	creds_argv_free(argv);
	return rc;
}

/* Free the provider. */
static void process_destroy(struct creds_provider *p)
{
	struct process_provider *pp = (struct process_provider *)p;

	free(pp->command);
	free(pp->profile);
	free(pp);
}

static const struct creds_provider_vtable process_vt = {
	.name = "process", .get = process_get, .destroy = process_destroy,
};

struct creds_provider *creds_process_new(const char *command, const char *profile)
{
	struct process_provider *pp = xcalloc(1, sizeof(*pp));

	pp->base.vt = &process_vt;
	pp->command = xstrdup(command);
	pp->profile = xstrdup(profile ? profile : "default");
	return &pp->base;
}
