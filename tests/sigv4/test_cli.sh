#!/usr/bin/env bash
# test_cli.sh — `flightdeck sigv4` over every case of the AWS SigV4 test suite.
#
# Classic cases: --print creq, sts, authz and sreq must equal the case's files
# byte for byte (plus one newline). aws-c-auth v4 cases: context.json becomes
# CLI flags; creq, sts and the signature must equal the header-* files. Every
# case is expressible with the CLI's flags. Then the CLI's own behaviour: stdin,
# credentials from the environment, the time rule, and errors with exit codes.
# The suite is Apache-2.0 ("AWS Signature Version 4 Test Suite, Copyright 2019
# Amazon.com, Inc. or its affiliates. All Rights Reserved."; "AWS C Auth,
# Copyright Amazon.com, Inc. or its affiliates. All Rights Reserved.").
. "$FD_SRCDIR/tests/tap.sh"

suite=""
for d in "${FD_SIGV4_TESTSUITE:-}" "$FD_SRCDIR/../shared/sigv4-testsuite" "$FD_SRCDIR/../../shared/sigv4-testsuite"; do
	if [ -n "$d" ] && [ -d "$d" ]; then suite=$d; break; fi
done
if [ -z "$suite" ]; then
	ok 1 "the SigV4 test suite is found (FD_SIGV4_TESTSUITE or \$FD_SRCDIR/../shared/sigv4-testsuite)"
	done_testing
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp
keys=(--access-key AKIDEXAMPLE --secret-key wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY)
sts_token='AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=='

# want FILE: the file's bytes ending in exactly one newline, into $tmp/want.
want() {
	if [ -s "$1" ] && [ -n "$(tail -c1 "$1")" ]; then { cat "$1"; echo; } >"$tmp/want"; else cat "$1" >"$tmp/want"; fi
}

# same NAME: compare $tmp/got with $tmp/want byte for byte.
same() {
	if cmp -s "$tmp/got" "$tmp/want"; then ok 0 "$1"; else
		ok 1 "$1"; diff "$tmp/want" "$tmp/got" | head -20 | sed 's/^/# /'; fi
}

# ---- classic cases ----
n=0
while IFS= read -r req; do
	n=$((n + 1))
	base=${req%.req}
	name=$(basename "$base")
	extra=()
	# the token of a case: its .creq's x-amz-security-token line
	tok=$(sed -n 's/^x-amz-security-token://p' "$base.creq")
	[ -n "$tok" ] && extra=(--session-token "$tok")
	# post-sts-header-after: signed without the token, added afterwards
	[ "$name" = post-sts-header-after ] && extra=(--session-token "$sts_token" --omit-session-token)
	for art in creq sts authz sreq; do
		want "$base.$art"
		if [ "$name" = get-vanilla-with-session-token ] && [ $art = sreq ]; then
			# data bug: the .sreq carries get-vanilla's signature; the .authz is right
			sig=$(sed 's/.*Signature=//' "$base.authz")
			sed -i "s/Signature=[0-9a-f]*/Signature=$sig/" "$tmp/want"
		fi
		"$FD_BIN" sigv4 "${keys[@]}" --region us-east-1 --service service --time 20150830T123600Z \
			"${extra[@]}" --print $art "$req" >"$tmp/got" 2>"$tmp/err"
		same "$name: --print $art"
	done
done < <(cd "$suite" && find "$PWD" -name '*.req' -not -path '*/aws-c-auth-v4/*' | sort)
is "$n" 34 "34 classic cases run"

