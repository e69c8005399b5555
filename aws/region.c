/* region.c — region names and the host names built from them (see region.h). */
#include "aws/region.h"

#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"

/* Every region name: two letters, words, a number (issue 10). */
#define REGION_SHAPE "^[a-z]{2}(-[a-z]+)+-[0-9]+$"

/* The partitions flightdeck knows: AWS's partitions.json (botocore's copy,
 * /usr/lib/python3/dist-packages/botocore/data/partitions.json, with the
 * newer aws prefixes il and mx of the current AWS SDKs), in that file's
 * order; regionRegex with \w as [A-Za-z0-9_] and \d as [0-9]. */
static const struct partition {
	const char *id;
	const char *regex;
	const char *dns_suffix;
} partitions[] = {
	{ "aws", "^(us|eu|ap|sa|ca|me|af|il|mx)-[A-Za-z0-9_]+-[0-9]+$", "amazonaws.com" },
	{ "aws-cn", "^cn-[A-Za-z0-9_]+-[0-9]+$", "amazonaws.com.cn" },
	{ "aws-us-gov", "^us-gov-[A-Za-z0-9_]+-[0-9]+$", "amazonaws.com" },
	{ "aws-iso", "^us-iso-[A-Za-z0-9_]+-[0-9]+$", "c2s.ic.gov" },
	{ "aws-iso-b", "^us-isob-[A-Za-z0-9_]+-[0-9]+$", "sc2s.sgov.gov" },
};
#define NPARTITIONS (sizeof(partitions) / sizeof(partitions[0]))

/* The compiled expressions (compiled once; flightdeck does not validate regions from threads). */
static regex_t shape_re, partition_re[NPARTITIONS];
static int compiled;   /* 0 not yet, 1 ok, -1 failed */

/* Compile the expressions once; false if the C library cannot. */
static bool compile(void)
{
	size_t i;

	if (compiled == 0) {
		compiled = regcomp(&shape_re, REGION_SHAPE, REG_EXTENDED | REG_NOSUB) == 0 ? 1 : -1;
		for (i = 0; i < NPARTITIONS && compiled == 1; i++)
			if (regcomp(&partition_re[i], partitions[i].regex, REG_EXTENDED | REG_NOSUB) != 0)
				compiled = -1;
	}
	return compiled == 1;
}

/* The partition of a region, NULL when it has the wrong shape or none. */
static const struct partition *find(const char *region)
{
	size_t i;

	if (!region || strlen(region) > 64 || !compile() || regexec(&shape_re, region, 0, NULL, 0) != 0)
		return NULL;
	for (i = 0; i < NPARTITIONS; i++)
		if (regexec(&partition_re[i], region, 0, NULL, 0) == 0)
			return &partitions[i];
	return NULL;
}

int region_check(const char *region, const char *source, struct fd_error *err)
{
	if (find(region))
		return 0;
	return fd_error_set(err, "InvalidRegion", "region '%s'%s%s%s is not an AWS region name (like ap-northeast-2, "
			    "in a partition flightdeck knows): nothing was sent", region ? region : "",
			    source ? " (from " : "", source ? source : "", source ? ")" : "");
}

/* The regions AWS has opened: the `regions` of botocore's partitions.json (its
 * copy under /usr/lib/python3/dist-packages/botocore/data/) and those opened since
 * (ap-east-2, ap-southeast-4, -5, -7, ca-west-1, il-central-1, mx-central-1, as
 * https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 * lists them). Sorted for bsearch. */
static const char *const known_regions[] = {
	"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
	"ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1", "cn-north-1", "cn-northwest-1",
	"eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
	"eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1",
	"us-east-2", "us-gov-east-1", "us-gov-west-1", "us-iso-east-1", "us-iso-west-1", "us-isob-east-1",
	"us-west-1", "us-west-2",
};

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int region_known(const char *region, const char *source, struct fd_error *err)
{
	if (region_check(region, source, err) < 0)
		return -1;
	if (bsearch(&region, known_regions, sizeof(known_regions) / sizeof(known_regions[0]),
		    sizeof(known_regions[0]), cmp_name))
		return 0;
	return fd_error_set(err, "InvalidRegion", "region '%s'%s%s%s is not an AWS region: "
			    "nothing was sent", region, source ? " (from " : "", source ? source : "", source ? ")" : "");
}

