/* awsconf.c — the shared config and credentials files, parsed and resolved as aws-cli v2 does.
 *
 * The INI reader follows Python's configparser as botocore uses it (strict,
 * '=' or ':' as delimiter, full-line '#'/';' comments, keys lower-cased,
 * deeper-indented lines continue the previous key) plus botocore's one level
 * of nesting (a key with an empty value followed by indented "k = v" lines).
 */
#include "aws/awsconf.h"
#include "aws/region.h"

#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/strbuf.h"
#include "base/xalloc.h"

struct ini_kv {
	char *key;
	char *value;            /* "" for a nested key */
	int line;
	struct ini_kv *sub;     /* nested "k = v" lines */
	size_t nsub;
	bool nested_ok;         /* first value was empty: continuation lines nest */
};

struct ini_section {
	char *header;           /* text between [ and ] */
	char *kind;             /* "profile", "sso-session", "services", or NULL (other) */
	char *name;             /* the profile / session / services name */
	int line;
	struct ini_kv *kv;
	size_t nkv;
};

struct ini_file {
	char *path;
	bool present;
	struct ini_section *sec;
	size_t nsec;
};

struct awsconf {
	struct ini_file config;
	struct ini_file creds;
	char *profile;          /* resolved profile name, NULL when none */
	bool explicit_profile;  /* named by the caller (--profile), not the environment */
	char *warning;          /* one warning for the user, or NULL */
};

/* Wipe and free one key and its nested keys (values may be secrets). */
static void kv_clean_up(struct ini_kv *kv)
{
	size_t i;

	for (i = 0; i < kv->nsub; i++)
		kv_clean_up(&kv->sub[i]);
	free(kv->sub);
	free(kv->key);
	fd_free_secret(kv->value);
}

/* Free every section of f. */
static void ini_file_clean_up(struct ini_file *f)
{
	size_t i, j;

	for (i = 0; i < f->nsec; i++) {
		for (j = 0; j < f->sec[i].nkv; j++)
			kv_clean_up(&f->sec[i].kv[j]);
		free(f->sec[i].kv);
		free(f->sec[i].header);
		free(f->sec[i].kind);
		free(f->sec[i].name);
	}
	free(f->sec);
	free(f->path);
	memset(f, 0, sizeof(*f));
}

/* Split s as Python's shlex.split does for simple cases (whitespace, '..', ".."
 * with backslash escapes); fills up to max parts; returns the count or -1 on an
 * unbalanced quote. Caller frees the parts. */
static int split_words(const char *s, char **parts, int max)
{
	int n = 0;

	for (;;) {
		struct strbuf w;
		while (*s && isspace((unsigned char)*s))
			s++;
		if (!*s)
			return n;
		strbuf_init(&w);
		while (*s && !isspace((unsigned char)*s)) {
			if (*s == '\'' || *s == '"') {
				char q = *s++;
				while (*s && *s != q) {
					if (q == '"' && *s == '\\' && (s[1] == '"' || s[1] == '\\'))
						s++;
					strbuf_addc(&w, *s++);
				}
				if (!*s) {
					strbuf_clean_up(&w);
					goto unbalanced;
				}
				s++;
			} else if (*s == '\\' && s[1]) {
				strbuf_addc(&w, s[1]);
				s += 2;
			} else
				strbuf_addc(&w, *s++);
		}
		if (n < max)
			parts[n] = strbuf_detach(&w, NULL);
		else
			strbuf_clean_up(&w);
		n++;
	}
unbalanced:
	/* Free what was kept: parts[0 .. min(n, max)). */
	if (n > max)
		n = max;
	while (n > 0)
		free(parts[--n]);
	return -1;
}

