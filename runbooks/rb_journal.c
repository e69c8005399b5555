/* rb_journal.c — run journals, locks and the audit log (see rb_journal.h). */
#include "runbooks/rb_journal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/strbuf.h"
#include "base/xalloc.h"

char *rb_journal_state_dir(void)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	struct strbuf sb;

	strbuf_init(&sb);
	if (xdg && *xdg == '/')
		strbuf_addf(&sb, "%s/flightdeck", xdg);
	else if (home && *home)
		strbuf_addf(&sb, "%s/.local/state/flightdeck", home);
	else {
		strbuf_clean_up(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

/* mkdir -p with mode 0700 for what it creates. */
static int make_dirs(const char *path, struct fd_error *err)
{
	char *p = xstrdup(path), *s;

	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0700) < 0 && errno != EEXIST) {
				fd_error_set(err, "StateError", "%s: %s", p, strerror(errno));
				free(p);
				return -1;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return 0;
}

/* Write all of data to fd. */
static int write_all(int fd, const char *data, size_t len)
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

/* True for names safe as one path component. */
static bool safe_name(const char *s)
{
	if (!s || !*s || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_-.@", *s))
			return false;
	return true;
}

int rb_journal_save(const char *state_dir, const char *run_id, json_t *journal, struct fd_error *err)
{
	struct strbuf dir, path, tmp;
	char *text;
	int fd, r = -1;

	if (!safe_name(run_id))
		return fd_error_set(err, "StateError", "'%s' is not a run id", run_id ? run_id : "");
	strbuf_init(&dir);
	strbuf_init(&path);
	strbuf_init(&tmp);
	strbuf_addf(&dir, "%s/runs", state_dir);
	strbuf_addf(&path, "%s/%s.json", dir.data, run_id);
	strbuf_addf(&tmp, "%s/.%s.json.tmp", dir.data, run_id);
	text = json_dumps(journal, JSON_INDENT(1) | JSON_SORT_KEYS);
	if (make_dirs(dir.data, err) < 0)
		goto out;
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		fd_error_set(err, "StateError", "%s: %s", tmp.data, strerror(errno));
		goto out;
	}
	if (write_all(fd, text, strlen(text)) < 0 || write_all(fd, "\n", 1) < 0 || fsync(fd) < 0) {
		fd_error_set(err, "StateError", "%s: %s", tmp.data, strerror(errno));
		close(fd);
		unlink(tmp.data);
		goto out;
	}
	close(fd);
	if (rename(tmp.data, path.data) < 0) {
		fd_error_set(err, "StateError", "%s: %s", path.data, strerror(errno));
		unlink(tmp.data);
		goto out;
	}
	fd = open(dir.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	r = 0;
out:
	free(text);
	strbuf_clean_up(&dir);
	strbuf_clean_up(&path);
	strbuf_clean_up(&tmp);
	return r;
}

json_t *rb_journal_load(const char *state_dir, const char *run_id, struct fd_error *err)
{
	struct strbuf path;
	json_error_t jerr;
	json_t *j;

	if (!safe_name(run_id)) {
		fd_error_set(err, "NoSuchRun", "'%s' is not a run id", run_id ? run_id : "");
		return NULL;
	}
	strbuf_init(&path);
	strbuf_addf(&path, "%s/runs/%s.json", state_dir, run_id);
	j = json_load_file(path.data, 0, &jerr);
	if (!j) {
		if (access(path.data, F_OK) < 0)
			fd_error_set(err, "NoSuchRun", "no run '%s' (%s)", run_id, path.data);
		else
			fd_error_set(err, "StateError", "%s:%d: %s", path.data, jerr.line, jerr.text);
	} else if (!json_is_object(j)) {
		fd_error_set(err, "StateError", "%s: not a journal", path.data);
		json_decref(j);
		j = NULL;
	}
	strbuf_clean_up(&path);
	return j;
}

char *rb_journal_last_unfinished(const char *state_dir, struct fd_error *err)
{
	struct strbuf dir;
	DIR *d;
	struct dirent *e;
	char *best = NULL;
	json_int_t best_t = -1;

	strbuf_init(&dir);
	strbuf_addf(&dir, "%s/runs", state_dir);
	d = opendir(dir.data);
	while (d && (e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		json_t *j;
		char *id;
		if (e->d_name[0] == '.' || l <= 5 || strcmp(e->d_name + l - 5, ".json") != 0)
			continue;
		id = xstrndup(e->d_name, l - 5);
		j = rb_journal_load(state_dir, id, NULL);
		if (j && strcmp(json_string_value(json_object_get(j, "status")) ? json_string_value(json_object_get(j, "status")) : "", "running") == 0 &&
		    json_integer_value(json_object_get(j, "updated_ms")) > best_t) {
			best_t = json_integer_value(json_object_get(j, "updated_ms"));
			free(best);
			best = id;
			id = NULL;
		}
		json_decref(j);
		free(id);
	}
	if (d)
		closedir(d);
	strbuf_clean_up(&dir);
	if (!best)
		fd_error_set(err, "NoSuchRun", "no unfinished run to resume");
	return best;
}

/* A process's start time (field 22 of /proc/PID/stat), 0 when it does not exist. */
static unsigned long long proc_start_time(long pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	FILE *f;
	int field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return 0;
	}
	fclose(f);
	p = strrchr(buf, ')');   /* the command name may hold spaces */
	if (!p)
		return 0;
	for (field = 2; *p && field < 22; p++)
		if (*p == ' ')
			field++;
	sscanf(p, "%llu", &start);
	return start;
}

char *rb_journal_lock(const char *state_dir, const char *runbook, const char *stack, const char *run_id,
		      struct fd_error *err)
{
	struct strbuf dir, path;
	int tries;

	if (!safe_name(runbook) || !safe_name(stack)) {
		fd_error_set(err, "StateError", "cannot lock '%s' on '%s'", runbook, stack);
		return NULL;
	}
	strbuf_init(&dir);
	strbuf_init(&path);
	strbuf_addf(&dir, "%s/locks", state_dir);
	strbuf_addf(&path, "%s/%s@%s.lock", dir.data, runbook, stack);
	if (make_dirs(dir.data, err) < 0)
		goto fail;
	for (tries = 0; tries < 3; tries++) {
		json_t *me, *held;
		char *text;
		int fd = open(path.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0) {
			me = json_pack("{s:I,s:I,s:s}", "pid", (json_int_t)getpid(),
				       "start", (json_int_t)proc_start_time(getpid()), "run_id", run_id);
			text = json_dumps(me, JSON_COMPACT);
			if (write_all(fd, text, strlen(text)) < 0 || fsync(fd) < 0) {
				fd_error_set(err, "StateError", "%s: %s", path.data, strerror(errno));
				close(fd);
				unlink(path.data);
				free(text);
				json_decref(me);
				goto fail;
			}
			close(fd);
			free(text);
			json_decref(me);
			strbuf_clean_up(&dir);
			return strbuf_detach(&path, NULL);
		}
		if (errno != EEXIST) {
			fd_error_set(err, "StateError", "%s: %s", path.data, strerror(errno));
			goto fail;
		}
		held = json_load_file(path.data, 0, NULL);
		if (held) {
			long pid = (long)json_integer_value(json_object_get(held, "pid"));
			unsigned long long start = (unsigned long long)json_integer_value(json_object_get(held, "start"));
			if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM) && proc_start_time(pid) == start) {
				fd_error_set(err, "LockHeld", "runbook %s on stack %s is being run by pid %ld (run %s); lock %s",
					     runbook, stack, pid,
					     json_string_value(json_object_get(held, "run_id")) ?
					     json_string_value(json_object_get(held, "run_id")) : "?", path.data);
				json_decref(held);
				goto fail;
			}
			json_decref(held);
		}
		/* The holder is gone (or the file is half written by a crash): stale. */
		unlink(path.data);
	}
	fd_error_set(err, "LockHeld", "%s: cannot take the lock", path.data);
fail:
	strbuf_clean_up(&dir);
	strbuf_clean_up(&path);
	return NULL;
}

