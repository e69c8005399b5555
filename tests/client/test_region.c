/* test_region.c — the one validator of region names and built host names
 * (aws/region.h), checked against AWS's own partition data as botocore ships
 * it (/usr/lib/python3/dist-packages/botocore/data/partitions.json: every
 * region of every partition maps to that partition and its dnsSuffix), and
 * against strings that would move a request to another host. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/client.h"
#include "aws/creds.h"
#include "aws/region.h"
#include "tests/tap.h"

#define PARTITIONS_JSON "/usr/lib/python3/dist-packages/botocore/data/partitions.json"

int main(void)
{
	static const char *const bad[] = {
		"x@attacker/", "x@127.0.0.1:4443/", "us-east-1.attacker.example#", "us-east-1/", "us-east-1?",
		"US-EAST-1", "us-east-1 ", " us-east-1", "us-east-1\n", "localhost", "eu--1", "xx-east-1",
		"us-east-1:443", "us_east-1", "us-east-", "-east-1", "us-east-1a", "aws-global", "", "u-east-1",
		"us-east-1.", "ap-northeast-2\x1b[2J", "zz-top-1", "cn-north-1-1x",
	};
	static const char *const newer[] = { "il-central-1", "mx-central-1", "ap-southeast-5", "ca-west-1" };
	json_error_t je;
	json_t *doc = json_load_file(PARTITIONS_JSON, 0, &je), *p, *regions, *v;
	struct fd_error err;
	const char *name;
	size_t i, checked = 0, wrong = 0, unknown = 0;
	char *url;

	ok(doc != NULL, "botocore's partitions.json loads (%s)", doc ? PARTITIONS_JSON : je.text);
	json_array_foreach(json_object_get(doc, "partitions"), i, p) {
		const char *id = json_string_value(json_object_get(p, "id"));
		const char *dns = json_string_value(json_object_get(json_object_get(p, "outputs"), "dnsSuffix"));
		regions = json_object_get(p, "regions");
		json_object_foreach(regions, name, v) {
			if (strstr(name, "-global"))
				continue;   /* pseudo regions for global endpoints, not names a user gives */
			checked++;
			if (region_known(name, NULL, NULL) < 0) {
				unknown++;
				printf("# %s: botocore lists it, region_known() does not\n", name);
			}
			if (!region_partition(name) || strcmp(region_partition(name), id) != 0 ||
			    strcmp(region_dns_suffix(name), dns) != 0) {
				wrong++;
				printf("# %s: got %s %s, botocore says %s %s\n", name, region_partition(name) ? region_partition(name) : "-",
				       region_dns_suffix(name) ? region_dns_suffix(name) : "-", id, dns);
			}
		}
	}
	ok(checked > 30 && wrong == 0, "every region botocore lists (%zu) is valid, in its partition, with its DNS suffix (%zu wrong)",
	   checked, wrong);
	ok(unknown == 0, "every region botocore lists is one AWS has (region_known, %zu missing)", unknown);
	json_decref(doc);
	for (i = 0; i < sizeof(newer) / sizeof(newer[0]); i++) {
		is_str(region_partition(newer[i]), "aws", "%s (newer than Debian's botocore data) is an aws region", newer[i]);
		ok(region_known(newer[i], NULL, NULL) == 0, "and one AWS has");
	}
	/* issue 14: a region of the right shape that AWS does not have (a typo) */
	ok(region_known("ap-northeast-9", "--region", &err) < 0 && strcmp(err.code, "InvalidRegion") == 0,
	   "ap-northeast-9 has a region's shape but is not a region AWS has");
	is_str(err.message, "region 'ap-northeast-9' (from --region) is not an AWS region: nothing was sent",
	       "the message names it and its source");
	ok(region_known("x@attacker/", NULL, NULL) < 0, "region_known() refuses what region_check() refuses");
	is_str(region_dns_suffix("cn-northwest-1"), "amazonaws.com.cn", "China's suffix");
	is_str(region_partition("us-gov-west-1"), "aws-us-gov", "GovCloud is its own partition");
	is_str(region_partition("us-isob-east-1"), "aws-iso-b", "and ISO-B");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(region_check(bad[i], "a test", &err) < 0 && strcmp(err.code, "InvalidRegion") == 0,
		   "'%s' is not a region", bad[i]);
	region_check("x@attacker/", "--region", &err);
	is_str(err.message, "region 'x@attacker/' (from --region) is not an AWS region name (like ap-northeast-2, in a "
	       "partition flightdeck knows): nothing was sent", "the message names the region and its source");

	url = region_endpoint("sts", "ap-northeast-2", NULL, &err);
	is_str(url, "https://sts.ap-northeast-2.amazonaws.com", "an endpoint from a region");
	free(url);
	url = region_endpoint("sts", "cn-north-1", NULL, &err);
	is_str(url, "https://sts.cn-north-1.amazonaws.com.cn", "with its partition's suffix");
	free(url);
	ok(region_endpoint("sts", "x@evil/", NULL, &err) == NULL, "no endpoint from what is not a region");

	ok(region_host_ok("sts.ap-northeast-2.amazonaws.com"), "a DNS name is a host");
	ok(region_host_ok("127.0.0.1:4566"), "an address with a port");
	ok(region_host_ok("[::1]:4566"), "an IPv6 literal with a port");
	ok(region_host_ok("localhost"), "localhost");
	ok(!region_host_ok("user@127.0.0.1"), "user info is not a host");
	ok(!region_host_ok("a..b"), "an empty label is not");
	ok(!region_host_ok("a.b:80x"), "nor a port with letters");
	ok(!region_host_ok("a b"), "nor a space");
	ok(!region_host_ok("a.b#c"), "nor a fragment");
	ok(region_url_check("http://127.0.0.1:4566", &err) == 0, "the simulator's URL is fine");
	ok(region_url_check("https://sts.x@127.0.0.1:443/.amazonaws.com", &err) < 0, "a URL with user info is refused");
	ok(region_url_check("file:///etc/passwd", &err) < 0, "so is another scheme");
	/* STS: one rule for the client and the credential chain (botocore's
	 * sts_regional_endpoints, LEGACY_GLOBAL_STS_REGIONS in botocore/args.py) */
	{
		bool global = false;
		struct creds_provider *keys = creds_static_new("AKIDEXAMPLE", "secret", NULL);
		struct client *c;
		url = region_sts_endpoint("eu-west-1", true, &global, &err);
		is_str(url, "https://sts.amazonaws.com", "STS legacy: eu-west-1 goes to the global endpoint");
		ok(global, "which signs for us-east-1");
		free(url);
		url = region_sts_endpoint("ap-northeast-2", true, &global, &err);
		is_str(url, "https://sts.ap-northeast-2.amazonaws.com", "STS legacy: ap-northeast-2 stays regional");
		ok(!global, "and signs for its region");
		free(url);
		url = region_sts_endpoint("eu-west-1", false, &global, &err);
		is_str(url, "https://sts.eu-west-1.amazonaws.com", "STS regional (the default): eu-west-1");
		free(url);
		ok(region_sts_endpoint("x@attacker/", false, NULL, &err) == NULL && strcmp(err.code, "InvalidRegion") == 0,
		   "STS: a bad region builds no endpoint");
		setenv("AWS_CONFIG_FILE", "/nonexistent", 1);
		unsetenv("AWS_ENDPOINT_URL");
		unsetenv("AWS_ENDPOINT_URL_STS");
		setenv("AWS_STS_REGIONAL_ENDPOINTS", "legacy", 1);
		c = client_new(&(struct client_options){ .region = "eu-west-1", .creds = keys }, &err);
		url = c ? client_endpoint(c, "sts", "eu-west-1", &err) : NULL;
		is_str(url, "https://sts.amazonaws.com",
		       "the client's STS calls follow AWS_STS_REGIONAL_ENDPOINTS=legacy as the credential chain's do");
		free(url);
		unsetenv("AWS_STS_REGIONAL_ENDPOINTS");
		url = c ? client_endpoint(c, "sts", "eu-west-1", &err) : NULL;
		is_str(url, "https://sts.eu-west-1.amazonaws.com", "and go regional by default");
		free(url);
		client_destroy(c);
		creds_provider_destroy(keys);
	}
	return done_testing();
}
