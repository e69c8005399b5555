#!/bin/sh
# test_whoami_sim.sh — credential providers against `flightdeck sim`: its STS verifies the
# signatures of AssumeRole and GetCallerIdentity; its IMDSv2, ECS and SSO portal issue credentials.
. "$FD_SRCDIR/tests/tap.sh"

tmp=$(mktemp -d)
"$FD_BIN" sim --listen 127.0.0.1:0 > "$tmp/sim.out" 2> "$tmp/sim.err" &
sim_pid=$!
trap 'kill $sim_pid 2>/dev/null; wait $sim_pid 2>/dev/null; rm -rf "$tmp"' EXIT
i=0
while ! grep -q 'listening on' "$tmp/sim.out" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
line=$(head -n 1 "$tmp/sim.out")
url=$(printf '%s\n' "$line" | sed -n 's/.*listening on \(http[^ ]*\).*/\1/p')
ak=$(printf '%s\n' "$line" | sed -n 's/.*AWS_ACCESS_KEY_ID=\([^ ]*\).*/\1/p')
sk=$(printf '%s\n' "$line" | sed -n 's/.*AWS_SECRET_ACCESS_KEY=\([^ ]*\).*/\1/p')
like "$url" '^http://127\.0\.0\.1:[0-9]+$' "the simulator is listening"
home="$tmp/home"
mkdir -p "$home/.aws"

# fd ARGS...: flightdeck in a clean environment pointed at the simulator.
fd() {
	env -i HOME="$home" PATH="$PATH" USER=oncall AWS_EC2_METADATA_DISABLED=true \
		AWS_ENDPOINT_URL="$url" AWS_REGION=ap-northeast-2 $extra_env "$FD_BIN" "$@" \
		> "$tmp/out" 2> "$tmp/err" < "${stdin_file:-/dev/null}"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
	cat "$tmp/out" "$tmp/err" >> "$tmp/all-output"
}

extra_env="AWS_ACCESS_KEY_ID=$ak AWS_SECRET_ACCESS_KEY=$sk"
fd whoami --json
is "$rc" 0 "env keys: the simulator accepts the signature"
like "$out" '"credential_source": "env"' "env keys: source"
like "$out" '"Account": "[0-9]{12}"' "env keys: account"

printf '[sim]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$ak" "$sk" > "$home/.aws/credentials"
chmod 600 "$home/.aws/credentials"
cat > "$home/.aws/config" <<'CONFIG'
[profile ops]
role_arn = arn:aws:iam::123456789012:role/petclinic-operator
source_profile = sim
duration_seconds = 1800
[profile mfa]
role_arn = arn:aws:iam::123456789012:role/petclinic-operator
source_profile = sim
mfa_serial = arn:aws:iam::123456789012:mfa/oncall
[profile dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = ReadOnly
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = ap-northeast-2
CONFIG
extra_env=""
fd --profile ops whoami --json
is "$rc" 0 "assume-role: AssumeRole signed with the source profile's keys"
like "$out" '"credential_source": "assume-role"' "assume-role: source"
like "$out" '"Arn": "arn:aws:sts::123456789012:assumed-role/petclinic-operator/oncall@[^"]+"' \
	"assume-role: the session name names the operator"
# --endpoint-url (not AWS_ENDPOINT_URL) must also carry the role's own STS call.
env -i HOME="$home" PATH="$PATH" USER=oncall AWS_EC2_METADATA_DISABLED=true AWS_REGION=ap-northeast-2 \
	"$FD_BIN" --profile ops --endpoint-url "$url" call sts get-caller-identity > "$tmp/out" 2> "$tmp/err"
is "$?" 0 "assume-role with --endpoint-url: AssumeRole goes to that endpoint too"
like "$(cat "$tmp/out")" 'assumed-role/petclinic-operator/' "assume-role with --endpoint-url: the role's identity"
cat "$tmp/out" "$tmp/err" >> "$tmp/all-output"
printf '824613\n' > "$tmp/mfa"
stdin_file="$tmp/mfa" fd --profile mfa whoami
is "$rc" 0 "mfa: code from stdin accepted"
printf '000000\n' > "$tmp/mfa-bad"
stdin_file="$tmp/mfa-bad" fd --profile mfa whoami
is "$rc" 1 "mfa: a wrong code is refused (exit 1)"
like "$err" 'AccessDenied: .*MultiFactorAuthentication failed' "mfa: STS's message"
stdin_file=""

rm "$home/.aws/credentials"
extra_env="AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_SERVICE_ENDPOINT=$url"
fd whoami --json
is "$rc" 0 "IMDSv2 from the simulator"
like "$out" '"credential_source": "imds"' "IMDS: source"
like "$out" 'assumed-role/flightdeck-sim-instance-role/' "IMDS: the instance role"

extra_env="AWS_CONTAINER_CREDENTIALS_FULL_URI=$url/v2/credentials/task AWS_CONTAINER_AUTHORIZATION_TOKEN=flightdeck-sim-ecs-token"
fd whoami --json
is "$rc" 0 "ECS container credentials from the simulator"
like "$out" '"credential_source": "container"' "ECS: source"
like "$out" 'assumed-role/flightdeck-sim-task-role/' "ECS: the task role"

mkdir -p "$home/.aws/sso/cache"
printf '{"startUrl": "https://corp.awsapps.com/start", "region": "ap-northeast-2", "accessToken": "simSSOtokenVALUE", "expiresAt": "2099-01-01T00:00:00Z"}\n' \
	> "$home/.aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json"
extra_env=""
fd --profile dev whoami --json
is "$rc" 0 "SSO from the simulator's portal"
like "$out" '"credential_source": "sso"' "SSO: source"
like "$out" 'AWSReservedSSO_ReadOnly' "SSO: the permission set's role"

# Web identity: the simulator's STS wants AssumeRoleWithWebIdentity signed (real STS does
# not); tests/creds/test_providers and test_whoami.sh cover it against the fixture.

leaks=""
for s in "$sk" simSSOtokenVALUE 824613; do
	grep -qF -- "$s" "$tmp/all-output" && leaks="$leaks $s"
done
is "$leaks" "" "no secret, token or MFA code in any output"
done_testing