/* Classify a config-file section header as botocore's build_profile_map does. */
static void classify_config_section(struct ini_section *s)
{
	static const char *const kinds[] = { "profile", "sso-session", "services" };
	size_t k;

	if (strcmp(s->header, "default") == 0) {
		s->kind = xstrdup("profile");
		s->name = xstrdup("default");
		return;
	}
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		char *parts[3] = { NULL, NULL, NULL };
		int n, i;
		if (strncmp(s->header, kinds[k], strlen(kinds[k])) != 0)
			continue;
		/* botocore: shlex-split, two words, the second is the name (the first
		 * only has to start with the kind) */
		n = split_words(s->header, parts, 3);
		if (n == 2) {
			s->kind = xstrdup(kinds[k]);
			s->name = parts[1];
			parts[1] = NULL;
		}
		for (i = 0; i < 3 && i < n; i++)
			free(parts[i]);
		return;
	}
}

/* Trim leading and trailing whitespace in place; returns the start. */
static char *trim(char *s, char *end)
{
	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

/* Parse buf (len bytes, a copy is modified) into f; 0 or -1 with "FILE:LINE: ...". */
static int ini_parse(struct ini_file *f, const char *name, const char *buf, size_t len,
		     bool is_config, struct fd_error *err)
{
	char *copy = xmalloc(len + 1), *p, *next;
	struct ini_section *cur = NULL;
	struct ini_kv *curkv = NULL;
	size_t indent_level = 0;
	int lineno = 0, rc = -1;

	memcpy(copy, buf, len);
	copy[len] = '\0';
	for (p = copy; p && p < copy + len; p = next) {
		char *eol = memchr(p, '\n', (size_t)(copy + len - p));
		char *val, *q;
		size_t indent = 0;

		next = eol ? eol + 1 : NULL;
		if (!eol)
			eol = copy + len;
		lineno++;
		if (memchr(p, '\0', (size_t)(eol - p)))
			{ fd_error_set(err, "ParseError", "%s:%d: a NUL byte in the file", name, lineno); goto out; }
		while (p + indent < eol && (p[indent] == ' ' || p[indent] == '\t'))
			indent++;
		val = trim(p, eol);
		if (!*val || *val == '#' || *val == ';')
			continue;
		if (cur && curkv && indent > indent_level) {
			/* a continuation line: nested "k = v" or more of the value */
			if (curkv->nested_ok) {
				char *eq = strchr(val, '=');
				struct ini_kv *sub;
				if (!eq) {
					fd_error_set(err, "ParseError",
						     "%s:%d: the line nested under '%s' is not 'key = value'",
						     name, lineno, curkv->key);
					goto out;
				}
				curkv->sub = xrealloc(curkv->sub, (curkv->nsub + 1) * sizeof(*curkv->sub));
				sub = &curkv->sub[curkv->nsub++];
				memset(sub, 0, sizeof(*sub));
				sub->line = lineno;
				q = trim(val, eq);
				sub->key = xstrdup(q);
				sub->value = xstrdup(trim(eq + 1, eq + 1 + strlen(eq + 1)));
			} else {
				size_t ol = strlen(curkv->value), nl = strlen(val);
				char *nv = xmalloc(ol + nl + 2);
				memcpy(nv, curkv->value, ol);
				nv[ol] = '\n';
				memcpy(nv + ol + 1, val, nl + 1);
				fd_free_secret(curkv->value);
				curkv->value = nv;
			}
			continue;
		}
		indent_level = indent;
		if (val[0] == '[' && strrchr(val, ']') && strrchr(val, ']') > val + 1) {
			char *close = strrchr(val, ']');
			size_t i;
			*close = '\0';
			for (i = 0; i < f->nsec; i++)
				if (strcmp(f->sec[i].header, val + 1) == 0) {
					fd_error_set(err, "ParseError",
						     "%s:%d: section [%s] appears twice (first at line %d)",
						     name, lineno, val + 1, f->sec[i].line);
					goto out;
				}
			if ((f->nsec & (f->nsec - 1)) == 0)   /* grow at powers of two */
				f->sec = xrealloc(f->sec, (f->nsec ? 2 * f->nsec : 1) * sizeof(*f->sec));
			cur = &f->sec[f->nsec++];
			memset(cur, 0, sizeof(*cur));
			cur->header = xstrdup(val + 1);
			cur->line = lineno;
			if (is_config)
				classify_config_section(cur);
			else {
				cur->kind = xstrdup("profile");
				cur->name = xstrdup(cur->header);
			}
			curkv = NULL;
			continue;
		}
		if (!cur) {
			fd_error_set(err, "ParseError",
				     "%s:%d: a line before the first [section] header", name, lineno);
			goto out;
		}
		q = strpbrk(val, "=:");
		if (!q) {
			fd_error_set(err, "ParseError",
				     "%s:%d: expected '[section]', 'key = value' or a comment", name, lineno);
			goto out;
		}
		{
			char *key = trim(val, q), *v = trim(q + 1, q + 1 + strlen(q + 1));
			char *k2;
			size_t i;
			if (!*key) {
				fd_error_set(err, "ParseError", "%s:%d: a value without a key name", name, lineno);
				goto out;
			}
			for (k2 = key; *k2; k2++)
				*k2 = (char)tolower((unsigned char)*k2);
			for (i = 0; i < cur->nkv; i++)
				if (strcmp(cur->kv[i].key, key) == 0) {
					fd_error_set(err, "ParseError",
						     "%s:%d: key '%s' appears twice in [%s] (first at line %d)",
						     name, lineno, key, cur->header, cur->kv[i].line);
					goto out;
				}
			if ((cur->nkv & (cur->nkv - 1)) == 0)   /* grow at powers of two */
				cur->kv = xrealloc(cur->kv, (cur->nkv ? 2 * cur->nkv : 1) * sizeof(*cur->kv));
			curkv = &cur->kv[cur->nkv++];
			memset(curkv, 0, sizeof(*curkv));
			curkv->key = xstrdup(key);
			curkv->value = xstrdup(v);
			curkv->line = lineno;
			curkv->nested_ok = !*v;
		}
	}
	rc = 0;
out:
	fd_wipe(copy, len);
	free(copy);
	return rc;
}

int awsconf_parse_check(const char *buf, size_t len, int is_config, struct fd_error *err)
{
	struct ini_file f;
	int rc;

	memset(&f, 0, sizeof(f));
	rc = ini_parse(&f, "input", buf, len, is_config != 0, err);
	ini_file_clean_up(&f);
	return rc;
}

/* The home directory: $HOME, else the password database. */
static const char *home_dir(void)
{
	const char *h = getenv("HOME");
	struct passwd *pw;

	if (h && h[0])
		return h;
	pw = getpwuid(getuid());
	return pw && pw->pw_dir ? pw->pw_dir : "/";
}

/* Python's os.path.expandvars: $NAME and ${NAME} replaced when set, kept otherwise. */
static void expand_vars(struct strbuf *sb, const char *s)
{
	while (*s) {
		const char *start = s, *name, *v;
		size_t n;
		char buf[256];
		bool brace;
		if (*s != '$') {
			strbuf_addc(sb, *s++);
			continue;
		}
		brace = s[1] == '{';
		name = s + 1 + brace;
		n = 0;
		while (name[n] && (isalnum((unsigned char)name[n]) || name[n] == '_'))
			n++;
		if (n == 0 || n >= sizeof(buf) || (brace && name[n] != '}')) {
			strbuf_addc(sb, *s++);
			continue;
		}
		memcpy(buf, name, n);
		buf[n] = '\0';
		s = name + n + brace;
		v = getenv(buf);
		if (v)
			strbuf_adds(sb, v);
		else
			strbuf_add(sb, start, (size_t)(s - start));
	}
}

char *awsconf_expand_path(const char *path)
{
	struct strbuf vars, sb;

	strbuf_init(&vars);
	expand_vars(&vars, path);
	strbuf_init(&sb);
	if (vars.data[0] == '~' && (vars.data[1] == '/' || vars.data[1] == '\0')) {
		strbuf_adds(&sb, home_dir());
		strbuf_adds(&sb, vars.data + 1);
	} else
		strbuf_adds(&sb, vars.data);
	strbuf_clean_up(&vars);
	return strbuf_detach(&sb, NULL);
}

/* The path of one of the files: the variable when set, else ~/.aws/NAME. */
static char *file_path(const char *var, const char *base)
{
	const char *v = getenv(var);
	char buf[64];

	if (v && v[0])
		return awsconf_expand_path(v);
	snprintf(buf, sizeof(buf), "~/.aws/%s", base);
	return awsconf_expand_path(buf);
}

/* Read and parse one file; a missing file is an empty one. */
static int load_file(struct ini_file *f, const char *var, const char *base, bool is_config,
		     char **warning, struct fd_error *err)
{
	struct strbuf sb;
	struct stat st;
	FILE *fp;
	char chunk[4096];
	size_t n;
	int rc;

	f->path = file_path(var, base);
	fp = fopen(f->path, "re");
	if (!fp) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return fd_error_set(err, "ConfigError", "%s: cannot read: %s", f->path, strerror(errno));
	}
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(fp);
		return fd_error_set(err, "ConfigError", "%s: is a directory", f->path);
	}
	if (!is_config && fstat(fileno(fp), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)) && !*warning) {
		struct strbuf w;
		strbuf_init(&w);
		strbuf_addf(&w, "warning: %s is readable by %s; it holds secrets: chmod 600 %s",
			    f->path, (st.st_mode & S_IROTH) ? "others" : "its group", f->path);
		*warning = strbuf_detach(&w, NULL);
	}
	f->present = true;
	strbuf_init(&sb);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		strbuf_add(&sb, chunk, n);
	fd_wipe(chunk, sizeof(chunk));
	fclose(fp);
	rc = ini_parse(f, f->path, sb.data, sb.len, is_config, err);
	strbuf_wipe_clean_up(&sb);
	return rc;
}

