/* ops.c — the operation table (see ops.h). */
#include "aws/ops.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Credential fields redacted from --debug logs wherever they appear. */
#define SECRETS "SecretAccessKey SessionToken AccessKeyId WebIdentityToken TokenCode " \
	"secretAccessKey sessionToken accessKeyId accessToken"

static const struct ops_service svc_sts = {
	.cli_name = "sts", .signing_name = "sts", .endpoint_prefix = "sts", .service_id = "STS",
	.api_version = "2011-06-15", .protocol = OPS_QUERY,
	.xml_namespace = "https://sts.amazonaws.com/doc/2011-06-15/",
	.lists = "PolicyArns Tags TransitiveTagKeys ProvidedContexts",
	.ints = "DurationSeconds PackedPolicySize",
	.secret_fields = SECRETS,
};

static const struct ops_service svc_cloudwatch = {
	.cli_name = "cloudwatch", .signing_name = "monitoring", .endpoint_prefix = "monitoring",
	.service_id = "CLOUDWATCH", .api_version = "2010-08-01", .protocol = OPS_QUERY,
	.xml_namespace = "http://monitoring.amazonaws.com/doc/2010-08-01/",
	.lists = "MetricDataResults Timestamps Values Messages MetricAlarms CompositeAlarms "
		"AlarmHistoryItems OKActions AlarmActions InsufficientDataActions Dimensions Metrics "
		"MetricDataQueries AlarmNames AlarmTypes",
	.ints = "Period EvaluationPeriods DatapointsToAlarm MaxRecords MaxDatapoints "
		"ActionsSuppressorWaitPeriod ActionsSuppressorExtensionPeriod",
	.doubles = "Values Threshold",
	.bools = "ActionsEnabled ReturnData",
	.secret_fields = SECRETS,
};

static const struct ops_service svc_autoscaling = {
	.cli_name = "autoscaling", .signing_name = "autoscaling", .endpoint_prefix = "autoscaling",
	.service_id = "AUTO_SCALING", .api_version = "2011-01-01", .protocol = OPS_QUERY,
	.xml_namespace = "http://autoscaling.amazonaws.com/doc/2011-01-01/",
	.lists = "AutoScalingGroups AvailabilityZones LoadBalancerNames TargetGroupARNs Instances "
		"SuspendedProcesses EnabledMetrics Tags TerminationPolicies TrafficSources Activities "
		"ScalingPolicies Alarms StepAdjustments LoadForecast Timestamps Values MetricSpecifications "
		"AutoScalingGroupNames ActivityIds PolicyNames PolicyTypes Filters Overrides "
		"LaunchTemplateOverrides Dimensions Metrics CustomizedMetricSpecification",
	.ints = "MinSize MaxSize DesiredCapacity DefaultCooldown HealthCheckGracePeriod "
		"MaxInstanceLifetime WarmPoolSize DefaultInstanceWarmup Progress ScalingAdjustment "
		"Cooldown MinAdjustmentStep MinAdjustmentMagnitude EstimatedInstanceWarmup MaxRecords "
		"SchedulingBufferTime MinHealthyPercentage MaxHealthyPercentage",
	.doubles = "Values TargetValue MetricIntervalLowerBound MetricIntervalUpperBound",
	.bools = "NewInstancesProtectedFromScaleIn ProtectedFromScaleIn CapacityRebalance "
		"HonorCooldown IncludeInstances Enabled DisableScaleIn IncludeDeletedGroups "
		"PropagateAtLaunch",
	.secret_fields = SECRETS,
};

static const struct ops_service svc_elbv2 = {
	.cli_name = "elbv2", .signing_name = "elasticloadbalancing",
	.endpoint_prefix = "elasticloadbalancing", .service_id = "ELASTIC_LOAD_BALANCING_V2",
	.api_version = "2015-12-01", .protocol = OPS_QUERY,
	.xml_namespace = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/",
	.lists = "LoadBalancers AvailabilityZones LoadBalancerAddresses SecurityGroups TargetGroups "
		"LoadBalancerArns TargetHealthDescriptions Listeners Certificates DefaultActions "
		"AlpnPolicy Rules Conditions Actions Values TargetGroupArns Names Targets Include "
		"ListenerArns RuleArns SourceIpConfig",
	.ints = "Port HealthCheckIntervalSeconds HealthCheckTimeoutSeconds HealthyThresholdCount "
		"UnhealthyThresholdCount Weight DurationSeconds Order PageSize "
		"SessionTimeout",
	.bools = "HealthCheckEnabled IsDefault Enabled UseExistingClientSecret "
		"IgnoreClientCertificateExpiry",
	.secret_fields = SECRETS,
};

