/* helpers.h — temporary HOMEs and clean environments for the credential tests. */
#ifndef FD_TEST_CREDS_HELPERS_H
#define FD_TEST_CREDS_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char th_home[256];

/* Write text to HOME-relative path rel (creating ~/.aws) with mode. */
static inline void th_write(const char *rel, const char *text, mode_t mode)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/.aws", th_home);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/%s", th_home, rel);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(99);
	}
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

/* Remove rel under HOME (ignore errors). */
static inline void th_remove(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", th_home, rel);
	unlink(path);
}

/* A fresh empty environment: only HOME (a new temporary directory) and PATH. */
static inline void th_clean_env(void)
{
	char tmpl[] = "/tmp/fdcredsXXXXXX";
	const char *path = getenv("PATH");
	char *keep = path ? strdup(path) : NULL;

	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		exit(99);
	}
	clearenv();
	snprintf(th_home, sizeof(th_home), "%s", tmpl);
	setenv("HOME", th_home, 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	if (keep) {
		setenv("PATH", keep, 1);
		free(keep);
	}
}

/* Remove the temporary HOME and everything in it. */
static inline void th_rm_home(void)
{
	char cmd[600];

	if (!th_home[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", th_home);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", th_home);
}

#endif
