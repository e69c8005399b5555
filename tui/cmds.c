/* cmds.c — the `:` commands, matched by unique prefix; handlers return flags. */
#include "tui/internal.h"
#include "aws/region.h"
#include "tui/runhost.h"

#include <stdio.h>
#include <string.h>

/* :NAME of a view: show it. */
static int cmd_view(struct tui *t, const char *arg, const char *name)
{
	int i;

	(void)arg;
	for (i = 0; views_table[i].name; i++)
		if (strcmp(views_table[i].name, name) == 0)
			return keys_select_view(t, i);
	return TUI_HANDLED;
}

#define VIEW_CMD(n) static int cmd_##n(struct tui *t, const char *arg) { return cmd_view(t, arg, #n); }
VIEW_CMD(overview)
VIEW_CMD(metrics)
VIEW_CMD(alarms)
VIEW_CMD(asg)
VIEW_CMD(lb)
VIEW_CMD(route53)
VIEW_CMD(xray)
VIEW_CMD(runbooks)
VIEW_CMD(help)

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

	if (*arg && region_check(arg, ":region", &err) < 0) {   /* it would become a host name */
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
	{ .name = "overview", .args = "", .help = "success targets and both regions", .fn = cmd_overview },
	{ .name = "metrics", .args = "", .help = "CloudWatch panels", .fn = cmd_metrics },
	{ .name = "alarms", .args = "", .help = "alarms and their history", .fn = cmd_alarms },
	{ .name = "asg", .args = "", .help = "Auto Scaling groups", .fn = cmd_asg },
	{ .name = "lb", .args = "", .help = "load balancers, blue/green weights", .fn = cmd_lb },
	{ .name = "route53", .args = "", .help = "health checks and DNS answer", .fn = cmd_route53 },
	{ .name = "xray", .args = "", .help = "service map and traces", .fn = cmd_xray },
	{ .name = "runbooks", .args = "", .help = "runbooks and runs", .fn = cmd_runbooks },
	{ .name = "help", .args = "", .help = "every key and command", .fn = cmd_help },
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

	if (why_size)
		why[0] = '\0';
	for (c = cmds_table; c->name; c++)
		if (strcmp(c->name, word) == 0)
			return c;
	for (c = cmds_table; c->name; c++) {
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
	return c->fn(t, line);
}
