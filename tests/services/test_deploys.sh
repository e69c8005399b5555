#!/bin/sh
# The deploy pipeline's launch templates end to end: aws-cli reads the sim's launch
# template versions (the ec2 protocol); the collection asks for $Latest and $Default
# of each template the instances run, and the snapshot resolves "$Latest" per instance.
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplateVersions.html
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"
. "$FD_SRCDIR/tests/services/lib.sh"
services_sim

is "$(awsx ec2 describe-launch-template-versions --launch-template-name petclinic-was-blue --versions '$Latest' '$Default' \
	--output text --query 'LaunchTemplateVersions[].[VersionNumber,DefaultVersion,LaunchTemplateData.ImageId]')" \
	"2	True	ami-0a1b2c3d4e5f60002" "aws-cli: \$Latest and \$Default are version 2"
is "$(awsx ec2 describe-launch-template-versions --launch-template-name petclinic-was-blue --output text \
	--query 'length(LaunchTemplateVersions)')" 2 "aws-cli: every version without Versions"
like "$(awsx ec2 describe-launch-template-versions --launch-template-name nope 2>&1)" \
	"InvalidLaunchTemplateName.NotFoundException" "an unknown template: InvalidLaunchTemplateName.NotFoundException"
before=$(sent ec2 DescribeLaunchTemplateVersions)
snap
is "$(($(sent ec2 DescribeLaunchTemplateVersions) - before))" 3 \
	"the collection read each template once (blue and green in Seoul, blue in Tokyo)"
is "$(sj '[.deploys[0].launch_templates[] | .name + " v" + (.latest | tostring)] | join(", ")')" \
	"petclinic-was-blue v2, petclinic-was-green v2" "snapshot: Seoul's templates and their \$Latest"
is "$(sj '[.deploys[0].groups[0].instances[].version] | unique | join(",")')" "v2" "each instance's \$Latest resolved"
done_testing
