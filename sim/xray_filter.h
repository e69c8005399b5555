/* xray_filter.h — the subset of X-Ray filter expressions the simulator evaluates
 * (GetTraceSummaries FilterExpression): anything outside it is refused, never
 * taken as "every trace". */
#ifndef FD_SIM_XRAY_FILTER_H
#define FD_SIM_XRAY_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#define XRAY_FILTER_TERMS_MAX 8

/* What a filter looks at in one trace. */
struct xray_filter_subject {
	bool fault, error, throttle;
	double response_s, duration_s;
	int status;
};

struct xray_filter_term {
	int key;       /* index into the keyword table */
	int op;        /* comparison */
	double value;  /* a number, or 1/0 for true/false */
};

struct xray_filter {
	size_t n;
	struct xray_filter_term terms[XRAY_FILTER_TERMS_MAX];
};

/* Parse expr (NULL or empty: every trace) into f; -1 with a message in msg when the
 * expression is outside the subset. */
int xray_filter_parse(const char *expr, struct xray_filter *f, char *msg, size_t msg_size);
/* Do all the terms hold for s? */
bool xray_filter_match(const struct xray_filter *f, const struct xray_filter_subject *s);

#endif
