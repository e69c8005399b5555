#!/usr/bin/env bash
# test_region_inject.sh — a region string never chooses the host a signed request goes to
# (issue 10). `--region 'x@127.0.0.1:PORT/'` used to make "https://sts.x@127.0.0.1:PORT/
# .amazonaws.com": curl reads "sts.x" as user info and connects to PORT, sending the
# signed request and its X-Amz-Security-Token. A local recorder (a TLS listener whose
# certificate the client is told to trust, so it would show every header) must see no
# connection, whatever the region's source: --region, AWS_REGION, the profile, a runbook
# parameter, a dashboard config, AWS_DEFAULT_REGION, an SSO profile's sso_region. Region names: AWS's partitions (regionRegex and
# dnsSuffix of partitions.json, https://docs.aws.amazon.com/general/latest/gr/rande.html).
. "$FD_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
rec=
trap '[ -n "$rec" ] && kill "$rec" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
export HOME=$tmp/home XDG_STATE_HOME=$tmp/state XDG_CONFIG_HOME=$tmp/config
mkdir -p "$HOME"
unset AWS_PROFILE AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE AWS_ENDPOINT_URL AWS_DEFAULT_REGION FD_RUNBOOK_PATH \
	http_proxy https_proxy HTTP_PROXY HTTPS_PROXY
export AWS_ACCESS_KEY_ID=AKIDINJECT AWS_SECRET_ACCESS_KEY=inject/secret AWS_SESSION_TOKEN=SESSIONTOKEN-SHOULD-NEVER-LEAVE
export AWS_EC2_METADATA_DISABLED=true AWS_MAX_ATTEMPTS=1 NO_PROXY='*'

/usr/bin/python3 "$FD_SRCDIR/tests/client/recorder.py" "$tmp" 2>"$tmp/recorder.err" &
rec=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
port=$(cat "$tmp/port")
export AWS_CA_BUNDLE=$tmp/cert.pem   # the recorder would complete TLS: nothing hides a request
: > "$tmp/log"
evil="x@127.0.0.1:$port/"
seen() { cat "$tmp/log"; }

# The recorder works: a request meant for it reaches it (so "no connection" below means something).
AWS_REGION=us-east-1 "$FD_BIN" call sts GetCallerIdentity --endpoint-url "https://127.0.0.1:$port" > /dev/null 2>&1
like "$(seen)" 'connect' "the recorder sees a request sent to it on purpose"
like "$(seen)" 'X-Amz-Security-Token: SESSIONTOKEN' "and would see the session token"
: > "$tmp/log"

out=$("$FD_BIN" call sts GetCallerIdentity --region "$evil" 2>&1); rc=$?
is "$rc" 2 "call --region '$evil': a usage error"
like "$out" "InvalidRegion: region 'x@127.0.0.1:$port/' \\(from --region\\) is not an AWS region name" "naming the region and where it came from"
is "$(seen)" "" "the recorder saw no connection (--region)"

