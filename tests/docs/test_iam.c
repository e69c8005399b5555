/* test_iam.c — docs/iam-readonly.json and docs/iam-runbooks.json against the
 * operation table: every operation flightdeck reads with is in the read-only
 * policy, every mutating one in the runbooks policy and never in the read-only
 * one, every action the policies list is one flightdeck calls, and every
 * operation the shipped runbooks name is covered. */
#include "aws/ops.h"
#include "tests/tap.h"

#include <dirent.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Signing names whose IAM action prefix differs. */
static const struct {
	const char *signing_name;
	const char *iam_prefix;
} iam_prefixes[] = {
	{ .signing_name = "monitoring", .iam_prefix = "cloudwatch" },
	{ .signing_name = NULL },
};

/* Operations that only obtain credentials: they are allowed on the identity that
 * assumes flightdeck's role (or need no signature at all), not on that role. */
static const char *const credential_ops[] = {
	"sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", NULL,
};

/* The IAM action of op ("cloudwatch:GetMetricData") into buf. */
static const char *iam_action(const struct ops_operation *op, char *buf, size_t size)
{
	const char *prefix = op->service->signing_name;
	size_t i;

	for (i = 0; iam_prefixes[i].signing_name; i++)
		if (strcmp(iam_prefixes[i].signing_name, prefix) == 0)
			prefix = iam_prefixes[i].iam_prefix;
	snprintf(buf, size, "%s:%s", prefix, op->name);
	return buf;
}

/* True when action is one that only obtains credentials. */
static bool credential_op(const struct ops_operation *op, const char *action)
{
	size_t i;

	if (op->unsigned_call)
		return true;
	for (i = 0; credential_ops[i]; i++)
		if (strcmp(credential_ops[i], action) == 0)
			return true;
	return false;
}

/* Load a policy from docs/ and collect the actions of its Allow statements into a
 * JSON array (owned by the caller); NULL when the file is not a policy. */
static json_t *policy_actions(const char *name)
{
	char path[1024];
	json_error_t jerr;
	json_t *doc, *stmts, *st, *acts, *a, *out;
	size_t i, j;

	snprintf(path, sizeof(path), "%s/docs/%s", FD_SRCDIR, name);
	doc = json_load_file(path, 0, &jerr);
	if (!ok(doc != NULL, "%s is JSON", name)) {
		printf("# %s:%d: %s\n", path, jerr.line, jerr.text);
		return NULL;
	}
	is_str(json_string_value(json_object_get(doc, "Version")), "2012-10-17",
	       "%s: policy language version 2012-10-17", name);
	stmts = json_object_get(doc, "Statement");
	ok(json_is_array(stmts) && json_array_size(stmts) > 0, "%s: has statements", name);
	out = json_array();
	json_array_foreach(stmts, i, st) {
		const char *effect = json_string_value(json_object_get(st, "Effect"));

		is_str(effect, "Allow", "%s: statement %zu allows", name, i);
		ok(json_object_get(st, "Resource") != NULL, "%s: statement %zu names its resources", name, i);
		acts = json_object_get(st, "Action");
		if (json_is_string(acts)) {
			json_array_append(out, acts);
			continue;
		}
		json_array_foreach(acts, j, a)
			json_array_append(out, a);
	}
	json_decref(doc);
	return out;
}

/* True when the array of strings holds s. */
static bool has(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/* The operation of the table whose IAM action is action, or NULL. */
static const struct ops_operation *op_of_action(const char *action)
{
	const struct ops_operation *op;
	char buf[160];

	for (op = ops_table; op->name; op++)
		if (strcmp(iam_action(op, buf, sizeof(buf)), action) == 0)
			return op;
	return NULL;
}

/* Every action of a policy is an operation of the table (mutating or not as wanted). */
static void check_listed(const char *name, json_t *acts, bool want_mutating)
{
	const struct ops_operation *op;
	size_t i;
	json_t *v;

	json_array_foreach(acts, i, v) {
		const char *a = json_string_value(v);

		op = a ? op_of_action(a) : NULL;
		if (!ok(op != NULL, "%s: %s is an operation flightdeck calls", name, a ? a : "(not a string)"))
			continue;
		ok(op->mutating == want_mutating, "%s: %s is %s", name, a,
		   want_mutating ? "mutating" : "read-only");
	}
}

/* Every `operation: Name` of the shipped runbooks is in the table and allowed by a policy. */
static void check_runbooks(json_t *ro, json_t *rb)
{
	char dir[1024], path[1300], line[512], name[128], buf[160];
	const struct ops_operation *op;
	struct dirent *de;
	int seen = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/runbooks", FD_SRCDIR);
	d = opendir(dir);
	if (!ok(d != NULL, "the shipped runbooks are at %s", dir))
		return;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		FILE *f;

		if (n < 6 || strcmp(de->d_name + n - 5, ".yaml") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			const char *p = strstr(line, "operation:");

			if (!p || sscanf(p, "operation: %127[A-Za-z0-9]", name) != 1)
				continue;
			seen++;
			for (op = ops_table; op->name; op++)
				if (strcmp(op->name, name) == 0)
					break;
			if (!ok(op->name != NULL, "%s: %s is in the operation table", de->d_name, name))
				continue;
			iam_action(op, buf, sizeof(buf));
			ok(op->mutating ? has(rb, buf) : has(ro, buf), "%s: %s is allowed by %s", de->d_name,
			   buf, op->mutating ? "iam-runbooks.json" : "iam-readonly.json");
		}
		fclose(f);
	}
	closedir(d);
	ok(seen > 0, "the shipped runbooks name operations (%d)", seen);
}

int main(void)
{
	json_t *ro = policy_actions("iam-readonly.json");
	json_t *rb = policy_actions("iam-runbooks.json");
	const struct ops_operation *op;
	char buf[160];
	int reads = 0, writes = 0;

	if (!ro || !rb)
		return done_testing();
	for (op = ops_table; op->name; op++) {
		iam_action(op, buf, sizeof(buf));
		if (credential_op(op, buf))
			continue;
		if (op->mutating) {
			writes++;
			ok(has(rb, buf), "%s (mutating) is in iam-runbooks.json", buf);
			ok(!has(ro, buf), "%s (mutating) is not in iam-readonly.json", buf);
		} else {
			reads++;
			ok(has(ro, buf), "%s is in iam-readonly.json", buf);
		}
	}
	ok(reads >= 20 && writes >= 8, "the table has the operations of the design (%d reads, %d writes)",
	   reads, writes);
	check_listed("iam-readonly.json", ro, false);
	check_listed("iam-runbooks.json", rb, true);
	check_runbooks(ro, rb);
	json_decref(ro);
	json_decref(rb);
	return done_testing();
}
