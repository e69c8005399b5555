/* rb_find.c — finding runbooks: the search path, one runbook by name, every runbook found. */
#include "runbooks/rb.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/statefile.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

extern const char rb_pkgdatadir[], rb_bindir[];

/* The directory this binary is in (/proc/self/exe: links resolved), or NULL. Caller frees. */
static char *exe_dir(void)
{
	char exe[4096], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if (!(slash = strrchr(exe, '/')))
		return NULL;
	*slash = '\0';
	return xstrdup(exe[0] ? exe : "/");
}

/* Whether dir is the build tree (then the source tree's runbooks ship). */
static bool is_build_tree(const char *dir)
{
	size_t bl = strlen(FD_BUILDDIR);

	return strncmp(dir, FD_BUILDDIR, bl) == 0 && (dir[bl] == '/' || dir[bl] == '\0');
}

/* The shipped runbooks as seen from the binary's directory: pkgdatadir relative
 * to bindir (../share/flightdeck for the usual layout), so an installed tree
 * moved elsewhere (DESTDIR, a copied prefix) still finds its runbooks. */
static char *beside_exe(const char *dir)
{
	const char *b = rb_bindir, *d = rb_pkgdatadir;
	struct strbuf sb;
	size_t common = 0, i;

	for (i = 0; b[i] && b[i] == d[i]; i++)
		if (b[i] == '/')
			common = i + 1;
	if (!b[i] && d[i] == '/')
		common = i + 1;
	strbuf_init(&sb);
	strbuf_adds(&sb, dir);
	for (i = common; b[i]; i++)
		if (b[i] != '/' && (i == common || b[i - 1] == '/'))
			strbuf_adds(&sb, "/..");
	strbuf_addf(&sb, "/%s/runbooks", d + common);
	return strbuf_detach(&sb, NULL);
}

/* Append path to dirs unless it is there already (takes it). */
static void add_dir(char **dirs, size_t *n, size_t max, char *path)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(dirs[i], path) == 0)
			break;
	if (i < *n || *n >= max) {
		free(path);
		return;
	}
	dirs[(*n)++] = path;
}

char **rb_dirs(void)
{
	const char *env = getenv("FD_RUNBOOK_PATH");
	char **dirs = xcalloc(RB_DIRS_MAX + 1, sizeof(*dirs)), *exe = exe_dir(), *mine;
	size_t n = 0;
	struct strbuf sb;

	if (env && *env) {
		char *copy = xstrdup(env), *save = NULL, *d;
		for (d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save))
			add_dir(dirs, &n, RB_DIRS_MAX - 3, xstrdup(d));
		free(copy);
	}
	if ((mine = statefile_path(STATEFILE_CONFIG, "runbooks", NULL)))
		add_dir(dirs, &n, RB_DIRS_MAX, mine);
	if (exe && is_build_tree(exe)) {
		char *src = realpath(FD_SRCDIR "/runbooks", NULL);
		add_dir(dirs, &n, RB_DIRS_MAX, src ? src : xstrdup(FD_SRCDIR "/runbooks"));
	}
	else {
		if (exe) {
			char *beside = beside_exe(exe), *real = realpath(beside, NULL);
			if (real)
				free(beside);
			add_dir(dirs, &n, RB_DIRS_MAX, real ? real : beside);
		}
		strbuf_init(&sb);
		strbuf_addf(&sb, "%s/runbooks", rb_pkgdatadir);
		add_dir(dirs, &n, RB_DIRS_MAX, strbuf_detach(&sb, NULL));
	}
	free(exe);
	return dirs;
}

/* The directories as "A, B, C". Caller frees. */
char *rb_dirs_text(char **dirs)
{
	struct strbuf sb;
	size_t i;

	strbuf_init(&sb);
	for (i = 0; dirs[i]; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", dirs[i]);
	return strbuf_detach(&sb, NULL);
}

void rb_dirs_free(char **dirs)
{
	size_t i;

	for (i = 0; dirs && dirs[i]; i++)
		free(dirs[i]);
	free(dirs);
}

char *rb_find(const char *name, struct fd_error *err)
{
	char **dirs, *found = NULL;
	size_t i, n = strlen(name);
	struct stat st;

	if (strchr(name, '/') || (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	    (n > 4 && strcmp(name + n - 4, ".yml") == 0)) {
		if (stat(name, &st) == 0)
			return xstrdup(name);
		fd_error_set(err, "NoSuchRunbook", "%s: %s", name, strerror(errno));
		return NULL;
	}
	if (!rb_name_ok(name, n)) {
		fd_error_set(err, "NoSuchRunbook", "'%s' is not a runbook name", name);
		return NULL;
	}
	dirs = rb_dirs();
	for (i = 0; dirs[i] && !found; i++) {
		static const char *const exts[] = { ".yaml", ".yml" };
		size_t e;
		for (e = 0; e < 2 && !found; e++) {
			struct strbuf sb;
			strbuf_init(&sb);
			strbuf_addf(&sb, "%s/%s%s", dirs[i], name, exts[e]);
			if (stat(sb.data, &st) == 0 && S_ISREG(st.st_mode))
				found = strbuf_detach(&sb, NULL);
			strbuf_clean_up(&sb);
		}
	}
	if (!found) {
		char *where = rb_dirs_text(dirs);
		fd_error_set(err, "NoSuchRunbook", "no runbook '%s' in %s (FD_RUNBOOK_PATH adds directories; "
			     "flightdeck runbook --help)", name, where);
		free(where);
	}
	rb_dirs_free(dirs);
	return found;
}

/* Order by name. */
static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct rb_found *)a)->name, ((const struct rb_found *)b)->name);
}

struct rb_found *rb_list(char **dirs, size_t *n)
{
	struct rb_found *out = NULL;
	size_t cap = 0, d, k;

	*n = 0;
	for (d = 0; dirs[d]; d++) {
		DIR *dir = opendir(dirs[d]);
		struct dirent *e;
		while (dir && (e = readdir(dir)) != NULL) {
			size_t l = strlen(e->d_name);
			struct strbuf path;
			struct stat st;
			if (e->d_name[0] == '.' || l <= 5 || strcmp(e->d_name + l - 5, ".yaml") != 0 ||
			    !rb_name_ok(e->d_name, l - 5))
				continue;
			for (k = 0; k < *n; k++)
				if (strlen(out[k].name) == l - 5 && strncmp(out[k].name, e->d_name, l - 5) == 0)
					break;
			if (k < *n)
				continue;   /* an earlier directory has it */
			strbuf_init(&path);
			strbuf_addf(&path, "%s/%s", dirs[d], e->d_name);
			if (stat(path.data, &st) < 0 || !S_ISREG(st.st_mode)) {
				strbuf_clean_up(&path);
				continue;
			}
			if (*n == cap) {
				cap = cap ? cap * 2 : 16;
				out = xrealloc(out, cap * sizeof(*out));
			}
			out[*n].name = xstrndup(e->d_name, l - 5);
			out[*n].dir = dirs[d];
			out[*n].path = strbuf_detach(&path, NULL);
			(*n)++;
		}
		if (dir)
			closedir(dir);
	}
	if (*n)
		qsort(out, *n, sizeof(*out), by_name);
	return out;
}

void rb_list_free(struct rb_found *found, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(found[i].name);
		free(found[i].path);
	}
	free(found);
}
