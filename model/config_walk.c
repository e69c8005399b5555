/* config_walk.c — typed readers of the config's YAML nodes: each checks one value and
 * fails with "FILE:LINE:COLUMN: key: message" (code "ConfigError"). */
#include "model/config_impl.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/strbuf.h"
#include "base/strlist.h"
#include "base/xalloc.h"

/* Fail at a node's position. */
int config_walk_error(struct config_walk *w, const struct ytree *n, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ytree_error(w->err, "ConfigError", w->name, n, "%s", msg);
}

/* A string value (any scalar); copies into *out. */
int config_walk_str(struct config_walk *w, const struct ytree *n, const char *key, char **out)
{
	const char *s = ytree_scalar(n);

	if (!s)
		return config_walk_error(w, n, "%s: expected a string, got %s", key, ytree_kind_name(n));
	if (!*s)
		return config_walk_error(w, n, "%s: must not be empty", key);
	free(*out);
	*out = xstrdup(s);
	return 0;
}

/* A positive whole number within [lo, hi]. */
int config_walk_int(struct config_walk *w, const struct ytree *n, const char *key, long lo, long hi, int *out)
{
	const char *s = ytree_scalar(n);
	char *end;
	long v;

	if (!s)
		return config_walk_error(w, n, "%s: expected a whole number, got %s", key, ytree_kind_name(n));
	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno)
		return config_walk_error(w, n, "%s: expected a whole number, got '%s'", key, s);
	if (v < lo || v > hi)
		return config_walk_error(w, n, "%s: %ld is out of range (%ld to %ld)", key, v, lo, hi);
	*out = (int)v;
	return 0;
}

/* A finite number. */
int config_walk_num(struct config_walk *w, const struct ytree *n, const char *key, double *out)
{
	const char *s = ytree_scalar(n);
	char *end;
	double v;

	if (!s)
		return config_walk_error(w, n, "%s: expected a number, got %s", key, ytree_kind_name(n));
	v = strtod(s, &end);
	if (!*s || *end || !isfinite(v))
		return config_walk_error(w, n, "%s: expected a number, got '%s'", key, s);
	*out = v;
	return 0;
}

/* A boolean (true/false/yes/no/on/off). */
int config_walk_bool(struct config_walk *w, const struct ytree *n, const char *key, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on" }, *const no[] = { "false", "no", "off" };
	const char *s = ytree_scalar(n);
	size_t i;

	for (i = 0; s && i < 3; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	if (!s)
		return config_walk_error(w, n, "%s: expected true or false, got %s", key, ytree_kind_name(n));
	return config_walk_error(w, n, "%s: expected true or false, got '%s'", key, s);
}

/* A list of non-empty strings. */
int config_walk_strv(struct config_walk *w, const struct ytree *n, const char *key, char ***out, size_t *nout)
{
	char **v;
	size_t k = 0, i, it;

	if (!n || n->kind != YTREE_SEQ)
		return config_walk_error(w, n, "%s: expected a list of names, got %s", key, ytree_kind_name(n));
	v = xcalloc(n->n + 1, sizeof(char *));
	for (it = 0; it < n->n; it++) {
		struct ytree *x = n->items[it];
		const char *s = ytree_scalar(x);
		if (!s || !*s) {
			for (i = 0; i < k; i++)
				free(v[i]);
			free(v);
			return config_walk_error(w, x, "%s: expected a name, got %s", key, s ? "an empty string" : ytree_kind_name(x));
		}
		v[k++] = xstrdup(s);
	}
	strlist_free(*out, *nout);
	*out = v;
	*nout = k;
	return 0;
}

/* A mapping of string to string (dimensions, tags). */
int config_walk_dims(struct config_walk *w, const struct ytree *n, const char *key,
		    struct fd_config_dim **out, size_t *nout)
{
	struct fd_config_dim *v;
	size_t k = 0, i, p;

	if (!n || n->kind != YTREE_MAP)
		return config_walk_error(w, n, "%s: expected a mapping of names to values, got %s", key, ytree_kind_name(n));
	v = xcalloc(n->n + 1, sizeof(*v));
	for (p = 0; p < n->n; p++) {
		struct ytree *kn = n->keys[p];
		struct ytree *vn = n->items[p];
		if (!ytree_scalar(kn) || !*ytree_scalar(kn) || !ytree_scalar(vn)) {
			for (i = 0; i < k; i++) {
				free(v[i].name);
				free(v[i].value);
			}
			free(v);
			return config_walk_error(w, ytree_scalar(kn) ? vn : kn, "%s: expected name: value", key);
		}
		v[k].name = xstrdup(ytree_scalar(kn));
		v[k].value = xstrdup(ytree_scalar(vn));
		k++;
	}
	*out = v;
	*nout = k;
	return 0;
}

/* Walk a mapping against a field table: unknown and duplicate keys fail. */
int config_walk_map(struct config_walk *w, struct ytree *n, const char *what, const struct config_field *fields,
		    size_t n_fields, void *obj)
{
	bool seen[32] = { false };
	size_t i, p;

	if (!n || n->kind != YTREE_MAP)
		return config_walk_error(w, n, "%s: expected a mapping, got %s", what, ytree_kind_name(n));
	for (p = 0; p < n->n; p++) {
		struct ytree *kn = n->keys[p];
		struct ytree *vn = n->items[p];
		const char *k = ytree_scalar(kn);
		for (i = 0; k && i < n_fields; i++)
			if (strcmp(k, fields[i].key) == 0)
				break;
		if (!k || i == n_fields) {
			struct strbuf sb;
			int r;
			strbuf_init(&sb);
			for (i = 0; i < n_fields; i++)
				strbuf_addf(&sb, "%s%s", i ? ", " : "", fields[i].key);
			r = config_walk_error(w, kn, "%s: unknown key '%s' (expected one of: %s)", what,
				       k ? k : "?", sb.data);
			strbuf_clean_up(&sb);
			return r;
		}
		if (seen[i])
			return config_walk_error(w, kn, "%s: duplicate key '%s'", what, k);
		seen[i] = true;
		if (fields[i].fn(w, vn, obj))
			return -1;
	}
	for (i = 0; i < n_fields; i++)
		if (fields[i].required && !seen[i])
			return config_walk_error(w, n, "%s: missing '%s'", what, fields[i].key);
	return 0;
}

/* Check a region selector: primary / dr / both. */
int config_walk_region_sel(struct config_walk *w, struct ytree *v, const char *key, bool both_ok, char **out)
{
	if (config_walk_str(w, v, key, out))
		return -1;
	if (strcmp(*out, "primary") == 0 || strcmp(*out, "dr") == 0 || (both_ok && strcmp(*out, "both") == 0))
		return 0;
	return config_walk_error(w, v, "%s: '%s' is not %s", key, *out, both_ok ? "primary, dr or both" : "primary or dr");
}
