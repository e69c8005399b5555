/* rb_param.c — a runbook's parameters: their declarations (type, default, bounds) and the
 * values a run is given. */
#include "runbooks/rb_impl.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"
#include "base/ytree.h"

/* A parameter's value as text, for messages and for string parameters given a number. */
static char *param_text(json_t *v)
{
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

/* v converted to type, or NULL (a string is parsed as the command line gives it). */
static json_t *param_typed(const char *type, json_t *v)
{
	const char *s = json_string_value(v);
	char *end;

	if (strcmp(type, "string") == 0) {
		char *t;
		json_t *out;
		if (s)
			return json_string(s);
		if (!json_is_number(v) && !json_is_boolean(v))
			return NULL;
		t = param_text(v);
		out = json_string(t);
		free(t);
		return out;
	}
	if (strcmp(type, "integer") == 0) {
		long long n;
		if (json_is_integer(v))
			return json_incref(v);
		errno = 0;
		if (s && *s && (n = strtoll(s, &end, 10), !*end) && errno == 0)
			return json_integer(n);
	} else if (strcmp(type, "number") == 0) {
		double d;
		if (json_is_number(v))
			return json_real(json_number_value(v));
		if (s && *s && (d = strtod(s, &end), !*end) && isfinite(d))
			return json_real(d);
	} else if (strcmp(type, "boolean") == 0) {
		if (json_is_boolean(v))
			return json_incref(v);
		if (s && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0))
			return json_boolean(strcmp(s, "true") == 0);
	}
	return NULL;
}

json_t *rb_param_value(const struct rb_param *p, json_t *given, struct fd_error *err)
{
	json_t *v = given ? param_typed(p->type, given) : NULL;
	char *text;

	if (v && p->min && json_number_value(v) < json_number_value(p->min)) {
		text = param_text(p->min);
		json_decref(v);
		fd_error_set(err, "InvalidParameter", "parameter %s: below its minimum %s", p->name, text);
		free(text);
		return NULL;
	}
	if (v && p->max && json_number_value(v) > json_number_value(p->max)) {
		text = param_text(p->max);
		json_decref(v);
		fd_error_set(err, "InvalidParameter", "parameter %s: above its maximum %s", p->name, text);
		free(text);
		return NULL;
	}
	if (v)
		return v;
	text = given ? param_text(given) : xstrdup("?");
	fd_error_set(err, "InvalidParameter", "parameter %s: '%s' is not %s %s", p->name, p->secret ? "<secret>" : text,
		     strcmp(p->type, "integer") == 0 ? "an" : "a", p->type);
	free(text);
	return NULL;
}

/* A bound (min, max) of parameter p: a number, for integer and number parameters only. */
static int load_bound(struct loader *ld, const struct ytree *n, const char *key, struct rb_param *p, json_t **out)
{
	const struct ytree *v = ytree_get(n, key);

	if (!v)
		return 0;
	if (strcmp(p->type, "integer") != 0 && strcmp(p->type, "number") != 0)
		return rb_fail_at(ld, v, "parameter '%s': %s is for integer and number parameters", p->name, key);
	if (v->kind == YTREE_SCALAR) {
		json_t *s = json_string(v->value);
		*out = param_typed(p->type, s);
		json_decref(s);
	}
	if (!*out)
		return rb_fail_at(ld, v, "parameter '%s': %s must be %s %s", p->name, key,
			       strcmp(p->type, "integer") == 0 ? "an" : "a", p->type);
	return 0;
}

/* Load a parameter's declaration. */
int rb_param_load(struct loader *ld, const struct ytree *key, const struct ytree *n, struct rb_param *p)
{
	static const char *const keys[] = { "type", "default", "description", "secret", "min", "max", NULL };
	static const char *const types[] = { "string", "integer", "number", "boolean", NULL };
	const struct ytree *v;
	char list[200];
	size_t i;

	if (!rb_name_ok(key->value, strlen(key->value)))
		return rb_fail_at(ld, key, "parameter name must be letters, digits, '_' or '-'");
	p->name = xstrdup(key->value);
	if (n->kind != YTREE_MAP)
		return rb_fail_at(ld, n, "parameter '%s' must be a mapping (type, default, description)", p->name);
	for (i = 0; i < n->n; i++)
		if (!rb_in_list(keys, n->keys[i]->value))
			return rb_fail_at(ld, n->keys[i], "parameter '%s': unknown key '%s' (%s)", p->name,
				       n->keys[i]->value, rb_join_list(keys, list, sizeof(list)));
	v = ytree_get(n, "type");
	p->type = xstrdup(v && v->kind == YTREE_SCALAR ? v->value : "string");
	if (!rb_in_list(types, p->type))
		return rb_fail_at(ld, v, "parameter '%s': unknown type '%s' (%s)", p->name, p->type,
			       rb_join_list(types, list, sizeof(list)));
	if ((v = ytree_get(n, "description"))) {
		if (rb_check_want_scalar(ld, v, "description") < 0)
			return -1;
		p->description = xstrdup(v->value);
	}
	if ((v = ytree_get(n, "secret"))) {
		json_t *b = v->kind == YTREE_SCALAR ? rb_scalar_to_json(v) : NULL;
		if (!json_is_boolean(b)) {
			json_decref(b);
			return rb_fail_at(ld, v, "parameter '%s': secret must be true or false", p->name);
		}
		p->secret = json_is_true(b);
		json_decref(b);
	}
	if (load_bound(ld, n, "min", p, &p->min) < 0 || load_bound(ld, n, "max", p, &p->max) < 0)
		return -1;
	if (p->min && p->max && json_number_value(p->min) > json_number_value(p->max))
		return rb_fail_at(ld, ytree_get(n, "min"), "parameter '%s': min is above max", p->name);
	if ((v = ytree_get(n, "default"))) {
		struct fd_error e;
		json_t *t;
		if (v->kind != YTREE_SCALAR)
			return rb_fail_at(ld, v, "parameter '%s': default must be a scalar", p->name);
		p->def = rb_scalar_to_json(v);
		if ((strcmp(p->type, "integer") == 0 && !json_is_integer(p->def)) ||
		    (strcmp(p->type, "number") == 0 && !json_is_number(p->def)) ||
		    (strcmp(p->type, "boolean") == 0 && !json_is_boolean(p->def)))
			return rb_fail_at(ld, v, "parameter '%s': default '%s' is not of type %s", p->name, v->value, p->type);
		if (strcmp(p->type, "string") == 0 && !json_is_string(p->def)) {
			json_decref(p->def);
			p->def = json_string(v->value);
		}
		if (!(t = rb_param_value(p, p->def, &e)))
			return rb_fail_at(ld, v, "parameter '%s': default %s: %s", p->name, v->value,
				       strstr(e.message, ": ") ? strstr(e.message, ": ") + 2 : e.message);
		json_decref(t);
	}
	return 0;
}
