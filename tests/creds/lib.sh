# tests/creds/lib.sh — the fake STS/IMDS/ECS/SSO server (fake_aws) on loopback and a
# temporary HOME for the credential tests; source it after tests/tap.sh.
# Sets tmp, url (the fake's address) and home (with an empty .aws).
tmp=$(mktemp -d)
"$FD_BUILDDIR/tests/creds/fake_aws" > "$tmp/fake.url" &
fake_pid=$!
trap 'kill $fake_pid 2>/dev/null; wait $fake_pid 2>/dev/null; rm -rf "$tmp"' EXIT
i=0
while [ ! -s "$tmp/fake.url" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
url=$(cat "$tmp/fake.url")
[ -n "$url" ] || echo "# tests/creds/lib.sh: fake_aws did not start in 30 s"
home="$tmp/home"
mkdir -p "$home/.aws"

# default_credentials: the shared credentials file the tests start from (0600).
default_credentials() {
	cat > "$home/.aws/credentials" <<EOF
[default]
aws_access_key_id = AKIDFILE
aws_secret_access_key = fileSECRETvalue
[empty]
aws_access_key_id =
aws_secret_access_key = x
EOF
	chmod 600 "$home/.aws/credentials"
}
