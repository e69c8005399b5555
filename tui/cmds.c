/* cmds.c — the `:` commands, matched by unique prefix; handlers return flags. */
#include "tui/internal.h"
#include "aws/region.h"
#include "tui/runhost.h"

#include <stdio.h>
#include <string.h>

/* The `:` command of each view: its name and help from views_table[] (fn NULL:
 * cmds_run shows the view). Filled on first use. */
static struct tui_cmd view_cmds[32];

static void view_cmds_init(void)
{
	int i;

	if (view_cmds[0].name)
		return;
	for (i = 0; views_table[i].name && i + 1 < (int)(sizeof(view_cmds) / sizeof(view_cmds[0])); i++)
		view_cmds[i] = (struct tui_cmd){ .name = views_table[i].name, .args = "",
						 .help = views_table[i].help };
}

/* Copy a name argument after checking it looks like one. */
static int set_name(struct tui *t, char *dst, size_t size, const char *what, const char *arg)
{
	size_t i;

	if (!*arg) {
		tui_message(t, ROLE_STATUS, " %s is %s (:%s NAME changes it)", what, dst, what);
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (runhost_active(t)) {
		tui_message(t, ROLE_WARN, " a runbook run uses this %s; switch when it has ended", what);
		return TUI_HANDLED | TUI_REDRAW;
	}
	for (i = 0; arg[i]; i++)
		if (!(arg[i] == '-' || arg[i] == '_' || arg[i] == '.' || arg[i] == '@' ||
		      (arg[i] >= '0' && arg[i] <= '9') || (arg[i] >= 'a' && arg[i] <= 'z') ||
		      (arg[i] >= 'A' && arg[i] <= 'Z')) || i + 1 >= size) {
			tui_message(t, ROLE_ERROR, " not a %s name: %s", what, arg);
			return TUI_HANDLED | TUI_REDRAW;
		}
	snprintf(t->old_profile, sizeof(t->old_profile), "%s", t->profile);
	snprintf(t->old_region, sizeof(t->old_region), "%s", t->region);
	snprintf(dst, size, "%s", arg);
	tui_message(t, ROLE_STATUS, " %s %s", what, dst);
	return TUI_HANDLED | TUI_REDRAW | TUI_RECONFIG | TUI_REFRESH;
}

/* :profile NAME (not under --demo: the simulator's keys sign every call) */
static int cmd_profile(struct tui *t, const char *arg)
{
	if (*arg && t->opt.source && t->opt.source->fixed_credentials) {
		tui_message(t, ROLE_WARN, " :profile does not apply with --demo: the simulator's own keys sign every call");
		return TUI_HANDLED | TUI_REDRAW;
	}
	return set_name(t, t->profile, sizeof(t->profile), "profile", arg);
}

/* :region NAME */
static int cmd_region(struct tui *t, const char *arg)
{
	struct fd_error err;

	if (*arg && region_known(arg, ":region", &err) < 0) {   /* a typo must not read as an empty region */
		tui_message(t, ROLE_ERROR, " %s", err.message);
		return TUI_HANDLED | TUI_REDRAW;
	}
	return set_name(t, t->region, sizeof(t->region), "region", arg);
}

/* :refresh */
static int cmd_refresh(struct tui *t, const char *arg)
{
	(void)arg;
	tui_message(t, ROLE_STATUS, " refreshing all panels");
	return TUI_HANDLED | TUI_REFRESH | TUI_REDRAW;
}

/* :redraw */
static int cmd_redraw(struct tui *t, const char *arg)
{
	(void)t; (void)arg;
	return TUI_HANDLED | TUI_CLEAR | TUI_REDRAW;
}

/* :quit */
static int cmd_quit(struct tui *t, const char *arg)
{
	(void)t; (void)arg;
	return TUI_HANDLED | TUI_QUIT;
}

/* :confirm: open the confirmation panel of the waiting run. */
static int cmd_confirm(struct tui *t, const char *arg)
{
	(void)arg;
	return confirm_open(t);
}

/* :filter TEXT (no text: clear) */
static int cmd_filter(struct tui *t, const char *arg)
{
	snprintf(views_state(t)->filter, sizeof(views_state(t)->filter), "%s", arg);
	views_state(t)->sel = 0;
	return TUI_HANDLED | TUI_REDRAW;
}

const struct tui_cmd cmds_table[] = {
	{ .name = "confirm", .args = "", .help = "the confirmation panel", .fn = cmd_confirm },
	{ .name = "profile", .args = "NAME", .help = "switch AWS profile", .fn = cmd_profile },
	{ .name = "region", .args = "NAME", .help = "switch primary region", .fn = cmd_region },
	{ .name = "refresh", .args = "", .help = "collect everything now", .fn = cmd_refresh },
	{ .name = "redraw", .args = "", .help = "repaint the screen", .fn = cmd_redraw },
	{ .name = "filter", .args = "TEXT", .help = "filter (none: clear)", .fn = cmd_filter },
	{ .name = "quit", .args = "", .help = "leave flightdeck", .fn = cmd_quit },
	{ .name = NULL },
};

const struct tui_cmd *cmds_find(const char *word, char *why, size_t why_size)
{
	const struct tui_cmd *c, *found = NULL;
	size_t n = strlen(word), len = 0;
	int hits = 0;

	const struct tui_cmd *const lists[] = { view_cmds, cmds_table };
	size_t l;

	if (why_size)
		why[0] = '\0';
	view_cmds_init();
	for (l = 0; l < 2; l++)
		for (c = lists[l]; c->name; c++)
			if (strcmp(c->name, word) == 0)
				return c;
	for (l = 0; l < 2; l++)
		for (c = lists[l]; c->name; c++) {
			if (n == 0 || strncmp(c->name, word, n) != 0)
				continue;
			found = c;
			hits++;
			if (len < why_size)
				len += (size_t)snprintf(why + len, why_size - len, "%s%s", hits > 1 ? " " : "", c->name);
		}
	if (hits == 1)
		return found;
	if (hits == 0)
		snprintf(why, why_size, "unknown command: %s", word);
	else {
		char list[200];
		snprintf(list, sizeof(list), "%s", why);
		snprintf(why, why_size, "ambiguous: %s (%s)", word, list);
	}
	return NULL;
}

/* Run one typed line: the first word names the command, the rest is its argument. */
int cmds_run(struct tui *t, const char *line)
{
	char word[64], why[256];
	const struct tui_cmd *c;
	size_t n = 0;

	while (*line == ' ')
		line++;
	while (line[n] && line[n] != ' ' && n + 1 < sizeof(word)) {
		word[n] = line[n];
		n++;
	}
	word[n] = '\0';
	if (n == 0)
		return TUI_HANDLED | TUI_REDRAW;
	line += n;
	while (*line == ' ')
		line++;
	c = cmds_find(word, why, sizeof(why));
	if (!c) {
		tui_message(t, ROLE_ERROR, " %s", why);
		return TUI_HANDLED | TUI_REDRAW;
	}
	t->msg[0] = '\0';
	if (!c->fn)     /* a view's name */
		return keys_select_view(t, (int)(c - view_cmds));
	return c->fn(t, line);
}