/* The last section of kind/name in f (later sections win, as in botocore), or NULL. */
static const struct ini_section *find_section(const struct ini_file *f, const char *kind,
					      const char *name)
{
	const struct ini_section *found = NULL;
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < f->nsec; i++)
		if (f->sec[i].kind && f->sec[i].name && strcmp(f->sec[i].kind, kind) == 0 &&
		    strcmp(f->sec[i].name, name) == 0)
			found = &f->sec[i];
	return found;
}

/* A key of a section, or NULL. */
static const struct ini_kv *find_kv(const struct ini_section *s, const char *key)
{
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < s->nkv; i++)
		if (strcmp(s->kv[i].key, key) == 0)
			return &s->kv[i];
	return NULL;
}

/* A nested key under kv, or NULL. */
static const struct ini_kv *find_sub(const struct ini_kv *kv, const char *key)
{
	size_t i;

	if (!kv)
		return NULL;
	for (i = 0; i < kv->nsub; i++)
		if (strcmp(kv->sub[i].key, key) == 0)
			return &kv->sub[i];
	return NULL;
}

bool awsconf_has_profile(const struct awsconf *conf, const char *profile)
{
	return find_section(&conf->config, "profile", profile) ||
	       find_section(&conf->creds, "profile", profile);
}

struct awsconf *awsconf_load(const char *profile, struct fd_error *err)
{
	struct awsconf *conf = xcalloc(1, sizeof(*conf));
	const char *name = profile;

