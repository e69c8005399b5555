/* view_help.c — every key, view and `:` command, from their tables. */
#include "tui/view.h"

#include <stdio.h>
#include <string.h>

/* One help line: a key or command in the key role, then its meaning. */
struct help_line {
	const char *key;
	char keybuf[24];
	char text[96];
	bool header;
};

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
		if (views_table[i].keys_help && n < max) {
			memset(&out[n], 0, sizeof(out[n]));
			snprintf(out[n].keybuf, sizeof(out[n].keybuf), "  keys");
			snprintf(out[n].text, sizeof(out[n].text), "%s", views_table[i].keys_help);
			n++;
		}
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
		draw_text(t, y, x + 1, 13, ROLE_KEY, lines[i].keybuf);
		draw_text(t, y, x + 15, cw - 15, lines[i].keybuf[0] ? ROLE_NORMAL : ROLE_DIM, lines[i].text);
	}
}
