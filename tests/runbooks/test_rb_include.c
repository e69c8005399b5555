/* test_rb_include.c — `include:` steps (runbooks/rb_include.c): the included runbook's
 * steps in place, its rollback first and gated, its parameters set, shared or
 * inherited, one figure per name; and each bad include with its exact message. */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runbooks/rb.h"
#include "tests/tap.h"

static char dir[] = "/tmp/fd-rb-include-XXXXXX";

/* Write dir/name.yaml. */
static void put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.yaml", dir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

/* Load dir/name.yaml: the error message, "" when valid (rb kept in *out when given). */
static const char *load(const char *name, struct runbook **out)
{
	static struct fd_error err;
	char path[256];
	struct runbook *rb;

	snprintf(path, sizeof(path), "%s/%s.yaml", dir, name);
	rb = rb_load(path, &err);
	if (out)
		*out = rb;
	else
		rb_destroy(rb);
	return rb ? "" : err.message;
}

static const char child[] =
	"parameters:\n"
	"  region: {type: string, default: ap-northeast-2}\n"
	"  count: {type: integer, default: 1}\n"
	"  tg: {type: string, default: blue}\n"
	"  extra: {type: string, default: inherited}\n"
	"steps:\n"
	"  - {name: c1, action: sleep, inputs: {duration: 1ms}, outputs: {X: '1'}}\n"
	"  - {name: c2, action: assert, inputs: {value: '{{ c1.X }}', condition: 'true'}, on_failure: 'step:c3'}\n"
	"  - {name: c3, action: assert, inputs: {value: '{{ parameters.count }}', condition: 'true'},"
	" measure: total_s, measure_from: c2}\n"
	"  - {name: c4, action: assert, inputs: {value: 1, condition: 'true'}, measure: own_s}\n"
	"rollback:\n"
	"  - {name: cb1, action: sleep, inputs: {duration: 1ms}}\n";

static const char parent[] =
	"parameters:\n"
	"  region: {type: string, default: eu-west-1}\n"
	"  n: {type: integer, default: 3}\n"
	"steps:\n"
	"  - {name: p1, action: sleep, inputs: {duration: 1ms}}\n"
	"  - include: child\n"
	"    parameters: {count: '{{ parameters.n }}', tg: 'green-{{ parameters.region }}'}\n"
	"  - {name: p2, action: assert, inputs: {value: '{{ c1.X }} {{ parameters.extra }}', condition: 'true'},"
	" measure: total_s, measure_from: p1}\n"
	"rollback:\n"
	"  - {name: pb1, action: sleep, inputs: {duration: 1ms}}\n";

/* A runbook including child with this include item (YAML lines, indented). */
static const char *with_include(const char *item)
{
	static char buf[2048];

	snprintf(buf, sizeof(buf), "parameters:\n  region: {type: string, default: x}\n  n: {type: integer, default: 3}\n"
		 "steps:\n  - {name: p1, action: sleep, inputs: {duration: 1ms}}\n%s", item);
	return buf;
}

