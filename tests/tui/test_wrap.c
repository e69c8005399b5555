/* test_wrap.c — the confirmation panel's wrapping (tui/wrap.c): nothing is cut,
 * rows break at spaces, then list separators, then other punctuation, and
 * continuation rows hang under the value of a "label: value" line. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "tests/tap.h"
#include "tui/fmt.h"
#include "tui/wrap.h"

/* The rows joined back without the indentation wrapping added. */
static char *joined(const struct wrap *w)
{
	struct strbuf sb;
	size_t i;

	strbuf_init(&sb);
	for (i = 0; i < w->n; i++)
		strbuf_adds(&sb, i ? w->line[i] + strspn(w->line[i], " ") : w->line[i]);
	return strbuf_detach(&sb, NULL);
}

/* Whether every row fits width columns. */
static int fits(const struct wrap *w, int width)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (fmt_width(w->line[i]) > width)
			return 0;
	return 1;
}

int main(void)
{
	struct wrap w;
	char *j;
	const char *change = "    change:     petclinic-tg-blue=0 petclinic-tg-green=100 -> petclinic-tg-blue=100 petclinic-tg-green=0";
	const char *json = "    parameters: {\"AutoScalingGroupName\":\"petclinic-asg-was-blue\",\"DesiredCapacity\":4,"
		"\"HonorCooldown\":false,\"ListenerArn\":\"arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:"
		"listener/app/petclinic-alb/0e84379630af89ee/00e2c46865e98746\"}";
	const char *unbroken = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz";

	setlocale(LC_ALL, "C.UTF-8");

	wrap_init(&w);
	wrap_add(&w, "short line", 76);
	is_int(w.n, 1, "a line that fits is one row");
	is_str(w.line[0], "short line", "as it was");
	wrap_clean_up(&w);

	wrap_add(&w, change, 76);
	is_int(w.n, 2, "the change line takes two rows at 76 columns");
	is_str(w.line[0], "    change:     petclinic-tg-blue=0 petclinic-tg-green=100 ->", "it breaks at a space");
	is_str(w.line[1], "                petclinic-tg-blue=100 petclinic-tg-green=0",
	       "the new value hangs under the value, not the label");
	wrap_clean_up(&w);

	wrap_add(&w, json, 76);
	ok(fits(&w, 76), "every row of the parameters fits 76 columns");
	j = joined(&w);
	is_str(j, json, "nothing is lost: the rows joined are the line");
	free(j);
	ok(w.n >= 3 && strcmp(w.line[0] + strlen(w.line[0]) - 1, ",") == 0,
	   "JSON without spaces breaks after a comma (%s)", w.n ? w.line[0] : "");
	ok(strncmp(w.line[1], "                {", 16) == 0 || strncmp(w.line[1], "                \"", 17) == 0,
	   "and continues under the value (%s)", w.n > 1 ? w.line[1] : "");
	wrap_clean_up(&w);

	wrap_add(&w, unbroken, 20);
	is_int(w.n, 3, "a word longer than the width is broken where the width ends");
	is_str(w.line[0], "abcdefghijklmnopqrst", "20 columns on the first row");
	ok(fits(&w, 20), "and no row is wider");
	wrap_clean_up(&w);

	wrap_add(&w, "  Stop writes to petclinic-db now (the application in ap-northeast-1 still writes to it): "
		 "writes after the promotion are lost. Writes stopped?", 40);
	ok(fits(&w, 40), "a sentence wraps at 40 columns");
	ok(strlen(w.line[w.n - 1]) >= 15 && strcmp(w.line[w.n - 1] + strlen(w.line[w.n - 1]) - 15, "Writes stopped?") == 0,
	   "its last words end the last row (%s)", w.line[w.n - 1]);
	ok(strncmp(w.line[1], "  ", 2) == 0 && w.line[1][2] != ' ', "prose hangs under its first word (%s)", w.line[1]);
	wrap_clean_up(&w);

	wrap_add(&w, "\xe5\x8f\xb0\xe5\x8c\x97\xe5\x8f\xb0\xe5\x8c\x97\xe5\x8f\xb0\xe5\x8c\x97\xe5\x8f\xb0", 10);
	ok(fits(&w, 10) && w.n == 2, "wide characters count two columns each (%zu rows)", w.n);
	j = joined(&w);
	is_str(j, "\xe5\x8f\xb0\xe5\x8c\x97\xe5\x8f\xb0\xe5\x8c\x97\xe5\x8f\xb0\xe5\x8c\x97\xe5\x8f\xb0", "and are never split");
	free(j);
	wrap_clean_up(&w);

	wrap_add(&w, "", 30);
	is_int(w.n, 1, "an empty line is one empty row");
	wrap_clean_up(&w);
	return done_testing();
}
