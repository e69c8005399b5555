#!/bin/sh
# test_botocore_diff.sh — which credentials a set of config/credentials files and variables
# resolve to, flightdeck against botocore (Debian python3-botocore, what aws-cli v2 uses):
# the source (env, shared-credentials, config-file, assume-role, ...) and the access key id,
# or the error class. Each case is one TAP point; the expected line is checked too.
. "$FD_SRCDIR/tests/tap.sh"

if ! /usr/bin/python3 -c 'import botocore' 2>/dev/null; then
	echo "1..0 # SKIP /usr/bin/python3 has no botocore"
	exit 0
fi
. "$FD_SRCDIR/tests/creds/lib.sh"

# same NAME WANT [PROFILE]: both resolve alike, and to WANT.
same() {
	ours=$(env -i HOME="$home" PATH="$PATH" AWS_EC2_METADATA_DISABLED=true AWS_ENDPOINT_URL="$url" $vars \
		"$FD_BUILDDIR/tests/creds/resolve" "${3:-}" 2>&1)
	theirs=$(env -i HOME="$home" PATH="$PATH" AWS_EC2_METADATA_DISABLED=true AWS_ENDPOINT_URL="$url" $vars \
		/usr/bin/python3 "$FD_SRCDIR/tests/creds/botocore_resolve.py" "${3:-}" 2>&1 | tail -n 1)
	is "$ours" "$theirs" "$1: as botocore"
	is "$ours" "$2" "$1: $2"
}
config() { printf "$1" > "$home/.aws/config"; }
credentials() { printf "$1" > "$home/.aws/credentials"; chmod 600 "$home/.aws/credentials"; }
nofiles() { rm -f "$home/.aws/config" "$home/.aws/credentials"; }

ENV="AWS_ACCESS_KEY_ID=AKIDENV AWS_SECRET_ACCESS_KEY=envsecret"

nofiles; vars=""
same "nothing at all" "ERROR NoCredentials"
vars="$ENV"
same "environment only" "env AKIDENV"
credentials '[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n[p]\naws_access_key_id = AKIDP\naws_secret_access_key = s\n'
same "environment beats [default]" "env AKIDENV"
vars="$ENV AWS_PROFILE=p"
same "environment beats AWS_PROFILE" "env AKIDENV"
vars="$ENV"
same "an explicit profile takes the environment out" "shared-credentials AKIDP" p
vars="AWS_ACCESS_KEY_ID=AKIDENV"
same "half a key pair in the environment" "ERROR PartialCredentials"
vars=""
config '[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\n'
same "credentials file beats config file" "shared-credentials AKIDFILE"
credentials '[other]\naws_access_key_id = AKIDO\naws_secret_access_key = s\n'
same "keys in the config file" "config-file AKIDCONFIG"
config '[default]\naws_access_key_id = AKIDPLAIN\naws_secret_access_key = s\n[profile default]\naws_access_key_id = AKIDPREFIXED\naws_secret_access_key = s\n'
same "[default] then [profile default]" "config-file AKIDPREFIXED"
config '[profile default]\naws_access_key_id = AKIDPREFIXED\naws_secret_access_key = s\n[default]\naws_access_key_id = AKIDPLAIN\naws_secret_access_key = s\n'
same "[profile default] then [default]" "config-file AKIDPLAIN"
config '[profile "with space"]\naws_access_key_id = AKIDSPACE\naws_secret_access_key = s\n'
same "a quoted profile name" "config-file AKIDSPACE" "with space"
config '[profiles odd]\naws_access_key_id = AKIDODD\naws_secret_access_key = s\n'
same "[profiles odd] is profile odd" "config-file AKIDODD" odd
config '[profile upper]\nAWS_ACCESS_KEY_ID = AKIDUPPER\nAws_Secret_Access_Key: s\n'
same "keys are case-insensitive, ':' delimits" "config-file AKIDUPPER" upper
credentials '[keyonly]\naws_access_key_id = AKIDHALF\n'
same "key id without secret" "ERROR PartialCredentials" keyonly
vars="AWS_PROFILE=ghost"
same "AWS_PROFILE names a missing profile" "ERROR ProfileNotFound"
vars=""
same "--profile names a missing profile" "ERROR ProfileNotFound" ghost
config '[default]\nregion = x\n[default]\n'
same "a duplicate section" "ERROR ParseError"
config 'region = x\n'
same "a key before any section" "ERROR ParseError"

