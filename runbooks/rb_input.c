/* rb_input.c — a step's inputs: templates expanded, jq programs evaluated, typed values read. */
#include "runbooks/rb_run_impl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/strbuf.h"
#include "base/termtext.h"
#include "base/xalloc.h"

/* A string input of the expanded inputs, or NULL. */
const char *rb_input_str(const struct rb_run *r, const char *key)
{
	return json_string_value(json_object_get(r->in, key));
}

/* A number input given as a number or as text ("0.05", a template's result); def when absent. */
double rb_input_number(const struct rb_run *r, const char *key, double def)
{
	json_t *v = json_object_get(r->in, key);
	const char *s = json_string_value(v);
	char *end;
	double d;

	if (json_is_number(v))
		return json_number_value(v);
	if (s && *s && (d = strtod(s, &end), !*end))
		return d;
	return def;
}

/* A duration input in ms: text ("250ms", "5m") or a number of seconds (at most 10 days);
 * def when absent, -1 when it is neither. */
long rb_input_duration_ms(const struct rb_run *r, const char *key, long def)
{
	json_t *v = json_object_get(r->in, key);

	if (!v)
		return def;
	if (json_is_string(v))
		return rb_parse_duration_ms(json_string_value(v));
	if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= 864000)
		return 1000L * (long)json_integer_value(v);
	return -1;
}

/* A JSON value as display text: strings bare, the rest compact JSON, reals to 15
 * significant digits (a max_5xx_rate of 0.05 showed as 0.050000000000000003). */
char *rb_input_display(json_t *v)
{
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (!v)
		return xstrdup("null");
	return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(15));
}

/* run.* fields (rb.h). */
static json_t *field_id(struct rb_run *r)
{
	return json_string(r->run_id);
}

static json_t *field_runbook(struct rb_run *r)
{
	return json_string(r->rb->name);
}

static json_t *field_elapsed_s(struct rb_run *r)
{
	return json_real((double)(rb_run_now_ms(r) - r->started_ms) / 1000.0);
}

/* The run's clock less ago_s, as ISO 8601 UTC to the second. */
static json_t *utc_ago(struct rb_run *r, time_t ago_s)
{
	char when[32];
	time_t t = (time_t)(rb_run_now_ms(r) / 1000) - ago_s;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(when);
}

static json_t *field_now(struct rb_run *r)
{
	return utc_ago(r, 0);
}

static json_t *field_ago_5m(struct rb_run *r)
{
	return utc_ago(r, 300);
}

const struct rb_run_field rb_run_fields[] = {
	{ .name = "id", .value = field_id },
	{ .name = "runbook", .value = field_runbook },
	{ .name = "elapsed_s", .value = field_elapsed_s },
	{ .name = "now", .value = field_now },
	{ .name = "ago_5m", .value = field_ago_5m },
	{ .name = NULL },
};

