/* rb_jq.c — jq for runbooks: compiling and running programs with libjq, sandboxed (no input,
 * env, I/O or unbounded recursion). */
#include "runbooks/rb_impl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jq.h>

#include "base/strbuf.h"
#include "base/xalloc.h"

struct jq_msg {
	char text[300];
};

/* Keep jq's first complaint, shortened to its essential part. */
static void jq_error_cb(void *data, jv msg)
{
	struct jq_msg *m = data;

	if (!m->text[0] && jv_get_kind(msg) == JV_KIND_STRING) {
		const char *s = jv_string_value(msg);
		char *cut;
		if (strncmp(s, "jq: error: ", 11) == 0)
			s += 11;
		snprintf(m->text, sizeof(m->text), "%s", s);
		if ((cut = strstr(m->text, " at <top-level>")) != NULL)
			*cut = '\0';
		if ((cut = strchr(m->text, '\n')) != NULL)
			*cut = '\0';
	}
	jv_free(msg);
}

/* A jv from a json_t (via text). */
static jv json_to_jv(json_t *j)
{
	char *s;
	jv v;

	if (!j)
		return jv_null();
	s = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
	v = s ? jv_parse(s) : jv_null();
	free(s);
	return v;
}

/* A json_t from a jv (consumed); NULL if it cannot be converted. */
static json_t *jv_to_json(jv v)
{
	jv s = jv_dump_string(v, 0);
	json_t *j = json_loads(jv_string_value(s), JSON_DECODE_ANY, NULL);

	jv_free(s);
	return j;
}

/* What a runbook's jq may not touch: the process environment (credentials live
 * there), modules (files; libjq 1.6 also aborts on an import without a library
 * path) and the builtins that read input or write to stderr around our
 * terminal sanitiser. The validator rejects these names (rb_jq_forbidden); the
 * sandbox below also shadows them when a program runs. */
static const char *const jq_forbidden_names[] = {
	"ENV", "env", "import", "include", "input", "inputs", "stderr", "debug", "input_filename",
	"get_search_list", "__prog_args", NULL,
};
#define JQ_SANDBOX "def env: {}; def stderr: .; def debug: .; def input: error(\"input is disabled\"); " \
	"def inputs: empty; def input_filename: null; {} as $ENV | (\n"

/* Compile program into a fresh jq state with $parameters and $steps bound;
 * sandboxed when it is to run (the validator has refused the names already,
 * and compiles without the sandbox so its messages point at the program). */
static jq_state *jq_compile_vars(const char *program, json_t *vars, struct jq_msg *m, bool sandbox)
{
	jq_state *jq = jq_init();
	jv args = jv_object();
	json_t *p = vars ? json_object_get(vars, "parameters") : NULL;
	json_t *s = vars ? json_object_get(vars, "steps") : NULL;
	struct strbuf sandboxed;
	int ok;

	if (!jq)
		return NULL;
	jq_set_error_cb(jq, jq_error_cb, m);
	jq_set_attr(jq, jv_string("JQ_LIBRARY_PATH"), jv_array());   /* no module is ever found */
	args = jv_object_set(args, jv_string("parameters"), p ? json_to_jv(p) : jv_object());
	args = jv_object_set(args, jv_string("steps"), s ? json_to_jv(s) : jv_object());
	strbuf_init(&sandboxed);
	if (sandbox)
		strbuf_addf(&sandboxed, "%s%s\n)", JQ_SANDBOX, program);
	else
		strbuf_adds(&sandboxed, program);
	ok = jq_compile_args(jq, sandboxed.data, args);
	strbuf_clean_up(&sandboxed);
	if (!ok) {
		jq_teardown(&jq);
		return NULL;
	}
	return jq;
}

/* Whether c can be part of a jq identifier. */
static bool jq_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Find the first forbidden name in a jq program, outside string literals and
 * comments (interpolations \(...) are code and are looked into). Returns its
 * offset, or -1; *what is the name. A key spelled like one (`{env: 1}`) is
 * refused too: the scan is lexical, on purpose, so nothing slips through. */
