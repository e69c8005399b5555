/* fuzz_xml.c — libFuzzer target: any bytes as an XML response body to the query
 * and rest-xml decoders, as a success and as an error. */
#include "aws/codec.h"
#include "aws/ops.h"
#include "base/xalloc.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ops[][2] = {
		{ "cloudwatch", "DescribeAlarms" }, { "cloudwatch", "GetMetricData" },
		{ "rds", "DescribeDBInstances" }, { "route53", "ListResourceRecordSets" },
		{ "route53", "ChangeResourceRecordSets" }, { "autoscaling", "DescribeAutoScalingGroups" },
	};
	static const long statuses[] = { 200, 400, 503 };
	char *body = xmalloc(size + 1);
	size_t i, k;

	memcpy(body, data, size);
	body[size] = '\0';
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		const struct ops_operation *op = ops_find(ops[i][0], ops[i][1]);
		for (k = 0; k < sizeof(statuses) / sizeof(statuses[0]); k++) {
			struct codec_response resp = { .status = statuses[k], .body = body,
						       .body_len = size };
			struct fd_error err;
			json_t *r = codec_decode(op, &resp, &err);
			json_decref(r);
		}
	}
	free(body);
	return 0;
}
