/* says.h — for the model tests: does the model's verdict at now say text (one item, whole)? */
#ifndef FD_TESTS_MODEL_SAYS_H
#define FD_TESTS_MODEL_SAYS_H

#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "model/verdict.h"

static inline bool says(const struct model *m, time_t now, const char *text)
{
	struct verdict v;

	verdict_build(m, now, &v);
	for (size_t i = 0; i < v.n; i++)
		if (strcmp(v.items[i].text, text) == 0)
			return true;
	return false;
}

#endif
