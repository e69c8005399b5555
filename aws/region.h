/* region.h — region names and the host names built from them: validated before any request.
 *
 * A region string reaches a URL ("https://SERVICE.REGION.SUFFIX"), so an
 * unchecked one ("x@attacker/") would send a signed request, with its session
 * token, to another host. Every region — from --region, AWS_REGION,
 * AWS_DEFAULT_REGION, a profile, the dashboard's config or `:region`, a runbook
 * step — goes through region_check() before it is used, and every host built
 * from one through region_host_ok(). A region must match
 * ^[a-z]{2}(-[a-z]+)+-[0-9]+$ and belong to a partition flightdeck knows (the
 * partitions of AWS's partitions.json, as botocore ships it: their regionRegex
 * and dnsSuffix).
 */
#ifndef FD_REGION_H
#define FD_REGION_H

#include <stdbool.h>

#include "base/error.h"

/* 0 when region is a valid region name of a known partition; -1 with err
 * "InvalidRegion" naming it and where it came from (source: "--region",
 * "AWS_REGION", "a runbook step", ...). */
int region_check(const char *region, const char *source, struct fd_error *err);
/* 0 when region is also one AWS has opened (a fixed list: see region.c), for
 * the places where a typo must not pass for a new region — the dashboard's and
 * snapshot's --region and :region; -1 with err "InvalidRegion". */
int region_known(const char *region, const char *source, struct fd_error *err);
/* The partition of a valid region ("aws", "aws-cn", ...) and its DNS suffix;
 * NULL when the region is not valid. */
const char *region_partition(const char *region);
const char *region_dns_suffix(const char *region);
/* "https://PREFIX.REGION.SUFFIX" for a valid region (caller frees); NULL with err. */
char *region_endpoint(const char *prefix, const char *region, const char *source, struct fd_error *err);
/* STS's endpoint for region: the global "https://sts.amazonaws.com" when region is
 * NULL, "" or "aws-global", or when legacy (sts_regional_endpoints = legacy) and region
 * is one of the regions whose STS calls went there before regional endpoints became
 * the default; else "https://sts.REGION.SUFFIX". *global (may be NULL) says which:
 * the global endpoint signs for us-east-1. NULL with err when region is not valid. */
char *region_sts_endpoint(const char *region, bool legacy, bool *global, struct fd_error *err);
/* Whether host (what comes between "scheme://" and the path: a DNS name or an
 * IP address, with an optional :port) is only that: no user info, no path, no
 * spaces or controls, labels of letters, digits and '-'. */
bool region_host_ok(const char *host);
/* 0 when url is http:// or https:// followed by a host region_host_ok()
 * accepts (then a path, or nothing); -1 with err "InvalidEndpoint". */
int region_url_check(const char *url, struct fd_error *err);

#endif
