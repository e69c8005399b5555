/* test_statefile.c — the one XDG path builder and private state files (issue 10):
 * no home means no path (never the working directory), 0700 directories and
 * 0600 files, and a symlink planted at a state path is refused, never followed.
 * XDG Base Directory Specification ("If an implementation encounters a relative
 * path in any of these variables it should consider the path invalid and ignore
 * it"): https://specifications.freedesktop.org/basedir-spec/latest/ */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/statefile.h"
#include "tests/tap.h"

static char root[] = "/tmp/fd-statefile-XXXXXX";

/* root + "/" + name in a static buffer (one at a time). */
static const char *at(const char *name)
{
	static char buf[2][512];
	static int i;

	i ^= 1;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", root, name);
	return buf[i];
}

/* The content of a file, "" when unreadable. */
static const char *content(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	buf[0] = '\0';
	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
	}
	return buf;
}

static int mode_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 ? (int)(st.st_mode & 0777) : -1;
}

static void test_paths(void)
{
	struct fd_error err;
	char *p;

	setenv("HOME", "/home/op", 1);
	setenv("XDG_STATE_HOME", "/srv/state", 1);
	setenv("XDG_CONFIG_HOME", "/srv/config", 1);
	p = statefile_dir(STATEFILE_STATE, NULL);
	is_str(p, "/srv/state/flightdeck", "state: XDG_STATE_HOME when absolute");
	free(p);
	p = statefile_path(STATEFILE_CONFIG, "config.yaml", NULL);
	is_str(p, "/srv/config/flightdeck/config.yaml", "config: XDG_CONFIG_HOME when absolute");
	free(p);
	setenv("XDG_STATE_HOME", "relative/state", 1);
	setenv("XDG_CONFIG_HOME", "", 1);
	p = statefile_path(STATEFILE_STATE, "audit.jsonl", NULL);
	is_str(p, "/home/op/.local/state/flightdeck/audit.jsonl", "a relative XDG_STATE_HOME is ignored: HOME");
	free(p);
	p = statefile_dir(STATEFILE_CONFIG, NULL);
	is_str(p, "/home/op/.config/flightdeck", "an empty XDG_CONFIG_HOME is ignored: HOME");
	free(p);
	unsetenv("HOME");
	fd_error_clear(&err);
	p = statefile_dir(STATEFILE_STATE, &err);
	ok(p == NULL, "HOME unset and XDG_STATE_HOME relative: no state directory");
	is_str(err.code, "NoHome", "error code NoHome");
	is_str(err.message, "no state directory: HOME is unset and XDG_STATE_HOME is not set to an absolute path "
	       "(flightdeck never writes relative to the working directory)", "the message says what to set");
	free(p);
	setenv("HOME", "", 1);
	unsetenv("XDG_STATE_HOME");
	ok(statefile_path(STATEFILE_STATE, "measurements.jsonl", NULL) == NULL, "HOME empty: no path");
	setenv("HOME", ".", 1);
	ok(statefile_path(STATEFILE_CONFIG, "runbooks", NULL) == NULL, "HOME relative: no path");
}

static void test_dirs(void)
{
	struct fd_error err;

	ok(statefile_mkdir(at("a/b/flightdeck"), NULL) == 0, "mkdir -p");
	is_int(mode_of(at("a")), 0700, "created parents are 0700");
	is_int(mode_of(at("a/b/flightdeck")), 0700, "the directory is 0700");
	ok(statefile_mkdir(at("a/b/flightdeck"), NULL) == 0, "an existing private directory is fine");
	mkdir(at("open"), 0700);
	chmod(at("open"), 0777);
	fd_error_clear(&err);
	ok(statefile_mkdir(at("open"), &err) < 0, "a directory writable by others is refused");
	ok(strstr(err.message, "writable by others (mode 777); refusing it (chmod 700 ") != NULL,
	   "the message says how to fix it: %s", err.message);
	chmod(at("open"), 0770);
	ok(statefile_mkdir(at("open"), NULL) < 0, "a directory writable by its group is refused");
	mkdir(at("elsewhere"), 0700);
	symlink(at("elsewhere"), at("link"));
	fd_error_clear(&err);
	ok(statefile_mkdir(at("link"), &err) < 0, "a symlink where the state directory goes is refused");
	ok(strstr(err.message, "is a symbolic link; refusing it") != NULL, "and said so: %s", err.message);
	close(open(at("file"), O_WRONLY | O_CREAT, 0600));
	ok(statefile_mkdir(at("file"), NULL) < 0, "a file where the directory goes is refused");
	ok(statefile_mkparent(at("a/b/flightdeck/audit.jsonl"), NULL) == 0, "mkparent of a file path");
}

