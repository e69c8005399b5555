/* test_rb_lock.c — the run lock (rb_journal_lock): 50 simultaneous starters,
 * from nothing and from a stale lock, and exactly one wins each time; a lock
 * of another host or boot is never broken unless its host is typed; an
 * unreadable or symlinked lock is never taken over.
 *
 * The atomicity relied on is link(2)'s: "If path2 names an existing file,
 * link() shall fail [EEXIST]" (POSIX.1-2017,
 * https://pubs.opengroup.org/onlinepubs/9699919799/functions/link.html),
 * and rename(2) replacing or moving a name atomically. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/strbuf.h"
#include "runbooks/rb_journal.h"
#include "tests/tap.h"

#define RACERS 50

static char dir[] = "/tmp/rblockXXXXXX";

/* Start RACERS processes that call rb_journal_lock at the same moment; returns
 * how many got the lock. The winners keep it until all have answered, then
 * exit without unlocking (as a killed run would), leaving a stale lock. */
static int race(void)
{
	int go[2], res[2], release[2], i, wins = 0;
	pid_t pids[RACERS];
	char c;

	if (pipe(go) < 0 || pipe(res) < 0 || pipe(release) < 0)
		return -1;
	for (i = 0; i < RACERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			struct fd_error err;
			char id[32], *path;
			close(go[1]);
			close(res[0]);
			close(release[1]);
			while (read(go[0], &c, 1) > 0)   /* the start gun: EOF for everyone at once */
				;
			snprintf(id, sizeof(id), "run-%d", i);
			path = rb_journal_lock(dir, "race", "default", id, NULL, &err);
			c = path ? '1' : strcmp(err.code, "LockHeld") == 0 ? '0' : 'e';
			if (write(res[1], &c, 1) != 1)
				_exit(3);
			while (read(release[0], &c, 1) > 0)
				;
			_exit(0);
		}
	}
	close(go[0]);
	close(res[1]);
	close(release[0]);
	close(go[1]);   /* go */
	for (i = 0; i < RACERS; i++) {
		if (read(res[0], &c, 1) != 1)
			break;
		if (c == '1')
			wins++;
		else if (c != '0')
			printf("# a racer failed otherwise (%c)\n", c);
	}
	close(release[1]);
	close(res[0]);
	for (i = 0; i < RACERS; i++)
		waitpid(pids[i], NULL, 0);
	return wins;
}

/* The text of the lock file (caller frees), "" when missing. */
static char *lock_text(void)
{
	struct strbuf sb;
	char buf[4096];
	size_t n;
	FILE *f;

	strbuf_init(&sb);
	snprintf(buf, sizeof(buf), "%s/locks/race@default.lock", dir);
	f = fopen(buf, "r");
	if (f) {
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			strbuf_add(&sb, buf, n);
		fclose(f);
	}
	return strbuf_detach(&sb, NULL);
}

/* Write a lock file with this content. */
static void write_lock(const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/locks/race@default.lock", dir);
	unlink(path);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

/* A lock like the current one but with one field changed. */
static char *edited_lock(const char *key, json_t *value)
{
	char *text = lock_text(), *out;
	json_t *j = json_loads(text, 0, NULL);

	json_object_set_new(j, key, value);
	out = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	free(text);
	return out;
}

int main(void)
{
	char path[512], *text, *edited, *got;
	struct fd_error err;
	struct stat st;
	json_t *held;
	int wins;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/locks/race@default.lock", dir);

	wins = race();
	is_int(wins, 1, "%d simultaneous starts with no lock: exactly one proceeds", RACERS);
	text = lock_text();
	held = json_loads(text, 0, NULL);
	ok(held && json_string_value(json_object_get(held, "host")) && json_string_value(json_object_get(held, "boot_id")) &&
	   json_integer_value(json_object_get(held, "pid")) > 0 && json_string_value(json_object_get(held, "run_id")) &&
	   json_string_value(json_object_get(held, "operator")) && json_string_value(json_object_get(held, "started")),
	   "the lock names host, boot, pid, run, operator and start time");
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "the lock is 0600");
	json_decref(held);
	free(text);

	wins = race();   /* the winner above exited without unlocking: a stale lock */
	is_int(wins, 1, "%d simultaneous starts over a stale lock: exactly one proceeds", RACERS);

	/* Another host: never broken unless that host is typed. */
	edited = edited_lock("host", json_string("bastion-other"));
	write_lock(edited);
	got = rb_journal_lock(dir, "race", "default", "mine", NULL, &err);
	ok(got == NULL, "a lock from another host is not broken");
	is_str(err.code, "LockHeldElsewhere", "it is held elsewhere");
	ok(strstr(err.message, "on host bastion-other") != NULL, "the message names the host");
	got = rb_journal_lock(dir, "race", "default", "mine", "bastion-oth", &err);
	ok(got == NULL, "typing another name does not break it");
	text = lock_text();
	is_str(text, edited, "and the lock is untouched");
	free(text);
	got = rb_journal_lock(dir, "race", "default", "mine", "bastion-other", &err);
	ok(got != NULL, "typing that host's name breaks it");
	text = lock_text();
	ok(strstr(text, "\"run_id\":\"mine\"") != NULL, "and the lock is ours");
	free(text);
	rb_journal_unlock(got);
	ok(access(path, F_OK) < 0, "unlock removes our own lock");
	free(got);
	free(edited);

	/* The same host after a reboot cannot be checked either. */
	got = rb_journal_lock(dir, "race", "default", "mine", NULL, &err);
	edited = edited_lock("boot_id", json_string("00000000-0000-0000-0000-000000000000"));
	free(got);
	write_lock(edited);
	got = rb_journal_lock(dir, "race", "default", "mine", NULL, &err);
	ok(got == NULL && strcmp(err.code, "LockHeldElsewhere") == 0, "a lock from another boot is not broken");
	free(got);
	free(edited);

	/* A live holder that is not us: unlock leaves it alone. */
	edited = edited_lock("pid", json_integer(getppid()));
	write_lock(edited);
	rb_journal_unlock(path);
	ok(access(path, F_OK) == 0, "unlock never removes a lock another process holds");
	free(edited);

	/* What cannot be read is not taken over. */
	write_lock("");
	got = rb_journal_lock(dir, "race", "default", "mine", NULL, &err);
	ok(got == NULL, "an empty lock file is not taken over");
	ok(strstr(err.message, "cannot read; if no run holds it, remove that file") != NULL, "and the message says what to do");
	unlink(path);
	{
		char target[512];
		snprintf(target, sizeof(target), "%s/elsewhere", dir);
		write_lock("");
		unlink(path);
		if (symlink(target, path) == 0) {
			got = rb_journal_lock(dir, "race", "default", "mine", NULL, &err);
			ok(got == NULL, "a lock that is a symlink is not followed nor taken over");
			ok(access(target, F_OK) < 0, "and nothing was written where it points");
			free(got);
		}
	}
	{
		char cmd[600];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
	}
	return done_testing();
}
