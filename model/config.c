/* config.c — the dashboard's YAML config, validated with FILE:LINE:COLUMN messages (see
 * config.h): the top level and `stack:` here; values in config_walk.c, queries in
 * config_query.c, panels in config_panel.c, targets in config_target.c. */
#include "model/config_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aws/region.h"
#include "base/statefile.h"
#include "base/strbuf.h"
#include "base/strlist.h"
#include "base/xalloc.h"

/* --- stack ------------------------------------------------------------------- */

/* --- stack ------------------------------------------------------------------- */

/* Is s a region AWS has (aws/region.h: the one validator of region names)? */
static bool region_name_ok(const char *s)
{
	return region_known(s, NULL, NULL) == 0;
}

static int f_region_primary(struct config_walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;

	if (config_walk_str(w, v, "regions.primary", &c->primary))
		return -1;
	return region_name_ok(c->primary) ? 0 :
	       config_walk_error(w, v, "regions.primary: '%s' is not an AWS region (like ap-northeast-2)", c->primary);
}

static int f_region_dr(struct config_walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;

	if (ytree_scalar(v) && (!*ytree_scalar(v) || strcmp(ytree_scalar(v), "none") == 0 || strcmp(ytree_scalar(v), "~") == 0 ||
			  strcmp(ytree_scalar(v), "null") == 0)) {
		free(c->dr);
		c->dr = NULL;
		return 0;
	}
	if (config_walk_str(w, v, "regions.dr", &c->dr))
		return -1;
	return region_name_ok(c->dr) ? 0 :
	       config_walk_error(w, v, "regions.dr: '%s' is not an AWS region (like ap-northeast-1)", c->dr);
}

static const struct config_field region_fields[] = {
	{ .key = "primary", .fn = f_region_primary },
	{ .key = "dr", .fn = f_region_dr },
};

static int f_regions(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_map(w, v, "stack.regions", region_fields, NFIELDS(region_fields), o);
}

static int f_lbs(struct config_walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return config_walk_strv(w, v, "stack.load_balancers", &c->lbs, &c->n_lbs);
}

static int f_tgs(struct config_walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return config_walk_strv(w, v, "stack.target_groups", &c->tgs, &c->n_tgs);
}

static int f_asgs(struct config_walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return config_walk_strv(w, v, "stack.auto_scaling_groups", &c->asgs, &c->n_asgs);
}

static int f_dbs(struct config_walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return config_walk_strv(w, v, "stack.db_instances", &c->dbs, &c->n_dbs);
}

static int f_hcs(struct config_walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return config_walk_strv(w, v, "stack.health_checks", &c->health_checks, &c->n_health_checks);
}

static int f_tags(struct config_walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return config_walk_dims(w, v, "stack.tags", &c->tags, &c->n_tags);
}

static int f_zone(struct config_walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return config_walk_str(w, v, "stack.hosted_zone", &c->hosted_zone);
}

static int f_record(struct config_walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return config_walk_str(w, v, "stack.record_name", &c->record_name);
}

static int f_xray(struct config_walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return config_walk_bool(w, v, "stack.xray", &c->xray);
}

static int f_sessions(struct config_walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return config_walk_bool(w, v, "stack.sessions", &c->sessions);
}

static int f_cdn(struct config_walk *w, struct ytree *v, void *o)
{
	struct fd_config *c = o;
	return config_walk_bool(w, v, "stack.cdn", &c->cdn);
}

static const struct config_field stack_fields[] = {
	{ .key = "regions", .fn = f_regions },
	{ .key = "load_balancers", .fn = f_lbs },
	{ .key = "target_groups", .fn = f_tgs },
	{ .key = "auto_scaling_groups", .fn = f_asgs },
	{ .key = "db_instances", .fn = f_dbs },
	{ .key = "tags", .fn = f_tags },
	{ .key = "hosted_zone", .fn = f_zone },
	{ .key = "record_name", .fn = f_record },
	{ .key = "health_checks", .fn = f_hcs },
	{ .key = "xray", .fn = f_xray },
	{ .key = "sessions", .fn = f_sessions },
	{ .key = "cdn", .fn = f_cdn },
};

/* --- top level ------------------------------------------------------------------ */

/* Top-level parse state. */
struct top_walk {
	struct fd_config *c;
	bool has_targets;         /* the file gave targets: they replace the defaults */
};

static int top_stack(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_map(w, v, "stack", stack_fields, NFIELDS(stack_fields), ((struct top_walk *)o)->c);
}

static int top_refresh(struct config_walk *w, struct ytree *v, void *o)
{
	return config_walk_int(w, v, "refresh", 1, 3600, &((struct top_walk *)o)->c->refresh_s);
}

static int top_panels(struct config_walk *w, struct ytree *v, void *o)
{
	return config_panel_list(w, v, ((struct top_walk *)o)->c);
}

static int top_targets(struct config_walk *w, struct ytree *v, void *o)
{
	struct top_walk *tw = o;

	tw->has_targets = true;
	return config_target_list(w, v, tw->c);
}

static const struct config_field top_fields[] = {
	{ .key = "stack", .fn = top_stack },
	{ .key = "refresh", .fn = top_refresh },
	{ .key = "panels", .fn = top_panels },
	{ .key = "targets", .fn = top_targets },
};

