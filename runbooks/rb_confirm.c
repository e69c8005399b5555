/* rb_confirm.c — the confirmation block of a mutating call (see rb_confirm.h). */
#include "runbooks/rb_confirm.h"

#include <stdlib.h>
#include <string.h>

#include "aws/ops.h"
#include "base/strbuf.h"
#include "base/termtext.h"
#include "runbooks/rb_journal.h"

const char *rb_control_plane(const char *service, const char *operation)
{
	const struct ops_operation *op = ops_find(service, operation);

	if (!op || !op->control_plane)
		return NULL;
	return op->plane_why ? op->plane_why : "yes: a control-plane call served outside the region";
}

/* One line of the block: label and a value made one safe line. */
static void emit(void (*line)(void *, const char *), void *ctx, const char *label, const char *value,
		 const char *value2)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_adds(&sb, label);
	termtext_add(&sb, value, strlen(value), 0);
	if (value2) {
		strbuf_adds(&sb, " -> ");
		termtext_add(&sb, value2, strlen(value2), 0);
	}
	line(ctx, sb.data);
	strbuf_clean_up(&sb);
}

void rb_confirm_block(const struct rb_confirm *c, void (*line)(void *ctx, const char *text), void *ctx)
{
	const struct ops_operation *op = ops_find(c->service, c->operation);
	const char *cp = rb_control_plane(c->service, c->operation);
	json_t *red = rb_journal_redact(c->input, c->secrets);
	char *params = json_dumps(red, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY | JSON_ENSURE_ASCII);
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_addf(&sb, "  %s ", c->plan ? "would call" : "about to call");
	termtext_add(&sb, c->service, strlen(c->service), 0);
	strbuf_addc(&sb, ' ');
	termtext_add(&sb, c->operation, strlen(c->operation), 0);
	strbuf_adds(&sb, " (mutating)");
	line(ctx, sb.data);
	strbuf_clean_up(&sb);
	emit(line, ctx, "    parameters: ", params ? params : "{}", NULL);
	strbuf_init(&sb);
	strbuf_addf(&sb, "%s (%s)", c->account ? c->account : "unknown", c->caller_arn ? c->caller_arn : "unknown");
	emit(line, ctx, "    account:    ", sb.data, NULL);
	strbuf_clean_up(&sb);
	strbuf_init(&sb);
	if (cp)   /* the control plane's region, the service row's */
		strbuf_addf(&sb, "%s (global)", op->service->global_region ? op->service->global_region : "outside the region");
	else
		strbuf_adds(&sb, c->region ? c->region : "default");
	emit(line, ctx, "    region:     ", sb.data, NULL);
	strbuf_clean_up(&sb);
	if (c->current || c->new_value)
		emit(line, ctx, "    change:     ", c->current ? c->current : "(not read)",
		     c->new_value ? c->new_value : "(see parameters)");
	emit(line, ctx, "    control plane: ", cp ? cp : op && op->plane_why ? op->plane_why :
	     "no: a regional API in the region shown", NULL);
	free(params);
	json_decref(red);
}

char *rb_confirm_prompt(const char *token, const char *what, int try, const char *wrong)
{
	struct strbuf sb;

	strbuf_init(&sb);
	if (wrong) {
		strbuf_adds(&sb, "'");
		termtext_add(&sb, wrong, strlen(wrong), 0);
		strbuf_adds(&sb, "' is not '");
		termtext_add(&sb, token, strlen(token), 0);
		strbuf_adds(&sb, "'; ");
	}
	strbuf_adds(&sb, "type ");
	termtext_add(&sb, token, strlen(token), 0);
	strbuf_addf(&sb, " %s", what);
	if (try > 1)
		strbuf_addf(&sb, " (try %d of %d)", try, RB_CONFIRM_TRIES);
	return strbuf_detach(&sb, NULL);
}