int main(void)
{
	struct runbook *rb = NULL;
	const struct rb_param *p;
	struct fd_error err;
	json_t *params, *v;
	const char *msg;
	size_t i;

	if (!mkdtemp(dir))
		return 1;
	put("child", child);
	put("parent", parent);
	msg = load("parent", &rb);
	is_str(msg, "", "a runbook including another loads");
	if (!rb)
		return done_testing(), 1;
	is_int((long)rb->nsteps, 6, "its steps: its own two and the included four");
	is_str(rb->steps[1].name, "c1", "the included steps run where the include is");
	is_str(rb->steps[5].name, "p2", "its own steps after them");
	ok(rb->steps[0].file == NULL && rb->steps[1].file && strstr(rb->steps[1].file, "/child.yaml"),
	   "an included step knows its file (for messages), its own do not");
	is_int(rb->steps[2].on_failure_step, 3, "an included on_failure: step:c3 points at c3 in its new place");
	is_int(rb->steps[3].measure_from, 2, "an included measure_from points at c2 in its new place");
	ok(rb->steps[3].measure == NULL, "one figure per name: the includer's total_s wins over the included one");
	is_str(rb->steps[4].measure, "own_s", "an included figure the includer does not record stays");
	is_int((long)rb->nrollback, 2, "the rollback: the included one's and its own");
	is_str(rb->rollback[0].name, "cb1", "the included rollback runs first (undone in reverse)");
	is_int(rb->rollback[0].gate, 1, "gated on the include's first step (it runs only when the run got there)");
	is_int(rb->rollback[1].gate, -1, "its own rollback step is not gated");
	is_int((long)rb->nparams, 5, "parameters: its two, count and tg set, extra inherited (region shared)");
	for (i = 0, p = NULL; i < rb->nparams; i++)
		if (strcmp(rb->params[i].name, "count") == 0)
			p = &rb->params[i];
	ok(p && !rb_param_given(p) && p->bound_at && strstr(p->bound_at, "/parent.yaml:7 (include child)"),
	   "count is set by the include, which is named with its line");
	params = json_pack("{s:s, s:i}", "region", "eu-west-1", "n", 7);
	v = p ? rb_include_bind(p, params, &err) : NULL;
	ok(json_is_integer(v) && json_integer_value(v) == 7, "{{ parameters.n }} alone keeps n's type (7)");
	json_decref(v);
	for (i = 0, p = NULL; i < rb->nparams; i++)
		if (strcmp(rb->params[i].name, "tg") == 0)
			p = &rb->params[i];
	v = p ? rb_include_bind(p, params, &err) : NULL;
	is_str(json_string_value(v), "green-eu-west-1", "a template among text is expanded as text");
	json_decref(v);
	json_object_del(params, "region");
	v = p ? rb_include_bind(p, params, &err) : NULL;
	ok(v == NULL && strstr(err.message, "parameter tg (set at ") && strstr(err.message, "parameter region has no value"),
	   "a missing value is an error, never empty text: %s", err.message);
	json_decref(v);
	json_decref(params);
	for (i = 0, p = NULL; i < rb->nparams; i++)
		if (strcmp(rb->params[i].name, "extra") == 0)
			p = &rb->params[i];
	ok(p && rb_param_given(p) && json_is_string(p->def), "extra is inherited with its default: the run takes it");
	rb_destroy(rb);

	/* bad includes: each stops validation, at the include's line */
	put("a", "steps:\n  - include: b\n");
	put("b", "steps:\n  - {name: b1, action: sleep, inputs: {duration: 1ms}}\n  - include: a\n");
	like(load("a", NULL), "a\\.yaml:2:14: include 'b': .*b\\.yaml:3:14: include 'a': an include cycle \\(a <- b <- a\\)",
	     "a cycle through two runbooks is named, with both lines");
	put("self", "steps:\n  - include: self\n");
	like(load("self", NULL), "self\\.yaml:2:14: include 'self': an include cycle \\(self <- self\\)", "including itself");
	put("t1", with_include("  - include: child\n    parameters: {nope: 1}\n"));
	like(load("t1", NULL), "t1\\.yaml:7:18: include 'child': it has no parameter 'nope' \\(its parameters: region, count, tg, extra\\)",
	     "an unknown parameter is named with the included runbook's");
	put("t2", with_include("  - include: child\n    parameters: {count: '{{ parameters.zzz }}'}\n"));
	like(load("t2", NULL), "t2\\.yaml:7:25: include 'child': parameter count: '\\{\\{ parameters.zzz \\}\\}' is not a "
	     "\\{\\{ parameters.NAME \\}\\} of this runbook", "a template of an unknown parameter");
	put("t3", with_include("  - include: child\n    parameters: {count: '{{ p1.X }}'}\n"));
	like(load("t3", NULL), "t3\\.yaml:7:25: include 'child': parameter count: .* is not a \\{\\{ parameters.NAME \\}\\}",
	     "a step's output: an include's values are known when the run starts");
	put("t4", with_include("  - include: child\n    parameters: {count: many}\n"));
	like(load("t4", NULL), "t4\\.yaml:7:25: include 'child': parameter count: 'many' is not an integer",
	     "a value of the wrong type");
	put("t5", with_include("  - include: child\n    parameters: {region: here}\n"));
	like(load("t5", NULL), "t5\\.yaml:7:18: include 'child': parameter region is also a parameter of this runbook",
	     "setting a parameter both runbooks have (a run has one value per name)");
	put("t6", "parameters:\n  count: {type: string, default: x}\nsteps:\n  - include: child\n");
	like(load("t6", NULL), "t6\\.yaml:4:5: include 'child': its parameter count is a integer, this runbook's a string",
	     "a shared parameter of another type");
	put("t7", with_include("  - include: child\n    name: c\n"));
	like(load("t7", NULL), "t7\\.yaml:7:5: include: unknown key 'name' \\(include, parameters\\)", "an unknown key");
	put("t8", with_include("rollback:\n  - include: child\n"));
	like(load("t8", NULL), "t8\\.yaml:7:5: include belongs in steps", "an include in a rollback section");
	put("t9", with_include("  - include: nosuch-runbook\n"));
	like(load("t9", NULL), "t9\\.yaml:6:14: include 'nosuch-runbook': .*nosuch-runbook", "a runbook that does not exist");
	put("t10", with_include("  - {name: c2, action: sleep, inputs: {duration: 1ms}}\n  - include: child\n"));
	like(load("t10", NULL), "t10\\.yaml:7:5: step name 'c2' is used by this runbook and by the runbook it includes "
	     "\\(.*child\\.yaml\\): rename this runbook's", "a step name both use");
	put("badchild", "steps:\n  - {name: x, action: explode}\n");
	put("t11", with_include("  - include: badchild\n"));
	like(load("t11", NULL), "t11\\.yaml:6:14: include 'badchild': .*badchild\\.yaml:2:23: step 'x': unknown action 'explode'",
	     "an invalid included runbook: its own message, at the include");
	put("t12", with_include("  - include: '../child'\n"));
	like(load("t12", NULL), "include: '\\.\\./child' is not a runbook name", "a path is not a runbook name");
	put("t13", with_include("  - {name: p3, action: assert, inputs: {value: '{{ c1.X }}', condition: 'true'}}\n"
				"  - include: child\n"));
	like(load("t13", NULL), "step 'p3': \\{\\{ c1.X \\}\\} refers to no earlier step 'c1'",
	     "an included step's outputs exist only after the include");

	for (i = 0; i < 40; i++) {   /* clean up */
		static const char *const names[] = { "child", "parent", "a", "b", "self", "t1", "t2", "t3", "t4", "t5", "t6",
			"t7", "t8", "t9", "t10", "badchild", "t11", "t12", "t13", NULL };
		char path[256];
		if (!names[i])
			break;
		snprintf(path, sizeof(path), "%s/%s.yaml", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	return done_testing();
}
