/* cmd_runbook.c — `flightdeck runbook list|show|validate|plan|run|resume`. */
#include "src/cli.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/strbuf.h"
#include "aws/xalloc.h"
#include "runbooks/rb.h"

/* One line of a possibly multi-line text: the first. */
static void print_first_line(FILE *out, const char *s)
{
	const char *nl = s ? strchr(s, '\n') : NULL;

	if (!s)
		return;
	fprintf(out, "%.*s", nl ? (int)(nl - s) : (int)strlen(s), s);
}

/* Sort helper for names. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* `runbook list`: every runbook found, first directory wins. */
static int cmd_list(int argc, char **argv)
{
	char **dirs = rb_dirs(), **seen = NULL;
	size_t nseen = 0, i, d;
	int rc = 0;

	(void)argc; (void)argv;
	for (d = 0; dirs[d]; d++) {
		DIR *dir = opendir(dirs[d]);
		struct dirent *e;
		char **names = NULL;
		size_t n = 0;
		if (!dir)
			continue;
		while ((e = readdir(dir)) != NULL) {
			size_t l = strlen(e->d_name);
			if (e->d_name[0] == '.' || l <= 5 || strcmp(e->d_name + l - 5, ".yaml") != 0)
				continue;
			names = xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = xstrdup(e->d_name);
		}
		closedir(dir);
		if (n)
			qsort(names, n, sizeof(*names), cmp_str);
		for (i = 0; i < n; i++) {
			struct strbuf path;
			struct fd_error err;
			struct runbook *rb;
			size_t k;
			bool dup = false;
			names[i][strlen(names[i]) - 5] = '\0';
			for (k = 0; k < nseen; k++)
				dup |= strcmp(seen[k], names[i]) == 0;
			if (dup) {
				free(names[i]);
				continue;
			}
			seen = xrealloc(seen, (nseen + 1) * sizeof(*seen));
			seen[nseen++] = names[i];
			strbuf_init(&path);
			strbuf_addf(&path, "%s/%s.yaml", dirs[d], names[i]);
			rb = rb_load(path.data, &err);
			printf("%-22s ", names[i]);
			if (rb)
				print_first_line(stdout, rb->description ? rb->description : "");
			else {
				printf("(invalid: %s)", err.message);
				rc = 1;
			}
			printf("\n");
			rb_destroy(rb);
			strbuf_clean_up(&path);
		}
		free(names);
	}
	for (i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	rb_dirs_free(dirs);
	return rc;
}

/* One line per step: name, action and what it acts on. */
static void show_steps(const struct rb_step *steps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct rb_step *st = &steps[i];
		json_t *svc = json_object_get(st->inputs, "service"), *op = json_object_get(st->inputs, "operation");
		printf("  %2zu. %-24s %-8s", i + 1, st->name, st->action->name);
		if (json_is_string(svc) && json_is_string(op))
			printf(" %s %s", json_string_value(svc), json_string_value(op));
		if (st->on_failure == RB_ON_FAILURE_CONTINUE)
			printf("  [on_failure: continue]");
		else if (st->on_failure == RB_ON_FAILURE_STEP)
			printf("  [on_failure: step:%s]", steps[st->on_failure_step].name);
		if (st->max_attempts > 1)
			printf("  [max_attempts: %d]", st->max_attempts);
		printf("\n");
	}
}

/* `runbook show NAME`: description, parameters, steps and rollback. */
static int cmd_show(int argc, char **argv)
{
	struct fd_error err;
	struct runbook *rb;
	char *path;
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: flightdeck runbook show NAME\n");
		return 2;
	}
	path = rb_find(argv[1], &err);
	rb = path ? rb_load(path, &err) : NULL;
	if (!rb) {
		fprintf(stderr, "flightdeck: %s\n", err.message);
		free(path);
		return 2;
	}
	printf("%s (%s)\n", rb->name, rb->path);
	if (rb->description)
		printf("\n%s%s", rb->description, rb->description[strlen(rb->description) - 1] == '\n' ? "" : "\n");
	if (rb->nparams) {
		printf("\nparameters:\n");
		for (i = 0; i < rb->nparams; i++) {
			const struct rb_param *p = &rb->params[i];
			char *def = p->def ? json_dumps(p->def, JSON_ENCODE_ANY) : NULL;
			printf("  %-24s %-8s %s%s", p->name, p->type, def ? "default " : "(required)", def ? def : "");
			if (p->description)
				printf("  # %s", p->description);
			printf("\n");
			free(def);
		}
	}
	printf("\nsteps:\n");
	show_steps(rb->steps, rb->nsteps);
	if (rb->nrollback) {
		printf("\nrollback:\n");
		show_steps(rb->rollback, rb->nrollback);
	}
	rb_destroy(rb);
	free(path);
	return 0;
}

/* `runbook validate FILE...`: exit 0 when all are valid, 2 otherwise. */
static int cmd_validate(int argc, char **argv)
{
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: flightdeck runbook validate FILE...\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		struct fd_error err;
		char *path = rb_find(argv[i], &err);
		struct runbook *rb = path ? rb_load(path, &err) : NULL;
		if (rb)
			printf("%s: ok (%zu steps, %zu rollback steps)\n", path, rb->nsteps, rb->nrollback);
		else {
			fprintf(stderr, "%s\n", err.message);
			rc = 2;
		}
		rb_destroy(rb);
		free(path);
	}
	return rc;
}

static const struct {
	const char *name;
	int (*main)(int argc, char **argv);
} subcommands[] = {
	{ .name = "list", .main = cmd_list },
	{ .name = "show", .main = cmd_show },
	{ .name = "validate", .main = cmd_validate },
};

int cmd_runbook_main(int argc, char **argv, struct fd_globals *g)
{
	size_t i;

	(void)g;
	if (argc < 2) {
		fprintf(stderr, "usage: flightdeck runbook list|show|validate|plan|run|resume ...\n");
		return 2;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(subcommands[i].name, argv[1]) == 0)
			return subcommands[i].main(argc - 1, argv + 1);
	fprintf(stderr, "flightdeck: runbook: unknown subcommand '%s' (list, show, validate, plan, run, resume)\n",
		argv[1]);
	return 2;
}
