/* paging.c — the page size of every listing the simulator serves: AWS's default,
 * or the scenario's `paging:` setting for the operation (see service.h). */
#include "sim/service.h"

#include <string.h>

/* One row per paginated operation: AWS's default page size (0: one page with
 * every result, as EC2 answers a call without MaxResults) and the range the size
 * parameter accepts, from the API reference page named in docs/sim.md. */
const struct sim_page_rule sim_page_rules[] = {
	{ "DescribeAutoScalingGroups", 50, 1, 100 },      /* autoscaling: "The default value is 50" */
	{ "DescribeScalingActivities", 100, 1, 100 },     /* "The default value is 100" */
	{ "DescribePolicies", 50, 1, 100 },               /* "The default value is 50" */
	{ "DescribeLoadBalancers", 400, 1, 400 },         /* elbv2 PageSize 1-400 (no default documented) */
	{ "DescribeTargetGroups", 400, 1, 400 },
	{ "DescribeListeners", 400, 1, 400 },
	{ "DescribeRules", 400, 1, 400 },
	{ "DescribeDBInstances", 100, 20, 100 },          /* rds: "Default: 100 ... Minimum 20, maximum 100" */
	{ "DescribeAlarms", 50, 1, 100 },                 /* cloudwatch MaxRecords 1-100 */
	{ "DescribeAlarmHistory", 100, 1, 100 },
	{ "ListResourceRecordSets", 300, 1, 300 },        /* route53: "returns up to 300 ... at a time" */
	{ "ListHealthChecks", 100, 1, 100 },              /* "returns a maximum of 100 items" */
	{ "ListHostedZones", 100, 1, 100 },               /* "returns a maximum of 100 items in each response" */
	{ "ListRoutingControls", 500, 1, 100000 },        /* ARC: "The default value is 500" */
	{ "GetTraceSummaries", 100, 1, 100 },             /* X-Ray: no size parameter, none documented */
	{ "DescribeInstanceRefreshes", 50, 1, 100 },      /* "The default value is 50 and the maximum value is 100" */
	{ "DescribeReplicationGroups", 100, 20, 100 },    /* elasticache: "Default: 100 Constraints: minimum 20; maximum 100" */
	{ "DescribeCacheClusters", 100, 20, 100 },
	{ "DescribeEvents", 100, 20, 100 },
	{ "ListDistributions", 100, 1, 100 },             /* cloudfront: "The maximum and default values are both 100" */
	{ "DescribeNetworkInterfaces", 0, 5, 1000 },      /* ec2: MaxResults 5-1000; without it, every result */
	{ "DescribeLaunchTemplateVersions", 0, 1, 200 },  /* ec2: "between 1 and 200"; without it, every result */
	{ NULL, 0, 0, 0 },
};

const struct sim_page_rule *sim_page_rule_find(const char *operation)
{
	for (const struct sim_page_rule *r = sim_page_rules; operation && r->operation; r++)
		if (strcmp(r->operation, operation) == 0)
			return r;
	return NULL;
}

long sim_page_default(const struct sim_world *w, const char *operation)
{
	const struct sim_page_rule *r = sim_page_rule_find(operation);

	for (size_t i = 0; w && operation && i < w->n_paging; i++)
		if (strcmp(w->paging[i].operation, operation) == 0)
			return w->paging[i].size;
	return r ? r->def : 100;
}