# ---- aws-c-auth v4 cases (header signing) ----
n=0
for dir in "$suite"/aws-c-auth-v4/*/; do
	[ -f "$dir/context.json" ] || continue
	n=$((n + 1))
	name=$(basename "$dir")
	mapfile -t flags < <(/usr/bin/python3 - "$dir/context.json" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
cr = c["credentials"]
out = ["--access-key", cr["access_key_id"], "--secret-key", cr["secret_access_key"],
       "--region", c["region"], "--service", c["service"],
       "--time", c["timestamp"].replace("-", "").replace(":", "")]
if cr.get("token"):
    out += ["--session-token", cr["token"]]
if c.get("normalize") is False:
    out.append("--no-normalize")
if c.get("sign_body"):
    out.append("--sign-body")
if c.get("omit_session_token"):
    out.append("--omit-session-token")
print("\n".join(out))
EOF
)
	want "$dir/header-canonical-request.txt"
	"$FD_BIN" sigv4 "${flags[@]}" --print creq "$dir/request.txt" >"$tmp/got" 2>"$tmp/err"
	same "v4 $name: creq"
	want "$dir/header-string-to-sign.txt"
	"$FD_BIN" sigv4 "${flags[@]}" --print sts "$dir/request.txt" >"$tmp/got" 2>"$tmp/err"
	same "v4 $name: sts"
	want "$dir/header-signature.txt"
	"$FD_BIN" sigv4 "${flags[@]}" --print authz "$dir/request.txt" 2>"$tmp/err" | sed 's/.*Signature=//' >"$tmp/got"
	same "v4 $name: signature"
done
is "$n" 38 "38 aws-c-auth v4 cases run"

# ---- the CLI itself ----
vanilla="$suite/get-vanilla/get-vanilla.req"
want "$suite/get-vanilla/get-vanilla.authz"
"$FD_BIN" sigv4 "${keys[@]}" --region us-east-1 --service service - <"$vanilla" >"$tmp/got"
same "stdin with -, default --print authz, time from the request's X-Amz-Date"

env -i HOME="$tmp" PATH="$PATH" AWS_ACCESS_KEY_ID=AKIDEXAMPLE \
	AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY AWS_REGION=us-east-1 \
	"$FD_BIN" sigv4 --service service "$vanilla" >"$tmp/got"
same "credentials and region from the environment"

env -i HOME="$tmp" PATH="$PATH" AWS_ACCESS_KEY_ID=AKIDEXAMPLE \
	AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY AWS_DEFAULT_REGION=us-east-1 \
	AWS_SESSION_TOKEN=6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267 \
	"$FD_BIN" sigv4 --service service "$vanilla" >"$tmp/got" 2>"$tmp/err"
want "$suite/get-vanilla-with-session-token/get-vanilla-with-session-token.authz"
same "session token from AWS_SESSION_TOKEN is signed"
env -i HOME="$tmp" PATH="$PATH" AWS_ACCESS_KEY_ID=AKIDEXAMPLE \
	AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY AWS_DEFAULT_REGION=us-east-1 \
	AWS_SESSION_TOKEN=6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267 \
	"$FD_BIN" sigv4 --service service --print creq "$vanilla" >"$tmp/got" 2>"$tmp/err"
like "$(cat "$tmp/got")" $'x-amz-date:20150830T123600Z\nx-amz-security-token:<redacted>\n' \
	"a token from the environment is redacted in the printed creq"
ok "$(grep -c 6e86291e "$tmp/got" "$tmp/err" | awk -F: '{s+=$2} END {print s}')" "the token itself is not printed"

"$FD_BIN" sigv4 "${keys[@]}" --region us-east-1 "$vanilla" >"$tmp/got"
like "$(cat "$tmp/got")" "Credential=AKIDEXAMPLE/20150830/us-east-1/example/aws4_request" \
	"without --service the service is the Host's first label"

# without --time and without X-Amz-Date: now, in UTC
printf 'GET / HTTP/1.1\nHost:sts.amazonaws.com' >"$tmp/nodate.req"
before=$(date -u +%Y%m%dT%H%M%SZ)
"$FD_BIN" sigv4 "${keys[@]}" --region us-east-1 --print sts "$tmp/nodate.req" >"$tmp/got"
after=$(date -u +%Y%m%dT%H%M%SZ)
stamp=$(sed -n 2p "$tmp/got")
ok "$([[ ! "$stamp" < "$before" && ! "$stamp" > "$after" ]]; echo $?)" "no --time, no X-Amz-Date: the current UTC time ($stamp)"

# --time overrides the request's X-Amz-Date (header updated, signature consistent)
"$FD_BIN" sigv4 "${keys[@]}" --region us-east-1 --service service --time 20200101T000000Z --print creq "$vanilla" >"$tmp/got"
like "$(cat "$tmp/got")" "x-amz-date:20200101T000000Z" "--time replaces the request's X-Amz-Date"

# --no-normalize
printf 'GET //a/./b HTTP/1.1\nHost:h\n' >"$tmp/dots.req"
is "$("$FD_BIN" sigv4 "${keys[@]}" --region us-east-1 --service s --time 20150830T123600Z --no-normalize --print creq "$tmp/dots.req" | sed -n 2p)" \
	"//a/./b" "--no-normalize keeps the path"
is "$("$FD_BIN" sigv4 "${keys[@]}" --region us-east-1 --service s --time 20150830T123600Z --print creq "$tmp/dots.req" | sed -n 2p)" \
	"/a/b" "the path is normalised by default"

# errors
printf 'GET / HTTP/1.1\nHost:x\nbroken header\n' >"$tmp/bad.req"
"$FD_BIN" sigv4 "${keys[@]}" "$tmp/bad.req" >"$tmp/got" 2>"$tmp/err"
is "$?" 2 "malformed request: exit 2"
is "$(cat "$tmp/err")" "$tmp/bad.req:3: header without ':'" "malformed request: FILE:LINE: message"
printf 'GET /\n' | "$FD_BIN" sigv4 "${keys[@]}" - >"$tmp/got" 2>"$tmp/err"
is "$?:$(cat "$tmp/err")" "2:<stdin>:1: request line is not 'METHOD TARGET HTTP/VERSION'" "malformed stdin names <stdin>:1"
"$FD_BIN" sigv4 "${keys[@]}" "$tmp/missing.req" >"$tmp/got" 2>"$tmp/err"
is "$?:$(cat "$tmp/err")" "2:flightdeck sigv4: $tmp/missing.req: No such file or directory" "missing file: exit 2"
"$FD_BIN" sigv4 "${keys[@]}" --time 2015-08-30 "$vanilla" >"$tmp/got" 2>"$tmp/err"
is "$?:$(cat "$tmp/err")" "2:flightdeck sigv4: --time: '2015-08-30' is not YYYYMMDDTHHMMSSZ" "bad --time: exit 2"
"$FD_BIN" sigv4 "${keys[@]}" --print json "$vanilla" >"$tmp/got" 2>"$tmp/err"
is "$?:$(cat "$tmp/err")" "2:flightdeck sigv4: --print: 'json' is not one of authz, creq, sts, sreq" "bad --print: exit 2"
"$FD_BIN" sigv4 "${keys[@]}" >"$tmp/got" 2>"$tmp/err"
is "$?:$(head -1 "$tmp/err")" "2:flightdeck sigv4: no FILE (use - for stdin)" "no FILE: exit 2"
"$FD_BIN" sigv4 "${keys[@]}" --bogus "$vanilla" >"$tmp/got" 2>"$tmp/err"
is "$?:$(head -1 "$tmp/err")" "2:flightdeck sigv4: unknown option '--bogus'" "unknown option: exit 2"
env -i HOME="$tmp" PATH="$PATH" "$FD_BIN" sigv4 "$vanilla" >"$tmp/got" 2>"$tmp/err"
is "$?:$(cat "$tmp/err")" "1:flightdeck sigv4: no credentials (give --access-key and --secret-key): Unable to locate credentials (environment, profile, web identity, container, instance metadata)" \
	"no credentials: exit 1"
"$FD_BIN" sigv4 --access-key AKIDEXAMPLE "$vanilla" >"$tmp/got" 2>"$tmp/err"
is "$?:$(cat "$tmp/err")" "2:flightdeck sigv4: give both --access-key and --secret-key, or neither" "only one key: exit 2"
env -i HOME="$tmp" PATH="$PATH" "$FD_BIN" sigv4 "${keys[@]}" "$vanilla" >"$tmp/got" 2>"$tmp/err"
is "$?:$(cat "$tmp/err")" "2:flightdeck sigv4: no region: give --region or set AWS_REGION" "no region: exit 2"

# credentials and region through the default chain: a profile in ~/.aws
mkdir -p "$tmp/.aws"
printf '[default]\naws_access_key_id = AKIDWRONG\naws_secret_access_key = wrong\n[ops]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n' >"$tmp/.aws/credentials"
printf '[profile ops]\nregion = us-east-1\n' >"$tmp/.aws/config"
want "$suite/get-vanilla/get-vanilla.authz"
env -i HOME="$tmp" PATH="$PATH" "$FD_BIN" --profile ops sigv4 --service service "$vanilla" >"$tmp/got" 2>"$tmp/err"
same "credentials and region from the profile named by --profile"
env -i HOME="$tmp" PATH="$PATH" AWS_PROFILE=ops "$FD_BIN" sigv4 --service service "$vanilla" >"$tmp/got" 2>"$tmp/err"
same "credentials and region from AWS_PROFILE"
env -i HOME="$tmp" PATH="$PATH" "$FD_BIN" sigv4 --profile nosuch --service service "$vanilla" >"$tmp/got" 2>"$tmp/err"
like "$?:$(cat "$tmp/err")" "^2:flightdeck sigv4: .*nosuch" "an unknown profile: exit 2, named"
rm -rf "$tmp/.aws"
ok "$(grep -c wJalrXUtnFEMI "$tmp/got" "$tmp/err" | awk -F: '{s+=$2} END {print s}')" "the secret key is never printed"

done_testing