long rb_jq_forbidden(const char *prog, const char **what)
{
	int depth[64], nstr = 0;   /* per open string: the paren depth of its interpolation, -1 inside the text */
	int parens = 0;
	size_t i, k;

	for (i = 0; prog[i]; i++) {
		char c = prog[i];
		if (nstr > 0 && depth[nstr - 1] < 0) {   /* inside string text */
			if (c == '\\' && prog[i + 1] == '(') {
				depth[nstr - 1] = parens++;
				i++;
			} else if (c == '\\' && prog[i + 1])
				i++;
			else if (c == '"')
				nstr--;
			continue;
		}
		if (c == '"') {
			if (nstr == (int)(sizeof(depth) / sizeof(depth[0])))
				return (long)i;   /* nested too deep to follow: refuse */
			depth[nstr++] = -1;
			continue;
		}
		if (c == '#') {
			while (prog[i + 1] && prog[i + 1] != '\n')
				i++;
			continue;
		}
		if (c == '(') {
			parens++;
			continue;
		}
		if (c == ')') {
			parens--;
			if (nstr > 0 && depth[nstr - 1] == parens)
				depth[nstr - 1] = -1;   /* the interpolation ends: back in the string */
			continue;
		}
		/* names as whole words: `$ENV` and `$ ENV` (jq lexes '$' apart) alike */
		if (jq_ident_char(c) && !isdigit((unsigned char)c) && (i == 0 || !jq_ident_char(prog[i - 1]))) {
			size_t n = 1;
			while (jq_ident_char(prog[i + n]))
				n++;
			/* a field (.env) is data, not the builtin */
			if (i > 0 && prog[i - 1] == '.') {
				i += n - 1;
				continue;
			}
			for (k = 0; jq_forbidden_names[k]; k++)
				if (strlen(jq_forbidden_names[k]) == n && strncmp(prog + i, jq_forbidden_names[k], n) == 0) {
					*what = jq_forbidden_names[k];
					return (long)i;
				}
			i += n - 1;
		}
	}
	return -1;
}

/* jq 1.6's keywords: never renamed by rb_jq_shape (some may not be keys). */
static bool jq_keyword(const char *s, size_t n)
{
	static const char *const words[] = { "def", "if", "then", "elif", "else", "end", "as", "reduce", "foreach",
		"try", "catch", "label", "import", "include", "and", "or", "not", "__loc__", NULL };
	size_t k;

	for (k = 0; words[k]; k++)
		if (strlen(words[k]) == n && strncmp(s, words[k], n) == 0)
			return true;
	return false;
}

/* The token before offset i (blanks skipped), or 0. */
static char jq_prev_token(const char *prog, size_t i)
{
	while (i > 0 && isspace((unsigned char)prog[i - 1]))
		i--;
	return i > 0 ? prog[i - 1] : 0;
}

/* Whether the '.' at offset dot follows a number's digits (1.e5), not a name's (a1.b). */
static bool jq_dot_in_number(const char *prog, size_t dot)
{
	size_t m = dot;

	while (m > 0 && isdigit((unsigned char)prog[m - 1]))
		m--;
	return m < dot && !(m > 0 && (isalpha((unsigned char)prog[m - 1]) || prog[m - 1] == '_'));
}

/* A validator's key for prog: each field name (.name) becomes .f, each object
 * key (name: right after { or , inside braces) k, each number's digit runs 0;
 * strings, comments, function and variable names stay. Each change keeps the
 * token's kind, and none of these names or values decides whether jq compiles
 * a program, so two programs of one shape compile or fail alike: the
 * validator compiles one program per shape (a generated 10,000-step runbook
 * has a handful, libjq 1.6 costs ~50 us a program). */
