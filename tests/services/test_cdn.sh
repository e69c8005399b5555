#!/bin/sh
# CloudFront end to end: aws-cli reads the sim's distribution (rest-xml, signed for
# us-east-1); the collection reads it, its monitoring subscription and its figures
# from CloudWatch in us-east-1 (Region=Global); the snapshot shows the origins'
# regions and roles and the figures, and the cloudfront-5xx fault in them.
# https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ListDistributions.html
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
. "$FD_SRCDIR/tests/services/lib.sh"
services_sim

is "$(q cloudfront list-distributions --query 'DistributionList.Items[0].[Id,Status,Enabled,Origins.Quantity]')" \
	"E1PC7QW5TZ0K9X	Deployed	True	2" "aws-cli: list-distributions"
is "$(q cloudfront get-distribution --id E1PC7QW5TZ0K9X --query 'Distribution.DistributionConfig.OriginGroups.Items[0].Members.Items[].OriginId' | tr '\t' ' ')" \
	"alb-ap-northeast-2 alb-ap-northeast-1" "aws-cli: get-distribution, the origin group's order"
like "$(awsx cloudfront get-distribution --id NOPE 2>&1)" "NoSuchDistribution" "an unknown distribution: NoSuchDistribution"
is "$(q cloudfront get-monitoring-subscription --distribution-id E1PC7QW5TZ0K9X)" \
	"REALTIMEMETRICSSUBSCRIPTIONCONFIG	Enabled" "aws-cli: the additional metrics are subscribed"
before=$(curl -s "$SIM_URL/_sim/requests" | jq length)
snap
is "$(curl -s "$SIM_URL/_sim/requests" | jq -r ".[$before:] | [.[] | select(.service == \"cloudfront\") | .region] | unique | join(\",\")")" \
	"us-east-1" "flightdeck signs CloudFront for us-east-1"
is "$(sj '.cdn[0] | [.id, .status, .additional_metrics] | join(" ")')" "E1PC7QW5TZ0K9X Deployed enabled" \
	"snapshot: the distribution, its subscription"
is "$(sj '[.cdn[0].origins[] | .region + " " + .failover] | join(", ")')" \
	"ap-northeast-2 primary, ap-northeast-1 secondary" "the origins' regions and roles"
is "$(sj '.cdn[0].metrics | [.Requests, .["5xxErrorRate"], .CacheHitRate] | map(type) | join(" ")')" \
	"number number number" "Requests, 5xxErrorRate and CacheHitRate read from us-east-1"
is "$(sj '.cdn[0].severity')" ok "a low 5xx rate: ok"
is "$(sj '[.regions[].severity.cdn] | join(" ")')" "ok ok" "each region's CloudFront figure"
is "$(curl -s "$SIM_URL/_sim/requests" | jq -r '[.[] | select(.service == "monitoring" and .region == "us-east-1")] | length > 0')" \
	true "the figures were asked in us-east-1"

# cloudfront-5xx:RATE: CloudFront fails that share of viewer requests itself; its
# 5xxErrorRate says so once CloudWatch publishes the minute (60-120 AWS seconds after it)
fault cloudfront-5xx:0.25
for i in $(seq 1 240); do snap; [ "$(sj '.cdn[0].metrics["5xxErrorRate"] >= 25')" = true ] && break; sleep 1; done
is "$(sj '.cdn[0].severity')" bad "cloudfront-5xx:0.25: the distribution is bad"
like "$(sj '.cdn[0].metrics["5xxErrorRate"]')" "^2[5-9]" "its 5xxErrorRate is 25 % and more ($(sj '.cdn[0].metrics["5xxErrorRate"]'))"
like "$(sj '.status.summary')" "CLOUDFRONT 5XX" "the status line names it ($(sj '.status.summary'))"
done_testing