	if (load_file(&conf->config, "AWS_CONFIG_FILE", "config", true, &conf->warning, err) < 0 ||
	    load_file(&conf->creds, "AWS_SHARED_CREDENTIALS_FILE", "credentials", false,
		      &conf->warning, err) < 0) {
		awsconf_destroy(conf);
		return NULL;
	}
	conf->explicit_profile = profile && profile[0];
	if (!conf->explicit_profile) {
		name = getenv("AWS_PROFILE");
		if (!name || !name[0])
			name = getenv("AWS_DEFAULT_PROFILE");
	}
	if (name && name[0]) {
		if (!awsconf_has_profile(conf, name)) {
			fd_error_set(err, "ProfileNotFound", "The config profile (%s) could not be found",
				     name);
			awsconf_destroy(conf);
			return NULL;
		}
		conf->profile = xstrdup(name);
	} else if (awsconf_has_profile(conf, "default"))
		conf->profile = xstrdup("default");
	return conf;
}

struct awsconf *awsconf_new_empty(void)
{
	return xcalloc(1, sizeof(struct awsconf));
}

void awsconf_destroy(struct awsconf *conf)
{
	if (!conf)
		return;
	ini_file_clean_up(&conf->config);
	ini_file_clean_up(&conf->creds);
	free(conf->profile);
	free(conf->warning);
	free(conf);
}

