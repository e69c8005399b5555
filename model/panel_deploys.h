/* panel_deploys.h — the deploy pipeline's launch templates: for every launch template
 * the region's Auto Scaling groups' instances run, its $Latest and $Default versions
 * (EC2 DescribeLaunchTemplateVersions), so the asg view can say which version
 * "$Latest" is and whether an instance runs an older one.
 */
#ifndef FD_PANEL_DEPLOYS_H
#define FD_PANEL_DEPLOYS_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

#include "base/error.h"

struct model_lt {
	char *name;
	long latest;                /* $Latest's VersionNumber, -1 unknown */
	long default_version;       /* $Default's, -1 unknown */
	char *latest_description;
	char *latest_image;         /* LaunchTemplateData.ImageId */
	time_t latest_created;
};

/* A group's newest instance refresh (DescribeInstanceRefreshes). */
struct model_refresh {
	char *group;
	char *id;
	char *status;               /* Pending | InProgress | Successful | Failed | Cancelling | Cancelled ... */
	long percent;               /* PercentageComplete, -1 unknown */
	long to_update;             /* InstancesToUpdate, -1 unknown */
	time_t start, end;          /* 0 unknown / not ended */
};

struct model_region;

/* DescribeInstanceRefreshes: the newest refresh into out (group set from the
 * answer); 1 when the group has none, 0 when read. */
int panel_deploys_parse_refreshes(const json_t *res, struct model_refresh *out, struct fd_error *err);
/* The newest refresh of group name in region r, NULL when none read. Borrowed. */
const struct model_refresh *panel_deploys_refresh(const struct model_region *r, const char *group);
void panel_deploys_refreshes_free(struct model_refresh *v, size_t n);

/* DescribeLaunchTemplateVersions (with $Latest and $Default asked) into lt. */
int panel_deploys_parse_versions(const json_t *res, struct model_lt *lt, struct fd_error *err);
/* The launch template of a region by name, NULL when not read. Borrowed. */
const struct model_lt *panel_deploys_find(const struct model_region *r, const char *name);
/* An instance's "NAME:VERSION" as "vN" (its $Latest / $Default resolved) into buf;
 * "?" when the template was not read. */
const char *panel_deploys_version_text(const struct model_region *r, const char *name_version, char *buf,
				       size_t size);
/* The snapshot's "deploys" section: per region, its launch templates and each
 * group's instances by version. New reference. */
struct model;
json_t *panel_deploys_json(const struct model *m);
void panel_deploys_free(struct model_lt *v, size_t n);

#endif