static void test_files(void)
{
	struct fd_error err;
	char big[64];
	int fd;

	/* a new file: 0600 whatever the umask */
	umask(0);
	fd = statefile_open_append(at("a/b/flightdeck/audit.jsonl"), NULL);
	ok(fd >= 0 && write(fd, "one\n", 4) == 4, "append to a new file");
	close(fd);
	umask(022);
	is_int(mode_of(at("a/b/flightdeck/audit.jsonl")), 0600, "a new state file is 0600 (umask 0)");
	/* an existing looser file of ours is tightened */
	close(open(at("loose"), O_WRONLY | O_CREAT, 0644));
	chmod(at("loose"), 0644);
	fd = statefile_open_append(at("loose"), NULL);
	ok(fd >= 0, "an existing file of ours opens");
	close(fd);
	is_int(mode_of(at("loose")), 0600, "and is made 0600");
	/* a symlink planted at the path: refused, its target untouched */
	fd = open(at("victim"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ok(fd >= 0 && write(fd, "precious\n", 9) == 9, "a file the attacker wants written");
	close(fd);
	symlink(at("victim"), at("a/b/flightdeck/planted.jsonl"));
	fd_error_clear(&err);
	fd = statefile_open_append(at("a/b/flightdeck/planted.jsonl"), &err);
	ok(fd < 0, "open_append through a planted symlink is refused");
	ok(strstr(err.message, "planted.jsonl: is a symbolic link; refusing to follow it") != NULL, "and said so: %s",
	   err.message);
	fd_error_clear(&err);
	ok(statefile_open_read(at("a/b/flightdeck/planted.jsonl"), &err) < 0, "open_read through it is refused");
	is_str(content(at("victim")), "precious\n", "the symlink's target is untouched");
	/* a symlink dangling to where a new file would go */
	symlink(at("created-by-attacker"), at("a/b/flightdeck/dangling.jsonl"));
	ok(statefile_open_append(at("a/b/flightdeck/dangling.jsonl"), NULL) < 0, "a dangling symlink is refused");
	ok(access(at("created-by-attacker"), F_OK) < 0 && errno == ENOENT, "and nothing is created at its target");
	/* a FIFO: refused without blocking */
	mkfifo(at("fifo"), 0600);
	ok(statefile_open_append(at("fifo"), NULL) < 0, "a FIFO is not a state file");
	/* read: missing is NotFound with errno ENOENT */
	fd_error_clear(&err);
	ok(statefile_open_read(at("missing"), &err) < 0 && errno == ENOENT, "a missing file: ENOENT");
	is_str(err.code, "NotFound", "code NotFound");
	/* replace: atomic, 0600, and a symlink at the path is replaced, not followed */
	ok(statefile_replace(at("a/b/flightdeck/planted.jsonl"), "new\n", 4, NULL) == 0, "replace over a symlink");
	is_int(mode_of(at("a/b/flightdeck/planted.jsonl")), 0600, "the path is now a 0600 regular file");
	is_str(content(at("a/b/flightdeck/planted.jsonl")), "new\n", "with the new content");
	is_str(content(at("victim")), "precious\n", "the old symlink's target is untouched");
	memset(big, 'x', sizeof(big));
	ok(statefile_replace(at("a/b/flightdeck/audit.jsonl"), big, sizeof(big), NULL) == 0, "replace a file");
	is_int((int)strlen(content(at("a/b/flightdeck/audit.jsonl"))), 64, "whole content written");
	ok(statefile_replace("audit.jsonl", "x", 1, NULL) < 0, "a bare name (the working directory) is refused");
}

int main(void)
{
	char cmd[600];

	if (!mkdtemp(root))
		return 1;
	test_paths();
	test_dirs();
	test_files();
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx %s; rm -rf %s", root, root);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", root);
	return done_testing();
}
