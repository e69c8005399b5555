/* wire_call.c — many `flightdeck call`s in one process, for the wire
 * differential tests (tests/client/wire_diff.py).
 *
 *   wire_call --list             every row of the operation table: cli-name TAB operation
 *   wire_call ENDPOINT <cases    one JSON case per line:
 *       {"id": N, "service": S, "operation": O, "input": {...}, "all_pages": bool}
 *     each answered by one line {"id": N, "result": {...}} or
 *     {"id": N, "error": {"code": C, "message": M, "status": S}}
 *
 * Each case goes through client_call() — the path of `flightdeck call` — with the
 * endpoint ENDPOINT/case/N, so the test server knows which case a request is. */
#include "aws/client.h"
#include "aws/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int list_ops(void)
{
	const struct ops_operation *op;

	for (op = ops_table; op->name; op++)
		printf("%s\t%s\n", op->service->cli_name, op->name);
	return 0;
}

/* Run one case line; print its answer line. */
static void run_case(const char *endpoint, json_t *c)
{
	json_int_t id = json_integer_value(json_object_get(c, "id"));
	const char *service = json_string_value(json_object_get(c, "service"));
	const char *operation = json_string_value(json_object_get(c, "operation"));
	json_t *input = json_object_get(c, "input");
	unsigned flags = json_is_true(json_object_get(c, "all_pages")) ? CLIENT_ALL_PAGES : 0;
	char url[512];
	struct fd_error err;
	struct client *cl;
	json_t *result = NULL, *out = json_object();
	char *line;

	fd_error_clear(&err);
	snprintf(url, sizeof(url), "%s/case/%lld", endpoint, (long long)id);
	cl = client_new(&(struct client_options){ .endpoint_url = url, .region = "ap-northeast-2",
						  .max_attempts = 1 }, &err);
	if (cl && service && operation)
		result = client_call(cl, service, operation, NULL, input ? input : json_object(),
				     flags, &err);
	json_object_set_new(out, "id", json_integer(id));
	if (result) {
		json_object_set_new(out, "result", result);
	} else {
		json_t *e = json_object();
		json_object_set_new(e, "code", json_string(err.code));
		json_object_set_new(e, "message", json_string(err.message));
		json_object_set_new(e, "status", json_integer(err.http_status));
		json_object_set_new(out, "error", e);
	}
	line = json_dumps(out, JSON_COMPACT | JSON_REAL_PRECISION(17));
	printf("%s\n", line);
	fflush(stdout);
	free(line);
	json_decref(out);
	if (cl)
		client_destroy(cl);
}

int main(int argc, char **argv)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;

	if (argc == 2 && strcmp(argv[1], "--list") == 0)
		return list_ops();
	if (argc != 2) {
		fprintf(stderr, "usage: wire_call --list | wire_call ENDPOINT <cases\n");
		return 2;
	}
	while ((n = getline(&buf, &cap, stdin)) > 0) {
		json_error_t jerr;
		json_t *c = json_loadb(buf, (size_t)n, 0, &jerr);
		if (!json_is_object(c)) {
			fprintf(stderr, "wire_call: bad case line: %s\n", jerr.text);
			json_decref(c);
			free(buf);
			return 2;
		}
		run_case(argv[1], c);
		json_decref(c);
	}
	free(buf);
	return 0;
}