static const struct ops_service svc_rds = {
	.cli_name = "rds", .signing_name = "rds", .endpoint_prefix = "rds", .service_id = "RDS",
	.api_version = "2014-10-31", .protocol = OPS_QUERY,
	.xml_namespace = "http://rds.amazonaws.com/doc/2014-10-31/",
	.lists = "DBInstances DBSecurityGroups VpcSecurityGroups DBParameterGroups "
		"ReadReplicaDBInstanceIdentifiers ReadReplicaDBClusterIdentifiers StatusInfos "
		"OptionGroupMemberships DomainMemberships TagList AssociatedRoles "
		"EnabledCloudwatchLogsExports ProcessorFeatures DBInstanceAutomatedBackupsReplications "
		"Subnets Filters Values",
	.ints = "AllocatedStorage Port BackupRetentionPeriod Iops MonitoringInterval PromotionTier "
		"DbInstancePort StorageThroughput MaxAllocatedStorage MaxRecords "
		"PerformanceInsightsRetentionPeriod",
	.bools = "MultiAZ AutoMinorVersionUpgrade PubliclyAccessible StorageEncrypted "
		"IAMDatabaseAuthenticationEnabled PerformanceInsightsEnabled DeletionProtection "
		"CopyTagsToSnapshot Normal CustomerOwnedIpEnabled IsStorageConfigUpgradeAvailable",
	.secret_fields = SECRETS,
};

static const struct ops_service svc_route53 = {
	.cli_name = "route53", .signing_name = "route53", .endpoint_prefix = "route53",
	.service_id = "ROUTE_53", .api_version = "2013-04-01", .protocol = OPS_REST_XML,
	.xml_namespace = "https://route53.amazonaws.com/doc/2013-04-01/",
	.global_region = "us-east-1", .global_host = "route53.amazonaws.com",
	.lists = "HealthChecks HostedZones ResourceRecordSets ResourceRecords HealthCheckObservations "
		"ChildHealthChecks Regions RecordData Changes ResetElements Dimensions Messages",
	.ints = "Port RequestInterval FailureThreshold HealthThreshold HealthCheckVersion "
		"ResourceRecordSetCount Weight TTL",
	.bools = "MeasureLatency Inverted Disabled EnableSNI IsTruncated PrivateZone "
		"EvaluateTargetHealth MultiValueAnswer",
	.doubles = "Threshold",
	.xml_list_items = "HealthChecks:HealthCheck HostedZones:HostedZone "
		"ResourceRecordSets:ResourceRecordSet ResourceRecords:ResourceRecord "
		"HealthCheckObservations:HealthCheckObservation ChildHealthChecks:ChildHealthCheck "
		"Regions:Region RecordData:RecordDataEntry Changes:Change "
		"ResetElements:ResettableElementName Dimensions:Dimension Messages:Message",
	.secret_fields = SECRETS,
};

static const struct ops_service svc_xray = {
	.cli_name = "xray", .signing_name = "xray", .endpoint_prefix = "xray", .service_id = "XRAY",
	.api_version = "2016-04-12", .protocol = OPS_REST_JSON,
	.timestamps = "StartTime EndTime ApproximateTime MatchedEventTime",
	.ints = "TracesProcessedCount",
	.bools = "Sampling ContainsOldGroupVersions",
	.lists = "TraceIds",
	.secret_fields = SECRETS,
};

static const struct ops_service svc_arc = {
	.cli_name = "route53-recovery-cluster", .signing_name = "route53-recovery-cluster",
	.endpoint_prefix = "route53-recovery-cluster", .service_id = "ROUTE53_RECOVERY_CLUSTER",
	.api_version = "2019-12-02", .protocol = OPS_JSON10, .target_prefix = "ToggleCustomerAPI",
	.ints = "MaxResults",
	.lists = "SafetyRulesToOverride",
	.secret_fields = SECRETS,
};

