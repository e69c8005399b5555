#!/usr/bin/env bash
# bench/creds.sh — config + credentials files with 2000 profiles: flightdeck's awsconf_load
# against botocore's Session.full_config (Debian python3-botocore); a cached credentials get.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in $(seq 0 1999); do
	printf '[profile p%d]\nregion = ap-northeast-2\nrole_arn = arn:aws:iam::123456789012:role/r%d\nsource_profile = p%d\ns3 =\n  max_concurrent_requests = 20\n' "$i" "$i" "$((i > 0 ? i - 1 : 0))"
done > "$tmp/config"
for i in $(seq 0 1999); do
	printf '[p%d]\naws_access_key_id = AKID%08d\naws_secret_access_key = secret%d\n' "$i" "$i" "$i"
done > "$tmp/credentials"
chmod 600 "$tmp/credentials"
out=$("$FD_BUILDDIR/bench/bench_creds" "$tmp") || exit 1
ours=$(printf '%s\n' "$out" | awk -F'\t' '$1 == "load_ms" { print $2 }')
get=$(printf '%s\n' "$out" | awk -F'\t' '$1 == "cached_get_ns" { print $2 }')
theirs=$(AWS_CONFIG_FILE="$tmp/config" AWS_SHARED_CREDENTIALS_FILE="$tmp/credentials" /usr/bin/python3 - <<'PY' 2>/dev/null
import statistics, time
import botocore.session
ts = []
for _ in range(7):
    t0 = time.perf_counter()
    s = botocore.session.Session(profile="p1999")
    s.full_config
    ts.append((time.perf_counter() - t0) * 1000)
print("%.2f" % statistics.median(ts))
PY
)
if [ -n "$theirs" ]; then
	cmp=$(awk -v a="$ours" -v b="$theirs" 'BEGIN { if (a > 0) printf "%.1fx botocore (%s ms)", b / a, b; else print "n/a" }')
else
	cmp="ms (botocore not available)"
fi
printf 'creds: load config+credentials, 2000 profiles (ms)\t%s\t%s\n' "$ours" "$cmp"
printf 'creds: cached credentials get (ns)\t%s\tns per get (copy + wipe)\n' "$get"
