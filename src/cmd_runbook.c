/* cmd_runbook.c — `flightdeck runbook list|show|validate|plan|run|resume`. */
#include "src/cli.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws/client.h"
#include "base/strbuf.h"
#include "base/termtext.h"
#include "base/xalloc.h"
#include "model/measure.h"
#include "runbooks/rb.h"
#include "runbooks/rb_journal.h"
#include "runbooks/rb_run.h"
#include "runbooks/rb_runs.h"

/* One line of a possibly multi-line text: the first. */
static void print_first_line(FILE *out, const char *s)
{
	const char *nl = s ? strchr(s, '\n') : NULL;

	struct strbuf sb;

	if (!s)
		return;
	strbuf_init(&sb);
	termtext_add(&sb, s, nl ? (size_t)(nl - s) : strlen(s), 0);
	fputs(sb.data, out);
	strbuf_clean_up(&sb);
}

/* How many of found came from dir. */
static size_t found_in(const struct rb_found *found, size_t n, const char *dir)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += found[i].dir == dir;
	return k;
}

/* `runbook list`: every runbook found (first directory wins), then the
 * directories searched; exit 1 when none was found or one is invalid. */
static int cmd_list(int argc, char **argv, struct fd_globals *g)
{
	char **dirs = rb_dirs();
	size_t n, i;
	struct rb_found *found = rb_list(dirs, &n);
	int rc = 0;

	(void)argc; (void)argv; (void)g;
	for (i = 0; i < n; i++) {
		struct fd_error err;
		struct runbook *rb = rb_load(found[i].path, &err);
		printf("%-22s ", found[i].name);   /* a name is letters, digits, '_' and '-' (rb_list) */
		if (rb)
			print_first_line(stdout, rb->description ? rb->description : "");
		else {
			printf("(invalid: %s)", err.message);   /* fd_error messages are safe text */
			rc = 1;
		}
		printf("\n");
		rb_destroy(rb);
	}
	if (n == 0) {
		char *where = rb_dirs_text(dirs);
		fprintf(stderr, "flightdeck: no runbooks found in %s\n", where);
		fprintf(stderr, "flightdeck: put NAME.yaml files in one of them, or add directories with FD_RUNBOOK_PATH "
			"(flightdeck runbook --help)\n");
		free(where);
		rc = 1;
	} else {
		printf("\nsearched, in order (the first directory holding a name wins):\n");
		for (i = 0; dirs[i]; i++) {
			struct stat st;
			size_t k = found_in(found, n, dirs[i]);
			printf("  ");
			termtext_fputs(dirs[i], 0, stdout);
			if (stat(dirs[i], &st) < 0 || !S_ISDIR(st.st_mode))
				printf("  (does not exist)\n");
			else
				printf("  (%zu runbook%s listed)\n", k, k == 1 ? "" : "s");
		}
	}
	rb_list_free(found, n);
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
		if (json_is_string(svc) && json_is_string(op)) {
			printf(" ");
			termtext_fputs(json_string_value(svc), 0, stdout);
			printf(" ");
			termtext_fputs(json_string_value(op), 0, stdout);
		}
		if (st->on_failure == RB_ON_FAILURE_CONTINUE)
			printf("  [on_failure: continue]");
		else if (st->on_failure == RB_ON_FAILURE_STEP)
			printf("  [on_failure: step:%s]", steps[st->on_failure_step].name);
		if (st->max_attempts > 1)
			printf("  [max_attempts: %d]", st->max_attempts);
		if (st->file) {   /* an included runbook's step */
			printf("  [from ");
			termtext_fputs(strrchr(st->file, '/') ? strrchr(st->file, '/') + 1 : st->file, 0, stdout);
			printf("]");
		}
		printf("\n");
	}
}