static const struct ops_service svc_sso = {
	.cli_name = "sso", .signing_name = "awsssoportal", .endpoint_prefix = "portal.sso",
	.service_id = "SSO", .api_version = "2019-06-10", .protocol = OPS_REST_JSON,
	.secret_fields = SECRETS,
};

const struct ops_service *const ops_services[] = {
	&svc_cloudwatch, &svc_autoscaling, &svc_elbv2, &svc_route53, &svc_xray, &svc_sts,
	&svc_rds, &svc_arc, &svc_sso, NULL,
};

#define NEXT_TOKEN(list1, list2, limit) \
	{ .input_token = { "NextToken" }, .output_token = { "NextToken" }, \
	  .result_keys = { list1, list2 }, .limit_key = limit }
#define MARKER(list1, limit) \
	{ .input_token = { "Marker" }, .output_token = { "NextMarker" }, \
	  .result_keys = { list1 }, .limit_key = limit }

const struct ops_operation ops_table[] = {
	/* sts */
	{ .service = &svc_sts, .name = "GetCallerIdentity", .method = "POST", .path = "/",
	  .inputs = "" },
	{ .service = &svc_sts, .name = "AssumeRole", .method = "POST", .path = "/",
	  .inputs = "RoleArn RoleSessionName PolicyArns Policy DurationSeconds Tags "
		"TransitiveTagKeys ExternalId SerialNumber TokenCode SourceIdentity ProvidedContexts" },
	{ .service = &svc_sts, .name = "AssumeRoleWithWebIdentity", .method = "POST", .path = "/",
	  .unsigned_call = true,
	  .inputs = "RoleArn RoleSessionName WebIdentityToken ProviderId PolicyArns Policy "
		"DurationSeconds" },

	/* cloudwatch */
	{ .service = &svc_cloudwatch, .name = "GetMetricData", .method = "POST", .path = "/",
	  .inputs = "MetricDataQueries StartTime EndTime NextToken ScanBy MaxDatapoints LabelOptions",
	  .pager = NEXT_TOKEN("MetricDataResults", "Messages", "MaxDatapoints") },
	{ .service = &svc_cloudwatch, .name = "DescribeAlarms", .method = "POST", .path = "/",
	  .inputs = "AlarmNames AlarmNamePrefix AlarmTypes ChildrenOfAlarmName ParentsOfAlarmName "
		"StateValue ActionPrefix MaxRecords NextToken",
	  .pager = NEXT_TOKEN("MetricAlarms", "CompositeAlarms", "MaxRecords") },
	{ .service = &svc_cloudwatch, .name = "DescribeAlarmHistory", .method = "POST", .path = "/",
	  .inputs = "AlarmName AlarmContributorId AlarmTypes HistoryItemType StartDate EndDate "
		"MaxRecords NextToken ScanBy",
	  .pager = NEXT_TOKEN("AlarmHistoryItems", NULL, "MaxRecords") },

	/* xray */
	{ .service = &svc_xray, .name = "GetServiceGraph", .method = "POST", .path = "/ServiceGraph",
	  .inputs = "StartTime EndTime GroupName GroupARN NextToken",
	  .lists = "Services Edges ReferenceIds Names DurationHistogram ResponseTimeHistogram "
		"Aliases ErrorStatistics",
	  .pager = NEXT_TOKEN("Services", NULL, NULL) },
	{ .service = &svc_xray, .name = "GetTraceSummaries", .method = "POST",
	  .path = "/TraceSummaries",
	  .inputs = "StartTime EndTime TimeRangeType Sampling SamplingStrategy FilterExpression "
		"NextToken",
	  .lists = "TraceSummaries",
	  .pager = NEXT_TOKEN("TraceSummaries", NULL, NULL) },
	{ .service = &svc_xray, .name = "BatchGetTraces", .method = "POST", .path = "/Traces",
	  .inputs = "TraceIds NextToken",
	  .lists = "Traces Segments UnprocessedTraceIds",
	  .pager = NEXT_TOKEN("Traces", NULL, NULL) },

	/* route53 */
	{ .service = &svc_route53, .name = "ListHealthChecks", .method = "GET",
	  .path = "/2013-04-01/healthcheck",
	  .inputs = "Marker@q:marker MaxItems@q:maxitems",
	  .pager = { .input_token = { "Marker" }, .output_token = { "NextMarker" },
		     .more_results = "IsTruncated", .result_keys = { "HealthChecks" },
		     .limit_key = "MaxItems" } },
	{ .service = &svc_route53, .name = "GetHealthCheck", .method = "GET",
	  .path = "/2013-04-01/healthcheck/{HealthCheckId}", .inputs = "HealthCheckId@uri:HealthCheckId" },
	{ .service = &svc_route53, .name = "GetHealthCheckStatus", .method = "GET",
	  .path = "/2013-04-01/healthcheck/{HealthCheckId}/status",
	  .inputs = "HealthCheckId@uri:HealthCheckId" },
	{ .service = &svc_route53, .name = "ListHostedZones", .method = "GET",
	  .path = "/2013-04-01/hostedzone",
	  .inputs = "Marker@q:marker MaxItems@q:maxitems DelegationSetId@q:delegationsetid "
		"HostedZoneType@q:hostedzonetype",
	  .pager = { .input_token = { "Marker" }, .output_token = { "NextMarker" },
		     .more_results = "IsTruncated", .result_keys = { "HostedZones" },
		     .limit_key = "MaxItems" } },
	{ .service = &svc_route53, .name = "ListResourceRecordSets", .method = "GET",
	  .path = "/2013-04-01/hostedzone/{Id}/rrset",
	  .inputs = "HostedZoneId@uri:Id StartRecordName@q:name StartRecordType@q:type "
		"StartRecordIdentifier@q:identifier MaxItems@q:maxitems",
	  .pager = { .input_token = { "StartRecordName", "StartRecordType", "StartRecordIdentifier" },
		     .output_token = { "NextRecordName", "NextRecordType", "NextRecordIdentifier" },
		     .more_results = "IsTruncated", .result_keys = { "ResourceRecordSets" },
		     .limit_key = "MaxItems" } },
	{ .service = &svc_route53, .name = "ChangeResourceRecordSets", .method = "POST",
	  .path = "/2013-04-01/hostedzone/{Id}/rrset/", .mutating = true,
	  .inputs = "HostedZoneId@uri:Id ChangeBatch" },
	{ .service = &svc_route53, .name = "GetChange", .method = "GET",
	  .path = "/2013-04-01/change/{Id}", .inputs = "Id@uri:Id" },
	{ .service = &svc_route53, .name = "UpdateHealthCheck", .method = "POST",
	  .path = "/2013-04-01/healthcheck/{HealthCheckId}", .mutating = true,
	  .inputs = "HealthCheckId@uri:HealthCheckId HealthCheckVersion IPAddress Port ResourcePath "
		"FullyQualifiedDomainName SearchString FailureThreshold Inverted Disabled "
		"HealthThreshold ChildHealthChecks EnableSNI Regions AlarmIdentifier "
		"InsufficientDataHealthStatus ResetElements" },
	{ .service = &svc_route53, .name = "TestDNSAnswer", .method = "GET",
	  .path = "/2013-04-01/testdnsanswer",
	  .inputs = "HostedZoneId@q:hostedzoneid RecordName@q:recordname RecordType@q:recordtype "
		"ResolverIP@q:resolverip EDNS0ClientSubnetIP@q:edns0clientsubnetip "
		"EDNS0ClientSubnetMask@q:edns0clientsubnetmask" },

	/* autoscaling */
	{ .service = &svc_autoscaling, .name = "DescribeAutoScalingGroups", .method = "POST",
	  .path = "/",
	  .inputs = "AutoScalingGroupNames IncludeInstances MaxRecords NextToken Filters",
	  .pager = NEXT_TOKEN("AutoScalingGroups", NULL, "MaxRecords") },
	{ .service = &svc_autoscaling, .name = "DescribeScalingActivities", .method = "POST",
	  .path = "/",
	  .inputs = "ActivityIds AutoScalingGroupName IncludeDeletedGroups MaxRecords NextToken "
		"Filters",
	  .pager = NEXT_TOKEN("Activities", NULL, "MaxRecords") },
	{ .service = &svc_autoscaling, .name = "DescribePolicies", .method = "POST", .path = "/",
	  .inputs = "AutoScalingGroupName PolicyNames PolicyTypes NextToken MaxRecords",
	  .pager = NEXT_TOKEN("ScalingPolicies", NULL, "MaxRecords") },
	{ .service = &svc_autoscaling, .name = "GetPredictiveScalingForecast", .method = "POST",
	  .path = "/", .inputs = "AutoScalingGroupName PolicyName StartTime EndTime" },
	{ .service = &svc_autoscaling, .name = "SetDesiredCapacity", .method = "POST", .path = "/",
	  .mutating = true, .inputs = "AutoScalingGroupName DesiredCapacity HonorCooldown" },
	{ .service = &svc_autoscaling, .name = "UpdateAutoScalingGroup", .method = "POST",
	  .path = "/", .mutating = true,
	  .inputs = "AutoScalingGroupName LaunchConfigurationName LaunchTemplate "
		"MixedInstancesPolicy MinSize MaxSize DesiredCapacity DefaultCooldown "
		"AvailabilityZones HealthCheckType HealthCheckGracePeriod PlacementGroup "
		"VPCZoneIdentifier TerminationPolicies NewInstancesProtectedFromScaleIn "
		"ServiceLinkedRoleARN MaxInstanceLifetime CapacityRebalance Context "
		"DesiredCapacityType DefaultInstanceWarmup InstanceMaintenancePolicy" },

	/* elbv2 */
	{ .service = &svc_elbv2, .name = "DescribeLoadBalancers", .method = "POST", .path = "/",
	  .inputs = "LoadBalancerArns Names Marker PageSize",
	  .pager = MARKER("LoadBalancers", "PageSize") },
	{ .service = &svc_elbv2, .name = "DescribeTargetGroups", .method = "POST", .path = "/",
	  .inputs = "LoadBalancerArn TargetGroupArns Names Marker PageSize",
	  .pager = MARKER("TargetGroups", "PageSize") },
	{ .service = &svc_elbv2, .name = "DescribeTargetHealth", .method = "POST", .path = "/",
	  .inputs = "TargetGroupArn Targets Include" },
	{ .service = &svc_elbv2, .name = "DescribeListeners", .method = "POST", .path = "/",
	  .inputs = "LoadBalancerArn ListenerArns Marker PageSize",
	  .pager = MARKER("Listeners", "PageSize") },
	{ .service = &svc_elbv2, .name = "DescribeRules", .method = "POST", .path = "/",
	  .inputs = "ListenerArn RuleArns Marker PageSize",
	  .pager = MARKER("Rules", "PageSize") },
	{ .service = &svc_elbv2, .name = "ModifyListener", .method = "POST", .path = "/",
	  .mutating = true,
	  .inputs = "ListenerArn Port Protocol SslPolicy Certificates DefaultActions AlpnPolicy "
		"MutualAuthentication" },
	{ .service = &svc_elbv2, .name = "ModifyRule", .method = "POST", .path = "/",
	  .mutating = true, .inputs = "RuleArn Conditions Actions" },

	/* rds */
	{ .service = &svc_rds, .name = "DescribeDBInstances", .method = "POST", .path = "/",
	  .inputs = "DBInstanceIdentifier Filters MaxRecords Marker",
	  .pager = { .input_token = { "Marker" }, .output_token = { "Marker" },
		     .result_keys = { "DBInstances" }, .limit_key = "MaxRecords" } },
	{ .service = &svc_rds, .name = "PromoteReadReplica", .method = "POST", .path = "/",
	  .mutating = true,
	  .inputs = "DBInstanceIdentifier BackupRetentionPeriod PreferredBackupWindow" },

	/* route53-recovery-cluster */
	{ .service = &svc_arc, .name = "GetRoutingControlState", .method = "POST", .path = "/",
	  .inputs = "RoutingControlArn" },
	{ .service = &svc_arc, .name = "ListRoutingControls", .method = "POST", .path = "/",
	  .inputs = "ControlPanelArn NextToken MaxResults", .lists = "RoutingControls",
	  .pager = NEXT_TOKEN("RoutingControls", NULL, "MaxResults") },
	{ .service = &svc_arc, .name = "UpdateRoutingControlState", .method = "POST", .path = "/",
	  .mutating = true,
	  .inputs = "RoutingControlArn RoutingControlState SafetyRulesToOverride" },

	/* sso (the credential chain's portal call) */
	{ .service = &svc_sso, .name = "GetRoleCredentials", .method = "GET",
	  .path = "/federation/credentials", .unsigned_call = true,
	  .inputs = "roleName@q:role_name accountId@q:account_id "
		"accessToken@h:x-amz-sso_bearer_token" },

	{ .name = NULL },
};