const char *region_partition(const char *region)
{
	const struct partition *p = find(region);

	return p ? p->id : NULL;
}

const char *region_dns_suffix(const char *region)
{
	const struct partition *p = find(region);

	return p ? p->dns_suffix : NULL;
}

char *region_endpoint(const char *prefix, const char *region, const char *source, struct fd_error *err)
{
	const struct partition *p = find(region);
	struct strbuf sb;

	if (!p) {
		region_check(region, source, err);
		return NULL;
	}
	strbuf_init(&sb);
	strbuf_addf(&sb, "%s.%s.%s", prefix, region, p->dns_suffix);
	if (!region_host_ok(sb.data)) {
		fd_error_set(err, "InvalidEndpoint", "'%s' is not a host name: nothing was sent", sb.data);
		strbuf_clean_up(&sb);
		return NULL;
	}
	strbuf_reset(&sb);
	strbuf_addf(&sb, "https://%s.%s.%s", prefix, region, p->dns_suffix);
	return strbuf_detach(&sb, NULL);
}

/* Regions whose STS calls went to the global endpoint before regional endpoints
 * became the default (botocore's sts_regional_endpoints = legacy). */
static const char *const sts_legacy_global[] = {
	"ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "aws-global",
	"ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3",
	"sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
};

char *region_sts_endpoint(const char *region, bool legacy, bool *global, struct fd_error *err)
{
	bool g = !region || !region[0] || strcmp(region, "aws-global") == 0;
	size_t i;

	for (i = 0; legacy && !g && i < sizeof(sts_legacy_global) / sizeof(sts_legacy_global[0]); i++)
		g = strcmp(region, sts_legacy_global[i]) == 0;
	if (global)
		*global = g;
	return g ? xstrdup("https://sts.amazonaws.com") : region_endpoint("sts", region, "the STS region", err);
}

bool region_host_ok(const char *host)
{
	const char *p = host, *end;
	size_t label = 0;

	if (!host || !*host || strlen(host) > 260)
		return false;
	end = host + strlen(host);
	if (*p == '[') {   /* an IPv6 literal: hex digits, ':' and '.' inside brackets */
		for (p++; p < end && *p != ']'; p++)
			if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
				return false;
		if (p == end)
			return false;
		p++;
	} else {
		for (; p < end && *p != ':'; p++) {
			if (*p == '.') {
				if (label == 0)
					return false;   /* an empty label */
				label = 0;
				continue;
			}
			if (!isalnum((unsigned char)*p) && *p != '-')
				return false;
			if (++label > 63)
				return false;
		}
		if (p == host || label == 0)
			return false;
	}
	if (p < end) {   /* :port, digits only */
		if (*p++ != ':' || p == end || end - p > 5)
			return false;
		for (; p < end; p++)
			if (!isdigit((unsigned char)*p))
				return false;
	}
	return true;
}

int region_url_check(const char *url, struct fd_error *err)
{
	const char *p = url, *end;
	char host[300];
	int ok;

	if (url && strncmp(url, "https://", 8) == 0)
		p = url + 8;
	else if (url && strncmp(url, "http://", 7) == 0)
		p = url + 7;
	else
		return fd_error_set(err, "InvalidEndpoint", "endpoint '%s' is not an http(s) URL: nothing was sent",
				    url ? url : "");
	end = p + strcspn(p, "/?#");
	ok = (size_t)(end - p) < sizeof(host);
	if (ok) {
		memcpy(host, p, (size_t)(end - p));
		host[end - p] = '\0';
		ok = region_host_ok(host);
	}
	if (!ok)
		return fd_error_set(err, "InvalidEndpoint", "endpoint '%s' does not name a host (letters, digits, '-' "
				    "and '.', an optional :port): nothing was sent", url);
	return 0;
}
