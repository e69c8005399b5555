/* test_ytree.c — the one YAML reader: marks, aliases, limits and the options each reader uses. */
#include <stdio.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/ytree.h"
#include "tests/tap.h"

static const struct ytree_opts plain = { .file = "t.yaml", .code = "TestError" };

/* Parse text with opts; the error message or "" when it parsed. */
static const char *msg(const char *text, const struct ytree_opts *o)
{
	static struct fd_error err;
	struct ytree *root;

	fd_error_clear(&err);
	if (ytree_parse(text, strlen(text), o, &root, &err) == 0) {
		ytree_free(root);
		return "";
	}
	return err.message;
}

int main(void)
{
	struct ytree_opts strict = { .file = "r.yaml", .code = "TestError", .syntax = "invalid YAML: ",
				     .no_aliases = true, .what = "runbooks", .no_duplicates = true };
	struct fd_error err;
	struct ytree *root;
	struct strbuf deep, laughs;
	int i;

	/* the tree and its marks */
	ok(ytree_parse("a: 1\nb:\n  - x\n  - 'y'\n", 22, &plain, &root, &err) == 0 && root, "parses");
	ok(root && root->kind == YTREE_MAP && root->n == 2, "a mapping of two");
	is_str(ytree_scalar(ytree_get(root, "a")), "1", "scalar by key");
	ok(ytree_get(root, "b") && ytree_get(root, "b")->kind == YTREE_SEQ && ytree_get(root, "b")->n == 2, "a list");
	is_int(ytree_get(root, "b")->items[1]->line, 4, "line of an item");
	is_int(ytree_get(root, "b")->items[1]->col, 5, "column of an item");
	ok(ytree_get(root, "b")->items[0]->plain && !ytree_get(root, "b")->items[1]->plain, "plain and quoted");
	is_int(ytree_key(root, "b")->line, 2, "key node's mark");
	ok(ytree_get(root, "nope") == NULL && ytree_get(NULL, "a") == NULL, "absent key");
	is_str(ytree_kind_name(root), "a mapping", "kind name");
	ytree_free(root);
	ok(ytree_parse("", 0, &plain, &root, &err) == 0 && root == NULL, "an empty stream has no root");

	/* aliases: copied where allowed, refused where a reviewer must see everything */
	ok(ytree_parse("a: &x {k: v}\nb: *x\n", 19, &plain, &root, &err) == 0, "alias resolved");
	is_str(ytree_scalar(ytree_get(ytree_get(root, "b"), "k")), "v", "alias copies the anchored node");
	is_int(ytree_get(root, "b")->line, 2, "the copy is marked where the alias is");
	is_str(ytree_get(root, "b")->alias, "x", "and remembers the alias");
	ytree_free(root);
	is_str(msg("a: &x 1\nb: *x\n", &strict), "r.yaml:2:4: aliases (*x) are not supported in runbooks",
	       "aliases refused when asked");
	is_str(msg("b: *nope\n", &plain), "t.yaml:1:4: alias *nope names no anchor before it", "unknown alias");
	strbuf_init(&laughs);
	strbuf_adds(&laughs, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
	for (i = 0; i < 6; i++)
		strbuf_addf(&laughs, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", 'b' + i, 'b' + i,
			    'a' + i, 'a' + i, 'a' + i, 'a' + i, 'a' + i, 'a' + i, 'a' + i, 'a' + i, 'a' + i, 'a' + i);
	ok(strstr(msg(laughs.data, &plain), "aliases expand to more than 10000 nodes") != NULL,
	   "a billion laughs stops at the budget: %s", msg(laughs.data, &plain));
	strbuf_clean_up(&laughs);

	/* limits */
	strbuf_init(&deep);
	for (i = 0; i < 70; i++)
		strbuf_adds(&deep, "[");
	for (i = 0; i < 70; i++)
		strbuf_adds(&deep, "]");
	is_str(msg(deep.data, &plain), "t.yaml:1:66: nesting deeper than 64 levels", "depth limit");
	strbuf_clean_up(&deep);
	{
		static const char nul[] = "a: \"x\\0y\"\n";
		is_str(msg(nul, &plain), "t.yaml:1:4: a NUL byte in a string", "NUL in a string refused");
	}
	is_str(msg("a: 1\n---\nb: 2\n", &plain), "t.yaml:3:1: only one YAML document is allowed", "one document");
	is_str(msg("[a, b]: 1\n", &plain), "t.yaml:1:1: a mapping key must be a string", "keys are strings");

	/* duplicates: refused when asked, kept for the reader's own message otherwise */
	is_str(msg("a: 1\na: 2\n", &strict), "r.yaml:2:1: duplicate key 'a'", "duplicate refused when asked");
	is_str(msg("a: 1\na: 2\n", &plain), "", "kept otherwise");

	/* libyaml's complaint, with or without its context */
	is_str(msg("key: [unclosed\n", &plain),
	       "t.yaml:2:1: did not find expected ',' or ']' while parsing a flow sequence", "syntax error with context");
	is_str(msg("key: [unclosed\n", &strict),
	       "r.yaml:2:1: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence",
	       "with the reader's words");
	{
		struct ytree_opts bare = plain;
		bare.no_context = true;
		is_str(msg("key: [unclosed\n", &bare), "t.yaml:2:1: did not find expected ',' or ']'", "without context");
	}
	return done_testing();
}
