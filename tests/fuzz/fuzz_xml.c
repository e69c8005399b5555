/* fuzz_xml.c — libFuzzer target: any bytes through the shape-driven XML and form
 * codecs: as a response body to the query, ec2 and rest-xml decoders (a success
 * and an error), and as a request body the simulator's side parses (rest-xml
 * XML bodies, query and ec2 forms). */
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
		{ "cloudwatch", "DescribeAlarms" }, { "cloudwatch", "GetMetricData" },
		{ "rds", "DescribeDBInstances" }, { "route53", "ListResourceRecordSets" },
		{ "route53", "ChangeResourceRecordSets" }, { "autoscaling", "DescribeAutoScalingGroups" },
		{ "elbv2", "DescribeRules" }, { "ec2", "DescribeNetworkInterfaces" },
		{ "ec2", "DescribeLaunchTemplateVersions" }, { "elasticache", "DescribeReplicationGroups" },
		{ "cloudfront", "GetDistribution" }, { "cloudfront", "ListDistributions" },
	};
	/* requests the simulator's side parses: a POST body to these */
	static const char *const requests[][3] = {
		{ "route53", "POST", "/2013-04-01/hostedzone/Z1/rrset/" },
		{ "route53", "POST", "/2013-04-01/healthcheck/abc" },
		{ "elbv2", "POST", "/" }, { "ec2", "POST", "/" }, { "cloudwatch", "POST", "/" },
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
	for (i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		const struct ops_service *svc = ops_service_find(requests[i][0]);
		struct codec_server_request req = { .method = requests[i][1], .target = requests[i][2],
						    .body = body, .body_len = size };
		struct fd_error err;
		const struct ops_operation *op = codec_server_find(svc, &req, &err);
		json_t *in = op ? codec_server_parse(op, &req, &err) : NULL;
		json_decref(in);
	}
	free(body);
	return 0;
}