out=$(AWS_REGION=$evil "$FD_BIN" call elbv2 DescribeLoadBalancers 2>&1); rc=$?
is "$rc" 2 "AWS_REGION: a usage error"
like "$out" "\\(from AWS_REGION\\)" "naming AWS_REGION"
mkdir -p "$HOME/.aws"
printf '[default]\nregion = %s\n' "$evil" > "$HOME/.aws/config"
out=$("$FD_BIN" whoami 2>&1); rc=$?
like "$out" "region 'x@127.0.0.1:$port/' \\(from 'region' of profile default\\)" "a profile's region is checked too"
rm "$HOME/.aws/config"
out=$(env -u AWS_REGION AWS_DEFAULT_REGION=$evil "$FD_BIN" call sts GetCallerIdentity 2>&1); rc=$?
is "$rc" 2 "AWS_DEFAULT_REGION: a usage error"
like "$out" "region 'x@127.0.0.1:$port/' \\(from AWS_DEFAULT_REGION\\)" "naming AWS_DEFAULT_REGION"
# an SSO profile: the portal's host is built from sso_region (a cached token makes it ask)
printf '[profile sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = %s\nsso_account_id = 123456789012\nsso_role_name = r\nregion = us-east-1\n' "$evil" > "$HOME/.aws/config"
mkdir -p "$HOME/.aws/sso/cache"
h=$(printf '%s' https://example.awsapps.com/start | sha1sum | cut -d' ' -f1)
printf '{"startUrl":"https://example.awsapps.com/start","region":"us-east-1","accessToken":"tok","expiresAt":"2099-01-01T00:00:00Z"}' > "$HOME/.aws/sso/cache/$h.json"
out=$(env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN AWS_PROFILE=sso "$FD_BIN" call sts GetCallerIdentity 2>&1); rc=$?
like "$out" "region 'x@127.0.0.1:$port/' \\(from sso_region\\)" "an SSO profile's sso_region is checked before the portal is asked"
rm -rf "$HOME/.aws"
# the dashboard's config: regions and a panel's region are region names AWS has
mkdir -p "$XDG_CONFIG_HOME/flightdeck"
printf 'stack:\n  regions: { primary: "%s", dr: ap-northeast-1 }\n' "$evil" > "$XDG_CONFIG_HOME/flightdeck/config.yaml"
out=$(AWS_REGION=ap-northeast-2 "$FD_BIN" snapshot 2>&1); rc=$?
is "$rc" 2 "snapshot with the primary region of its config not a region: exit 2"
like "$out" "config.yaml:2:[0-9]+: regions.primary: 'x@127.0.0.1:$port/' is not an AWS region" "naming the file, line and field"
printf 'stack:\n  regions: { primary: ap-northeast-2, dr: "%s" }\n' "$evil" > "$XDG_CONFIG_HOME/flightdeck/config.yaml"
out=$(AWS_REGION=ap-northeast-2 "$FD_BIN" snapshot 2>&1); rc=$?
is "$rc" 2 "the DR region too"
rm "$XDG_CONFIG_HOME/flightdeck/config.yaml"
out=$(AWS_REGION=ap-northeast-2 "$FD_BIN" snapshot --region "$evil" 2>&1); rc=$?
is "$rc" 2 "snapshot --region: exit 2"
is "$(seen)" "" "the recorder saw no connection (AWS_REGION, profile, AWS_DEFAULT_REGION, sso_region, the dashboard's config)"

# A runbook parameter that becomes a step's region: validate cannot know it, plan and run refuse it.
cat > "$tmp/rb.yaml" <<'YAML'
description: reads load balancers in the region given
parameters:
  region: {type: string, default: ap-northeast-2}
steps:
  - name: lbs
    action: aws
    inputs: {service: elbv2, operation: DescribeLoadBalancers, region: "{{ parameters.region }}"}
YAML
# the caller-identity read goes nowhere useful either way
out=$(AWS_REGION=ap-northeast-2 AWS_ENDPOINT_URL_STS=http://127.0.0.1:9 "$FD_BIN" runbook plan "$tmp/rb.yaml" -p "region=$evil" 2>&1)
like "$out" "region 'x@127.0.0.1:$port/' \\(from $tmp/rb.yaml:5: step 'lbs': \\{\\{ parameters.region \\}\\}\\) is not an AWS region name" \
	"runbook plan: refused before it starts, naming the step and the template"
out=$(AWS_REGION=ap-northeast-2 AWS_ENDPOINT_URL_STS=http://127.0.0.1:9 "$FD_BIN" runbook run "$tmp/rb.yaml" --yes -p "region=$evil" 2>&1); rc=$?
is "$rc" 2 "runbook run with that region as a parameter: refused (exit 2)"
is "$(seen)" "" "the recorder saw no connection (runbook parameter, plan and run)"

# Other shapes that are not regions, and real regions of every partition flightdeck knows.
for r in 'us-east-1.attacker.example#' 'us-east-1/' 'US-EAST-1' 'us-east-1 ' 'localhost' 'ap-northeast-2@h' \
	 'eu--1' 'xx-east-1' 'us-east-1:443'; do
	out=$("$FD_BIN" call sts GetCallerIdentity --region "$r" 2>&1); rc=$?
	is "$rc" 2 "--region '$r' is refused"
done
is "$(seen)" "" "and none of them reached the recorder"
is "$(grep -c 'X-Amz-Security-Token' "$tmp/log")" 0 "no X-Amz-Security-Token reached it at all"
done_testing
