/* cmd_call.c — `flightdeck call SERVICE OPERATION [Name=Value ...]`: one signed
 * call (all pages with --all-pages), the response as pretty JSON.
 *
 * A mutating operation (ops table `.mutating`) is confirmed like a runbook step:
 * the same block (runbooks/rb_confirm.c) on stderr, then the operation's name
 * typed on the terminal, or --yes; without a terminal it is refused unless
 * --yes. Every mutating call is appended to the audit log (before it is sent,
 * and with its outcome and request id after). */
#include "src/cli.h"
#include "aws/client.h"
#include "aws/codec.h"
#include "aws/ops.h"
#include "base/statefile.h"
#include "base/strbuf.h"
#include "base/termtext.h"
#include "base/xalloc.h"
#include "runbooks/rb_confirm.h"
#include "runbooks/rb_journal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: flightdeck call SERVICE OPERATION [Name=Value ...] [--input-json FILE|-]\n"
	"                       [--all-pages] [--region R] [--profile P] [--endpoint-url URL]\n"
	"                       [--read-only] [--debug FILE] [--yes]\n"
	"A mutating operation shows what it will change and asks for its name to be\n"
	"typed (or --yes); it is written to the audit log.\n";

/* Print the services (for usage errors). */
static void list_services(FILE *out)
{
	size_t i;

	fprintf(out, "services:");
	for (i = 0; ops_services[i]; i++)
		fprintf(out, " %s", ops_services[i]->cli_name);
	fputc('\n', out);
}

/* Print the operations of a service, API name and aws-cli name. */
static void list_operations(FILE *out, const struct ops_service *s)
{
	const struct ops_operation *op;
	char kebab[128];

	fprintf(out, "operations of %s:\n", s->cli_name);
	for (op = ops_table; op->name; op++) {
		if (op->service != s)
			continue;
		ops_kebab(op->name, kebab, sizeof(kebab));
		fprintf(out, "  %-30s %s%s\n", op->name, kebab, op->mutating ? "  (changes state)" : "");
	}
}

/* Read --input-json (a file or "-"); NULL after printing the problem. */
static json_t *read_input_json(const char *path)
{
	json_error_t jerr;
	json_t *in;

	if (strcmp(path, "-") == 0) {
		in = json_loadf(stdin, 0, &jerr);
		path = "<stdin>";
	} else {
		FILE *f = fopen(path, "r");
		if (!f) {
			fprintf(stderr, "flightdeck call: %s: %s\n", path, strerror(errno));
			return NULL;
		}
		in = json_loadf(f, 0, &jerr);
		fclose(f);
	}
	if (!in) {
		fprintf(stderr, "flightdeck call: %s:%d: %s\n", path, jerr.line, jerr.text);
		return NULL;
	}
	if (!json_is_object(in)) {
		fprintf(stderr, "flightdeck call: %s:1: the input must be a JSON object\n", path);
		json_decref(in);
		return NULL;
	}
	return in;
}

/* A mutating call: what it changes, who asks, and where its audit record goes. */
struct mutation {
	const struct ops_service *svc;
	const struct ops_operation *op;
	json_t *input;          /* borrowed */
	const char *region;     /* borrowed: the client's */
	char *account, *caller_arn, *state_dir;
};

/* rb_confirm_block's line: the block goes to stderr, stdout stays the JSON result. */
static void block_line(void *ctx, const char *text)
{
	(void)ctx;
	fprintf(stderr, "%s\n", text);
}

/* Learn the account and caller for the block and the audit log; -1 (printed) when
 * unknown: a change is not sent on behalf of nobody knows whom. */
static int learn_identity(struct client *c, struct mutation *m)
{
	json_t *in = json_object(), *id;
	struct fd_error err;
	char buf[1024];

	fd_error_clear(&err);
	id = client_call(c, "sts", "GetCallerIdentity", NULL, in, 0, &err);
	json_decref(in);
	if (!id) {
		fprintf(stderr, "flightdeck call: caller identity unknown (sts GetCallerIdentity: %s): a change needs it; "
			"nothing sent\n", fd_error_str(&err, buf, sizeof(buf)));
		return -1;
	}
	m->account = xstrdup(json_string_value(json_object_get(id, "Account")) ?
			     json_string_value(json_object_get(id, "Account")) : "unknown");
	m->caller_arn = xstrdup(json_string_value(json_object_get(id, "Arn")) ?
				json_string_value(json_object_get(id, "Arn")) : "unknown");
	json_decref(id);
	return 0;
}