credentials '[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n'
config '[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\naws_access_key_id = AKIDOWN\naws_secret_access_key = s\n[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n[profile self]\nrole_arn = arn:aws:iam::123456789012:role/s\nsource_profile = self\naws_access_key_id = AKIDSELF\naws_secret_access_key = s\n[profile ghostsrc]\nrole_arn = arn:aws:iam::123456789012:role/g\nsource_profile = nowhere\n[profile envsrc]\nrole_arn = arn:aws:iam::123456789012:role/e\ncredential_source = Environment\n[profile badsrc]\nrole_arn = arn:aws:iam::123456789012:role/e\ncredential_source = Laptop\n'
same "role_arn beats the profile's own keys" "assume-role -" role
same "a source_profile loop" "ERROR SourceProfileLoop" a
same "a profile sourcing itself with keys" "assume-role -" self
same "a source_profile that does not exist" "ERROR InvalidConfig" ghostsrc
vars="$ENV"
same "credential_source Environment" "assume-role -" envsrc
vars=""
same "an unknown credential_source" "ERROR InvalidConfig" badsrc

printf '#!/bin/sh\necho "{\\"Version\\": 1, \\"AccessKeyId\\": \\"AKIDPROC\\", \\"SecretAccessKey\\": \\"s\\"}"\n' > "$tmp/helper"
chmod 700 "$tmp/helper"
config "[profile proc]\ncredential_process = $tmp/helper --flag\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\n[profile sso]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n"
credentials '[sso]\naws_access_key_id = AKIDSSOFILE\naws_secret_access_key = s\n'
same "credential_process beats config-file keys" "process AKIDPROC" proc
mkdir -p "$home/.aws/sso/cache"
printf '{"accessToken": "sso-access-token", "expiresAt": "2099-01-01T00:00:00Z"}' \
	> "$home/.aws/sso/cache/$(printf '%s' https://x.awsapps.com/start | sha1sum | cut -d' ' -f1).json"
same "sso_start_url beats credentials-file keys" "sso -" sso
credentials '[proc]\naws_access_key_id = AKIDPROCFILE\naws_secret_access_key = s\n'
same "credentials-file keys beat credential_process" "shared-credentials AKIDPROCFILE" proc

printf 'token' > "$tmp/web-token"
vars="AWS_WEB_IDENTITY_TOKEN_FILE=$tmp/web-token AWS_ROLE_ARN=arn:aws:iam::123456789012:role/w"
credentials '[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n'
same "web identity variables beat the credentials file" "web-identity -"
vars="$ENV AWS_WEB_IDENTITY_TOKEN_FILE=$tmp/web-token AWS_ROLE_ARN=arn:aws:iam::123456789012:role/w"
same "... but not the environment's keys" "env AKIDENV"

nofiles
vars="AWS_CONTAINER_CREDENTIALS_FULL_URI=$url/ecs/creds"
same "container credentials" "container ASIAECS"

config '[default]\naws_access_key_id = AKIDMOVED\naws_secret_access_key = s\n'
mv "$home/.aws/config" "$tmp/elsewhere"
vars="AWS_CONFIG_FILE=$tmp/elsewhere"
same "AWS_CONFIG_FILE" "config-file AKIDMOVED"
vars="AWS_SHARED_CREDENTIALS_FILE=$tmp/elsewhere"
same "AWS_SHARED_CREDENTIALS_FILE" "shared-credentials AKIDMOVED"

done_testing