char *rb_jq_shape(const char *prog)
{
	int depth[64], nstr = 0, parens = 0;
	char open[256];          /* the brackets open in code: ( [ { */
	size_t nopen = 0, i, n;
	struct strbuf sb;

	strbuf_init(&sb);
	for (i = 0; prog[i]; i++) {
		char c = prog[i];
		if (nstr > 0 && depth[nstr - 1] < 0) {   /* string text: as it is */
			strbuf_addc(&sb, c);
			if (c == '\\' && prog[i + 1] == '(') {
				depth[nstr - 1] = parens++;
				strbuf_addc(&sb, prog[++i]);
			} else if (c == '\\' && prog[i + 1])
				strbuf_addc(&sb, prog[++i]);
			else if (c == '"')
				nstr--;
			continue;
		}
		if (c == '"' && nstr == (int)(sizeof(depth) / sizeof(depth[0]))) {
			strbuf_adds(&sb, prog + i);   /* too deep to follow: the rest as it is */
			break;
		}
		if (c == '"')
			depth[nstr++] = -1;
		else if (c == '#') {
			for (n = 0; prog[i + n] && prog[i + n] != '\n'; n++)
				;
			strbuf_add(&sb, prog + i, n);
			i += n - 1;
			continue;
		} else if (c == '(' || c == '[' || c == '{') {
			parens += c == '(';
			if (nopen < sizeof(open))
				open[nopen] = c;
			nopen++;
		} else if (c == ')' || c == ']' || c == '}') {
			if (c == ')' && --parens >= 0 && nstr > 0 && depth[nstr - 1] == parens)
				depth[nstr - 1] = -1;   /* an interpolation ends: back in its string */
			nopen -= nopen > 0;
		} else if (isdigit((unsigned char)c)) {   /* a number (names are taken whole below) */
			while (isdigit((unsigned char)prog[i + 1]))
				i++;
			strbuf_addc(&sb, '0');
			continue;
		} else if (isalpha((unsigned char)c) || c == '_') {
			const char *after;
			for (n = 1; isalnum((unsigned char)prog[i + n]) || prog[i + n] == '_'; n++)
				;
			for (after = prog + i + n; *after == ' ' || *after == '\t' || *after == '\n'; after++)
				;
			if (jq_keyword(prog + i, n) || (i > 0 && (prog[i - 1] == '$' || prog[i - 1] == '@')))
				strbuf_add(&sb, prog + i, n);
			else if (i > 0 && prog[i - 1] == '.' && !jq_dot_in_number(prog, i - 1))
				strbuf_addc(&sb, 'f');      /* .name, not the exponent of 1.e5 */
			else if (after[0] == ':' && after[1] != ':' && nopen > 0 && nopen <= sizeof(open) &&
				 open[nopen - 1] == '{' && (jq_prev_token(prog, i) == '{' || jq_prev_token(prog, i) == ','))
				strbuf_addc(&sb, 'k');      /* {name: ...} */
			else
				strbuf_add(&sb, prog + i, n);
			i += n - 1;
			continue;
		}
		strbuf_addc(&sb, c);
	}
	return strbuf_detach(&sb, NULL);
}

int rb_jq_check(const char *program, struct fd_error *err)
{
	struct jq_msg m = { .text = "" };
	jq_state *jq = jq_compile_vars(program, NULL, &m, false);

	if (!jq)
		return fd_error_set(err, "JqError", "jq: %s", m.text[0] ? m.text : "compile error");
	jq_teardown(&jq);
	return 0;
}

json_t *rb_jq_eval(const char *program, json_t *input, json_t *vars, struct fd_error *err)
{
	struct jq_msg m = { .text = "" };
	jq_state *jq = jq_compile_vars(program, vars, &m, true);
	json_t *out;
	jv v;

	if (!jq) {
		fd_error_set(err, "JqError", "jq: %s", m.text[0] ? m.text : "compile error");
		return NULL;
	}
	jq_start(jq, json_to_jv(input), 0);
	v = jq_next(jq);
	if (!jv_is_valid(v)) {
		if (jv_invalid_has_msg(jv_copy(v))) {
			jv msg = jv_invalid_get_msg(v);
			if (jv_get_kind(msg) == JV_KIND_STRING)
				fd_error_set(err, "JqError", "jq: %s", jv_string_value(msg));
			else {
				jv d = jv_dump_string(msg, 0);
				fd_error_set(err, "JqError", "jq: %s", jv_string_value(d));
				jv_free(d);
				msg = jv_null();
			}
			jv_free(msg);
		} else {
			jv_free(v);
			fd_error_set(err, "JqError", "jq: the program produced no output");
		}
		jq_teardown(&jq);
		return NULL;
	}
	out = jv_to_json(v);
	jq_teardown(&jq);
	if (!out)
		fd_error_set(err, "JqError", "jq: output is not JSON");
	return out;
}

bool rb_jq_truthy(const json_t *v)
{
	return v && !json_is_false(v) && !json_is_null(v);
}
