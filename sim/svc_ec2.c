/* svc_ec2.c — EC2 (the ec2 query protocol, 2016-11-15): DescribeNetworkInterfaces,
 * the network interfaces Elastic Load Balancing makes for each load balancer (one per
 * zone, description "ELB app/NAME/ID", requester amazon-elb), whose public addresses
 * are what an alias record to the load balancer answers with (sim/r53dns.c).
 *
 * Served through the shape-driven codec (sim/shaped.c), as
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInterfaces.html
 * gives them; filter values take the * and ? wildcards
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Filtering.html). */
#include "sim/service.h"

#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sim/route53.h"
#include "sim/traffic.h"

#define EC2_ZONES 2               /* an ALB spans at least two zones: one interface each */
static const char zone_letters[EC2_ZONES] = { 'a', 'c' };

/* One network interface of a load balancer, as the API shows it. */
struct eni {
	char id[32];
	char az[40];
	char description[SIM_ARN_MAX];
	char subnet[32];
	char private_ip[16];
	char public_ip[16];
	const char *vpc;
};

/* The k-th interface of lb (k < EC2_ZONES); false when it has none. */
static bool eni_of(const struct sim_world *w, const struct sim_load_balancer *lb, size_t k, struct eni *e)
{
	const char *app = strstr(lb->arn, ":loadbalancer/");
	char ips[EC2_ZONES][16];
	uint64_t h, li;

	if (!app || route53_region_ips(w, lb->region, ips, EC2_ZONES) <= k)
		return false;
	li = (uint64_t)(lb - w->regions[lb->region].lbs);   /* each load balancer its own ids */
	h = (uint64_t)(traffic_hash(w->seed, (uint64_t)lb->region, 7 + 16 * li, k) * 0xffffffffu);
	snprintf(e->id, sizeof(e->id), "eni-0%08llx%08llx", (unsigned long long)h, (unsigned long long)(h ^ 0x5a5a5a5aULL));
	snprintf(e->az, sizeof(e->az), "%s%c", w->regions[lb->region].name, zone_letters[k]);
	snprintf(e->description, sizeof(e->description), "ELB %s", app + strlen(":loadbalancer/"));
	snprintf(e->subnet, sizeof(e->subnet), "subnet-0%08llx%c", (unsigned long long)(h >> 8), zone_letters[k]);
	snprintf(e->private_ip, sizeof(e->private_ip), "10.0.%zu.%d", k * 16 + 1, (int)(h % 200) + 20);
	snprintf(e->public_ip, sizeof(e->public_ip), "%s", ips[k]);
	e->vpc = lb->vpc_id;
	return true;
}

/* Does a filter value (with * and ?) match s? */
static bool value_matches(const char *pattern, const char *s)
{
	return s && fnmatch(pattern, s, 0) == 0;
}

/* The filters EC2 documents for the call that the simulator follows. */
static const char *const filter_names[] = {
	"description", "network-interface-id", "availability-zone", "vpc-id", "subnet-id",
	"requester-id", "addresses.private-ip-address", "association.public-ip", "status",
};

/* The value of a filter for an interface. */
static const char *eni_field(const struct eni *e, const char *filter)
{
	static const char *const fixed[][2] = { { "requester-id", "amazon-elb" }, { "status", "in-use" } };

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strcmp(filter, fixed[i][0]) == 0)
			return fixed[i][1];
	return strcmp(filter, "description") == 0 ? e->description :
	       strcmp(filter, "network-interface-id") == 0 ? e->id :
	       strcmp(filter, "availability-zone") == 0 ? e->az :
	       strcmp(filter, "vpc-id") == 0 ? e->vpc :
	       strcmp(filter, "subnet-id") == 0 ? e->subnet :
	       strcmp(filter, "addresses.private-ip-address") == 0 ? e->private_ip :
	       strcmp(filter, "association.public-ip") == 0 ? e->public_ip : NULL;
}

/* One NetworkInterface. */
static json_t *eni_json(const struct eni *e, const char *w_account)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:{s:s, s:s},"
			 " s:[{s:s, s:b, s:{s:s, s:s}}]}",
			 "NetworkInterfaceId", e->id, "SubnetId", e->subnet, "VpcId", e->vpc, "AvailabilityZone", e->az,
			 "Description", e->description, "OwnerId", w_account, "RequesterId", "amazon-elb",
			 "RequesterManaged", true, "Status", "in-use", "PrivateIpAddress", e->private_ip,
			 "InterfaceType", "interface", "Association", "PublicIp", e->public_ip, "IpOwnerId", "amazon",
			 "PrivateIpAddresses", "PrivateIpAddress", e->private_ip, "Primary", true, "Association",
			 "PublicIp", e->public_ip, "IpOwnerId", "amazon");
}

