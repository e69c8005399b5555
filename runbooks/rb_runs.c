/* rb_runs.c — the runs under a state directory (see rb_runs.h). */
#include "runbooks/rb_runs.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "runbooks/rb_journal.h"

/* A string member of j, copied, or NULL. */
static char *dup_member(json_t *j, const char *key)
{
	const char *s = json_string_value(json_object_get(j, key));

	return s ? xstrdup(s) : NULL;
}

/* Fill e from journal j (borrowed) of run id. */
static void entry_of(struct rb_runs_entry *e, const char *id, json_t *j)
{
	bool rollback = json_string_value(json_object_get(j, "phase")) &&
			strcmp(json_string_value(json_object_get(j, "phase")), "rollback") == 0;
	json_t *steps = json_object_get(j, rollback ? "rollback" : "steps");
	json_t *idx = json_object_get(j, "index");
	const char *name = NULL;

	memset(e, 0, sizeof(*e));
	e->id = xstrdup(id);
	e->runbook = dup_member(j, "runbook");
	e->stack = dup_member(j, "stack");
	e->status = dup_member(j, "status");
	e->failure = dup_member(j, "failure");
	e->started_ms = json_integer_value(json_object_get(j, "started_ms"));
	e->updated_ms = json_integer_value(json_object_get(j, "updated_ms"));
	e->measurements = json_is_object(json_object_get(j, "measurements")) ?
		json_deep_copy(json_object_get(j, "measurements")) : json_object();
	e->parameters = json_is_object(json_object_get(j, "parameters")) ?
		json_deep_copy(json_object_get(j, "parameters")) : json_object();
	if (json_is_integer(idx) && json_integer_value(idx) >= 0) {
		e->step_number = (size_t)json_integer_value(idx) + 1;
		name = json_string_value(json_object_get(json_array_get(steps, (size_t)json_integer_value(idx)), "name"));
	}
	if (name) {
		struct strbuf sb;
		strbuf_init(&sb);
		strbuf_addf(&sb, "%s%s", rollback ? "rollback " : "", name);
		e->step = strbuf_detach(&sb, NULL);
	}
}

/* Newest first. */
static int by_update(const void *a, const void *b)
{
	const struct rb_runs_entry *x = a, *y = b;

	return x->updated_ms < y->updated_ms ? 1 : x->updated_ms > y->updated_ms ? -1 : strcmp(x->id, y->id);
}

struct rb_runs_entry *rb_runs_list(const char *state_dir, size_t *n)
{
	struct rb_runs_entry *runs = NULL;
	size_t cap = 0;
	struct strbuf dir;
	struct dirent *e;
	DIR *d;

	*n = 0;
	if (!state_dir)
		return NULL;
	strbuf_init(&dir);
	strbuf_addf(&dir, "%s/runs", state_dir);
	d = opendir(dir.data);
	strbuf_clean_up(&dir);
	while (d && (e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		json_t *j;
		char *id;
		if (e->d_name[0] == '.' || l <= 5 || strcmp(e->d_name + l - 5, ".json") != 0)
			continue;
		id = xstrndup(e->d_name, l - 5);
		j = rb_journal_load(state_dir, id, NULL);
		if (j && json_string_value(json_object_get(j, "status"))) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 16;
				runs = xrealloc(runs, cap * sizeof(*runs));
			}
			entry_of(&runs[(*n)++], id, j);
		}
		json_decref(j);
		free(id);
	}
	if (d)
		closedir(d);
	if (*n)
		qsort(runs, *n, sizeof(*runs), by_update);
	return runs;
}

void rb_runs_free(struct rb_runs_entry *runs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(runs[i].id);
		free(runs[i].runbook);
		free(runs[i].stack);
		free(runs[i].status);
		free(runs[i].step);
		free(runs[i].failure);
		json_decref(runs[i].measurements);
		json_decref(runs[i].parameters);
	}
	free(runs);
}

bool rb_runs_unfinished(const struct rb_runs_entry *e)
{
	return e->status && strcmp(e->status, "running") == 0;
}

char *rb_runs_last_unfinished(const char *state_dir, struct fd_error *err)
{
	size_t n, i;
	struct rb_runs_entry *runs = rb_runs_list(state_dir, &n);
	char *id = NULL;

	for (i = 0; i < n && !id; i++)     /* newest first */
		if (rb_runs_unfinished(&runs[i]))
			id = xstrdup(runs[i].id);
	rb_runs_free(runs, n);
	if (!id)
		fd_error_set(err, "NoSuchRun", "no unfinished run to resume");
	return id;
}

struct runbook *rb_runs_open(const char *state_dir, const char *id, json_t **journal, struct fd_error *err)
{
	json_t *j = rb_journal_load(state_dir, id, err);
	const char *path, *name;
	struct runbook *rb = NULL;
	char *found;

	*journal = NULL;
	if (!j)
		return NULL;
	path = json_string_value(json_object_get(j, "path"));
	name = json_string_value(json_object_get(j, "runbook"));
	if (path)
		rb = rb_load(path, err);
	if (!rb && name && (found = rb_find(name, err))) {
		rb = rb_load(found, err);
		free(found);
	}
	if (!rb && !path && !name)
		fd_error_set(err, "StateError", "run %s: its journal names no runbook", id);
	if (!rb) {
		json_decref(j);
		return NULL;
	}
	*journal = j;
	return rb;
}
