/* rb_journal.c — run journals, locks and the audit log (see rb_journal.h). */
#include "runbooks/rb_journal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <pwd.h>
#include <unistd.h>

#include "base/statefile.h"
#include "base/strbuf.h"
#include "base/termtext.h"
#include "base/xalloc.h"

char *rb_journal_state_dir(void)
{
	return statefile_dir(STATEFILE_STATE, NULL);
}

/* fsync a directory so a rename or link in it is on disk. */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
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

/* v as JSON text with every non-ASCII character and DEL escaped: AWS text never raw in
 * a file someone may cat (caller frees). */
static char *safe_json(json_t *v, size_t flags)
{
	char *text = json_dumps(v, flags | JSON_ENSURE_ASCII), *safe;

	safe = termtext_dup(text, TERMTEXT_JSON | TERMTEXT_MULTILINE);
	free(text);
	return safe;
}

int rb_journal_save(const char *state_dir, const char *run_id, json_t *journal, struct fd_error *err)
{
	struct strbuf dir, path, tmp;
	char *text;
	int r = -1;

	if (!safe_name(run_id))
		return fd_error_set(err, "StateError", "'%s' is not a run id", run_id ? run_id : "");
	strbuf_init(&dir);
	strbuf_init(&path);
	strbuf_init(&tmp);
	strbuf_addf(&dir, "%s/runs", state_dir);
	strbuf_addf(&path, "%s/%s.json", dir.data, run_id);
	text = safe_json(journal, JSON_INDENT(1) | JSON_SORT_KEYS);
	strbuf_addf(&tmp, "%s\n", text);
	if (statefile_mkdir(state_dir, err) < 0 || statefile_mkdir(dir.data, err) < 0 ||
	    statefile_replace(path.data, tmp.data, tmp.len, err) < 0)
		goto out;
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
	int fd;

	if (!safe_name(run_id)) {
		fd_error_set(err, "NoSuchRun", "'%s' is not a run id", run_id ? run_id : "");
		return NULL;
	}
	strbuf_init(&path);
	strbuf_addf(&path, "%s/runs/%s.json", state_dir, run_id);
	fd = statefile_open_read(path.data, err);
	if (fd < 0) {
		if (errno == ENOENT)
			fd_error_set(err, "NoSuchRun", "no run '%s' (%s)", run_id, path.data);
		strbuf_clean_up(&path);
		return NULL;
	}
	j = json_loadfd(fd, 0, &jerr);
	close(fd);
	if (!j) {
		fd_error_set(err, "StateError", "%s:%d: %s", path.data, jerr.line, jerr.text);
	} else if (!json_is_object(j)) {
		fd_error_set(err, "StateError", "%s: not a journal", path.data);
		json_decref(j);
		j = NULL;
	}
	strbuf_clean_up(&path);
	return j;
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

/* This machine's boot id (random per boot, from the kernel), "" when unknown. */
static void boot_id(char *buf, size_t size)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");

	buf[0] = '\0';
	if (f) {
		if (fgets(buf, (int)size, f))
			buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
}

/* The lock's content: who holds it, on which machine and boot. */
static json_t *lock_content(const char *run_id)
{
	char host[256] = "", boot[64], when[32];
	const char *user = getenv("USER");
	struct passwd *pw = user && *user ? NULL : getpwuid(geteuid());
	time_t now = time(NULL);
	struct tm tm;
	struct strbuf op;
	json_t *j;

	gethostname(host, sizeof(host) - 1);
	boot_id(boot, sizeof(boot));
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	strbuf_init(&op);
	strbuf_addf(&op, "%s@%s", user && *user ? user : pw ? pw->pw_name : "?", host);
	j = json_pack("{s:s,s:s,s:I,s:I,s:s,s:s,s:s}", "host", host, "boot_id", boot,
		      "pid", (json_int_t)getpid(), "pid_start", (json_int_t)proc_start_time(getpid()),
		      "started", when, "run_id", run_id, "operator", op.data);
	strbuf_clean_up(&op);
	return j;
}

/* Read a lock file (never through a symlink) into text; NULL with errno. */
static char *read_small(const char *path)
{
	struct strbuf sb;
	char buf[1024];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	strbuf_init(&sb);
	while ((n = read(fd, buf, sizeof(buf))) > 0 && sb.len < 65536)
		strbuf_add(&sb, buf, (size_t)n);
	close(fd);
	return strbuf_detach(&sb, NULL);
}

enum holder { HOLDER_ALIVE, HOLDER_GONE, HOLDER_ELSEWHERE, HOLDER_UNKNOWN };

/* Judge a lock's content: held by a live process here, left by a dead one
 * here (same host and boot, pid gone or reused), or from another host or boot
 * (which this machine cannot check). */
static enum holder judge(json_t *held)
{
	char host[256] = "", boot[64];
	const char *h = json_string_value(json_object_get(held, "host"));
	const char *b = json_string_value(json_object_get(held, "boot_id"));
	json_t *pidv = json_object_get(held, "pid"), *startv = json_object_get(held, "pid_start");
	long pid;

	if (!h || !b || !json_is_integer(pidv) || !json_is_integer(startv))
		return HOLDER_UNKNOWN;
	gethostname(host, sizeof(host) - 1);
	boot_id(boot, sizeof(boot));
	if (strcmp(h, host) != 0 || !boot[0] || strcmp(b, boot) != 0)
		return HOLDER_ELSEWHERE;
	pid = (long)json_integer_value(pidv);
	if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM) &&
	    proc_start_time(pid) == (unsigned long long)json_integer_value(startv))
		return HOLDER_ALIVE;
	return HOLDER_GONE;
}

