/* fuzz_json.c — libFuzzer target: any bytes through the shape-driven JSON codecs:
 * as a rest-json / json 1.0 response (first line: the X-Amzn-ErrorType header
 * value), as JSON call input to every encoder, and on the simulator's side as a
 * request body to parse and as an output to serialise. */
#include "aws/codec.h"
#include "aws/codec_server.h"
#include "aws/ops.h"
#include "base/xalloc.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ops[][2] = {
		{ "xray", "GetServiceGraph" }, { "xray", "BatchGetTraces" },
		{ "route53-recovery-cluster", "ListRoutingControls" }, { "sso", "GetRoleCredentials" },
		{ "route53", "ChangeResourceRecordSets" }, { "cloudwatch", "GetMetricData" },
		{ "route53-recovery-cluster", "UpdateRoutingControlState" }, { "elbv2", "ModifyRule" },
		{ "ec2", "DescribeNetworkInterfaces" }, { "cloudfront", "GetDistribution" },
		{ "xray", "GetTraceSummaries" }, { "rds", "DescribeDBInstances" },
	};
	static const long statuses[] = { 200, 400 };
	char *text = xmalloc(size + 1), *nl, *body;
	struct codec_header h = { .name = (char *)"X-Amzn-ErrorType", .value = NULL };
	size_t i, k, body_len;
	json_t *in;

	memcpy(text, data, size);
	text[size] = '\0';
	nl = memchr(text, '\n', size);
	if (nl) {
		*nl = '\0';
		h.value = text;
		body = nl + 1;
		body_len = size - (size_t)(body - text);
	} else {
		body = text;
		body_len = size;
	}
	in = json_loadb(body, body_len, 0, NULL);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		const struct ops_operation *op = ops_find(ops[i][0], ops[i][1]);
		struct codec_request req;
		struct fd_error err;
		for (k = 0; k < sizeof(statuses) / sizeof(statuses[0]); k++) {
			struct codec_response resp = { .status = statuses[k], .headers = &h,
						       .n_headers = h.value ? 1 : 0, .body = body,
						       .body_len = body_len };
			json_t *r = codec_decode(op, &resp, &err);
			json_decref(r);
		}
		codec_request_init(&req);
		codec_encode(op, in, &req, &err);
		codec_request_clean_up(&req);
		{
			struct codec_header target = { .name = (char *)"X-Amz-Target",
						       .value = (char *)"ToggleCustomerAPI.UpdateRoutingControlState" };
			struct codec_server_request sreq = { .method = ops_method(op), .target = "/ServiceGraph",
							     .headers = &target, .n_headers = 1,
							     .body = body, .body_len = body_len };
			struct codec_reply reply;
			json_t *parsed = codec_server_parse(op, &sreq, &err);
			json_decref(parsed);
			codec_reply_init(&reply);
			codec_server_reply(op, json_is_object(in) ? in : NULL, "rid", &reply, &err);
			codec_reply_clean_up(&reply);
		}
	}
	json_decref(in);
	free(text);
	return 0;
}
