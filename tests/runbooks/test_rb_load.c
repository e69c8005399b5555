/* test_rb_load.c — the runbook loader and validator: good input, and each kind of bad input with its exact message. */
#include <stdlib.h>
#include <string.h>

#include "runbooks/rb.h"
#include "runbooks/rb_impl.h"
#include "tests/tap.h"

static const char good[] =
	"description: test\n"
	"parameters:\n"
	"  region: {type: string, default: ap-northeast-2}\n"
	"  desired: {type: integer, default: 4}\n"
	"steps:\n"
	"  - name: read\n"
	"    action: aws\n"
	"    inputs:\n"
	"      service: autoscaling\n"
	"      operation: DescribeAutoScalingGroups\n"
	"      region: \"{{ parameters.region }}\"\n"
	"      input: {AutoScalingGroupNames: [petclinic-asg-was-blue]}\n"
	"    outputs:\n"
	"      Desired: .AutoScalingGroups[0].DesiredCapacity\n"
	"  - name: check\n"
	"    action: assert\n"
	"    inputs:\n"
	"      value: \"{{ read.Desired }}\"\n"
	"      condition: '. <= $parameters.desired'\n"
	"    on_failure: step:undo\n"
	"    timeout: 30s\n"
	"    max_attempts: 3\n"
	"  - name: undo\n"
	"    action: sleep\n"
	"    inputs: {duration: 500ms}\n"
	"rollback:\n"
	"  - name: back\n"
	"    action: approve\n"
	"    inputs: {message: 'really? {{ read.Desired }}'}\n";

/* Load text as t.yaml and return the error message ("" when valid). */
static const char *load_msg(const char *text)
{
	static struct fd_error err;
	struct runbook *rb = rb_load_buffer("t.yaml", text, strlen(text), &err);

	if (rb) {
		rb_destroy(rb);
		return "";
	}
	return err.message;
}

/* The validator compiles one jq program per shape (rb_jq_shape): a shape
 * must compile exactly when the program does, whatever names and numbers it has.
 * (No syntax error inside a string interpolation, "\(.a": Debian's libjq 1.6 leaks the
 * string it was lexing there, which fails the ASan suite; rb_jq_shape keeps strings as
 * they are, so such a program and its shape are the same text.) */
static void test_shape(void)
{
	static const char *const progs[] = {
		".a >= 0", ".Name >= 10", "{a1: .a0}", "{if: 1}", "{a: 1, b}", "1.e5", "1.5e10 + .x", ".a::b",
		"def f: 1; f", "def f: 1; g", "def f: 1; {f: 2} | f", ".[0, a:2]", "def a: 1; .[0, a:2]", ".[1:2]",
		"\"x\\(.a)\" | .b", "{a: 1 | .b}", "{(.a): 1}", "reduce .[] as $x (0; . + $x)",
		"$__loc__", "..a", ".end", ". as [$a, $b] | $a", "{a: {b: .c}}", "# c: .x\n.y", ".a[0:1]",
		"@base64d", "{k1:1,k2:2}", "if .a then .b else 1 end", "{a:}", "{: 1}", "[.[] | {n: .N, v: .V}]",
		"{a: 1, b: 2", "{a b: 1}", "{a: .b, c: d}", "{$x: 1}", "{@base64: 1}", ".a.b.c.d", "{\"a\": .b}",
		"{a: 1} | .a1 + 01", "label $out | 1", "{a:: 1}", ". as {a: $x} | $x", ". as {a: $x, $y} | $y",
		NULL,
	};
	struct fd_error err;
	size_t i;

	for (i = 0; progs[i]; i++) {
		char *shape = rb_jq_shape(progs[i]);
		is_int(rb_jq_check(shape, &err) == 0, rb_jq_check(progs[i], &err) == 0,
		       "shape '%s' of '%s' compiles as it does", shape, progs[i]);
		free(shape);
	}
	{
		char *a = rb_jq_shape(".Abc >= 12 and (.x.y | length) > 3"), *b = rb_jq_shape("{Name: .x, y}"),
		     *c = rb_jq_shape("def f: 1; \"s1 \\(.a)\" # .c");
		is_str(a, ".f >= 0 and (.f.f | length) > 0", "field names and numbers go");
		is_str(b, "{k: .f, y}", "object keys go; a key alone is a field read and stays");
		is_str(c, "def f: 0; \"s1 \\(.f)\" # .c", "function names, strings and comments stay; interpolations are code");
		free(a);
		free(b);
		free(c);
	}
	is_str(load_msg("steps:\n  - name: a\n    action: assert\n    inputs: {value: 1, condition: '.a > 0'}\n"
			"  - name: b\n    action: assert\n    inputs: {value: 1, condition: '.b > 1'}\n"
			"  - name: c\n    action: assert\n    inputs: {value: 1, condition: '.c > 1 | nosuchfn'}\n"),
	       "t.yaml:10:35: step 'c': jq: nosuchfn/0 is not defined", "a program of another shape is still compiled");
}

