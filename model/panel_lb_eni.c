/* panel_lb_eni.c — the load balancers' addresses: the network interfaces Elastic Load
 * Balancing makes for each one (EC2 DescribeNetworkInterfaces, description
 * "ELB app/NAME/ID"), whose public addresses are what an alias record to the load
 * balancer answers with; model/serving.c matches the DNS answer against them.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html
 * ("the load balancer ... creates a network interface for each Availability Zone") */
#include "model/panel_lb.h"

#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "model/panel.h"

#define ENI_PREFIX "ELB "

/* The description ELB gives the interfaces of the load balancer with this ARN
 * ("ELB app/NAME/ID"); NULL for an ARN without "loadbalancer/". Caller frees. */
char *panel_lb_eni_description(const char *lb_arn)
{
	const char *p = lb_arn ? strstr(lb_arn, ":loadbalancer/") : NULL;
	struct strbuf sb;

	if (!p || !p[strlen(":loadbalancer/")])
		return NULL;
	strbuf_init(&sb);
	strbuf_addf(&sb, ENI_PREFIX "%s", p + strlen(":loadbalancer/"));
	return strbuf_detach(&sb, NULL);
}

/* The NAME of "ELB TYPE/NAME/ID", NULL for any other description. Caller frees. */
static char *lb_name_of(const char *desc)
{
	const char *a, *b;

	if (!desc || strncmp(desc, ENI_PREFIX, strlen(ENI_PREFIX)) != 0)
		return NULL;
	a = strchr(desc + strlen(ENI_PREFIX), '/');
	b = a ? strchr(a + 1, '/') : NULL;
	return b && b > a + 1 ? xstrndup(a + 1, (size_t)(b - a - 1)) : NULL;
}

/* Parse DescribeNetworkInterfaces: the interfaces ELB made (others are skipped). */
int panel_lb_parse_network_interfaces(const json_t *res, struct model_lb_address **out, size_t *n,
				      struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_lb_address *v;
	bool bad = false;
	size_t i, k = 0;

	if (panel_need_object(res, "DescribeNetworkInterfaces", err))
		return -1;
	arr = panel_list(res, "NetworkInterfaces", &bad);
	if (bad)
		return panel_shape_error(err, "DescribeNetworkInterfaces", "NetworkInterfaces is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		char *name = lb_name_of(panel_cstr(e, "Description"));
		if (!json_is_object(e) || !name) {
			free(name);
			continue;
		}
		v[k].lb_name = name;
		v[k].eni_id = panel_str(e, "NetworkInterfaceId");
		v[k].az = panel_str(e, "AvailabilityZone");
		v[k].public_ip = panel_str(json_object_get(e, "Association"), "PublicIp");
		v[k].private_ip = panel_str(e, "PrivateIpAddress");
		k++;
	}
	*out = v;
	*n = k;
	return 0;
}

/* Free load balancer addresses. */
void panel_lb_addresses_free(struct model_lb_address *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].lb_name);
		free(v[i].eni_id);
		free(v[i].az);
		free(v[i].public_ip);
		free(v[i].private_ip);
	}
	free(v);
}