const char *awsconf_profile(const struct awsconf *conf)
{
	return conf->profile;
}

bool awsconf_profile_explicit(const struct awsconf *conf)
{
	return conf->explicit_profile;
}

const char *awsconf_warning(const struct awsconf *conf)
{
	return conf->warning;
}

/* The key in the credentials file's profile, then the config file's. */
static const struct ini_kv *profile_kv(const struct awsconf *conf, const char *profile,
				       const char *key, const struct ini_file **where)
{
	const struct ini_kv *kv = find_kv(find_section(&conf->creds, "profile", profile), key);

	if (kv) {
		if (where)
			*where = &conf->creds;
		return kv;
	}
	kv = find_kv(find_section(&conf->config, "profile", profile), key);
	if (kv && where)
		*where = &conf->config;
	return kv;
}

const char *awsconf_get(const struct awsconf *conf, const char *profile, const char *key)
{
	const struct ini_kv *kv = profile_kv(conf, profile, key, NULL);

	return kv ? kv->value : NULL;
}

const char *awsconf_get_file(const struct awsconf *conf, int which, const char *profile,
			     const char *key)
{
	const struct ini_file *f = which == AWSCONF_CREDENTIALS ? &conf->creds : &conf->config;
	const struct ini_kv *kv = find_kv(find_section(f, "profile", profile), key);

	return kv ? kv->value : NULL;
}

const char *awsconf_get_sub(const struct awsconf *conf, const char *profile, const char *key,
			    const char *subkey)
{
	const struct ini_kv *kv = find_sub(profile_kv(conf, profile, key, NULL), subkey);

	return kv ? kv->value : NULL;
}

const char *awsconf_section_get(const struct awsconf *conf, const char *kind, const char *name,
				const char *key)
{
	const struct ini_kv *kv = find_kv(find_section(&conf->config, kind, name), key);

	return kv ? kv->value : NULL;
}

bool awsconf_section_exists(const struct awsconf *conf, const char *kind, const char *name)
{
	return find_section(&conf->config, kind, name) != NULL;
}

int awsconf_where(const struct awsconf *conf, const char *profile, const char *key,
		  char *buf, size_t size)
{
	const struct ini_file *f = NULL;
	const struct ini_kv *kv = profile_kv(conf, profile, key, &f);
	const struct ini_section *s;

	if (kv) {
		snprintf(buf, size, "%s:%d", f->path, kv->line);
		return 0;
	}
	if ((s = find_section(&conf->creds, "profile", profile)) ||
	    (s = find_section(&conf->config, "profile", profile))) {
		f = find_section(&conf->creds, "profile", profile) ? &conf->creds : &conf->config;
		snprintf(buf, size, "%s:%d", f->path, s->line);
		return 0;
	}
	snprintf(buf, size, "%s", conf->config.path ? conf->config.path : "config");
	return -1;
}

/* A variable's value, or NULL when unset or empty. */
static const char *env_nonempty(const char *name)
{
	const char *v = getenv(name);

	return v && v[0] ? v : NULL;
}

