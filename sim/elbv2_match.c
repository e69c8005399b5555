/* elbv2_match.c — an ALB listener's rules as Elastic Load Balancing evaluates them:
 * in priority order, lowest first, the first whose conditions all hold (a condition
 * holds when one of its values matches), else the default rule. Values take the *
 * and ? wildcards; path patterns and methods are case-sensitive, host names, header
 * values and query strings are not. The client of /_sim/app/ is on loopback, so a
 * source-ip condition sees 127.0.0.1.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html */
#include "sim/elbv2_match.h"

#include <arpa/inet.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CLIENT_IP "127.0.0.1"

/* Does the IPv4 address ip fall in cidr ("a.b.c.d/n")? */
static bool in_cidr(const char *cidr, const char *ip)
{
	char net[64];
	const char *slash = strchr(cidr, '/');
	struct in_addr a, b;
	long bits = slash ? strtol(slash + 1, NULL, 10) : 32;
	uint32_t mask;

	snprintf(net, sizeof(net), "%.*s", slash ? (int)(slash - cidr) : (int)strlen(cidr), cidr);
	if (inet_pton(AF_INET, net, &a) != 1 || inet_pton(AF_INET, ip, &b) != 1 || bits < 0 || bits > 32)
		return false;
	mask = bits == 0 ? 0 : htonl(~(uint32_t)0 << (32 - bits));
	return (a.s_addr & mask) == (b.s_addr & mask);
}

/* Does one value of condition c hold for the request? */
static bool value_holds(const struct sim_condition *c, const char *v, const struct sim_req *req, const char *path)
{
	if (strcmp(c->field, "path-pattern") == 0)
		return fnmatch(v, path, 0) == 0;
	if (strcmp(c->field, "http-request-method") == 0)
		return strcmp(v, req->method) == 0;
	if (strcmp(c->field, "source-ip") == 0)
		return in_cidr(v, CLIENT_IP);
	if (strcmp(c->field, "host-header") == 0 || strcmp(c->field, "http-header") == 0) {
		bool host = strcmp(c->field, "host-header") == 0;
		const char *h = sim_header(req, host ? "Host" : c->header);
		char text[256];
		if (!h)
			return false;
		snprintf(text, sizeof(text), "%.*s", host ? (int)strcspn(h, ":") : (int)strlen(h), h);   /* no port */
		return fnmatch(v, text, FNM_CASEFOLD) == 0;
	}
	if (strcmp(c->field, "query-string") == 0) {   /* "key=value", "=value": any key */
		const char *eq = strchr(v, '=');
		char key[128];
		snprintf(key, sizeof(key), "%.*s", eq ? (int)(eq - v) : 0, v);
		for (size_t i = 0; eq && i < req->n_params; i++)
			if ((!key[0] || fnmatch(key, req->params[i].name, FNM_CASEFOLD) == 0) &&
			    fnmatch(eq + 1, req->params[i].value ? req->params[i].value : "", FNM_CASEFOLD) == 0)
				return true;
		return false;
	}
	return false;
}

/* Do all of r's conditions hold? */
static bool rule_holds(const struct sim_rule *r, const struct sim_req *req, const char *path)
{
	for (size_t i = 0; i < r->n_conditions; i++) {
		bool any = false;
		for (size_t j = 0; j < r->conditions[i].n_values && !any; j++)
			any = value_holds(&r->conditions[i], r->conditions[i].values[j], req, path);
		if (!any)
			return false;
	}
	return r->n_conditions > 0;
}

const struct sim_rule *elbv2_match_rule(const struct sim_listener *l, const struct sim_req *req, const char *path)
{
	const struct sim_rule *best = NULL;

	for (size_t i = 1; i < l->n_rules; i++) {   /* rules[0] is the default rule */
		const struct sim_rule *r = &l->rules[i];
		if (r->is_default || !rule_holds(r, req, path))
			continue;
		if (!best || atol(r->priority) < atol(best->priority))
			best = r;
	}
	return best ? best : &l->rules[0];
}