/* Fill cfg with the defaults. */
void config_defaults(struct fd_config *cfg, const char *region)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->primary = xstrdup(region ? region : "ap-northeast-2");
	if (strcmp(cfg->primary, "ap-northeast-1") != 0)
		cfg->dr = xstrdup("ap-northeast-1");
	cfg->xray = true;
	cfg->sessions = cfg->cdn = true;
	config_target_defaults(cfg);
}

/* Report the first tab used for indentation, the way YAML forbids it. */
static int check_tabs(struct config_walk *w, const char *text, size_t len)
{
	size_t i, line = 1, col = 1;
	bool indent = true;

	for (i = 0; i < len; i++) {
		if (text[i] == '\n') {
			line++;
			col = 1;
			indent = true;
			continue;
		}
		if (indent && text[i] == '\t')
			return fd_error_set(w->err, "ConfigError",
					    "%s:%zu:%zu: tab character in indentation (YAML indents with spaces)",
					    w->name, line, col);
		if (text[i] != ' ' && text[i] != '-')
			indent = false;
		col++;
	}
	return 0;
}

/* Parse YAML text into cfg. */
int config_parse(struct fd_config *cfg, const char *name, const char *text, size_t len,
		 const char *region, struct fd_error *err)
{
	struct top_walk tw;
	struct ytree *root;
	struct config_walk w = { .name = name, .err = err };
	int r = 0;

	config_defaults(cfg, NULL);
	free(cfg->file);
	cfg->file = xstrdup(name);
	/* the file's targets/panels replace the defaults only when given */
	tw.c = cfg;
	tw.has_targets = false;
	if (check_tabs(&w, text, len)) {
		config_clean_up(cfg);
		return -1;
	}
	if (ytree_parse(text, len, &(struct ytree_opts){ .file = name, .code = "ConfigError" }, &root, err)) {
		config_clean_up(cfg);
		return -1;
	}
	if (root && !(root->kind == YTREE_SCALAR && !*root->value)) {
		struct fd_config_target *saved = cfg->targets;
		size_t n_saved = cfg->n_targets;
		cfg->targets = NULL;
		cfg->n_targets = 0;
		r = config_walk_map(&w, root, "config", top_fields, NFIELDS(top_fields), &tw);
		if (!tw.has_targets) {
			size_t i;
			for (i = 0; i < cfg->n_targets; i++)
				config_target_clean_up(&cfg->targets[i]);
			free(cfg->targets);
			cfg->targets = saved;
			cfg->n_targets = n_saved;
		} else {
			size_t i;
			for (i = 0; i < n_saved; i++)
				config_target_clean_up(&saved[i]);
			free(saved);
		}
	}
	ytree_free(root);
	if (!r && cfg->dr && strcmp(cfg->dr, cfg->primary) == 0) {
		free(cfg->dr);
		cfg->dr = NULL;
	}
	if (!r && region) {
		free(cfg->primary);
		cfg->primary = xstrdup(region);
		if (cfg->dr && strcmp(cfg->dr, region) == 0) {
			free(cfg->dr);
			cfg->dr = NULL;
		}
	}
	if (r) {
		config_clean_up(cfg);
		return -1;
	}
	return 0;
}

/* The default config path (base/statefile.h); NULL when there is no home. */
char *config_default_path(void)
{
	return statefile_path(STATEFILE_CONFIG, "config.yaml", NULL);
}

/* Load path, the XDG default, or the defaults. */
int config_load(struct fd_config *cfg, const char *path, const char *region, struct fd_error *err)
{
	char *def = NULL, buf[65536];
	struct strbuf text;
	struct stat st;
	size_t n;
	FILE *f;
	int r;

	memset(cfg, 0, sizeof(*cfg));
	if (region && region_known(region, "--region", err) < 0)
		return -1;   /* a typo must not read as an empty, healthy region */
	if (!path) {
		def = config_default_path();
		if (!def || stat(def, &st) != 0) {
			free(def);
			config_defaults(cfg, region);
			return 0;
		}
		path = def;
	}
	f = fopen(path, "r");
	if (!f) {
		r = fd_error_set(err, "ConfigError", "%s: %s", path, strerror(errno));
		free(def);
		memset(cfg, 0, sizeof(*cfg));
		return r;
	}
	strbuf_init(&text);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&text, buf, n);
	fclose(f);
	r = config_parse(cfg, path, text.data, text.len, region, err);
	strbuf_clean_up(&text);
	free(def);
	return r;
}

/* Free everything cfg holds. */
void config_clean_up(struct fd_config *cfg)
{
	size_t i;

	free(cfg->file);
	free(cfg->primary);
	free(cfg->dr);
	strlist_free(cfg->lbs, cfg->n_lbs);
	strlist_free(cfg->tgs, cfg->n_tgs);
	strlist_free(cfg->asgs, cfg->n_asgs);
	strlist_free(cfg->dbs, cfg->n_dbs);
	strlist_free(cfg->health_checks, cfg->n_health_checks);
	for (i = 0; i < cfg->n_tags; i++) {
		free(cfg->tags[i].name);
		free(cfg->tags[i].value);
	}
	free(cfg->tags);
	free(cfg->hosted_zone);
	free(cfg->record_name);
	for (i = 0; i < cfg->n_panels; i++)
		config_panel_clean_up(&cfg->panels[i]);
	free(cfg->panels);
	for (i = 0; i < cfg->n_targets; i++)
		config_target_clean_up(&cfg->targets[i]);
	free(cfg->targets);
	memset(cfg, 0, sizeof(*cfg));
}
