/* statefile.c — XDG paths and private state files (see statefile.h). */
#include "base/statefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/strbuf.h"
#include "base/xalloc.h"

static const struct {
	const char *xdg, *under_home, *what;
} kinds[] = {
	[STATEFILE_STATE] = { "XDG_STATE_HOME", ".local/state", "state" },
	[STATEFILE_CONFIG] = { "XDG_CONFIG_HOME", ".config", "config" },
};

char *statefile_dir(enum statefile_kind kind, struct fd_error *err)
{
	const char *xdg = getenv(kinds[kind].xdg), *home = getenv("HOME");
	struct strbuf sb;

	strbuf_init(&sb);
	if (xdg && xdg[0] == '/')
		strbuf_addf(&sb, "%s/flightdeck", xdg);
	else if (home && home[0] == '/')
		strbuf_addf(&sb, "%s/%s/flightdeck", home, kinds[kind].under_home);
	else {
		strbuf_clean_up(&sb);
		fd_error_set(err, "NoHome", "no %s directory: HOME is %s and %s is not set to an absolute path "
			     "(flightdeck never writes relative to the working directory)", kinds[kind].what,
			     home && *home ? "not an absolute path" : "unset", kinds[kind].xdg);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

char *statefile_path(enum statefile_kind kind, const char *name, struct fd_error *err)
{
	char *dir = statefile_dir(kind, err);
	struct strbuf sb;

	if (!dir)
		return NULL;
	strbuf_init(&sb);
	strbuf_addf(&sb, "%s/%s", dir, name);
	free(dir);
	return strbuf_detach(&sb, NULL);
}

/* Whether st (from lstat or fstat of path) is ours and private enough; -1 with err. */
static int check_owner(const char *path, const struct stat *st, struct fd_error *err)
{
	if (st->st_uid != geteuid())
		return fd_error_set(err, "StateError", "%s: owned by uid %ld, not by this user (uid %ld); refusing it",
				    path, (long)st->st_uid, (long)geteuid());
	return 0;
}

int statefile_mkdir(const char *dir, struct fd_error *err)
{
	char *p = xstrdup(dir), *s;
	struct stat st;
	int r = 0;

	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0700) < 0 && errno != EEXIST) {
				r = fd_error_set(err, "StateError", "%s: %s", p, strerror(errno));
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	if (r < 0)
		return r;
	if (lstat(dir, &st) < 0)
		return fd_error_set(err, "StateError", "%s: %s", dir, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return fd_error_set(err, "StateError", "%s: is a symbolic link; refusing it (a state directory must be "
				    "a real directory)", dir);
	if (!S_ISDIR(st.st_mode))
		return fd_error_set(err, "StateError", "%s: not a directory", dir);
	if (check_owner(dir, &st, err) < 0)
		return -1;
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return fd_error_set(err, "StateError", "%s: writable by %s (mode %03o); refusing it (chmod 700 %s)", dir,
				    st.st_mode & S_IWOTH ? "others" : "its group", (unsigned)(st.st_mode & 0777), dir);
	return 0;
}

int statefile_mkparent(const char *path, struct fd_error *err)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int r;

	if (!slash || slash == path)
		return fd_error_set(err, "StateError", "%s: not a path under a state directory", path);
	dir = xstrndup(path, (size_t)(slash - path));
	r = statefile_mkdir(dir, err);
	free(dir);
	return r;
}

/* Check an open state file: a regular file of ours; close it and -1 with err if not. */
static int check_open(int fd, const char *path, bool mine, struct fd_error *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		fd_error_set(err, "StateError", "%s: %s", path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		fd_error_set(err, "StateError", "%s: not a regular file; refusing it", path);
	} else if (mine && check_owner(path, &st, err) < 0) {
		;
	} else {
		if (mine && (st.st_mode & 077))
			fchmod(fd, 0600);
		return fd;
	}
	close(fd);
	return -1;
}

/* The error of an open(2) with O_NOFOLLOW that failed. */
static int open_error(const char *path, struct fd_error *err)
{
	if (errno == ELOOP)
		return fd_error_set(err, "StateError", "%s: is a symbolic link; refusing to follow it", path);
	if (errno == ENOENT)
		return fd_error_set(err, "NotFound", "%s: %s", path, strerror(errno));
	return fd_error_set(err, "StateError", "%s: %s", path, strerror(errno));
}

int statefile_open_append(const char *path, struct fd_error *err)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);

	if (fd < 0)
		return open_error(path, err);
	return check_open(fd, path, true, err);
}

int statefile_open_read(const char *path, struct fd_error *err)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), e;

	if (fd < 0) {
		e = errno;
		open_error(path, err);
		errno = e;
		return -1;
	}
	return check_open(fd, path, false, err);
}

int statefile_write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int statefile_replace(const char *path, const char *data, size_t len, struct fd_error *err)
{
	const char *slash = strrchr(path, '/');
	struct strbuf tmp;
	char *dir;
	int fd, r = -1, tries;

	if (!slash || slash == path)
		return fd_error_set(err, "StateError", "%s: not a path under a state directory", path);
	strbuf_init(&tmp);
	for (tries = 0, fd = -1; fd < 0 && tries < 8; tries++) {
		strbuf_reset(&tmp);
		strbuf_addf(&tmp, "%.*s/.%s.%ld.%lx.tmp", (int)(slash - path), path, slash + 1, (long)getpid(),
			    (unsigned long)random());
		fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		fd_error_set(err, "StateError", "%s: %s", tmp.data, strerror(errno));
		goto out;
	}
	if (statefile_write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		fd_error_set(err, "StateError", "%s: %s", tmp.data, strerror(errno));
		close(fd);
		unlink(tmp.data);
		goto out;
	}
	close(fd);
	/* rename(2) replaces a symlink at path itself, never what it points to */
	if (rename(tmp.data, path) < 0) {
		fd_error_set(err, "StateError", "%s: %s", path, strerror(errno));
		unlink(tmp.data);
		goto out;
	}
	dir = xstrndup(path, (size_t)(slash - path));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
	r = 0;
out:
	strbuf_clean_up(&tmp);
	return r;
}
