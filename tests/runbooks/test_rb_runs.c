/* test_rb_runs.c — the runs under a state directory: listed newest first with
 * their step, outcome and figures; opened for resume with the runbook reloaded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runbooks/rb_journal.h"
#include "runbooks/rb_runs.h"
#include "tests/tap.h"

/* Write a journal as the engine does (the fields rb_runs reads). */
static void save(const char *dir, const char *id, const char *runbook, const char *path, const char *status,
		 const char *phase, int index, long long updated, const char *failure, json_t *meas)
{
	struct fd_error err;
	json_t *j = json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:i,s:I,s:I,s:o,s:[{s:s},{s:s}],s:[{s:s}],s:s?}",
			      "version", 1, "run_id", id, "runbook", runbook, "stack", "petclinic",
			      "status", status, "phase", phase, "index", index, "started_ms", updated - 5000,
			      "updated_ms", updated, "measurements", meas ? meas : json_object(),
			      "steps", "name", "read", "name", "set_desired", "rollback", "name", "undo", "failure", failure);

	if (path)
		json_object_set_new(j, "path", json_string(path));
	ok(rb_journal_save(dir, id, j, &err) == 0, "journal %s saved", id);
	json_decref(j);
}

int main(void)
{
	char dir[] = "/tmp/fd-rb-runs-XXXXXX", path[300];
	struct rb_runs_entry *runs;
	struct fd_error err;
	struct runbook *rb;
	json_t *j = NULL;
	size_t n;
	FILE *f;

	if (!mkdtemp(dir))
		return 1;
	runs = rb_runs_list(dir, &n);
	ok(runs == NULL && n == 0, "no runs directory: no runs");
	snprintf(path, sizeof(path), "%s/mine.yaml", dir);
	f = fopen(path, "w");
	fputs("description: mine\nsteps:\n  - {name: a, action: sleep, inputs: {duration: 1ms}}\n", f);
	fclose(f);
	save(dir, "r-old", "scale", path, "done", "main", 1, 1000, NULL, json_pack("{s:f}", "scale_out_latency_s", 41.5));
	save(dir, "r-mid", "mine", path, "running", "main", 1, 3000, NULL, NULL);
	save(dir, "r-new", "no-longer-here", NULL, "rolled_back", "rollback", 0, 5000, "assertion failed: green is bad", NULL);
	snprintf(path, sizeof(path), "%s/runs/broken.json", dir);
	f = fopen(path, "w");
	fputs("{\"status\": ", f);
	fclose(f);
	runs = rb_runs_list(dir, &n);
	is_int(n, 3, "three runs listed, the unreadable journal skipped");
	if (n == 3) {
		is_str(runs[0].id, "r-new", "newest first");
		is_str(runs[1].id, "r-mid", "then the next");
		is_str(runs[2].id, "r-old", "the oldest last");
		ok(!rb_runs_unfinished(&runs[0]) && rb_runs_unfinished(&runs[1]), "running means unfinished");
		is_str(runs[1].step, "set_desired", "the step an unfinished run is at");
		is_int(runs[1].step_number, 2, "its number, from 1");
		is_str(runs[0].step, "rollback undo", "a step of the rollback section says so");
		is_str(runs[0].failure, "assertion failed: green is bad", "why a run failed");
		ok(json_real_value(json_object_get(runs[2].measurements, "scale_out_latency_s")) == 41.5,
		   "the figures a run measured");
		is_str(runs[2].stack, "petclinic", "its stack");
	}
	rb_runs_free(runs, n);

	rb = rb_runs_open(dir, "r-mid", &j, &err);
	ok(rb != NULL && j != NULL, "an unfinished run opens: journal and runbook");
	if (rb)
		is_str(rb->name, "mine", "the runbook it ran, from the file it was loaded from");
	rb_destroy(rb);
	json_decref(j);
	rb = rb_runs_open(dir, "no-such", &j, &err);
	ok(rb == NULL && j == NULL, "an unknown run does not open");
	is_str(err.code, "NoSuchRun", "NoSuchRun");
	rb = rb_runs_open(dir, "../etc/passwd", &j, &err);
	ok(rb == NULL, "a run id is a name, never a path");
	setenv("FD_RUNBOOK_PATH", dir, 1);
	setenv("XDG_CONFIG_HOME", dir, 1);
	rb = rb_runs_open(dir, "r-new", &j, &err);
	ok(rb == NULL && j == NULL, "a run whose runbook is nowhere on the path does not open");
	is_str(err.code, "NoSuchRunbook", "and says it is missing");
	rb_destroy(rb);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) != 0)
		printf("# could not remove %s\n", dir);
	return done_testing();
}