const struct rb_run_field *rb_run_field_find(const char *name)
{
	const struct rb_run_field *f;

	for (f = rb_run_fields; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* The value a reference a.b stands for (borrowed, or new for run fields via *owned). */
static json_t *lookup(struct rb_run *r, const char *a, const char *b, json_t **owned, struct fd_error *err)
{
	json_t *v = NULL;

	*owned = NULL;
	if (strcmp(a, "parameters") == 0)
		v = json_object_get(r->params, b);
	else if (strcmp(a, "run") == 0) {
		const struct rb_run_field *f = rb_run_field_find(b);
		if (f)
			v = *owned = f->value(r);
	} else if (strcmp(a, "item") == 0) {
		v = json_object_get(r->items ? json_array_get(r->items, r->item_idx) : NULL, b);
	} else if (r->unknown && json_object_get(r->unknown, a)) {
		fd_error_set(err, "PlanUnknown", "it needs {{ %s.%s }}, which a plan cannot know (%s)", a, b,
			     json_string_value(json_object_get(r->unknown, a)));
		return NULL;
	} else
		v = json_object_get(json_object_get(r->outputs, a), b);
	if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) {
		const struct rb_step *st = rb_run_cur_step(r);
		json_decref(*owned);
		*owned = NULL;
		fd_error_set(err, "TemplateError", "%s:%d: step '%s': {{ %s.%s }} %s", rb_step_file(r->rb, st), st->line, st->name,
			     a, b, !v ? "has no value (did that step run?)" : json_is_null(v) ? "is null" : "is empty");
		return NULL;
	}
	return v;
}

/* Find the next template in s: sets start and end around "{{ ... }}" and a, b. */
static bool next_template(const char *s, const char **start, const char **end, char *a, char *b, size_t size)
{
	const char *open = strstr(s, "{{"), *close, *p, *e, *dot;

	if (!open || !(close = strstr(open + 2, "}}")))
		return false;
	p = open + 2;
	while (*p == ' ')
		p++;
	e = close;
	while (e > p && e[-1] == ' ')
		e--;
	dot = memchr(p, '.', (size_t)(e - p));
	if (!dot)
		dot = e;
	snprintf(a, size, "%.*s", (int)(dot - p), p);
	snprintf(b, size, "%.*s", dot < e ? (int)(e - dot - 1) : 0, dot < e ? dot + 1 : "");
	*start = open;
	*end = close + 2;
	return true;
}

/* Expand a string: a lone template keeps its value's type; otherwise text
 * (json set: values are inserted as JSON, for jq programs). */
static json_t *expand_string(struct rb_run *r, const char *s, bool json, struct fd_error *err)
{
	struct strbuf sb;
	const char *start, *end, *p = s;
	char a[128], b[128];

	if (next_template(s, &start, &end, a, b, sizeof(a)) && start == s && !*end && !json) {
		json_t *owned, *v = lookup(r, a, b, &owned, err);
		if (!v)
			return NULL;
		return owned ? owned : json_deep_copy(v);
	}
	strbuf_init(&sb);
	while (next_template(p, &start, &end, a, b, sizeof(a))) {
		json_t *owned, *v = lookup(r, a, b, &owned, err);
		char *t;
		if (!v) {
			strbuf_clean_up(&sb);
			return NULL;
		}
		strbuf_add(&sb, p, (size_t)(start - p));
		t = json ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : rb_input_display(v);
		strbuf_adds(&sb, t);
		free(t);
		json_decref(owned);
		p = end;
	}
	strbuf_adds(&sb, p);
	{
		json_t *out = json_string(sb.data);
		strbuf_clean_up(&sb);
		return out;
	}
}

/* Expand every string under v (a new value). */
json_t *rb_input_expand(struct rb_run *r, json_t *v, struct fd_error *err)
{
	json_t *out, *x, *e;
	const char *k;
	size_t i;

	if (json_is_string(v))
		return expand_string(r, json_string_value(v), false, err);
	if (json_is_object(v)) {
		out = json_object();
		json_object_foreach(v, k, x) {
			if (!(e = rb_input_expand(r, x, err))) {
				json_decref(out);
				return NULL;
			}
			json_object_set_new(out, k, e);
		}
		return out;
	}
	if (json_is_array(v)) {
		out = json_array();
		json_array_foreach(v, i, x) {
			if (!(e = rb_input_expand(r, x, err))) {
				json_decref(out);
				return NULL;
			}
			json_array_append_new(out, e);
		}
		return out;
	}
	return v ? json_deep_copy(v) : json_null();
}

/* Expand a string to text (caller frees); NULL with err. */
char *rb_input_text(struct rb_run *r, const char *s, bool json, struct fd_error *err)
{
	json_t *v = expand_string(r, s, json, err);
	char *t;

	if (!v)
		return NULL;
	t = rb_input_display(v);
	json_decref(v);
	return t;
}

/* Expand text to show (caller frees; NULL with err): each of its own lines
 * expanded and made one line safe for a terminal, so a value with a newline
 * (AWS data) cannot add a line of its own, like a fake confirmation line. */
char *rb_input_lines(struct rb_run *r, const char *s, struct fd_error *err)
{
	struct strbuf sb;
	const char *p = s ? s : "", *nl;

	strbuf_init(&sb);
	do {
		char *line, *text, *safe;
		nl = strchr(p, '\n');
		line = nl ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		text = rb_input_text(r, line, false, err);
		free(line);
		if (!text) {
			strbuf_clean_up(&sb);
			return NULL;
		}
		safe = termtext_dup(text, 0);
		strbuf_addf(&sb, "%s%s", sb.len ? "\n" : "", safe);
		free(safe);
		free(text);
		p = nl ? nl + 1 : NULL;
	} while (p);
	return strbuf_detach(&sb, NULL);
}

/* plan: the first step a jq program reads through $steps.NAME that a plan cannot know, or NULL. */
static const char *unknown_in(struct rb_run *r, const char *program)
{
	const char *p = program, *k;
	json_t *v;

	if (!r->unknown || json_object_size(r->unknown) == 0)
		return NULL;
	while ((p = strstr(p, "$steps.")) != NULL) {
		p += 7;
		json_object_foreach(r->unknown, k, v) {
			size_t n = strlen(k);
			if (strncmp(p, k, n) == 0 && !isalnum((unsigned char)p[n]) && p[n] != '_' && p[n] != '-')
				return k;
		}
	}
	return NULL;
}

/* Evaluate the step's jq program written at key (templates expanded as JSON) on
 * input; every error (jq's, a template's) fails with FILE:LINE of the program. */
json_t *rb_input_jq(struct rb_run *r, const char *key, const char *program, json_t *input, struct fd_error *err)
{
	const struct rb_step *st = rb_run_cur_step(r);
	const char *unknown = unknown_in(r, program);
	json_t *vars, *v;
	char *prog;

	if (unknown) {
		fd_error_set(err, "PlanUnknown", "%s reads $steps.%s, which a plan cannot know (%s)", key, unknown,
			     json_string_value(json_object_get(r->unknown, unknown)));
		return NULL;
	}
	if (!(prog = rb_input_text(r, program, true, err)))
		return NULL;
	vars = json_pack("{s:O,s:O}", "parameters", r->params, "steps", r->outputs);
	v = rb_jq_eval(prog, input, vars, err);
	json_decref(vars);
	free(prog);
	if (!v && err && strcmp(err->code, "JqError") == 0) {
		char msg[sizeof(err->message)];
		snprintf(msg, sizeof(msg), "%s", err->message);
		fd_error_set(err, "JqError", "%s:%d: step '%s': %s: %s", rb_step_file(r->rb, st), rb_step_line(st, key), st->name,
			     key, msg);
	}
	return v;
}

/* The step's `interval` in ms, at least min_ms; -1 after failing the step when
 * templating made it something else (a poll loop must never spin). */
long rb_input_interval_ms(struct rb_run *r, long def_ms, long min_ms)
{
	long ms = rb_input_duration_ms(r, "interval", def_ms);

	if (ms < min_ms) {
		char *shown = rb_input_display(json_object_get(r->in, "interval"));
		rb_outcome_fail(r, "InvalidRunbook", "interval '%s' is not a duration of at least %.1f s", shown,
			  (double)min_ms / 1000.0);
		free(shown);
		return -1;
	}
	return ms;
}