/* `runbook show NAME`: description, parameters, steps and rollback. */
static int cmd_show(int argc, char **argv, struct fd_globals *g)
{
	(void)g;
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
	termtext_fputs(rb->name, 0, stdout);
	printf(" (");
	termtext_fputs(rb->path, 0, stdout);
	printf(")\n");
	if (rb->description && *rb->description) {
		printf("\n");
		termtext_fputs(rb->description, TERMTEXT_MULTILINE, stdout);
		printf("%s", rb->description[strlen(rb->description) - 1] == '\n' ? "" : "\n");
	}
	if (rb->nparams) {
		printf("\nparameters:\n");
		for (i = 0; i < rb->nparams; i++) {
			const struct rb_param *p = &rb->params[i];
			char *def = p->def && !p->secret ? json_dumps(p->def, JSON_ENCODE_ANY | JSON_ENSURE_ASCII) : NULL;
			if (!rb_param_given(p)) {   /* set by an include: shown as set */
				free(def);
				def = json_dumps(p->bound, JSON_ENCODE_ANY | JSON_ENSURE_ASCII);
				printf("  %-24s %-8s set to ", p->name, p->type);
				termtext_fputs(def, 0, stdout);
				printf(" at ");
				termtext_fputs(p->bound_at, 0, stdout);
				printf("\n");
				free(def);
				continue;
			}
			printf("  %-24s %-8s %s", p->name, p->type, p->def ? "default " : "(required)");
			termtext_fputs(p->def && p->secret ? "<secret>" : def ? def : "", 0, stdout);
			if (p->description) {
				printf("  # ");
				termtext_fputs(p->description, 0, stdout);
			}
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
static int cmd_validate(int argc, char **argv, struct fd_globals *g)
{
	(void)g;
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

/* ---- plan, run, resume: the engine driven line by line ---- */

struct cli_io {
	struct client *client;
	char line[1024];         /* the typed answer being read */
	size_t len;
	bool terminal;           /* stdin is a terminal: type-ahead is discarded before every prompt */
};

/* rb_io.call: the client's asynchronous call. */
static int io_call(void *ctx, const char *service, const char *operation, const char *region, json_t *input,
		   rb_call_done_fn done, void *done_ctx, struct fd_error *err)
{
	struct cli_io *io = ctx;

	return client_call_async(io->client, service, operation, region, input, CLIENT_RESPONSE_METADATA, done, done_ctx, err) < 0 ? -1 : 0;
}

/* rb_io.print: one line on stdout, at once. */
static void io_print(void *ctx, const char *line)
{
	(void)ctx;
	printf("%s\n", line);
	fflush(stdout);
}

/* rb_io.measure: the figure goes to the measurements file the dashboard's targets read. */
static void io_measure(void *ctx, const char *name, double value, const char *runbook, const char *run_id,
		       const char *stack)
{
	struct fd_error err;

	(void)ctx;
	if (measure_append(name, value, runbook, run_id, stack, &err) < 0)
		fprintf(stderr, "flightdeck: warning: measurement %s not recorded: %s\n", name, err.message);
}

/* rb_io.secret: the --debug log redacts a secret parameter's value. */
static void io_secret(void *ctx, const char *value)
{
	struct cli_io *io = ctx;

	client_debug_secret(io->client, value);
}

/* Read what stdin has; hand over a complete line (or EOF as no answer). */
static void read_answer(struct cli_io *io, struct rb_run *r)
{
	char c;
	ssize_t n;

	for (;;) {
		n = read(0, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			printf("\n");
			rb_run_answer(r, NULL);
			return;
		}
		if (c == '\n') {
			io->line[io->len] = '\0';
			if (io->len && io->line[io->len - 1] == '\r')
				io->line[io->len - 1] = '\0';
			io->len = 0;
			rb_run_answer(r, io->line);
			return;
		}
		if (io->len < sizeof(io->line) - 1)
			io->line[io->len++] = c;
	}
}

/* Drive a run to its end: the client's and the probe's sockets, the run's timers, stdin for answers. */
static int drive(struct rb_run *r, struct cli_io *io)
{
	bool prompted = false;

	for (;;) {
		struct pollfd fds[65];
		enum rb_status st = rb_run_step(r);
		long t, ct;
		int n, nfds;
		if (st != RB_RUNNING && st != RB_WAITING_INPUT)
			break;
		n = client_poll_fds(io->client, fds, 48);
		nfds = n + rb_run_poll_fds(r, fds + n, 64 - n);   /* the probe's checks */
		if (st == RB_WAITING_INPUT) {
			if (!prompted) {
				/* the change is on screen: only what is typed from now on answers */
				fflush(stdout);
				cli_discard_typeahead();
				io->len = 0;
				printf("%s\n> ", rb_run_prompt(r));
				fflush(stdout);
				prompted = true;
			}
			fds[nfds].fd = 0;
			fds[nfds].events = POLLIN;
			fds[nfds++].revents = 0;
		} else
			prompted = false;
		t = rb_run_timeout_ms(r);
		ct = client_timeout_ms(io->client);
		if (ct >= 0 && (t < 0 || ct < t))
			t = ct;
		if (t < 0 && nfds == 0) {
			fprintf(stderr, "flightdeck: the run is stuck (nothing to wait for)\n");
			return 1;
		}
		if (t > 1000)
			t = 1000;
		if (poll(fds, (nfds_t)nfds, (int)t) < 0 && errno != EINTR) {
			perror("flightdeck: poll");
			return 1;
		}
		client_perform(io->client, fds, n);
		if (st == RB_WAITING_INPUT && (fds[nfds - 1].revents & (POLLIN | POLLHUP | POLLERR))) {
			read_answer(io, r);
			prompted = false;
		}
	}
	return rb_run_exit_code(r);
}

/* The client for a run, from the shared options. */
static struct client *make_client(struct fd_globals *g, struct fd_error *err)
{
	struct client_options o = {
		.profile = g->profile, .region = g->region, .endpoint_url = g->endpoint_url,
		.debug_file = g->debug_file, .read_only = g->read_only, .max_call_bytes = CLI_MAX_CALL_BYTES(g),
	};
	return client_new(&o, err);
}

/* Ask for required parameters not given (on a terminal), else fail; with
 * secret_only, the secret ones (resume: the journal does not keep them). */
static int ask_params(const struct runbook *rb, json_t *params, bool secret_only)
{
	size_t i;

	for (i = 0; i < rb->nparams; i++) {
		const struct rb_param *p = &rb->params[i];
		char line[1024];
		if ((secret_only ? !p->secret : p->def != NULL) || !rb_param_given(p))
			continue;
		if (json_object_get(params, p->name))
			continue;
		if (!isatty(0)) {
			fprintf(stderr, "flightdeck: parameter %s is %s (-p %s=VALUE)\n", p->name,
				secret_only ? "secret and the journal does not keep it: give it again" : "required",
				p->name);
			return -1;
		}
		cli_discard_typeahead();
		printf("%s", p->name);
		if (p->description) {
			printf(" - ");
			termtext_fputs(p->description, 0, stdout);
		}
		printf(": ");
		fflush(stdout);
		if (cli_read_line(line, sizeof(line), p->secret) < 0)
			return -1;
		json_object_set_new(params, p->name, json_string(line));
		fd_wipe(line, sizeof(line));
	}
	return 0;
}

/* Another host's lock: break it only when the person types that host's name. */
static bool confirm_lock_break(const struct fd_error *err, char *host, size_t size)
{
	if (!isatty(0)) {
		fprintf(stderr, "flightdeck: %s\nflightdeck: to break it, run this in a terminal and type that host's name "
			"when asked\n", err->message);
		return false;
	}
	fprintf(stderr, "flightdeck: %s\n", err->message);
	fflush(stderr);
	cli_discard_typeahead();
	printf("If no run is in progress on that host, type its name to break the lock (anything else stops)\n> ");
	fflush(stdout);
	return cli_read_line(host, size, false) == 0 && host[0];
}

/* Start, drive and end one run (or resume one); the exit status. */
static int run_engine(struct runbook *rb, json_t *params, json_t *journal, struct rb_options *o,
		      struct fd_globals *g)
{
	char host[256];
	struct cli_io io = { 0 };
	struct fd_error err;
	struct rb_io rio = {
		.ctx = &io, .call = io_call,
		.print = io_print, .measure = io_measure, .secret = io_secret,
	};
	struct rb_run *r;
	char *state_dir = NULL;
	int rc;

	io.client = make_client(g, &err);
	if (!io.client) {
		fprintf(stderr, "flightdeck: %s\n", err.message);
		return 2;
	}
	rio.default_region = client_region(io.client);
	if (!o->plan) {
		state_dir = rb_journal_state_dir();
		if (!state_dir) {
			fprintf(stderr, "flightdeck: no state directory (set HOME or XDG_STATE_HOME)\n");
			client_destroy(io.client);
			return 2;
		}
		o->state_dir = state_dir;
	}
	io.terminal = isatty(0);
	o->no_terminal = !io.terminal;
	r = journal ? rb_run_resume(rb, journal, params, &rio, o, &err) : rb_run_new(rb, params, &rio, o, &err);
	if (!r && strcmp(err.code, "LockHeldElsewhere") == 0 && confirm_lock_break(&err, host, sizeof(host))) {
		o->break_lock_host = host;
		r = journal ? rb_run_resume(rb, journal, params, &rio, o, &err) : rb_run_new(rb, params, &rio, o, &err);
		o->break_lock_host = NULL;
	} else if (!r && strcmp(err.code, "LockHeldElsewhere") == 0) {
		client_destroy(io.client);
		free(state_dir);
		return 1;
	}
	if (!r) {
		fprintf(stderr, "flightdeck: %s\n", err.message);
		rc = strcmp(err.code, "InvalidParameter") == 0 ? 2 : 1;
	} else {
		rc = drive(r, &io);
		rb_run_destroy(r);
	}
	client_destroy(io.client);
	free(state_dir);
	return rc;
}

/* Take -p key=value / --param key=value / --param=key=value at argv[*i] into params. */
static int take_param(int argc, char **argv, int *i, json_t *params)
{
	const char *kv = argv[*i][1] == 'p' || strcmp(argv[*i], "--param") == 0 ?
		(*i + 1 < argc ? argv[++*i] : NULL) : argv[*i] + 8;
	const char *eq = kv ? strchr(kv, '=') : NULL;
	char *key;

	if (!eq || eq == kv) {
		fprintf(stderr, "flightdeck: -p wants key=value\n");
		return -1;
	}
	key = xstrndup(kv, (size_t)(eq - kv));
	json_object_set_new(params, key, json_string(eq + 1));
	free(key);
	(*i)++;
	return 0;
}

/* `runbook plan|run NAME [-p key=value ...] [--yes]`. */
static int cmd_plan_or_run(int argc, char **argv, struct fd_globals *g, bool plan)
{
	struct rb_options o = { .plan = plan };
	json_t *params = json_object();
	const char *name = NULL;
	struct runbook *rb = NULL;
	struct fd_error err;
	char *path = NULL;
	int i = 1, rc = 2;

	while (i < argc) {
		int t = cli_take_global(g, argc, argv, &i);
		if (t < 0)
			goto out;
		if (t > 0)
			continue;
		if (strcmp(argv[i], "--yes") == 0 || strcmp(argv[i], "-y") == 0) {
			o.yes = true;
			i++;
		} else if (strcmp(argv[i], "-p") == 0 || strncmp(argv[i], "--param", 7) == 0) {
			if (take_param(argc, argv, &i, params) < 0)
				goto out;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "flightdeck: runbook %s: unknown option '%s'\n", argv[0], argv[i]);
			goto out;
		} else if (!name)
			name = argv[i++];
		else {
			fprintf(stderr, "flightdeck: runbook %s: one runbook at a time\n", argv[0]);
			goto out;
		}
	}
	if (!name) {
		fprintf(stderr, "usage: flightdeck runbook %s NAME [-p key=value ...]%s\n", argv[0], plan ? "" : " [--yes]");
		goto out;
	}
	o.read_only = g->read_only;
	path = rb_find(name, &err);
	rb = path ? rb_load(path, &err) : NULL;
	if (!rb) {
		fprintf(stderr, "%s%s\n", strcmp(err.code, "InvalidRunbook") ? "flightdeck: " : "", err.message);
		goto out;
	}
	if (ask_params(rb, params, false) < 0)
		goto out;
	rc = run_engine(rb, params, NULL, &o, g);
out:
	json_decref(params);
	rb_destroy(rb);
	free(path);
	return rc;
}

static int cmd_plan(int argc, char **argv, struct fd_globals *g)
{
	return cmd_plan_or_run(argc, argv, g, true);
}

static int cmd_run(int argc, char **argv, struct fd_globals *g)
{
	return cmd_plan_or_run(argc, argv, g, false);
}

/* `runbook resume [RUN-ID] [--yes]`: the last unfinished run, or the one named. */
static int cmd_resume(int argc, char **argv, struct fd_globals *g)
{
	struct rb_options o = { 0 };
	const char *id = NULL;
	char *state_dir = rb_journal_state_dir(), *last = NULL;
	struct runbook *rb = NULL;
	json_t *j = NULL, *params = json_object();
	struct fd_error err;
	int i = 1, rc = 2;

	while (i < argc) {
		int t = cli_take_global(g, argc, argv, &i);
		if (t < 0)
			goto out;
		if (t > 0)
			continue;
		if (strcmp(argv[i], "--yes") == 0 || strcmp(argv[i], "-y") == 0)
			o.yes = true;
		else if (strcmp(argv[i], "-p") == 0 || strncmp(argv[i], "--param", 7) == 0) {
			if (take_param(argc, argv, &i, params) < 0)
				goto out;
			continue;
		} else if (argv[i][0] != '-' && !id)
			id = argv[i];
		else {
			fprintf(stderr, "usage: flightdeck runbook resume [RUN-ID] [-p key=value ...] [--yes]\n");
			goto out;
		}
		i++;
	}
	o.read_only = g->read_only;
	if (!state_dir) {
		fprintf(stderr, "flightdeck: no state directory (set HOME or XDG_STATE_HOME)\n");
		goto out;
	}
	if (!id && !(id = last = rb_runs_last_unfinished(state_dir, &err))) {
		fprintf(stderr, "flightdeck: %s\n", err.message);
		rc = 1;
		goto out;
	}
	if (!(rb = rb_runs_open(state_dir, id, &j, &err))) {
		fprintf(stderr, "%s%s\n", strcmp(err.code, "InvalidRunbook") ? "flightdeck: " : "", err.message);
		goto out;
	}
	if (ask_params(rb, params, true) < 0)
		goto out;
	rc = run_engine(rb, params, j, &o, g);
out:
	json_decref(params);
	json_decref(j);
	rb_destroy(rb);
	free(last);
	free(state_dir);
	return rc;
}

static const struct {
	const char *name;
	int (*main)(int argc, char **argv, struct fd_globals *g);
	const char *synopsis;    /* after "flightdeck runbook " */
	const char *summary;
} subcommands[] = {
	{ .name = "list", .main = cmd_list,
	  .synopsis = "list",
	  .summary = "every runbook found (first line of its description), then the directories searched; exit 1 when none" },
	{ .name = "show", .main = cmd_show,
	  .synopsis = "show NAME",
	  .summary = "a runbook's description, parameters, steps and rollback steps" },
	{ .name = "validate", .main = cmd_validate,
	  .synopsis = "validate FILE...",
	  .summary = "check runbooks without running them; exit 0 when all are valid, 2 otherwise" },
	{ .name = "plan", .main = cmd_plan,
	  .synopsis = "plan NAME [-p key=value ...]",
	  .summary = "run the reads, show every mutating call with its current -> new state; send no mutating call" },
	{ .name = "run", .main = cmd_run,
	  .synopsis = "run NAME [-p key=value ...] [--yes]",
	  .summary = "run a runbook; mutating calls ask for confirmation unless --yes (-y)" },
	{ .name = "resume", .main = cmd_resume,
	  .synopsis = "resume [RUN-ID] [-p key=value ...] [--yes]",
	  .summary = "resume the last unfinished run, or the one named, from its journal (secret parameters again)" },
};

/* The search path, for --help: where runbooks are looked for, in order, and the directories now. */
static void print_search_path(void)
{
	char **dirs = rb_dirs();
	size_t i;

	printf("\nA runbook NAME is the file NAME.yaml in the first of these directories that holds one:\n"
	       "  1. each directory of $FD_RUNBOOK_PATH (separated by ':')\n"
	       "  2. your own: $XDG_CONFIG_HOME/flightdeck/runbooks (~/.config/flightdeck/runbooks)\n"
	       "  3. the shipped ones: beside the binary (BINDIR/../share/flightdeck/runbooks when installed,\n"
	       "     the source tree when run from its build tree), then the installed prefix's\n"
	       "(FILE.yaml or a path with '/' names a file directly.) Searched now:\n");
	for (i = 0; dirs[i]; i++) {
		printf("  ");
		termtext_fputs(dirs[i], 0, stdout);
		printf("\n");
	}
	rb_dirs_free(dirs);
}

/* Whether the arguments after argv[0] ask for help (the value of -p/--param is not an option). */
static bool asks_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
		if (strcmp(argv[i], "-p") == 0 || strcmp(argv[i], "--param") == 0)
			i++;
	}
	return false;
}

int cmd_runbook_main(int argc, char **argv, struct fd_globals *g)
{
	size_t i;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: flightdeck runbook list|show|validate|plan|run|resume ...\n");
		for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
			printf("  %-36s %s\n", subcommands[i].synopsis, subcommands[i].summary);
		print_search_path();
		printf("(flightdeck runbook SUBCOMMAND --help for one)\n");
		return 0;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: flightdeck runbook list|show|validate|plan|run|resume ...\n");
		return 2;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(subcommands[i].name, argv[1]) == 0) {
			if (asks_help(argc - 1, argv + 1)) {
				printf("usage: flightdeck runbook %s\n%s\n", subcommands[i].synopsis, subcommands[i].summary);
				return 0;
			}
			return subcommands[i].main(argc - 1, argv + 1, g);
		}
	fprintf(stderr, "flightdeck: runbook: unknown subcommand '%s' (list, show, validate, plan, run, resume)\n",
		argv[1]);
	return 2;
}