/* Append one audit record for m; -1 (printed) when it cannot be written. */
static int audit(const struct mutation *m, const char *outcome, const char *request_id)
{
	struct fd_error err;
	char when[32];
	time_t t = time(NULL);
	struct tm tm;
	json_t *rec;
	int r;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	rec = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:s?,s:s,s:b}", "time", when, "command", "call",
			"service", m->svc->cli_name, "operation", m->op->name, "region", m->region ? m->region : "",
			"parameters", rb_journal_redact(m->input, NULL), "outcome", outcome, "request_id", request_id,
			"caller_arn", m->caller_arn, "mutating", 1);
	fd_error_clear(&err);
	r = rb_journal_audit(m->state_dir, rec, &err);
	json_decref(rec);
	if (r < 0)
		fprintf(stderr, "flightdeck call: audit log not written: %s\n", err.message);
	return r;
}

/* Show the confirmation block and take the typed operation name (three tries,
 * type-ahead discarded first) or --yes. 0 when confirmed; else the exit status
 * (printed): 2 without a terminal and without --yes, 1 when not confirmed. */
static int confirm(const struct mutation *m, bool yes)
{
	struct rb_confirm rc = {
		.service = m->svc->cli_name, .operation = m->op->name, .input = m->input,
		.account = m->account, .caller_arn = m->caller_arn, .region = m->region,
	};
	char answer[256];
	int try;

	fflush(stdout);
	rb_confirm_block(&rc, block_line, NULL);
	if (yes) {
		fprintf(stderr, "  confirmed (--yes)\n");
		return 0;
	}
	if (!isatty(STDIN_FILENO)) {
		fprintf(stderr, "flightdeck call: %s %s changes state and needs a confirmation typed on a terminal, "
			"but stdin is not one: run it in a terminal, or add --yes; nothing sent\n",
			m->svc->cli_name, m->op->name);
		return 2;
	}
	answer[0] = '\0';
	for (try = 1; try <= RB_CONFIRM_TRIES; try++) {
		char *prompt = rb_confirm_prompt(m->op->name, "to send it", try, try > 1 ? answer : NULL);
		/* the change is on screen: only what is typed from now on answers */
		cli_discard_typeahead();
		fprintf(stderr, "%s\n> ", prompt);
		fflush(stderr);
		free(prompt);
		if (cli_read_line(answer, sizeof(answer), false) < 0) {
			fprintf(stderr, "\nflightdeck call: no answer; nothing sent\n");
			return 1;
		}
		if (strcmp(answer, m->op->name) == 0) {
			fprintf(stderr, "  confirmed (typed %s)\n", m->op->name);
			return 0;
		}
	}
	fprintf(stderr, "flightdeck call: not confirmed after %d tries; nothing sent\n", RB_CONFIRM_TRIES);
	return 1;
}

/* Everything before a mutating call is sent: identity, confirmation, the audit
 * log's first record. 0 to send; else the exit status (printed). */
static int before_mutation(struct client *c, struct mutation *m, bool yes)
{
	struct fd_error err;
	int r;

	m->region = client_region(c);
	m->state_dir = statefile_dir(STATEFILE_STATE, &err);
	if (!m->state_dir) {
		fprintf(stderr, "flightdeck call: the audit log: %s; nothing sent\n", err.message);
		return 2;
	}
	if (learn_identity(c, m) < 0)
		return 1;
	if ((r = confirm(m, yes)) != 0)
		return r;
	/* the audit log must be writable before anything is sent (fail closed) */
	if (audit(m, "sending", NULL) < 0) {
		fprintf(stderr, "flightdeck call: nothing sent\n");
		return 1;
	}
	return 0;
}

