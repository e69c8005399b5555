/* cmd_call.c — `flightdeck call SERVICE OPERATION [Name=Value ...]`: one signed
 * call (all pages with --all-pages), the response as pretty JSON. */
#include "src/cli.h"
#include "aws/client.h"
#include "aws/codec.h"
#include "aws/ops.h"
#include "base/strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: flightdeck call SERVICE OPERATION [Name=Value ...] [--input-json FILE|-]\n"
	"                       [--all-pages] [--region R] [--profile P] [--endpoint-url URL]\n"
	"                       [--read-only] [--debug FILE]\n";

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

/* Whether an error is the user's (exit 2) rather than the operation's (exit 1). */
static bool usage_error(const struct fd_error *err)
{
	static const char *const codes[] = {
		"UnknownService", "UnknownOperation", "UnknownParameter", "InvalidInput", "InvalidRegion",
		"MissingParameter", "NoRegion", "ProfileNotFound", "DebugFile", "InvalidEndpoint",
	};
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(err->code, codes[i]) == 0)
			return true;
	return false;
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
		.debug_file = g->debug_file, .read_only = g->read_only,
	}, &err);
	if (!c) {
		fprintf(stderr, "flightdeck call: %s\n", fd_error_str(&err, buf, sizeof(buf)));
		json_decref(input);
		return usage_error(&err) ? 2 : 1;
	}
	result = client_call(c, svc->cli_name, op->name, NULL, input, flags, &err);
	if (result) {
		/* every number with the fewest digits that keep it exact: 0.2, not 0.20000000000000001 */
		char *out = codec_json_dumps(result, JSON_INDENT(4));
		printf("%s\n", out);
		free(out);
		json_decref(result);
	} else {
		fprintf(stderr, "%s %s: %s\n", svc->cli_name, op->name,
			fd_error_str(&err, buf, sizeof(buf)));
		status = usage_error(&err) ? 2 : 1;
	}
	json_decref(input);
	client_destroy(c);
	return status;
}