int main(void)
{
	struct fd_error err;
	struct runbook *rb = rb_load_buffer("good.yaml", good, strlen(good), &err);
	json_t *v, *in, *vars;

	ok(rb != NULL, "a valid runbook loads%s%s", rb ? "" : ": ", rb ? "" : err.message);
	if (rb) {
		is_str(rb->name, "good", "its name is the file's base name");
		is_int(rb->nparams, 2, "two parameters");
		is_int(json_integer_value(rb->params[1].def), 4, "an integer default is typed");
		is_int(rb->nsteps, 3, "three steps");
		is_int(rb->nrollback, 1, "one rollback step");
		is_int(rb->steps[1].on_failure, RB_ON_FAILURE_STEP, "on_failure step:NAME");
		is_int(rb->steps[1].on_failure_step, 2, "points at the named step");
		is_int(rb->steps[1].timeout_ms, 30000, "timeout 30s");
		is_int(rb->steps[1].max_attempts, 3, "max_attempts");
		is_str(json_string_value(json_object_get(rb->steps[0].outputs, "Desired")),
		       ".AutoScalingGroups[0].DesiredCapacity", "outputs are jq paths");
		is_str(json_string_value(json_array_get(json_object_get(json_object_get(rb->steps[0].inputs, "input"),
			"AutoScalingGroupNames"), 0)), "petclinic-asg-was-blue", "inputs become JSON");
		rb_destroy(rb);
	}

	is_str(load_msg("steps: [a: b\n"), "t.yaml:2:1: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence",
	       "invalid YAML: libyaml's message with line and column");
	is_str(load_msg("steps:\n  - name: x\n    action: teleport\n"),
	       "t.yaml:3:13: step 'x': unknown action 'teleport' (aws, wait, assert, approve, sleep, probe, branch, metric)",
	       "unknown action");
	is_str(load_msg("steps:\n  - name: x\n    action: sleep\n    inputs: {duration: 1s, speed: 3}\n"),
	       "t.yaml:4:28: step 'x': action sleep has no input 'speed' (duration)", "unknown input of an action");
	is_str(load_msg("steps:\n  - name: x\n    action: approve\n    inputs: {message: '{{ parameters.who }}'}\n"),
	       "t.yaml:4:23: step 'x': unknown parameter 'who' in {{ parameters.who }}", "unknown parameter");
	is_str(load_msg("steps:\n  - name: x\n    action: approve\n    inputs: {message: '{{ later.Out }}'}\n"
			"  - name: later\n    action: sleep\n    inputs: {duration: 1}\n"),
	       "t.yaml:4:23: step 'x': {{ later.Out }} refers to no earlier step 'later'", "reference to a later step");
	is_str(load_msg("steps:\n  - name: a\n    action: sleep\n    inputs: {duration: 1}\n"
			"  - name: x\n    action: approve\n    inputs: {message: '{{ a.Out }}'}\n"),
	       "t.yaml:7:23: step 'x': step 'a' has no output 'Out'", "reference to an undeclared output");
	is_str(load_msg("steps:\n  - name: x\n    action: assert\n    inputs: {value: 1, condition: '. >'}\n"),
	       "t.yaml:4:35: step 'x': jq: syntax error, unexpected $end (Unix shell quoting issues?)",
	       "jq compile error");
	is_str(load_msg("steps:\n  - name: x\n    action: assert\n    inputs: {value: 1, condition: '$nope'}\n"),
	       "t.yaml:4:35: step 'x': jq: $nope is not defined", "jq: undefined variable");
	is_str(load_msg("steps:\n  - name: x\n    action: sleep\n    inputs: {duration: 1}\n    on_failure: step:nowhere\n"),
	       "t.yaml:5:17: step 'x': on_failure: no step 'nowhere'", "on_failure to a missing step");
	is_str(load_msg("steps:\n  - name: x\n    action: sleep\n    inputs: {duration: soon}\n"),
	       "t.yaml:4:24: step 'x': duration: 'soon' is not a duration (like 30s, 5m, 500ms)", "bad duration");
	is_str(load_msg("steps:\n  - name: x\n    action: sleep\n    inputs: {duration: 1}\n  - name: x\n    action: sleep\n    inputs: {duration: 1}\n"),
	       "t.yaml:5:5: duplicate step name 'x'", "duplicate step names");
	is_str(load_msg("steps:\n  - name: x\n    action: aws\n    inputs: {service: sts}\n"),
	       "t.yaml:4:13: step 'x': action aws needs input 'operation'", "missing required input");
	is_str(load_msg("steps:\n  - name: x\n    action: aws\n    inputs: {service: route53, operation: Teleport}\n"),
	       "t.yaml:4:43: step 'x': route53 Teleport is not an operation flightdeck knows", "unknown operation");
	is_str(load_msg("steps:\n  - name: x\n    action: aws\n    inputs: {service: elbv2, operation: ModifyListener,\n"
			"             current: {operation: ModifyRule, value: .}}\n"),
	       "t.yaml:5:35: step 'x': current must read, but elbv2 ModifyRule changes state", "current must be a read");
	is_str(load_msg("steps:\n  - name: a\n    action: assert\n    inputs: {value: 1, condition: '. > 0'}\n"
			"  - name: b\n    action: assert\n    inputs: {value: 1, condition: 'nosuchfn(1)'}\n"),
	       "t.yaml:7:35: step 'b': jq: nosuchfn/1 is not defined", "the failing one of several jq programs is named");
	is_str(load_msg("stepz: []\n"), "t.yaml:1:1: unknown key 'stepz' (description, parameters, steps, rollback)",
	       "unknown top-level key");
	is_str(load_msg("steps:\n  - name: x\n    action: sleep\n    inputs: {duration: 1}\n    retries: 3\n"),
	       "t.yaml:5:5: step 'x': unknown key 'retries' (name, action, description, inputs, outputs, timeout, max_attempts, on_failure, print, measure, measure_from, for_each)",
	       "unknown step key");
	is_str(load_msg("parameters:\n  n: {type: integer, default: many}\nsteps:\n  - {name: x, action: sleep, inputs: {duration: 1}}\n"),
	       "t.yaml:2:31: parameter 'n': default 'many' is not of type integer", "default of the wrong type");
	is_str(load_msg("steps:\n  - name: x\n    action: approve\n    inputs: {message: '{{ x }}'}\n"),
	       "t.yaml:4:23: step 'x': malformed template '{{ x }}' (want {{ step.Output }} or {{ parameters.name }})",
	       "malformed template");
	is_str(load_msg("a: &x 1\nb: *x\n"), "t.yaml:2:4: aliases (*x) are not supported in runbooks", "aliases refused");
	is_str(load_msg("a: 1\na: 2\n"), "t.yaml:2:1: duplicate key 'a'", "duplicate keys refused");
	is_str(load_msg(""), "t.yaml:1:1: the runbook is empty", "empty file");

	/* What cannot end (issue 10): loops without a bound, fast polls, no timeout. */
	is_str(load_msg("steps:\n  - name: a\n    action: sleep\n    inputs: {duration: 1}\n"
			"  - name: b\n    action: assert\n    on_failure: step:a\n    inputs: {value: 1, condition: '. > 5'}\n"),
	       "t.yaml:7:17: step 'b' goes back to step 'a': a loop that nothing ends (give a step in it max_attempts)",
	       "an on_failure loop without max_attempts is refused");
	is_str(load_msg("steps:\n  - name: a\n    action: sleep\n    max_attempts: 5\n    inputs: {duration: 1}\n"
			"  - name: b\n    action: assert\n    on_failure: step:a\n    inputs: {value: 1, condition: '. > 5'}\n"),
	       "", "the same loop with max_attempts on a step in it is allowed");
	is_str(load_msg("steps:\n  - name: a\n    action: assert\n    on_failure: step:a\n    inputs: {value: 1, condition: '. > 5'}\n"),
	       "t.yaml:4:17: step 'a' goes back to step 'a': a loop that nothing ends (give a step in it max_attempts)",
	       "a step that goes back to itself is a loop");
	is_str(load_msg("steps:\n  - name: a\n    action: sleep\n    inputs: {duration: 1}\n"
			"  - name: b\n    action: branch\n    inputs: {value: 1, condition: 'true', then: a}\n"),
	       "t.yaml:5:5: step 'b' goes back to step 'a': a loop that nothing ends (give a step in it max_attempts)",
	       "a branch back is a loop too");
	is_str(load_msg("steps:\n  - name: a\n    action: sleep\n    inputs: {duration: 1}\n"
			"  - name: b\n    action: assert\n    on_failure: step:d\n    inputs: {value: 1, condition: '. > 5'}\n"
			"  - name: c\n    action: sleep\n    inputs: {duration: 1}\n"
			"  - name: d\n    action: assert\n    on_failure: continue\n    inputs: {value: 1, condition: '. > 5'}\n"),
	       "", "jumps forward are no loop");
	is_str(load_msg("steps:\n  - name: w\n    action: wait\n    inputs: {service: cloudwatch, operation: DescribeAlarms, until: 'true', interval: 500ms}\n"),
	       "t.yaml:4:87: step 'w': interval 500ms is shorter than 1s (polling AWS faster only burns its API quota)",
	       "a wait polling faster than once a second is refused");
	is_str(load_msg("steps:\n  - name: w\n    action: wait\n    inputs: {service: cloudwatch, operation: DescribeAlarms, until: 'true', interval: 0}\n"),
	       "t.yaml:4:87: step 'w': interval 0 is shorter than 1s (polling AWS faster only burns its API quota)",
	       "interval 0 is refused");
	is_str(load_msg("steps:\n  - name: w\n    action: wait\n    timeout: 0\n    inputs: {service: cloudwatch, operation: DescribeAlarms, until: 'true'}\n"),
	       "t.yaml:4:14: step 'w': timeout must be more than 0 (leave it out for the action's default)", "timeout 0 is refused");
	is_str(load_msg("steps:\n  - name: p\n    action: probe\n    inputs: {url: 'file:///etc/passwd', during: [p]}\n"),
	       "t.yaml:4:19: step 'p': url 'file:///etc/passwd' is not an http:// or https:// URL", "a probe of a file is refused");
	is_str(load_msg("steps:\n  - name: p\n    action: probe\n    inputs: {url: 'gopher://h/', during: [p]}\n"),
	       "t.yaml:4:19: step 'p': url 'gopher://h/' is not an http:// or https:// URL", "other schemes are refused");
	is_str(load_msg("steps:\n  - name: p\n    action: probe\n    inputs: {url: 'https://h/', interval: 50ms, during: [p]}\n"),
	       "", "an https probe every 50 ms is fine");
	/* jq that reads the environment (where AWS credentials are) never validates. */
	is_str(load_msg("steps:\n  - name: x\n    action: assert\n    inputs: {value: 1, condition: '$ENV.AWS_SECRET_ACCESS_KEY'}\n"),
	       "t.yaml:4:35: step 'x': jq may not use $ENV (a runbook cannot read the environment, modules or input, nor write to stderr)",
	       "$ENV is refused with file, line and column");
	is_str(load_msg("steps:\n  - name: x\n    action: assert\n    inputs: {value: 1, condition: '$ ENV | length'}\n"),
	       "t.yaml:4:35: step 'x': jq may not use $ENV (a runbook cannot read the environment, modules or input, nor write to stderr)",
	       "so is $ ENV (jq lexes $ apart)");
	is_str(load_msg("steps:\n  - name: x\n    action: assert\n    inputs: {value: 1, condition: '\"\\(env.HOME)\" | length > 0'}\n"),
	       "t.yaml:4:35: step 'x': jq may not use env (a runbook cannot read the environment, modules or input, nor write to stderr)",
	       "env inside a string interpolation is refused");
	is_str(load_msg("steps:\n  - name: x\n    action: aws\n    inputs: {service: sts, operation: GetCallerIdentity}\n"
			"    outputs: {Secret: 'env | .AWS_SECRET_ACCESS_KEY'}\n"),
	       "t.yaml:5:23: step 'x': jq may not use env (a runbook cannot read the environment, modules or input, nor write to stderr)",
	       "env in an output is refused");
	is_str(load_msg("steps:\n  - name: x\n    action: assert\n    inputs: {value: 1, condition: 'import \"a\" as a; true'}\n"),
	       "t.yaml:4:35: step 'x': jq may not use import (a runbook cannot read the environment, modules or input, nor write to stderr)",
	       "modules are refused (libjq 1.6 aborts on them without a library path)");
	is_str(load_msg("steps:\n  - name: x\n    action: assert\n    inputs: {value: 1, condition: '\"\\u009b\" | stderr'}\n"),
	       "t.yaml:4:35: step 'x': jq may not use stderr (a runbook cannot read the environment, modules or input, nor write to stderr)",
	       "stderr is refused");
	is_str(load_msg("steps:\n  - name: x\n    action: assert\n    inputs: {value: {env: 1}, condition: '.env == 1 and \"env\" == \"env\" # env'}\n"),
	       "", "a field, a string or a comment that says env is fine");
	v = rb_jq_eval("$ENV | length", NULL, NULL, &err);
	is_int(json_integer_value(v), 0, "at run time $ENV is empty");
	json_decref(v);
	v = rb_jq_eval("env | length", NULL, NULL, &err);
	is_int(json_integer_value(v), 0, "and so is env");
	json_decref(v);
	is_str(load_msg("parameters:\n  t: {type: string, secret: perhaps}\nsteps:\n  - {name: x, action: sleep, inputs: {duration: 1}}\n"),
	       "t.yaml:2:29: parameter 't': secret must be true or false", "secret is a boolean");

	/* Bounds of integer and number parameters: declared, checked at load and on every value given. */
	is_str(load_msg("parameters:\n  n: {type: integer, default: 4, min: 0, max: 10}\nsteps:\n  - {name: x, action: sleep, inputs: {duration: 1}}\n"),
	       "", "min and max on an integer parameter");
	is_str(load_msg("parameters:\n  n: {type: string, min: 0}\nsteps:\n  - {name: x, action: sleep, inputs: {duration: 1}}\n"),
	       "t.yaml:2:26: parameter 'n': min is for integer and number parameters", "no bounds on a string");
	is_str(load_msg("parameters:\n  n: {type: integer, max: lots}\nsteps:\n  - {name: x, action: sleep, inputs: {duration: 1}}\n"),
	       "t.yaml:2:27: parameter 'n': max must be an integer", "a bound has the parameter's type");
	is_str(load_msg("parameters:\n  n: {type: number, min: 2, max: 1}\nsteps:\n  - {name: x, action: sleep, inputs: {duration: 1}}\n"),
	       "t.yaml:2:26: parameter 'n': min is above max", "min <= max");
	is_str(load_msg("parameters:\n  n: {type: integer, default: 11, max: 10}\nsteps:\n  - {name: x, action: sleep, inputs: {duration: 1}}\n"),
	       "t.yaml:2:31: parameter 'n': default 11: above its maximum 10", "the default is within the bounds");
	{
		static const char b[] = "parameters:\n  n: {type: integer, min: -1, max: 10}\n  r: {type: number, min: 0.5}\n"
			"  f: {type: boolean}\n  s: {type: string, secret: true}\nsteps:\n  - {name: x, action: sleep, inputs: {duration: 1}}\n";
		static const struct { int param; const char *given, *want; } cases[] = {
			{ 0, "-1", "-1" }, { 0, "10", "10" }, { 0, "11", "parameter n: above its maximum 10" },
			{ 0, "-2", "parameter n: below its minimum -1" }, { 0, "4x", "parameter n: '4x' is not an integer" },
			{ 0, "", "parameter n: '' is not an integer" }, { 0, "99999999999999999999", "parameter n: '99999999999999999999' is not an integer" },
			{ 1, "0.5", "0.5" }, { 1, "0.25", "parameter r: below its minimum 0.5" }, { 1, "nan", "parameter r: 'nan' is not a number" },
			{ 2, "true", "true" }, { 2, "yes", "parameter f: 'yes' is not a boolean" },
			{ 3, "hunter2", "\"hunter2\"" },
		};
		struct runbook *rbb = rb_load_buffer("b.yaml", b, strlen(b), &err);
		size_t i;
		ok(rbb != NULL, "a runbook with bounds loads");
		for (i = 0; rbb && i < sizeof(cases) / sizeof(cases[0]); i++) {
			json_t *g = json_string(cases[i].given), *got = rb_param_value(&rbb->params[cases[i].param], g, &err);
			char *shown = got ? json_dumps(got, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
			is_str(got ? shown : err.message, cases[i].want, "rb_param_value(%s, '%s')", rbb->params[cases[i].param].name,
			       cases[i].given);
			free(shown);
			json_decref(got);
			json_decref(g);
		}
		if (rbb) {
			json_t *g = json_integer(3), *got = rb_param_value(&rbb->params[3], g, &err);
			ok(got == NULL || json_is_string(got), "a number given to a string parameter becomes text");
			json_decref(got);
			json_decref(g);
			g = json_integer(1);
			got = rb_param_value(&rbb->params[2], g, &err);
			is_str(got ? "" : err.message, "parameter f: '1' is not a boolean", "a JSON value of the wrong type is refused");
			json_decref(got);
			json_decref(g);
		}
		rb_destroy(rbb);
	}

	is_int(rb_parse_duration_ms("1.5s"), 1500, "1.5s");
	is_int(rb_parse_duration_ms("2m"), 120000, "2m");
	is_int(rb_parse_duration_ms("250ms"), 250, "250ms");
	is_int(rb_parse_duration_ms("7"), 7000, "a bare number is seconds");
	is_int(rb_parse_duration_ms("7d"), -1, "unknown unit");

	in = json_pack("{s:i}", "a", 2);
	vars = json_pack("{s:{s:i}}", "parameters", "b", 5);
	v = rb_jq_eval(".a + $parameters.b", in, vars, &err);
	is_int(json_integer_value(v), 7, "jq evaluates with $parameters");
	json_decref(v);
	json_decref(in);
	json_decref(vars);
	v = rb_jq_eval("error(\"boom\")", NULL, NULL, &err);
	ok(v == NULL, "a jq runtime error fails");
	is_str(err.message, "jq: boom", "with jq's message");
	test_shape();
	return done_testing();
}