/* A lock's holder for messages. */
static void describe(struct strbuf *sb, json_t *held)
{
	const char *s;

	strbuf_addf(sb, "run %s", (s = json_string_value(json_object_get(held, "run_id"))) ? s : "?");
	strbuf_addf(sb, " on host %s", (s = json_string_value(json_object_get(held, "host"))) ? s : "?");
	strbuf_addf(sb, " (pid %lld", (long long)json_integer_value(json_object_get(held, "pid")));
	if ((s = json_string_value(json_object_get(held, "operator"))))
		strbuf_addf(sb, ", operator %s", s);
	if ((s = json_string_value(json_object_get(held, "started"))))
		strbuf_addf(sb, ", since %s", s);
	strbuf_adds(sb, ")");
}

/* Move the lock at path aside and remove it, if it still holds exactly text.
 * Breakers take guard (an flock, which the kernel drops when its holder dies,
 * so it is never stale) so that two of them never judge the same stale lock
 * and then remove a fresh one that replaced it. 0 when moved, 1 when the lock
 * changed meanwhile, -1 with err. */
static int break_aside(const char *dir, const char *path, const char *text, struct fd_error *err)
{
	struct strbuf guard, aside;
	char *now;
	int gfd, r = 1;

	strbuf_init(&guard);
	strbuf_init(&aside);
	strbuf_addf(&guard, "%s/.breaking", dir);
	gfd = open(guard.data, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (gfd < 0 || flock(gfd, LOCK_EX) < 0) {
		r = fd_error_set(err, "StateError", "%s: %s", guard.data, strerror(errno));
		goto out;
	}
	now = read_small(path);
	if (now && strcmp(now, text) == 0) {
		strbuf_addf(&aside, "%s.stale.%ld", path, (long)getpid());
		if (rename(path, aside.data) < 0)
			r = fd_error_set(err, "StateError", "%s: %s", path, strerror(errno));
		else {
			unlink(aside.data);
			r = 0;
		}
	}
	free(now);
out:
	if (gfd >= 0)
		close(gfd);   /* releases the flock */
	strbuf_clean_up(&guard);
	strbuf_clean_up(&aside);
	return r;
}

/* Write text to a new private temporary file in dir; its path, or NULL with err. */
static char *write_temp(const char *dir, const char *name, const char *text, struct fd_error *err)
{
	struct strbuf tmp;
	int fd;

	strbuf_init(&tmp);
	strbuf_addf(&tmp, "%s/.%s.%ld.%lx", dir, name, (long)getpid(), (unsigned long)random());
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || statefile_write_all(fd, text, strlen(text)) < 0 || fsync(fd) < 0) {
		fd_error_set(err, "StateError", "%s: %s", tmp.data, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp.data);
		}
		strbuf_clean_up(&tmp);
		return NULL;
	}
	close(fd);
	return strbuf_detach(&tmp, NULL);
}

