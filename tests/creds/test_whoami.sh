#!/bin/sh
# test_whoami.sh — `flightdeck whoami` end to end: temporary HOMEs, a fake STS/IMDS/ECS/SSO
# on loopback, clean environments; errors and exit codes; no secret in any output.
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/creds/lib.sh"

# fd ARGS...: run flightdeck whoami in a clean environment; stdout in $out, stderr in $err, status in $rc.
fd() {
	env -i HOME="$home" PATH="$PATH" USER=oncall AWS_EC2_METADATA_DISABLED=true \
		AWS_ENDPOINT_URL="$url" $extra_env "$FD_BIN" "$@" > "$tmp/out" 2> "$tmp/err" < "${stdin_file:-/dev/null}"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
	cat "$tmp/out" "$tmp/err" >> "$tmp/all-output"
}

# 1. environment credentials
extra_env="AWS_ACCESS_KEY_ID=AKIDENV AWS_SECRET_ACCESS_KEY=envSECRETvalue AWS_SESSION_TOKEN=envTOKENvalue AWS_REGION=ap-northeast-2"
fd whoami --json
is "$rc" 0 "env: exit 0"
is "$out" '{
  "profile": null,
  "region": "ap-northeast-2",
  "credential_source": "env",
  "expiration": null,
  "identity": {
    "Account": "123456789012",
    "Arn": "arn:aws:sts::123456789012:assumed-role/fixture/AKIDENV",
    "UserId": "AROAFIXTURE:AKIDENV"
  }
}' "env: JSON"
fd whoami
is "$out" "profile            -
region             ap-northeast-2
credential source  env
expiration         -
account            123456789012
arn                arn:aws:sts::123456789012:assumed-role/fixture/AKIDENV
user id            AROAFIXTURE:AKIDENV" "env: aligned text"

# 2. static keys in the credentials file, region from the profile
cat > "$home/.aws/config" <<EOF
[default]
region = ap-northeast-1
[profile ops]
region = ap-northeast-2
role_arn = arn:aws:iam::123456789012:role/ops
source_profile = default
[profile mfa]
role_arn = arn:aws:iam::123456789012:role/ops
source_profile = default
mfa_serial = arn:aws:iam::123456789012:mfa/oncall
[profile loop-a]
role_arn = arn:aws:iam::123456789012:role/a
source_profile = loop-b
[profile loop-b]
role_arn = arn:aws:iam::123456789012:role/b
source_profile = loop-a
[profile lonely]
role_arn = arn:aws:iam::123456789012:role/l
[profile denied]
role_arn = arn:aws:iam::123456789012:role/denied
source_profile = default
[profile ecs]
credential_source = EcsContainer
role_arn = arn:aws:iam::123456789012:role/from-ecs
EOF
default_credentials
extra_env=""
fd whoami --json
is "$rc" 0 "credentials file: exit 0"
like "$out" '"profile": "default"' "credentials file: profile default"
like "$out" '"region": "ap-northeast-1"' "credentials file: region from the profile"
like "$out" '"credential_source": "shared-credentials"' "credentials file: source"
like "$out" 'fixture/AKIDFILE"' "credentials file: identity of the file's key"
is "$err" "" "0600 credentials file: nothing on stderr"

fd --region eu-west-1 whoami --json
like "$out" '"region": "eu-west-1"' "--region before the command"
fd whoami --json --region us-west-2
like "$out" '"region": "us-west-2"' "--region after the command"

# 3. assume role from the source profile
fd --profile ops whoami --json
is "$rc" 0 "assume-role: exit 0"
like "$out" '"credential_source": "assume-role"' "assume-role: source"
like "$out" '"expiration": "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"' "assume-role: expiration"
like "$out" 'fixture/ASIAROLE[0-9]+"' "assume-role: identity of the role credentials"

# 4. MFA code answered through stdin
printf '987654\n' > "$tmp/mfa"
stdin_file="$tmp/mfa" fd --profile mfa whoami --json
is "$rc" 0 "mfa: exit 0"
like "$err" 'Enter MFA code for arn:aws:iam::123456789012:mfa/oncall: ' "mfa: prompt on stderr"
like "$out" '"credential_source": "assume-role"' "mfa: assumed"
# on a terminal: the code is read with echo off (a pseudo-terminal from /usr/bin/python3's pty)
env -i HOME="$home" PATH="$PATH" USER=oncall AWS_EC2_METADATA_DISABLED=true AWS_ENDPOINT_URL="$url" \
	/usr/bin/python3 - "$FD_BIN" > "$tmp/tty.out" 2>&1 <<'PY'