char *awsconf_region(const struct awsconf *conf, const char *cli_region, struct fd_error *err)
{
	const char *r = cli_region && cli_region[0] ? cli_region : NULL, *source = "--region";
	char where[600];

	if (!r && (r = env_nonempty("AWS_REGION")))
		source = "AWS_REGION";
	if (!r && (r = env_nonempty("AWS_DEFAULT_REGION")))
		source = "AWS_DEFAULT_REGION";
	if (!r && conf && conf->profile && (r = awsconf_get(conf, conf->profile, "region"))) {
		snprintf(where, sizeof(where), "'region' of profile %s", conf->profile);
		source = where;
	}
	if (!r || !r[0]) {
		fd_error_set(err, "NoRegion",
			     "no region: use --region, AWS_REGION, AWS_DEFAULT_REGION or 'region' in the profile");
		return NULL;
	}
	if (region_check(r, source, err) < 0)   /* it becomes a host name */
		return NULL;
	return xstrdup(r);
}

/* True when a configured value means "true" (case-insensitive). */
static bool is_true(const char *v)
{
	return v && strcasecmp(v, "true") == 0;
}

char *awsconf_endpoint_url(const struct awsconf *conf, const char *service_id,
			   const char *cli_url)
{
	char var[128], key[128];
	const char *v, *ignore, *services;
	size_t i;

	if (cli_url && cli_url[0])
		return xstrdup(cli_url);
	ignore = getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	if (!ignore && conf && conf->profile)
		ignore = awsconf_get(conf, conf->profile, "ignore_configured_endpoint_urls");
	if (is_true(ignore))
		return NULL;
	snprintf(var, sizeof(var), "AWS_ENDPOINT_URL_%s", service_id ? service_id : "");
	for (i = 0; var[i]; i++)
		var[i] = (char)toupper((unsigned char)(var[i] == '-' || var[i] == ' ' ? '_' : var[i]));
	if (service_id && (v = env_nonempty(var)))
		return xstrdup(v);
	if ((v = env_nonempty("AWS_ENDPOINT_URL")))
		return xstrdup(v);
	if (!conf || !conf->profile)
		return NULL;
	services = awsconf_get(conf, conf->profile, "services");
	if (services && service_id) {
		const struct ini_kv *kv;
		snprintf(key, sizeof(key), "%s", service_id);
		for (i = 0; key[i]; i++)
			key[i] = (char)tolower((unsigned char)(key[i] == '-' || key[i] == ' ' ? '_' : key[i]));
		kv = find_sub(find_kv(find_section(&conf->config, "services", services), key),
			      "endpoint_url");
		if (kv && kv->value[0])
			return xstrdup(kv->value);
	}
	v = awsconf_get(conf, conf->profile, "endpoint_url");
	return v && v[0] ? xstrdup(v) : NULL;
}

int awsconf_max_attempts(const struct awsconf *conf)
{
	const char *v = env_nonempty("AWS_MAX_ATTEMPTS");
	char *end;
	long n;

	if (!v && conf && conf->profile)
		v = awsconf_get(conf, conf->profile, "max_attempts");
	if (!v || !v[0])
		return 0;
	n = strtol(v, &end, 10);
	if (*end || n < 1 || n > 100)
		return 0;
	return (int)n;
}

bool awsconf_sts_legacy(const struct awsconf *conf)
{
	const char *mode = env_nonempty("AWS_STS_REGIONAL_ENDPOINTS");

	if (!mode && conf && conf->profile)
		mode = awsconf_get(conf, conf->profile, "sts_regional_endpoints");
	return mode && strcmp(mode, "legacy") == 0;
}

const char *awsconf_ca_bundle(const struct awsconf *conf)
{
	const char *v = env_nonempty("AWS_CA_BUNDLE");

	if (!v && conf && conf->profile)
		v = awsconf_get(conf, conf->profile, "ca_bundle");
	return v && v[0] ? v : NULL;
}
