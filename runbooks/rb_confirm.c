/* rb_confirm.c — the confirmation block of a mutating call (see rb_confirm.h). */
#include "runbooks/rb_confirm.h"

#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/termtext.h"
#include "runbooks/rb_journal.h"

const char *rb_control_plane(const char *service, const char *operation)
{
	static const struct { const char *service, *operation, *why; } rows[] = {
		{ "route53", "ChangeResourceRecordSets",
		  "yes: Route 53 ChangeResourceRecordSets is a control-plane call served from us-east-1, not in the recommended recovery path" },
		{ "route53", "UpdateHealthCheck",
		  "yes: Route 53 UpdateHealthCheck is a control-plane call served from us-east-1, not in the recommended recovery path" },
		{ "route53", NULL, "yes: Route 53 changes are control-plane calls served from us-east-1" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (strcmp(rows[i].service, service) == 0 &&
		    (!rows[i].operation || strcmp(rows[i].operation, operation) == 0))
			return rows[i].why;
	return NULL;
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
	emit(line, ctx, "    region:     ", cp ? "us-east-1 (global)" : c->region ? c->region : "default", NULL);
	if (c->current || c->new_value)
		emit(line, ctx, "    change:     ", c->current ? c->current : "(not read)",
		     c->new_value ? c->new_value : "(see parameters)");
	emit(line, ctx, "    control plane: ", cp ? cp : strcmp(c->service, "route53-recovery-cluster") == 0 ?
	     "no: an ARC routing control is the data plane (cluster endpoints)" :
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
