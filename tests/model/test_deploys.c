/* test_deploys.c — launch template versions (a fixture aws-cli read from the sim,
 * botocore-checked by test_fixtures.sh): $Latest and $Default, and an instance's
 * "NAME:$Latest" resolved to its version number; unread templates say "?", never a
 * version.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplateVersions.html */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "model/model.h"
#include "tests/tap.h"

int main(void)
{
	char path[512], buf[32];
	struct model m;
	struct model_lt lt = { 0 };
	struct fd_error err;
	json_t *j;

	snprintf(path, sizeof(path), "%s/tests/model/fixtures/ec2_describe_launch_template_versions.json", FD_SRCDIR);
	j = json_load_file(path, 0, NULL);
	is_int(panel_deploys_parse_versions(j, &lt, &err), 0, "DescribeLaunchTemplateVersions parses");
	json_decref(j);
	is_int(lt.latest, 2, "$Latest is version 2");
	is_int(lt.default_version, 2, "the default too");
	is_str(lt.latest_description, "petclinic release 2", "its description");
	is_str(lt.latest_image, "ami-0a1b2c3d4e5f60002", "its AMI");
	ok(lt.latest_created > 0, "its creation time");

	model_init(&m, "ap-northeast-2", "ap-northeast-1");
	is_str(panel_deploys_version_text(&m.regions[0], "petclinic-was-blue:$Latest", buf, sizeof(buf)), "?",
	       "not read: $Latest is unknown");
	m.regions[0].lts = xcalloc(1, sizeof(struct model_lt));
	m.regions[0].n_lts = 1;
	m.regions[0].lts[0] = lt;
	m.regions[0].lts[0].name = xstrdup("petclinic-was-blue");
	m.regions[0].lts[0].default_version = 1;
	is_str(panel_deploys_version_text(&m.regions[0], "petclinic-was-blue:$Latest", buf, sizeof(buf)), "v2",
	       "$Latest resolved");
	is_str(panel_deploys_version_text(&m.regions[0], "petclinic-was-blue:$Default", buf, sizeof(buf)), "v1",
	       "$Default resolved");
	is_str(panel_deploys_version_text(&m.regions[0], "petclinic-was-blue:3", buf, sizeof(buf)), "v3", "a number as it is");
	is_str(panel_deploys_version_text(&m.regions[0], "a-launch-configuration", buf, sizeof(buf)), "?",
	       "a launch configuration has no version");
	j = json_pack("{s:{}}", "LaunchTemplateVersions");
	is_int(panel_deploys_parse_versions(j, &lt, &err), -1, "a version list that is not a list fails");
	json_decref(j);

	/* instance refreshes: the newest (first) of DescribeInstanceRefreshes
	 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeInstanceRefreshes.html */
	{
		struct model_refresh f = { 0 };
		j = json_loads("{\"InstanceRefreshes\": [{\"InstanceRefreshId\": \"r-2\", \"AutoScalingGroupName\": \"g\","
			       " \"Status\": \"InProgress\", \"StartTime\": \"2026-12-06T19:00:00Z\", \"PercentageComplete\": 45,"
			       " \"InstancesToUpdate\": 1}, {\"InstanceRefreshId\": \"r-1\", \"Status\": \"Successful\"}]}", 0, NULL);
		is_int(panel_deploys_parse_refreshes(j, &f, &err), 0, "DescribeInstanceRefreshes parses");
		json_decref(j);
		is_str(f.id, "r-2", "the newest refresh (listed first)");
		is_str(f.status, "InProgress", "its status");
		is_int(f.percent, 45, "PercentageComplete");
		is_int(f.to_update, 1, "InstancesToUpdate");
		ok(f.start > 0 && f.end == 0, "started, not ended");
		m.regions[0].refreshes = xcalloc(1, sizeof(f));
		m.regions[0].refreshes[0] = f;
		m.regions[0].n_refreshes = 1;
		ok(panel_deploys_refresh(&m.regions[0], "g") == &m.regions[0].refreshes[0], "found by group");
		ok(panel_deploys_refresh(&m.regions[0], "other") == NULL, "another group has none");
		memset(&f, 0, sizeof(f));
		j = json_loads("{\"InstanceRefreshes\": [{\"InstanceRefreshId\": \"r-3\"}]}", 0, NULL);
		f.percent = 7;
		is_int(panel_deploys_parse_refreshes(j, &f, &err), -1, "a refresh without a Status fails");
		is_int(f.percent, 7, "and leaves the output untouched");
		json_decref(j);
		j = json_loads("{\"InstanceRefreshes\": []}", 0, NULL);
		is_int(panel_deploys_parse_refreshes(j, &f, &err), 1, "no refresh: 1");
		json_decref(j);
		j = json_loads("{\"InstanceRefreshes\": {}}", 0, NULL);
		is_int(panel_deploys_parse_refreshes(j, &f, &err), -1, "a list that is not a list fails");
		json_decref(j);
		j = json_loads("{\"InstanceRefreshes\": [{\"Status\": \"Pending\"}]}", 0, NULL);
		is_int(panel_deploys_parse_refreshes(j, &f, &err), 0, "no figures yet");
		is_int(f.percent, -1, "PercentageComplete unknown: -1, not 0");
		panel_deploys_refreshes_free(NULL, 0);
		free(f.status);
		json_decref(j);
	}
	model_clean_up(&m);
	return done_testing();
}