char *rb_journal_lock(const char *state_dir, const char *runbook, const char *stack, const char *run_id,
		      const char *break_host, struct fd_error *err)
{
	struct strbuf dir, path, name;
	char *tmp = NULL, *text = NULL, *result = NULL;
	json_t *me;
	int tries;

	if (!safe_name(runbook) || !safe_name(stack)) {
		fd_error_set(err, "StateError", "cannot lock '%s' on '%s'", runbook, stack);
		return NULL;
	}
	strbuf_init(&dir);
	strbuf_init(&path);
	strbuf_init(&name);
	strbuf_addf(&dir, "%s/locks", state_dir);
	strbuf_addf(&name, "%s@%s.lock", runbook, stack);
	strbuf_addf(&path, "%s/%s", dir.data, name.data);
	if (statefile_mkdir(state_dir, err) < 0 || statefile_mkdir(dir.data, err) < 0)
		goto out;
	/* The content is complete and on disk before the lock exists: link(2)
	 * puts it in place atomically or fails with EEXIST (POSIX link()). */
	me = lock_content(run_id);
	text = json_dumps(me, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(me);
	if (!(tmp = write_temp(dir.data, name.data, text, err)))
		goto out;
	for (tries = 0; tries < 8; tries++) {
		struct strbuf msg;
		char *held_text;
		json_t *held;
		int b;
		if (link(tmp, path.data) == 0) {
			sync_dir(dir.data);
			result = strbuf_detach(&path, NULL);
			goto out;
		}
		if (errno != EEXIST) {
			fd_error_set(err, "StateError", "%s: %s", path.data, strerror(errno));
			goto out;
		}
		held_text = read_small(path.data);
		if (!held_text) {
			if (errno == ENOENT)
				continue;   /* released meanwhile: try again */
			fd_error_set(err, "StateError", "%s: %s", path.data, strerror(errno));
			goto out;
		}
		held = json_loads(held_text, 0, NULL);
		strbuf_init(&msg);
		switch (judge(held)) {
		case HOLDER_ALIVE:
			describe(&msg, held);
			fd_error_set(err, "LockHeld", "runbook %s on stack %s is being run by %s; lock %s", runbook,
				     stack, msg.data, path.data);
			break;
		case HOLDER_UNKNOWN:
			fd_error_set(err, "LockHeld", "runbook %s on stack %s is locked by %s, which this flightdeck cannot read; "
				     "if no run holds it, remove that file", runbook, stack, path.data);
			break;
		case HOLDER_ELSEWHERE:
			if (break_host && strcmp(break_host, json_string_value(json_object_get(held, "host"))) == 0)
				goto stale;
			describe(&msg, held);
			fd_error_set(err, "LockHeldElsewhere", "runbook %s on stack %s is locked by %s, another host or boot "
				     "that this machine cannot check; lock %s", runbook, stack, msg.data, path.data);
			break;
		case HOLDER_GONE:
		stale:
			b = break_aside(dir.data, path.data, held_text, err);
			json_decref(held);
			free(held_text);
			strbuf_clean_up(&msg);
			if (b < 0)
				goto out;
			continue;
		}
		json_decref(held);
		free(held_text);
		strbuf_clean_up(&msg);
		goto out;
	}
	fd_error_set(err, "LockHeld", "%s: cannot take the lock (it keeps changing)", path.data);
out:
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(text);
	strbuf_clean_up(&dir);
	strbuf_clean_up(&path);
	strbuf_clean_up(&name);
	return result;
}

void rb_journal_unlock(const char *lock_path)
{
	char *text;
	json_t *held;

	if (!lock_path)
		return;
	/* only this process's own lock: never one that replaced it */
	text = read_small(lock_path);
	held = text ? json_loads(text, 0, NULL) : NULL;
	if (held && json_integer_value(json_object_get(held, "pid")) == (json_int_t)getpid() &&
	    judge(held) == HOLDER_ALIVE)
		unlink(lock_path);
	json_decref(held);
	free(text);
}

int rb_journal_audit(const char *state_dir, json_t *record, struct fd_error *err)
{
	struct strbuf path;
	char *text;
	int fd, r = 0;

	if (statefile_mkdir(state_dir, err) < 0)
		return -1;
	strbuf_init(&path);
	strbuf_addf(&path, "%s/audit.jsonl", state_dir);
	text = safe_json(record, JSON_COMPACT);
	fd = statefile_open_append(path.data, err);
	if (fd < 0)
		r = -1;
	else if (statefile_write_all(fd, text, strlen(text)) < 0 || statefile_write_all(fd, "\n", 1) < 0 || fsync(fd) < 0)
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

/* Whether string s holds one of the secret values. */
static bool holds_secret(const char *s, json_t *secrets)
{
	size_t i;
	json_t *v;

	json_array_foreach(secrets, i, v)
		if (json_string_length(v) > 0 && strstr(s, json_string_value(v)))
			return true;
	return false;
}

json_t *rb_journal_redact(json_t *input, json_t *secrets)
{
	json_t *out, *v;
	const char *k;
	size_t i;

	if (json_is_object(input)) {
		out = json_object();
		json_object_foreach(input, k, v)
			json_object_set_new(out, k, secret_key(k) ? json_string("<redacted>") : rb_journal_redact(v, secrets));
		return out;
	}
	if (json_is_array(input)) {
		out = json_array();
		json_array_foreach(input, i, v)
			json_array_append_new(out, rb_journal_redact(v, secrets));
		return out;
	}
	if (json_is_string(input) && holds_secret(json_string_value(input), secrets))
		return json_string("<redacted>");
	return input ? json_deep_copy(input) : json_null();
}
