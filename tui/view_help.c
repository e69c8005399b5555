/* view_help.c — every key, view and `:` command, from their tables. */
#include "tui/view.h"

#include <stdio.h>
#include <string.h>

/* The width of a view's keys line at 80 columns (two columns of 40, indented 3, a margin). */
#define HELP_KEYS_WIDTH 36

/* One help line: a key or command in the key role, then its meaning. */
struct help_line {
	const char *key;
	char keybuf[24];
	char text[96];
	bool header;
	bool keys;              /* a view's own keys: indented under it, the whole width */
};

/* The lines of a view's own keys (its labelled rows: "Enter open, Esc back"),
 * packed into lines that fit the help's narrowest column. */
static int view_keys(const struct key_binding *keys, struct help_line *out, int max)
{
	const struct key_binding *b;
	int n = 0;

	for (b = keys; b && b->fn && n <= max; b++) {
		char item[48];
		if (!b->label)
			continue;
		snprintf(item, sizeof(item), "%s %s", b->label, b->help);
		if (n > 0 && strlen(out[n - 1].text) + 2 + strlen(item) <= HELP_KEYS_WIDTH) {
			size_t len = strlen(out[n - 1].text);
			snprintf(out[n - 1].text + len, sizeof(out[n - 1].text) - len, ", %s", item);
			continue;
		}
		if (n == max)
			break;
		memset(&out[n], 0, sizeof(out[n]));
		snprintf(out[n].text, sizeof(out[n].text), "%s", item);
		out[n++].keys = true;
	}
	return n;
}

/* Collect the lines: global keys, views, view keys, commands. */
static int collect(struct help_line *out, int max)
{
	const struct key_binding *b;
	const struct tui_cmd *c;
	int n = 0, i;

#define ADD_HEADER(s) do { if (n < max) { memset(&out[n], 0, sizeof(out[n])); \
	snprintf(out[n].text, sizeof(out[n].text), "%s", s); out[n++].header = true; } } while (0)
	ADD_HEADER("Keys");
	for (b = keys_table; b->fn && n < max; b++) {
		if (!b->label)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		snprintf(out[n].keybuf, sizeof(out[n].keybuf), "%s", b->label);
		snprintf(out[n].text, sizeof(out[n].text), "%s", b->help);
		n++;
	}
	ADD_HEADER("Views");
	for (i = 0; views_table[i].name && n < max; i++) {
		memset(&out[n], 0, sizeof(out[n]));
		snprintf(out[n].keybuf, sizeof(out[n].keybuf), "%c :%s", views_table[i].key,
			 views_table[i].name);
		snprintf(out[n].text, sizeof(out[n].text), "%s", views_table[i].help);
		n++;
		n += view_keys(views_table[i].keys, out + n, max - n);
	}
	ADD_HEADER("Commands (unique prefixes work)");
	for (c = cmds_table; c->name && n < max; c++) {   /* views' commands are listed above */
		memset(&out[n], 0, sizeof(out[n]));
		snprintf(out[n].keybuf, sizeof(out[n].keybuf), ":%s%s%s", c->name, *c->args ? " " : "",
			 c->args);
		snprintf(out[n].text, sizeof(out[n].text), "%s", c->help);
		n++;
	}
	return n;
#undef ADD_HEADER
}

/* Draw the help in two columns when it does not fit in one. */
void view_help_draw(struct tui *t, int top, int height)
{
	struct help_line lines[96];
	struct view_state *vs = views_state(t);
	int n = collect(lines, 96), cols = t->cols >= 80 ? 2 : 1;
	int per = height, cw = t->cols / cols, i;

	if (n <= height * cols)
		per = (n + cols - 1) / cols;
	views_clamp(vs, n > per * cols ? n - per * cols + 1 : 1, 1);
	for (i = vs->scroll; i < n; i++) {
		int k = i - vs->scroll, col = k / per, y = top + k % per, x = col * cw;
		if (col >= cols)
			break;
		if (lines[i].header) {
			draw_text(t, y, x + 1, cw - 2, ROLE_HEADER, lines[i].text);
			continue;
		}
		if (lines[i].keys) {
			draw_text(t, y, x + 3, cw - 4, ROLE_NORMAL, lines[i].text);
			continue;
		}
		draw_text(t, y, x + 1, 13, ROLE_KEY, lines[i].keybuf);
		draw_text(t, y, x + 15, cw - 15, lines[i].keybuf[0] ? ROLE_NORMAL : ROLE_DIM, lines[i].text);
	}
}