void rb_journal_unlock(const char *lock_path)
{
	if (lock_path)
		unlink(lock_path);
}

int rb_journal_audit(const char *state_dir, json_t *record, struct fd_error *err)
{
	struct strbuf path;
	char *text;
	int fd, r = 0;

	if (make_dirs(state_dir, err) < 0)
		return -1;
	strbuf_init(&path);
	strbuf_addf(&path, "%s/audit.jsonl", state_dir);
	text = json_dumps(record, JSON_COMPACT);
	fd = open(path.data, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0 || write_all(fd, text, strlen(text)) < 0 || write_all(fd, "\n", 1) < 0 || fsync(fd) < 0)
		r = fd_error_set(err, "StateError", "%s: %s", path.data, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(text);
	strbuf_clean_up(&path);
	return r;
}

/* Whether a parameter name looks like it holds a secret. */
static bool secret_key(const char *k)
{
	static const char *const words[] = { "password", "secret", "token", "privatekey", "credential", NULL };
	char low[128];
	size_t i;

	for (i = 0; k[i] && i < sizeof(low) - 1; i++)
		low[i] = (char)tolower((unsigned char)k[i]);
	low[i] = '\0';
	for (i = 0; words[i]; i++)
		if (strstr(low, words[i]))
			return true;
	return false;
}

json_t *rb_journal_redact(json_t *input)
{
	json_t *out, *v;
	const char *k;
	size_t i;

	if (json_is_object(input)) {
		out = json_object();
		json_object_foreach(input, k, v)
			json_object_set_new(out, k, secret_key(k) ? json_string("<redacted>") : rb_journal_redact(v));
		return out;
	}
	if (json_is_array(input)) {
		out = json_array();
		json_array_foreach(input, i, v)
			json_array_append_new(out, rb_journal_redact(v));
		return out;
	}
	return input ? json_deep_copy(input) : json_null();
}
