/* measure.c — runbook measurements as JSON Lines (see measure.h). */
#include "model/measure.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/isotime.h"
#include "base/statefile.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "model/panel.h"

/* The measurements file's path (base/statefile.h); NULL when there is no home. */
char *measure_path(void)
{
	return statefile_path(STATEFILE_STATE, "measurements.jsonl", NULL);
}

/* The error for a NULL measurements path. */
static int no_path(struct fd_error *err)
{
	char *dir = statefile_dir(STATEFILE_STATE, err);

	free(dir);
	return -1;
}

/* Read the whole measurements log into text (initialised here, caller cleans it up):
 * 1 when read, 0 when there is none yet, -1 with err. */
static int read_log(const char *path, struct strbuf *text, struct fd_error *err)
{
	char buf[65536];
	size_t got;
	FILE *f;
	int fd;

	strbuf_init(text);
	if (!path)
		return no_path(err);
	fd = statefile_open_read(path, err);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return fd_error_set(err, "IOError", "%s: %s", path, strerror(errno));
	}
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(text, buf, got);
	fclose(f);
	return 1;
}


/* Append one line to path. */
int measure_append_to(const char *path, time_t at, const char *name, double value,
		      const char *runbook, const char *run_id, struct fd_error *err)
{
	return measure_append_stack(path, at, name, value, runbook, run_id, NULL, err);
}

/* Append one line, with the stack, to path. */
int measure_append_stack(const char *path, time_t at, const char *name, double value,
			 const char *runbook, const char *run_id, const char *stack, struct fd_error *err)
{
	char when[ISOTIME_MAX];
	json_t *o;
	char *line;
	size_t len;
	ssize_t w;
	int fd, r = 0;

	if (!name || !*name)
		return fd_error_set(err, "InvalidParameter", "a measurement needs a name");
	if (!isfinite(value))
		return fd_error_set(err, "InvalidParameter", "measurement %s: value is not a finite number", name);
	if (!path)
		return no_path(err);
	if (statefile_mkparent(path, err))
		return -1;
	isotime_format((double)at, 0, when);
	o = json_pack("{s:s, s:s?, s:s?, s:s*, s:s, s:f}", "time", when, "run_id", run_id, "runbook", runbook,
		      "stack", stack, "name", name, "value", value);
	line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	json_decref(o);
	len = strlen(line);
	line = xrealloc(line, len + 2);
	line[len++] = '\n';
	line[len] = '\0';
	fd = statefile_open_append(path, err);
	if (fd < 0) {
		r = -1;
	} else {
		/* one write of one line: appends from concurrent runbooks do not interleave */
		w = write(fd, line, len);
		if (w != (ssize_t)len)
			r = fd_error_set(err, "IOError", "%s: %s", path, w < 0 ? strerror(errno) : "short write");
		if (close(fd) != 0 && !r)
			r = fd_error_set(err, "IOError", "%s: %s", path, strerror(errno));
	}
	free(line);
	return r;
}

/* Append one measurement to the default file, now. */
int measure_append(const char *name, double value, const char *runbook, const char *run_id,
		   const char *stack, struct fd_error *err)
{
	char *path = measure_path();
	int r = measure_append_stack(path, time(NULL), name, value, runbook, run_id, stack, err);

	free(path);
	return r;
}

/* Parse one line into m; -1 when it is not a measurement. */
static int parse_line(const char *line, size_t len, struct measure *m)
{
	json_t *o = json_loadb(line, len, 0, NULL), *v;
	const char *name;

	if (!json_is_object(o)) {
		json_decref(o);
		return -1;
	}
	name = json_string_value(json_object_get(o, "name"));
	v = json_object_get(o, "value");
	memset(m, 0, sizeof(*m));
	m->at = panel_time(o, "time");
	if (!name || !*name || !json_is_number(v) || !m->at) {
		json_decref(o);
		return -1;
	}
	m->name = xstrdup(name);
	m->value = json_number_value(v);
	if (json_is_string(json_object_get(o, "run_id")))
		m->run_id = xstrdup(json_string_value(json_object_get(o, "run_id")));
	if (json_is_string(json_object_get(o, "runbook")))
		m->runbook = xstrdup(json_string_value(json_object_get(o, "runbook")));
	if (json_is_string(json_object_get(o, "stack")))
		m->stack = xstrdup(json_string_value(json_object_get(o, "stack")));
	json_decref(o);
	return 0;
}

/* Order by time, keeping file order for equal times. */
static int measure_cmp(const void *a, const void *b)
{
	const struct measure *x = a, *y = b;

	return (x->at > y->at) - (x->at < y->at);
}

/* Read the measurements file. */
int measure_load(const char *path, struct measure **out, size_t *n, size_t *skipped,
		 struct fd_error *err)
{
	struct measure *v = NULL;
	size_t cap = 0, k = 0, bad = 0, i, start;
	struct strbuf text;
	int r;

	*out = NULL;
	*n = 0;
	if (skipped)
		*skipped = 0;
	if ((r = read_log(path, &text, err)) <= 0) {
		strbuf_clean_up(&text);
		return r;
	}
	for (start = 0, i = 0; i <= text.len; i++) {
		if (i < text.len && text.data[i] != '\n')
			continue;
		if (i > start) {
			if (k == cap) {
				cap = cap ? cap * 2 : 16;
				v = xrealloc(v, cap * sizeof(*v));
			}
			if (parse_line(text.data + start, i - start, &v[k]) == 0)
				k++;
			else
				bad++;
		}
		start = i + 1;
	}
	strbuf_clean_up(&text);
	/* stable enough: lines are appended in time order; sort fixes clock steps */
	if (k > 1) {
		size_t a, b;
		for (a = 1; a < k; a++) {
			struct measure t = v[a];
			for (b = a; b > 0 && measure_cmp(&v[b - 1], &t) > 0; b--)
				v[b] = v[b - 1];
			v[b] = t;
		}
	}
	*out = v;
	*n = k;
	if (skipped)
		*skipped = bad;
	return 0;
}

/* Free measurements. */
void measure_free(struct measure *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].run_id);
		free(v[i].runbook);
		free(v[i].stack);
		free(v[i].name);
	}
	free(v);
}

/* Whether a line is a measurement of run_id. */
static bool line_of_run(const char *line, size_t len, const char *run_id)
{
	json_t *o = json_loadb(line, len, 0, NULL);
	const char *id = json_string_value(json_object_get(o, "run_id"));
	bool yes = id && strcmp(id, run_id) == 0;

	json_decref(o);
	return yes;
}

int measure_drop(const char *path, const char *run_id, size_t *removed, struct fd_error *err)
{
	struct strbuf text, keep;
	size_t i, start;
	int r = 0;

	*removed = 0;
	if ((r = read_log(path, &text, err)) <= 0) {
		strbuf_clean_up(&text);
		return r;
	}
	strbuf_init(&keep);
	for (start = 0, i = 0; i <= text.len; i++) {
		if (i < text.len && text.data[i] != '\n')
			continue;
		if (i > start && line_of_run(text.data + start, i - start, run_id))
			(*removed)++;
		else if (i > start) {
			strbuf_add(&keep, text.data + start, i - start);
			strbuf_adds(&keep, "\n");
		}
		start = i + 1;
	}
	strbuf_clean_up(&text);
	if (*removed == 0) {
		strbuf_clean_up(&keep);
		return 0;
	}
	r = statefile_replace(path, keep.data ? keep.data : "", keep.len, err);
	strbuf_clean_up(&keep);
	return r;
}
