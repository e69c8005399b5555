/* xray_filter.c — X-Ray filter expressions, the subset the simulator evaluates:
 * terms joined by AND, each a boolean keyword (ok, error, fault, throttle), alone,
 * negated with ! or compared with = true / false, or a number keyword (responsetime,
 * duration, http.status) compared with =, !=, <, <=, >, >= to a number.
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-console-filters.html */
#include "sim/xray_filter.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { KEY_OK, KEY_ERROR, KEY_FAULT, KEY_THROTTLE, KEY_RESPONSETIME, KEY_DURATION, KEY_STATUS };
enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

static const struct {
	const char *name;
	bool boolean;
} keys[] = {
	[KEY_OK] = { "ok", true }, [KEY_ERROR] = { "error", true }, [KEY_FAULT] = { "fault", true },
	[KEY_THROTTLE] = { "throttle", true }, [KEY_RESPONSETIME] = { "responsetime", false },
	[KEY_DURATION] = { "duration", false }, [KEY_STATUS] = { "http.status", false },
};

/* Longest first, so that <= is not read as <. */
static const struct {
	const char *text;
	int op;
} ops[] = { { "!=", OP_NE }, { "<=", OP_LE }, { ">=", OP_GE }, { "=", OP_EQ }, { "<", OP_LT }, { ">", OP_GT } };

static const char *skip(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/* One term at *pp; -1 when it is outside the subset. */
static int term(const char **pp, struct xray_filter_term *t)
{
	const char *p = skip(*pp);
	bool negate = false, compared = false;
	size_t k, len;
	char *end;

	if (*p == '!') {
		negate = true;
		p = skip(p + 1);
	}
	for (len = 0; isalnum((unsigned char)p[len]) || p[len] == '.'; len++)
		;
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (strlen(keys[k].name) == len && strncasecmp(p, keys[k].name, len) == 0)
			break;
	if (k == sizeof(keys) / sizeof(keys[0]) || (negate && !keys[k].boolean))
		return -1;
	t->key = (int)k;
	p = skip(p + len);
	t->op = OP_EQ;
	t->value = 1;
	for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++)
		if (strncmp(p, ops[o].text, strlen(ops[o].text)) == 0) {
			t->op = ops[o].op;
			compared = true;
			p = skip(p + strlen(ops[o].text));
			if (keys[k].boolean) {
				if (t->op != OP_EQ && t->op != OP_NE)
					return -1;
				if (strncasecmp(p, "true", 4) == 0 && !isalnum((unsigned char)p[4]))
					t->value = 1, p += 4;
				else if (strncasecmp(p, "false", 5) == 0 && !isalnum((unsigned char)p[5]))
					t->value = 0, p += 5;
				else
					return -1;
			} else {
				t->value = strtod(p, &end);
				if (end == p)
					return -1;
				p = end;
			}
			break;
		}
	if (!keys[k].boolean && !compared)   /* a number keyword needs a comparison */
		return -1;
	if (negate)
		t->op = t->op == OP_EQ ? OP_NE : OP_EQ;
	*pp = p;
	return 0;
}

int xray_filter_parse(const char *expr, struct xray_filter *f, char *msg, size_t msg_size)
{
	const char *p = expr ? skip(expr) : "";

	f->n = 0;
	while (*p) {
		if (f->n == XRAY_FILTER_TERMS_MAX || term(&p, &f->terms[f->n]) < 0)
			goto bad;
		f->n++;
		p = skip(p);
		if (!*p)
			break;
		if (strncasecmp(p, "and", 3) != 0 || !isspace((unsigned char)p[3]))
			goto bad;
		p = skip(p + 3);
		if (!*p)
			goto bad;
	}
	return 0;
bad:
	snprintf(msg, msg_size, "The simulator does not evaluate the filter expression '%.100s': it takes terms "
		 "joined by AND of ok, error, fault, throttle (alone, with ! or = true/false) and responsetime, "
		 "duration, http.status compared with a number", expr);
	return -1;
}

bool xray_filter_match(const struct xray_filter *f, const struct xray_filter_subject *s)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct xray_filter_term *t = &f->terms[i];
		double v = t->key == KEY_OK ? (!s->fault && !s->error && !s->throttle) :
			   t->key == KEY_ERROR ? s->error : t->key == KEY_FAULT ? s->fault :
			   t->key == KEY_THROTTLE ? s->throttle : t->key == KEY_RESPONSETIME ? s->response_s :
			   t->key == KEY_DURATION ? s->duration_s : (double)s->status;
		bool hold = t->op == OP_EQ ? v == t->value : t->op == OP_NE ? v != t->value :
			    t->op == OP_LT ? v < t->value : t->op == OP_LE ? v <= t->value :
			    t->op == OP_GT ? v > t->value : v >= t->value;
		if (!hold)
			return false;
	}
	return true;
}
