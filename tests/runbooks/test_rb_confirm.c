/* test_rb_confirm.c — a mutating call's confirmation block: its control-plane line comes from
 * the operation table's row (aws/ops.c: .control_plane, .plane_why), one row per fact. */
#include <stdio.h>
#include <string.h>

#include "aws/ops.h"
#include "base/strbuf.h"
#include "runbooks/rb_confirm.h"
#include "tests/tap.h"

/* Collect the block's lines into a strbuf. */
static void collect(void *ctx, const char *text)
{
	strbuf_addf(ctx, "%s\n", text);
}

/* The block for service/operation in region. */
static void block(struct strbuf *out, const char *service, const char *operation, const char *region)
{
	struct rb_confirm c = { .service = service, .operation = operation, .region = region,
				.account = "123456789012", .caller_arn = "arn:aws:iam::123456789012:user/t" };

	strbuf_clean_up(out);
	strbuf_init(out);
	c.input = json_object();
	rb_confirm_block(&c, collect, out);
	json_decref(c.input);
}

int main(void)
{
	const struct ops_operation *op;
	struct strbuf out;
	int bad = 0;

	strbuf_init(&out);
	is_str(rb_control_plane("route53", "UpdateHealthCheck"),
	       "yes: Route 53 UpdateHealthCheck is a control-plane call served from us-east-1, not in the recommended recovery path",
	       "UpdateHealthCheck's sentence is its row's");
	is_str(rb_control_plane("route53", "change-resource-record-sets"),
	       "yes: Route 53 ChangeResourceRecordSets is a control-plane call served from us-east-1, not in the recommended recovery path",
	       "found by the kebab-case name too");
	ok(rb_control_plane("elbv2", "ModifyListener") == NULL, "ModifyListener is regional");
	ok(rb_control_plane("route53-recovery-cluster", "UpdateRoutingControlState") == NULL,
	   "an ARC routing control is not a control-plane call");
	ok(rb_control_plane("nosuch", "Thing") == NULL, "an unknown operation has no sentence");

	block(&out, "route53", "ChangeResourceRecordSets", "ap-northeast-2");
	ok(strstr(out.data, "    region:     us-east-1 (global)\n") != NULL, "a Route 53 change goes to its service's global region");
	ok(strstr(out.data, "    control plane: yes: Route 53 ChangeResourceRecordSets is a control-plane call") != NULL,
	   "and says it is a control-plane call");
	block(&out, "route53-recovery-cluster", "UpdateRoutingControlState", "us-west-2");
	ok(strstr(out.data, "    region:     us-west-2\n") != NULL, "an ARC change goes to the region shown");
	ok(strstr(out.data, "    control plane: no: an ARC routing control is the data plane (cluster endpoints)\n") != NULL,
	   "and its row says why it is the data plane");
	block(&out, "elbv2", "ModifyListener", NULL);
	ok(strstr(out.data, "    region:     default\n") != NULL, "no region: the default");
	ok(strstr(out.data, "    control plane: no: a regional API in the region shown\n") != NULL,
	   "a regional API without a row sentence");

	/* every mutating control-plane row says why, naming the global region the block shows */
	for (op = ops_table; op->name; op++)
		if (op->mutating && op->control_plane &&
		    (!op->plane_why || !op->service->global_region || !strstr(op->plane_why, op->service->global_region))) {
			printf("# %s %s: no .plane_why naming its global region\n", op->service->cli_name, op->name);
			bad++;
		}
	is_int(bad, 0, "every mutating control-plane row of ops_table[] has its sentence");
	strbuf_clean_up(&out);
	return done_testing();
}
