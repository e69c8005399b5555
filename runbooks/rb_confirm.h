/* rb_confirm.h — what a mutating AWS call shows before it is sent, and the typed answer.
 *
 * One implementation for every place that confirms a change: a runbook's aws
 * step (rb_run.c, in the terminal or the dashboard) and `flightdeck call` of a
 * mutating operation (src/cmd_call.c). The block names the operation, its
 * parameters (secrets redacted), the account and caller, the region, current ->
 * new when known, and whether the call goes through a control plane. Every
 * value in it that came from AWS or a runbook is made safe for a terminal
 * (base/termtext.h) and kept on its own line.
 *
 * The answer must be typed after the block is on screen (the caller discards
 * type-ahead first) and must equal the token; a wrong answer asks again, up to
 * RB_CONFIRM_TRIES in all, with the token shown again.
 */
#ifndef FD_RB_CONFIRM_H
#define FD_RB_CONFIRM_H

#include <stdbool.h>

#include <jansson.h>

#define RB_CONFIRM_TRIES 3

struct rb_confirm {
	const char *service, *operation;
	json_t *input;            /* the call's parameters (borrowed), shown redacted */
	json_t *secrets;          /* strings to redact wherever they appear (borrowed array), or NULL */
	const char *account;      /* NULL: unknown */
	const char *caller_arn;   /* NULL: unknown */
	const char *region;       /* where the call goes; NULL: "default" */
	const char *current;      /* the change line, shown when current or new_value is set */
	const char *new_value;
	bool plan;                /* "would call" rather than "about to call" */
};

/* Emit the block, one line per call of line(ctx, text). */
void rb_confirm_block(const struct rb_confirm *c, void (*line)(void *ctx, const char *text), void *ctx);

/* The prompt for try (1-based) of a confirmation whose token is token, after a
 * wrong answer (NULL on the first try). Caller frees. */
char *rb_confirm_prompt(const char *token, const char *what, int try, const char *wrong);

/* For an operation whose change goes through a control plane outside the region
 * (.control_plane in aws/ops.c's table: Route 53, us-east-1), the sentence the
 * confirmation shows (the row's .plane_why); NULL for any other. */
const char *rb_control_plane(const char *service, const char *operation);

#endif