bool ops_hint(const char *hints, const char *name)
{
	size_t n = strlen(name);
	const char *p = hints;

	if (!hints || !n)
		return false;
	while ((p = strstr(p, name)) != NULL) {
		if ((p == hints || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
		p += n;
	}
	return false;
}

void ops_kebab(const char *api_name, char *out, size_t size)
{
	size_t o = 0, i;

	if (!size)
		return;
	for (i = 0; api_name[i] && o + 2 < size; i++) {
		unsigned char c = (unsigned char)api_name[i];
		if (i > 0 && isupper(c)) {
			unsigned char prev = (unsigned char)api_name[i - 1];
			unsigned char next = (unsigned char)api_name[i + 1];
			if (islower(prev) || isdigit(prev) || (isupper(prev) && islower(next)))
				out[o++] = '-';
		}
		out[o++] = (char)tolower(c);
	}
	out[o] = '\0';
}

const struct ops_service *ops_service_find(const char *service)
{
	size_t i;

	if (!service)
		return NULL;
	for (i = 0; ops_services[i]; i++) {
		const struct ops_service *s = ops_services[i];
		if (strcmp(s->cli_name, service) == 0 || strcmp(s->signing_name, service) == 0 ||
		    strcmp(s->endpoint_prefix, service) == 0)
			return s;
	}
	return NULL;
}

const struct ops_operation *ops_find(const char *service, const char *operation)
{
	const struct ops_service *s = ops_service_find(service);
	const struct ops_operation *op;
	char kebab[128];

	if (!s || !operation)
		return NULL;
	for (op = ops_table; op->name; op++) {
		if (op->service != s)
			continue;
		if (strcmp(op->name, operation) == 0)
			return op;
		ops_kebab(op->name, kebab, sizeof(kebab));
		if (strcmp(kebab, operation) == 0)
			return op;
	}
	return NULL;
}

bool ops_input(const struct ops_operation *op, const char *name, enum ops_location *where,
	       char *wire, size_t size)
{
	static const struct {
		const char *tag;
		enum ops_location where;
	} tags[] = {
		{ "uri:", OPS_IN_URI }, { "q:", OPS_IN_QUERY }, { "h:", OPS_IN_HEADER },
	};
	const char *p = op->inputs;
	size_t n = strlen(name), k;

	while (p && *p) {
		const char *end = p + strcspn(p, " ");
		const char *at = memchr(p, '@', (size_t)(end - p));
		const char *name_end = at ? at : end;
		if ((size_t)(name_end - p) == n && strncmp(p, name, n) == 0) {
			enum ops_location w = OPS_IN_BODY;
			const char *wn = p;
			size_t wl = n;
			if (at) {
				for (k = 0; k < sizeof(tags) / sizeof(tags[0]); k++) {
					size_t tl = strlen(tags[k].tag);
					if (strncmp(at + 1, tags[k].tag, tl) == 0) {
						w = tags[k].where;
						wn = at + 1 + tl;
						wl = (size_t)(end - wn);
					}
				}
			}
			if (where)
				*where = w;
			if (wire && size)
				snprintf(wire, size, "%.*s", (int)wl, wn);
			return true;
		}
		p = *end ? end + 1 : end;
	}
	return false;
}

bool ops_paginated(const struct ops_operation *op)
{
	return op->pager.input_token[0] != NULL;
}