import os, pty, select, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "--profile", "mfa", "whoami"])
out, sent = b"", False
while True:
    r, _, _ = select.select([fd], [], [], 20)
    if not r:
        break
    try:
        d = os.read(fd, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
    if not sent and b"Enter MFA code" in out:
        os.write(fd, b"824613\n")
        sent = True
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.WEXITSTATUS(st) if os.WIFEXITED(st) else 99)
PY
is "$?" 0 "mfa on a terminal: exit 0"
like "$(cat "$tmp/tty.out")" 'credential source  assume-role' "mfa on a terminal: assumed"
cat "$tmp/tty.out" >> "$tmp/all-output"
stdin_file="" fd --profile mfa whoami
is "$rc" 2 "mfa: no answer is exit 2"
like "$err" 'no answer to' "mfa: no answer message"

# 5. container credentials as credential_source, and directly
extra_env="AWS_CONTAINER_CREDENTIALS_FULL_URI=$url/ecs/creds AWS_CONTAINER_AUTHORIZATION_TOKEN=ecsAUTHvalue"
fd --profile ecs whoami --json
like "$out" '"credential_source": "assume-role"' "credential_source EcsContainer: assumed"
rm "$home/.aws/credentials"
fd whoami --json
is "$rc" 0 "container: exit 0"
like "$out" '"credential_source": "container"' "container: source"
like "$out" 'fixture/ASIAECS"' "container: identity"
extra_env="AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_SERVICE_ENDPOINT=$url"
fd whoami --json
is "$rc" 0 "IMDS: exit 0"
like "$out" '"credential_source": "imds"' "IMDS: source"
like "$out" 'fixture/ASIAIMDS"' "IMDS: identity"
default_credentials
extra_env=""

# 6. errors, each its own message and exit status
fd --profile nosuch whoami
is "$rc" 2 "unknown profile: exit 2"
is "$err" "flightdeck: whoami: The config profile (nosuch) could not be found" "unknown profile: message"
fd --profile loop-a whoami
is "$rc" 2 "loop: exit 2"
is "$err" "flightdeck: whoami: $home/.aws/config:16: source_profile loop: loop-a -> loop-b -> loop-a" "loop: message"
fd --profile lonely whoami
is "$rc" 2 "role without source: exit 2"
is "$err" "flightdeck: whoami: $home/.aws/config:18: profile lonely has role_arn but no source_profile, credential_source or web_identity_token_file" "role without source: message"
fd --profile empty whoami
is "$rc" 2 "empty key: exit 2"
is "$err" "flightdeck: whoami: $home/.aws/credentials:5: aws_access_key_id is empty in profile empty" "empty key: message"
fd --profile denied whoami
is "$rc" 1 "STS refusal: exit 1"
like "$err" 'AccessDenied: AssumeRole arn:aws:iam::123456789012:role/denied: User is not authorized.*\(request id req-denied\)' "STS refusal: code, message, request id"
cp "$home/.aws/config" "$tmp/config.good"
printf '[default]\nregion = x\nthis line is wrong\n' > "$home/.aws/config"
fd whoami
is "$rc" 2 "malformed config: exit 2"
is "$err" "flightdeck: whoami: $home/.aws/config:3: expected '[section]', 'key = value' or a comment" "malformed config: FILE:LINE"
cp "$tmp/config.good" "$home/.aws/config"
fd whoami --bogus
is "$rc" 2 "unknown option: exit 2"
rm "$home/.aws/credentials"
fd whoami
is "$rc" 2 "no credentials: exit 2"
like "$err" 'Unable to locate credentials' "no credentials: message"

# 7. a credentials file readable by others: a warning, as aws-cli gives
printf '[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = fileSECRETvalue\n' > "$home/.aws/credentials"
chmod 644 "$home/.aws/credentials"
fd whoami
is "$rc" 0 "readable credentials file: still works"
like "$err" "warning: $home/.aws/credentials is readable by others" "readable credentials file: warning"

# 8. nothing written to ~/.aws
find "$home/.aws" -newer "$tmp/config.good" -type f ! -name credentials ! -name config > "$tmp/new-files"
is "$(cat "$tmp/new-files")" "" "nothing written to ~/.aws"

# 9. no secret in any output (stdout and stderr of every run above, --debug file)
extra_env="AWS_ACCESS_KEY_ID=AKIDENV AWS_SECRET_ACCESS_KEY=envSECRETvalue AWS_SESSION_TOKEN=envTOKENvalue"
fd --debug "$tmp/debug.log" whoami
[ -f "$tmp/debug.log" ] && cat "$tmp/debug.log" >> "$tmp/all-output"
like "$(cat "$tmp/debug.log" 2>/dev/null)" 'GetCallerIdentity' "--debug logs the STS call"
leaks=""
for s in envSECRETvalue envTOKENvalue fileSECRETvalue roleSECRETxyz roleTOKEN ecsSECRETxyz ecsTOKEN ecsAUTHvalue imdsSECRETxyz imdsTOKEN 987654 824613; do
	grep -q "$s" "$tmp/all-output" && leaks="$leaks $s"
done
is "$leaks" "" "no secret, token or MFA code in any output"

done_testing