#define EC2_FILTERS_MAX 10
#define EC2_IDS_MAX 100

/* Is id among the NetworkInterfaceIds asked for (all when none)? */
static bool listed(const char *const *ids, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ids[i], id) == 0)
			return true;
	return n == 0;
}

/* The first id asked for that no interface of region r has; NULL when all exist. */
static const char *missing_id(const struct sim_world *w, int r, const char *const *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t l = 0; r >= 0 && l < w->regions[r].n_lbs && !seen; l++)
			for (size_t k = 0; k < EC2_ZONES && !seen; k++) {
				struct eni e;
				seen = eni_of(w, &w->regions[r].lbs[l], k, &e) && strcmp(e.id, ids[i]) == 0;
			}
		if (!seen)
			return ids[i];
	}
	return NULL;
}

/* DescribeNetworkInterfaces: the interfaces of the region's load balancers, filtered. */
static int describe_network_interfaces(struct sim_ctx *ctx, json_t *in, json_t **out, struct sim_resp *resp)
{
	const struct sim_world *w = ctx->world;
	struct sim_filter filters[EC2_FILTERS_MAX];
	size_t nf = sim_in_filters(in, "Filters", filters, EC2_FILTERS_MAX), f, v, k, i;
	int r = sim_world_region(ctx->world, ctx->region);
	json_t *items;
	struct sim_pager pg;
	const char *ids[EC2_IDS_MAX];
	size_t n_ids = sim_in_strs(in, "NetworkInterfaceIds", ids, EC2_IDS_MAX);
	const char *missing = missing_id(w, r, ids, n_ids);

	if (n_ids && json_object_get(in, "MaxResults"))   /* "You cannot specify this parameter and the IDs" */
		return sim_error(ctx, resp, 400, "InvalidParameterCombination",
				 "The parameter NetworkInterfaceIds cannot be used with the parameter maxResults");
	if (missing)
		return sim_error(ctx, resp, 400, "InvalidNetworkInterfaceID.NotFound",
				 "The networkInterface ID '%.64s' does not exist", missing);
	if (sim_in_pager(ctx, resp, in, "NextToken", "InvalidPaginationToken", "MaxResults", &pg) < 0)
		return 0;
	if (json_array_size(json_object_get(in, "Filters")) > EC2_FILTERS_MAX)
		return sim_error(ctx, resp, 400, "FilterLimitExceeded", "The maximum number of filters is %d", EC2_FILTERS_MAX);
	for (i = 0; i < nf; i++) {
		for (f = 0; f < sizeof(filter_names) / sizeof(filter_names[0]); f++)
			if (strcmp(filters[i].name, filter_names[f]) == 0)
				break;
		if (f == sizeof(filter_names) / sizeof(filter_names[0]))
			return sim_error(ctx, resp, 400, "InvalidParameterValue", "The filter '%.64s' is invalid",
					 filters[i].name);
	}
	items = json_array();
	for (i = 0; r >= 0 && i < w->regions[r].n_lbs; i++)
		for (k = 0; k < EC2_ZONES; k++) {
			struct eni e;
			bool keep = eni_of(w, &w->regions[r].lbs[i], k, &e) && listed(ids, n_ids, e.id);
			for (f = 0; keep && f < nf; f++) {   /* filters ANDed, a filter's values ORed */
				bool any = false;
				for (v = 0; v < filters[f].n_values && !any; v++)
					any = value_matches(filters[f].values[v], eni_field(&e, filters[f].name));
				keep = any;
			}
			if (keep && sim_pager_take(&pg))
				json_array_append_new(items, eni_json(&e, w->account));
		}
	*out = json_pack("{s:o}", "NetworkInterfaces", items);
	sim_out_token(*out, &pg, "NextToken");
	return 0;
}

static const struct sim_shaped_op ec2_ops[] = {
	{ .name = "DescribeNetworkInterfaces", .fn = describe_network_interfaces },
	{ .name = "DescribeLaunchTemplateVersions", .fn = sim_ec2_lt_describe_versions },
	{ .name = NULL },
};

int sim_ec2_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	return sim_dispatch_shaped(ctx, req, resp, ec2_ops);
}
