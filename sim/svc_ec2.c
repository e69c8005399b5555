/* svc_ec2.c — EC2 (the ec2 query protocol, 2016-11-15): DescribeNetworkInterfaces,
 * the network interfaces Elastic Load Balancing makes for each load balancer (one per
 * zone, description "ELB app/NAME/ID", requester amazon-elb), whose public addresses
 * are what an alias record to the load balancer answers with (sim/r53dns.c).
 *
 * Wire: Filter.N.Name / Filter.N.Value.M in the form body, answers in
 * <DescribeNetworkInterfacesResponse><requestId/><networkInterfaceSet><item>..., as
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
	uint64_t h;

	if (!app || route53_region_ips(w, lb->region, ips, EC2_ZONES) <= k)
		return false;
	h = (uint64_t)(traffic_hash(w->seed, (uint64_t)lb->region, 7, k) * 0xffffffffu);
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

/* One <item> of networkInterfaceSet. */
static void eni_xml(struct strbuf *b, const struct eni *e, const char *w_account)
{
	strbuf_adds(b, "\n    <item>");
	sim_xml_elem(b, "networkInterfaceId", e->id);
	sim_xml_elem(b, "subnetId", e->subnet);
	sim_xml_elem(b, "vpcId", e->vpc);
	sim_xml_elem(b, "availabilityZone", e->az);
	sim_xml_elem(b, "description", e->description);
	sim_xml_elem(b, "ownerId", w_account);
	sim_xml_elem(b, "requesterId", "amazon-elb");
	sim_xml_elem(b, "requesterManaged", "true");
	sim_xml_elem(b, "status", "in-use");
	sim_xml_elem(b, "privateIpAddress", e->private_ip);
	sim_xml_elem(b, "interfaceType", "interface");
	strbuf_adds(b, "<association>");
	sim_xml_elem(b, "publicIp", e->public_ip);
	sim_xml_elem(b, "ipOwnerId", "amazon");
	strbuf_adds(b, "</association><privateIpAddressesSet><item>");
	sim_xml_elem(b, "privateIpAddress", e->private_ip);
	sim_xml_elem(b, "primary", "true");
	strbuf_adds(b, "<association>");
	sim_xml_elem(b, "publicIp", e->public_ip);
	sim_xml_elem(b, "ipOwnerId", "amazon");
	strbuf_adds(b, "</association></item></privateIpAddressesSet></item>");
}

#define EC2_FILTERS_MAX 10
#define EC2_VALUES_MAX 50

static int op_describe_network_interfaces(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	const struct sim_world *w = ctx->world;
	const char *names[EC2_FILTERS_MAX], *values[EC2_FILTERS_MAX][EC2_VALUES_MAX];
	size_t n_values[EC2_FILTERS_MAX], nf, f, v, k, i;
	int r = sim_world_region(ctx->world, req->region);
	char key[64];

	for (nf = 0; nf < EC2_FILTERS_MAX; nf++) {
		snprintf(key, sizeof(key), "Filter.%zu.Name", nf + 1);
		if (!(names[nf] = sim_param(req, key)))
			break;
		for (f = 0; f < sizeof(filter_names) / sizeof(filter_names[0]); f++)
			if (strcmp(names[nf], filter_names[f]) == 0)
				break;
		if (f == sizeof(filter_names) / sizeof(filter_names[0]))
			return sim_error(ctx, resp, 400, "InvalidParameterValue", "The filter '%s' is invalid", names[nf]);
		for (n_values[nf] = 0; n_values[nf] < EC2_VALUES_MAX; n_values[nf]++) {
			snprintf(key, sizeof(key), "Filter.%zu.Value.%zu", nf + 1, n_values[nf] + 1);
			if (!(values[nf][n_values[nf]] = sim_param(req, key)))
				break;
		}
	}
	snprintf(key, sizeof(key), "Filter.%zu.Name", nf + 1);
	if (nf == EC2_FILTERS_MAX && sim_param(req, key))
		return sim_error(ctx, resp, 400, "FilterLimitExceeded", "The maximum number of filters is %d", EC2_FILTERS_MAX);
	snprintf(resp->content_type, sizeof(resp->content_type), "text/xml;charset=UTF-8");
	strbuf_addf(&resp->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<DescribeNetworkInterfacesResponse xmlns=\"%s\">\n    ", ctx->svc->xmlns);
	sim_xml_elem(&resp->body, "requestId", ctx->request_id);
	strbuf_adds(&resp->body, "\n    <networkInterfaceSet>");
	for (i = 0; r >= 0 && i < w->regions[r].n_lbs; i++)
		for (k = 0; k < EC2_ZONES; k++) {
			struct eni e;
			bool keep = eni_of(w, &w->regions[r].lbs[i], k, &e);
			for (f = 0; keep && f < nf; f++) {   /* filters ANDed, a filter's values ORed */
				bool any = false;
				for (v = 0; v < n_values[f] && !any; v++)
					any = value_matches(values[f][v], eni_field(&e, names[f]));
				keep = any;
			}
			if (keep)
				eni_xml(&resp->body, &e, w->account);
		}
	strbuf_adds(&resp->body, "\n    </networkInterfaceSet>\n</DescribeNetworkInterfacesResponse>\n");
	return 0;
}

static const struct sim_op ec2_ops[] = {
	{ "DescribeNetworkInterfaces", false, op_describe_network_interfaces },
	{ NULL, false, NULL },
};

/* sim/svc_ec2_lt.c: launch template versions, served through the shape-driven codec */
extern const struct sim_shaped_op sim_ec2_lt_ops[];

int sim_ec2_handle(struct sim_ctx *ctx, const struct sim_req *req, struct sim_resp *resp)
{
	const char *action = sim_param(req, "Action");

	if (action && strcmp(action, "DescribeLaunchTemplateVersions") == 0)
		return sim_dispatch_shaped(ctx, req, resp, sim_ec2_lt_ops);
	return sim_dispatch_query(ctx, req, resp, ec2_ops);
}