int cmd_call_main(int argc, char **argv, struct fd_globals *g)
{
	const char *service = NULL, *operation = NULL, *input_path = NULL;
	const struct ops_operation *op;
	const struct ops_service *svc;
	json_t *input = NULL, *result;
	struct client *c;
	struct fd_error err;
	unsigned flags = 0;
	char buf[1024];
	int i = 1, r, status = 0;
	bool yes = false;
	struct mutation m = { 0 };
	char **pairs = calloc((size_t)argc + 1, sizeof(char *));
	int n_pairs = 0;

	while (i < argc) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage_text, stdout);
			svc = service ? ops_service_find(service) : NULL;
			if (svc)
				list_operations(stdout, svc);
			else
				list_services(stdout);
			free(pairs);
			return 0;
		}
		r = cli_take_global(g, argc, argv, &i);
		if (r < 0) {
			free(pairs);
			return 2;
		}
		if (r > 0)
			continue;
		if (strcmp(a, "--all-pages") == 0) {
			flags |= CLIENT_ALL_PAGES;
			i++;
		} else if (strcmp(a, "--yes") == 0 || strcmp(a, "-y") == 0) {
			yes = true;
			i++;
		} else if (strcmp(a, "--input-json") == 0 || strncmp(a, "--input-json=", 13) == 0) {
			if (a[12] == '=') {
				input_path = a + 13;
			} else if (i + 1 < argc) {
				input_path = argv[++i];
			} else {
				fprintf(stderr, "flightdeck call: --input-json needs a file or -\n");
				free(pairs);
				return 2;
			}
			i++;
		} else if (a[0] == '-' && a[1] == '-') {
			fprintf(stderr, "flightdeck call: unknown option '%s'\n%s", a, usage_text);
			free(pairs);
			return 2;
		} else if (!service) {
			service = argv[i++];
		} else if (!operation) {
			operation = argv[i++];
		} else if (strchr(a, '=') && a[0] != '=') {
			pairs[n_pairs++] = argv[i++];
		} else {
			fprintf(stderr, "flightdeck call: '%s' is not Name=Value\n%s", a, usage_text);
			free(pairs);
			return 2;
		}
	}
	if (!service || !operation) {
		fputs(usage_text, stderr);
		list_services(stderr);
		free(pairs);
		return 2;
	}
	svc = ops_service_find(service);
	if (!svc) {
		fprintf(stderr, "flightdeck call: unknown service '%s'; ", service);
		list_services(stderr);
		free(pairs);
		return 2;
	}
	op = ops_find(service, operation);
	if (!op) {
		fprintf(stderr, "flightdeck call: %s has no operation '%s'; ", svc->cli_name, operation);
		list_operations(stderr, svc);
		free(pairs);
		return 2;
	}
	if (input_path) {
		input = read_input_json(input_path);
		if (!input) {
			free(pairs);
			return 2;
		}
	} else {
		input = json_object();
	}
	for (i = 0; i < n_pairs; i++) {
		char *eq = strchr(pairs[i], '=');
		char name[128];
		snprintf(name, sizeof(name), "%.*s", (int)(eq - pairs[i]), pairs[i]);
		json_object_set_new(input, name, codec_cli_value(op, name, eq + 1));
	}
	free(pairs);
	fd_error_clear(&err);
	if (codec_check_input(op, input, &err) < 0) {
		fprintf(stderr, "flightdeck call: %s\n", err.message);
		json_decref(input);
		return 2;
	}
	c = client_new(&(struct client_options){
		.profile = g->profile, .region = g->region, .endpoint_url = g->endpoint_url,
		.debug_file = g->debug_file, .read_only = g->read_only, .max_call_bytes = CLI_MAX_CALL_BYTES(g),
	}, &err);
	if (!c) {
		fprintf(stderr, "flightdeck call: %s\n", fd_error_str(&err, buf, sizeof(buf)));
		json_decref(input);
		return fd_error_exit_status(&err);
	}
	if (op->mutating && !g->read_only) {
		m.svc = svc;
		m.op = op;
		m.input = input;
		status = before_mutation(c, &m, yes);
		if (status != 0)
			goto out;
		flags |= CLIENT_RESPONSE_METADATA;   /* the request id for the audit log */
	}
	result = client_call(c, svc->cli_name, op->name, NULL, input, flags, &err);
	if (op->mutating && m.state_dir) {
		char outcome[600];
		const char *rid = json_string_value(json_object_get(json_object_get(result, "ResponseMetadata"), "RequestId"));
		if (result)
			snprintf(outcome, sizeof(outcome), "ok");
		else
			snprintf(outcome, sizeof(outcome), "error: %s: %s", err.code, err.message);
		if (audit(&m, outcome, result ? rid : err.request_id[0] ? err.request_id : NULL) < 0 && result)
			status = 1;   /* done, but not recorded: say so in the exit status */
		json_object_del(result, "ResponseMetadata");
	}
	if (result) {
		/* every number with the fewest digits that keep it exact: 0.2, not 0.20000000000000001 */
		char *out = codec_json_dumps(result, JSON_INDENT(4));
		/* AWS data: C1 controls and bidi overrides become \u escapes (same JSON value) */
		termtext_fputs(out, TERMTEXT_JSON | TERMTEXT_MULTILINE, stdout);
		putchar('\n');
		free(out);
		json_decref(result);
	} else {
		fprintf(stderr, "%s %s: %s\n", svc->cli_name, op->name,
			fd_error_str(&err, buf, sizeof(buf)));
		status = fd_error_exit_status(&err);
	}
out:
	json_decref(input);
	client_destroy(c);
	free(m.account);
	free(m.caller_arn);
	free(m.state_dir);
	return status;
}
