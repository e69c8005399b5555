/* test_viewkeys.c — each view's own keys are a table (struct view .keys) from which the help
 * view lists them: every key a view handles is a row of its table (keys_dispatch runs only
 * those), and every row is listed, under the view (a labelled row) or, for a row without a
 * label, as the same key of the global keys (the movement keys, Esc, in the runbooks view) or
 * as Enter (its other key codes); tests/tui/test_keyhelp.sh checks on screen that each listed
 * key does what the help says. */
#include <stdio.h>
#include <string.h>

#include "tests/tap.h"
#include "tui/internal.h"

/* Whether table lists key: a labelled row of it; a global alias (a row without a label)
 * counts when a labelled row has its fn ("j Down"); Enter's other codes count as Enter. */
static bool listed(const struct key_binding *table, int key, bool global)
{
	const struct key_binding *b, *l;

	for (b = table; b && b->fn; b++) {
		if (b->key != key)
			continue;
		if (b->label)
			return true;
		if ((key == '\n' || key == KEY_ENTER) && listed(table, '\r', global))
			return true;
		for (l = table; global && l->fn; l++)
			if (l->label && l->fn == b->fn)
				return true;
	}
	return false;
}

int main(void)
{
	int i, views_with_keys = 0;

	for (i = 0; views_table[i].name; i++) {
		const struct key_binding *b, *c;
		int rows = 0, bad = 0, dup = 0;
		for (b = views_table[i].keys; b && b->fn; b++) {
			rows++;
			if (b->label && (!*b->label || !b->help || !*b->help)) {
				printf("# view %s: the row for key %d has an empty label or help\n", views_table[i].name, b->key);
				bad++;
			} else if (!listed(views_table[i].keys, b->key, false) && !listed(keys_table, b->key, true)) {
				printf("# view %s: key %d is handled but listed neither under the view nor globally\n",
				       views_table[i].name, b->key);
				bad++;
			}
			for (c = views_table[i].keys; c != b; c++)
				if (c->key == b->key)
					dup++;
		}
		if (!rows)
			continue;
		views_with_keys++;
		is_int(bad, 0, "view %s: each of its %d keys is listed in the help (under it or globally)",
		       views_table[i].name, rows);
		is_int(dup, 0, "view %s: no key has two rows (the second could never run)", views_table[i].name);
	}
	ok(views_with_keys >= 5, "the views with keys of their own have tables (%d)", views_with_keys);
	ok(listed(keys_table, 'j', true) && listed(keys_table, KEY_DOWN, true) && !listed(keys_table, 'z', true),
	   "the global table lists j and Down (its alias), not z");
	return done_testing();
}
